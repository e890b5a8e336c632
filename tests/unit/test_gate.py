"""The quality gate (readout_qa.evals.gate): thresholds, regressions, fail-under specs, files.

Pure unit tests on hand-made reports; no index is built.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from readout_qa.evals.gate import (
    check_thresholds,
    find_regressions,
    flat,
    gate,
    load_thresholds,
    lower_is_better,
    parse_fail_under,
    resolve_thresholds,
    validate_thresholds,
)
from readout_qa.evals.metrics import LOWER_IS_BETTER, METRICS, REPORT_KEYS


def aggregate_report(**overrides) -> dict:
    """A bare aggregate (metrics at the top) with one kind, ``list``, equal to the overall."""
    base = {name: 0.8 for name in METRICS}
    base.update(answerable_wrongly_refused=0.05, latency_p50=1.0, latency_p95=2.0, n_items=100)
    base.update(overrides)
    block = dict(base)
    return {**base, "by_kind": {"list": dict(block)}}


def run_report(**overall) -> dict:
    """A report in run_eval's shape (overall / by_kind / items / meta), one kind ``factoid``."""
    base = {k: None for k in REPORT_KEYS}
    base.update(
        {
            "fact_recall": 0.8,
            "citation_precision": 0.9,
            "recall@5": 0.85,
            "unanswerable_refused": 0.7,
            "answerable_wrongly_refused": 0.05,
            "latency_p50": 0.1,
            "latency_p95": 0.2,
            "n_items": 10,
        }
    )
    base.update(overall)
    kind = dict(base, n_items=5)
    return {"overall": base, "by_kind": {"factoid": kind}, "items": [], "meta": {}}


# ------------------------------------------------------------------ metric directions
def test_lower_is_better_metrics() -> None:
    assert set(LOWER_IS_BETTER) == {
        "answerable_wrongly_refused",
        "answered_wrongly",
        "latency_p50",
        "latency_p95",
    }
    assert all(lower_is_better(m) for m in LOWER_IS_BETTER)
    assert not lower_is_better("fact_recall") and not lower_is_better("judge_correctness")


def test_flat_accepts_both_report_shapes() -> None:
    report = run_report()
    assert flat(report) == {**report["overall"], "by_kind": report["by_kind"]}
    bare = aggregate_report()
    assert flat(bare) == bare


# ------------------------------------------------------------------ thresholds
def test_thresholds_met() -> None:
    report = aggregate_report(fact_recall=0.84, latency_p95=2.0, answerable_wrongly_refused=0.05)
    limits = {"fact_recall": 0.8, "latency_p95": 2.5, "answerable_wrongly_refused": 0.05}
    assert check_thresholds(report, limits) == []
    assert check_thresholds(report, {"n_items": 90}) == []  # n_items is a minimum


def test_thresholds_unmet_minimums_and_maximums() -> None:
    report = aggregate_report(fact_recall=0.84, latency_p95=2.0, answerable_wrongly_refused=0.05)
    failures = check_thresholds(
        report,
        {"fact_recall": 0.85, "latency_p95": 1.5, "answerable_wrongly_refused": 0.02},
    )
    assert failures == [
        "fact_recall: 0.840 < minimum 0.85",
        "latency_p95: 2.000 > maximum 1.5",
        "answerable_wrongly_refused: 0.050 > maximum 0.02",
    ]


def test_lower_is_better_thresholds_are_maximums() -> None:
    # A low wrong-refusal rate or a fast run never fails a maximum, however low.
    report = aggregate_report(answerable_wrongly_refused=0.0, latency_p50=0.01, latency_p95=0.02)
    limits = {"answerable_wrongly_refused": 0.1, "latency_p50": 0.5, "latency_p95": 1.0}
    assert check_thresholds(report, limits) == []
    slow = aggregate_report(latency_p50=0.6, latency_p95=0.9)
    assert check_thresholds(slow, limits) == ["latency_p50: 0.600 > maximum 0.5"]


def test_thresholds_per_kind_and_unmeasured() -> None:
    report = aggregate_report()
    assert check_thresholds(report, {"by_kind.list.recall@5": 0.9}) == [
        "by_kind.list.recall@5: 0.800 < minimum 0.9"
    ]
    assert check_thresholds(report, {"by_kind.follow-up.fact_recall": 0.5}) == [
        "by_kind.follow-up.fact_recall: not measured (threshold 0.5)"
    ]
    assert check_thresholds(aggregate_report(mrr=None), {"mrr": 0.1}) == [
        "mrr: not measured (threshold 0.1)"
    ]


