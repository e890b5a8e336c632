"""What ``make run`` shows on a fresh clone: corpus/ ingested once, every example as promised.

``sample_qa`` is an index of ``corpus/`` alone (the seed and the sample), built once per
session. Each example of the Ask tab (``readout_qa.ui.examples``) is asked through the UI's
own handler with the filters it sets, and checked against what its label promises: a cited
fact, its follow-up, a filtered answer, a count and a timeline from the contacts table, a
refusal. Starting the server seeds an empty index and leaves a non-empty one alone; a user's
own folder goes in beside the sample, or replaces it with ``--rebuild``.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import CORPUS, ROOT, SEED
from sample_readouts import write_readout
from typer.testing import CliRunner

from readout_qa.loaders import load_paths
from readout_qa.ui import handlers
from readout_qa.ui.examples import EXAMPLES, Example
from readout_qa.ui.server import seed_if_empty

WOODSIDE = "2023-11-15_readout-of-president-joe-biden-s-meeting-with-president-xi-jinping-of-the-"
WOODSIDE += "people-s-republi"
#: The White House readouts of Biden's 2022 contacts with Xi: date and kind.
BIDEN_XI_2022 = [("2022-03-18", "call"), ("2022-07-28", "call"), ("2022-11-14", "meeting")]
KREMLIN = "President of Russia (kremlin.ru)"


def _example(shows: str) -> Example:
    [example] = [e for e in EXAMPLES if e.shows == shows]
    return example


def _ask(qa, example: Example, turns=None):
    """``example`` as the UI asks it (question and filters); the final Answer and turns."""
    views = list(
        handlers.ask(
            qa,
            example.question,
            example.since,
            example.until,
            list(example.countries),
            list(example.publishers),
            turns,
        )
    )
    last = views[-1]
    return last.turns[-1]["answer"], last.turns


def _cited(qa, answer) -> list[dict]:
    """The cited readouts' metadata, each citation checked to quote its readout verbatim."""
    metas = []
    for c in answer.citations:
        body, meta = qa.readout(c.doc_id)
        assert body[c.start : c.end] == c.quote
        metas.append(meta)
    return metas


# --------------------------------------------------------------------- the examples
def test_every_example_is_tested_and_fits_its_label():
    tested = {"Fact", "Its follow-up", "Filtered (White House)", "Count", "Timeline"}
    tested |= {"Refusal", "Seed"}
    assert {e.shows for e in EXAMPLES} == tested
    assert all(len(e.label) <= 60 for e in EXAMPLES)  # Gradio cuts longer example labels


def test_fact_is_answered_with_its_cited_sentence(sample_qa):
    answer, _ = _ask(sample_qa, _example("Fact"))
    assert not answer.refused and "AI safety" in answer.text
    assert answer.citations[0].doc_id == WOODSIDE and "AI" in answer.citations[0].quote
    # "at Woodside" picks the readout as firmly as a date: the Lima readout, which recalls
    # Woodside and also mentions AI, is not quoted (issue 11)
    assert {c.doc_id for c in answer.citations} == {WOODSIDE}
    _cited(sample_qa, answer)


def test_follow_up_is_answered_from_the_same_meeting(sample_qa):
    _, turns = _ask(sample_qa, _example("Fact"))
    answer, turns = _ask(sample_qa, _example("Its follow-up"), turns)
    assert len(turns) == 2 and not answer.refused
    assert "fentanyl" in answer.text and {c.doc_id for c in answer.citations} == {WOODSIDE}
    assert "Xi" in answer.retrieval_query  # the follow-up was made self-contained


def test_filtered_example_answers_from_the_filtered_publisher_only(sample_qa):
    example = _example("Filtered (White House)")
    assert example.publishers == ("The White House",)
    _countries, publishers = handlers.choices(sample_qa)
    assert set(example.publishers) <= set(publishers) and KREMLIN in publishers
    answer, _ = _ask(sample_qa, example)
    assert not answer.refused and "grain" in answer.text
    assert {m["publisher"] for m in _cited(sample_qa, answer)} == {"The White House"}
    # Unfiltered, the same question is answered from a Kremlin readout: the filter matters.
    unfiltered = sample_qa.ask(example.question)
    assert KREMLIN in {m["publisher"] for m in _cited(sample_qa, unfiltered)}


def test_count_is_answered_from_the_contacts_table(sample_qa):
    answer, _ = _ask(sample_qa, _example("Count"))
    assert answer.text.startswith("The readouts record 3 ")
    assert len(answer.contacts) == 3
    assert [c.date for c in answer.contacts] == [d for d, _ in BIDEN_XI_2022]
    cited = [c.doc_id for c in answer.citations]
    assert len(cited) == 3
    for doc_id, (date, kind) in zip(cited, BIDEN_XI_2022, strict=True):
        assert doc_id.startswith(date) and f"{kind}-with-president-xi-jinping" in doc_id
    _cited(sample_qa, answer)


