"""Evaluation metrics on plain objects: one :class:`ItemResult` per gold item, then aggregates.

Everything here is deterministic and side-effect free: a runner asks the system each gold
question, times it, and hands the :class:`~readout_qa.models.Answer` to :func:`evaluate_item`;
:func:`aggregate` turns the results into a report (a plain ``dict``), :func:`compare` lists
regressions against a baseline report and :func:`check_thresholds` lists unmet targets.
Definitions, with the literature they follow, are in ``evals/README.md``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from readout_qa.gold import KINDS, GoldItem, covering_alternative, strip_markers
from readout_qa.models import Answer

K_VALUES: tuple[int, ...] = (1, 5, 10)

HIGHER_IS_BETTER: tuple[str, ...] = (
    "fact_recall",
    "all_facts",
    "citation_precision",
    "citation_support",
    "recall@1",
    "recall@5",
    "recall@10",
    "mrr",
    "unanswerable_refused",
)
LOWER_IS_BETTER: tuple[str, ...] = ("answerable_wrongly_refused", "latency_p50", "latency_p95")
METRICS: tuple[str, ...] = HIGHER_IS_BETTER + LOWER_IS_BETTER
REPORT_KEYS: tuple[str, ...] = (*METRICS, "n_items")
LATENCY_METRICS: tuple[str, ...] = ("latency_p50", "latency_p95")


def lower_is_better(metric: str) -> bool:
    """True for metrics where a smaller value is an improvement (refusal errors, latency)."""
    return metric in LOWER_IS_BETTER


@dataclass
class ItemResult:
    """Scores of one answered gold item; ``None`` means "not applicable to this item"."""

    id: str
    kind: str
    answerable: bool
    refused: bool
    latency: float | None = None
    fact_recall: float | None = None
    all_facts: float | None = None
    citation_precision: float | None = None
    citation_support: float | None = None
    recall_at_1: float | None = None
    recall_at_5: float | None = None
    recall_at_10: float | None = None
    mrr: float | None = None
    # Diagnostics (not aggregated): KILT-style share of gold facts that are covered *and*
    # appear in a quote cited from a gold source; what matched; what is missing.
    supported_fact_recall: float | None = None
    covered: list[str] = field(default_factory=list)  # matching alternative per covered fact
    missing: list[list[str]] = field(default_factory=list)  # gold facts not covered
    n_citations: int = 0

    @property
    def refusal_correct(self) -> bool:
        """Refused an unanswerable item, or answered an answerable one."""
        return self.refused != self.answerable

    def metric(self, name: str) -> float | None:
        """The per-item value behind report metric ``name`` (refusal metrics as 0/1)."""
        if name.startswith("recall@"):
            return getattr(self, f"recall_at_{name[len('recall@') :]}")
        if name == "unanswerable_refused":
            return None if self.answerable else float(self.refused)
        if name == "answerable_wrongly_refused":
            return float(self.refused) if self.answerable else None
        if name in LATENCY_METRICS:
            return self.latency
        return getattr(self, name)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["refusal_correct"] = self.refusal_correct
        return d


# ---------------------------------------------------------------------------
# per item


def _dedupe(ids: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(ids))


def retrieval_recall_at(gold_sources: Sequence[str], retrieved: Sequence[str], k: int) -> float:
    """Share of ``gold_sources`` among the first ``k`` (unique) ``retrieved`` doc ids."""
    gold = set(gold_sources)
    if not gold:
        raise ValueError("recall@k needs at least one gold source")
    top = set(_dedupe(retrieved)[:k])
    return len(gold & top) / len(gold)


def reciprocal_rank(gold_sources: Sequence[str], retrieved: Sequence[str]) -> float:
    """1/rank of the first gold source in ``retrieved`` (unique ids, 1-based), 0 if absent."""
    gold = set(gold_sources)
    for rank, doc_id in enumerate(_dedupe(retrieved), start=1):
        if doc_id in gold:
            return 1.0 / rank
    return 0.0


def evaluate_item(
    item: GoldItem,
    answer: Answer,
    latency: float | None = None,
    retrieved: Sequence[str] | None = None,
) -> ItemResult:
    """Score ``answer`` against ``item``.

    ``retrieved`` defaults to ``answer.retrieved_doc_ids`` (ranked, best first); ``latency``
    (seconds) defaults to ``answer.timings["total"]`` when present.
    """
    if latency is None and "total" in answer.timings:
        latency = float(answer.timings["total"])
    retrieved = list(answer.retrieved_doc_ids if retrieved is None else retrieved)
    res = ItemResult(
        id=item.id,
        kind=item.kind,
        answerable=item.answerable,
        refused=bool(answer.refused),
        latency=latency,
        n_citations=len(answer.citations),
    )
    if not item.answerable:
        return res

    # Facts: a refusal covers nothing, whatever words its text happens to contain.
    text = "" if answer.refused else strip_markers(answer.text)
    quotes = [c.quote for c in answer.citations]
    gold_quotes = [c.quote for c in answer.citations if c.doc_id in set(item.sources)]
    n_covered = n_supported = n_kilt = 0
    for fact in item.facts:
        alt = covering_alternative(text, fact)
        if alt is None:
            res.missing.append(list(fact))
            continue
        n_covered += 1
        res.covered.append(alt)
        # Supported: some alternative present in the answer is also in a cited quote.
        in_answer = [a for a in fact if covering_alternative(text, [a]) is not None]
        if any(covering_alternative(q, in_answer) for q in quotes):
            n_supported += 1
        if any(covering_alternative(q, in_answer) for q in gold_quotes):
            n_kilt += 1
    n_facts = len(item.facts)
    res.fact_recall = n_covered / n_facts
    res.all_facts = 1.0 if n_covered == n_facts else 0.0
    res.citation_support = n_supported / n_covered if n_covered else None
    res.supported_fact_recall = n_kilt / n_facts

    if answer.citations:
        gold = set(item.sources)
        res.citation_precision = sum(c.doc_id in gold for c in answer.citations) / len(
            answer.citations
        )

    if item.sources:
        for k in K_VALUES:
            setattr(res, f"recall_at_{k}", retrieval_recall_at(item.sources, retrieved, k))
        res.mrr = reciprocal_rank(item.sources, retrieved)
    return res


# ---------------------------------------------------------------------------
# aggregation


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0..100) by linear interpolation between closest ranks."""
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= q <= 100:
        raise ValueError("q must be within 0..100")
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def _mean(values: Iterable[float | None]) -> float | None:
    xs = [v for v in values if v is not None]
    return sum(xs) / len(xs) if xs else None


