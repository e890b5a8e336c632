"""Fresh ingest into one ``chroma run`` server: one process vs ``--workers`` processes.

Each run writes a fresh collection on the same server from the same readouts: the
one-process ingest (``ReadoutQA.ingest``), then ``parallel_ingest`` with each worker count
in ``--workers`` (default 1 2: the pool's own cost shows in the 1-worker run). Reported:
wall seconds, chunks/s, speed-up over the one-process ingest, and CPU used (% of one core,
this process and its children, from ``/proc``; the whole machine's too, since other
processes share it). Every run must store the same doc ids and chunk count.

Corpus: every ``--every``-th readout (default 4) of the corpora given, so a run takes
~1 min on 2 cores. Results: ``results/ingest_workers.{json,md}``.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import _common as C

sys.path.insert(0, str(C.REPO / "tests"))
from chroma_server import ChromaServer  # noqa: E402
from server_load import cpu_seconds, machine_cpu  # noqa: E402


def own_cpu() -> float:
    """CPU seconds of this process and its finished children (the pool's workers)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def subset(paths: list[Path], every: int, into: Path) -> list[Path]:
    files = sorted(f for p in paths for f in p.rglob("*.md"))
    into.mkdir(parents=True)
    for f in files[::every]:
        shutil.copy(f, into / f.name)
    return [into]


def one_run(label: str, fn: Any, server_pid: int) -> dict[str, Any]:
    busy0, _ = machine_cpu()
    cpu0, srv0 = own_cpu(), cpu_seconds(server_pid)
    t0 = time.perf_counter()
    report = fn()
    wall = time.perf_counter() - t0
    busy1, _ = machine_cpu()
    assert report.ok, report.failed
    res = {
        "run": label,
        "readouts": len(report.added),
        "chunks": report.chunks_added,
        "wall_s": round(wall, 1),
        "chunks_per_s": round(report.chunks_added / wall, 1),
        "cpu_percent_ingest": round(100 * (own_cpu() - cpu0) / wall),
        # Load-independent: what one core-second of this ingest embeds and stores.
        "chunks_per_cpu_s": round(report.chunks_added / max(own_cpu() - cpu0, 1e-9), 1),
        "cpu_percent_chroma_server": round(100 * (cpu_seconds(server_pid) - srv0) / wall),
        "cpu_percent_machine": round(100 * (busy1 - busy0) / wall),
        "loadavg_after": [round(x, 2) for x in os.getloadavg()],
    }
    C.log(str(res))
    return res


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    C.corpus_args(parser)
    parser.add_argument("--every", type=int, default=4)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    from readout_qa import ReadoutQA
    from readout_qa.config import Settings
    from readout_qa.parallel_ingest import parallel_ingest

    work = Path(tempfile.mkdtemp(prefix="bench-ingest-workers-"))
    server = ChromaServer(work / "chroma", log=work / "chroma.log")
    runs = []
    try:
        server.start()
        corpus = subset(C.corpus_paths(args), args.every, work / "corpus")
        n_files = C.count_files(corpus)
        C.log(f"server {server.url}; {n_files} readouts")
        pid = server.proc.pid
        qa = ReadoutQA(
            data_dir=work / "serial", answerer="extractive", chroma_url=server.url, collection="s"
        )
        runs.append(one_run("one process (ReadoutQA.ingest)", lambda: qa.ingest(corpus), pid))
        for n in args.workers:
            settings = Settings.from_env(
                data_dir=work / f"w{n}", chroma_url=server.url, collection=f"w{n}"
            )
            runs.append(
                one_run(
                    f"parallel_ingest, {n} worker(s)",
                    lambda s=settings, n=n: parallel_ingest(corpus, s, n),
                    pid,
                )
            )
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    base = runs[0]["wall_s"]
    for r in runs:
        r["speedup_vs_one_process"] = round(base / r["wall_s"], 2)
    same = {(r["readouts"], r["chunks"]) for r in runs}
    data = {
        "machine": C.machine(),
        "commit": C.git_commit(),
        "readouts_given": n_files,
        "every": args.every,
        "all_runs_stored_the_same_counts": len(same) == 1,
        "runs": runs,
    }
    cols = [
        "run",
        "readouts",
        "chunks",
        "wall_s",
        "chunks_per_s",
        "speedup_vs_one_process",
        "cpu_percent_ingest",
        "chunks_per_cpu_s",
        "cpu_percent_chroma_server",
        "cpu_percent_machine",
        "loadavg_after",
    ]
    md = (
        "# Ingest with worker processes into one Chroma server\n\n"
        f"Machine: {data['machine']['cpu']}, {data['machine']['cores']} cores, load average at "
        f"the end {data['machine']['loadavg']}; commit {data['commit']}. Every {args.every}th "
        f"readout of the corpora ({n_files}); each run a fresh collection on one `chroma run`. "
        "CPU: % of one core over the run (200 = both cores).\n\n"
        + C.md_table(cols, [[r[c] for c in cols] for r in runs])
        + "\n"
    )
    C.write_results("ingest_workers", data, md)


if __name__ == "__main__":
    main()
