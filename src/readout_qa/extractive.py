"""The offline answerer: picks the readout sentences that answer, and quotes them.

It adds no words of its own to a claim (each answer sentence is a verbatim
readout sentence with its marker), so it cannot invent a fact. Its judgement is
in *which* sentences: those covering the question's topic words, weighted by
how rare each word is in the corpus, with a dense-similarity fallback for
paraphrased questions, and a refusal when nothing covers the topic.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .chunking import split_sentences
from .citations import CitationBuilder, looks_like_instruction
from .models import Passage
from .query import QueryAnalysis
from .retrieval import DocMatch
from .terms import terms, topic_terms

Idf = Callable[[str], float]
Embed = Callable[[list[str]], np.ndarray]


@dataclass
class ExtractiveConfig:
    """Thresholds chosen on the evals (see README, "Answering")."""

    min_coverage: float = 0.3  # share of the topic's idf mass a sentence must cover
    min_dense: float = 0.55  # cosine for the paraphrase fallback
    max_sentences: int = 3
    relative_keep: float = 0.3  # extra sentences must score this share of the best
    min_gain: float = 0.15  # ... and cover this much more of the topic
    doc_prior: float = 0.1  # preference for the best-ranked readouts
    dense_docs: int = 2
    max_dense: int = 16  # sentences embedded at most for the fallback (latency)
    min_overlap: float = 0.01  # topic share a meaning-matched sentence must still cover


@dataclass
class Candidate:
    passage_index: int
    start: int
    end: int
    text: str
    terms: set[str]
    score: float = 0.0
    coverage: float = 0.0


@dataclass
class Selection:
    """The chosen sentences (best first) or, when empty, a refusal."""

    chosen: list[Candidate]
    reason: str


def candidates(passages: list[Passage]) -> list[Candidate]:
    out = []
    seen: set[tuple[str, int]] = set()
    for i, p in enumerate(passages):
        for s, e in split_sentences(p.text, p.start):
            key = (p.doc_id, s)
            if key in seen:
                continue
            seen.add(key)
            text = p.text[s - p.start : e - p.start]
            if len(text) < 12 or looks_like_instruction(text):
                continue
            out.append(Candidate(i, s, e, text, {match_key(t) for t in terms(text)}))
    return out


def match_key(term: str) -> str:
    """Stems cut to six letters: the stemmer leaves "withdrawn"/"withdraw" and
    "negotiation"/"negotiating" apart; readouts and questions use either."""
    return term[:6]


def topic_weights(text: str, names: set[str], idf: Idf) -> dict[str, float]:
    """Topic terms of a question (as match keys) with their idf weights."""
    weights: dict[str, float] = {}
    for t in topic_terms(text):
        if t not in names:
            key = match_key(t)
            weights[key] = max(weights.get(key, 0.0), idf(t))
    return weights


def entity_terms(analysis: QueryAnalysis) -> set[str]:
    """Terms naming who/where: they pick the readout, not the sentence. Acronyms
    ("AI", "NATO") are kept as topic words: they are usually what is asked about."""
    names = [n for n in analysis.names if not (n.isupper() and len(n) <= 5)]
    found = set(terms(" ".join(names + analysis.countries)))
    # Dates pick the readout too: "October 4, 2022" says which call, not what about.
    found |= {t for t in terms(analysis.text) if t in DATE_TERMS or YEAR.fullmatch(t)}
    if analysis.days:
        found |= {str(d % 100) for d in analysis.days}
    return found


DATE_TERMS = set(
    terms(
        "january february march april may june july august september october november december "
        "jan feb mar apr jun jul aug sep sept oct nov dec"
    )
)
YEAR = re.compile(r"(?:19|20)\d\d")


def select(
    question: str,
    analysis: QueryAnalysis,
    passages: list[Passage],
    idf: Idf,
    embed: Embed | None,
    query_vector: np.ndarray | None,
    config: ExtractiveConfig | None = None,
    matches: dict[str, DocMatch] | None = None,
) -> Selection:
    """Choose the answer sentences, or none (a refusal) with the reason."""
    cfg = config or ExtractiveConfig()
    matches = matches or {}
    # A readout about other people, or another date, than the question names cannot
    # answer it: "their 2023 call" is not answered by a 2022 readout.
    mentioned = {
        doc_id: {n for n in m.people if n not in m.missing} for doc_id, m in matches.items()
    }
    eligible = []
    for i, p in enumerate(passages):
        m = matches.get(p.doc_id)
        elsewhere = set().union(*(v for d, v in mentioned.items() if d != p.doc_id))
        if m is None or m.eligible(elsewhere):
            eligible.append(i)
    if not eligible:
        return Selection([], "no readout matches the people and dates the question names")
    allowed = set(eligible)
    cands = [c for c in candidates(passages) if c.passage_index in allowed]
    if not cands:
        return Selection([], "nothing was retrieved")
    doc_rank: dict[str, int] = {}
    for p in passages:
        doc_rank.setdefault(p.doc_id, len(doc_rank))
    topic_terms(question)
    names = entity_terms(analysis)
    weights = topic_weights(question, names, idf)
    core = list(weights)
    total = sum(weights.values())
    for c in cands:
        rank = doc_rank[passages[c.passage_index].doc_id]
        c.coverage = sum(w for t, w in weights.items() if t in c.terms) / total if total else 0.0
        c.score = c.coverage + cfg.doc_prior / (1 + rank)

    if not core:
        # "What did Biden and Xi discuss?": no topic beyond who/when, so the best
        # readout's opening sentences, which summarise the encounter, are the answer.
        top_doc = min(cands, key=lambda c: doc_rank[passages[c.passage_index].doc_id])
        doc = passages[top_doc.passage_index].doc_id
        ranked = sorted(
            (c for c in cands if passages[c.passage_index].doc_id == doc), key=lambda c: c.start
        )
        return Selection(ranked[:2], "summary of the best-matching readout")

    ranked = sorted(cands, key=lambda c: c.score, reverse=True)
    parts = _per_clause(question, names, cands, passages, doc_rank, idf, cfg)
    if parts:
        return Selection(parts, "each part of the question answered")
    if ranked[0].coverage >= cfg.min_coverage:
        chosen = _cover(ranked, weights, total, cfg)
        return Selection(_each_date(chosen, ranked, analysis, passages, cfg), "topic words found")

    if embed is not None and query_vector is not None:
        top_docs = {d for d, r in doc_rank.items() if r < cfg.dense_docs}
        # Some topic word must be there too: by meaning alone, a readout's opening line
        # "matches" any question about its leaders.
        near = [
            c
            for c in cands
            if passages[c.passage_index].doc_id in top_docs and c.coverage >= cfg.min_overlap
        ]
        near = sorted(near, key=lambda c: c.coverage, reverse=True)[: cfg.max_dense]
        if near:
            sims = embed([c.text for c in near]) @ query_vector
            order = [int(i) for i in np.argsort(-sims)]
            if sims[order[0]] >= cfg.min_dense:
                chosen = [near[i] for i in order[:2] if sims[i] >= cfg.min_dense]
                return Selection(chosen, "paraphrase matched by meaning")
    return Selection(
        [], f"no sentence covers the question (best coverage {ranked[0].coverage:.2f})"
    )


CLAUSE_SPLIT = re.compile(
    r",?\s+and\s+(?=(?:what|which|who|whom|whose|where|when|how|why|did|does|do|was|were|is|"
    r"are|in which|on which|for which|for whom)\b)|;\s+|\?\s+(?=\S)",
    re.IGNORECASE,
)


def _per_clause(
    question: str,
    names: set[str],
    cands: list[Candidate],
    passages: list[Passage],
    doc_rank: dict[str, int],
    idf: Idf,
    cfg: ExtractiveConfig,
) -> list[Candidate]:
    """For a multi-part question ("what …, and which …?"), the best sentence for each
    part; empty unless every part is answered, so a half answer is never passed off."""
    clauses = [c for c in CLAUSE_SPLIT.split(question) if c and c.strip()]
    if len(clauses) < 2:
        return []
    chosen: list[Candidate] = []
    for clause in clauses:
        weights = topic_weights(clause, names, idf)
        total = sum(weights.values())
        if not total:
            continue
        best, best_score = None, 0.0
        for c in cands:
            coverage = sum(w for t, w in weights.items() if t in c.terms) / total
            score = coverage + cfg.doc_prior / (1 + doc_rank[passages[c.passage_index].doc_id])
            if coverage >= cfg.min_coverage and score > best_score:
                best, best_score = c, score
        if best is None:
            return []
        if best not in chosen:
            chosen.append(best)
    return chosen[: cfg.max_sentences + 1]


def _each_date(
    chosen: list[Candidate],
    ranked: list[Candidate],
    analysis: QueryAnalysis,
    passages: list[Passage],
    cfg: ExtractiveConfig,
) -> list[Candidate]:
    """A question about two dates ("on October 4, 2022 and October 16, 2024") is about two
    readouts: make sure each date has its best sentence, not only the first."""
    keys = [("day", d) for d in analysis.days] or [("month", d) for d in analysis.dates]
    if len(keys) < 2:
        return chosen
    out = list(chosen)
    for kind, value in keys:
        single = QueryAnalysis(
            text="",
            days=[value] if kind == "day" else [],
            dates=[value] if kind == "month" else [(value // 10000, (value // 100) % 100)],
        )

        def fits(c: Candidate, single: QueryAnalysis = single) -> bool:
            date_int = int(passages[c.passage_index].metadata.get("date_int", 0))
            return bool(single.date_fits(date_int))

        if any(fits(c) for c in out):
            continue
        extra = next((c for c in ranked if fits(c) and c.coverage >= cfg.min_coverage), None)
        if extra is not None:
            out.append(extra)
    return out


def _cover(
    ranked: list[Candidate], weights: dict[str, float], total: float, cfg: ExtractiveConfig
) -> list[Candidate]:
    """Greedy cover of the question's topic: each extra sentence must add unmet terms
    (multi-part and cross-readout questions) or be nearly as good as the best."""
    best = ranked[0]
    chosen = [best]
    covered = {t for t in weights if t in best.terms}
    while len(chosen) < cfg.max_sentences:
        pick, gain = None, 0.0
        for c in ranked[1:]:
            if c in chosen or c.score < cfg.relative_keep * best.score:
                continue
            g = sum(w for t, w in weights.items() if t in c.terms and t not in covered) / total
            if g > gain + 1e-9:
                pick, gain = c, g
        if pick is None or gain < cfg.min_gain:
            break
        chosen.append(pick)
        covered |= {t for t in weights if t in pick.terms}
    return chosen


def compose(selection: Selection, passages: list[Passage], builder: CitationBuilder) -> list[str]:
    """Answer sentences with their markers, in the order chosen."""
    return [builder.add_quote(passages[c.passage_index], c.start, c.end) for c in selection.chosen]
