"""The Timeline view's data: contacts per month by counterpart, and who the counterpart is.

Plain functions of :class:`readout_qa.models.Contact` lists, so the chart can be checked
without a server; ``timeline.timeline`` calls them and ``timeline_layout`` hands the
:class:`Chart` to a ``gr.BarPlot`` (x = period, y = contacts, colour = counterpart, stacked).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from ..models import Contact
from ..names import words

__all__ = [
    "CHART_COLUMNS",
    "Chart",
    "MAX_SERIES",
    "OTHERS",
    "counterparts",
    "is_named",
    "month_range",
    "monthly_counts",
]

CHART_COLUMNS = ("period", "counterpart", "contacts")
MAX_SERIES = 8  # counterparts drawn in their own colour; the rest are "Others"
OTHERS = "Others"
MAX_MONTHS = 24  # a bar per month up to two years; per quarter up to eight; else per year

_TITLES = frozenset(
    "president vice prime minister premier chancellor king queen prince crown secretary "
    "general state foreign chairman chair sheikh emir sultan pope his her excellency "
    "majesty highness mr mrs ms dr".split()
)


def _query_words(name: str) -> list[str]:
    return [w for w in words(name) if w not in _TITLES and len(w) >= 2]


def is_named(participant: str, name: str) -> bool:
    """Whether ``participant`` (a canonical name: "Joseph R. Biden") is the person the user
    typed (``name``: "Biden", "President Biden", "Joe Biden"): the typed surname, i.e. its
    last word that is no title, is one of the participant's words, spelling-insensitively."""
    typed = _query_words(name)
    return bool(typed) and typed[-1] in set(words(participant))


def counterparts(contact: Contact, names: Sequence[str]) -> list[str]:
    """Who a contact was with, seen from the people searched for: the participants other
    than ``names``; without names, the participants together ("Biden – Xi Jinping")."""
    names = [n for n in names if _query_words(n)]
    if not names:
        return [" – ".join(contact.participants)] if contact.participants else []
    others = [p for p in contact.participants if not any(is_named(p, n) for n in names)]
    if others:
        return others
    # Everyone was searched for ("Xi" with "Biden"): the counterpart is the last named.
    return [p for p in contact.participants if is_named(p, names[-1])][:1]


def month_range(first: str, last: str) -> list[str]:
    """ "2022-11", "2023-02" -> every month from the first to the last, as YYYY-MM."""
    y, m = int(first[:4]), int(first[5:7])
    end = (int(last[:4]), int(last[5:7]))
    out: list[str] = []
    while (y, m) <= end:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _month(date: str) -> str | None:
    text = (date or "").strip()
    ok = len(text) >= 7 and text[:4].isdigit() and text[4] == "-" and text[5:7].isdigit()
    return text[:7] if ok and 1 <= int(text[5:7]) <= 12 else None


def _period(month: str, unit: str) -> str:
    """ "2023-05" as a month ("2023-05"), a quarter ("2023-Q2") or a year ("2023")."""
    if unit == "quarter":
        return f"{month[:4]}-Q{(int(month[5:7]) - 1) // 3 + 1}"
    return month[:4] if unit == "year" else month


def _unit(months: int) -> str:
    """A bar per month over two years at most, per quarter over eight, else per year: so
    that the bars and their labels stay readable."""
    return "month" if months <= MAX_MONTHS else "quarter" if months <= 4 * MAX_MONTHS else "year"


@dataclass
class Chart:
    """Contacts per period by counterpart, and how to draw them.

    ``frame`` has the columns ``CHART_COLUMNS``: ``period`` (a month "2023-05", a quarter
    "2023-Q2" or a year "2023", as ``unit`` says), ``counterpart`` and ``contacts``."""

    frame: pd.DataFrame
    unit: str = "month"

    @property
    def empty(self) -> bool:
        return self.frame.empty

    @property
    def title(self) -> str:
        return f"Contacts per {self.unit}"  # the legend names the counterparts

    @property
    def y_lim(self) -> list[float | None]:
        """From 0 to the tallest stack, at least 4, so that the ticks fall on whole
        contacts (Vega would tick at 0.2 for a domain of 0-1)."""
        if self.frame.empty:
            return [0, 4]
        peak = int(self.frame.groupby("period")["contacts"].sum().max())
        return [0, max(peak, 4)]

    @property
    def label_angle(self) -> float:
        """Labels across for a few bars, slanted for more, upright for many."""
        n = self.frame["period"].nunique()
        return 0 if n <= 6 else -45 if n <= 12 else -90


def monthly_counts(contacts: Iterable[Contact], names: Sequence[str] = ()) -> Chart:
    """Contacts per month by counterpart (per quarter or year over a longer span, see
    :func:`_unit`), the periods in order and filled in between the first and the last (so
    the x axis is a time line), the ``MAX_SERIES`` most frequent counterparts by name and
    the rest as "Others". A contact with two counterparts counts once for each; undated
    contacts are left out. The frame is empty (with its columns) when no contact is dated."""
    rows: Counter[tuple[str, str]] = Counter()
    totals: Counter[str] = Counter()
    for c in contacts:
        month = _month(c.date)
        if month is None:
            continue
        for who in counterparts(c, names):
            rows[(month, who)] += 1
            totals[who] += 1
    if not rows:
        return Chart(pd.DataFrame({col: pd.Series(dtype=_dtype(col)) for col in CHART_COLUMNS}))
    top = {who for who, _ in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_SERIES]}
    months = sorted({m for m, _ in rows})
    span = month_range(months[0], months[-1])
    unit = _unit(len(span))
    merged: Counter[tuple[str, str]] = Counter()
    for (month, who), n in rows.items():
        merged[(_period(month, unit), who if who in top else OTHERS)] += n
    first_series = min(top, key=lambda who: (-totals[who], who))
    present = {p for p, _ in merged}
    for period in dict.fromkeys(_period(m, unit) for m in span):
        if period not in present:
            merged[(period, first_series)] = 0  # an empty period still takes its place
    data = sorted(merged.items())
    frame = pd.DataFrame(
        {
            "period": pd.Series([p for (p, _), _ in data], dtype="string"),
            "counterpart": pd.Series([w for (_, w), _ in data], dtype="string"),
            "contacts": pd.Series([n for _, n in data], dtype="int64"),
        }
    )
    return Chart(frame, unit)


def _dtype(column: str) -> str:
    return "int64" if column == "contacts" else "string"
