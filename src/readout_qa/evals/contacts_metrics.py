"""Metrics of answers to contacts questions (timelines, counterparts, counts, first/last, none).

Computed from the ``Answer`` of ``qa.ask(question)`` for each item of
``evals/contacts_gold.jsonl`` (:mod:`.contacts_gold`); deterministic, plain objects in and out,
like :mod:`.metrics`.  Per item:

* ``event_recall`` -- share of the expected events the answer finds.  An event is found when
  the answer cites any readout of it, or ``Answer.contacts`` holds it (a contact that lists one
  of its readouts, or has its day and all its participants).  A refusal finds nothing.
* ``cited_readout_precision`` -- share of the readouts the answer cites (citations and the
  readouts of ``Answer.contacts``) that read out some expected event; ``None`` when it cites
  nothing.
* ``all_events`` -- 1 when every expected event is found.
* ``count_exact`` -- ``count`` items: 1 when the number the answer states
  (:func:`stated_count`: digits or number words, dates and list numbers left out) is the
  expected count.
* ``none_stated`` -- ``none`` items: 1 when the answer says there was no contact (or refuses)
  *and* cites nothing (:func:`says_none`).

A metric that does not apply to an item is ``None`` and left out of every mean.  Definitions and
targets are in ``evals/README.md``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from readout_qa.markers import strip_markers
from readout_qa.models import Answer, Contact

from .contacts_gold import ITEM_KINDS, ContactItem, ExpectedEvent, participants_match
from .gold import SPLITS
from .metrics import mean, percentile

#: Higher is better for all of them (latencies aside).
CONTACT_METRICS: tuple[str, ...] = (
    "event_recall",
    "all_events",
    "cited_readout_precision",
    "count_exact",
    "none_stated",
    "refused",
)
CONTACT_LATENCY: tuple[str, ...] = ("latency_p50", "latency_p95")
CONTACT_REPORT_KEYS: tuple[str, ...] = (*CONTACT_METRICS, *CONTACT_LATENCY, "n_items")
#: Reported but not a quality target: a refusal is right only for ``none`` items.
DIAGNOSTIC_METRICS: tuple[str, ...] = ("refused",)


# ---------------------------------------------------------------------------------- numbers
_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_ADVERBS = {"once": 1, "twice": 2, "thrice": 3}
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATES = re.compile(
    rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:\s*[–-]\s*\d{{1,2}})?(?:,?\s+\d{{4}})?"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s+\d{{4}})?"
    r"|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b"
    r"|\b(?:1[89]|20)\d\d(?:s)?\b"
    r"|\b\d{1,2}:\d{2}\b",
    re.IGNORECASE,
)
_LIST_NUMBER = re.compile(r"(?m)^\s*\d{1,3}[.)]\s")
_NUMBER_WORD = "|".join(sorted([*_UNITS, *_TENS], key=len, reverse=True))
_DIGIT_WORD = "|".join(k for k, v in _UNITS.items() if 0 < v < 10)
_NUMBER = re.compile(
    rf"\b(?:(?P<tens>{'|'.join(_TENS)})[\s-](?P<unit>{_DIGIT_WORD})"
    rf"|(?P<word>{_NUMBER_WORD}|no)|(?P<digits>\d{{1,4}}))\b",
    re.IGNORECASE,
)
_COUNTED = re.compile(
    r"\s+(?:[\w-]+\s+){0,3}?(?:(?:phone\s+|telephone\s+|video\s+)?calls?|conversations?|"
    r"contacts?|meetings?|times|talks|occasions|exchanges|summits|visits|"
    r"leaders|counterparts|readouts)\b",
    re.IGNORECASE,
)


def _value(m: re.Match[str]) -> int:
    if m.group("tens"):
        return _TENS[m.group("tens").lower()] + _UNITS[m.group("unit").lower()]
    if m.group("word"):
        word = m.group("word").lower()
        return 0 if word == "no" else _UNITS.get(word, _TENS.get(word, 0))
    return int(m.group("digits"))


def stated_count(text: str) -> int | None:
    """The number of contacts an answer states, or ``None`` when it states none.

    Citation markers, dates ("March 3, 2022", "3 March", "2022-03-03", years) and list
    numbers ("1. ...") are removed first.  The first number followed (within three words) by
    a counted noun ("four calls", "5 times", "two phone conversations", "no calls") wins;
    then "once"/"twice"/"thrice"; then the first number left in the text.
    """
    clean = strip_markers(text, replacement=" ")
    clean = _LIST_NUMBER.sub(" ", clean)
    clean = _DATES.sub(" ", clean)
    numbers = [m for m in _NUMBER.finditer(clean) if m.group(0).lower() != "no"]
    for m in _NUMBER.finditer(clean):
        if _COUNTED.match(clean, m.end()):
            return _value(m)
    adverb = re.search(r"\b(once|twice|thrice)\b", clean, re.IGNORECASE)
    if adverb:
        return _ADVERBS[adverb.group(1).lower()]
    return _value(numbers[0]) if numbers else None


# ---------------------------------------------------------------------------------- "none"
_NONE_PATTERNS = re.compile(
    r"\b(?:record(?:s|ed)?\s+no|no\s+(?:record(?:ed)?|readouts?|calls?|contacts?|meetings?|"
    r"(?:phone\s+|telephone\s+)?(?:calls?|conversations?)|talks|visits?|such)|"
    r"none|never|nothing|not\s+(?:record|mention|show|read\s+out|find|found)|"
    r"(?:don't|do\s+not|does\s+not|doesn't)\s+(?:say|record|mention|show|read\s+out)|"
    r"there\s+(?:is|are|was|were)\s+no|zero)\b",
    re.IGNORECASE,
)


def says_none(answer: Answer) -> bool:
    """The answer says there was no such contact -- or refuses -- and cites nothing."""
    if answer.citations or answer.contacts:
        return False
    if answer.refused:
        return True
    return bool(_NONE_PATTERNS.search(strip_markers(answer.text, replacement=" ")))


# ---------------------------------------------------------------------------------- events
def cited_readouts(answer: Answer) -> list[str]:
    """The readouts an answer cites: its citations' and its contacts', in order, each once."""
    ids = [c.doc_id for c in answer.citations]
    ids += [r.doc_id for c in answer.contacts for r in c.readouts]
    return list(dict.fromkeys(ids))


def contact_holds(contact: Contact, event: ExpectedEvent) -> bool:
    """Whether a listed contact is the expected event: it lists one of its readouts, or it has
    the event's day and every one of its participants."""
    if {r.doc_id for r in contact.readouts} & set(event.doc_ids):
        return True
    return contact.date == event.date and participants_match(
        event.participants, contact.participants
    )


