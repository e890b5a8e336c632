"""The memory-mapped chunk table answers exactly as the JSON table it replaced, and a
saved table that is damaged is refused with the file and the reason.

``tests/fixtures/keyword_v2/expected.json`` holds 197 real chunks of the repository's
corpus and what the previous keyword index (FORMAT 2, ``chunks.json`` read into memory)
answered over them: BM25 top-10 ids and scores, filter masks, exact dense top-10 and
keyword-only retrieval with passage texts and metadata (``make.py`` wrote it). The keyword-only
retrieval expectations were rewritten once since, on purpose, when who/where matching changed
(issue 11: a readout counts as its publisher's country, titles before a name are not the name),
which moves readout boosts; the table's own answers (masks, BM25, dense) are the originals.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

import numpy as np
import pytest

from readout_qa.chunk_table import ChunkTable, ChunkTableError, _File
from readout_qa.filtering import evaluate, to_where
from readout_qa.keyword_index import FORMAT, STAMP, TABLE, KeywordIndex
from readout_qa.models import Filters
from readout_qa.retrieval import HybridRetriever, exact_top_k

EXPECTED = json.loads(
    (Path(__file__).parents[1] / "fixtures" / "keyword_v2" / "expected.json").read_text()
)


def digest(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:16]


def fresh() -> KeywordIndex:
    vectors = np.array(EXPECTED["vectors"], dtype=np.float32)
    return KeywordIndex(
        EXPECTED["ids"], EXPECTED["texts"], EXPECTED["metas"], generation=1, vectors=vectors
    )


@pytest.fixture(scope="module")
def saved(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("table") / "bm25"
    fresh().save(directory)
    return directory


@pytest.fixture(scope="module", params=["built", "loaded"])
def index(request, saved) -> KeywordIndex:
    """The index as built in memory and as every later process opens it (memory-mapped)."""
    if request.param == "built":
        return fresh()
    loaded = KeywordIndex.load(saved)
    assert loaded is not None
    return loaded


def _where(f: dict | None):
    return to_where(Filters(**f)) if f else None


# ------------------------------------------------------------------ the same as before
def test_filter_masks_are_the_previous_ones(index):
    """Every filter selects the very chunks the JSON table's masks selected."""
    ids = EXPECTED["ids"]
    for f, expected in zip(EXPECTED["filters"], EXPECTED["masks"], strict=True):
        mask = index.filter_mask(_where(f))
        got = None if mask is None else [ids[i] for i in np.flatnonzero(mask)]
        assert got == expected, f


def test_filter_masks_agree_with_the_row_by_row_evaluator(index):
    """The numpy columns give what filtering.evaluate gives on each chunk's metadata."""
    metas = EXPECTED["metas"]
    for f in EXPECTED["filters"][1:] + [{"doc_ids": [metas[0]["doc_id"], "nowhere"]}]:
        where = _where(f)
        assert index.filter_mask(where).tolist() == [evaluate(where, m) for m in metas], f


def test_bm25_top_k_ids_and_scores_are_the_previous_ones(index):
    ids = EXPECTED["ids"]
    for f, per_query in zip(EXPECTED["filters"], EXPECTED["bm25"], strict=True):
        mask = index.filter_mask(_where(f))
        for q, expected in zip(EXPECTED["queries"], per_query, strict=True):
            got = [[ids[h.index], h.score] for h in index.search(q, 10, mask)]
            assert [g[0] for g in got] == [e[0] for e in expected], (q, f)
            assert [g[1] for g in got] == pytest.approx([e[1] for e in expected], rel=1e-6)


def test_exact_dense_top_k_is_the_previous_one(index):
    ids = EXPECTED["ids"]
    for f, per_vector in zip(EXPECTED["filters"], EXPECTED["dense"], strict=True):
        mask = index.filter_mask(_where(f))
        for q, expected in zip(EXPECTED["query_vectors"], per_vector, strict=True):
            top = exact_top_k(index.vectors, np.array(q, dtype=np.float32), 10, mask)
            assert [ids[i] for i in top] == expected


def test_retrieval_reads_the_same_texts_and_metadata(index):
    """Keyword-only retrieval: the same readouts, passages, offsets, scores, texts and
    metadata, now read from the table row by row."""
    retriever = HybridRetriever(None, index, None)  # keyword only: no store, no model
    expected = iter(EXPECTED["retrieve"])
    for q in EXPECTED["queries"]:
        for f in (None, {"since": "2022-01-01"}):
            r = retriever.retrieve(q, Filters(**f) if f else None, use_dense=False)
            want = next(expected)
            assert r.doc_ids == want["doc_ids"]
            got = [
                [p.chunk_id, p.doc_id, p.start, p.end, p.score, digest(p.text, p.metadata)]
                for p in r.passages
            ]
            assert [g[:4] + g[5:] for g in got] == [w[:4] + w[5:] for w in want["passages"]]
            assert [g[4] for g in got] == pytest.approx([w[4] for w in want["passages"]])
    for doc_id, text in EXPECTED["doc_text"].items():
        assert digest(retriever.doc_text(doc_id)) == text
        assert retriever._chunks_of(doc_id) == EXPECTED["chunks_of"][doc_id]


