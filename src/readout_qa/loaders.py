"""Read readouts from disk, whatever shape they come in, and say clearly why a file fails.

The shape is recognised from the content, not the folder name or (mostly) the suffix:

1. the seed's shape: a first line `` date YYYY-MM-DD `` (a few ``key value`` lines for
   date/title/source/publisher are accepted), blank lines, then the body;
2. Markdown or text with YAML front matter between ``---`` lines
   (``title``, ``date``, ``source``, ``publisher``);
3. plain text or Markdown with no header at all (date from a ``YYYY-MM-DD`` prefix of
   the file name, title from a leading ``# heading`` or the first sentence);
4. JSON Lines (``.jsonl``, or any file whose every line is a JSON object), one readout a
   line, and ``.json`` files holding one object or a list of them.

The body is kept exactly as in the file apart from ``\\r\\n`` -> ``\\n`` and the removal of
leading/trailing blank lines, so every offset computed downstream points into text the
user can find in the file.

Problems are reported as :class:`LoadError` (one file) or :class:`FileError` (in bulk),
with reasons a user can act on; nothing else escapes for a bad file.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from .entities import find_countries, find_leaders
from .models import FileError, Readout

__all__ = [
    "DEFAULT_MAX_FILE_MB",
    "LoadError",
    "SUPPORTED_SUFFIXES",
    "load_file",
    "load_file_with_errors",
    "load_paths",
    "parse_date",
]

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".jsonl", ".json")
DEFAULT_MAX_FILE_MB = 10.0
MAX_MB_ENV = "READOUT_QA_MAX_FILE_MB"
TITLE_MAX_CHARS = 120
_MB = 1024 * 1024


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


class _Bad(Exception):
    """Internal: a reason without a path yet."""


# ---------------------------------------------------------------------------------------
# Dates and titles
# ---------------------------------------------------------------------------------------

_DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%B %d, %Y",
    "%B %d %Y",
    "%b %d, %Y",
    "%b %d %Y",
    "%b. %d, %Y",
    "%d %B %Y",
    "%d %b %Y",
    "%A, %B %d, %Y",
)
_ISO_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
_FILENAME_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?!\d)")


def parse_date(value: Any) -> str:
    """Normalise a date to ISO ``YYYY-MM-DD``; raise ``ValueError`` with a user-facing reason.

    Accepts ``datetime.date``/``datetime`` (YAML gives those), ISO text (with or without a
    time part) and a few spelled-out forms such as "December 8, 2021".
    """
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = " ".join(str(value).split())
    candidate = text
    if _ISO_DATE.match(text) and len(text) > 10 and text[10] in "T ":
        candidate = text[:10]  # "2021-12-08T10:00:00Z": the day is what matters
    for fmt in _DATE_FORMATS:
        try:
            parsed = dt.datetime.strptime(candidate, fmt).date()
        except ValueError:
            continue
        if 1000 <= parsed.year <= 9999:
            return parsed.isoformat()
    raise ValueError(f"date {text[:40]!r} is not a valid date (YYYY-MM-DD)")


_ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "st",
    "jr",
    "sr",
    "no",
    "gen",
    "sen",
    "rep",
    "gov",
    "lt",
    "col",
    "maj",
    "capt",
    "prof",
    "vs",
    "etc",
    "inc",
    "corp",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "e.g",
    "i.e",
    "a.m",
    "p.m",
}
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s|$)")
_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.+?)[ \t#]*$")
_MARKDOWN_NOISE = re.compile(r"[*_`]+")


def _shorten(text: str, limit: int = TITLE_MAX_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if " " in cut:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:-–—") + "…"


def _first_sentence(body: str) -> str:
    """The body's first sentence: a stand-in title when the file gives none."""
    first_line = next((line for line in body.split("\n") if line.strip()), "")
    line = first_line.strip()
    for m in _SENTENCE_END.finditer(line):
        if line[m.start()] == ".":
            word = line[: m.start()].rsplit(None, 1)[-1] if line[: m.start()].strip() else ""
            word = word.lstrip("(\"'“‘").lower()
            # "U.S." / "Mr." / "Dec." end abbreviations, not sentences.
            if word in _ABBREVIATIONS or re.fullmatch(r"(?:[a-z]\.)*[a-z]", word):
                continue
        line = line[: m.end()]
        break
    return _shorten(line)


def _title_from_body(body: str) -> str:
    first_line = next((line for line in body.split("\n") if line.strip()), "")
    heading = _HEADING.match(first_line)
    if heading:
        return _shorten(_MARKDOWN_NOISE.sub("", heading.group(1)))
    return _first_sentence(body)


# ---------------------------------------------------------------------------------------
# Reading bytes safely
# ---------------------------------------------------------------------------------------


