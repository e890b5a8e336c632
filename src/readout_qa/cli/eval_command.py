"""``readout-qa eval``: parses options, runs ``readout_qa.evals`` and prints."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from . import DataDir, _qa, app, console, out, progress_bar, run_ingest


def _eval_error(message: str, code: int = 2) -> typer.Exit:
    """Print an ``eval`` error; returns the Exit to raise (2 bad input, 3 ingest locked)."""
    console.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def _eval_inputs(
    gold_paths: list[Path],
    thresholds: Path | None,
    threshold_set: str,
    fail_under: list[str],
    baseline: Path | None,
    judge: str | None,
) -> tuple[list, dict[str, float], dict | None, object | None]:
    """Gold items, thresholds, baseline and judge, each checked before the (long) run."""
    from ..evals import GoldFormatError, load_gold_files, load_report, resolve_thresholds

    try:
        items = load_gold_files(gold_paths)
    except GoldFormatError as exc:
        console.print("[red]error:[/red] invalid gold file (no item was run):")
        console.print(str(exc), highlight=False, markup=False, soft_wrap=True)
        raise typer.Exit(2) from exc
    except (OSError, ValueError) as exc:
        raise _eval_error(str(exc)) from exc
    try:
        limits = resolve_thresholds(thresholds, threshold_set, fail_under)
        base = load_report(baseline) if baseline is not None else None
    except (OSError, ValueError) as exc:
        raise _eval_error(str(exc)) from exc
    grader = None
    if judge is not None:
        from ..evals.judge import Judge, JudgeError

        try:
            grader = Judge.from_env(judge)
        except JudgeError as exc:
            raise _eval_error(str(exc)) from exc
    return items, limits, base, grader


def _eval_ingest(qa, corpus: list[Path]) -> None:
    """Bring the eval index up to date with ``corpus`` and say what changed."""
    from ..ingest import IngestLockedError

    try:
        ingested = run_ingest(qa, corpus)
    except IngestLockedError as exc:
        raise _eval_error(str(exc), 3) from exc
    console.print(
        f"index: {len(ingested.added)} added, {len(ingested.updated)} updated, "
        f"{len(ingested.unchanged)} unchanged, {len(ingested.duplicates)} duplicate(s), "
        f"{len(ingested.failed)} failed "
        f"({ingested.seconds:.1f} s)",
        highlight=False,
    )
    for err in ingested.failed[:10]:
        console.print(
            f"[yellow]ingest failed:[/yellow] {err.path}: {err.reason}",
            highlight=False,
            soft_wrap=True,
        )


def _with_progress(label: str, total: int, work):
    """``work(progress)`` under the CLI's progress bar; ``progress(done, total, item_id)``."""
    with progress_bar(label) as bar:
        task = bar.add_task("", total=total)

        def advance(done: int, total: int, item_id: str) -> None:
            bar.update(task, completed=done, total=total, description=item_id)

        return work(advance)


def _eval_judge(grader, report: dict) -> None:
    """Add the judge's scores to ``report``; a failing judge server ends the command (2)."""
    from ..evals.judge import JudgeError

    try:
        _with_progress("judge", len(report["items"]), lambda p: grader.judge_report(report, p))
    except JudgeError as exc:
        raise _eval_error(str(exc)) from exc
    for err in report["meta"]["judge"]["errors"]:
        console.print(f"judge: {err}", highlight=False, markup=False, soft_wrap=True)


def _print_eval_table(report: dict) -> None:
    """One table, metrics as rows, overall then each kind as columns (fits 80 columns)."""
    from rich import box

    from ..evals.report import summary_rows

    names, rows = summary_rows(report)
    table = Table(
        title=f"eval ({report['meta']['answerer']})",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
    )
    table.add_column("metric", no_wrap=True)
    for name in names:
        table.add_column(name, justify="right", min_width=5, overflow="fold")
    for row in rows:
        table.add_row(*row)
    out.print(table, width=None if out.is_terminal else 120)


