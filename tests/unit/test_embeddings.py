"""Embedding models: the local MiniLM (real, offline, ~0.3 s to load) and an OpenAI-compatible
model served by the ``fake_openai`` fixture (real HTTP on 127.0.0.1, vectors of its own width)."""

from __future__ import annotations

import numpy as np
import pytest

from readout_qa.embeddings import (
    EmbeddingError,
    LocalMiniLMEmbedding,
    dimension_of,
    embed_query,
    embed_sentences,
    embed_texts,
    get_embedding_model,
)

TEXTS = [
    "The two leaders discussed trade, tariffs and investment between their countries at length.",
    "AI",
    "Biden met Xi at Woodside.",
    "Fentanyl trafficking was raised.",
    "",
]


@pytest.fixture(scope="module")
def local() -> LocalMiniLMEmbedding:
    return LocalMiniLMEmbedding(batch_size=2)  # small batches: several length-sorted batches


# ------------------------------------------------------------------------------ local MiniLM
def test_local_dimension_is_384(local):
    """MiniLM's width, as the ONNX graph declares it; the store's vectors must agree."""
    assert local.dimension == 384
    assert dimension_of(local) == 384


def test_local_vectors_are_unit_length_float32(local):
    """Cosine similarity is a dot product only for unit vectors."""
    vectors = local.embed(TEXTS)
    assert vectors.shape == (len(TEXTS), 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_local_order_is_preserved_across_length_sorted_batches(local):
    """Batches are sorted by length for speed; rows must still come back in input order."""
    together = local.embed(TEXTS)
    one_by_one = np.stack([local.embed([t])[0] for t in TEXTS])
    assert np.allclose(together, one_by_one, atol=1e-5)


def test_local_similar_texts_are_closer(local):
    """A sanity check of meaning: a paraphrase is nearer than an unrelated sentence."""
    a, b, c = local.embed(
        ["Biden met Xi at Woodside.", "Xi and Biden held talks in Woodside.", "Trade rose."]
    )
    assert a @ b > a @ c


def test_local_empty_input_has_the_model_width(local):
    """No sentences: an empty (0, 384) array, so stacking and @ still work."""
    assert local.embed([]).shape == (0, 384)
    assert embed_texts(local, []).shape == (0, 384)
    assert embed_sentences(local, []).shape == (0, local.dimension)


def test_local_query_embedding_matches_text_embedding(local):
    """Queries and documents live in the same space (no query prefix for MiniLM)."""
    q = embed_query(local, "Biden met Xi at Woodside.")
    assert q.dtype == np.float32
    assert np.allclose(q, local.embed(["Biden met Xi at Woodside."])[0], atol=1e-5)


def test_embed_sentences_repeats_and_order(local):
    """Memoised sentence vectors come back one row per input, repeats included."""
    out = embed_sentences(local, ["Trade rose.", "AI", "Trade rose."])
    assert out.shape == (3, 384)
    assert np.array_equal(out[0], out[2])
    assert np.allclose(out[1], local.embed(["AI"])[0], atol=1e-5)


def test_get_embedding_model_local_is_cached():
    """Loading ONNX costs time: one instance per process and configuration."""
    first = get_embedding_model("all-MiniLM-L6-v2-onnx-int8", None, None)
    assert isinstance(first, LocalMiniLMEmbedding)
    assert get_embedding_model("all-MiniLM-L6-v2-onnx-int8", None, None) is first


def test_remote_model_without_a_key_is_a_clear_error():
    """An OpenAI embedding model needs OPENAI_API_KEY; the message says how to fix it."""
    with pytest.raises(EmbeddingError, match="OPENAI_API_KEY"):
        get_embedding_model("text-embedding-3-small", None, None)


# ------------------------------------------------------------------------------ OpenAI-compatible
@pytest.fixture
def remote(fake_openai):
    """An OpenAI embedding model whose server returns vectors of a non-384 width."""
    fake_openai.embedding_dim = 12
    return get_embedding_model("text-embedding-3-small", api_key="x", base_url=fake_openai.base_url)


def test_remote_empty_input_has_the_remote_width(remote, fake_openai):
    """Regression: the empty result once had 384 columns for every model."""
    assert embed_sentences(remote, []).shape == (0, fake_openai.embedding_dim)
    assert embed_texts(remote, []).shape == (0, fake_openai.embedding_dim)


def test_remote_vectors_come_from_the_server(remote, fake_openai):
    """Texts are embedded by the configured endpoint, in order, as float32."""
    from fake_openai import fake_embedding

    out = embed_texts(remote, ["Trade rose.", "AI"])
    assert out.dtype == np.float32 and out.shape == (2, 12)
    assert np.allclose(out[0], fake_embedding("Trade rose.", 12), atol=1e-6)
    assert np.allclose(out[1], fake_embedding("AI", 12), atol=1e-6)
    assert dimension_of(remote) == 12


def test_remote_sentences_are_memoised(remote, fake_openai):
    """Answer selection meets the same sentences again; each is embedded once."""
    embed_sentences(remote, ["Trade rose.", "AI", "Trade rose."])
    calls = len(fake_openai.embedding_requests)
    again = embed_sentences(remote, ["AI", "Trade rose."])
    assert len(fake_openai.embedding_requests) == calls
    assert again.shape == (2, 12)
    sent = [t for body in fake_openai.embedding_requests for t in body["input"]]
    assert sent.count("Trade rose.") == 1


def test_query_vector_is_the_query_embedding_and_a_private_copy(local):
    """Retrieval's direct path gives exactly what llama-index's ``get_query_embedding``
    gives (same cache), and a caller changing its copy changes no later answer."""
    text = "When did Biden call Trudeau?"
    v = local.query_vector(text)
    assert v.dtype == np.float32 and v.flags.writeable
    assert np.array_equal(v, np.asarray(local.get_query_embedding(text), dtype=np.float32))
    assert np.array_equal(v, embed_query(local, text))
    assert np.array_equal(v, local.embed([text])[0])
    v[:] = 0.0
    assert np.linalg.norm(local.query_vector(text)) == pytest.approx(1.0, abs=1e-5)