def test_thresholds_reject_unknown_metrics_and_kinds() -> None:
    with pytest.raises(ValueError, match="unknown metric 'fact_recal'"):
        check_thresholds(aggregate_report(), {"fact_recal": 0.5})
    with pytest.raises(ValueError, match="unknown metric 'fact_recal'"):
        validate_thresholds({"fact_recal": 0.8})
    with pytest.raises(ValueError, match="unknown kind 'followup'"):
        validate_thresholds({"by_kind.followup.fact_recall": 0.8})
    with pytest.raises(ValueError, match="threshold must be a number"):
        validate_thresholds({"fact_recall": True})
    with pytest.raises(ValueError, match="threshold must be a number"):
        validate_thresholds({"fact_recall": "0.8"})
    assert validate_thresholds({"fact_recall": 1, "judge_correctness": 0.5}) == {
        "fact_recall": 1.0,
        "judge_correctness": 0.5,
    }


def test_judge_thresholds_come_after_the_offline_ones() -> None:
    report = run_report(fact_recall=0.5, judge_correctness=0.5)
    problems = check_thresholds(report, {"judge_correctness": 0.6, "fact_recall": 0.6})
    assert problems == [
        "fact_recall: 0.500 < minimum 0.6",
        "judge_correctness: 0.500 < minimum 0.6",
    ]
    assert check_thresholds(run_report(), {"judge_faithfulness": 0.5}) == [
        "judge_faithfulness: not measured (threshold 0.5)"
    ]


# ------------------------------------------------------------------ regressions
def test_regression_only_beyond_tolerance() -> None:
    baseline = aggregate_report()
    assert find_regressions(aggregate_report(), baseline) == []
    assert find_regressions(aggregate_report(fact_recall=0.79), baseline) == []  # within 0.02
    regressions = find_regressions(aggregate_report(fact_recall=0.75), baseline)
    assert regressions == [
        "fact_recall: 0.800 -> 0.750 (-0.050, worse)",
        "by_kind.list.fact_recall: 0.800 -> 0.750 (-0.050, worse)",
    ]
    assert find_regressions(aggregate_report(fact_recall=0.95), baseline) == []  # improvement
    assert find_regressions(aggregate_report(fact_recall=0.75), baseline, tolerance=0.1) == []


def test_wrong_refusals_regress_when_they_grow() -> None:
    baseline = aggregate_report()
    worse = find_regressions(aggregate_report(answerable_wrongly_refused=0.10), baseline)
    assert worse[0] == "answerable_wrongly_refused: 0.050 -> 0.100 (+0.050, worse)"
    assert find_regressions(aggregate_report(answerable_wrongly_refused=0.0), baseline) == []
    assert find_regressions(aggregate_report(answerable_wrongly_refused=0.06), baseline) == []


def test_latency_regresses_relative_to_the_baseline_and_only_when_asked() -> None:
    baseline = aggregate_report()
    slower = aggregate_report(latency_p95=3.0)
    assert find_regressions(slower, baseline) == []  # machine-dependent: off by default
    found = find_regressions(slower, baseline, compare_latency=True)
    assert found[0] == "latency_p95: 2.000s -> 3.000s (+1.000s, more than 25% slower)"
    assert find_regressions(aggregate_report(latency_p95=2.4), baseline, compare_latency=True) == []
    assert find_regressions(
        aggregate_report(latency_p95=2.4), baseline, compare_latency=True, latency_tolerance=0.1
    )
    faster = aggregate_report(latency_p50=0.1, latency_p95=0.2)
    assert find_regressions(faster, baseline, compare_latency=True) == []


def test_metrics_and_kinds_that_disappeared_are_regressions() -> None:
    baseline = aggregate_report()
    gone = find_regressions(aggregate_report(citation_precision=None), baseline)
    assert "citation_precision: 0.800 -> n/a (no longer measured)" in gone
    no_kind = {**aggregate_report(), "by_kind": {}}
    assert find_regressions(no_kind, baseline) == ["by_kind.list: missing from report"]
    assert find_regressions(aggregate_report(), aggregate_report(mrr=None)) == []  # no reference


def test_judge_metrics_regress_but_a_run_without_judge_does_not() -> None:
    judged = run_report(judge_correctness=0.8)
    assert find_regressions(run_report(), judged) == []  # judging is optional
    worse = find_regressions(run_report(judge_correctness=0.5, fact_recall=0.7), judged)
    assert worse == [
        "fact_recall: 0.800 -> 0.700 (-0.100, worse)",
        "by_kind.factoid.fact_recall: 0.800 -> 0.700 (-0.100, worse)",
        "judge_correctness: 0.800 -> 0.500 (-0.300, worse)",
        "by_kind.factoid.judge_correctness: 0.800 -> 0.500 (-0.300, worse)",
    ]


