"""What the last complete ingest left in a local index, kept beside it as a small JSON file.

An unchanged re-ingest only has to compare content hashes. Reading them from Chroma means
opening Chroma (and importing it) and reading every chunk's metadata to count chunks; the
manifest holds the same facts (per readout: content hash, chunk count, text hash) and is
written under the ingest lock after every ingest that completes. It vouches for the index
only while Chroma's write log is where that ingest left it (see ``_stamp``): any later
write (an interrupted ingest, a repair, an ingest by an older version) moves it, which
sends the next ingest the usual way.
An index on a Chroma server has no manifest.
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

FILE_NAME = "manifest.json"
VERSION = 1


@dataclass(frozen=True)
class Entry:
    """One complete readout of the index."""

    content_hash: str
    n_chunks: int
    text_hash: str


def _stamp(data_dir: Path) -> list | None:
    """Where Chroma's write log stands: the newest entry of its write-ahead log, the entry
    each segment has applied, and the collections' ids (new after a rebuild).

    Every add, upsert or delete appends to that log, while merely opening the index (which
    rewrites the database file) does not, so the file's modification time would not do.
    Read with the standard library, read-only; None when the database is missing or its
    layout is not the one this was written for (another Chroma version): the caller then
    takes the usual path."""
    db = data_dir / "chroma" / "chroma.sqlite3"
    if not db.is_file():
        return None
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1.0)
        try:
            log = con.execute("SELECT MAX(seq_id) FROM embeddings_queue").fetchone()[0]
            applied = con.execute("SELECT segment_id, seq_id FROM max_seq_id").fetchall()
            collections = con.execute("SELECT id, name FROM collections").fetchall()
        finally:
            con.close()
    except sqlite3.Error:
        return None
    return [log, sorted(map(list, applied)), sorted(map(list, collections))]


def write(data_dir: Path, embed_model: str, chunk_size: int, entries: dict[str, Entry]) -> None:
    """Record ``entries`` as the index's complete readouts (call with the ingest lock held,
    after the last write to Chroma)."""
    stamp = _stamp(data_dir)
    path = data_dir / FILE_NAME
    if stamp is None:
        path.unlink(missing_ok=True)
        return
    data = {
        "version": VERSION,
        "embed_model": embed_model,
        "chunk_size": chunk_size,
        "stamp": stamp,
        "docs": {d: [e.content_hash, e.n_chunks, e.text_hash] for d, e in entries.items()},
    }
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
    os.replace(tmp, path)


def read(data_dir: Path, embed_model: str, chunk_size: int) -> dict[str, Entry] | None:
    """The complete readouts, when the manifest still describes the index; else None."""
    try:
        data = json.loads((data_dir / FILE_NAME).read_text(encoding="utf-8"))
        if (
            data.get("version") != VERSION
            or data.get("embed_model") != embed_model
            or data.get("chunk_size") != chunk_size
            or data.get("stamp") != _stamp(data_dir)
        ):
            return None
        return {d: Entry(str(h), int(n), str(t)) for d, (h, n, t) in data["docs"].items()}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None
