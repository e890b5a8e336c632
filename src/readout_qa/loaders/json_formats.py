"""JSON readouts: JSON Lines (one object a line) and ``.json`` files (one object or a list).

Each object needs a ``text`` (or ``body``) field; ``doc_id`` (or ``id``), ``title``,
``date``, ``source`` and ``publisher`` are optional. A bad line or list item is reported
at ``path:number`` while the others still load.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..models import FileError, Readout
from .reading import normalise_newlines
from .readout import BadReadout, date_field, field_text, make_readout, strip_blank_lines


def _json_type(value: Any) -> str:
    return {
        dict: "object",
        list: "list",
        str: "string",
        bool: "boolean",
        int: "number",
        float: "number",
        type(None): "null",
    }.get(type(value), type(value).__name__)


def _json_error(exc: json.JSONDecodeError) -> str:
    return f"{exc.msg} (column {exc.colno})"


def _readout_from_object(obj: Any, path: Path, number: int, where: str, subject: str) -> Readout:
    if not isinstance(obj, dict):
        raise BadReadout(
            f"{subject} is not a JSON object with a 'text' field (got a {_json_type(obj)})"
        )
    body_value = obj.get("text", obj.get("body"))
    if body_value is None:
        raise BadReadout(f"{subject} has no 'text' (or 'body') field")
    if not isinstance(body_value, str):
        raise BadReadout(
            f"{subject} has a 'text' field that is a {_json_type(body_value)}, not text"
        )
    body = strip_blank_lines(normalise_newlines(body_value))
    if not body:
        raise BadReadout(f"{subject} has an empty 'text' field")
    raw_id = obj.get("doc_id", obj.get("id"))
    if isinstance(raw_id, (str, int)) and not isinstance(raw_id, bool) and str(raw_id).strip():
        doc_id = str(raw_id).strip()
    else:
        doc_id = f"{path.stem}-{number}"
    meta = {k: v for k, v in obj.items() if isinstance(k, str)}
    return make_readout(
        doc_id=doc_id,
        title=field_text(meta, "title"),
        date=date_field(meta.get("date"), None),
        source=field_text(meta, "source"),
        publisher=field_text(meta, "publisher"),
        body=body,
        path=where,
    )


def parse_jsonl(text: str, path: Path) -> tuple[list[Readout], list[FileError]]:
    readouts: list[Readout] = []
    errors: list[FileError] = []
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(FileError(where, f"line is not valid JSON: {_json_error(exc)}"))
            continue
        except RecursionError:
            errors.append(FileError(where, "line is not valid JSON: nested too deeply"))
            continue
        try:
            readouts.append(_readout_from_object(obj, path, lineno, where, "line"))
        except BadReadout as exc:
            errors.append(FileError(where, str(exc)))
    if not readouts and not errors:
        errors.append(FileError(str(path), "file has no JSON lines"))
    return readouts, errors


def parse_json(text: str, path: Path) -> tuple[list[Readout], list[FileError]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.pos > 0 and text.lstrip().startswith("{"):
            return parse_jsonl(text, path)  # JSON Lines saved as .json
        where = f"line {exc.lineno}, column {exc.colno}"
        raise BadReadout(f"is not valid JSON: {exc.msg} ({where})") from None
    except RecursionError:
        raise BadReadout("is not valid JSON: nested too deeply") from None
    items = data if isinstance(data, list) else [data]
    if not items:
        raise BadReadout("holds an empty JSON list, no readouts")
    readouts: list[Readout] = []
    errors: list[FileError] = []
    for number, obj in enumerate(items, start=1):
        where = f"{path}:{number}" if isinstance(data, list) else str(path)
        subject = f"item {number}" if isinstance(data, list) else "the JSON object"
        try:
            readout = _readout_from_object(obj, path, number, where, subject)
        except BadReadout as exc:
            errors.append(FileError(where, str(exc)))
            continue
        if not isinstance(data, list) and readout.doc_id == f"{path.stem}-1":
            readout.doc_id = path.stem
        readouts.append(readout)
    return readouts, errors


def looks_like_jsonl(text: str) -> bool:
    """Whether every non-blank line is a JSON object (JSON Lines under another suffix)."""
    if not text.lstrip().startswith("{"):
        return False
    for line in text.split("\n"):
        if not line.strip():
            continue
        try:
            if not isinstance(json.loads(line), dict):
                return False
        except (json.JSONDecodeError, RecursionError):
            return False
    return True
