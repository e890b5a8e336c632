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

# Other ways models cite a passage, rewritten to "[n]" before anything reads them:
# "[Passage 1]", "(passages 1 and 2)", "【1】", "【1†source】", "(1)", "(2, 3)".
_NUMBERS = r"\d{1,3}(?:\s*(?:,|;|and|&|\u2013|-)\s*\d{1,3})*"
_NAMED = re.compile(
    rf"[\[(【]\s*(?:passages?|sources?|documents?|docs?|readouts?|refs?)\.?\s*({_NUMBERS})"
    r"\s*[\])】]",
    re.IGNORECASE,
)
_LENTICULAR = re.compile(rf"【\s*({_NUMBERS})\s*(?:†[^】]*)?】")
# "(1)" and "(2, 3)" only: a parenthesised year or figure ("(2023)", "(100)") is text.
_PARENTHESISED = re.compile(r"\(\s*(\d{1,2}(?:\s*[,;]\s*\d{1,2})*)\s*\)")
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


def normalise_markers(text: str) -> str:
    """``text`` with every citation form models write turned into "[n]" / "[n, m]".

    Small models rarely copy the "[n]" of the prompt exactly; what they mean is plain,
    so it is read rather than lost (a lost marker makes a supported sentence uncited)."""

    def canonical(m: re.Match[str]) -> str:
        numbers = re.sub(r"\s*(?:and|&)\s*", ", ", m.group(1), flags=re.IGNORECASE)
        return f"[{numbers}]"

    text = _NAMED.sub(canonical, text)
    text = _LENTICULAR.sub(canonical, text)
    return _PARENTHESISED.sub(canonical, text)


def strip_markers(text: str, replacement: str = "") -> str:
    """``text`` without its markers (and the space before each), stripped."""
    return MARKER.sub(replacement, text).strip()


def link_markers(text: str, link: Callable[[int], str | None]) -> str:
    """Replace each rendered marker "[n]" by ``link(n)``; None keeps the marker as it is."""

    def repl(m: re.Match[str]) -> str:
        out = link(int(m.group(1)))
        return m.group(0) if out is None else out

    return RENDERED.sub(repl, text)
