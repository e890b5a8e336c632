"""``readout-qa ingest``, ``stats`` and ``doctor``: building and checking the index."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from . import DataDir, _qa, app, console, out, print_report, progress_bar, run_ingest


@app.command("ingest")
def ingest_cmd(
    paths: Annotated[
        list[str] | None,
        typer.Argument(help="Files, folders (.md .txt .jsonl .json .html .pdf) or http(s) URLs."),
    ] = None,
    urls: Annotated[
        Path | None, typer.Option("--urls", help="A file listing URLs, one a line ('#' comments).")
    ] = None,
    sync: Annotated[bool, typer.Option(help="Remove readouts whose files are gone.")] = False,
    rebuild: Annotated[bool, typer.Option(help="Drop the index and build it anew.")] = False,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            min=1,
            help="Embed and write with N processes (needs a Chroma server: READOUT_QA_CHROMA_URL).",
        ),
    ] = 1,
    data_dir: DataDir = None,
) -> None:
    """Add readouts to the index (incremental: unchanged readouts and URLs cost nothing)."""
    from ..ingest import IngestLockedError
    from ..loaders.urls import FetchError, is_url, read_url_list
    from ..store import StoreError

    items: list[str | Path] = [p if is_url(p) else Path(p) for p in paths or []]
    if urls is not None:
        try:
            items.extend(read_url_list(urls))
        except FetchError as exc:
            console.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from exc
    if not items:
        console.print("[red]error:[/red] give files, folders or URLs to ingest (or --urls FILE)")
        raise typer.Exit(2)
    local = [i for i in items if isinstance(i, Path)]
    if workers > 1:
        _parallel(local, len(items) - len(local), workers, data_dir, sync, rebuild)
    if not rebuild and len(local) == len(items) and (report := _unchanged(local, data_dir, sync)):
        print_report(report)  # nothing to write: Chroma and the model were never loaded
        raise typer.Exit(0 if report.ok else 1)
    qa = _qa(data_dir, answerer="extractive")
    try:
        report = run_ingest(qa, items, sync=sync, rebuild=rebuild)
    except IngestLockedError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(3) from exc
    except StoreError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    print_report(report)
    raise typer.Exit(0 if report.ok else 1)


def _parallel(
    paths: list[Path], n_urls: int, workers: int, data_dir: Path | None, sync: bool, rebuild: bool
) -> None:
    """``ingest --workers N``: the readouts split by doc id over N processes writing to one
    Chroma server (see ``parallel_ingest.py``); exits with the report's status."""
    from ..config import Settings
    from ..ingest import IngestLockedError
    from ..parallel_ingest import parallel_ingest
    from ..store import StoreError

    if n_urls:
        console.print("[red]error:[/red] --workers takes files and folders; ingest URLs without it")
        raise typer.Exit(2)
    try:
        settings = Settings.from_env(data_dir=data_dir)
        with progress_bar(f"ingest ({workers} workers)") as bar:
            task = bar.add_task("loading", total=None)

            def progress(done: int, total: int, doc_id: str) -> None:
                bar.update(task, completed=done, total=total, description=doc_id[:40])

            report = parallel_ingest(
                paths, settings, workers, sync=sync, rebuild=rebuild, progress=progress
            )
    except IngestLockedError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(3) from exc
    except (StoreError, ValueError) as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    print_report(report)
    raise typer.Exit(0 if report.ok else 1)


def _unchanged(paths: list[Path], data_dir: Path | None, sync: bool):
    """The report of an ingest that changes nothing, when the index's manifest can tell
    (see ``manifest.py``); None otherwise, and the ingest runs as usual."""
    from ..config import Settings
    from ..ingest import unchanged_report

    try:
        settings = Settings.from_env(data_dir=data_dir)
    except ValueError:
        return None  # the usual path reports the bad setting
    if settings.chroma_url:
        return None
    return unchanged_report(
        paths,
        settings.data_dir,
        settings.embed_model,
        settings.chunk_size,
        sync,
        settings.max_file_mb,
    )


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
    out.print(
        f"readouts: {stats['readouts']}   chunks: {stats['chunks']}   "
        f"contacts: {stats['contacts'] if stats['contacts'] is not None else 'unavailable'}"
    )
    if stats["date_range"]:
        out.print(f"dates: {stats['date_range'][0]} .. {stats['date_range'][1]}")
    out.print("publishers: " + ", ".join(f"{k} ({v})" for k, v in stats["publishers"].items()))
    top = list(stats["countries"].items())[:10]
    out.print("top countries: " + ", ".join(f"{k} ({v})" for k, v in top))
    out.print(f"embedding model: {stats['embed_model']}   store: {stats['store']}")


@app.command("doctor")
def doctor_cmd(
    repair: Annotated[bool, typer.Option("--repair", help="Fix what can be fixed.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Check the index for inconsistencies (exit 1 when any remain)."""
    from ..api import ReadoutQA
    from ..doctor import check, healthy
    from ..embeddings import EmbeddingError
    from ..store import StoreError

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
