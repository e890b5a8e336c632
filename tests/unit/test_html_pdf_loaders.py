"""Saved web pages and PDFs: the committed fixtures (made from corpus/ readouts by
scripts/make_format_fixtures.py) read back to the readout's own text and metadata."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from site_pages import normalise, page_html, read_source

from readout_qa.loaders import load_file_with_errors, load_paths
from readout_qa.loaders.pdf_format import drop_running_lines, join_lines

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "formats"
EVAL_FIXTURES = ROOT / "evals" / "format_fixtures"
CORPUS = ROOT / "corpus"

PAGES = sorted(
    p for d in (FIXTURES, EVAL_FIXTURES) for p in d.iterdir() if p.stem != "scanned-readout"
)


def _expected(path: Path):
    return read_source(CORPUS / f"{path.stem}.md")


@pytest.mark.parametrize("path", PAGES, ids=lambda p: f"{p.suffix[1:]}-{p.stem[:40]}")
def test_fixture_body_title_and_date_are_the_readouts(path: Path) -> None:
    readouts, errors = load_file_with_errors(path)
    assert errors == []
    [r] = readouts
    want = _expected(path)
    assert normalise(r.text) == normalise(want.body)
    assert r.title == want.title
    assert r.date == want.date
    assert r.publisher == want.publisher
    # the canonical link; a printed page's footer URL unless the footer cut it short
    assert r.source in (want.source, "")
    assert r.source or (path.suffix == ".pdf" and len(want.source) > 100)
    assert r.doc_id == path.stem
    assert "Alpha" not in r.text and "cookie" not in r.text.lower()


def test_multi_page_pdf_drops_running_header_footer_and_keeps_paragraphs() -> None:
    path = FIXTURES / "2021-12-15_talks-with-president-of-china-xi-jinping.pdf"
    import pypdf

    pages = pypdf.PdfReader(path).pages
    assert len(pages) >= 2  # long enough to have running lines on every page
    assert all("about:blank" not in p.extract_text() for p in pages)
    [r] = load_file_with_errors(path)[0]
    assert (
        "2/2" not in r.text
        and "kremlin.ru/events" not in r.text
        and "President of Russia (kremlin.ru)\n" not in r.text
    )
    assert r.text.count("\n\n") == _expected(path).body.count("\n\n")


def test_scanned_pdf_is_a_clear_per_file_error(tmp_path: Path) -> None:
    good = tmp_path / "a.md"
    good.write_text("---\ntitle: A\ndate: 2022-01-01\n---\n\nAlpha text.\n", encoding="utf-8")
    scan = tmp_path / "scan.pdf"
    scan.write_bytes((FIXTURES / "scanned-readout.pdf").read_bytes())
    readouts, errors = load_paths([tmp_path])
    assert [r.doc_id for r in readouts] == ["a"]
    assert [(Path(e.path).name, e.reason.split(" (")[0]) for e in errors] == [
        ("scan.pdf", "no text layer; OCR it first")
    ]


def test_broken_pdf_and_binary_html_fail_alone(tmp_path: Path) -> None:
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.4 not a readout")
    (tmp_path / "bad.html").write_bytes(b"\x00\x01binary")
    (tmp_path / "empty.html").write_text("<html><body><nav>Home</nav></body></html>")
    _, errors = load_paths([tmp_path])
    reasons = {Path(e.path).name: e.reason for e in errors}
    assert reasons["bad.pdf"].startswith("not a readable PDF")
    assert "binary" in reasons["bad.html"]
    assert reasons["empty.html"].startswith("no article text found")


def test_html_date_from_json_ld_or_time_and_title_without_site_name(tmp_path: Path) -> None:
    src = read_source(CORPUS / f"{PAGES[0].stem}.md") if PAGES[0].suffix == ".md" else None
    src = src or _expected(next(p for p in PAGES if p.suffix == ".html"))
    html = page_html(src, meta_date=False)
    # no published_time meta, no JSON-LD: only the visible <time> is left
    no_ld = html.split('<script type="application/ld+json">')[0] + html.split("</script>", 1)[1]
    for name, text in (("ld.html", html), ("time.html", no_ld)):
        (tmp_path / name).write_text(text, encoding="utf-8")
        [r] = load_file_with_errors(tmp_path / name)[0]
        assert r.date == src.date, name
        assert r.title == src.title  # "Title | Publisher" in <title>; og:title wins
    assert json.loads(html.split('ld+json">')[1].split("</script>")[0])["headline"] == src.title


def test_running_lines_repeated_on_pages_are_dropped() -> None:
    pages = [
        ["Ministry of Examples", "First body line of page one that is long.", "Page 1 of 2"],
        ["Ministry of Examples", "Second body line of page two.", "Page 2 of 2"],
    ]
    assert drop_running_lines(pages) == [
        ["First body line of page one that is long."],
        ["Second body line of page two."],
    ]


def test_join_lines_rejoins_wrapped_lines_and_hyphenated_words() -> None:
    lines = [
        "The leaders discussed the Director-",
        "General's visit and agreed to continue close consultations on",
        "trade.",
        "A second paragraph that is short.",
    ]
    assert join_lines(lines) == (
        "The leaders discussed the Director-General's visit and agreed to continue close "
        "consultations on trade.\n\nA second paragraph that is short."
    )


def test_folder_lists_unsupported_files_as_skipped(tmp_path: Path) -> None:
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG")
    html = next(p for p in PAGES if p.suffix == ".html")
    (tmp_path / html.name).write_bytes(html.read_bytes())
    skipped: list = []
    readouts, errors = load_paths([tmp_path], skipped=skipped)
    assert len(readouts) == 1 and errors == []
    assert sorted(s.suffix for s in skipped) == [".docx", ".png"]


def test_format_gold_facts_occur_in_the_extracted_html_and_pdf_readouts() -> None:
    """The eval gate's format items (evals/format_gold.jsonl) are answerable from what the
    loaders extract from evals/format_fixtures, verbatim, and name both formats."""
    readouts, errors = load_paths([EVAL_FIXTURES])
    assert errors == []
    bodies = {r.doc_id: r.text for r in readouts}
    kinds = {Path(r.path).suffix for r in readouts}
    assert kinds == {".html", ".pdf"}
    items = [json.loads(line) for line in (ROOT / "evals" / "format_gold.jsonl").open()]
    assert len(items) >= 8
    for item in items:
        for source in item["sources"]:
            assert source in bodies, item["id"]
        for alternatives in item["facts"]:
            assert any(alt in bodies[s] for alt in alternatives for s in item["sources"]), (
                item["id"],
                alternatives,
            )
    answered_from = {
        Path(r.path).suffix for r in readouts if any(r.doc_id in i["sources"] for i in items)
    }
    assert answered_from == {".html", ".pdf"}
