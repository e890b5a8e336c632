"""Retrieval latency and memory at 10k, 100k and 1M chunks: embedded Chroma, BM25 and both.

Synthetic data (the real corpus has ~6.2k chunks):

* **Vectors**: random unit vectors of dimension 384 (MiniLM's), i.i.d. Gaussian then
  L2-normalised.  Random vectors have no cluster structure, which is a worst case for HNSW
  (build and search) rather than a best case.
* **Chunk texts** (BM25): each synthetic chunk takes as many sentences as a randomly drawn real
  chunk has, each sentence drawn uniformly from the pool of all sentences of the real corpus
  chunks (so word frequencies and chunk lengths follow the real corpus; the vocabulary does not
  grow with size, unlike a real 1M-chunk corpus, so posting lists of rare words are longer than
  they would be: a pessimistic choice for BM25).
* **Metadata**: every 3 consecutive chunks form a synthetic readout that copies the metadata of a
  real readout (title, date, publisher, countries and country flags, leaders...), with its own
  ``doc_id``, ``position``, ``start``, ``end``: the same keys and sizes as real chunks.
  Chroma stores ids, vectors and this metadata; documents are *not* stored in Chroma (with them
  Chroma also keeps a trigram full-text index: disk and build time, not k-NN time).

Steps, for each size (Chroma grows in place, batches of 5,000; everything else is rebuilt):

1. ``chroma``: a fresh process opens the collection and runs 100 random-vector queries for the
   40 nearest (``n_results=40`` with documents, metadata and distances, as ``ChromaStore.query``)
   with and without a date filter; RSS after.
2. ``bm25``: a fresh process builds the project's ``KeywordIndex`` over the synthetic chunk table
   (peak RSS = build peak), runs 100 gold questions through ``KeywordIndex.search`` (k=40)
   with and without the same date filter, and saves the index as ``open_keyword_index`` does.
3. ``hybrid``: a fresh process opens ``ChromaStore`` + loads the saved ``KeywordIndex`` (what an
   app process does at start) and runs the 100 gold questions through the real
   ``HybridRetriever.retrieve`` (query embedding included); its RSS is an app's steady state.

Chroma insertion is budgeted (``--budget-min``, default 30): when the next size cannot be
reached in time, the largest size reached is measured and larger sizes are extrapolated
(clearly labelled) from a power-law fit of the measured points.

Usage: python benchmarks/scale.py [corpus folders...] [--sizes 10000,100000,1000000]
       [--budget-min 30] [--workdir /tmp/bench-scale] [--bm25-mem-limit-gb 10]
Runs niced; plots benchmarks/results/scale.png (matplotlib; not a project dependency).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as C  # noqa: E402

SEED = 20261127
BLOCK = 10_000
CHUNKS_PER_DOC = 3
DIM = 384
COLLECTION = "scale"
DATE_FILTER = {"since": "2023-01-01", "until": "2023-12-31"}
BROAD_FILTER = {"since": "2010-01-01", "until": "2022-12-31"}  # most chunks pass
_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“‘(])")


# ------------------------------------------------------------------------------ synthetic data
class Synth:
    """Deterministic synthetic chunks: chunk i is the same in every process."""

    def __init__(self, workdir: Path, paths: list[Path]) -> None:
        pool_file = workdir / "pool.json"
        if pool_file.exists():
            pool = json.loads(pool_file.read_text())
        else:
            pool = self._make_pool(paths)
            workdir.mkdir(parents=True, exist_ok=True)
            pool_file.write_text(json.dumps(pool))
        self.sentences: list[str] = pool["sentences"]
        self.lengths: list[int] = pool["lengths"]
        self.templates: list[dict] = pool["templates"]

    @staticmethod
    def _make_pool(paths: list[Path]) -> dict[str, Any]:
        from readout_qa.chunking import chunk_readout
        from readout_qa.loaders import load_paths

        C.log("building the sentence pool from the real corpus")
        readouts, _ = load_paths(paths)
        sentences, lengths, templates = [], [], []
        for r in readouts:
            chunks = chunk_readout(r, 160)
            if not chunks:
                continue
            meta = {
                k: v for k, v in chunks[0].metadata.items() if k not in ("start", "end", "position")
            }
            templates.append(meta)
            for c in chunks:
                parts = [s for s in _SENT.split(c.text) if len(s) > 3]
                sentences.extend(parts)
                lengths.append(max(1, len(parts)))
        return {"sentences": sentences, "lengths": lengths, "templates": templates}

    def block(self, b: int) -> tuple[list[str], list[str], list[dict]]:
        import numpy as np

        rng = np.random.default_rng([SEED, b])
        lens = np.asarray(self.lengths)[rng.integers(0, len(self.lengths), BLOCK)]
        picks = rng.integers(0, len(self.sentences), int(lens.sum()))
        ids, texts, metas = [], [], []
        at = 0
        for j in range(BLOCK):
            i = b * BLOCK + j
            d, pos = divmod(i, CHUNKS_PER_DOC)
            text = " ".join(self.sentences[k] for k in picks[at : at + lens[j]])
            at += lens[j]
            doc_id = f"syn{d:07d}"
            tpl = self.templates[(d * 2654435761) % len(self.templates)]
            start = pos * 700
            ids.append(f"{doc_id}::{pos:04d}")
            texts.append(text)
            metas.append(
                {**tpl, "doc_id": doc_id, "position": pos, "start": start, "end": start + len(text)}
            )
        return ids, texts, metas

    @staticmethod
    def vectors(b: int) -> Any:
        import numpy as np

        rng = np.random.default_rng([SEED, b, 1])
        v = rng.standard_normal((BLOCK, DIM), dtype=np.float32)
        return v / np.linalg.norm(v, axis=1, keepdims=True)

    def table(self, n: int) -> tuple[list[str], list[str], list[dict]]:
        ids: list[str] = []
        texts: list[str] = []
        metas: list[dict] = []
        for b in range(math.ceil(n / BLOCK)):
            i, t, m = self.block(b)
            ids += i
            texts += t
            metas += m
        return ids[:n], texts[:n], metas[:n]


def questions(gold: str, n: int = 100) -> list[str]:
    from readout_qa.evals.gold import load_gold

    qs = [g.question for g in load_gold(gold)]
    while len(qs) < n:
        qs += qs
    return qs[:n]


def unnice() -> None:
    """Measure at normal priority: only building runs niced (needs root; else stays niced)."""
    try:
        os.setpriority(os.PRIO_PROCESS, 0, 0)
    except OSError:
        pass


def rss_now() -> float:
    return round(C.rss_mb(), 1)


def smaps_mb() -> dict[str, float]:
    """RSS split: anonymous (this process's own heap) vs file pages (page cache, shareable)."""
    try:
        with open("/proc/self/smaps_rollup") as fh:
            rows = [x.split() for x in fh if x.strip().endswith("kB")]
        return {r[0].rstrip(":"): round(int(r[1]) / 1024, 1) for r in rows}
    except OSError:
        return {}


def private_mb() -> float | None:
    """Private (not shareable) memory: what each extra app process on the machine adds."""
    try:
        with open("/proc/self/smaps_rollup") as fh:
            kb = sum(
                int(x.split()[1]) for x in fh if x.startswith(("Private_Clean", "Private_Dirty"))
            )
        return round(kb / 1024, 1)
    except OSError:
        return None


# ------------------------------------------------------------------------------ workers
def chroma_client(workdir: Path) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    return chromadb.PersistentClient(
        path=str(workdir / "chroma"), settings=ChromaSettings(anonymized_telemetry=False)
    )


def worker_chroma(args: argparse.Namespace) -> dict[str, Any]:
    import numpy as np

    from readout_qa.filtering import to_where
    from readout_qa.models import Filters

    workdir = Path(args.workdir)
    unnice()
    rss0 = rss_now()
    t = time.perf_counter()
    col = chroma_client(workdir).get_collection(f"{COLLECTION}_chunks", embedding_function=None)
    n = col.count()
    rng = np.random.default_rng([SEED, 999])
    qv = rng.standard_normal((args.queries + 5, DIM), dtype=np.float32)
    qv /= np.linalg.norm(qv, axis=1, keepdims=True)
    col.query(
        query_embeddings=[qv[0]], n_results=40, include=["documents", "metadatas", "distances"]
    )
    open_s = time.perf_counter() - t
    for v in qv[1:5]:
        col.query(
            query_embeddings=[v], n_results=40, include=["documents", "metadatas", "distances"]
        )
    lat, full_lat, count_lat, flat = [], [], [], []
    where = to_where(Filters(**DATE_FILTER))
    for v in qv[5:]:
        t = time.perf_counter()
        col.count()  # what ChromaStore.query used to do before every query
        count_lat.append(time.perf_counter() - t)
        t = time.perf_counter()  # ids + distances: what ChromaStore.query fetches
        col.query(query_embeddings=[v], n_results=40, include=["distances"])
        lat.append(time.perf_counter() - t)
        t = time.perf_counter()  # ... and with texts and metadata, as it used to
        col.query(
            query_embeddings=[v], n_results=40, include=["documents", "metadatas", "distances"]
        )
        full_lat.append(time.perf_counter() - t)
    for v in qv[5 : 5 + args.filtered_queries]:
        t = time.perf_counter()
        col.query(query_embeddings=[v], n_results=40, where=where, include=["distances"])
        flat.append(time.perf_counter() - t)
    return {
        "n": n,
        "open_and_first_query_s": round(open_s, 2),
        "query": C.summary_ms(lat),
        "query_with_documents_metadatas": C.summary_ms(full_lat),
        "count": C.summary_ms(count_lat),
        "query_date_filtered": C.summary_ms(flat),
        "rss_mb_before_open": rss0,
        "rss_mb": rss_now(),
        "peak_rss_mb": round(C.peak_rss_mb(), 1),
        "loadavg": [round(x, 2) for x in os.getloadavg()],
    }


def worker_bm25(args: argparse.Namespace) -> dict[str, Any]:
    from readout_qa.filtering import to_where
    from readout_qa.keyword_index import KeywordIndex
    from readout_qa.models import Filters

    workdir = Path(args.workdir)
    synth = Synth(workdir, [])
    t = time.perf_counter()
    ids, texts, metas = synth.table(args.size)
    gen_s = time.perf_counter() - t
    rss_table = rss_now()
    t = time.perf_counter()
    index = KeywordIndex(ids, texts, metas, generation=1)
    build_s = time.perf_counter() - t
    rss_built = rss_now()
    peak_build = round(C.peak_rss_mb(), 1)
    unnice()
    qs = questions(args.gold, args.queries)
    for q in qs[:5]:
        index.search(q, 40)
    lat, flat, mask_lat = [], [], []
    for q in qs:
        t = time.perf_counter()
        index.search(q, 40)
        lat.append(time.perf_counter() - t)
    where = to_where(Filters(**DATE_FILTER))
    for q in qs[: args.filtered_queries]:
        t = time.perf_counter()
        mask = index.filter_mask(where)
        mask_lat.append(time.perf_counter() - t)
        index.search(q, 40, mask)
        flat.append(time.perf_counter() - t)
    out = {
        "n": args.size,
        "generate_s": round(gen_s, 1),
        "build_s": round(build_s, 1),
        "query": C.summary_ms(lat),
        "query_date_filtered": C.summary_ms(flat),
        "filter_mask_only": C.summary_ms(mask_lat),
        "rss_mb_table_only": rss_table,
        "rss_mb_built": rss_built,
        "peak_rss_mb_build": peak_build,
        "loadavg": [round(x, 2) for x in os.getloadavg()],
    }
    if args.save:
        # The stored vectors too, in table order, as an app's index keeps them for exact
        # dense search (the same vectors as the Chroma collection).
        import numpy as np

        blocks = [synth.vectors(b) for b in range(math.ceil(args.size / BLOCK))]
        index.vectors = np.concatenate(blocks)[: args.size]
        del blocks
        t = time.perf_counter()
        index.save(Path(args.save))
        out["save_s"] = round(time.perf_counter() - t, 1)
        out["saved_mb"] = round(sum(f.stat().st_size for f in Path(args.save).iterdir()) / 2**20, 1)
    return out


def worker_hybrid(args: argparse.Namespace) -> dict[str, Any]:
    from readout_qa.config import Settings
    from readout_qa.embeddings import embedding_for
    from readout_qa.keyword_index import KeywordIndex
    from readout_qa.models import Filters
    from readout_qa.retrieval import HybridRetriever
    from readout_qa.store import ChromaStore

    workdir = Path(args.workdir)
    settings = Settings(data_dir=workdir, collection=COLLECTION, chroma_url=args.chroma_url or None)
    unnice()
    rss0 = rss_now()
    t = time.perf_counter()
    model = embedding_for(settings)
    store = ChromaStore(settings, settings.embed_model, None)
    t_kw = time.perf_counter()
    keyword = KeywordIndex.load(Path(args.load))
    load_kw_s = time.perf_counter() - t_kw
    assert keyword is not None, "saved keyword index unreadable"
    retriever = HybridRetriever(store, keyword, model)
    start_s = time.perf_counter() - t
    rss_loaded = rss_now()
    qs = questions(args.gold, args.queries)
    t = time.perf_counter()
    retriever.retrieve(qs[0], None, 8)  # embedded Chroma loads its HNSW index here
    first_query_s = time.perf_counter() - t
    for q in qs[1:5]:
        retriever.retrieve(q, None, 8)
    C.clear_query_cache()
    parts: dict[str, list[float]] = {k: [] for k in ("total", "embed", "dense", "keyword", "fuse")}
    for q in qs:
        t = time.perf_counter()
        r = retriever.retrieve(q, None, 8)
        parts["total"].append(time.perf_counter() - t)
        for k in ("embed", "dense", "keyword", "fuse"):
            parts[k].append(r.timings.get(k, 0.0))
    C.clear_query_cache()
    flat = []
    for q in qs[: args.filtered_queries]:
        t = time.perf_counter()
        retriever.retrieve(q, Filters(**DATE_FILTER), 8)
        flat.append(time.perf_counter() - t)
    # The path an index above ``exact_search_limit`` takes (HNSW; a filter by its
    # selectivity: exact over its rows, or over-fetch + mask), forced at this size too.
    from readout_qa.config import RetrievalConfig
    from readout_qa.filtering import to_where

    large = HybridRetriever(store, keyword, model, RetrievalConfig(exact_search_limit=0))
    large_path: dict[str, Any] = {}
    for label, filt in (("date_filtered", DATE_FILTER), ("broad_filtered", BROAD_FILTER)):
        mask = keyword.filter_mask(to_where(Filters(**filt)))
        C.clear_query_cache()
        times, dense = [], []
        for q in qs[: args.filtered_queries]:
            t = time.perf_counter()
            r = large.retrieve(q, Filters(**filt), 8)
            times.append(time.perf_counter() - t)
            dense.append(r.timings.get("dense", 0.0))
        large_path[label] = {
            "filter": filt,
            "share_of_chunks": round(float(mask.mean()), 4) if mask is not None else 1.0,
            "retrieve": C.summary_ms(times),
            "dense": C.summary_ms(dense),
        }
    C.clear_query_cache()
    times = []
    for q in qs[: args.filtered_queries]:
        t = time.perf_counter()
        large.retrieve(q, None, 8)
        times.append(time.perf_counter() - t)
    large_path["unfiltered"] = {"retrieve": C.summary_ms(times)}
    return {
        "large_index_path": large_path,
        "n": len(keyword.ids),
        "chroma_n": store.count_chunks(),
        "startup_s": round(start_s, 2),
        "first_query_s": round(first_query_s, 2),
        "chroma_url": args.chroma_url or None,
        "rss_mb_private": private_mb(),
        "smaps_mb": smaps_mb(),
        "keyword_load_s": round(load_kw_s, 1),
        "retrieve": {k: C.summary_ms(v) for k, v in parts.items()},
        "retrieve_date_filtered": C.summary_ms(flat),
        "rss_mb_before": rss0,
        "rss_mb_loaded": rss_loaded,
        "rss_mb_after_queries": rss_now(),
        "peak_rss_mb": round(C.peak_rss_mb(), 1),
        "loadavg": [round(x, 2) for x in os.getloadavg()],
    }


def run_worker(kind: str, args: argparse.Namespace, **extra: Any) -> dict[str, Any]:
    cmd = [
        sys.executable,
        __file__,
        "--worker",
        kind,
        "--workdir",
        args.workdir,
        "--gold",
        args.gold,
        "--queries",
        str(args.queries),
        "--filtered-queries",
        str(extra.pop("filtered", args.filtered_queries)),
    ]
    for k, v in extra.items():
        cmd += [f"--{k}", str(v)]
    C.log(f"worker {kind} {extra}")
    t = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        C.log(f"worker {kind} failed ({done.returncode}): {done.stderr[-2000:]}")
        return {"error": done.stderr[-2000:], "returncode": done.returncode}
    res = json.loads(done.stdout.strip().splitlines()[-1])
    res["worker_wall_s"] = round(time.perf_counter() - t, 1)
    res["git_commit"] = C.git_commit()
    res["workdir"] = args.workdir
    C.log(f"worker {kind}: {json.dumps(res)[:400]}")
    return res


def with_chroma_server(workdir: Path, args: argparse.Namespace, **extra: Any) -> dict[str, Any]:
    """The same app-like worker against a ``chroma run`` server on the same collection.

    This is the deployment the README recommends past a few hundred thousand chunks: the HNSW
    index lives in the server process, once per machine, not in every app process.
    """
    import socket
    import urllib.request

    chroma = Path(sys.executable).with_name("chroma")
    if not chroma.exists():
        return {"error": f"no chroma CLI at {chroma}"}
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, ANONYMIZED_TELEMETRY="False")
    proc = subprocess.Popen(
        [
            str(chroma),
            "run",
            "--path",
            str(workdir / "chroma"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        t0 = time.monotonic()
        while time.monotonic() - t0 < 300:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=2)
                break
            except Exception:  # noqa: BLE001 - not up yet
                time.sleep(0.5)
        res = run_worker("hybrid", args, **extra, **{"chroma-url": f"http://127.0.0.1:{port}"})
        try:
            with open(f"/proc/{proc.pid}/status") as fh:
                res["server_rss_mb"] = round(
                    int(next(x for x in fh if x.startswith("VmRSS")).split()[1]) / 1024, 1
                )
        except OSError:
            pass
        return res
    finally:
        proc.terminate()
        proc.wait(timeout=60)


# ------------------------------------------------------------------------------ orchestration
def grow_chroma(workdir: Path, synth: Synth, target: int, deadline: float, log: list) -> int:
    """Insert synthetic chunks until the collection holds ``target`` (or the deadline)."""
    from readout_qa.config import LOCAL_EMBED_MODEL

    client = chroma_client(workdir)
    col = client.get_or_create_collection(
        f"{COLLECTION}_chunks",
        embedding_function=None,
        metadata={"hnsw:space": "cosine", "embed_model": LOCAL_EMBED_MODEL},
    )
    client.get_or_create_collection(
        f"{COLLECTION}_docs", embedding_function=None, metadata={"kind": "docs"}
    )
    n = col.count()
    half = BLOCK // 2
    while n < target:
        if time.monotonic() > deadline:
            C.log(f"chroma: insertion budget exhausted at {n} chunks")
            break
        b, off = divmod(n, BLOCK)
        ids, _texts, metas = synth.block(b)
        vecs = synth.vectors(b)
        hi = min(off + half, BLOCK, off + (target - n))
        t = time.perf_counter()
        col.add(ids=ids[off:hi], embeddings=vecs[off:hi], metadatas=metas[off:hi])
        dt = time.perf_counter() - t
        n += hi - off
        log.append(
            {
                "n": n,
                "batch": hi - off,
                "seconds": round(dt, 2),
                "per_s": round((hi - off) / dt, 1),
                "loadavg1": round(os.getloadavg()[0], 2),
            }
        )
        if n % 50_000 == 0 or n == target:
            rate = sum(x["batch"] for x in log[-10:]) / sum(x["seconds"] for x in log[-10:])
            C.log(f"chroma: {n} chunks ({rate:.0f}/s over the last batches)")
    return n


def fit_power(xs: list[float], ys: list[float]) -> tuple[float, float] | None:
    """y = a * x^b fitted in log-log space (None with fewer than 2 positive points)."""
    pts = [(math.log(x), math.log(y)) for x, y in zip(xs, ys, strict=True) if x > 0 and y and y > 0]
    if len(pts) < 2:
        return None
    mx = sum(p[0] for p in pts) / len(pts)
    my = sum(p[1] for p in pts) / len(pts)
    sxx = sum((p[0] - mx) ** 2 for p in pts)
    b = sum((p[0] - mx) * (p[1] - my) for p in pts) / sxx if sxx else 0.0
    return math.exp(my - b * mx), b


COLORS = {
    "chroma": "tab:blue",
    "bm25": "tab:orange",
    "hybrid": "tab:green",
    "hybrid_server": "tab:purple",
}


def plot(results: dict[str, Any], path: Path) -> bool:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        C.log("matplotlib is not installed: no plot (pip install matplotlib)")
        return False
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.6))
    series = [
        ("Chroma query p95", "chroma", lambda r: r["query"]["p95_ms"], "o-"),
        ("Chroma query p50", "chroma", lambda r: r["query"]["p50_ms"], "o--"),
        ("Chroma date-filtered p95", "chroma", lambda r: r["query_date_filtered"]["p95_ms"], "o:"),
        ("BM25 search p95", "bm25", lambda r: r["query"]["p95_ms"], "s-"),
        ("BM25 search p50", "bm25", lambda r: r["query"]["p50_ms"], "s--"),
        ("BM25 date-filtered p95", "bm25", lambda r: r["query_date_filtered"]["p95_ms"], "s:"),
        ("HybridRetriever p95", "hybrid", lambda r: r["retrieve"]["total"]["p95_ms"], "^-"),
        (
            "HybridRetriever date-filtered p95",
            "hybrid",
            lambda r: r["retrieve_date_filtered"]["p95_ms"],
            "^:",
        ),
        (
            "HybridRetriever p95, Chroma server",
            "hybrid_server",
            lambda r: r["retrieve"]["total"]["p95_ms"],
            "v-",
        ),
        (
            "HybridRetriever date-filtered p95, Chroma server",
            "hybrid_server",
            lambda r: r["retrieve_date_filtered"]["p95_ms"],
            "v:",
        ),
    ]
    ax = axes[0]
    for label, key, get, style in series:
        pts = [(r["n"], get(r)) for r in results.get(key, []) if "error" not in r and get(r)]
        if pts:
            ax.plot(*zip(*pts, strict=True), style, label=label, color=COLORS[key])
    for key, get, label in (
        ("chroma", lambda r: r["query"]["p95_ms"], "Chroma p95 (extrapolated)"),
        ("hybrid", lambda r: r["retrieve"]["total"]["p95_ms"], "Hybrid p95 (extrapolated)"),
    ):
        ex = results.get("extrapolated", {}).get(key)
        if ex:
            last = [r for r in results[key] if "error" not in r][-1]
            ax.plot(
                [last["n"], ex["n"]], [get(last), ex["p95_ms"]], "x:", color="grey", label=label
            )
    ax.axhline(100, color="red", lw=0.8, ls="--", label="target: 100 ms")
    ax.set(
        xscale="log",
        yscale="log",
        xlabel="chunks",
        ylabel="ms",
        title="Retrieval latency (100 queries)",
    )
    ax.legend(fontsize=7)
    ax = axes[1]
    mem = [
        ("Chroma process RSS", "chroma", lambda r: r["rss_mb"], "o-"),
        ("BM25 build peak RSS", "bm25", lambda r: r["peak_rss_mb_build"], "s-"),
        ("BM25 index RSS (built)", "bm25", lambda r: r["rss_mb_built"], "s--"),
        (
            "App-like process RSS (Chroma + BM25 + model)",
            "hybrid",
            lambda r: r["rss_mb_after_queries"],
            "^-",
        ),
        ("App-like process peak RSS", "hybrid", lambda r: r["peak_rss_mb"], "^:"),
        (
            "App-like process RSS, Chroma server",
            "hybrid_server",
            lambda r: r["rss_mb_after_queries"],
            "v-",
        ),
        (
            "App-like process private MB, Chroma server",
            "hybrid_server",
            lambda r: r.get("rss_mb_private"),
            "v:",
        ),
        ("Chroma server RSS", "hybrid_server", lambda r: r.get("server_rss_mb"), "v--"),
    ]
    for label, key, get, style in mem:
        pts = [(r["n"], get(r)) for r in results.get(key, []) if "error" not in r and get(r)]
        if pts:
            ax.plot(*zip(*pts, strict=True), style, label=label, color=COLORS[key])
    ax.set(xscale="log", yscale="log", xlabel="chunks", ylabel="MB", title="Memory (RSS)")
    ax.legend(fontsize=7)
    fig.suptitle(
        "readout-qa retrieval at scale (synthetic: random 384-d vectors, sampled real sentences)",
        fontsize=9,
    )
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    return True


