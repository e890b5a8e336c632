"""The ``readout-qa`` command: ingest, stats, ask, eval, serve.

A thin layer: it parses arguments, calls ``ReadoutQA`` and prints; nothing
here decides what is retrieved or answered.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .config import PROJECT_ROOT

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)
console = Console(stderr=True)
out = Console()

DataDir = Annotated[
    Path | None, typer.Option("--data-dir", help="Index folder (default: READOUT_QA_DATA_DIR).")
]


def _qa(data_dir: Path | None, **kwargs: object):
    from .api import ReadoutQA
    from .embeddings import EmbeddingError
    from .store import StoreError

    try:
        return ReadoutQA(data_dir=data_dir, **kwargs)
    except (StoreError, EmbeddingError, ValueError) as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc


def progress_bar(label: str) -> Progress:
    """The one progress bar style of the CLI (ingest, eval, judge)."""
    return Progress(
        TextColumn(f"[bold]{label}[/bold]"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )


def run_ingest(qa, paths: list[Path], sync: bool = False, rebuild: bool = False):
    """Ingest with a progress bar; shared by ``ingest``, ``serve`` and ``eval``."""
    with progress_bar("ingest") as bar:
        task = bar.add_task("loading", total=None)

        def progress(done: int, total: int, doc_id: str) -> None:
            bar.update(task, completed=done, total=total, description=doc_id[:40])

        return qa.ingest(paths, sync=sync, rebuild=rebuild, progress=progress)


def print_report(report) -> None:
    table = Table(title="ingest", show_header=False)
    for label, value in (
        ("added", len(report.added)),
        ("updated", len(report.updated)),
        ("unchanged", len(report.unchanged)),
        ("removed", len(report.removed)),
        ("duplicates (stored once)", len(report.duplicates)),
        ("failed", len(report.failed)),
        ("chunks written", report.chunks_added),
        ("seconds", f"{report.seconds:.2f} (embedding {report.embed_seconds:.2f})"),
    ):
        table.add_row(label, str(value))
    out.print(table)
    for skipped, kept in report.duplicates:
        out.print(f"duplicate: {skipped} has the same text as {kept}; stored once")
    for err in report.failed:
        out.print(f"[red]failed:[/red] {err.path}: {err.reason}")


@app.command("ingest")
def ingest_cmd(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders of readouts.")],
    sync: Annotated[bool, typer.Option(help="Remove readouts whose files are gone.")] = False,
    rebuild: Annotated[bool, typer.Option(help="Drop the index and build it anew.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Add readouts to the index (incremental: unchanged readouts cost nothing)."""
    from .ingest import IngestLockedError
    from .store import StoreError

    qa = _qa(data_dir, answerer="extractive")
    try:
        report = run_ingest(qa, paths, sync=sync, rebuild=rebuild)
    except IngestLockedError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(3) from exc
    except StoreError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    print_report(report)
    raise typer.Exit(0 if report.ok else 1)


