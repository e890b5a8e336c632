"""Audit the contacts extraction over whole corpora (no gold item needed).

Counts each class of :mod:`readout_qa.contacts.audit` (titled contacts with no row,
participants without a country, titles taken for names, far or future dates, events of
both governments left unmerged) and the extraction time, and writes
``benchmarks/results/contacts_audit.json`` and ``.md`` (with examples of each class).

    python benchmarks/contacts_audit.py [--corpus corpus --corpus ../shared/corpora] [--out NAME]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from readout_qa.contacts.audit import AUDIT_CLASSES, audit
from readout_qa.loaders import load_paths

RESULTS = Path(__file__).parent / "results"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", action="append", default=[])
    ap.add_argument("--out", default="contacts_audit")
    ap.add_argument("--examples", type=int, default=15)
    a = ap.parse_args()
    corpora = a.corpus or ["corpus", "../shared/corpora"]
    loaded, errors = load_paths([p for p in corpora if Path(p).exists()], entities=False)
    # corpus/ repeats some readouts of the shared corpora: each readout once, as ingest does
    readouts = list({r.doc_id: r for r in reversed(loaded)}.values())[::-1]
    started = time.perf_counter()
    report = audit(readouts)
    seconds = time.perf_counter() - started
    out = {
        "readouts": report.readouts,
        "mentions": report.mentions,
        "contacts": report.contacts,
        "seconds": round(seconds, 2),
        "counts": report.counts,
        "examples": {k: v[: a.examples] for k, v in report.examples.items()},
        "load_errors": len(errors),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{a.out}.json").write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
    lines = [
        f"# Contacts extraction audit ({report.readouts} readouts, {report.mentions} mentions, "
        f"{report.contacts} contacts, {seconds:.1f} s)",
        "",
        "| class | count |",
        "|---|---:|",
        *[f"| {k} | {report.counts[k]} |" for k in AUDIT_CLASSES],
        "",
    ]
    for k in AUDIT_CLASSES:
        if report.examples[k]:
            lines += [f"## {k}", "", *[f"- {e}" for e in report.examples[k][: a.examples]], ""]
    (RESULTS / f"{a.out}.md").write_text("\n".join(lines))
    print("\n".join(lines[:12]))


if __name__ == "__main__":
    main()
