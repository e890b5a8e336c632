"""Files and URLs -> readouts -> chunks -> vectors -> Chroma, incrementally and crash-safely.

The order of writes is what makes an interrupted ingest repairable: a readout's
record in the docs collection is deleted before its chunks change and written
only after all of them are stored. The next run treats any readout without a
record (or with a different hash, or the wrong number of chunks) as not done,
and removes chunks that belong to no record.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from filelock import FileLock, Timeout

from . import manifest
from .chunking import chunk_readout, content_hash, embedding_text, readout_metadata
from .loaders import load_paths, tag_entities
from .loaders.urls import CACHE_FILE, TIMEOUT_SECONDS, UrlCache, is_url, load_urls
from .models import FileError, IngestReport, Readout, SkippedFile
from .store import ChromaStore, DocRecord, StoreError

if TYPE_CHECKING:  # the model and Chroma are imported only when something is written
    from llama_index.core.base.embeddings.base import BaseEmbedding

Progress = Callable[[int, int, str], None]  # (done, total, current doc id)
BATCH_READOUTS = 48


class IngestLockedError(RuntimeError):
    """Another ingest holds the lock on this data directory."""


@contextmanager
def ingest_lock(lock_path: Path, timeout: float) -> Iterator[None]:
    """The data directory's one ingest at a time (across processes), or
    :class:`IngestLockedError` after ``timeout`` seconds."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with FileLock(str(lock_path), timeout=timeout):
            yield
    except Timeout as exc:
        raise IngestLockedError(
            f"another ingest is running on this index (lock {lock_path}); try again when it ends"
        ) from exc


def load_into(report: IngestReport, files: list[Path], max_mb: float | None) -> list[Readout]:
    """The readouts in ``files``, their problems and skipped files recorded in ``report``.
    Entities are not tagged here: an ingest tags only the readouts that changed."""
    skipped: list[SkippedFile] = []
    readouts, errors = load_paths(files, max_mb=max_mb, entities=False, skipped=skipped)
    report.failed.extend(errors)
    report.skipped.extend(skipped)
    return readouts


