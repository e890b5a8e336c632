"""The offline answerer: picks the readout sentences that answer, and quotes them.

It adds no words of its own to a claim (each answer sentence is a verbatim
readout sentence with its marker), so it cannot invent a fact. Its judgement is
in *which* sentences: those covering the question's topic words, weighted by
how rare each word is in the corpus, with a dense-similarity fallback for
paraphrased questions, and a refusal when nothing covers the topic.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..chunking import split_sentences
from ..citations import CitationBuilder, looks_like_instruction
from ..config import ExtractiveConfig
from ..dates import DATE_WORDS, date_fits
from ..models import Passage
from ..names import is_acronym
from ..query import QueryAnalysis
from ..retrieval import DocMatch, Retrieval
from ..terms import terms, topic_terms
from . import Event, Outcome, Sentence

Idf = Callable[[str], float]
Embed = Callable[[list[str]], np.ndarray]


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


def candidates(passages: list[Passage], min_chars: int = 12) -> list[Candidate]:
    """Every sentence of the passages once, without list debris and text aimed at a model."""
    out = []
    seen: set[tuple[str, int]] = set()
    for i, p in enumerate(passages):
        for s, e in split_sentences(p.text, p.start):
            key = (p.doc_id, s)
            if key in seen:
                continue
            seen.add(key)
            text = p.text[s - p.start : e - p.start]
            if len(text) < min_chars or looks_like_instruction(text):
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
    names = [n for n in analysis.names if not is_acronym(n)]
    found = set(terms(" ".join(names + analysis.countries)))
    # Dates pick the readout too: "October 4, 2022" says which call, not what about.
    found |= {t for t in terms(analysis.text) if t in DATE_TERMS or YEAR.fullmatch(t)}
    if analysis.days:
        found |= {str(d % 100) for d in analysis.days}
    return found


DATE_TERMS = frozenset(terms(" ".join(sorted(DATE_WORDS))))
YEAR = re.compile(r"(?:19|20)\d\d")


def eligible_passages(passages: list[Passage], matches: dict[str, DocMatch]) -> set[int]:
    """Indexes of the passages whose readout may answer: one about other people, or
    another date, than the question names cannot ("their 2023 call" is not answered
    by a 2022 readout)."""
    mentioned = {
        doc_id: {n for n in m.people if n not in m.missing} for doc_id, m in matches.items()
    }
    allowed = set()
    for i, p in enumerate(passages):
        m = matches.get(p.doc_id)
        elsewhere = set().union(*(v for d, v in mentioned.items() if d != p.doc_id))
        if m is None or m.eligible(elsewhere):
            allowed.add(i)
    return allowed


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
    allowed = eligible_passages(passages, matches or {})
    if not allowed:
        return Selection([], "no readout matches the people and dates the question names")
    cands = [c for c in candidates(passages, cfg.min_sentence_chars) if c.passage_index in allowed]
    if not cands:
        return Selection([], "nothing was retrieved")
    doc_rank: dict[str, int] = {}
    for p in passages:
        doc_rank.setdefault(p.doc_id, len(doc_rank))
    names = entity_terms(analysis)
    weights = topic_weights(question, names, idf)
    total = sum(weights.values())
    for c in cands:
        rank = doc_rank[passages[c.passage_index].doc_id]
        c.coverage = sum(w for t, w in weights.items() if t in c.terms) / total if total else 0.0
        c.score = c.coverage + cfg.doc_prior / (1 + rank)
    if not weights:
        return _summary(cands, passages, doc_rank, cfg)
    ranked = sorted(cands, key=lambda c: c.score, reverse=True)
    parts = _per_clause(question, names, cands, passages, doc_rank, idf, cfg)
    if parts:
        return Selection(parts, "each part of the question answered")
    if ranked[0].coverage >= cfg.min_coverage:
        chosen = _cover(ranked, weights, total, cfg)
        return Selection(_each_date(chosen, ranked, analysis, passages, cfg), "topic words found")
    if embed is not None and query_vector is not None:
        chosen = _by_meaning(cands, passages, doc_rank, embed, query_vector, cfg)
        if chosen:
            return Selection(chosen, "paraphrase matched by meaning")
    return Selection(
        [], f"no sentence covers the question (best coverage {ranked[0].coverage:.2f})"
    )


def _summary(
    cands: list[Candidate], passages: list[Passage], doc_rank: dict[str, int], cfg: ExtractiveConfig
) -> Selection:
    """ "What did Biden and Xi discuss?": no topic beyond who/when, so the best readout's
    opening sentences, which summarise the encounter, are the answer."""
    top = min(cands, key=lambda c: doc_rank[passages[c.passage_index].doc_id])
    doc = passages[top.passage_index].doc_id
    ranked = sorted(
        (c for c in cands if passages[c.passage_index].doc_id == doc), key=lambda c: c.start
    )
    return Selection(ranked[: cfg.summary_sentences], "summary of the best-matching readout")


def _by_meaning(
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
    windows: list[tuple[list[int], list]] = [([d], []) for d in analysis.days] or [
        ([], [p]) for p in analysis.periods
    ]
    if len(windows) < 2:
        return chosen
    out = list(chosen)
    for days, periods in windows:

        def fits(c: Candidate, days: list[int] = days, periods: list = periods) -> bool:
            date_int = int(passages[c.passage_index].metadata.get("date_int", 0))
            return bool(date_fits(date_int, days, periods))

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


class ExtractiveAnswerer:
    """The offline answerer as a component: quotes readout sentences, or declines.

    ``idf`` weighs question words by rarity (the keyword index's corpus statistics) and
    ``embed`` embeds sentences for the paraphrase fallback; both are functions so that
    the answerer always sees the index that is current when it is asked.
    """

    name = "extractive"
    label = "extractive"

    def __init__(
        self, idf: Idf, embed: Embed | None = None, config: ExtractiveConfig | None = None
    ) -> None:
        self.idf = idf
        self.embed = embed
        self.config = config or ExtractiveConfig()

    def select(self, question: str, retrieval: Retrieval) -> Selection:
        """The sentences that answer (best first), or none with the reason."""
        return select(
            question,
            retrieval.analysis,
            retrieval.passages,
            idf=self.idf,
            embed=self.embed,
            query_vector=retrieval.query_vector,
            config=self.config,
            matches=retrieval.matches,
        )

    def stream(
        self, question: str, retrieval: Retrieval, history: Sequence[Any] = ()
    ) -> Iterator[Event]:
        """Quoted sentences, then the outcome (declined with the reason when none answers)."""
        selection = self.select(question, retrieval)
        builder = CitationBuilder(retrieval.passages)
        for text in compose(selection, retrieval.passages, builder):
            yield Sentence(text)
        yield Outcome(
            citations=builder.citations,
            declined="" if selection.chosen else selection.reason,
        )
