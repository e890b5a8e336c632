"""Where an app process's start-up time and memory go when it opens the keyword index.

Opens saved ``KeywordIndex`` directories (``scale.py --worker bm25 --size N --save DIR``
writes one of N synthetic chunks) in fresh processes and reports, for each part, the
seconds and the growth of the process's anonymous (private) and file-backed (page cache,
shared by every process that maps the same files) resident memory:

* ``bm25_in_memory`` / ``bm25_mmap``: the BM25 score table alone, read into memory
  (``bm25s`` ``mmap=False``) and memory-mapped (``mmap=True``, what ``KeywordIndex.load``
  does);
* ``index``: the whole ``KeywordIndex.load`` (BM25, chunk table, vectors) and 3 searches;
* ``app``: what an app process does with it, minus the embedding model and Chroma:
  ``KeywordIndex.load`` + ``HybridRetriever`` (= start), then 100 keyword-only retrievals
  of the gold questions, which read the passages' texts and metadata and the whole text of
  the readouts whose names they check, 20 of them date-filtered, and 20 exact dense
  searches over the rows of a one-readout filter. p50/p95 of the retrievals are reported.

``--src DIR`` runs the probes with another source tree (e.g. the previous version's, over
an index it saved) and ``--label`` names the rows: a before/after on the same data.
``--env KEY=VALUE`` sets an environment variable for the probes (e.g. ``GLIBC_TUNABLES``).

    python benchmarks/keyword_load.py DIR [DIR...] [--src DIR --label before] [--out NAME]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as C  # noqa: E402

_PROBE = """
import json, sys, time
sys.path.insert(0, {src!r})
def mem():
    out = {{}}
    for line in open("/proc/self/status"):
        key = line.split(":")[0]
        if key in ("RssAnon", "RssFile"):
            out[key] = round(int(line.split()[1]) / 1024, 1)
    return out
from pathlib import Path
import bm25s, numpy
from readout_qa.keyword_index import KeywordIndex
from readout_qa.models import Filters
from readout_qa.retrieval import HybridRetriever, exact_top_k_rows
from readout_qa.query import analyze
analyze("warm up the question analysis (nltk) before measuring")
questions = [json.loads(line)["question"] for line in open({gold!r})]
questions = (questions * 2)[:100]
before = mem()
t = time.perf_counter()
out = {{}}
if {what!r} == "index":
    k = KeywordIndex.load(Path({path!r}))
    assert k is not None
    for q in ("trade and investment", "climate", "security assistance to Ukraine"):
        k.search(q, 40)
