"""Merging across readouts and the SQLite table derived from a store: incremental by
content hash, removals, rebuilds, queries by any name form, dates and kinds.

The store is a small plain class with the four things the table reads of a
``ChromaStore``: its docs collection id, ``generation()``, ``doc_records()`` and
``bodies()``."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

import pytest

from readout_qa.contacts.extract import extract_mentions
from readout_qa.contacts.merge import merge_mentions
from readout_qa.contacts.people import People
from readout_qa.contacts.table import ContactsTable
from readout_qa.models import Readout
from readout_qa.store import DocRecord

WH = "The White House"
KREMLIN = "President of Russia (kremlin.ru)"

WH_CALL = (
    "wh-call",
    "2022-02-12",
    WH,
    "President Joseph R. Biden, Jr. spoke today with President Vladimir Putin of Russia. "
    "President Biden was clear that an invasion would produce widespread human suffering.",
)
KREMLIN_CALL = (
    "kr-call",
    "2022-02-13",  # published the next day, a time zone apart
    KREMLIN,
    "On February 12, Vladimir Putin had a telephone conversation with President of the "
    "United States of America Joseph Biden. The conversation focused on security guarantees.",
)
WH_LATER = (
    "wh-later",
    "2022-03-18",
    WH,
    "President Joseph R. Biden, Jr. spoke today with President Xi Jinping of China.",
)
STATEMENT = ("wh-statement", "2022-02-20", WH, "The United States condemns the attack.")


@dataclass
class _Docs:
    id: str


class FakeStore:
    """Readout records and bodies, as ``ChromaStore`` gives them to the table."""

    def __init__(self, *readouts: tuple[str, str, str, str]) -> None:
        self.docs = _Docs("collection-1")
        self.gen = 1
        self.items: dict[str, tuple[str, str, str]] = {}
        self.bodies_read: list[str] = []
        for doc_id, date, publisher, body in readouts:
            self.items[doc_id] = (date, publisher, body)

    def put(self, doc_id: str, date: str, publisher: str, body: str) -> None:
        self.items[doc_id] = (date, publisher, body)
        self.gen += 1

    def remove(self, doc_id: str) -> None:
        del self.items[doc_id]
        self.gen += 1

    def generation(self) -> int:
        return self.gen

    def doc_records(self) -> dict[str, DocRecord]:
        out = {}
        for doc_id, (date, publisher, body) in self.items.items():
            digest = hashlib.sha1(f"{date}{publisher}{body}".encode()).hexdigest()
            out[doc_id] = DocRecord(doc_id, digest, 1, {"date": date, "publisher": publisher})
        return out

    def bodies(self, doc_ids):
        self.bodies_read.extend(doc_ids)
        return {
            d: (
                self.items[d][2],
                {"title": d, "date": self.items[d][0], "publisher": self.items[d][1], "source": ""},
            )
            for d in doc_ids
            if d in self.items
        }


def contacts_answerer(folder, *readouts: tuple[str, str, str, str]):
    """A contacts answerer over a table derived from ``readouts`` (a real SQLite table in
    ``folder``): the fixture every question-reading test of the contacts rounds starts from."""
    from readout_qa.contacts.answerer import ContactsAnswerer

    store = FakeStore(*readouts)
    table = ContactsTable(folder / "contacts.sqlite")
    table.sync(store)
    return ContactsAnswerer(lambda: table, store.bodies)


def answer_text(answerer, question: str) -> str:
    """The answer's sentences as one string."""
    from readout_qa.answerers import Sentence

    return " ".join(e.text for e in answerer.stream(question, None, []) if isinstance(e, Sentence))


def mentions_of(*readouts: tuple[str, str, str, str]):
    out = []
    for doc_id, date, publisher, body in readouts:
        r = Readout(doc_id=doc_id, title="", date=date, source="", publisher=publisher, text=body)
        out += extract_mentions(r)
    people = People((p.name, p.role, p.country) for m in out for p in m.participants)
    for m in out:
        m.keys = [people.of(p.name).person_id for p in m.participants]
    return out, {i: p.name for i, p in people.persons.items()}


def kremlin_call(doc_id: str, date: str, who: str) -> tuple[str, str, str, str]:
    """A Kremlin readout of one of Putin's phone calls with ``who`` (title and name)."""
    return (doc_id, date, KREMLIN, f"Vladimir Putin had a telephone conversation with {who}.")


def people_of(*readouts: tuple[str, str, str, str]) -> People:
    """The people the contacts extraction finds in ``readouts``, as the question reader
    knows them."""
    mentions, _ = mentions_of(*readouts)
    return People((p.name, p.role, p.country) for m in mentions for p in m.participants)


def test_two_governments_readouts_of_one_call_are_one_contact():
    mentions, names = mentions_of(WH_CALL, KREMLIN_CALL, WH_LATER)
    merged = merge_mentions(mentions, names)
    assert len(merged) == 2
    call = merged[0].contact
    assert (call.date, call.kind) == ("2022-02-12", "phone call")
    assert {r.doc_id for r in call.readouts} == {"wh-call", "kr-call"}
    assert set(call.participants) == {"Joseph R. Biden", "Vladimir Putin"}


