"""What a question is about: names, countries and dates, and follow-up resolution.

Readouts are about who met whom when, and near-duplicates abound (Biden and Xi
met in 2021, 2022, 2023 and 2024), so retrieval needs these signals as soft
boosts; an elliptical follow-up ("What did they agree about AI?") needs them
carried over from the conversation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from .entities import country_of_name, find_countries, find_dates, find_names, is_region_word

PRONOUNS = re.compile(
    r"\b(they|them|their|he|she|him|his|her|it|its|both|the two|that (?:meeting|call|summit|"
    r"readout|conversation)|this (?:meeting|call|summit|readout)|there|then|the same)\b",
    re.IGNORECASE,
)


@dataclass
class QueryAnalysis:
    """The parts of a question that steer retrieval; all may be empty."""

    text: str
    names: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    dates: list[tuple[int, int | None]] = field(default_factory=list)
    days: list[int] = field(default_factory=list)  # exact dates named, as YYYYMMDD

    def date_fits(self, date_int: int) -> bool | None:
        """Whether a readout dated ``date_int`` fits the dates the question names.

        None when the question names no date. A readout is often published the
        day after the event, so a day matches up to three days later and a
        month up to three days into the next.
        """
        if not self.dates or not date_int:
            return None
        when = _to_date(date_int)
        if self.days:
            return any(0 <= (when - _to_date(d)).days <= 3 for d in self.days)
        for year, month in self.dates:
            if month is None:
                if when.year == year:
                    return True
                continue
            first = date(year, month, 1)
            last = date(year + month // 12, month % 12 + 1, 1)
            if first <= when < last + timedelta(days=3):
                return True
        return False


MONTHS = [
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
]
_MONTH_ABBR = [m[:3].lower() for m in MONTHS]
_MONTH_RE = "|".join(a + r"[a-z]*\.?" for a in _MONTH_ABBR)
_DAY_RE = re.compile(
    rf"\b(?P<month>{_MONTH_RE})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b"
    r"|\b(?P<iso>(?:19|20)\d\d-\d\d-\d\d)\b",
    re.IGNORECASE,
)


def _to_date(value: int) -> date:
    return date(value // 10000, (value // 100) % 100, value % 100)


def find_days(text: str) -> list[int]:
    """Exact dates ("December 3, 2021", "2021-12-03") as YYYYMMDD integers."""
    out = []
    for m in _DAY_RE.finditer(text):
        try:
            if m.group("iso"):
                d = date.fromisoformat(m.group("iso"))
            else:
                month = _MONTH_ABBR.index(m.group("month")[:3].lower()) + 1
                d = date(int(m.group("year")), month, int(m.group("day")))
        except ValueError:
            continue
        out.append(int(d.strftime("%Y%m%d")))
    return out


def analyze(text: str) -> QueryAnalysis:
    return QueryAnalysis(
        text=text,
        names=find_names(text),
        countries=find_countries(text),
        dates=find_dates(text),
        days=find_days(text),
    )


def message_text(message: Any) -> str:
    """Plain text of one history message (string, list of parts, or Gradio dict)."""
    content = message.get("content", "") if isinstance(message, dict) else message
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = []
        for part in content:
            if isinstance(part, str):
                parts.append(part)
            elif isinstance(part, dict) and isinstance(part.get("text"), str):
                parts.append(part["text"])
        return " ".join(parts)
    if isinstance(content, dict) and isinstance(content.get("text"), str):
        return content["text"]
    return ""


def user_turns(history: list[dict[str, Any]] | None) -> list[str]:
    return [
        message_text(m) for m in (history or []) if isinstance(m, dict) and m.get("role") == "user"
    ]


def needs_context(question: str) -> bool:
    """A question that leans on the conversation: pronouns, or no person and no date.

    Countries alone do not make a question self-contained: "Which American
    universities were named?" asked after a question about a meeting is about it.
    """
    a = analyze(question)
    people = [n for n in a.names if not country_of_name(n) and not is_region_word(n)]
    return bool(PRONOUNS.search(question)) or not (people or a.dates)


def carry_over(question: str, history: list[dict[str, Any]] | None) -> str:
    """Deterministic rewrite: append the names, countries and dates of earlier questions.

    Only for questions that need it, and only what the new question does not
    already say, so a self-contained question is searched as the user wrote it.
    """
    turns = user_turns(history)
    if not turns or not needs_context(question):
        return question
    current = analyze(question)
    have = {s.lower() for s in current.names + current.countries}
    extra: list[str] = []
    for turn in reversed(turns[-3:]):
        a = analyze(turn)
        for item in a.names + a.countries:
            if item.lower() not in have:
                have.add(item.lower())
                extra.append(item)
        if not current.dates:
            for year, month in a.dates:
                extra.append(_date_words(year, month))
        if extra:
            break  # the most recent turn that names something is the one referred to
    return f"{question} ({'; '.join(extra)})" if extra else question


def _date_words(year: int, month: int | None) -> str:
    return f"{MONTHS[month - 1]} {year}" if month else str(year)
