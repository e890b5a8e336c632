"""Evaluation of readout-qa against the gold set (``evals/gold.jsonl``).

One package, one step per module, so that each can be used (and tested) on its own:

* :mod:`.gold` -- load and validate gold items; the tuning/test split; fact matching.
* :mod:`.metrics` -- score one answer, aggregate many (deterministic, plain objects).
* :mod:`.runner` -- ask every gold item of a ``ReadoutQA`` and build the report.
* :mod:`.report` -- save reports as JSON (baselines) and Markdown (failed items).
* :mod:`.gate` -- the one pass/fail decision: thresholds and regressions against a baseline.
* :mod:`.judge` -- an optional LLM judge (imported on demand: it needs a chat model).
* :mod:`.contacts_gold`, :mod:`.contacts_metrics`, :mod:`.contacts_runner` -- the contacts
  evaluation (timelines, counterparts, counts, first/last, none) over ``Answer.contacts``.
* :mod:`.contacts_extraction` -- precision/recall per field of a contact extractor against
  hand annotations of 50 readouts.

``readout-qa eval`` only parses options and prints around these.  The pass/fail function is
``readout_qa.evals.gate.gate`` (not re-exported here, where ``gate`` names the module).  The
definitions of the metrics are in ``evals/README.md``.
"""

from __future__ import annotations

from .gate import load_thresholds, parse_fail_under, resolve_thresholds
from .gold import GoldFormatError, GoldItem, draw_split, load_gold, load_gold_files
from .metrics import REPORT_KEYS, aggregate, aggregate_splits, evaluate_item
from .report import load_report, render_markdown, write_json, write_markdown
from .runner import ask_item, run_eval, select_items

__all__ = [
    "REPORT_KEYS",
    "GoldFormatError",
    "GoldItem",
    "aggregate",
    "aggregate_splits",
    "ask_item",
    "draw_split",
    "evaluate_item",
    "load_gold",
    "load_gold_files",
    "load_report",
    "load_thresholds",
    "parse_fail_under",
    "render_markdown",
    "resolve_thresholds",
    "run_eval",
    "select_items",
    "write_json",
    "write_markdown",
]
