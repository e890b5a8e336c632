"""Questions as people type them: lower-case names, nicknames, typos, abbreviated months,
names joined by "&" or a dash, sentence-opening words that are no names."""

from __future__ import annotations

import pytest

from readout_qa.contacts.casual import normalise
from readout_qa.contacts.people import People
from readout_qa.contacts.questions import parse_question

# Each named often enough (MIN_MENTIONS) for a lower-case surname to count.
PEOPLE = People(
    [
        (n, r, c)
        for n, r, c in [
            ("Joseph R. Biden", "President", "United States"),
            ("Justin Trudeau", "Prime Minister", "Canada"),
            ("Vladimir Putin", "President", "Russia"),
            ("Alexander Lukashenko", "President", "Belarus"),
            ("Shavkat Mirziyoyev", "President", "Uzbekistan"),
            ("Benjamin Netanyahu", "Prime Minister", "Israel"),
            ("Moon Jae-in", "President", "South Korea"),
            ("Andrés Manuel López Obrador", "President", "Mexico"),
        ]
        for _ in range(25)
    ]
)


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("trudeau and biden 2021", "Trudeau and Biden 2021"),
        ("Putin & Lukashenko", "Putin and Lukashenko"),
        ("Putin–Lukashenko contacts", "Putin and Lukashenko contacts"),
        ("calls with Bibi in jan 2022", "calls with Netanyahu in January 2022"),
        ("Bibi Netanyahu", "Netanyahu"),
        ("meetings with AMLO", "meetings with López Obrador"),
        ("the 16th-31st", "the 16-31"),
        ("south korean president moon jae-in", "south korean president Moon Jae-in"),
        ("a walk on the moon", "a walk on the moon"),  # a word, not the president
        ("Prime Minister-Designate", "Prime Minister-Designate"),
    ],
)
def test_surface_forms_are_rewritten(typed, read):
    assert normalise(typed, PEOPLE) == read


@pytest.mark.parametrize(
    ("question", "shape", "names"),
    [
        (
            "trudeau and biden 2021 - every call/meeting between them that year w/ dates pls",
            "list",
            ["Trudeau", "Biden"],
        ),
        ("Putin & Mirziyoev (Uzbekistan) — every call and meeting", "list", ["Putin", "Mirziyoev"]),
        (
            "Timeline pls: Putin–Lukashenko contacts in February 2022",
            "list",
            ["Putin", "Lukashenko"],
        ),
        (
            "How often did Trudeau and Biden speak or meet in 2022? Count group calls too.",
            "count",
            ["Trudeau", "Biden"],
        ),
        ("when did biden first speak with south korean president moon jae-in", "first", None),
        (
            "In the Kremlin readouts, what's the earliest Putin–Lukashenko phone call?",
            "first",
            None,
        ),
        ("Putin's last call/meeting with Lukashenko in the readouts?", "last", None),
    ],
)
def test_casual_contact_questions_are_read(question, shape, names):
    q = parse_question(question, PEOPLE)
    assert q is not None and q.shape == shape
    if names is not None:
        assert q.names == names


def test_a_typo_in_a_surname_finds_the_person():
    [person] = PEOPLE.match("Mirziyoev")
    assert person.name == "Shavkat Mirziyoyev"
    assert PEOPLE.match("Mirzakhani") == []


def test_a_country_named_as_a_place_is_no_condition():
    q = parse_question(
        "During the Gaza fighting in May 2021, how many times did Biden phone Netanyahu?", PEOPLE
    )
    assert q is not None and q.countries == []
    q = parse_question("How many times did Biden call Trudeau and the Mexican president?", PEOPLE)
    assert q is not None and q.countries == ["Mexico"]


@pytest.mark.parametrize(
    ("question", "names", "window"),
    [
        (
            "putin lukashenko calls dec 2021-feb 2022",
            ["Putin", "Lukashenko"],
            ("2021-12-01", "2022-02-28"),
        ),
        ("biden trudeau mtgs since march 1 2022", ["Biden", "Trudeau"], ("2022-03-01", None)),
        (
            "did netanyahu and biden talk in may 2021?",
            ["Netanyahu", "Biden"],
            ("2021-05-01", "2021-05-31"),
        ),
        ("putin mirziyoyev convos w/ dates", ["Putin", "Mirziyoyev"], (None, None)),
    ],
)
def test_terse_requests_naming_people_and_a_contact_word_are_lists(question, names, window):
    q = parse_question(question, PEOPLE)
    assert q is not None and q.shape == "list"
    assert (q.names, (q.since, q.until)) == (names, window)


@pytest.mark.parametrize(
    "question",
    [
        "Which town had Ukraine's army just withdrawn from when Biden called Zelenskyy?",
        "Where did Biden meet Netanyahu in 2023?",
        "Why did Putin call Lukashenko in March 2022?",
        "Putin Lukashenko call about gas prices",
    ],
)
def test_questions_about_something_else_keep_the_usual_path(question):
    assert parse_question(question, PEOPLE) is None


def test_a_longer_surname_typed_a_letter_off_is_read_as_the_tables():
    assert normalise("putin mirziyoev calls", PEOPLE) == "Putin Mirziyoyev calls"
