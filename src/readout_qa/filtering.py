"""User filters -> one Chroma ``where`` clause, and the same clause evaluated in Python.

Dense search asks Chroma with the clause; keyword search evaluates the very same
clause on its chunk table, so both halves of hybrid retrieval see identical
candidate sets.
"""

from __future__ import annotations

from typing import Any

from .models import Filters

COUNTRY_PREFIX = "country_"


def country_key(country: str) -> str:
    """Metadata key marking a chunk as about ``country`` (Chroma metadata is flat scalars)."""
    return COUNTRY_PREFIX + country.replace(" ", "_")


def iso_to_int(value: str, field: str) -> int:
    from datetime import date

    try:
        return int(date.fromisoformat(value.strip()).strftime("%Y%m%d"))
    except ValueError as exc:
        raise ValueError(f"{field} {value!r} is not a date (YYYY-MM-DD)") from exc


def _any_of(clauses: list[dict[str, Any]]) -> dict[str, Any]:
    return clauses[0] if len(clauses) == 1 else {"$or": clauses}


def to_where(filters: Filters | None) -> dict[str, Any] | None:
    """The Chroma ``where`` for these filters, or None when nothing is restricted."""
    if filters is None or filters.is_empty():
        return None
    clauses: list[dict[str, Any]] = []
    if filters.since:
        clauses.append({"date_int": {"$gte": iso_to_int(filters.since, "since")}})
    if filters.until:
        clauses.append({"date_int": {"$lte": iso_to_int(filters.until, "until")}})
    if filters.countries:
        clauses.append(_any_of([{country_key(c): {"$eq": True}} for c in filters.countries]))
    if filters.publishers:
        clauses.append({"publisher": {"$in": list(filters.publishers)}})
    if filters.doc_ids:
        clauses.append({"doc_id": {"$in": list(filters.doc_ids)}})
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


_OPS = {
    "$eq": lambda a, b: a == b,
    "$ne": lambda a, b: a != b,
    "$gt": lambda a, b: a is not None and a > b,
    "$gte": lambda a, b: a is not None and a >= b,
    "$lt": lambda a, b: a is not None and a < b,
    "$lte": lambda a, b: a is not None and a <= b,
    "$in": lambda a, b: a in b,
    "$nin": lambda a, b: a not in b,
}


def evaluate(where: dict[str, Any], meta: dict[str, Any]) -> bool:
    """True when ``meta`` satisfies ``where`` (the subset of Chroma's syntax used here)."""
    for key, cond in where.items():
        if key == "$and":
            if not all(evaluate(c, meta) for c in cond):
                return False
        elif key == "$or":
            if not any(evaluate(c, meta) for c in cond):
                return False
        elif isinstance(cond, dict):
            for op, value in cond.items():
                if not _OPS[op](meta.get(key), value):
                    return False
        elif meta.get(key) != cond:
            return False
    return True
