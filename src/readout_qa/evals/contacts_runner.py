"""Run the contacts gold set through a ``ReadoutQA``; report it; judge it against thresholds.

:func:`run_contacts_eval` asks every item of ``evals/contacts_gold.jsonl`` once
(``qa.ask(question)``), scores the answer with :mod:`.contacts_metrics` and returns a report in
the shape of the gold set's (:mod:`.runner`)::

    {"overall": {<metric>: value, ..., "n_items": n},
     "by_kind": {kind: {...}},
     "by_split": {"tune" | "test": {<metric>: value, ..., "by_kind": {...}}},
     "items": [{"id", "kind", "split", "question", "expected_events", "answer", "refused",
                "citations", "contacts", "metrics", ...}],
     "meta": {"gold", "n_items", "n_by_split", "answerer", ...}}

The thresholds are the set ``"contacts"`` of ``evals/thresholds.json``; its key ``"enforce"``
says whether an unmet one fails the run or is only reported (:func:`load_contact_thresholds`).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .contacts_gold import ITEM_KINDS, ContactItem
from .contacts_metrics import (
    CONTACT_REPORT_KEYS,
    ContactItemResult,
    aggregate_contact_splits,
    aggregate_contacts,
    evaluate_contact_item,
)
from .gate import check_thresholds
from .gold import SPLITS
from .report import PART_LABELS, write_json
from .runner import run_meta

Progress = Callable[[int, int, str], None]

#: Table columns: (metric, header).
CONTACT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("n_items", "n"),
    ("event_recall", "event recall"),
    ("all_events", "all events"),
    ("cited_readout_precision", "cited-readout precision"),
    ("count_exact", "count exact"),
    ("none_stated", "none stated"),
    ("refused", "refused"),
    ("latency_p50", "latency p50 (s)"),
    ("latency_p95", "latency p95 (s)"),
)


# ---------------------------------------------------------------------------------- running
def _contact_dict(c: Any) -> dict[str, Any]:
    return {
        "date": c.date,
        "kind": c.kind,
        "participants": list(c.participants),
        "doc_ids": [r.doc_id for r in c.readouts],
    }


def contact_entry(item: ContactItem, answer: Any, result: ContactItemResult) -> dict[str, Any]:
    """The report entry of one item: what was asked and expected, what came back, its scores."""
    scores = result.to_dict()
    return {
        "id": item.id,
        "kind": item.kind,
        "split": item.split,
        "line": item.line,
        "question": item.question,
        "expected_events": [e.to_dict() for e in item.events],
        "expected_count": item.expected_count,
        "answer": answer.text,
        "refused": bool(answer.refused),
        "answerer": answer.answerer,
        "citations": [
            {"n": c.n, "doc_id": c.doc_id, "date": c.date, "quote": c.quote}
            for c in answer.citations
        ],
        "contacts": [_contact_dict(c) for c in answer.contacts],
        "metrics": {
            k: scores[k]
            for k in (
                "event_recall",
                "all_events",
                "cited_readout_precision",
                "count_exact",
                "none_stated",
                "stated_count",
                "found",
                "uncited_events",
                "stray_readouts",
                "latency",
            )
        },
    }


def run_contacts_eval(
    qa: Any,
    items: Sequence[ContactItem],
    progress: Progress | None = None,
    *,
    gold: Sequence[str | Path] = (),
) -> dict[str, Any]:
    """Ask every item of ``items`` (in order) and return the report (see the module doc)."""
    results: list[ContactItemResult] = []
    entries: list[dict[str, Any]] = []
    for done, item in enumerate(items):
        if progress is not None:
            progress(done, len(items), item.id)
        t0 = time.perf_counter()
        answer = qa.ask(item.question)
        result = evaluate_contact_item(item, answer, time.perf_counter() - t0)
        results.append(result)
        entries.append(contact_entry(item, answer, result))
    if progress is not None:
        progress(len(items), len(items), "")
    if results:
        summary = aggregate_contacts(results)
    else:
        summary = {k: None for k in CONTACT_REPORT_KEYS} | {"n_items": 0, "by_kind": {}}
    by_kind = summary.pop("by_kind")
    meta = run_meta(qa, [], gold)
    meta["n_items"] = len(items)
    meta["n_by_split"] = {
        part: sum(i.split == part for i in items)
        for part in SPLITS
        if any(i.split == part for i in items)
    }
    return {
        "overall": summary,
        "by_kind": by_kind,
        "by_split": aggregate_contact_splits(results),
        "items": entries,
        "meta": meta,
    }


# ---------------------------------------------------------------------------------- thresholds
def load_contact_thresholds(
    path: str | Path, name: str = "contacts"
) -> tuple[dict[str, float], bool]:
    """The contacts thresholds of a thresholds file and whether they are enforced.

    The set ``name`` holds ``"enforce": true|false`` (default false: unmet targets are
    reported, the run still passes) and thresholds keyed like the gold set's
    (``"by_split.test.event_recall"``, ``"by_kind.count.count_exact"``); keys starting with
    ``_`` are comments.  A file without the set gives no thresholds.
    """
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    block = data.get(name) if isinstance(data, dict) else None
    if block is None:
        return {}, False
    if not isinstance(block, dict):
        raise ValueError(f"{path}: threshold set {name!r} must be an object")
    enforce = block.get("enforce", False)
    if not isinstance(enforce, bool):
        raise ValueError(f"{path}: {name}.enforce must be true or false")
    limits = {k: v for k, v in block.items() if not k.startswith("_") and k != "enforce"}
    try:
        return validate_contact_thresholds(limits), enforce
    except ValueError as exc:
        raise ValueError(f"{path}: {name}: {exc}") from None


def validate_contact_thresholds(limits: Mapping[str, Any]) -> dict[str, float]:
    from .gate import validate_thresholds

    return validate_thresholds(limits, metrics=CONTACT_REPORT_KEYS, kinds=ITEM_KINDS)


def check_contact_thresholds(report: Mapping[str, Any], limits: Mapping[str, float]) -> list[str]:
    """Unmet contacts thresholds of ``report`` (latencies are maximums, the rest minimums)."""
    return check_thresholds(report, limits, metrics=CONTACT_REPORT_KEYS, kinds=ITEM_KINDS)


# ---------------------------------------------------------------------------------- report
def _fmt(key: str, value: Any) -> str:
    if value is None:
        return "–"
    return str(value) if key == "n_items" else f"{value:.3f}"


def contact_part_rows(report: Mapping[str, Any]) -> tuple[list[str], list[list[str]]]:
    """Metrics as rows; columns ``overall`` and each part present (tune, test)."""
    parts = [p for p in SPLITS if p in (report.get("by_split") or {})]
    blocks = [report.get("overall", {})] + [report["by_split"][p] for p in parts]
    rows = [[h, *(_fmt(k, b.get(k)) for b in blocks)] for k, h in CONTACT_COLUMNS]
    return ["overall", *parts], rows


def contact_kind_rows(
    report: Mapping[str, Any], part: str | None = None
) -> tuple[list[str], list[list[str]]]:
    """Metrics as rows; columns ``overall`` then each kind (of ``part`` when given)."""
    source: Mapping[str, Any] = report
    if part is not None:
        block = (report.get("by_split") or {}).get(part) or {}
        source = {"overall": block, "by_kind": block.get("by_kind") or {}}
    kinds = list(source.get("by_kind") or {})
    blocks = [source.get("overall", {})] + [source["by_kind"][k] for k in kinds]
    rows = [[h, *(_fmt(k, b.get(k)) for b in blocks)] for k, h in CONTACT_COLUMNS]
    return ["overall", *kinds], rows


def contact_failures(entry: Mapping[str, Any]) -> list[str]:
    """Why an item failed (empty when it did not)."""
    m = entry["metrics"]
    reasons = []
    if m.get("event_recall") is not None and m["event_recall"] < 1:
        reasons.append(f"event recall {m['event_recall']:.2f}")
    precision = m.get("cited_readout_precision")
    if precision is not None and precision < 1:
        reasons.append(f"cited-readout precision {precision:.2f}")
    if m.get("count_exact") == 0:
        reasons.append(f"count {m.get('stated_count')} (expected {entry['expected_count']})")
    if m.get("none_stated") == 0:
        reasons.append("no 'none' stated (or cites readouts)")
    return reasons


def _md(text: Any) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def render_contacts_markdown(report: Mapping[str, Any]) -> str:
    """The readable contacts report: tables by part and kind, then every failed item."""
    meta = report.get("meta", {})
    lines = ["# readout-qa contacts evaluation", ""]
    for label, key in (
        ("gold", "gold"),
        ("answerer", "answerer"),
        ("readouts indexed", "readouts_indexed"),
        ("date (UTC)", "date"),
        ("git commit", "git_commit"),
    ):
        value = meta.get(key)
        if isinstance(value, list):
            value = ", ".join(value)
        if value not in (None, ""):
            lines.append(f"- {label}: {_md(value)}")
    names, rows = contact_part_rows(report)
    labels = [PART_LABELS.get(n, n) for n in names]
    lines += ["", "## Overall", "", "| metric | " + " | ".join(labels) + " |"]
    lines += ["|---|" + "---:|" * len(labels)] + ["| " + " | ".join(r) + " |" for r in rows]
    for part in [None, *names[1:]]:
        kinds, rows = contact_kind_rows(report, part)
        title = "## Per kind" + (f", {PART_LABELS.get(part, part)}" if part else "")
        lines += ["", title, "", "| kind | " + " | ".join(r[0] for r in rows) + " |"]
        lines.append("|---|" + "---:|" * len(rows))
        for i, kind in enumerate(kinds[1:], start=2):
            lines.append(f"| {kind} | " + " | ".join(r[i] for r in rows) + " |")
    failed = [e for e in report.get("items", []) if contact_failures(e)]
    lines += ["", f"## Failed items ({len(failed)} of {len(report.get('items', []))})", ""]
    for e in failed:
        lines += [f"### {e['id']} ({e['kind']}, {e['split']}): {'; '.join(contact_failures(e))}"]
        lines += ["", f"**Question:** {_md(e['question'])}", ""]
        found = e["metrics"].get("found") or []
        for event, ok in zip(e["expected_events"], found, strict=False):
            mark = "✓" if ok else "✗"
            people = ", ".join(event["participants"])
            lines.append(f"- {mark} {event['date']} {event['kind']}: {_md(people)}")
        if e.get("expected_count") is not None:
            lines.append(f"- expected count: {e['expected_count']}")
        lines += ["", f"**Answer{' (refused)' if e['refused'] else ''}:** {_md(e['answer'])}", ""]
        stray = set(e["metrics"].get("stray_readouts") or [])
        for c in e["citations"]:
            mark = " (no expected event)" if c["doc_id"] in stray else ""
            lines.append(f"- [{c['n']}] `{c['doc_id']}`{mark}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def write_contacts_report(
    report: Mapping[str, Any], json_path: str | Path | None, md_path: str | Path | None
) -> None:
    """Save the report as JSON (rounded, like the gold set's) and/or Markdown."""
    if json_path is not None:
        write_json(report, json_path)
    if md_path is not None:
        p = Path(md_path)
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(render_contacts_markdown(report), encoding="utf-8")


__all__ = [
    "CONTACT_COLUMNS",
    "check_contact_thresholds",
    "contact_kind_rows",
    "contact_part_rows",
    "load_contact_thresholds",
    "render_contacts_markdown",
    "run_contacts_eval",
    "validate_contact_thresholds",
    "write_contacts_report",
]
