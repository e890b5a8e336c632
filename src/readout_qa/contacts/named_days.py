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

from ..dates import HOLIDAYS, MONTHS, period_span, valid_date

_ORDINAL_WORDS = (
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth"
).split()
_ORDINALS = {w: i + 1 for i, w in enumerate(_ORDINAL_WORDS)}
_ORDINALS |= {f"twenty-{w}": 20 + i + 1 for i, w in enumerate(_ORDINAL_WORDS[:9])}
_ORDINALS |= {"thirtieth": 30, "thirty-first": 31}

# days fixed in the calendar, besides dates.HOLIDAYS (US holidays: the White House's
# readouts are the ones that fall on them)
_FIXED = {
    **HOLIDAYS,
    "valentine's day": (2, 14),
    "valentine’s day": (2, 14),
    "halloween": (10, 31),
    "juneteenth": (6, 19),
    "independence day": (7, 4),
    "veterans day": (11, 11),
    "veterans' day": (11, 11),
}


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The n-th given weekday of a month (n = -1: the last)."""
    if n < 0:
        last = period_span(year, month)[1]
        return last - dt.timedelta(days=(last.weekday() - weekday) % 7)
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _easter(year: int) -> dt.date:
    """Western Easter Sunday (the anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month = (h + el - 7 * m + 114) // 31
    return dt.date(year, month, (h + el - 7 * m + 114) % 31 + 1)


# days that move: the day in a year, and the first and last day of its long weekend
_MOVING = {
    "thanksgiving": (lambda y: _nth_weekday(y, 11, 3, 4), 0, 3),  # Thursday to Sunday
    "easter": (_easter, -2, 1),  # Good Friday to Easter Monday
    "memorial day": (lambda y: _nth_weekday(y, 5, 0, -1), -2, 0),  # Saturday to Monday
    "labor day": (lambda y: _nth_weekday(y, 9, 0, 1), -2, 0),
    "labour day": (lambda y: _nth_weekday(y, 9, 0, 1), -2, 0),
}
_FIXED_WORDS = "|".join(re.escape(w) for w in sorted(_FIXED, key=len, reverse=True))
_MOVING_WORDS = "|".join(re.escape(w) for w in sorted(_MOVING, key=len, reverse=True))
_ORDINAL_FORM = "|".join(sorted(_ORDINALS, key=len, reverse=True))
_NAMED = re.compile(
    r"\b(?P<weekof>(?:the\s+)?week\s+of\s+(?:the\s+)?)?(?:"
    # "between Christmas and New Year's": the days from one to the other
    r"(?P<xmas>christmas(?:\s+day)?\s+(?:and|to|through|until|till)\s+(?:the\s+)?new\s+year(?:['’]s)?"
    r"(?P<nyd>\s+day)?)"
    rf"|(?P<fixed>{_FIXED_WORDS})"
    # "the Fourth of July", "the 4th of July", "the 14 of February"
    rf"|(?:the\s+)?(?P<n>{_ORDINAL_FORM}|\d{{1,2}}(?:st|nd|rd|th)?)\s+of\s+(?P<m>{'|'.join(MONTHS)})"
    rf"|(?P<moving>{_MOVING_WORDS})"
    r")(?:\s+(?P<part>week|weekend|day|sunday|monday))?\b",
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
    kind: str  # "fixed", a moving occasion's name, or "christmas to new year"
    part: str = ""  # "week" (Monday to Sunday around it), "weekend" (its long weekend)
    new_years_day: bool = False  # "between Christmas and New Year's Day": to January 1

    def span(self, year: int) -> tuple[dt.date, dt.date] | None:
        """The first and last day it names in ``year`` (None: no such day that year)."""
        if self.kind == "christmas to new year":
            last = dt.date(year + 1, 1, 1) if self.new_years_day else dt.date(year, 12, 31)
            return dt.date(year, 12, 25), last
        if self.month_day is not None:
            day = valid_date(year, *self.month_day)
            if day is None:
                return None
            first_off, last_off = 0, 0
        else:
            find, first_off, last_off = _MOVING[self.kind]
            day = find(year)
        if self.part == "week":  # Monday to Sunday of its week
            monday = day - dt.timedelta(days=day.weekday())
            return monday, monday + dt.timedelta(days=6)
        if self.part == "monday" and self.kind == "easter":  # "Easter Monday"
            return day + dt.timedelta(days=1), day + dt.timedelta(days=1)
        if self.part == "weekend" and self.month_day is None:
            return day + dt.timedelta(days=first_off), day + dt.timedelta(days=last_off)
        return day, day


def find_named_days(text: str) -> list[NamedDay]:
    """Each day ``text`` names by occasion or with an ordinal in words, in order."""
    out: list[NamedDay] = []
    for m in _NAMED.finditer(text):
        part = (m.group("part") or "").lower()
        part = (
            "week" if m.group("weekof") else part if part in ("week", "weekend", "monday") else ""
        )
        if m.group("xmas"):
            out.append(
                NamedDay(
                    m.start(), m.end(), None, "christmas to new year", "", bool(m.group("nyd"))
                )
            )
        elif m.group("fixed"):
            day = _FIXED[m.group("fixed").lower()]
            out.append(NamedDay(m.start(), m.end(), day, "fixed", part))
        elif m.group("n"):
            word = m.group("n").lower()
            number = _ORDINALS.get(word) or int(re.sub(r"\D", "", word))
            month = [x.lower() for x in MONTHS].index(m.group("m").lower()) + 1
            if valid_date(2024, month, number) is None:
                continue  # "the thirty-first of April"
            out.append(NamedDay(m.start(), m.end(), (month, number), "fixed", part))
        else:
            kind = " ".join(m.group("moving").lower().split())
            out.append(NamedDay(m.start(), m.end(), None, kind, part))
    return out


def occasion_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` names a day or occasion (with "New Year" alone): words that say when,
    for a reader of names to set aside."""
    spans = [(d.start, d.end) for d in find_named_days(text)]
    spans += [(m.start(), m.end()) for m in _NO_DAY.finditer(text)]
    return sorted(spans)