# ------------------------------------------------------------------ the gate
def test_gate_passes_when_nothing_got_worse() -> None:
    report = run_report()
    assert gate(report, copy.deepcopy(report), {"fact_recall": 0.75}) == []


def test_gate_flags_regression_against_doctored_baseline() -> None:
    report = run_report()
    baseline = copy.deepcopy(report)
    baseline["overall"]["fact_recall"] = 0.9  # the baseline was better
    baseline["by_kind"]["factoid"]["answerable_wrongly_refused"] = 0.0
    assert gate(report, baseline, {}) == [
        "regression fact_recall: 0.900 -> 0.800 (-0.100, worse)",
        "regression by_kind.factoid.answerable_wrongly_refused: 0.000 -> 0.050 (+0.050, worse)",
    ]


def test_gate_flags_threshold_breach() -> None:
    report = run_report(fact_recall=0.6, answerable_wrongly_refused=0.2)
    problems = gate(
        report, None, {"fact_recall": 0.75, "answerable_wrongly_refused": 0.1, "recall@5": 0.8}
    )
    assert problems == [
        "threshold fact_recall: 0.600 < minimum 0.75",
        "threshold answerable_wrongly_refused: 0.200 > maximum 0.1",
    ]


def test_gate_ignores_latency_regressions_unless_asked() -> None:
    report = run_report(latency_p95=2.0)
    baseline = run_report(latency_p95=0.2)
    assert gate(report, baseline, {}) == []
    slower = gate(report, baseline, {}, compare_latency=True)
    assert slower == [
        "regression latency_p95: 0.200s -> 2.000s (+1.800s, more than 25% slower)",
        "regression by_kind.factoid.latency_p95: 0.200s -> 2.000s (+1.800s, more than 25% slower)",
    ]
    # An explicit latency threshold is always checked.
    assert gate(report, None, {"latency_p95": 1.0}) == [
        "threshold latency_p95: 2.000 > maximum 1.0"
    ]


def test_gate_accepts_a_bare_aggregate_as_baseline() -> None:
    report = run_report()
    baseline = {**run_report(fact_recall=0.95)["overall"], "by_kind": {}}
    assert gate(report, baseline, {}) == ["regression fact_recall: 0.950 -> 0.800 (-0.150, worse)"]


def test_gate_checks_judge_metrics() -> None:
    report = run_report(judge_correctness=0.5)
    baseline = run_report(judge_correctness=0.8)
    assert gate(report, baseline, {"judge_correctness": 0.6}) == [
        "threshold judge_correctness: 0.500 < minimum 0.6",
        "regression judge_correctness: 0.800 -> 0.500 (-0.300, worse)",
        "regression by_kind.factoid.judge_correctness: 0.800 -> 0.500 (-0.300, worse)",
    ]


def test_gate_lists_thresholds_before_regressions() -> None:
    report = run_report(fact_recall=0.5)
    problems = gate(report, run_report(), {"fact_recall": 0.6})
    assert [p.split()[0] for p in problems] == ["threshold", "regression", "regression"]


# ------------------------------------------------------------------ --fail-under and files
def test_parse_fail_under() -> None:
    assert parse_fail_under([]) == {}
    assert parse_fail_under(["fact_recall=0.8", " by_kind.follow-up.fact_recall = 0.5"]) == {
        "fact_recall": 0.8,
        "by_kind.follow-up.fact_recall": 0.5,
    }
    assert parse_fail_under(["latency_p95=2", "fact_recall=0.8", "fact_recall=0.9"]) == {
        "latency_p95": 2.0,
        "fact_recall": 0.9,  # the last one wins
    }


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("fact_recall", "expects metric=value, got 'fact_recall'"),
        ("=0.5", "expects metric=value"),
        ("fact_recall=high", "'high' is not a number"),
        ("fact_recall=", "'' is not a number"),
        ("fact_recal=0.5", "unknown metric 'fact_recal'"),
        ("by_kind.followup.fact_recall=0.5", "unknown kind 'followup'"),
        ("by_kind.fact_recall=0.5", "unknown kind ''"),
    ],
)
def test_bad_fail_under_specs_are_rejected(spec: str, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        parse_fail_under([spec])


def test_load_thresholds_named_sets_flat_files_and_comments(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    sets = {"_note": "x", "full": {"fact_recall": 0.8, "_why": "c"}, "subset": {}}
    path.write_text(json.dumps(sets))
    assert load_thresholds(path, "full") == {"fact_recall": 0.8}
    assert load_thresholds(path, "subset") == {}
    with pytest.raises(ValueError, match="no threshold set 'nightly' \\(it has: full, subset\\)"):
        load_thresholds(path, "nightly")
    path.write_text(json.dumps({"_note": "x", "recall@5": 0.9}))
    assert load_thresholds(path, "full") == {"recall@5": 0.9}  # a flat file has no sets


def test_load_thresholds_errors_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"full": {"fact_recal": 0.8}}))
    with pytest.raises(ValueError, match=f"{path}: bad threshold.*fact_recal"):
        load_thresholds(path)
    path.write_text("[1, 2]")
    with pytest.raises(ValueError, match="expected a JSON object"):
        load_thresholds(path)
    with pytest.raises(OSError):
        load_thresholds(tmp_path / "missing.json")


