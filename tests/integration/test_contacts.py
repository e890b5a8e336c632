"""The contacts table in a real index (embedded Chroma, the local model): derived at
ingest, incremental, following ``--sync`` and ``--rebuild``; the four analyst questions
over the shared corpora; and ``readout-qa timeline``."""

from __future__ import annotations

import csv
import io
import json
import shutil
import time
from pathlib import Path

import pytest
from chroma_server import chroma_server  # noqa: F401  (fixture)
from conftest import shared_or_skip

from readout_qa import ReadoutQA
from readout_qa.api import REFRESH_SECONDS

WH_CALL = """---
title: "Readout of President Biden’s Call with President Vladimir Putin of Russia"
date: 2022-02-12
source: https://example.org/wh-call
publisher: "The White House"
---

President Joseph R. Biden, Jr. spoke today with President Vladimir Putin of Russia. President \
Biden was clear that an invasion of Ukraine would produce widespread human suffering.
"""
KREMLIN_CALL = """---
title: "Telephone conversation with US President Joseph Biden"
date: 2022-02-13
source: https://example.org/kremlin-call
publisher: "President of Russia (kremlin.ru)"
---

On February 12, Vladimir Putin had a telephone conversation with President of the United \
States of America Joseph Biden. The conversation focused on security guarantees.
"""
WH_XI = """---
title: "Readout of President Biden’s Call with President Xi Jinping of China"
date: 2022-03-18
source: https://example.org/wh-xi
publisher: "The White House"
---

President Joseph R. Biden, Jr. spoke today with President Xi Jinping of the People’s \
Republic of China. The conversation focused on Russia’s invasion of Ukraine.
"""
STATEMENT = """---
title: "Statement by Press Secretary on the Attack"
date: 2022-03-20
source: https://example.org/statement
publisher: "The White House"
---

The United States condemns the attack in the strongest terms.
"""


def test_the_seed_readouts_contact(seed_qa):
    [c] = seed_qa.contacts(["Li Keqiang"])
    assert (c.date, c.kind) == ("2021-12-07", "video call")  # published December 8
    assert c.participants == ["Li Keqiang", "Alexander De Croo"]
    assert seed_qa.contacts(["De Croo"], since="2021-12-08") == []
    assert seed_qa.stats()["contacts"] == 1  # reported by `readout-qa stats` too
    body, _ = seed_qa.readout(c.readouts[0].doc_id)
    r = c.readouts[0]
    assert body[r.start : r.end] == r.quote


@pytest.fixture
def folder_qa(tmp_path):
    folder = tmp_path / "readouts"
    folder.mkdir()
    for name, text in (
        ("wh-call.md", WH_CALL),
        ("kremlin-call.md", KREMLIN_CALL),
        ("wh-xi.md", WH_XI),
        ("statement.md", STATEMENT),
    ):
        (folder / name).write_text(text, encoding="utf-8")
    qa = ReadoutQA(data_dir=tmp_path / "index", answerer="extractive")
    assert qa.ingest([folder]).ok
    return qa, folder


def test_the_table_follows_ingest_sync_and_rebuild(folder_qa):
    qa, folder = folder_qa
    assert (qa.data_dir / "contacts.sqlite").exists()
    [call] = qa.contacts(["Putin"], kind="call")
    assert [r.doc_id for r in call.readouts] == ["wh-call", "kremlin-call"]  # one event
    assert [c.date for c in qa.contacts(["Biden"])] == ["2022-02-12", "2022-03-18"]
    answer = qa.ask("How many times did Biden and Putin speak in 2022?")
    assert answer.answerer == "contacts" and not answer.refused
    assert answer.text.startswith("The readouts record 1 phone call between")
    assert {c.doc_id for c in answer.citations} == {"wh-call", "kremlin-call"}
    assert [c.contact_id for c in answer.contacts] == [call.contact_id]
    # Answered from the table alone: no query embedding, no passage search.
    assert "retrieve_embed" not in answer.timings and "retrieve_keyword" not in answer.timings
    assert answer.retrieved_doc_ids == ["wh-call", "kremlin-call"]  # the readouts it cites

    scholz = WH_XI.replace("Xi Jinping of the People’s Republic of China", "Olaf Scholz of Germany")
    (folder / "wh-xi.md").write_text(scholz, encoding="utf-8")
    assert qa.ingest([folder]).updated == ["wh-xi"]
    assert qa.contacts(["Xi"]) == []
    assert [c.date for c in qa.contacts(["Scholz"])] == ["2022-03-18"]

    (folder / "kremlin-call.md").unlink()
    assert qa.ingest([folder], sync=True).removed == ["kremlin-call"]
    [call] = qa.contacts(["Putin"])
    assert [r.doc_id for r in call.readouts] == ["wh-call"]

    before = [c.to_dict() for c in qa.contacts()]
    qa.ingest([folder], rebuild=True)
    assert [c.to_dict() for c in qa.contacts()] == before


