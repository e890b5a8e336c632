"""Countries a text mentions, by rules rather than a model.

They run at ingest (over every readout) and at query time (over every question), so
they are plain precompiled regular expressions: no model download, no network, and the
same answer every time. They are tuned for diplomatic readouts, where countries appear as
names ("Belgium"), demonyms ("Belgian"), prefixes ("Sino-Belgian") and abbreviations
("U.S.", "PRC", "ROK"). The tables are data: ``data/*.json`` (see :mod:`.tables`).

Choices on ambiguous forms (documented here so callers can rely on them):

* Matching is case-sensitive: "US" is the country, "us" is a pronoun; "Turkey" is the
  country, "turkey" the bird. Forms must stand on word boundaries, so "Mali" is not found
  in "Somalia" or "normalization", nor "India" in "Indiana".
* Canonical names are friendly English ones ("Russia", "South Korea", "Iran", "Turkey",
  "Czechia"), not pycountry's formal ones; :func:`canonical_country` maps any known form
  (any case) to the canonical name, for filters typed by users.
* "Georgia" is both a country and a US state, and White House readouts use both. It counts
  as the country only when the text carries a country signal (Tbilisi, Georgian, a leader
  "of Georgia", Abkhazia/South Ossetia...) or it sits in a list next to another country;
  next to a US state name ("Alabama, Florida, Georgia") it never counts.
* "Chad" and "Jordan" are also first names ("Chad Williams, Chairman"): when directly
  followed by a capitalised word and not preceded by a preposition they are taken as a
  person, otherwise as the country.
* "Korea"/"Korean" alone mean South Korea ("Korean Peninsula"/"Korean War" mean neither).
  "Congo" alone is the Republic of the Congo (pycountry's reading); "DRC", "Congolese" and
  the long form are the Democratic Republic of the Congo.
* "American" is the United States, except in "Latin/South/North/Central American",
  "African/Asian/Native American" and similar, which are ignored. "Indian Ocean",
  "Indian Country" and "American Indian" are not India. "New Mexico", "New Jersey",
  "New England", "British Columbia" and "New South Wales" are not countries.
* "Gaza" and "West Bank" count as Palestine; "England", "Scotland", "Wales" and
  "Northern Ireland" as the United Kingdom; "Hong Kong" and "Macao" stay separate.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from .tables import load, trie_regex

__all__ = ["all_countries", "canonical_country", "find_countries", "iso_countries"]

_PREPOSITION_BEFORE = re.compile(
    r"(?:\b(?:of|in|to|and|or|with|from|for|by|between|including|visit|visited|across)|,)\s*$"
)
_CAPITALISED_NEXT = re.compile(r"\s+[A-Z][a-z]")
_LIST_GAP = re.compile(r"[\s,;]*(?:and|or)?[\s,;]*")  # "Ukraine, Georgia and Belarus"
_PARENS = re.compile(r"\s*\(.*?\)")  # "Cocos (Keeling) Islands"
_Hit = tuple[str | None, int, int]  # (canonical or None: not a country, start, end)


def _fold(text: str) -> str:
    """Strip diacritics so "Türkiye" is also matched when typed as "Turkiye"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def norm_key(text: str) -> str:
    """One spelling of apostrophes and spaces, the key of the form tables."""
    return " ".join(text.replace("’", "'").replace("`", "'").split())


def _surface_variants(form: str) -> set[str]:
    out = {form, _fold(form)}
    for f in list(out):
        if "'" in f:
            out.add(f.replace("'", "’"))
    return out


def _plural(form: str) -> str | None:
    """ "Americans", "Israelis": plurals of one-word demonyms in -an/-i, else None."""
    if " " in form or "." in form or form.isupper():
        return None
    if form.endswith(("an", "i")) and len(form) > 4:
        return form + "s"
    return None


