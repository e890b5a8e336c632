"""Start the readout-qa web UI: ``python app.py [--host H] [--port P] [--data-dir D] [--auth U:P]``.

Offline by default: the extractive answerer and the local embedding model, no telemetry,
bound to 127.0.0.1. An empty index is seeded from ``corpus/`` so the example question works
at once. Set OPENAI_API_KEY (and optionally OPENAI_BASE_URL) to answer with a language model.
"""

from __future__ import annotations

import sys
from pathlib import Path

try:
    from readout_qa.ui import main
except ImportError:  # running from a checkout that was not installed
    sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))
    from readout_qa.ui import main

if __name__ == "__main__":
    main()
