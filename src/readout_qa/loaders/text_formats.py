"""Text and Markdown readouts: the seed's header, YAML front matter, or no header at all.

Dates missing from the header come from a ``YYYY-MM-DD`` prefix of the file name; titles
missing from it come from the body (see :mod:`.titles`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from ..dates import parse_date
from ..models import Readout
from .readout import BadReadout, date_field, field_text, make_readout, strip_blank_lines, type_name
from .titles import shorten

_FILENAME_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?!\d)")
_HEADER_LINE = re.compile(r"[ \t]*(date|title|source|publisher)[ \t]*:?[ \t]+(\S[^\n]*?)[ \t]*$")
_FRONT_MATTER_OPEN = re.compile(r"^---[ \t]*\n")
_FRONT_MATTER_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)


# libyaml's loader when PyYAML was built with it: 10x faster over thousands of files.
_BaseSafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _FrontMatterLoader(_BaseSafeLoader):  # type: ignore[valid-type,misc]
    """SafeLoader that keeps timestamps as text, so a bad date gets our own clear message."""


def _construct_timestamp_as_text(loader: Any, node: yaml.Node) -> str:
    return str(loader.construct_scalar(node))  # type: ignore[arg-type]


_FrontMatterLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp_as_text)


def filename_date(path: Path) -> str | None:
    m = _FILENAME_DATE.match(path.name)
    if not m:
        return None
    try:
        return parse_date(m.group(1))
    except ValueError:
        return None


def _yaml_message(exc: Exception, first_line: int) -> str:
    if isinstance(exc, yaml.MarkedYAMLError):
        problem = exc.problem or exc.context or "syntax error"
        mark = exc.problem_mark or exc.context_mark
        where = f" (line {mark.line + first_line})" if mark is not None else ""
        return f"{problem}{where}"
    message = str(exc).strip().splitlines()
    return message[0][:120] if message else type(exc).__name__


def has_front_matter(text: str) -> bool:
    """Whether ``text`` opens with a ``---`` line, i.e. claims YAML front matter."""
    return _FRONT_MATTER_OPEN.match(text) is not None


def parse_front_matter(text: str, path: Path) -> Readout:
    opened = _FRONT_MATTER_OPEN.match(text)
    assert opened is not None
    close = _FRONT_MATTER_CLOSE.search(text, opened.end())
    if close is None:
        raise BadReadout("front matter starts with '---' but has no closing '---' line")
    raw = text[opened.end() : close.start()]
    try:
        meta = yaml.load(raw, Loader=_FrontMatterLoader)  # a SafeLoader subclass
    except Exception as exc:  # PyYAML raises more than YAMLError on odd input
        raise BadReadout(f"front matter is not valid YAML: {_yaml_message(exc, 2)}") from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise BadReadout(
            "front matter is not valid YAML: expected 'key: value' fields "
            f"(title, date, source, publisher), got a {type_name(meta)}"
        )
    meta = {str(k).strip().lower(): v for k, v in meta.items()}
    body = strip_blank_lines(text[close.end() :])
    return make_readout(
        doc_id=path.stem,
        title=field_text(meta, "title"),
        date=date_field(meta.get("date"), filename_date(path)),
        source=field_text(meta, "source"),
        publisher=field_text(meta, "publisher"),
        body=body,
        path=str(path),
    )


def parse_seed_header(text: str, path: Path) -> Readout | None:
    """The seed's `` date YYYY-MM-DD `` header; ``None`` when the text does not start so."""
    meta: dict[str, str] = {}
    pos = 0
    while pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        m = _HEADER_LINE.match(text, pos, end)
        if m is None or m.group(1) in meta:
            break
        meta[m.group(1)] = m.group(2)
        pos = end + 1
    if "date" not in meta:
        return None
    rest = text[pos:] if pos < len(text) else ""
    if rest and rest.split("\n", 1)[0].strip():
        # A header is normally followed by a blank line; without one, accept it only if
        # the date really is a date, so prose starting "date night ..." stays prose.
        try:
            parse_date(meta["date"])
        except ValueError:
            return None
    return make_readout(
        doc_id=path.stem,
        title=shorten(meta.get("title", "")),
        date=date_field(meta["date"], None),
        source=meta.get("source", ""),
        publisher=meta.get("publisher", ""),
        body=strip_blank_lines(rest),
        path=str(path),
    )


def parse_plain(text: str, path: Path) -> Readout:
    body = strip_blank_lines(text)
    return make_readout(
        doc_id=path.stem,
        title="",
        date=filename_date(path),
        source="",
        publisher="",
        body=body,
        path=str(path),
    )
