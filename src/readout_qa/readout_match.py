"""How well one readout fits who, where and when a question names.

Near-duplicate readouts abound (Biden and Xi met in 2021, 2022, 2023 and 2024), so
retrieval boosts the readouts that mention the question's people, places and dates,
and the extractive answerer refuses to quote a readout about other people or another
date. Both read the same :class:`DocMatch`, computed here from plain inputs (a
readout's words, its metadata) so that the rules can be tested without an index.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .config import RetrievalConfig
from .entities import country_of_name, is_region_word
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
    """The names of a question that a readout is checked for (not countries or regions)."""
    return list(_prepare(a).names)


@dataclass(frozen=True)
class _QuestionNames:
    """What the readout check derives from a question's names and countries: the same for
    every candidate readout, so it is worked out once per question, not once per readout."""

    key: tuple[tuple[str, ...], tuple[str, ...]]
    names: tuple[str, ...]
    people: tuple[str, ...]
    # Per name, the metadata key of the country it stands for ("Ottawa"), or None.
    name_country_keys: tuple[str | None, ...]
    country_keys: tuple[str, ...]


def _prepare(a: QueryAnalysis) -> _QuestionNames:
    key = (tuple(a.names), tuple(a.countries))
    got = a.prepared
    if isinstance(got, _QuestionNames) and got.key == key:
        return got
    names = tuple(n for n in a.names if n not in a.countries and not is_region_word(n))
    # People and places decide which readout can answer; acronyms and model names
    # ("AI", "S-400") are topics, which only steer the ranking.
    people = tuple(n for n in names if not is_topic_name(n))
    name_country_keys = tuple(
        country_key(country) if (country := country_of_name(n)) else None for n in names
    )
    got = _QuestionNames(
        key=key,
        names=names,
        people=people,
        name_country_keys=name_country_keys,
        country_keys=tuple(country_key(c) for c in a.countries),
    )
    a.prepared = got
    return got


def match_readout(
    a: QueryAnalysis, words: frozenset[str], lead: frozenset[str], meta: Mapping[str, Any]
) -> DocMatch:
    """How well a readout fits who and when the question names.

    ``words``: the readout's words (:func:`readout_qa.names.words`); ``lead``: those of
    its title and opening; ``meta``: its chunk metadata (date, country flags)."""
    q = _prepare(a)
    names, people = q.names, q.people
    found = set()
    for n, ckey in zip(names, q.name_country_keys, strict=True):
        # "Ottawa", "American": the readout's country tags
        if name_in(n, words) or (ckey and meta.get(ckey)):
            found.add(n)
    return DocMatch(
        names_found=sum(1 for n in people if n in found),
        names_total=len(people),
        countries_found=sum(1 for k in q.country_keys if meta.get(k)),
        date_fit=a.date_fits(int(meta.get("date_int", 0) or 0)),
        topics_found=sum(1 for n in names if n in found and n not in people),
        missing=tuple(n for n in people if n not in found),
        lead_found=sum(1 for n in names if name_in(n, lead)),
        people=people,
        countries_total=len(a.countries),
    )


def boost(m: DocMatch, a: QueryAnalysis, cfg: RetrievalConfig) -> float:
    """The soft who/where/when boost added to a readout's retrieval score."""
    score = cfg.name_boost * (m.names_found + m.topics_found) + cfg.lead_boost * m.lead_found
    score += cfg.country_boost * m.countries_found
    if m.date_fit is True:
        score += cfg.day_boost if a.days else cfg.date_boost
    elif m.date_fit is False:
        score -= cfg.date_penalty
    return score


def is_topic_name(name: str) -> bool:
    """ "AI", "S-400": capitalised in a question, but what it is about, not who."""
    return any(ch.isdigit() for ch in name) or is_acronym(name)
