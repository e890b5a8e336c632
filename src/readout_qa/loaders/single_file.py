"""Loading one file: read it, recognise its shape, and hand it to the matching reader.

The suffix decides for ``.jsonl``, ``.json``, the web page suffixes (``.html``, ``.htm``)
and ``.pdf`` (read as bytes: only there is a binary file expected); everything else is told
apart by its content (front matter, then the seed's header, then JSON Lines, then plain
text).
"""

from __future__ import annotations

from pathlib import Path

from ..models import FileError, Readout
from .html_format import HTML_SUFFIXES, parse_html
from .json_formats import looks_like_jsonl, parse_json, parse_jsonl
from .pdf_format import PDF_SUFFIXES, parse_pdf
from .reading import read_bytes, read_text
from .readout import BadReadout, LoadError, tag_entities
from .text_formats import has_front_matter, parse_front_matter, parse_plain, parse_seed_header

TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".jsonl", ".json")
SUPPORTED_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + PDF_SUFFIXES


def unsupported_reason(suffix: str) -> str:
    """What a user is told about a file of a type readout-qa does not read."""
    return f"unsupported file type '{suffix or '(no suffix)'}'; readout-qa reads " + ", ".join(
        SUPPORTED_SUFFIXES
    )


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
        suffix = path.suffix.lower()
        if suffix in PDF_SUFFIXES:
            return [parse_pdf(read_bytes(path, max_mb), path)], []
        if suffix in HTML_SUFFIXES:
            data = read_bytes(path, max_mb)
            if b"\x00" in data[:4096]:
                raise BadReadout("looks like a binary file, not a web page (it contains NUL bytes)")
            return [parse_html(data, path)], []
        return parse_text(read_text(path, max_mb), path)
    except BadReadout as exc:
        return [], [FileError(str(path), str(exc))]
    except RecursionError:
        return [], [FileError(str(path), "file is nested too deeply to parse")]


def parse_text(text: str, path: Path) -> tuple[list[Readout], list[FileError]]:
    """Decoded text in one of the text shapes, told apart by ``path``'s suffix and content
    (also used for a fetched ``text/plain`` or ``text/markdown`` page)."""
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


def load_file(path: Path | str, *, max_mb: float | None = None) -> list[Readout]:
    """Readouts in one file; raise :class:`LoadError` (the first problem) if anything is wrong.

    ``max_mb`` overrides the size limit (default 10 MB; callers pass
    ``Settings.max_file_mb``, which ``$READOUT_QA_MAX_FILE_MB`` sets).
    """
    readouts, errors = load_file_with_errors(path, max_mb=max_mb)
    if errors:
        raise LoadError(errors[0].path, errors[0].reason)
    return readouts
