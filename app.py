"""Start the readout-qa web UI: ``python app.py [--host H] [--port P] [--data-dir D] ...``.

The same command, with the same options, as ``readout-qa serve`` (``--help`` lists them).
Offline by default: the extractive answerer and the local embedding model, no telemetry,
bound to 127.0.0.1. An empty index is seeded from ``corpus/`` so the example question works
at once. Set OPENAI_API_KEY (and optionally OPENAI_BASE_URL) to answer with a language model.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Importing readout_qa (here through its CLI) switches telemetry off before gradio loads.
try:
    from readout_qa.cli import app
except ImportError:  # running from a checkout that was not installed
    sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))
    from readout_qa.cli import app


def main(argv: list[str] | None = None) -> None:
    """Run ``readout-qa serve`` under this script's name (exits like any command line)."""
    import typer

    serve = typer.main.get_command(app).commands["serve"]
    serve.main(args=sys.argv[1:] if argv is None else argv, prog_name="app.py")


if __name__ == "__main__":
    main()
