"""Prompt files: read from the prompts folder at each use, placeholders checked.

Prompts are plain text files (``prompts/`` or ``Settings.prompts_dir``) so that they can
be edited without touching code or restarting; they are read on every call. A prompt
that lacks a placeholder its caller fills is an error, because the model would
otherwise silently miss its input (the passages, the question).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from string import Template

#: What a model must reply, exactly, when the passages do not answer; the prompts say so
#: through their ``$refusal`` placeholder, and the answerer and query rewriting recognise it.
REFUSAL_SENTINEL = "NOT_IN_READOUTS"


class PromptError(ValueError):
    """A prompt file is missing or lacks a required placeholder; the message names the file."""


def load_prompt(prompts_dir: Path, name: str) -> str:
    """The text of ``prompts_dir/name``, read now (edits apply to the next question)."""
    path = Path(prompts_dir) / name
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PromptError(
            f"prompt file {path} not found; set READOUT_QA_PROMPTS_DIR to a folder "
            f"containing {name}"
        ) from None


def placeholders(text: str) -> set[str]:
    """The ``$name`` / ``${name}`` placeholders of a template text."""
    template = Template(text)
    return {
        m.group("named") or m.group("braced")
        for m in template.pattern.finditer(text)
        if m.group("named") or m.group("braced")
    }


def render_prompt(prompts_dir: Path, name: str, required: Iterable[str] = (), **values: str) -> str:
    """Load prompt ``name`` and fill its placeholders (``$$`` is a literal dollar sign)."""
    text = load_prompt(prompts_dir, name)
    missing = [p for p in required if p not in placeholders(text)]
    if missing:
        raise PromptError(
            f"prompt {Path(prompts_dir) / name} lacks the placeholder(s) "
            + ", ".join(f"${p}" for p in missing)
        )
    return Template(text).safe_substitute(values).strip()
