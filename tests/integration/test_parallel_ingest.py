"""``parallel_ingest`` / ``readout-qa ingest --workers N`` against a real ``chroma run``.

Several worker processes must store exactly what one process stores (same doc ids,
hashes, chunk ids and counts), and a worker killed mid-way must cost no readout and
leave no duplicate, whether the run recovers itself or the next run finishes it.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import signal
from pathlib import Path

import pytest
from chroma_server import chroma_server  # noqa: F401  (fixture)
from sample_readouts import write_readout
from typer.testing import CliRunner

from readout_qa import ReadoutQA
from readout_qa.config import Settings
from readout_qa.parallel_ingest import parallel_ingest
from readout_qa.store import ChromaStore

PLACES = [
    ("norland", "fisheries quotas and mackerel stocks"),
    ("sudria", "a new rail corridor and port investment"),
    ("veloria", "vaccine production and public health research"),
    ("kestovia", "grain exports through the southern ports"),
    ("almeria_isles", "offshore wind farms and grid links"),
    ("tarvonia", "border demarcation and customs posts"),
    ("ostrava_bay", "coastal shipping lanes and search and rescue"),
    ("merovia", "semiconductor supply chains and export controls"),
    ("quellin", "drought relief and water sharing on the river"),
    ("brisca", "student exchanges and university partnerships"),
    ("dunmoor", "peat land restoration and carbon markets"),
    ("halvard", "satellite launches and space debris"),
]


def _corpus(folder: Path) -> Path:
    """Twelve readouts of varied length (one to several chunks) and one duplicate text."""
    for i, (name, topic) in enumerate(PLACES):
        body = " ".join(
            f"The Foreign Minister of {name.title()} met her counterpart to discuss {topic} "
            f"(round {j}). They agreed to meet again before the end of the year {2020 + j}."
            for j in range(1 + 6 * (i % 4))
        )
        write_readout(folder, name, f"Readout of the meeting on {topic}", body)
    dup = (folder / "norland.md").read_text().replace("norland", "norland_copy")
    (folder / "norland_copy.md").write_text(dup)
    return folder


def _settings(url: str, data_dir: Path, collection: str) -> Settings:
    return Settings.from_env(data_dir=data_dir, chroma_url=url, collection=collection)


def _state(settings: Settings) -> tuple[dict, dict, set[str], int]:
    """(record hash + chunk count per doc, chunk count per doc, chunk ids, chunk total)."""
    store = ChromaStore(settings, settings.embed_model, None)
    records = {d: (r.content_hash, r.n_chunks) for d, r in store.doc_records().items()}
    ids = {i for page, _m, _d in store.iter_chunks(include_documents=False) for i in page}
    return records, store.chunk_doc_ids(), ids, store.count_chunks()


@pytest.fixture(scope="module")
def reference(chroma_server, tmp_path_factory):  # noqa: F811
    """The one-process ingest of the corpus (``ReadoutQA.ingest``) and its stored state."""
    base = tmp_path_factory.mktemp("par-ref")
    corpus = _corpus(base / "corpus")
    qa = ReadoutQA(
        data_dir=base / "d", answerer="extractive", chroma_url=chroma_server.url, collection="p1"
    )
    report = qa.ingest([corpus])
    assert report.ok and len(report.added) == len(PLACES), report
    return corpus, report, _state(qa.settings)


def _complete(state: tuple[dict, dict, set[str], int], reference_state) -> None:
    records, counts, ids, total = state
    ref_records, ref_counts, ref_ids, ref_total = reference_state
    assert records == ref_records
    assert counts == ref_counts == {d: n for d, (_h, n) in ref_records.items()}
    assert ids == ref_ids
    assert total == ref_total == len(ids)  # no chunk stored twice


def test_two_workers_store_what_one_process_stores(chroma_server, tmp_path, reference):  # noqa: F811
    corpus, ref_report, ref_state = reference
    assert sum(n for _h, n in ref_state[0].values()) > len(PLACES)  # several multi-chunk ones
    settings = _settings(chroma_server.url, tmp_path / "d", "p2")
    seen: list[int] = []
    report = parallel_ingest(
        [corpus], settings, workers=2, batch_readouts=2, progress=lambda d, t, _i: seen.append(d)
    )
    assert report.ok, report.failed
    assert sorted(report.added) == sorted(ref_report.added)
    assert report.duplicates == ref_report.duplicates == [("norland_copy", "norland")]
    assert report.chunks_added == ref_report.chunks_added
    assert seen[-1] == len(PLACES) and seen == sorted(seen)
    _complete(_state(settings), ref_state)

    # The app sees the new generation and answers from the readouts the workers wrote.
    qa = ReadoutQA(settings=settings, answerer="extractive")
    answer = qa.ask("What did the Foreign Minister of Halvard discuss?")
    assert any(c.doc_id == "halvard" for c in answer.citations), answer

    again = parallel_ingest([corpus], settings, workers=2)
    assert again.ok and not again.added and again.chunks_added == 0
    assert sorted(again.unchanged) == sorted(ref_report.added)


def _kill_one_worker_once(killed: list[int]):
    def progress(_done: int, _total: int, _doc_id: str) -> None:
        if killed:
            return
        workers = multiprocessing.active_children()
        assert workers, "no worker process to kill"
        os.kill(workers[0].pid, signal.SIGKILL)
        killed.append(workers[0].pid)

    return progress


def test_dead_worker_loses_nothing_and_the_next_run_finishes(chroma_server, tmp_path, reference):  # noqa: F811
    corpus, ref_report, ref_state = reference
    settings = _settings(chroma_server.url, tmp_path / "d", "p3")
    killed: list[int] = []
    first = parallel_ingest(
        [corpus],
        settings,
        workers=2,
        batch_readouts=1,
        retries=0,
        progress=_kill_one_worker_once(killed),
    )
    assert killed
    assert first.failed, "a worker was killed with batches pending: some readouts must be left"
    assert all("worker died" in e.reason for e in first.failed)
    assert set(first.added).isdisjoint(Path(e.path).stem for e in first.failed)
    # Whatever the run reported as stored is complete on the server.
    records, counts, _ids, _n = _state(settings)
    for doc_id in first.added:
        assert counts.get(doc_id) == records[doc_id][1] == ref_state[0][doc_id][1]

    second = parallel_ingest([corpus], settings, workers=2, retries=0)
    assert second.ok, second.failed
    assert sorted(first.added + second.added + second.updated) == sorted(ref_report.added)
    _complete(_state(settings), ref_state)


def test_dead_worker_is_recovered_in_the_same_run(chroma_server, tmp_path, reference):  # noqa: F811
    corpus, ref_report, ref_state = reference
    settings = _settings(chroma_server.url, tmp_path / "d", "p4")
    killed: list[int] = []
    report = parallel_ingest(
        [corpus], settings, workers=2, batch_readouts=1, progress=_kill_one_worker_once(killed)
    )
    assert killed
    assert report.ok, report.failed
    assert sorted(report.added) == sorted(ref_report.added)
    _complete(_state(settings), ref_state)


def test_cli_workers(chroma_server, tmp_path, reference, monkeypatch):  # noqa: F811
    from readout_qa.cli import app

    corpus, ref_report, ref_state = reference
    runner = CliRunner()
    # Without a server: refused, naming the reason, nothing written.
    got = runner.invoke(app, ["ingest", str(corpus), "--workers", "2", "--data-dir", str(tmp_path)])
    assert got.exit_code == 2
    assert "needs a Chroma server" in got.output
    assert not (tmp_path / "chroma").exists()

    monkeypatch.setenv("READOUT_QA_CHROMA_URL", chroma_server.url)
    monkeypatch.setenv("READOUT_QA_COLLECTION", "p5")
    got = runner.invoke(
        app, ["ingest", str(corpus), "--workers", "2", "--data-dir", str(tmp_path / "d")]
    )
    assert got.exit_code == 0, got.output
    assert re.search(rf"added\W+{len(PLACES)}\b", got.output), got.output
    _complete(_state(_settings(chroma_server.url, tmp_path / "d", "p5")), ref_state)
