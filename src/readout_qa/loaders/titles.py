"""Titles: shortened to fit a line, and found in the body when a file gives none."""

from __future__ import annotations

import re

from ..chunking import split_sentences

TITLE_MAX_CHARS = 120

_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.+?)[ \t#]*$")
_MARKDOWN_NOISE = re.compile(r"[*_`]+")


def shorten(text: str, limit: int = TITLE_MAX_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if " " in cut:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:-–—") + "…"


def _first_sentence(body: str) -> str:
    """The body's first sentence: a stand-in title when the file gives none."""
    first_line = next((line for line in body.split("\n") if line.strip()), "").strip()
    spans = split_sentences(first_line)
    return shorten(first_line[spans[0][0] : spans[0][1]] if spans else first_line)


def title_from_body(body: str) -> str:
    """A leading Markdown ``# heading`` if there is one, else the first sentence."""
    first_line = next((line for line in body.split("\n") if line.strip()), "")
    heading = _HEADING.match(first_line)
    if heading:
        return shorten(_MARKDOWN_NOISE.sub("", heading.group(1)))
    return _first_sentence(body)
