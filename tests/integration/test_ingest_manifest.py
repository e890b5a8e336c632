"""An unchanged re-ingest is answered from the manifest, without Chroma or the model, and
only while the manifest still describes the index (real Chroma, the real model)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from sample_readouts import write_readout

from readout_qa import ReadoutQA
from readout_qa.ingest import unchanged_report

HEAVY = ("llama_index", "chromadb", "onnxruntime", "bm25s")


def _corpus(folder: Path) -> list[Path]:
    topics = ["geothermal energy", "fisheries in the North Atlantic", "Arctic research stations"]
    files = [
        write_readout(
            folder,
            f"r{i}",
            f"Readout of the call with the Prime Minister of Iceland number {i}",
            f"The President spoke with Prime Minister Katrin of Iceland about {t}. "
            f"They agreed to deepen cooperation on {t} and to meet again in Reykjavik.",
        )
        for i, t in enumerate(topics)
    ]
    shutil.copy(files[0], folder / "r0-copy.md")  # the same text under another name
    (folder / "broken.md").write_bytes(b"\xff\xfe\x00not a readout")
    return files


def _fast(qa: ReadoutQA, paths: list[Path], sync: bool = False):
    s = qa.settings
    return unchanged_report(
        paths, s.data_dir, s.embed_model, s.chunk_size, sync, max_file_mb=s.max_file_mb
    )


def _summary(report) -> tuple:
    return (
        sorted(report.unchanged),
        sorted(report.duplicates),
        sorted(e.path for e in report.failed),
        report.added,
        report.updated,
        report.removed,
    )


def test_the_manifest_gives_the_same_report_as_reading_chroma(tmp_path):
    corpus = tmp_path / "corpus"
    _corpus(corpus)
    qa = ReadoutQA(data_dir=tmp_path / "data", answerer="extractive")
    qa.ingest([corpus])
    (tmp_path / "data" / "manifest.json").rename(tmp_path / "manifest.json")
    slow = qa.ingest([corpus])  # no manifest: records and chunk counts from Chroma
    assert len(slow.unchanged) == 3 and slow.duplicates and slow.failed
    fast = _fast(qa, [corpus])
    assert fast is not None and _summary(fast) == _summary(slow)
    assert _summary(qa.ingest([corpus])) == _summary(slow)  # in process, with the manifest


def test_a_change_or_a_write_behind_its_back_takes_the_usual_path(tmp_path):
    corpus = tmp_path / "corpus"
    files = _corpus(corpus)
    qa = ReadoutQA(data_dir=tmp_path / "data", answerer="extractive")
    qa.ingest([corpus])
    assert qa.ask("What did they agree about geothermal energy?").citations
    assert _fast(qa, [corpus]) is not None  # asking (opening Chroma) writes nothing

    files[1].write_text(files[1].read_text().replace("Reykjavik", "Akureyri"))
    assert _fast(qa, [corpus]) is None
    assert qa.ingest([corpus]).updated == ["r1"]
    assert _fast(qa, [corpus]) is not None

    qa.store.delete_docs(["r2"])  # as an interrupted ingest leaves it
    assert _fast(qa, [corpus]) is None
    assert qa.ingest([corpus]).added == ["r2"]

    files[2].unlink()
    assert _fast(qa, [corpus]) is not None  # without --sync a gone file changes nothing
    assert _fast(qa, [corpus], sync=True) is None
    assert qa.ingest([corpus], sync=True).removed == ["r2"]
    assert _fast(qa, [corpus], sync=True) is not None


def test_the_cli_reingests_an_unchanged_corpus_without_heavy_imports(tmp_path):
    corpus = tmp_path / "corpus"
    _corpus(corpus)
    data = tmp_path / "data"
    ReadoutQA(data_dir=data, answerer="extractive").ingest([corpus])
    code = (
        "import sys\n"
        "from readout_qa.cli import app\n"
        "try:\n"
        f"    app(['ingest', {str(corpus)!r}, '--data-dir', {str(data)!r}])\n"
        "except SystemExit as exc:\n"
        "    print('EXIT', exc.code)\n"
        f"print('HEAVY', ','.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    assert "EXIT 1" in out  # the broken file fails; the three readouts are unchanged
    assert "HEAVY \n" in out or out.rstrip().endswith("HEAVY")
    assert "unchanged" in out and "│ 3" in out and "broken.md" in out
