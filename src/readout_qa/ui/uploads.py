"""Uploaded files: saved under one folder with safe names, and reported a row per file.

An upload's name comes from the client and may be hostile (``../../.bashrc``): only a
cleaned base name is ever joined to the upload folder, and the copy is written to a
temporary file there and renamed, so that no upload can write outside that folder nor
through a symlink planted in it.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path, PurePosixPath

from ..loaders import SUPPORTED_SUFFIXES, load_file_with_errors
from ..loaders.single_file import unsupported_reason
from ..models import IngestReport

__all__ = ["UnsupportedUpload", "printable_name", "report_rows", "safe_upload_name", "save_upload"]

UPLOAD_HEADERS = ["File", "Result", "Readouts", "Details"]
_UNSAFE_NAME_CHARS = re.compile(r"[^\w.\- ()+,@=]+")
_LINE_SUFFIX = re.compile(r"^(.*):(\d+)$")


class UnsupportedUpload(ValueError):
    """A file of a type readout-qa does not read: listed as skipped, with its suffix."""


def safe_upload_name(name: str) -> str:
    """A base name that is safe to create inside the upload folder, or ``ValueError``.

    Only the last path component is kept (``../../evil.md`` -> ``evil.md``, with either
    kind of slash), unusual characters become ``_``, and hidden names are refused.
    """
    base = PurePosixPath(str(name).replace("\\", "/")).name
    base = "".join(ch for ch in base if ch.isprintable())
    base = _UNSAFE_NAME_CHARS.sub("_", base).strip()
    if not base or base in (".", ".."):
        raise ValueError("the file has no usable name")
    if base.startswith("."):
        raise ValueError("hidden file names (starting with '.') are not accepted")
    stem, suffix = os.path.splitext(base)
    if len(base) > 150:
        base = stem[: 150 - len(suffix)] + suffix
    return base


def printable_name(name: str) -> str:
    """A client's file name as it may be shown in the results table."""
    return "".join(ch for ch in name if ch.isprintable())[:200]


def save_upload(src: Path, upload_dir: Path, max_bytes: int) -> Path:
    """Copy one uploaded file into ``upload_dir`` (never outside it); raises ``ValueError``.

    ``max_bytes`` is ``Settings.max_file_bytes``: Gradio's own limit only guards the
    browser's upload route, not files handed over by path through the API."""
    name = safe_upload_name(src.name)
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnsupportedUpload(unsupported_reason(suffix))
    size = src.stat().st_size
    if size > max_bytes:
        limit = max_bytes / 1024 / 1024
        raise ValueError(f"file is {size / 1024 / 1024:.1f} MB; the limit is {limit:g} MB")
    root = upload_dir.resolve()
    dest = root / name
    if dest.parent != root:  # belt and braces: the name is a single component
        raise ValueError("the file name is not allowed")
    root.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=root, prefix=".upload-")
    os.close(fd)
    try:
        shutil.copyfile(src, tmp)
        os.replace(tmp, dest)  # replaces a symlink itself, never its target
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return dest


def _strip_line(path: str) -> str:
    """``file.jsonl:3`` -> ``file.jsonl`` (errors in JSON Lines name their line)."""
    m = _LINE_SUFFIX.match(path)
    return m.group(1) if m else path


def _failures(report: IngestReport) -> dict[str, list[str]]:
    """Ingest errors by resolved file path, each with its line when it names one."""
    failures: dict[str, list[str]] = {}
    for err in report.failed:
        key = str(Path(_strip_line(err.path)).resolve())
        line = err.path[len(_strip_line(err.path)) + 1 :]
        failures.setdefault(key, []).append(f"line {line}: {err.reason}" if line else err.reason)
    return failures


def report_rows(files: list[Path], report: IngestReport) -> list[list[str]]:
    """One row per file (``UPLOAD_HEADERS``): what ingest did with the readouts it holds."""
    status: dict[str, str] = {}
    for kind, ids in (
        ("added", report.added),
        ("updated", report.updated),
        ("unchanged", report.unchanged),
    ):
        status.update(dict.fromkeys(ids, kind))
    dup_of = dict(report.duplicates)
    failures = _failures(report)
    rows: list[list[str]] = []
    for f in files:
        readouts, _ = load_file_with_errors(f)
        ids = [r.doc_id for r in readouts]
        problems = failures.get(str(f.resolve()), [])
        counts: dict[str, int] = {}
        details = list(problems)
        for d in ids:
            if d in dup_of:
                s = "duplicate"
                details.append(f"{d}: same text as {dup_of[d]}, not stored twice")
            else:
                s = status.get(d, "failed")
            counts[s] = counts.get(s, 0) + 1
        if problems and not ids:
            result = "failed"
        else:
            result = ", ".join(f"{k} {v}" if len(ids) > 1 else k for k, v in counts.items())
            if problems:
                result += f", failed {len(problems)}"
        shown = ", ".join(ids[:5]) + (f" … (+{len(ids) - 5})" if len(ids) > 5 else "")
        rows.append([f.name, result or "failed", shown, "; ".join(details)])
    return rows
