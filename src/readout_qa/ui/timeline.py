"""The Timeline view's search, as a plain function over a ``ReadoutQA`` (testable without a
server): contacts between leaders by date, the chart of them per month by counterpart, and
the status line; a bad date or kind, or an unreadable table, is shown, never raised."""

from __future__ import annotations

from typing import Any, NamedTuple

from ..api import ReadoutQA
from ..models import CONTACT_KINDS, Contact
from .handlers import FilterError, _parse_date
from .rendering import render_error, render_found, render_timeline
from .timeline_chart import Chart, monthly_counts

TIMELINE_ROWS = 500  # rows drawn in the table; the chart counts every contact
ANY_KIND = "any"  # the kind dropdown's "no restriction"


class TimelineView(NamedTuple):
    """The outputs of the timeline event, in the order ``layout.py`` wires them."""

    table: str  # the contacts table HTML
    chart: Chart  # contacts per month by counterpart (a frame of timeline.CHART_COLUMNS)
    contacts: list[Contact]  # the table's rows, for selecting one into the sources panel
    data: Any  # [Contact.to_dict(), ...] for API callers, or {"error": ...}
    status: str  # the status line HTML


#: Kinds that stand for several (``ReadoutQA.contacts`` knows them), offered after the kinds.
KIND_GROUP_LABELS = {"call": "any call (phone or video)", "in person": "any in-person contact"}


def kind_choices() -> list[tuple[str, str]]:
    """The kind dropdown as (label, value): any kind, ``CONTACT_KINDS``, then the groups."""
    return [
        (ANY_KIND, ANY_KIND),
        *((k, k) for k in CONTACT_KINDS),
        *((label, value) for value, label in KIND_GROUP_LABELS.items()),
    ]


def _timeline_error(message: str) -> TimelineView:
    return TimelineView(
        render_timeline([], empty="Nothing searched yet."),
        monthly_counts([]),
        [],
        {"error": message},
        render_error(f"Not searched: {message}"),
    )


def timeline(
    qa: ReadoutQA,
    participant: str | None,
    with_participant: str | None = None,
    since: str | None = None,
    until: str | None = None,
    kind: str | None = None,
) -> TimelineView:
    """Contacts between leaders, by date: those of ``participant`` (with
    ``with_participant`` too, when given), within [since, until] (YYYY-MM-DD, inclusive),
    of ``kind`` (one of ``CONTACT_KINDS``, "call" or "in person"; empty or "any" for all).
    With no names, every contact in the dates. The chart counts them per month by
    counterpart. A failure to read the contacts is shown, not raised."""
    names = [n.strip() for n in (participant, with_participant) if n and n.strip()]
    try:
        lo = _parse_date(since, "Since")
        hi = _parse_date(until, "Until")
    except FilterError as exc:
        return _timeline_error(str(exc))
    if lo and hi and lo > hi:
        return _timeline_error(f"The “Since” date ({lo}) is after the “Until” date ({hi}).")
    wanted = (kind or "").strip()
    if wanted.lower() == ANY_KIND:
        wanted = ""
    if wanted and wanted not in CONTACT_KINDS and wanted not in KIND_GROUP_LABELS:
        known = ", ".join([*CONTACT_KINDS, *KIND_GROUP_LABELS])
        return _timeline_error(f"“{wanted}” is not a kind of contact ({known}).")
    try:
        found = qa.contacts(participants=names or None, since=lo, until=hi, kind=wanted or None)
    except Exception as exc:  # the table is derived: a failure must not lose the view
        return _timeline_error(f"the contacts could not be read ({exc}).")
    found = sorted(found, key=lambda c: (not c.date, c.date))  # stable: undated last
    empty = "No contacts found"
    if names:
        empty += " of " + " with ".join(names)
    empty += ". Try another spelling, a surname alone, or wider dates."
    table = render_timeline(found[:TIMELINE_ROWS], total=len(found), empty=empty)
    chips = [" with ".join(names)] if names else ["everyone"]
    if lo or hi:
        chips.append(f"{lo or '…'} – {hi or '…'}")
    if wanted:
        chips.append(KIND_GROUP_LABELS.get(wanted, wanted))
    status = render_found(len(found), "contact", chips)
    data = [c.to_dict() for c in found]
    return TimelineView(table, monthly_counts(found, names), found, data, status)
