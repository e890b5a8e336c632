"""Peak memory (RSS) of the UI process idle and answering, of a bare ReadoutQA process, and of a
full ingest.

1. Full ingest: ``readout-qa ingest <corpora> --data-dir <fresh tmp dir>`` as a niced
   subprocess; peak RSS = ``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`` read right after
   it exits (it is the first child), plus its wall time.  ``--skip-ingest`` skips it (~6+ min).
2. UI: ``python app.py --port P --data-dir D`` on 127.0.0.1, for a small index (the seed
   readout of ``corpus/``) and, when available, the full index; RSS once it serves and has been
   idle for a few seconds, then while ``gradio_client`` asks ``--queries`` gold questions through
   ``/ask`` (sampled every 50 ms; ``VmHWM`` = the process's peak), then after.
3. ``ReadoutQA`` alone (no UI) on the same indexes: RSS after opening, and after the same
   questions, in a fresh process.

Usage: python benchmarks/memory.py [corpus folders...] [--queries 20] [--skip-ingest]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as C  # noqa: E402


def proc_mem(pid: int) -> dict[str, float]:
    """VmRSS and VmHWM (peak) of a process, MB."""
    out = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(("VmRSS:", "VmHWM:")):
                out[line.split(":")[0]] = round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, proc: subprocess.Popen, timeout: float = 300) -> float:
    t0 = time.perf_counter()
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    while time.perf_counter() - t0 < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"app exited with {proc.returncode}")
        try:
            with opener.open(url, timeout=2) as r:
                if r.status == 200:
                    return time.perf_counter() - t0
        except OSError:
            time.sleep(0.25)
    raise TimeoutError(f"{url} did not answer in {timeout} s")


def measure_ui(data_dir: Path, corpus: Path, qs: list[str], label: str) -> dict[str, Any]:
    from gradio_client import Client

    port = free_port()
    log_path = Path(tempfile.mkstemp(prefix="bench-ui-", suffix=".log")[1])
    cmd = [
        sys.executable,
        str(C.REPO / "app.py"),
        "--port",
        str(port),
        "--data-dir",
        str(data_dir),
        "--corpus",
        str(corpus),
    ]
    C.log(f"UI ({label}): {' '.join(cmd)}")
    with open(log_path, "w") as logf:
        proc = subprocess.Popen(cmd, cwd=C.REPO, stdout=logf, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}/"
        start_s = wait_http(url, proc)
        time.sleep(3)
        idle = proc_mem(proc.pid)
        samples: list[float] = []
        stop = threading.Event()

        def sample() -> None:
            while not stop.is_set():
                m = proc_mem(proc.pid)
                if "VmRSS" in m:
                    samples.append(m["VmRSS"])
                time.sleep(0.05)

        th = threading.Thread(target=sample, daemon=True)
        th.start()
        client = Client(url, verbose=False, download_files=False)
        lat = []
        answered = 0
        for q in qs:
            t = time.perf_counter()
            _chat, _sources, _box, answer, _status = client.predict(
                q, "", "", [], [], api_name="/ask"
            )
            lat.append(time.perf_counter() - t)
            answered += bool(answer and not answer.get("refused"))
        stop.set()
        th.join()
        after = proc_mem(proc.pid)
        return {
            "data_dir": str(data_dir),
            "startup_s_until_http_200": round(start_s, 1),
            "rss_idle_mb": idle.get("VmRSS"),
            "rss_peak_while_querying_sampled_mb": max(samples) if samples else None,
            "rss_after_queries_mb": after.get("VmRSS"),
            "vmhwm_peak_mb": after.get("VmHWM"),
            "queries": len(qs),
            "answered": answered,
            "query_latency_via_ui": C.summary_ms(lat),
        }
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log_path.unlink(missing_ok=True)


def worker_qa(data_dir: str, gold: str, n: int) -> dict[str, Any]:
    from readout_qa import ReadoutQA
    from readout_qa.evals.gold import load_gold

    base = C.rss_mb()
    qa = ReadoutQA(data_dir=data_dir)
    qa.retriever  # noqa: B018 - loads the keyword index
    opened = C.rss_mb()
    for item in load_gold(gold)[:n]:
        qa.ask(item.question)
    return {
        "rss_after_imports_mb": round(base, 1),
        "rss_opened_mb": round(opened, 1),
        "rss_after_queries_mb": round(C.rss_mb(), 1),
        "peak_mb": round(C.peak_rss_mb(), 1),
        "readouts": len(qa.store.doc_records()),
    }


def measure_qa(data_dir: Path, gold: str, n: int) -> dict[str, Any]:
    cmd = [
        sys.executable,
        __file__,
        "--worker-qa",
        str(data_dir),
        "--gold",
        gold,
        "--queries",
        str(n),
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode:
        return {"error": done.stderr[-1500:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    C.corpus_args(parser)
    parser.add_argument("--queries", type=int, default=20)
    parser.add_argument("--skip-ingest", action="store_true")
    parser.add_argument(
        "--full-index", help="full index for the UI run (default: the benchmarks' copy)"
    )
    parser.add_argument("--worker-qa", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker_qa:
        print(json.dumps(worker_qa(args.worker_qa, args.gold, args.queries)))
        return
    paths = C.corpus_paths(args)
    load_start = [round(x, 2) for x in os.getloadavg()]
    results: dict[str, Any] = {"corpora": [str(p) for p in paths], "loadavg_at_start": load_start}

    # --- 1. full ingest, as the first child process -------------------------------------------
    if not args.skip_ingest:
        tmp = Path(tempfile.mkdtemp(prefix="bench-mem-ingest-", dir="/tmp"))
        exe = Path(sys.executable).with_name("readout-qa")
        cmd = ["nice", "-n", "10", str(exe), "ingest", *map(str, paths), "--data-dir", str(tmp)]
        C.log(f"full ingest: {' '.join(cmd)}")
        t = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - t
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        results["full_ingest"] = {
            "returncode": done.returncode,
            "wall_s": round(wall, 1),
            "peak_rss_mb": round(peak, 1),
            "files": C.count_files(paths),
            "loadavg_after": [round(x, 2) for x in os.getloadavg()],
            "cli_output_tail": done.stdout[-1200:],
        }
        C.log(f"ingest: {wall:.0f}s, peak RSS {peak:.0f} MB")
        shutil.rmtree(tmp, ignore_errors=True)

    # --- 2. UI and 3. ReadoutQA alone ---------------------------------------------------------
    from readout_qa.evals.gold import load_gold

    qs = [g.question for g in load_gold(args.gold)][: args.queries]
    small = Path(tempfile.mkdtemp(prefix="bench-mem-small-", dir="/tmp"))
    corpus = C.REPO / "corpus" / "000_29b7a47e08d55584.txt"  # the seed alone, not the sample
    from readout_qa import ReadoutQA

    ReadoutQA(data_dir=small).ingest([corpus])
    indexes = [("small (seed readout)", small)]
    full = Path(args.full_index) if args.full_index else None
    if full is None:
        _qa, info = C.open_index(paths)
        full = Path(info["data_dir"])
        del _qa
    indexes.append((f"full ({C.index_stats(ReadoutQA(data_dir=full))['readouts']} readouts)", full))
    results["ui"] = {}
    results["readoutqa_process"] = {}
    ui_ok = (C.REPO / "app.py").is_file()
    for label, d in indexes:
        if ui_ok:
            try:
                results["ui"][label] = measure_ui(d, corpus, qs, label)
            except Exception as exc:  # report, then measure the bare process instead
                results["ui"][label] = {"error": repr(exc)}
        results["readoutqa_process"][label] = measure_qa(d, args.gold, args.queries)
    if not ui_ok:
        results["ui_note"] = "app.py not found: only the bare ReadoutQA process was measured"
    shutil.rmtree(small, ignore_errors=True)

    rows = []
    for label in results["ui"]:
        u = results["ui"][label]
        if "error" in u:
            rows.append([f"UI, {label}", "error", u["error"][:80], None, None])
            continue
        rows.append(
            [
                f"UI `app.py`, {label}",
                u["rss_idle_mb"],
                u["rss_peak_while_querying_sampled_mb"],
                u["vmhwm_peak_mb"],
                u["rss_after_queries_mb"],
            ]
        )
    for label, r in results["readoutqa_process"].items():
        if "error" in r:
            rows.append([f"ReadoutQA, {label}", "error", r["error"][:80], None, None])
            continue
        rows.append(
            [
                f"ReadoutQA alone, {label}",
                r["rss_opened_mb"],
                None,
                r["peak_mb"],
                r["rss_after_queries_mb"],
            ]
        )
    if "full_ingest" in results:
        fi = results["full_ingest"]
        rows.append(
            [
                f"`readout-qa ingest` of {fi['files']} files (fresh dir, {fi['wall_s']} s)",
                None,
                None,
                fi["peak_rss_mb"],
                None,
            ]
        )
    md = [
        f"RSS in MB. {args.queries} gold questions per run. Load average at start {load_start}.\n",
        C.md_table(
            [
                "process",
                "idle / opened",
                "peak while querying (sampled)",
                "peak (VmHWM / ru_maxrss)",
                "after queries",
            ],
            rows,
        ),
    ]
    for label, u in results["ui"].items():
        if "error" not in u:
            md.append(
                f"\nUI {label}: serving after {u['startup_s_until_http_200']} s; `/ask` latency via "
                f"gradio_client p50 {u['query_latency_via_ui']['p50_ms']} ms, p95 "
                f"{u['query_latency_via_ui']['p95_ms']} ms ({u['answered']}/{u['queries']} answered)."
            )
    text = "\n".join(md)
    print(text)
    C.write_results("memory", results, text)


if __name__ == "__main__":
    main()