@app.command("stats")
def stats_cmd(
    data_dir: DataDir = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """What the index holds."""
    stats = _qa(data_dir, answerer="extractive").stats()
    if as_json:
        out.print_json(json.dumps(stats))
        return
    out.print(f"readouts: {stats['readouts']}   chunks: {stats['chunks']}")
    if stats["date_range"]:
        out.print(f"dates: {stats['date_range'][0]} .. {stats['date_range'][1]}")
    out.print("publishers: " + ", ".join(f"{k} ({v})" for k, v in stats["publishers"].items()))
    top = list(stats["countries"].items())[:10]
    out.print("top countries: " + ", ".join(f"{k} ({v})" for k, v in top))
    out.print(f"embedding model: {stats['embed_model']}   store: {stats['store']}")


@app.command("ask")
def ask_cmd(
    question: Annotated[str, typer.Argument()],
    as_json: Annotated[bool, typer.Option("--json", help="Print the Answer as JSON.")] = False,
    since: Annotated[str | None, typer.Option(help="Only readouts on/after YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Only readouts on/before YYYY-MM-DD.")] = None,
    country: Annotated[list[str] | None, typer.Option(help="Only readouts about it.")] = None,
    publisher: Annotated[list[str] | None, typer.Option(help="Only this publisher.")] = None,
    data_dir: DataDir = None,
) -> None:
    """Answer a question with numbered sources."""
    from .models import Filters

    qa = _qa(data_dir)
    try:
        filters = Filters(
            since=since, until=until, countries=country or [], publishers=publisher or []
        )
        answer = qa.ask(question, filters=filters)
    except ValueError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    if as_json:
        sys.stdout.write(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2) + "\n")
        return
    out.print(answer.text, highlight=False)
    for note in answer.notices:
        out.print(f"[yellow]note:[/yellow] {note}", highlight=False)
    if answer.citations:
        out.print("\nSources:")
    for c in answer.citations:
        out.print(f"[{c.n}] {c.title} ({c.date}) {c.source}", highlight=False, markup=False)
        out.print(f'    "{c.quote}"', highlight=False, markup=False)


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
    from . import evaluation
    from .gold import GoldFormatError, load_gold
    from .ingest import IngestLockedError

    def fail(message: str, code: int = 2) -> typer.Exit:
        console.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
        return typer.Exit(code)

    # Everything that can be wrong with the arguments is checked before the (long) run.
    gold_paths = gold or [PROJECT_ROOT / "evals" / "gold.jsonl"]
    items = []
    seen: dict[str, Path] = {}
    for path in gold_paths:
        if not path.is_file():
            raise fail(f"gold file {path} not found")
        try:
            loaded = load_gold(path)
        except GoldFormatError as exc:
            console.print("[red]error:[/red] invalid gold file (no item was run):")
            console.print(str(exc), highlight=False, markup=False, soft_wrap=True)
            raise typer.Exit(2) from exc
        for item in loaded:
            if item.id in seen:
                raise fail(f"{path}:{item.line}: id {item.id!r} is also used in {seen[item.id]}")
            seen[item.id] = path
        items.extend(loaded)
    try:
        limits = (
            evaluation.load_thresholds(thresholds, threshold_set) if thresholds is not None else {}
        )
        limits.update(evaluation.parse_fail_under(fail_under or []))
        base = evaluation.load_report(baseline) if baseline is not None else None
    except (OSError, ValueError) as exc:
        raise fail(str(exc)) from exc
    grader = None
    if judge is not None:
        from .judge import Judge, JudgeError

        try:
            grader = Judge.from_env(judge)
        except JudgeError as exc:
            raise fail(str(exc)) from exc
    if answerer not in (None, "extractive", "llm"):
        raise fail(f"--answerer must be extractive or llm, not {answerer!r}")
    if corpus is None:
        corpus = [PROJECT_ROOT / "corpus"]
        shared = PROJECT_ROOT.parent / "shared" / "corpora"
        if shared.is_dir():
            corpus.append(shared)
    missing = [p for p in corpus if not p.exists()]
    if missing:
        raise fail("corpus path(s) not found: " + ", ".join(map(str, missing)))

    qa = _qa(data_dir, answerer=answerer)
    try:
        ingested = run_ingest(qa, corpus)
    except IngestLockedError as exc:
        raise fail(str(exc), 3) from exc
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

    with progress_bar("eval") as progress:
        task = progress.add_task("", total=len(items))

        def advance(done: int, total: int, item_id: str) -> None:
            progress.update(task, completed=done, total=total, description=item_id)

        report = evaluation.run_eval(qa, items, advance, gold=[str(p) for p in gold_paths])
    if grader is not None:
        from .judge import JudgeError

        with progress_bar("judge") as progress:
            task = progress.add_task("", total=len(items))

            def advance_judge(done: int, total: int, item_id: str) -> None:
                progress.update(task, completed=done, total=total, description=item_id)

            try:
                grader.judge_report(report, advance_judge)
            except JudgeError as exc:
                raise fail(str(exc)) from exc
        for err in report["meta"]["judge"]["errors"]:
            console.print(f"judge: {err}", highlight=False, markup=False, soft_wrap=True)

    # One table, metrics as rows, overall then each kind as columns (fits 80 columns).
    kinds = list(report["by_kind"])
    from rich import box

    table = Table(
        title=f"eval ({report['meta']['answerer']})",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
    )
    table.add_column("metric", no_wrap=True)
    for name in ["overall", *kinds]:
        table.add_column(name, justify="right", min_width=5, overflow="fold")
    for key, header in evaluation.columns_of(report):
        blocks = [report["overall"]] + [report["by_kind"][k] for k in kinds]
        table.add_row(header, *(evaluation.fmt_value(key, b.get(key)) for b in blocks))
    out.print(table, width=None if out.is_terminal else 120)
    n_failed = len(evaluation.failed_items(report))
    out.print(f"failed items: {n_failed} of {len(items)}", highlight=False)

    if json_out is not None:
        evaluation.write_json(report, json_out)
        out.print(f"report: {json_out}", highlight=False)
    if markdown is not None:
        evaluation.write_markdown(report, markdown)
        out.print(f"markdown: {markdown}", highlight=False)

    problems = evaluation.gate(
        report, base, limits, tolerance=tolerance, compare_latency=compare_latency
    )
    if problems:
        out.print(f"[red]FAILED[/red] ({len(problems)}):")
        for problem in problems:
            out.print(f"  {problem}", highlight=False, markup=False, soft_wrap=True)
        raise typer.Exit(1)
    checked = f"{len(limits)} threshold(s)" + (", no regressions" if base is not None else "")
    out.print(f"[green]passed[/green]: {checked}", highlight=False)


@app.command("serve")
def serve_cmd(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 7860,
    data_dir: DataDir = None,
    corpus: Annotated[
        list[Path] | None, typer.Option(help="Ingest these first (default: corpus/).")
    ] = None,
    auth: Annotated[
        str | None, typer.Option(help="user:password (or READOUT_QA_AUTH) to require a login.")
    ] = None,
) -> None:
    """Open the chat UI (the same as ``python app.py``)."""
    from .ui import serve

    serve(
        host=host,
        port=port,
        data_dir=data_dir,
        corpus=corpus or [PROJECT_ROOT / "corpus"],
        auth=auth,
    )


@app.command("doctor")
def doctor_cmd(
    repair: Annotated[bool, typer.Option("--repair", help="Fix what can be fixed.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Check the index for inconsistencies (exit 1 when any remain)."""
    from .api import ReadoutQA
    from .doctor import check, healthy
    from .embeddings import EmbeddingError
    from .store import StoreError

    try:
        qa = ReadoutQA(data_dir=data_dir, answerer="extractive")
    except (StoreError, EmbeddingError, ValueError) as exc:
        out.print(f"FAIL   store: {exc}", markup=False, highlight=False)
        raise typer.Exit(1) from exc
    findings = check(qa, repair=repair)
    for f in findings:
        status = "ok" if f.ok else ("FIXED" if f.repaired else "FAIL")
        out.print(f"{status:<6} {f.code}: {f.message}", markup=False, highlight=False)
    if not healthy(findings):
        if not repair:
            out.print("run `readout-qa doctor --repair` to fix what can be fixed", markup=False)
        raise typer.Exit(1)


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
