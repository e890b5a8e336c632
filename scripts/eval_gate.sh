#!/usr/bin/env bash
# The CI quality gate: the gold set on the FULL shared corpora with the offline (extractive)
# answerer, held to evals/thresholds.json ("full": thresholds on the held-out test part) and
# compared with evals/baseline.json (overall, per kind and per part); then the contacts gold set
# (evals/contacts_gold.jsonl), held to evals/thresholds.json ("contacts", on its test part;
# only reported while that set says "enforce": false). Before them, the format items
# (evals/format_gold.jsonl: answers from HTML and PDF readouts) in a small index of their own.
#
# Exit 0: passed (or skipped because ../shared/corpora is absent); 1: a threshold is unmet or a
# metric regressed (each one is listed); 2: bad arguments or an invalid gold file.
#
# The index lives in $READOUT_QA_EVAL_DIR (default ~/.cache/readout-qa/eval-index) and is updated
# incrementally: the first run embeds all ~1,950 readouts (~6 min on 2 cores), later runs only
# what changed. Extra arguments are passed on, e.g. --fail-under fact_recall=0.6.
# To refresh the baseline after an intended change:
#   scripts/eval_gate.sh && cp evals/last-report.json evals/baseline.json \
#     && cp evals/last-report.md evals/baseline.md
set -euo pipefail

cd "$(dirname "$0")/.."

if [ ! -d ../shared/corpora ]; then
    echo "eval gate skipped: ../shared/corpora not found (the gold set needs the shared corpora)"
    exit 0
fi

if command -v readout-qa >/dev/null 2>&1; then
    READOUT_QA=(readout-qa)
elif [ -x .venv/bin/readout-qa ]; then
    READOUT_QA=(.venv/bin/readout-qa)
else
    READOUT_QA=(python -m readout_qa.cli)
fi

BASELINE=()
if [ -f evals/baseline.json ]; then
    BASELINE=(--baseline evals/baseline.json)
else
    echo "note: evals/baseline.json not found; checking thresholds only" >&2
fi

# The format items first: HTML and PDF readouts (evals/format_fixtures, made from corpus/
# readouts by scripts/make_format_fixtures.py) in an index of their own, since the same texts
# as Markdown in the main corpora would be stored once under their Markdown names.
"${READOUT_QA[@]}" eval \
    --answerer extractive \
    --gold evals/format_gold.jsonl \
    --corpus evals/format_fixtures \
    --data-dir "${READOUT_QA_EVAL_DIR:-$HOME/.cache/readout-qa/eval-index}-formats" \
    --json evals/last-formats-report.json \
    --markdown evals/last-formats-report.md \
    --fail-under by_split.test.fact_recall=0.9 \
    --fail-under by_split.test.citation_precision=0.9 \
    --fail-under by_split.test.recall@5=1.0 \
    --fail-under by_split.test.unanswerable_refused=1.0

exec "${READOUT_QA[@]}" eval \
    --answerer extractive \
    --corpus corpus \
    --corpus ../shared/corpora \
    --data-dir "${READOUT_QA_EVAL_DIR:-$HOME/.cache/readout-qa/eval-index}" \
    --json evals/last-report.json \
    --markdown evals/last-report.md \
    "${BASELINE[@]}" \
    --thresholds evals/thresholds.json \
    --contacts evals/contacts_gold.jsonl \
    --contacts-json evals/last-contacts-report.json \
    --contacts-markdown evals/last-contacts-report.md \
    "$@"