def event_found(event: ExpectedEvent, answer: Answer) -> bool:
    """Found: the answer cites a readout of the event, or ``Answer.contacts`` holds it."""
    if answer.refused:
        return False
    if {c.doc_id for c in answer.citations} & set(event.doc_ids):
        return True
    return any(contact_holds(c, event) for c in answer.contacts)


@dataclass
class ContactItemResult:
    """Scores of one answered contacts item; ``None`` means "does not apply"."""

    id: str
    kind: str
    split: str
    refused: bool
    latency: float | None = None
    event_recall: float | None = None
    all_events: float | None = None
    cited_readout_precision: float | None = None
    count_exact: float | None = None
    none_stated: float | None = None
    stated_count: int | None = None
    found: list[bool] = field(default_factory=list)  # per expected event, in order
    cited: list[str] = field(default_factory=list)
    uncited_events: list[str] = field(default_factory=list)  # dates of events not found
    stray_readouts: list[str] = field(default_factory=list)  # cited, but no expected event's

    def metric(self, name: str) -> float | None:
        if name == "refused":
            return float(self.refused)
        if name in CONTACT_LATENCY:
            return self.latency
        return getattr(self, name)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def evaluate_contact_item(
    item: ContactItem, answer: Answer, latency: float | None = None
) -> ContactItemResult:
    """Score ``answer`` against ``item`` (``latency`` defaults to ``answer.timings["total"]``)."""
    if latency is None and "total" in answer.timings:
        latency = float(answer.timings["total"])
    cited = cited_readouts(answer)
    res = ContactItemResult(
        id=item.id,
        kind=item.kind,
        split=item.split,
        refused=bool(answer.refused),
        latency=latency,
        cited=cited,
    )
    expected_docs = set(item.doc_ids)
    res.stray_readouts = [d for d in cited if d not in expected_docs]
    if item.events:
        res.found = [event_found(e, answer) for e in item.events]
        res.event_recall = sum(res.found) / len(res.found)
        res.all_events = float(all(res.found))
        res.uncited_events = [
            e.date for e, ok in zip(item.events, res.found, strict=True) if not ok
        ]
        if cited:
            res.cited_readout_precision = (len(cited) - len(res.stray_readouts)) / len(cited)
    if item.kind == "count":
        res.stated_count = None if answer.refused else stated_count(answer.text)
        res.count_exact = float(res.stated_count == item.expected_count)
    if item.kind == "none":
        res.none_stated = float(says_none(answer))
    return res


# ---------------------------------------------------------------------------------- aggregates
def _summary(results: Sequence[ContactItemResult]) -> dict[str, Any]:
    out: dict[str, Any] = {name: mean(r.metric(name) for r in results) for name in CONTACT_METRICS}
    latencies = [r.latency for r in results if r.latency is not None]
    out["latency_p50"] = percentile(latencies, 50) if latencies else None
    out["latency_p95"] = percentile(latencies, 95) if latencies else None
    out["n_items"] = len(results)
    return {k: out[k] for k in CONTACT_REPORT_KEYS}


def aggregate_contacts(results: Sequence[ContactItemResult]) -> dict[str, Any]:
    """Means over the items each metric applies to, overall and per kind (``by_kind``)."""
    report = _summary(results)
    present = {r.kind for r in results}
    order = [k for k in ITEM_KINDS if k in present] + sorted(present - set(ITEM_KINDS))
    report["by_kind"] = {k: _summary([r for r in results if r.kind == k]) for k in order}
    return report


def aggregate_contact_splits(results: Iterable[ContactItemResult]) -> dict[str, dict[str, Any]]:
    """:func:`aggregate_contacts` of the tuning and the test part (those present)."""
    results = list(results)
    return {
        part: aggregate_contacts([r for r in results if r.split == part])
        for part in SPLITS
        if any(r.split == part for r in results)
    }


__all__ = [
    "CONTACT_METRICS",
    "CONTACT_REPORT_KEYS",
    "ContactItemResult",
    "aggregate_contact_splits",
    "aggregate_contacts",
    "cited_readouts",
    "contact_holds",
    "evaluate_contact_item",
    "event_found",
    "says_none",
    "stated_count",
]
