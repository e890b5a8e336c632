"""One event, however many readouts: merging mentions of the same contact.

The White House and the Kremlin both read out the Biden–Putin call of February 12,
2022; the answer must count it once and cite both. Mentions are one contact when

* their participants are the same people (after :mod:`.people`), or one side's list
  holds the other's and both name two people or more, and the readouts come from
  different publishers (a readout naming an aide who joined the call);
* their dates are within :data:`WINDOW_DAYS` when the publishers differ (a readout
  published the next day, a time zone apart), or equal within one publisher (two
  readouts of one meeting; a day apart for statements *following* talks, dated by
  their publication), and no date is unknown;
* their kinds can describe one event: a call is not a meeting, but a video call can be
  what one side calls a meeting or talks, and a joint statement goes with anything.

The merged contact takes the best-founded date (stated in the text, then relative,
then the publication date; the earliest on a tie), the most specific kind, the union
of participants and every readout, oldest first.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from ..models import Contact
from .extract import Mention
from .when import BASES

__all__ = ["WINDOW_DAYS", "Merged", "merge_mentions"]

WINDOW_DAYS = 2
_SPECIFIC = ("video call", "phone call", "visit", "summit", "talks", "meeting", "joint statement")
_CALLS = frozenset({"phone call", "video call"})
_IN_PERSON = frozenset({"meeting", "talks", "visit", "summit", "video call"})


@dataclass
class _Cluster:
    mentions: list[Mention] = field(default_factory=list)

    @property
    def keys(self) -> set[str]:
        return {k for m in self.mentions for k in m.keys}

    @property
    def day(self) -> dt.date:
        return dt.date.fromisoformat(self.mentions[0].date)


def _kinds_fit(a: str, b: str) -> bool:
    if "joint statement" in (a, b) or a == b:
        return True
    return (a in _CALLS and b in _CALLS) or (a in _IN_PERSON and b in _IN_PERSON)


def _people_fit(a: set[str], b: set[str], cross_publisher: bool) -> bool:
    if a == b:
        return True
    return cross_publisher and len(a & b) >= 2 and (a <= b or b <= a)


def _fits(mention: Mention, cluster: _Cluster) -> bool:
    day = dt.date.fromisoformat(mention.date)
    for other in cluster.mentions:
        if other.doc_id == mention.doc_id:
            return False
        cross = other.readout.publisher != mention.readout.publisher
        gap = abs((dt.date.fromisoformat(other.date) - day).days)
        following = "following" in (other.basis, mention.basis)
        if gap > (WINDOW_DAYS if cross else 1 if following else 0):
            return False
        if not _kinds_fit(other.kind, mention.kind):
            return False
        if not _people_fit(set(other.keys), set(mention.keys), cross):
            return False
    return True


@dataclass
class Merged:
    """A contact and its mentions, in the order of ``contact.readouts``."""

    contact: Contact
    mentions: list[Mention]


def merge_mentions(mentions: list[Mention], names: dict[str, str]) -> list[Merged]:
    """Contacts from mentions whose ``keys`` (person ids) are set, ordered by date;
    ``names`` gives each person id the name shown.

    Deterministic: the same mentions always give the same contacts and ids, whatever
    their order, so every process deriving the table agrees."""
    ordered = sorted(mentions, key=lambda m: (m.date or "9999", m.doc_id, m.seq))
    clusters: list[_Cluster] = []
    recent: list[_Cluster] = []  # clusters within the window of the current date
    for mention in ordered:
        if not mention.date:
            clusters.append(_Cluster([mention]))
            continue
        day = dt.date.fromisoformat(mention.date)
        recent = [c for c in recent if (day - c.day).days <= 2 * WINDOW_DAYS]
        best = min(
            (c for c in recent if _fits(mention, c)),
            key=lambda c: abs((day - c.day).days),
            default=None,
        )
        if best is None:
            best = _Cluster()
            clusters.append(best)
            recent.append(best)
        best.mentions.append(mention)
    merged = [_contact(c, names) for c in clusters]
    return sorted(merged, key=lambda x: (x.contact.date or "9999", x.contact.contact_id))


def _contact(cluster: _Cluster, names: dict[str, str]) -> Merged:
    ms = sorted(cluster.mentions, key=lambda m: (m.readout.date, m.doc_id, m.seq))
    best = min(ms, key=lambda m: (BASES.index(m.basis), m.date or "9999"))
    participants: list[str] = []
    countries: list[str] = []
    for m in ms:
        for person, key in zip(m.participants, m.keys, strict=True):
            name = names.get(key, person.name)
            if name not in participants:
                participants.append(name)
            if person.country and person.country not in countries:
                countries.append(person.country)
    ids = sorted(m.mention_id for m in ms)
    contact = Contact(
        contact_id="c" + hashlib.sha1("|".join(ids).encode()).hexdigest()[:12],
        date=best.date,
        kind=min((m.kind for m in ms), key=_SPECIFIC.index),
        participants=participants,
        countries=countries,
        place=next((m.place for m in ms if m.place), ""),
        readouts=[m.readout for m in ms],
    )
    return Merged(contact, ms)
