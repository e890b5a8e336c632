"""Hybrid retrieval: dense (Chroma) + BM25, fused, then steered by who/where/when.

Two stages, because readouts are documents about one encounter each:
1. chunk candidates from both searches are fused by reciprocal rank;
2. readouts are ranked by their best chunks plus soft boosts for the names,
   countries and dates the question mentions (never a hard filter, so a vague
   question still finds its readout), and the passages of the best readouts are
   returned.
"""

from __future__ import annotations

import functools
import time
from collections import defaultdict
from collections.abc import Callable, Hashable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding

from .chunking import split_sentences
from .config import RetrievalConfig
from .dates import date_window
from .embeddings import embed_query
from .filtering import country_key, evaluate, to_where
from .keyword_index import KeywordIndex
from .models import Filters, Passage
from .names import words
from .query import QueryAnalysis, analyze
from .readout_match import DocMatch, boost, match_readout, question_countries, question_names
from .store import ChromaStore

# A candidate chunk inside one retrieval: its row in the keyword index's table, or its id
# when it is newer than the table (fetched from Chroma for this question). Rows spare a
# lookup and a read of the id for each of the ~80 candidates; only passages need ids.
Key = int | str
K = TypeVar("K", bound=Hashable)


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
        self._doc_text_lower: dict[str, str] = {}
        self._doc_words: dict[str, frozenset[str]] = {}
        self._doc_lead: dict[str, frozenset[str]] = {}
        self._doc_first: dict[str, frozenset[str]] = {}
        self._doc_names: dict[int, str] = {}  # doc number of the table -> doc id

    def retrieve(
        self,
        query: str,
        filters: Filters | None = None,
        k: int = 8,
        use_dense: bool = True,
        use_keyword: bool = True,
    ) -> Retrieval:
        """Passages of the best readouts for ``query`` within ``filters``."""
        cfg = self.config
        timings: dict[str, float] = {}
        t = time.perf_counter()
        where = to_where(filters)
        analysis = analyze(query)
        mask = self.keyword.filter_mask(where)  # the filters, for both searches
        timings["prepare"] = time.perf_counter() - t
        rankings: list[tuple[list[Key], float]] = []
        # Chunks newer than our table, fetched for this question only (keyed by id), and
        # the table's chunks read for it (keyed by row): the retriever is shared by
        # threads, so nothing about one question is kept on it.
        fetched: dict[Key, tuple[str, dict]] = {}
        vector = None
        if use_dense:
            t = time.perf_counter()
            vector = embed_query(self.embed_model, query)
            timings["embed"] = time.perf_counter() - t
            t = time.perf_counter()
            rankings.append((self._dense(vector, where, mask, fetched), cfg.dense_weight))
            timings["dense"] = time.perf_counter() - t
        if use_keyword:
            t = time.perf_counter()
            hits = self.keyword.search(query, cfg.candidates, mask)
            rankings.append(([h.index for h in hits], cfg.keyword_weight))
            timings["keyword"] = time.perf_counter() - t

        # (Only over our table's vectors: a filtered query to Chroma takes seconds at scale.)
        if use_dense and vector is not None and cfg.who_weight and self.keyword.vectors is not None:
            # "the Kremlin chief ... Bangui's leader in late November 2021": neither search
            # finds the call, whose text never says "Bangui"; among the readouts about
            # every country the question names (capitals and demonyms too) in its period,
            # the closest in meaning are candidates as well.
            t = time.perf_counter()
            who = self._who_where(analysis, where)
            if who is not None:
                who_mask = self.keyword.filter_mask(who)
                if who_mask is not None and 0 < who_mask.sum() <= cfg.who_max_chunks:
                    rankings.append((self._dense(vector, who, who_mask, fetched), cfg.who_weight))
            timings["who"] = time.perf_counter() - t

        t = time.perf_counter()
        fused = fuse(rankings, cfg.rrf_k)
        by_doc = group_by_readout(fused, lambda key: self._doc_of(key, fetched))
        matches = {
            doc_id: self.match(doc_id, self._fields(keys[0], fetched), analysis)
            for doc_id, keys in by_doc.items()
        }
        doc_scores = {
            doc_id: readout_score([fused[c] for c in keys], cfg)
            + boost(matches[doc_id], analysis, cfg)
            for doc_id, keys in by_doc.items()
        }
        ranked_docs = sorted(doc_scores, key=doc_scores.__getitem__, reverse=True)
        passages = self._passages(ranked_docs, by_doc, fused, doc_scores, fetched)
        timings["fuse"] = time.perf_counter() - t
        return Retrieval(
            passages=passages,
            doc_ids=ranked_docs,
            analysis=analysis,
            query_vector=vector,
            timings=timings,
            matches=matches,
        )

    def _who_where(self, a: QueryAnalysis, where: dict | None) -> dict | None:
        """The readouts about every country a question names, in the period it names."""
        countries = question_countries(a)
        if not countries:
            return None
        clauses: list[dict] = [{country_key(c): {"$eq": True}} for c in countries]
        window = date_window(a.days, a.periods)
        if window is not None:
            clauses += [{"date_int": {"$gte": window[0]}}, {"date_int": {"$lte": window[1]}}]
        if where is not None:
            clauses.append(where)
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def dense(self, vector: np.ndarray, filters: Filters | None = None) -> list[str]:
        """Chunk ids by similarity to ``vector`` within ``filters``, best first (the dense
        half of :meth:`retrieve`)."""
        where = to_where(filters)
        keys = self._dense(vector, where, self.keyword.filter_mask(where), {})
        return [self._id_of(key) for key in keys]

    def _dense(
        self,
        vector: np.ndarray,
        where: dict | None,
        mask: np.ndarray | None,
        fetched: dict[Key, tuple[str, dict]],
    ) -> list[Key]:
        """Chunks by vector similarity, best first: rows of our table, or the ids of
        chunks newer than it.

        Exact (every stored vector scored, filters applied as a mask) while the index is
        small enough to scan in a few milliseconds: Chroma's HNSW search is approximate
        and its misses vary from run to run. Larger indexes ask Chroma's HNSW index; with
        a filter, by its selectivity: a selective one is scored exactly over its rows, a
        broad one over-fetches the unfiltered search and keeps what passes the mask.
        Chunks newer than our table are then fetched; the exact paths see them once the
        table is refreshed (``ReadoutQA`` checks every ``REFRESH_SECONDS``)."""
        cfg = self.config
        vectors = self.keyword.vectors
        if vectors is not None and len(vectors) <= cfg.exact_search_limit:
            return list(exact_top_k(vectors, vector, cfg.candidates, mask))
        if mask is not None and vectors is not None and len(mask) == len(vectors):
            rows = np.flatnonzero(mask)
            if len(rows) > cfg.exact_filtered_limit:
                kept = self._overfetch(vector, where, mask, len(rows), fetched)
                if kept is not None:
                    return [self._key_of(cid) for cid in kept]
            return list(exact_top_k_rows(vectors, vector, cfg.candidates, rows))
        size = len(self.keyword.ids) or None  # None: ask Chroma (our copy may be behind)
        hits = self.store.query(vector, cfg.candidates, where, size=size)
        unknown = [cid for cid, _ in hits if cid not in self.keyword.position]
        if unknown:
            fetched.update(self.store.get_chunks(unknown))
        return [self._key_of(cid) for cid, _sim in hits]

    def _key_of(self, cid: str) -> Key:
        """A chunk's row in our table, or its id when it is newer than the table."""
        row = self.keyword.position.get(cid)
        return cid if row is None else row

    def _id_of(self, key: Key) -> str:
        return key if isinstance(key, str) else self.keyword.ids[key]

    def _doc_of(self, key: Key, fetched: dict[Key, tuple[str, dict]]) -> str:
        """The readout of a chunk: from the table's doc column (no row is read), or the
        fetched metadata of a chunk newer than the table."""
        if isinstance(key, str):
            return str(self._chunk(key, fetched)[1].get("doc_id"))
        number = int(self.keyword.table.doc[key])
        doc_id = self._doc_names.get(number)
        if doc_id is None:
            doc_id = self._doc_names[number] = self.keyword.table.docs[number]
        return doc_id

    def _overfetch(
        self,
        vector: np.ndarray,
        where: dict | None,
        mask: np.ndarray,
        passing: int,
        fetched: dict[Key, tuple[str, dict]],
    ) -> list[str] | None:
        """The unfiltered search restricted to the filter: ask for enough neighbours that
        about four times ``candidates`` of them pass (``passing`` of the table's chunks
        do), four times more while too few pass, and rank those that pass by their exact
        similarity (stored vectors), which also makes up for some of HNSW's misses; None
        past ``overfetch_max`` neighbours."""
        cfg = self.config
        size = len(mask)
        vectors = self.keyword.vectors
        assert vectors is not None
        n = min(size, max(4 * cfg.candidates, int(4 * cfg.candidates * size / max(passing, 1))))
        while n <= cfg.overfetch_max:
            hits = self.store.query(vector, n, None, size=size)
            unknown = [cid for cid, _ in hits if cid not in self.keyword.position]
            if unknown:  # newer than our table: the filter is evaluated on their metadata
                fetched.update(self.store.get_chunks(unknown))
            kept = [(cid, sim) for cid, sim in hits if self._passes(cid, where, mask, fetched)]
            if len(kept) >= cfg.candidates or len(hits) < n:
                rows = [self.keyword.position.get(cid) for cid, _ in kept]
                known = np.array([r for r in rows if r is not None], dtype=np.int64)
                with one_blas_thread():
                    sims = (vectors[known] @ vector).tolist()
                exact = dict(zip(known.tolist(), sims, strict=True))
                scored = [
                    (exact[r] if r is not None else sim, cid)
                    for (cid, sim), r in zip(kept, rows, strict=True)
                ]
                scored.sort(key=lambda x: (-x[0], x[1]))
                return [cid for _, cid in scored[: cfg.candidates]]
            n *= 4
        return None

    def _passes(
        self, cid: str, where: dict | None, mask: np.ndarray, fetched: dict[Key, tuple[str, dict]]
    ) -> bool:
        i = self.keyword.position.get(cid)
        if i is not None:
            return bool(mask[i])
        return where is None or evaluate(where, fetched.get(cid, ("", {}))[1])

    def _fields(self, key: Key, fetched: dict[Key, tuple[str, dict]]) -> Mapping[str, Any]:
        """What ranking reads of a chunk's metadata (its date and country flags): from the
        table's columns for a row (its JSON is parsed only if its text is handed on), the
        fetched metadata otherwise."""
        got = fetched.get(key)
        if got is not None:
            return got[1]
        if isinstance(key, str):
            return self._chunk(key, fetched)[1]
        return self.keyword.table.flags(key)

    def _chunk(self, key: Key, fetched: dict[Key, tuple[str, dict]]) -> tuple[str, dict]:
        """Text and metadata of a chunk: a row of the keyword index's table (read from
        disk once per question: ``fetched`` is the question's own), or a fetched chunk."""
        got = fetched.get(key)
        if got is None:
            if isinstance(key, str):
                i = self.keyword.position.get(key)
                got = (self.keyword.texts[i], self.keyword.metas[i]) if i is not None else ("", {})
            else:
                got = (self.keyword.texts[key], self.keyword.metas[key])
            fetched[key] = got
        return got

    def _passages(
        self,
        ranked_docs: list[str],
        by_doc: dict[str, list[Key]],
        fused: dict[Key, float],
        doc_scores: dict[str, float],
        fetched: dict[Key, tuple[str, dict]],
    ) -> list[Passage]:
        cfg = self.config
        passages: list[Passage] = []
        for rank, doc_id in enumerate(ranked_docs[: cfg.max_docs]):
            chosen = list(by_doc[doc_id][: cfg.passages_per_doc])
            if rank < cfg.full_docs:
                # Readouts are short: hand the answerer the whole of the best few, since
                # the sentence that answers is often in a chunk no search ranked high.
                chosen += [r for r in self._rows_of(doc_id) if r not in chosen]
            for key in chosen:
                text, meta = self._chunk(key, fetched)
                passages.append(
                    Passage(
                        chunk_id=self._id_of(key),
                        doc_id=doc_id,
                        text=text,
                        start=int(meta.get("start", 0)),
                        end=int(meta.get("end", 0)),
                        score=fused.get(key, 0.0) + doc_scores[doc_id],
                        metadata=meta,
                    )
                )
        passages.sort(key=lambda p: p.score, reverse=True)
        return passages

    def _rows_of(self, doc_id: str) -> list[int]:
        return self.keyword.rows_of_doc(doc_id).tolist()

    def _chunks_of(self, doc_id: str) -> list[str]:
        return [self.keyword.ids[i] for i in self._rows_of(doc_id)]

    def doc_lead_words(self, doc_id: str) -> frozenset[str]:
        """Words of a readout's title and opening (``lead_chars``): a readout says who met
        whom, where and when first; a later mention ("since the Woodside Summit") is history."""
        cached = self._doc_lead.get(doc_id)
        if cached is None:
            text = self.doc_text(doc_id)
            cached = frozenset(words(text[: _title_end(text) + self.config.lead_chars]))
            self._doc_lead[doc_id] = cached
        return cached

    def doc_first_words(self, doc_id: str) -> frozenset[str]:
        """Words of a readout's title and first sentence: who took part. Names further on
        are often only mentioned ("condemned President Putin's decision")."""
        cached = self._doc_first.get(doc_id)
        if cached is None:
            text = self.doc_text(doc_id)
            title_end = _title_end(text)
            body = text[title_end:].lstrip()
            spans = split_sentences(body[:1200])
            first = body[: spans[0][1]] if spans else body[:300]
            cached = frozenset(words(text[:title_end] + " " + first))
            self._doc_first[doc_id] = cached
        return cached

    def doc_words(self, doc_id: str) -> frozenset[str]:
        """The words of a readout (title, publisher, body), lower-cased, for name checks."""
        cached = self._doc_words.get(doc_id)
        if cached is None:
            cached = frozenset(words(self.doc_text(doc_id)))
            self._doc_words[doc_id] = cached
        return cached

    def doc_text(self, doc_id: str) -> str:
        """Lower-cased title and body of a readout, from the keyword index's chunk table."""
        cached = self._doc_text_lower.get(doc_id)
        if cached is None:
            idx = self.keyword.rows_of_doc(doc_id).tolist()
            meta = self.keyword.metas[idx[0]] if idx else {}
            head = f"{meta.get('title', '')}\n{meta.get('publisher', '')}"
            cached = (head + "\n" + "\n".join(self.keyword.texts[i] for i in idx)).lower()
            self._doc_text_lower[doc_id] = cached
        return cached

    def match(self, doc_id: str, meta: Mapping[str, Any], a: QueryAnalysis) -> DocMatch:
        """How well a readout fits who and when the question names."""
        if not question_names(a):
            return match_readout(a, frozenset(), frozenset(), meta)
        return match_readout(
            a,
            self.doc_words(doc_id),
            self.doc_lead_words(doc_id),
            meta,
            first=self.doc_first_words(doc_id),
        )