def orchestrate(args: argparse.Namespace) -> None:
    paths = C.corpus_paths(args)
    workdir = Path(args.workdir)
    if args.fresh and workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    synth = Synth(workdir, paths)
    load_start = [round(x, 2) for x in os.getloadavg()]
    C.log(
        f"sentence pool: {len(synth.sentences)} sentences, {len(synth.templates)} readout templates"
    )
    deadline = time.monotonic() + args.budget_min * 60
    results: dict[str, Any] = {
        "chroma": [],
        "bm25": [],
        "hybrid": [],
        "insert_log": [],
        "skipped": [],
    }
    have = 0
    if (workdir / "chroma").is_dir():
        try:
            have = (
                chroma_client(workdir)
                .get_collection(f"{COLLECTION}_chunks", embedding_function=None)
                .count()
            )
        except Exception:  # noqa: S110 - no collection yet
            have = 0
    prev_file = C.RESULTS / "scale.json"
    if have and prev_file.exists():
        # Resuming a run that stopped on its budget: keep what was measured below the current size.
        prev = json.loads(prev_file.read_text())
        if prev.get("workdir") == str(workdir):
            for key in ("chroma", "bm25", "hybrid"):
                to_measure = {x for x in sizes if x >= have}
                results[key] = [
                    r
                    for r in prev.get(key, [])
                    if "error" not in r and r["n"] <= have and r["n"] not in to_measure
                ]
            results["insert_log"] = [x for x in prev.get("insert_log", []) if x["n"] <= have]
            results["resumed_from"] = {"chunks": have, "previous_date": prev.get("date")}
            C.log(f"resuming at {have} chunks; kept {len(results['chroma'])} earlier measurements")
    t_start = time.perf_counter()
    for size in sizes:
        if size < have:
            continue
        t = time.perf_counter()
        reached = grow_chroma(workdir, synth, size, deadline, results["insert_log"])
        ins_s = time.perf_counter() - t
        if reached < size:
            results["skipped"].append(
                {
                    "size": size,
                    "reason": f"Chroma insertion budget ({args.budget_min} min) "
                    f"exhausted at {reached} chunks",
                }
            )
            if reached > (results["chroma"][-1]["n"] if results["chroma"] else 0):
                size = reached  # measure the largest size reached
            else:
                break
        filtered = args.filtered_queries if size <= 100_000 else max(10, args.filtered_queries // 5)
        res = run_worker("chroma", args, filtered=filtered)
        res["insert_s_this_step"] = round(ins_s, 1)
        results["chroma"].append(res)
        # BM25 memory guard: extrapolate the build peak linearly from the previous size.
        prev = [r for r in results["bm25"] if "error" not in r]
        if prev:
            projected = prev[-1]["peak_rss_mb_build"] * size / prev[-1]["n"]
            if projected > args.bm25_mem_limit_gb * 1024:
                results["skipped"].append(
                    {
                        "size": size,
                        "reason": f"BM25 build projected at {projected:.0f} MB "
                        f"> limit {args.bm25_mem_limit_gb} GB",
                    }
                )
                continue
        saved = workdir / f"bm25-{size}"
        res = run_worker("bm25", args, size=size, save=saved, filtered=filtered)
        results["bm25"].append(res)
        if "error" not in res:
            results["hybrid"].append(run_worker("hybrid", args, load=saved, filtered=filtered))
            results.setdefault("hybrid_server", []).append(
                with_chroma_server(workdir, args, load=saved, filtered=filtered)
            )
        shutil.rmtree(saved, ignore_errors=True)
        if reached < sizes[-1] and time.monotonic() > deadline:
            break
    results["total_s"] = round(time.perf_counter() - t_start, 1)
    if args.merge and prev_file.exists():
        # Keep the earlier run's measurements at sizes this run did not measure (each entry
        # carries its commit and workdir); --drop-sizes removes superseded ones.
        prev = json.loads(prev_file.read_text())
        drop = {int(x) for x in args.drop_sizes.split(",") if x}
        for key in ("chroma", "bm25", "hybrid"):
            mine = {r["n"] for r in results[key] if "error" not in r}
            kept = [
                r
                for r in prev.get(key, [])
                if "error" not in r and r["n"] not in mine and r["n"] not in drop
            ]
            results[key] = sorted(kept + results[key], key=lambda r: r.get("n", 0))
        results["insert_log"] = (
            prev.get("insert_log", [])
            if len(prev.get("insert_log", [])) > len(results["insert_log"])
            else results["insert_log"]
        )
        results["merged_with"] = {"date": prev.get("date"), "dropped": sorted(drop)}
        sizes = sorted(set(sizes) | {r["n"] for r in results["chroma"]})

    finish(results, sizes, args, load_start, workdir)


def finish(
    results: dict[str, Any],
    sizes: list[int],
    args: argparse.Namespace,
    load_start: Any,
    workdir: Path,
) -> None:
    """Extrapolate where needed, print and save the table, plot."""
    # --- extrapolation to the largest requested size --------------------------------------
    target = sizes[-1]
    extrap: dict[str, Any] = {}
    for key, get_p95, get_rss in (
        ("chroma", lambda r: r["query"]["p95_ms"], lambda r: r["rss_mb"]),
        ("bm25", lambda r: r["query"]["p95_ms"], lambda r: r["peak_rss_mb_build"]),
        ("hybrid", lambda r: r["retrieve"]["total"]["p95_ms"], lambda r: r["rss_mb_after_queries"]),
    ):
        ok = [r for r in results[key] if "error" not in r]
        if ok and ok[-1]["n"] < target and len(ok) >= 2:
            xs = [r["n"] for r in ok]
            f_lat, f_mem = (
                fit_power(xs, [get_p95(r) for r in ok]),
                fit_power(xs, [get_rss(r) for r in ok]),
            )
            extrap[key] = {
                "n": target,
                "p95_ms": round(f_lat[0] * target ** f_lat[1], 1) if f_lat else None,
                "rss_mb": round(f_mem[0] * target ** f_mem[1], 0) if f_mem else None,
                "fit": f"power law through {xs}",
                "label": "EXTRAPOLATED, not measured",
            }
    if results["insert_log"]:
        tail = results["insert_log"][-20:]
        rate = sum(x["batch"] for x in tail) / sum(x["seconds"] for x in tail)
        reached = results["insert_log"][-1]["n"]
        if reached < target:
            extrap["chroma_insert"] = {
                "rate_per_s_at_end": round(rate, 1),
                "minutes_to_reach_target_at_that_rate": round((target - reached) / rate / 60, 1),
                "label": "EXTRAPOLATED, not measured",
            }
    results["extrapolated"] = extrap

    # --- report ---------------------------------------------------------------------------
    rows = []
    by_n = {}
    for key in ("chroma", "bm25", "hybrid"):
        for r in results[key]:
            if "error" not in r:
                by_n.setdefault(r["n"], {})[key] = r
    for n in sorted(by_n):
        c, b, h = by_n[n].get("chroma"), by_n[n].get("bm25"), by_n[n].get("hybrid")
        rows.append(
            [
                f"{n:,}",
                c and c["query"]["p50_ms"],
                c and c["query"]["p95_ms"],
                c and (c.get("query_with_documents_metadatas") or {}).get("p95_ms"),
                c and c["count"]["p50_ms"],
                c and c["query_date_filtered"]["p95_ms"],
                c and c["rss_mb"],
                b and b["query"]["p50_ms"],
                b and b["query"]["p95_ms"],
                b and b["query_date_filtered"]["p95_ms"],
                b and b["build_s"],
                b and b["peak_rss_mb_build"],
                h and h["retrieve"]["total"]["p50_ms"],
                h and h["retrieve"]["total"]["p95_ms"],
                h and h["startup_s"],
                h and h["rss_mb_after_queries"],
            ]
        )
    for key, e in extrap.items():
        if key == "chroma_insert":
            continue
        row: list[Any] = [f"{e['n']:,} (EXTRAPOLATED)"] + [None] * 15
        if key == "chroma":
            row[2], row[6] = e["p95_ms"], e["rss_mb"]
        elif key == "bm25":
            row[8], row[11] = e["p95_ms"], e["rss_mb"]
        else:
            row[13], row[15] = e["p95_ms"], e["rss_mb"]
        rows.append(row)
    header = [
        "chunks",
        "Chroma p50",
        "Chroma p95",
        "Chroma p95 +texts+metadata",
        "Chroma count() p50",
        "Chroma p95 filtered",
        "Chroma RSS MB",
        "BM25 p50",
        "BM25 p95",
        "BM25 p95 filtered",
        "BM25 build s",
        "BM25 build peak MB",
        "hybrid p50",
        "hybrid p95",
        "app start s",
        "app RSS MB",
    ]
    ins = results["insert_log"]
    md = [
        "Latencies in ms over 100 queries (filtered: date range 2023, fewer queries above 100k); "
        "Chroma: random unit vectors (dim 384), n_results=40, ids+distances (as `ChromaStore.query`), "
        "also with texts+metadata and `count()` (what `ChromaStore.query` did before commit 55712e0); BM25: `KeywordIndex.search` k=40 on "
        "synthetic chunks of sampled real sentences; hybrid: the real `HybridRetriever.retrieve` "
        "(query embedding, Chroma, BM25, fusion) with the gold questions. RSS of fresh processes. "
        f"Load average at start {load_start}.\n",
        C.md_table(header, rows),
        "",
        f"Chroma insertion: {ins[-1]['n'] if ins else 0:,} chunks; last batches "
        f"{ins[-1]['per_s'] if ins else 'n/a'} chunks/s."
        if ins
        else "",
    ]
    for s in results["skipped"]:
        md.append(f"- skipped {s['size']:,}: {s['reason']}")
    for key, e in extrap.items():
        md.append(f"- {key}: {json.dumps(e)}")
    md += app_table(results)
    if plot(results, C.RESULTS / "scale.png"):
        md.append("\n![scale](scale.png)")
    text = "\n".join(md)
    print(text)
    C.write_results(
        "scale",
        {
            "sizes": sizes,
            "budget_min": args.budget_min,
            "loadavg_at_start": load_start,
            "workdir": str(workdir),
            "synthetic": __doc__.split("Steps")[0].strip(),
            **results,
        },
        text,
    )


def app_table(results: dict[str, Any]) -> list[str]:
    """The app-like process per size and Chroma mode: start, first query, latency, memory."""
    rows = []
    for mode, key in (("embedded", "hybrid"), ("server", "hybrid_server")):
        for r in results.get(key, []):
            if "error" in r:
                continue
            lp = r.get("large_index_path", {})
            rows.append(
                [
                    f"{r['n']:,}",
                    mode,
                    r.get("startup_s"),
                    r.get("first_query_s"),
                    f"{r['retrieve']['total']['p50_ms']} / {r['retrieve']['total']['p95_ms']}",
                    f"{r['retrieve_date_filtered']['p50_ms']} / {r['retrieve_date_filtered']['p95_ms']}",
                    (lp.get("broad_filtered") or {}).get("retrieve", {}).get("p95_ms"),
                    r["rss_mb_after_queries"],
                    r.get("rss_mb_private"),
                    r.get("server_rss_mb"),
                ]
            )
    if not rows:
        return []
    rows.sort(key=lambda x: (int(x[0].replace(",", "")), x[1]))
    header = [
        "chunks",
        "Chroma",
        "app start s",
        "first query s",
        "retrieve p50 / p95 ms",
        "retrieve, 2023 filter (~20 %), p50 / p95 ms",
        "retrieve p95, 2010-2022 filter (~60 %), large-index path",
        "app RSS MB",
        "app private MB",
        "Chroma server RSS MB",
    ]
    return [
        "",
        "App-like process (`HybridRetriever` over the real model, Chroma and the keyword index) "
        "with embedded Chroma and with a `chroma run` server on the same collection; the filtered "
        "columns are the app's own path at that size (exact numpy up to `exact_search_limit`, "
        "the filter mask over HNSW above it).",
        "",
        C.md_table(header, rows),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    C.corpus_args(parser)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--budget-min", type=float, default=30.0, help="Chroma insertion budget")
    parser.add_argument("--workdir", default="/tmp/bench-scale")
    parser.add_argument("--fresh", action="store_true", help="drop the workdir first")
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--filtered-queries", type=int, default=50)
    parser.add_argument("--bm25-mem-limit-gb", type=float, default=10.0)
    parser.add_argument("--nice", type=int, default=10)
    parser.add_argument(
        "--render-only", action="store_true", help="redo table and plot from results/scale.json"
    )
    parser.add_argument(
        "--remeasure-chroma",
        default="",
        help="with --render-only: workdirs whose Chroma collection to measure again",
    )
    parser.add_argument(
        "--merge",
        action="store_true",
        help="keep the previous results/scale.json entries at other sizes",
    )
    parser.add_argument("--drop-sizes", default="", help="with --merge: sizes to drop, e.g. 830000")
    parser.add_argument("--worker", choices=["chroma", "bm25", "hybrid"], help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--save", help=argparse.SUPPRESS)
    parser.add_argument("--load", help=argparse.SUPPRESS)
    parser.add_argument("--chroma-url", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.render_only:
        prev = json.loads((C.RESULTS / "scale.json").read_text())
        results = {
            k: prev.get(k, [])
            for k in ("chroma", "bm25", "hybrid", "hybrid_server", "insert_log", "skipped")
        }
        for wd in filter(None, args.remeasure_chroma.split(",")):
            args.workdir = wd
            res = run_worker(
                "chroma", args, filtered=args.filtered_queries if "small" in wd else 10
            )
            results["chroma"] = sorted(
                [r for r in results["chroma"] if r["n"] != res["n"]] + [res], key=lambda r: r["n"]
            )
        for k in ("merged_with", "resumed_from", "total_s"):
            if k in prev:
                results[k] = prev[k]
        finish(results, prev["sizes"], args, prev.get("loadavg_at_start"), Path(prev["workdir"]))
        return
    if args.worker:
        fn = {"chroma": worker_chroma, "bm25": worker_bm25, "hybrid": worker_hybrid}[args.worker]
        print(json.dumps(fn(args)))
        return
    C.nice(args.nice)
    orchestrate(args)


if __name__ == "__main__":
    main()
