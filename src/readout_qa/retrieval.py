"""Hybrid retrieval: dense (Chroma) + BM25, fused, then steered by who/where/when.

Two stages, because readouts are documents about one encounter each:
1. chunk candidates from both searches are fused by reciprocal rank;
2. readouts are ranked by their best chunks plus soft boosts for the names,
   countries and dates the question mentions (never a hard filter, so a vague
   question still finds its readout), and the passages of the best readouts are
   returned.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding

from .embeddings import embed_query
from .entities import country_of_name, is_region_word
from .filtering import country_key, to_where
from .keyword_index import KeywordIndex
from .models import Filters, Passage
from .query import QueryAnalysis, analyze
from .store import ChromaStore


@dataclass
class RetrievalConfig:
    """Weights chosen on the evals (see README, "Retrieval")."""

    candidates: int = 40  # per search
    rrf_k: int = 60
    dense_weight: float = 1.0
    keyword_weight: float = 1.0
    name_boost: float = 0.012  # per name of the question found in the readout
    lead_boost: float = 0.011  # ... found in its title or opening lines ("at Woodside")
    country_boost: float = 0.004
    date_boost: float = 0.015  # the readout's date fits the month/year asked about
    day_boost: float = 0.030  # ... the exact day asked about
    date_penalty: float = 0.015
    max_docs: int = 5
    full_docs: int = 3  # readouts whose every chunk goes to the answerer
    passages_per_doc: int = 3


@dataclass
class DocMatch:
    """Who/when evidence for one readout; the answerer uses it to judge eligibility."""

    names_found: int
    names_total: int
    countries_found: int
    date_fit: bool | None
    topics_found: int = 0
    lead_found: int = 0  # names in the title or opening lines: who met where

    missing: tuple[str, ...] = ()  # names of the question this readout does not mention
    people: tuple[str, ...] = ()  # the names of the question a readout must mention
    countries_total: int = 0

    def eligible(self, found_elsewhere: set[str]) -> bool:
        """Can this readout answer, given who, where and when the question names?

        One or two names: the readout must mention each. Three or more (a question
        spanning readouts, "Bolsonaro met Putin ... and Biden ..."): it must mention
        two, and each missing name must be mentioned by another retrieved readout.
        A question naming only countries needs a readout about one of them.
        """
        if self.date_fit is False:
            return False
        if self.countries_total and not self.countries_found and not self.names_found:
            return False
        if self.names_total <= 2:
            return self.names_found == self.names_total
        return self.names_found >= 2 and all(n in found_elsewhere for n in self.missing)


@dataclass
class Retrieval:
    """Passages best first, the readouts they come from, and timings."""

    passages: list[Passage]
    doc_ids: list[str]
    analysis: QueryAnalysis
    query_vector: np.ndarray | None = None
    timings: dict[str, float] = field(default_factory=dict)
    matches: dict[str, DocMatch] = field(default_factory=dict)


class HybridRetriever:
    """Dense + keyword search over one index, with entity/date steering."""

    def __init__(
        self,
        store: ChromaStore,
        keyword: KeywordIndex,
        embed_model: BaseEmbedding,
        config: RetrievalConfig | None = None,
    ) -> None:
        self.store = store
        self.keyword = keyword
        self.embed_model = embed_model
        self.config = config or RetrievalConfig()
        self._doc_chunks: dict[str, list[int]] = defaultdict(list)
        for i, doc_id in enumerate(keyword.doc_ids):
            self._doc_chunks[str(doc_id)].append(i)
        self._doc_text_lower: dict[str, str] = {}
        self._doc_words: dict[str, frozenset[str]] = {}
        self._doc_lead: dict[str, frozenset[str]] = {}

    def retrieve(
        self,
        query: str,
        filters: Filters | None = None,
        k: int = 8,
        use_dense: bool = True,
        use_keyword: bool = True,
    ) -> Retrieval:
        cfg = self.config
        timings: dict[str, float] = {}
        where = to_where(filters)
        analysis = analyze(query)
        fused: dict[str, float] = defaultdict(float)
        meta_of: dict[str, dict] = {}
        text_of: dict[str, str] = {}
        vector = None

        if use_dense:
            t = time.perf_counter()
            vector = embed_query(self.embed_model, query)
            timings["embed"] = time.perf_counter() - t
            t = time.perf_counter()
            size = len(self.keyword.ids) or None  # None: ask Chroma (our copy may be behind)
            hits = self.store.query(vector, cfg.candidates, where, size=size)
            unknown = [cid for cid, _ in hits if cid not in self.keyword.position]
            fetched = self.store.get_chunks(unknown) if unknown else {}  # newer than our copy
            for rank, (cid, _sim) in enumerate(hits):
                fused[cid] += cfg.dense_weight / (cfg.rrf_k + rank + 1)
                if cid in fetched:
                    text_of[cid], meta_of[cid] = fetched[cid]
                else:
                    i = self.keyword.position[cid]
                    meta_of[cid], text_of[cid] = self.keyword.metas[i], self.keyword.texts[i]
            timings["dense"] = time.perf_counter() - t

        if use_keyword:
            t = time.perf_counter()
            mask = self.keyword.filter_mask(where)
            for rank, hit in enumerate(self.keyword.search(query, cfg.candidates, mask)):
                cid = self.keyword.ids[hit.index]
                fused[cid] += cfg.keyword_weight / (cfg.rrf_k + rank + 1)
                meta_of.setdefault(cid, self.keyword.metas[hit.index])
                text_of.setdefault(cid, self.keyword.texts[hit.index])
            timings["keyword"] = time.perf_counter() - t

        t = time.perf_counter()
        by_doc: dict[str, list[str]] = defaultdict(list)
        for cid in sorted(fused, key=fused.__getitem__, reverse=True):
            by_doc[str(meta_of[cid].get("doc_id"))].append(cid)
        doc_scores: dict[str, float] = {}
        matches: dict[str, DocMatch] = {}
        for doc_id, cids in by_doc.items():
            scores = [fused[c] for c in cids]
            base = scores[0] + 0.3 * sum(scores[1:3])
            matches[doc_id] = self.match(doc_id, meta_of[cids[0]], analysis)
            doc_scores[doc_id] = base + self._boost(matches[doc_id], analysis)
        ranked_docs = sorted(doc_scores, key=doc_scores.__getitem__, reverse=True)

        passages: list[Passage] = []
        for rank, doc_id in enumerate(ranked_docs[: cfg.max_docs]):
            chosen = list(by_doc[doc_id][: cfg.passages_per_doc])
            if rank < cfg.full_docs:
                # Readouts are short: hand the answerer the whole of the best few, since
                # the sentence that answers is often in a chunk no search ranked high.
                chosen += [c for c in self._chunks_of(doc_id) if c not in chosen]
            for cid in chosen:
                i = self.keyword.position.get(cid)
                meta = meta_of.get(cid) or (self.keyword.metas[i] if i is not None else {})
                text = text_of.get(cid) or (self.keyword.texts[i] if i is not None else "")
                passages.append(
                    Passage(
                        chunk_id=cid,
                        doc_id=doc_id,
                        text=text,
                        start=int(meta.get("start", 0)),
                        end=int(meta.get("end", 0)),
                        score=fused.get(cid, 0.0) + doc_scores[doc_id],
                        metadata=meta,
                    )
                )
        passages.sort(key=lambda p: p.score, reverse=True)
        timings["fuse"] = time.perf_counter() - t
        return Retrieval(
            passages=passages,
            doc_ids=ranked_docs,
            analysis=analysis,
            query_vector=vector,
            timings=timings,
            matches=matches,
        )

    def _chunks_of(self, doc_id: str) -> list[str]:
        return [self.keyword.ids[i] for i in self._doc_chunks.get(doc_id, [])]

    def doc_lead_words(self, doc_id: str) -> frozenset[str]:
        """Words of a readout's title and opening (~400 characters): a readout says who met
        whom, where and when first; a later mention ("since the Woodside Summit") is history."""
        cached = self._doc_lead.get(doc_id)
        if cached is None:
            text = self.doc_text(doc_id)
            title_end = text.find("\n", text.find("\n") + 1)  # title and publisher lines
            cached = frozenset(_words(text[: max(title_end, 0) + 400]))
            self._doc_lead[doc_id] = cached
        return cached

    def doc_words(self, doc_id: str) -> frozenset[str]:
        """The words of a readout (title, publisher, body), lower-cased, for name checks."""
        cached = self._doc_words.get(doc_id)
        if cached is None:
            cached = frozenset(_words(self.doc_text(doc_id)))
            self._doc_words[doc_id] = cached
        return cached

    def doc_text(self, doc_id: str) -> str:
        """Lower-cased title and body of a readout, from the keyword index's chunk table."""
        cached = self._doc_text_lower.get(doc_id)
        if cached is None:
            idx = self._doc_chunks.get(doc_id, [])
            meta = self.keyword.metas[idx[0]] if idx else {}
            head = f"{meta.get('title', '')}\n{meta.get('publisher', '')}"
            cached = (head + "\n" + "\n".join(self.keyword.texts[i] for i in idx)).lower()
            self._doc_text_lower[doc_id] = cached
        return cached

    def match(self, doc_id: str, meta: dict, a: QueryAnalysis) -> DocMatch:
        """How well a readout fits who and when the question names."""
        names = [n for n in a.names if n not in a.countries and not is_region_word(n)]
        # People and places decide which readout can answer; acronyms and model names
        # ("AI", "S-400") are topics, which only steer the ranking.
        people = [n for n in names if not _is_topic_name(n)]
        text = self.doc_words(doc_id) if names else frozenset()
        lead = self.doc_lead_words(doc_id) if names else frozenset()
        found = set()
        for n in names:
            country = country_of_name(n)  # "Ottawa", "American": the readout's country tags
            if _name_in(n, text) or (country and meta.get(country_key(country))):
                found.add(n)
        countries = sum(1 for c in a.countries if meta.get(country_key(c)))
        return DocMatch(
            names_found=sum(1 for n in people if n in found),
            names_total=len(people),
            countries_found=countries,
            date_fit=a.date_fits(int(meta.get("date_int", 0) or 0)),
            topics_found=sum(1 for n in names if n in found and n not in people),
            missing=tuple(n for n in people if n not in found),
            lead_found=sum(1 for n in names if _name_in(n, lead)),
            people=tuple(people),
            countries_total=len(a.countries),
        )

    def _boost(self, m: DocMatch, a: QueryAnalysis) -> float:
        cfg = self.config
        boost = cfg.name_boost * (m.names_found + m.topics_found) + cfg.lead_boost * m.lead_found
        boost += cfg.country_boost * m.countries_found
        if m.date_fit is True:
            boost += cfg.day_boost if a.days else cfg.date_boost
        elif m.date_fit is False:
            boost -= cfg.date_penalty
        return boost


def _is_topic_name(name: str) -> bool:
    return any(ch.isdigit() for ch in name) or (name.isupper() and len(name) <= 5)


def _words(text: str) -> list[str]:
    out = []
    for token in _WORD.findall(text.lower()):
        out.append(token[:-2] if token.endswith(("'s", "’s")) else token.rstrip("'’-"))
    return out


_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def _name_in(name: str, words: frozenset[str]) -> bool:
    """A name matches when one of its words (a surname, a place) is among the readout's
    words; for names of three words or more ("Kim Jong Un") two must be ("Kim Sung-han"
    is another man)."""
    tokens = [t for t in _words(name) if len(t) >= 2 and t not in _PARTICLES]
    hits = sum(1 for t in tokens if t in words)
    return bool(tokens) and hits >= (2 if len(tokens) >= 3 else 1)


_PARTICLES = {"de", "da", "di", "du", "del", "der", "den", "van", "von", "la", "le", "bin", "al"}
