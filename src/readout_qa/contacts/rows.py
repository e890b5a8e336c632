"""The contacts table's rows: its schema, and mentions and contacts to and from rows.

Kept apart from :mod:`.table` (when and how the table is synced and queried) so that
what is stored, and how it reads back, is in one place.
"""

from __future__ import annotations

import json
import sqlite3

from ..models import Contact, ContactReadout
from .extract import Mention
from .participants import Participant

__all__ = ["SCHEMA", "forget", "load_contacts", "load_mentions", "remember", "set_meta"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS readouts (doc_id TEXT PRIMARY KEY, content_hash TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS mentions (
    doc_id TEXT NOT NULL, seq INTEGER NOT NULL, date TEXT NOT NULL, basis TEXT NOT NULL,
    kind TEXT NOT NULL, place TEXT NOT NULL, quote TEXT NOT NULL, start INTEGER NOT NULL,
    "end" INTEGER NOT NULL, title TEXT NOT NULL, published TEXT NOT NULL,
    publisher TEXT NOT NULL, source TEXT NOT NULL, PRIMARY KEY (doc_id, seq));
CREATE TABLE IF NOT EXISTS mention_people (
    doc_id TEXT NOT NULL, seq INTEGER NOT NULL, pos INTEGER NOT NULL, name TEXT NOT NULL,
    role TEXT NOT NULL, country TEXT NOT NULL, PRIMARY KEY (doc_id, seq, pos));
CREATE TABLE IF NOT EXISTS contacts (
    contact_id TEXT PRIMARY KEY, date TEXT NOT NULL, kind TEXT NOT NULL, place TEXT NOT NULL,
    participants TEXT NOT NULL, countries TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS contacts_date ON contacts (date);
CREATE TABLE IF NOT EXISTS contact_people (
    contact_id TEXT NOT NULL, person_id TEXT NOT NULL, PRIMARY KEY (person_id, contact_id));
CREATE TABLE IF NOT EXISTS contact_readouts (
    contact_id TEXT NOT NULL, pos INTEGER NOT NULL, doc_id TEXT NOT NULL, seq INTEGER NOT NULL,
    PRIMARY KEY (contact_id, pos));
CREATE TABLE IF NOT EXISTS people (
    person_id TEXT PRIMARY KEY, name TEXT NOT NULL, country TEXT NOT NULL);
"""


def forget(db: sqlite3.Connection, doc_id: str) -> None:
    for table in ("readouts", "mentions", "mention_people"):
        db.execute(f"DELETE FROM {table} WHERE doc_id = ?", (doc_id,))  # noqa: S608


def remember(db: sqlite3.Connection, doc_id: str, content_hash: str, found: list[Mention]):
    db.execute("INSERT INTO readouts VALUES (?, ?)", (doc_id, content_hash))
    for m in found:
        r = m.readout
        db.execute(
            "INSERT INTO mentions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                doc_id,
                m.seq,
                m.date,
                m.basis,
                m.kind,
                m.place,
                r.quote,
                r.start,
                r.end,
                r.title,
                r.date,
                r.publisher,
                r.source,
            ),
        )
        db.executemany(
            "INSERT INTO mention_people VALUES (?, ?, ?, ?, ?, ?)",
            [(doc_id, m.seq, i, p.name, p.role, p.country) for i, p in enumerate(m.participants)],
        )


def set_meta(db: sqlite3.Connection, **values: str) -> None:
    db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", list(values.items()))


def load_mentions(db: sqlite3.Connection) -> list[Mention]:
    people: dict[tuple[str, int], list[Participant]] = {}
    for doc_id, seq, name, role, country in db.execute(
        "SELECT doc_id, seq, name, role, country FROM mention_people ORDER BY doc_id, seq, pos"
    ):
        people.setdefault((doc_id, seq), []).append(Participant(name, role, country))
    out = []
    for row in db.execute("SELECT * FROM mentions ORDER BY doc_id, seq"):
        doc_id, seq, date, basis, kind, place, quote, start, end, title, pub, publisher, src = row
        readout = ContactReadout(doc_id, title, pub, publisher, src, quote, start, end)
        out.append(
            Mention(doc_id, seq, date, basis, kind, place, people.get((doc_id, seq), []), readout)
        )
    return out


def load_contacts(db: sqlite3.Connection, ids: list[str]) -> list[Contact]:
    if not ids:
        return []
    out = []
    for contact_id in ids:
        row = db.execute(
            "SELECT date, kind, place, participants, countries FROM contacts WHERE contact_id = ?",
            (contact_id,),
        ).fetchone()
        readouts = [
            ContactReadout(*r)
            for r in db.execute(
                "SELECT m.doc_id, m.title, m.published, m.publisher, m.source, m.quote, "
                'm.start, m."end" FROM contact_readouts c JOIN mentions m '
                "ON m.doc_id = c.doc_id AND m.seq = c.seq WHERE c.contact_id = ? ORDER BY c.pos",
                (contact_id,),
            )
        ]
        date, kind, place, participants, countries = row
        out.append(
            Contact(
                contact_id,
                date,
                kind,
                json.loads(participants),
                json.loads(countries),
                place,
                readouts,
            )
        )
    return out
