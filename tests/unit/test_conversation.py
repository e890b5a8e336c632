"""History messages as plain text: what follow-up resolution and the LLM prompt see."""

from __future__ import annotations

import pytest

from readout_qa.conversation import (
    MAX_HISTORY_CHARS,
    MAX_HISTORY_MESSAGES,
    content_text,
    normalize_history,
    prior_history,
    user_turns,
)


class Message:
    """A message object with attributes, as Gradio passes ChatMessage instances."""

    def __init__(self, role: str, content, metadata=None) -> None:
        self.role = role
        self.content = content
        self.metadata = metadata


def user(text):
    return {"role": "user", "content": text}


def bot(text):
    return {"role": "assistant", "content": text}


# ------------------------------------------------------------------------------ content_text
@pytest.mark.parametrize(
    ("content", "text"),
    [
        ("plain", "plain"),
        (None, ""),
        ({"type": "text", "text": "typed"}, "typed"),
        ({"text": "untyped"}, "untyped"),
        ({"type": "file", "path": "/tmp/x.pdf"}, ""),
        ({"type": "image_url", "image_url": {"url": "x"}}, ""),
        ({"type": "text", "text": 3}, ""),
        (["a", {"type": "text", "text": "b"}, {"type": "file"}], "a\nb"),
        ([["nested"], ("tuple",)], "nested\ntuple"),
        ([], ""),
        (42, ""),
    ],
)
def test_content_text_of_every_shape(content, text):
    """Strings, part lists and dicts give their text; files, images and others give ""."""
    assert content_text(content) == text


# ------------------------------------------------------------------------------ user_turns
def test_user_turns_are_the_users_questions_oldest_first():
    """Follow-ups look only at what the user asked, not at the answers."""
    history = [user("Q1"), bot("A1"), {"role": "system", "content": "S"}, user("Q2")]
    assert user_turns(history) == ["Q1", "Q2"]


def test_user_turns_read_message_objects():
    """Gradio message objects work like dicts."""
    assert user_turns([Message("user", "Q1"), Message("assistant", "A1")]) == ["Q1"]


def test_user_turns_of_no_history():
    """None and [] are both no history."""
    assert user_turns(None) == [] and user_turns([]) == []


# ------------------------------------------------------------------------------ normalize_history
def test_normalize_drops_system_messages_and_unknown_roles():
    """Only user and assistant turns are conversation."""
    history = [{"role": "system", "content": "S"}, {"role": "tool", "content": "T"}, user("Q")]
    assert normalize_history(history) == [user("Q")]


def test_normalize_drops_thought_bubbles():
    """Gradio "thought" messages (metadata with a title) are UI, not conversation."""
    history = [user("Q"), Message("assistant", "thinking...", {"title": "Retrieval"}), bot("A")]
    assert normalize_history(history) == [user("Q"), bot("A")]


def test_normalize_keeps_messages_with_empty_metadata():
    """Metadata without a title is an ordinary message."""
    assert normalize_history([Message("assistant", "A", {})]) == [bot("A")]


def test_normalize_strips_markers_from_answers_only():
    """Old answers' [n] referred to other passages; a user's brackets are theirs."""
    history = [user("What is [1]?"), bot("They met [1]. They talked [2, 3].")]
    assert normalize_history(history) == [user("What is [1]?"), bot("They met. They talked.")]


def test_normalize_drops_empty_and_file_only_turns():
    """A turn with nothing to read (a file upload, blank text) is left out."""
    history = [user({"type": "file", "path": "x.pdf"}), user("   "), bot("[1]"), user("Q")]
    assert normalize_history(history) == [user("Q")]


def test_normalize_strips_whitespace():
    """Messages are compared and shown without surrounding blanks."""
    assert normalize_history([user("  Q  ")]) == [user("Q")]


def test_normalize_cuts_long_messages():
    """A long answer is cut so history never crowds out the passages."""
    [turn] = normalize_history([bot("x" * (MAX_HISTORY_CHARS + 100))])
    assert turn["content"] == "x" * MAX_HISTORY_CHARS + " ..."


def test_normalize_keeps_the_last_messages():
    """Only the most recent messages are kept, newest last."""
    history = [user(f"Q{i}") for i in range(10)]
    assert [t["content"] for t in normalize_history(history)] == [
        f"Q{i}" for i in range(10 - MAX_HISTORY_MESSAGES, 10)
    ]
    assert [t["content"] for t in normalize_history(history, limit=2)] == ["Q8", "Q9"]


def test_normalize_with_no_limit_gives_nothing():
    """limit=0 means no history at all (not "everything")."""
    assert normalize_history([user("Q")], limit=0) == []


# ------------------------------------------------------------------------------ prior_history
def test_prior_history_drops_the_current_question_if_already_appended():
    """Callers (Gradio) may append the question before asking; it must not appear twice."""
    history = [user("Q1"), bot("A1"), user("Q2 ")]
    assert prior_history(" Q2", history) == [user("Q1"), bot("A1")]


def test_prior_history_keeps_a_different_last_question():
    """Only an exact repeat of the current question is removed."""
    history = [user("Q1"), bot("A1"), user("Q2")]
    assert prior_history("Q3", history) == history


def test_prior_history_still_holds_max_messages_after_dropping_the_question():
    """Dropping the appended question does not cost an earlier turn."""
    history = [user(f"Q{i}") for i in range(10)] + [user("now")]
    turns = prior_history("now", history)
    assert len(turns) == MAX_HISTORY_MESSAGES
    assert turns[-1] == user("Q9")


def test_prior_history_of_no_history_is_empty():
    """A first question has no history."""
    assert prior_history("Q", None) == []


def test_prior_history_drops_a_long_appended_question():
    """A question longer than MAX_HISTORY_CHARS, appended by the caller, is still dropped."""
    question = "What did they say about " + "trade " * 400
    history = [user("Q1"), bot("A1"), user(question)]
    assert prior_history(question, history) == [user("Q1"), bot("A1")]
