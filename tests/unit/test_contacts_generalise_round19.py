"""Mechanisms behind the misses of the blind round ct-1901 ... ct-1932, each checked on
invented plain text no gold item uses: a contact noun named with its manner ("what phone
calls did X have with Y", "which bilateral meetings did X hold"), which read as no contact
question at all; an opening clause whose parenthesis holds a comma ("In the week before the
vote (June 1-7, 2023), who did X have calls or talks with?"), which hid the question after
it; and a run of days across two months written with a bare dash ("May 29-Jun 4, 2023"),
read as one month. Content questions about the same calls keep the usual path."""

from __future__ import annotations

import pytest
from test_contacts_table import KREMLIN, answer_text, contacts_answerer, kremlin_call, people_of

from readout_qa.contacts.casual import normalise
from readout_qa.contacts.people import People
from readout_qa.contacts.questions import parse_question
from readout_qa.question_routing import asks_what_was_said

SOLANO = "President of Chile Marta Solano"
VARGA = "Prime Minister of Hungary Ildiko Varga"
READOUTS = (
    kremlin_call("k-solano-1", "2023-02-14", SOLANO),
    kremlin_call("k-solano-2", "2023-05-30", SOLANO),
    (
        "k-solano-3",
        "2023-06-05",
        KREMLIN,
        f"Vladimir Putin held talks in the Kremlin with {SOLANO}. They discussed copper exports.",
    ),
    kremlin_call("k-varga-1", "2023-06-02", VARGA),
    kremlin_call("k-varga-2", "2023-06-09", VARGA),
    kremlin_call("k-varga-3", "2023-06-20", VARGA),
    # a year of earlier calls: Putin is named often enough to be read by his surname
    *(kremlin_call(f"k-2022-{m:02}", f"2022-{m:02}-10", VARGA) for m in range(1, 13)),
)


@pytest.fixture
def answerer(tmp_path):
    return contacts_answerer(tmp_path, *READOUTS)


def _people() -> People:
    return people_of(*READOUTS)


# ------------------------------------------------------------------ a contact noun with its manner


@pytest.mark.parametrize(
    ("question", "kinds"),
    [
        ("What phone calls did Putin have with Chile's president, and when?", ("phone call",)),
        ("Which telephone conversations did Putin have with Chile's president?", ("phone call",)),
        ("What video calls did Putin have with Chile's president?", ("video call",)),
        ("What in-person meetings did Putin have with Chile's president?", None),
    ],
)
def test_a_contact_noun_named_with_its_manner_asks_for_a_list(question, kinds):
    asked = parse_question(question, _people())
    assert asked is not None and asked.shape == "list", asked
    assert asked.countries == ["Chile"], asked
    if kinds is not None:
        assert asked.kinds == kinds, asked


def test_what_phone_calls_lists_each_call_with_its_date(answerer):
    question = "What phone calls did Putin have with Chile's president, and when?"
    text = answer_text(answerer, question)
    assert "Marta Solano" in text, text
    assert "February 14, 2023" in text and "May 30, 2023" in text, text
    assert "June 5, 2023" not in text, text  # talks in person are no phone call


def test_which_bilateral_meetings_did_x_hold_is_a_list():
    asked = parse_question("Which bilateral meetings did Putin hold in 2023?", _people())
    assert asked is not None and asked.shape == "list", asked
    assert (asked.since, asked.until) == ("2023-01-01", "2023-12-31"), asked


@pytest.mark.parametrize(
    "question",
    [
        "What meetings did Putin hold with Solano in 2023?",
        "Which calls did Putin make to Varga in June 2023?",
        "Who did Putin have talks with in June 2023?",
    ],
)
def test_plain_contact_nouns_still_ask_for_a_list(question):
    asked = parse_question(question, _people())
    assert asked is not None and asked.shape == "list", asked


# ------------------------------------------------------------------ when: a dated opening clause


@pytest.mark.parametrize(
    ("question", "since", "until"),
    [
        (
            "In the week before the vote (June 1-7, 2023), who did Putin have calls or talks with?",
            "2023-06-01",
            "2023-06-07",
        ),
        (
            "In the days after the summit (Jun 8 - 14, 2023), which leaders did Putin call?",
            "2023-06-08",
            "2023-06-14",
        ),
        (
            "During the crisis (2-9 June, 2023), who did Putin speak with?",
            "2023-06-02",
            "2023-06-09",
        ),
    ],
)
def test_an_opening_clause_with_a_dated_parenthesis_gives_the_window(question, since, until):
    asked = parse_question(question, _people())
    assert asked is not None and asked.shape == "list", asked
    assert (asked.since, asked.until) == (since, until), asked


def test_the_week_before_an_event_lists_only_its_days(answerer):
    question = "In the week before the vote (June 1-7, 2023), who did Putin call or meet?"
    text = answer_text(answerer, question)
    assert "Varga" in text and "June 2, 2023" in text and "June 5, 2023" in text, text
    assert "June 9, 2023" not in text and "May 30, 2023" not in text, text


# ------------------------------------------------------------------ when: across two months


@pytest.mark.parametrize(
    "question",
    [
        "Who did Putin have calls with in the week after the summit (May 29-Jun 4, 2023)?",
        "Who did Putin have calls with (May 29–June 4, 2023)?",
        "who did putin call may 29-june 4, 2023?",
    ],
)
def test_a_run_of_days_across_two_months_with_a_bare_dash(question):
    asked = parse_question(question, _people())
    assert asked is not None, asked
    assert (asked.since, asked.until) == ("2023-05-29", "2023-06-04"), asked


def test_a_dash_between_two_numbers_is_left_alone():
    assert normalise("calls on June 1-7, 2023", _people()) == "calls on June 1-7, 2023"


# ------------------------------------------------------------------ guards: what was said


@pytest.mark.parametrize(
    "question",
    [
        "What did Putin discuss in his phone calls with Chile's president?",
        "In his call with Solano (June 5, 2023), what did Putin say about copper?",
        "What was discussed in the phone calls between Putin and Solano?",
        "What topics came up in Putin's phone calls with Varga?",
    ],
)
def test_questions_about_what_was_said_in_those_calls_are_not_contact_questions(question):
    assert parse_question(question, _people()) is None or asks_what_was_said(question)


# ------------------------------------------------------------------ neighbours, found asking


@pytest.mark.parametrize(
    ("question", "kinds"),
    [
        ("What video conferences did Putin hold with Solano in 2023?", ("video call",)),
        ("What interactions did Putin have with Solano in 2023?", None),
    ],
)
def test_video_conferences_and_interactions_named_after_what_ask_for_a_list(question, kinds):
    asked = parse_question(question, _people())
    assert asked is not None and asked.shape == "list", asked
    assert asked.kinds == kinds, asked


@pytest.mark.parametrize(
    "question",
    [
        "What visits were discussed in the call between Putin and Solano?",
        "What summits did Putin and Solano agree to hold?",
    ],
)
def test_what_visits_or_summits_stay_ordinary_questions(question):
    assert parse_question(question, _people()) is None
