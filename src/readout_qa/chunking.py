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

from llama_index.core.node_parser import SentenceSplitter
from llama_index.core.node_parser.text.utils import split_by_sentence_tokenizer

from .models import Chunk, Readout

_SPACE = re.compile(r"\s+")


@functools.lru_cache(maxsize=8)
def _splitter(chunk_size: int) -> SentenceSplitter:
    # No overlap: chunks tile the body, so a sentence belongs to exactly one chunk
    # and the extractive answerer never quotes the same sentence twice.
    return SentenceSplitter(chunk_size=chunk_size, chunk_overlap=0, paragraph_separator="\n\n")


@functools.lru_cache(maxsize=1)
def _sentence_tokenizer() -> Callable[[str], list[str]]:
    return split_by_sentence_tokenizer()


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
    # Split further on paragraph breaks: headings and list items have no full stop.
    fine: list[str] = []
    for piece in pieces:
        fine.extend(p for p in re.split(r"\n\s*\n", piece) if p.strip())
    return tuple(locate(text, fine))


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
