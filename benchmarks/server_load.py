"""Several app processes against one ``chroma run`` server, driven by concurrent users.

What it does, all on 127.0.0.1:

1. starts a real ``chroma run`` server (as ``tests/chroma_server.py`` does) and fills it
   with the full corpora: the shared eval index's two collections (1,945 readouts, 6,159
   chunks with their vectors) are copied into the server, not re-embedded (that would take
   ~4-10 min and measure the ingest, which ``parallel_ingest.py`` below does); without the
   eval index it ingests the corpora given, with ``--workers`` processes;
2. starts ``--apps`` (4) ``python app.py`` processes, each on its own port and data
   directory, all pointed at the server (``READOUT_QA_CHROMA_URL``);
3. for each number of users N (``--users 1 4 8 16``), N threads, each with its own
   ``gradio_client.Client`` on app ``i % apps``, ask first-turn gold questions through
   ``/ask`` (the UI's own handler, streamed to the end) until ``--per-level`` questions
   are answered or ``--seconds`` pass; reports questions/s and p50/p95 latency;
4. samples every process's CPU time from ``/proc/<pid>/stat`` over each level: the app
   processes, the Chroma server, this client process, and the whole machine
   (``/proc/stat``), so "what saturates first" is a measurement, not a guess. One app's
   ``ask`` timings over the same server (in this process, before the load) split a
   question into query embedding, searches and answering.

Results: ``results/server_load.{json,md}``. Bounded: ~5 min with the defaults.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import _common as C

sys.path.insert(0, str(C.REPO / "tests"))
from chroma_server import ChromaServer, free_port  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")
COLLECTION = "readouts"


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of one process so far (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine, all cores."""
    parts = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = parts[3] + parts[4]
    total = sum(parts[:8])
    return (total - idle) / TICK, total / TICK


def copy_eval_index(url: str, work: Path) -> dict[str, Any]:
    """Copy the eval index's chunks (with vectors) and readout records into the server."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    src_dir = work / "eval-copy"
    shutil.copytree(C.EVAL_INDEX / "chroma", src_dir)  # never open the shared index itself
    src = chromadb.PersistentClient(
        path=str(src_dir), settings=ChromaSettings(anonymized_telemetry=False)
    )
    host, port = url.rsplit(":", 1)
    dst = chromadb.HttpClient(
        host=host.split("//")[1],
        port=int(port),
        settings=ChromaSettings(anonymized_telemetry=False),
    )
    counts = {}
    for suffix in ("chunks", "docs"):
        s = src.get_collection(f"{COLLECTION}_{suffix}")
        d = dst.create_collection(f"{COLLECTION}_{suffix}", metadata=s.metadata)
        offset, n = 0, 0
        while True:
            got = s.get(include=["embeddings", "documents", "metadatas"], limit=2000, offset=offset)
            if not got["ids"]:
                break
            d.upsert(
                ids=got["ids"],
                embeddings=got["embeddings"],
                documents=got["documents"],
                metadatas=got["metadatas"],
            )
            offset += len(got["ids"])
            n += len(got["ids"])
        counts[suffix] = n
    shutil.rmtree(src_dir, ignore_errors=True)
    return counts


def ingest_corpora(url: str, paths: list[Path], workers: int, work: Path) -> dict[str, Any]:
    from readout_qa.config import Settings
    from readout_qa.parallel_ingest import parallel_ingest

    settings = Settings.from_env(data_dir=work / "ingest", chroma_url=url, collection=COLLECTION)
    report = parallel_ingest(paths, settings, workers=workers)
    return {"readouts": len(report.added), "chunks": report.chunks_added}


def wait_http(url: str, proc: subprocess.Popen, timeout: float = 180.0) -> float:
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"app exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:  # noqa: S310 - loopback
                if r.status == 200:
                    return time.perf_counter() - t0
        except OSError:
            time.sleep(0.25)
    raise TimeoutError(f"{url} did not answer in {timeout} s")


def start_apps(n: int, url: str, work: Path) -> list[tuple[subprocess.Popen, str, Path]]:
    env = {
        **os.environ,
        "READOUT_QA_CHROMA_URL": url,
        "READOUT_QA_COLLECTION": COLLECTION,
        "PYTHONPATH": str(C.REPO / "src"),
        "GRADIO_ANALYTICS_ENABLED": "False",
    }
    env.pop("OPENAI_API_KEY", None)
    apps = []
    for i in range(n):
        port = free_port()
        log = work / f"app{i}.log"
        cmd = [sys.executable, str(C.REPO / "app.py"), "--port", str(port)]
        cmd += ["--data-dir", str(work / f"app{i}"), "--answerer", "extractive"]
        with open(log, "w") as logf:
            proc = subprocess.Popen(  # noqa: S603
                cmd, cwd=C.REPO, env=env, stdout=logf, stderr=subprocess.STDOUT
            )
        apps.append((proc, f"http://127.0.0.1:{port}/", log))
    return apps


def questions(gold: Path) -> list[str]:
    items = [json.loads(line) for line in gold.read_text().splitlines() if line.strip()]
    return [it["question"] for it in items if not it.get("history")]


def in_process_split(url: str, work: Path, qs: list[str]) -> dict[str, Any]:
    """Where one question's time goes in an app against the server (uncontended)."""
    from readout_qa import ReadoutQA

    qa = ReadoutQA(
        data_dir=work / "split", answerer="extractive", chroma_url=url, collection=COLLECTION
    )
    qa.ask(qs[0])
    keys: dict[str, list[float]] = {}
    for q in qs[:40]:
        for k, v in qa.ask(q).timings.items():
            keys.setdefault(k, []).append(v)
    return {k: C.summary_ms(v) for k, v in sorted(keys.items())}


