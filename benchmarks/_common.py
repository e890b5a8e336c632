"""Shared helpers of the benchmark scripts: paths, machine facts, indexes, result files.

Not a test module and not part of the package: the scripts in this folder import it
as ``_common`` (they put their own folder first on ``sys.path``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
RESULTS = BENCH_DIR / "results"
sys.path.insert(0, str(REPO / "src"))

from readout_qa.config import apply_offline_env  # noqa: E402

apply_offline_env()

DEFAULT_CORPORA = ("corpus", "../shared/corpora/whitehouse", "../shared/corpora/kremlin")
FULL_READOUTS = 1945  # corpus/ (1) + whitehouse (1,569) + kremlin (375)
EVAL_INDEX = Path.home() / ".cache/readout-qa/eval-index"
GOLD = REPO / "evals/gold.jsonl"


# ------------------------------------------------------------------------------ arguments
def corpus_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "corpora",
        nargs="*",
        default=list(DEFAULT_CORPORA),
        help="readout folders (relative to the repo unless absolute); "
        "default: corpus ../shared/corpora/whitehouse ../shared/corpora/kremlin",
    )
    parser.add_argument("--gold", default=str(GOLD), help="gold set (JSON Lines)")


def corpus_paths(args: argparse.Namespace) -> list[Path]:
    paths = [(Path(p) if Path(p).is_absolute() else REPO / p).resolve() for p in args.corpora]
    missing = [str(p) for p in paths if not p.is_dir()]
    if missing:
        sys.exit(f"corpus folder(s) not found: {', '.join(missing)}")
    return paths


def count_files(paths: Iterable[Path]) -> int:
    return sum(
        1 for p in paths for f in p.rglob("*") if f.is_file() and f.suffix in {".md", ".txt"}
    )


# ------------------------------------------------------------------------------ machine
def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram_gb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def machine() -> dict[str, Any]:
    """CPU, cores, RAM and the load average *now* (other processes share the machine)."""
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "ram_gb": _ram_gb(),
        "loadavg": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def git_commit() -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
        return done.stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


def rss_mb() -> float:
    """Current resident set size of this process (MB)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux: KiB


