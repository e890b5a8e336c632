"""The contacts gold set (evals/contacts_gold.jsonl) is valid, balanced and grounded: every doc
id exists, and every event's date and participants are stated in each readout listed for it.

The extraction annotations (evals/contacts_annotations.jsonl) are checked the same way.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pytest

from readout_qa.dates import MONTHS
from readout_qa.evals.contacts_extraction import load_annotations
from readout_qa.evals.contacts_gold import (
    ITEM_KINDS,
    ContactItem,
    ExpectedEvent,
    load_contacts_gold,
    name_tokens,
)
from readout_qa.evals.gold import normalize
from readout_qa.loaders import load_file

REPO = Path(__file__).resolve().parents[2]
GOLD = REPO / "evals" / "contacts_gold.jsonl"
ANNOTATIONS = REPO / "evals" / "contacts_annotations.jsonl"
SHARED = REPO.parent / "shared" / "corpora"

ITEMS = load_contacts_gold(GOLD)
EVENTS = [(item, event) for item in ITEMS for event in item.events]

_MONTHS = list(MONTHS)
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _docs() -> dict[str, Path]:
    if not SHARED.is_dir():
        return {}
    return {p.stem: p for p in sorted(SHARED.glob("*/*.md")) if p.name != "README.md"}


DOCS = _docs()
_READOUTS: dict[str, tuple[str, str]] = {}


def _readout(doc_id: str) -> tuple[str, str]:
    """(publication date, title + body) of a readout, as the product loads it."""
    if doc_id not in _READOUTS:
        readout = load_file(DOCS[doc_id])[0]
        _READOUTS[doc_id] = (readout.date or "", f"{readout.title}\n{readout.text}")
    return _READOUTS[doc_id]


def shared() -> None:
    if not DOCS:
        pytest.skip(f"shared corpora not found at {SHARED}")


def date_stated(day: str, published: str, text: str) -> bool:
    """The event day is the publication day, or the readout (published within a week after it)
    names it: "November 15", "15 November", "yesterday", or its weekday ("on Wednesday")."""
    if day == published:
        return True
    event, pub = dt.date.fromisoformat(day), dt.date.fromisoformat(published)
    if not 0 < (pub - event).days <= 7:
        return False
    month = _MONTHS[event.month - 1]
    patterns = [
        rf"\b{month}\s+{event.day}(?:st|nd|rd|th)?\b",
        rf"\b{event.day}(?:st|nd|rd|th)?\s+(?:of\s+)?{month}\b",
        rf"\b{_WEEKDAYS[event.weekday()]}\b",
    ]
    if (pub - event).days == 1:
        patterns.append(r"\byesterday\b")
    return any(re.search(p, text, re.IGNORECASE) for p in patterns)


def named(name: str, text: str) -> bool:
    """The person's surname (last identifying token) is a word of the text."""
    return f" {name_tokens(name)[-1]} " in f" {normalize(text)} "


# ------------------------------------------------------------------ the file as a whole
def test_the_file_is_large_and_covers_every_kind() -> None:
    kinds = Counter(item.kind for item in ITEMS)
    assert len(ITEMS) >= 30
    assert set(kinds) == set(ITEM_KINDS)
    assert kinds["none"] >= 2
    assert all(kinds[k] >= 3 for k in ("timeline", "counterparts", "count"))


def test_the_held_out_part_is_large_and_covers_every_kind() -> None:
    """Each held-out part moves to the tuning part once it has been looked at, so between
    blind rounds there is none; a held-out part, when there is one, needs at least 25 items
    and every kind, and the tuning part covers every kind always."""
    splits = Counter(item.split for item in ITEMS)
    assert set(splits) <= {"tune", "test"}
    assert splits["test"] == 0 or splits["test"] >= 25, splits
    for kind in ITEM_KINDS:
        parts = Counter(item.split for item in ITEMS if item.kind == kind)
        assert parts["tune"] >= 1, (kind, parts)
        assert splits["test"] == 0 or parts["test"] >= 1, (kind, parts)


def test_events_of_lists_are_in_date_order() -> None:
    for item in ITEMS:
        dates = [e.date for e in item.events]
        assert dates == sorted(dates), item.id


def test_both_governments_readouts_are_listed_where_both_exist() -> None:
    """The Biden-Putin contacts of December 2021 and February 2022 are read out in both
    corpora; each such event lists a White House and a Kremlin readout."""
    shared()
    both = [
        e
        for _, e in EVENTS
        if {"Joseph R. Biden", "Vladimir Putin"} <= set(e.participants) and e.date >= "2021-10-25"
    ]
    assert len({e.date for e in both}) == 3
    for event in both:
        assert {DOCS[d].parent.name for d in event.doc_ids} == {"whitehouse", "kremlin"}, event


# ------------------------------------------------------------------ grounding, per event
@pytest.mark.parametrize(
    ("item", "event"), EVENTS, ids=[f"{i.id}:{e.date}:{n}" for n, (i, e) in enumerate(EVENTS)]
)
def test_event_is_stated_in_each_of_its_readouts(item: ContactItem, event: ExpectedEvent) -> None:
    shared()
    for doc_id in event.doc_ids:
        assert doc_id in DOCS, f"{item.id}: no readout {doc_id!r}"
        published, text = _readout(doc_id)
        assert date_stated(event.date, published, text), f"{item.id}: {event.date} in {doc_id}"
        missing = [p for p in event.participants if not named(p, text)]
        assert not missing, f"{item.id}: {missing} not named in {doc_id}"


# ------------------------------------------------------------------ the extraction annotations
def test_annotations_are_fifty_readouts_from_both_corpora() -> None:
    shared()
    annotations = load_annotations(ANNOTATIONS)
    assert len(annotations) == 50
    corpora = Counter(DOCS[a.doc_id].parent.name for a in annotations)
    assert corpora == {"whitehouse": 25, "kremlin": 25}
    assert sum(1 for a in annotations if a.contacts_at(("leaders",))) >= 20
    assert sum(1 for a in annotations if not a.contacts) >= 10  # "no contact" readouts


@pytest.mark.parametrize(
    "annotation",
    load_annotations(ANNOTATIONS),
    ids=[a.doc_id[:60] for a in load_annotations(ANNOTATIONS)],
)
def test_annotated_contacts_are_stated_in_their_readout(annotation) -> None:
    shared()
    assert annotation.doc_id in DOCS
    published, text = _readout(annotation.doc_id)
    for contact in annotation.contacts:
        if contact.date is not None:
            assert date_stated(contact.date, published, text), annotation.doc_id
        missing = [p for p in contact.participants if not named(p, text)]
        assert not missing, f"{annotation.doc_id}: {missing}"
