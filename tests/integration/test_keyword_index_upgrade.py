"""An index saved by the previous version (FORMAT 2: one ``chunks.json``) or a damaged one
is rebuilt from Chroma by ``open_keyword_index`` without anyone asking; the rebuilt index
is the memory-mapped one every process opens. Real embedded Chroma, random vectors."""

from __future__ import annotations

import json
import logging

import numpy as np
import pytest

from readout_qa.config import Settings
from readout_qa.keyword_index import (
    DOC_FREQS,
    FORMAT,
    STAMP,
    TABLE,
    KeywordIndex,
    open_keyword_index,
)
from readout_qa.models import Chunk
from readout_qa.store import ChromaStore

N, DIM = 300, 384


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    rng = np.random.default_rng(7)
    vectors = rng.standard_normal((N, DIM)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    settings = Settings(data_dir=tmp_path_factory.mktemp("upgrade-index"))
    store = ChromaStore(settings, settings.embed_model, DIM)
    words = ["trade", "climate", "security", "energy", "vaccines", "ports", "grain"]
    chunks = []
    for i in range(N):
        doc = f"d{i // 3:03d}"
        meta = {"doc_id": doc, "position": i % 3, "date_int": 20200101 + (i % 4) * 10000}
        text = f"talks on {words[i % 7]} and {words[(i * 3) % 7]} number {i}"
        chunks.append(Chunk(f"{doc}::{i % 3}", doc, i % 3, text, 0, len(text), meta))
    store.add_chunks(chunks, vectors)
    store.bump_generation()
    return store, settings


def _as_previous_format(directory, index: KeywordIndex) -> None:
    """What the previous version left on disk: BM25 files, vectors, ``chunks.json``."""
    for path in sorted((directory / TABLE).iterdir()):
        path.unlink()
    (directory / TABLE).rmdir()
    (directory / DOC_FREQS).unlink()
    (directory / "chunks.json").write_text(
        json.dumps(
            {
                "ids": list(index.ids),
                "texts": list(index.texts),
                "metas": list(index.metas),
                "doc_freqs": index.doc_freqs,
            }
        )
    )
    stamp = json.loads((directory / STAMP).read_text())
    (directory / STAMP).write_text(json.dumps({**stamp, "format": 2}))


def _answers(index: KeywordIndex) -> list:
    where = {"date_int": {"$gte": 20210101}}
    return [
        [(index.ids[h.index], round(h.score, 6)) for h in index.search(q, 10, m)]
        for q in ("trade", "climate security", "grain ports")
        for m in (None, index.filter_mask(where))
    ]


def test_a_previous_format_index_is_rebuilt_transparently(store):
    store, settings = store
    directory = settings.data_dir / "bm25-old"
    first = open_keyword_index(store, directory)
    expected = _answers(first)
    _as_previous_format(directory, first)
    assert KeywordIndex.load(directory) is None
    upgraded = open_keyword_index(store, directory)
    assert json.loads((directory / STAMP).read_text())["format"] == FORMAT
    assert not (directory / "chunks.json").exists() and (directory / TABLE).is_dir()
    assert len(upgraded.ids) == N and upgraded.generation == store.generation()
    assert _answers(upgraded) == expected
    # The rebuilt index is the saved one, read from its files, not the build's lists.
    assert not isinstance(upgraded.table.texts._blob, bytes)
    assert isinstance(upgraded.vectors, np.memmap)


def test_a_damaged_index_is_rebuilt_and_the_file_named(store, caplog):
    store, settings = store
    directory = settings.data_dir / "bm25-damaged"
    expected = _answers(open_keyword_index(store, directory))
    metas = directory / TABLE / "metas.bin"
    metas.write_bytes(metas.read_bytes()[: metas.stat().st_size // 2])
    with caplog.at_level(logging.WARNING, logger="readout_qa.keyword_index"):
        rebuilt = open_keyword_index(store, directory)
    assert "metas.bin" in caplog.text
    assert _answers(rebuilt) == expected
    assert KeywordIndex.load(directory) is not None
