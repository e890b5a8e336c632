"""``readout-qa ask --markdown`` over a real index (the seed's): the answer, ready to paste."""

from __future__ import annotations

from typer.testing import CliRunner

from readout_qa.cli import app


def test_ask_markdown_prints_the_answer_with_numbered_sources(seed_qa):
    got = CliRunner().invoke(
        app,
        [
            "ask",
            "What fields did Li Keqiang highlight with Belgium?",
            "--markdown",
            "--data-dir",
            str(seed_qa.data_dir),
        ],
    )
    assert got.exit_code == 0, got.output
    answer = seed_qa.ask("What fields did Li Keqiang highlight with Belgium?")
    assert got.output == answer.to_markdown()
    assert "biomedicine, microelectronics and modern agriculture. [1]" in got.output
    assert "**Sources**\n\n- [1] **" in got.output and "— 2021-12-08\n  > Li Keqiang" in got.output


def test_ask_markdown_refusal_lists_the_closest_passages_as_not_an_answer(seed_qa):
    got = CliRunner().invoke(
        app,
        ["ask", "What did Biden and Putin agree about Mars?", "--markdown"]
        + ["--data-dir", str(seed_qa.data_dir)],
    )
    assert got.exit_code == 0, got.output
    assert got.output.split("\n\n")[1].startswith("The readouts don't say")
    assert "**Sources**" not in got.output
