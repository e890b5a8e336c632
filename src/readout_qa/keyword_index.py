"""BM25 over the same chunks as the vector index, persisted beside it.

Chroma is the source of truth. This index is derived from it and stamped with
the store's generation counter: any process (one embedded app, or several
sharing a Chroma server) that sees a newer generation rebuilds its copy from
Chroma, so keyword and vector search never disagree about what exists.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bm25s
import numpy as np

from .store import ChromaStore
from .terms import terms

STAMP = "stamp.json"
VECTORS = "vectors.npy"
FORMAT = 2  # bump when what is saved changes: older saved indexes are then rebuilt
META = "chunks.json"


@dataclass
class KeywordHit:
    index: int
    score: float


class KeywordIndex:
    """In-memory BM25 plus the chunk table (ids, texts, metadata) it was built from."""

    def __init__(
        self,
        ids: list[str],
        texts: list[str],
        metas: list[dict],
        generation: int,
        retriever: bm25s.BM25 | None = None,
        doc_freqs: dict[str, int] | None = None,
        vectors: np.ndarray | None = None,
    ) -> None:
        """``retriever`` and ``doc_freqs``: an already built BM25 over these chunks and its
        document frequencies (when loading from disk)."""
        self.ids = ids
        self.texts = texts
        self.metas = metas
        self.generation = generation
        self.position = {cid: i for i, cid in enumerate(ids)}
        self.doc_ids = np.array([str(m.get("doc_id", "")) for m in metas], dtype=object)
        self.date_int = np.array([int(m.get("date_int", 0) or 0) for m in metas], dtype=np.int64)
        if retriever is None or doc_freqs is None:
            retriever = bm25s.BM25()
            doc_freqs = Counter()
            if ids:
                titled = [f"{m.get('title', '')}\n{t}" for t, m in zip(texts, metas, strict=True)]
                tokens = [terms(t) or ["_"] for t in titled]
                retriever.index(tokens, show_progress=False)
                for chunk_terms in tokens:
                    doc_freqs.update(set(chunk_terms))
        self.retriever = retriever
        # Kept by us (and saved), not read out of bm25s's internal score matrix.
        self.doc_freqs: dict[str, int] = dict(doc_freqs)
        # The chunks' vectors in the same order, for exact dense search (None: not kept).
        self.vectors = vectors

    @classmethod
    def build(cls, store: ChromaStore) -> KeywordIndex:
        ids: list[str] = []
        texts: list[str] = []
        metas: list[dict] = []
        generation = store.generation()
        for page_ids, page_metas, page_docs in store.iter_chunks():
            ids.extend(page_ids)
            metas.extend(page_metas)
            texts.extend(page_docs)
        order = sorted(range(len(ids)), key=ids.__getitem__)  # deterministic
        ids = [ids[i] for i in order]
        return cls(
            ids,
            [texts[i] for i in order],
            [metas[i] for i in order],
            generation,
            vectors=_vectors_in_order(store, ids),
        )

    # --- persistence ---------------------------------------------------------------
    def save(self, directory: Path) -> None:
        """Write atomically (temp dir + rename) so a crash never leaves half an index."""
        directory.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".bm25-", dir=directory.parent))
        try:
            if self.ids:
                self.retriever.save(str(tmp), show_progress=False)
            with open(tmp / META, "w", encoding="utf-8") as fh:
                json.dump(
                    {
                        "ids": self.ids,
                        "texts": self.texts,
                        "metas": self.metas,
                        "doc_freqs": self.doc_freqs,
                    },
                    fh,
                )
            if self.vectors is not None:
                np.save(tmp / VECTORS, np.ascontiguousarray(self.vectors, dtype=np.float32))
            with open(tmp / STAMP, "w", encoding="utf-8") as fh:
                json.dump(
                    {"generation": self.generation, "count": len(self.ids), "format": FORMAT}, fh
                )
            old = directory.with_name(directory.name + ".old")
            if directory.exists():
                os.replace(directory, old)
            os.replace(tmp, directory)
            shutil.rmtree(old, ignore_errors=True)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    @classmethod
    def load(cls, directory: Path) -> KeywordIndex | None:
        """The saved index, or None when it is missing or unreadable (then rebuild)."""
        try:
            stamp = json.loads((directory / STAMP).read_text(encoding="utf-8"))
            data = json.loads((directory / META).read_text(encoding="utf-8"))
            if len(data["ids"]) != int(stamp["count"]) or stamp.get("format") != FORMAT:
                return None  # an index written by an older version is rebuilt
            retriever = (
                # Memory-mapped: the score table is read from the page cache, which all
                # app processes on the machine share, and opening costs no full read.
                bm25s.BM25.load(str(directory), show_progress=False, mmap=True)
                if data["ids"]
                else bm25s.BM25()
            )
            return cls(
                data["ids"],
                data["texts"],
                data["metas"],
                int(stamp["generation"]),
                retriever,
                doc_freqs=data["doc_freqs"],  # an index saved without them is rebuilt
                vectors=_load_vectors(directory / VECTORS, len(data["ids"])),
            )
        except (OSError, ValueError, KeyError, json.JSONDecodeError):
            return None

    def idf(self, term: str) -> float:
        """Inverse document frequency of a stemmed term over chunks (rare words weigh more)."""
        n = max(len(self.ids), 1)
        df = self.doc_freqs.get(term, 0)
        return float(np.log(1.0 + (n - df + 0.5) / (df + 0.5)))

    # --- search ----------------------------------------------------------------------
    def search(self, query: str, k: int, mask: np.ndarray | None = None) -> list[KeywordHit]:
        """Top-k chunks by BM25 among those where ``mask`` is True."""
        if not self.ids:
            return []
        q = terms(query)
        if not q:
            return []
        scores = self.retriever.get_scores(q)
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [KeywordHit(int(i), float(scores[i])) for i in top if scores[i] > 0]

    def filter_mask(self, where: Any) -> np.ndarray | None:
        """The chunks that satisfy the same ``where`` the vector store gets.

        The clauses :func:`filtering.to_where` writes (date range, countries, publishers,
        doc ids) are evaluated on numpy columns, so a filtered search stays fast at a
        million chunks; any other clause falls back to a row-by-row evaluation.
        """
        if where is None:
            return None
        return self._mask(where)

    def _mask(self, where: dict) -> np.ndarray:
        from .filtering import evaluate

        mask = np.ones(len(self.ids), dtype=bool)
        for key, cond in where.items():
            if key == "$and":
                for clause in cond:
                    mask &= self._mask(clause)
            elif key == "$or":
                any_of = np.zeros(len(self.ids), dtype=bool)
                for clause in cond:
                    any_of |= self._mask(clause)
                mask &= any_of
            else:
                column = self._column(key)
                if column is None or not isinstance(cond, dict):
                    mask &= np.array([evaluate({key: cond}, m) for m in self.metas], dtype=bool)
                    continue
                for op, value in cond.items():
                    if op == "$gte":
                        mask &= column >= value
                    elif op == "$lte":
                        mask &= column <= value
                    elif op == "$gt":
                        mask &= column > value
                    elif op == "$lt":
                        mask &= column < value
                    elif op == "$eq":
                        mask &= column == value
                    elif op == "$in":
                        mask &= np.isin(column, list(value))
                    else:
                        mask &= np.array(
                            [evaluate({key: {op: value}}, m) for m in self.metas], dtype=bool
                        )
        return mask

    def _column(self, key: str) -> np.ndarray | None:
        """A metadata field as a numpy column, built on first use and kept."""
        columns = self.__dict__.setdefault("_columns", {})
        if key not in columns:
            if key == "date_int":
                columns[key] = self.date_int
            elif key == "doc_id":
                columns[key] = self.doc_ids
            elif key == "publisher":
                columns[key] = np.array(
                    [str(m.get("publisher", "")) for m in self.metas], dtype=object
                )
            elif key.startswith("country_"):
                columns[key] = np.array([bool(m.get(key)) for m in self.metas], dtype=bool)
            else:
                return None
        return columns[key]


def _vectors_in_order(store: ChromaStore, ids: list[str]) -> np.ndarray | None:
    """The stored vectors of ``ids``, row i for ids[i]; None when any is missing."""
    position = {cid: i for i, cid in enumerate(ids)}
    vectors: np.ndarray | None = None
    seen = 0
    for page_ids, page_vectors in store.iter_chunk_vectors():
        if vectors is None:
            vectors = np.zeros((len(ids), page_vectors.shape[1]), dtype=np.float32)
        for cid, row in zip(page_ids, page_vectors, strict=True):
            i = position.get(cid)
            if i is not None:
                vectors[i] = row
                seen += 1
    return vectors if seen == len(ids) and ids else None


def _load_vectors(path: Path, count: int) -> np.ndarray | None:
    """Memory-mapped, so several processes on one machine share the pages."""
    if not count or not path.exists():
        return None
    vectors = np.load(path, mmap_mode="r")
    if vectors.shape[0] != count:
        raise ValueError(f"{path} holds {vectors.shape[0]} vectors, not {count}")
    return vectors


def open_keyword_index(store: ChromaStore, directory: Path) -> KeywordIndex:
    """The persisted index if it matches the store's generation, else a rebuilt one."""
    generation = store.generation()
    index = KeywordIndex.load(directory)
    if index is not None and index.generation == generation:
        return index
    index = KeywordIndex.build(store)
    try:
        index.save(directory)
    except OSError:
        pass  # a read-only data dir still answers questions; it just rebuilds next time
    return index
