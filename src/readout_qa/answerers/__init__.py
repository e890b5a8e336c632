"""Answerers: what turns retrieved passages into checked, cited sentences.

Every answerer is a component with its settings in ``__init__`` and one method,
``stream(question, retrieval, history)``, yielding events: checked sentences as they
are ready, then exactly one :class:`Outcome`. ``ReadoutQA`` runs a chain of them (the
configured one, then the extractive one should it fail) without knowing which is
which, so a new answerer (a local model, a combination) plugs in by implementing
this small interface.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..models import Citation, Contact
from ..retrieval import Retrieval


@dataclass
class Sentence:
    """One answer sentence, already checked, with its final citation markers."""

    text: str


@dataclass
class Progress:
    """What an answerer is doing before its first sentence ("reading 12 passages…"):
    a local model may take half a minute to read its prompt, and a silent wait looks
    like a hang. Shown while the answer streams; never part of the answer."""

    text: str


@dataclass
class Outcome:
    """How an answerer finished: the last event of every stream.

    ``declined``: the answerer found no answer in the passages (the question is refused).
    ``failed``: it could not answer at all (a model error, nothing supported), so the
    next answerer of the chain should try; ``notices`` say why, for the user.
    """

    citations: list[Citation] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    declined: str = ""
    failed: bool = False
    # The contacts an answer over the contacts table lists, in the order of its lines.
    contacts: list[Contact] = field(default_factory=list)


Event = Sentence | Progress | Outcome


class Answerer(Protocol):
    """The interface every answerer implements."""

    #: Shown to users and recorded in ``Answer.answerer`` ("extractive", "llm:gpt-4.1-mini").
    name: str
    #: How a notice refers to it ("the language model").
    label: str

    def stream(
        self, question: str, retrieval: Retrieval, history: Sequence[Any]
    ) -> Iterator[Event]:
        """Checked sentences as they are ready, then one :class:`Outcome`."""
        ...


__all__ = ["Answerer", "Event", "Outcome", "Progress", "Sentence"]
