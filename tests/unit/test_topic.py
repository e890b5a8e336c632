"""The question's topic and the ways a sentence may cover it (answerers/topic.py, thesaurus.py)."""

from __future__ import annotations

import numpy as np
from builders import make_passage, make_retrieval

from readout_qa import thesaurus
from readout_qa.answerers.extractive import ExtractiveAnswerer, select
from readout_qa.answerers.topic import Topic, make_topic, match_key, names_a_thing
from readout_qa.config import ExtractiveConfig
from readout_qa.query import analyze
from readout_qa.retrieval import exact_top_k
from readout_qa.terms import terms


def rare(_term: str) -> float:
    """Every word rare enough to count (idf 8)."""
    return 8.0


def test_thesaurus_ships_in_the_package_and_maps_everyday_words():
    """ "pontiff" is how people say what readouts call the Pope."""
    table = thesaurus.table()
    assert len(table) > 10_000
    assert "pope" in table["pontiff"]
    related = thesaurus.related(terms("holy father"))
    assert ("pope",) in related["holi"] and ("pope",) in related["father"]


def test_alternative_covers_a_word_the_readouts_lack_at_a_discount():
    topic = make_topic("What did the pontiff say?", set(), rare, present=(), min_alternative_idf=5)
    assert topic.alternatives[match_key("pontiff")]
    credit = topic.credit({"pope"}, {"pope"})
    assert credit == {match_key("pontiff"): 8.0 * topic.alternative_factor}
    assert topic.coverage({"franci"}, {"franci"}) == 0.0


def test_no_alternatives_for_words_the_readouts_use():
    """A word found in the retrieved sentences is matched as it is; no guessing."""
    topic = make_topic(
        "What did the pontiff say?", set(), rare, present={"pontif"}, min_alternative_idf=5
    )
    assert topic.alternatives == {}


def test_common_words_never_stand_in():
    """ "meet" or "head" mean too much to stand for a question's word."""
    topic = make_topic("What about the chancellor?", set(), lambda t: 1.0, (), 5.0)
    assert topic.alternatives == {}


def test_alternatives_match_whole_stems_not_six_letter_keys():
    """ "investigation" must not be covered by "investment" (both start "invest")."""
    topic = Topic({"inquir": 4.0}, {"inquir": [frozenset({"investig"})]})
    assert topic.coverage({"invest"}, {"invest"}) == 0.0
    assert topic.coverage({"invest"}, {"investig"}) > 0


def test_alternatives_can_be_switched_off():
    assert make_topic("the pontiff", set(), rare, (), None).alternatives == {}


def _pope_retrieval():
    body = (
        "President Biden met Pope Francis at the Vatican. "
        "The Pope and the President discussed migration and climate."
    )
    p = make_passage("vat", body, title="Readout of the audience with His Holiness Pope Francis")
    return make_retrieval("What did the pontiff and the President discuss?", [p])


def test_a_paraphrase_is_answered_through_the_thesaurus():
    retrieval = _pope_retrieval()
    selection = select(
        "What did the pontiff and the President discuss about migration?",
        retrieval.analysis,
        retrieval.passages,
        idf=rare,
        embed=None,
        query_vector=None,
        config=ExtractiveConfig(min_alternative_idf=5.0),
        matches={},
    )
    assert selection.chosen and "migration" in selection.chosen[0].text


def _embed_stub(table: dict[str, list[float]]):
    def embed(texts: list[str]) -> np.ndarray:
        return np.asarray([table[t] for t in texts], dtype=np.float32)

    return embed


def test_a_refusal_names_the_closest_sentences_not_as_an_answer():
    retrieval = _pope_retrieval()
    answerer = ExtractiveAnswerer(idf=rare, config=ExtractiveConfig(alternatives=False))
    found = answerer.closest("What did the President say about migration to Mars?", retrieval)
    assert found and all(p.text[s - p.start : e - p.start] for p, s, e in found)
    assert "migration" in found[0][0].text[found[0][1] : found[0][2]]


def test_a_part_no_sentence_answers_is_said_not_dropped():
    body = "The leaders agreed to extend the grain deal. They discussed energy prices."
    p = make_passage("d1", body)
    question = "What did they agree on grain, and what did they say about lunar rockets?"
    retrieval = make_retrieval(question, [p])
    answerer = ExtractiveAnswerer(idf=rare, config=ExtractiveConfig(alternatives=False))
    events = list(answerer.stream(question, retrieval, []))
    outcome = events[-1]
    assert any("grain" in e.text for e in events[:-1])
    assert any("lunar rockets" in n for n in outcome.notices)


def test_exact_top_k_is_exact_ordered_and_filtered():
    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(500, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    query = vectors[42]
    top = exact_top_k(vectors, query, 10)
    sims = vectors @ query
    assert top[0] == 42 and top == sorted(range(500), key=lambda i: -sims[i])[:10]
    mask = np.zeros(500, dtype=bool)
    mask[100:200] = True
    assert all(100 <= i < 200 for i in exact_top_k(vectors, query, 5, mask))
    assert exact_top_k(vectors, query, 5, np.zeros(500, dtype=bool)) == []
    assert analyze("x").text == "x"


def test_a_name_that_names_a_thing_is_a_topic_not_who():
    assert names_a_thing("Minsk", "Did they discuss the Minsk agreements?")
    assert names_a_thing("Paris Agreement", "What about the Paris Agreement?")
    assert names_a_thing("Normandy", "in the Normandy format")
    assert not names_a_thing("Minsk", "What did they discuss in Minsk?")
    assert not names_a_thing("Macron", "Did Putin and Macron agree?")
