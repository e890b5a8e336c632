"""Write the committed HTML/PDF fixtures from readouts of the sample in corpus/.

    python scripts/make_format_fixtures.py    # -> tests/fixtures/formats, evals/format_fixtures

Each page wraps a readout of corpus/ (copied there from the shared corpora, attributed in
corpus/README.md) in site chrome (tests/site_pages.py); the PDFs are printed from those pages
by headless Chromium with its running header and footer, as a user's "Save as PDF". The
expected body of each fixture is the corpus/ file it was made from. Deterministic apart from
the print date Chromium stamps in the header (which the PDF reader drops).
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from site_pages import image_only_pdf, page_html, print_pdfs, read_source  # noqa: E402

CORPUS = REPO / "corpus"
TEST_OUT = REPO / "tests" / "fixtures" / "formats"
EVAL_OUT = REPO / "evals" / "format_fixtures"

# (corpus/ file stem, format, meta_date): a White House page, a Kremlin page dated only by
# <time> and JSON-LD, a one-page and a multi-page PDF.
TEST_FIXTURES = [
    ("2023-11-15_readout-of-president-joe-biden-s-meeting-with-president-xi", "html", True),
    ("2021-12-15_talks-with-president-of-china-xi-jinping", "html", False),
    ("2021-01-22_readout-of-president-joe-biden-call-with-prime-minister-justin", "pdf", True),
    ("2021-12-15_talks-with-president-of-china-xi-jinping", "pdf", True),
]
# The eval gate's format items read these (an index of their own: see scripts/eval_gate.sh).
EVAL_FIXTURES = [
    ("2022-10-04_readout-of-president-biden-s-call-with-president-zelenskyy", "html", True),
    ("2022-02-25_telephone-conversation-with-president-of-china-xi-jinping", "html", False),
    ("2022-07-28_readout-of-president-biden-s-call-with-president-xi-jinping", "pdf", True),
    ("2022-11-14_readout-of-president-joe-biden-s-meeting-with-president-xi", "pdf", True),
]


def _source(stem: str) -> Path:
    matches = sorted(CORPUS.glob(f"{stem}*.md"))
    if not matches:
        raise SystemExit(f"corpus/ has no readout {stem}*")
    return matches[0]


def write(fixtures: list[tuple[str, str, bool]], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    to_print = []
    for stem, kind, meta_date in fixtures:
        r = read_source(_source(stem))
        html = page_html(r, meta_date=meta_date)
        if kind == "html":
            (out / f"{r.doc_id}.html").write_text(html, encoding="utf-8")
        else:
            to_print.append((html, out / f"{r.doc_id}.pdf", r.source))
    if to_print:
        print_pdfs(to_print)


def main() -> None:
    for old in [*TEST_OUT.glob("*"), *EVAL_OUT.glob("*.*")]:
        if old.suffix in (".html", ".pdf"):
            old.unlink()
    write(TEST_FIXTURES, TEST_OUT)
    image_only_pdf(TEST_OUT / "scanned-readout.pdf")
    write(EVAL_FIXTURES, EVAL_OUT)
    for f in sorted([*TEST_OUT.iterdir(), *EVAL_OUT.iterdir()]):
        print(f"{f.relative_to(REPO)}  {f.stat().st_size / 1024:.0f} KB")


if __name__ == "__main__":
    main()
