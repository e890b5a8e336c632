"""Answers that read the question (issue 11): a sentence holding the kind of thing asked for
(a number, a date, a place) ranks above one that only shares its words, and a last part that
only names someone ("..., and with Kishida?") is asked again of that person's readout and,
unanswered there, said to be unanswered -- never answered silently with the first part's
sentence."""

from __future__ import annotations

import numpy as np
import pytest
from builders import make_passage, make_retrieval

from readout_qa.answerers.answer_type import asked_kind, holds_kind
from readout_qa.answerers.extractive import MEANING_NOTICE, ExtractiveAnswerer
from readout_qa.config import ExtractiveConfig


def rare(_term: str) -> float:
    return 8.0


def _answer(question: str, passages):
    retrieval = make_retrieval(question, passages)
    answerer = ExtractiveAnswerer(idf=rare, config=ExtractiveConfig(alternatives=False))
    selection = answerer.select(question, retrieval)
    return [c.text for c in selection.chosen], selection.unanswered


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("By how much did trade grow in 2021?", "number"),
        ("How many firefighters had been deployed?", "number"),
        ("What sum did Washington pledge?", "number"),
        ("When did Panama's new president take office?", "date"),
        ("On what date had the delegation visited New Delhi?", "date"),
        ("Where did Putin receive Macky Sall?", "place"),
        ("In which Turkish city had the ministers met?", "place"),
        # "When" opening a clause says which call, it asks for no date
        ("When Scholz visited the White House, which region did they discuss?", "name"),
        ("What did Biden and Xi agree on AI?", None),
        # a which/what before what it asks about asks for something named
        ("Which disputed isles did the alliance cover?", "name"),
        ("What model of warplane took out the object?", "name"),
        ("Which two producer clubs did they promise to work in?", "name"),
        ("What about Taiwan?", None),
    ],
)
def test_what_kind_of_thing_a_question_asks_for(question: str, kind: str | None):
    assert asked_kind(question) == kind


def test_a_place_must_be_one_the_question_does_not_name():
    question = "Where did Putin receive Macky Sall in Russia?"
    assert not holds_kind("I am happy to see you here in Russia.", "place", question)
    assert holds_kind("Putin held talks at the Bocharov Ruchei residence.", "place", question)
    assert holds_kind("Anything at all.", None, question)
    assert holds_kind("Trade grew by 87 percent.", "number")
    assert not holds_kind("Trade grew strongly.", "number")
    assert holds_kind("He took office on July 1.", "date")


def test_the_sentence_that_says_where_beats_the_one_that_only_shares_the_words():
    """Both sentences are about receiving Sall; only the second says where."""
    body = (
        "Thank you for receiving us here today, Mr President. "
        "Vladimir Putin received Macky Sall at the Bocharov Ruchei residence. "
        "The talks covered food security."
    )
    chosen, _ = _answer("Where did Putin receive Macky Sall?", [make_passage("sochi", body)])
    assert chosen[0] == "Vladimir Putin received Macky Sall at the Bocharov Ruchei residence."


def test_a_name_must_be_new_to_the_question_and_to_who_met_whom():
    question = "Which disputed isles did the new president say the alliance covers?"
    known = "President Biden spoke with Prime Minister Suga of Japan."
    assert not holds_kind("President Biden thanked Prime Minister Suga.", "name", question, known)
    assert not holds_kind("The leaders praised the alliance.", "name", question, known)
    assert holds_kind("The treaty covers the Senkaku Islands.", "name", question, known)
    assert holds_kind("A US F-22 shot down the object.", "name", question, known)


def test_the_sentence_naming_what_is_asked_beats_the_one_that_names_nothing():
    body = (
        "President Biden spoke with Prime Minister Suga of Japan. "
        "The leaders said the alliance covers new challenges. "
        "The leaders said the alliance covers the Senkaku Islands."
    )
    chosen, _ = _answer(
        "Which isles did Biden say the alliance covers?", [make_passage("suga", body)]
    )
    assert chosen[0] == "The leaders said the alliance covers the Senkaku Islands."


def test_the_sentence_with_the_number_beats_the_one_without():
    body = (
        "The leaders noted that trade grew strongly despite the pandemic. "
        "Last year, bilateral trade grew by 87 percent."
    )
    chosen, _ = _answer("By how much did trade grow?", [make_passage("talks", body)])
    assert chosen[0] == "Last year, bilateral trade grew by 87 percent."


def test_without_the_kind_asked_for_the_best_sentence_still_answers():
    """Ranked lower, never dropped: a readout may say "doubled" or "at the residence"."""
    chosen, _ = _answer(
        "By how much did trade grow?",
        [make_passage("talks", "The leaders noted that trade grew strongly. They met in June.")],
    )
    assert chosen == ["The leaders noted that trade grew strongly."]


MODI = make_passage(
    "modi",
    "President Biden spoke with Prime Minister Modi of India. "
    "They discussed semiconductors and maritime security.",
)
KISHIDA = make_passage(
    "kishida",
    "President Biden spoke with Prime Minister Kishida of Japan. "
    "They discussed maritime security at the summit in Tokyo.",
)


