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

from .countries import canonical_country, find_countries
from .tables import load

__all__ = ["REGION_WORDS", "country_of_name", "is_region_word", "publisher_country", "seats"]

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


@lru_cache(maxsize=64)
def publisher_country(publisher: str) -> str | None:
    """The country whose government publishes a readout ("The White House", "President of
    Russia (kremlin.ru)"): its readouts are about that country even when they never name it
    ("President Biden met President Erdogan ..." is an American account), so a question's
    "Washington" or "the American leader" fits them."""
    text = (publisher or "").strip()
    if not text:
        return None
    key = text.lower().removeprefix("the ").strip()
    table = seats()
    if key in table:
        return table[key]
    for word in key.replace("(", " ").replace(")", " ").replace(".", " ").split():
        if word in table and table[word]:
            return table[word]
    found = find_countries(text)
    return found[0] if found else None
