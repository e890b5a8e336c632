"""What every reader shares: the error types, and turning header fields into a ``Readout``.

Each format module (text, JSON, and later HTML, PDF, URLs) finds a body and some metadata
fields, then hands them to :func:`make_readout`; problems are raised as :class:`BadReadout`
(a reason without a path yet) and become a :class:`LoadError` or ``FileError`` once the
caller knows which file, line or item they belong to.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from typing import Any

from ..dates import parse_date
from ..entities import find_countries, find_leaders
from ..models import FileError, Readout
from .titles import title_from_body


class LoadError(Exception):
    """A file (or one line of a JSON Lines file) that cannot be read as a readout."""

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.path, self.reason))

    def to_file_error(self) -> FileError:
        return FileError(self.path, self.reason)


class BadReadout(Exception):
    """Internal: a reason without a path yet."""


_LEADING_BLANK_LINES = re.compile(r"^(?:[ \t]*\n)+")


def strip_blank_lines(text: str) -> str:
    """Drop leading/trailing blank lines only: the result is a substring of ``text``."""
    return _LEADING_BLANK_LINES.sub("", text, count=1).rstrip()


def type_name(value: Any) -> str:
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "mapping"
    return type(value).__name__


def field_text(meta: dict[str, Any], key: str) -> str:
    value = meta.get(key)
    if value is None:
        return ""
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, (int, float, bool, dt.date)):
        return str(value)
    raise BadReadout(f"field '{key}' should be text, not a {type_name(value)}")


def date_field(value: Any, fallback: str | None) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return fallback
    if isinstance(value, (list, dict)):
        raise BadReadout(f"date should be text (YYYY-MM-DD), not a {type_name(value)}")
    try:
        return parse_date(value)
    except ValueError as exc:
        raise BadReadout(str(exc)) from None


def make_readout(
    *,
    doc_id: str,
    title: str,
    date: str | None,
    source: str,
    publisher: str,
    body: str,
    path: str,
) -> Readout:
    if not body.strip():
        raise BadReadout("no text after the header (the body is empty)")
    title = title or title_from_body(body)
    return Readout(
        doc_id=doc_id,
        title=title,
        date=date,
        source=source,
        publisher=publisher,
        text=body,
        path=path,
    )


def tag_entities(readout: Readout) -> Readout:
    """Fill ``countries`` and ``leaders`` (the costly part of loading: ingest does it only
    for readouts that changed)."""
    scan = f"{readout.title}\n{readout.text}"
    readout.countries = find_countries(scan)
    readout.leaders = find_leaders(scan)
    return readout
