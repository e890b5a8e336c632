"""Where an app process's start-up time and memory go when it opens the keyword index.

Opens a saved ``KeywordIndex`` directory (``scale.py --worker bm25 --size N --save DIR``
writes one of N synthetic chunks) in fresh processes and reports, for each part, the
seconds and the process's anonymous (private) and file-backed (shareable) resident memory:

* the BM25 score table alone, read into memory (``bm25s`` ``mmap=False``) and memory-mapped
  (``mmap=True``, what ``KeywordIndex.load`` now does);
* the whole ``KeywordIndex.load``: the BM25 table, the chunk table (``chunks.json``: ids,
  texts, metadata as Python objects) and the memory-mapped vectors.

    python benchmarks/keyword_load.py DIR [DIR...]
"""

from __future__ import annotations

import json
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
before = mem()
t = time.perf_counter()
if {what!r} == "index":
    k = KeywordIndex.load(Path({path!r}))
    assert k is not None
    for q in ("trade and investment", "climate", "security assistance to Ukraine"):
        k.search(q, 40)
else:
    r = bm25s.BM25.load({path!r}, show_progress=False, mmap={what!r} == "bm25_mmap")
    r.get_scores(["trade"])
seconds = time.perf_counter() - t
after = mem()
print(json.dumps({{"seconds": round(seconds, 3),
                   "anon_mb": round(after["RssAnon"] - before["RssAnon"], 1),
                   "file_mb": round(after["RssFile"] - before["RssFile"], 1)}}))
"""


def probe(path: Path, what: str) -> dict[str, Any]:
    code = _PROBE.format(src=str(C.REPO / "src"), path=str(path), what=what)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    dirs = [Path(p) for p in sys.argv[1:]]
    if not dirs:
        sys.exit(__doc__)
    results = []
    rows = []
    for d in dirs:
        n = json.loads((d / "stamp.json").read_text())["count"]
        sizes = {f.name: round(f.stat().st_size / 2**20, 1) for f in d.iterdir()}
        entry: dict[str, Any] = {"dir": str(d), "chunks": n, "file_mb": sizes}
        for what in ("bm25_in_memory", "bm25_mmap", "index"):
            entry[what] = probe(d, what)
            r = entry[what]
            rows.append([f"{n:,}", what, r["seconds"], r["anon_mb"], r["file_mb"]])
        results.append(entry)
    md = (
        "Fresh process per row; memory = growth of RssAnon (private) and RssFile (page cache, "
        "shared between processes) while loading.\n\n"
        + C.md_table(["chunks", "what", "seconds", "private MB", "file-backed MB"], rows)
        + "\n"
    )
    C.write_results("keyword_load", {"indexes": results}, md)
    print(md)


if __name__ == "__main__":
    main()