def test_resolve_thresholds_fail_under_overrides_the_file(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"full": {"fact_recall": 0.8, "mrr": 0.5}}))
    assert resolve_thresholds(path, "full", ["fact_recall=0.9", "recall@5=0.7"]) == {
        "fact_recall": 0.9,
        "mrr": 0.5,
        "recall@5": 0.7,
    }
    assert resolve_thresholds(None, "full", ["mrr=0.1"]) == {"mrr": 0.1}
    assert resolve_thresholds(None) == {}


# ------------------------------------------------------------------ parts of the gold set
def split_report(test: dict | None = None, tune: dict | None = None) -> dict:
    """A run report with a tuning and a test part, each with one kind ``paraphrase``."""
    report = run_report()

    def part(**overrides) -> dict:
        block = dict(report["overall"], n_items=5, answered_wrongly=0.1, **overrides)
        return {**block, "by_kind": {"paraphrase": dict(block)}}

    report["by_split"] = {"tune": part(**(tune or {})), "test": part(**(test or {}))}
    return report


def test_flat_keeps_the_parts() -> None:
    report = split_report()
    assert flat(report)["by_split"] == report["by_split"]
    assert "by_split" not in flat(run_report())


def test_thresholds_on_a_part_and_on_a_kind_within_a_part() -> None:
    report = split_report(test={"fact_recall": 0.5}, tune={"fact_recall": 0.9})
    limits = {
        "by_split.test.fact_recall": 0.6,
        "by_split.tune.fact_recall": 0.6,
        "by_split.test.by_kind.paraphrase.fact_recall": 0.4,
        "by_split.test.answered_wrongly": 0.05,
    }
    assert check_thresholds(report, limits) == [
        "by_split.test.fact_recall: 0.500 < minimum 0.6",
        "by_split.test.answered_wrongly: 0.100 > maximum 0.05",  # a maximum
    ]
    assert check_thresholds(run_report(), {"by_split.test.fact_recall": 0.1}) == [
        "by_split.test.fact_recall: not measured (threshold 0.1)"
    ]
    assert check_thresholds(report, {"by_split.test.by_kind.list.mrr": 0.1}) == [
        "by_split.test.by_kind.list.mrr: not measured (threshold 0.1)"
    ]


def test_part_thresholds_are_validated() -> None:
    with pytest.raises(ValueError, match="unknown part 'dev'"):
        validate_thresholds({"by_split.dev.fact_recall": 0.5})
    with pytest.raises(ValueError, match="unknown kind 'trivia'"):
        validate_thresholds({"by_split.test.by_kind.trivia.fact_recall": 0.5})
    with pytest.raises(ValueError, match="unknown metric 'recal'"):
        validate_thresholds({"by_split.test.recal": 0.5})
    assert parse_fail_under(["by_split.test.answered_wrongly=0.2"]) == {
        "by_split.test.answered_wrongly": 0.2
    }


def test_answered_wrongly_regresses_when_it_grows() -> None:
    baseline = aggregate_report(answered_wrongly=0.1)
    assert find_regressions(aggregate_report(answered_wrongly=0.0), baseline) == []
    assert find_regressions(aggregate_report(answered_wrongly=0.2), baseline)[0] == (
        "answered_wrongly: 0.100 -> 0.200 (+0.100, worse)"
    )


def test_parts_regress_as_totals_and_a_missing_part_is_listed() -> None:
    baseline = split_report()
    assert find_regressions(split_report(), baseline) == []
    worse = find_regressions(split_report(test={"fact_recall": 0.7}), baseline)
    assert worse == ["by_split.test.fact_recall: 0.800 -> 0.700 (-0.100, worse)"]
    assert find_regressions(run_report(), baseline) == [
        "by_split.tune: missing from report",
        "by_split.test: missing from report",
    ]
    assert find_regressions(split_report(), run_report()) == []  # an old baseline has no parts
