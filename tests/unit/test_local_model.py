"""The local model option: its settings and the clear errors of a bad model file.

Loading a real model is the integration tier's job (tests/integration/test_llm_real.py);
here nothing is loaded: every error is raised before llama.cpp is touched.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from readout_qa.cli import app
from readout_qa.config import Settings
from readout_qa.local_model import LlamaServer, LocalModelError


def test_local_model_settings_from_the_environment(tmp_path):
    s = Settings.from_env(
        {"READOUT_QA_LOCAL_MODEL": str(tmp_path / "m.gguf"), "READOUT_QA_LOCAL_CONTEXT": "1024"}
    )
    assert s.local_model == tmp_path / "m.gguf" and s.local_context == 1024
    assert Settings.from_env({}).local_model is None
    assert Settings.from_env({}).local_context == 2048


@pytest.mark.parametrize("value", ["0", "-5", "lots"])
def test_a_bad_context_size_is_an_error_naming_the_variable(value):
    with pytest.raises(ValueError, match="READOUT_QA_LOCAL_CONTEXT"):
        Settings.from_env({"READOUT_QA_LOCAL_CONTEXT": value})


def test_a_missing_model_file_is_an_error_naming_it(tmp_path):
    with pytest.raises(LocalModelError, match=r"nothere\.gguf not found"):
        LlamaServer(tmp_path / "nothere.gguf")


def test_a_file_that_is_not_gguf_is_an_error_naming_it(tmp_path):
    fake = tmp_path / "model.gguf"
    fake.write_text("not a model")
    with pytest.raises(LocalModelError, match=r"model\.gguf is not a GGUF file"):
        LlamaServer(fake)


def test_ask_with_a_missing_local_model_exits_with_the_reason(tmp_path):
    """The command line stops with the file and the reason, not a traceback."""
    missing = tmp_path / "absent.gguf"
    result = CliRunner().invoke(
        app,
        ["ask", "What?", "--data-dir", str(tmp_path / "data"), "--local-model", str(missing)],
    )
    assert result.exit_code == 2
    said = " ".join(result.output.split())
    assert "absent.gguf" in said and "not found" in said


def test_serve_and_ask_offer_the_option():
    for command in ("ask", "serve"):
        result = CliRunner().invoke(app, [command, "--help"], terminal_width=200)
        assert "--local-model" in result.output, command


def test_an_empty_path_setting_means_no_local_model():
    assert Settings.from_env({"READOUT_QA_LOCAL_MODEL": "  "}).local_model is None
    assert isinstance(Settings.from_env({}, local_model="~/m.gguf").local_model, Path)
