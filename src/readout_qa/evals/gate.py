"""The quality gate: thresholds and regressions against a baseline, in one place.

A run passes when every threshold is met and no metric got worse than the baseline by more than
a tolerance.  Both checks live here, for the offline metrics and the optional judge metrics
alike, so that ``readout-qa eval``, ``scripts/eval_gate.sh`` and the pytest entry
(``tests/test_evaluation.py``) cannot disagree about what passing means.

Threshold keys are report metrics (``"fact_recall"``), per-kind paths
(``"by_kind.follow-up.fact_recall"``), per-part paths (``"by_split.test.fact_recall"``) and
per-kind paths within a part (``"by_split.test.by_kind.paraphrase.fact_recall"``).  For
``answerable_wrongly_refused``, ``answered_wrongly`` and latencies the threshold is a maximum,
for everything else (including ``n_items``) a minimum.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .gold import KINDS, SPLITS
from .metrics import JUDGE_METRICS, LATENCY_METRICS, LOWER_IS_BETTER, METRICS, REPORT_KEYS

DEFAULT_TOLERANCE = 0.02
DEFAULT_LATENCY_TOLERANCE = 0.25


def lower_is_better(metric: str) -> bool:
    """True for metrics where a smaller value is an improvement (refusal errors, latency)."""
    return metric in LOWER_IS_BETTER


def flat(report: Mapping[str, Any]) -> dict[str, Any]:
    """The report in :func:`~.metrics.aggregate` shape (metrics at the top, plus ``by_kind`` and,
    when the report has parts, ``by_split``).

    Accepts a report of :func:`~.runner.run_eval` or a bare aggregate, so that an old baseline
    saved either way still works.
    """
    if "overall" in report:
        out = {**report["overall"], "by_kind": dict(report.get("by_kind") or {})}
        if report.get("by_split"):
            out["by_split"] = dict(report["by_split"])
        return out
    return dict(report)


def _parse_key(key: str) -> tuple[str | None, str | None, str]:
    """A threshold key as ``(part, kind, metric)``:
    ``"by_split.test.by_kind.list.fact_recall"`` -> ``("test", "list", "fact_recall")``,
    ``"by_kind.list.fact_recall"`` -> ``(None, "list", "fact_recall")``, a plain metric ->
    ``(None, None, key)``."""
    part: str | None = None
    rest = key
    if rest.startswith("by_split."):
        part, _, rest = rest[len("by_split.") :].partition(".")
    kind: str | None = None
    if rest.startswith("by_kind."):
        kind, _, rest = rest[len("by_kind.") :].rpartition(".")
    return part, kind, rest


def _block(agg: Mapping[str, Any], part: str | None, kind: str | None) -> Mapping[str, Any]:
    """The metrics of one part and/or kind of a flat report (empty when absent)."""
    block: Mapping[str, Any] = agg
    if part is not None:
        block = (block.get("by_split") or {}).get(part) or {}
    if kind is not None:
        block = (block.get("by_kind") or {}).get(kind) or {}
    return block


def _fmt(v: float | None) -> str:
    return "n/a" if v is None else f"{v:.3f}"


# ---------------------------------------------------------------------------------- thresholds
def validate_thresholds(
    thresholds: Mapping[str, Any],
    *,
    metrics: Collection[str] | None = None,
    kinds: Collection[str] | None = None,
) -> dict[str, float]:
    """``thresholds`` with every key a known metric (or ``by_kind.<kind>.<metric>``,
    ``by_split.<part>.<metric>``, ``by_split.<part>.by_kind.<kind>.<metric>``) and every
    value a number; raises ``ValueError`` naming the bad entries, so that a typo fails before
    the (long) run instead of silently checking nothing.

    ``metrics`` and ``kinds`` default to the gold set's (report metrics, judge metrics,
    :data:`~.gold.KINDS`); the contacts evaluation passes its own.
    """
    known = set(metrics) if metrics is not None else {*REPORT_KEYS, *JUDGE_METRICS}
    known_kinds = set(kinds) if kinds is not None else set(KINDS)
    problems = []
    clean: dict[str, float] = {}
    for key, value in thresholds.items():
        part, kind, metric = _parse_key(key)
        if metric not in known:
            problems.append(f"{key}: unknown metric {metric!r}")
        elif part is not None and part not in SPLITS:
            problems.append(f"{key}: unknown part {part!r} (expected one of: {', '.join(SPLITS)})")
        elif kind is not None and kind not in known_kinds:
            problems.append(f"{key}: unknown kind {kind!r}")
        elif isinstance(value, bool) or not isinstance(value, int | float):
            problems.append(f"{key}: threshold must be a number, got {value!r}")
        else:
            clean[key] = float(value)
    if problems:
        raise ValueError("bad threshold(s): " + "; ".join(problems))
    return clean


def parse_fail_under(specs: Iterable[str]) -> dict[str, float]:
    """``["fact_recall=0.8", "by_kind.follow-up.fact_recall=0.5"]`` as a thresholds dict."""
    out: dict[str, float] = {}
    for spec in specs:
        key, sep, value = spec.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ValueError(f"--fail-under expects metric=value, got {spec!r}")
        try:
            out[key] = float(value)
        except ValueError:
            raise ValueError(f"--fail-under {spec!r}: {value.strip()!r} is not a number") from None
    return validate_thresholds(out)


def load_thresholds(path: str | Path, name: str | None = "full") -> dict[str, float]:
    """Thresholds from a JSON file: a flat ``{metric: value}`` object, or named sets
    (``{"full": {...}, "subset": {...}}``) of which ``name`` is taken.  Keys starting with
    ``_`` (comments) are ignored."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a JSON object")
    data = {k: v for k, v in data.items() if not k.startswith("_")}
    if any(isinstance(v, dict) for v in data.values()):
        if name not in data:
            sets = ", ".join(k for k, v in data.items() if isinstance(v, dict))
            raise ValueError(f"{path}: no threshold set {name!r} (it has: {sets})")
        data = {k: v for k, v in data[name].items() if not k.startswith("_")}
    try:
        return validate_thresholds(data)
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from None


