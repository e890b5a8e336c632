"""Counterparts a readout names by their country alone: "Taking part in the meeting ...
were the heads of Russia, Armenia, Belarus, Kazakhstan, Kyrgyzstan, and Tajikistan".

One readout cannot say who led Armenia that day; the table can, since the same leaders are
named in other readouts around the same date. So extraction keeps a placeholder for each
country (:func:`placeholder`), and when the table is derived (:func:`resolve_heads`) each
placeholder becomes the leader of that country the publisher's readouts name most often
within :data:`WINDOW` of the contact (a head of state or government, by role); a country
no readout names a leader of is dropped, and with it a contact left with one participant.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from ..entities import find_countries
from .participants import Participant

__all__ = ["WINDOW", "countries_named", "is_placeholder", "placeholder", "resolve_heads"]

WINDOW = dt.timedelta(days=183)
_MARK = "head of state of "

# "the heads of Russia, Armenia, ...", "the heads of state of Brazil, India and China": the
# words up to the end of the list. Not "leaders from Argentina, ...": a summit's list of
# countries by "leaders from" includes those that sent ministers (the East Asia Summit).
_HEADS_OF = re.compile(
    r"\bheads(?:\s+of\s+(?:state|government)s?)?\s+of\s+(?:the\s+)?(?P<list>[A-Z][^.;:]*)"
)
_HEAD_ROLE = re.compile(
    r"\b(?:President|Prime\s+Minister|Chancellor|Premier|King|Emir|Amir|Sultan|Taoiseach)\b"
)


def countries_named(sentence: str) -> list[str]:
    """The countries whose heads a sentence names by country alone, in order, or []."""
    m = _HEADS_OF.search(sentence)
    return list(dict.fromkeys(find_countries(m.group("list")))) if m else []


def placeholder(country: str) -> Participant:
    """The participant standing for the head of ``country`` until the table resolves it."""
    return Participant(f"{_MARK}{country}", "", country)


def is_placeholder(person: Participant) -> bool:
    return person.name.startswith(_MARK)


class _Mentioned:
    """When the publisher's readouts name each head of state or government, by country."""

    def __init__(self, mentions: Iterable) -> None:
        self._seen: dict[tuple[str, str], list[tuple[dt.date, Participant]]] = defaultdict(list)
        for m in mentions:
            day = _day(m.date)
            if day is None:
                continue
            for p in m.participants:
                if p.country and not is_placeholder(p) and _HEAD_ROLE.search(p.role):
                    self._seen[(m.readout.publisher, p.country)].append((day, p))

    def head(self, publisher: str, country: str, day: dt.date) -> Participant | None:
        near = [(d, p) for d, p in self._seen[(publisher, country)] if abs(d - day) <= WINDOW]
        if not near:
            return None
        counts = Counter(p.name for _, p in near)
        best = max(
            counts, key=lambda n: (counts[n], -min(abs(d - day) for d, p in near if p.name == n))
        )
        return next(p for _, p in near if p.name == best)


def _day(iso: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(iso) if iso else None
    except ValueError:
        return None


def resolve_heads(mentions: list) -> list:
    """``mentions`` with each placeholder replaced by the leader it stands for (see the
    module docstring); mentions left with fewer than two participants are dropped."""
    if not any(is_placeholder(p) for m in mentions for p in m.participants):
        return mentions
    known = _Mentioned(mentions)
    out = []
    for m in mentions:
        day = _day(m.date)
        people: list[Participant] = []
        for p in m.participants:
            if not is_placeholder(p):
                people.append(p)
                continue
            head = known.head(m.readout.publisher, p.country, day) if day else None
            if head is not None and all(head.name != o.name for o in people):
                people.append(Participant(head.name, head.role, head.country))
        m.participants = people
        if len(people) >= 2:
            out.append(m)
    return out
