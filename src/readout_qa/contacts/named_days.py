"""Days a contact question names by occasion or in words, and the years they fall in.

"Which leaders did Putin speak with on Christmas Eve and Christmas Day 2021?", "How many
calls did Biden make on the Fourth of July?", "Who did Biden call during Thanksgiving week
2023?": the words say when, never who, and with a year named they are those days of that
year (not the whole year, which made a list of every contact in it). Without a year a
fixed day ("the Fourth of July") is that day of any year; an occasion whose day moves
(Thanksgiving) says when only with a year.

``dates.HOLIDAYS`` (Christmas, New Year's Eve and Day) is shared with the search path and
left as it is; the occasions here are read for contact questions only.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..dates import HOLIDAYS, MONTHS

_ORDINAL_WORDS = (
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth"
).split()
_ORDINALS = {w: i + 1 for i, w in enumerate(_ORDINAL_WORDS)}
_ORDINALS |= {f"twenty-{w}": 20 + i + 1 for i, w in enumerate(_ORDINAL_WORDS[:9])}
_ORDINALS |= {"thirtieth": 30, "thirty-first": 31}

# days fixed in the calendar, besides dates.HOLIDAYS
_FIXED = {
    **HOLIDAYS,
    "valentine's day": (2, 14),
    "valentine’s day": (2, 14),
    "halloween": (10, 31),
}
_FIXED_WORDS = "|".join(re.escape(w) for w in sorted(_FIXED, key=len, reverse=True))
_ORDINAL_FORM = "|".join(sorted(_ORDINALS, key=len, reverse=True))
_NAMED = re.compile(
    r"\b(?:"
    rf"(?P<fixed>{_FIXED_WORDS})"
    # "the Fourth of July", "the 4th of July", "the 14 of February"
    rf"|(?:the\s+)?(?P<n>{_ORDINAL_FORM}|\d{{1,2}}(?:st|nd|rd|th)?)\s+of\s+(?P<m>{'|'.join(MONTHS)})"
    # "Thanksgiving", "Thanksgiving week", "Thanksgiving weekend", "Thanksgiving Day"
    r"|(?P<thanks>thanksgiving)(?:\s+(?P<part>week|weekend|day))?"
    r")\b",
    re.I,
)
# "New Year" alone ("the run-up to Christmas and New Year 2023") names no one day, but is
# no person either
_NO_DAY = re.compile(r"\b(?:the\s+)?new\s+year(?:['’]s)?(?!['’]s\s+(?:eve|day))\b", re.I)


@dataclass(frozen=True)
class NamedDay:
    """One occasion or day named in words, where the text names it."""

    start: int
    end: int
    month_day: tuple[int, int] | None  # the same day every year; None when it moves
    kind: str  # "fixed", "thanksgiving", "thanksgiving week", "thanksgiving weekend"

    def span(self, year: int) -> tuple[dt.date, dt.date] | None:
        """The first and last day it names in ``year`` (None: no such day that year)."""
        if self.month_day is not None:
            try:
                day = dt.date(year, *self.month_day)
            except ValueError:
                return None
            return day, day
        thanksgiving = _fourth_thursday_of_november(year)
        if self.kind == "thanksgiving week":  # Monday to Sunday of its week
            monday = thanksgiving - dt.timedelta(days=3)
            return monday, monday + dt.timedelta(days=6)
        if self.kind == "thanksgiving weekend":
            return thanksgiving, thanksgiving + dt.timedelta(days=3)
        return thanksgiving, thanksgiving


def _fourth_thursday_of_november(year: int) -> dt.date:
    first = dt.date(year, 11, 1)
    return first + dt.timedelta(days=(3 - first.weekday()) % 7 + 21)


def find_named_days(text: str) -> list[NamedDay]:
    """Each day ``text`` names by occasion or with an ordinal in words, in order."""
    out: list[NamedDay] = []
    for m in _NAMED.finditer(text):
        if m.group("fixed"):
            out.append(NamedDay(m.start(), m.end(), _FIXED[m.group("fixed").lower()], "fixed"))
        elif m.group("n"):
            word = m.group("n").lower()
            number = _ORDINALS.get(word) or int(re.sub(r"\D", "", word))
            month = [x.lower() for x in MONTHS].index(m.group("m").lower()) + 1
            try:
                dt.date(2024, month, number)
            except ValueError:
                continue  # "the thirty-first of April"
            out.append(NamedDay(m.start(), m.end(), (month, number), "fixed"))
        else:
            part = (m.group("part") or "").lower()
            kind = "thanksgiving" + (f" {part}" if part in ("week", "weekend") else "")
            out.append(NamedDay(m.start(), m.end(), None, kind))
    return out


def occasion_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` names a day or occasion (with "New Year" alone): words that say when,
    for a reader of names to set aside."""
    spans = [(d.start, d.end) for d in find_named_days(text)]
    spans += [(m.start(), m.end()) for m in _NO_DAY.finditer(text)]
    return sorted(spans)