def test_merging_needs_the_same_people_close_dates_and_kinds_that_fit():
    far = ("kr-far", "2022-02-20", KREMLIN, KREMLIN_CALL[3].replace("February 12", "February 19"))
    meeting = (
        "kr-meeting",
        "2022-02-12",
        KREMLIN,
        "Vladimir Putin met with President of the United States of America Joseph Biden.",
    )
    mentions, names = mentions_of(WH_CALL, far, meeting)
    assert len(merge_mentions(mentions, names)) == 3  # a week apart; a meeting is no call
    same_day = ("wh-again", "2022-02-14", WH, WH_CALL[3])
    mentions, names = mentions_of(("wh-1", "2022-02-12", WH, WH_CALL[3]), same_day)
    assert len(merge_mentions(mentions, names)) == 2  # one government, two days: two calls


def test_merging_is_deterministic():
    a, names = mentions_of(WH_CALL, KREMLIN_CALL, WH_LATER)
    b, _ = mentions_of(WH_LATER, KREMLIN_CALL, WH_CALL)
    ids = [m.contact.contact_id for m in merge_mentions(a, names)]
    assert ids == [m.contact.contact_id for m in merge_mentions(b, names)]


@pytest.fixture
def store():
    return FakeStore(WH_CALL, KREMLIN_CALL, WH_LATER, STATEMENT)


def test_the_table_is_derived_from_the_store_and_queried_by_any_name_form(tmp_path, store):
    table = ContactsTable(tmp_path / "contacts.sqlite")
    report = table.sync(store)
    assert sorted(report.extracted) == sorted(store.items)
    assert table.count() == 2
    [call] = table.query(participants=["Putin", "Joe Biden"])
    assert len(call.readouts) == 2
    for r in call.readouts:  # every quote is the readout's own sentence
        assert store.items[r.doc_id][2][r.start : r.end] == r.quote
    assert [c.date for c in table.query(participants=["President Xi"])] == ["2022-03-18"]
    assert table.query(participants=["Biden"], since="2022-03-01") == table.query(
        participants=["Xi Jinping"]
    )
    assert table.query(participants=["Biden"], until="2022-02-28", kind="call") == [call]
    assert table.query(participants=["Biden"], kind="meeting") == []
    assert table.query(participants=["Kim Jong Un"]) == []
    with pytest.raises(ValueError, match="unknown contact kind"):
        table.query(kind="dinner")


def test_sync_is_incremental_and_follows_removals_and_rebuilds(tmp_path, store):
    table = ContactsTable(tmp_path / "contacts.sqlite")
    table.sync(store)
    store.bodies_read.clear()
    assert table.sync(store).extracted == []  # nothing changed: nothing read
    assert store.bodies_read == []
    store.put(
        "wh-later",
        "2022-03-18",
        WH,
        WH_LATER[3].replace("Xi Jinping of China", "Olaf Scholz of Germany"),
    )
    report = table.sync(store)
    assert report.extracted == ["wh-later"] and store.bodies_read == ["wh-later"]
    assert table.query(participants=["Xi"]) == []
    assert len(table.query(participants=["Scholz"])) == 1
    store.remove("kr-call")  # ingest --sync
    assert table.sync(store).removed == ["kr-call"]
    [call] = table.query(participants=["Putin"])
    assert [r.doc_id for r in call.readouts] == ["wh-call"]
    before = [c.to_dict() for c in table.query()]
    store.bodies_read.clear()
    table.rebuild(store)  # ingest --rebuild
    assert sorted(store.bodies_read) == sorted(store.items)
    assert [c.to_dict() for c in table.query()] == before


def test_another_process_derives_the_same_table(tmp_path, store):
    one = ContactsTable(tmp_path / "a.sqlite")
    two = ContactsTable(tmp_path / "b.sqlite")
    one.sync(store)
    two.sync(store)
    assert [c.to_dict() for c in one.query()] == [c.to_dict() for c in two.query()]


def test_malformed_readouts_add_nothing_and_break_nothing(tmp_path, store):
    store.items["no-body"] = ("2022-02-30", WH, None)  # type: ignore[assignment]
    store.items["bad-date"] = ("someday", WH, WH_LATER[3])
    table = ContactsTable(tmp_path / "c.sqlite")
    report = table.sync(store)
    assert report.failed == []
    assert report.contacts == 3
    [undated] = [c for c in table.query(participants=["Xi"]) if not c.date]
    assert undated.readouts[0].doc_id == "bad-date"  # "today" of no known day: no date
    assert all(c.date for c in table.query(participants=["Xi"], since="2000-01-01"))


def test_the_fingerprint_is_read_once_a_second_and_again_after_a_sync(tmp_path) -> None:
    """Routing asks for the table's fingerprint on every question; a file read each time
    cost ~0.2 ms twice per question. A sync always reads the file."""
    from readout_qa.contacts import table as table_module
    from readout_qa.contacts.rows import set_meta

    t = table_module.ContactsTable(tmp_path / "contacts.sqlite")
    first = t.fingerprint
    with t._write() as db:  # another process syncing the same file
        set_meta(db, fingerprint="changed-elsewhere")
    assert t.fingerprint == first  # remembered for up to STAMP_SECONDS
    time.sleep(table_module.STAMP_SECONDS + 0.05)
    assert t.fingerprint == "changed-elsewhere"
