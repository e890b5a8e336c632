"""Citation markers ("[1]", "[2, 3]", "[1-2]"): the one definition of what they look like.

Answerers write them, the citation checks read them, the UI turns them into links,
history loses them (their numbers referred to other passages) and the evals remove
them before matching facts; all of these use the patterns here.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# A marker as a model may write it: one or more passage numbers, separated by commas,
# semicolons or a range dash, with the white space before it.
MARKER = re.compile(r"\s*\[\s*(\d{1,3}(?:\s*[,;\u2013-]\s*\d{1,3})*)\s*\]")
# A marker as readout-qa renders it in a checked answer: one number each.
RENDERED = re.compile(r"\[(\d{1,3})\]")
# Markers opening a text (a model's "[1]" after the full stop it belongs to); use with
# ``LEADING.match(text, pos)``, which anchors it at ``pos``.
LEADING = re.compile(r"(?:\s*\[\s*\d[\d,;\u2013\-\s]*\])+")

_RANGE = re.compile(r"(\d+)\s*[\u2013-]\s*(\d+)")
_MAX_RANGE = 20  # "[1-999]" is not a citation of 999 passages


def parse_markers(text: str) -> list[int]:
    """Passage numbers cited in ``text``, in order ("[1]", "[2, 3]", "[4-6]" -> 1..6)."""
    out: list[int] = []
    for group in MARKER.findall(text):
        for part in re.split(r"\s*[,;]\s*", group):
            span = _RANGE.fullmatch(part)
            if span:
                lo, hi = int(span.group(1)), int(span.group(2))
                if 0 <= hi - lo <= _MAX_RANGE:
                    out.extend(range(lo, hi + 1))
            elif part.isdigit():
                out.append(int(part))
    return out


def strip_markers(text: str, replacement: str = "") -> str:
    """``text`` without its markers (and the space before each), stripped."""
    return MARKER.sub(replacement, text).strip()


def link_markers(text: str, link: Callable[[int], str | None]) -> str:
    """Replace each rendered marker "[n]" by ``link(n)``; None keeps the marker as it is."""

    def repl(m: re.Match[str]) -> str:
        out = link(int(m.group(1)))
        return m.group(0) if out is None else out

    return RENDERED.sub(repl, text)
