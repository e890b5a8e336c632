"""BM25 over the chunk table: search, the same filters Chroma gets, idf, and persistence.

Indexes are built from in-memory lists (ids, texts, metadata), never from Chroma.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from readout_qa.filtering import to_where
from readout_qa.keyword_index import DOC_FREQS, FORMAT, STAMP, KeywordIndex
from readout_qa.models import Filters
from readout_qa.terms import terms

LI = {
    "doc_id": "li",
    "title": "Li Keqiang meets De Croo",
    "date_int": 20211208,
    "publisher": "Xinhua",
    "country_Belgium": True,
    "country_China": True,
}
BX = {
    "doc_id": "bx",
    "title": "Biden-Xi call",
    "date_int": 20231115,
    "publisher": "White House",
    "country_China": True,
    "country_United_States": True,
}
MACRON = {
    "doc_id": "fr",
    "title": "Macron call",
    "date_int": 20220301,
    "publisher": "Elysee",
    "country_France": True,
}

CHUNKS = [
    ("li#0", "Li discussed biomedicine and agriculture.", LI),
    ("li#1", "Trade in ports rose.", LI),
    ("bx#0", "The leaders discussed fentanyl and trade.", BX),
    ("fr#0", "The president spoke about nuclear energy and trade.", MACRON),
]


@pytest.fixture
def index() -> KeywordIndex:
    ids, texts, metas = (list(x) for x in zip(*CHUNKS, strict=True))
    return KeywordIndex(ids, texts, metas, generation=1)


def hit_ids(index: KeywordIndex, query: str, k: int = 10, mask=None) -> list[str]:
    return [index.ids[h.index] for h in index.search(query, k, mask)]


# ------------------------------------------------------------------------------ search
def test_search_finds_the_chunk_with_the_word(index):
    """A rare word finds its one chunk."""
    assert hit_ids(index, "fentanyl") == ["bx#0"]


def test_search_matches_inflections(index):
    """Query and chunk are stemmed alike: "discussing" finds "discussed"."""
    assert set(hit_ids(index, "discussing")) == {"li#0", "bx#0"}


def test_search_indexes_the_title_with_each_chunk(index):
    """A chunk deep in a readout is found by who met whom, named only in the title."""
    assert set(hit_ids(index, "Croo")) == {"li#0", "li#1"}


def test_search_ranks_more_matching_terms_higher(index):
    """A chunk with both query words beats chunks with one."""
    assert hit_ids(index, "fentanyl trade")[0] == "bx#0"


def test_search_returns_at_most_k_positive_hits_best_first(index):
    """Only chunks that match at all are returned, at most k, scores descending."""
    hits = index.search("trade", 2)
    assert len(hits) == 2
    assert hits[0].score >= hits[1].score > 0
    assert len(index.search("trade", 10)) == 3  # the fourth chunk lacks "trade"


def test_search_of_stopwords_or_unknown_words_is_empty(index):
    """Nothing to match: no hits, no error."""
    assert index.search("the of and", 5) == []
    assert index.search("zebra", 5) == []
    assert index.search("", 5) == []


def test_search_of_an_empty_index_is_empty():
    """A fresh data dir answers (nothing) instead of failing."""
    empty = KeywordIndex([], [], [], generation=0)
    assert empty.search("trade", 5) == []
    assert empty.filter_mask(to_where(Filters(doc_ids=["x"]))).tolist() == []


def test_position_maps_ids_to_rows(index):
    """Retrieval looks chunk texts up by id."""
    assert index.position["bx#0"] == 2
    assert index.texts[index.position["bx#0"]] == "The leaders discussed fentanyl and trade."


# ------------------------------------------------------------------------------ filters
def where(**kw):
    return to_where(Filters(**kw))


def test_no_filter_is_no_mask(index):
    """No restriction: search everything (None, not an all-true array)."""
    assert index.filter_mask(None) is None
    assert index.filter_mask(where()) is None


@pytest.mark.parametrize(
    ("filters", "allowed"),
    [
        ({"countries": ["France"]}, ["fr#0"]),
        ({"countries": ["France", "Belgium"]}, ["li#0", "li#1", "fr#0"]),
        ({"since": "2022-01-01"}, ["bx#0", "fr#0"]),
        ({"until": "2022-03-01"}, ["li#0", "li#1", "fr#0"]),
        ({"since": "2022-01-01", "countries": ["China"]}, ["bx#0"]),
        ({"publishers": ["Elysee", "Xinhua"]}, ["li#0", "li#1", "fr#0"]),
        ({"doc_ids": ["li"]}, ["li#0", "li#1"]),
        ({"countries": ["Japan"]}, []),
    ],
)
def test_filter_mask_matches_the_chroma_where(index, filters, allowed):
    """Keyword search sees exactly the chunks the vector store's where clause allows."""
    mask = index.filter_mask(where(**filters))
    assert [cid for cid, ok in zip(index.ids, mask, strict=True) if ok] == allowed