def test_row_flags_answer_as_the_parsed_metadata(index):
    """Ranking reads a candidate's date, publisher and country flags from the columns: for every row
    they are what its parsed metadata says, and nothing else is claimed."""
    table = index.table
    assert table.countries, "the fixture has country flags"
    for row in range(len(table)):
        meta, flags = index.metas[row], table.flags(row)
        assert flags.get("date_int") == int(meta.get("date_int", 0) or 0)
        assert flags.get("publisher") == str(meta.get("publisher", ""))
        for key in (*table.countries, "country_Atlantis"):
            assert flags.get(key) == (True if meta.get(key) else None)
        assert flags.get("title") is None and "doc_id" not in flags
        assert dict(flags) == {
            "date_int": flags["date_int"],
            "publisher": flags["publisher"],
            **{k: True for k in table.countries if meta.get(k)},
        }


def test_rows_are_read_by_id(index):
    ids, texts, metas = EXPECTED["ids"], EXPECTED["texts"], EXPECTED["metas"]
    for row in (0, 57, len(ids) - 1):
        assert index.position[ids[row]] == row and ids[row] in index.position
        assert index.texts[index.position[ids[row]]] == texts[row]
        assert index.metas[row] == metas[row]
    assert index.position.get("no such chunk") is None and "no such chunk" not in index.position
    assert index.ids[-1] == ids[-1] and index.ids[1:3] == ids[1:3] and list(index.ids) == ids
    assert index.table.rows_of_doc("no such readout").tolist() == []


def test_a_loaded_table_reads_the_files_and_copies_nothing(saved):
    """What makes processes share pages: the strings are read from the files on demand
    (``pread``, through the page cache) and the numpy columns are memory-mapped."""
    loaded = KeywordIndex.load(saved)
    assert loaded is not None
    table = loaded.table
    for strings in (table.ids, table.texts, table.metas.rows, table.docs):
        assert isinstance(strings._blob, _File)
    assert isinstance(loaded.vectors, np.memmap)
    for column in (table.date_int, table.doc, table.position.hashes):
        assert isinstance(column.base, np.memmap) and not column.flags.writeable


# ------------------------------------------------------------------ damaged or old files
def _copy(saved: Path, tmp_path: Path) -> Path:
    import shutil

    target = tmp_path / "bm25"
    shutil.copytree(saved, target)
    return target


@pytest.mark.parametrize(
    ("name", "damage"),
    [
        ("texts.bin", lambda p: p.write_bytes(p.read_bytes()[:-10])),
        ("ids.off.npy", lambda p: p.unlink()),
        ("date_int.npy", lambda p: p.write_bytes(b"not an array")),
        ("columns.json", lambda p: p.write_text("{")),
    ],
)
def test_a_damaged_table_is_refused_naming_the_file(saved, tmp_path, caplog, name, damage):
    """Truncated, missing or garbled: load gives None (the caller rebuilds) and says which
    file and why."""
    directory = _copy(saved, tmp_path)
    damage(directory / TABLE / name)
    with pytest.raises((ChunkTableError, OSError)) as err:
        ChunkTable.open(directory / TABLE, len(EXPECTED["ids"]))
    assert name in str(err.value) or name == getattr(err.value, "filename", "")
    with caplog.at_level(logging.WARNING, logger="readout_qa.keyword_index"):
        assert KeywordIndex.load(directory) is None
    assert name in caplog.text and "rebuilding" in caplog.text


def test_offsets_that_do_not_fit_the_blob_are_refused(saved, tmp_path):
    directory = _copy(saved, tmp_path)
    path = directory / TABLE / "texts.off.npy"
    offsets = np.load(path)
    offsets[5], offsets[6] = offsets[6], offsets[5]
    np.save(path, offsets)  # same size: only the content check can tell
    with pytest.raises(ChunkTableError, match="texts.bin"):
        ChunkTable.open(directory / TABLE, len(EXPECTED["ids"]))


def test_an_index_of_the_previous_format_is_not_loaded(saved, tmp_path, caplog):
    """FORMAT 2 (``chunks.json``) is rebuilt from Chroma by open_keyword_index, quietly
    (no warning: nothing is wrong with it)."""
    directory = _copy(saved, tmp_path)
    stamp = json.loads((directory / STAMP).read_text())
    (directory / STAMP).write_text(json.dumps({**stamp, "format": FORMAT - 1}))
    with caplog.at_level(logging.INFO, logger="readout_qa.keyword_index"):
        assert KeywordIndex.load(directory) is None
    assert "format 2" in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_duplicate_ids_are_refused():
    with pytest.raises(ValueError, match="unique"):
        ChunkTable.build(["a", "a"], ["x", "y"], [{}, {}])
