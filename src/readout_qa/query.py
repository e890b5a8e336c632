"""What a question is about: the names, countries and dates it gives.

Readouts are about who met whom when, and near-duplicates abound (Biden and Xi
met in 2021, 2022, 2023 and 2024), so retrieval and answer selection steer by
these signals; they are read from the question once, here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .dates import (
    HOLIDAYS,
    Period,
    date_fits,
    find_days,
    find_periods,
    find_yearless_days,
    to_int,
    valid_date,
)
from .entities import find_countries
from .names import find_names


@dataclass
class QueryAnalysis:
    """The parts of a question that steer retrieval; all may be empty."""

    text: str
    names: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    periods: list[Period] = field(default_factory=list)  # (year, month or None)
    days: list[int] = field(default_factory=list)  # exact days named, as YYYYMMDD
    # days named without a year ("on November 14", "on Christmas Eve"): (month, day)
    month_days: list[tuple[int, int]] = field(default_factory=list)
    # What readout_match derives from the names once per question (not per readout);
    # kept here so that it lives and dies with the question.
    prepared: Any = field(default=None, repr=False, compare=False)

    def date_fits(self, date_int: int) -> bool | None:
        """Whether a readout dated ``date_int`` fits the dates the question names
        (None when it names none); see :func:`readout_qa.dates.date_fits`."""
        return date_fits(date_int, self.days, self.periods, month_days=self.month_days)


def analyze(text: str) -> QueryAnalysis:
    """Names, countries and dates of a question."""
    days, periods = find_days(text), find_periods(text)
    month_days = find_yearless_days(text)
    years = {year for year, _ in periods}
    if month_days and len(years) == 1:
        # "their Christmas Eve call in 2021": the day in the year the question names
        (year,) = years
        days = [to_int(day) for m, d in month_days if (day := valid_date(year, m, d))]
        month_days = []
    return QueryAnalysis(
        text=text,
        # "Christmas Eve" says when, not who
        names=[n for n in find_names(text) if n.lower() not in HOLIDAYS],
        countries=find_countries(text),
        periods=periods,
        days=days,
        month_days=month_days,
    )
