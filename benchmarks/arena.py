"""ONNX Runtime's CPU memory arena after an ingest: what each way of bounding it keeps and costs.

Texts: the first ``--chunks`` (2,000) real chunk texts (``embedding_text`` of ``chunk_readout``)
of the White House readouts in doc-id order, embedded as the ingest embeds them: one ``embed``
call per 48 readouts (``ingest.BATCH_READOUTS``), batches of 32 sorted by length.

1. Memory, one fresh niced process per option: RSS after loading the model (and one short
   warm-up text), peak (``VmHWM``) and RSS after embedding all the texts, RSS after a following
   question, and RSS after glibc's ``malloc_trim(0)`` (ctypes). The vectors of every option
   are compared with today's (max abs difference).
2. Throughput, one process, not niced: the options run in turns (order rotated each round,
   three rounds) on the first ``--timed`` readouts' chunks; best and median chunks/s, with the
   load average, since the machine is shared. Options that keep more memory than today are not
   timed there (their niced single pass is in the memory table).
3. Cost of releasing after a question: ``embed([question])`` + ``release_memory()`` against
   ``embed([question])`` alone, interleaved, p50 (why a question does not release).

Options:
  today              arena on, kept (the code before this change)
  no_arena           ``SessionOptions.enable_cpu_mem_arena = False``
  shrink_each_batch  every run with ``memory.enable_memory_arena_shrinkage = cpu:0``
  same_as_requested  a shared env arena (``create_and_register_allocator``) with
                     ``arena_extend_strategy = kSameAsRequested`` and
                     ``session.use_env_allocators = 1``: the CPU provider's own arena takes no
                     settings in the Python API; this is the only way to set them
  capped_arena       the same env arena with ``max_mem`` = ``--cap-mb``
  shrink_each_call   the last batch of each ``embed`` call shrinks the arena (no heap trim)
  release_each_call  ``shrink_each_call`` + ``malloc_trim(0)`` after the call
  release_each_batch ``shrink_each_batch``, one tiny shrinking run after the call (the last
                     batch's output region is still in use when its own run ends), then
                     ``malloc_trim(0)``
  release_at_end     what the ingest now does: calls as today, then once at the end
                     ``LocalMiniLMEmbedding.release_memory()`` (a tiny shrinking run +
                     ``malloc_trim(0)``); in the timed turns, once per turn

Usage: python benchmarks/arena.py [--chunks 2000] [--timed 96] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as C  # noqa: E402

CORPUS = C.REPO.parent / "shared/corpora/whitehouse"
QUESTION = "What did the two leaders say about Ukraine?"
MEMORY_OPTIONS = (
    "today",
    "no_arena",
    "shrink_each_batch",
    "same_as_requested",
    "capped_arena",
    "shrink_each_call",
    "release_each_call",
    "release_each_batch",
    "release_at_end",
)
TIMED_OPTIONS = (
    "today",
    "no_arena",
    "shrink_each_batch",
    "shrink_each_call",
    "release_each_call",
    "release_each_batch",
    "release_at_end",
)


# ------------------------------------------------------------------------------ texts
def prepare_texts(n_chunks: int, path: Path) -> dict[str, Any]:
    """Chunk texts grouped per ingest call (48 readouts each), written to ``path``."""
    from readout_qa.chunking import chunk_readout, embedding_text
    from readout_qa.config import Settings
    from readout_qa.ingest import BATCH_READOUTS
    from readout_qa.loaders import load_paths

    readouts, _errors = load_paths([CORPUS])
    readouts.sort(key=lambda r: r.doc_id)
    chunk_size = Settings().chunk_size
    per_readout: list[list[str]] = []
    total = 0
    for r in readouts:
        texts = [embedding_text(c) for c in chunk_readout(r, chunk_size)]
        per_readout.append(texts)
        total += len(texts)
        if total >= n_chunks:
            break
    calls = [
        [t for texts in per_readout[lo : lo + BATCH_READOUTS] for t in texts]
        for lo in range(0, len(per_readout), BATCH_READOUTS)
    ]
    path.write_text(json.dumps({"calls": calls, "readouts": len(per_readout)}))
    return {"readouts": len(per_readout), "chunks": total, "calls": len(calls)}


# ------------------------------------------------------------------------------ one option
def mem_mb() -> dict[str, float]:
    out: dict[str, float] = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(("VmRSS:", "VmHWM:")):
            out[line.split(":")[0]] = round(int(line.split()[1]) / 1024, 1)
    return out


def build(option: str, cap_mb: int) -> Any:
    """The model and a function embedding one ingest call's texts the way ``option`` does."""
    import onnxruntime as ort

    from readout_qa.embeddings import LocalMiniLMEmbedding

    options = ort.SessionOptions()
    options.log_severity_level = 3
    if option == "no_arena":
        options.enable_cpu_mem_arena = False
    if option in ("same_as_requested", "capped_arena"):
        cfg = {"arena_extend_strategy": 1} if option == "same_as_requested" else {}
        if option == "capped_arena":
            cfg["max_mem"] = cap_mb * 1024 * 1024
        info = ort.OrtMemoryInfo(
            "Cpu", ort.OrtAllocatorType.ORT_ARENA_ALLOCATOR, 0, ort.OrtMemType.DEFAULT
        )
        ort.create_and_register_allocator(info, ort.OrtArenaCfg(cfg))
        options.add_session_config_entry("session.use_env_allocators", "1")
    model = LocalMiniLMEmbedding(session_options=options)
    return model, embedder(model, option)


