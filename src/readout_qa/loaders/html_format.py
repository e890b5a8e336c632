"""Saved web pages: the article's text and its metadata, without the site around it.

trafilatura finds the main text (navigation, headers, footers, cookie banners, subscribe
boxes and share links left out) and the metadata: title (``og:title``, ``<title>``, the
heading), date (htmldate: ``article:published_time``, JSON-LD, ``<time>``, the text), the
canonical URL and the site's name. The stored body is that clean text, paragraphs separated
by blank lines, so offsets and citations work on it exactly as on a Markdown readout.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..dates import parse_date
from ..models import Readout
from .readout import BadReadout, make_readout
from .text_formats import filename_date

HTML_SUFFIXES = (".html", ".htm")
MIN_WORDS = 10  # fewer words than this is a page of links, not a readout

# A line holding only a date ("December 7, 2021", "2021-12-07"), as pages print under a title.
_DATE_LINE = re.compile(r"^[\w ,./-]{6,40}$")


def _is_date_line(line: str) -> bool:
    if not _DATE_LINE.match(line) or not re.search(r"\d{4}", line):
        return False
    try:
        parse_date(line)
    except ValueError:
        return False
    return True


_TITLE_TAG = re.compile(rb"<title[^>]*>(.*?)</title>", re.I | re.S)


def _title_parts(data: bytes | str) -> tuple[str, str]:
    """The <title> split into (title, site) at its last " | " or " - " ("" when absent)."""
    raw = data.encode("utf-8", "replace") if isinstance(data, str) else data
    m = _TITLE_TAG.search(raw[:200_000])
    if not m:
        return "", ""
    import html

    title = " ".join(html.unescape(m.group(1).decode("utf-8", "replace")).split())
    for sep in (" | ", " - ", " – ", " — "):
        head, _, tail = title.rpartition(sep)
        if head:
            return head, tail
    return title, ""


def _fix_title(data: bytes | str, title: str, site: str) -> tuple[str, str]:
    """trafilatura splits "Title - Site" at the first dash, so a title with a dash or a
    comma ("Director-General", "Biden, Jr.") can come back as the site's name, or swapped
    with it; the <title> split at its last separator puts them right."""
    head, tail = _title_parts(data)
    if not head or not tail:
        return title, site
    fold = str.casefold
    if fold(title) in (fold(tail), "") or (fold(site) == fold(head) and fold(title) == fold(tail)):
        return head, site if fold(site) != fold(head) else tail
    return title, site


def _body_lines(text: str, title: str) -> list[str]:
    """The extracted lines without the page's own heading and a date line under it (both
    are metadata, and the body of a readout never starts with them)."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    wanted = " ".join(title.split()).casefold()
    for _ in range(3):
        if lines and ((wanted and lines[0].casefold() == wanted) or _is_date_line(lines[0])):
            lines.pop(0)
    return lines


def parse_html(
    text: bytes | str, path: Path, *, source: str = "", doc_id: str | None = None
) -> Readout:
    """One readout from a page's HTML; ``source`` (a fetched URL) wins over the canonical URL.

    Raises ``BadReadout`` when the page holds no article text (an empty page, a page of
    links only, or one that needs JavaScript to show its text)."""
    import trafilatura  # 0.3 s of imports: paid only when an HTML file is read

    doc = trafilatura.bare_extraction(
        text,
        url=source or None,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        favor_precision=True,
        deduplicate=False,
    )
    if doc is None or not (doc.text or "").strip():
        raise BadReadout(
            "no article text found in this page (empty, links only, or the text is filled "
            "in by JavaScript: save the page after it has loaded)"
        )
    site = " ".join((doc.sitename or "").split())
    title = " ".join((doc.title or "").split())
    title, site = _fix_title(text, title, site)
    lines = _body_lines(doc.text, title)
    if sum(len(line.split()) for line in lines) < MIN_WORDS:
        # trafilatura falls back to any text on the page: a menu is not a readout
        raise BadReadout(
            f"no article text found in this page (under {MIN_WORDS} words outside the "
            "navigation; if the text is filled in by JavaScript, save the page after it loads)"
        )
    try:
        date = parse_date(doc.date) if doc.date else None
    except ValueError:
        date = None
    return make_readout(
        doc_id=doc_id or path.stem,
        title=title,
        date=date or filename_date(path),
        source=source or (doc.url or ""),
        publisher=site,
        body="\n\n".join(lines),
        path=str(path),
    )
