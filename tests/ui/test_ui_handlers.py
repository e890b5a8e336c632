"""The UI's event functions and HTML, called directly: a real index of the seed, no Gradio server.

``readout_qa.ui.handlers`` takes a ``ReadoutQA`` and plain values and returns plain values
(``KEEP`` for an output left as it is), so everything the browser sees can be checked here
in milliseconds; ``test_ui.py`` drives the same functions through a running server.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from conftest import SEED
from sample_readouts import FAROE_MD

from readout_qa.models import REFUSAL, Answer, Citation, ClosestReadout
from readout_qa.ui import handlers
from readout_qa.ui.handlers import KEEP
from readout_qa.ui.rendering import render_answer, render_chat, render_sources

SEED_DOC = SEED.stem
SEED_QUESTION = "What fields did Li Keqiang highlight with Belgium?"


@pytest.fixture(scope="module")
def qa(tmp_path_factory):
    """An index of the seed readout that only reads (upload tests make their own)."""
    from readout_qa import ReadoutQA

    qa = ReadoutQA(data_dir=tmp_path_factory.mktemp("handlers-index"), answerer="extractive")
    assert qa.ingest([SEED]).ok
    return qa


@pytest.fixture
def fresh_qa(tmp_path):
    from readout_qa import ReadoutQA

    qa = ReadoutQA(data_dir=tmp_path / "data", answerer="extractive")
    assert qa.ingest([SEED]).ok
    return qa


def _ask(qa, question: str, turns=None, since="", until="", countries=(), publishers=(), **kw):
    return list(
        handlers.ask(qa, question, since, until, list(countries), list(publishers), turns, **kw)
    )


# ------------------------------------------------------------------------------ asking
def test_ask_streams_then_ends_with_the_cited_answer(qa):
    views = _ask(qa, SEED_QUESTION, coalesce=None)  # an update per checked sentence
    first, *middle, last = views
    # at once: the question in the chat, the box cleared, the panel waiting
    assert first.chat[0]["role"] == "user" and "roq-pending" in first.chat[1]["content"]
    assert "Searching the readouts" in first.sources and 'data-turn="-1"' in first.sources
    assert first.question == "" and first.answer is KEEP
    # then the answer grows sentence by sentence, the panel untouched
    assert middle and all(v.sources is KEEP and v.answer is KEEP for v in middle)
    texts = [v.chat[-1]["content"] for v in middle]
    assert len(set(texts)) == len(texts)  # each update adds a sentence
    # last: the Answer, its sources, the markers linked
    answer = last.answer
    assert not answer["refused"] and "biomedicine" in answer["text"]
    assert any(c["doc_id"] == SEED_DOC for c in answer["citations"])
    reply = last.chat[-1]["content"]
    for c in answer["citations"]:
        assert f'href="#cite-0-{c["n"]}"' in reply
    assert 'data-turn="0"' in last.sources and '<mark id="cite-1"' in last.sources
    assert last.turns[-1]["answer"].text == answer["text"]
    assert last.status is KEEP


def test_sentences_that_arrive_together_are_one_update(qa):
    """A fast answer is two updates (the question, then the answer and its sources): each
    update makes the browser lay the chat out again."""
    streamed = _ask(qa, SEED_QUESTION, coalesce=None)
    first, last = _ask(qa, SEED_QUESTION, coalesce=60)
    assert "roq-pending" in first.chat[-1]["content"]
    assert last.chat == streamed[-1].chat
    assert last.answer["text"] == streamed[-1].answer["text"]
    assert len(streamed) > 2


def test_sentences_that_arrive_apart_are_shown_as_they_come():
    """A language model's sentences, seconds apart, are not held back for the next one."""
    import time

    def stream(question, *_a, **_k):
        yield "First sentence."
        time.sleep(0.3)
        yield " Second sentence."
        time.sleep(0.3)
        yield Answer(question=question, text="First sentence. Second sentence.")

    slow = SimpleNamespace(stream=stream, answerer_name="llm", readout=lambda d: None)
    t0 = time.perf_counter()
    shown = []
    for view in handlers.ask(slow, "What?", "", "", [], [], None):
        shown.append((round(time.perf_counter() - t0, 1), view))
    _pending, (t1, one), (t2, two), _final = shown
    assert "First sentence." in one.chat[-1]["content"] and "Second" not in one.chat[-1]["content"]
    assert "Second sentence." in two.chat[-1]["content"]
    assert t1 < 0.2 and 0.2 < t2 < 0.5


