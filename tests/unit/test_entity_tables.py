"""The entity tables (src/readout_qa/entities/data/*.json) agree with each other and
with pycountry: every name a table gives is a canonical country, every code exists,
no form belongs to two countries, and each deliberate exception is documented."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from importlib import resources

import pycountry
import pytest

from readout_qa.entities import all_countries, canonical_country, country_of_name
from readout_qa.entities.countries import iso_countries, norm_key, surface_forms
from readout_qa.entities.tables import TABLES, load


def _table(name: str) -> dict:
    return load(name)


def test_every_table_file_is_listed_loaded_and_documented() -> None:
    files = resources.files("readout_qa.entities").joinpath("data")
    on_disk = sorted(
        p.name.removesuffix(".json") for p in files.iterdir() if p.name.endswith(".json")
    )
    assert on_disk == sorted(TABLES)
    for name in TABLES:
        table = json.loads(files.joinpath(f"{name}.json").read_text("utf-8"))
        assert table == load(name)
        assert isinstance(table.get("about"), str) and len(table["about"]) > 40, name


def test_unknown_table_is_an_error() -> None:
    with pytest.raises(KeyError):
        load("no_such_table")


def test_alpha2_keys_exist_in_pycountry() -> None:
    codes = {c.alpha_2 for c in pycountry.countries}
    assert set(_table("canonical_by_alpha2")["names"]) <= codes


def test_alpha2_names_are_canonical_countries() -> None:
    known = set(all_countries())
    for a2, name in _table("canonical_by_alpha2")["names"].items():
        assert name in known, a2
        assert iso_countries()[a2] == name
        assert canonical_country(a2) == name


def test_canonical_names_are_one_per_iso_country() -> None:
    iso = iso_countries()
    assert len(set(iso.values())) == len(iso)  # no two codes share a name
    assert not [n for n in iso.values() if "(" in n or n.endswith(" of")]


def test_variant_countries_are_iso_countries_or_documented() -> None:
    table = _table("variants")
    iso_names = set(iso_countries().values())
    outside = table["not_in_iso_3166"]
    for canonical in table["variants"]:
        assert canonical in iso_names or canonical in outside, canonical
    for canonical, why in outside.items():
        assert canonical not in iso_names and canonical in table["variants"] and why
    assert set(all_countries()) == iso_names | set(outside)


def test_variant_forms_are_not_canonical_names_of_other_countries() -> None:
    known = set(all_countries())
    for canonical, forms in _table("variants")["variants"].items():
        for form in forms:
            assert form not in known or form == canonical, (canonical, form)


def test_no_surface_form_maps_to_two_countries() -> None:
    owners: dict[str, set[str | None]] = defaultdict(set)
    for form, canonical in surface_forms():
        form = re.sub(r"^[Tt]he (?=[A-Z])", "", form.strip())
        folded = unicodedata.normalize("NFKD", norm_key(form).lower())
        owners["".join(ch for ch in folded if not unicodedata.combining(ch))].add(canonical)
    clashes = {form: c for form, c in owners.items() if len(c) > 1}
    assert not clashes


def test_every_canonical_name_maps_to_itself() -> None:
    for name in all_countries():
        assert canonical_country(name) == name
        assert canonical_country(name.upper()) == name


def test_not_country_phrases_shadow_a_country_form() -> None:
    forms = {form for form, c in surface_forms() if c is not None}
    pattern = re.compile("|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)))
    for phrase in _table("not_countries")["phrases"]:
        assert pattern.search(phrase), f"{phrase!r} contains no country form: dead entry"
        assert canonical_country(phrase) is None


def test_seats_name_canonical_countries() -> None:
    table = _table("seats")
    known = set(all_countries())
    nulls = {seat for seat, c in table["seats"].items() if c is None}
    assert nulls == set(table["null_on_purpose"])  # every null explained, nothing else
    for seat, canonical in table["seats"].items():
        assert seat == seat.lower().strip(), seat
        assert canonical is None or canonical in known, (seat, canonical)
        assert country_of_name(seat) == canonical


def test_seats_that_are_country_forms_agree() -> None:
    for seat, canonical in _table("seats")["seats"].items():
        as_country = canonical_country(seat)
        if as_country is not None:
            assert canonical == as_country, seat  # "vatican" was "Holy See"


def test_prefix_and_ambiguous_forms_name_canonical_countries() -> None:
    known = set(all_countries())
    assert set(_table("prefix_forms")["prefixes"].values()) <= known
    ambiguous = _table("ambiguous_forms")
    assert set(ambiguous["first_name_countries"]) <= known
    assert "Georgia" in known
    states = _table("us_states")
    assert "Georgia" not in states["states"] + states["cities"]
    assert len(states["states"]) == 50 - 1  # every state but Georgia


def test_region_words_are_no_countries() -> None:
    words = _table("region_words")["words"]
    assert len(words) == len(set(words))
    for word in words:
        assert word == word.lower()
        assert country_of_name(word) is None
        assert canonical_country(word.capitalize()) is None


def test_non_name_words_are_sorted_capitalised_and_unique() -> None:
    words = _table("non_name_words")["words"]
    assert words == sorted(set(words))
    assert all(w[:1].isupper() and " " not in w for w in words)