def test_a_part_naming_only_a_person_is_asked_of_that_persons_readout():
    """ "..., and with Kishida?": Kishida's readout says nothing of semiconductors, so that
    part is said to be unanswered instead of passing off the Modi sentence for it."""
    question = "What did Biden discuss about semiconductors with Modi, and with Kishida?"
    chosen, unanswered = _answer(question, [MODI, KISHIDA])
    assert chosen == ["They discussed semiconductors and maritime security."]
    assert unanswered == ["the same, with Kishida?"]


def test_a_part_naming_only_a_person_is_answered_from_that_persons_readout():
    question = "What did Biden discuss about maritime security with Modi, and with Kishida?"
    chosen, unanswered = _answer(question, [MODI, KISHIDA])
    assert chosen == [
        "They discussed semiconductors and maritime security.",
        "They discussed maritime security at the summit in Tokyo.",
    ]
    assert unanswered == []


def test_a_part_naming_only_a_thing_asks_about_that_thing():
    question = "What did Biden say about semiconductors to Modi, and about Tokyo?"
    chosen, unanswered = _answer(question, [MODI, KISHIDA])
    assert "They discussed maritime security at the summit in Tokyo." in chosen
    assert unanswered == []
    _, unanswered = _answer(question, [MODI])
    assert unanswered == ["the same, about Tokyo?"]


# ------------------------------------------------------------- the meaning fallback, by kind
QUAKE = [
    "President Biden called King Mohammed VI of Morocco today.",  # the opening: who
    "They reviewed the disaster response efforts.",
    "They reviewed aid to the disaster response, including $1 million allocated to relief.",
    "The leaders discussed regional security.",
    "They agreed to stay in touch.",
]


def _quake_answerer():
    vectors = {s: [0.2, 1.0] for s in QUAKE}
    vectors[QUAKE[1]] = [0.6, 1.0]  # close in meaning, no number
    vectors[QUAKE[2]] = [0.65, 1.0]  # a little closer, with the number

    def embed(texts: list[str]) -> np.ndarray:
        rows = np.asarray([vectors.get(t, [1.0, 0.0]) for t in texts], dtype=np.float32)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)

    return ExtractiveAnswerer(
        idf=rare, embed=embed, config=ExtractiveConfig(alternatives=False, min_dense=0.99)
    )


def test_by_meaning_the_sentence_with_the_number_asked_for_stands_out():
    """Two sentences about as close in meaning: for "how much", only one holds a number, so
    it stands out enough to answer (with the notice that it was matched by meaning)."""
    question = "How much cash had Washington earmarked for the quake?"
    selection = _quake_answerer().select(
        question, make_retrieval(question, [make_passage("morocco", " ".join(QUAKE))])
    )
    assert [c.text for c in selection.chosen] == [QUAKE[2]]
    assert selection.notices == [MEANING_NOTICE]


def test_by_meaning_two_sentences_about_as_close_are_a_refusal():
    question = "Which relief effort had Washington backed for the quake?"
    selection = _quake_answerer().select(
        question, make_retrieval(question, [make_passage("morocco", " ".join(QUAKE))])
    )
    assert selection.chosen == []


def test_what_one_part_asks_for_does_not_weigh_on_the_others():
    """ "How many ..., and which country ...?": the number is the first part's; the second
    part's sentence, without a number, still answers it."""
    body = (
        "The leaders discussed security in Haiti. "
        "The United States has deployed 600 firefighters to the wildfires."
    )
    question = "How many firefighters were deployed, and which country's security did they discuss?"
    chosen, unanswered = _answer(question, [make_passage("calls", body)])
    assert sorted(chosen) == sorted(body.replace(". ", ".|").split("|"))
    assert unanswered == []


def test_a_name_that_names_a_thing_is_what_is_asked_about():
    """ "the Minsk agreements": Minsk names the agreements, not who or where, so the sentence
    about them beats one that only says "agreements"."""
    body = (
        "Vladimir Putin held talks with Emmanuel Macron. "
        "These agreements provide for initiatives and progress. "
        "The Minsk agreements alone can settle the crisis."
    )
    chosen, _ = _answer(
        "Did Putin and Macron discuss the Minsk agreements?", [make_passage("talks", body)]
    )
    assert chosen[0] == "The Minsk agreements alone can settle the crisis."


def test_which_topics_asks_what_they_discussed_not_for_the_word_topics():
    """ "Which topics did they discuss?" is answered by what the readout says they discussed,
    not by a sentence that happens to say "topics"."""
    body = (
        "President Biden met Prime Minister Kishida to discuss the alliance and regional security. "
        "They agreed the alliance has never been stronger. "
        "Other topics came up at the end."
    )
    chosen, _ = _answer(
        "Which topics did Biden and Kishida discuss?", [make_passage("kishida", body)]
    )
    assert chosen[0].startswith("President Biden met Prime Minister Kishida")
