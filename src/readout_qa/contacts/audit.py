"""An audit of the contacts extraction over whole corpora, independent of any gold item.

Held-out question sets kept finding contacts the table lacked or misread, one readout at
a time. Most such faults show from the readouts alone, without a question: a readout
whose title reads out a call or meeting but that gave no contact; a participant with
no country (so "foreign leaders" and "Bahrain's King" cannot find him) or whose "name"
is a title ("Communist Party Politburo Member"); a date far from the publication day;
the same event read out by both governments left as two contacts. :func:`audit` counts
each class and keeps examples, so a fix to the rules can be checked over every readout
(``benchmarks/contacts_audit.py`` writes the counts).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..entities import find_countries, find_leaders
from ..models import Readout
from .clauses import title_kind
from .extract import Mention, extract_mentions
from .heads import is_placeholder, resolve_heads
from .merge import merge_mentions
from .participants import Participant, principals_of, publisher_country
from .people import People

__all__ = ["AUDIT_CLASSES", "AuditReport", "audit"]

#: The classes counted, in report order.
AUDIT_CLASSES = (
    "titled_contact_no_row",  # the title reads out a call/meeting with a foreign side; no row
    "participant_no_country",  # a foreign-looking counterpart (leader's title) with no country
    # of those, the ones the table cannot place either: the person, named across the corpora,
    # is never stated with a country, and holds no international body's office (the
    # European Commission's President has none to state)
    "person_no_country",
    "participant_no_role",  # a participant with neither role nor country
    "title_as_name",  # a participant whose name is made of title words
    "date_far",  # event date more than 7 days before the publication day
    "date_after_publication",  # event date after the publication day (a future contact)
    "not_merged",  # one event read out by both governments, left as two contacts
)

_FAR_DAYS = 7
# offices of international bodies, whose holders rightly have no country
_INTERNATIONAL = re.compile(
    r"\b(?:Secretary[- ]General|European\s+(?:Commission|Council|Union)|NATO|United\s+Nations|UN"
    r"|IMF|World\s+Bank|African\s+Union|ASEAN|Red\s+Cross|International\s+Committee|WHO"
    r"|Director[- ]General|International\s+President)\b"
)
# a counterpart holding one of these is a foreign leader or official, never a governor
_FOREIGN_TITLE = re.compile(
    r"\b(?:President|Prime\s+Minister|Chancellor|King|Queen|Emir|Amir|Sultan|Sheikh|Crown\s+Prince"
    r"|Pope|Premier|Foreign\s+Minister|Minister\s+of\s+Foreign)\b"
)
# "On February 3, Vladimir Putin will hold talks with ...": an announcement, rightly no row
_AHEAD = re.compile(r"\b(?:will|to\s+(?:hold|meet|visit|host))\b|\bUpcoming\b", re.I)
_DOMESTIC = re.compile(r"\b(?:Governor|Mayor|Senator|Congress\w*|Representative|CEO)\b", re.I)
# words of titles and bodies that are no part of a person's name
_TITLE_WORD = re.compile(
    r"\b(?:Member|Minister|Director|Advis[eo]r|Secretary|Chairman|Chair|President|Office|Head"
    r"|Commission(?:er)?|Politburo|Committee|Council|Party|Ministry|Affairs|Deputy|Chief"
    r"|Spokesperson|Ambassador|Envoy|Representative|Staff|Administration)\b"
)


@dataclass
class AuditReport:
    """Counts and a few examples of each audit class, over the readouts audited."""

    readouts: int = 0
    mentions: int = 0
    contacts: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(AUDIT_CLASSES, 0))
    examples: dict[str, list[str]] = field(default_factory=lambda: {k: [] for k in AUDIT_CLASSES})

    def flag(self, kind: str, example: str, keep: int = 400) -> None:
        self.counts[kind] += 1
        if len(self.examples[kind]) < keep:
            self.examples[kind].append(example)


def _days(a: str, b: str) -> int | None:
    try:
        return (dt.date.fromisoformat(a) - dt.date.fromisoformat(b)).days
    except ValueError:
        return None


def _own(p: Participant, home: str) -> bool:
    return bool(home) and p.country == home


def _check_mentions(
    readout: Readout, found: list[Mention], report: AuditReport, unplaced: list | None = None
) -> None:
    home = publisher_country(readout.publisher or "")
    title = readout.title or ""
    if not found and title_kind(title) not in ("", "joint statement") and not _AHEAD.search(title):
        own = {
            w for p in principals_of(readout.publisher or "", readout.date) for w in p.name.split()
        }
        foreign = [c for c in find_countries(title) if c != home] or [
            n for n in find_leaders(title) if not own & set(n.split())
        ]
        if foreign:
            report.flag("titled_contact_no_row", f"{readout.doc_id} | {title}")
    for m in found:
        where = f"{m.doc_id}#{m.seq}"
        for p in m.participants:
            if is_placeholder(p):
                continue
            if _TITLE_WORD.search(p.name):
                report.flag("title_as_name", f"{where} | {p.name!r} ({p.role})")
            if not p.role and not p.country:
                report.flag("participant_no_role", f"{where} | {p.name!r}")
            elif (
                not p.country
                and not _own(p, home)
                and _FOREIGN_TITLE.search(p.role)
                and not _DOMESTIC.search(p.role)
            ):
                report.flag("participant_no_country", f"{where} | {p.name!r} ({p.role})")
                if unplaced is not None and not _INTERNATIONAL.search(p.role):
                    unplaced.append((where, p))
        if m.date and m.publisher_date:
            gap = _days(m.publisher_date, m.date)
            if gap is not None and gap > _FAR_DAYS:
                report.flag("date_far", f"{where} | {m.date} published {m.publisher_date}")
            elif gap is not None and gap < 0:
                report.flag(
                    "date_after_publication", f"{where} | {m.date} published {m.publisher_date}"
                )


def _check_merging(mentions: list[Mention], report: AuditReport) -> None:
    """Pairs of contacts, one per publisher, sharing two people within two days."""
    people = People((p.name, p.role, p.country) for m in mentions for p in m.participants)
    for m in mentions:
        m.keys = [people.of(p.name, p.role).person_id for p in m.participants]  # type: ignore[union-attr]
    merged = merge_mentions(mentions, {i: p.name for i, p in people.persons.items()})
    report.contacts = len(merged)
    rows = []
    for item in merged:
        pubs = {publisher_country(m.readout.publisher or "") for m in item.mentions}
        keys = {k for m in item.mentions for k in m.keys}
        rows.append((item.contact.date, pubs, keys, item.contact))
    rows.sort(key=lambda r: r[0] or "")
    for i, (date, pubs, keys, contact) in enumerate(rows):
        if not date or len(pubs) != 1:
            continue
        for date2, pubs2, keys2, other in rows[i + 1 :]:
            gap = _days(date2 or "", date)
            if gap is None or gap > 2:
                break
            if len(pubs2) == 1 and pubs2 != pubs and len(keys & keys2) >= 2:
                report.flag(
                    "not_merged",
                    f"{date} {contact.kind} {contact.participants} "
                    f"{[r.doc_id for r in contact.readouts]} / {date2} {other.kind} "
                    f"{[r.doc_id for r in other.readouts]}",
                )


def audit(readouts: Iterable[Readout]) -> AuditReport:
    """Extract every readout as ingest does and count each audit class."""
    report = AuditReport()
    every: list[Mention] = []
    unplaced: list[tuple[str, Participant]] = []
    for readout in readouts:
        report.readouts += 1
        found = extract_mentions(readout)
        report.mentions += len(found)
        _check_mentions(readout, found, report, unplaced)
        every.extend(found)
    people = People((p.name, p.role, p.country) for m in every for p in m.participants)
    for where, p in unplaced:
        person = people.of(p.name, p.role)
        if person is None or not person.country:
            report.flag("person_no_country", f"{where} | {p.name!r} ({p.role})")
    _check_merging(resolve_heads(every), report)
    return report
