"""Follow-up questions made self-contained for search, with and without a model.

The completer is a plain stand-in class with ``complete()`` returning a canned reply (or raising
``LLMError``), so rewriting is tested without any HTTP.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from readout_qa.followups import (
    REWRITE_MAX_TOKENS,
    carry_over,
    needs_context,
    rewrite_query,
    search_query,
)
from readout_qa.llm_client import LLMError
from readout_qa.prompts import REFUSAL_SENTINEL

PROMPTS = Path(__file__).resolve().parents[2] / "prompts"
WOODSIDE = "What did Biden and Xi discuss at Woodside in November 2023?"
HISTORY = [
    {"role": "user", "content": WOODSIDE},
    {"role": "assistant", "content": "They discussed AI [1]."},
]


class CannedCompleter:
    """Stands in for ``ChatLLM.complete``: returns ``reply`` (or raises it), records calls."""

    def __init__(self, reply: str | Exception) -> None:
        self.reply = reply
        self.calls: list[tuple[list[dict], int | None]] = []

    def complete(self, messages: list[dict], *, max_tokens: int | None = None) -> str:
        self.calls.append((messages, max_tokens))
        if isinstance(self.reply, Exception):
            raise self.reply
        return self.reply


def user(text: str) -> dict:
    return {"role": "user", "content": text}


# ------------------------------------------------------------------------------ needs_context
@pytest.mark.parametrize(
    "question",
    [
        "What did they say about AI?",
        "Did Biden raise it?",  # a pronoun leans on the conversation even with a name
        "What about trade?",  # no person, no date
        "Which American universities were named?",  # a country alone is not enough
        "What did the two sides agree?",
        "And in Ottawa?",  # a capital stands for a country, not a person
    ],
)
def test_questions_that_lean_on_the_conversation(question):
    """Pronouns, or no person and no date: the question needs the earlier turns."""
    assert needs_context(question)


@pytest.mark.parametrize(
    "question",
    [
        "What did Biden say about AI?",
        "What was agreed in November 2023?",
        "What did Li Keqiang discuss with De Croo?",
    ],
)
def test_self_contained_questions(question):
    """A person or a date without pronouns makes a question searchable as written."""
    assert not needs_context(question)


# ------------------------------------------------------------------------------ carry_over
def test_carry_over_adds_names_and_dates_of_the_last_question():
    """ "What did they say about AI?" after the Woodside question searches for that meeting."""
    assert carry_over("What did they say about AI?", HISTORY) == (
        "What did they say about AI? (Biden; Xi; Woodside; November 2023)"
    )


def test_carry_over_leaves_a_self_contained_question_unchanged():
    """A new, complete question is searched as the user wrote it."""
    assert carry_over("What did Macron say about AI?", HISTORY) == "What did Macron say about AI?"


def test_carry_over_without_history_is_the_question():
    """A first question has nothing to carry."""
    assert carry_over("What did they say?", []) == "What did they say?"
    assert carry_over("What did they say?", None) == "What did they say?"


def test_carry_over_does_not_repeat_what_the_question_says():
    """Names already in the question are not appended again."""
    out = carry_over("What did Xi say about it?", HISTORY)
    assert out == "What did Xi say about it? (Biden; Woodside; November 2023)"


def test_carry_over_keeps_the_questions_own_date():
    """ "... in 2024?" asks about another time: the earlier date is not carried."""
    out = carry_over("What did they say about AI in 2024?", HISTORY)
    assert out == "What did they say about AI in 2024? (Biden; Xi; Woodside)"


def test_carry_over_uses_the_most_recent_turn_that_names_something():
    """ "What else?" names nothing, so the turn before it is the one referred to."""
    history = [user("What did Macron tell Scholz?"), user(WOODSIDE), user("What else?")]
    assert carry_over("And about Taiwan?", history) == (
        "And about Taiwan? (Biden; Xi; Woodside; November 2023)"
    )


def test_carry_over_does_not_mix_older_turns_in():
    """Only one earlier turn is carried: Macron and Scholz belong to another topic."""
    history = [user("What did Macron tell Scholz?"), user(WOODSIDE)]
    out = carry_over("What did they say about AI?", history)
    assert "Macron" not in out and "Biden" in out


def test_carry_over_looks_back_three_user_turns_at_most():
    """A name from long ago is not dragged into a new topic."""
    history = [user("What did Macron tell Scholz?"), user("ok"), user("hmm"), user("and?")]
    assert carry_over("What about trade?", history) == "What about trade?"


def test_carry_over_carries_countries():
    """Countries of the last question carry over like names."""
    history = [user("What did Belgium and China agree?")]
    assert carry_over("What about ports?", history) == "What about ports? (Belgium; China)"


def test_carry_over_reads_only_user_turns():
    """Names in an answer are the model's, not what the user asked about."""
    history = [user("What was agreed?"), {"role": "assistant", "content": "Biden met Xi [1]."}]
    assert carry_over("What about trade?", history) == "What about trade?"