def _title_end(text: str) -> int:
    """Where the title and publisher lines of :meth:`HybridRetriever.doc_text` end."""
    return max(text.find("\n", text.find("\n") + 1), 0)


@functools.cache
def _blas() -> Any:
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def one_blas_thread() -> AbstractContextManager[Any]:
    """BLAS on one thread for a query's matrix-vector product (a few thousand rows: well
    under a millisecond on one core). With OpenBLAS's default of a thread per core, the
    product waits for a second core that other processes hold, up to a scheduler tick
    (4-12 ms measured on the 2 shared cores); one thread computes the same numbers.

    Set and restored around each product by the thread asking (~0.01 ms). Measured on
    this OpenBLAS (0.3.31): a limit set in a worker thread (Gradio answers in worker
    threads) applies to that thread's products (their CPU time equals their wall time),
    and one set in the main thread holds for the whole process while it lasts; questions
    overlapping across threads can at worst leave BLAS on one thread, which is what these
    products want anyway. Idle, two threads are faster (0.05 vs 0.1 ms a product); the
    point is the tail under load."""
    return _blas().limit(limits=1, user_api="blas")


def exact_top_k(
    vectors: np.ndarray, query: np.ndarray, k: int, mask: np.ndarray | None = None
) -> list[int]:
    """Rows of ``vectors`` most similar to ``query`` (dot product of unit vectors), best
    first, ties by row; only rows where ``mask`` is True."""
    with one_blas_thread():
        sims = np.asarray(vectors @ query, dtype=np.float32)
    rows = np.arange(len(sims)) if mask is None else np.flatnonzero(mask)
    if not len(rows):
        return []
    k = min(k, len(rows))
    scores = sims[rows]
    part = np.argpartition(-scores, k - 1)[:k]
    order = part[np.lexsort((rows[part], -scores[part]))]
    return rows[order].tolist()


