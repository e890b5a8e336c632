"""How well one readout fits who, where and when a question names.

Near-duplicate readouts abound (Biden and Xi met in 2021, 2022, 2023 and 2024), so
retrieval boosts the readouts that mention the question's people, places and dates,
and the extractive answerer refuses to quote a readout about other people or another
date. Both read the same :class:`DocMatch`, computed here from plain inputs (a
readout's words, its metadata) so that the rules can be tested without an index.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .config import RetrievalConfig
from .entities import country_of_name, find_countries, is_region_word, publisher_country
from .entities.tables import load as load_table
from .filtering import country_key
from .names import is_acronym, name_in
from .query import QueryAnalysis


@dataclass
class DocMatch:
    """Who/when evidence for one readout; the answerer uses it to judge eligibility."""

    names_found: int
    names_total: int
    countries_found: int
    date_fit: bool | None
    topics_found: int = 0
    lead_found: int = 0  # names in the title or opening lines: who met where
    venues_lead: int = 0  # venues of the question ("at Woodside") in the title or opening
    venues_found: int = 0  # ... anywhere in the readout
    people_lead: int = 0  # the question's people named in the title or first sentence

    missing: tuple[str, ...] = ()  # names of the question this readout does not mention
    people: tuple[str, ...] = ()  # the names of the question a readout must mention
    countries_total: int = 0

    def eligible(self, found_elsewhere: set[str]) -> bool:
        """Can this readout answer, given who, where and when the question names?

        One or two names: the readout must mention each. Three or more (a question
        spanning readouts, "Bolsonaro met Putin ... and Biden ..."): it must mention
        two, and each missing name must be mentioned by another retrieved readout.
        A question naming only countries needs a readout about one of them.
        """
        if self.date_fit is False:
            return False
        if self.countries_total and not self.countries_found and not self.names_found:
            return False
        if self.names_total <= 2:
            return self.names_found == self.names_total
        return self.names_found >= 2 and all(n in found_elsewhere for n in self.missing)


def question_names(a: QueryAnalysis) -> list[str]:
    """The names of a question that a readout is checked for (not countries or regions).

    Compounds are taken apart: "Moscow-Kyiv negotiations" names Moscow and Kyiv, and a
    compound with a lower-case part ("Nazi-era", "Kremlin-backed") describes, it names no
    one a readout must mention."""
    return list(_prepare(a).names)


def _names_of(a: QueryAnalysis) -> tuple[str, ...]:
    out: list[str] = []
    for n in a.names:
        if n in a.countries or is_region_word(n):
            continue
        n = _without_titles(n)
        if not n:
            continue
        parts = n.split("-") if "-" in n and " " not in n else [n]
        if any(ch.isdigit() for ch in n):  # "COVID-19", "S-400": one topic name
            parts = [n]
        elif len(parts) > 1 and not all(p[:1].isupper() for p in parts):
            continue
        for part in parts:
            keep = len(part) > 1 and part not in a.countries and not is_region_word(part)
            if keep and part not in out:
                out.append(part)
    return tuple(out)


VENUE_CUE = re.compile(r"\b(?:at|in)\s+(?:the\s+)?$", re.IGNORECASE)


def question_countries(a: QueryAnalysis) -> list[str]:
    """Every country a question names: by name or demonym, and through its names' capitals
    and seats ("Bangui's leader", "the Kremlin chief")."""
    named = [c for c in _prepare(a).name_countries if c]
    return list(dict.fromkeys([*a.countries, *named]))


def question_venues(a: QueryAnalysis) -> list[str]:
    """Names the question puts after "at" or "in" ("at Woodside", "in Bali", "at the G20")
    that are not countries: where the encounter took place. A readout that names the venue
    in its title or opening is about that encounter; one that names it further down only
    recalls it ("since their meeting in Woodside")."""
    return list(_prepare(a).venues)


def _venues_of(a: QueryAnalysis) -> tuple[str, ...]:
    out = []
    for n in a.names:
        # A capital after "in" is where they met ("in Vienna"), though it stands for its
        # government elsewhere ("Canberra's position"); a country's own name is no venue.
        if n in a.countries or find_countries(n) or is_region_word(n):
            continue
        for m in re.finditer(re.escape(n), a.text):
            if VENUE_CUE.search(a.text[max(0, m.start() - 12) : m.start()]):
                out.append(n)
                break
    return tuple(out)


NON_NAME_WORDS = frozenset(load_table("non_name_words")["words"])
TITLE_WORDS = frozenset(
    """President Prime Minister Vice Chancellor King Queen Premier Emir Amir Sheikh Crown Prince
    Princess Pope General Secretary Federal His Her Majesty Holiness Royal Highness Sultan
    Chairman Chairwoman Chairperson Chair Senator Governor Mayor Speaker Ambassador Foreign
    Defense Defence State National Security Advisor Adviser Deputy Acting First Lady Mr Mrs Ms Dr
    Taoiseach Chief Executive Supreme Leader""".split()
)


def _without_titles(name: str) -> str:
    """ "Australian Prime Minister Scott Morrison" -> "Scott Morrison": titles and demonyms
    before a person's name are not the name (else "Prime Minister" alone would match every
    prime minister's readout). A name of titles only ("Prime Minister") is no name; other
    names ("East Asia Summit") stay whole."""
    tokens = name.split()
    if len(tokens) < 2:
        return "" if name in TITLE_WORDS else name  # "Secretary" (of State Blinken)
    i = 0
    # find_countries, not country_of_name: "Li" (Keqiang) is also Liechtenstein's ISO code
    while i < len(tokens) and (tokens[i] in TITLE_WORDS or find_countries(tokens[i])):
        i += 1
    if i == 0:
        return name
    if i == len(tokens):
        return "" if all(t in TITLE_WORDS for t in tokens) else name
    rest = tokens[i:]
    # "Supreme State Council", "National Security Council": an institution, not a titled person
    if any(t in NON_NAME_WORDS for t in rest):
        return name
    return " ".join(rest)


# Honorifics that stand for one person in the readouts' years, as analysts write them: the
# readouts write "His Holiness Pope Francis", never "the Holy Father".
HONORIFICS: dict[str, tuple[str, ...]] = {
    "Holy Father": ("Pope", "Holiness", "Pontiff"),
    "Pontiff": ("Pope", "Holiness"),
    "His Holiness": ("Pope",),
}


def honorific_in(name: str, words: frozenset[str]) -> bool:
    """Whether a readout's ``words`` name whom the honorific ``name`` stands for (callers ask
    only for honorifics: the check runs per name and readout)."""
    return any(name_in(f, words) for f in HONORIFICS[name])


@dataclass(frozen=True)
class _QuestionNames:
    """What the readout check derives from a question's names and countries: the same for
    every candidate readout, so it is worked out once per question, not once per readout."""

    key: tuple[tuple[str, ...], tuple[str, ...]]
    names: tuple[str, ...]
    people: tuple[str, ...]
    # Per name, the country it stands for ("Ottawa") and its metadata key, or None.
    name_countries: tuple[str | None, ...]
    name_country_keys: tuple[str | None, ...]
    country_keys: tuple[str, ...]
    venues: tuple[str, ...]


def _prepare(a: QueryAnalysis) -> _QuestionNames:
    key = (tuple(a.names), tuple(a.countries))
    got = a.prepared
    if isinstance(got, _QuestionNames) and got.key == key:
        return got
    names = _names_of(a)
    # People and places decide which readout can answer; acronyms and model names
    # ("AI", "S-400") are topics, which only steer the ranking.
    people = tuple(n for n in names if not is_topic_name(n))
    name_countries = tuple(country_of_name(n) for n in names)
    got = _QuestionNames(
        key=key,
        names=names,
        people=people,
        name_countries=name_countries,
        name_country_keys=tuple(country_key(c) if c else None for c in name_countries),
        country_keys=tuple(country_key(c) for c in a.countries),
        venues=_venues_of(a),
    )
    a.prepared = got
    return got


def match_readout(
    a: QueryAnalysis,
    words: frozenset[str],
    lead: frozenset[str],
    meta: Mapping[str, Any],
    first: frozenset[str] | None = None,
) -> DocMatch:
    """How well a readout fits who and when the question names.

    ``words``: the readout's words (:func:`readout_qa.names.words`); ``lead``: those of
    its title and opening; ``meta``: its chunk metadata (date, country flags)."""
    q = _prepare(a)
    names, people = q.names, q.people
    # A government's readout is about its own country even when it never names it
    # ("President Biden met President Erdogan ..." is the American account).
    own = publisher_country(str(meta.get("publisher", ""))) if "publisher" in meta else None
    found = set()
    for n, country, ckey in zip(names, q.name_countries, q.name_country_keys, strict=True):
        # "Ottawa", "American": the readout's country tags
        if (
            name_in(n, words)
            or (n in HONORIFICS and honorific_in(n, words))
            or (ckey and (meta.get(ckey) or own == country))
        ):
            found.add(n)
    first = lead if first is None else first

    def opens_with(n: str, country: str | None, opening: frozenset[str]) -> bool:
        # "Bangui's leader": a readout whose title says "Central African Republic", or
        # the publisher's own side ("the Kremlin chief" in a Kremlin readout)
        return (
            name_in(n, opening)
            or (n in HONORIFICS and honorific_in(n, opening))
            or bool(country and (own == country or name_in(country, opening)))
        )

    return DocMatch(
        names_found=sum(1 for n in people if n in found),
        names_total=len(people),
        countries_found=sum(1 for k in q.country_keys if meta.get(k)),
        date_fit=a.date_fits(int(meta.get("date_int", 0) or 0)),
        topics_found=sum(1 for n in names if n in found and n not in people),
        missing=tuple(n for n in people if n not in found),
        lead_found=sum(
            1 for n, c in zip(names, q.name_countries, strict=True) if opens_with(n, c, lead)
        ),
        venues_lead=sum(1 for v in q.venues if name_in(v, lead)),
        people_lead=sum(
            1
            for n, c in zip(names, q.name_countries, strict=True)
            if n in people and opens_with(n, c, first)
        ),
        venues_found=sum(1 for v in q.venues if name_in(v, words)),
        people=people,
        countries_total=len(a.countries),
    )


def boost(m: DocMatch, a: QueryAnalysis, cfg: RetrievalConfig) -> float:
    """The soft who/where/when boost added to a readout's retrieval score."""
    score = cfg.name_boost * (m.names_found + m.topics_found) + cfg.lead_boost * m.lead_found
    score += cfg.country_boost * m.countries_found
    if m.date_fit is True:
        score += cfg.day_boost if a.days or a.month_days else cfg.date_boost
    elif m.date_fit is False:
        score -= cfg.date_penalty
    return score


def is_topic_name(name: str) -> bool:
    """ "AI", "S-400": capitalised in a question, but what it is about, not who."""
    return any(ch.isdigit() for ch in name) or is_acronym(name)