def _summary(results: Sequence[ItemResult]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in METRICS:
        if name in LATENCY_METRICS:
            continue
        out[name] = _mean(r.metric(name) for r in results)
    latencies = [r.latency for r in results if r.latency is not None]
    out["latency_p50"] = percentile(latencies, 50) if latencies else None
    out["latency_p95"] = percentile(latencies, 95) if latencies else None
    out["n_items"] = len(results)
    return {k: out[k] for k in REPORT_KEYS}


def aggregate(results: Sequence[ItemResult]) -> dict[str, Any]:
    """Means over applicable items, overall and per kind.

    Returns ``{<metric>: value, ..., "n_items": n, "by_kind": {kind: {<metric>: value, ...}}}``
    with the metrics of :data:`REPORT_KEYS`; a metric no item applies to is ``None``.
    """
    report = _summary(results)
    present = {r.kind for r in results}
    order = [k for k in KINDS if k in present] + sorted(present - set(KINDS))
    report["by_kind"] = {kind: _summary([r for r in results if r.kind == kind]) for kind in order}
    return report


# ---------------------------------------------------------------------------
# regressions and thresholds


def _fmt(v: float | None) -> str:
    return "n/a" if v is None else f"{v:.3f}"


def _compare_block(
    prefix: str,
    new: Mapping[str, Any],
    old: Mapping[str, Any],
    tolerance: float,
    latency_tolerance: float,
) -> list[str]:
    out = []
    for name in METRICS:
        before, after = old.get(name), new.get(name)
        if before is None:
            continue
        label = f"{prefix}{name}"
        if after is None:
            out.append(f"{label}: {_fmt(before)} -> n/a (no longer measured)")
            continue
        delta = after - before
        if name in LATENCY_METRICS:
            if after > before * (1 + latency_tolerance) and delta > 0:
                out.append(
                    f"{label}: {before:.3f}s -> {after:.3f}s "
                    f"(+{delta:.3f}s, more than {latency_tolerance:.0%} slower)"
                )
        elif lower_is_better(name):
            if delta > tolerance:
                out.append(f"{label}: {_fmt(before)} -> {_fmt(after)} (+{delta:.3f}, worse)")
        elif -delta > tolerance:
            out.append(f"{label}: {_fmt(before)} -> {_fmt(after)} ({delta:.3f}, worse)")
    return out


def compare(
    report: Mapping[str, Any],
    baseline: Mapping[str, Any],
    tolerance: float = 0.02,
    *,
    latency_tolerance: float = 0.25,
) -> list[str]:
    """Regressions of ``report`` against ``baseline`` (both from :func:`aggregate`).

    A rate regresses when it got worse by more than ``tolerance`` (absolute; lower is better
    for ``answerable_wrongly_refused``).  Latencies are in seconds, not rates, so they regress
    when they grew by more than ``latency_tolerance`` as a fraction of the baseline.  Kinds are
    compared too (prefixed ``by_kind.<kind>.``); a kind missing from ``report`` is listed.
    """
    out = _compare_block("", report, baseline, tolerance, latency_tolerance)
    new_kinds = report.get("by_kind", {}) or {}
    for kind, old in (baseline.get("by_kind", {}) or {}).items():
        if kind not in new_kinds:
            out.append(f"by_kind.{kind}: missing from report")
            continue
        out.extend(
            _compare_block(f"by_kind.{kind}.", new_kinds[kind], old, tolerance, latency_tolerance)
        )
    return out


def _lookup(report: Mapping[str, Any], key: str) -> tuple[str, float | None]:
    if key.startswith("by_kind."):
        kind, _, metric = key[len("by_kind.") :].rpartition(".")
        block = (report.get("by_kind") or {}).get(kind, {})
    else:
        metric, block = key, report
    if metric not in REPORT_KEYS:
        raise ValueError(f"unknown metric in threshold key {key!r}")
    return metric, block.get(metric)


def check_thresholds(report: Mapping[str, Any], thresholds: Mapping[str, float]) -> list[str]:
    """Unmet ``thresholds`` of ``report``.

    Keys are report metrics (``"fact_recall"``) or per-kind paths
    (``"by_kind.follow-up.fact_recall"``).  For ``answerable_wrongly_refused`` and latencies the
    threshold is a maximum, for all others (and ``n_items``) a minimum.  A metric that was not
    measured fails.
    """
    out = []
    for key, limit in thresholds.items():
        metric, value = _lookup(report, key)
        if value is None:
            out.append(f"{key}: not measured (threshold {limit})")
        elif lower_is_better(metric):
            if value > limit:
                out.append(f"{key}: {value:.3f} > maximum {limit}")
        elif value < limit:
            out.append(f"{key}: {value:.3f} < minimum {limit}")
    return out
