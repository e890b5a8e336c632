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
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

from ..citations import SUPPORT_THRESHOLD, CitationBuilder, split_answer_sentences, support
from ..conversation import prior_history
from ..llm_client import LLMError
from ..markers import parse_markers, strip_markers
from ..models import Passage
from ..prompts import REFUSAL_SENTINEL, render_prompt
from ..retrieval import Retrieval
from . import Event, Outcome, Progress, Sentence
from .model_text import ModelTextReport, answer_text, claim, visible_text

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
    """The model said the passages do not answer the question (or the rest of it)."""


def checked_sentences(
    deltas: Iterator[str], builder: CitationBuilder, report: ModelTextReport | None = None
) -> Iterator[str]:
    """Checked answer sentences (with final markers) as the model's text arrives.

    The text is first rewritten into sentences that end with their markers
    (``model_text.answer_text``: lists, leading markers, "(1)", ``<think>``...). A
    sentence is released only once the text after it holds a whole word: where a
    sentence ends can depend on the next word ("the U.S. The" ends one, "the U.S.
    Theory" does not), and a released sentence cannot be taken back. When the model
    writes the refusal sentinel, the sentences before it are still checked and released,
    then ``_Declined`` is raised; the caller tells a refusal from a partial answer by
    what was released. Raises ``LLMError`` when the model fails or writes nothing."""
    report = report if report is not None else ModelTextReport()
    buffer = ""
    released = 0  # sentences of the stable text already handled
    for delta in deltas:
        buffer += delta
        visible = visible_text(buffer, final=False)
        if REFUSAL_SENTINEL in visible:
            yield from _release_rest(visible, released, builder, report)
            raise _Declined()
        stable = visible[: _last_space(visible)]
        sentences = split_answer_sentences(answer_text(stable, final=False))
        # The last sentence may still grow (or gain markers); hold it back.
        for sentence in sentences[released : max(released, len(sentences) - 1)]:
            checked = _check(sentence, builder, report)
            if checked:
                yield checked
        released = max(released, len(sentences) - 1)
    visible = visible_text(buffer, final=True)
    yield from _release_rest(visible, released, builder, report)
    if REFUSAL_SENTINEL in visible:
        raise _Declined()
    if not strip_markers(visible).strip():
        if report.bare_markers:  # "[3]" alone: which of its sentences answers is a guess
            cited = ", ".join(f"[{n}]" for n in dict.fromkeys(report.bare_markers))
            raise LLMError(f"the model only cited {cited} without writing an answer", kind="empty")
        raise LLMError("the model returned an empty answer", kind="empty")


def _release_rest(
    visible: str, released: int, builder: CitationBuilder, report: ModelTextReport
) -> Iterator[str]:
    """The checked sentences after the first ``released`` ones, up to a refusal sentinel."""
    cut = visible.find(REFUSAL_SENTINEL)
    text = visible if cut < 0 else visible[:cut]
    for sentence in split_answer_sentences(answer_text(text, final=True))[released:]:
        checked = _check(sentence, builder, report)
        if checked:
            yield checked


def _check(sentence: str, builder: CitationBuilder, report: ModelTextReport) -> str | None:
    """The sentence checked against the passages it cites. One the model left uncited is
    checked against every passage shown and cited to the one that supports it best:
    small models often drop markers, and the claim is checked all the same."""
    text = claim(sentence, report)
    if not text:
        return None
    cited = parse_markers(text)
    if not cited:
        best = _best_support(text, builder.passages)
        if best is not None:
            cited = [best]
            report.attributed += 1
    return builder.add(text, cited)


def _best_support(text: str, passages: Sequence[Passage]) -> int | None:
    """The number of the passage that supports ``text`` best, if one supports it enough."""
    scores = [support(text, p).score for p in passages]
    if not scores or max(scores) < SUPPORT_THRESHOLD:
        return None
    return scores.index(max(scores)) + 1


def _last_space(text: str) -> int:
    """End of the text up to its last white space: what follows may be half a word."""
    for i in range(len(text) - 1, -1, -1):
        if text[i].isspace():
            return i
    return 0


class LLMAnswerer:
    """A chat model's answer, sentence by sentence, each checked against its citations.

    ``max_prompt_tokens`` (with ``count_tokens``, the model's tokenizer or an estimate)
    caps what the model is shown: passages are dropped from the lowest-ranked up until
    the prompt fits, and a notice says how many were kept. Small local models have small
    contexts, and on a CPU every prompt token costs reading time."""

    label = "LLM"

    def __init__(
        self,
        llm: ChatModel,
        prompts_dir: Path,
        max_passages: int = LLM_PASSAGES,
        *,
        max_prompt_tokens: int | None = None,
        count_tokens: Callable[[str], int] | None = None,
    ) -> None:
        self.llm = llm
        self.prompts_dir = prompts_dir
        self.max_passages = max_passages
        self.max_prompt_tokens = max_prompt_tokens
        self.count_tokens = count_tokens or estimate_tokens
        self.name = f"llm:{llm.name}"

    def fit_passages(
        self, question: str, passages: Sequence[Passage], history: Sequence[Any]
    ) -> tuple[list[dict[str, str]], int]:
        """The messages for as many of the best passages as the prompt cap allows (at
        least one), and how many that is."""
        kept = len(passages)
        while True:
            messages = build_answer_messages(self.prompts_dir, question, passages[:kept], history)
            if self.max_prompt_tokens is None or kept <= 1:
                return messages, kept
            size = sum(self.count_tokens(m["content"]) + 4 for m in messages)
            if size <= self.max_prompt_tokens:
                return messages, kept
            kept -= 1

    def stream(
        self, question: str, retrieval: Retrieval, history: Sequence[Any] = ()
    ) -> Iterator[Event]:
        """Checked sentences as the model writes them, then the outcome."""
        passages = retrieval.passages[: self.max_passages]
        if not passages:
            yield Outcome(declined="nothing was retrieved")
            return
        released = 0
        outcome = Outcome()
        report = ModelTextReport()
        builder = CitationBuilder(passages)
        try:
            messages, kept = self.fit_passages(question, passages, history)
            if kept < len(passages):
                outcome.notices.append(
                    f"The language model was shown the best {kept} of {len(passages)} "
                    "passages: the others do not fit in its context."
                )
            yield Progress(f"The language model is reading {kept} passage{'s' * (kept != 1)}…")
            builder = CitationBuilder(passages[:kept])
            for sentence in checked_sentences(self.llm.stream(messages), builder, report):
                released += 1
                yield Sentence(sentence)
        except _Declined:
            if released:
                outcome.notices.append(
                    "The language model found no answer in the passages for part of the "
                    "question; only the part they support is shown."
                )
            else:
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
        if report.attributed and released:
            outcome.notices.append(
                f"{report.attributed} sentence(s) the model left uncited were checked against "
                "every passage shown and cited to the one that supports them."
            )
        if builder.unsupported:
            outcome.notices.append(
                f"{len(builder.unsupported)} sentence(s) of the model's answer were removed "
                "because no cited passage supports them."
            )
        outcome.citations = builder.citations
        outcome.unsupported = list(builder.unsupported)
        yield outcome


def estimate_tokens(text: str) -> int:
    """A conservative token count when the model's tokenizer is not at hand: about three
    characters a token (English prose averages four; names and numbers split finer)."""
    return len(text) // 3 + 1
