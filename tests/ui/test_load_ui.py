"""Bounded load on the web UI: browser-like clients, Python callers and ingests at once.

One ``ReadoutQA`` (embedded Chroma) over the seed readout plus small generated readouts, served by
the UI exactly as ``serve`` configures it (a queue of one job at a time) on a free loopback
port. Meanwhile:

* 6 ``gradio_client`` users ask 5 questions each through ``/ask``;
* 2 threads call ``qa.ask`` 10 times each on the same ``qa``;
* 1 thread ingests 15 more generated readouts in three batches, the middle one through
  the UI's ``/upload`` endpoint.

All counts are fixed and every wait has a deadline, so the test cannot run away.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path

import pytest

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"

from conftest import SEED  # noqa: E402
from ui_server import launch

pytestmark = [pytest.mark.slow, pytest.mark.ui]

UI_USERS, UI_ASKS = 6, 5
API_THREADS, API_ASKS = 2, 10
BASE, EXTRA, EXTRA_BATCHES = 20, 15, 3
DEADLINE = 150.0  # seconds for the whole concurrent phase (it takes a few on 2 cores)

# (country, counterpart, distinctive topic word) -- fictional calls, real countries.
CALLS = [
    ("Iceland", "Prime Minister Jakobsdottir", "geothermal"),
    ("Norway", "Prime Minister Store", "aquaculture"),
    ("Chile", "President Boric", "lithium"),
    ("Kenya", "President Ruto", "desalination"),
    ("Japan", "Prime Minister Kishida", "semiconductors"),
    ("Ghana", "President Akufo-Addo", "cocoa"),
    ("Portugal", "Prime Minister Costa", "oceanography"),
    ("Vietnam", "Prime Minister Chinh", "rice"),
    ("Canada", "Prime Minister Trudeau", "graphite"),
    ("Peru", "President Boluarte", "copper"),
    ("Morocco", "Prime Minister Akhannouch", "phosphates"),
    ("Mongolia", "President Khurelsukh", "cashmere"),
    ("Indonesia", "President Widodo", "nickel"),
    ("Senegal", "President Sall", "mangroves"),
    ("Uruguay", "President Lacalle Pou", "hydrogen"),
    ("Finland", "President Niinisto", "icebreakers"),
    ("Madagascar", "President Rajoelina", "vanilla"),
    ("Bhutan", "Prime Minister Tshering", "hydropower"),
    ("Fiji", "Prime Minister Rabuka", "seawalls"),
    ("Estonia", "Prime Minister Kallas", "cybersecurity"),
    ("Zambia", "President Hichilema", "cobalt"),
    ("Nepal", "Prime Minister Dahal", "earthquakes"),
    ("Tunisia", "President Saied", "olives"),
    ("Jamaica", "Prime Minister Holness", "bauxite"),
    ("Rwanda", "President Kagame", "vaccines"),
    ("Oman", "Sultan Haitham", "frankincense"),
    ("Ecuador", "President Lasso", "bananas"),
    ("Latvia", "Prime Minister Karins", "timber"),
    ("Malawi", "President Chakwera", "tobacco"),
    ("Namibia", "President Geingob", "uranium"),
    ("Slovenia", "Prime Minister Golob", "pharmaceuticals"),
    ("Kazakhstan", "President Tokayev", "wheat"),
    ("Paraguay", "President Pena", "soybeans"),
    ("Tonga", "Prime Minister Hu'akavameiliku", "whales"),
    ("Armenia", "Prime Minister Pashinyan", "apricots"),
]
assert len(CALLS) == BASE + EXTRA
assert len({topic for _c, _p, topic in CALLS}) == len(CALLS)


def _readout(folder: Path, i: int) -> Path:
    country, who, topic = CALLS[i]
    path = folder / f"gen_{i:03d}_{topic}.md"
    path.write_text(
        f'---\ntitle: "Readout of the Foreign Minister\'s call with {who} of {country}"\n'
        f"date: 2023-{1 + i % 12:02d}-{1 + i % 27:02d}\n"
        f"source: https://example.org/readouts/{i}\n"
        'publisher: "Ministry of Foreign Affairs of Norland"\n---\n\n'
        f"Foreign Minister Lund spoke today with {who} of {country}. "
        f"The two sides agreed to launch a joint programme on {topic}, with a first meeting "
        f"of experts in {2024 + i % 3}. They also discussed regional security and trade, and "
        f"{who} invited the Foreign Minister to visit {country}.\n",
        encoding="utf-8",
    )
    return path


def _question(i: int) -> str:
    country, _who, topic = CALLS[i]
    return f"What did the two sides agree about {topic} with {country}?"


def _close(clients, app) -> None:
    """Stop the clients' heartbeats and the server; each client.close() alone waits 1 s."""
    for client in clients:
        client._kill_heartbeat.set()
    app.close()  # ends the heartbeat streams, so the joins below return at once
    for client in clients:
        client.close()


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def test_ui_and_api_under_load_while_ingesting(tmp_path):
    from gradio_client import Client, handle_file

    from readout_qa import ReadoutQA
    from readout_qa.ui import build_app

    base = tmp_path / "base"
    base.mkdir()
    shutil.copy(SEED, base / SEED.name)
    for i in range(BASE):
        _readout(base, i)
    batches: list[list[Path]] = []
    per = EXTRA // EXTRA_BATCHES
    for b in range(EXTRA_BATCHES):
        folder = tmp_path / f"extra{b}"
        folder.mkdir()
        batches.append([_readout(folder, BASE + b * per + k) for k in range(per)])
    generated = {p.stem for p in base.glob("gen_*.md")} | {p.stem for b in batches for p in b}
    assert len(generated) == BASE + EXTRA

    t_setup = time.perf_counter()
    qa = ReadoutQA(data_dir=tmp_path / "data", answerer="extractive")
    first = qa.ingest([base])
    assert first.ok and len(first.added) == BASE + 1, first
    warm = qa.ask(_question(0))  # warm the model and keyword index
    assert not warm.refused and warm.citations[0].doc_id == f"gen_000_{CALLS[0][2]}", warm

    app = build_app(qa, corpus=[base], upload_dir=tmp_path / "uploads")
    port = launch(app.queue(default_concurrency_limit=1), qa)  # as serve() does
    url = f"http://127.0.0.1:{port}/"
    clients: list[Client] = []
    try:
        for _ in range(UI_USERS + 1):  # one more for the upload batch
            clients.append(Client(url, verbose=False, download_files=False))

        t_setup = time.perf_counter() - t_setup
        lock = threading.Lock()
        errors: list[str] = []
        results: list[tuple[str, int, dict]] = []  # (path, readout index asked about, answer)
        latency: dict[str, list[float]] = {"ui": [], "api": []}
        ingested: list[str] = []
        start = threading.Barrier(UI_USERS + API_THREADS + 1, timeout=60)

        def record(path: str, i: int, answer: dict, dt: float) -> None:
            with lock:
                results.append((path, i, answer))
                latency[path].append(dt)

        def ui_user(n: int) -> None:
            try:
                start.wait()
                client = clients[n]
                for j in range(UI_ASKS):
                    i = (n * UI_ASKS + j) % BASE
                    t = time.perf_counter()
                    job = client.submit(_question(i), "", "", [], [], api_name="/ask")
                    _chat, _sources, _box, answer, _status = job.result(timeout=60)
                    record("ui", i, answer, time.perf_counter() - t)
            except BaseException as exc:  # noqa: BLE001 - reported by the main thread
                with lock:
                    errors.append(f"ui user {n}: {exc!r}")

        def api_user(n: int) -> None:
            try:
                start.wait()
                for j in range(API_ASKS):
                    i = (7 * n + 3 * j) % BASE
                    t = time.perf_counter()
                    answer = qa.ask(_question(i))
                    record("api", i, answer.to_dict(), time.perf_counter() - t)
            except BaseException as exc:  # noqa: BLE001
                with lock:
                    errors.append(f"api user {n}: {exc!r}")

        def ingester() -> None:
            try:
                start.wait()
                for b, files in enumerate(batches):
                    if b == 1:  # through the UI, as a browser uploads
                        job = clients[-1].submit(
                            [handle_file(str(p)) for p in files], [], [], api_name="/upload"
                        )
                        table, summary, *_ = job.result(timeout=90)
                        rows = {r[0]: r[1] for r in table["data"]}
                        assert rows == {p.name: "added" for p in files}, (rows, summary)
                        ingested.extend(p.stem for p in files)
                    else:
                        report = qa.ingest(files)
                        assert report.ok and len(report.added) == len(files), report
                        ingested.extend(report.added)
            except BaseException as exc:  # noqa: BLE001
                with lock:
                    errors.append(f"ingester: {exc!r}")

        threads = [
            threading.Thread(target=ui_user, args=(n,), daemon=True) for n in range(UI_USERS)
        ]
        threads += [
            threading.Thread(target=api_user, args=(n,), daemon=True) for n in range(API_THREADS)
        ]
        threads.append(threading.Thread(target=ingester, daemon=True))
        t0 = time.perf_counter()
        for th in threads:
            th.start()
        deadline = t0 + DEADLINE
        for th in threads:
            th.join(max(0.1, deadline - time.perf_counter()))
        wall = time.perf_counter() - t0
        assert not any(th.is_alive() for th in threads), "a worker did not finish in time"
        assert not errors, errors
    finally:
        _close(clients, app)

    assert len(latency["ui"]) == UI_USERS * UI_ASKS
    assert len(latency["api"]) == API_THREADS * API_ASKS
    assert sorted(ingested) == sorted(p.stem for b in batches for p in b)

    t_check = time.perf_counter()
    records = qa.store.doc_records()
    bodies: dict[str, str] = {}
    for path, i, answer in results:
        # A failure inside the UI's ask() is shown as a refusal with a notice: none here.
        assert not any("went wrong" in n for n in answer["notices"]), (path, answer["notices"])
        assert not answer["refused"], (path, _question(i), answer)
        assert answer["citations"], (path, _question(i), answer)
        expected = f"gen_{i:03d}_{CALLS[i][2]}"
        assert answer["citations"][0]["doc_id"] == expected, (path, _question(i), answer)
        for c in answer["citations"]:
            assert c["doc_id"] in records, (path, c)
            if c["doc_id"] not in bodies:
                bodies[c["doc_id"]] = qa.readout(c["doc_id"])[0]
            assert bodies[c["doc_id"]][c["start"] : c["end"]] == c["quote"], (path, c)

    # The index is consistent after the concurrent ingests: each readout once, all chunks.
    assert set(records) == generated | {SEED.stem}
    assert qa.store.count_chunks() == sum(r.n_chunks for r in records.values())
    assert qa.store.chunk_doc_ids() == {d: r.n_chunks for d, r in records.items()}
    stored = qa.store.chunks.get(include=["metadatas"])
    per_doc: dict[str, int] = {}
    for meta in stored["metadatas"]:
        per_doc[meta["doc_id"]] = per_doc.get(meta["doc_id"], 0) + 1
    assert per_doc == {d: r.n_chunks for d, r in records.items()}
    assert len(stored["ids"]) == len(set(stored["ids"]))

    # Every readout ingested during the load is answerable now.
    for i in range(BASE, BASE + EXTRA):
        answer = qa.ask(_question(i))
        assert not answer.refused and answer.citations, (_question(i), answer)
        assert answer.citations[0].doc_id == f"gen_{i:03d}_{CALLS[i][2]}", answer

    t_check = time.perf_counter() - t_check
    n = len(results)
    print(
        f"\nUI load: {n} answers ({UI_USERS}x{UI_ASKS} /ask, {API_THREADS}x{API_ASKS} qa.ask) "
        f"+ {EXTRA} readouts ingested in {wall:.2f}s -> {n / wall:.1f} answers/s overall "
        f"(setup {t_setup:.1f}s, checks {t_check:.1f}s)"
    )
    for path, lat in latency.items():
        busy = max(lat) if lat else 0.0
        print(
            f"  {path:>3}: {len(lat)} answers, {len(lat) / wall:.1f} answers/s, "
            f"p50 {sorted(lat)[len(lat) // 2] * 1000:.0f} ms, p95 {_p95(lat) * 1000:.0f} ms, "
            f"max {busy * 1000:.0f} ms"
        )
