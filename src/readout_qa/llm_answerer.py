"""The LLM answerer: streams a model's answer through the citation checks.

The model sees numbered passages and is asked to cite them; it is not trusted
to. Its text is cut into sentences as it streams, and only a finished sentence
that its cited passages support is released, with its final citation number.
So the numbers a user sees while streaming are the numbers of the final answer.
"""

from __future__ import annotations

from collections.abc import Iterator

from .citations import CitationBuilder, parse_markers, split_answer_sentences, strip_markers
from .llm import REFUSAL_SENTINEL, ChatLLM, LLMError, build_answer_messages
from .models import Passage


class Refused(Exception):
    """The model said the passages do not answer the question."""


def stream_checked_sentences(
    llm: ChatLLM,
    question: str,
    passages: list[Passage],
    history: list[dict],
    builder: CitationBuilder,
) -> Iterator[str]:
    """Yield checked answer sentences (with final markers) as the model writes them.

    Raises ``Refused`` when the model declines, ``LLMError`` when it fails.
    """
    messages = build_answer_messages(question, passages, history)
    buffer = ""
    released = 0  # sentences of ``buffer`` already handled
    for delta in llm.stream(messages):
        buffer += delta
        if REFUSAL_SENTINEL in buffer:
            raise Refused()
        sentences = split_answer_sentences(buffer)
        # The last sentence may still grow (or gain markers); hold it back.
        for sentence in sentences[released : max(released, len(sentences) - 1)]:
            checked = builder.add(sentence, parse_markers(sentence))
            if checked:
                yield checked
        released = max(released, len(sentences) - 1)
    if REFUSAL_SENTINEL in buffer:
        raise Refused()
    sentences = split_answer_sentences(buffer)
    for sentence in sentences[released:]:
        checked = builder.add(sentence, parse_markers(sentence))
        if checked:
            yield checked
    if not strip_markers(buffer):
        raise LLMError("the model returned an empty answer", kind="empty")
