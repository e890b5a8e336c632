"""Quality of readout-qa against the default llama-index pipeline, same corpus, model and gold set.

Systems (all with the same local all-MiniLM-L6-v2 int8 ONNX embedding):

* ``llama-index top-2`` / ``top-5`` / ``top-10``: SimpleDirectoryReader over the corpus folders ->
  VectorStoreIndex (default SentenceSplitter) on an embedded ChromaVectorStore ->
  ``as_retriever(similarity_top_k=k)``; doc id = file name without extension.  It has no
  answerer (``Settings.llm`` is a MockLLM), so its *fact recall* is measured on the retrieved
  text itself: the share of gold facts present anywhere in the k retrieved chunks, an upper
  bound of what an LLM reading that context could answer.
* ``readout-qa``: ``ReadoutQA.ask`` on every gold item, earlier turns of follow-ups asked first
  (as the evals do), scored with ``readout_qa.evals.metrics`` (fact recall is on the *answer*).
* ``BM25 alone`` / ``dense alone``: ``HybridRetriever.retrieve(use_dense=False)`` /
  ``(use_keyword=False)`` on the query readout-qa searched with (the readout ranking and
  who/when boosts still apply).

Retrieval metrics are over unique readouts, best first: recall@1/5/10 of the gold sources and
MRR.  ``ctx_fact_recall`` is the share of gold facts present in the text a system retrieved
(for readout-qa: the passages handed to the answerer).

Usage: python benchmarks/quality.py [corpus folders...] [--gold evals/gold.jsonl]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as C  # noqa: E402

from readout_qa.evals.gold import KINDS, covering_alternative, load_gold  # noqa: E402
from readout_qa.evals.metrics import aggregate, evaluate_item, reciprocal_rank, retrieval_recall_at  # noqa: E402
from readout_qa.evals.runner import ask_item, select_items  # noqa: E402

RET_KEYS = ("ctx_fact_recall", "recall@1", "recall@5", "recall@10", "mrr")


def ctx_fact_recall(item: Any, texts: list[str]) -> float | None:
    if not item.answerable or not item.facts:
        return None
    hay = "\n".join(texts)
    return sum(covering_alternative(hay, fact) is not None for fact in item.facts) / len(item.facts)


def retrieval_scores(item: Any, doc_ids: list[str], texts: list[str]) -> dict[str, float | None]:
    out: dict[str, float | None] = {"ctx_fact_recall": ctx_fact_recall(item, texts)}
    if item.sources:
        for k in (1, 5, 10):
            out[f"recall@{k}"] = retrieval_recall_at(item.sources, doc_ids, k)
        out["mrr"] = reciprocal_rank(item.sources, doc_ids)
    else:
        out.update({k: None for k in RET_KEYS[1:]})
    return out


def mean(xs: list[float | None]) -> float | None:
    vals = [x for x in xs if x is not None]
    return sum(vals) / len(vals) if vals else None


def summarise(rows: list[dict[str, Any]], kinds: list[str]) -> dict[str, dict[str, Any]]:
    out = {}
    for kind in ["overall", *kinds]:
        sel = rows if kind == "overall" else [r for r in rows if r["kind"] == kind]
        out[kind] = {k: mean([r[k] for r in sel]) for k in RET_KEYS} | {"n": len(sel)}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    C.corpus_args(parser)
    parser.add_argument("--data-dir", help="readout-qa index to use (default: eval index or /tmp)")
    parser.add_argument("--rebuild-baseline", action="store_true")
    args = parser.parse_args()
    paths = C.corpus_paths(args)
    C.nice(5)
    load_start = os.getloadavg()

    qa, index_info = C.open_index(paths, args.data_dir)
    index_info.update(C.index_stats(qa))
    baseline, baseline_info = C.open_baseline(paths, rebuild=args.rebuild_baseline)
    items = select_items(load_gold(args.gold), qa.store.doc_records())
    kinds = [k for k in KINDS if any(i.kind == k for i in items)]
    C.log(f"{len(items)} gold items; asking readout-qa")

    # --- readout-qa, full eval --------------------------------------------------------
    results, ours_rows, bm25_rows, dense_rows, per_item = [], [], [], [], []
    queries: list[tuple[str, str]] = []  # (raw question, readout-qa's retrieval query)
    t0 = time.perf_counter()
    for item in items:
        answer, latency, _history = ask_item(qa, item)
        res = evaluate_item(item, answer, latency)
        results.append(res)
        rq = answer.retrieval_query or item.question
        queries.append((item.question, rq))
        full = qa.retrieve(rq)
        row = retrieval_scores(
            item, list(answer.retrieved_doc_ids), [p.text for p in full.passages]
        )
        ours_rows.append({"kind": item.kind, **row})
        for rows, flags in (
            (bm25_rows, {"use_dense": False}),
            (dense_rows, {"use_keyword": False}),
        ):
            r = qa.retriever.retrieve(rq, None, qa.settings.top_k, **flags)
            rows.append(
                {
                    "kind": item.kind,
                    **retrieval_scores(item, r.doc_ids, [p.text for p in r.passages]),
                }
            )
        per_item.append(
            {
                "id": item.id,
                "kind": item.kind,
                "query": rq,
                "fact_recall": res.fact_recall,
                "refused": res.refused,
                "ours_top5": list(dict.fromkeys(answer.retrieved_doc_ids))[:5],
            }
        )
    ours_eval = aggregate(results)
    C.log(f"readout-qa done in {time.perf_counter() - t0:.1f}s")

    # --- llama-index baseline ---------------------------------------------------------
    base_rows: dict[str, list[dict[str, Any]]] = {}
    for k in (2, 5, 10):
        for variant, qi in (("", 0), (" (our retrieval query)", 1)):
            name = f"llama-index top-{k}{variant}"
            retriever = baseline.as_retriever(similarity_top_k=k)
            rows = []
            for item, qs, entry in zip(items, queries, per_item, strict=True):
                nodes = retriever.retrieve(qs[qi])
                ids = list(dict.fromkeys(C.baseline_doc_id(n) for n in nodes))
                rows.append(
                    {
                        "kind": item.kind,
                        **retrieval_scores(item, ids, [n.node.get_content() for n in nodes]),
                    }
                )
                if k == 5 and not variant:
                    entry["llamaindex_top5"] = ids
            base_rows[name] = rows
    C.log("baseline done")

    systems = {
        "readout-qa": summarise(ours_rows, kinds),
        "BM25 alone": summarise(bm25_rows, kinds),
        "dense alone": summarise(dense_rows, kinds),
        **{name: summarise(rows, kinds) for name, rows in base_rows.items()},
    }
    # readout-qa's answer-level metrics next to its retrieval metrics
    answer_metrics = {"overall": {k: v for k, v in ours_eval.items() if k != "by_kind"}}
    answer_metrics.update(ours_eval["by_kind"])

    # --- margins per kind ---------------------------------------------------------------
    margins = {}
    for kind in ["overall", *kinds]:
        ours_fr = answer_metrics[kind].get("fact_recall")
        m: dict[str, Any] = {}
        for base in ("llama-index top-2", "llama-index top-5"):
            b = systems[base][kind]
            m[base] = {
                "fact_recall (our answer - their context)": None
                if ours_fr is None or b["ctx_fact_recall"] is None
                else ours_fr - b["ctx_fact_recall"],
                "ctx_fact_recall": None
                if systems["readout-qa"][kind]["ctx_fact_recall"] is None
                else systems["readout-qa"][kind]["ctx_fact_recall"] - b["ctx_fact_recall"],
                "recall@5": None
                if b["recall@5"] is None
                else systems["readout-qa"][kind]["recall@5"] - b["recall@5"],
                "mrr": None if b["mrr"] is None else systems["readout-qa"][kind]["mrr"] - b["mrr"],
            }
        margins[kind] = m

    # --- print and save -----------------------------------------------------------------
    md = []
    md.append(
        f"Corpus: {', '.join(str(p) for p in paths)} - readout-qa index {index_info['readouts']} "
        f"readouts / {index_info['chunks']} chunks ({index_info['data_dir']}); llama-index baseline "
        f"{baseline_info['nodes']} nodes from {baseline_info['documents']} documents; gold "
        f"{len(items)} items. Same embedding model (all-MiniLM-L6-v2 int8 ONNX) everywhere.\n"
    )
    md.append("## Headline per question kind (fact recall and recall@5)\n")
    header = [
        "kind",
        "n",
        "ours fact recall (answer)",
        "li top-2 fact recall (context)",
        "li top-5 fact recall (context)",
        "margin vs top-2",
        "ours recall@5",
        "li top-2 recall@5",
        "li top-5 recall@5",
        "margin vs top-2",
        "margin vs top-5",
    ]
    rows = []
    for kind in ["overall", *kinds]:
        o, b2, b5 = (
            systems["readout-qa"][kind],
            systems["llama-index top-2"][kind],
            systems["llama-index top-5"][kind],
        )
        fr = answer_metrics[kind].get("fact_recall")
        rows.append(
            [
                kind,
                o["n"],
                fr,
                b2["ctx_fact_recall"],
                b5["ctx_fact_recall"],
                margins[kind]["llama-index top-2"]["fact_recall (our answer - their context)"],
                o["recall@5"],
                b2["recall@5"],
                b5["recall@5"],
                margins[kind]["llama-index top-2"]["recall@5"],
                margins[kind]["llama-index top-5"]["recall@5"],
            ]
        )
    md.append(C.md_table(header, rows))
    md.append(
        "\nFact recall of llama-index is measured on its retrieved context (it has no answerer): "
        "an upper bound for any answer built on it. readout-qa's is measured on its short "
        "extractive answer. Unanswerable items have no facts and no sources (n/a).\n"
    )
    md.append("## Retrieval, all systems, overall (unique readouts, best first)\n")
    header = ["system", "n", "ctx fact recall", "recall@1", "recall@5", "recall@10", "MRR"]
    rows = [
        [name, s["overall"]["n"], *(s["overall"][k] for k in RET_KEYS)]
        for name, s in systems.items()
    ]
    md.append(C.md_table(header, rows))
    cols = [
        "readout-qa",
        "BM25 alone",
        "dense alone",
        "llama-index top-2",
        "llama-index top-5",
        "llama-index top-10",
        "llama-index top-5 (our retrieval query)",
    ]
    for metric in ("recall@5", "mrr", "ctx_fact_recall"):
        md.append(f"\n## {metric} per kind\n")
        rows = [
            [kind, *(systems[c][kind][metric] for c in cols)]
            for kind in ["overall", *kinds]
            if kind != "unanswerable"
        ]
        md.append(C.md_table(["kind", *cols], rows))
    md.append(
        "\n`(our retrieval query)`: the baseline given the self-contained query readout-qa "
        "searched with (it differs from the question only for follow-ups), to separate the "
        "follow-up rewriting from retrieval quality.\n"
    )
    md.append("## readout-qa answer metrics (readout_qa.evals.metrics)\n")
    header = [
        "kind",
        "n",
        "fact recall",
        "all facts",
        "citation precision",
        "citation support",
        "recall@5",
        "MRR",
        "unanswerable refused",
        "answerable wrongly refused",
        "p50 s",
        "p95 s",
    ]
    rows = []
    for kind in ["overall", *kinds]:
        a = answer_metrics[kind]
        rows.append(
            [
                kind,
                a["n_items"],
                a["fact_recall"],
                a["all_facts"],
                a["citation_precision"],
                a["citation_support"],
                a["recall@5"],
                a["mrr"],
                a["unanswerable_refused"],
                a["answerable_wrongly_refused"],
                a["latency_p50"],
                a["latency_p95"],
            ]
        )
    md.append(C.md_table(header, rows))
    text = "\n".join(md)
    print(text)
    data = {
        "corpora": [str(p) for p in paths],
        "gold": str(args.gold),
        "n_items": len(items),
        "loadavg_at_start": [round(x, 2) for x in load_start],
        "readout_qa_index": index_info,
        "llamaindex_baseline": baseline_info,
        "systems": systems,
        "readout_qa_answer_metrics": answer_metrics,
        "margins": margins,
        "items": per_item,
    }
    C.write_results("quality", data, text)


if __name__ == "__main__":
    main()
