"""Run the gold set through a ``ReadoutQA`` and collect the report.

:func:`run_eval` asks every gold question the way a user would (earlier turns of a follow-up
first, with the system's own answers as the conversation), scores each answer with
:mod:`readout_qa.evals.metrics` and returns a report dict::

    {"overall": {<metric>: value, ..., "n_items": n},
     "by_kind": {kind: {<metric>: value, ...}},
     "by_split": {"tune" | "test": {<metric>: value, ..., "by_kind": {kind: {...}}}},
     "items": [{"id", "kind", "split", "question", "history", "expected_facts", "answer",
                "refused", "citations", "retrieved", "metrics", ...}],
     "meta": {"gold", "n_items", "answerer", "embed_model", "readouts_indexed", "date", ...}}

Everything but latencies and ``meta`` is deterministic for a given index and answerer, so a saved
report (``evals/baseline.json``) can be diffed item by item against a new run.
"""

from __future__ import annotations

import os
import platform
import subprocess
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from readout_qa.config import PROJECT_ROOT

from .gold import SPLITS, GoldItem
from .metrics import REPORT_KEYS, ItemResult, aggregate, aggregate_splits, evaluate_item

#: ``progress(done, total, item_id)`` -- called before each item (done = items finished so far).
EvalProgress = Callable[[int, int, str], None]

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
    "answered_wrongly",
    "n_citations",
    "latency",
    "covered",
    "missing",
)


def default_corpus(root: Path = PROJECT_ROOT) -> list[Path]:
    """``corpus/`` plus ``../shared/corpora`` when it exists: what the gold set's sources need."""
    corpus = [root / "corpus"]
    shared = root.parent / "shared" / "corpora"
    if shared.is_dir():
        corpus.append(shared)
    return corpus


def select_items(items: Iterable[GoldItem], doc_ids: Iterable[str]) -> list[GoldItem]:
    """The items every source of which is among ``doc_ids`` (items without sources always),
    so that a smaller index is not blamed for readouts it does not hold."""
    have = set(doc_ids)
    return [item for item in items if set(item.sources) <= have]


# ---------------------------------------------------------------------------------- asking
def ask_item(qa: Any, item: GoldItem) -> tuple[Any, float, list[dict[str, Any]]]:
    """Ask ``item`` as a user would: its ``history`` questions first, then the question.

    Returns the final ``Answer``, the seconds the final ask took, and the conversation before it
    (user questions and the system's own answers, OpenAI messages shape).  Only the final ask is
    timed: the earlier turns are set-up, not what the item measures.
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


def item_entry(
    item: GoldItem, answer: Any, history: list[dict[str, Any]], result: ItemResult
) -> dict[str, Any]:
    """The report entry of one item: what was asked and expected, what came back, its scores.

    It holds everything needed to see *why* an item failed without re-running it.
    """
    turns = [
        {"question": history[i]["content"], "answer": history[i + 1]["content"]}
        for i in range(0, len(history) - 1, 2)
    ]
    scores = result.to_dict()
    return {
        "id": item.id,
        "kind": item.kind,
        "split": item.split,
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


# ---------------------------------------------------------------------------------- meta
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


def run_meta(qa: Any, items: Sequence[GoldItem], gold: Sequence[str | Path]) -> dict[str, Any]:
    """What a report's figures depend on (gold, index, answerer, code, machine), so that two
    reports are only compared knowingly."""
    try:
        readouts = len(qa.store.doc_records())
    except Exception:  # a meta field must never sink a run
        readouts = None
    meta: dict[str, Any] = {
        "gold": [_repo_relative(g) for g in gold],
        "n_items": len(items),
        "n_by_split": {
            part: sum(item.split == part for item in items)
            for part in SPLITS
            if any(item.split == part for item in items)
        },
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


# ---------------------------------------------------------------------------------- running
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
    results: list[ItemResult] = []
    entries: list[dict[str, Any]] = []
    total = len(items)
    for done, item in enumerate(items):
        if progress is not None:
            progress(done, total, item.id)
        answer, latency, history = ask_item(qa, item)
        result = evaluate_item(item, answer, latency)
        results.append(result)
        entries.append(item_entry(item, answer, history, result))
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
        "by_split": aggregate_splits(results),
        "items": entries,
        "meta": run_meta(qa, items, gold),
    }