def embedder(model: Any, option: str) -> Any:
    import numpy as np

    if option in ("today", "no_arena", "same_as_requested", "capped_arena", "release_at_end"):
        return model.embed
    from readout_qa.embeddings import release_heap

    every = option in ("shrink_each_batch", "release_each_batch")

    def embed(texts: list[str]) -> Any:  # model.embed's loop, shrinking as the option says
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.empty((len(texts), model.dimension), dtype=np.float32)
        for lo in range(0, len(order), model.batch_size):
            idx = order[lo : lo + model.batch_size]
            last = lo + model.batch_size >= len(order)
            shrink = model._release if (every or last) else None
            out[idx] = model._run(model._encode([texts[i] for i in idx]), shrink)
        if option == "release_each_batch":
            model._run(model._encode([""]), model._release)  # frees the last batch's region
        if option in ("release_each_call", "release_each_batch"):
            release_heap()
        return out

    return embed


def child_memory(option: str, texts_path: Path, vectors_path: Path, cap_mb: int) -> None:
    import numpy as np

    from readout_qa.embeddings import release_heap

    calls = json.loads(texts_path.read_text())["calls"]
    base = mem_mb()
    t = time.perf_counter()
    try:
        model, embed = build(option, cap_mb)
        embed(["warm up the session"])
    except Exception as exc:  # an option the runtime refuses is a result, not a crash
        print(json.dumps({"option": option, "error": f"{type(exc).__name__}: {exc}"[:300]}))
        return
    load_s = time.perf_counter() - t
    loaded = mem_mb()
    vectors = []
    t = time.perf_counter()
    try:
        for texts in calls:
            vectors.append(embed(texts))
        if option == "release_at_end":
            model.release_memory()
    except Exception as exc:
        print(
            json.dumps(
                {
                    "option": option,
                    "rss_after_load_mb": loaded["VmRSS"],
                    "error": f"{type(exc).__name__} after {len(vectors)} of {len(calls)} calls: "
                    f"{str(exc)[:200]}",
                    "peak_mb": mem_mb()["VmHWM"],
                }
            )
        )
        return
    seconds = time.perf_counter() - t
    after = mem_mb()
    embed([QUESTION])
    after_query = mem_mb()
    release_heap()
    after_trim = mem_mb()
    np.save(vectors_path, np.concatenate(vectors))
    n = sum(len(c) for c in calls)
    print(
        json.dumps(
            {
                "option": option,
                "rss_before_model_mb": base["VmRSS"],
                "model_load_s": round(load_s, 2),
                "rss_after_load_mb": loaded["VmRSS"],
                "peak_mb": after["VmHWM"],
                "rss_after_embed_mb": after["VmRSS"],
                "rss_after_query_mb": after_query["VmRSS"],
                "rss_after_malloc_trim_mb": after_trim["VmRSS"],
                "niced_single_pass_chunks_per_s": round(n / seconds, 1),
            }
        )
    )