def test_every_process_on_a_chroma_server_derives_the_same_table(
    chroma_server,  # noqa: F811
    tmp_path,
):
    folder = tmp_path / "readouts"
    folder.mkdir()
    (folder / "wh-call.md").write_text(WH_CALL, encoding="utf-8")
    (folder / "kremlin-call.md").write_text(KREMLIN_CALL, encoding="utf-8")

    def server_qa(name: str) -> ReadoutQA:
        return ReadoutQA(
            data_dir=tmp_path / name,
            answerer="extractive",
            chroma_url=chroma_server.url,
            collection="srv_contacts",
        )

    one, two = server_qa("a"), server_qa("b")
    assert one.ingest([folder]).ok
    assert [c.to_dict() for c in two.contacts()] == [c.to_dict() for c in one.contacts()]
    assert len(two.contacts(["Putin"])[0].readouts) == 2
    (folder / "wh-xi.md").write_text(WH_XI, encoding="utf-8")
    one.ingest([folder])
    time.sleep(REFRESH_SECONDS + 0.2)  # the second process looks at the generation again
    assert [c.date for c in two.contacts(["Xi"])] == ["2022-03-18"]
    assert (tmp_path / "b" / "contacts.sqlite").exists()


# --- the four questions over the shared corpora ---------------------------------------
def _relevant(shared: Path) -> list[Path]:
    """The readouts the four questions need, with the distractors that used to mislead
    (the Russian-French press conference): a small index, built in seconds."""
    wh = shared / "whitehouse"
    files = {p for p in wh.glob("2022-*.md") if "Scholz" in p.read_text("utf-8")}
    files |= {p for p in wh.glob("2023-*.md") if "Trudeau" in p.read_text("utf-8")}
    files |= {p for p in wh.glob("2022-*.md") if "Zelensk" in p.read_text("utf-8")}
    files |= set(wh.glob("2025-0[12]-*.md"))
    files |= set((shared / "kremlin").glob("2022-02-0[78]_*.md"))
    return sorted(files)


@pytest.fixture(scope="module")
def shared_qa(tmp_path_factory):
    shared = shared_or_skip()
    folder = tmp_path_factory.mktemp("contact-readouts")
    for f in _relevant(shared):
        shutil.copy(f, folder / f.name)
    qa = ReadoutQA(data_dir=tmp_path_factory.mktemp("contact-index"), answerer="extractive")
    assert qa.ingest([folder]).ok
    return qa


# Their own calls and meetings, and the allies' calls whose readouts name Scholz among the
# participants (January 24, February 11, 18 and 28, April 19, September 8), and the G7
# leaders' meeting of February 24, whose statement thanks Scholz for convening it.
SCHOLZ_2022 = [
    "2022-01-24", "2022-02-07", "2022-02-11", "2022-02-16", "2022-02-18", "2022-02-21",
    "2022-02-24", "2022-02-28", "2022-03-07", "2022-03-21", "2022-03-29", "2022-04-19",
    "2022-05-05", "2022-06-26", "2022-08-21", "2022-09-08", "2022-10-09", "2022-11-06",
]  # fmt: skip
ZELENSKYY_2022 = [
    "2022-01-02", "2022-01-27", "2022-02-13", "2022-02-21", "2022-03-01", "2022-03-03",
    "2022-03-05", "2022-03-11", "2022-03-30", "2022-08-25", "2022-10-04", "2022-10-10",
    "2022-12-11",
]  # fmt: skip


