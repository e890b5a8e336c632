"""Ingest against real embedded Chroma: incremental, idempotent, repairable."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SEED
from sample_readouts import write_readout

from readout_qa import ReadoutQA
from readout_qa.store import StoreError

ROOT = Path(__file__).resolve().parents[2]


_readout = write_readout


def _corpus(folder: Path, n: int = 3) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    topics = ["geothermal energy", "fisheries in the North Atlantic", "Arctic research stations"]
    return [
        _readout(
            folder,
            f"r{i}",
            f"Readout of the call with the Prime Minister of Iceland number {i}",
            f"The President spoke with Prime Minister Katrin of Iceland about {topics[i % 3]}. "
            f"They agreed to deepen cooperation on {topics[i % 3]} and to meet again in Reykjavik. "
            "The leaders also discussed NATO and the war in Ukraine.",
        )
        for i in range(n)
    ]


def _counts(qa: ReadoutQA) -> tuple[int, int]:
    return len(qa.store.doc_records()), qa.store.count_chunks()


def test_incremental_ingest_update_sync_and_duplicates(tmp_path):
    corpus = tmp_path / "corpus"
    files = _corpus(corpus)
    qa = ReadoutQA(data_dir=tmp_path / "data", answerer="extractive")

    first = qa.ingest([corpus])
    assert sorted(first.added) == ["r0", "r1", "r2"] and first.ok
    docs, chunks = _counts(qa)
    assert docs == 3 and chunks == first.chunks_added > 0

    again = qa.ingest([corpus])
    assert sorted(again.unchanged) == ["r0", "r1", "r2"]
    assert again.chunks_added == 0 and again.embed_seconds == 0
    assert _counts(qa) == (docs, chunks)

    files[1].write_text(files[1].read_text().replace("fisheries", "volcanic"), encoding="utf-8")
    files[0].write_text(files[0].read_text() + "\nA new closing sentence was added.\n")
    changed = qa.ingest([corpus])
    assert sorted(changed.updated) == ["r0", "r1"] and changed.unchanged == ["r2"]
    assert _counts(qa)[0] == 3
    hits = qa.retrieve("volcanic cooperation Iceland")
    assert any("volcanic" in p.text for p in hits.passages)

    (corpus / "copy.md").write_bytes(files[2].read_bytes())  # same text, another name
    dup = qa.ingest([corpus])
    assert ("copy", "r2") in dup.duplicates
    assert _counts(qa)[0] == 3

    files[2].unlink()
    (corpus / "copy.md").unlink()
    kept = qa.ingest([corpus])  # without --sync nothing is removed
    assert not kept.removed and _counts(qa)[0] == 3
    synced = qa.ingest([corpus], sync=True)
    assert synced.removed == ["r2"]
    docs, chunks = _counts(qa)
    assert docs == 2
    assert chunks == sum(r.n_chunks for r in qa.store.doc_records().values())


def test_the_same_readout_in_two_folders_is_stored_once(tmp_path):
    """corpus/'s sample is copied from the shared corpora: ingesting both is not an error,
    while two different readouts under one name still are."""
    original, copy, other = tmp_path / "shared", tmp_path / "corpus", tmp_path / "other"
    [first] = _corpus(original, 1)
    copy.mkdir()
    (copy / first.name).write_bytes(first.read_bytes())
    qa = ReadoutQA(data_dir=tmp_path / "data", answerer="extractive")

    report = qa.ingest([copy, original])
    assert report.ok and report.added == ["r0"] and report.duplicates == [("r0", "r0")]
    assert _counts(qa)[0] == 1

    other.mkdir()
    (other / first.name).write_text(first.read_text().replace("geothermal", "solar"))
    clash = qa.ingest([original, other])
    [error] = clash.failed  # the second in path order: other/ sorts before shared/
    assert Path(error.path).parent == original and "already used" in error.reason


def test_bad_files_are_reported_and_the_rest_ingested(tmp_path):
    corpus = tmp_path / "corpus"
    _corpus(corpus, 2)
    (corpus / "empty.md").write_text("")
    (corpus / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (corpus / "latin1.txt").write_bytes("Caf\xe9 au lait".encode("latin-1"))
    (corpus / "baddate.md").write_text('---\ntitle: "x"\ndate: 2021-02-30\n---\n\nBody.\n')
    (corpus / "badyaml.md").write_text("---\ntitle: [unclosed\n---\n\nBody.\n")
    (corpus / "lines.jsonl").write_text(
        '{"doc_id": "j1", "title": "J one", "date": "2022-01-02", "text": "Line one body."}\n'
        "not json\n"
    )
    qa = ReadoutQA(data_dir=tmp_path / "data", answerer="extractive")
    report = qa.ingest([corpus, tmp_path / "missing-folder"])
    failed = {Path(e.path.split(":")[0]).name: e.reason for e in report.failed}
    assert set(failed) >= {
        "empty.md",
        "binary.txt",
        "latin1.txt",
        "baddate.md",
        "badyaml.md",
        "lines.jsonl",
        "missing-folder",
    }
    assert "UTF-8" in failed["latin1.txt"] and "date" in failed["baddate.md"]
    assert sorted(report.added) == ["j1", "r0", "r1"]
    assert not report.ok


def test_embedding_model_mismatch_is_a_clear_error(tmp_path):
    qa = ReadoutQA(data_dir=tmp_path, answerer="extractive")
    qa.ingest([SEED])
    with pytest.raises(StoreError, match="rebuild"):
        ReadoutQA(
            data_dir=tmp_path,
            answerer="extractive",
            embed_model="text-embedding-3-small",
            openai_api_key="sk-test",
            openai_base_url="http://127.0.0.1:9/v1",
        )


def test_corrupt_store_is_a_clear_error_and_rebuild_is_possible(tmp_path):
    data = tmp_path / "data"
    qa = ReadoutQA(data_dir=data, answerer="extractive")
    qa.ingest([SEED])
    del qa
    sqlite = data / "chroma" / "chroma.sqlite3"
    sqlite.write_bytes(b"this is not a database" * 100)
    result = subprocess.run(
        [sys.executable, "-m", "readout_qa.cli", "stats", "--data-dir", str(data)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "chroma" in (result.stdout + result.stderr).lower()
    assert "Traceback" not in result.stdout


def test_unwritable_data_dir_is_a_clear_error(tmp_path):
    # A data directory that cannot be created (its parent is a file) fails for root too,
    # unlike permission bits, so this runs everywhere.
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="not-a-dir"):
        ReadoutQA(data_dir=blocker / "data", answerer="extractive")


INGEST_SCRIPT = """
import sys
from readout_qa import ReadoutQA
qa = ReadoutQA(data_dir=sys.argv[1], answerer="extractive")
def progress(done, total, doc_id):
    print(f"progress {done}/{total}", flush=True)
