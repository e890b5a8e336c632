"""``readout-qa timeline``: a person's calls, meetings and visits, from every readout."""

from __future__ import annotations

import csv
import json
import sys
from typing import Annotated

import typer

from . import DataDir, _qa, app, console, out

CSV_COLUMNS = ("date", "kind", "participants", "countries", "place", "readouts", "quote")


@app.command("timeline")
def timeline_cmd(
    person: Annotated[str, typer.Argument(help='Any form of the name: "Xi", "Zelensky".')],
    with_: Annotated[
        list[str] | None, typer.Option("--with", help="Only contacts with this person too.")
    ] = None,
    since: Annotated[str | None, typer.Option(help="Events on/after YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Events on/before YYYY-MM-DD.")] = None,
    kind: Annotated[
        str | None,
        typer.Option(help='"phone call", "video call", "meeting", "talks", ... or "call".'),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the contacts as JSON.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print the contacts as CSV.")] = False,
    data_dir: DataDir = None,
) -> None:
    """List a person's contacts by date, each with the readouts that state it."""
    qa = _qa(data_dir, answerer="extractive")
    try:
        contacts = qa.contacts([person, *(with_ or [])], since=since, until=until, kind=kind)
    except ValueError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    if as_json:
        data = [c.to_dict() for c in contacts]
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    if as_csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(CSV_COLUMNS)
        for c in contacts:
            writer.writerow(
                [
                    c.date,
                    c.kind,
                    "; ".join(c.participants),
                    "; ".join(c.countries),
                    c.place,
                    "; ".join(r.doc_id for r in c.readouts),
                    c.readouts[0].quote if c.readouts else "",
                ]
            )
        return
    if not contacts:
        out.print("No contacts found.", highlight=False)
        raise typer.Exit(0)
    for c in contacts:
        place = f" ({c.place})" if c.place else ""
        line = f"{c.date or 'date unknown'}  {c.kind:<11} {', '.join(c.participants)}{place}"
        out.print(line, highlight=False, markup=False)
        for r in c.readouts:
            out.print(f"    {r.publisher or r.doc_id}: “{r.quote}”", highlight=False, markup=False)
    out.print(f"\n{len(contacts)} contact(s)", highlight=False)
