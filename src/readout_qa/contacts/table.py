"""The contacts table: SQLite in the index's data directory, derived from the store.

Like the BM25 index (:mod:`readout_qa.keyword_index`), the table is a copy derived from
Chroma, the single source of truth, so every process (one app, or several sharing a
Chroma server, each with its own data directory) derives the same table:

* ``readouts`` remembers the content hash each readout was read at; a sync extracts only
  readouts whose hash changed or that are new, and forgets readouts the store no longer
  has (``ingest --sync``); other derivation code (see :data:`VERSION`) re-extracts all;
* ``mentions`` and ``mention_people`` hold what extraction found, per readout;
* ``contacts``, ``contact_people`` and ``contact_readouts`` are derived from all mentions
  (who is who, then merging across readouts) after every change, in the same
  transaction, since one readout can change whom a name means or which contacts merge.

A sync runs when the store's fingerprint (its collection id, which ``--rebuild``
changes, and its generation, which every change bumps) differs from the one recorded.
SQLite in WAL mode: readers never wait; one writer at a time (``BEGIN IMMEDIATE``).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ..models import CONTACT_KINDS, Contact, Readout
from . import rows
from .extract import EXTRACTOR_VERSION, Mention, extract_mentions
from .heads import is_placeholder, resolve_heads
from .merge import merge_mentions
from .participants import Participant
from .people import People

__all__ = [
    "KIND_GROUPS",
    "ContactsTable",
    "SyncReport",
    "kinds_for",
    "open_contacts_table",
    "remove_table",
]

FILE_NAME = "contacts.sqlite"
# The code and data a table is derived with: this package's extraction and merging, and
# the entity tables, names, dates and sentence splitting it relies on.
_DERIVING = (
    (
        "readout_qa.contacts",
        (
            "extract",
            "clauses",
            "participants",
            "roster",
            "when",
            "people",
            "merge",
            "rows",
            "table",
        ),
    ),
    ("readout_qa", ("names", "dates", "chunking")),
    ("readout_qa.entities", ("countries", "leaders", "places", "tables")),
)


def _derivation_version() -> str:
    """The extractor version plus a digest of the code and data that derive the table,
    so a table derived by other code (an upgrade, a fix) is derived again by itself."""
    digest = hashlib.sha1(EXTRACTOR_VERSION.encode())
    for package, modules in _DERIVING:
        root = resources.files(package)
        for name in modules:
            digest.update(root.joinpath(f"{name}.py").read_bytes())
    data = resources.files("readout_qa.entities").joinpath("data")
    for item in sorted(data.iterdir(), key=lambda p: p.name):
        if item.name.endswith(".json"):
            digest.update(item.read_bytes())
    return f"{EXTRACTOR_VERSION}:{digest.hexdigest()[:12]}"


VERSION = _derivation_version()
BODY_BATCH = 200  # readouts fetched from the store at a time
#: Words a caller may use for several kinds at once.
KIND_GROUPS: dict[str, tuple[str, ...]] = {
    "call": ("phone call", "video call"),
    "in person": ("meeting", "talks", "visit", "summit"),
    "contact": tuple(k for k in CONTACT_KINDS if k != "joint statement"),
}


@dataclass
class SyncReport:
    """What one sync did, for logs and tests."""

    extracted: list[str] = field(default_factory=list)  # new or changed readouts read
    removed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # readouts extraction choked on
    contacts: int = 0
    seconds: float = 0.0
    extract_seconds: float = 0.0


def kinds_for(kind: str | None) -> tuple[str, ...] | None:
    """The kinds a ``kind`` argument means: one of CONTACT_KINDS, a group of
    :data:`KIND_GROUPS`, or None for all. ValueError for anything else."""
    if kind is None or not kind.strip():
        return None
    key = kind.strip().lower()
    if key in CONTACT_KINDS:
        return (key,)
    if key in KIND_GROUPS:
        return KIND_GROUPS[key]
    known = ", ".join((*CONTACT_KINDS, *KIND_GROUPS))
    raise ValueError(f"unknown contact kind {kind!r} (known: {known})")


def store_fingerprint(store: Any) -> str:
    """What changes whenever the store's readouts may have: collection id + generation."""
    return f"{getattr(store.docs, 'id', '')}:{store.generation()}"


