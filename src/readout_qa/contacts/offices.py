"""People a contact question names by their office, not their name, and names that
only qualify something else.

"When did Lasso meet President Biden or his National Security Advisor?", "how many times
did the Vice President, the National Security Advisor or his deputy speak with Saied?":
the office stands for whoever held it, which the contacts table knows from the roles its
readouts state ("National Security Advisor Jake Sullivan"). An office is read as the
persons of the table whose usual role is that office, of the government the question is
about (the possessor's: "his", or the publisher's). Offices, not names, so it holds for
any holder the corpora name. "Zelensky's chief of staff Andriy Yermak" and "senior Biden
administration officials": the possessor and the administration's namesake describe the
person asked about, they take no part in the contacts themselves.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..entities import find_countries
from .people import People, Person

__all__ = [
    "CountryOffice",
    "OfficeRef",
    "descriptive_names",
    "find_body_offices",
    "find_country_offices",
    "find_offices",
    "government_terms",
    "government_names",
    "holds_office",
]

# the offices a question may name, and the roles of the table that hold them
_OFFICES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        r"(?:principal\s+)?deputy(?:\s+national\s+security\s+advis[eo]r)?",
        re.compile(r"^(?:Principal\s+)?Deputy\s+National\s+Security\s+Advis[eo]r$", re.I),
    ),
    (
        r"national\s+security\s+advis[eo]r|nsa",
        re.compile(r"^National\s+Security\s+Advis[eo]r$", re.I),
    ),
    (r"vice[\s-]president|vp", re.compile(r"^Vice\s+President$", re.I)),
    (r"secretary\s+of\s+state", re.compile(r"^Secretary\s+of\s+State$", re.I)),
)
_REF = re.compile(
    r"\b(?P<det>the|his|her|their|its)\s+(?:(?:u\.?s\.?|american|russian)\s+)?(?P<office>"
    + "|".join(f"(?:{o})" for o, _ in _OFFICES)
    + r")\b(?!\s+(?:(?-i:[A-Z])[\w'’-]+|of\b))",
    re.I,
)
_PRINCIPAL_DEPUTY = re.compile(r"^Principal\b", re.I)


@dataclass(frozen=True)
class OfficeRef:
    """An office named in a question and who held it, per the table."""

    start: int
    end: int
    persons: tuple[Person, ...]


def _holders(people: People, role: re.Pattern[str], home: str) -> list[Person]:
    found = [
        p
        for p in people.persons.values()
        if role.match(p.role.strip()) and (not home or p.country == home)
    ]
    principal = [p for p in found if _PRINCIPAL_DEPUTY.search(p.role)]
    found = principal or found  # "his deputy": the principal deputy when there is one
    # an aide once given the office by a garbled title ("Advisor to the Vice President
    # Phil Gordon") is named far less often than those who held it
    most = max((p.mentions for p in found), default=0)
    return [p for p in found if p.mentions * _SHARE >= most]


_SHARE = 5


def find_offices(
    q: str, people: People, home_of: dict[str, str], publisher_home: str
) -> list[OfficeRef]:
    """The offices ``q`` names without a name after them, each with its holders.

    ``home_of`` maps the names the question gives to their country (whose "his" means),
    ``publisher_home`` is the country of the readouts it asks about ("" if none)."""
    out: list[OfficeRef] = []
    for m in _REF.finditer(q):
        office = m.group("office").lower()
        role = next(r for o, r in _OFFICES if re.fullmatch(o, office, re.I))
        home = publisher_home
        if m.group("det").lower() != "the":
            before = [(q.rfind(n, 0, m.start()), c) for n, c in home_of.items()]
            before = [(at, c) for at, c in before if at >= 0 and c]
            home = max(before)[1] if before else home
        holders = _holders(people, role, home or "United States")
        if holders:
            out.append(OfficeRef(m.start(), m.end(), tuple(holders)))
    return out


# "Zelensky's chief of staff Andriy Yermak" (the "'s" may be typed or not): a few
# lower-case words naming an office, then another name
_GAP_WORDS = re.compile(r"^(?:['’]s)?\s+((?:[a-z][\w-]*\s+){1,5})$")
_OFFICE_WORD = frozenset(
    "chief head adviser advisor minister deputy envoy aide secretary ambassador diplomat"
    " spokesperson spokesman counselor counsellor staff representative".split()
)
_NOT_OFFICE = frozenset("and or with to then between vs versus".split())


def _describes_office(gap: str) -> bool:
    m = _GAP_WORDS.match(gap)
    words = m.group(1).split() if m else []
    return bool(words) and bool(_OFFICE_WORD & set(words)) and not _NOT_OFFICE & set(words)


_ADMINISTRATION = re.compile(r"^(?:['’]s)?\s+(?:administration|admin)\b", re.I)


# "Ibrahim Kalin, Erdogan's spokesman and chief adviser": after another name and a comma,
# a possessor of an office that closes the aside says who that other person is
_APPOSITIVE_OFFICE = re.compile(r"^['’]s\s+((?:[a-z][\w-]*\s+){0,5}[a-z][\w-]*)\s*(?:[,.;:?!)]|$)")
_BEFORE_APPOSITIVE = re.compile(r"([A-Z][\w.’'-]*)\s*,\s*(?:the\s+)?$")


def _describes_aside(q: str, end: int, start: int, others: list[str]) -> bool:
    m = _APPOSITIVE_OFFICE.match(q[end:])
    words = set(m.group(1).split()) if m else set()
    if not (words & _OFFICE_WORD) or words & {"with", "to", "between", "vs", "versus"}:
        return False
    before = _BEFORE_APPOSITIVE.search(q[:start])
    return bool(before) and any(o.split()[-1] == before.group(1) for o in others)


def _describes(q: str, end: int, others: list[str], start: int = -1) -> bool:
    """Whether the name ending at ``end`` describes someone: an administration's namesake,
    the possessor of an office another name holds, or of an office in an aside after
    another name."""
    if _ADMINISTRATION.match(q[end:]):
        return True
    if start >= 0 and _describes_aside(q, end, start, others):
        return True
    for other in others:
        at = q.find(other, end)
        if at > end and _describes_office(q[end:at]):
            return True
    return False


def descriptive_names(q: str, names: Iterable[str]) -> set[str]:
    """Names that only describe someone else: every time the question writes them, they
    are a possessor of another named person's office ("Zelensky's chief of staff
    Andriy Yermak") or an administration's namesake ("Biden administration officials")."""
    names = list(names)
    out: set[str] = set()
    for name in names:
        spots = [(m.start(), m.end()) for m in re.finditer(rf"\b{re.escape(name)}\b", q)]
        if not spots:
            continue
        others = [n for n in names if n != name]
        if all(_describes(q, end, others, start) for start, end in spots):
            out.add(name)
    return out


