"""Where a fresh ingest spends its time *outside* the embedding model.

A diagnostic for ingest.py's overhead figure, not part of ``make bench``.  It ingests the corpora
into a fresh /tmp data dir with the embedding replaced by a stub that returns random unit
vectors instantly (everything else is the real pipeline: loading and entity tagging,
chunking, Chroma writes, the BM25 build), under pyinstrument, and writes the call tree to
``benchmarks/results/profile_ingest.txt``.  The stub's vectors are meaningless; the index is
deleted afterwards.  pyinstrument is a benchmark-only tool: ``pip install pyinstrument``.

Usage: python benchmarks/profile_ingest.py [corpus folders...]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as C  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    C.corpus_args(parser)
    args = parser.parse_args()
    paths = C.corpus_paths(args)
    C.nice(10)
    import numpy as np
    from pyinstrument import Profiler

    from readout_qa import ReadoutQA
    from readout_qa.embeddings import LocalMiniLMEmbedding

    class StubEmbedding(LocalMiniLMEmbedding):
        def embed(self, texts: list[str]) -> np.ndarray:  # noqa: D102
            rng = np.random.default_rng(len(texts))
            v = rng.standard_normal((len(texts), 384), dtype=np.float32)
            return v / np.linalg.norm(v, axis=1, keepdims=True)

    data_dir = Path(tempfile.mkdtemp(prefix="bench-profile-ingest-", dir="/tmp"))
    try:
        qa = ReadoutQA(data_dir=data_dir)
        qa.embed_model = StubEmbedding()
        prof = Profiler(interval=0.001)
        t = time.perf_counter()
        prof.start()
        report = qa.ingest(paths)
        prof.stop()
        wall = time.perf_counter() - t
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    text = prof.output_text(unicode=False, color=False, show_all=False)
    C.RESULTS.mkdir(exist_ok=True)
    head = (
        f"Fresh ingest with a zero-cost stub embedding: {len(report.added)} readouts, "
        f"{report.chunks_added} chunks in {wall:.1f} s (stub embedding {report.embed_seconds:.1f} s); "
        f"load average {C.machine()['loadavg']}\n\n"
    )
    (C.RESULTS / "profile_ingest.txt").write_text(head + text)
    print(head + text)


if __name__ == "__main__":
    main()