elif {what!r} == "app":
    k = KeywordIndex.load(Path({path!r}))
    assert k is not None
    retriever = HybridRetriever(None, k, None)
    out["start_s"] = round(time.perf_counter() - t, 3)
    start_mem = mem()
    out["start_anon_mb"] = round(start_mem["RssAnon"] - before["RssAnon"], 1)
    out["start_file_mb"] = round(start_mem["RssFile"] - before["RssFile"], 1)
    lat = []
    for i, q in enumerate(questions):
        f = Filters(since="2023-01-01", until="2023-12-31") if i % 5 == 0 else None
        t1 = time.perf_counter()
        r = retriever.retrieve(q, f, use_dense=False)
        lat.append(time.perf_counter() - t1)
        assert r.passages or not r.doc_ids
    lat.sort()
    out["retrieve_p50_ms"] = round(1000 * lat[len(lat) // 2], 2)
    out["retrieve_p95_ms"] = round(1000 * lat[int(len(lat) * 0.95)], 2)
    rng = numpy.random.default_rng(1)
    dense = []
    for i in range(20):
        doc = str(k.metas[int(rng.integers(len(k.ids)))]["doc_id"])
        mask = k.filter_mask({{"doc_id": {{"$in": [doc]}}}})
        q = rng.standard_normal(k.vectors.shape[1]).astype(numpy.float32)
        t1 = time.perf_counter()
        exact_top_k_rows(k.vectors, q, 40, numpy.flatnonzero(mask))
        dense.append(time.perf_counter() - t1)
    dense.sort()
    out["doc_filtered_dense_p50_ms"] = round(1000 * dense[len(dense) // 2], 2)
else:
    r = bm25s.BM25.load({path!r}, show_progress=False, mmap={what!r} == "bm25_mmap")
    r.get_scores(["trade"])
seconds = time.perf_counter() - t
after = mem()
print(json.dumps({{"seconds": round(seconds, 3),
                   "anon_mb": round(after["RssAnon"] - before["RssAnon"], 1),
                   "file_mb": round(after["RssFile"] - before["RssFile"], 1), **out}}))
"""


def probe(path: Path, what: str, src: Path, env: dict[str, str]) -> dict[str, Any]:
    code = _PROBE.format(src=str(src), path=str(path), what=what, gold=str(C.GOLD))
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, **env}
    )
    if done.returncode:
        return {"error": done.stderr[-1500:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _size_mb(d: Path) -> float:
    return round(sum(f.stat().st_size for f in d.rglob("*") if f.is_file()) / 2**20, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dirs", nargs="+", type=Path)
    parser.add_argument("--src", type=Path, default=C.REPO / "src")
    parser.add_argument("--label", default="")
    parser.add_argument("--out", default="keyword_load")
    parser.add_argument("--what", default="bm25_in_memory,bm25_mmap,index,app")
    parser.add_argument("--env", action="append", default=[], help="KEY=VALUE for the probes")
    args = parser.parse_args()
    env = dict(e.split("=", 1) for e in args.env)
    results = []
    rows = []
    apps = []
    for d in args.dirs:
        stamp = json.loads((d / "stamp.json").read_text())
        n = stamp["count"]
        entry: dict[str, Any] = {
            "dir": str(d),
            "label": args.label,
            "src": str(args.src),
            "format": stamp.get("format"),
            "chunks": n,
            "saved_mb": _size_mb(d),
            "env": env,
        }
        for what in args.what.split(","):
            C.log(f"{d} {what}")
            entry[what] = r = probe(d, what, args.src, env)
            if "error" in r:
                C.log(f"{what} failed: {r['error']}")
                continue
            rows.append(
                [
                    args.label,
                    f"{n:,}",
                    stamp.get("format"),
                    what,
                    r["seconds"],
                    r["anon_mb"],
                    r["file_mb"],
                ]
            )
            if what == "app":
                apps.append(
                    [
                        args.label,
                        f"{n:,}",
                        r["start_s"],
                        r["start_anon_mb"],
                        r["start_file_mb"],
                        r["retrieve_p50_ms"],
                        r["retrieve_p95_ms"],
                        r["doc_filtered_dense_p50_ms"],
                        r["anon_mb"],
                        r["file_mb"],
                    ]
                )
        results.append(entry)
    md = (
        "Fresh process per row; memory = growth of RssAnon (private) and RssFile (page cache, "
        "shared between processes) while loading (and, for `app`, over 100 retrievals).\n\n"
        + C.md_table(
            ["version", "chunks", "format", "what", "seconds", "private MB", "file-backed MB"], rows
        )
        + "\n\n`app`: start = `KeywordIndex.load` + `HybridRetriever`; 100 keyword-only "
        "retrievals (texts and metadata read), 20 date-filtered; exact dense search over a "
        "one-readout filter's rows.\n\n"
        + C.md_table(
            [
                "version",
                "chunks",
                "start s",
                "start private MB",
                "start file MB",
                "retrieve p50 ms",
                "retrieve p95 ms",
                "doc-filtered dense p50 ms",
                "private MB after",
                "file MB after",
            ],
            apps,
        )
        + "\n"
    )
    C.write_results(args.out, {"indexes": results}, md)
    print(md)


if __name__ == "__main__":
    main()