# --------------------------------------------------------------- a country's offices
# "How many times did Biden meet the President of Israel?", "Sullivan's last call with the
# Philippine national security adviser", "Japan's prime minister": the office of a country
# stands for whoever held it there; the roles of the table say who that was (Rivlin, then
# Herzog -- not the Israeli prime ministers). Each office: how questions write it, and the
# roles that hold it (titles as readouts state them, "Alternate Prime Minister",
# "Federal Chancellor", "Amir").
_NOT_DEPUTY = r"^(?!.*\b(?:Vice|Deputy|Former|Assistant)\b)"
_COUNTRY_OFFICES: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    ("vice president", r"vice[\s-]presidents?|vps?", re.compile(r"^Vice\s+President\b")),
    # "the Chinese leader", "Kuwait's rulers": anyone of that country (the answer says so)
    (
        "leader",
        r"leaders?|rulers?|leadership|monarchy|government|heads?\s+of\s+(?:state|government)",
        re.compile(r""),
    ),
    (
        "president",
        r"presidents?",
        re.compile(
            _NOT_DEPUTY + r"^(?:Interim\s+|Acting\s+|Federal\s+)?President\b(?!\s+of\s+the\s+A)"
        ),
    ),
    (
        "prime minister",
        r"prime\s+ministers?|pms?|premiers?|taoiseach",
        re.compile(
            _NOT_DEPUTY
            + r"^(?:Alternate\s+|Interim\s+|Acting\s+)?(?:Prime\b|Premier\b|Taoiseach\b)"
        ),
    ),
    (
        "chancellor",
        r"(?:federal\s+)?chancellors?",
        re.compile(_NOT_DEPUTY + r"^(?:Federal\s+)?Chancellor\b"),
    ),
    ("crown prince", r"crown\s+princes?", re.compile(r"^Crown\s+Prince\b")),
    ("emir", r"emirs?|amirs?", re.compile(r"^(?:Emir|Amir)\b")),
    (
        "king",
        r"kings?|queens?|monarchs?",
        re.compile(r"^(?:King|Queen|Emir|Amir|Sultan|Grand\s+Duke)\b"),
    ),
    (
        "national security advisor",
        # "Russia's Security Council Secretary": the role the office's pattern below reads
        r"national\s+security\s+advis[eo]rs?|nsas?|(?:national\s+)?security\s+council\s+"
        r"secretar(?:y|ies)|secretar(?:y|ies)\s+of\s+the\s+(?:national\s+)?security\s+council",
        re.compile(
            _NOT_DEPUTY
            + r"(?:.*\bNational\s+Security\s+(?:Advis[eo]r|Office\s+Director|Bureau\s+Chief)"
            r"|^Chief\s+of\s+the\s+National\s+Security\s+Bureau|^Director\s+of\s+National\s+Security"
            r"|^Secretary\s+of\s+the\s+(?:National\s+)?Security\s+Council)"
        ),
    ),
    (
        "foreign minister",
        r"foreign\s+ministers?|foreign\s+secretar(?:y|ies)|top\s+diplomats?",
        re.compile(
            _NOT_DEPUTY + r"(?:.*\bForeign\s+(?:Minister|Secretary)|.*\bMinister\s+(?:of|for)\s+"
            r"(?:Foreign|External)\s+Affairs|^Secretary\s+of\s+(?:State$|Foreign\s+Affairs))"
        ),
    ),
    (
        "defense minister",
        r"defen[cs]e\s+(?:ministers?|secretar(?:y|ies))",
        re.compile(
            _NOT_DEPUTY + r"(?:.*\bDefen[cs]e\s+(?:Minister|Secretary)|.*\bMinister\s+of\s+"
            r"(?:National\s+)?Defen[cs]e|^Secretary\s+of\s+(?:State\s+for\s+)?(?:National\s+)?"
            r"Defen[cs]e)"
        ),
    ),
)
_OFFICE_WORDS = "|".join(f"(?:{words})" for _, words, _ in _COUNTRY_OFFICES)
_COUNTRY_WORDS = r"[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,3}"
_ADJECTIVE = r"(?:(?:top|new|former|then|current|sitting|interim|acting)\s+)?"
# "the Israeli president", "Israel's president", "the Philippine national security adviser"
_COUNTRY_THEN_OFFICE = re.compile(
    rf"(?P<c>{_COUNTRY_WORDS})(?:['’]s)?\s+{_ADJECTIVE}(?i:(?P<o>{_OFFICE_WORDS}))\b"
)
# "the President of Israel", "the emir of Kuwait"
_OFFICE_OF_COUNTRY = re.compile(
    rf"(?i:\b(?P<o>{_OFFICE_WORDS})\s+(?:of|from)\s+(?:the\s+)?)(?P<c>{_COUNTRY_WORDS})"
)
# a name after the office says who it is ("Israeli President Isaac Herzog"); an office
# set aside ("not the prime minister") asks for no one
_NAME_AFTER = re.compile(r"^\s+(?:[A-Z][a-z]|[A-Z]\.)")
_SET_ASIDE = re.compile(
    r"\b(?:not|except|excluding|other\s+than|besides|rather\s+than)\s+(?:\S+\s+){0,2}$"
    # "which foreign leaders (and the UN Secretary-General) did she meet": one counterpart
    # more, not a condition on all of them
    r"|(?:\(\s*|,\s*|\b)(?:(?<=\()and|(?<=,\s)and|including|plus|as\s+well\s+as|also)"
    r"\s+(?:the\s+)?$",
    re.I,
)


