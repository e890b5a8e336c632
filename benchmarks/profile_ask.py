"""Where ``ReadoutQA.ask`` spends its time: pyinstrument over the gold questions (warm process).

A diagnostic for when latency.py misses a target, not part of ``make bench``.  After a warm-up
pass it profiles one pass over the gold set (query-vector cache cleared before each ask, as in
latency.py's headline figures) and writes the call tree to
``benchmarks/results/profile_ask.txt`` (and ``.html``), plus a per-ask breakdown of the main
stages.  pyinstrument is a benchmark-only tool: ``pip install pyinstrument``.

``--long`` profiles latency.py's long multi-part questions instead (first turns) ->
``profile_ask_long.txt``.

Usage: python benchmarks/profile_ask.py [corpus folders...] [--kind paraphrase | --long]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as C  # noqa: E402

from readout_qa.evals.gold import load_gold  # noqa: E402
from readout_qa.evals.runner import ask_item, select_items  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    C.corpus_args(parser)
    parser.add_argument("--data-dir")
    parser.add_argument("--kind", help="only gold items of this kind")
    parser.add_argument(
        "--long", action="store_true", help="latency.py's long multi-part questions instead"
    )
    args = parser.parse_args()
    from pyinstrument import Profiler

    paths = C.corpus_paths(args)
    qa, _info = C.open_index(paths, args.data_dir)
    items = select_items(load_gold(args.gold), qa.store.doc_records())
    if args.kind:
        items = [i for i in items if i.kind == args.kind]
    convs = []
    if args.long:
        from latency import LONG_QUESTIONS, load_long

        for question in load_long(LONG_QUESTIONS):
            qa.ask(question)
            convs.append((question, []))
    else:
        for item in items:
            _a, _l, history = ask_item(qa, item)
            convs.append((item.question, history))
    prof = Profiler(interval=0.0005)
    prof.start()
    for question, history in convs:
        C.clear_query_cache()
        qa.ask(question, history=history)
    prof.stop()
    C.RESULTS.mkdir(exist_ok=True)
    name = "profile_ask" + ("_long" if args.long else f"_{args.kind}" if args.kind else "")
    text = prof.output_text(unicode=False, color=False, show_all=False)
    (C.RESULTS / f"{name}.txt").write_text(
        f"{len(convs)} asks; load average {C.machine()['loadavg']}\n\n{text}"
    )
    (C.RESULTS / f"{name}.html").write_text(prof.output_html())
    print(text)


if __name__ == "__main__":
    main()
