"""The web UI driven through its named API with ``gradio_client``: a real server, no mocks.

One server (with its own small index: the seed readout) is started for the session on a
free loopback port; each test opens its own client, i.e. its own browser-like session.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"

from conftest import SEED  # noqa: E402
from sample_readouts import FAROE_MD
from timeline_readouts import EXPECTED, write_timeline_readouts
from ui_server import launch

pytestmark = pytest.mark.ui

SEED_DOC = "000_29b7a47e08d55584"
SEED_QUESTION = "What fields did Li Keqiang highlight with Belgium?"

ICELAND_MD = """---
title: Readout of President Halvorsen's Call with Prime Minister Jakobsdottir of Iceland
date: 2023-05-17
publisher: Office of the President of Norland
source: https://example.org/readouts/2023-05-17-iceland
---
President Halvorsen spoke today with Prime Minister Katrin Jakobsdottir of Iceland.
The two leaders agreed to launch a joint geothermal energy research programme in the Hengill
volcanic area, with a first drilling campaign planned for 2024.
They also discussed Arctic search-and-rescue cooperation and the upcoming Nordic summit.
"""


@pytest.fixture(scope="session")
def ui(tmp_path_factory):
    from readout_qa import ReadoutQA
    from readout_qa.ui import build_app

    data = tmp_path_factory.mktemp("ui-index")
    qa = ReadoutQA(data_dir=data, answerer="extractive")
    timeline = write_timeline_readouts(tmp_path_factory.mktemp("ui-timeline"))
    assert qa.ingest([SEED, *timeline]).ok
    app = build_app(qa, corpus=[SEED])
    port = launch(app, qa)
    try:
        yield SimpleNamespace(url=f"http://127.0.0.1:{port}/", qa=qa, uploads=data / "uploads")
    finally:
        app.close()


def _client(ui):
    from gradio_client import Client

    return Client(ui.url, verbose=False, download_files=False)


def ask(client, question: str, since: str = "", until: str = "", countries=(), publishers=()):
    """(chat messages, sources html, answer dict, status html) for one question."""
    chat, sources, _box, answer, status = client.predict(
        question, since, until, list(countries), list(publishers), api_name="/ask"
    )
    return chat, sources, answer, status


def _text(message: dict) -> str:
    content = message["content"]
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content)
    return str(content)


def upload(client, *paths: Path):
    from gradio_client import handle_file

    table, summary, *_rest = client.predict(
        [handle_file(str(p)) for p in paths], [], [], api_name="/upload"
    )
    rows = {row[0]: row for row in table["data"]}
    return rows, summary


def test_seed_question_is_answered_with_citations(ui):
    client = _client(ui)
    chat, sources, answer, _ = ask(client, SEED_QUESTION)
    for field in ("biomedicine", "microelectronics", "modern agriculture"):
        assert field in answer["text"]
    assert not answer["refused"]
    assert any(c["doc_id"] == SEED_DOC for c in answer["citations"])
    # the chat shows the same answer with clickable markers, one per citation
    reply = _text(chat[-1])
    assert "biomedicine" in reply
    for c in answer["citations"]:
        assert f'href="#cite-0-{c["n"]}"' in reply
    # the sources panel highlights the cited span of the readout
    first = answer["citations"][0]
    assert f'<mark id="cite-{first["n"]}"' in sources
    body, _meta = ui.qa.readout(first["doc_id"])
    assert body[first["start"] : first["end"]] == first["quote"]


def test_follow_up_keeps_the_conversation(ui):
    client = _client(ui)
    ask(client, SEED_QUESTION)
    chat, _sources, answer, _ = ask(client, "Who attended it?")
    assert len(chat) == 4  # two questions, two answers
    assert not answer["refused"], answer
    assert "He Lifeng" in answer["text"]
    assert answer["retrieval_query"] != "Who attended it?"  # context carried over
    # selecting a source of the first answer re-renders the panel for that answer
    # (the panel shows the latest answer's sources until then)
    panel = client.predict("0:1", api_name="/select_source")
    assert 'data-turn="0"' in panel and 'data-selected="1"' in panel
    assert "biomedicine" in panel
    # a new conversation forgets it
    chat, *_ = client.predict(api_name="/new_conversation")
    assert chat == []


def test_uploaded_readout_becomes_answerable(ui, tmp_path):
    client = _client(ui)
    doc = tmp_path / "2023-05-17-norland-iceland-call.md"
    doc.write_text(ICELAND_MD, encoding="utf-8")
    rows, summary = upload(client, doc)
    assert rows[doc.name][1] == "added", rows
    assert "1 file ingested" in summary
    assert (ui.uploads / doc.name).read_text(encoding="utf-8") == ICELAND_MD
    _chat, sources, answer, _ = ask(
        client, "What did the leaders agree about geothermal energy with Iceland?"
    )
    assert not answer["refused"], answer
    assert "geothermal" in answer["text"]
    assert answer["citations"][0]["doc_id"] == doc.stem
    assert 'href="https://example.org/readouts/2023-05-17-iceland"' in sources
    assert 'rel="noopener noreferrer"' in sources
    # the filter choices learn the new country
    assert "Iceland" in ui.qa.stats()["countries"]
    # uploading the same file again changes nothing
    rows, _ = upload(client, doc)
    assert rows[doc.name][1] == "unchanged"


def test_bad_upload_fails_alone(ui, tmp_path):
    client = _client(ui)
    bad = tmp_path / "scan.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    pdf = tmp_path / "minutes.pdf"
    pdf.write_bytes(b"%PDF-1.4 not a readout")
    docx = tmp_path / "minutes.docx"
    docx.write_bytes(b"PK\x03\x04 not a readout")
    good = tmp_path / "faroe-fisheries.md"
    good.write_text(FAROE_MD, encoding="utf-8")
    rows, summary = upload(client, bad, pdf, docx, good)
    assert rows[bad.name][1] == "failed" and rows[bad.name][3], rows
    assert rows[pdf.name][1] == "failed" and "not a readable PDF" in rows[pdf.name][3], rows
    assert rows[docx.name][1] == "skipped" and "'.docx'" in rows[docx.name][3], rows
    assert rows[good.name][1] == "added", rows
    assert "2 failed" in summary and "1 skipped" in summary
    _chat, _sources, answer, _ = ask(client, "What did the ministers sign about mackerel quotas?")
    assert not answer["refused"], answer
    assert answer["citations"][0]["doc_id"] == good.stem


def test_unanswerable_question_is_refused(ui):
    client = _client(ui)
    chat, sources, answer, _ = ask(client, "What was agreed about lunar mining rights on Mars?")
    assert answer["refused"] and answer["citations"] == []
    reply = _text(chat[-1])
    assert "roq-refusal" in reply and "The readouts don't say" in reply
    # the banner is drawn from the Answer's structure: why, and the closest passages
    from markupsafe import escape

    assert answer["reason"] and str(escape(answer["reason"][1:])) in reply
    assert answer["closest"] and "Closest passages — not an answer" in reply
    for i, closest in enumerate(answer["closest"], 1):
        assert str(escape(closest["title"])) in reply
        assert f'href="#near-0-{i}"' in reply
        if closest["quote"]:  # shown as text, its line breaks kept
            assert str(escape(closest["quote"])).replace("\n", "<br>") in reply
    # the panel shows them, the first one marked in its readout, and says nothing is cited
    assert "Nothing is cited" in sources and 'data-selected="c1"' in sources
    assert "roq-card-near" in sources and 'class="roq-badge"' not in sources
    assert len(answer["closest"]) >= 2
    panel = client.predict("0:c2", api_name="/select_source")
    assert 'data-turn="0" data-selected="c2"' in panel


def test_timeline_endpoint(ui):
    client = _client(ui)
    table, chart, contacts, status = client.predict(
        "Xi Jinping", "", "", "", "any", api_name="/timeline"
    )
    assert [(c["date"], c["kind"]) for c in contacts] == [(d, k) for d, k, _ in EXPECTED]
    assert "<b>5 contacts</b>" in status and table.count('class="roq-tl-row"') == 5
    assert chart["columns"] == ["period", "counterpart", "contacts"]
    assert chart["datatypes"] == {
        "period": "nominal",
        "counterpart": "nominal",
        "contacts": "quantitative",
    }
    assert sum(row[2] for row in chart["data"]) == 5
    for c in contacts:  # every readout's sentence is where it says it is
        for r in c["readouts"]:
            body, _meta = ui.qa.readout(r["doc_id"])
            assert body[r["start"] : r["end"]] == r["quote"]
    # the session remembers the rows: selecting one shows its readouts, the sentence marked
    woodside = next(i for i, c in enumerate(contacts) if len(c["readouts"]) == 2)
    panel = client.predict(f"t{woodside}:r2", api_name="/select_source")
    assert f'data-turn="t{woodside}" data-selected="r2"' in panel
    assert '<mark id="cite-r2"' in panel and "Filoli Estate" in panel
    # narrowing, and a bad date
    _t, _c, contacts, _s = client.predict(
        "Xi", "Biden", "2023-01-01", "", "meeting", api_name="/timeline"
    )
    assert [c["date"] for c in contacts] == ["2023-11-15"]
    table, chart, error, status = client.predict(
        "Xi", "", "2023-02-30", "", "any", api_name="/timeline"
    )
    assert "calendar" in error["error"] and "Not searched" in status and chart is None


def test_filters_are_validated_and_applied(ui):
    client = _client(ui)
    chat, _sources, answer, status = ask(client, SEED_QUESTION, since="2021-13-01")
    assert "YYYY-MM-DD" in answer["error"] or "calendar" in answer["error"]
    assert "Not asked" in status and chat == []
    _chat, _s, answer, status = ask(client, SEED_QUESTION, since="2022-01-01", until="2021-01-01")
    assert "after" in answer["error"]
    # a date range that excludes the seed readout leaves nothing to cite
    _chat, _s, answer, _ = ask(client, SEED_QUESTION, since="2022-01-01")
    assert answer["refused"]
    _chat, _s, answer, _ = ask(client, SEED_QUESTION, countries=["Belgium"])
    assert not answer["refused"]
    assert {c["doc_id"] for c in answer["citations"]} == {SEED_DOC}


def test_path_traversal_name_stays_in_upload_dir(ui, tmp_path):
    import httpx

    from readout_qa.ui import safe_upload_name

    for name in ("../../evil.md", "..\\..\\evil.md", "/etc/evil.md", "a/b/../evil.md"):
        assert safe_upload_name(name) == "evil.md"
    for name in (".hidden.md", "../.bashrc", "..", ""):
        with pytest.raises(ValueError):
            safe_upload_name(name)

    # Upload a file whose multipart name is a traversal, exactly as a hostile client would.
    body = "---\ntitle: Evil\ndate: 2023-01-01\n---\nThe evil readout mentions quartz.\n"
    with httpx.Client(base_url=ui.url, trust_env=False) as http:
        got = http.post(
            "gradio_api/upload", files=[("files", ("../../evil.md", body, "text/markdown"))]
        )
        got.raise_for_status()
    [server_path] = got.json()
    client = _client(ui)
    table, *_ = client.predict(
        [{"path": server_path, "orig_name": "../../evil.md", "meta": {"_type": "gradio.FileData"}}],
        [],
        [],
        api_name="/upload",
    )
    assert table["data"][0][0] == "evil.md"
    assert (ui.uploads / "evil.md").read_text(encoding="utf-8") == body
    root = ui.uploads.resolve()
    for parent in (root.parent, root.parent.parent):
        assert not (parent / "evil.md").exists()
    assert all(p.resolve().parent == root for p in ui.uploads.rglob("*"))


def test_time_to_first_token(ui):
    """The first words of an answer reach the client quickly (offline answerer)."""
    client = _client(ui)
    t0 = time.perf_counter()
    job = client.submit(SEED_QUESTION, "", "", [], [], api_name="/ask")
    first = None

    def answered(outputs) -> bool:
        return any(
            out[0] and out[0][-1]["role"] == "assistant" and "roq-pending" not in _text(out[0][-1])
            for out in outputs
        )

    while first is None:
        done = job.done()
        if answered(job.outputs()):
            first = time.perf_counter() - t0
        elif done:
            break
        time.sleep(0.002)
    job.result()
    total = time.perf_counter() - t0
    assert first is not None and first < 5.0
    print(f"\nUI time to first token: {first * 1000:.0f} ms (complete: {total * 1000:.0f} ms)")
