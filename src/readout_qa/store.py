"""The Chroma side of the index: chunk vectors, readout records, and their state.

Two collections live in one Chroma database (embedded or a server):

- ``<name>_chunks``: one record per chunk with its vector and flat metadata;
- ``<name>_docs``: one record per *completed* readout (body, hash, chunk count).

A readout record is written only after all its chunks are, so a readout that
has a record is complete; anything else is repaired by the next ingest. Both
collections are the single source of truth that every app process shares,
which is what lets the keyword index be rebuilt from here (see keyword_index).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_exponential

from .config import Settings
from .models import Chunk, Readout

STATE_ID = "__state__"
BATCH = 2000  # below Chroma's max batch size for embedded and server clients


class StoreError(RuntimeError):
    """The index cannot be opened or written; the message says where and why."""


@dataclass
class DocRecord:
    doc_id: str
    content_hash: str
    n_chunks: int
    metadata: dict[str, Any]


def _client(settings: Settings) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        if not url.hostname:
            raise StoreError(f"READOUT_QA_CHROMA_URL {settings.chroma_url!r} is not a URL")
        headers = {}
        if settings.chroma_token:
            headers["Authorization"] = f"Bearer {settings.chroma_token}"
        try:
            client = retry(
                lambda: chromadb.HttpClient(
                    host=url.hostname,
                    port=url.port or (443 if url.scheme == "https" else 8000),
                    ssl=url.scheme == "https",
                    headers=headers,
                    settings=chroma_settings,
                ),
            )
        except Exception as exc:
            raise StoreError(
                f"cannot reach the Chroma server at {settings.chroma_url}: {exc}"
            ) from exc
        # chromadb's HTTP session waits forever by default: a frozen server must not
        # hang a user's question, so bound every request.
        session = getattr(getattr(client, "_server", None), "_session", None)
        if session is not None:
            import httpx

            session.timeout = httpx.Timeout(30.0, connect=3.0)
        return client
    path = Path(settings.data_dir) / "chroma"
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create the data directory {path}: {exc.strerror}") from exc
    try:
        return chromadb.PersistentClient(path=str(path), settings=chroma_settings)
    except Exception as exc:
        raise StoreError(
            f"the Chroma store at {path} cannot be opened ({exc}); it may be corrupt: "
            "move it away and re-ingest (readout-qa ingest --rebuild)"
        ) from exc


def _transient(exc: BaseException) -> bool:
    """Errors a restarting or briefly unreachable server gives; a bad request, a full disk
    or a corrupt file is final and must not be retried."""
    import httpx

    if isinstance(exc, (httpx.TransportError, ConnectionError, TimeoutError)):
        return True
    # chromadb turns a refused connection into this ValueError when a client is made.
    return isinstance(exc, ValueError) and "Could not connect to a Chroma server" in str(exc)


def retry(fn: Callable[[], Any], attempts: int = 4, first_wait: float = 0.25) -> Any:
    """Call ``fn``, retrying transient server errors with exponential backoff."""
    retrying = Retrying(
        stop=stop_after_attempt(attempts),
        wait=wait_exponential(multiplier=first_wait, max=4 * first_wait),
        retry=retry_if_exception(_transient),
        reraise=True,
    )
    return retrying(fn)


class ChromaStore:
    """Chunk vectors and readout records in Chroma, with the embedding model recorded."""

    def __init__(self, settings: Settings, embed_model_name: str, dim: int | None) -> None:
        self.settings = settings
        self.client = _client(settings)
        self.embed_model_name = embed_model_name
        try:
            self.chunks = self._open_or_create(
                f"{settings.collection}_chunks",
                {"hnsw:space": "cosine", "embed_model": embed_model_name},
            )
            self.docs = self._open_or_create(f"{settings.collection}_docs", {"kind": "docs"})
        except Exception as exc:
            raise StoreError(f"cannot open the index collections: {exc}") from exc
        recorded = (self.chunks.metadata or {}).get("embed_model")
        if recorded and recorded != embed_model_name:
            raise StoreError(
                f"this index was built with the embedding model {recorded!r} but "
                f"{embed_model_name!r} is configured; re-ingest with --rebuild "
                "(or set READOUT_QA_EMBED_MODEL back)"
            )
        self.dim = dim

    def _open_or_create(self, name: str, metadata: dict) -> Any:
        # get_or_create would overwrite the recorded metadata (the embedding model)
        # on an existing collection, so look first and create only when absent.
        try:
            return self.client.get_collection(name, embedding_function=None)
        except Exception:
            return self.client.create_collection(
                name, embedding_function=None, metadata=metadata, get_or_create=True
            )

    @property
    def location(self) -> str:
        """Where the index lives, for messages: the server URL or the folder."""
        return self.settings.chroma_url or str(Path(self.settings.data_dir) / "chroma")

    def _guard(self, fn: Any, what: str) -> Any:
        """Run a Chroma call (retrying a server's transient errors); failure is a StoreError
        naming the store. The embedded store is called once: its errors are not transient."""
        try:
            return retry(fn, attempts=3) if self.settings.chroma_url else fn()
        except Exception as exc:
            raise StoreError(f"cannot {what} at {self.location}: {exc}") from exc

    # --- state -----------------------------------------------------------------
    def generation(self) -> int:
        """A counter bumped by every change, so other processes know to refresh."""
        got = self._guard(
            lambda: self.docs.get(ids=[STATE_ID], include=["metadatas"]), "read the index state"
        )
        if not got["ids"]:
            return 0
        return int((got["metadatas"][0] or {}).get("generation", 0))

    def bump_generation(self) -> int:
        gen = self.generation() + 1
        self.docs.upsert(
            ids=[STATE_ID],
            embeddings=[[1.0]],
            documents=[""],
            metadatas=[{"generation": gen, "kind": "state"}],
        )
        return gen

    # --- readout records ---------------------------------------------------------
    def doc_records(self) -> dict[str, DocRecord]:
        got = self._guard(lambda: self.docs.get(include=["metadatas"]), "list readouts")
        out = {}
        for doc_id, meta in zip(got["ids"], got["metadatas"], strict=True):
            if doc_id == STATE_ID or not meta:
                continue
            out[doc_id] = DocRecord(
                doc_id=doc_id,
                content_hash=str(meta.get("content_hash", "")),
                n_chunks=int(meta.get("n_chunks", 0)),
                metadata=dict(meta),
            )
        return out

    def put_docs(self, items: list[tuple[Readout, str, int, dict]]) -> None:
        """Mark readouts complete: (readout, content hash, chunk count, metadata) each."""
        for lo in range(0, len(items), BATCH):
            part = items[lo : lo + BATCH]
            self.docs.upsert(
                ids=[r.doc_id for r, _, _, _ in part],
                embeddings=[[1.0]] * len(part),
                documents=[r.text for r, _, _, _ in part],
                metadatas=[
                    {**meta, "content_hash": h, "n_chunks": n, "path": r.path, "kind": "readout"}
                    for r, h, n, meta in part
                ],
            )

    def delete_docs(self, doc_ids: list[str]) -> None:
        for lo in range(0, len(doc_ids), BATCH):
            self.docs.delete(ids=doc_ids[lo : lo + BATCH])

    def bodies(self, doc_ids: Iterable[str]) -> dict[str, tuple[str, dict]]:
        """Full readout texts and metadata, for the UI's sources panel and offset checks."""
        ids = [d for d in dict.fromkeys(doc_ids) if d != STATE_ID]
        if not ids:
            return {}
        got = self._guard(
            lambda: self.docs.get(ids=ids, include=["documents", "metadatas"]), "read readouts"
        )
        return {
            i: (doc or "", meta or {})
            for i, doc, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
        }

    # --- chunks ------------------------------------------------------------------
    def add_chunks(self, chunks: list[Chunk], vectors: np.ndarray) -> None:
        for lo in range(0, len(chunks), BATCH):
            part = chunks[lo : lo + BATCH]
            self.chunks.upsert(
                ids=[c.chunk_id for c in part],
                embeddings=vectors[lo : lo + BATCH],
                documents=[c.text for c in part],
                metadatas=[c.metadata for c in part],
            )

    def delete_chunks_of(self, doc_ids: list[str]) -> None:
        for lo in range(0, len(doc_ids), 500):
            self.chunks.delete(where={"doc_id": {"$in": doc_ids[lo : lo + 500]}})

    def chunk_doc_ids(self) -> dict[str, int]:
        """How many chunks each doc id has in the store (to find orphans and excess)."""
        counts: dict[str, int] = {}
        for _ids, metas, _docs in self.iter_chunks(include_documents=False):
            for meta in metas:
                d = str(meta.get("doc_id"))
                counts[d] = counts.get(d, 0) + 1
        return counts

    def iter_chunks(
        self, include_documents: bool = True, page: int = 5000
    ) -> Iterator[tuple[list[str], list[dict], list[str]]]:
        include = ["metadatas", "documents"] if include_documents else ["metadatas"]
        offset = 0
        while True:
            got = self.chunks.get(include=include, limit=page, offset=offset)
            if not got["ids"]:
                return
            yield got["ids"], got["metadatas"], (got.get("documents") or [])
            offset += len(got["ids"])

    def iter_chunk_vectors(self, page: int = 5000) -> Iterator[tuple[list[str], np.ndarray]]:
        """Chunk ids with their stored vectors, page by page (for exact search)."""
        offset = 0
        while True:
            got = self.chunks.get(include=["embeddings"], limit=page, offset=offset)
            if not got["ids"]:
                return
            yield got["ids"], np.asarray(got["embeddings"], dtype=np.float32)
            offset += len(got["ids"])

    def count_chunks(self) -> int:
        return int(self._guard(self.chunks.count, "count chunks"))

    def query(
        self, vector: np.ndarray, k: int, where: dict | None, size: int | None = None
    ) -> list[tuple[str, float]]:
        """Nearest chunks as (id, cosine similarity), best first.

        Only ids and distances come back: fetching texts and metadata from Chroma costs
        as much as the search itself, and the caller holds them in memory already.
        ``size``, when the caller knows how many chunks there are, saves a count query.
        """
        n = self.count_chunks() if size is None else size
        if n == 0:
            return []
        res = self._guard(
            lambda: self.chunks.query(
                query_embeddings=[vector],
                n_results=min(k, n),
                where=where or None,
                include=["distances"],
            ),
            "query the chunks",
        )
        return [
            (i, 1.0 - float(dist))
            for i, dist in zip(res["ids"][0], res["distances"][0], strict=True)
        ]

    def get_chunks(self, ids: list[str]) -> dict[str, tuple[str, dict]]:
        """Texts and metadata of chunks by id (for chunks newer than a caller's copy)."""
        got = self._guard(
            lambda: self.chunks.get(ids=ids, include=["documents", "metadatas"]), "read chunks"
        )
        return {
            i: (doc or "", meta or {})
            for i, doc, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
        }

    def reset(self) -> None:
        """Drop both collections (for --rebuild)."""
        for name in (f"{self.settings.collection}_chunks", f"{self.settings.collection}_docs"):
            try:
                self.client.delete_collection(name)
            except Exception:  # noqa: S110 - absent already is fine
                pass
        self.__init__(self.settings, self.embed_model_name, self.dim)  # type: ignore[misc]
