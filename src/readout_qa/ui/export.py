"""Answers out of the UI: the last answer as Markdown (for the copy button) and the whole
conversation as a Markdown file (for the download button).

Both are made from the ``Answer`` objects the conversation state holds, by
``Answer.to_markdown``, so the UI, ``readout-qa ask --markdown`` and the API paste the same.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import Any

from ..models import Answer

__all__ = ["conversation_markdown", "export_outputs", "last_answer_markdown"]


def _answer(turn: dict[str, Any]) -> Answer | None:
    answer = turn.get("answer")
    return answer if isinstance(answer, Answer) else None


def last_answer_markdown(turns: list[dict[str, Any]] | None) -> str:
    """The last finished answer with its numbered sources ("" before the first one)."""
    for turn in reversed(turns or []):
        answer = _answer(turn)
        if answer is not None:
            return answer.to_markdown()
    return ""


def conversation_markdown(
    turns: list[dict[str, Any]] | None, now: dt.datetime | None = None
) -> str:
    """Every finished question and answer of the conversation, each with its sources."""
    answers = [a for a in (_answer(t) for t in turns or []) if a is not None]
    if not answers:
        return ""
    stamp = (now or dt.datetime.now()).strftime("%Y-%m-%d %H:%M")
    head = f"# Readout QA conversation\n\n*Exported {stamp}; {len(answers)} question(s).*\n"
    return head + "\n" + "\n---\n\n".join(a.to_markdown() for a in answers)


def export_outputs(turns: list[dict[str, Any]] | None) -> tuple[str, str | None]:
    """The copy button's text and the download button's file (None: nothing to download).

    The file goes to a fresh folder under the system's temp dir, which Gradio serves from."""
    text = conversation_markdown(turns)
    if not text:
        return "", None
    folder = Path(tempfile.mkdtemp(prefix="readout-qa-export-"))
    path = folder / "readout-qa-conversation.md"
    path.write_text(text, encoding="utf-8")
    os.chmod(folder, 0o755)
    return last_answer_markdown(turns), str(path)
