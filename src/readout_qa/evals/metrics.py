"""Evaluation metrics on plain objects: one :class:`ItemResult` per gold item, then aggregates.

Everything here is deterministic and side-effect free, so that the same answers always give the
same figures: a runner (:mod:`readout_qa.evals.runner`) asks the system each gold question, times
it, and hands the :class:`~readout_qa.models.Answer` to :func:`evaluate_item`; :func:`aggregate`
turns the results into the report's figures (a plain ``dict``).  Judging those figures against
thresholds and a baseline is :mod:`readout_qa.evals.gate`'s job.  Definitions, with the
literature they follow, are in ``evals/README.md``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from readout_qa.markers import strip_markers
from readout_qa.models import Answer

from .gold import KINDS, SPLITS, GoldItem, covering_alternative

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
LOWER_IS_BETTER: tuple[str, ...] = (
    "answerable_wrongly_refused",
    "answered_wrongly",
    "latency_p50",
    "latency_p95",
)
METRICS: tuple[str, ...] = HIGHER_IS_BETTER + LOWER_IS_BETTER
REPORT_KEYS: tuple[str, ...] = (*METRICS, "n_items")
LATENCY_METRICS: tuple[str, ...] = ("latency_p50", "latency_p95")
#: Extra metrics an LLM judge adds (:mod:`readout_qa.evals.judge`); higher is better.  They
#: are not in :data:`METRICS` because a run without a judge must still have every report key.
JUDGE_METRICS: tuple[str, ...] = ("judge_faithfulness", "judge_correctness")


@dataclass
class ItemResult:
    """Scores of one answered gold item; ``None`` means "not applicable to this item"."""

    id: str
    kind: str
    answerable: bool
    refused: bool
    latency: float | None = None
    split: str | None = None  # the gold item's part ("tune" / "test"), None for neither
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
        if name == "answered_wrongly":
            return self.answered_wrongly
        if name in LATENCY_METRICS:
            return self.latency
        return getattr(self, name)

    @property
    def answered_wrongly(self) -> float | None:
        """1 when an answerable item was answered (not refused) but covers none of its gold
        facts, else 0; ``None`` for unanswerable items.  The confident wrong answer, which a
        wrong refusal is not."""
        if not self.answerable:
            return None
        return float(not self.refused and not self.fact_recall)

    def to_dict(self) -> dict[str, Any]:
        """All fields plus ``refusal_correct``, JSON-ready, for the report's item entries."""
        d = asdict(self)
        d["refusal_correct"] = self.refusal_correct
        d["answered_wrongly"] = self.answered_wrongly
        return d


# ---------------------------------------------------------------------------
# per item


def _dedupe(ids: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(ids))


def retrieval_recall_at(gold_sources: Sequence[str], retrieved: Sequence[str], k: int) -> float:
    """Share of ``gold_sources`` among the first ``k`` (unique) ``retrieved`` doc ids.

    Unique, because several chunks of one readout must not push other readouts out of the top k.
    """
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


def _score_facts(res: ItemResult, item: GoldItem, answer: Answer) -> None:
    """Fill the fact metrics of ``res``: recall, all facts, citation support (ALCE-like, any
    cited quote) and supported fact recall (KILT-like, quotes from gold sources only)."""
    # A refusal covers nothing, whatever words its text happens to contain; markers are
    # removed first so that "[5]" never counts as the number 5.
    text = "" if answer.refused else strip_markers(answer.text, replacement=" ")
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
        split=item.split,
        n_citations=len(answer.citations),
    )
    if not item.answerable:
        return res
    _score_facts(res, item, answer)
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


def mean(values: Iterable[float | None]) -> float | None:
    """The mean of the values that are not ``None`` (None if there are none): a metric that
    does not apply to an item must not count as a zero."""
    xs = [v for v in values if v is not None]
    return sum(xs) / len(xs) if xs else None


def _summary(results: Sequence[ItemResult]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in METRICS:
        if name in LATENCY_METRICS:
            continue
        out[name] = mean(r.metric(name) for r in results)
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


def aggregate_splits(results: Sequence[ItemResult]) -> dict[str, dict[str, Any]]:
    """:func:`aggregate` of each part of the gold set (``tune``, ``test``; those present).

    Items without a split count overall only.  The test part is what the gate judges: the
    tuning part may be looked at while the product is tuned, so its figures flatter.
    """
    return {
        part: aggregate([r for r in results if r.split == part])
        for part in SPLITS
        if any(r.split == part for r in results)
    }
