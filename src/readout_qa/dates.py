"""Dates: the one month table, the one parser, and the date windows questions name.

Readouts, front matter, filters and questions all write dates ("December 3, 2021",
"3 December 2021", "Dec. 3, 2021", "2021-12-03"), and the loaders, retrieval and
the answerer must agree on what a date is, so every stage parses them here.
Dates travel as ISO text ("2021-12-03") or as YYYYMMDD integers, because Chroma's
range filters need numbers.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from typing import Any

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# Every way a month is written, lower-cased, to its number ("sept" and "sep" both 9).
_MONTH_WORDS: dict[str, int] = {m.lower(): i for i, m in enumerate(MONTHS, 1)}
_MONTH_WORDS.update({m[:3].lower(): i for i, m in enumerate(MONTHS, 1)})
_MONTH_WORDS["sept"] = 9
# Abbreviations may end in a full stop; a month word must end at a word boundary, so
# "Mayor 3, 2021" and "Marching 4" name no month.
_MONTH = (
    "(?:"
    + "|".join(sorted((w for w in _MONTH_WORDS if len(w) > 3), key=len, reverse=True))
    + "|(?:"
    + "|".join(sorted((w for w in _MONTH_WORDS if len(w) <= 4), key=len, reverse=True))
    + r")\.?)(?![\w])"
)
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
_ORD = r"(?:st|nd|rd|th)?"


def _day_pattern(year: str) -> str:
    """An exact day in any of the forms readouts use, with ``year`` as the year pattern."""
    return (
        rf"(?P<iso>{year}[-/]\d{{1,2}}[-/]\d{{1,2}})(?![\w-])"
        rf"|{_WEEKDAY}(?P<m1>{_MONTH})\s*(?P<d1>\d{{1,2}}){_ORD},?\s+(?P<y1>{year})(?!\w)"
        rf"|{_WEEKDAY}(?P<d2>\d{{1,2}}){_ORD}\s+(?:of\s+)?(?P<m2>{_MONTH}),?\s*(?P<y2>{year})(?!\w)"
    )


_YEAR = r"(?:19|20)\d\d"
_ANY_YEAR = r"\d{4}"
_DAY_IN_TEXT = re.compile(rf"(?<![\w-])(?:{_day_pattern(_YEAR)})", re.IGNORECASE)
_DAY_VALUE = re.compile(rf"\s*(?:{_day_pattern(_ANY_YEAR)})\s*", re.IGNORECASE)
_PERIOD_IN_TEXT = re.compile(
    rf"(?<!\w)(?:"
    rf"(?P<iy>{_YEAR})-(?P<im>\d\d)(?:-\d\d)?(?![\w-])"
    rf"|(?P<m1>{_MONTH})\s*(?:\d{{1,2}}{_ORD},?\s+)?(?P<y1>{_YEAR})(?!\w)"
    rf"|\d{{1,2}}{_ORD}\s+(?:of\s+)?(?P<m2>{_MONTH}),?\s*(?P<y2>{_YEAR})(?!\w)"
    rf"|(?P<y>{_YEAR})(?!\w)"
    rf")",
    re.IGNORECASE,
)


def month_number(word: str) -> int | None:
    """1-12 for a month name or abbreviation ("Dec.", "sept"), None for anything else."""
    return _MONTH_WORDS.get(word.strip().lower().rstrip("."))


def _day_of(m: re.Match[str]) -> dt.date | None:
    """The date a day-pattern match names, or None when it is no calendar day."""
    try:
        if m.group("iso"):
            y, mo, d = (int(x) for x in re.split(r"[-/]", m.group("iso")))
            return dt.date(y, mo, d)
        month = m.group("m1") or m.group("m2")
        day = m.group("d1") or m.group("d2")
        year = m.group("y1") or m.group("y2")
        return dt.date(int(year), month_number(month) or 0, int(day))
    except (TypeError, ValueError):
        return None


def to_int(day: dt.date) -> int:
    """YYYYMMDD as an integer."""
    return day.year * 10000 + day.month * 100 + day.day


def from_int(value: int) -> dt.date:
    """The date of a YYYYMMDD integer (ValueError when it is none)."""
    return dt.date(value // 10000, (value // 100) % 100, value % 100)


def iso_to_int(iso: str | None) -> int:
    """YYYYMMDD of an ISO date; 0 when unknown."""
    return int(iso.replace("-", "")) if iso else 0


def parse_date(value: Any) -> str:
    """A date value (front matter, a filter, JSON) as ISO ``YYYY-MM-DD``.

    Accepts ``date``/``datetime`` (YAML gives those), ISO text with or without a time
    part, and the spelled-out forms readouts use ("December 8, 2021", "8 December 2021",
    "Wednesday, December 8, 2021"). Raises ``ValueError`` with a reason a user can act on.
    """
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = " ".join(str(value).split())
    candidate = text
    if re.match(r"\d{4}-\d{1,2}-\d{1,2}[T ]", text):
        candidate = text[:10]  # "2021-12-08T10:00:00Z": the day is what matters
    m = _DAY_VALUE.fullmatch(candidate)
    day = _day_of(m) if m else None
    if day is None or not 1000 <= day.year <= 9999:
        raise ValueError(f"date {text[:40]!r} is not a valid date (YYYY-MM-DD)")
    return day.isoformat()


# "on January 2 and March 17, 2022", "November 9 and 19, 2021": days listed before the one
# that carries the year share it.
_SHARED_YEAR = re.compile(
    rf"(?<![\w-])(?<!between\s)(?<!from\s)(?P<m>{_MONTH})\s*(?P<d>\d{{1,2}}){_ORD}(?!\d|,?\s*{_YEAR})"
    rf"(?=(?:\s*(?:,|and|or|&)\s*(?:{_MONTH}\s*)?\d{{1,2}}{_ORD})+,?\s+(?P<y>{_YEAR})(?!\w))"
    rf"|(?<=\band\s)(?P<d2>\d{{1,2}}){_ORD},?\s+(?P<y2>{_YEAR})(?!\w)",
    re.IGNORECASE,
)


def find_days(text: str) -> list[int]:
    """Exact days a text names ("December 3, 2021", "3 December 2021", "2021-12-03"; also
    "January 2 and March 17, 2022", each with its year), as YYYYMMDD integers in order of
    appearance, each once."""
    found: list[tuple[int, int]] = []
    for m in _DAY_IN_TEXT.finditer(text):
        day = _day_of(m)
        if day is not None:
            found.append((m.start(), to_int(day)))
    last_month = None
    for m in _SHARED_YEAR.finditer(text):
        if m.group("m"):
            last_month = month_number(m.group("m"))
            month, number, year = last_month, m.group("d"), m.group("y")
        else:  # "November 9 and 19, 2021": the month of the day before
            month, number, year = last_month, m.group("d2"), m.group("y2")
        try:
            day = dt.date(int(year), month or 0, int(number))
        except (TypeError, ValueError):
            continue
        found.append((m.start(), to_int(day)))
    found += _relative(text, found, _REL_DAYS, _day_offset)
    found += _relative(text, found, _YEARLESS_DAY, _same_year)
    out: list[int] = []
    for _, value in sorted(found):
        if value not in out:
            out.append(value)
    return out


_NUMBER_WORDS = {
    w: i for i, w in enumerate("a one two three four five six seven eight nine ten".split())
}
_NUMBER_WORDS["a"] = 1
_COUNT = r"(?P<n>\d{1,2}|a|one|two|three|four|five|six|seven|eight|nine|ten)"
# "nine days later", "a week later", "the next day": a day counted from the day named before.
_REL_DAYS = re.compile(
    rf"\b{_COUNT}\s+(?P<unit>days?|weeks?)\s+(?:later|after(?:wards?)?)\b"
    r"|\bthe\s+(?:next|following)\s+(?P<next>day)\b",
    re.IGNORECASE,
)
# "a year later", "two months later", "that June", "the following March": a month counted
# from the month named before.
_REL_PERIODS = re.compile(
    rf"\b{_COUNT}\s+(?P<unit>months?|years?)\s+(?:later|after(?:wards?)?)\b"
    rf"|\b(?:that|the\s+following|the\s+next)\s+(?P<month>{_MONTH})",
    re.IGNORECASE,
)


# "... on January 8, 2022, and ... again on January 13": a day without a year, after one with.
_YEARLESS_DAY = re.compile(
    rf"(?<![\w-])(?<!between\s)(?<!from\s)(?P<month>{_MONTH})\s*(?P<day>\d{{1,2}}){_ORD}"
    rf"(?![\d\w]|,?\s*{_YEAR}|\s*(?:,|and|or|&)\s*(?:{_MONTH}\s*)?\d)",
    re.IGNORECASE,
)


def _same_year(m: re.Match[str], base: int) -> int | None:
    """The day of ``m`` in the year of ``base`` (the next year if it would come before it)."""
    month = month_number(m.group("month"))
    anchor = from_int(base) if base >= 10_000_000 else None  # a YYYYMMDD day
    if month is None or anchor is None:
        return None
    try:
        day = dt.date(anchor.year, month, int(m.group("day")))
        if day < anchor:
            day = dt.date(anchor.year + 1, month, int(m.group("day")))
    except ValueError:
        return None
    return to_int(day)


def _count(m: re.Match[str]) -> int:
    n = (m.group("n") or "1").lower()
    return int(n) if n.isdigit() else _NUMBER_WORDS[n]


def _day_offset(m: re.Match[str], base: int) -> int | None:
    days = (
        1
        if m.group("next")
        else _count(m) * (7 if m.group("unit").lower().startswith("week") else 1)
    )
    return to_int(from_int(base) + dt.timedelta(days=days))


def _relative(
    text: str,
    anchors: list[tuple[int, int]],
    pattern: re.Pattern[str],
    shift: Callable[[re.Match[str], int], int | None],
) -> list[tuple[int, int]]:
    """Dates a text gives relative to the date named just before ("... on February 7, 2022,
    and in their call nine days later"), at the position where they are named."""
    out: list[tuple[int, int]] = []
    for m in pattern.finditer(text):
        before = [value for pos, value in sorted(anchors + out) if pos < m.start()]
        if before:
            value = shift(m, before[-1])
            if value is not None:
                out.append((m.start(), value))
    return out


Period = tuple[int, int | None]  # (year, month or None)


def find_periods(text: str) -> list[Period]:
    """(year, month or None) for each absolute date a text names, in order, each once.

    An exact day counts as its month. Relative dates ("last December") and months
    without a year are ignored: the right year is unknowable here.
    """
    found: list[tuple[int, Period]] = []
    for m in _PERIOD_IN_TEXT.finditer(text):
        item: Period
        if m.group("iy"):
            month = int(m.group("im"))
            item = (int(m.group("iy")), month if 1 <= month <= 12 else None)
        elif m.group("y1"):
            item = (int(m.group("y1")), month_number(m.group("m1")))
        elif m.group("y2"):
            item = (int(m.group("y2")), month_number(m.group("m2")))
        else:
            item = (int(m.group("y")), None)
        found.append((m.start(), item))
    # Relative months ("a year later", "that June") are shifted from the last month named.
    anchors = [(pos, y * 100 + mo) for pos, (y, mo) in found if mo]
    for pos, value in _relative(text, anchors, _REL_PERIODS, _month_offset):
        found.append((pos, (value // 100, value % 100)))
    out: list[Period] = []
    for _, item in sorted(found):
        if item not in out:
            out.append(item)
    return out


def _month_offset(m: re.Match[str], base: int) -> int | None:
    """``base`` (YYYYMM) moved by a relative month expression."""
    year, month = divmod(base, 100)
    if m.group("month"):
        target = month_number(m.group("month")) or month
        return (year + (1 if target < month else 0)) * 100 + target
    months = _count(m) * (12 if m.group("unit").lower().startswith("year") else 1)
    total = year * 12 + month - 1 + months
    return (total // 12) * 100 + total % 12 + 1


def period_words(period: Period) -> str:
    """ "December 2021" or "2021": a period as a question would write it."""
    year, month = period
    return f"{MONTHS[month - 1]} {year}" if month else str(year)


# A readout is often published a day or more after the event it reads out.
PUBLICATION_LAG_DAYS = 3


def date_fits(
    date_int: int,
    days: Iterable[int],
    periods: Iterable[Period],
    lag_days: int = PUBLICATION_LAG_DAYS,
    month_days: Iterable[tuple[int, int]] = (),
) -> bool | None:
    """Whether a readout dated ``date_int`` fits the days or periods a question names.

    None when the question names no date (or the readout has none). An exact day
    matches up to ``lag_days`` later; a month up to ``lag_days`` into the next; a day
    without a year ("on November 14", "on Christmas Eve") that day of any year.
    """
    days, periods, month_days = list(days), list(periods), list(month_days)
    if not (days or periods or month_days) or not date_int:
        return None
    try:
        when = from_int(date_int)
    except ValueError:
        return None
    if month_days and not (days or periods):
        return any(
            0 <= (when - day).days <= lag_days
            for month, number in month_days
            for year in (when.year, when.year - 1)
            if (day := valid_date(year, month, number)) is not None
        )
    if days:
        return any(0 <= (when - from_int(d)).days <= lag_days for d in days)
    for year, month in periods:
        if month is None:
            if when.year == year:
                return True
            continue
        first = dt.date(year, month, 1)
        last = dt.date(year + month // 12, month % 12 + 1, 1)
        if first <= when < last + dt.timedelta(days=lag_days):
            return True
    return False


def period_span(year: int, month: int | None) -> tuple[dt.date, dt.date]:
    """The first and last day of a year, or of one of its months."""
    if month is None:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return dt.date(year, month, 1), following - dt.timedelta(days=1)


def say_day(day: dt.date) -> str:
    """ "February 12, 2022": how readouts write a day."""
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def valid_date(year: int, month: int, day: int) -> dt.date | None:
    """The date, or None when there is no such day (February 29 of a common year)."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


# Days named by the occasion, in any year (readouts date a "Christmas Eve" call by its day).
HOLIDAYS = {
    "christmas eve": (12, 24),
    "christmas day": (12, 25),
    "christmas": (12, 25),
    "new year's eve": (12, 31),
    "new year’s eve": (12, 31),
    "new year's day": (1, 1),
    "new year’s day": (1, 1),
}
_HOLIDAY = re.compile(
    r"\b(?:" + "|".join(re.escape(h) for h in sorted(HOLIDAYS, key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)


def find_yearless_days(text: str) -> list[tuple[int, int]]:
    """Days a text names without a year ("on November 14", "on Christmas Eve"), as (month,
    day), when it names no day with one (those are :func:`find_days`)."""
    if find_days(text):
        return []
    found: list[tuple[int, tuple[int, int]]] = []
    for m in _YEARLESS_DAY.finditer(text):
        month = month_number(m.group("month"))
        if month is not None and valid_date(2024, month, int(m.group("day"))) is not None:
            found.append((m.start(), (month, int(m.group("day")))))
    for m in _HOLIDAY.finditer(text):
        found.append((m.start(), HOLIDAYS[m.group(0).lower()]))
    out: list[tuple[int, int]] = []
    for _, day in sorted(found):
        if day not in out:
            out.append(day)
    return out


# Words that only say when: they pick a readout, never a sentence.
DATE_WORDS = frozenset(_MONTH_WORDS)


def date_window(
    days: Iterable[int], periods: Iterable[Period], lag_days: int = PUBLICATION_LAG_DAYS
) -> tuple[int, int] | None:
    """The earliest and latest readout dates (YYYYMMDD) that fit the days or periods a
    question names, as :func:`date_fits` reads them; None when it names none."""
    days, periods = list(days), list(periods)
    spans: list[tuple[dt.date, dt.date]] = []
    for d in days:
        start = from_int(d)
        spans.append((start, start + dt.timedelta(days=lag_days)))
    if not days:
        for year, month in periods:
            first, last = period_span(year, month)
            # a month's readouts may come out a few days into the next; a year's are its own
            spans.append((first, last + dt.timedelta(days=lag_days if month else 0)))
    if not spans:
        return None
    return to_int(min(s for s, _ in spans)), to_int(max(e for _, e in spans))
