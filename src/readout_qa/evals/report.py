"""Saving and showing eval reports: JSON for machines and baselines, Markdown for people.

The JSON is the report of :func:`readout_qa.evals.runner.run_eval` with floats rounded, so that
``git diff evals/baseline.json`` shows changed items rather than noise in the last digits; its
shape must stay stable because new runs are compared against saved baselines.  The Markdown
puts the failed items first-class (expected facts ✓/✗, what was retrieved and cited) because a
figure alone does not say what to fix.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .gold import SPLITS
from .metrics import JUDGE_METRICS
from .runner import TOP_RETRIEVED

#: How the parts of the gold set are named in tables.
PART_LABELS = {"tune": "tuning part", "test": "test part"}

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
    ("answered_wrongly", "answered wrongly"),
    ("latency_p50", "latency p50 (s)"),
    ("latency_p95", "latency p95 (s)"),
    ("judge_faithfulness", "judge faithfulness"),
    ("judge_correctness", "judge correctness"),
)


# ---------------------------------------------------------------------------------- failures
def failure_reasons(entry: Mapping[str, Any]) -> list[str]:
    """Why an item of a report failed (empty when it did not)."""
    reasons = []
    if entry["answerable"]:
        recall = entry["metrics"].get("fact_recall")
        if entry["refused"]:
            reasons.append("wrongly refused")
        elif not recall:
            reasons.append("answered wrongly")
        if recall is not None and recall < 1:
            reasons.append(f"fact recall {recall:.2f}")
    elif not entry["refused"]:
        reasons.append("unanswerable but answered")
    return reasons


def failed_items(report: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The report's item entries that failed (see :func:`failure_reasons`), in report order."""
    return [e for e in report.get("items", []) if failure_reasons(e)]


# ---------------------------------------------------------------------------------- JSON
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
    """A report saved by :func:`write_json` (or a bare :func:`~.metrics.aggregate` dict)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: not a report (expected a JSON object)")
    return data


# ---------------------------------------------------------------------------------- tables
def columns_of(report: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The table columns this report has values for (judge columns only when judged)."""
    overall = report.get("overall", {})
    return [(k, h) for k, h in COLUMNS if k not in JUDGE_METRICS or k in overall]


def fmt_value(metric: str, value: Any) -> str:
    """A table cell: ``–`` for not measured, counts as integers, rates to 3 places."""
    if value is None:
        return "–"
    if metric == "n_items":
        return str(value)
    return f"{value:.3f}"


def _rows(report: Mapping[str, Any], blocks: list[Mapping[str, Any]]) -> list[list[str]]:
    return [
        [header, *(fmt_value(key, block.get(key)) for block in blocks)]
        for key, header in columns_of(report)
    ]


def summary_rows(
    report: Mapping[str, Any], part: str | None = None
) -> tuple[list[str], list[list[str]]]:
    """The summary as a table with metrics as rows: the column names (``overall`` then each
    kind) and, per metric, its header followed by the formatted cells.  With ``part``
    (``"test"``, ``"tune"``) the same for that part of the gold set: its total, then its kinds.

    Metrics as rows, because there are more metrics than kinds and a terminal is narrow.
    """
    source: Mapping[str, Any] = report
    if part is not None:
        block = (report.get("by_split") or {}).get(part) or {}
        source = {
            "overall": {k: v for k, v in block.items() if k != "by_kind"},
            "by_kind": block.get("by_kind") or {},
        }
    kinds = list(source.get("by_kind") or {})
    blocks = [source.get("overall", {})] + [source["by_kind"][k] for k in kinds]
    return ["overall", *kinds], _rows(report, blocks)


def part_rows(report: Mapping[str, Any]) -> tuple[list[str], list[list[str]]]:
    """Metrics as rows, with the columns ``overall``, then each part of the gold set present
    (``tune``, ``test``); just ``overall`` for a report without parts."""
    parts = [p for p in SPLITS if p in (report.get("by_split") or {})]
    blocks = [report.get("overall", {})] + [report["by_split"][p] for p in parts]
    return ["overall", *parts], _rows(report, blocks)


# ---------------------------------------------------------------------------------- Markdown
def _md(text: Any) -> str:
    """Text safe inside a Markdown table cell or list item."""
    return " ".join(str(text).split()).replace("|", "\\|")


def _render_meta(report: Mapping[str, Any]) -> list[str]:
    meta = report.get("meta", {})
    overall = report.get("overall", {})
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
    facts.append(("note", meta.get("note")))
    return [f"- {label}: {_md(value)}" for label, value in facts if value not in (None, "")]


def _kind_table(names: list[str], rows: list[list[str]]) -> list[str]:
    """:func:`summary_rows` turned round for Markdown: one line per kind (the leading
    ``overall`` column left out, it is in the overall table), metrics as columns."""
    lines = ["| kind | " + " | ".join(row[0] for row in rows) + " |"]
    lines.append("|---|" + "---:|" * len(rows))
    for i, name in enumerate(names[1:], start=2):
        lines.append(f"| {name} | " + " | ".join(row[i] for row in rows) + " |")
    return lines


def render_markdown(report: Mapping[str, Any]) -> str:
    """The readable report: run facts, overall and per-part table, per-kind tables (all items,
    then each part), then every failed item."""
    lines = ["# readout-qa evaluation", "", *_render_meta(report)]
    names, rows = part_rows(report)
    lines += ["", "## Overall", ""]
    labels = [PART_LABELS.get(n, n) for n in names]
    lines += ["| metric | " + " | ".join(labels) + " |", "|---|" + "---:|" * len(labels)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]

    lines += ["", "## Per kind", "", *_kind_table(*summary_rows(report))]
    for part in names[1:]:
        lines += ["", f"## Per kind, {PART_LABELS.get(part, part)}", ""]
        lines += _kind_table(*summary_rows(report, part))

    failed = failed_items(report)
    n = len(report.get("items", []))
    lines += ["", f"## Failed items ({len(failed)} of {n})", ""]
    if not failed:
        lines.append("None: every answerable item has all its facts and every refusal is right.")
    for e in failed:
        lines += _render_failed(e)
    return "\n".join(lines).rstrip() + "\n"


def _render_expected(e: Mapping[str, Any]) -> list[str]:
    if not e["answerable"]:
        return ["**Expected:** a refusal (the readouts do not answer this)."]
    missing = {tuple(f) for f in e.get("metrics", {}).get("missing", [])}
    shown = []
    for fact in e["expected_facts"]:
        mark = "✗" if tuple(fact) in missing else "✓"
        shown.append(f"{mark} {' / '.join(fact)}")
    return [
        f"**Expected facts:** {_md('; '.join(shown))}",
        f"**Gold sources:** {', '.join(e['sources'])}",
    ]


def _render_failed(e: Mapping[str, Any]) -> list[str]:
    where = ", ".join(x for x in (e["kind"], e.get("split")) if x)
    lines = [f"### {e['id']} ({where}): {'; '.join(failure_reasons(e))}", ""]
    lines.append(f"**Question:** {_md(e['question'])}")
    lines.append("")
    for i, turn in enumerate(e.get("history", []), start=1):
        lines.append(f"- earlier question {i}: {_md(turn['question'])}")
        lines.append(f"  - system answered: {_md(turn['answer'])}")
    if e.get("history"):
        lines.append("")
    lines += _render_expected(e)
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
    """Save :func:`render_markdown` of ``report`` at ``path`` (folders created)."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(render_markdown(report), encoding="utf-8")
    return p
