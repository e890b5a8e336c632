"""Fact matching and evaluation metrics, on hand-built Answer and Citation objects.

The gate (thresholds, regressions) is tested in test_gate.py.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter

import pytest

from readout_qa.evals.gold import (
    GoldFormatError,
    GoldItem,
    covering_alternative,
    draw_split,
    fact_covered,
    normalize,
    parse_gold,
)
from readout_qa.evals.metrics import (
    LOWER_IS_BETTER,
    METRICS,
    REPORT_KEYS,
    ItemResult,
    aggregate,
    aggregate_splits,
    evaluate_item,
    mean,
    percentile,
    reciprocal_rank,
    retrieval_recall_at,
)
from readout_qa.markers import strip_markers
from readout_qa.models import Answer, Citation


def cite(n: int, doc_id: str, quote: str) -> Citation:
    return Citation(
        n=n,
        doc_id=doc_id,
        title=f"Readout {doc_id}",
        date="2023-11-15",
        source=f"https://example.org/{doc_id}",
        publisher="The White House",
        quote=quote,
        start=0,
        end=len(quote),
        score=0.5,
    )


def gold(
    facts: list[list[str]] | None = None,
    sources: list[str] | None = None,
    kind: str = "list",
    answerable: bool = True,
    id: str = "q1",
) -> GoldItem:
    if facts is None:
        facts = [["fentanyl"], ["AI safety"], ["passenger flights"]]
    if sources is None:
        sources = ["woodside"]
    return GoldItem(
        id=id,
        question="What did Biden and Xi agree at Woodside?",
        facts=facts,
        sources=sources,
        answerable=answerable,
        kind=kind,
    )


def unanswerable(id: str = "u1") -> GoldItem:
    return gold(facts=[], sources=[], kind="unanswerable", answerable=False, id=id)


# ---------------------------------------------------------------------------
# matching


def test_normalize_lowercases_and_collapses_punctuation_and_space():
    assert normalize("  The U.S.–China\n\tDefense  Policy!  ") == "the u s china defense policy"


def test_curly_quotes_and_apostrophes_match_straight_ones():
    assert normalize("Ukraine’s “one China” policy") == normalize('Ukraine\'s "one China" policy')
    assert fact_covered("Ukraine’s sovereignty", ["Ukraine's sovereignty"])
    assert fact_covered("the Partnership for Workers' Rights", ["Partnership for Workers’ Rights"])


def test_accents_are_ignored():
    assert fact_covered("President López Obrador", ["Lopez Obrador"])
    assert fact_covered("Sauli Niinistö", ["Niinisto"])


def test_matching_respects_word_boundaries():
    assert not fact_covered("They discussed normalization of relations.", ["mali"])
    assert fact_covered("The situation in Mali was raised.", ["mali"])
    assert not fact_covered("Iranian oil", ["Iran"])
    assert not fact_covered("They discussed F-16 training.", ["F-16s"])
    assert fact_covered("transfer their F-16s to Ukraine", ["F-16s"])


def test_abbreviations_with_dots_match_themselves():
    assert fact_covered("support from the U.S. for Kyiv", ["U.S."])
    assert fact_covered("support from the U.S. for Kyiv", ["U. S."])
    assert not fact_covered("they told us about it", ["U.S."])


def test_multiword_facts_match_across_punctuation_and_case():
    text = "Biden backed Russia’s return to the Black-Sea grain initiative."
    assert fact_covered(text, ["Black Sea Grain Initiative"])
    assert fact_covered("US$250 billion", ["250 billion"])
    assert fact_covered("a new $625 million package", ["$625 million"])


def test_covering_alternative_returns_the_first_alternative_that_matches():
    alts = ["modern agriculture", "agriculture"]
    assert covering_alternative("fields such as modern agriculture", alts) == "modern agriculture"
    assert covering_alternative("agriculture and medicine", alts) == "agriculture"
    assert covering_alternative("microelectronics", alts) is None


def test_strip_markers_removes_citation_markers_only():
    # The evals strip markers as readout_qa.markers defines them, replaced by a space.
    text = "They agreed [1]. Also [2, 3] and [4-5] but not [a] or [2024 talks]."
    expected = "They agreed . Also and but not [a] or [2024 talks]."
    assert " ".join(strip_markers(text, replacement=" ").split()) == expected
    assert fact_covered(strip_markers("on 5[1] May", replacement=" "), ["5 May"])


# ---------------------------------------------------------------------------
# per item

WOODSIDE_QUOTE = (
    "They welcomed the resumption of bilateral cooperation to combat synthetic drugs like fentanyl."
)


def test_fact_recall_and_all_facts():
    item = gold()
    partial = Answer(question="q", text="They agreed on fentanyl [1] and AI safety [2].")
    res = evaluate_item(item, partial)
    assert res.fact_recall == pytest.approx(2 / 3)
    assert res.all_facts == 0.0
    assert res.covered == ["fentanyl", "AI safety"]
    assert res.missing == [["passenger flights"]]
    full = Answer(question="q", text="Fentanyl, AI safety, and more passenger flights.")
    assert evaluate_item(item, full).all_facts == 1.0


def test_markers_are_stripped_before_matching_facts():
    item = gold(facts=[["5"]])
    assert evaluate_item(item, Answer(question="q", text="They agreed [5].")).fact_recall == 0.0
    assert evaluate_item(item, Answer(question="q", text="By February 5 [1].")).fact_recall == 1.0
    # Markers have 1-3 digits (readout_qa.markers): a bracketed year in a quote is text.
    year = gold(facts=[["2020"]])
    assert evaluate_item(year, Answer(question="q", text="the [2020] plan [1].")).fact_recall == 1.0


def test_a_refused_answer_covers_no_facts_and_counts_as_wrong_refusal():
    answer = Answer(question="q", text="I could not find fentanyl in the readouts.", refused=True)
    res = evaluate_item(gold(), answer)
    assert res.fact_recall == 0.0 and res.all_facts == 0.0
    assert res.citation_support is None
    assert res.refused and not res.refusal_correct
    assert res.metric("answerable_wrongly_refused") == 1.0
    assert res.metric("unanswerable_refused") is None


def test_unanswerable_items_only_score_refusal_and_latency():
    refused = evaluate_item(unanswerable(), Answer(question="q", text="", refused=True), 0.4)
    assert refused.refusal_correct and refused.metric("unanswerable_refused") == 1.0
    assert refused.latency == 0.4
    for name in ("fact_recall", "all_facts", "citation_precision", "citation_support", "mrr"):
        assert refused.metric(name) is None
    answered = Answer(
        question="q", text="They agreed on tea.", citations=[cite(1, "woodside", "tea")]
    )
    res = evaluate_item(unanswerable(), answered)
    assert not res.refusal_correct and res.metric("unanswerable_refused") == 0.0
    assert res.citation_precision is None


def test_citation_precision_is_the_share_of_citations_from_gold_sources():
    answer = Answer(
        question="q",
        text="Fentanyl [1].",
        citations=[cite(1, "woodside", WOODSIDE_QUOTE), cite(2, "bali", "Blinken will visit.")],
    )
    assert evaluate_item(gold(), answer).citation_precision == 0.5
    no_citations = Answer(question="q", text="Fentanyl.")
    assert evaluate_item(gold(), no_citations).citation_precision is None


def test_citation_support_counts_covered_facts_found_in_a_cited_quote():
    answer = Answer(
        question="q",
        text="They agreed on fentanyl [1] and on AI safety [2].",
        citations=[
            cite(1, "woodside", WOODSIDE_QUOTE),
            cite(2, "woodside", "The leaders discussed artificial intelligence."),
        ],
    )
    res = evaluate_item(gold(), answer)
    assert res.citation_support == 0.5  # fentanyl is quoted, AI safety is not
    nothing_covered = Answer(question="q", text="They met.", citations=[cite(1, "woodside", "x")])
    assert evaluate_item(gold(), nothing_covered).citation_support is None
    uncited = Answer(question="q", text="Fentanyl.")
    assert evaluate_item(gold(), uncited).citation_support == 0.0


def test_support_needs_the_alternative_the_answer_used():
    item = gold(facts=[["modern agriculture", "agriculture"]])
    answer = Answer(
        question="q",
        text="Modern agriculture [1].",
        citations=[cite(1, "woodside", "in the fields of biomedicine and modern agriculture")],
    )
    assert evaluate_item(item, answer).citation_support == 1.0
    # The quote mentions agriculture only; the answer's "agriculture" is what supports it.
    answer.citations = [cite(1, "woodside", "agriculture")]
    assert evaluate_item(item, answer).citation_support == 1.0
    answer.citations = [cite(1, "woodside", "biomedicine")]
    assert evaluate_item(item, answer).citation_support == 0.0


def test_supported_fact_recall_is_gated_on_gold_provenance():
    answer = Answer(
        question="q",
        text="Fentanyl [1], AI safety [2].",
        citations=[
            cite(1, "woodside", WOODSIDE_QUOTE),
            cite(2, "lima", "improve AI safety and international cooperation"),
        ],
    )
    res = evaluate_item(gold(), answer)
    assert res.citation_support == 1.0  # ALCE-like: any cited quote
    assert res.supported_fact_recall == pytest.approx(1 / 3)  # KILT-like: gold source only


def test_retrieval_recall_at_k_and_mrr():
    item = gold(sources=["a", "b"])
    retrieved = ["x", "a", "x", "y", "z", "w", "v", "b", "u", "t", "s"]
    answer = Answer(question="q", text="", retrieved_doc_ids=retrieved)
    res = evaluate_item(item, answer)
    assert res.recall_at_1 == 0.0
    assert res.recall_at_5 == 0.5  # duplicates do not take a rank
    assert res.recall_at_10 == 1.0
    assert res.mrr == 0.5
    assert res.metric("recall@5") == 0.5
    explicit = evaluate_item(item, answer, retrieved=["b"])
    assert explicit.recall_at_1 == 0.5 and explicit.mrr == 1.0


def test_retrieval_helpers():
    assert retrieval_recall_at(["a"], [], 5) == 0.0
    assert reciprocal_rank(["a"], ["c", "b"]) == 0.0
    assert reciprocal_rank(["a", "b"], ["c", "b", "a"]) == 0.5
    with pytest.raises(ValueError):
        retrieval_recall_at([], ["a"], 1)


def test_latency_defaults_to_the_answer_timings():
    answer = Answer(question="q", text="", timings={"retrieve": 0.1, "total": 0.75})
    assert evaluate_item(gold(), answer).latency == 0.75
    assert evaluate_item(gold(), answer, latency=2.0).latency == 2.0
    assert evaluate_item(gold(), Answer(question="q", text="")).latency is None


# ---------------------------------------------------------------------------
# aggregation


def test_percentile_interpolates_linearly():
    assert percentile([3.0], 95) == 3.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.5
    assert percentile([4.0, 1.0, 3.0, 2.0], 0) == 1.0
    assert percentile(list(map(float, range(1, 101))), 95) == pytest.approx(95.05)
    with pytest.raises(ValueError):
        percentile([], 50)


def _results() -> list[ItemResult]:
    woodside = [cite(1, "woodside", WOODSIDE_QUOTE)]
    return [
        evaluate_item(
            gold(id="a"),
            Answer(
                question="q",
                text="Fentanyl [1], AI safety.",
                citations=woodside,
                retrieved_doc_ids=["woodside"],
            ),
            latency=1.0,
        ),
        evaluate_item(
            gold(id="b", kind="factoid", facts=[["fentanyl"]]),
            Answer(question="q", text="No.", refused=True, retrieved_doc_ids=["x", "woodside"]),
            latency=3.0,
        ),
        evaluate_item(unanswerable("u1"), Answer(question="q", text="", refused=True), 2.0),
        evaluate_item(unanswerable("u2"), Answer(question="q", text="Tea."), 4.0),
    ]


def test_aggregate_has_exactly_the_report_keys_overall_and_per_kind():
    report = aggregate(_results())
    assert set(report) == {*REPORT_KEYS, "by_kind"}
    assert list(report["by_kind"]) == ["factoid", "list", "unanswerable"]
    for block in report["by_kind"].values():
        assert set(block) == set(REPORT_KEYS)
    assert set(METRICS) | {"n_items"} == set(REPORT_KEYS)


def test_aggregate_means_over_applicable_items():
    report = aggregate(_results())
    assert report["n_items"] == 4
    assert report["fact_recall"] == pytest.approx((2 / 3 + 0.0) / 2)
    assert report["all_facts"] == 0.0
    assert report["citation_precision"] == 1.0  # only item "a" cited anything
    assert report["citation_support"] == 0.5  # item "a": fentanyl quoted, AI safety not
    assert report["recall@1"] == 0.5 and report["recall@5"] == 1.0
    assert report["mrr"] == pytest.approx(0.75)
    assert report["unanswerable_refused"] == 0.5
    assert report["answerable_wrongly_refused"] == 0.5
    assert report["latency_p50"] == 2.5
    assert report["latency_p95"] == pytest.approx(3.85)
    unans = report["by_kind"]["unanswerable"]
    assert unans["n_items"] == 2 and unans["fact_recall"] is None
    assert unans["answerable_wrongly_refused"] is None and unans["unanswerable_refused"] == 0.5
    assert report["by_kind"]["factoid"]["answerable_wrongly_refused"] == 1.0


def test_aggregate_of_nothing_is_all_none():
    report = aggregate([])
    assert report["n_items"] == 0 and report["by_kind"] == {}
    assert all(report[m] is None for m in METRICS)


def test_aggregate_is_deterministic():
    assert aggregate(_results()) == aggregate(_results())


def test_mean_leaves_out_metrics_that_do_not_apply():
    assert mean([1.0, None, 0.0]) == 0.5
    assert mean([None, None]) is None
    assert mean([]) is None


# ---------------------------------------------------------------------------
# answered wrongly


def test_answered_wrongly_is_an_answer_that_covers_no_gold_fact():
    item = gold(facts=[["fentanyl"], ["AI safety"]])
    wrong = evaluate_item(item, Answer(question="q", text="They discussed tariffs [1]."))
    assert wrong.metric("answered_wrongly") == 1.0 and wrong.fact_recall == 0.0
    assert wrong.metric("answerable_wrongly_refused") == 0.0
    partial = evaluate_item(item, Answer(question="q", text="Fentanyl [1]."))
    assert partial.metric("answered_wrongly") == 0.0  # one fact is enough not to be wrong
    refused = evaluate_item(item, Answer(question="q", text="Not said.", refused=True))
    assert refused.metric("answered_wrongly") == 0.0  # a refusal is wrong in another way
    assert refused.metric("answerable_wrongly_refused") == 1.0
    unans = evaluate_item(unanswerable(), Answer(question="q", text="Tea."))
    assert unans.metric("answered_wrongly") is None
    assert wrong.to_dict()["answered_wrongly"] == 1.0
    assert "answered_wrongly" in LOWER_IS_BETTER and "answered_wrongly" in REPORT_KEYS


def test_answered_wrongly_is_aggregated_over_answerable_items():
    results = _results() + [
        evaluate_item(gold(id="c", kind="factoid"), Answer(question="q", text="Tea [1]."), 1.0)
    ]
    report = aggregate(results)
    # answerable: a (answered, facts), b (refused), c (answered, no fact)
    assert report["answered_wrongly"] == pytest.approx(1 / 3)
    assert report["answerable_wrongly_refused"] == pytest.approx(1 / 3)
    assert report["by_kind"]["factoid"]["answered_wrongly"] == 0.5
    assert report["by_kind"]["unanswerable"]["answered_wrongly"] is None


# ---------------------------------------------------------------------------
# parts of the gold set


def test_items_carry_their_split_and_parts_are_aggregated_apart():
    def item(split, id, text):
        return evaluate_item(
            dataclasses.replace(gold(id=id, facts=[["fentanyl"]]), split=split),
            Answer(question="q", text=text),
            1.0,
        )

    results = [
        item("tune", "a", "Fentanyl."),
        item("test", "b", "Tea."),
        item("test", "c", "Fentanyl."),
        item(None, "d", "Tea."),
    ]
    assert [r.split for r in results] == ["tune", "test", "test", None]
    parts = aggregate_splits(results)
    assert list(parts) == ["tune", "test"]
    assert parts["tune"]["n_items"] == 1 and parts["tune"]["fact_recall"] == 1.0
    assert parts["test"]["n_items"] == 2 and parts["test"]["fact_recall"] == 0.5
    assert parts["test"]["answered_wrongly"] == 0.5
    assert parts["test"]["by_kind"]["list"]["n_items"] == 2
    assert aggregate(results)["n_items"] == 4  # an item without a part still counts overall
    assert aggregate_splits(results[3:]) == {}


def test_the_split_field_is_optional_and_validated():
    line = {
        "id": "a",
        "question": "q",
        "facts": [["x"]],
        "sources": ["d"],
        "answerable": True,
        "kind": "factoid",
    }
    assert parse_gold(json.dumps(line))[0].split is None
    assert parse_gold(json.dumps({**line, "split": "tune"}))[0].split == "tune"
    with pytest.raises(GoldFormatError, match="unknown split 'dev'"):
        parse_gold(json.dumps({**line, "split": "dev"}))


def test_draw_split_is_stratified_and_independent_of_order():
    items = [GoldItem(f"f{i}", "q", [["a"]], ["d"], True, "factoid") for i in range(7)] + [
        GoldItem(f"l{i}", "q", [["a"]], ["d"], True, "list") for i in range(4)
    ]
    drawn = draw_split(items)
    assert drawn == draw_split(list(reversed(items)))
    assert Counter(v for k, v in drawn.items() if k.startswith("f")) == {"test": 4, "tune": 3}
    assert Counter(v for k, v in drawn.items() if k.startswith("l")) == {"test": 2, "tune": 2}
