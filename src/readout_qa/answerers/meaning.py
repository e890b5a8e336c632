"""Choosing answer sentences by meaning, when the question's words are not the readout's.

Both fallbacks embed a few candidate sentences with the local model and compare them with
the question's vector; they run only when no sentence covers enough of the question's
topic words, because by meaning alone a readout's opening line "matches" any question
about its leaders.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from ..config import ExtractiveConfig
from ..models import Passage

if TYPE_CHECKING:  # pragma: no cover
    from .extractive import Candidate

Embed = Callable[[list[str]], np.ndarray]


def by_meaning(
    cands: list[Candidate],
    passages: list[Passage],
    doc_rank: dict[str, int],
    embed: Embed,
    query_vector: np.ndarray,
    cfg: ExtractiveConfig,
) -> list[Candidate]:
    """Sentences of the best readouts close to the question by embedding similarity.

    Some topic word must be there too: by meaning alone, a readout's opening line
    "matches" any question about its leaders."""
    top_docs = {d for d, r in doc_rank.items() if r < cfg.dense_docs}
    near = [
        c
        for c in cands
        if passages[c.passage_index].doc_id in top_docs and c.coverage >= cfg.min_overlap
    ]
    near = sorted(near, key=lambda c: c.coverage, reverse=True)[: cfg.max_dense]
    if not near:
        return []
    sims = embed([c.text for c in near]) @ query_vector
    order = [int(i) for i in np.argsort(-sims)]
    return [near[i] for i in order[:2] if sims[i] >= cfg.min_dense]


def stands_out(
    cands: list[Candidate],
    passages: list[Passage],
    doc_rank: dict[str, int],
    embed: Embed,
    query_vector: np.ndarray,
    cfg: ExtractiveConfig,
) -> list[Candidate]:
    """For a question in other words than the readout's: the sentences of the readout(s)
    that fit who and when that are closest in meaning to it, if they stand well above the
    readout's other sentences. An absolute cosine cannot separate a paraphrase from an
    unanswerable question; how far a sentence stands out from its neighbours can."""
    if not cfg.relative_dense:
        return []
    ranks = sorted({doc_rank[passages[c.passage_index].doc_id] for c in cands})
    top = set(ranks[: cfg.dense_docs])
    # Only the best-scored passages of those readouts (passages come best first): each
    # sentence embedded costs ~5 ms on 2 cores, and the answer is rarely elsewhere.
    best_passages: dict[str, list[int]] = {}
    for i, p in enumerate(passages):
        kept = best_passages.setdefault(p.doc_id, [])
        if doc_rank[p.doc_id] in top and len(kept) < cfg.relative_passages:
            kept.append(i)
    allowed = {i for kept in best_passages.values() for i in kept}
    near = [c for c in cands if c.passage_index in allowed][: cfg.max_relative_dense]
    if len(near) < cfg.min_relative_sentences:
        return []
    sims = embed([c.text for c in near]) @ query_vector
    z = (sims - sims.mean()) / max(float(sims.std()), 1e-6)
    order = [int(i) for i in np.argsort(-sims)]
    return [
        near[i]
        for i in order[:2]
        if sims[i] >= cfg.min_relative_sim
        and z[i] >= cfg.min_relative_z
        and near[i].coverage >= cfg.min_relative_overlap
    ]
