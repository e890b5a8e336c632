"""``readout-qa serve`` (and ``python app.py``): the chat UI."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from . import DataDir, LocalModel, app, console


@app.command("serve")
def serve_cmd(
    host: Annotated[
        str, typer.Option(help="Interface to bind (default: loopback only).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 7860,
    data_dir: DataDir = None,
    corpus: Annotated[
        list[Path] | None,
        typer.Option(
            help="Folder or file to ingest into an empty index (repeatable; default: corpus/)."
        ),
    ] = None,
    auth: Annotated[
        str | None, typer.Option(help="user:password (or READOUT_QA_AUTH) to require a login.")
    ] = None,
    answerer: Annotated[
        str | None,
        typer.Option(help="extractive or llm (default: llm when OPENAI_API_KEY is set)."),
    ] = None,
    local_model: LocalModel = None,
) -> None:
    """Open the chat UI in a browser (python app.py is this same command)."""
    from ..embeddings import EmbeddingError
    from ..store import StoreError
    from ..ui import serve

    if answerer not in (None, "extractive", "llm"):
        console.print(f"[red]error:[/red] --answerer must be extractive or llm, not {answerer!r}")
        raise typer.Exit(2)
    try:
        serve(
            host=host,
            port=port,
            data_dir=data_dir,
            corpus=corpus,
            auth=auth,
            answerer=answerer,
            local_model=local_model,
        )
    except (ValueError, StoreError, EmbeddingError) as exc:  # bad --auth, no API key, ...
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