@lru_cache(maxsize=1)
def iso_countries() -> dict[str, str]:
    """ISO 3166-1 alpha-2 code -> canonical name, for every country pycountry knows.

    The name is the override of ``data/canonical_by_alpha2.json``, else pycountry's
    ``common_name``, else its ``name``, always without a "(...)" part.
    """
    import pycountry  # imported here: building the tables is the only use

    overrides: dict[str, str] = load("canonical_by_alpha2")["names"]
    out: dict[str, str] = {}
    for country in pycountry.countries:
        name = overrides.get(country.alpha_2) or getattr(country, "common_name", None)
        out[country.alpha_2] = _PARENS.sub("", name or country.name)
    return out


def surface_forms() -> Iterator[tuple[str, str | None]]:
    """Every (form, canonical name or None) the tables give, in priority order.

    Not-country phrases come first (None), then the hand-written variants, then
    pycountry's names, so hand forms win on a clash; tests/test_entity_tables.py checks
    that no form is given to two countries, so the order never decides anything.
    """
    import pycountry

    for phrase in load("not_countries")["phrases"]:
        yield phrase, None
        if phrase.endswith("an"):
            yield phrase + "s", None  # "African Americans", "American Indians"
    for canonical, variants in load("variants")["variants"].items():
        yield canonical, canonical
        for v in variants:
            yield v, canonical
            plural = _plural(v)
            if plural:
                yield plural, canonical
    iso = iso_countries()
    for country in pycountry.countries:
        canonical = iso[country.alpha_2]
        yield canonical, canonical
        for candidate in (country.name, getattr(country, "official_name", None)):
            if candidate and "," not in candidate:  # "Korea, Republic of" is never in text
                yield _PARENS.sub("", candidate), canonical


@dataclass(frozen=True)
class _Table:
    forms: dict[str, str | None]  # surface form (normalised) -> canonical, None: not one
    lookup: dict[str, str]  # lower-cased form, alpha-2 or alpha-3 code -> canonical
    pattern: re.Pattern[str]  # finds forms and prefixes ("Sino-") in text
    trie: str  # the forms as a regex, for the leader patterns ("President of <country>")


def _forms() -> dict[str, str | None]:
    """Surface form (apostrophes and spaces normalised) -> canonical name, or None for a
    phrase that is no country; each form also without accents and with a curly quote."""
    forms: dict[str, str | None] = {}
    for form, canonical in surface_forms():
        form = form.strip()
        if form.lower().startswith("the ") and form[4:5].isupper() and canonical is not None:
            form = form[4:]  # "The Bahamas", "the State of Palestine"
        for variant in _surface_variants(form) if form else ():
            forms.setdefault(norm_key(variant), canonical)
    return forms


def _lookup(forms: dict[str, str | None]) -> dict[str, str]:
    """Lower-cased forms, canonical names (also without accents) and ISO codes -> the
    canonical name: what a user may type in a filter ("u.s.", "turkiye", "GBR")."""
    import pycountry

    lookup: dict[str, str] = {}
    for form, canonical in forms.items():
        if canonical is not None:
            lookup.setdefault(form.lower(), canonical)
    iso = iso_countries()
    canon_names = set(load("variants")["variants"]) | set(iso.values())
    for canonical in canon_names:
        lookup[canonical.lower()] = canonical
        lookup[_fold(canonical).lower()] = canonical
    for country in pycountry.countries:
        canonical = lookup.get(iso[country.alpha_2].lower())
        if canonical:
            lookup.setdefault(country.alpha_2.lower(), canonical)
            lookup.setdefault(country.alpha_3.lower(), canonical)
    return lookup


@lru_cache(maxsize=1)
def country_table() -> _Table:
    """The form table, the lookup for typed names and the matcher, built once, lazily."""
    forms = _forms()
    all_forms: set[str] = set()
    for form in forms:
        all_forms.add(form)
        if "'" in form:
            all_forms.add(form.replace("'", "’"))
    trie = trie_regex(sorted(all_forms))
    prefixes = "|".join(load("prefix_forms")["prefixes"])
    pattern = re.compile(rf"(?<!\w)(?:(?P<name>{trie})(?!\w)|(?P<prefix>{prefixes})(?=-[A-Z]))")
    return _Table(forms, _lookup(forms), pattern, trie)


