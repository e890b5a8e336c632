"""Answers out as Markdown: ``Answer.to_markdown`` (the API, ``ask --markdown``) and the UI's
conversation download, on answers built as the answerers build them."""

from __future__ import annotations

import datetime as dt

from readout_qa.models import REFUSAL, Answer, Citation, ClosestReadout
from readout_qa.ui.export import conversation_markdown, export_outputs, last_answer_markdown

WOODSIDE = Citation(
    n=1,
    doc_id="2023-11-15_woodside",
    title="Readout of President Joe Biden’s Meeting with President Xi Jinping",
    date="2023-11-15",
    source="https://bidenwhitehouse.archives.gov/briefing-room/woodside/",
    publisher="The White House",
    quote="The leaders affirmed the need to address the risks of advanced AI systems.",
    start=10,
    end=85,
    score=0.9,
)
SEED = Citation(
    n=2,
    doc_id="000_29b7a47e08d55584",
    title="On the afternoon of December 7, 2021, Premier Li Keqiang held a video\nconference",
    date="2021-12-08",
    source="",
    publisher="",
    quote="Li Keqiang stressed that Belgium has a strong scientific force.",
    start=0,
    end=62,
    score=0.5,
)


def test_answer_lists_numbered_sources_with_title_date_publisher_url_and_quote() -> None:
    a = Answer(
        question="What did Biden and Xi agree on AI?",
        text="The leaders affirmed the need to address AI risks. [1] Belgium too. [2]",
        citations=[WOODSIDE, SEED],
    )
    md = a.to_markdown()
    assert md.startswith("### What did Biden and Xi agree on AI?\n\nThe leaders affirmed")
    assert "AI risks. [1] Belgium too. [2]" in md
    assert (
        "- [1] **Readout of President Joe Biden’s Meeting with President Xi Jinping** — "
        "2023-11-15, The White House — <https://bidenwhitehouse.archives.gov/briefing-room/"
        "woodside/>\n  > The leaders affirmed the need to address the risks of advanced AI "
        "systems." in md
    )
    # a readout without publisher or URL: no empty separators; a title's newline folded
    assert "- [2] **On the afternoon of December 7, 2021, Premier Li Keqiang held a video " in md
    assert "conference** — 2021-12-08\n  > Li Keqiang stressed" in md
    assert md.index("[1] **") < md.index("[2] **") and "Closest" not in md
    assert not a.to_markdown(question=False).startswith("###")


def test_refusal_says_why_and_labels_the_closest_passages_as_not_an_answer() -> None:
    a = Answer(
        question="What did Biden and Putin agree about Mars?",
        text=REFUSAL,
        refused=True,
        reason="no readout mentions Mars",
        closest=[
            ClosestReadout(
                doc_id="d1",
                title="Readout of a call",
                date="2021-06-16",
                quote="The presidents discussed strategic stability.",
                source="https://example.org/r",
                publisher="The White House",
            )
        ],
    )
    md = a.to_markdown()
    assert "The readouts don't say." in md and "*Why:* no readout mentions Mars" in md
    assert "**Sources**" not in md
    assert "**Closest passages — not an answer**\n\n1. **Readout of a call** — 2021-06-16" in md
    assert "   > The presidents discussed strategic stability." in md


def test_contact_answer_keeps_its_lines_and_their_citations() -> None:
    text = (
        "The readouts record 2 calls between Joseph R. Biden and Xi Jinping in 2022:\n"
        "- March 18, 2022, video call, Joseph R. Biden and Xi Jinping [1]\n"
        "- July 28, 2022, phone call, Joseph R. Biden and Xi Jinping [2]"
    )
    a = Answer(question="How many times?", text=text, citations=[WOODSIDE, SEED])
    md = a.to_markdown()
    assert text in md and md.count("\n- [") == 2
    assert a.notices == [] and "Note" not in md


def test_notices_and_removed_sentences_are_shown() -> None:
    a = Answer(
        question="q",
        text="An answer. [1]",
        citations=[WOODSIDE],
        notices=["the LLM failed; answered extractively"],
        unsupported=["The moon is made of cheese."],
    )
    md = a.to_markdown()
    assert "> **Note:** the LLM failed; answered extractively" in md
    assert "- ~~The moon is made of cheese.~~" in md


def test_conversation_download_holds_every_finished_answer_in_order(tmp_path) -> None:
    first = Answer(question="First?", text="One. [1]", citations=[WOODSIDE])
    second = Answer(question="Second?", text=REFUSAL, refused=True)
    turns = [
        {"question": "First?", "text": first.text, "answer": first},
        {"question": "Second?", "text": second.text, "answer": second},
        {"question": "Pending?", "text": "", "answer": None},  # still streaming
    ]
    md = conversation_markdown(turns, now=dt.datetime(2026, 1, 2, 3, 4))
    assert md.startswith("# Readout QA conversation\n\n*Exported 2026-01-02 03:04; 2 question(s).*")
    assert md.index("### First?") < md.index("### Second?") and "Pending?" not in md
    assert last_answer_markdown(turns) == second.to_markdown()
    text, path = export_outputs(turns)
    assert text == second.to_markdown()
    assert path is not None and path.endswith(".md")
    from pathlib import Path

    assert Path(path).read_text(encoding="utf-8").count("### ") == 2
    assert export_outputs([]) == ("", None) and last_answer_markdown(None) == ""
