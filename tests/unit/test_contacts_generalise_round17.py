"""Mechanisms behind the misses of the blind round ct-1701 ... ct-1732 (all of them
question misreadings), each checked on invented plain text no gold item uses: a range of
months typed in lower case with the year only after the last ("april to june 2023"); "the
last/first N months of <year>" (a part of the year, not a "last contact" question); a
window from a month to a day ("from May 2023 up to November 20, 2023"); a day named after
"after" with a later end ("after April 3 2023 (through June 2023)") left out of the window;
and an office named alone as the side asked about ("Which leaders did the Vice President
meet ...": whoever held it)."""

from __future__ import annotations

import pytest
from test_contacts_table import KREMLIN, WH, answer_text, contacts_answerer

from readout_qa.contacts.people import People
from readout_qa.contacts.questions import parse_question


def _kremlin(doc_id: str, date: str, verb: str) -> tuple[str, str, str, str]:
    return (
        doc_id,
        date,
        KREMLIN,
        f"Vladimir Putin {verb} President of Kyrgyzstan Sadyr Japarov. They discussed trade.",
    )


CALL = "had a telephone conversation with"
READOUTS = (
    _kremlin("k-apr", "2023-04-03", CALL),
    _kremlin("k-may", "2023-05-10", CALL),
    _kremlin("k-jun", "2023-06-20", CALL),
    _kremlin("k-oct", "2023-10-05", CALL),
    _kremlin("k-nov", "2023-11-20", CALL),
    _kremlin("k-dec", "2023-12-12", "had a meeting with"),
    (
        "w-castro",
        "2023-07-06",
        WH,
        "Vice President Kamala Harris spoke today with President Xiomara Castro of Honduras "
        "to discuss migration.",
    ),
    (
        "w-mottley",
        "2023-07-18",
        WH,
        "Vice President Kamala Harris met today with Prime Minister Mia Mottley of Barbados "
        "to discuss climate finance.",
    ),
    (
        "w-fiala",
        "2023-07-20",
        WH,
        "President Joseph R. Biden, Jr. spoke today with Prime Minister Petr Fiala of the "
        "Czech Republic.",
    ),
)


@pytest.fixture
def answerer(tmp_path):
    return contacts_answerer(tmp_path, *READOUTS)


text_of = answer_text


def months_in(text: str) -> list[str]:
    months = ("April 3", "May 10", "June 20", "October 5", "November 20", "December 12")
    return [m for m in months if m in text]


# ------------------------------------------------------------------ when


def test_a_lower_case_month_range_with_the_year_after_the_last_month(answerer):
    text = text_of(answerer, "putin japarov phone calls april to june 2023 - how many?")
    assert months_in(text) == ["April 3", "May 10", "June 20"], text
    assert "3 phone calls" in text, text


def test_the_last_three_months_of_a_year_is_october_to_december_not_a_last_contact(answerer):
    text = text_of(answerer, "Putin–Japarov contacts in the last three months of 2023: when?")
    assert months_in(text) == ["October 5", "November 20", "December 12"], text


def test_the_first_two_months_of_a_span_of_months():
    people = People([("Vladimir Putin", "President", "Russia")] * 5)
    asked = parse_question("List Putin's calls in the first two months of 2023.", people)
    assert asked is not None and (asked.since, asked.until) == ("2023-01-01", "2023-02-28")
    assert asked.shape == "list"


@pytest.mark.parametrize(
    ("question", "since", "until"),
    [
        ("Who did Putin call in the last two weeks of March 2023?", "2023-03-18", "2023-03-31"),
        ("List Putin's calls in the first three weeks of May 2023.", "2023-05-01", "2023-05-21"),
        ("List Putin's calls in the last six months of 2022.", "2022-07-01", "2022-12-31"),
        ("who did putin talk to in the first two weeks of march 2023?", "2023-03-01", "2023-03-14"),
    ],
)
def test_the_first_or_last_weeks_or_months_of_a_period(question, since, until):
    people = People([("Vladimir Putin", "President", "Russia")] * 5)
    asked = parse_question(question, people)
    assert asked is not None and (asked.since, asked.until) == (since, until)
    assert asked.shape == "list"


def test_a_window_from_a_month_up_to_a_day(answerer):
    text = text_of(
        answerer,
        "List every contact between Putin and Japarov from May 2023 up to November 20, 2023.",
    )
    assert months_in(text) == ["May 10", "June 20", "October 5", "November 20"], text


def test_a_day_after_after_is_left_out_when_a_later_end_is_named(answerer):
    question = "any putin contacts w/ japarov after april 3 2023 (through june 2023)?"
    text = text_of(answerer, question)
    assert months_in(text) == ["May 10", "June 20"], text


# ------------------------------------------------------------------ who


def test_an_office_named_alone_is_whoever_held_it(answerer):
    text = text_of(
        answerer, "Which foreign leaders did the Vice President speak with or meet in July 2023?"
    )
    assert "Castro" in text and "Mottley" in text, text
    assert "Fiala" not in text, text  # the President's call, not the Vice President's
    assert "between Kamala Harris and foreign leaders" in text, text
