"""Questions about two dates retrieve for each date.

"In Putin's calls with Lukashenko on November 9 and November 19, 2021, what ... in the first,
and what ... in the second?" is about two readouts. One search for the whole question ranks
the readouts that share most of its words; often both are the same call's, and the other date's
readout is not among the passages at all, so no answerer can quote it. For each day the question
names that no retrieved readout fits, this searches again within that day (and the publication
lag after it) and adds the best passages found, after the first search's.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

from .dates import PUBLICATION_LAG_DAYS, from_int
from .models import Filters
from .retrieval import Retrieval

Retrieve = Callable[[str, Filters], Retrieval]

#: Passages added per day that had none: the best readout of that day, not a crowd.
PER_DAY = 3


def each_day(query: str, retrieval: Retrieval, retrieve: Retrieve, filters: Filters) -> Retrieval:
    """``retrieval`` with passages added for every day of the question it has no readout of."""
    days = retrieval.analysis.days
    if len(days) < 2:
        return retrieval
    dates = {p.doc_id: int(p.metadata.get("date_int", 0) or 0) for p in retrieval.passages}
    passages = list(retrieval.passages)
    doc_ids = list(retrieval.doc_ids)
    matches = dict(retrieval.matches)
    for day in days:
        start = from_int(day)
        end = start + dt.timedelta(days=PUBLICATION_LAG_DAYS)
        if any(d and start <= from_int(d) <= end for d in dates.values()):
            continue
        window = dataclasses.replace(
            filters, since=_later(filters.since, start), until=_earlier(filters.until, end)
        )
        if window.since and window.until and window.since > window.until:
            continue
        extra = retrieve(query, window)
        seen = {(p.doc_id, p.start) for p in passages}
        added = [p for p in extra.passages if (p.doc_id, p.start) not in seen][:PER_DAY]
        passages += added
        for p in added:
            if p.doc_id not in doc_ids:
                doc_ids.append(p.doc_id)
            dates[p.doc_id] = int(p.metadata.get("date_int", 0) or 0)
        matches.update({d: m for d, m in extra.matches.items() if d not in matches})
    if len(passages) == len(retrieval.passages):
        return retrieval
    return dataclasses.replace(retrieval, passages=passages, doc_ids=doc_ids, matches=matches)


def _later(current: str | None, day: dt.date) -> str:
    return max(current or "", day.isoformat())


def _earlier(current: str | None, day: dt.date) -> str:
    return min(current, day.isoformat()) if current else day.isoformat()
