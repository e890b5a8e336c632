"""Filters: one clause for Chroma, the same clause evaluated on the BM25 chunk table."""

from __future__ import annotations

import numpy as np
import pytest

from readout_qa.filtering import evaluate, to_where
from readout_qa.models import Filters


@pytest.mark.parametrize(
    "filters",
    [
        Filters(since="2022-01-01", until="2022-12-31"),
        Filters(countries=["Belgium", "China"]),
        Filters(publishers=["The White House"], since="2023-06-01"),
        Filters(doc_ids=["000_29b7a47e08d55584"], countries=["Belgium"]),
        Filters(countries=["Atlantis"]),
    ],
)
def test_keyword_mask_matches_row_by_row_evaluation(subset_qa, filters):
    index = subset_qa.retriever.keyword
    where = to_where(filters)
    mask = index.filter_mask(where)
    expected = np.array([evaluate(where, m) for m in index.metas], dtype=bool)
    assert mask.dtype == bool and (mask == expected).all()
    if filters.countries == ["Atlantis"]:
        assert not mask.any()
    else:
        assert mask.any()


def test_where_clause_shapes():
    assert to_where(Filters()) is None
    assert to_where(Filters(since="2021-12-01")) == {"date_int": {"$gte": 20211201}}
    both = to_where(Filters(since="2021-12-01", countries=["South Korea"]))
    assert both == {
        "$and": [{"date_int": {"$gte": 20211201}}, {"country_South_Korea": {"$eq": True}}]
    }
    with pytest.raises(ValueError, match="not a date"):
        to_where(Filters(until="2021-13-01"))
