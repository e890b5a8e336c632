"""Progress while a model reads its prompt: shown in the sources panel, never in the answer.

A local model on a CPU may take half a minute before its first token; the UI says what
is happening ("The language model is reading 3 passages…") instead of looking stuck.
"""

from __future__ import annotations

from conftest import SEED

from readout_qa import ReadoutQA
from readout_qa.answerers import Outcome, Progress, Sentence
from readout_qa.citations import CitationBuilder
from readout_qa.ui import handlers

QUESTION = "What fields did Li Keqiang highlight with Belgium?"


class SlowReader:
    """An answerer that reports progress, then quotes the first passage's first sentence."""

    name = "slow-reader"
    label = "slow reader"

    def stream(self, question, retrieval, history):
        passages = retrieval.passages
        yield Progress(f"The language model is reading {len(passages)} passages…")
        builder = CitationBuilder(passages)
        first = passages[0]
        end = first.start + first.text.index(".") + 1
        yield Sentence(builder.add_quote(first, first.start, end))
        yield Outcome(citations=builder.citations)


def test_progress_is_shown_before_the_answer_and_is_not_part_of_it(tmp_path):
    qa = ReadoutQA(data_dir=tmp_path / "data", answerer=SlowReader())
    assert qa.ingest([SEED]).ok
    views = list(handlers.ask(qa, QUESTION, "", "", [], [], None))
    reading = [i for i, v in enumerate(views) if "is reading" in str(v.sources)]
    texts = [i for i, v in enumerate(views) if "roq-cite" in str(v.chat[-1]["content"])]
    assert reading and texts and reading[0] < texts[0]  # progress first, then the text
    final = views[-1]
    assert "is reading" not in final.answer["text"]
    assert "is reading" not in str(final.sources)  # the final panel shows the sources
    assert final.answer["citations"]


def test_the_api_yields_progress_only_when_asked(tmp_path):
    """Callers that only read str deltas (the CLI, the evals) never see a Progress."""
    qa = ReadoutQA(data_dir=tmp_path / "data", answerer=SlowReader())
    assert qa.ingest([SEED]).ok
    plain = list(qa.stream(QUESTION))
    assert not any(isinstance(e, Progress) for e in plain)
    with_progress = list(qa.stream(QUESTION, progress=True))
    assert isinstance(with_progress[0], Progress)
