"""Issue 11 through the real pipeline (embedded Chroma, the local MiniLM, the shipped tables):
a day no retrieved readout fits is searched for on its own, a reworded question is answered
by meaning with its notice, and a question about a readout's content is not taken for a
question about contacts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from readout_qa import ReadoutQA
from readout_qa.answerers.extractive import MEANING_NOTICE

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
NOV_9 = "2021-11-09_telephone-conversation-with-president-of-belarus-alexander-lukashenko"
NOV_19 = "2021-11-19_telephone-conversation-with-president-of-belarus-alexander-lukashenko"
OTHER = "2021-11-19_meeting-with-president-of-uzbekistan-shavkat-mirziyoyev"
HOLNESS = (
    "2022-03-30_readout-of-vice-president-harris-s-meeting-with-prime-minister-holness-of-jamaica"
)


@pytest.fixture(scope="module")
def one_readout_qa(tmp_path_factory):
    """Three readouts, and retrieval keeping the best readout only: the second call's readout
    reaches the answerer only through the search for its own day."""
    folder = tmp_path_factory.mktemp("two-calls")
    for doc_id in (NOV_9, NOV_19, OTHER):
        shutil.copy(CORPUS / f"{doc_id}.md", folder / f"{doc_id}.md")
    qa = ReadoutQA(
        data_dir=tmp_path_factory.mktemp("two-calls-index"),
        answerer="extractive",
        retrieval={"max_docs": 1},
    )
    assert qa.ingest([folder]).ok
    return qa


def test_each_part_of_a_two_call_question_is_answered_from_its_own_readout(one_readout_qa):
    question = (
        "On November 9 and November 19, 2021, what did Putin and Lukashenko discuss about"
        " refugees in the first call, and what concern about Polish border guards did they"
        " express in the second?"
    )
    searched = {p.doc_id for p in one_readout_qa.retrieve(question).passages}
    assert NOV_9 not in searched  # one search alone never shows the answerer the first call
    answer = one_readout_qa.ask(question)
    assert not answer.refused
    assert [c.doc_id for c in answer.citations] == [NOV_9, NOV_19]
    assert "refugees" in answer.text and "Polish border guards" in answer.text


def test_a_reworded_question_is_answered_by_meaning_and_says_so(sample_qa):
    """ "jabs" for vaccine doses, "Kingston" for Jamaica, "the VP" for Harris: no word of the
    answering sentence is in the question."""
    answer = sample_qa.ask(
        "How many jabs had America handed Kingston over the course of COVID, per the VP's"
        " March 2022 sit-down with its premier?"
    )
    assert not answer.refused and "618,000" in answer.text
    assert MEANING_NOTICE in answer.notices
    assert {c.doc_id for c in answer.citations} == {HOLNESS}


def test_a_question_about_what_a_call_said_is_not_a_contacts_question(sample_qa):
    """The contacts reader would take the second question for one about their calls (it
    names both leaders, a month and "last call") and only list contacts; it asks what was
    said, of the last call of the month, which the contacts table dates (November 19)."""
    contacts = sample_qa.ask("How many times did Putin speak with Lukashenko in November 2021?")
    assert contacts.answerer == "contacts" and "2 calls" in contacts.text
    question = "What concern did Putin and Lukashenko express in their last call of November 2021?"
    assert sample_qa.contacts_answerer.handles(question)
    content = sample_qa.ask(question)
    assert content.answerer == "contacts + extractive" and not content.refused
    listed, said = content.text.split("\n\n")
    assert "November 19, 2021" in listed and "Polish border guards" in said
    assert {c.doc_id for c in content.citations} == {NOV_19}


@pytest.mark.parametrize("question", ["", "   ", "??", "…!"])
def test_a_question_with_no_words_is_asked_for_again(sample_qa, question):
    """ "??" was answered with the opening lines of whatever readout ranked first."""
    answer = sample_qa.ask(question)
    assert answer.refused and not answer.citations
    assert answer.text == "Ask a question about the readouts."
