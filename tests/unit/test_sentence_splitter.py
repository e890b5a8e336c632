"""Sentence splitting without importing llama-index gives llama-index's own sentences."""

from __future__ import annotations

import pytest

from readout_qa.chunking import _sentence_tokenizer

TEXTS = [
    "",
    "   ",
    "One sentence without a stop",
    "President Biden spoke with Prime Minister Trudeau. They discussed the U.S.-Canada "
    "border, e.g. trade. Mr. Blinken attended at 3 p.m. on Jan. 5.\n\nA new paragraph? Yes!",
    "“Quoted.” Then (brackets.) And 1.5 million… dots. Ends here.  ",
]


@pytest.mark.parametrize("text", TEXTS)
def test_same_sentences_as_llama_index(text):
    from llama_index.core.node_parser.text.utils import split_by_sentence_tokenizer

    assert _sentence_tokenizer()(text) == split_by_sentence_tokenizer()(text)