def text_hash(text: str) -> str:
    """Identity of a body, to store the same text under two names only once."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:32]


def ingest(
    paths: Iterable[Path | str],
    store: ChromaStore,
    embed_model: BaseEmbedding,
    lock_path: Path,
    chunk_size: int,
    sync: bool = False,
    progress: Progress | None = None,
    lock_timeout: float = 600.0,
    batch_readouts: int = BATCH_READOUTS,
    max_file_mb: float | None = None,
    url_timeout: float = TIMEOUT_SECONDS,
) -> IngestReport:
    """Bring the index in line with the readouts under ``paths``.

    An item of ``paths`` given as a string with a scheme (``https://…``) is a URL: fetched
    (see :mod:`.loaders.urls`; its validators are kept in ``urls.json`` beside the lock),
    and skipped at no cost while unchanged. Files of types readout-qa does not read are
    listed in ``report.skipped``."""
    t0 = time.perf_counter()
    report = IngestReport()
    items = list(paths)
    urls = [str(p) for p in items if isinstance(p, str) and is_url(p)]
    files = [Path(p) for p in items if not (isinstance(p, str) and is_url(p))]
    readouts = load_into(report, files, max_file_mb)
    with ingest_lock(lock_path, lock_timeout):
        cache = UrlCache(lock_path.parent / CACHE_FILE) if urls else None
        keep: set[str] = set()
        if cache is not None:
            keep = _fetch_urls(urls, cache, store, max_file_mb, url_timeout, readouts, report)
        data_dir, local = lock_path.parent, not store.settings.chroma_url
        known = manifest.read(data_dir, store.embed_model_name, chunk_size) if local else None
        from .embeddings import release_memory

        try:
            entries = _ingest_locked(
                readouts,
                store,
                embed_model,
                chunk_size,
                sync,
                progress,
                report,
                batch_readouts,
                keep,
                known,
            )
        finally:  # the model's arena and heap would keep ~1 GB in this process
            release_memory(embed_model)
        if cache is not None:
            cache.save()
        if local:
            manifest.write(data_dir, store.embed_model_name, chunk_size, entries)
    report.seconds = time.perf_counter() - t0
    return report


def _fetch_urls(
    urls: list[str],
    cache: UrlCache,
    store: ChromaStore,
    max_file_mb: float | None,
    timeout: float,
    readouts: list[Readout],
    report: IngestReport,
) -> set[str]:
    """Fetch the URLs into ``readouts`` (changed pages only); the doc ids ``--sync`` must
    keep although no readout was read for them (unchanged or failed URLs)."""
    from .loaders.reading import limit_bytes

    stored = set(store.doc_records())
    results, errors = load_urls(
        urls, cache, stored, max_bytes=limit_bytes(max_file_mb), timeout=timeout
    )
    report.failed.extend(errors)
    keep = {cache.entries[e.path].doc_id for e in errors if e.path in cache.entries}
    for res in results:
        if res.validators is not None:
            cache.put(res.url, res.validators)
        if res.unchanged:
            report.unchanged.append(res.doc_id)
            keep.add(res.doc_id)
        readouts.extend(res.readouts)
    return keep


def _dedupe(readouts: list[Readout], report: IngestReport) -> list[Readout]:
    by_id: dict[str, Readout] = {}
    by_text: dict[str, str] = {}
    kept = []
    for r in readouts:
        if r.doc_id in by_id:
            first = by_id[r.doc_id]
            if content_hash(first) == content_hash(r):  # one readout, copied to two folders
                report.duplicates.append((r.doc_id, r.doc_id))
                continue
            report.failed.append(
                FileError(r.path, f"doc id {r.doc_id!r} is already used by {by_id[r.doc_id].path}")
            )
            continue
        h = text_hash(r.text)
        if h in by_text:
            report.duplicates.append((r.doc_id, by_text[h]))
            continue
        by_id[r.doc_id] = r
        by_text[h] = r.doc_id
        kept.append(r)
    return kept


def _ingest_locked(
    readouts: list[Readout],
    store: ChromaStore,
    embed_model: BaseEmbedding,
    chunk_size: int,
    sync: bool,
    progress: Progress | None,
    report: IngestReport,
    batch_readouts: int,
    keep: set[str] | None = None,
    known: dict[str, manifest.Entry] | None = None,
) -> dict[str, manifest.Entry]:
    """Write what changed; returns the index's complete readouts afterwards.

    ``keep``: doc ids (readouts fetched from URLs) that ``sync`` must not remove.
    ``known``: the complete readouts from a manifest that still vouches for the index, in
    place of reading every record and counting every chunk in Chroma."""
    from .embeddings import EmbeddingError

    readouts = _dedupe(readouts, report)
    if known is not None:
        records = {
            d: DocRecord(d, e.content_hash, e.n_chunks, {"text_hash": e.text_hash})
            for d, e in known.items()
        }
        chunk_counts = {d: e.n_chunks for d, e in known.items()}
    else:
        records = store.doc_records()
        chunk_counts = store.chunk_doc_ids()
    entries = {
        d: manifest.Entry(rec.content_hash, rec.n_chunks, str(rec.metadata.get("text_hash", "")))
        for d, rec in records.items()
    }
    todo = _plan(readouts, records, chunk_counts, chunk_size, report)
    changed = _remove_stale(
        readouts, records, chunk_counts, todo, store, sync, report, keep or set()
    )
    for d in report.removed:
        entries.pop(d, None)
    done = 0
    for lo in range(0, len(todo), batch_readouts):
        batch = todo[lo : lo + batch_readouts]
        try:
            entries.update(_write_batch(batch, store, embed_model, chunk_size, records, report))
        except (StoreError, EmbeddingError):
            raise
        except Exception as exc:  # the store's own errors: disk full, read-only, corrupt
            raise StoreError(
                f"cannot write the index at {store.location}: {exc}. The "
                f"{len(report.added) + len(report.updated)} readout(s) finished before this "
                "are kept; fix the cause and run the ingest again to finish the rest"
            ) from exc
        changed = True
        done += len(batch)
        if progress:
            progress(done, len(todo), batch[-1][0].doc_id)
    if changed:
        store.bump_generation()
    return entries


def unchanged_report(
    paths: Iterable[Path | str],
    data_dir: Path,
    embed_model: str,
    chunk_size: int,
    sync: bool = False,
    max_file_mb: float | None = None,
) -> IngestReport | None:
    """The report of an ingest that would write nothing, found without Chroma or the
    embedding model (from the manifest); None when anything may change or no manifest
    vouches for the index, and the caller ingests the usual way."""
    t0 = time.perf_counter()
    known = manifest.read(Path(data_dir), embed_model, chunk_size)
    if known is None:
        return None
    report = IngestReport()
    readouts = _dedupe(load_into(report, [Path(p) for p in paths], max_file_mb), report)
    stored_texts = {e.text_hash: d for d, e in known.items()}
    for r in readouts:
        e = known.get(r.doc_id)
        if e is not None and e.content_hash == content_hash(r, chunk_size):
            report.unchanged.append(r.doc_id)
        elif e is None and stored_texts.get(text_hash(r.text), r.doc_id) != r.doc_id:
            report.duplicates.append((r.doc_id, stored_texts[text_hash(r.text)]))
        else:
            return None
    if sync:
        failed_stems = {Path(e.path.split(":")[0]).stem for e in report.failed}
        keep = {r.doc_id for r in readouts} | {d for d, _ in report.duplicates} | failed_stems
        if any(d not in keep for d in known):
            return None
    report.seconds = time.perf_counter() - t0
    return report


def _plan(
    readouts: list[Readout],
    records: dict,
    chunk_counts: dict[str, int],
    chunk_size: int,
    report: IngestReport,
) -> list[tuple[Readout, str]]:
    """The readouts to (re)write with their content hashes; unchanged ones and texts
    stored under another name are recorded in ``report`` and skipped."""
    stored_texts = {rec.metadata.get("text_hash"): rec.doc_id for rec in records.values()}
    todo: list[tuple[Readout, str]] = []
    for r in readouts:
        h = content_hash(r, chunk_size)
        rec = records.get(r.doc_id)
        if rec and rec.content_hash == h and chunk_counts.get(r.doc_id, 0) == rec.n_chunks:
            report.unchanged.append(r.doc_id)
            continue
        other = stored_texts.get(text_hash(r.text))
        if rec is None and other and other != r.doc_id:
            report.duplicates.append((r.doc_id, other))
            continue
        todo.append((tag_entities(r), h))
    return todo


def _remove_stale(
    readouts: list[Readout],
    records: dict,
    chunk_counts: dict[str, int],
    todo: list[tuple[Readout, str]],
    store: ChromaStore,
    sync: bool,
    report: IngestReport,
    keep_ids: set[str],
) -> bool:
    """Drop orphan chunks (left by an interrupted run or a removed readout) and, with
    ``sync``, readouts whose files are gone; True when anything was removed."""
    todo_ids = {r.doc_id for r, _ in todo}
    orphans = [d for d in chunk_counts if d not in records and d not in todo_ids]
    if orphans:
        store.delete_chunks_of(orphans)
    if not sync:
        return bool(orphans)
    failed_stems = {Path(e.path.split(":")[0]).stem for e in report.failed}
    keep = {r.doc_id for r in readouts} | {d for d, _ in report.duplicates} | failed_stems
    keep |= keep_ids
    gone = sorted(d for d in records if d not in keep)
    if gone:
        store.delete_docs(gone)
        store.delete_chunks_of(gone)
        report.removed.extend(gone)
    return bool(orphans or gone)


def _write_batch(
    batch: list[tuple[Readout, str]],
    store: ChromaStore,
    embed_model: BaseEmbedding,
    chunk_size: int,
    records: dict,
    report: IngestReport,
) -> dict[str, manifest.Entry]:
    from .embeddings import embed_texts

    ids = [r.doc_id for r, _ in batch]
    existing = [d for d in ids if d in records]
    if existing:
        store.delete_docs(existing)  # mark "not done" before touching chunks
    store.delete_chunks_of(ids)
    chunked = [(r, h, chunk_readout(r, chunk_size)) for r, h in batch]
    all_chunks = [c for _, _, cs in chunked for c in cs]
    t = time.perf_counter()
    vectors = embed_texts(embed_model, [embedding_text(c) for c in all_chunks])
    report.embed_seconds += time.perf_counter() - t
    store.add_chunks(all_chunks, vectors)
    # One write for the batch's records: a Chroma write per readout cost more than the
    # embedding (profiled: 169 of 204 s of a fresh ingest without embedding).
    store.put_docs(
        [
            (r, h, len(cs), {**readout_metadata(r), "text_hash": text_hash(r.text)})
            for r, h, cs in chunked
        ]
    )
    for r, _h, _cs in chunked:
        (report.updated if r.doc_id in records else report.added).append(r.doc_id)
    report.chunks_added += len(all_chunks)
    return {r.doc_id: manifest.Entry(h, len(cs), text_hash(r.text)) for r, h, cs in chunked}
