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


def _print_table(title: str, names: list[str], rows: list[list[str]]) -> None:
    """Metrics as rows, one column per name (fits 80 columns)."""
    from rich import box

    table = Table(title=title, box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)
    table.add_column("metric", no_wrap=True)
    for name in names:
        table.add_column(name, justify="right", min_width=5, overflow="fold")
    for row in rows:
        table.add_row(*row)
    out.print(table, width=None if out.is_terminal else 120)


def _print_eval_table(report: dict) -> None:
    """Two tables, metrics as rows: overall and the gold set's parts (tuning, test -- the
    gated one), then overall and each kind."""
    from ..evals.report import part_rows, summary_rows

    answerer = report["meta"]["answerer"]
    if report.get("by_split"):
        _print_table(f"eval ({answerer}): by part", *part_rows(report))
    _print_table(f"eval ({answerer}): by kind, all items", *summary_rows(report))


def _contact_inputs(
    path: Path | None, thresholds: Path | None
) -> tuple[list, dict[str, float], bool]:
    """Contacts items, their thresholds and whether those are enforced, checked before the run.

    The thresholds are the ``"contacts"`` set of ``--thresholds`` (none without that file).
    """
    if path is None:
        return [], {}, False
    from ..evals.contacts_gold import ContactsGoldError, load_contacts_gold
    from ..evals.contacts_runner import load_contact_thresholds

    try:
        items = load_contacts_gold(path)
    except ContactsGoldError as exc:
        console.print("[red]error:[/red] invalid contacts gold file (no item was run):")
        console.print(str(exc), highlight=False, markup=False, soft_wrap=True)
        raise typer.Exit(2) from exc
    except (OSError, ValueError) as exc:
        raise _eval_error(str(exc)) from exc
    if thresholds is None:
        return items, {}, False
    try:
        limits, enforce = load_contact_thresholds(thresholds)
    except (OSError, ValueError) as exc:
        raise _eval_error(str(exc)) from exc
    return items, limits, enforce


def _run_contacts(
    qa, path: Path, items: list, limits: dict, enforce: bool
) -> tuple[dict, list[str]]:
    """Ask the contacts items and print their tables; the report and the unmet thresholds."""
    from ..evals.contacts_runner import (
        check_contact_thresholds,
        contact_kind_rows,
        contact_part_rows,
        run_contacts_eval,
    )

    report = _with_progress(
        "contacts", len(items), lambda p: run_contacts_eval(qa, items, p, gold=[str(path)])
    )
    answerer = report["meta"]["answerer"]
    _print_table(f"contacts ({answerer}): by part", *contact_part_rows(report))
    _print_table(f"contacts ({answerer}): by kind, all items", *contact_kind_rows(report))
    unmet = [f"contacts threshold {p}" for p in check_contact_thresholds(report, limits)]
    if unmet and not enforce:
        out.print(
            f"contacts gate reported, not enforced ({len(unmet)} unmet; "
            'set "enforce": true in the "contacts" thresholds to enforce):',
            highlight=False,
        )
        for problem in unmet:
            out.print(f"  {problem}", highlight=False, markup=False, soft_wrap=True)
    elif limits:
        state = "enforced" if enforce else "reported"
        out.print(f"contacts gate ({state}): {len(limits)} threshold(s) met", highlight=False)
    return report, unmet


def _write_contacts(report: dict, json_path: Path | None, md_path: Path | None) -> None:
    from ..evals.contacts_runner import write_contacts_report

    write_contacts_report(report, json_path, md_path)
    for label, path in (("contacts report", json_path), ("contacts markdown", md_path)):
        if path is not None:
            out.print(f"{label}: {path}", highlight=False)


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
            help="metric=value (e.g. by_split.test.fact_recall=0.8, "
            "by_kind.follow-up.fact_recall=0.5); overrides/adds to --thresholds. A maximum for "
            "answerable_wrongly_refused, answered_wrongly and latencies, a minimum otherwise."
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
    contacts: Annotated[
        Path | None,
        typer.Option(help="Also run a contacts gold file (e.g. evals/contacts_gold.jsonl)."),
    ] = None,
    contacts_json: Annotated[
        Path | None, typer.Option(help="Write the contacts report (JSON) here.")
    ] = None,
    contacts_markdown: Annotated[
        Path | None, typer.Option(help="Write a readable contacts report here.")
    ] = None,
    enforce_contacts: Annotated[
        bool | None,
        typer.Option(
            "--enforce-contacts/--report-contacts",
            help="Fail on unmet contacts thresholds, or only report them "
            '(default: "enforce" of the thresholds file\'s "contacts" set).',
        ),
    ] = None,
    skip_gold: Annotated[
        bool, typer.Option("--skip-gold", help="Run only --contacts, not the gold set.")
    ] = False,
) -> None:
    """Run the gold set, print metrics, write reports; exit 1 on unmet thresholds/regressions."""
    from ..evals import run_eval, write_json, write_markdown
    from ..evals.gate import gate
    from ..evals.gold import DEFAULT_GOLD
    from ..evals.report import failed_items
    from ..evals.runner import default_corpus

    if skip_gold and contacts is None:
        raise _eval_error("--skip-gold needs --contacts (there would be nothing to run)")
    gold_paths = [] if skip_gold else (gold or [DEFAULT_GOLD])
    if skip_gold:
        items, limits, base, grader = [], {}, None, None
    else:
        items, limits, base, grader = _eval_inputs(
            gold_paths, thresholds, threshold_set, fail_under or [], baseline, judge
        )
    contact_items, contact_limits, enforce = _contact_inputs(contacts, thresholds)
    if enforce_contacts is not None:
        enforce = enforce_contacts
    if answerer not in (None, "extractive", "llm"):
        raise _eval_error(f"--answerer must be extractive or llm, not {answerer!r}")
    corpus = default_corpus() if corpus is None else corpus
    missing = [p for p in corpus if not p.exists()]
    if missing:
        raise _eval_error("corpus path(s) not found: " + ", ".join(map(str, missing)))

    qa = _qa(data_dir, answerer=answerer)
    _eval_ingest(qa, corpus)
    problems: list[str] = []
    if not skip_gold:
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
    n_checked = len(limits)
    if contacts is not None:
        contact_report, unmet = _run_contacts(qa, contacts, contact_items, contact_limits, enforce)
        _write_contacts(contact_report, contacts_json, contacts_markdown)
        if enforce:
            problems += unmet
            n_checked += len(contact_limits)
    _print_gate(problems, n_checked, base is not None)