def _print_gate(problems: list[str], n_thresholds: int, with_baseline: bool) -> None:
    """The verdict; exit 1 with every problem listed when the gate failed."""
    if problems:
        out.print(f"[red]FAILED[/red] ({len(problems)}):")
        for problem in problems:
            out.print(f"  {problem}", highlight=False, markup=False, soft_wrap=True)
        raise typer.Exit(1)
    checked = f"{n_thresholds} threshold(s)" + (", no regressions" if with_baseline else "")
    out.print(f"[green]passed[/green]: {checked}", highlight=False)


@app.command("eval")
def eval_cmd(
    gold: Annotated[
        list[Path] | None,
        typer.Option(help="Gold JSON Lines file(s) (default: evals/gold.jsonl)."),
    ] = None,
    corpus: Annotated[
        list[Path] | None,
        typer.Option(help="Ingest these first (default: corpus/ and ../shared/corpora)."),
    ] = None,
    data_dir: DataDir = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="Write the report here.")] = None,
    markdown: Annotated[
        Path | None, typer.Option(help="Write a readable report (tables, failed items) here.")
    ] = None,
    baseline: Annotated[
        Path | None, typer.Option(help="A previous --json report; fail on regressions.")
    ] = None,
    fail_under: Annotated[
        list[str] | None,
        typer.Option(
            help="metric=value (e.g. fact_recall=0.8, by_kind.follow-up.fact_recall=0.5); "
            "overrides/adds to --thresholds. A maximum for answerable_wrongly_refused and "
            "latencies, a minimum otherwise."
        ),
    ] = None,
    thresholds: Annotated[
        Path | None, typer.Option(help="JSON thresholds file (e.g. evals/thresholds.json).")
    ] = None,
    threshold_set: Annotated[
        str, typer.Option(help="Which set of a thresholds file with named sets.")
    ] = "full",
    tolerance: Annotated[
        float, typer.Option(help="Allowed drop of a rate against the baseline.")
    ] = 0.02,
    compare_latency: Annotated[
        bool, typer.Option(help="Also fail when latency grew >25% against the baseline.")
    ] = False,
    answerer: Annotated[
        str | None,
        typer.Option(help="extractive or llm (default: llm when OPENAI_API_KEY is set)."),
    ] = None,
    judge: Annotated[
        str | None, typer.Option(help="Also grade answers with an LLM judge: openai.")
    ] = None,
) -> None:
    """Run the gold set, print metrics, write reports; exit 1 on unmet thresholds/regressions."""
    from ..evals import run_eval, write_json, write_markdown
    from ..evals.gate import gate
    from ..evals.gold import DEFAULT_GOLD
    from ..evals.report import failed_items
    from ..evals.runner import default_corpus

    gold_paths = gold or [DEFAULT_GOLD]
    items, limits, base, grader = _eval_inputs(
        gold_paths, thresholds, threshold_set, fail_under or [], baseline, judge
    )
    if answerer not in (None, "extractive", "llm"):
        raise _eval_error(f"--answerer must be extractive or llm, not {answerer!r}")
    corpus = default_corpus() if corpus is None else corpus
    missing = [p for p in corpus if not p.exists()]
    if missing:
        raise _eval_error("corpus path(s) not found: " + ", ".join(map(str, missing)))

    qa = _qa(data_dir, answerer=answerer)
    _eval_ingest(qa, corpus)
    names = [str(p) for p in gold_paths]
    report = _with_progress("eval", len(items), lambda p: run_eval(qa, items, p, gold=names))
    if grader is not None:
        _eval_judge(grader, report)

    _print_eval_table(report)
    out.print(f"failed items: {len(failed_items(report))} of {len(items)}", highlight=False)
    if json_out is not None:
        write_json(report, json_out)
        out.print(f"report: {json_out}", highlight=False)
    if markdown is not None:
        write_markdown(report, markdown)
        out.print(f"markdown: {markdown}", highlight=False)
    problems = gate(report, base, limits, tolerance=tolerance, compare_latency=compare_latency)
    _print_gate(problems, len(limits), base is not None)
