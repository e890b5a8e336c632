"""The LLM answerer: streams a model's answer through the citation checks.

The model sees numbered passages and is asked to cite them; it is not trusted to.
Its text is cut into sentences as it streams, and only a finished sentence that its
cited passages support is released, with its final citation number, so the numbers
a user sees while streaming are those of the final answer. A model that fails, or
whose every sentence is unsupported, makes the outcome ``failed``: the next answerer
of the chain (extractive) answers instead, and the notice says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

from ..citations import CitationBuilder, split_answer_sentences
from ..conversation import prior_history
from ..llm_client import LLMError
from ..markers import parse_markers, strip_markers
from ..models import Passage
from ..prompts import REFUSAL_SENTINEL, render_prompt
from ..retrieval import Retrieval
from . import Event, Outcome, Sentence

#: Numbered passages a model is shown.
LLM_PASSAGES = 12

ANSWER_SYSTEM_PROMPT = "answer_system.txt"
ANSWER_USER_PROMPT = "answer_user.txt"


class ChatModel(Protocol):
    """What the answerer needs of a chat client (``llm_client.ChatLLM`` is one)."""

    name: str

    def stream(self, messages: list[dict[str, Any]]) -> Iterator[str]: ...


_PASSAGE_TAG_RE = re.compile(r"<\s*(/?)\s*(passages|question)\s*>", re.IGNORECASE)


def as_data(text: str) -> str:
    """Neutralise tags that would let a passage close the <passages> block early."""
    return _PASSAGE_TAG_RE.sub(lambda m: f"[{m.group(1)}{m.group(2).lower()}]", text)


def number_passages(passages: Sequence[Passage]) -> str:
    """``[1] (title, date)\\n<text>\\n\\n[2] ...`` -- the numbers the model must cite."""
    blocks = []
    for n, passage in enumerate(passages, start=1):
        title = " ".join((passage.title or passage.doc_id).split())
        date = " ".join(passage.date.split())
        header = f"[{n}] ({as_data(title)}, {date})" if date else f"[{n}] ({as_data(title)})"
        blocks.append(f"{header}\n{as_data(passage.text.strip())}")
    return "\n\n".join(blocks)


def build_answer_messages(
    prompts_dir: Path,
    question: str,
    passages: Sequence[Passage],
    history: Sequence[Any] | None = None,
) -> list[dict[str, str]]:
    """System prompt, the last few history turns, then the numbered passages and the question."""
    system = render_prompt(prompts_dir, ANSWER_SYSTEM_PROMPT, refusal=REFUSAL_SENTINEL)
    user = render_prompt(
        prompts_dir,
        ANSWER_USER_PROMPT,
        required=("passages", "question"),
        passages=number_passages(passages),
        question=as_data(question.strip()),
        refusal=REFUSAL_SENTINEL,
    )
    return [
        {"role": "system", "content": system},
        *prior_history(question, history),
        {"role": "user", "content": user},
    ]


class _Declined(Exception):
    """The model said the passages do not answer the question."""


def checked_sentences(deltas: Iterator[str], builder: CitationBuilder) -> Iterator[str]:
    """Checked answer sentences (with final markers) as the model's text arrives.

    A sentence is released only once the text after it holds a whole word: where a
    sentence ends can depend on the next word ("the U.S. The" ends one, "the U.S.
    Theory" does not), and a released sentence cannot be taken back. Raises
    ``_Declined`` when the model writes the refusal sentinel, ``LLMError`` when it
    fails or writes nothing."""
    buffer = ""
    released = 0  # sentences of the stable text already handled
    for delta in deltas:
        buffer += delta
        if REFUSAL_SENTINEL in buffer:
            raise _Declined()
        stable = buffer[: _last_space(buffer)]
        sentences = split_answer_sentences(stable)
        # The last sentence may still grow (or gain markers); hold it back.
        for sentence in sentences[released : max(released, len(sentences) - 1)]:
            checked = builder.add(sentence, parse_markers(sentence))
            if checked:
                yield checked
        released = max(released, len(sentences) - 1)
    if REFUSAL_SENTINEL in buffer:
        raise _Declined()
    for sentence in split_answer_sentences(buffer)[released:]:
        checked = builder.add(sentence, parse_markers(sentence))
        if checked:
            yield checked
    if not strip_markers(buffer):
        raise LLMError("the model returned an empty answer", kind="empty")


def _last_space(text: str) -> int:
    """End of the text up to its last white space: what follows may be half a word."""
    for i in range(len(text) - 1, -1, -1):
        if text[i].isspace():
            return i
    return 0


class LLMAnswerer:
    """A chat model's answer, sentence by sentence, each checked against its citations."""

    label = "LLM"

    def __init__(self, llm: ChatModel, prompts_dir: Path, max_passages: int = LLM_PASSAGES) -> None:
        self.llm = llm
        self.prompts_dir = prompts_dir
        self.max_passages = max_passages
        self.name = f"llm:{llm.name}"

    def stream(
        self, question: str, retrieval: Retrieval, history: Sequence[Any] = ()
    ) -> Iterator[Event]:
        """Checked sentences as the model writes them, then the outcome."""
        passages = retrieval.passages[: self.max_passages]
        if not passages:
            yield Outcome(declined="nothing was retrieved")
            return
        builder = CitationBuilder(passages)
        released = 0
        outcome = Outcome()
        try:
            messages = build_answer_messages(self.prompts_dir, question, passages, history)
            for sentence in checked_sentences(self.llm.stream(messages), builder):
                released += 1
                yield Sentence(sentence)
        except _Declined:
            outcome.declined = "the model found no answer in the passages"
        except LLMError as exc:
            if released:  # keep what was checked and shown; numbers must not change
                outcome.notices.append(f"The language model stopped early ({exc}).")
            else:
                outcome.notices.append(
                    f"The language model failed ({exc}); this answer was composed "
                    "extractively from the readouts instead."
                )
                outcome.failed = True
        if not released and not outcome.declined and not outcome.failed:
            outcome.notices.append(
                "No sentence of the model's answer was supported by the passages it cited; "
                "this answer was composed extractively from the readouts instead."
            )
            outcome.failed = True
        if builder.unsupported:
            outcome.notices.append(
                f"{len(builder.unsupported)} sentence(s) of the model's answer were removed "
                "because no cited passage supports them."
            )
        outcome.citations = builder.citations
        outcome.unsupported = list(builder.unsupported)
        yield outcome
