"""What language models really write, turned into plain sentences with trailing markers.

The answer prompt asks for prose with "[n]" after each sentence; real models, small
local ones above all, write "[1] Biomedicine, microelectronics" (the marker first, a
fragment with no verb), "(1)", "[Passage 1]" or "【1】", bullet and numbered lists,
Markdown bold, a "Sure! Based on the passages..." preamble, or a ``<think>`` block.
This module rewrites such text into the one shape the citation checks read: sentences
ending with their markers. It only moves markers and drops layout and chatter; it
never adds a claim, so every sentence it yields still goes through the support check.

The functions are pure and work on a growing prefix of the reply: everything but the
last sentence of a prefix comes out the same once more text arrives, which is what
lets the answerer release sentences while the model streams.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..chunking import split_sentences
from ..markers import LEADING, normalise_markers, parse_markers, strip_markers

_THINK_BLOCK = re.compile(r"<think>.*?</think>", re.DOTALL | re.IGNORECASE)
_THINK_OPEN = "<think>"
_THINK_CLOSE = "</think>"
_BULLET = re.compile(r"^\s*(?:[-*•+‣◦–]|\d{1,2}[.)]|[a-z]\))\s+")
_HEADING = re.compile(r"^\s*#{1,6}\s+")
_EMPHASIS = re.compile(r"\*\*|__|`")
_SINGLE_STAR = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_MARKER_GROUP = re.compile(LEADING.pattern)
_ENDS_SENTENCE = re.compile(r"[.!?…。][\"'”’)\]]*$")
_WORD = re.compile(r"[^\W\d_]", re.UNICODE)  # a letter: "3." left of a list is no claim
# A generic lead-in to a claim ("Based on the passages, ..."); a named source ("According
# to the Chinese readout, ...") is part of the claim and stays.
_PREAMBLE = re.compile(
    r"^(?:based on|according to|from|in|as per)\s+(?:the\s+)?(?:provided\s+|given\s+|above\s+)?"
    r"(?:passages?|readouts|information|texts?|context|documents|sources)"
    r"(?:\s+(?:provided|given|above|shown))?\s*,\s*",
    re.IGNORECASE,
)
# Whole sentences that say nothing about the readouts.
_CHATTER = re.compile(
    r"^(?:sure|certainly|of course|absolutely|okay|ok|great|yes|no problem|happy to help"
    r"|here(?:'s| is| are)\b|i hope\b|hope this helps|let me know\b|feel free\b|i(?:'m| am) happy"
    r"|i can help|(?:the )?answer\s*:?$|(?:based on|according to) the (?:provided |given )?"
    r"(?:passages?|readouts|information|context)\b[^,]*$)",
    re.IGNORECASE,
)


@dataclass
class ModelTextReport:
    """What the rewriting noticed, for the answerer's notices."""

    chatter: list[str] = field(default_factory=list)  # sentences dropped as chatter
    bare_markers: list[int] = field(default_factory=list)  # cited with no text at all
    repeats: int = 0  # claims the model had already made (small models loop: "Trade. Trade.")
    attributed: int = 0  # uncited claims cited to the passage that supports them
    seen: set[str] = field(default_factory=set, repr=False)


def visible_text(text: str, final: bool) -> str:
    """``text`` without ``<think>`` blocks: an unclosed one hides everything after it,
    and while streaming (``final`` False) so does a tag still arriving ("<thi")."""
    text = _THINK_BLOCK.sub(" ", text)
    lower = text.lower()
    start = lower.find(_THINK_OPEN)
    if start >= 0:
        return text[:start]
    close = lower.find(_THINK_CLOSE)
    if close >= 0:  # the server opened the block in the template: only the end is seen
        text = text[close + len(_THINK_CLOSE) :]
    if not final:
        tail = text.rfind("<")
        if tail >= 0 and (
            _THINK_OPEN.startswith(text[tail:].lower())
            or _THINK_CLOSE.startswith(text[tail:].lower())
        ):
            return text[:tail]
    return text


