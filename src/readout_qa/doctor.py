"""``readout-qa doctor``: find (and with ``repair``, fix) inconsistencies in an index.

What is checked, in this order (later checks see the result of earlier repairs):

- the data directory is writable (the BM25 copy and the ingest lock live there);
- the embedding model recorded in the chunks collection is the configured one;
- every readout record has exactly as many chunks stored as it says
  (repair: delete the record and its remaining chunks; the next ingest redoes it);
- no chunks belong to no readout record (repair: delete them);
- the BM25 keyword index exists and matches the store (repair: rebuild it).

Repairs that change the store bump its generation counter, so every other
process sharing it (a Chroma server) refreshes its keyword index too.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from .keyword_index import KeywordIndex, open_keyword_index

LOCK_TIMEOUT = 10.0  # seconds to wait for a running ingest before giving up on repairs
SHOW = 5  # doc ids named in a message before "and N more"


@dataclass
class Finding:
    """One check's outcome: ``ok`` when healthy, ``repaired`` when ``repair`` fixed it."""

    code: str
    ok: bool
    message: str
    repaired: bool = False

    @property
    def healthy(self) -> bool:
        return self.ok or self.repaired


def _names(ids: list[str]) -> str:
    shown = ", ".join(ids[:SHOW])
    return shown + (f" and {len(ids) - SHOW} more" if len(ids) > SHOW else "")


def _writable(directory: Path) -> Finding:
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".doctor-", dir=directory)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        return Finding(
            "data_dir",
            False,
            f"the data directory {directory} is not writable ({exc.strerror or exc}); "
            "the keyword index cannot be saved and ingest cannot take its lock",
        )
    return Finding("data_dir", True, f"the data directory {directory} is writable")


def _embed_model(qa: Any) -> Finding:
    recorded = (qa.store.chunks.metadata or {}).get("embed_model")
    configured = qa.settings.embed_model
    if recorded and recorded != configured:
        return Finding(
            "embed_model",
            False,
            f"the index was built with {recorded!r} but {configured!r} is configured; "
            "re-ingest with --rebuild or set READOUT_QA_EMBED_MODEL back",
        )
    return Finding("embed_model", True, f"embedding model {configured!r} (recorded: {recorded!r})")


def _chunks(qa: Any, repair: bool) -> tuple[list[Finding], bool]:
    """Chunk counts per record and orphan chunks; returns findings and whether it changed."""
    store = qa.store
    records = store.doc_records()
    counts = store.chunk_doc_ids()
    findings: list[Finding] = []
    changed = False

    mismatched = sorted(d for d, rec in records.items() if counts.get(d, 0) != rec.n_chunks)
    if mismatched:
        detail = _names(
            [f"{d} ({counts.get(d, 0)} stored, {records[d].n_chunks} recorded)" for d in mismatched]
        )
        if repair:
            store.delete_docs(mismatched)
            store.delete_chunks_of(mismatched)
            changed = True
            findings.append(
                Finding(
                    "chunk_count",
                    False,
                    f"{len(mismatched)} readout(s) had the wrong number of chunks: {detail}; "
                    "deleted their records and chunks, run `readout-qa ingest` on their files "
                    "to redo them",
                    repaired=True,
                )
            )
        else:
            findings.append(
                Finding(
                    "chunk_count",
                    False,
                    f"{len(mismatched)} readout(s) have the wrong number of chunks: {detail}",
                )
            )
    else:
        findings.append(
            Finding("chunk_count", True, f"{len(records)} readout(s), chunk counts match")
        )

    orphans = sorted(d for d in counts if d not in records and d not in mismatched)
    if orphans:
        n = sum(counts[d] for d in orphans)
        detail = f"{n} chunk(s) of {len(orphans)} readout(s) without a record: {_names(orphans)}"
        if repair:
            store.delete_chunks_of(orphans)
            changed = True
            findings.append(Finding("orphan_chunks", False, f"deleted {detail}", repaired=True))
        else:
            findings.append(Finding("orphan_chunks", False, f"found {detail}"))
    else:
        findings.append(Finding("orphan_chunks", True, "no orphan chunks"))
    return findings, changed


def _bm25(qa: Any, repair: bool) -> Finding:
    store = qa.store
    directory = Path(qa.data_dir) / "bm25"
    generation = store.generation()
    n_chunks = store.count_chunks()
    index = KeywordIndex.load(directory)
    if index is None:
        problem = f"the keyword index at {directory} is missing or unreadable"
    elif index.generation != generation:
        problem = (
            f"the keyword index at {directory} is stale (generation {index.generation}, "
            f"store {generation})"
        )
    elif len(index.ids) != n_chunks:
        problem = (
            f"the keyword index at {directory} has {len(index.ids)} chunks, the store {n_chunks}"
        )
    else:
        return Finding("bm25", True, f"keyword index current ({n_chunks} chunks)")
    if not repair:
        return Finding("bm25", False, problem)
    shutil.rmtree(directory, ignore_errors=True)  # so open_keyword_index cannot reuse it
    rebuilt = open_keyword_index(store, directory)
    if KeywordIndex.load(directory) is None:
        return Finding("bm25", False, f"{problem}; the rebuilt index could not be saved")
    qa._keyword = None  # the instance reloads the rebuilt index on its next question
    qa._retriever = None
    return Finding("bm25", False, f"{problem}; rebuilt ({len(rebuilt.ids)} chunks)", repaired=True)


def check(qa: Any, repair: bool = False) -> list[Finding]:
    """Every check's finding; with ``repair``, what can be fixed is fixed (and says so)."""
    findings = [_writable(Path(qa.data_dir)), _embed_model(qa)]
    if not repair:
        chunk_findings, _ = _chunks(qa, repair=False)
        return [*findings, *chunk_findings, _bm25(qa, repair=False)]
    lock_path = Path(qa.data_dir) / "ingest.lock"
    try:
        with FileLock(str(lock_path), timeout=LOCK_TIMEOUT):
            chunk_findings, changed = _chunks(qa, repair=True)
            if changed:
                qa.store.bump_generation()
            bm25 = _bm25(qa, repair=True)
    except Timeout:
        return [
            *findings,
            Finding("lock", False, f"an ingest holds {lock_path}; run doctor again when it ends"),
        ]
    except OSError:  # an unwritable data dir cannot take the lock: check, don't repair
        chunk_findings, _ = _chunks(qa, repair=False)
        bm25 = _bm25(qa, repair=False)
    return [*findings, *chunk_findings, bm25]


def healthy(findings: list[Finding]) -> bool:
    return all(f.healthy for f in findings)
