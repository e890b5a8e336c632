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
        ("south korean president moon jae-in", "South Korean president Moon Jae-in"),
        ("w ireland's taoiseach in 2024", "with Ireland's taoiseach in 2024"),
        ("last call with an irish taoiseach", "last call with an Irish taoiseach"),
        ("the polish leaders", "the Polish leaders"),
        ("a great leader", "a great leader"),  # no country
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


def test_more_ways_of_asking():
    people = People(
        [
            (n, r, c)
            for n, r, c in [
                ("Joseph R. Biden", "President", "United States"),
                ("Kamala Harris", "Vice President", "United States"),
                ("Vladimir Putin", "President", "Russia"),
                ("Naftali Bennett", "Prime Minister", "Israel"),
                ("Narendra Modi", "Prime Minister", "India"),
                ("Mustafa Al-Kadhimi", "Prime Minister", "Iraq"),
                ("Mohammed Shia Al-Sudani", "Prime Minister", "Iraq"),
            ]
            for _ in range(25)
        ]
    )
    q = parse_question(
        "what was the last time putin and naftali benett spoke, per kremlin?", people
    )
    assert (q.shape, q.names) == ("last", ["Putin", "Bennett"])
    q = parse_question(
        "List Biden's calls with Iraq's prime ministers (Kadhimi, then Sudani) in 2021-2023.",
        people,
    )
    assert q.alternatives == ["Kadhimi", "Sudani"]
    q = parse_question("putin's foreign calls/meetings mar 21-31 2022 - who with?", people)
    assert (q.shape, q.counterparts, q.since, q.until) == ("list", True, "2022-03-21", "2022-03-31")
    q = parse_question(
        "How many times did Putin and Modi speak by phone between 1 February and 31 March 2022?",
        people,
    )
    assert (q.shape, q.since, q.until) == ("count", "2022-02-01", "2022-03-31")
    q = parse_question("What is the number of phone calls between Biden and Modi in 2022?", people)
    assert q.shape == "count"
    q = parse_question(
        "Trace the contacts between Modi and the Biden White House -- President Biden or Vice "
        "President Harris -- in 2023.",
        people,
    )
    assert q.alternatives == ["Biden", "Harris"] and "Modi" in q.names


@pytest.mark.parametrize(
    ("question", "shape", "names"),
    [
        ("who did putin talk to (foreign leaders) since march 1 2022?", "list", ["Putin"]),
        ("putin + lukashenko may-june 2022, how many times did they talk/meet?", "count", None),
        ("Kremlin readouts: date of the latest Putin-Lukashenko phone conversation?", "last", None),
        (
            "Between November 2021 and January 2022, how many telephone conversations did Putin "
            "hold with Lukashenko?",
            "count",
            None,
        ),
        ("What calls or meetings did Biden have with Trudeau, and on what dates?", "list", None),
        (
            "Identify every foreign leader with whom Putin held talks between February 15 and "
            "February 23, 2022.",
            "list",
            ["Putin"],
        ),
        ("biden's foreign leader calls/meetings april 2023 - who + when", "list", ["Biden"]),
        ("What was Biden's final recorded contact with Trudeau?", "last", None),
        ("Set out the sequence of Putin's exchanges with Lukashenko in 2022.", "list", None),
    ],
)
def test_further_ways_of_asking(question, shape, names):
    q = parse_question(question, PEOPLE)
    assert q is not None and q.shape == shape
    if names is not None:
        assert q.names == names
    assert q.since is None or q.since.startswith("202")


def test_names_in_parentheses_do_not_break_alternatives():
    q = parse_question(
        "Every call he had with Joe Biden (White House readouts) and with Vladimir Putin (Kremlin "
        "readouts) and Trudeau in 2022",
        PEOPLE,
    )
    assert q is not None and q.alternatives == ["Joe Biden", "Vladimir Putin"]


@pytest.mark.parametrize(
    ("question", "shape", "window"),
    [
        (
            "putin + lukashenko feb-apr 2022 how many times did they talk",
            "count",
            ("2022-02-01", "2022-04-30"),
        ),
        (
            "biden moon jae-in 2021 how many calls or meetings?",
            "count",
            ("2021-01-01", "2021-12-31"),
        ),
        (
            "After Russia launched its operation on February 24, 2022, when did Putin first speak "
            "with Lukashenko?",
            "first",
            ("2022-02-24", None),
        ),
        (
            "Last time Putin spoke to Lukashenko before the start of the operation on 24 Feb 2022?",
            "last",
            (None, "2022-02-23"),
        ),
        ("trudeau and biden - when did they last meet?", "last", (None, None)),
    ],
)
def test_ranges_openers_and_trailing_counts(question, shape, window):
    q = parse_question(question, PEOPLE)
    assert q is not None and (q.shape, (q.since, q.until)) == (shape, window)


def test_a_full_name_in_lower_case_is_the_person_even_when_its_words_are_words():
    people = People(
        [
            ("Liz Truss", "Prime Minister", "United Kingdom"),
            ("Moon Jae-in", "President", "South Korea"),
        ]
    )
    assert (
        normalise("biden + liz truss, sept-oct 2022", people)
        == "biden and Liz Truss, September-October 2022"
    )
    assert normalise("a truss bridge on the moon", people) == "a truss bridge on the moon"
