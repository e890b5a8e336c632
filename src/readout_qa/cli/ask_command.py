"""``readout-qa ask``: one question, its cited answer and sources."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from . import DataDir, LocalModel, _qa, app, console, out


@app.command("ask")
def ask_cmd(
    question: Annotated[str, typer.Argument()],
    as_json: Annotated[bool, typer.Option("--json", help="Print the Answer as JSON.")] = False,
    as_markdown: Annotated[
        bool,
        typer.Option("--markdown", help="Print the answer and its numbered sources as Markdown."),
    ] = False,
    since: Annotated[str | None, typer.Option(help="Only readouts on/after YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Only readouts on/before YYYY-MM-DD.")] = None,
    country: Annotated[list[str] | None, typer.Option(help="Only readouts about it.")] = None,
    publisher: Annotated[list[str] | None, typer.Option(help="Only this publisher.")] = None,
    data_dir: DataDir = None,
    local_model: LocalModel = None,
) -> None:
    """Answer a question with numbered sources."""
    from ..models import Filters

    qa = _qa(data_dir, local_model=local_model)
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
    if as_markdown:
        sys.stdout.write(answer.to_markdown())
        return
    out.print(answer.text, highlight=False)
    if answer.refused and answer.reason:
        out.print(f"[yellow]why:[/yellow] {answer.reason}", highlight=False)
    for note in answer.notices:
        out.print(f"[yellow]note:[/yellow] {note}", highlight=False)
    if answer.citations:
        out.print("\nSources:")
    for c in answer.citations:
        out.print(f"[{c.n}] {c.title} ({c.date}) {c.source}", highlight=False, markup=False)
        out.print(f'    "{c.quote}"', highlight=False, markup=False)