def canonical_country(name: str) -> str | None:
    """Map any known form ("US", "u.s.", "Türkiye", "Korean", "GBR") to the canonical name.

    For normalising user-typed filters so they match what :func:`find_countries` stored.
    """
    lookup = country_table().lookup
    key = norm_key(name).lower()
    return lookup.get(key) or lookup.get(_fold(key))


def all_countries() -> list[str]:
    """Every canonical country name, sorted, for pick lists and validation."""
    return sorted({c for c in country_table().forms.values() if c})


@dataclass(frozen=True)
class _Rules:
    us_state_near: re.Pattern[str]
    georgia_signal: re.Pattern[str]
    first_name_countries: frozenset[str]
    prefixes: dict[str, str]


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    """The Georgia and first-name rules, compiled from ``data/*.json`` once."""
    states = load("us_states")
    near = "|".join(re.escape(s) for s in states["states"] + states["cities"])
    ambiguous = load("ambiguous_forms")
    titles = "|".join(re.escape(t) for t in ambiguous["georgia_titles"])
    signals = "|".join(re.escape(s) for s in ambiguous["georgia_signals"])
    return _Rules(
        us_state_near=re.compile(rf"(?<!\w)(?:{near})(?!\w)"),
        georgia_signal=re.compile(rf"{signals}|(?:{titles}) of Georgia"),
        first_name_countries=frozenset(ambiguous["first_name_countries"]),
        prefixes=load("prefix_forms")["prefixes"],
    )


def _georgia_is_country(text: str, start: int, end: int, neighbours: list[str | None]) -> bool:
    rules = _rules()
    window = text[max(0, start - 40) : end + 40]
    if rules.us_state_near.search(window):
        return False
    if rules.georgia_signal.search(text):
        return True
    return any(n not in (None, "United States", "Georgia") for n in neighbours)


def _list_neighbours(text: str, hits: list[_Hit], i: int) -> list[str | None]:
    """The countries (or None) of the hits next to hit ``i`` in a list ("A, B and C")."""
    _, start, end = hits[i]
    neighbours = []
    for j in (i - 1, i + 1):
        if 0 <= j < len(hits):
            a, b = (hits[j][2], start) if j < i else (end, hits[j][1])
            gap = text[a:b]
            if len(gap) <= 8 and _LIST_GAP.fullmatch(gap):
                neighbours.append(hits[j][0])
    return neighbours


def _hits(text: str) -> list[_Hit]:
    """(canonical or None, start, end) of every form in ``text``; None: not a country."""
    table, rules = country_table(), _rules()
    hits: list[_Hit] = []
    for m in table.pattern.finditer(text):
        if m.group("prefix"):
            hits.append((rules.prefixes[m.group("prefix")], m.start(), m.end()))
            continue
        surface = m.group("name")
        canonical = table.forms.get(norm_key(surface))
        if canonical in rules.first_name_countries and surface == canonical:
            before = text[max(0, m.start() - 20) : m.start()]
            if _CAPITALISED_NEXT.match(text, m.end()) and not _PREPOSITION_BEFORE.search(before):
                canonical = None  # "Chad Williams, Chairman": a person
        hits.append((canonical, m.start(), m.end()))
    return hits


def find_countries(text: str) -> list[str]:
    """Countries a text mentions, canonical names, most-mentioned first (ties: first seen).

    Used to tag readouts at ingest (for filters and boosting) and to read countries out of
    questions; see the module docstring for how ambiguous forms are resolved.
    """
    hits = _hits(text)
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for i, (canonical, start, end) in enumerate(hits):
        if canonical is None:
            continue
        is_georgia = canonical == "Georgia" and text[start:end] == "Georgia"
        if is_georgia and not _georgia_is_country(
            text, start, end, _list_neighbours(text, hits, i)
        ):
            continue
        counts[canonical] += 1
        first.setdefault(canonical, start)
    return sorted(counts, key=lambda c: (-counts[c], first[c]))
