"""Who takes part in a contact: named leaders and officials, with role and country.

A contact sentence names its participants behind titles ("spoke with Prime Minister
Justin Trudeau of Canada", "had a telephone conversation with President of Finland Sauli
Niinistö"), which :func:`readout_qa.entities.find_leaders` already finds. Two things it
cannot know are added here:

* the publisher's own principals, whom readouts name without a title or not at all
  ("Vladimir Putin had a telephone conversation with ...", "The President spoke with
  ..."): who "the President" is depends on the publisher and the date, hence the small
  table :data:`PRINCIPALS` (offices change hands: Biden, then Trump);
* the role and country of each participant, read from the title phrase around the name
  ("British Prime Minister", "President of the Republic of Finland", "... of Canada").

Short forms ("President Xi") are folded into the fuller name the same readout gives
("Xi Jinping"); across readouts, :mod:`.people` decides who is who.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..entities import country_of_name, find_countries, find_leaders
from ..entities.countries import country_table
from ..names import PARTICLES, name_tokens

__all__ = [
    "PRINCIPALS",
    "Participant",
    "Principal",
    "describe",
    "find_participants",
    "is_principal_of",
    "principals_of",
    "publisher_country",
    "same_in_readout",
    "unglue",
]


@dataclass(frozen=True)
class Principal:
    """An office holder of a publishing government, e.g. the US President in 2022."""

    office: str  # "President", "Vice President"
    name: str  # the canonical name readouts use in full
    country: str
    since: str  # ISO, inclusive
    until: str = ""  # ISO, exclusive; "" while in office


#: Office holders of the governments whose readouts are read here, by publisher country.
#: Readouts call them "the President" or name them without a title, so they are listed.
PRINCIPALS: dict[str, tuple[Principal, ...]] = {
    "United States": (
        Principal("President", "Donald J. Trump", "United States", "2017-01-20", "2021-01-20"),
        Principal("President", "Joseph R. Biden", "United States", "2021-01-20", "2025-01-20"),
        Principal("President", "Donald J. Trump", "United States", "2025-01-20"),
        Principal("Vice President", "Kamala Harris", "United States", "2021-01-20", "2025-01-20"),
        Principal("Vice President", "JD Vance", "United States", "2025-01-20"),
    ),
    "Russia": (Principal("President", "Vladimir Putin", "Russia", "2012-05-07"),),
}
# Publisher names -> the government whose principals "the President" means.
_PUBLISHERS = (("white house", "United States"), ("kremlin", "Russia"), ("of russia", "Russia"))


@dataclass
class Participant:
    """One person taking part in a contact, as one readout names them."""

    name: str
    role: str = ""
    country: str = ""


def publisher_country(publisher: str) -> str:
    """The government a publisher speaks for ("The White House" -> "United States")."""
    low = publisher.lower()
    return next((country for key, country in _PUBLISHERS if key in low), "")


def principals_of(publisher: str, date: str | None) -> list[Principal]:
    """The publisher's office holders on ``date`` (all of them when the date is unknown)."""
    found = PRINCIPALS.get(publisher_country(publisher), ())
    if not date:
        return [p for p in found if not p.until]
    return [p for p in found if p.since <= date and (not p.until or date < p.until)]


def is_principal_of(name: str, publisher: str, date: str | None) -> bool:
    """Whether ``name`` is one of the publisher's own office holders on ``date``."""
    return any(p.name == name for p in principals_of(publisher, date))


def _all_principals_on(date: str | None) -> list[Principal]:
    return [
        p
        for group in PRINCIPALS.values()
        for p in group
        if not date or (p.since <= date and (not p.until or date < p.until))
    ]


def _fold_into(name: str, fuller: list[str]) -> str:
    """``name`` or the fuller name of the same readout it abbreviates ("Xi" -> "Xi Jinping")."""
    tokens = name_tokens(name)
    n = len(tokens)
    for full in fuller:
        f = name_tokens(full)
        if n < len(f) and (f[:n] == tokens or f[-n:] == tokens):
            return full
    return name


def unglue(name: str, context: str) -> str:
    """ "Ossetia Anatoly Bibilov" (the leader patterns took a place word for a first name)
    -> "Anatoly Bibilov", when the readout also names the person so, without that word."""
    tokens = name_tokens(name)
    if len(tokens) < 3 or len(_key_tokens(" ".join(tokens[1:]))) < 2:
        return name  # "Alexander De Croo" is not "De Croo" glued to a word
    shorter = " ".join(tokens[1:])
    pattern = rf"(?<!{re.escape(tokens[0])}\s)(?<![\w-]){re.escape(shorter)}(?![\w-])"
    return shorter if re.search(pattern, context) else name


def _occurrences(name: str, text: str) -> list[re.Match[str]]:
    pattern = r"\s+".join(re.escape(t) for t in name.split())
    return list(re.finditer(rf"(?<![\w-]){pattern}(?![\w-])", text))


