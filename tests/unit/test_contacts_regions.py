"""Regions and groups of countries in questions: "Latin American leaders", "Baltic heads of
state", "CSTO leaders" become a condition on a counterpart's country."""

from __future__ import annotations

import pytest

from readout_qa.contacts.answerer import _fits
from readout_qa.contacts.people import People
from readout_qa.contacts.questions import parse_question
from readout_qa.contacts.regions import REGIONS, find_region
from readout_qa.entities import canonical_country
from readout_qa.models import Contact


def test_every_country_of_the_table_is_written_as_the_entities_module_writes_it():
    for key, countries in REGIONS.items():
        for country in countries:
            assert canonical_country(country) == country, (key, country)
    assert {"Estonia", "Latvia", "Lithuania"} == REGIONS["baltic"]
    assert "Venezuela" in REGIONS["latin american"] and "Spain" not in REGIONS["latin american"]


@pytest.mark.parametrize(
    ("question", "region"),
    [
        ("Which Latin American leaders did Putin talk to in 2022?", "Latin American"),
        ("biden calls with baltic heads of state", "baltic"),
        ("Putin's meetings with CSTO leaders", "CSTO"),
        ("Which Gulf counterparts did Harris call?", "Gulf"),
        ("Biden's calls with South African President Ramaphosa", None),  # a country
        ("the Central African Republic's president", None),
        ("the European Commission President's calls", None),  # an institution
        ("Which leaders did Biden meet in Europe?", None),  # a place, not whose leaders
    ],
)
def test_a_region_or_group_before_a_word_for_leaders(question, region):
    found = find_region(question)
    assert (found[0] if found else None) == region


PEOPLE = People(
    [
        (n, r, c)
        for n, r, c in [
            ("Vladimir Putin", "President", "Russia"),
            ("Nicolás Maduro", "President", "Venezuela"),
            ("Alexander Lukashenko", "President", "Belarus"),
        ]
        for _ in range(10)
    ]
)


def contact(*names: str) -> Contact:
    return Contact(
        contact_id="c",
        date="2022-01-20",
        kind="phone call",
        participants=list(names),
        countries=[],
        place="",
        readouts=[],
    )


def test_a_region_asked_about_is_a_condition_on_the_counterparts_country():
    asked = parse_question(
        "Which Latin American leaders did Putin talk to in January 2022?", PEOPLE
    )
    assert asked is not None and asked.counterparts and asked.names == ["Putin"]
    assert asked.countries == []  # "American" is no condition on the United States
    putin = PEOPLE.match("Putin")[:1]
    assert _fits(contact("Vladimir Putin", "Nicolás Maduro"), asked, putin, PEOPLE)
    assert not _fits(contact("Vladimir Putin", "Alexander Lukashenko"), asked, putin, PEOPLE)
