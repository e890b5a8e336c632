"""Batch ingest from several worker processes into one Chroma server.

Embedding is the wall (~26 chunks/s per core), so the readouts to write are split by
doc id into batches and the standard library's :class:`ProcessPoolExecutor` embeds and
writes them in parallel, each worker with its own embedding model and Chroma client.
The parent does what must happen once: reading the files, deduplicating, planning what
changed against the server, removing orphans and (with ``sync``) gone readouts, holding
the data directory's ingest lock, and bumping the index's generation at the end.

Why this is safe: a batch writes exactly as the one-process ingest does (record
deleted, chunks replaced, record written last; chunk ids are derived from the doc id),
batches never share a doc id, and no worker deletes anything but its own readouts'
chunks. A worker that dies leaves at most its batch's readouts without a record; the
parent then plans again from the server and re-submits what is not complete to a new
pool (``retries`` times), and whatever still fails is reported per file, so the next run
finishes it. Server mode only: an embedded Chroma store must not be written by several
processes.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config import Settings
from .ingest import (
    BATCH_READOUTS,
    Progress,
    _dedupe,
    _plan,
    _remove_stale,
    _write_batch,
    ingest_lock,
    load_into,
)
from .models import FileError, IngestReport, Readout
from .store import ChromaStore

_WORKER: dict[str, Any] = {}  # the worker process's own model and store


@dataclass
class BatchResult:
    """What one worker stored: the doc ids of the batch, their chunks, embedding time."""

    doc_ids: list[str]
    chunks: int
    embed_seconds: float


def _open_worker(settings: Settings, threads: int) -> None:
    """Pool initializer: every worker loads the model and opens the server once. The local
    model gets ``threads`` ONNX Runtime threads, its share of the cores: a worker per core
    with one thread each, not every worker with a thread per core fighting for them."""
    from .config import LOCAL_EMBED_MODEL
    from .embeddings import LocalMiniLMEmbedding, embedding_for

    if settings.embed_model == LOCAL_EMBED_MODEL:
        _WORKER["model"] = LocalMiniLMEmbedding(threads=threads)
    else:
        _WORKER["model"] = embedding_for(settings)
    _WORKER["store"] = ChromaStore(settings, settings.embed_model, None)
    _WORKER["chunk_size"] = settings.chunk_size


def _write(batch: list[tuple[Readout, str]]) -> BatchResult:
    """Embed and store one batch in a worker (exactly the one-process ingest's writes)."""
    report = IngestReport()
    records = {r.doc_id: r.doc_id for r, _ in batch}  # delete any old record first
    _write_batch(batch, _WORKER["store"], _WORKER["model"], _WORKER["chunk_size"], records, report)
    return BatchResult([r.doc_id for r, _ in batch], report.chunks_added, report.embed_seconds)


def parallel_ingest(
    paths: Iterable[Path | str],
    settings: Settings,
    workers: int,
    *,
    sync: bool = False,
    rebuild: bool = False,
    progress: Progress | None = None,
    batch_readouts: int = BATCH_READOUTS,
    retries: int = 1,
    lock_timeout: float = 600.0,
) -> IngestReport:
    """Bring the server's index in line with the readouts under ``paths`` using ``workers``
    processes; the result is the one ``ReadoutQA.ingest`` gives, in less wall time.

    ``retries``: how many times readouts left unfinished by a dead worker are planned
    and submitted again in this run. Raises ``ValueError`` without a Chroma server and
    :class:`~.ingest.IngestLockedError` when another ingest holds the data directory."""
    if not settings.chroma_url:
        raise ValueError(
            "ingest with several workers needs a Chroma server (READOUT_QA_CHROMA_URL): "
            "an embedded Chroma store must not be written by several processes"
        )
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    t0 = time.perf_counter()
    report = IngestReport()
    readouts = load_into(report, [Path(p) for p in paths], settings.max_file_mb)
    with ingest_lock(Path(settings.data_dir) / "ingest.lock", lock_timeout):
        store = ChromaStore(settings, settings.embed_model, None)
        if rebuild:
            store.reset()
        _run(readouts, store, settings, workers, sync, progress, batch_readouts, retries, report)
    report.seconds = time.perf_counter() - t0
    return report


def _run(
    readouts: list[Readout],
    store: ChromaStore,
    settings: Settings,
    workers: int,
    sync: bool,
    progress: Progress | None,
    batch_readouts: int,
    retries: int,
    report: IngestReport,
) -> None:
    readouts = _dedupe(readouts, report)
    records = store.doc_records()
    todo = _plan(readouts, records, store.chunk_doc_ids(), settings.chunk_size, report)
    changed = _remove_stale(
        readouts, records, store.chunk_doc_ids(), todo, store, sync, report, set()
    )
    existed = set(records)
    total, done = len(todo), 0
    for attempt in range(retries + 1):
        if attempt:  # after a dead worker: what is not complete on the server now
            replan = IngestReport()
            left = [r for r, _ in todo]
            todo = _plan(
                left, store.doc_records(), store.chunk_doc_ids(), settings.chunk_size, replan
            )
            for doc_id in replan.unchanged:  # stored, but its result was lost with the pool
                (report.updated if doc_id in existed else report.added).append(doc_id)
            done += len(replan.unchanged)
        if not todo:
            break
        finished, results = _pool_run(
            todo, settings, workers, batch_readouts, progress, done, total
        )
        for res in results:
            for doc_id in res.doc_ids:
                (report.updated if doc_id in existed else report.added).append(doc_id)
            report.chunks_added += res.chunks
            report.embed_seconds += res.embed_seconds
        changed = changed or bool(results)
        done += sum(len(r.doc_ids) for r in results)
        todo = [(r, h) for r, h in todo if r.doc_id not in finished]
    for r, _ in todo:
        report.failed.append(
            FileError(
                r.path,
                f"readout {r.doc_id!r} was not stored: an ingest worker died or could not start "
                f"({retries + 1} attempt(s)); run the ingest again to finish it",
            )
        )
    if changed or todo:
        store.bump_generation()


def _pool_run(
    todo: list[tuple[Readout, str]],
    settings: Settings,
    workers: int,
    batch_readouts: int,
    progress: Progress | None,
    done: int,
    total: int,
) -> tuple[set[str], list[BatchResult]]:
    """Write ``todo`` in batches on a fresh pool; the doc ids stored and the batch results.
    A dead worker breaks the pool: what finished before is returned, the rest is not."""
    batches = [todo[lo : lo + batch_readouts] for lo in range(0, len(todo), batch_readouts)]
    finished: set[str] = set()
    results: list[BatchResult] = []
    # spawn: a forked child would inherit the parent's HTTP client and its threads.
    ctx = multiprocessing.get_context("spawn")
    n = min(workers, len(batches))
    pool = ProcessPoolExecutor(
        max_workers=n,
        mp_context=ctx,
        initializer=_open_worker,
        initargs=(settings, max(1, (os.cpu_count() or 1) // n)),
    )
    try:
        pending: set[Future[BatchResult]] = {pool.submit(_write, b) for b in batches}
        while pending:
            ready, pending = wait(pending, return_when=FIRST_COMPLETED)
            for fut in ready:
                try:
                    res = fut.result()
                except BrokenProcessPool:
                    continue  # its readouts stay in todo
                results.append(res)
                finished.update(res.doc_ids)
                done += len(res.doc_ids)
                if progress:
                    progress(done, total, res.doc_ids[-1])
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return finished, results
