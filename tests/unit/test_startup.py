"""The command line starts fast: nothing heavy is imported until a command needs it."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("llama_index", "chromadb", "onnxruntime", "gradio", "openai", "bm25s")


def test_importing_the_package_and_the_cli_loads_no_heavy_library():
    """`readout-qa --help` must not pay ~1.5 s for llama-index, Chroma and ONNX Runtime."""
    code = (
        "import sys, readout_qa, readout_qa.cli\n"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == ""


def test_readout_qa_is_still_importable_from_the_package():
    from readout_qa import ReadoutQA
    from readout_qa.api import ReadoutQA as Direct

    assert ReadoutQA is Direct