def test_follow_up_and_selecting_an_earlier_source(qa):
    turns = _ask(qa, SEED_QUESTION)[-1].turns
    last = _ask(qa, "Who attended it?", turns)[-1]
    assert len(last.chat) == 4 and "He Lifeng" in last.answer["text"]
    assert last.answer["retrieval_query"] != "Who attended it?"
    panel = handlers.select_source(qa, "0:1", last.turns)
    assert 'data-turn="0"' in panel and 'data-selected="1"' in panel and "biomedicine" in panel
    assert handlers.select_source(qa, "7:1", last.turns) is KEEP  # no such turn
    assert handlers.select_source(qa, "junk", last.turns) is KEEP
    pending = [{"question": "q", "text": "", "answer": None}]
    assert "when the answer is complete" in handlers.select_source(qa, "0:1", pending)


def test_new_conversation_forgets_everything(qa):
    view = handlers.new_conversation(qa)
    assert view.chat == [] and view.turns == [] and view.answer is None and view.status == ""
    assert 'data-turn="-1"' in view.sources and "Ask a question" in view.sources


def test_empty_question_and_bad_filters_are_not_asked(qa):
    [view] = _ask(qa, "   ")
    assert view.chat == [] and view.answer is KEEP and view.question == "   "
    [view] = _ask(qa, SEED_QUESTION, since="2021-13-01")
    assert view.chat == [] and view.turns == []
    assert "calendar" in view.answer["error"] and "Not asked" in view.status
    [view] = _ask(qa, SEED_QUESTION, since="2022-01-01", until="2021-01-01")
    assert "after" in view.answer["error"]


def test_filters_narrow_the_search(qa):
    assert _ask(qa, SEED_QUESTION, since="2022-01-01")[-1].answer["refused"]
    last = _ask(qa, SEED_QUESTION, countries=["Belgium"])[-1]
    assert {c["doc_id"] for c in last.answer["citations"]} == {SEED_DOC}
    assert "Searching only" in _ask(qa, SEED_QUESTION, countries=["Belgium"])[0].status


def test_a_failure_while_answering_is_a_refusal_with_a_notice():
    def stream(*_a, **_k):
        yield "Half an"
        raise RuntimeError("the index <went> away")

    broken = SimpleNamespace(stream=stream, answerer_name="extractive", readout=lambda d: None)
    last = list(handlers.ask(broken, "What?", "", "", [], [], None))[-1]
    assert last.answer["refused"] and last.answer["text"] == REFUSAL
    assert any("went wrong" in n for n in last.answer["notices"])
    reply = last.chat[-1]["content"]
    assert "roq-refusal" in reply and "&lt;went&gt;" in reply and "<went>" not in reply


# ------------------------------------------------------------------------------ filters
def test_filter_summary_is_escaped():
    assert handlers.filter_summary("", "", [], []) == ""
    assert "roq-error" in handlers.filter_summary("2021-02-30", "", [], [])
    html = handlers.filter_summary("2021-01-01", "", ["<b>Belgium</b>"], ["P&Q"])
    assert "2021-01-01 – …" in html
    assert "&lt;b&gt;Belgium&lt;/b&gt;" in html and "P&amp;Q" in html and "<b>" not in html


def test_parse_filters():
    f = handlers.parse_filters(" 2021-01-01 ", "", ["Belgium", ""], None)
    assert f.since == "2021-01-01" and f.until is None and f.countries == ["Belgium"]
    with pytest.raises(handlers.FilterError, match="YYYY-MM-DD"):
        handlers.parse_filters("2021/01/01", "", [], [])


def test_refresh_keeps_only_choices_that_exist(qa):
    choices = handlers.refresh(qa, ["Belgium", "Atlantis"], ["Nobody"])
    assert "Belgium" in choices.countries and choices.countries_selected == ["Belgium"]
    assert choices.publishers_selected == []
    assert "<b>1</b> readout indexed" in choices.footer


# ------------------------------------------------------------------------------ uploads
def test_upload_ingests_and_refreshes_the_choices(fresh_qa, tmp_path):
    good = tmp_path / "faroe-fisheries.md"
    good.write_text(FAROE_MD, encoding="utf-8")
    docx = tmp_path / "minutes.docx"
    docx.write_bytes(b"PK\x03\x04 not a readout")
    seen: list[str] = []
    result = handlers.upload(
        fresh_qa, [str(good), str(docx)], ["Belgium"], [], progress=lambda _v, d: seen.append(d)
    )
    rows = {r[0]: r for r in result.rows}
    assert rows[good.name][1] == "added"
    assert rows[docx.name][1] == "skipped"
    assert "unsupported file type '.docx'" in rows[docx.name][3]
    assert "1 file ingested, 1 skipped" in result.summary
    assert (fresh_qa.data_dir / "uploads" / good.name).read_text(encoding="utf-8") == FAROE_MD
    assert result.choices is not None and result.choices.countries_selected == ["Belgium"]
    assert "<b>2</b> readouts indexed" in result.choices.footer
    assert seen[0] == "Saving files" and any(d.startswith("Embedded 1 of 1") for d in seen)
    answer = fresh_qa.ask("What did the ministers sign about mackerel quotas?")
    assert answer.citations[0].doc_id == good.stem


