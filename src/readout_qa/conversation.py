"""The conversation so far: history messages as plain text.

Callers pass history in the OpenAI / Gradio "messages" shape (dicts or objects
with ``role`` and ``content``, content as a string, a list of parts or a dict).
Follow-up resolution and the LLM prompt both need its plain text, so it is read
here once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .markers import strip_markers

#: How many earlier chat messages (user or assistant, each counts one) a model sees.
MAX_HISTORY_MESSAGES = 6
#: Longer history messages are cut to this many characters.
MAX_HISTORY_CHARS = 1500


def content_text(content: Any) -> str:
    """Plain text of a message ``content`` (string, part list or dict); files give ""."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        if content.get("type") in (None, "text") and isinstance(content.get("text"), str):
            return content["text"]
        return ""  # files, images, components
    if isinstance(content, (list, tuple)):
        return "\n".join(t for t in (content_text(part) for part in content) if t)
    return ""


def _fields(item: Any) -> tuple[Any, Any, Any]:
    if isinstance(item, dict):
        return item.get("role"), item.get("content"), item.get("metadata")
    return (
        getattr(item, "role", None),
        getattr(item, "content", None),
        getattr(item, "metadata", None),
    )


def user_turns(history: Sequence[Any] | None) -> list[str]:
    """The user's earlier questions, oldest first."""
    return [content_text(c) for role, c, _ in map(_fields, history or ()) if role == "user"]


def normalize_history(
    history: Sequence[Any] | None, *, limit: int = MAX_HISTORY_MESSAGES
) -> list[dict[str, str]]:
    """The last ``limit`` user/assistant messages of ``history`` as plain ``{role, content}``.

    Drops system messages, Gradio "thought" bubbles (``metadata.title``), files and empty
    turns; removes citation markers from answers (their numbers referred to other passages).
    """
    cleaned: list[dict[str, str]] = []
    for role, content, metadata in map(_fields, history or ()):
        if role not in ("user", "assistant"):
            continue
        if isinstance(metadata, dict) and metadata.get("title"):
            continue
        text = content_text(content)
        if role == "assistant":
            text = strip_markers(text)
        text = _shortened(text.strip())
        if text:
            cleaned.append({"role": role, "content": text})
    return cleaned[-limit:] if limit > 0 else []


def _shortened(text: str) -> str:
    if len(text) > MAX_HISTORY_CHARS:
        return text[:MAX_HISTORY_CHARS].rstrip() + " ..."
    return text


def prior_history(question: str, history: Sequence[Any] | None) -> list[dict[str, str]]:
    """History without the current question, should the caller have appended it already."""
    turns = normalize_history(history, limit=MAX_HISTORY_MESSAGES + 1)
    current = _shortened(question.strip())
    if turns and turns[-1]["role"] == "user" and turns[-1]["content"] == current:
        turns.pop()
    return turns[-MAX_HISTORY_MESSAGES:]