def resolve_thresholds(
    path: str | Path | None, name: str | None = "full", fail_under: Sequence[str] = ()
) -> dict[str, float]:
    """The thresholds of a run: the file's set (if any), then ``--fail-under`` specs, which
    add to or override it (a one-off stricter target must not need a new file)."""
    limits = load_thresholds(path, name) if path is not None else {}
    limits.update(parse_fail_under(fail_under))
    return limits


def check_thresholds(
    report: Mapping[str, Any],
    thresholds: Mapping[str, float],
    *,
    metrics: Collection[str] | None = None,
    kinds: Collection[str] | None = None,
) -> list[str]:
    """Unmet ``thresholds`` of ``report`` (either report shape; see :func:`flat`).

    A metric that was not measured fails: a gate that passes because nothing was measured would
    hide a broken run.  Judge metrics are checked after the others (they are optional extras),
    otherwise the order of ``thresholds`` is kept.  Unknown keys raise ``ValueError``
    (``metrics`` and ``kinds`` as for :func:`validate_thresholds`).
    """
    agg = flat(report)
    limits = validate_thresholds(thresholds, metrics=metrics, kinds=kinds)
    ordered = sorted(limits.items(), key=lambda kv: _parse_key(kv[0])[2] in JUDGE_METRICS)
    out = []
    for key, limit in ordered:
        part, kind, metric = _parse_key(key)
        value = _block(agg, part, kind).get(metric)
        if value is None:
            out.append(f"{key}: not measured (threshold {limit})")
        elif lower_is_better(metric):
            if value > limit:
                out.append(f"{key}: {value:.3f} > maximum {limit}")
        elif value < limit:
            out.append(f"{key}: {value:.3f} < minimum {limit}")
    return out


