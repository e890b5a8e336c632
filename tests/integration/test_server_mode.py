"""Server mode (a real ``chroma run``) behaves like the embedded store; and ``doctor``.

Every server test uses its own collection name, so tests share one server
process (session-scoped, loopback only) without seeing each other's data.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from chroma_server import chroma_server  # noqa: F401  (fixture)
from conftest import SEED
from sample_readouts import write_readout
from typer.testing import CliRunner

from readout_qa import ReadoutQA
from readout_qa.api import REFRESH_SECONDS
from readout_qa.store import StoreError

SEED_ID = SEED.stem
SEED_QUESTION = "What fields did Li Keqiang highlight with Belgium?"
DOWN_BOUND = 15.0  # seconds a failure against a stopped server may take at most


_readout = write_readout


def _iceland(folder: Path) -> Path:
    return _readout(
        folder,
        "iceland_geothermal",
        "Readout of the call with the Prime Minister of Iceland",
        "The President spoke with Prime Minister Katrin of Iceland. The two leaders agreed to "
        "deepen cooperation on geothermal energy and on Arctic research stations. They also "
        "discussed fisheries in the North Atlantic and agreed to meet again in Reykjavik.",
    )


def _check_seed_answer(qa: ReadoutQA) -> None:
    answer = qa.ask(SEED_QUESTION)
    assert not answer.refused, answer.notices
    assert "biomedicine" in answer.text
    assert answer.citations
    assert any(c.doc_id == SEED_ID for c in answer.citations)
    for c in answer.citations:
        body, _meta = qa.readout(c.doc_id)
        assert c.quote == body[c.start : c.end]


def _server_qa(url: str, data_dir: Path, collection: str) -> ReadoutQA:
    return ReadoutQA(
        data_dir=data_dir, answerer="extractive", chroma_url=url, collection=collection
    )


# --- server mode -------------------------------------------------------------------


def test_server_ingest_ask_and_second_instance_sees_updates(chroma_server, tmp_path):  # noqa: F811
    t0 = time.perf_counter()
    qa = _server_qa(chroma_server.url, tmp_path / "a", "srv_basic")
    report = qa.ingest([SEED])
    assert report.ok and report.added == [SEED_ID], report
    t_ingest = time.perf_counter() - t0
    _check_seed_answer(qa)
    # Nothing of the index lives in the data dir but the derived BM25 copy and the lock.
    assert not (tmp_path / "a" / "chroma").exists()

    # A second instance with ANOTHER data dir, same server: it sees the readouts.
    other = _server_qa(chroma_server.url, tmp_path / "b", "srv_basic")
    assert set(other.store.doc_records()) == {SEED_ID}
    _check_seed_answer(other)

    # A readout ingested by the first becomes answerable in the second within the
    # refresh interval (the generation counter tells the second to rebuild BM25).
    question = "What did the President agree with the Prime Minister of Iceland?"
    before = other.ask(question)
    assert all(c.doc_id != "iceland_geothermal" for c in before.citations)
    added = qa.ingest([_iceland(tmp_path / "more")])
    assert added.added == ["iceland_geothermal"]
    t1 = time.perf_counter()
    deadline = t1 + REFRESH_SECONDS + 5.0
    while True:
        answer = other.ask(question)
        if any(c.doc_id == "iceland_geothermal" for c in answer.citations):
            break
        assert time.perf_counter() < deadline, "the second instance never saw the new readout"
        time.sleep(0.2)
    seen_after = time.perf_counter() - t1
    assert seen_after <= REFRESH_SECONDS + 1.0
    assert "geothermal" in answer.text
    assert other._keyword is not None and other._keyword.generation == qa.store.generation()

    # Incremental re-ingest: nothing to do.
    again = qa.ingest([SEED])
    assert again.unchanged == [SEED_ID] and again.chunks_added == 0 and not again.added
    print(f"\nserver mode: ingest {t_ingest:.2f}s, update visible after {seen_after:.2f}s")


def test_server_down_fails_fast_and_recovers(chroma_server, tmp_path):  # noqa: F811
    qa = _server_qa(chroma_server.url, tmp_path / "a", "srv_down")
    qa.ingest([SEED])
    _check_seed_answer(qa)

    chroma_server.stop()
    try:
        t = time.perf_counter()
        with pytest.raises(StoreError) as err:
            _server_qa(chroma_server.url, tmp_path / "b", "srv_down")
        construct_fail = time.perf_counter() - t
        assert construct_fail < DOWN_BOUND
        assert chroma_server.url in str(err.value)

        # Dense search runs on the local copy of the vectors, so an ask within the refresh
        # interval needs no server; the next check of the index's generation does.
        time.sleep(REFRESH_SECONDS + 0.1)
        t = time.perf_counter()
        with pytest.raises(Exception) as ask_err:  # noqa: PT011 - the type is checked below
            qa.ask(SEED_QUESTION)
        ask_fail = time.perf_counter() - t
        assert ask_fail < DOWN_BOUND
        print(
            f"\nserver down: construction failed in {construct_fail:.2f}s, "
            f"ask failed in {ask_fail:.2f}s with {type(ask_err.value).__name__}"
        )
    finally:
        t = time.perf_counter()
        chroma_server.start()
        restart = time.perf_counter() - t

    # Recovery: the same instance and a new one both answer again.
    _check_seed_answer(qa)
    _check_seed_answer(_server_qa(chroma_server.url, tmp_path / "c", "srv_down"))
    print(f"server restart {restart:.2f}s")
    assert isinstance(ask_err.value, StoreError)
    assert chroma_server.url in str(ask_err.value)


# --- doctor (embedded store) ---------------------------------------------------------


def test_doctor_healthy_then_bm25_missing_is_repaired(tmp_path):
    from readout_qa.doctor import check

    qa = ReadoutQA(data_dir=tmp_path / "d", answerer="extractive")
    qa.ingest([SEED])
    findings = check(qa, repair=False)
    assert all(f.ok for f in findings), findings

    shutil.rmtree(tmp_path / "d" / "bm25")
    findings = check(qa, repair=False)
    assert "bm25" in {f.code for f in findings if not f.ok}
    findings = check(qa, repair=True)
    bm25 = [f for f in findings if f.code == "bm25"]
    assert bm25 and bm25[0].repaired
    assert (tmp_path / "d" / "bm25" / "stamp.json").exists()
    assert all(f.ok for f in check(qa, repair=False))


def test_doctor_chunk_mismatch_and_orphans_repair_then_reingest(tmp_path):
    from readout_qa.doctor import check

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEED, corpus / SEED.name)
    _iceland(corpus)
    qa = ReadoutQA(data_dir=tmp_path / "d", answerer="extractive")
    first = qa.ingest([corpus])
    records = qa.store.doc_records()
    expected = qa.store.chunk_doc_ids()
    assert expected[SEED_ID] == records[SEED_ID].n_chunks >= 2

    seed_chunks = qa.store.chunks.get(where={"doc_id": SEED_ID}, include=[])["ids"]
    qa.store.chunks.delete(ids=sorted(seed_chunks)[:1])
    # And an orphan: the iceland record vanishes but its chunks stay.
    qa.store.delete_docs(["iceland_geothermal"])

    findings = check(qa, repair=False)
    bad = {f.code: f for f in findings if not f.ok}
    assert "chunk_count" in bad and SEED_ID in bad["chunk_count"].message
    assert "orphan_chunks" in bad and "iceland_geothermal" in bad["orphan_chunks"].message

    fixed = check(qa, repair=True)
    assert all(f.ok or f.repaired for f in fixed), fixed
    assert SEED_ID not in qa.store.doc_records()
    assert "iceland_geothermal" not in qa.store.chunk_doc_ids()
    assert any("re-ingest" in f.message or "ingest" in f.message for f in fixed if f.repaired)

    redo = qa.ingest([corpus])
    assert sorted(redo.added) == sorted([SEED_ID, "iceland_geothermal"])
    assert qa.store.chunk_doc_ids() == expected
    assert qa.store.count_chunks() == first.chunks_added
    assert all(f.ok for f in check(qa, repair=False))
    _check_seed_answer(qa)


def test_doctor_cli_exit_codes(tmp_path):
    from readout_qa.cli import app

    data = tmp_path / "d"
    qa = ReadoutQA(data_dir=data, answerer="extractive")
    qa.ingest([SEED])
    runner = CliRunner()
    ok = runner.invoke(app, ["doctor", "--data-dir", str(data)])
    assert ok.exit_code == 0, ok.output

    shutil.rmtree(data / "bm25")
    broken = runner.invoke(app, ["doctor", "--data-dir", str(data)])
    assert broken.exit_code == 1, broken.output
    assert "bm25" in broken.output.lower() or "keyword" in broken.output.lower()
    repaired = runner.invoke(app, ["doctor", "--repair", "--data-dir", str(data)])
    assert repaired.exit_code == 0, repaired.output
    assert runner.invoke(app, ["doctor", "--data-dir", str(data)]).exit_code == 0
