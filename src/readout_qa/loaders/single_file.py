"""Loading one file: read it, recognise its shape, and hand it to the matching reader.

The suffix decides only for ``.jsonl`` and ``.json``; everything else is told apart by
its content (front matter, then the seed's header, then JSON Lines, then plain text).
"""

from __future__ import annotations

from pathlib import Path

from ..models import FileError, Readout
from .json_formats import looks_like_jsonl, parse_json, parse_jsonl
from .reading import read_text
from .readout import BadReadout, LoadError, tag_entities
from .text_formats import has_front_matter, parse_front_matter, parse_plain, parse_seed_header

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".jsonl", ".json")


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
        text = read_text(path, max_mb)
        suffix = path.suffix.lower()
        if suffix == ".jsonl":
            return parse_jsonl(text, path)
        if suffix == ".json":
            return parse_json(text, path)
        if has_front_matter(text):
            return [parse_front_matter(text, path)], []
        seed = parse_seed_header(text, path)
        if seed is not None:
            return [seed], []
        if looks_like_jsonl(text):
            return parse_jsonl(text, path)
        return [parse_plain(text, path)], []
    except BadReadout as exc:
        return [], [FileError(str(path), str(exc))]
    except RecursionError:
        return [], [FileError(str(path), "file is nested too deeply to parse")]


def load_file(path: Path | str, *, max_mb: float | None = None) -> list[Readout]:
    """Readouts in one file; raise :class:`LoadError` (the first problem) if anything is wrong.

    ``max_mb`` overrides the size limit (default 10 MB; callers pass
    ``Settings.max_file_mb``, which ``$READOUT_QA_MAX_FILE_MB`` sets).
    """
    readouts, errors = load_file_with_errors(path, max_mb=max_mb)
    if errors:
        raise LoadError(errors[0].path, errors[0].reason)
    return readouts
