"""The ``readout-qa`` command: ingest, stats, doctor, ask, eval, serve.

A thin layer: it parses arguments, calls ``ReadoutQA`` and prints; nothing
here decides what is retrieved or answered. This module holds what every command
shares (the app, consoles, progress bars, opening the index); each command group
lives in its own module, registered on import at the bottom.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)
console = Console(stderr=True)
out = Console()

DataDir = Annotated[
    Path | None, typer.Option("--data-dir", help="Index folder (default: READOUT_QA_DATA_DIR).")
]
LocalModel = Annotated[
    Path | None,
    typer.Option(
        "--local-model",
        help="A GGUF model to answer with, in-process (default: READOUT_QA_LOCAL_MODEL; "
        "needs pip install 'readout-qa[local]').",
    ),
]


def _qa(data_dir: Path | None, **kwargs: object):
    from ..api import ReadoutQA
    from ..embeddings import EmbeddingError
    from ..store import StoreError

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


def run_ingest(qa, paths: list[str | Path], sync: bool = False, rebuild: bool = False):
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
        ("skipped (not a readout type)", len(report.skipped)),
        ("chunks written", report.chunks_added),
        ("seconds", f"{report.seconds:.2f} (embedding {report.embed_seconds:.2f})"),
    ):
        table.add_row(label, str(value))
    out.print(table)
    copies = [skipped for skipped, kept in report.duplicates if skipped == kept]
    if copies:  # the same file in two folders given (corpus/ and the folder it was copied from)
        out.print(
            f"{len(copies)} readout(s) found twice, same name and text (e.g. {copies[0]}); "
            "stored once"
        )
    for skipped, kept in report.duplicates:
        if skipped != kept:
            out.print(f"duplicate: {skipped} has the same text as {kept}; stored once")
    for err in report.failed:
        out.print(f"[red]failed:[/red] {err.path}: {err.reason}")
    for skip in report.skipped:
        out.print(f"skipped: {skip.path}: {skip.reason}", markup=False, highlight=False)


# The commands register themselves on ``app`` when imported.
from . import (  # noqa: E402,F401
    ask_command,
    eval_command,
    index_commands,
    serve_command,
    timeline_command,
)


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