qa.ingest([sys.argv[2]], progress=progress, batch_readouts=int(sys.argv[3]))
print("finished", flush=True)
"""


def test_kill_9_during_ingest_is_repaired_by_the_next_ingest(tmp_path, shared_corpora):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    files = sorted((shared_corpora / "whitehouse").glob("*.md"))[:40]
    for f in files:
        (corpus / f.name).symlink_to(f)
    data = tmp_path / "data"
    script = tmp_path / "ingest.py"
    script.write_text(INGEST_SCRIPT)
    rng = random.Random(20261127)
    for _ in range(3):  # three kills: after the first batch, then at random moments
        proc = subprocess.Popen(
            [sys.executable, str(script), str(data), str(corpus), "6"],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None
        deadline = time.monotonic() + 240
        for line in proc.stdout:  # wait until it is writing, then kill mid-flight
            if line.startswith("progress") or time.monotonic() > deadline:
                break
        time.sleep(rng.uniform(0.0, 1.5))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    qa = ReadoutQA(data_dir=data, answerer="extractive")
    report = qa.ingest([corpus])
    assert report.ok
    assert len(report.added) + len(report.unchanged) == len(files)
    records = qa.store.doc_records()
    assert len(records) == len(files)
    per_doc = qa.store.chunk_doc_ids()
    assert per_doc == {d: r.n_chunks for d, r in records.items()}
    assert qa.store.count_chunks() == sum(r.n_chunks for r in records.values())


def test_two_concurrent_ingests_do_not_duplicate(tmp_path):
    corpus = tmp_path / "corpus"
    _corpus(corpus, 3)
    data = tmp_path / "data"
    script = tmp_path / "ingest.py"
    script.write_text(INGEST_SCRIPT)
    procs = [
        subprocess.Popen(
            [sys.executable, str(script), str(data), str(corpus), "1"],
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=300)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    qa = ReadoutQA(data_dir=data, answerer="extractive")
    assert len(qa.store.doc_records()) == 3
    assert qa.store.count_chunks() == sum(r.n_chunks for r in qa.store.doc_records().values())


def test_cli_ingest_twice_reports_unchanged(tmp_path):
    corpus = tmp_path / "corpus"
    _corpus(corpus, 2)
    cmd = [
        sys.executable,
        "-m",
        "readout_qa.cli",
        "ingest",
        str(corpus),
        "--data-dir",
        str(tmp_path / "data"),
    ]
    first = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    second = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert second.returncode == 0
    assert "unchanged" in second.stdout and "│ 2" in second.stdout
    (corpus / "broken.md").write_text("")
    third = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert third.returncode == 1 and "broken.md" in third.stdout and "empty" in third.stdout


def test_disk_full_is_a_clear_error_and_keeps_what_was_stored(tmp_path, shared_corpora):
    mount = tmp_path / "small-disk"
    mount.mkdir()
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], capture_output=True
    )
    if result.returncode != 0:  # pragma: no cover - needs root (CI runs as root)
        pytest.skip(f"cannot mount a small tmpfs here: {result.stderr.decode().strip()}")
    try:
        qa = ReadoutQA(data_dir=mount / "data", answerer="extractive")
        assert qa.ingest([SEED]).ok
        big = tmp_path / "big"
        big.mkdir()
        for f in sorted((shared_corpora / "kremlin").glob("*.md"))[:80]:
            (big / f.name).symlink_to(f)
        with pytest.raises(StoreError) as err:
            qa.ingest([big], batch_readouts=8)
        message = str(err.value)
        assert str(mount) in message and "run the ingest again" in message
        # What was stored before the disk filled up is still there and answerable.
        answer = qa.ask("What fields did Li Keqiang highlight with Belgium?")
        assert not answer.refused and "biomedicine" in answer.text
        assert "000_29b7a47e08d55584" in qa.store.doc_records()
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)