@pytest.mark.slow
def test_when_did_biden_and_scholz_speak_in_2022(shared_qa):
    answer = shared_qa.ask("When did Biden and Olaf Scholz speak in 2022?")
    assert answer.answerer == "contacts"
    assert [c.date for c in answer.contacts] == SCHOLZ_2022
    assert answer.text.startswith(
        "The readouts record 18 calls and meetings between Joseph R. Biden and Olaf Scholz in 2022 "
        "(11 of them with other leaders as well):"
    )
    assert answer.text.count("\n- ") == 18
    for contact in answer.contacts:  # each line cites a sentence naming Scholz
        docs = {r.doc_id for r in contact.readouts}
        assert any("Scholz" in c.quote for c in answer.citations if c.doc_id in docs), contact


@pytest.mark.slow
def test_how_many_times_did_biden_call_trudeau_in_2023(shared_qa):
    answer = shared_qa.ask("How many times did Biden call Trudeau in 2023?")
    assert not answer.refused
    # three calls of their own and the call with allies of October 3 that names Trudeau
    dates = ["2023-02-11", "2023-06-07", "2023-06-25", "2023-10-03"]
    assert [c.date for c in answer.contacts] == dates
    assert (
        "record 4 calls between Joseph R. Biden and Justin Trudeau in 2023 (1 of them with other "
        "leaders as well)" in answer.text
    )
    assert [c.kind for c in answer.contacts] == ["phone call"] * 4  # not the January meeting


@pytest.mark.slow
def test_which_leaders_did_trump_call_in_february_2025(shared_qa):
    answer = shared_qa.ask("Which leaders did Trump call in February 2025?")
    [call] = answer.contacts  # the readouts hold one call that month (the 12th is a meeting)
    assert (call.date, call.kind) == ("2025-02-01", "phone call")
    assert "Abdel Fattah" in answer.text and "Sisi" in answer.text
    assert [c.doc_id for c in answer.citations] == [call.readouts[0].doc_id]


@pytest.mark.slow
def test_how_many_times_did_biden_speak_with_zelensky_in_2022(shared_qa):
    answer = shared_qa.ask("How many times did Biden speak with Zelensky in 2022?")
    assert [c.date for c in answer.contacts] == ZELENSKYY_2022
    # "speak" asks for calls and meetings: the count says so, and that all were calls
    assert (
        "record 13 calls and meetings between Joseph R. Biden and Volodymyr Zelenskyy in 2022"
        " (all of them calls" in answer.text
    )
    assert len(answer.citations) == 13
    assert not any("russian-french" in c.doc_id for c in answer.citations)
    for c in answer.citations:
        body, _ = shared_qa.readout(c.doc_id)
        assert body[c.start : c.end] == c.quote and "Zelenskyy" in c.quote


@pytest.mark.slow
def test_other_questions_take_the_usual_path(shared_qa):
    answer = shared_qa.ask("What did Biden and Trudeau discuss about the unmanned object?")
    assert answer.answerer != "contacts" and answer.contacts == []


# --- readout-qa timeline ---------------------------------------------------------------
@pytest.mark.slow
def test_timeline_command(shared_qa):
    from typer.testing import CliRunner

    from readout_qa.cli import app

    runner = CliRunner()
    base = ["timeline", "Zelensky", "--with", "Joe Biden", "--data-dir", str(shared_qa.data_dir)]
    march = ["--since", "2022-03-01", "--until", "2022-03-31"]
    got = runner.invoke(app, [*base, *march, "--json"])
    assert got.exit_code == 0, got.output
    data = json.loads(got.stdout)
    assert [c["date"] for c in data] == [d for d in ZELENSKYY_2022 if d.startswith("2022-03")]
    assert data[0]["participants"] == ["Joseph R. Biden", "Volodymyr Zelenskyy"]
    got = runner.invoke(app, [*base, *march, "--kind", "call", "--csv"])
    rows = list(csv.DictReader(io.StringIO(got.stdout)))
    assert len(rows) == 5 and rows[0]["kind"] == "phone call"
    got = runner.invoke(app, [*base, *march])
    assert got.exit_code == 0 and "5 contact(s)" in got.stdout
    got = runner.invoke(app, [*base, "--kind", "dinner"])
    assert got.exit_code == 2