_HONORIFICS = re.compile(
    r"\b(?:(?:His|Her)\s+(?:Royal\s+)?(?:Holiness|Majesty|Highness|Excellency|All-Holiness)"
    r"|H\.E\.|Dr\.|Mr\.|Mrs\.|Ms\.)(?=\s|$)"
)
_READOUT_WORDS = re.compile(r"^.*\b(?:Readout|Statement)\s+(?:of|from|by|on)\s+")
_RUN_BEFORE = re.compile(r"(?:(?:[A-Z][\w’'.&-]*|of|the|for|and)\s+)+$")
_OF_AFTER = re.compile(r"\s+of\s+(?:the\s+)?([A-Z][^,.;:()]{0,60})")
_TITLE_AFTER = re.compile(
    r",\s+(?:(?:the|incoming|outgoing|new|acting|then)\s+)?([A-Z][^,.;:()]{0,90})"
)
# "the Secretary General of Japan's National Security Secretariat, Takeo Akiba": an office
# set before the name between commas; "his Russian counterpart Nikolay Patrushev"
_APPOSED_BEFORE = re.compile(
    r"\b(?:[Tt]he|[Hh]is|[Hh]er)\s+((?:[A-Z][\w’'.&-]*|of|the|for|and)(?:\s+(?:[A-Z][\w’'.&-]*|of|the|for|and))*),\s+$"
)
_COUNTERPART_BEFORE = re.compile(r"\b(?:his|her|their)\s+(?:([A-Z][\w-]+)\s+)?(counterparts?)\s+$")
_POSSESSIVE_LEFT = re.compile(r"(?<![\w])['’]s\b")  # of "Japan's" once the country is cut
_DANGLING = re.compile(r"(?:\s+(?:of|the|for))+$|^(?:(?:The|the|of)\s+)+")


def _after_last_and(run: str) -> str:
    """The title phrase of one person: what follows the last "and" that is not inside a
    country's name ("Prime Minister of Japan and President" -> "President"; "Member of
    the Presidency of Bosnia and Herzegovina" stays whole)."""
    inside = [(m.start(), m.end()) for m in country_table().pattern.finditer(run)]
    cut = 0
    for m in re.finditer(r"\band\s+", run):
        if not any(a <= m.start() < b for a, b in inside):
            cut = m.end()
    return run[cut:]


def _role_and_country(text: str, start: int, end: int) -> tuple[str, str]:
    """The title phrase around a name: ("Prime Minister", "United Kingdom") for
    "British Prime Minister Boris Johnson" or "Boris Johnson, Prime Minister of the UK"."""
    window = text[max(0, start - 90) : start]
    window = window[max(window.rfind("\n"), window.rfind(". ")) + 1 :]  # this sentence only
    run = _RUN_BEFORE.search(window)
    before = _READOUT_WORDS.sub("", _after_last_and(run.group(0).strip())) if run else ""
    apposed = None if before else _APPOSED_BEFORE.search(window)
    counterpart = None if before else _COUNTERPART_BEFORE.search(window)
    if apposed:
        before = apposed.group(1)
    elif counterpart:  # "his Russian counterpart": the demonym says the country
        found = find_countries(counterpart.group(1) or "")
        return "counterpart", found[0] if found else ""
    after = _OF_AFTER.match(text, end) or _TITLE_AFTER.match(text, end)
    after_text = after.group(1) if after else ""
    countries = find_countries(f"{before} . {after_text}") if before or after_text else []
    role = country_table().pattern.sub(" ", _HONORIFICS.sub(" ", before))
    role = _DANGLING.sub("", " ".join(_POSSESSIVE_LEFT.sub("", role).split())).strip()
    if not role and after is not None and after.re is _TITLE_AFTER:
        role = _DANGLING.sub("", " ".join(country_table().pattern.sub(" ", after_text).split()))
    return role[:60], countries[0] if countries else ""


# "the Biden Administration's commitment", "the Putin government": a surname naming an
# administration is no person taking part.
_NOT_A_PERSON = r"(?!\s+(?:[Aa]dministration|[Gg]overnment|[Tt]eam|[Ee]ra|White\s+House)\b)"


def _principal_refs(clause: str, subject: str, date: str | None, publisher: str) -> list[str]:
    """Principals a clause names untitled ("Vladimir Putin had ...") or, in its subject,
    by office alone ("The President spoke ...", "The President of Russia received ...")."""
    out: list[str] = []
    for p in _all_principals_on(date):
        surname = name_tokens(p.name)[-1]
        if re.search(rf"(?<![\w-]){re.escape(surname)}(?![\w-])(?!['’]s\b){_NOT_A_PERSON}", clause):
            out.append(p.name)
    for p in principals_of(publisher, date):
        if any(_office_ref(m, p) for m in _bare_office(p.office).finditer(subject)):
            out.append(p.name)
    return out


