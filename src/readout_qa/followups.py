"""Follow-up questions made self-contained for search.

"What did they agree about AI?" only makes sense after "When did Biden meet Xi at
Woodside?". Without a model, the names, countries and dates of the last question
that gave some are carried over (deterministic, so the evals are stable); with a
model, it rewrites the question and the carry-over fills what it left out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from .conversation import prior_history, user_turns
from .dates import period_words
from .entities import country_of_name, is_region_word
from .prompts import REFUSAL_SENTINEL, render_prompt
from .query import analyze

PRONOUNS = re.compile(
    r"\b(they|them|their|he|she|him|his|her|it|its|both|the two|that (?:meeting|call|summit|"
    r"readout|conversation)|this (?:meeting|call|summit|readout)|there|then|the same)\b",
    re.IGNORECASE,
)
REWRITE_PROMPT = "rewrite_query.txt"
#: Token budget for a rewritten search query.
REWRITE_MAX_TOKENS = 120
_QUERY_LABEL_RE = re.compile(
    r"^\s*(standalone\s+)?(search\s+)?(query|question|rewritten\s+query)\s*:\s*", re.IGNORECASE
)


class Completer(Protocol):
    """What query rewriting needs of a chat client (``llm_client.ChatLLM`` is one)."""

    def complete(self, messages: list[dict[str, Any]], *, max_tokens: int | None = ...) -> str: ...


def needs_context(question: str) -> bool:
    """A question that leans on the conversation: pronouns, or no person and no date.

    Countries alone do not make a question self-contained: "Which American
    universities were named?" asked after a question about a meeting is about it.
    """
    a = analyze(question)
    people = [n for n in a.names if not country_of_name(n) and not is_region_word(n)]
    return bool(PRONOUNS.search(question)) or not (people or a.periods)


def carry_over(question: str, history: Sequence[Any] | None) -> str:
    """Deterministic rewrite: append the names, countries and dates of earlier questions.

    Only for questions that need it, and only what the new question does not
    already say, so a self-contained question is searched as the user wrote it.
    """
    turns = user_turns(history)
    if not turns or not needs_context(question):
        return question
    current = analyze(question)
    have = {s.lower() for s in current.names + current.countries}
    extra: list[str] = []
    periods_added = bool(current.periods)
    for turn in reversed(turns[-3:]):
        a = analyze(turn)
        for item in a.names + a.countries:
            if item.lower() not in have:
                have.add(item.lower())
                extra.append(item)
        if not periods_added and a.periods:
            extra.extend(period_words(p) for p in a.periods)
            periods_added = True
        # The most recent turn that names someone is the one referred to; a turn that was
        # itself a follow-up ("What did they say about AI?") leans on the one before it.
        if extra and not needs_context(turn):
            break
    return f"{question} ({'; '.join(extra)})" if extra else question


def _render_history(turns: list[dict[str, str]]) -> str:
    names = {"user": "User", "assistant": "Assistant"}
    return "\n".join(f"{names[t['role']]}: {' '.join(t['content'].split())}" for t in turns)


def build_rewrite_messages(
    prompts_dir: Path, question: str, history: Sequence[Any] | None
) -> list[dict[str, str]]:
    """One user message asking for ``question`` as a standalone search query."""
    prompt = render_prompt(
        prompts_dir,
        REWRITE_PROMPT,
        required=("question",),
        history=_render_history(prior_history(question, history)) or "(none)",
        question=question.strip(),
    )
    return [{"role": "user", "content": prompt}]


def rewrite_query(
    llm: Completer, prompts_dir: Path, question: str, history: Sequence[Any] | None
) -> str:
    """A standalone search query for a follow-up question; ``question`` itself when there is
    no history, or the model fails or answers with nothing usable."""
    from .llm_client import LLMError

    if not prior_history(question, history) or not question.strip():
        return question
    try:
        reply = llm.complete(
            build_rewrite_messages(prompts_dir, question, history), max_tokens=REWRITE_MAX_TOKENS
        )
    except LLMError:
        return question
    lines = [line.strip() for line in (reply or "").splitlines() if line.strip()]
    if not lines:
        return question
    query = _QUERY_LABEL_RE.sub("", lines[0]).strip().strip("\"'\u201c\u201d`").strip()
    if not query or query == REFUSAL_SENTINEL or len(query) > 500:
        return question
    return query


def search_query(
    question: str,
    history: Sequence[Any] | None,
    llm: Completer | None = None,
    prompts_dir: Path | None = None,
) -> str:
    """The question made self-contained for search (the user's words are still answered)."""
    if not user_turns(history) or not needs_context(question):
        return question
    if llm is not None and prompts_dir is not None:
        rewritten = rewrite_query(llm, prompts_dir, question, history)
        if rewritten and rewritten != question:
            return carry_over(rewritten, history) if needs_context(rewritten) else rewritten
    return carry_over(question, history)
