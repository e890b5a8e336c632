"""Words as retrieval, answer selection and the citation check compare them."""

from __future__ import annotations

import pytest

from readout_qa.terms import QUESTION_WORDS, STOPWORDS, stem, terms, topic_terms, words


def test_words_are_lower_cased_tokens_of_two_letters_or_more():
    """Single letters carry nothing ("a", "I", the "x" of a list)."""
    assert words("A Biden-Xi call, I x EU") == ["biden", "xi", "call", "eu"]


def test_terms_drop_stopwords_and_stem():
    """ "The leaders discussed" and "leader discuss" are the same terms."""
    assert terms("The leaders discussed trade") == terms("leader discuss trade")
    assert "the" not in terms("The leaders discussed trade")


def test_terms_keep_order_and_duplicates():
    """BM25 needs term frequencies, so duplicates stay."""
    assert terms("trade talks and trade") == ["trade", "talk", "trade"]


@pytest.mark.parametrize("word", ["also", "would", "could", "should", "may", "might"])
def test_modal_and_filler_words_are_stopwords(word):
    """Added to bm25s's list: they appear in claims and readouts alike."""
    assert word in STOPWORDS and terms(word) == []


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("negotiations", "negotiating"),
        ("cooperation", "cooperate"),
        ("leaders", "leader"),
        ("discussed", "discussing"),
    ],
)
def test_inflections_share_a_stem(a, b):
    """A question and a readout rarely use the same form of a word."""
    assert stem(a) == stem(b)
    assert terms(a) == terms(b)


def test_topic_terms_drop_framing_words():
    """ "What did they say about X" is about X."""
    assert topic_terms("What did they say about trade?") == ["trade"]
    assert topic_terms("What did the leaders highlight regarding AI?") == ["ai"]


def test_topic_terms_are_unique_in_order():
    """Each topic term is weighed once."""
    assert topic_terms("trade tariffs and trade") == ["trade", "tariff"]


@pytest.mark.parametrize("word", ["discussed", "mention", "readout", "highlight", "meeting"])
def test_framing_words_are_question_words(word):
    """Words about readouts and saying are framing, never topics."""
    assert word in QUESTION_WORDS
    assert topic_terms(f"What about {word}?") == []


def test_terms_keep_framing_words_outside_questions():
    """In readouts and claims "discussed" is content: only topic_terms drops it."""
    assert terms("They discussed trade") == ["discuss", "trade"]
    assert topic_terms("They discussed trade") == ["trade"]


def test_numbers_are_terms():
    """Years and figures match in BM25 and the citation check."""
    assert "2023" in terms("in 2023 trade rose 20 percent")
    assert "20" in terms("in 2023 trade rose 20 percent")


def test_empty_text_has_no_terms():
    """Nothing in, nothing out."""
    assert terms("") == [] and topic_terms("") == [] and words("") == []
