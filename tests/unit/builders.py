"""Tiny in-memory builders shared by the unit tests (plain functions, no fixtures)."""

from __future__ import annotations

from readout_qa.answerers import Outcome, Progress, Sentence
from readout_qa.dates import iso_to_int
from readout_qa.models import Passage
from readout_qa.query import QueryAnalysis, analyze
from readout_qa.readout_match import DocMatch
from readout_qa.retrieval import Retrieval


def make_passage(
    doc_id: str,
    body: str,
    start: int = 0,
    end: int | None = None,
    *,
    date: str = "2021-12-08",
    title: str = "",
    score: float = 1.0,
    **meta: object,
) -> Passage:
    """A passage whose text is ``body[start:end]``, with offsets into ``body``."""
    end = len(body) if end is None else end
    metadata = {
        "doc_id": doc_id,
        "title": title or f"Readout {doc_id}",
        "date": date,
        "date_int": iso_to_int(date),
        "start": start,
        "end": end,
        **meta,
    }
    return Passage(
        chunk_id=f"{doc_id}#{start}",
        doc_id=doc_id,
        text=body[start:end],
        start=start,
        end=end,
        score=score,
        metadata=metadata,
    )


def make_retrieval(
    question: str,
    passages: list[Passage],
    matches: dict[str, DocMatch] | None = None,
    analysis: QueryAnalysis | None = None,
) -> Retrieval:
    """A retrieval result as ``HybridRetriever.retrieve`` would return it, built by hand."""
    ordered: list[str] = []
    for p in passages:
        if p.doc_id not in ordered:
            ordered.append(p.doc_id)
    return Retrieval(
        passages=passages,
        doc_ids=ordered,
        analysis=analysis or analyze(question),
        matches=matches or {},
    )


def split_events(events: list) -> tuple[list[str], Outcome]:
    """The sentence texts of an answerer's stream and its final outcome (exactly one, last)."""
    assert events and isinstance(events[-1], Outcome), events
    events = [e for e in events if not isinstance(e, Progress)]  # shown, never answer text
    assert all(isinstance(e, Sentence) for e in events[:-1]), events
    return [e.text for e in events[:-1]], events[-1]


def idf_from(weights: dict[str, float], default: float = 1.0):
    """An idf function from a dict of stemmed terms (others weigh ``default``)."""
    return lambda term: weights.get(term, default)
