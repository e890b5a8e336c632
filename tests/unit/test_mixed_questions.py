"""Mixed questions on plain text: which questions split into a contacts part and a content
part (and which stay whole), how the content part is asked on its own, and how the two
answers compose into one (markers renumbered, contacts kept, a part unanswered said so)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from test_contacts_table import WH, FakeStore

from readout_qa.contacts.answerer import ContactsAnswerer
from readout_qa.contacts.table import ContactsTable
from readout_qa.mixed_questions import (
    CONTACTS,
    CONTENT,
    MixedQuestion,
    Part,
    compose,
    split_mixed,
    stream_mixed,
)
from readout_qa.models import Answer, Citation, Contact, ContactReadout

CALLS = [
    (
        f"wh-{day}",
        f"2023-03-{day:02d}",
        WH,
        f"President Joseph R. Biden, Jr. spoke today with {who}. The leaders discussed {topic}.",
    )
    for day, who, topic in [
        (2, "Prime Minister Justin Trudeau of Canada", "Arctic shipping lanes"),
        (9, "Chancellor Olaf Scholz of Germany", "wind turbine supply chains"),
        (16, "Prime Minister Justin Trudeau of Canada", "wildfire crews"),
    ]
]


@pytest.fixture(scope="module")
def contacts(tmp_path_factory) -> ContactsAnswerer:
    store = FakeStore(*CALLS)
    table = ContactsTable(tmp_path_factory.mktemp("mixed") / "contacts.sqlite")
    table.sync(store)
    return ContactsAnswerer(lambda: table, store.bodies)


@pytest.mark.parametrize(
    ("question", "kinds", "asked"),
    [
        (
            "Which leaders did Biden speak with in March 2023, and what did he tell Trudeau?",
            (CONTACTS, CONTENT),
            (
                "Which leaders did Biden speak with in March 2023?",
                "What did Biden tell Trudeau in March 2023?",
            ),
        ),
        (
            "How many times did Biden call Trudeau in 2023 and what did they discuss?",
            (CONTACTS, CONTENT),
            (
                "How many times did Biden call Trudeau in 2023?",
                "What did Biden and Trudeau discuss in 2023?",
            ),
        ),
        (
            "What did Biden tell Scholz about turbines, and which leaders did he call in March "
            "2023?",
            (CONTENT, CONTACTS),
            (
                "What did Biden tell Scholz about turbines in March 2023?",
                "Which leaders did Biden call in March 2023?",
            ),
        ),
        (
            "List Biden's calls with Trudeau in 2023. What did they say about wildfires on "
            "March 16, 2023?",
            (CONTACTS, CONTENT),
            (
                "List Biden's calls with Trudeau in 2023?",
                "What did Biden and Trudeau say about wildfires on March 16, 2023?",
            ),
        ),
    ],
)
def test_a_list_and_a_content_question_split_in_the_order_asked(contacts, question, kinds, asked):
    mixed = split_mixed(question, contacts)
    assert mixed is not None
    assert tuple(p.kind for p in mixed.parts) == kinds
    assert tuple(p.asked for p in mixed.parts) == asked


@pytest.mark.parametrize(
    "question",
    [
        "Which leaders did Biden speak with in March 2023?",  # a contacts question only
        "What did Biden tell Trudeau about Arctic shipping?",  # a content question only
        # a clause naming a call to ask about it, not asking for contacts
        "In the March 2, 2023 Biden-Trudeau call, what did they discuss, and what did Biden say?",
        "When Biden called Trudeau on March 2, 2023, what did they discuss?",
        # a statement, then content
        "Biden spoke with Trudeau in March 2023. What did they discuss about wildfires?",
        # two contacts questions
        "When did Biden call Trudeau in 2023, and how many times did he call Scholz?",
        "",
    ],
)
def test_questions_of_one_kind_stay_whole(contacts, question):
    assert split_mixed(question, contacts) is None


def _citation(n: int, doc: str, start: int = 0) -> Citation:
    quote = f"Quote {n}."
    return Citation(
        n, doc, f"Readout {doc}", "2023-03-02", "", WH, quote, start, start + len(quote), 1.0
    )


def _contact(doc: str) -> Contact:
    ref = ContactReadout(doc, f"Readout {doc}", "2023-03-02", WH, "", "Quote.", 0, 6)
    return Contact(f"c-{doc}", "2023-03-02", "phone call", ["A", "B"], [ref])


MIXED = MixedQuestion(
    "Which leaders did A call in March 2023, and what did he tell B?",
    (
        Part(CONTACTS, "Which leaders did A call in March 2023?", "Which leaders ...?"),
        Part(CONTENT, "what did he tell B?", "What did A tell B in March 2023?"),
    ),
)
LISTED = Answer(
    question="q1",
    text="The readouts record 2 calls:\n- one [1]\n- two [2]",
    citations=[_citation(1, "d1"), _citation(2, "d2")],
    answerer="contacts",
    contacts=[_contact("d1"), _contact("d2")],
    retrieved_doc_ids=["d1", "d2"],
)
SAID = Answer(
    question="q2",
    text="A told B about ports. [1] He also raised fishing. [2]",
    citations=[_citation(1, "d1", start=40), _citation(2, "d3")],  # another sentence of d1
    answerer="extractive",
    retrieved_doc_ids=["d1", "d3", "d4"],
)


def test_the_composed_answer_numbers_citations_on_and_keeps_the_contacts():
    answer = compose(MIXED, [LISTED, SAID])
    assert answer.text == (
        "The readouts record 2 calls:\n- one [1]\n- two [2]\n\n"
        "A told B about ports. [3] He also raised fishing. [4]"
    )
    assert [(c.n, c.doc_id) for c in answer.citations] == [
        (1, "d1"),
        (2, "d2"),
        (3, "d1"),
        (4, "d3"),
    ]
    assert answer.contacts == LISTED.contacts and not answer.refused
    assert answer.question == MIXED.question
    assert answer.retrieved_doc_ids == ["d1", "d2", "d3", "d4"]
    assert answer.answerer == "contacts + extractive"


def test_a_sentence_both_parts_cite_is_cited_once():
    # the content part quotes the very sentence the contacts part cites for the call
    said = Answer(
        question="q2",
        text="A told B about ports. [1][2] He also raised fishing. [3]",
        citations=[_citation(1, "d2"), _citation(2, "d1"), _citation(3, "d3")],
        answerer="extractive",
    )
    answer = compose(MIXED, [LISTED, said])
    assert answer.text.endswith("A told B about ports. [2][1] He also raised fishing. [3]")
    assert [(c.n, c.doc_id) for c in answer.citations] == [(1, "d1"), (2, "d2"), (3, "d3")]
    one = Answer(question="q2", text="A told B about ports. [1][1]", citations=[_citation(1, "d2")])
    assert compose(MIXED, [LISTED, one]).text.endswith("ports. [2]")
    streamed = list(
        stream_mixed(
            _stream({"Which leaders ...?": LISTED, "What did A tell B in March 2023?": said}), MIXED
        )
    )
    assert "".join(e for e in streamed[:-1] if isinstance(e, str)) == streamed[-1].text


def test_an_unanswered_content_part_is_said_and_the_list_kept():
    refused = Answer(question="q2", text="The readouts don't say.", refused=True, reason="none")
    answer = compose(MIXED, [LISTED, refused])
    assert answer.text.endswith("\n\nThe readouts don't say: what did he tell B?")
    assert len(answer.citations) == 2 and not answer.refused
    # no contact and nothing said: no answer, the table's "none" kept as the text
    none = Answer(question="q1", text="The readouts record no call between A and B.")
    answer = compose(MIXED, [none, refused])
    assert answer.refused and answer.text.startswith("The readouts record no call")


def _stream(answers: dict[str, Answer]):
    """A stand-in for ``ReadoutQA.stream``: each part's sentences, then its Answer."""

    def stream(question: str, history, filters, *, progress: bool = False) -> Iterator[object]:
        answer = answers[question]
        yield answer.text
        yield answer

    return stream


def test_the_streamed_text_is_the_composed_text():
    events = list(
        stream_mixed(
            _stream({"Which leaders ...?": LISTED, "What did A tell B in March 2023?": SAID}), MIXED
        )
    )
    final = events[-1]
    assert isinstance(final, Answer)
    assert "".join(e for e in events[:-1] if isinstance(e, str)) == final.text
    assert "[3]" in final.text and "total" in final.timings
