"""Filtered dense search above the exact-search limit: the same chunks as an exact filtered
search (a selective filter) or as the unfiltered ranking restricted to the filter (a broad
one). Real embedded Chroma over a small synthetic index; the limits are lowered so that
its 3,000 chunks take the paths a million chunks would."""

from __future__ import annotations

import numpy as np
import pytest

from readout_qa.config import RetrievalConfig, Settings
from readout_qa.filtering import to_where
from readout_qa.keyword_index import open_keyword_index
from readout_qa.models import Chunk, Filters
from readout_qa.retrieval import HybridRetriever, exact_top_k
from readout_qa.store import ChromaStore

N, DIM, K = 3000, 384, 40
YEARS = list(range(2015, 2025))


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    """3,000 chunks (random unit vectors in 30 clusters, a year each) in Chroma and the
    keyword index's table."""
    rng = np.random.default_rng(13)
    centres = rng.standard_normal((30, DIM))
    vectors = centres[rng.integers(0, 30, N)] + 0.8 * rng.standard_normal((N, DIM))
    vectors = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)
    settings = Settings(data_dir=tmp_path_factory.mktemp("filtered-index"))
    store = ChromaStore(settings, settings.embed_model, DIM)
    chunks = []
    for i in range(N):
        year = YEARS[i % len(YEARS)]
        meta = {"doc_id": f"d{i // 3}", "position": i % 3, "date_int": year * 10000 + 101}
        chunks.append(Chunk(f"d{i // 3}:{i % 3}", f"d{i // 3}", i % 3, f"text {i}", 0, 6, meta))
    store.add_chunks(chunks, vectors)
    store.bump_generation()
    keyword = open_keyword_index(store, settings.data_dir / "bm25")
    assert keyword.vectors is not None and len(keyword.vectors) == N
    return store, keyword, rng


def _retriever(index, **limits) -> HybridRetriever:
    store, keyword, _ = index
    config = RetrievalConfig(candidates=K, exact_search_limit=1000, **limits)
    return HybridRetriever(store, keyword, None, config)  # dense() takes vectors


def _query(index) -> np.ndarray:
    q = index[2].standard_normal(DIM)
    return (q / np.linalg.norm(q)).astype(np.float32)


def _exact(index, q, filters: Filters) -> list[str]:
    keyword = index[1]
    mask = keyword.filter_mask(to_where(filters))
    return [keyword.ids[i] for i in exact_top_k(keyword.vectors, q, K, mask)]


ONE_YEAR = Filters(since="2019-01-01", until="2019-12-31")  # 300 chunks: selective
SIX_YEARS = Filters(since="2016-01-01", until="2021-12-31")  # 1,800 chunks: broad


@pytest.mark.parametrize("seed", range(5))
def test_a_selective_filter_is_searched_exactly(index, seed):
    retriever = _retriever(index, exact_filtered_limit=500)
    for _ in range(seed + 1):
        q = _query(index)
    got = retriever.dense(q, ONE_YEAR)
    assert got == _exact(index, q, ONE_YEAR)
    assert all(
        2019_00_00 < index[1].metas[index[1].position[c]]["date_int"] < 2020_00_00 for c in got
    )


def test_a_broad_filter_over_fetches_and_ranks_exactly(index):
    """Above the exact-search limit the unfiltered search is HNSW's (approximate): the
    chunks that pass come from it, ranked by their exact similarity."""
    store, keyword, _ = index
    retriever = _retriever(index, exact_filtered_limit=500)
    mask = keyword.filter_mask(to_where(SIX_YEARS))
    overlap = []
    for _ in range(5):
        q = _query(index)
        got = retriever.dense(q, SIX_YEARS)
        assert len(got) == K and all(mask[keyword.position[c]] for c in got)
        sims = [float(keyword.vectors[keyword.position[c]] @ q) for c in got]
        assert sims == sorted(sims, reverse=True)
        overlap.append(len(set(got) & set(_exact(index, q, SIX_YEARS))) / K)
    assert min(overlap) >= 0.9 and sum(overlap) / len(overlap) >= 0.95, overlap


def test_too_few_passing_falls_back_to_the_exact_search(index):
    """A cap below what the filter needs: no partial answer, the exact one."""
    retriever = _retriever(index, exact_filtered_limit=100, overfetch_max=50)
    q = _query(index)
    assert retriever.dense(q, ONE_YEAR) == _exact(index, q, ONE_YEAR)
    assert retriever.dense(q, SIX_YEARS) == _exact(index, q, SIX_YEARS)