def test_timeline_lists_every_contact_of_the_month(sample_qa):
    answer, _ = _ask(sample_qa, _example("Timeline"))
    dates = [c.date for c in answer.contacts]
    assert dates == sorted(dates) and len(dates) == 7
    assert all(d.startswith("2022-02-") for d in dates)
    assert {m["publisher"] for m in _cited(sample_qa, answer)} == {KREMLIN}
    # The Timeline tab reads the same table.
    assert len(sample_qa.contacts(["Putin", "Macron"], since="2022-02-01", until="2022-02-28")) == 7


def test_refusal_says_the_readouts_do_not_answer(sample_qa):
    answer, _ = _ask(sample_qa, _example("Refusal"))
    assert answer.refused and not answer.citations
    assert answer.text.startswith("The readouts don't say") and answer.closest


def test_seed_question_is_still_answered_from_the_seed(sample_qa):
    answer, _ = _ask(sample_qa, _example("Seed"))
    assert not answer.refused and "biomedicine" in answer.text
    assert {c.doc_id for c in answer.citations} == {SEED.stem}


def test_the_readme_shows_every_example():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for example in EXAMPLES:
        assert example.question in readme, example.question


# --------------------------------------------------------------------- the sample itself
def test_the_sample_is_ingested_whole_and_its_readme_is_not(sample_qa):
    files = sorted(p for p in CORPUS.iterdir() if p.name != "README.md")
    stats = sample_qa.stats()
    assert stats["readouts"] == len(files) and 200 <= len(files) <= 320
    assert sample_qa.readout("README") is None
    assert set(stats["publishers"]) >= {"The White House", KREMLIN}


# --------------------------------------------------------------------- first start and after
def test_first_start_ingests_with_progress_and_later_starts_skip_it(tmp_path, capsys):
    from readout_qa import ReadoutQA

    qa = ReadoutQA(data_dir=tmp_path / "d", answerer="extractive")
    report = seed_if_empty(qa, [SEED])
    out = capsys.readouterr().out
    assert report is not None and report.added == [SEED.stem]
    assert "First start" in out and "1/1 readouts embedded" in out and "Indexed 1 readouts" in out

    again = ReadoutQA(data_dir=tmp_path / "d", answerer="extractive")
    t0 = time.perf_counter()
    assert seed_if_empty(again, [CORPUS]) is None  # not empty: the sample is not added
    assert time.perf_counter() - t0 < 2.0 and capsys.readouterr().out == ""
    assert again.stats()["readouts"] == 1


def _own_folder(folder: Path) -> Path:
    write_readout(
        folder,
        "norland-iceland",
        "Readout of the Prime Minister's Call with the Prime Minister of Iceland",
        "The Prime Minister of Norland spoke with the Prime Minister of Iceland about "
        "geothermal district heating. They agreed to open a joint geothermal research centre "
        "in Akureyri.",
    )
    return folder


def test_own_folder_goes_in_beside_the_sample(sample_qa, tmp_path):
    """Runs after the examples (file order): it adds one readout to the session's index."""
    from readout_qa import ReadoutQA
    from readout_qa.cli import app

    own = _own_folder(tmp_path / "mine")
    before = sample_qa.stats()["readouts"]
    result = CliRunner().invoke(app, ["ingest", str(own), "--data-dir", str(sample_qa.data_dir)])
    assert result.exit_code == 0, result.output
    qa = ReadoutQA(data_dir=sample_qa.data_dir, answerer="extractive")
    assert qa.stats()["readouts"] == before + 1
    answer = qa.ask("Where will the joint geothermal research centre be?")
    assert "Akureyri" in answer.text and answer.citations[0].doc_id == "norland-iceland"
    assert not qa.ask(_example("Fact").question).refused


def test_rebuild_with_own_folder_leaves_the_sample_out(tmp_path):
    from readout_qa import ReadoutQA
    from readout_qa.cli import app

    data = tmp_path / "d"
    assert ReadoutQA(data_dir=data, answerer="extractive").ingest([SEED]).ok
    own = _own_folder(tmp_path / "mine")
    result = CliRunner().invoke(app, ["ingest", "--rebuild", str(own), "--data-dir", str(data)])
    assert result.exit_code == 0, result.output
    qa = ReadoutQA(data_dir=data, answerer="extractive")
    assert qa.stats()["readouts"] == 1 and qa.readout(SEED.stem) is None
    assert seed_if_empty(qa, [CORPUS]) is None  # the next start does not bring the sample back


@pytest.mark.parametrize("name", ["README.md", "LICENSE.md", "readme.txt"])
def test_folder_documentation_is_not_a_readout(tmp_path, name):
    (tmp_path / name).write_text("# About this folder\n\nNot a readout.\n", encoding="utf-8")
    write_readout(tmp_path, "r1", "Readout of a call", "The leaders spoke by phone.")
    readouts, errors = load_paths([tmp_path], entities=False)
    assert [r.doc_id for r in readouts] == ["r1"] and not errors
