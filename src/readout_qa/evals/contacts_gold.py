"""The contacts gold set: questions over many readouts (timelines, counterparts, counts,
first/last, none) with the contacts a correct answer must find (``evals/contacts_gold.jsonl``).

One JSON object per line::

    {"id": "ct-003", "kind": "timeline", "split": "test",
     "question": "List every call and meeting between Joe Biden and Vladimir Putin ...",
     "events": [{"date": "2021-12-07", "kind": "video call",
                 "participants": ["Joseph R. Biden", "Vladimir Putin"],
                 "doc_ids": ["2021-12-07_readout-of-...", "2021-12-07_meeting-with-..."]}, ...]}

An *event* is one call, meeting or summit: the day it took place, its kind (one of
:data:`readout_qa.models.CONTACT_KINDS`), who took part, and every readout that reads it out
(both governments' when both do).  ``count`` items also give ``count`` (the number of events);
``first`` and ``last`` items list the one event that answers them; ``none`` items list none.

The whole file is validated before anything is returned (:class:`ContactsGoldError` lists every
problem as ``file:line: message``), as :mod:`readout_qa.evals.gold` does for the gold set.  Name
matching (:func:`same_person`) lives here because the metrics and the extraction scores both
need it.  The definitions are in ``evals/README.md``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from readout_qa.config import PROJECT_ROOT
from readout_qa.evals.gold import parse_records, record_field_problems
from readout_qa.models import CONTACT_KINDS

from .gold import SPLITS, normalize

DEFAULT_CONTACTS_GOLD = PROJECT_ROOT / "evals" / "contacts_gold.jsonl"

#: What a contacts item asks for.
ITEM_KINDS: tuple[str, ...] = ("timeline", "counterparts", "count", "first", "last", "none")

REQUIRED_FIELDS: tuple[str, ...] = ("id", "kind", "split", "question", "events")
OPTIONAL_FIELDS: tuple[str, ...] = ("count", "note")
EVENT_FIELDS: tuple[str, ...] = ("date", "kind", "participants", "doc_ids")


class ContactsGoldError(ValueError):
    """The contacts gold file is malformed; ``errors`` holds ``(line, message)`` pairs."""

    def __init__(self, path: str | Path, errors: Sequence[tuple[int, str]]):
        self.path = str(path)
        self.errors = list(errors)
        self.line = self.errors[0][0] if self.errors else 0
        super().__init__(
            "\n".join(
                f"{self.path}:{line}: {msg}" if line else f"{self.path}: {msg}"
                for line, msg in self.errors
            )
        )


@dataclass
class ExpectedEvent:
    """One contact a correct answer must find, and the readouts that read it out."""

    date: str  # ISO day the contact took place
    kind: str  # one of CONTACT_KINDS
    participants: list[str]  # full names, e.g. ["Joseph R. Biden", "Vladimir Putin"]
    doc_ids: list[str]  # every readout of it (both governments' where both exist)

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.date,
            "kind": self.kind,
            "participants": list(self.participants),
            "doc_ids": list(self.doc_ids),
        }


@dataclass
class ContactItem:
    """One contacts question with the events a correct answer finds."""

    id: str
    kind: str  # one of ITEM_KINDS
    question: str
    events: list[ExpectedEvent]
    split: str  # "tune" or "test"
    count: int | None = None  # count items: the number the answer must state
    note: str = ""
    line: int = 0

    @property
    def expected_count(self) -> int | None:
        """The number a ``count`` item's answer must state (``None`` for other kinds)."""
        return self.count if self.kind == "count" else None

    @property
    def doc_ids(self) -> list[str]:
        """Every readout of every expected event, in order, each once."""
        return list(dict.fromkeys(d for e in self.events for d in e.doc_ids))

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind,
            "split": self.split,
            "question": self.question,
            "events": [e.to_dict() for e in self.events],
        }
        if self.count is not None:
            out["count"] = self.count
        if self.note:
            out["note"] = self.note
        return out


# ---------------------------------------------------------------------------------- names
#: Name parts that do not tell two people apart ("bin", "Al", "Jr.", "II").
_NAME_NOISE = frozenset("bin ibn al el de da von der van jr sr ii iii".split())


def name_tokens(name: str) -> list[str]:
    """The tokens that identify a person: normalised words, initials and particles dropped."""
    return [t for t in normalize(name).split() if len(t) > 1 and t not in _NAME_NOISE]


def same_person(a: str, b: str) -> bool:
    """Whether two names plausibly name the same person.

    Yes when the identifying tokens of one are all in the other ("Xi" / "Xi Jinping", "Kishida
    Fumio" / "Fumio Kishida"), or when the surnames (last tokens) agree and the first names
    do not contradict ("Joseph R. Biden" / "Joe Biden"); no when the first name of one is
    another part of the other ("Hamad bin Isa Al Khalifa" / "Salman bin Hamad Al Khalifa").
    """
    x, y = name_tokens(a), name_tokens(b)
    if not x or not y:
        return False
    if set(x) <= set(y) or set(y) <= set(x):
        return True
    if x[-1] != y[-1]:
        return False
    return x[0] == y[0] or (x[0] not in y and y[0] not in x)