@dataclass(frozen=True)
class CountryOffice:
    """An office of a country a question names instead of a person ("the President of
    Israel"): the country, the office's key, and where it is written."""

    country: str
    office: str
    start: int
    end: int


def find_country_offices(q: str) -> list[CountryOffice]:
    """The offices of a country ``q`` asks about without naming their holder."""
    out: list[CountryOffice] = []
    for pattern in (_COUNTRY_THEN_OFFICE, _OFFICE_OF_COUNTRY):
        for m in pattern.finditer(q):
            if _NAME_AFTER.match(q[m.end() :]) or _SET_ASIDE.search(
                q[max(0, m.start() - 30) : m.start()]
            ):
                continue
            countries = _countries_in(m.group("c"), pattern is _COUNTRY_THEN_OFFICE)
            if not countries:
                continue
            spans = [(m.start("o"), m.end("o"))]
            # "Saudi Arabia's king or crown prince", "the Emir or the Crown Prince of
            # Kuwait": offices listed together are of the one country
            if pattern is _COUNTRY_THEN_OFFICE:
                for more in _LISTED_AFTER.finditer(q, m.end()):
                    if more.start() != spans[-1][1]:
                        break
                    spans.append((more.start("o"), more.end("o")))
            else:
                at = m.start("o")
                while (more := _LISTED_BEFORE.search(q[:at])) is not None:
                    spans.append((more.start("o"), more.end("o")))
                    at = more.start()
            for a, b in spans:
                written = " ".join(q[a:b].lower().split())
                key = next(k for k, words, _ in _COUNTRY_OFFICES if re.fullmatch(words, written))
                found = CountryOffice(countries[0], key, min(a, m.start()), max(b, m.end()))
                if all((o.country, o.office) != (found.country, found.office) for o in out):
                    out.append(found)
    return out