def test_upload_without_files_changes_nothing(qa):
    result = handlers.upload(qa, [])
    assert result.rows == [] and result.choices is None
    assert "Choose one or more readout files" in result.summary


def test_upload_limit_follows_the_settings(tmp_path):
    """READOUT_QA_MAX_FILE_MB (Settings.max_file_mb) bounds uploads, not a fixed 10 MB."""
    from readout_qa import ReadoutQA
    from readout_qa.ui import launch_options

    qa = ReadoutQA(data_dir=tmp_path / "data", answerer="extractive", max_file_mb=1)
    assert launch_options(qa)["max_file_size"] == 1024 * 1024
    head = "---\ntitle: Readout of a long call\ndate: 2023-05-17\n---\n"
    text = "Foreign Minister Lund spoke with the Faroese Minister about mackerel quotas.\n"
    big, small = tmp_path / "big.md", tmp_path / "small.md"
    # Trailing blank lines make the size without making passages to embed.
    big.write_text(head + text + "\n" * (2 * 1024 * 1024), encoding="utf-8")
    small.write_text(head + text + "\n" * (512 * 1024), encoding="utf-8")
    rows = {r[0]: r for r in handlers.upload(qa, [str(big), str(small)]).rows}
    assert rows["big.md"][1] == "failed" and "the limit is 1 MB" in rows["big.md"][3]
    assert rows["small.md"][1] == "added"
    assert not (qa.data_dir / "uploads" / "big.md").exists()


def test_rescan_reports_the_corpus(fresh_qa):
    result = handlers.rescan(fresh_qa, [SEED])
    assert result.rows[0] == [SEED.name, "added 0, updated 0, unchanged 1", "", ""]
    assert "roq-filters-on" in result.summary


# ------------------------------------------------------------------------------ rendering
def test_refusal_is_rendered_from_its_structure():
    answer = Answer(
        question="What about <Mars>?",
        text="Anything at all: this text is not parsed.",
        refused=True,
        reason="no sentence covers the question (best coverage 0.12) <b>",
        closest=[
            ClosestReadout(
                doc_id="d1",
                title="Talks <script>x()</script>",
                date="2021-12-08",
                quote='The sides <img src=x onerror="y()"> agreed [1].',
                start=10,
                end=52,
            ),
            ClosestReadout(doc_id="d2", title="Undated & odd", date=""),
        ],
    )
    html = render_answer(answer.text, 3, answer)
    assert "roq-refusal" in html and "The readouts don't say" in html
    assert "No sentence covers the question (best coverage 0.12) &lt;b&gt;." in html
    # the closest passages: labelled, unnumbered, quoted, each linking to its passage
    assert '<div class="roq-closest-title">Closest passages — not an answer</div>' in html
    assert html.count('class="roq-near"') == 2
    assert 'href="#near-3-1"' in html and 'href="#near-3-2"' in html
    assert "“The sides &lt;img src=x onerror=&#34;y()&#34;&gt; agreed [1].”" in html
    assert "Talks &lt;script&gt;x()&lt;/script&gt; · 2021-12-08" in html
    assert '<span class="roq-near-meta">Undated &amp; odd</span>' in html  # no quote, no date
    assert "roq-cite" not in html and "#cite-" not in html  # "[1]" in a quote is no marker
    assert "<script>" not in html and "<img" not in html and "not parsed" not in html
    assert "\n" not in html
    bare = render_answer(REFUSAL, 0, Answer(question="q", text=REFUSAL, refused=True))
    assert "roq-refusal-title" in bare and "roq-refusal-body" not in bare
    assert "roq-closest" not in bare


def test_refusal_sources_show_the_closest_passages_highlighted(qa):
    body, _meta = qa.readout(SEED_DOC)
    start = body.index("China is ready")
    end = body.index(".", start) + 1
    near = [
        ClosestReadout(SEED_DOC, "Seed <t>", "2021-12-08", body[start:end], start, end),
        ClosestReadout(SEED_DOC, "Seed, readout only", "2021-12-08"),  # no quote
        ClosestReadout("gone", "Gone", "", "A passage <b>since removed</b>.", 0, 30),
    ]
    answer = Answer(question="Q <x>?", text=REFUSAL, refused=True, closest=near)
    html = render_sources(qa, answer, 4)
    assert 'data-turn="4" data-selected="c1"' in html
    assert "Closest passages — not an answer" in html and "Nothing is cited" in html
    assert "for “Q &lt;x&gt;?”" in html and "Seed &lt;t&gt;" in html and "<t>" not in html
    # the passage is marked in its readout, as a citation's is; the cards are not numbered
    assert html.count("<mark ") == 2  # the first passage, and the removed one's quote
    assert f'<mark id="cite-c1" class="roq-mark">{body[start:end]}</mark>' in html
    assert 'class="roq-badge"' not in html and "roq-card-cite" not in html
    assert '<div class="roq-card roq-card-near roq-selected" id="src-c1" data-n="c1">' in html
    assert "Read the readout" in html  # the card without a quote shows the readout's start
    assert "no longer in the index" in html and "A passage &lt;b&gt;since removed" in html
    # select one by key or by position
    assert 'data-selected="c2"' in render_sources(qa, answer, 4, "c2")
    assert 'data-selected="c3"' in render_sources(qa, answer, 4, 3)
    assert 'data-selected="c1"' in render_sources(qa, answer, 4, "c9")
    # no closest passages: the panel says nothing is cited
    bare = render_sources(qa, Answer(question="q", text=REFUSAL, refused=True), 0)
    assert "nothing is cited" in bare and "roq-card" not in bare


