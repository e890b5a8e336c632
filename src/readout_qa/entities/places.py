"""Places that stand for a country, and region words that stand for none.

Analysts and questions name a country by its capital or seat of government ("Ottawa's
head of government", "Moscow required ...", "the Kremlin"): metonyms, not places
visited, so a question about "Ottawa" is matched against readouts tagged Canada.
Region adjectives ("his European counterpart") name no one in particular and must not
be taken for a person or a country. Both tables are data: ``data/seats.json`` and
``data/region_words.json``.
"""

from __future__ import annotations

from functools import lru_cache

from .countries import canonical_country
from .tables import load

__all__ = ["REGION_WORDS", "country_of_name", "is_region_word", "seats"]

REGION_WORDS: frozenset[str] = frozenset(load("region_words")["words"])


@lru_cache(maxsize=1)
def seats() -> dict[str, str | None]:
    """Lower-cased capital or seat -> canonical country; None on purpose (documented in
    ``data/seats.json``: a summit venue such as Lima stands for no country)."""
    return dict(load("seats")["seats"])


def country_of_name(name: str) -> str | None:
    """The country a name stands for: itself, a demonym, or a capital ("Ottawa")."""
    key = name.strip().lower()
    table = seats()
    if key in table:
        return table[key]
    return canonical_country(name)


def is_region_word(name: str) -> bool:
    """Whether a name is a region adjective ("European"), which names no one."""
    return name.strip().lower() in REGION_WORDS
