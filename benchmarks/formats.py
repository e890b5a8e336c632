"""How much of a readout survives extraction from a saved page and from a printed PDF.

    python benchmarks/formats.py [--n 40] [--corpora ../shared/corpora]

Takes ``--n`` readouts from the shared corpora (half White House, half Kremlin, evenly
spread, deterministic), wraps each in site chrome (``tests/site_pages.py``: navigation,
cookie banner, subscribe box, share and related links, scripts, JSON-LD, footer), and
extracts it back with the project's loaders:

* ``html``: the saved page (semantic markup: <nav>, <article>, <footer>);
* ``html, div layout``: the same readout in an older site's div soup, share links and a
  "related" box inside the content column, the date as "Published: <date>" text;
* ``pdf``: the page printed by headless Chromium with its running header and footer, the
  chrome hidden by the page's print stylesheet (as government sites do);
* ``pdf, no print CSS``: the same page printed with the chrome visible (a site without a
  print stylesheet): the PDF reader drops only running lines, so the chrome leaks.

Word-level figures against the readout's body: *lost* = body words missing from the
extraction / body words; *leaked* = chrome words (and, for PDFs, running header/footer
words) found in the extraction / extracted words. Also exact matches (whitespace
normalised), title and date right, and time per file. Writes
``results/formats.json`` and ``results/formats.md``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path

import _common

sys.path.insert(0, str(_common.REPO / "tests"))

from site_pages import (  # noqa: E402
    chrome_words,
    normalise,
    page_html,
    print_pdfs,
    read_source,
    word_diff,
)

from readout_qa.loaders import load_file_with_errors  # noqa: E402

_WORD = re.compile(r"[\w’'-]+")


def sample(corpora: Path, n: int) -> list[Path]:
    picked: list[Path] = []
    for name in ("whitehouse", "kremlin"):
        files = sorted((corpora / name).glob("*.md"))
        k = n // 2
        step = max(1, len(files) // k)
        picked += files[::step][:k]
    return picked


def _running_words(source: str, title: str, publisher: str) -> set[str]:
    """Words Chromium prints in the running header/footer: the URL, print stamp, title bar."""
    stamp = "AM PM about blank"
    return set(_WORD.findall(f"{source} {stamp} {publisher}".lower()))


def measure(kind: str, files: list[tuple[Path, object]]) -> dict:
    rows = []
    for path, src in files:
        t = time.perf_counter()
        readouts, errors = load_file_with_errors(path)
        secs = time.perf_counter() - t
        if errors or not readouts:
            rows.append({"doc": src.doc_id, "error": errors[0].reason if errors else "none"})
            continue
        r = readouts[0]
        body_words = set(_WORD.findall(src.body.lower()))
        boiler = chrome_words() - body_words
        if kind.startswith("pdf"):
            boiler |= _running_words(src.source, src.title, src.publisher) - body_words
        d = word_diff(src.body, r.text, boiler)
        d.update(
            doc=src.doc_id,
            exact=normalise(r.text) == normalise(src.body),
            title_ok=r.title == src.title,
            date_ok=r.date == src.date,
            extracted_words=len(_WORD.findall(r.text)),
            seconds=secs,
        )
        rows.append(d)
    ok = [r for r in rows if "error" not in r]
    body = sum(r["body_words"] for r in ok) or 1
    got = sum(r["extracted_words"] for r in ok) or 1
    secs = sorted(r["seconds"] for r in ok)
    return {
        "kind": kind,
        "files": len(rows),
        "errors": [r for r in rows if "error" in r],
        "exact": sum(r["exact"] for r in ok),
        "title_ok": sum(r["title_ok"] for r in ok),
        "date_ok": sum(r["date_ok"] for r in ok),
        "lost_share": sum(r["lost"] for r in ok) / body,
        "leaked_share": sum(r["leaked"] for r in ok) / got,
        "extra_share": sum(r["extra"] for r in ok) / got,
        "files_with_loss": sum(1 for r in ok if r["lost"]),
        "files_with_leak": sum(1 for r in ok if r["leaked"]),
        "p50_ms": 1000 * secs[len(secs) // 2] if secs else None,
        "max_ms": 1000 * secs[-1] if secs else None,
        "worst": sorted(ok, key=lambda r: -(r["lost"] + r["leaked"]))[:3],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--corpora", type=Path, default=_common.REPO.parent / "shared/corpora")
    args = parser.parse_args()
    sources = [read_source(p) for p in sample(args.corpora, args.n)]
    out = Path(tempfile.mkdtemp(prefix="bench-formats-"))
    html_files, div_files, pdf_jobs, raw_jobs = [], [], [], []
    for s in sources:
        page = page_html(s)
        (out / f"{s.doc_id}.html").write_text(page, encoding="utf-8")
        html_files.append((out / f"{s.doc_id}.html", s))
        (out / f"{s.doc_id}.divs.html").write_text(page_html(s, layout="divs"), encoding="utf-8")
        div_files.append((out / f"{s.doc_id}.divs.html", s))
        pdf_jobs.append((page, out / f"{s.doc_id}.pdf", s.source))
        no_print_css = re.sub(r"@media print \{.*?\}\s*\}", "", page, flags=re.S)
        raw_jobs.append((no_print_css, out / f"{s.doc_id}.raw.pdf", s.source))
    t = time.perf_counter()
    print_pdfs(pdf_jobs + raw_jobs)
    print_seconds = time.perf_counter() - t
    results = [
        measure("html", html_files),
        measure("html, div layout", div_files),
        measure("pdf", [(p, s) for (_, p, _), s in zip(pdf_jobs, sources, strict=True)]),
        measure(
            "pdf, no print CSS", [(p, s) for (_, p, _), s in zip(raw_jobs, sources, strict=True)]
        ),
    ]
    pages = [len(__import__("pypdf").PdfReader(p).pages) for _, p, _ in pdf_jobs]
    report = {
        "machine": _common.machine(),
        "commit": _common.git_commit(),
        "n": len(sources),
        "pdf_pages": {"total": sum(pages), "multi_page_files": sum(1 for n in pages if n > 1)},
        "print_seconds": print_seconds,
        "results": results,
    }
    _common.RESULTS.mkdir(exist_ok=True)
    (_common.RESULTS / "formats.json").write_text(json.dumps(report, indent=1, default=str))
    lines = [
        "# Formats: extraction from saved pages and printed PDFs",
        "",
        f"{len(sources)} readouts of the shared corpora (half White House, half Kremlin), "
        f"each wrapped in site chrome; PDFs printed by headless Chromium with running header "
        f"and footer ({sum(pages)} pages, {report['pdf_pages']['multi_page_files']} files of "
        f"several pages). Load average at start: {report['machine'].get('loadavg')}.",
        "",
        "| format | files | exact body | title right | date right | body words lost | "
        "boilerplate leaked | any extra words | p50 ms/file |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        n_ok = r["files"] - len(r["errors"])
        lines.append(
            f"| {r['kind']} | {r['files']} | {r['exact']}/{n_ok} | {r['title_ok']}/{n_ok} | "
            f"{r['date_ok']}/{n_ok} | {100 * r['lost_share']:.2f}% ({r['files_with_loss']} files) | "
            f"{100 * r['leaked_share']:.2f}% ({r['files_with_leak']} files) | "
            f"{100 * r['extra_share']:.2f}% | {r['p50_ms']:.0f} |"
        )
    for r in results:
        for e in r["errors"]:
            lines.append(f"\n- {r['kind']}: {e['doc']}: {e['error']}")
        worst = [w for w in r["worst"] if w["lost"] or w["leaked"]]
        if worst:
            lines.append(
                f"\nWorst {r['kind']} files: "
                + "; ".join(f"{w['doc']} (lost {w['lost']}, leaked {w['leaked']})" for w in worst)
            )
    (_common.RESULTS / "formats.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
