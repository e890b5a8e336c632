"""The local model gives back the memory of an ingest-sized embedding call (issue 13).

ONNX Runtime's CPU arena kept what full batches of 32 x 256 word pieces needed: a process
that ingested stayed ~1.2 GB larger (0.3 GB after loading the model, 1.5 GB after two such
batches). The measurement runs in a fresh subprocess: RSS is a property of the whole process,
and the test process has other models and indexes loaded.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import readout_qa
from readout_qa.embeddings import LocalMiniLMEmbedding

ROOT = Path(__file__).resolve().parents[2]
# Two full batches grew RSS by ~1.2 GB before; released, it ends ~0.05 GB *below* where it
# started (the heap trim also returns what loading left). 200 MB leaves room either way.
GROWTH_BOUND_MB = 200

CHILD = r"""
import json, sys
from pathlib import Path
from readout_qa.embeddings import LocalMiniLMEmbedding, embed_texts, release_memory

def rss_mb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024

texts = json.loads(sys.stdin.read())
model = LocalMiniLMEmbedding()
model.embed(["warm up the session"])
before = rss_mb()
vectors = embed_texts(model, texts)  # the ingest's call
release_memory(model)  # and what it does when it ends
after = rss_mb()
model.embed(["What did the two leaders say about Ukraine?"])
print(json.dumps({"before": before, "after": after, "after_question": rss_mb(),
                  "rows": len(vectors), "fewest_pieces": min(len(e.ids) for e in
                  model._tokenizer.encode_batch(texts))}))
"""


def long_texts(n: int, words: int = 400) -> list[str]:
    """``n`` distinct windows of real readout prose, each past MiniLM's 256 word pieces."""
    prose = " ".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").iterdir()))
    tokens = prose.split()
    assert len(tokens) > n * 50 + words, "corpus/ is too small for the test"
    return [" ".join(tokens[i * 50 : i * 50 + words]) for i in range(n)]


def run_child(code: str, *args: str, stdin: str = "") -> dict:
    """Run ``code`` in a fresh Python on the code under test; its last line of output, as JSON."""
    src = str(Path(readout_qa.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="RSS is read from /proc")
def test_an_ingest_sized_call_gives_its_memory_back():
    """Two full batches (64 texts of 256 word pieces) embedded as an ingest embeds them, and
    released as it releases them at its end: RSS afterwards stays within GROWTH_BOUND_MB of
    RSS before, and a question after it does not bring the arena back."""
    texts = long_texts(64)
    out = run_child(CHILD, stdin=json.dumps(texts))
    assert out["rows"] == 64 and out["fewest_pieces"] == 256  # really full batches
    growth = out["after"] - out["before"]
    assert growth < GROWTH_BOUND_MB, f"RSS grew {growth:.0f} MB: {out}"
    assert out["after_question"] - out["before"] < GROWTH_BOUND_MB, out


def test_releasing_memory_does_not_change_the_vectors():
    """Shrinking the arena and trimming the heap free memory only: the vectors after a
    release are bit-identical to those before it."""
    model = LocalMiniLMEmbedding()
    texts = long_texts(8, words=300)  # 8 x 256 pieces
    before = model.embed(texts)
    model.release_memory()
    assert np.array_equal(model.embed(texts), before)
    model.release_memory()
    assert np.array_equal(model.embed(texts[:3]), before[:3])


INGEST_CHILD = r"""
import json, sys
from pathlib import Path
from readout_qa import ReadoutQA

def rss_mb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024

data_dir, folder = sys.argv[1], sys.argv[2]
qa = ReadoutQA(data_dir=data_dir)
qa.ask("warm up: what did the leaders discuss?")  # model, store and indexes loaded
before = rss_mb()
report = qa.ingest([folder])
print(json.dumps({"before": before, "after": rss_mb(), "chunks": qa.stats().get("chunks")}))
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="RSS is read from /proc")
def test_an_ingest_gives_the_memory_back(tmp_path):
    """A real ingest through the Python API, of readouts long enough for full batches, ends
    with the process within GROWTH_BOUND_MB of where it started: the ingest releases the
    model's arena when it ends (without the release it stays ~0.8 GB larger)."""
    folder = tmp_path / "readouts"
    folder.mkdir()
    texts = long_texts(96, words=400)
    for n in range(12):  # 12 readouts of ~3,200 words: ~100 chunks of full length
        body = "\n\n".join(texts[n * 8 : n * 8 + 8])
        (folder / f"r{n:02d}.txt").write_text(
            f"Readout {n}\nDate: 2022-0{1 + n % 9}-1{n % 9}\n\n{body}\n", encoding="utf-8"
        )
    out = run_child(INGEST_CHILD, str(tmp_path / "data"), str(folder))
    assert (out["chunks"] or 0) >= 64, out  # at least two full batches were embedded
    growth = out["after"] - out["before"]
    assert growth < GROWTH_BOUND_MB, f"RSS grew {growth:.0f} MB over the ingest: {out}"