@lru_cache(maxsize=8)
def _bare_office(office: str) -> re.Pattern[str]:
    vice = "" if office.startswith("Vice") else r"(?<!Vice\s)"
    words = r"\s+".join(office.split())
    return re.compile(
        rf"(?<!\bto\s)(?<!\bfor\s)(?<!\bof\s)\b[Tt]he\s+(?:(?P<adj>[A-Z][a-z]+)\s+)?{vice}{words}"
        r"(?!['’]s\b)"
        r"(?:\s+of\s+(?:the\s+)?(?P<of>[A-Z][\w.]*(?:\s+(?:of\s+)?[A-Z][\w.]*){0,3}))?"
        r"(?P<next>\s+[A-Z])?"
    )


def _office_ref(m: re.Match[str], principal: Principal) -> bool:
    """ "The President" alone, "the Russian President", or "the President of <its
    country>", with no name after."""
    if m.group("adj") and country_of_name(m.group("adj")) != principal.country:
        return False
    if m.group("of"):
        return find_countries(m.group("of")) == [principal.country]
    return m.group("next") is None


@lru_cache(maxsize=4096)
def _leaders(text: str) -> tuple[str, ...]:
    return tuple(find_leaders(text, officials=True))


def find_participants(
    clause: str,
    subject: str,
    *,
    readout_names: list[str],
    publisher: str,
    date: str | None,
    context: str = "",
    acting: str = "",
) -> list[Participant]:
    """The people a contact clause names, each once, in order of appearance.

    ``subject`` is the clause up to its verb (where "the President" means the
    publisher's principal); ``readout_names`` are the fuller names the whole readout
    gives, into which short forms are folded; ``context`` (title and body) is where a
    role or country not stated in the clause is looked for. A name followed by "'s"
    ("President Biden's Special Advisor ...") is not a participant. ``acting`` is who a
    pronoun subject stands for ("He met with ..." in a readout of someone's trip).
    """
    found: list[tuple[int, str]] = [(0, acting)] if acting else []
    for raw in _leaders(_DESIGNATE.sub(lambda m: " " * len(m.group()), clause)):
        hits = [m for m in _occurrences(raw, clause) if not _possessive(clause, m.end())]
        if hits and all(_PLACE_BEFORE.search(clause, 0, m.start()) for m in hits):
            continue  # "at the Summit in Los Angeles", "in Tokyo, Japan": where, not who
        if hits:
            found.append((hits[0].start(), _fold_into(unglue(raw, context), readout_names)))
    for m in _HONORIFIC_SURNAME.finditer(clause):  # "Mr. Finer met with ..."
        full = _fold_into(m.group(1), readout_names)
        if full != m.group(1):
            found.append((m.start(1), full))
    for at, name in _role_refs(clause, readout_names, context, publisher):
        found.append((at, name))
    for name in _principal_refs(clause, subject, date, publisher):
        hits = _occurrences(name_tokens(name)[-1], clause)
        found.append((hits[0].start() if hits else 0, name))
    found.sort()
    principals = _all_principals_on(date)
    people: list[Participant] = []
    home = publisher_country(publisher)
    for at, name in found:
        owner = next((p for p in principals if _is_principal(name, p.name)), None)
        if owner is not None:
            person = Participant(owner.name, owner.office, owner.country)
        else:
            person = describe(name, clause, context, home if at < len(subject) else "")
        if not any(same_in_readout(person.name, o.name) for o in people):
            people.append(person)
    return people


# a name written only right after "in" or "at" is where something happened
_PLACE_BEFORE = re.compile(r"\b(?:in|at)\s+(?:the\s+)?$")
# "Prime Minister-Designate Anthony Albanese": the title is "Prime Minister" (blanked out
# with spaces, so offsets stay those of the clause).
_DESIGNATE = re.compile(r"-(?:[Dd]esignate|[Ee]lect)\b")
# "the Chinese President", "the Prime Minister of Japan": a leader by office and country.
_ROLE_REF = re.compile(
    r"\b[Tt]he\s+(?:(?P<dem>[A-Z][\w-]+)\s+)?(?P<office>President|Prime\s+Minister|Chancellor"
    r"|Premier|King|Queen|Emir|Amir|Crown\s+Prince|Pope)(?!-)"
    r"(?:\s+of\s+(?:the\s+)?(?P<of>[A-Z][\w.]*(?:\s+(?:of\s+)?[A-Z][\w.]*){0,3}))?(?!['’]s\b)"
)