def run_level(
    n_users: int, urls: list[str], qs: list[str], per_level: int, seconds: float, pids: dict
) -> dict[str, Any]:
    from gradio_client import Client

    clients = [
        Client(urls[i % len(urls)], verbose=False, download_files=False) for i in range(n_users)
    ]
    lock = threading.Lock()
    state = {"next": 0, "done": 0}
    lat: list[float] = []
    errors: list[str] = []
    stop_at = [0.0]

    def user(i: int) -> None:
        client = clients[i]
        while True:
            with lock:
                if state["next"] >= per_level or time.perf_counter() > stop_at[0]:
                    return
                q = qs[state["next"] % len(qs)]
                state["next"] += 1
            t = time.perf_counter()
            try:
                client.predict(q, "", "", [], [], api_name="/ask")
            except Exception as exc:  # noqa: BLE001 - counted and reported
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}"[:200])
                continue
            with lock:
                lat.append(time.perf_counter() - t)

    cpu0 = {name: sum(cpu_seconds(p) for p in ps) for name, ps in pids.items()}
    busy0, total0 = machine_cpu()
    t0 = time.perf_counter()
    stop_at[0] = t0 + seconds
    threads = [threading.Thread(target=user, args=(i,)) for i in range(n_users)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    wall = time.perf_counter() - t0
    busy1, total1 = machine_cpu()
    cpu = {
        name: round(100 * (sum(cpu_seconds(p) for p in ps) - cpu0[name]) / wall, 1)
        for name, ps in pids.items()
    }
    machine_busy = 100 * (busy1 - busy0) / wall
    cpu["whole machine (all processes)"] = round(machine_busy, 1)
    cpu["others (not this benchmark)"] = round(
        machine_busy - sum(v for k, v in cpu.items() if k in pids), 1
    )
    cpu["machine capacity"] = round(100 * (total1 - total0) / wall, 1)
    return {
        "users": n_users,
        "answered": len(lat),
        "errors": len(errors),
        "error_examples": errors[:3],
        "wall_s": round(wall, 2),
        "questions_per_s": round(len(lat) / wall, 2),
        "latency": C.summary_ms(lat),
        "cpu_percent_of_one_core": cpu,
        "loadavg_after": [round(x, 2) for x in os.getloadavg()],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    C.corpus_args(parser)
    parser.add_argument("--apps", type=int, default=4)
    parser.add_argument("--users", type=int, nargs="+", default=[1, 4, 8, 16])
    parser.add_argument("--per-level", type=int, default=200, help="questions per level, max")
    parser.add_argument("--seconds", type=float, default=45.0, help="time per level, max")
    parser.add_argument("--workers", type=int, default=2, help="ingest workers (no eval index)")
    args = parser.parse_args()
    qs = questions(Path(args.gold))
    work = Path(tempfile.mkdtemp(prefix="bench-server-load-"))
    server = ChromaServer(work / "chroma", log=work / "chroma.log")
    apps: list = []
    t_all = time.perf_counter()
    try:
        server.start()
        C.log(f"chroma run on {server.url} (started in {server.started_in:.1f}s)")
        t = time.perf_counter()
        if (C.EVAL_INDEX / "chroma").is_dir():
            filled = {"how": "copied from the shared eval index (vectors included)"}
            filled.update(copy_eval_index(server.url, work))
        else:
            filled = {"how": f"ingested with {args.workers} workers"}
            filled.update(ingest_corpora(server.url, C.corpus_paths(args), args.workers, work))
        filled["seconds"] = round(time.perf_counter() - t, 1)
        C.log(f"server filled: {filled}")
        split = in_process_split(server.url, work, qs)
        C.log("ask split measured; starting the apps")
        apps = start_apps(args.apps, server.url, work)
        with ThreadPoolExecutor(len(apps)) as pool:  # each app's own start, from launch
            starts = [round(s, 1) for s in pool.map(lambda a: wait_http(a[1], a[0]), apps)]
        C.log(f"{args.apps} apps up in {starts} s")
        pids = {
            "app processes (sum)": [p.pid for p, _, _ in apps],
            "chroma server": [server.proc.pid],
            "load client (gradio_client threads)": [os.getpid()],
        }
        levels = []
        for n in args.users:
            res = run_level(n, [u for _, u, _ in apps], qs, args.per_level, args.seconds, pids)
            C.log(
                f"{n} users: {res['questions_per_s']} q/s, p50 {res['latency']['p50_ms']} ms, "
                f"p95 {res['latency']['p95_ms']} ms, cpu {res['cpu_percent_of_one_core']}"
            )
            levels.append(res)
    finally:
        for proc, _, _ in apps:
            proc.terminate()
        for proc, _, _ in apps:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    data = {
        "machine": C.machine(),
        "commit": C.git_commit(),
        "apps": args.apps,
        "server_filled": filled,
        "app_start_s": starts,
        "ask_in_process_against_server_ms": split,
        "levels": levels,
        "total_s": round(time.perf_counter() - t_all, 1),
    }
    C.write_results("server_load", data, render(data))


def render(d: dict[str, Any]) -> str:
    rows = []
    for lv in d["levels"]:
        cpu = lv["cpu_percent_of_one_core"]
        rows.append(
            [
                lv["users"],
                lv["answered"],
                lv["errors"],
                lv["questions_per_s"],
                lv["latency"].get("p50_ms"),
                lv["latency"].get("p95_ms"),
                cpu["app processes (sum)"],
                cpu["chroma server"],
                cpu["load client (gradio_client threads)"],
                cpu["others (not this benchmark)"],
                cpu["whole machine (all processes)"],
            ]
        )
    table = C.md_table(
        [
            "users",
            "answered",
            "errors",
            "questions/s",
            "p50 ms",
            "p95 ms",
            "CPU % apps (4)",
            "CPU % chroma",
            "CPU % client",
            "CPU % others",
            "CPU % machine",
        ],
        rows,
    )
    split = d["ask_in_process_against_server_ms"]
    split_rows = [[k, v.get("p50_ms"), v.get("p95_ms")] for k, v in split.items()]
    return (
        f"# Server load: {d['apps']} app processes, one `chroma run`, concurrent users\n\n"
        f"Machine: {d['machine']['cpu']}, {d['machine']['cores']} cores, load average at the "
        f"end {d['machine']['loadavg']}; commit {d['commit']}. Server filled: "
        f"{d['server_filled']}. App start (to HTTP 200): {d['app_start_s']} s.\n\n"
        "Each user is a thread with its own `gradio_client.Client` on app `i % 4`, asking "
        "first-turn gold questions through `/ask` to the end of the stream. CPU is % of one "
        "core over the level (200 = both cores), from `/proc/<pid>/stat`.\n\n"
        f"{table}\n\n`ask` in one process against the same server before the load (no other users; "
        "the machine's other tenants still running), 40 questions, `Answer.timings` (ms):\n\n"
        + C.md_table(["timing", "p50", "p95"], split_rows)
        + "\n"
    )


if __name__ == "__main__":
    main()
