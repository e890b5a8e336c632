"""Mechanisms behind the misses of the blind round ct-1501 ... ct-1532, each checked on
plain text no gold item uses: days named by occasion with a year ("on Christmas Eve and
Christmas Day 2021", "Thanksgiving week 2023") or without one ("on the Fourth of July"), a
run of days with no year after it ("(November 20-26)") taking the year the question names,
"New Year" read as no person, "who did X talk to" asking for X's counterparts abroad, and
the leaders of an earlier event an opening phrase names ("Following the ... Summit led by
A, B, and C, ...") taken for participants of this one."""

from __future__ import annotations

import datetime as dt

import pytest
from test_contacts_table import WH, answer_text, contacts_answerer

from readout_qa.contacts.extract import extract_contacts
from readout_qa.contacts.named_days import find_named_days
from readout_qa.contacts.people import People
from readout_qa.contacts.questions import parse_question
from readout_qa.models import Readout

KREMLIN = "President of Russia (kremlin.ru)"

PEOPLE = People(
    [
        ("Joseph R. Biden", "President", "United States"),
        ("Vladimir Putin", "President", "Russia"),
        ("Sanna Marin", "Prime Minister", "Finland"),
        ("Jonas Gahr Støre", "Prime Minister", "Norway"),
        ("Gitanas Nausėda", "President", "Lithuania"),
    ]
    * 5
)


def parse(question: str):
    return parse_question(question, PEOPLE)


# ------------------------------------------------------------------ when


@pytest.mark.parametrize(
    ("question", "since", "until"),
    [
        ("Who did Putin call on Christmas Eve and Christmas Day 2022?", "2022-12-24", "2022-12-25"),
        ("List Biden's calls with Marin on Valentine's Day 2023.", "2023-02-14", "2023-02-14"),
        ("Did Biden call Støre on the Fourth of July 2022?", "2022-07-04", "2022-07-04"),
        ("Which leaders did Biden call during Thanksgiving week 2022?", "2022-11-21", "2022-11-27"),
        ("How many calls did Biden make on Thanksgiving 2021?", "2021-11-25", "2021-11-25"),
    ],
)
def test_a_day_named_by_occasion_with_a_year_is_those_days_not_the_year(question, since, until):
    q = parse(question)
    assert q is not None and (q.since, q.until) == (since, until), q


def test_a_fixed_day_without_a_year_is_that_day_of_any_year():
    q = parse("How many times did Biden get on the phone with a foreign leader on the 4th of July?")
    assert q is not None and q.since is None and q.until is None
    assert q.days == ((7, 4),)


@pytest.mark.parametrize(
    ("question", "since", "until"),
    [
        ("Who did Biden call during the holidays 2022 (Dec 20-28)?", "2022-12-20", "2022-12-28"),
        (
            "Which leaders did Putin meet in 2021 (from 3 to 9 November)?",
            "2021-11-03",
            "2021-11-09",
        ),
    ],
)
def test_a_run_of_days_without_a_year_takes_the_year_the_question_names(question, since, until):
    q = parse(question)
    assert q is not None and (q.since, q.until) == (since, until), q


def test_new_year_is_no_person():
    q = parse("Who did Biden call in the run-up to New Year 2023 (December 27-31)?")
    assert q is not None and q.names == ["Biden"], q
    assert (q.since, q.until) == ("2023-12-27", "2023-12-31")


def test_thanksgiving_is_the_fourth_thursday_of_november():
    (day,) = find_named_days("on Thanksgiving")
    assert day.span(2023) == (dt.date(2023, 11, 23), dt.date(2023, 11, 23))
    assert day.span(2024) == (dt.date(2024, 11, 28), dt.date(2024, 11, 28))
    assert find_named_days("the thirty-first of April") == []


# ------------------------------------------------------------------ whom


READOUTS = (
    (
        "wh-norway",
        "2023-03-14",
        WH,
        "President Biden spoke today with Prime Minister Jonas Gahr Støre of Norway. They "
        "discussed energy.",
    ),
    (
        "wh-governor",
        "2023-03-15",
        WH,
        "President Biden spoke today with Governor Tate Reeves of Mississippi to discuss the "
        "response to the tornadoes.",
    ),
)


@pytest.fixture
def answerer(tmp_path):
    return contacts_answerer(tmp_path, *READOUTS)


text_of = answer_text


def test_who_did_x_call_lists_counterparts_abroad(answerer):
    text = text_of(answerer, "Who did Biden call in March 2023?")
    assert "Støre" in text and "Reeves" not in text, text
    assert "between Joseph R. Biden and a counterpart abroad" in text  # says what it left out


