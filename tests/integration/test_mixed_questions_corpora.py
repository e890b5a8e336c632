"""Mixed questions end to end over the shared corpora (the White House readouts of February
2024 in a real index: embedded Chroma, the local model, the contacts table), and through the
web UI with ``gradio_client``: the list from the contacts table, then the content part
through the usual path, each cited, one numbering."""

from __future__ import annotations

import os
import re
import shutil

import pytest
from conftest import shared_or_skip

from readout_qa import ReadoutQA

QUESTION = "Which leaders did Biden speak with in February 2024, and what did he tell Netanyahu?"
NETANYAHU_CALLS = {"2024-02-11", "2024-02-15"}


@pytest.fixture(scope="module")
def feb_qa(tmp_path_factory):
    shared = shared_or_skip()
    folder = tmp_path_factory.mktemp("feb-2024")
    for f in (shared / "whitehouse").glob("2024-02-*.md"):
        shutil.copy(f, folder / f.name)
    qa = ReadoutQA(data_dir=tmp_path_factory.mktemp("feb-index"), answerer="extractive")
    assert qa.ingest([folder]).ok
    return qa


def _check_numbering(answer) -> None:
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.text)}
    assert markers == {c.n for c in answer.citations}


def test_the_list_and_what_he_told_netanyahu(feb_qa):
    answer = feb_qa.ask(QUESTION)
    assert not answer.refused
    listed, said = answer.text.split("\n\n")
    # the contacts part: one line per contact of February 2024, each cited
    assert listed.startswith("The readouts record ")
    assert len(answer.contacts) == listed.count("\n- ") >= 8
    assert {c.date for c in answer.contacts if "Benjamin Netanyahu" in c.participants} == (
        NETANYAHU_CALLS
    )
    assert all("2024-02-01" <= c.date <= "2024-02-29" for c in answer.contacts)
    # the content part: sentences quoted from a readout of a call with Netanyahu; a
    # sentence the list already cites keeps its number, any other is numbered on after
    # the list's
    said_numbers = {int(n) for n in re.findall(r"\[(\d+)\]", said)}
    cited = [c for c in answer.citations if c.n in said_numbers]
    assert cited and all("netanyahu" in c.doc_id for c in cited)
    listed_numbers = {int(n) for n in re.findall(r"\[(\d+)\]", listed)}
    assert listed_numbers == set(range(1, max(listed_numbers) + 1))
    assert all(n <= max(listed_numbers) + len(said_numbers) for n in said_numbers)
    keys = [(c.doc_id, c.start, c.end) for c in answer.citations]
    assert len(keys) == len(set(keys))  # no sentence cited under two numbers
    for c in answer.citations:
        body, _ = feb_qa.readout(c.doc_id)
        assert body[c.start : c.end] == c.quote
    _check_numbering(answer)
    assert answer.answerer.startswith("contacts + ")


def test_a_content_part_the_readouts_do_not_answer_keeps_the_list(feb_qa):
    answer = feb_qa.ask(
        "Which leaders did Biden speak with in February 2024, and what did he tell them about "
        "the lunar mining treaty?"
    )
    assert not answer.refused and len(answer.contacts) >= 8
    assert answer.text.endswith(
        "\n\nThe readouts don't say: what did he tell them about the lunar mining treaty?"
    )
    _check_numbering(answer)


def test_a_plain_content_question_keeps_the_usual_path(feb_qa):
    answer = feb_qa.ask("What did Biden tell Netanyahu about a ceasefire?")
    assert answer.contacts == [] and answer.answerer == "extractive"


@pytest.mark.ui
def test_the_ui_shows_both_parts_and_their_sources(feb_qa):
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
    os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"
    from gradio_client import Client
    from ui_server import launch

    from readout_qa.ui import build_app

    app = build_app(feb_qa, corpus=[])
    port = launch(app, feb_qa)
    try:
        client = Client(f"http://127.0.0.1:{port}/", verbose=False, download_files=False)
        chat, sources, _box, answer, _status = client.predict(
            QUESTION, "", "", [], [], api_name="/ask"
        )
    finally:
        app.close()
    reply = chat[-1]["content"]
    reply = "".join(p.get("text", "") for p in reply) if isinstance(reply, list) else str(reply)
    assert "The readouts record " in reply and "Netanyahu" in reply
    assert len(answer["contacts"]) >= 8
    last = answer["citations"][-1]  # a citation of the content part
    assert "netanyahu" in last["doc_id"]
    assert f'href="#cite-0-{last["n"]}"' in reply  # its marker is a link in the chat
    assert f'<mark id="cite-{last["n"]}"' in sources  # and its span shown in the sources


def test_their_last_call_is_the_one_the_table_dates(feb_qa):
    """A content question about the last contact: the table says the last Biden-Netanyahu
    call of the month was February 15, and what was said is quoted from that call's readout,
    not from the February 11 one's."""
    answer = feb_qa.ask("What did Biden and Netanyahu discuss on their last call?")
    assert not answer.refused
    assert [c.date for c in answer.contacts] == ["2024-02-15"]
    listed, said = answer.text.split("\n\n")
    assert "February 15, 2024" in listed
    cited = [c for c in answer.citations if f"[{c.n}]" in said]
    assert cited and {c.doc_id[:10] for c in cited} == {"2024-02-15"}
    _check_numbering(answer)