_LISTED_AFTER = re.compile(
    rf"\s*(?:,\s*|\s+(?:or|and)\s+)(?:(?:the|its|their)\s+)?(?i:(?P<o>{_OFFICE_WORDS}))\b"
)
_LISTED_BEFORE = re.compile(
    rf"(?i:\b(?P<o>{_OFFICE_WORDS}))\s*(?:,\s*|\s+(?:or|and)\s+)(?:(?:the|its|their)\s+)?$"
)


# The offices of international bodies and the Holy See, named with no country ("the UN
# Secretary-General", "NATO's chief", "the Pope"): their holders are stated with no country
# or a stray one, so only the role says who held them (``CountryOffice.country`` is "").
_BODY_OFFICES: tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...] = (
    (
        "un secretary-general",
        re.compile(
            r"\b(?:(?:the\s+)?(?:UN|U\.N\.|United\s+Nations)(?:['’]s)?\s+"
            r"(?:Secretary[- ]General|chief)"
            r"|(?:the\s+)?Secretary[- ]General\s+of\s+the\s+(?:UN|U\.N\.|United\s+Nations))\b",
            re.I,
        ),
        re.compile(r"^(?:UN\s+|United\s+Nations\s+)?Secretary[- ]General$", re.I),
    ),
    (
        "nato secretary general",
        re.compile(
            r"\b(?:(?:the\s+)?NATO(?:['’]s)?\s+(?:Secretary[- ]General|chief)"
            r"|(?:the\s+)?Secretary[- ]General\s+of\s+NATO)\b",
            re.I,
        ),
        re.compile(r"NATO\s+Secretary[- ]General|^Secretary[- ]General\s+of\s+NATO", re.I),
    ),
    (
        "european commission president",
        re.compile(
            r"\b(?:(?:the\s+)?(?:European|EU)\s+Commission(?:['’]s)?\s+(?:President|chief|head)"
            r"|(?:the\s+)?President\s+of\s+the\s+European\s+Commission)\b",
            re.I,
        ),
        re.compile(
            r"European\s+Commission\s+President|President\s+of\s+the\s+European\s+Commission"
        ),
    ),
    (
        "european council president",
        re.compile(
            r"\b(?:(?:the\s+)?European\s+Council(?:['’]s)?\s+(?:President|chief|head)"
            r"|(?:the\s+)?President\s+of\s+the\s+European\s+Council)\b",
            re.I,
        ),
        re.compile(r"European\s+Council\s+President|President\s+of\s+the\s+European\s+Council"),
    ),
    (
        "pope",
        re.compile(r"\b(?:the\s+)?(?:pope|pontiff|holy\s+father)\b", re.I),
        re.compile(r"^Pope\b"),
    ),
)


# "How many times did Biden call the Emir in 2023?": a monarch's title with no country and
# no name is whoever held it anywhere (a president or a prime minister could be anyone's,
# the asker's own included, so those stay unread)
_MONARCH = re.compile(
    r"\bthe\s+(?P<o>emir|amir|king|queen|sultan|crown\s+prince|taoiseach)\b(?!\s+of\b)", re.I
)
_ONE_COUNTRY = {"taoiseach": "Ireland"}  # a title only one country's leader holds


