"""Reading a file's bytes safely: size limit, OS errors, binary files, encodings, newlines.

Every problem becomes a :class:`BadReadout` with a reason a user can act on. The size
limit arrives as ``max_mb`` (callers pass ``Settings.max_file_mb``); nothing here reads
the environment.
"""

from __future__ import annotations

import codecs
import re
import stat
from collections.abc import Mapping
from pathlib import Path

from ..config import DEFAULT_MAX_FILE_MB
from .readout import BadReadout

_MB = 1024 * 1024

_IS_A_DIRECTORY = "is a directory, not a file (load folders with load_paths)"

# What an OS error means to the user, by the step that raised it. Looking at the file
# (stat) and opening it differ: a file gone by the time it is opened is a plain read
# error, and only opening can meet a directory in disguise.
_STAT_ERRORS: Mapping[type[OSError], str] = {
    FileNotFoundError: "no such file",
    PermissionError: "permission denied: cannot look at this file",
}
_OPEN_ERRORS: Mapping[type[OSError], str] = {
    PermissionError: "permission denied: cannot read this file",
    IsADirectoryError: _IS_A_DIRECTORY,
}


def _os_error_reason(exc: OSError, known: Mapping[type[OSError], str]) -> str:
    """The reason for ``exc``: the first of ``known`` it is an instance of, else generic."""
    for kind, reason in known.items():
        if isinstance(exc, kind):
            return reason
    return f"cannot read file: {exc.strerror or exc}"


def _max_bytes(max_mb: float | None) -> tuple[float, int]:
    max_mb = max_mb if max_mb and max_mb > 0 else DEFAULT_MAX_FILE_MB
    return max_mb, int(max_mb * _MB)


def limit_bytes(max_mb: float | None) -> int:
    """The size limit in bytes for ``max_mb`` (the default when unset), for fetched pages."""
    return _max_bytes(max_mb)[1]


def _fmt_mb(value: float) -> str:
    return f"{value:g}"


def read_text(path: Path, max_mb: float | None) -> str:
    """The file's text, decoded and with newlines normalised, or ``BadReadout`` saying why
    not."""
    return _decode(read_bytes(path, max_mb))


def read_bytes(path: Path, max_mb: float | None) -> bytes:
    """The file's bytes within the size limit, or ``BadReadout`` saying why not (binary
    formats such as PDF are read this way; text formats go on to :func:`read_text`)."""
    limit_mb, limit = _max_bytes(max_mb)
    try:
        st = path.stat()
    except OSError as exc:
        raise BadReadout(_os_error_reason(exc, _STAT_ERRORS)) from None
    if stat.S_ISDIR(st.st_mode):
        raise BadReadout(_IS_A_DIRECTORY)
    if not stat.S_ISREG(st.st_mode):
        raise BadReadout("is not a regular file (a device, pipe or socket), so it was not read")
    if st.st_size > limit:
        raise BadReadout(
            f"file is {st.st_size / _MB:.1f} MB, over the {_fmt_mb(limit_mb)} MB limit for one "
            f"file (raise it with READOUT_QA_MAX_FILE_MB)"
        )
    if st.st_size == 0:
        raise BadReadout("file is empty")
    try:
        with path.open("rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise BadReadout(_os_error_reason(exc, _OPEN_ERRORS)) from None
    if len(data) > limit:  # grew since stat
        raise BadReadout(f"file is over the {_fmt_mb(limit_mb)} MB limit for one file")
    if not data:
        raise BadReadout("file is empty")
    return data


def decode_text(data: bytes) -> str:
    """Bytes from elsewhere (a fetched page) decoded with the same checks as a file's."""
    return _decode(data)


def normalise_newlines(text: str) -> str:
    """``\\r\\n`` and lone ``\\r`` become ``\\n``."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


_CONTROL_BYTES = frozenset(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D} | {0x7F}
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE)):
        raise BadReadout("file is UTF-16/UTF-32 text, not UTF-8; re-save it as UTF-8")
    if b"\x00" in data:
        raise BadReadout("looks like a binary file, not text (it contains NUL bytes)")
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
            raise BadReadout("looks like a binary file, not text") from None
        bad = data[exc.start]
        raise BadReadout(
            f"is not UTF-8 text (invalid byte 0x{bad:02x} at offset {exc.start + offset}); "
            "re-save it as UTF-8"
        ) from None
    sample_text = text[:4096]
    if len(_CONTROL_CHARS.findall(sample_text)) > len(sample_text) * 0.05:
        raise BadReadout("looks like a binary file, not text (many control characters)")
    text = normalise_newlines(text)
    if not text.strip():
        raise BadReadout("file contains only whitespace, no text")
    return text