#: How long a fingerprint read from the file is trusted (see ``ContactsTable.fingerprint``).
STAMP_SECONDS = 1.0


class ContactsTable:
    """The contacts table in one SQLite file: synced from a store, queried by anyone."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(rows.SCHEMA)
        self._people: People | None = None
        self._people_stamp = ""
        self._stamp: tuple[float, str] = (-1e9, "")  # (read at, fingerprint)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """A connection per operation: safe from any thread, never left open."""
        with closing(sqlite3.connect(self.path, timeout=60.0, isolation_level=None)) as db:
            db.execute("PRAGMA busy_timeout=60000")
            yield db

    def meta(self, key: str) -> str:
        with self._connect() as db:
            row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else ""

    @property
    def fingerprint(self) -> str:
        """The store fingerprint the table was last derived from. Read from the file at most
        every ``STAMP_SECONDS``: every question's routing asks for it (twice), and a SQLite
        read costs ~0.2 ms; the app looks for changes only every two seconds anyway."""
        read_at, stamp = self._stamp
        now = time.monotonic()
        if now - read_at > STAMP_SECONDS:
            stamp = self.meta("fingerprint")
            self._stamp = (now, stamp)
        return stamp

    # --- sync ------------------------------------------------------------------
    def sync(self, store: Any) -> SyncReport:
        """Bring the table in line with the store: extract new and changed readouts,
        forget removed ones, re-derive people and contacts. Cheap when nothing changed."""
        t0 = time.perf_counter()
        report = SyncReport()
        fingerprint = store_fingerprint(store)
        self._stamp = (-1e9, "")  # read the file, not the remembered stamp
        if self.fingerprint == fingerprint and self.meta("version") == VERSION:
            return report
        records = store.doc_records()
        have = self._hashes() if self.meta("version") == VERSION else {}
        report.removed = sorted(set(self._hashes()) - set(records))
        todo = sorted(d for d, r in records.items() if have.get(d) != r.content_hash)
        t1 = time.perf_counter()
        found = self._extract(store, todo, report)
        report.extract_seconds = time.perf_counter() - t1
        with self._write() as db:
            if self.meta("version") != VERSION:
                for table in ("readouts", "mentions", "mention_people"):
                    db.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed names
            for doc_id in report.removed + todo:
                rows.forget(db, doc_id)
            for doc_id in todo:
                rows.remember(db, doc_id, records[doc_id].content_hash, found.get(doc_id, []))
            report.contacts = self._derive(db)
            rows.set_meta(db, fingerprint=fingerprint, version=VERSION)
        self._stamp = (-1e9, "")
        report.extracted = todo
        report.seconds = time.perf_counter() - t0
        return report

    def _hashes(self) -> dict[str, str]:
        with self._connect() as db:
            return dict(db.execute("SELECT doc_id, content_hash FROM readouts"))

    @staticmethod
    def _extract(store: Any, doc_ids: list[str], report: SyncReport) -> dict[str, list[Mention]]:
        """Mentions of each readout, read from the store's bodies a batch at a time. A
        readout extraction fails on contributes no contact; it never stops the sync."""
        found: dict[str, list[Mention]] = {}
        for lo in range(0, len(doc_ids), BODY_BATCH):
            for doc_id, (body, meta) in store.bodies(doc_ids[lo : lo + BODY_BATCH]).items():
                readout = Readout(
                    doc_id=doc_id,
                    title=str(meta.get("title", "")),
                    date=str(meta.get("date", "")) or None,
                    source=str(meta.get("source", "")),
                    publisher=str(meta.get("publisher", "")),
                    text=body,
                )
                try:
                    found[doc_id] = extract_mentions(readout)
                except Exception:  # a malformed readout must not break the table
                    report.failed.append(doc_id)
        return found

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; other writers wait, readers go on reading."""
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def rebuild(self, store: Any) -> SyncReport:
        """Forget everything and extract every readout again (``ingest --rebuild``)."""
        with self._write() as db:
            for table in ("meta", "readouts", "mentions", "mention_people"):
                db.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed names
        return self.sync(store)

    def _derive(self, db: sqlite3.Connection) -> int:
        """People, then contacts, from every mention the table holds."""
        mentions = resolve_heads(rows.load_mentions(db))
        people = People((p.name, p.role, p.country) for m in mentions for p in m.participants)
        for m in mentions:
            m.keys = [people.of(p.name, p.role).person_id for p in m.participants]  # type: ignore[union-attr]
        merged = merge_mentions(mentions, {i: p.name for i, p in people.persons.items()})
        for table in ("contacts", "contact_people", "contact_readouts", "people"):
            db.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed names
        db.executemany(
            "INSERT INTO people VALUES (?, ?, ?)",
            [(p.person_id, p.name, p.country) for p in people.persons.values()],
        )
        for item in merged:
            c = item.contact
            row = (c.contact_id, c.date, c.kind, c.place, json.dumps(c.participants))
            db.execute(
                "INSERT INTO contacts VALUES (?, ?, ?, ?, ?, ?)", (*row, json.dumps(c.countries))
            )
            keys = {k for m in item.mentions for k in m.keys}
            db.executemany(
                "INSERT INTO contact_people VALUES (?, ?)",
                [(c.contact_id, k) for k in sorted(keys)],
            )
            db.executemany(
                "INSERT INTO contact_readouts VALUES (?, ?, ?, ?)",
                [(c.contact_id, i, m.doc_id, m.seq) for i, m in enumerate(item.mentions)],
            )
        return len(merged)

    # --- queries ---------------------------------------------------------------
    def people(self) -> People:
        """Every person of the table (who is who), rebuilt when the table changed."""
        stamp = self.fingerprint
        if self._people is None or stamp != self._people_stamp:
            with self._connect() as db:
                rows = db.execute("SELECT name, role, country FROM mention_people").fetchall()
            # placeholders for heads named by country alone are no one until resolved
            rows = [r for r in rows if not is_placeholder(Participant(*r))]
            self._people, self._people_stamp = People(rows), stamp
        return self._people

    def query(
        self,
        participants: list[str] | None = None,
        since: str | None = None,
        until: str | None = None,
        kind: str | None = None,
        kinds: tuple[str, ...] | None = None,
    ) -> list[Contact]:
        """Contacts with every named participant (any form of their name), dated within
        [since, until] (ISO, inclusive), of ``kind`` (see :func:`kinds_for`) or any of
        ``kinds``, by date (contacts of unknown date last)."""
        kinds = kinds or kinds_for(kind)
        sql, args = ["SELECT contact_id FROM contacts WHERE 1=1"], []
        people = self.people()
        for name in participants or []:
            # a person's own name first ("Salman bin Abdulaziz al-Saud" is not his son
            # "Khalid bin Salman bin Abdulaziz Al-Saud", whose name holds every word of it)
            exact = people.named(name)
            found = [exact] if exact else people.match(name)
            if not found:
                return []
            sql.append(
                "AND contact_id IN (SELECT contact_id FROM contact_people WHERE person_id = ?)"
            )
            args.append(found[0].person_id)
        if since:
            sql.append("AND date != '' AND date >= ?")
            args.append(since)
        if until:
            sql.append("AND date != '' AND date <= ?")
            args.append(until)
        if kinds:
            sql.append(f"AND kind IN ({', '.join('?' * len(kinds))})")
            args.extend(kinds)
        sql.append("ORDER BY date = '', date, contact_id")
        with self._connect() as db:
            ids = [row[0] for row in db.execute(" ".join(sql), args)]
            return rows.load_contacts(db, ids)

    def count(self) -> int:
        with self._connect() as db:
            return int(db.execute("SELECT COUNT(*) FROM contacts").fetchone()[0])


def remove_table(path: str | Path) -> None:
    """Delete a table file and its WAL files (``ingest --rebuild`` starts from nothing)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def open_contacts_table(store: Any, path: str | Path) -> ContactsTable:
    """The table at ``path``, synced with the store."""
    table = ContactsTable(path)
    table.sync(store)
    return table
