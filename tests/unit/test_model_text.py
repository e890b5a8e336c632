"""What models really write, through the LLM answerer's checks.

Each case is text a real model wrote (or the shape of it: SmolLM2, Qwen, DeepSeek-R1
and GPT models were seen writing these) for two numbered passages. It is streamed word
by word, as a server sends it, and in one piece: the released sentences must be the
same both ways (numbers never change while streaming), each must end with its
citation, and nothing unsupported, no chatter and no thinking may come out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from builders import make_passage, make_retrieval, split_events

from readout_qa.answerers import Progress
from readout_qa.answerers.llm import LLMAnswerer, _Declined, checked_sentences
from readout_qa.answerers.model_text import ModelTextReport, visible_text
from readout_qa.citations import CitationBuilder
from readout_qa.llm_client import LLMError
from readout_qa.markers import RENDERED, normalise_markers, parse_markers
from readout_qa.prompts import REFUSAL_SENTINEL

PROMPTS = Path(__file__).resolve().parents[2] / "prompts"
FIELDS = make_passage(
    "f",
    "The two sides agreed to deepen cooperation in biomedicine, microelectronics and "
    "modern agriculture. Both leaders welcomed the new direct flights.",
)
TAIWAN = make_passage("tw", "They discussed Taiwan and fentanyl in 2023.", title="Biden-Xi call")
PASSAGES = [FIELDS, TAIWAN]


def words(text: str) -> list[str]:
    """Deltas as a server streams them: a word and the space after it each."""
    return re.findall(r"\S+\s*|\s+", text)


def run(deltas: list[str]) -> tuple[list[str], str, CitationBuilder, ModelTextReport]:
    builder, report = CitationBuilder(PASSAGES), ModelTextReport()
    out: list[str] = []
    try:
        for sentence in checked_sentences(iter(deltas), builder, report):
            out.append(sentence)
        end = "answered"
    except _Declined:
        end = "declined"
    except LLMError as exc:
        end = f"error: {exc}"
    return out, end, builder, report


# (id, model text, released sentences, how it ends)
CASES = [
    (
        "marker-before-a-fragment",
        "[1] Biomedicine, microelectronics, modern agriculture",
        ["Biomedicine, microelectronics, modern agriculture. [1]"],
        "answered",
    ),
    (
        "markers-before-each-sentence",
        "[1] The two sides agreed to deepen cooperation in biomedicine. [2] They discussed "
        "Taiwan and fentanyl.",
        [
            "The two sides agreed to deepen cooperation in biomedicine. [1]",
            "They discussed Taiwan and fentanyl. [2]",
        ],
        "answered",
    ),
    (
        "markers-after-the-full-stop",
        "Both leaders welcomed the new direct flights. [1] They discussed Taiwan. [2]",
        ["Both leaders welcomed the new direct flights. [1]", "They discussed Taiwan. [2]"],
        "answered",
    ),
    (
        "list-of-markers",
        "They discussed Taiwan and fentanyl in 2023 [1, 2].",
        ["They discussed Taiwan and fentanyl in 2023. [1]"],
        "answered",
    ),
    (
        "adjacent-markers",
        "They discussed Taiwan and fentanyl in 2023 [1][2].",
        ["They discussed Taiwan and fentanyl in 2023. [1]"],
        "answered",
    ),
    (
        "parenthesised-marker",
        "Both leaders welcomed the new direct flights (1).",
        ["Both leaders welcomed the new direct flights. [1]"],
        "answered",
    ),
    (
        "named-passage-marker",
        "They discussed Taiwan and fentanyl [Passage 2].",
        ["They discussed Taiwan and fentanyl. [1]"],
        "answered",
    ),
    (
        "lenticular-marker",
        "They discussed Taiwan and fentanyl 【2】.",
        ["They discussed Taiwan and fentanyl. [1]"],
        "answered",
    ),
    (
        "bullet-list-after-chatter",
        "Sure! Here are the fields:\n- Biomedicine [1]\n- Microelectronics [1]\n"
        "- Modern agriculture [1]",
        ["Biomedicine. [1]", "Microelectronics. [1]", "Modern agriculture. [1]"],
        "answered",
    ),
    (
        "numbered-list-in-bold",
        "1. **Biomedicine** (1)\n2. **Taiwan and fentanyl** [Passage 2]",
        ["Biomedicine. [1]", "Taiwan and fentanyl. [2]"],
        "answered",
    ),
    (
        "bold-sentence",
        "**Both leaders welcomed the new direct flights** [1].",
        ["Both leaders welcomed the new direct flights. [1]"],
        "answered",
    ),
    (
        "fragment-quoting-a-phrase",
        '"deepen cooperation in biomedicine" [1]',
        ['"deepen cooperation in biomedicine". [1]'],
        "answered",
    ),
    (
        "fragment-not-in-the-passage",
        "Quantum computing and space exploration [1]",
        [],
        "answered",
    ),
    (
        "preamble-and-closing-chatter",
        "Based on the passages, the two sides agreed to deepen cooperation in biomedicine [1]. "
        "I hope this helps!",
        ["The two sides agreed to deepen cooperation in biomedicine. [1]"],
        "answered",
    ),
    (
        "think-block",
        "<think>The passages mention flights. Maybe NOT_IN_READOUTS? The moon is cheese "
        "[1].</think>Both leaders welcomed the new direct flights [1].",
        ["Both leaders welcomed the new direct flights. [1]"],
        "answered",
    ),
    (
        "refusal-after-a-partial-answer",
        f"They discussed Taiwan and fentanyl [2]. {REFUSAL_SENTINEL} for the trade figures.",
        ["They discussed Taiwan and fentanyl. [1]"],
        "declined",
    ),
    (
        "uncited-sentence-cited-to-its-support",
        "Both leaders welcomed the new direct flights. They discussed Taiwan and fentanyl.",
        [
            "Both leaders welcomed the new direct flights. [1]",
            "They discussed Taiwan and fentanyl. [2]",
        ],
        "answered",
    ),
    ("uncited-and-unsupported", "The moon is made of cheese.", [], "answered"),
    (
        "a-model-repeating-itself",
        "1. Biomedicine [1]\n2. Microelectronics [1]\n3. Biomedicine [1]\n4. Biomedicine\n5",
        ["Biomedicine. [1]", "Microelectronics. [1]"],
        "answered",
    ),
    ("refusal-alone", f"**{REFUSAL_SENTINEL}**", [], "declined"),
    ("bare-marker", "[2]", [], "error: the model only cited [2] without writing an answer"),
]


@pytest.mark.parametrize(
    ("text", "released", "end"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_model_text_is_released_as_checked_cited_sentences(text, released, end):
    """Streamed word by word or whole, the same checked sentences come out."""
    streamed, streamed_end, builder, _ = run(words(text))
    whole, whole_end, _, _ = run([text])
    assert streamed == released
    assert whole == streamed  # numbers (and sentences) do not depend on how text arrives
    assert streamed_end == whole_end == end
    for sentence in streamed:
        assert RENDERED.search(sentence), sentence  # every released sentence is cited
        assert "<think>" not in sentence and "**" not in sentence


def test_an_unsupported_fragment_is_removed_not_released():
    """A fragment the cited passage does not hold is listed as unsupported."""
    _, _, builder, _ = run(words("Quantum computing and space exploration [1]"))
    assert builder.unsupported == ["Quantum computing and space exploration."]


def test_chatter_is_dropped_without_counting_as_unsupported():
    """ "Sure!" is not a claim the checks removed; it is not a claim at all."""
    _, _, builder, report = run(words("Sure! Both leaders welcomed the new direct flights [1]."))
    assert builder.unsupported == []
    assert report.chatter == ["Sure!"]


def test_a_think_block_never_reaches_the_stream_even_split_across_deltas():
    """The tag and the thoughts may arrive in any pieces; none is shown."""
    text = (
        "<think>They discussed Taiwan and fentanyl [2]. </think>"
        "Both leaders welcomed the new direct flights [1]."
    )
    deltas = [text[i : i + 3] for i in range(0, len(text), 3)]
    out, end, _, _ = run(deltas)
    assert out == ["Both leaders welcomed the new direct flights. [1]"]
    assert end == "answered"


def test_an_unclosed_think_block_hides_everything_after_it():
    """A model cut off while thinking has written no answer."""
    assert visible_text("Intro. <think>still thinking [1]", final=True) == "Intro. "
    assert visible_text("Intro. <thi", final=False) == "Intro. "


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("A [Passage 1].", [1]),
        ("A (passages 1 and 2).", [1, 2]),
        ("A [Source 3].", [3]),
        ("A 【1】.", [1]),
        ("A 【3†source】.", [3]),
        ("A (1).", [1]),
        ("A (2, 3).", [2, 3]),
        ("In (2023) they met.", []),
        ("A (100) B.", []),
    ],
)
def test_normalise_markers_reads_the_forms_models_write(text, numbers):
    """Each form cites the passages it names; a parenthesised year or figure is text."""
    assert parse_markers(normalise_markers(text)) == numbers


def test_a_lead_in_line_to_a_list_is_not_a_claim():
    """ "The fields are:" introduces the items; it states nothing to check."""
    _, _, builder, report = run(words("The fields are:\n- Biomedicine [1]"))
    assert report.chatter == ["The fields are:"] and builder.unsupported == []


class ScriptedChat:
    name = "stub"

    def __init__(self, text: str) -> None:
        self.text = text
        self.messages: list[list[dict]] = []

    def stream(self, messages: list[dict]) -> Iterator[str]:
        self.messages.append(messages)
        yield from words(self.text)


def ask(text: str, **kw):
    answerer = LLMAnswerer(ScriptedChat(text), prompts_dir=PROMPTS, **kw)
    question = "Which fields did they agree on?"
    events = list(answerer.stream(question, make_retrieval(question, PASSAGES), ()))
    return events, *split_events(events)


def test_a_partial_refusal_keeps_the_supported_part_and_says_what_is_missing():
    """The sentinel after an answer is not a refusal of the whole question."""
    _, sentences, outcome = ask(f"They discussed Taiwan and fentanyl [2]. {REFUSAL_SENTINEL}")
    assert sentences == ["They discussed Taiwan and fentanyl. [1]"]
    assert not outcome.declined and not outcome.failed
    assert any("part of the question" in n for n in outcome.notices)


def test_a_bare_marker_falls_back_with_a_notice():
    """ "[3]" alone says which passage, not what of it answers: the extractive answerer
    chooses, and the user is told why."""
    _, sentences, outcome = ask("[2]")
    assert sentences == [] and outcome.failed
    assert any("only cited [2]" in n for n in outcome.notices)


def test_progress_comes_before_the_first_sentence():
    """The user sees that the model is reading, and how much, before it writes."""
    events, sentences, _ = ask("Both leaders welcomed the new direct flights [1].")
    assert isinstance(events[0], Progress) and "2 passages" in events[0].text
    assert sentences


def test_the_prompt_is_trimmed_to_the_cap_and_the_notice_says_how_many_were_kept():
    """A small context keeps the best passages only; citations refer to those shown."""
    chat = ScriptedChat("Both leaders welcomed the new direct flights [1].")
    answerer = LLMAnswerer(chat, prompts_dir=PROMPTS, max_prompt_tokens=1)
    q = "Which fields?"
    _, outcome = split_events(list(answerer.stream(q, make_retrieval(q, PASSAGES), ())))
    shown = chat.messages[0][-1]["content"]
    assert "[1] (" in shown and "[2] (" not in shown
    assert any("best 1 of 2 passages" in n for n in outcome.notices)
