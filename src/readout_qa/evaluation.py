"""Run the gold set through ``ReadoutQA`` and turn the answers into reports and a CI gate.

``run_eval`` asks every gold question (earlier turns of a follow-up first, with the system's own
answers as the conversation), scores the answers with :mod:`readout_qa.metrics` and returns a
report dict; ``write_json`` / ``write_markdown`` save it; ``gate`` lists every unmet threshold and
every regression against a baseline report.  The metric definitions are in ``evals/README.md``.

A report looks like::

    {"overall": {<metric>: value, ..., "n_items": n},
     "by_kind": {kind: {<metric>: value, ...}},
     "items": [{"id", "kind", "question", "history", "expected_facts", "answer", "refused",
                "citations", "retrieved", "metrics", ...}],
     "meta": {"gold", "n_items", "answerer", "embed_model", "readouts_indexed", "date", ...}}

Everything but latencies and ``meta`` is deterministic for a given index and answerer.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import metrics
from .config import PROJECT_ROOT
from .gold import KINDS, GoldItem
from .metrics import LATENCY_METRICS, REPORT_KEYS, aggregate, evaluate_item

#: ``progress(done, total, item_id)`` -- called before each item (done = items finished so far).
EvalProgress = Callable[[int, int, str], None]

#: Extra metrics an LLM judge adds (``readout_qa.judge``); higher is better.
JUDGE_METRICS: tuple[str, ...] = ("judge_faithfulness", "judge_correctness")

#: How many retrieved readouts each item of the report lists.
TOP_RETRIEVED = 5

_ITEM_METRIC_KEYS = (
    "fact_recall",
    "all_facts",
    "citation_precision",
    "citation_support",
    "supported_fact_recall",
    "recall_at_1",
    "recall_at_5",
    "recall_at_10",
    "mrr",
    "refusal_correct",
    "n_citations",
    "latency",
    "covered",
    "missing",
)


# ---------------------------------------------------------------------------------- running
def ask_item(qa: Any, item: GoldItem) -> tuple[Any, float, list[dict[str, Any]]]:
    """Ask ``item`` as a user would: its ``history`` questions first, then the question.

    Returns the final ``Answer``, the seconds the final ask took, and the conversation before it
    (user questions and the system's own answers, OpenAI messages shape).
    """
    history: list[dict[str, Any]] = []
    for question in item.history:
        earlier = qa.ask(question, history=list(history))
        history.append({"role": "user", "content": question})
        history.append({"role": "assistant", "content": earlier.text})
    t0 = time.perf_counter()
    answer = qa.ask(item.question, history=list(history))
    latency = time.perf_counter() - t0
    return answer, latency, history


def _item_entry(
    item: GoldItem, answer: Any, history: list[dict[str, Any]], result: metrics.ItemResult
) -> dict[str, Any]:
    turns = [
        {"question": history[i]["content"], "answer": history[i + 1]["content"]}
        for i in range(0, len(history) - 1, 2)
    ]
    scores = result.to_dict()
    return {
        "id": item.id,
        "kind": item.kind,
        "line": item.line,
        "question": item.question,
        "history": turns,
        "answerable": item.answerable,
        "expected_facts": [list(f) for f in item.facts],
        "sources": list(item.sources),
        "answer": answer.text,
        "refused": bool(answer.refused),
        "answerer": answer.answerer,
        "retrieval_query": answer.retrieval_query,
        "citations": [
            {"n": c.n, "doc_id": c.doc_id, "title": c.title, "date": c.date, "quote": c.quote}
            for c in answer.citations
        ],
        "retrieved": list(dict.fromkeys(answer.retrieved_doc_ids))[:TOP_RETRIEVED],
        "notices": list(answer.notices),
        "metrics": {k: scores[k] for k in _ITEM_METRIC_KEYS},
    }


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def _git_state(root: Path) -> tuple[str | None, bool | None]:
    """HEAD's commit and whether the working tree differs from it (None when not a repo)."""
    commit = (_git(root, "rev-parse", "HEAD") or "").strip() or None
    if commit is None:
        return None, None
    status = _git(root, "status", "--porcelain", "--untracked-files=no")
    return commit, None if status is None else bool(status.strip())


def _repo_relative(path: str | Path) -> str:
    """``path`` relative to the repository when inside it (so reports do not name a home)."""
    try:
        return Path(path).resolve().relative_to(PROJECT_ROOT).as_posix()
    except (OSError, ValueError):
        return str(path)


def _meta(qa: Any, items: Sequence[GoldItem], gold: Sequence[str | Path]) -> dict[str, Any]:
    try:
        readouts = len(qa.store.doc_records())
    except Exception:  # a meta field must never sink a run
        readouts = None
    meta: dict[str, Any] = {
        "gold": [_repo_relative(g) for g in gold],
        "n_items": len(items),
        "answerer": getattr(qa, "answerer_name", None),
        "embed_model": getattr(getattr(qa, "settings", None), "embed_model", None),
        "readouts_indexed": readouts,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    commit, dirty = _git_state(PROJECT_ROOT)
    if commit:
        meta["git_commit"] = commit
        meta["git_dirty"] = dirty
    meta["machine"] = {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
    }
    return meta


def run_eval(
    qa: Any,
    items: Sequence[GoldItem],
    progress: EvalProgress | None = None,
    *,
    gold: Sequence[str | Path] = (),
) -> dict[str, Any]:
    """Ask every gold item of ``items`` (in order) and return the report (see module doc).

    ``gold`` names the gold file(s) the items came from, for ``meta``.
    """
    results: list[metrics.ItemResult] = []
    entries: list[dict[str, Any]] = []
    total = len(items)
    for done, item in enumerate(items):
        if progress is not None:
            progress(done, total, item.id)
        answer, latency, history = ask_item(qa, item)
        result = evaluate_item(item, answer, latency)
        results.append(result)
        entries.append(_item_entry(item, answer, history, result))
    if progress is not None:
        progress(total, total, "")
    if results:
        summary = aggregate(results)
    else:
        summary = {k: None for k in REPORT_KEYS} | {"n_items": 0, "by_kind": {}}
    by_kind = summary.pop("by_kind")
    return {
        "overall": summary,
        "by_kind": by_kind,
        "items": entries,
        "meta": _meta(qa, items, gold),
    }


def select_items(items: Iterable[GoldItem], doc_ids: Iterable[str]) -> list[GoldItem]:
    """The items every source of which is among ``doc_ids`` (items without sources always)."""
    have = set(doc_ids)
    return [item for item in items if set(item.sources) <= have]


# ---------------------------------------------------------------------------------- failures
def failure_reasons(entry: Mapping[str, Any]) -> list[str]:
    """Why an item of a report failed (empty when it did not)."""
    reasons = []
    if entry["answerable"]:
        if entry["refused"]:
            reasons.append("wrongly refused")
        recall = entry["metrics"].get("fact_recall")
        if recall is not None and recall < 1:
            reasons.append(f"fact recall {recall:.2f}")
    elif not entry["refused"]:
        reasons.append("unanswerable but answered")
    return reasons


def failed_items(report: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [e for e in report.get("items", []) if failure_reasons(e)]


# ---------------------------------------------------------------------------------- writing
def _rounded(value: Any, digits: int = 4) -> Any:
    if isinstance(value, float):
        return round(value, digits)
    if isinstance(value, dict):
        return {k: _rounded(v, digits) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v, digits) for v in value]
    return value


def write_json(report: Mapping[str, Any], path: str | Path) -> Path:
    """Save ``report`` as indented JSON (floats rounded to 4 places, so diffs stay readable)."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(json.dumps(_rounded(dict(report)), ensure_ascii=False, indent=2) + "\n", "utf-8")
    return p


def load_report(path: str | Path) -> dict[str, Any]:
    """A report saved by :func:`write_json` (or a bare :func:`metrics.aggregate` dict)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: not a report (expected a JSON object)")
    return data


#: Columns of the tables: (metric, header).
COLUMNS: tuple[tuple[str, str], ...] = (
    ("n_items", "n"),
    ("fact_recall", "fact recall"),
    ("all_facts", "all facts"),
    ("citation_precision", "citation precision"),
    ("citation_support", "citation support"),
    ("recall@1", "R@1"),
    ("recall@5", "R@5"),
    ("recall@10", "R@10"),
    ("mrr", "MRR"),
    ("unanswerable_refused", "unanswerable refused"),
    ("answerable_wrongly_refused", "wrongly refused"),
    ("latency_p50", "latency p50 (s)"),
    ("latency_p95", "latency p95 (s)"),
    ("judge_faithfulness", "judge faithfulness"),
    ("judge_correctness", "judge correctness"),
)


def columns_of(report: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The table columns this report has values for (judge columns only when judged)."""
    overall = report.get("overall", {})
    return [(k, h) for k, h in COLUMNS if k not in JUDGE_METRICS or k in overall]


def fmt_value(metric: str, value: Any) -> str:
    if value is None:
        return "–"
    if metric == "n_items":
        return str(value)
    return f"{value:.3f}"


def _md(text: Any) -> str:
    """Text safe inside a Markdown table cell or list item."""
    return " ".join(str(text).split()).replace("|", "\\|")


def render_markdown(report: Mapping[str, Any]) -> str:
    meta = report.get("meta", {})
    overall = report.get("overall", {})
    cols = columns_of(report)
    lines = ["# readout-qa evaluation", ""]
    facts = [
        ("gold", ", ".join(meta.get("gold", [])) or "–"),
        ("items", meta.get("n_items", overall.get("n_items"))),
        ("answerer", meta.get("answerer")),
        ("embedding model", meta.get("embed_model")),
        ("readouts indexed", meta.get("readouts_indexed")),
        ("date (UTC)", meta.get("date")),
        ("git commit", meta.get("git_commit")),
    ]
    if meta.get("git_dirty"):
        facts[-1] = ("git commit", f"{meta['git_commit']} (with uncommitted changes)")
    machine = meta.get("machine") or {}
    if machine:
        facts.append(("machine", f"{machine.get('platform')}, {machine.get('cpu_count')} CPUs"))
    for label, value in facts:
        if value not in (None, ""):
            lines.append(f"- {label}: {_md(value)}")
    lines += ["", "## Overall", "", "| metric | value |", "|---|---:|"]
    for key, header in cols:
        lines.append(f"| {header} | {fmt_value(key, overall.get(key))} |")

    lines += ["", "## Per kind", ""]
    lines.append("| kind | " + " | ".join(h for _, h in cols) + " |")
    lines.append("|---|" + "---:|" * len(cols))
    for kind, block in (report.get("by_kind") or {}).items():
        cells = " | ".join(fmt_value(k, block.get(k)) for k, _ in cols)
        lines.append(f"| {kind} | {cells} |")

    failed = failed_items(report)
    n = len(report.get("items", []))
    lines += ["", f"## Failed items ({len(failed)} of {n})", ""]
    if not failed:
        lines.append("None: every answerable item has all its facts and every refusal is right.")
    for e in failed:
        lines += _render_failed(e)
    return "\n".join(lines).rstrip() + "\n"


def _render_failed(e: Mapping[str, Any]) -> list[str]:
    m = e.get("metrics", {})
    lines = [f"### {e['id']} ({e['kind']}): {'; '.join(failure_reasons(e))}", ""]
    lines.append(f"**Question:** {_md(e['question'])}")
    lines.append("")
    for i, turn in enumerate(e.get("history", []), start=1):
        lines.append(f"- earlier question {i}: {_md(turn['question'])}")
        lines.append(f"  - system answered: {_md(turn['answer'])}")
    if e.get("history"):
        lines.append("")
    if e["answerable"]:
        missing = {tuple(f) for f in m.get("missing", [])}
        shown = []
        for fact in e["expected_facts"]:
            mark = "✗" if tuple(fact) in missing else "✓"
            shown.append(f"{mark} {' / '.join(fact)}")
        lines.append(f"**Expected facts:** {_md('; '.join(shown))}")
        lines.append(f"**Gold sources:** {', '.join(e['sources'])}")
    else:
        lines.append("**Expected:** a refusal (the readouts do not answer this).")
    lines.append(f"**Retrieved (top {TOP_RETRIEVED}):** {', '.join(e['retrieved']) or '–'}")
    if e.get("retrieval_query") and e["retrieval_query"] != e["question"]:
        lines.append(f"**Search query:** {_md(e['retrieval_query'])}")
    lines.append("")
    refused = " (refused)" if e["refused"] else ""
    lines.append(f"**Answer{refused}:** {_md(e['answer'])}")
    lines.append("")
    gold = set(e.get("sources", []))
    for c in e.get("citations", []):
        mark = "" if not e["answerable"] or c["doc_id"] in gold else " (not a gold source)"
        lines.append(f"- [{c['n']}] `{c['doc_id']}`{mark}: “{_md(c['quote'])}”")
    if e.get("citations"):
        lines.append("")
    return lines


def write_markdown(report: Mapping[str, Any], path: str | Path) -> Path:
    """Save a readable summary: overall table, per-kind table, then every failed item."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(render_markdown(report), encoding="utf-8")
    return p


# ---------------------------------------------------------------------------------- gate
def flat(report: Mapping[str, Any]) -> dict[str, Any]:
    """The report in :func:`metrics.aggregate` shape (metrics at the top, plus ``by_kind``).

    Accepts a report of :func:`run_eval` or a bare aggregate.
    """
    if "overall" in report:
        return {**report["overall"], "by_kind": dict(report.get("by_kind") or {})}
    return dict(report)


def _without_latency(agg: Mapping[str, Any]) -> dict[str, Any]:
    out = {k: (None if k in LATENCY_METRICS else v) for k, v in agg.items() if k != "by_kind"}
    out["by_kind"] = {
        kind: {k: (None if k in LATENCY_METRICS else v) for k, v in block.items()}
        for kind, block in (agg.get("by_kind") or {}).items()
    }
    return out


def _split_key(key: str) -> tuple[str | None, str]:
    if key.startswith("by_kind."):
        kind, _, metric = key[len("by_kind.") :].rpartition(".")
        return kind, metric
    return None, key


def validate_thresholds(thresholds: Mapping[str, Any]) -> dict[str, float]:
    """``thresholds`` with every key a known metric (or ``by_kind.<kind>.<metric>``) and every
    value a number; raises ``ValueError`` naming the bad entries."""
    problems = []
    clean: dict[str, float] = {}
    for key, value in thresholds.items():
        kind, metric = _split_key(key)
        if metric not in REPORT_KEYS and metric not in JUDGE_METRICS:
            problems.append(f"{key}: unknown metric {metric!r}")
        elif kind is not None and kind not in KINDS:
            problems.append(f"{key}: unknown kind {kind!r}")
        elif isinstance(value, bool) or not isinstance(value, int | float):
            problems.append(f"{key}: threshold must be a number, got {value!r}")
        else:
            clean[key] = float(value)
    if problems:
        raise ValueError("bad threshold(s): " + "; ".join(problems))
    return clean


def _judge_thresholds(agg: Mapping[str, Any], thresholds: Mapping[str, float]) -> list[str]:
    out = []
    for key, limit in thresholds.items():
        kind, metric = _split_key(key)
        block = agg if kind is None else (agg.get("by_kind") or {}).get(kind, {})
        value = block.get(metric)
        if value is None:
            out.append(f"{key}: not measured (threshold {limit})")
        elif value < limit:
            out.append(f"{key}: {value:.3f} < minimum {limit}")
    return out


def _judge_regressions(
    agg: Mapping[str, Any], base: Mapping[str, Any], tolerance: float
) -> list[str]:
    out = []
    blocks = [("", agg, base)] + [
        (f"by_kind.{kind}.", (agg.get("by_kind") or {}).get(kind, {}), old)
        for kind, old in (base.get("by_kind") or {}).items()
    ]
    for prefix, new, old in blocks:
        for metric in JUDGE_METRICS:
            before, after = old.get(metric), new.get(metric)
            if before is None or after is None:
                continue  # judging is optional; a run without it is no regression
            if before - after > tolerance:
                out.append(
                    f"{prefix}{metric}: {before:.3f} -> {after:.3f} ({after - before:.3f}, worse)"
                )
    return out


def gate(
    report: Mapping[str, Any],
    baseline: Mapping[str, Any] | None,
    thresholds: Mapping[str, float],
    *,
    tolerance: float = 0.02,
    compare_latency: bool = False,
    latency_tolerance: float = 0.25,
) -> list[str]:
    """Every unmet threshold, then every regression against ``baseline``; empty = pass.

    Thresholds use :func:`metrics.check_thresholds` (latency keys in ``thresholds`` are always
    checked). Regressions use :func:`metrics.compare`; latencies depend on the machine, so they
    are compared only with ``compare_latency``. Judge metrics, when both reports have them, are
    compared with the same ``tolerance``.
    """
    thresholds = validate_thresholds(thresholds)
    agg = flat(report)
    plain = {k: v for k, v in thresholds.items() if _split_key(k)[1] not in JUDGE_METRICS}
    judged = {k: v for k, v in thresholds.items() if k not in plain}
    problems = [f"threshold {p}" for p in metrics.check_thresholds(agg, plain)]
    problems += [f"threshold {p}" for p in _judge_thresholds(agg, judged)]
    if baseline is not None:
        base = flat(baseline)
        new, old = (agg, base)
        if not compare_latency:
            new, old = _without_latency(agg), _without_latency(base)
        regressions = metrics.compare(
            new, old, tolerance=tolerance, latency_tolerance=latency_tolerance
        )
        regressions += _judge_regressions(agg, base, tolerance)
        problems += [f"regression {r}" for r in regressions]
    return problems


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