def find_body_offices(q: str) -> list[CountryOffice]:
    """The offices of international bodies (and the Pope, and a monarch named by title
    alone) ``q`` asks about without naming their holder; their ``country`` is ""."""
    out: list[CountryOffice] = []
    for m in _MONARCH.finditer(q):
        if _NAME_AFTER.match(q[m.end() :]) or _SET_ASIDE.search(
            q[max(0, m.start() - 30) : m.start()]
        ):
            continue
        written = " ".join(m.group("o").lower().split())
        key = next(k for k, words, _ in _COUNTRY_OFFICES if re.fullmatch(words, written))
        out.append(CountryOffice(_ONE_COUNTRY.get(written, ""), key, m.start(), m.end()))
    for key, asked, _ in _BODY_OFFICES:
        for m in asked.finditer(q):
            if _NAME_AFTER.match(q[m.end() :]) or _SET_ASIDE.search(
                q[max(0, m.start() - 30) : m.start()]
            ):
                continue
            out.append(CountryOffice("", key, m.start(), m.end()))
            break
    return out


def _countries_in(words: str, last: bool) -> list[str]:
    """The country the capitalised words before (``last``) or after an office name: the
    words next to the office ("the Prime Minister of Japan", "Israel's"), longest first."""
    tokens = words.split()
    spans = (
        [tokens[k:] for k in range(len(tokens))]
        if last
        else [tokens[:k] for k in range(len(tokens), 0, -1)]
    )
    for span in spans:
        found = find_countries(" ".join(span))
        if found:
            return found[:1]
    return []


def holds_office(role: str, office: str) -> bool:
    """Whether a person stated with ``role`` holds the office ``office`` (a key of
    :func:`find_country_offices`'s answers)."""
    offices = [*_COUNTRY_OFFICES, *_BODY_OFFICES]
    pattern = next((r for k, _, r in offices if k == office), None)
    return bool(pattern and pattern.search(role.strip()))


def office_of(role: str) -> str | None:
    """The office (a key of :func:`find_country_offices`'s answers) a person stated with
    ``role`` holds, when it is one of them: "his Indian counterpart" holds the same."""
    return next(
        (
            key
            for key, _, pattern in _COUNTRY_OFFICES
            if pattern.pattern and pattern.search(role.strip())  # not "leader": anyone
        ),
        None,
    )


# ------------------------------------------------------------ a leader's government
# "Yunus and the Biden White House", "the Biden administration's calls with Lasso",
# "Putin's Kremlin": the leader's name stands for his government, whose officials (his
# national security adviser as much as himself) are the other side of the contacts
_GOVERNMENT = r"(?:White\s+House|Kremlin|[Aa]dministration|[Aa]dmin|[Gg]overnment|[Cc]abinet)"
_GOVERNMENT_AFTER = re.compile(rf"^(?:['’]s)?\s+{_GOVERNMENT}\b")
_GOVERNMENT_TAIL = re.compile(rf"\s+{_GOVERNMENT}$")


def government_names(q: str, names: Iterable[str]) -> dict[str, str]:
    """The names ``q`` writes only as a government's namesake, each with the leader's
    name within it ("Biden White House" -> "Biden", "Biden" before "administration")."""
    out: dict[str, str] = {}
    for name in names:
        tail = _GOVERNMENT_TAIL.search(name)
        if tail and tail.start() > 0:
            out[name] = name[: tail.start()]
            continue
        spots = [m.end() for m in re.finditer(rf"\b{re.escape(name)}\b", q)]
        if spots and all(_GOVERNMENT_AFTER.match(q[end:]) for end in spots):
            out[name] = name
    return out


# "during the Biden administration", "under Trump's White House", "during Biden's term",
# "Under Biden, ...": the government or the leader names a time (his term), not a side
_TERM_WORDS = rf"(?:{_GOVERNMENT}|presidency|term|tenure|time\s+in\s+office|years|era)"
_TERM = re.compile(
    r"\b(?i:during|under|throughout|in\s+the\s+course\s+of|while\s+in)\s+"
    r"(?i:the\s+(?:whole\s+|entire\s+)?|all\s+of\s+the\s+)?"
    rf"(?:[A-Z][\w.’'-]*\s+){{0,2}}[A-Z][\w.’'-]*(?:['’]s)?\s+{_TERM_WORDS}\b"
    # "Under Biden, how many ...": nobody meets "under" a leader; it is his time in office
    r"|\b[Uu]nder\s+(?:(?:President|Prime\s+Minister|PM)\s+)?(?:[A-Z][\w.’'-]*\s+)?[A-Z][\w.’'-]*"
    r"(?=\s*[,;:?]|\s*$)"
)


def government_terms(q: str) -> list[tuple[int, int]]:
    """Spans of ``q`` where a leader's government stands for its term ("during the Biden
    administration"): they say when, not with whom, so their name is no participant."""
    return [m.span() for m in _TERM.finditer(q)]
