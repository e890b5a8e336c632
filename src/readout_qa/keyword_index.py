"""BM25 over the same chunks as the vector index, persisted beside it.

Chroma is the source of truth. This index is derived from it and stamped with
the store's generation counter: any process (one embedded app, or several
sharing a Chroma server) that sees a newer generation rebuilds its copy from
Chroma, so keyword and vector search never disagree about what exists.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bm25s
import numpy as np

from .chunk_table import ChunkTable
from .store import ChromaStore
from .terms import terms

log = logging.getLogger(__name__)

STAMP = "stamp.json"
VECTORS = "vectors.npy"
TABLE = "table"  # the chunk table's columns (chunk_table.py)
DOC_FREQS = "doc_freqs.json"
# Bump when what is saved changes: older saved indexes are then rebuilt from Chroma.
# 3: the chunk table as memory-mapped columns instead of one JSON (``chunks.json``).
FORMAT = 3


@dataclass
class KeywordHit:
    index: int
    score: float


class KeywordIndex:
    """BM25 plus the chunk table (ids, texts, metadata) it was built from.

    Loaded from disk, both are memory-mapped (as are the vectors): a process holds
    little of its own, and the processes of one machine share the page cache."""

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
        document frequencies."""
        if retriever is None or doc_freqs is None:
            retriever = bm25s.BM25()
            doc_freqs = Counter()
            if ids:
                titled = [f"{m.get('title', '')}\n{t}" for t, m in zip(texts, metas, strict=True)]
                tokens = [terms(t) or ["_"] for t in titled]
                retriever.index(tokens, show_progress=False)
                for chunk_terms in tokens:
                    doc_freqs.update(set(chunk_terms))
        self._init(ChunkTable.build(ids, texts, metas), generation, retriever, doc_freqs, vectors)

    def _init(
        self,
        table: ChunkTable,
        generation: int,
        retriever: bm25s.BM25,
        doc_freqs: dict[str, int],
        vectors: np.ndarray | None,
    ) -> None:
        self.table = table
        # Sequences and a lookup read from the table on demand (not lists and a dict).
        self.ids = table.ids
        self.texts = table.texts
        self.metas = table.metas
        self.position = table.position
        self.generation = generation
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
            if len(self.ids):
                self.retriever.save(str(tmp), show_progress=False)
            self.table.save(tmp / TABLE)
            with open(tmp / DOC_FREQS, "w", encoding="utf-8") as fh:
                json.dump(self.doc_freqs, fh)
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
        """The saved index, or None when it is missing, of an older format or unusable
        (the caller then rebuilds it from Chroma); an unusable one is logged as a warning
        naming the file and the reason."""
        try:
            return cls.open(directory)
        except FileNotFoundError as exc:
            if Path(exc.filename or "").name != STAMP:
                log.warning(
                    "keyword index at %s: %s is missing; rebuilding", directory, exc.filename
                )
            return None
        except OldFormat as exc:
            log.info("keyword index at %s: %s; rebuilding", directory, exc)
            return None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("keyword index at %s is unusable (%s); rebuilding", directory, exc)
            return None

    @classmethod
    def open(cls, directory: Path) -> KeywordIndex:
        """The saved index, memory-mapped; raises :class:`OldFormat` for an index written
        by an older version and ``ValueError``/``OSError`` naming the file that is wrong."""
        stamp_path = directory / STAMP
        try:
            stamp = json.loads(stamp_path.read_text(encoding="utf-8"))
            count = int(stamp["count"])
            generation = int(stamp["generation"])
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{stamp_path}: unreadable ({exc})") from exc
        if stamp.get("format") != FORMAT:
            raise OldFormat(f"format {stamp.get('format')}, this version writes {FORMAT}")
        table = ChunkTable.open(directory / TABLE, count)
        freqs_path = directory / DOC_FREQS
        try:
            doc_freqs = json.loads(freqs_path.read_text(encoding="utf-8"))
            if not isinstance(doc_freqs, dict):
                raise TypeError("not an object")
        except (ValueError, TypeError) as exc:
            raise ValueError(f"{freqs_path}: unreadable ({exc})") from exc
        retriever = (
            # Memory-mapped: the score table is read from the page cache, which all
            # app processes on the machine share, and opening costs no full read.
            bm25s.BM25.load(str(directory), show_progress=False, mmap=True)
            if count
            else bm25s.BM25()
        )
        index = cls.__new__(cls)
        index._init(
            table, generation, retriever, doc_freqs, _load_vectors(directory / VECTORS, count)
        )
        return index

    def idf(self, term: str) -> float:
        """Inverse document frequency of a stemmed term over chunks (rare words weigh more)."""
        n = max(len(self.ids), 1)
        df = self.doc_freqs.get(term, 0)
        return float(np.log(1.0 + (n - df + 0.5) / (df + 0.5)))

    # --- search ----------------------------------------------------------------------
    def search(self, query: str, k: int, mask: np.ndarray | None = None) -> list[KeywordHit]:
        """Top-k chunks by BM25 among those where ``mask`` is True."""
        if not len(self.ids):
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
        return self.table.mask(where)

    # --- rows by readout ---------------------------------------------------------
    def rows_of_doc(self, doc_id: str) -> np.ndarray:
        """The rows of one readout's chunks, in row order."""
        return self.table.rows_of_doc(doc_id)


class OldFormat(ValueError):
    """A saved index written by an older version: rebuilt, not an error."""


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
    if vectors.ndim != 2 or vectors.shape[0] != count:
        raise ValueError(f"{path}: holds vectors of shape {vectors.shape}, not {count} rows")
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
        return index  # a read-only data dir still answers questions; it just rebuilds next time
    # Reopened from disk: memory-mapped like every other process's copy, and the lists
    # the build needed are freed.
    return KeywordIndex.load(directory) or index