# ---------------------------------------------------------------------------------- regressions
def _regression(
    label: str, name: str, before: float, after: float, tolerance: float, latency_tolerance: float
) -> str | None:
    """The message when ``name`` went from ``before`` to ``after`` beyond tolerance, else None.

    Rates regress by an absolute ``tolerance``; latencies are seconds, not rates, so they
    regress by a share of the baseline (``latency_tolerance``).
    """
    delta = after - before
    if name in LATENCY_METRICS:
        if after > before * (1 + latency_tolerance) and delta > 0:
            return (
                f"{label}: {before:.3f}s -> {after:.3f}s "
                f"(+{delta:.3f}s, more than {latency_tolerance:.0%} slower)"
            )
    elif lower_is_better(name):
        if delta > tolerance:
            return f"{label}: {_fmt(before)} -> {_fmt(after)} (+{delta:.3f}, worse)"
    elif -delta > tolerance:
        return f"{label}: {_fmt(before)} -> {_fmt(after)} ({delta:.3f}, worse)"
    return None


def _block_regressions(
    prefix: str,
    new: Mapping[str, Any],
    old: Mapping[str, Any],
    names: Sequence[str],
    tolerances: tuple[float, float],
) -> list[str]:
    out = []
    for name in names:
        before, after = old.get(name), new.get(name)
        if before is None:
            continue  # nothing to compare against
        if after is None:
            # A judge is optional: a run without one is no regression.
            if name not in JUDGE_METRICS:
                out.append(f"{prefix}{name}: {_fmt(before)} -> n/a (no longer measured)")
            continue
        problem = _regression(f"{prefix}{name}", name, before, after, *tolerances)
        if problem:
            out.append(problem)
    return out


def find_regressions(
    report: Mapping[str, Any],
    baseline: Mapping[str, Any],
    *,
    tolerance: float = DEFAULT_TOLERANCE,
    compare_latency: bool = False,
    latency_tolerance: float = DEFAULT_LATENCY_TOLERANCE,
) -> list[str]:
    """Regressions of ``report`` against ``baseline`` (either report shape), overall, per
    kind (``by_kind.<kind>.<metric>``) and per part of the gold set (``by_split.test.<metric>``;
    only when the baseline has parts).

    A metric measured in the baseline but not now, and a kind or part missing from ``report``,
    are listed too.  Latencies depend on the machine, so they are compared only with
    ``compare_latency``.  The offline metrics come first, then the judge metrics.
    """
    new, old = flat(report), flat(baseline)
    new_kinds = new.get("by_kind") or {}
    new_parts = new.get("by_split") or {}
    blocks = (
        [("", new, old)]
        + [
            (f"by_kind.{kind}.", new_kinds.get(kind), block)
            for kind, block in (old.get("by_kind") or {}).items()
        ]
        + [
            (f"by_split.{part}.", new_parts.get(part), block)
            for part, block in (old.get("by_split") or {}).items()
        ]
    )
    offline = [m for m in METRICS if compare_latency or m not in LATENCY_METRICS]
    out: list[str] = []
    for first_pass, names in ((True, offline), (False, JUDGE_METRICS)):
        for prefix, new_block, old_block in blocks:
            if new_block is None:
                if first_pass:  # said once, not once per group of metrics
                    out.append(f"{prefix.rstrip('.')}: missing from report")
                continue
            out += _block_regressions(
                prefix, new_block, old_block, names, (tolerance, latency_tolerance)
            )
    return out


def gate(
    report: Mapping[str, Any],
    baseline: Mapping[str, Any] | None,
    thresholds: Mapping[str, float],
    *,
    tolerance: float = DEFAULT_TOLERANCE,
    compare_latency: bool = False,
    latency_tolerance: float = DEFAULT_LATENCY_TOLERANCE,
) -> list[str]:
    """Every unmet threshold, then every regression against ``baseline``; empty = pass.

    Latency keys in ``thresholds`` are always checked (an explicit target is deliberate);
    latency regressions only with ``compare_latency`` (see :func:`find_regressions`).
    """
    problems = [f"threshold {p}" for p in check_thresholds(report, thresholds)]
    if baseline is not None:
        regressions = find_regressions(
            report,
            baseline,
            tolerance=tolerance,
            compare_latency=compare_latency,
            latency_tolerance=latency_tolerance,
        )
        problems += [f"regression {r}" for r in regressions]
    return problems