# ------------------------------------------------------------------------------ rewrite_query
def test_rewrite_uses_the_models_query():
    """With history, the model's standalone query replaces the follow-up for search."""
    llm = CannedCompleter("Biden Xi Woodside November 2023 AI agreement")
    out = rewrite_query(llm, PROMPTS, "What did they say about AI?", HISTORY)
    assert out == "Biden Xi Woodside November 2023 AI agreement"
    [(messages, max_tokens)] = llm.calls
    assert max_tokens == REWRITE_MAX_TOKENS
    prompt = messages[0]["content"]
    assert "What did they say about AI?" in prompt and WOODSIDE in prompt
    assert "[1]" not in prompt  # old markers removed from the history shown


@pytest.mark.parametrize(
    "reply",
    [
        'Query: "Biden Xi AI"',
        "Standalone search query: Biden Xi AI",
        "\u201cBiden Xi AI\u201d",
        "`Biden Xi AI`",
        "\n\n  Biden Xi AI  \nbecause they met at Woodside",
    ],
)
def test_rewrite_cleans_labels_quotes_and_extra_lines(reply):
    """Models add "Query:", quotes or an explanation; the query is the first line, bare."""
    out = rewrite_query(CannedCompleter(reply), PROMPTS, "What about AI?", HISTORY)
    assert out == "Biden Xi AI"


@pytest.mark.parametrize("reply", ["", "   \n ", '""', REFUSAL_SENTINEL, "x" * 501])
def test_rewrite_falls_back_to_the_question_on_unusable_replies(reply):
    """Empty, refused or runaway replies are not search queries."""
    out = rewrite_query(CannedCompleter(reply), PROMPTS, "What about AI?", HISTORY)
    assert out == "What about AI?"


def test_rewrite_falls_back_when_the_model_fails():
    """A model error must not break asking: the question itself is searched."""
    llm = CannedCompleter(LLMError("timed out", kind="timeout"))
    assert rewrite_query(llm, PROMPTS, "What about AI?", HISTORY) == "What about AI?"
    assert len(llm.calls) == 1


def test_rewrite_without_history_does_not_call_the_model():
    """Nothing to resolve: no model call (latency, cost)."""
    llm = CannedCompleter("should not be used")
    assert rewrite_query(llm, PROMPTS, "What about AI?", []) == "What about AI?"
    history_of_only_this_question = [user("What about AI?")]
    assert rewrite_query(llm, PROMPTS, "What about AI?", history_of_only_this_question) == (
        "What about AI?"
    )
    assert llm.calls == []


# ------------------------------------------------------------------------------ search_query
def test_search_query_without_history_is_the_question():
    """A first question is searched as written; no model call."""
    llm = CannedCompleter("rewritten")
    assert search_query("What about AI?", [], llm, PROMPTS) == "What about AI?"
    assert llm.calls == []


def test_search_query_of_a_self_contained_question_skips_the_model():
    """A complete follow-up needs no rewriting."""
    llm = CannedCompleter("rewritten")
    assert search_query("What did Macron say?", HISTORY, llm, PROMPTS) == "What did Macron say?"
    assert llm.calls == []


def test_search_query_uses_a_self_contained_rewrite_as_is():
    """A rewrite that names who and when is searched unchanged."""
    llm = CannedCompleter("What did Biden and Xi say about AI in November 2023?")
    out = search_query("What did they say about AI?", HISTORY, llm, PROMPTS)
    assert out == "What did Biden and Xi say about AI in November 2023?"


def test_search_query_completes_a_rewrite_that_still_needs_context():
    """The carry-over fills what the model left out."""
    llm = CannedCompleter("AI agreement between them")
    out = search_query("What did they say about AI?", HISTORY, llm, PROMPTS)
    assert out == "AI agreement between them (Biden; Xi; Woodside; November 2023)"


def test_search_query_without_a_model_carries_over():
    """Offline, follow-ups are resolved deterministically."""
    out = search_query("What did they say about AI?", HISTORY)
    assert out == "What did they say about AI? (Biden; Xi; Woodside; November 2023)"


def test_search_query_falls_back_to_carry_over_when_the_model_fails():
    """A failed rewrite still gets the deterministic carry-over."""
    llm = CannedCompleter(LLMError("boom"))
    out = search_query("What did they say about AI?", HISTORY, llm, PROMPTS)
    assert out == "What did they say about AI? (Biden; Xi; Woodside; November 2023)"


def test_a_follow_up_of_a_follow_up_reaches_back_to_who_and_when():
    """ "What did they say about AI?" named no one: the question before it did."""
    history = [
        {"role": "user", "content": "What did Biden and Xi discuss at Woodside in November 2023?"},
        {"role": "user", "content": "What did they say about AI?"},
    ]
    query = carry_over("And did they agree anything about flights?", history)
    for word in ("AI", "Biden", "Xi", "Woodside", "November 2023"):
        assert word in query