def _max_bytes(max_mb: float | None) -> tuple[float, int]:
    if max_mb is None:
        env = os.environ.get(MAX_MB_ENV, "").strip()
        try:
            max_mb = float(env) if env else DEFAULT_MAX_FILE_MB
        except ValueError:
            max_mb = DEFAULT_MAX_FILE_MB  # a typo in the variable must not stop ingest
        if max_mb <= 0:
            max_mb = DEFAULT_MAX_FILE_MB
    return max_mb, int(max_mb * _MB)


def _fmt_mb(value: float) -> str:
    return f"{value:g}"


def _read_text(path: Path, max_mb: float | None) -> str:
    """The file's text, decoded and with newlines normalised, or ``_Bad`` saying why not."""
    limit_mb, limit = _max_bytes(max_mb)
    try:
        st = path.stat()
    except FileNotFoundError:
        raise _Bad("no such file") from None
    except PermissionError:
        raise _Bad("permission denied: cannot look at this file") from None
    except OSError as exc:
        raise _Bad(f"cannot read file: {exc.strerror or exc}") from None
    if stat.S_ISDIR(st.st_mode):
        raise _Bad("is a directory, not a file (load folders with load_paths)")
    if not stat.S_ISREG(st.st_mode):
        raise _Bad("is not a regular file (a device, pipe or socket), so it was not read")
    if st.st_size > limit:
        raise _Bad(
            f"file is {st.st_size / _MB:.1f} MB, over the {_fmt_mb(limit_mb)} MB limit for one "
            f"file (raise it with {MAX_MB_ENV})"
        )
    if st.st_size == 0:
        raise _Bad("file is empty")
    try:
        with path.open("rb") as fh:
            data = fh.read(limit + 1)
    except PermissionError:
        raise _Bad("permission denied: cannot read this file") from None
    except IsADirectoryError:
        raise _Bad("is a directory, not a file (load folders with load_paths)") from None
    except OSError as exc:
        raise _Bad(f"cannot read file: {exc.strerror or exc}") from None
    if len(data) > limit:  # grew since stat
        raise _Bad(f"file is over the {_fmt_mb(limit_mb)} MB limit for one file")
    if not data:
        raise _Bad("file is empty")
    return _decode(data)


_CONTROL_BYTES = frozenset(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D} | {0x7F}
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE)):
        raise _Bad("file is UTF-16/UTF-32 text, not UTF-8; re-save it as UTF-8")
    if b"\x00" in data:
        raise _Bad("looks like a binary file, not text (it contains NUL bytes)")
    offset = 0
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
        offset = len(codecs.BOM_UTF8)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        sample = data[:4096]
        control = sum(1 for b in sample if b in _CONTROL_BYTES)
        if control > len(sample) * 0.05:
            raise _Bad("looks like a binary file, not text") from None
        bad = data[exc.start]
        raise _Bad(
            f"is not UTF-8 text (invalid byte 0x{bad:02x} at offset {exc.start + offset}); "
            "re-save it as UTF-8"
        ) from None
    sample_text = text[:4096]
    if len(_CONTROL_CHARS.findall(sample_text)) > len(sample_text) * 0.05:
        raise _Bad("looks like a binary file, not text (many control characters)")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise _Bad("file contains only whitespace, no text")
    return text


# ---------------------------------------------------------------------------------------
# Shapes
# ---------------------------------------------------------------------------------------

_LEADING_BLANK_LINES = re.compile(r"^(?:[ \t]*\n)+")
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


def _strip_blank_lines(text: str) -> str:
    """Drop leading/trailing blank lines only: the result is a substring of ``text``."""
    return _LEADING_BLANK_LINES.sub("", text, count=1).rstrip()


def _field_text(meta: dict[str, Any], key: str) -> str:
    value = meta.get(key)
    if value is None:
        return ""
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, (int, float, bool, dt.date)):
        return str(value)
    raise _Bad(f"field '{key}' should be text, not a {_type_name(value)}")


def _type_name(value: Any) -> str:
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "mapping"
    return type(value).__name__


def _date_field(value: Any, fallback: str | None) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return fallback
    if isinstance(value, (list, dict)):
        raise _Bad(f"date should be text (YYYY-MM-DD), not a {_type_name(value)}")
    try:
        return parse_date(value)
    except ValueError as exc:
        raise _Bad(str(exc)) from None


def _filename_date(path: Path) -> str | None:
    m = _FILENAME_DATE.match(path.name)
    if not m:
        return None
    try:
        return parse_date(m.group(1))
    except ValueError:
        return None


