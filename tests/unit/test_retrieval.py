"""Retrieval's pure scoring steps: reciprocal-rank fusion, grouping by readout, readout scores.

``HybridRetriever`` itself needs Chroma and is covered by the integration tests; the functions
here decide the ranking and are tested on lists of ids.
"""

from __future__ import annotations

import pytest

from readout_qa.config import RetrievalConfig
from readout_qa.retrieval import (
    exact_top_k,
    exact_top_k_rows,
    fuse,
    group_by_readout,
    readout_score,
)


def doc_of(cid: str) -> str:
    """Chunk ids in these tests are "<doc>#<n>"."""
    return cid.split("#")[0]


# ------------------------------------------------------------------------------ fuse
def test_fuse_gives_each_rank_weight_over_k_plus_rank():
    """RRF: the first hit of a ranking gets weight/(k+1), the second weight/(k+2), ..."""
    fused = fuse([(["a", "b", "c"], 1.0)], rrf_k=60)
    assert fused == pytest.approx({"a": 1 / 61, "b": 1 / 62, "c": 1 / 63})


def test_fuse_adds_up_an_id_found_by_both_searches():
    """A chunk that dense and keyword search both find is stronger evidence than either."""
    fused = fuse([(["a", "b"], 1.0), (["b", "c"], 1.0)], rrf_k=60)
    assert fused["b"] == pytest.approx(1 / 62 + 1 / 61)
    assert max(fused, key=fused.__getitem__) == "b"


def test_fuse_applies_each_ranking_weight():
    """The dense/keyword weights of the config scale each ranking's contribution."""
    fused = fuse([(["a"], 2.0), (["b"], 0.5)], rrf_k=10)
    assert fused["a"] == pytest.approx(2.0 / 11)
    assert fused["b"] == pytest.approx(0.5 / 11)


def test_fuse_weight_can_flip_the_order_of_two_first_hits():
    """A heavier ranking's first hit beats a lighter ranking's first hit."""
    fused = fuse([(["dense"], 1.0), (["keyword"], 1.5)], rrf_k=60)
    assert fused["keyword"] > fused["dense"]


def test_fuse_small_k_favours_the_top_ranks_more():
    """rrf_k controls how steeply rank matters: with k=0 the first hit counts double the second."""
    steep = fuse([(["a", "b"], 1.0)], rrf_k=0)
    flat = fuse([(["a", "b"], 1.0)], rrf_k=1000)
    assert steep["a"] / steep["b"] == pytest.approx(2.0)
    assert flat["a"] / flat["b"] < 1.01


def test_fuse_of_no_rankings_or_empty_rankings_is_empty():
    """No search ran (or none found anything): nothing to rank, no error."""
    assert fuse([], rrf_k=60) == {}
    assert fuse([([], 1.0), ([], 1.0)], rrf_k=60) == {}


def test_fuse_keeps_ids_found_by_only_one_search():
    """Fusion is a union: a chunk only keyword search found still competes."""
    fused = fuse([(["a"], 1.0), (["z"], 1.0)], rrf_k=60)
    assert set(fused) == {"a", "z"}


# ------------------------------------------------------------------------------ group_by_readout
def test_group_by_readout_orders_readouts_by_their_best_chunk():
    """Readouts come in the order of their best fused chunk."""
    fused = {"x#0": 0.01, "y#0": 0.03, "x#1": 0.02}
    groups = group_by_readout(fused, doc_of)
    assert list(groups) == ["y", "x"]


def test_group_by_readout_lists_chunks_best_first():
    """Within a readout, the best chunks come first (they are the passages shown)."""
    fused = {"x#0": 0.01, "x#1": 0.03, "x#2": 0.02}
    assert group_by_readout(fused, doc_of) == {"x": ["x#1", "x#2", "x#0"]}


def test_group_by_readout_keeps_every_chunk_once():
    """Grouping loses no chunk and duplicates none."""
    fused = {f"{d}#{i}": (i + 1) * 0.001 + j for j, d in enumerate("abc") for i in range(3)}
    groups = group_by_readout(fused, doc_of)
    assert sorted(c for cids in groups.values() for c in cids) == sorted(fused)


def test_group_by_readout_of_nothing_is_empty():
    """No candidates: no readouts."""
    assert group_by_readout({}, doc_of) == {}


