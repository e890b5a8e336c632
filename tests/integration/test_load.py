"""Bounded concurrency: many ``ask`` threads while another thread ingests, one ``ReadoutQA``.

Embedded Chroma, the seed readout plus small generated readouts. The counts are
fixed (8 threads x 10 questions, 20 readouts ingested meanwhile) and every join
has a timeout, so the test cannot run away on a slow machine.
"""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

from conftest import SEED

from readout_qa import ReadoutQA

THREADS = 8
ASKS = 10
BASE = 30
EXTRA = 20
EXTRA_BATCHES = 4  # separate ingests, so the keyword index is swapped several times
JOIN_TIMEOUT = 120.0

COUNTRIES = [
    ("Iceland", "Katrin", "geothermal energy"),
    ("Norway", "Jonas", "offshore wind"),
    ("Chile", "Gabriel", "lithium mining"),
    ("Kenya", "William", "drought resilience"),
    ("Japan", "Fumio", "semiconductor supply chains"),
    ("Ghana", "Nana", "cocoa farming"),
    ("Portugal", "Antonio", "ocean research"),
    ("Vietnam", "Pham", "rice exports"),
    ("Canada", "Justin", "critical minerals"),
    ("Peru", "Dina", "copper smelting"),
]
QUESTIONS = [
    "What fields did Li Keqiang highlight with Belgium?",
    "What did the leaders of Iceland discuss about geothermal energy?",
    "What did the President and Norway agree on offshore wind?",
    "Which cooperation on lithium mining was discussed with Chile?",
    "What did Kenya and the United States say about drought resilience?",
    "What was agreed with Japan on semiconductor supply chains?",
    "What did the call with Ghana cover?",
    "Who met the Prime Minister of Portugal about ocean research?",
    "What did Canada say about critical minerals?",
    "What did Peru and the President discuss?",
]


def _readout(folder: Path, i: int) -> Path:
    country, leader, topic = COUNTRIES[i % len(COUNTRIES)]
    path = folder / f"gen_{i:03d}.md"
    path.write_text(
        f'---\ntitle: "Readout of the call with {leader} of {country}, number {i}"\n'
        f"date: 2023-{1 + i % 12:02d}-{1 + i % 27:02d}\nsource: https://example.org/gen/{i}\n"
        'publisher: "Test Office"\n---\n\n'
        f"The President spoke with {leader} of {country} (call {i}). The leaders agreed to "
        f"expand cooperation on {topic} and to set up a working group on {topic} by the end "
        f"of the year. They discussed trade, climate finance and regional security, and "
        f"{leader} invited the President to visit {country} in the spring of {2024 + i % 5}.\n",
        encoding="utf-8",
    )
    return path


def test_concurrent_asks_during_ingest(tmp_path):
    base = tmp_path / "base"
    base.mkdir()
    shutil.copy(SEED, base / SEED.name)
    for i in range(BASE):
        _readout(base, i)
    extra_dirs = []
    for b in range(EXTRA_BATCHES):
        folder = tmp_path / f"extra{b}"
        folder.mkdir()
        for i in range(BASE + b * EXTRA // EXTRA_BATCHES, BASE + (b + 1) * EXTRA // EXTRA_BATCHES):
            _readout(folder, i)
        extra_dirs.append(folder)

    t_setup = time.perf_counter()
    qa = ReadoutQA(data_dir=tmp_path / "data", answerer="extractive")
    first = qa.ingest([base])
    assert first.ok and len(first.added) == BASE + 1, first
    qa.ask(QUESTIONS[0])  # warm up the model and the keyword index
    t_setup = time.perf_counter() - t_setup

    errors: list[BaseException] = []
    latencies: list[float] = []
    cited: set[str] = set()
    lock = threading.Lock()
    start = threading.Barrier(THREADS + 1, timeout=JOIN_TIMEOUT)
    ingested: list[str] = []

    def asker(n: int) -> None:
        try:
            start.wait()
            for j in range(ASKS):
                t = time.perf_counter()
                answer = qa.ask(QUESTIONS[(n + j) % len(QUESTIONS)])
                dt = time.perf_counter() - t
                for c in answer.citations:
                    body, _meta = qa.readout(c.doc_id)
                    assert c.quote == body[c.start : c.end], c
                with lock:
                    latencies.append(dt)
                    cited.update(c.doc_id for c in answer.citations)
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            with lock:
                errors.append(exc)

    def ingester() -> None:
        try:
            start.wait()
            for folder in extra_dirs:
                report = qa.ingest([folder])
                assert report.ok, report.failed
                ingested.extend(report.added)
        except BaseException as exc:  # noqa: BLE001
            with lock:
                errors.append(exc)

    threads = [threading.Thread(target=asker, args=(n,), daemon=True) for n in range(THREADS)]
    threads.append(threading.Thread(target=ingester, daemon=True))
    t0 = time.perf_counter()
    for th in threads:
        th.start()
    deadline = t0 + JOIN_TIMEOUT
    for th in threads:
        th.join(max(0.1, deadline - time.perf_counter()))
    wall = time.perf_counter() - t0
    assert not any(th.is_alive() for th in threads), "a worker did not finish in time"
    assert not errors, [repr(e) for e in errors]
    assert len(latencies) == THREADS * ASKS
    assert len(ingested) == EXTRA

    records = qa.store.doc_records()
    assert len(records) == BASE + 1 + EXTRA
    assert cited <= set(records), cited - set(records)
    stored = qa.store.chunk_doc_ids()
    assert stored == {d: r.n_chunks for d, r in records.items()}
    assert qa.store.count_chunks() == sum(r.n_chunks for r in records.values())

    # The new readouts are answerable once the ingests are done.
    answer = qa.ask("What did the leaders of Iceland discuss about geothermal energy?")
    assert answer.citations and not answer.refused

    lat = sorted(latencies)
    p50 = lat[len(lat) // 2]
    p95 = lat[min(len(lat) - 1, int(0.95 * len(lat)))]
    print(
        f"\nload: {len(lat)} asks by {THREADS} threads + {EXTRA} readouts ingested in "
        f"{wall:.2f}s -> {len(lat) / wall:.1f} asks/s, p50 {p50 * 1000:.0f} ms, "
        f"p95 {p95 * 1000:.0f} ms, max {lat[-1] * 1000:.0f} ms (setup {t_setup:.1f}s)"
    )
