"""Readout bodies -> sentence-aligned chunks and sentences, each with exact offsets.

Citations must highlight the exact span of the original readout, so every
chunk and sentence keeps ``start``/``end`` such that ``body[start:end]`` is its
text. Splitting itself is llama-index's (SentenceSplitter, punkt sentences);
this module only recovers where each piece sits in the body.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from .models import Chunk, Readout

if TYPE_CHECKING:
    from llama_index.core.node_parser import SentenceSplitter

_SPACE = re.compile(r"\s+")


@functools.lru_cache(maxsize=8)
def _splitter(chunk_size: int) -> SentenceSplitter:
    # Imported here: loading readouts and hashing them (an unchanged re-ingest) must not
    # pay ~1 s of importing llama-index.
    from llama_index.core.node_parser import SentenceSplitter

    # No overlap: chunks tile the body, so a sentence belongs to exactly one chunk
    # and the extractive answerer never quotes the same sentence twice.
    return SentenceSplitter(chunk_size=chunk_size, chunk_overlap=0, paragraph_separator="\n\n")


@functools.lru_cache(maxsize=1)
def _sentence_tokenizer() -> Callable[[str], list[str]]:
    """llama-index's ``split_by_sentence_tokenizer`` (an untrained nltk Punkt tokenizer, each
    sentence running to the next one's start), built from nltk directly: loading readouts
    (titles from first sentences) then costs no llama-index import (~1 s)."""
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    tokenizer = PunktSentenceTokenizer()

    def split(text: str) -> list[str]:
        starts = [start for start, _end in tokenizer.span_tokenize(text)]
        ends = [*starts[1:], len(text)] if starts else []
        return [text[a:b] for a, b in zip(starts, ends, strict=True)]

    return split


def locate(body: str, pieces: list[str], start_at: int = 0) -> list[tuple[int, int]]:
    """Find each piece in order in ``body``; returns stripped (start, end) spans.

    Splitters may trim or re-join whitespace, so a piece that is not found
    verbatim is matched with whitespace folded, which keeps offsets exact on the
    original body (the test over the whole corpus checks ``body[s:e] == text``).
    """
    spans: list[tuple[int, int]] = []
    cursor = start_at
    for piece in pieces:
        text = piece.strip()
        if not text:
            continue
        pos = body.find(text, cursor)
        if pos >= 0:
            spans.append((pos, pos + len(text)))
            cursor = pos + len(text)
            continue
        pattern = r"\s+".join(re.escape(tok) for tok in _SPACE.split(text) if tok)
        match = re.compile(pattern).search(body, cursor)
        if match is None:
            raise ValueError(f"splitter produced text not in the body: {text[:60]!r}")
        spans.append((match.start(), match.end()))
        cursor = match.end()
    return spans


def split_sentences(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Sentence spans of ``text``, shifted by ``offset`` (punkt, as llama-index uses)."""
    return [(s + offset, e + offset) for s, e in _sentence_spans(text)]


@functools.lru_cache(maxsize=8192)  # the same chunks come back question after question
def _sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    pieces = _sentence_tokenizer()(text)
    spans = _join_abbreviations(text, locate(text, pieces))
    # Split further on paragraph breaks: headings and list items have no full stop.
    fine: list[tuple[int, int]] = []
    for start, end in spans:
        cursor = start
        for m in _PARAGRAPH.finditer(text, start, end):
            fine.append((cursor, m.start()))
            cursor = m.end()
        fine.append((cursor, end))
    return tuple(_trim(text, s, e) for s, e in fine if text[s:e].strip())


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    piece = text[start:end]
    lead = len(piece) - len(piece.lstrip())
    return start + lead, start + len(piece.rstrip())