def test_a_real_refusal_links_its_closest_passages(qa):
    last = _ask(qa, "What was agreed about lunar mining rights on Mars?")[-1]
    answer = last.answer
    assert answer["refused"] and answer["citations"] == [] and answer["closest"]
    body, _meta = qa.readout(answer["closest"][0]["doc_id"])
    first = answer["closest"][0]
    assert first["quote"] and body[first["start"] : first["end"]] == first["quote"]
    reply = last.chat[-1]["content"]
    assert 'href="#near-0-1"' in reply and "Closest passages — not an answer" in reply
    assert 'data-selected="c1"' in last.sources
    assert '<mark id="cite-c1"' in last.sources
    # a click on a closest passage selects it in the panel (via the hidden button)
    panel = handlers.select_source(qa, "0:c1", last.turns)
    assert 'data-turn="0" data-selected="c1"' in panel
    assert handlers.select_source(qa, "0:x1", last.turns) is KEEP


def test_answer_markup_is_escaped_and_markers_linked():
    c = Citation(1, "d", "T", "", "", "", "quote", 0, 5, 1.0)
    answer = Answer(
        question="q",
        text='A <img src=x onerror="y()"> claim [1], not [0] nor [2].\nNext line.',
        citations=[c],
        notices=["note <i>"],
        unsupported=["bad <b>"],
        answerer="llm:<m>",
    )
    html = render_answer(answer.text, 4, answer)
    assert '<a class="roq-cite" href="#cite-4-1"' in html and "[0]" in html and "[2]" in html
    assert "<img" not in html and "&lt;img" in html and "<br>Next line." in html
    assert "note &lt;i&gt;" in html and "removed: bad &lt;b&gt;" in html
    assert "1 citation from 1 readout · llm:&lt;m&gt;" in html
    assert "\n" not in html  # one line: the Chatbot's Markdown must leave it alone
    chat = render_chat([{"question": "<q>\ntwo", "text": "so [3]", "answer": None}])
    assert chat[0]["content"] == '<div class="roq-question">&lt;q&gt;<br>two</div>'
    assert 'href="#cite-0-3"' in chat[1]["content"]  # while streaming, any marker links


def test_sources_highlight_in_context_and_only_link_the_web(qa):
    body, _meta = qa.readout(SEED_DOC)
    start = body.index("biomedicine")
    quote = body[start : start + 11]

    def cite(n, source, start=start, doc=SEED_DOC):
        return Citation(
            n, doc, "Seed <t>", "2021-12-08", source, "MFA", quote, start, start + 11, 1
        )

    answer = Answer(
        question="Q <x>",
        text="a [1] b [2] c [3] d [4] e [5]",
        citations=[
            cite(1, "https://example.org/a?b=1&c=2"),
            cite(2, "javascript:alert(1)"),
            cite(3, "", start=0),  # offsets no longer match: the quote is found again
            cite(4, "", doc="gone"),
            Citation(5, SEED_DOC, "Seed", "", "", "", "words since edited", 0, 18, 1.0),
        ],
    )
    html = render_sources(qa, answer, 2, selected=2)
    assert 'data-turn="2" data-selected="2"' in html and "for “Q &lt;x&gt;”" in html
    assert 'href="https://example.org/a?b=1&amp;c=2"' in html
    assert 'href="javascript' not in html  # shown as no link at all
    assert html.count('<mark id="cite-3" class="roq-mark">biomedicine</mark>') == 1
    assert "no longer in the index" in html
    assert "changed after the answer was written" in html
    assert '<mark id="cite-5" class="roq-mark">words since edited</mark>' in html
    assert "Seed &lt;t&gt;" in html and "<t>" not in html
    assert '<div class="roq-card roq-card-cite roq-selected" id="src-2"' in html
    assert '<span class="roq-badge">2</span>' in html  # citations are numbered
