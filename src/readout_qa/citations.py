"""Citation checks shared by every answerer: markers, support, numbering, quotes.

Whatever writes the answer (the extractive answerer or an LLM), each sentence
arrives here with the passage numbers it cites. A marker outside the passages
shown is discarded; a sentence none of its cited passages supports is dropped
(and reported as unsupported); the rest get citation numbers in order of first
appearance, so numbers are dense and never change once a sentence is out.
Each citation quotes the sentence of the passage that supports the claim,
with offsets into the readout body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .chunking import split_sentences
from .markers import LEADING, parse_markers, strip_markers
from .models import Citation, Passage
from .terms import terms

NUMBER = re.compile(r"\b\d[\d,.]*\b")
SUPPORT_THRESHOLD = 0.6
# Text addressed to a language model rather than reporting diplomacy. A readout is
# data: such a sentence never supports a claim and is never quoted as an answer.
INSTRUCTION = re.compile(
    r"\b(?:ignore|disregard|forget|override)\s+(?:(?:all|any|the|your|these|those|my|of)\s+)*"
    r"(?:(?:previous|prior|above|earlier|preceding|system|other|original)\s+)?"
    r"(?:instructions?|prompts?|rules|guidelines|context)(?![\w-])"
    r"|\b(?:system prompt|as an ai|language model|you are now|you must now)\b"
    r"|\b(?:reply|respond|answer|say)\s+(?:only\s+)?(?:with|that)\b.{0,80}\[\d+\]",
    re.IGNORECASE,
)


def looks_like_instruction(text: str) -> bool:
    """True for a sentence that tries to instruct the answering model."""
    return bool(INSTRUCTION.search(text))


_AFTER_MARKER = re.compile(r"(?<=\])\s+(?=[\"“‘']?[A-Z])")


def split_answer_sentences(text: str) -> list[str]:
    """Sentences of an answer, each keeping the markers that follow its full stop."""
    spans: list[list[int]] = []
    for start, end in split_sentences(text):
        lead = LEADING.match(text, start, end)
        if lead and spans:  # "[1]" after the full stop belongs to the sentence before
            spans[-1][1] = lead.end()
            start = lead.end()
        if text[start:end].strip():
            spans.append([start, end])
    # A marker followed by a capital closes a claim even where the splitter saw an
    # abbreviation ("in the U.S. [1] They discussed ..."): each claim has its own check.
    pieces = [p for s, e in spans for p in _AFTER_MARKER.split(text[s:e])]
    return [p.strip() for p in pieces if p.strip()]


@dataclass
class SentenceSupport:
    score: float
    start: int
    end: int


def support(sentence: str, passage: Passage) -> SentenceSupport:
    """How well ``passage`` backs ``sentence``: share of its content terms found in the
    best-matching sentence window of the passage, zero if a number is missing."""
    claim = strip_markers(sentence)
    claim_terms = set(terms(claim))
    spans = split_sentences(passage.text, passage.start)
    if not spans:
        return SentenceSupport(0.0, passage.start, passage.end)
    numbers = set(NUMBER.findall(claim))
    passage_numbers = set(NUMBER.findall(passage.text))
    if numbers - passage_numbers:
        return SentenceSupport(0.0, passage.start, passage.end)
    if not claim_terms:
        return SentenceSupport(0.0, passage.start, passage.end)
    best = SentenceSupport(0.0, spans[0][0], spans[0][1])
    local = [passage.text[s - passage.start : e - passage.start] for s, e in spans]
    local = ["" if looks_like_instruction(t) else t for t in local]
    # Windows of one to three consecutive sentences: a claim may merge neighbours.
    for width in (1, 2, 3):
        for i in range(len(spans) - width + 1):
            window_terms = set(terms(" ".join(local[i : i + width])))
            score = len(claim_terms & window_terms) / len(claim_terms)
            if score > best.score + 1e-9:
                best = SentenceSupport(score, spans[i][0], spans[i + width - 1][1])
    return best


class CitationBuilder:
    """Turns (sentence, cited passage numbers) into checked, densely numbered output."""

    def __init__(self, passages: list[Passage], threshold: float = SUPPORT_THRESHOLD) -> None:
        self.passages = passages
        self.threshold = threshold
        self.citations: list[Citation] = []
        self.unsupported: list[str] = []
        self._by_key: dict[tuple[str, int, int], int] = {}

    def add(self, sentence: str, cited: list[int] | None = None) -> str | None:
        """The sentence rendered with final markers, or None when nothing supports it."""
        cited = parse_markers(sentence) if cited is None else cited
        claim = strip_markers(sentence)
        if not claim:
            return None
        valid = [n for n in dict.fromkeys(cited) if 1 <= n <= len(self.passages)]
        numbers: list[int] = []
        for n in valid:
            passage = self.passages[n - 1]
            found = support(claim, passage)
            if found.score >= self.threshold:
                numbers.append(self._cite(passage, found))
        if not numbers:
            self.unsupported.append(claim)
            return None
        marks = "".join(f"[{n}]" for n in dict.fromkeys(numbers))
        return f"{claim} {marks}"

    def add_quote(self, passage: Passage, start: int, end: int) -> str:
        """A verbatim sentence of ``passage`` (body[start:end]), cited to itself."""
        quote = passage.text[start - passage.start : end - passage.start]
        n = self._cite(passage, SentenceSupport(1.0, start, end))
        return f"{quote} [{n}]"

    def _cite(self, passage: Passage, found: SentenceSupport) -> int:
        key = (passage.doc_id, found.start, found.end)
        if key in self._by_key:
            return self._by_key[key]
        n = len(self.citations) + 1
        offset = passage.start
        meta = passage.metadata
        self.citations.append(
            Citation(
                n=n,
                doc_id=passage.doc_id,
                title=str(meta.get("title", "")),
                date=str(meta.get("date", "")),
                source=str(meta.get("source", "")),
                publisher=str(meta.get("publisher", "")),
                quote=passage.text[found.start - offset : found.end - offset],
                start=found.start,
                end=found.end,
                score=round(float(passage.score), 6),
            )
        )
        self._by_key[key] = n
        return n
