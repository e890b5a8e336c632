"""Content questions about the first or last contact ("What did Biden and Trudeau discuss on
their last call?"): the contacts table says which call that was, and the question is asked of
its date -- the words "last call" alone let the search pick any call of the two."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from test_contacts_table import FakeStore
from test_mixed_questions import CALLS

from readout_qa.answerers import Sentence
from readout_qa.contacts.answerer import ContactsAnswerer
from readout_qa.contacts.table import ContactsTable
from readout_qa.mixed_questions import CONTACTS, CONTENT, split_anchored, split_mixed, stream_mixed
from readout_qa.models import Answer


@pytest.fixture(scope="module")
def contacts(tmp_path_factory) -> ContactsAnswerer:
    store = FakeStore(*CALLS)  # Biden-Trudeau March 2 and 16, Biden-Scholz March 9, 2023
    table = ContactsTable(tmp_path_factory.mktemp("anchored") / "contacts.sqlite")
    table.sync(store)
    return ContactsAnswerer(lambda: table, store.bodies)


@pytest.mark.parametrize(
    ("question", "listed", "asked"),
    [
        (
            "What did Biden and Trudeau discuss on their last call?",
            "When did Biden and Trudeau last call?",
            "What did Biden and Trudeau discuss in their call on {date}?",
        ),
        (
            "What did Biden tell Trudeau at their most recent meeting?",
            "When did Biden and Trudeau last meet?",
            "What did Biden tell Trudeau in their meeting on {date}?",
        ),
        (
            "What did Biden and Trudeau talk about in their first call of 2023?",
            "When did Biden and Trudeau first call of 2023?",
            "What did Biden and Trudeau talk about in their call on {date} of 2023?",
        ),
        (
            "What did Biden and Trudeau discuss when they last spoke?",
            "When did Biden and Trudeau last speak?",
            "What did Biden and Trudeau discuss in their contact on {date}?",
        ),
    ],
)
def test_a_question_about_the_last_or_first_contact_is_asked_of_its_date(
    contacts, question, listed, asked
):
    mixed = split_anchored(question, contacts)
    assert mixed is not None and split_mixed(question, contacts) == mixed
    assert [p.kind for p in mixed.parts] == [CONTACTS, CONTENT]
    assert mixed.parts[0].asked == listed
    assert mixed.parts[1].asked == asked
    assert mixed.parts[1].written == question


@pytest.mark.parametrize(
    "question",
    [
        "What did Biden and Trudeau discuss on March 2, 2023?",  # dated already
        # the days named say which call "the first" is
        "Biden called Trudeau on March 2 and 16, 2023: what did they discuss in the first call?",
        "When did Biden and Trudeau last speak?",  # a contacts question, not content
        "What was the last thing Biden told Trudeau?",  # no contact named by its order
        "What did they discuss on their last call?",  # nobody named
        # the reader does not know "Emir": Biden's last call with anyone is not the one asked
        "What did Biden tell the Emir on their last call?",
    ],
)
def test_other_questions_are_not_anchored(contacts, question):
    assert split_anchored(question, contacts) is None


def _stream(answers: dict[str, Answer], asked: list[str]):
    def stream(question: str, history, filters, *, progress: bool = False) -> Iterator[object]:
        asked.append(question)
        if question in answers:
            answer = answers[question]
        else:  # the contacts part: the real contacts answerer's lines and contacts
            events = list(contacts_answerer.stream(question))
            outcome = events[-1]
            answer = Answer(
                question=question,
                text="".join(e.text for e in events if isinstance(e, Sentence)),
                citations=outcome.citations,
                contacts=outcome.contacts,
                answerer="contacts",
            )
        yield answer.text
        yield answer

    return stream


contacts_answerer: ContactsAnswerer


def test_the_content_part_is_asked_of_the_date_the_table_gives(contacts):
    global contacts_answerer
    contacts_answerer = contacts
    said = Answer(question="q", text="They discussed wildfire crews. [1]", answerer="extractive")
    dated = "What did Biden and Trudeau discuss in their call on March 16, 2023?"
    asked: list[str] = []
    mixed = split_anchored("What did Biden and Trudeau discuss on their last call?", contacts)
    events = list(stream_mixed(_stream({dated: said}, asked), mixed))
    final = events[-1]
    assert asked[1] == dated  # March 16, not March 2: the last of their calls
    assert [c.date for c in final.contacts] == ["2023-03-16"]
    assert final.text.endswith("They discussed wildfire crews. [2]")
    assert "".join(e for e in events[:-1] if isinstance(e, str)) == final.text


def test_no_such_contact_means_no_content_part_is_asked(contacts):
    global contacts_answerer
    contacts_answerer = contacts
    asked: list[str] = []
    mixed = split_anchored("What did Trudeau and Scholz discuss on their last call?", contacts)
    assert mixed is not None
    final = list(stream_mixed(_stream({}, asked), mixed))[-1]
    assert len(asked) == 1  # the contacts part only
    assert final.refused
    assert final.text.startswith("The readouts record no call")
    assert final.text.endswith(
        "The readouts don't say: What did Trudeau and Scholz discuss on their last call?"
    )