# ------------------------------------------------------------------------------ stats
def pct(values: Sequence[float], q: float) -> float:
    """Percentile by linear interpolation (same definition as readout_qa.evals.metrics)."""
    xs = sorted(values)
    if not xs:
        return float("nan")
    pos = (len(xs) - 1) * q / 100
    lo, hi = int(pos), min(int(pos) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def summary_ms(values: Sequence[float]) -> dict[str, float]:
    """p50/p95/max/mean in milliseconds of a list of seconds."""
    return {
        "n": len(values),
        "p50_ms": round(pct(values, 50) * 1000, 2),
        "p95_ms": round(pct(values, 95) * 1000, 2),
        "max_ms": round(max(values) * 1000, 2) if values else float("nan"),
        "mean_ms": round(sum(values) / len(values) * 1000, 2) if values else float("nan"),
    }


# ------------------------------------------------------------------------------ output
def fmt(v: Any, digits: int = 3) -> str:
    if v is None:
        return "n/a"
    if isinstance(v, float):
        return f"{v:.{digits}f}"
    return str(v)


def md_table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(fmt(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def write_results(name: str, data: dict[str, Any], markdown: str) -> tuple[Path, Path]:
    """benchmarks/results/<name>.json and .md (the JSON gets machine facts and a date)."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    data = {
        "benchmark": name,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "git_commit": git_commit(),
        "machine_at_end": machine(),
        **data,
    }
    jpath, mpath = RESULTS / f"{name}.json", RESULTS / f"{name}.md"
    jpath.write_text(json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8")
    m = data["machine_at_end"]
    head = (
        f"# {name}\n\n{data['date']} - commit {data['git_commit']} - {m['cpu']}, "
        f"{m['cores']} cores, {m['ram_gb']} GB RAM - load average at end {m['loadavg']}\n\n"
    )
    mpath.write_text(head + markdown.rstrip() + "\n", encoding="utf-8")
    return jpath, mpath


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def nice(level: int = 10) -> None:
    """Lower this process's priority (long builds share the machine with others)."""
    try:
        os.nice(level)
    except OSError:
        pass


# ------------------------------------------------------------------------------ readout-qa index
def _current(qa: Any, paths: Sequence[Path], sample: int = 25) -> bool:
    """True when a sample of the index's readouts carry the hash the current code computes
    (the content hash includes the pipeline version, so a stale index is detected)."""
    from readout_qa.chunking import content_hash
    from readout_qa.loaders import load_file

    records = qa.store.doc_records()
    files = sorted(f for p in paths for f in p.rglob("*") if f.suffix in {".md", ".txt"})
    step = max(1, len(files) // sample)
    for f in files[::step]:
        for r in load_file(f):
            rec = records.get(r.doc_id)
            if rec is None or rec.content_hash != content_hash(r, qa.settings.chunk_size):
                return False
    return True


def open_index(paths: Sequence[Path], data_dir: str | None = None) -> tuple[Any, dict[str, Any]]:
    """A ``ReadoutQA`` holding exactly the readouts under ``paths``, built by the current code.

    1. ``data_dir`` when given, as is;
    2. the shared eval index, read-only, when it holds exactly these readouts and is current;
    3. else our own index /tmp/bench-index-<key>, brought in line with ``paths`` by
       ``ingest(sync=True)`` (unchanged readouts cost nothing); when it does not exist yet and
       the shared eval index holds the full corpora, that index is copied first (never
       modified), so that only what changed is re-embedded.
    Returns the object and a description of where it came from (for the result JSON).
    """
    from readout_qa import ReadoutQA

    if data_dir:
        qa = ReadoutQA(data_dir=data_dir)
        n = len(qa.store.doc_records())
        log(f"using index {data_dir} ({n} readouts)")
        return qa, {"data_dir": str(data_dir), "readouts": n, "built_now": False}
    expected = count_files(paths)
    if expected == FULL_READOUTS and (EVAL_INDEX / "chroma").is_dir():
        qa = ReadoutQA(data_dir=EVAL_INDEX)
        n = len(qa.store.doc_records())
        if n == expected and _current(qa, paths):
            log(f"reusing the shared eval index {EVAL_INDEX} ({n} readouts, current)")
            return qa, {
                "data_dir": str(EVAL_INDEX),
                "readouts": n,
                "built_now": False,
                "note": "shared eval index, reused read-only",
            }
        log(
            f"shared eval index: {n} readouts, current={n == expected and _current(qa, paths)}: not used as is"
        )
        del qa
    key = hashlib.sha256("|".join(map(str, paths)).encode()).hexdigest()[:10]
    own = Path(f"/tmp/bench-index-{key}")
    info: dict[str, Any] = {"data_dir": str(own)}
    if not (own / "chroma").is_dir() and (EVAL_INDEX / "chroma").is_dir():
        shared = ReadoutQA(data_dir=EVAL_INDEX)
        n = len(shared.store.doc_records())
        del shared
        if n >= expected == FULL_READOUTS:
            log(f"copying the shared eval index {EVAL_INDEX} ({n} readouts) to {own}")
            shutil.copytree(EVAL_INDEX, own, ignore=shutil.ignore_patterns("ingest.lock"))
            info["copied_from"] = f"{EVAL_INDEX} ({n} readouts)"
    qa = ReadoutQA(data_dir=own)
    log(f"syncing {own} with {expected} readout files")
    t = time.perf_counter()
    report = qa.ingest(paths, sync=True)
    info.update(
        readouts=len(qa.store.doc_records()),
        built_now=bool(report.added or report.updated),
        added=len(report.added),
        updated=len(report.updated),
        removed=report.removed,
        sync_seconds=round(time.perf_counter() - t, 1),
    )
    log(f"index ready: {info}")
    return qa, info


def index_stats(qa: Any) -> dict[str, Any]:
    return {"readouts": len(qa.store.doc_records()), "chunks": qa.store.count_chunks()}


# ------------------------------------------------------------------------------ llama-index baseline
def baseline_settings() -> Any:
    """llama-index's global Settings with our MiniLM and no LLM (never OpenAI)."""
    from llama_index.core import Settings
    from llama_index.core.llms import MockLLM

    from readout_qa.config import LOCAL_EMBED_MODEL
    from readout_qa.embeddings import LocalMiniLMEmbedding, get_embedding_model

    model = get_embedding_model(LOCAL_EMBED_MODEL, None, None)
    assert isinstance(model, LocalMiniLMEmbedding)
    Settings.embed_model = model
    Settings.llm = MockLLM()
    return model


def baseline_doc_id(node: Any) -> str:
    """Doc id of a llama-index node: its file name without extension (as readout-qa's)."""
    name = node.metadata.get("file_name") or node.node.ref_doc_id or ""
    return Path(str(name)).stem


def open_baseline(paths: Sequence[Path], rebuild: bool = False) -> tuple[Any, dict[str, Any]]:
    """The plain llama-index pipeline: SimpleDirectoryReader -> VectorStoreIndex on Chroma.

    Built once per corpus into /tmp/bench-llamaindex-<key> (defaults everywhere: default
    file readers, default SentenceSplitter, default batch sizes) and reopened from the same
    Chroma collection afterwards, which is what a user's app does on its next start.
    """
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from llama_index.core import SimpleDirectoryReader, StorageContext, VectorStoreIndex
    from llama_index.vector_stores.chroma import ChromaVectorStore

    baseline_settings()
    stamp = "|".join(f"{p}:{count_files([p])}" for p in paths)
    key = hashlib.sha256(stamp.encode()).hexdigest()[:10]
    where = Path(f"/tmp/bench-llamaindex-{key}")
    done_file = where / "built.json"
    if rebuild and where.exists():
        shutil.rmtree(where)
    client = chromadb.PersistentClient(
        path=str(where / "chroma"), settings=ChromaSettings(anonymized_telemetry=False)
    )
    if done_file.exists():
        info = json.loads(done_file.read_text())
        collection = client.get_collection("baseline", embedding_function=None)
        store = ChromaVectorStore(chroma_collection=collection)
        index = VectorStoreIndex.from_vector_store(store)
        info["built_now"] = False
        log(f"reusing llama-index baseline {where} ({info['nodes']} nodes)")
        return index, info
    try:
        client.delete_collection("baseline")
    except Exception:  # noqa: S110
        pass
    collection = client.create_collection("baseline", embedding_function=None)
    log(f"building llama-index baseline in {where}")
    t0 = time.perf_counter()
    documents = []
    for p in paths:
        documents.extend(SimpleDirectoryReader(str(p)).load_data())
    t_load = time.perf_counter() - t0
    store = ChromaVectorStore(chroma_collection=collection)
    ctx = StorageContext.from_defaults(vector_store=store)
    index = VectorStoreIndex.from_documents(documents, storage_context=ctx)
    info = {
        "data_dir": str(where),
        "documents": len(documents),
        "files": len({Path(d.metadata.get("file_name", "")).stem for d in documents}),
        "nodes": collection.count(),
        "load_seconds": round(t_load, 1),
        "build_seconds": round(time.perf_counter() - t0, 1),
        "loadavg_during_build": [round(x, 2) for x in os.getloadavg()],
    }
    done_file.write_text(json.dumps(info))
    info["built_now"] = True
    log(f"baseline built: {info}")
    return index, info


def clear_query_cache() -> None:
    """Forget what the process memoised about earlier questions: query vectors
    (``LocalMiniLMEmbedding`` caches them) and sentence vectors of answer selection
    (``embeddings._SENTENCE_CACHE``, when present), so each ask costs what a new question does."""
    from readout_qa import embeddings
    from readout_qa.embeddings import LocalMiniLMEmbedding

    LocalMiniLMEmbedding._cached_query.cache_clear()
    cache = getattr(embeddings, "_SENTENCE_CACHE", None)
    if cache is not None:
        cache.clear()