# ------------------------------------------------------------------------------ readout_score
def test_readout_score_of_one_chunk_is_that_chunk():
    """A readout with one matching chunk scores exactly that chunk."""
    assert readout_score([0.02], RetrievalConfig()) == pytest.approx(0.02)


def test_readout_score_adds_support_weight_times_next_chunks():
    """Best chunk plus support_weight x the next support_chunks chunks."""
    cfg = RetrievalConfig(support_weight=0.3, support_chunks=2)
    assert readout_score([0.05, 0.02, 0.01], cfg) == pytest.approx(0.05 + 0.3 * 0.03)


def test_readout_score_ignores_chunks_beyond_support_chunks():
    """Only the next support_chunks count, so a long readout gains nothing from length."""
    cfg = RetrievalConfig(support_weight=0.3, support_chunks=2)
    assert readout_score([0.05, 0.02, 0.01, 0.01, 0.01], cfg) == pytest.approx(0.05 + 0.3 * 0.03)


def test_readout_score_without_support_is_the_best_chunk():
    """support_chunks=0 (or weight 0) ranks readouts by their best chunk alone."""
    assert readout_score([0.05, 0.04], RetrievalConfig(support_chunks=0)) == pytest.approx(0.05)
    assert readout_score([0.05, 0.04], RetrievalConfig(support_weight=0.0)) == pytest.approx(0.05)


def test_one_strong_chunk_beats_many_weak_ones():
    """Several weak matches are some evidence, but must not outrank one strong match."""
    cfg = RetrievalConfig()
    strong = readout_score([2 / 61], cfg)  # first in both searches
    weak = readout_score([1 / 80] * 10, cfg)  # ten chunks around rank 20 of one search
    assert strong > weak


def test_supporting_chunks_break_a_tie_between_equal_best_chunks():
    """Two readouts with the same best chunk: the one with more matching chunks wins."""
    cfg = RetrievalConfig()
    assert readout_score([0.02, 0.01], cfg) > readout_score([0.02], cfg)


@pytest.mark.parametrize("block", [7, 64, 50_000])
@pytest.mark.parametrize("k", [1, 10, 400])
def test_exact_search_over_rows_in_blocks_equals_the_masked_search(block, k):
    """Scoring only a filter's rows, a block at a time, finds what scoring every row and
    masking finds, in the same order (ties by row)."""
    import numpy as np

    rng = np.random.default_rng(k * block)
    vectors = rng.standard_normal((1000, 16)).astype(np.float32)
    vectors[5] = vectors[6]  # a tie, broken by row
    query = rng.standard_normal(16).astype(np.float32)
    mask = rng.random(1000) < 0.3
    mask[[5, 6]] = True
    rows = np.flatnonzero(mask)
    assert exact_top_k_rows(vectors, query, k, rows, block) == exact_top_k(vectors, query, k, mask)
    assert exact_top_k_rows(vectors, query, k, rows[:0], block) == []


def test_exact_top_k_ranks_by_similarity_ties_by_row_against_a_full_sort():
    """The top rows equal a full sort by (-similarity, row), ties included."""
    import numpy as np

    rng = np.random.default_rng(7)
    vectors = rng.standard_normal((2000, 16)).astype(np.float32)
    vectors[[10, 11, 12]] = vectors[3]  # ties with row 3, broken by row
    query = vectors[3].copy()
    sims = vectors @ query
    expected = sorted(range(len(vectors)), key=lambda i: (-sims[i], i))[:25]
    got = exact_top_k(vectors, query, 25)
    assert got == expected and got[:4] == [3, 10, 11, 12]
    assert all(isinstance(i, int) for i in got)


def test_one_blas_thread_computes_the_same_similarities():
    """The query's product on one BLAS thread is bit-for-bit the default one (large enough
    for OpenBLAS to split it over threads by default), so rankings cannot change."""
    import numpy as np

    from readout_qa.retrieval import one_blas_thread

    rng = np.random.default_rng(3)
    vectors = rng.standard_normal((30_000, 384)).astype(np.float32)
    query = rng.standard_normal(384).astype(np.float32)
    default = vectors @ query
    with one_blas_thread():
        single = vectors @ query
    assert np.array_equal(default, single)