def _role_refs(
    clause: str, readout_names: list[str], context: str, publisher: str
) -> list[tuple[int, str]]:
    """Leaders a clause names by office and country ("spoke with the Chinese President")
    whom the readout names elsewhere ("President Xi Jinping of China"): the readout's
    person of that country holding that office (or, failing that, of that country)."""
    out: list[tuple[int, str]] = []
    home = publisher_country(publisher)
    for m in _ROLE_REF.finditer(clause):
        country = country_of_name(m.group("dem")) if m.group("dem") else None
        if country is None and m.group("of"):
            country = next(iter(find_countries(m.group("of"))), None)
        if country is None or country == home:
            continue  # "The President": the publisher's own, see _principal_refs
        office = m.group("office").split()[-1].lower()
        described = [describe(n, "", context) for n in readout_names]
        ours = [p for p in described if p.country == country]
        best = next((p for p in ours if office in p.role.lower()), ours[0] if ours else None)
        if best is not None:
            out.append((m.start(), best.name))
    return out


_HONORIFIC_SURNAME = re.compile(r"\b(?:Mr|Ms|Mrs|Dr)\.\s+([A-Z][\w’'-]+)(?!['’]s\b)")


def _possessive(text: str, end: int) -> bool:
    return text[end : end + 2] in ("'s", "’s")


def describe(name: str, clause: str, context: str, home: str = "") -> Participant:
    """A participant with the role and country stated next to the name: in the clause
    first; then in the title and body, by the full name and then by the surname; else,
    for a subject of the clause (``home`` set: the publisher's country), that country,
    since a readout names its own officials without one ("National Security Advisor Jake
    Sullivan met ...")."""
    role, country = _stated(name, clause)
    short = name_tokens(name)[-1]
    # the surname inside the whole name has the given names before it, which say nothing
    # of a country: a given name that is also a demonym ("Sberbank German Gref" is no
    # German) is blanked for the surname's search
    given = name[: name.rfind(short)] if short in name and name.rfind(short) > 0 else ""
    given = given if given.strip() and country_of_name(given.strip()) else ""
    for form in (name, short):
        if role and country:
            break
        if form is short and given:
            context = context.replace(name, " " * len(given) + name[len(given) :])
        found_role, found_country = _stated(form, context)
        role, country = role or found_role, country or found_country
    # A foreign leader can be a subject too ("President Biden and President Bolsonaro
    # met"): the title or body states their country ("President Jair Bolsonaro of
    # Brazil"); only a subject stated with none is the publisher's own official. An
    # office only one country has says it (the Pope: the Holy See, never the publisher's).
    country = country or _OFFICE_COUNTRY.get(role, "") or _unrecognised(role)
    return Participant(name, role, country or home)


_OFFICE_COUNTRY = {"Pope": "Vatican City", "Taoiseach": "Ireland", "Tánaiste": "Ireland"}
# States few recognise, which the country tables (ISO 3166) leave out, yet whose leaders
# the Kremlin reads out contacts with ("President of South Ossetia Anatoly Bibilov")
_UNRECOGNISED = re.compile(
    r"\bof\s+(?:the\s+)?(South\s+Ossetia|Abkhazia|Donetsk\s+People['’]s\s+Republic"
    r"|Lugansk\s+People['’]s\s+Republic|Luhansk\s+People['’]s\s+Republic|Transnistria)\b"
)


def _unrecognised(role: str) -> str:
    m = _UNRECOGNISED.search(role)
    return " ".join(m.group(1).split()) if m else ""


def _stated(name: str, text: str) -> tuple[str, str]:
    """The first role and the first country stated next to ``name`` in ``text``."""
    role = country = ""
    for m in _occurrences(name, text):
        found_role, found_country = _role_and_country(text, m.start(), m.end())
        role, country = role or found_role, country or found_country
        if role and country:
            break
    return role, country


_PARTICLES = frozenset(PARTICLES)
_INITIAL = re.compile(r"^\w\.(?:\w\.)*$")


def _key_tokens(name: str) -> list[str]:
    """Lower-cased words of a name without particles and initials ("R.", "Jr.")."""
    out = []
    for tok in name.replace("-", " ").split():
        if _INITIAL.match(tok) or tok.lower() in _PARTICLES or tok.lower() in ("jr.", "jr"):
            continue
        out.append(tok.lower())
    return out


def same_in_readout(a: str, b: str) -> bool:
    """Whether two names of one readout are one person ("Biden", "Joseph R. Biden")."""
    ta, tb = set(_key_tokens(a)), set(_key_tokens(b))
    return bool(ta) and bool(tb) and (ta <= tb or tb <= ta)


def _is_principal(name: str, principal: str) -> bool:
    """Whether ``name`` is the principal: same surname, and first names that agree when
    both are given ("Joe"/"Joseph"; not "Jill Biden")."""
    tokens, full = _key_tokens(name), _key_tokens(principal)
    if not tokens or tokens[-1] != full[-1]:
        return False
    return len(tokens) == 1 or tokens[0][:2] == full[0][:2]