def exact_top_k_rows(
    vectors: np.ndarray, query: np.ndarray, k: int, rows: np.ndarray, block: int = 50_000
) -> list[int]:
    """Of the given ``rows`` (ascending), those most similar to ``query``, best first, ties
    by row. Only these rows are read, a block at a time, so a filter's few thousand rows
    of a memory-mapped million cost milliseconds and a broad one stays bounded in memory."""
    best_rows: list[np.ndarray] = []
    best_scores: list[np.ndarray] = []
    for lo in range(0, len(rows), block):
        part = rows[lo : lo + block]
        with one_blas_thread():
            scores = np.asarray(vectors[part] @ query, dtype=np.float32)
        keep = min(k, len(part))
        top = np.argpartition(-scores, keep - 1)[:keep]
        best_rows.append(part[top])
        best_scores.append(scores[top])
    if not best_rows:
        return []
    cand_rows = np.concatenate(best_rows)
    cand_scores = np.concatenate(best_scores)
    order = np.lexsort((cand_rows, -cand_scores))[:k]
    return [int(cand_rows[j]) for j in order]


def fuse(rankings: list[tuple[list[K], float]], rrf_k: int) -> dict[K, float]:
    """Reciprocal-rank fusion: each ranking adds ``weight / (rrf_k + rank)`` to its ids."""
    fused: dict[K, float] = defaultdict(float)
    for ids, weight in rankings:
        for rank, cid in enumerate(ids):
            fused[cid] += weight / (rrf_k + rank + 1)
    return dict(fused)


def group_by_readout(fused: dict[K, float], doc_of: Callable[[K], str]) -> dict[str, list[K]]:
    """Chunk ids per readout, best first; readouts in order of their best chunk."""
    by_doc: dict[str, list[K]] = defaultdict(list)
    for cid in sorted(fused, key=fused.__getitem__, reverse=True):
        by_doc[doc_of(cid)].append(cid)
    return dict(by_doc)


def readout_score(chunk_scores: list[float], cfg: RetrievalConfig) -> float:
    """A readout's score from its chunks' (best first): the best, plus a share of the next
    few, so several matching chunks count without many weak ones beating one strong one."""
    support = chunk_scores[1 : 1 + cfg.support_chunks]
    return chunk_scores[0] + cfg.support_weight * sum(support)
