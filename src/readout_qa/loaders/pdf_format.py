"""PDF readouts (a page printed or published as PDF): the text layer, rejoined into paragraphs.

pypdf gives each page's text as the layout broke it: lines cut at the page width, running
headers and footers (the print date and title, the URL, "1/3") on every page, and a
paragraph cut by the page break. This module drops the running lines, takes the title and
the date from the first lines (or the document's metadata), and joins the rest back into
paragraphs. A PDF without a text layer (a scan) is an error asking for OCR, never an empty
readout.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections import Counter
from pathlib import Path

from ..dates import parse_date
from ..models import Readout
from .readout import BadReadout, make_readout
from .text_formats import filename_date

PDF_SUFFIXES = (".pdf",)

# Lines that are page furniture wherever they sit at a page's top or bottom.
_PAGE_NUMBER = re.compile(
    r"^(?:(?:page|p\.)\s*\d+(?:\s*(?:of|/)\s*\d+)?|\d+\s*(?:of|/)\s*\d+|[-–—\s]*\d{1,4}[-–—\s]*"
    r"|\S+://\S+\s+\d+\s*/\s*\d+|about:blank\s+\d+\s*/\s*\d+)$",
    re.IGNORECASE,
)
# A browser's print header: "11/29/26, 1:28 PM Title of the page".
_PRINT_STAMP = re.compile(r"^\d{1,2}/\d{1,2}/\d{2,4},?\s+\d{1,2}:\d{2}(?:\s*[AP]M)?\b", re.I)
_DIGITS = re.compile(r"\d+")
# A browser's print footer: the page's URL, then "page/pages".
_URL_FOOTER = re.compile(r"^(https?://\S+)\s+\d+\s*/\s*\d+$")
_EDGE = 3  # lines at each end of a page that may be running headers or footers
_SENTENCE_END = re.compile(r"[.!?:;\"”’)\]…>]$")
_DATE_LINE = re.compile(r"^[\w ,./-]{6,40}$")
# A title as browsers print it: "Title | Site" or "Title - Site".
_TITLE_SITE = re.compile(r"^(?P<title>.+?)\s+[|–—-]\s+(?P<site>[^|–—-]+)$")


def _pages_text(data: bytes) -> tuple[list[str], dict[str, str]]:
    import pypdf
    from pypdf.errors import PdfReadError

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise BadReadout("the PDF is encrypted with a password; save an unprotected copy")
        pages = [page.extract_text() or "" for page in reader.pages]
        meta = {k: str(v) for k, v in (reader.metadata or {}).items() if v}
    except BadReadout:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise BadReadout(f"not a readable PDF ({exc})") from None
    return pages, meta


_LIGATURES = re.compile("[\ufb00-\ufb06]")


def _unligature(text: str) -> str:
    """ "ﬁ" -> "fi": fonts draw some letter pairs as one glyph, which pypdf reports as is."""
    return _LIGATURES.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


def _key(line: str) -> str:
    return _DIGITS.sub("#", " ".join(line.split()).casefold())


def _is_furniture(line: str, title: str) -> bool:
    if _PAGE_NUMBER.match(line) or _PRINT_STAMP.match(line):
        return True
    return (
        bool(title)
        and len(title) > 12
        and title.casefold() in line.casefold()
        and (len(line) > len(title) + 3)
    )


def drop_running_lines(pages: list[list[str]], title: str = "") -> list[list[str]]:
    """Pages without their running headers/footers: page numbers, print stamps, lines that
    repeat (digits aside) at the top or bottom of several pages."""
    edges = Counter()
    for lines in pages:
        for line in {*_edge(lines)}:
            edges[_key(line)] += 1
    repeated = {k for k, n in edges.items() if len(pages) > 1 and n >= max(2, len(pages) // 2)}
    kept: list[list[str]] = []
    for lines in pages:
        edge_idx = set(range(min(_EDGE, len(lines)))) | set(
            range(max(0, len(lines) - _EDGE), len(lines))
        )
        kept.append(
            [
                line
                for i, line in enumerate(lines)
                if not (i in edge_idx and (_key(line) in repeated or _is_furniture(line, title)))
            ]
        )
    return kept


def _edge(lines: list[str]) -> list[str]:
    return lines[:_EDGE] + lines[-_EDGE:]


def _is_date_line(line: str) -> str | None:
    if not _DATE_LINE.match(line) or not re.search(r"\d{4}", line):
        return None
    try:
        return parse_date(line)
    except ValueError:
        return None


def _split_title(meta_title: str) -> tuple[str, str]:
    """``"Readout of … | The White House"`` -> (title, site)."""
    m = _TITLE_SITE.match(meta_title)
    if m and len(m.group("site")) <= 60:
        return m.group("title").strip(), m.group("site").strip()
    return meta_title.strip(), ""


_HEADING_WINDOW = 60  # lines of the first page searched for the heading


def _heading_end(lines: list[str], want: str) -> int | None:
    """Index just after the lines that spell the title ``want`` (casefolded), searched
    from the top over the first lines, or None."""
    for start in range(min(_HEADING_WINDOW, len(lines))):
        acc = ""
        for i in range(start, min(start + 6, len(lines))):
            acc = f"{acc} {lines[i]}".strip().casefold()
            if acc == want:
                return i + 1
            if not want.startswith(acc):
                break
    return None


def _take_heading(lines: list[str], title: str) -> tuple[str, str | None, list[str]]:
    """The title and date found in the first lines, and the lines after them.

    The heading may wrap over several lines; it is recognised as the lines whose join is
    the metadata title (or, without one, the lines before a date line near the top)."""
    date = None
    want = " ".join(title.split()).casefold()
    if want:
        end = _heading_end(lines, want)
        if end is not None:
            # what comes before the heading on a printed page is the site's banner and menus
            lines = lines[end:]
    else:
        for i, line in enumerate(lines[:5]):
            found = _is_date_line(line)
            if found and i > 0:
                title, date, lines = " ".join(lines[:i]), found, lines[i + 1 :]
                return title, date, lines
    if lines and date is None:
        date = _is_date_line(lines[0])
        if date:
            lines = lines[1:]
    return title, date, lines


def join_lines(lines: list[str]) -> str:
    """Lines broken by the layout joined back into paragraphs (blank line between them).

    A line ends its paragraph when it ends a sentence and falls clearly short of the full
    line width; a line ending in a hyphen or an em dash (set closed up in English) goes on
    without a space; an en dash keeps its space (the Kremlin's style is "word– word")."""
    width = max((len(line) for line in lines), default=0)
    paragraphs: list[str] = []
    current = ""
    for line in lines:
        if not current:
            current = line
        elif (current.endswith(("-", "—")) and not current.endswith((" -", " —"))) or (
            line.startswith("—") and not line.startswith("— ")
        ):
            current += line  # the layout broke the line at a hyphen or a closed-up dash
        else:
            current += " " + line
        if _SENTENCE_END.search(line) and len(line) < 0.8 * width:
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return "\n\n".join(paragraphs)


def parse_pdf(data: bytes, path: Path, *, source: str = "", doc_id: str | None = None) -> Readout:
    """One readout from a PDF's bytes; ``BadReadout`` for a scan, a locked or broken file."""
    pages, meta = _pages_text(data)
    page_lines = [[" ".join(line.split()) for line in _unligature(p).splitlines()] for p in pages]
    page_lines = [[line for line in p if line] for p in page_lines]
    if sum(len(line) for p in page_lines for line in p) < 20:
        raise BadReadout("no text layer; OCR it first (the PDF holds only images, e.g. a scan)")
    meta_title, site = _split_title(" ".join(meta.get("/Title", "").split()))
    if meta_title.casefold() == path.stem.casefold():
        meta_title = ""  # a title some tools fill with the file name
    if not source:  # a printed page names its address in the footer
        footers = (_URL_FOOTER.match(line) for p in page_lines for line in _edge(p))
        # a long address is cut short with "…" in the footer: then it is not the address
        source = next((m.group(1) for m in footers if m and "…" not in m.group(1)), "")
    lines = [line for p in drop_running_lines(page_lines, meta_title) for line in p]
    title, date, lines = _take_heading(lines, meta_title)
    body = join_lines(lines)
    return make_readout(
        doc_id=doc_id or path.stem,
        title=title,
        date=date or filename_date(path),
        source=source,
        publisher=site,
        body=body,
        path=str(path),
    )
