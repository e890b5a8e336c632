"""Choosing answer sentences by meaning, when the question's words are not the readout's.

Both fallbacks embed a few candidate sentences with the local model and compare them with
the question's vector; they run only when no sentence covers enough of the question's
topic words, because by meaning alone a readout's opening line "matches" any question
about its leaders.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from ..config import ExtractiveConfig
from ..dates import DATE_WORDS
from ..models import Passage
from ..query import QueryAnalysis
from .answer_type import asked_kind, kind_factor

YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# "What did they say about the Kuril Islands?" names its topic: a readout that answers it uses
# those words (or the thesaurus's); by meaning alone, a sentence on something near it would be
# quoted for a topic the readout never mentions. "Which disputed isles ...?" describes its
# answer instead, which is where meaning helps.
NAMES_ITS_TOPIC = re.compile(r"\b(?:about|regarding|concerning)\b", re.IGNORECASE)
DATE_WORDS_LOWER = frozenset(w.lower() for w in DATE_WORDS)

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


def what_not_who(question: str, analysis: QueryAnalysis) -> str:
    """The question without who and when ("In his January 2021 call with Tokyo's premier, which
    disputed isles ..." -> "In his call with premier, which disputed isles ..."): every sentence
    of the readout shares its who and when, so only the rest can tell them apart."""
    text = question
    for name in sorted(analysis.names + analysis.countries, key=len, reverse=True):
        text = re.sub(rf"\b{re.escape(name)}(?:'s|’s)?\b", " ", text)
    text = YEAR.sub(" ", text)
    kept = [w for w in text.split() if w.lower().strip(",.?!:;") not in DATE_WORDS_LOWER]
    return " ".join(kept)


def stands_out(
    question: str,
    analysis: QueryAnalysis,
    cands: list[Candidate],
    passages: list[Passage],
    doc_rank: dict[str, int],
    embed: Embed,
    cfg: ExtractiveConfig,
    known: dict[str, str],
) -> list[Candidate]:
    """For a question in other words than the readout's: the sentence of the best readout
    that fits who and when which is closest in meaning to *what* the question asks, if it
    stands clearly ahead of that readout's other sentences.

    Compared with the question's what, not its who: by the whole question, the readout's
    opening line ("President Biden spoke with Prime Minister Suga ...") is closest to every
    question about that call. An absolute cosine cannot separate a paraphrase from an
    unanswerable question; how far one sentence stands out from its neighbours does better.
    ``known``: each readout's who met whom (:func:`.extractive.who_met_whom`), which a name
    asked for must not merely repeat."""
    if not cfg.relative_dense or not cands or NAMES_ITS_TOPIC.search(question):
        return []
    best_rank = min(doc_rank[passages[c.passage_index].doc_id] for c in cands)
    doc = next(d for d, r in doc_rank.items() if r == best_rank)
    in_doc = [c for c in cands if passages[c.passage_index].doc_id == doc]
    opening = min(c.start for c in in_doc)
    # The opening line says who met whom; the answer to "what" is further down.
    near = [c for c in in_doc if c.start != opening][: cfg.max_relative_dense]
    if len(near) < cfg.min_relative_sentences:
        return []
    what = what_not_who(question, analysis)
    vectors = embed([what] + [c.text for c in near])
    sims = vectors[1:] @ vectors[0]
    # "What sum did Washington pledge ...?": of the sentences close in meaning, one without
    # a number is no answer, and one with it should stand out the more for it.
    kind = asked_kind(question)
    if kind is not None:
        factors = np.array([kind_factor(c.text, kind, question, known[doc]) for c in near])
        sims = np.where(sims > 0, sims * factors, sims)
    order = [int(i) for i in np.argsort(-sims)]
    top, second = float(sims[order[0]]), float(sims[order[1]])
    z = (top - float(sims.mean())) / max(float(sims.std()), 1e-6)
    if (
        top >= cfg.min_relative_sim
        and z >= cfg.min_relative_z
        and top - second >= cfg.min_relative_gap
    ):
        return [near[order[0]]]
    return []
