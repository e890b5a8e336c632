"""Loading many paths at once: files, and folders walked recursively.

A folder contributes only files with a supported suffix, skipping hidden entries and the
folder's own documentation (README, LICENSE, ...) silently; any other file of a type
readout-qa does not read is listed as skipped, with its suffix, never ignored without a
word. A file named explicitly with a supported suffix is always tried, so a bad one is
reported rather than skipped.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from ..models import FileError, Readout, SkippedFile
from .single_file import SUPPORTED_SUFFIXES, load_file_with_errors

# A folder's own documentation is not a readout; named explicitly, such a file is read.
_FOLDER_DOCS = re.compile(r"^(?:readme|license|licence|changelog|notice)(?:\.[a-z]+)?$", re.I)


def _is_hidden(name: str) -> bool:
    return name.startswith(".") or bool(_FOLDER_DOCS.match(name))


def _walk(root: Path, errors: list[FileError], skipped: list[SkippedFile]) -> list[str]:
    """Supported, non-hidden files under ``root`` (os.scandir: fast on big folders); the
    others are added to ``skipped``."""
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
                        elif entry.is_file():
                            if entry.name.lower().endswith(SUPPORTED_SUFFIXES):
                                found.append(entry.path)
                            else:
                                skipped.append(SkippedFile.of(entry.path))
                    except OSError:
                        continue
        except PermissionError:
            errors.append(FileError(folder, "permission denied: cannot list this folder"))
        except OSError as exc:
            errors.append(FileError(folder, f"cannot list this folder: {exc.strerror or exc}"))
    return found


def load_paths(
    paths: Iterable[Path | str],
    *,
    max_mb: float | None = None,
    entities: bool = True,
    skipped: list[SkippedFile] | None = None,
) -> tuple[list[Readout], list[FileError]]:
    """Load files and folders (recursively), collecting problems instead of stopping on them.

    Folders contribute their files of the ``SUPPORTED_SUFFIXES`` (text, Markdown, JSON
    Lines, JSON, HTML, PDF), skipping hidden files and folders silently; files of other
    types, in a folder or named explicitly, are appended to ``skipped`` (when given) with
    their suffix. A path that does not exist is an error. Files are read in path order so
    that results are deterministic.
    """
    skipped = skipped if skipped is not None else []
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
            for found in _walk(path, errors, skipped):
                files.setdefault(os.path.normpath(os.path.abspath(found)), found)
        elif path.suffix.lower() not in SUPPORTED_SUFFIXES:
            skipped.append(SkippedFile.of(str(path)))
        else:
            files.setdefault(os.path.normpath(os.path.abspath(path)), str(path))

    readouts: list[Readout] = []
    for _, shown in sorted(files.items()):
        got, problems = load_file_with_errors(Path(shown), max_mb=max_mb, entities=entities)
        readouts.extend(got)
        errors.extend(problems)
    return readouts, errors