def participants_match(expected: Iterable[str], found: Iterable[str]) -> bool:
    """Every expected participant is among ``found`` (see :func:`same_person`)."""
    found = list(found)
    return all(any(same_person(e, f) for f in found) for e in expected)


# ---------------------------------------------------------------------------------- loading
def _iso_day(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        return dt.date.fromisoformat(value).isoformat() == value
    except ValueError:
        return False


def _str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


def _event_problems(i: int, event: Any) -> list[str]:
    where = f"event {i + 1}"
    if not isinstance(event, dict):
        return [f"{where}: expected a JSON object"]
    problems = []
    missing = [f for f in EVENT_FIELDS if f not in event]
    if missing:
        problems.append(f"{where}: missing field(s): {', '.join(missing)}")
    unknown = sorted(set(event) - set(EVENT_FIELDS))
    if unknown:
        problems.append(f"{where}: unknown field(s): {', '.join(unknown)}")
    if "date" in event and not _iso_day(event["date"]):
        problems.append(f"{where}: 'date' must be an ISO day (YYYY-MM-DD)")
    if "kind" in event and event["kind"] not in CONTACT_KINDS:
        problems.append(f"{where}: unknown contact kind {event['kind']!r}")
    parts = event.get("participants")
    if "participants" in event and (not _str_list(parts) or len(parts) < 2):
        problems.append(f"{where}: 'participants' must list at least two names")
    docs = event.get("doc_ids")
    if "doc_ids" in event:
        if not _str_list(docs) or not docs:
            problems.append(f"{where}: 'doc_ids' must be a non-empty list of doc ids")
        elif len(set(docs)) != len(docs):
            problems.append(f"{where}: 'doc_ids' lists a doc id twice")
    return problems


def _record_problems(obj: Any) -> list[str]:
    if not isinstance(obj, dict):
        return [f"expected a JSON object, got {type(obj).__name__}"]
    problems = record_field_problems(obj, REQUIRED_FIELDS, OPTIONAL_FIELDS)
    kind = obj.get("kind")
    if "kind" in obj and kind not in ITEM_KINDS:
        problems.append(f"unknown kind {kind!r} (expected one of: {', '.join(ITEM_KINDS)})")
    if "split" in obj and obj["split"] not in SPLITS:
        problems.append(f"unknown split {obj['split']!r} (expected one of: {', '.join(SPLITS)})")
    if "note" in obj and not isinstance(obj["note"], str):
        problems.append("'note' must be a string")
    events = obj.get("events")
    if "events" in obj and not isinstance(events, list):
        problems.append("'events' must be a list")
        events = None
    for i, event in enumerate(events or []):
        problems += _event_problems(i, event)
    if events is None:
        return problems
    keys = [
        (e.get("date"), tuple(sorted(normalize(p) for p in e.get("participants") or [])))
        for e in events
        if isinstance(e, dict) and _str_list(e.get("participants"))
    ]
    if len(set(keys)) != len(keys):
        problems.append("the same event (date and participants) is listed twice")
    count = obj.get("count")
    if kind == "count":
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            problems.append("a 'count' item needs 'count', a whole number >= 0")
        elif count != len(events):
            problems.append(f"'count' is {count} but {len(events)} event(s) are listed")
    elif "count" in obj:
        problems.append("only 'count' items have 'count'")
    if kind == "none" and events:
        problems.append("a 'none' item lists no events")
    if kind in ("first", "last") and len(events) != 1:
        problems.append(f"a '{kind}' item lists exactly one event (the answer)")
    if kind in ("timeline", "counterparts", "count") and not events:
        problems.append(f"a '{kind}' item lists at least one event")
    return problems


def _item(obj: dict[str, Any], lineno: int) -> ContactItem:
    return ContactItem(
        id=obj["id"],
        kind=obj["kind"],
        question=obj["question"],
        events=[
            ExpectedEvent(e["date"], e["kind"], list(e["participants"]), list(e["doc_ids"]))
            for e in obj["events"]
        ],
        split=obj["split"],
        count=obj.get("count"),
        note=obj.get("note", ""),
        line=lineno,
    )


def parse_contacts_gold(text: str, path: str | Path = "<contacts gold>") -> list[ContactItem]:
    """Parse and validate contacts gold JSON Lines; raise :class:`ContactsGoldError` listing
    every problem (blank lines are skipped but counted)."""
    items, errors = parse_records(text, _record_problems, _item)
    if not errors and not items:
        errors.append((0, "no contacts gold items"))
    if errors:
        raise ContactsGoldError(path, errors)
    return items


def load_contacts_gold(path: str | Path = DEFAULT_CONTACTS_GOLD) -> list[ContactItem]:
    """Load ``path`` (JSON Lines), validating the whole file before returning anything."""
    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"contacts gold file {p} not found")
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ContactsGoldError(p, [(0, f"not UTF-8 text ({exc.reason})")]) from exc
    return parse_contacts_gold(text, p)


__all__ = [
    "DEFAULT_CONTACTS_GOLD",
    "ITEM_KINDS",
    "ContactItem",
    "ContactsGoldError",
    "ExpectedEvent",
    "load_contacts_gold",
    "name_tokens",
    "parse_contacts_gold",
    "participants_match",
    "same_person",
]