def _make_readout(
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
        raise _Bad("no text after the header (the body is empty)")
    title = title or _title_from_body(body)
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


def _yaml_message(exc: Exception, first_line: int) -> str:
    if isinstance(exc, yaml.MarkedYAMLError):
        problem = exc.problem or exc.context or "syntax error"
        mark = exc.problem_mark or exc.context_mark
        where = f" (line {mark.line + first_line})" if mark is not None else ""
        return f"{problem}{where}"
    message = str(exc).strip().splitlines()
    return message[0][:120] if message else type(exc).__name__


def _parse_front_matter(text: str, path: Path) -> Readout:
    opened = _FRONT_MATTER_OPEN.match(text)
    assert opened is not None
    close = _FRONT_MATTER_CLOSE.search(text, opened.end())
    if close is None:
        raise _Bad("front matter starts with '---' but has no closing '---' line")
    raw = text[opened.end() : close.start()]
    try:
        meta = yaml.load(raw, Loader=_FrontMatterLoader)  # a SafeLoader subclass
    except Exception as exc:  # PyYAML raises more than YAMLError on odd input
        raise _Bad(f"front matter is not valid YAML: {_yaml_message(exc, 2)}") from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise _Bad(
            "front matter is not valid YAML: expected 'key: value' fields "
            f"(title, date, source, publisher), got a {_type_name(meta)}"
        )
    meta = {str(k).strip().lower(): v for k, v in meta.items()}
    body = _strip_blank_lines(text[close.end() :])
    return _make_readout(
        doc_id=path.stem,
        title=_field_text(meta, "title"),
        date=_date_field(meta.get("date"), _filename_date(path)),
        source=_field_text(meta, "source"),
        publisher=_field_text(meta, "publisher"),
        body=body,
        path=str(path),
    )


def _parse_seed_header(text: str, path: Path) -> Readout | None:
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
    return _make_readout(
        doc_id=path.stem,
        title=_shorten(meta.get("title", "")),
        date=_date_field(meta["date"], None),
        source=meta.get("source", ""),
        publisher=meta.get("publisher", ""),
        body=_strip_blank_lines(rest),
        path=str(path),
    )


def _parse_plain(text: str, path: Path) -> Readout:
    body = _strip_blank_lines(text)
    return _make_readout(
        doc_id=path.stem,
        title="",
        date=_filename_date(path),
        source="",
        publisher="",
        body=body,
        path=str(path),
    )


def _readout_from_object(obj: Any, path: Path, number: int, where: str, subject: str) -> Readout:
    if not isinstance(obj, dict):
        raise _Bad(f"{subject} is not a JSON object with a 'text' field (got a {_json_type(obj)})")
    body_value = obj.get("text", obj.get("body"))
    if body_value is None:
        raise _Bad(f"{subject} has no 'text' (or 'body') field")
    if not isinstance(body_value, str):
        raise _Bad(f"{subject} has a 'text' field that is a {_json_type(body_value)}, not text")
    body = _strip_blank_lines(body_value.replace("\r\n", "\n").replace("\r", "\n"))
    if not body:
        raise _Bad(f"{subject} has an empty 'text' field")
    raw_id = obj.get("doc_id", obj.get("id"))
    if isinstance(raw_id, (str, int)) and not isinstance(raw_id, bool) and str(raw_id).strip():
        doc_id = str(raw_id).strip()
    else:
        doc_id = f"{path.stem}-{number}"
    meta = {k: v for k, v in obj.items() if isinstance(k, str)}
    return _make_readout(
        doc_id=doc_id,
        title=_field_text(meta, "title"),
        date=_date_field(meta.get("date"), None),
        source=_field_text(meta, "source"),
        publisher=_field_text(meta, "publisher"),
        body=body,
        path=where,
    )


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


def _parse_jsonl(text: str, path: Path) -> tuple[list[Readout], list[FileError]]:
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
        except _Bad as exc:
            errors.append(FileError(where, str(exc)))
    if not readouts and not errors:
        errors.append(FileError(str(path), "file has no JSON lines"))
    return readouts, errors


def _parse_json(text: str, path: Path) -> tuple[list[Readout], list[FileError]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.pos > 0 and text.lstrip().startswith("{"):
            return _parse_jsonl(text, path)  # JSON Lines saved as .json
        where = f"line {exc.lineno}, column {exc.colno}"
        raise _Bad(f"is not valid JSON: {exc.msg} ({where})") from None
    except RecursionError:
        raise _Bad("is not valid JSON: nested too deeply") from None
    items = data if isinstance(data, list) else [data]
    if not items:
        raise _Bad("holds an empty JSON list, no readouts")
    readouts: list[Readout] = []
    errors: list[FileError] = []
    for number, obj in enumerate(items, start=1):
        where = f"{path}:{number}" if isinstance(data, list) else str(path)
        subject = f"item {number}" if isinstance(data, list) else "the JSON object"
        try:
            readout = _readout_from_object(obj, path, number, where, subject)
        except _Bad as exc:
            errors.append(FileError(where, str(exc)))
            continue
        if not isinstance(data, list) and readout.doc_id == f"{path.stem}-1":
            readout.doc_id = path.stem
        readouts.append(readout)
    return readouts, errors


def _looks_like_jsonl(text: str) -> bool:
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


def load_file_with_errors(
    path: Path | str, *, max_mb: float | None = None, entities: bool = True
) -> tuple[list[Readout], list[FileError]]:
    """Readouts in one file and the problems found, never raising for a bad file.

    A file-wide problem gives no readouts and one error; in JSON Lines a bad line gives an
    error for ``path:lineno`` while the other lines still load. ``entities=False`` leaves
    countries and leaders empty (see :func:`tag_entities`).
    """
    readouts, errors = _load_untagged(Path(path), max_mb)
    if entities:
        for r in readouts:
            tag_entities(r)
    return readouts, errors


def _load_untagged(path: Path, max_mb: float | None) -> tuple[list[Readout], list[FileError]]:
    try:
        text = _read_text(path, max_mb)
        suffix = path.suffix.lower()
        if suffix == ".jsonl":
            return _parse_jsonl(text, path)
        if suffix == ".json":
            return _parse_json(text, path)
        if _FRONT_MATTER_OPEN.match(text):
            return [_parse_front_matter(text, path)], []
        seed = _parse_seed_header(text, path)
        if seed is not None:
            return [seed], []
        if _looks_like_jsonl(text):
            return _parse_jsonl(text, path)
        return [_parse_plain(text, path)], []
    except _Bad as exc:
        return [], [FileError(str(path), str(exc))]
    except RecursionError:
        return [], [FileError(str(path), "file is nested too deeply to parse")]


def load_file(path: Path | str, *, max_mb: float | None = None) -> list[Readout]:
    """Readouts in one file; raise :class:`LoadError` (the first problem) if anything is wrong.

    ``max_mb`` overrides the size limit (default 10 MB, or ``$READOUT_QA_MAX_FILE_MB``).
    """
    readouts, errors = load_file_with_errors(path, max_mb=max_mb)
    if errors:
        raise LoadError(errors[0].path, errors[0].reason)
    return readouts


# A folder's own documentation is not a readout; named explicitly, such a file is read.
_FOLDER_DOCS = re.compile(r"^(?:readme|license|licence|changelog|notice)(?:\.[a-z]+)?$", re.I)


def _is_hidden(name: str) -> bool:
    return name.startswith(".") or bool(_FOLDER_DOCS.match(name))


def _walk(root: Path, errors: list[FileError]) -> list[str]:
    """Supported, non-hidden files under ``root`` (os.scandir: fast on big folders)."""
    found: list[str] = []
    stack = [str(root)]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    if _is_hidden(entry.name):
                        continue
                    try:
                        if entry.is_dir():
                            stack.append(entry.path)
                        elif entry.is_file() and entry.name.lower().endswith(SUPPORTED_SUFFIXES):
                            found.append(entry.path)
                    except OSError:
                        continue
        except PermissionError:
            errors.append(FileError(folder, "permission denied: cannot list this folder"))
        except OSError as exc:
            errors.append(FileError(folder, f"cannot list this folder: {exc.strerror or exc}"))
    return found


def load_paths(
    paths: Iterable[Path | str], *, max_mb: float | None = None, entities: bool = True
) -> tuple[list[Readout], list[FileError]]:
    """Load files and folders (recursively), collecting problems instead of stopping on them.

    Folders contribute their ``.txt``, ``.md``, ``.markdown``, ``.jsonl`` and ``.json``
    files, skipping hidden files and folders and other suffixes silently; a file named
    explicitly with another suffix, or a path that does not exist, is an error. Files are
    read in path order so that results are deterministic.
    """
    errors: list[FileError] = []
    files: dict[str, str] = {}  # normalised path -> path as the user will see it
    for raw in paths:
        path = Path(raw)
        try:
            is_dir = path.is_dir()
            exists = is_dir or path.exists()
        except OSError as exc:
            errors.append(FileError(str(path), f"cannot access: {exc.strerror or exc}"))
            continue
        if not exists:
            errors.append(FileError(str(path), "no such file or folder"))
        elif is_dir:
            for found in _walk(path, errors):
                files.setdefault(os.path.normpath(os.path.abspath(found)), found)
        elif path.suffix.lower() not in SUPPORTED_SUFFIXES:
            errors.append(
                FileError(
                    str(path),
                    f"unsupported file type '{path.suffix or '(no suffix)'}'; "
                    "expected .txt, .md, .markdown, .jsonl or .json",
                )
            )
        else:
            files.setdefault(os.path.normpath(os.path.abspath(path)), str(path))

    readouts: list[Readout] = []
    for _, shown in sorted(files.items()):
        got, problems = load_file_with_errors(Path(shown), max_mb=max_mb, entities=entities)
        readouts.extend(got)
        errors.extend(problems)
    return readouts, errors