_PARAGRAPH = re.compile(r"\n\s*\n")
# Punkt ends sentences at abbreviations readouts are full of ("President Joseph R. Biden,
# Jr. spoke", "the U.S. Secretary", "Dec. 7"). A piece ending in one is joined to the next
# when what follows continues it: titles always, an initial before a name, a month before
# a day, a dotted acronym unless the next piece opens like a new sentence.
_TITLE_ABBREVIATION = re.compile(
    r"(?<![\w.])(?:Mr|Mrs|Ms|Mme|Dr|St|Mt|Ft|Gen|Lt|Col|Maj|Capt|Cmdr|Adm|Sgt|Sen|Rep|Gov|"
    r"Amb|Hon|Pres|Prof|Rev|Fr|Jr|Sr|Dept|vs|cf)\.$",
    re.IGNORECASE,
)
# Months and "No."/"Art." continue only into a number: "No. We" ends an answer.
_BEFORE_NUMBER = re.compile(
    r"(?<![\w.])(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|No|Nos|Art|Sec)\.$",
    re.IGNORECASE,
)
_INITIAL = re.compile(r"(?<![\w.])[A-Z]\.$")
_ACRONYM = re.compile(r"(?<![\w.])(?:[A-Za-z]\.){2,}$")
_SENTENCE_OPENERS = frozenset(
    "The This These Those That There They Their He His She Her It Its We Our I In On At As "
    "A An Both After Before During Since While When Today Yesterday Earlier Later".split()
)


def _continues(before: str, after: str) -> bool:
    """Whether the piece ``after`` continues the piece ``before`` (an abbreviation split)."""
    before, after = before.rstrip(), after.lstrip()
    if not after or after[0] == "[":  # a citation marker follows only a finished sentence
        return False
    first = after.split(None, 1)[0].strip("\"'“‘(,")
    if _TITLE_ABBREVIATION.search(before):
        return True
    if _BEFORE_NUMBER.search(before):
        return after[0].isdigit()
    if _INITIAL.search(before):
        return after[0].isupper() and first not in _SENTENCE_OPENERS
    if _ACRONYM.search(before):
        return not after[0].isupper() or first not in _SENTENCE_OPENERS
    return False


def _join_abbreviations(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    joined: list[tuple[int, int]] = []
    for start, end in spans:
        if joined:
            prev_start, prev_end = joined[-1]
            same_paragraph = not _PARAGRAPH.search(text, prev_end, start)
            if same_paragraph and _continues(text[prev_start:prev_end], text[start:end]):
                joined[-1] = (prev_start, end)
                continue
        joined.append((start, end))
    return joined


def chunk_id(doc_id: str, position: int) -> str:
    """Stable id: the same readout position always maps to the same record."""
    return f"{doc_id}::{position:04d}"


# Bump when chunking or what is embedded changes, so every index re-ingests by itself.
PIPELINE_VERSION = "2"


def content_hash(readout: Readout, chunk_size: int = 160) -> str:
    """What decides whether a readout must be (re)indexed: its body and stored metadata,
    and how it is chunked and embedded (chunk size, pipeline version)."""
    h = hashlib.sha256(f"{PIPELINE_VERSION}:{chunk_size}\x00".encode())
    for part in (
        readout.title,
        readout.date or "",
        readout.source,
        readout.publisher,
        readout.text,
    ):
        h.update(part.encode("utf-8"))
        h.update(b"\x00")
    return h.hexdigest()[:32]


def readout_metadata(readout: Readout) -> dict[str, str | int]:
    """Flat metadata (Chroma accepts only scalars) that every chunk carries for filters."""
    from .filtering import country_key

    return {
        "doc_id": readout.doc_id,
        "title": readout.title,
        "date": readout.date or "",
        "date_int": readout.date_int,
        "source": readout.source,
        "publisher": readout.publisher,
        "countries": ", ".join(readout.countries),
        "leaders": ", ".join(readout.leaders),
        **{country_key(c): True for c in readout.countries},
    }


def chunk_readout(readout: Readout, chunk_size: int = 160) -> list[Chunk]:
    """Sentence-aware chunks of the body that never cut a sentence, with exact offsets."""
    body = readout.text
    pieces = _splitter(chunk_size).split_text(body)
    meta = readout_metadata(readout)
    chunks = []
    for position, (start, end) in enumerate(locate(body, pieces)):
        chunks.append(
            Chunk(
                chunk_id=chunk_id(readout.doc_id, position),
                doc_id=readout.doc_id,
                position=position,
                text=body[start:end],
                start=start,
                end=end,
                metadata={**meta, "position": position, "start": start, "end": end},
            )
        )
    return chunks


def embedding_text(chunk: Chunk) -> str:
    """What is embedded and keyword-indexed for a chunk: its readout's title, then the chunk.

    A readout's title names who met whom ("Telephone conversation with Pope
    Francis"); a chunk deep in the body often names neither, so without the
    title a question about that encounter cannot find the chunk.
    """
    title = str(chunk.metadata.get("title", ""))
    return f"{title}\n{chunk.text}" if title else chunk.text