def child_throughput(texts_path: Path, timed: int, rounds: int, only: list[str]) -> None:
    calls = json.loads(texts_path.read_text())["calls"]
    per_call = 48
    keep = -(-timed // per_call)  # readouts -> calls, rounded up
    calls = calls[:keep]
    n = sum(len(c) for c in calls)
    timed_options = tuple(only) or TIMED_OPTIONS
    embedders, models = {}, {}
    for option in timed_options:
        models[option], embedders[option] = build(option, 0)
        embedders[option](["warm up the session"])
    runs: dict[str, list[float]] = {o: [] for o in timed_options}
    cpu: dict[str, list[float]] = {o: [] for o in timed_options}  # CPU s per 100 chunks
    loads = [list(os.getloadavg())]
    for r in range(rounds):
        k = r % len(timed_options)
        turn = timed_options[k:] + timed_options[:k]
        for option in turn:
            t, c = time.perf_counter(), time.process_time()
            for texts in calls:
                embedders[option](texts)
            if option == "release_at_end":
                models[option].release_memory()
            runs[option].append(n / (time.perf_counter() - t))
            cpu[option].append((time.process_time() - c) / n * 100)
            C.log(f"round {r + 1} {option}: {runs[option][-1]:.1f} chunks/s")
        loads.append(list(os.getloadavg()))
    # 3. a question, released or not (the chosen model; both sessions exist in this process)
    chosen = models["release_at_end"]
    lat: dict[str, list[float]] = {"keep": [], "release": []}
    for i in range(60):
        for mode in ("keep", "release") if i % 2 else ("release", "keep"):
            t = time.perf_counter()
            chosen.embed([f"{QUESTION} {i}"])
            if mode == "release":
                chosen.release_memory()
            lat[mode].append(time.perf_counter() - t)
    print(
        json.dumps(
            {
                "chunks": n,
                "calls": len(calls),
                "runs_chunks_per_s": {o: [round(x, 2) for x in v] for o, v in runs.items()},
                "runs_cpu_s_per_100_chunks": {o: [round(x, 2) for x in v] for o, v in cpu.items()},
                "loadavg_1_5_15_per_round": [[round(x, 2) for x in la] for la in loads],
                "question_ms_p50": {
                    m: round(statistics.median(v) * 1000, 2) for m, v in lat.items()
                },
            }
        )
    )


# ------------------------------------------------------------------------------ parent
def run_child(args: list[str], niced: bool) -> dict[str, Any]:
    cmd = [sys.executable, __file__, *args]
    if niced:
        cmd = ["nice", "-n", "10", *cmd]
    env = {**os.environ, "PYTHONPATH": str(C.REPO / "src")}
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
    if done.returncode != 0 or not lines:
        return {"error": f"exit {done.returncode}: {done.stderr[-400:]}"}
    return json.loads(lines[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--chunks", type=int, default=2000)
    parser.add_argument("--timed", type=int, default=96, help="readouts in the timed turns")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cap-mb", type=int, default=256, help="max_mem of capped_arena")
    parser.add_argument("--only", nargs="*", help="memory options to run (default: all)")
    parser.add_argument("--timed-options", nargs="*", default=[], help="default: all timed")
    parser.add_argument("--name", default="arena", help="results/<name>.md and .json")
    parser.add_argument(
        "--throughput-only",
        action="store_true",
        help="keep the memory rows of results/arena.json, measure throughput again",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--texts", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--vectors", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "throughput":
        return child_throughput(args.texts, args.timed, args.rounds, args.timed_options)
    if args.child:
        return child_memory(args.child, args.texts, args.vectors, args.cap_mb)
    if not CORPUS.is_dir():
        sys.exit(f"corpus folder not found: {CORPUS}")

    import numpy as np

    tmp = Path(tempfile.mkdtemp(prefix="bench-arena-"))
    texts_path = tmp / "texts.json"
    corpus = prepare_texts(args.chunks, texts_path)
    C.log(f"texts: {corpus}")
    memory: dict[str, dict[str, Any]] = {}
    if args.throughput_only or args.only:
        memory = json.loads((C.RESULTS / "arena.json").read_text())["memory"]
    for option in [] if args.throughput_only else args.only or MEMORY_OPTIONS:
        memory.pop(option, None)
        vec = tmp / f"{option}.npy"
        common = ["--texts", str(texts_path), "--vectors", str(vec), "--cap-mb", str(args.cap_mb)]
        memory[option] = run_child(["--child", option, *common], niced=True)
        memory[option]["loadavg_after"] = [round(x, 2) for x in os.getloadavg()]
        C.log(f"{option}: {memory[option]}")
    today = tmp / "today.npy"
    for option, row in memory.items():
        vec = tmp / f"{option}.npy"
        if today.exists() and vec.exists():
            diff = np.abs(np.load(vec) - np.load(today)).max()
            row["max_abs_diff_vs_today"] = float(diff)
    C.log("throughput (not niced)")
    speed = run_child(
        [
            "--child",
            "throughput",
            "--texts",
            str(texts_path),
            "--timed",
            str(args.timed),
            "--rounds",
            str(args.rounds),
            "--timed-options",
            *args.timed_options,
        ],
        niced=False,
    )
    for f in tmp.iterdir():
        f.unlink()
    tmp.rmdir()

    runs = speed.get("runs_chunks_per_s", {})
    best_today = max(runs["today"]) if runs.get("today") else None
    cpus = speed.get("runs_cpu_s_per_100_chunks", {})
    cpu_today = min(cpus["today"]) if cpus.get("today") else None
    rows = []
    for option, m in memory.items():
        r = runs.get(option)
        best = max(r) if r else None
        cpu_best = min(cpus[option]) if cpus.get(option) else None
        mb = [
            m.get(k)
            for k in (
                "rss_after_load_mb",
                "peak_mb",
                "rss_after_embed_mb",
                "rss_after_query_mb",
                "rss_after_malloc_trim_mb",
            )
        ]
        rows.append(
            [
                option,
                *[round(v) if v is not None else None for v in mb],
                f"{best:.1f}" if best else "not timed",
                f"{statistics.median(r):.1f}" if r else None,
                f"{(best / best_today - 1) * 100:+.1f} %" if best and best_today else None,
                f"{cpu_best:.2f}" if cpu_best else None,
                f"{(cpu_best / cpu_today - 1) * 100:+.1f} %" if cpu_best and cpu_today else None,
                m.get("niced_single_pass_chunks_per_s"),
                f"{m['max_abs_diff_vs_today']:.1e}" if "max_abs_diff_vs_today" in m else None,
                m.get("error", ""),
            ]
        )
    table = C.md_table(
        [
            "option",
            "RSS after load",
            "peak",
            "RSS after embedding",
            "after a question",
            "after malloc_trim",
            "chunks/s best",
            "median",
            "vs today (best)",
            "CPU s / 100 chunks (least)",
            "vs today (CPU)",
            "niced single pass",
            "max abs diff",
            "error",
        ],
        rows,
    )
    q = speed.get("question_ms_p50", {})
    md = (
        f"{corpus['chunks']} real chunks of {corpus['readouts']} White House readouts in "
        f"{corpus['calls']} `embed` calls (one per 48 readouts, as the ingest calls it), "
        "batches of 32. RSS in MB, one fresh niced process per option. Throughput: "
        f"{speed.get('chunks')} chunks ({speed.get('calls')} calls), options in turns, "
        f"{args.rounds} rounds, not niced; load average (1/5/15 min) per round: "
        f"{speed.get('loadavg_1_5_15_per_round')} on 2 cores shared with other jobs.\n\n"
        f"{table}\n\nA question embedded alone: p50 {q.get('keep')} ms kept, "
        f"{q.get('release')} ms released (shrink + malloc_trim).\n"
    )
    C.write_results(
        args.name,
        {"corpus": corpus, "memory": memory, "throughput": speed, "cap_mb": args.cap_mb},
        md,
    )
    print(md)


if __name__ == "__main__":
    main()