def test_filter_mask_agrees_with_the_python_evaluator(index):
    """The numpy fast path gives what filtering.evaluate gives row by row."""
    from readout_qa.filtering import evaluate

    w = where(since="2021-12-08", until="2023-01-01", countries=["China", "France"])
    expected = [evaluate(w, m) for m in index.metas]
    assert index.filter_mask(w).tolist() == expected


def test_filter_mask_falls_back_for_other_clauses(index):
    """A clause on a field without a column ("title", "$ne") is evaluated row by row."""
    assert index.filter_mask({"title": "Macron call"}).tolist() == [False, False, False, True]
    ne = index.filter_mask({"date_int": {"$ne": 20211208}})
    assert ne.tolist() == [False, False, True, True]


def test_search_respects_the_mask(index):
    """A filtered search never returns a chunk outside the filter."""
    mask = index.filter_mask(where(countries=["France"]))
    assert hit_ids(index, "trade", mask=mask) == ["fr#0"]
    assert hit_ids(index, "fentanyl", mask=mask) == []


# ------------------------------------------------------------------------------ idf
def test_idf_rarer_terms_weigh_more(index):
    """The extractive answerer weighs question words by rarity."""
    assert index.idf("fentanyl") > index.idf("discuss") > index.idf("trade")


def test_idf_of_an_unseen_term_is_the_largest(index):
    """A word no chunk has is as rare as it gets."""
    unseen = index.idf("zebra")
    assert all(unseen > index.idf(t) for t in index.doc_freqs)


def test_doc_freqs_count_chunks_not_occurrences():
    """ "trade trade trade" in one chunk is document frequency 1."""
    ki = KeywordIndex(["a", "b"], ["trade trade trade", "talks"], [{}, {}], generation=1)
    assert ki.doc_freqs["trade"] == 1 and ki.doc_freqs["talk"] == 1


def test_idf_of_an_empty_index_is_finite():
    """No chunks: idf still works (no division by zero)."""
    assert np.isfinite(KeywordIndex([], [], [], generation=0).idf("trade"))


# ------------------------------------------------------------------------------ persistence
def test_save_and_load_round_trip(index, tmp_path):
    """A saved index answers exactly as the one that was saved."""
    index.save(tmp_path / "bm25")
    loaded = KeywordIndex.load(tmp_path / "bm25")
    assert loaded is not None
    assert loaded.generation == 1
    assert (list(loaded.ids), list(loaded.texts), list(loaded.metas)) == (
        list(index.ids),
        list(index.texts),
        list(index.metas),
    )
    assert loaded.doc_freqs == index.doc_freqs
    for q in ("trade", "fentanyl trade", "Croo", "discussing"):
        assert [(h.index, round(h.score, 6)) for h in loaded.search(q, 10)] == [
            (h.index, round(h.score, 6)) for h in index.search(q, 10)
        ]
    w = where(countries=["China"])
    assert loaded.filter_mask(w).tolist() == index.filter_mask(w).tolist()


def test_save_replaces_an_existing_index_and_leaves_no_temp_dirs(index, tmp_path):
    """Saving is atomic: the old copy is replaced and no ".bm25-" or ".old" remains."""
    target = tmp_path / "bm25"
    index.save(target)
    newer = KeywordIndex(["x#0"], ["zebra crossing"], [{"doc_id": "x"}], generation=2)
    newer.save(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bm25"]
    loaded = KeywordIndex.load(target)
    assert loaded is not None and loaded.generation == 2 and list(loaded.ids) == ["x#0"]


def test_empty_index_round_trip(tmp_path):
    """An empty index (fresh data dir) saves and loads."""
    KeywordIndex([], [], [], generation=3).save(tmp_path / "bm25")
    loaded = KeywordIndex.load(tmp_path / "bm25")
    assert loaded is not None and list(loaded.ids) == [] and loaded.generation == 3


def test_index_saved_without_doc_freqs_loads_as_none(index, tmp_path):
    """An index without its document frequencies is rebuilt rather than given empty idf."""
    index.save(tmp_path / "bm25")
    (tmp_path / "bm25" / DOC_FREQS).unlink()
    assert KeywordIndex.load(tmp_path / "bm25") is None


def test_missing_or_inconsistent_index_loads_as_none(index, tmp_path):
    """A missing folder, or a stamp that disagrees with the table, means rebuild."""
    assert KeywordIndex.load(tmp_path / "nowhere") is None
    index.save(tmp_path / "bm25")
    (tmp_path / "bm25" / STAMP).write_text(
        json.dumps({"generation": 1, "count": 99, "format": FORMAT})
    )
    assert KeywordIndex.load(tmp_path / "bm25") is None


def test_unreadable_index_loads_as_none(index, tmp_path):
    """A corrupt file is a rebuild, not a crash."""
    index.save(tmp_path / "bm25")
    (tmp_path / "bm25" / DOC_FREQS).write_text("{not json")
    assert KeywordIndex.load(tmp_path / "bm25") is None


def test_chunks_are_indexed_with_the_shared_terms(index):
    """BM25 uses terms.terms, like the answerer and the citation check."""
    assert set(terms("Biden-Xi call\nThe leaders discussed fentanyl and trade.")) <= set(
        index.doc_freqs
    )
