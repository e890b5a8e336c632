"""Chunks newer than the keyword index's table (another process just ingested them): the
Chroma path finds them, fetches their text and metadata, and hands them on by id next to
the table's own chunks, which retrieval keeps as rows. Real embedded Chroma and MiniLM."""

from __future__ import annotations

import numpy as np

from readout_qa.config import LOCAL_EMBED_MODEL, RetrievalConfig, Settings
from readout_qa.embeddings import embed_query, get_embedding_model
from readout_qa.keyword_index import open_keyword_index
from readout_qa.models import Chunk
from readout_qa.retrieval import HybridRetriever
from readout_qa.store import ChromaStore

DIM = 384
QUESTION = "When did the two leaders meet in Reykjavik about fisheries?"


def test_a_chunk_newer_than_the_table_is_found_fetched_and_cited_by_id(tmp_path):
    rng = np.random.default_rng(5)
    model = get_embedding_model(LOCAL_EMBED_MODEL, None, None)
    settings = Settings(data_dir=tmp_path)
    store = ChromaStore(settings, settings.embed_model, DIM)
    vectors = rng.standard_normal((200, DIM))
    vectors = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)
    old = [
        Chunk(
            f"d{i // 2}:{i % 2}",
            f"d{i // 2}",
            i % 2,
            f"Old text number {i}.",
            0,
            10,
            {"doc_id": f"d{i // 2}", "position": i % 2, "date_int": 20200101, "title": "Old"},
        )
        for i in range(200)
    ]
    store.add_chunks(old, vectors)
    store.bump_generation()
    keyword = open_keyword_index(store, tmp_path / "bm25")
    new = Chunk(
        "new:0",
        "new",
        0,
        "The leaders met in Reykjavik.",
        0,
        29,
        {"doc_id": "new", "position": 0, "date_int": 20240101, "title": "New readout"},
    )
    store.add_chunks([new], embed_query(model, QUESTION)[None, :])  # after the table
    assert "new:0" not in keyword.position

    config = RetrievalConfig(candidates=10, exact_search_limit=100)  # the Chroma path
    retriever = HybridRetriever(store, keyword, model, config)
    dense = retriever.dense(embed_query(model, QUESTION))
    assert dense[0] == "new:0" and all(isinstance(cid, str) for cid in dense)
    assert set(dense[1:]) <= set(keyword.ids)

    got = retriever.retrieve(QUESTION)
    assert "new" in got.doc_ids[: config.full_docs]  # one chunk, first by similarity
    (fetched,) = [p for p in got.passages if p.doc_id == "new"]
    assert (fetched.chunk_id, fetched.text) == ("new:0", new.text)
    assert fetched.metadata["date_int"] == 20240101
    known = [p for p in got.passages if p.doc_id != "new"]
    assert known and all(p.chunk_id in keyword.position for p in known)
    assert all(p.text == keyword.texts[keyword.position[p.chunk_id]] for p in known)
    assert set(got.matches) == set(got.doc_ids)