def _plain_line(line: str) -> str:
    """A line without list bullets, heading marks and emphasis."""
    line = _HEADING.sub("", line)
    line = _BULLET.sub("", line)
    line = _SINGLE_STAR.sub(r"\1", line)
    return _EMPHASIS.sub("", line).strip()


def _has_words(text: str) -> bool:
    return bool(_WORD.search(strip_markers(text)))


def _markers_lead(lines: list[str]) -> bool:
    """True when the model writes markers before what they cite ("[1] Biomedicine"):
    decided by the first line that has both a marker and words."""
    for line in lines:
        first = _MARKER_GROUP.search(line)
        if first and _has_words(line):
            return not _has_words(line[: first.start()])
    return False


def _end_line(text: str) -> str:
    """A finished line closes its last sentence: "modern agriculture [1]" ->
    "modern agriculture. [1]" (a list item or fragment has no full stop)."""
    body = text.rstrip()
    trail = ""
    m = re.search(r"(?:\s*\[\s*\d[\d,;\u2013\-\s]*\])+$", body)
    if m:
        body, trail = body[: m.start()].rstrip(), body[m.start() :].strip()
    if body and _has_words(body) and not _ENDS_SENTENCE.search(body):
        body = body.rstrip(",;:") + "."
    return f"{body} {trail}".strip() if trail else body


def _move_leading_markers(line: str) -> str:
    """In a leading-marker answer, each marker group goes after every sentence of the
    text that follows it; a group with nothing after it stays where it is."""
    pieces = _MARKER_GROUP.split(line)
    groups = [m.group(0).strip() for m in _MARKER_GROUP.finditer(line)]
    out = pieces[0].strip()
    for group, text in zip(groups, pieces[1:], strict=True):
        if not _has_words(text):
            out = f"{out} {group}{text.rstrip()}".strip()
            continue
        spans = split_sentences(text)
        sentences = [text[s:e] for s, e in spans]
        out = " ".join(filter(None, [out, *(f"{_end_line(s)} {group}" for s in sentences)]))
    return out


def answer_text(text: str, final: bool) -> str:
    """The reply as prose whose sentences end with their markers (see the module doc).

    ``final`` is False while the reply is still arriving: its last line is then not
    closed, since it may continue."""
    text = normalise_markers(visible_text(text, final))
    lines = [_plain_line(line) for line in text.split("\n")]
    complete = len(lines) if final else len(lines) - 1
    leading = _markers_lead(lines)
    out: list[str] = []
    for i, line in enumerate(lines):
        if not line:
            continue
        if leading:
            line = _move_leading_markers(line)
        if i < complete and not line.endswith(":"):  # a lead-in ("The fields are:") stays
            line = _end_line(line)  # as it is, to be dropped as a claim of nothing
        if not _has_words(line) and out:
            out[-1] = f"{out[-1]} {line}"  # a line of markers cites the line above
            continue
        out.append(line)
    # One paragraph a line: a lead-in or a fragment without a full stop ends at its line.
    return "\n\n".join(out)


def claim(sentence: str, report: ModelTextReport | None = None) -> str | None:
    """One sentence of rewritten text as a claim to check, or None for chatter ("Sure!",
    "Here are the fields:") and for markers with no text; generic lead-ins are removed."""
    cleaned = drop_preamble(sentence)
    text = strip_markers(cleaned)
    if not _has_words(text):
        if report is not None:
            report.bare_markers.extend(parse_markers(cleaned))
        return None
    if not parse_markers(cleaned) and (_CHATTER.match(text) or text.endswith(":")):
        if report is not None:
            report.chatter.append(text)
        return None
    if report is not None:
        key = " ".join(text.lower().split()).rstrip(".")
        if key in report.seen:
            report.repeats += 1
            return None
        report.seen.add(key)
    return cleaned


def drop_preamble(sentence: str) -> str:
    """ "Based on the passages, the leaders met [1]." -> "The leaders met [1]." """
    m = _PREAMBLE.match(sentence)
    if not m or not _has_words(sentence[m.end() :]):
        return sentence
    rest = sentence[m.end() :]
    return rest[:1].upper() + rest[1:]
