"""The example questions of the Ask tab: one of each thing readout-qa does, over ``corpus/``.

Each example fills the question box and the filters (clearing filters it does not use); its
label says what it shows, in a few words because Gradio cuts labels at about 60 characters:
a fact with its cited sentence, a follow-up to it, the same kind of question limited by the
Publishers filter, a count and a timeline answered from the contacts table, a refusal, and
the seed readout's question. They are answered from the sample in ``corpus/`` as the labels
promise (``tests/integration/test_examples.py`` asks each over an index of ``corpus/`` alone).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["EXAMPLES", "Example", "example_labels", "example_rows"]


@dataclass(frozen=True)
class Example:
    """A question with the filters it is asked under and what it shows."""

    shows: str
    question: str
    since: str = ""
    until: str = ""
    countries: tuple[str, ...] = ()
    publishers: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.shows}: {self.question}"

    def row(self) -> list[object]:
        """The values for (question, since, until, countries, publishers)."""
        return [self.question, self.since, self.until, list(self.countries), list(self.publishers)]


EXAMPLES: list[Example] = [
    Example("Fact", "What did Biden and Xi agree on AI at Woodside?"),
    Example("Its follow-up", "And on fentanyl?"),
    Example(
        "Filtered (White House)",
        "What was said about grain exports?",
        publishers=("The White House",),
    ),
    Example("Count", "How many times did Biden and Xi speak in 2022?"),
    Example("Timeline", "When did Putin and Macron speak in February 2022?"),
    Example("Refusal", "What did Biden and Putin agree about Mars?"),
    Example("Seed", "What fields did Li Keqiang highlight with Belgium?"),
]


def example_rows() -> list[list[object]]:
    return [e.row() for e in EXAMPLES]


def example_labels() -> list[str]:
    return [e.label for e in EXAMPLES]