def test_who_did_x_call_naming_a_home_side_lists_it(answerer):
    text = text_of(answerer, "Who did Biden call among governors in March 2023?")
    assert "Reeves" in text, text


# ------------------------------------------------------------------ reading the readouts


def names_of(body: str, publisher: str = WH) -> list[list[str]]:
    found = extract_contacts(
        Readout(doc_id="r1", title="", date="2023-03-14", source="", publisher=publisher, text=body)
    )
    return [sorted(c.participants) for c in found]


def test_leaders_of_an_earlier_event_in_an_opening_phrase_are_not_at_this_one():
    found = names_of(
        "Following the March 1, 2023 Nordic Summit of the Partnership for the North led by "
        "Prime Minister Sanna Marin of Finland, Prime Minister Jonas Gahr Støre of Norway, and "
        "President Joseph R. Biden, Jr. of the United States, National Security Advisor Jake "
        "Sullivan met with President Gitanas Nausėda of Lithuania in Vilnius."
    )
    assert found, found
    assert not any("Marin" in n or "Støre" in n for group in found for n in group), found


def test_an_opening_phrase_with_a_year_comma_is_still_an_earlier_meeting():
    found = names_of(
        "After the March 1, 2023 meeting with Prime Minister Sanna Marin, President Biden spoke "
        "with Prime Minister Jonas Gahr Støre of Norway."
    )
    assert found and all(not any("Marin" in n for n in group) for group in found), found
    assert any(any("Støre" in n for n in group) for group in found)


# ------------------------------------------------------------------ found asking as a user


@pytest.mark.parametrize(
    ("question", "since", "until"),
    [
        ("Who did Biden talk to over Easter weekend 2022?", "2022-04-15", "2022-04-18"),
        ("Who did Biden call on Memorial Day 2023?", "2023-05-29", "2023-05-29"),
        ("Which leaders did Biden call during Christmas week 2023?", "2023-12-25", "2023-12-31"),
        ("who did biden call between christmas and new year's 2022", "2022-12-25", "2022-12-31"),
        ("How many calls did Biden make the week of March 9, 2022?", "2022-03-07", "2022-03-13"),
    ],
)
def test_moving_occasions_weeks_and_the_days_between_two_occasions(question, since, until):
    q = parse(question)
    assert q is not None and (q.since, q.until) == (since, until), q
    assert q.names == ["Biden"], q  # "Memorial Day" is no person


def test_who_called_x_lists_xs_contacts():
    q = parse("Who called Biden in March 2023?")
    assert q is not None and q.shape == "list" and q.abroad
    # what was said is no list of contacts
    assert parse("Who called Biden about the tornadoes in March 2023?") is None


def test_a_place_after_in_is_no_participant():
    found = names_of(
        "Vice President Kamala Harris spoke today with Prime Minister Sanna Marin of Finland. "
        "In June, at the Summit of the Americas in Los Angeles, President Biden and the Vice "
        "President convened Caribbean leaders for an in-person meeting."
    )
    assert all(not any("Los Angeles" in n for n in group) for group in found), found


def test_the_head_of_an_international_body_holds_no_countrys_office():
    from readout_qa.contacts.answerer import _holds_offices
    from readout_qa.models import Contact

    people = People(
        [
            ("Vladimir Putin", "President", "Russia"),
            ("Emmanuel Macron", "President", "France"),
            # the readouts placed him in France (a call about France's EU presidency)
            ("Charles Michel", "President of the European Council", "France"),
        ]
        * 3
    )
    asked = parse_question("How many times did Putin speak with the French president?", people)
    assert asked is not None and asked.offices == (("France", "president"),)

    def call(other: str) -> Contact:
        return Contact("c", "2022-03-07", "phone call", ["Vladimir Putin", other])

    assert _holds_offices(call("Emmanuel Macron"), asked, people)
    assert not _holds_offices(call("Charles Michel"), asked, people)


def test_a_moving_occasion_without_a_year_is_its_days_in_every_year():
    q = parse("Which leaders did Biden call on Thanksgiving?")
    assert q is not None and q.since is None and q.until is None
    assert ("2023-11-23", "2023-11-23") in q.spans and ("2024-11-28", "2024-11-28") in q.spans
    assert not any(a <= "2023-11-24" <= b for a, b in q.spans)
    assert "Thanksgiving" in q.period


def test_a_run_of_days_across_months_without_a_year_takes_the_year_named():
    q = parse("Who did Putin call over the holidays 2021 (December 30 - January 9)?")
    assert q is not None and (q.since, q.until) == ("2021-12-30", "2022-01-09"), q
    q = parse("Who did Biden meet on his trip in 2021 (October 29 - November 2)?")
    assert q is not None and (q.since, q.until) == ("2021-10-29", "2021-11-02"), q
