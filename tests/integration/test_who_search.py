"""Readouts found by who the question names, though its words are not theirs (issue 11):
"Bangui's leader" is the Central African Republic's president, a readout that never says
"Bangui". Among many readouts that share the question's words, neither BM25 nor the dense
search ranks it in their candidates; the search by meaning among the readouts about the
question's countries in its period does."""

from __future__ import annotations

import pytest
from sample_readouts import write_readout

from readout_qa import ReadoutQA

TARGET = "car-call"
QUESTION = (
    "Which national holiday did the Kremlin chief greet Bangui's leader on in late November 2021?"
)


@pytest.fixture(scope="module")
def crowded(tmp_path_factory):
    """One call with the Central African Republic's president, and 60 readouts of the same
    month about national holidays and greetings with nobody from that country."""
    folder = tmp_path_factory.mktemp("who-corpus")
    write_readout(
        folder,
        TARGET,
        "Telephone conversation with President of Central African Republic Faustin-Archange"
        " Touadera",
        "Vladimir Putin had a telephone conversation with President of the Central African"
        " Republic Faustin-Archange Touadera. The President of Russia congratulated President"
        " Touadera on Republic Day celebrated on December 1.",
        date="2021-11-29",
    )
    for i in range(60):
        write_readout(
            folder,
            f"holiday-{i:02d}",
            f"Greetings on a national holiday, message {i}",
            f"The Kremlin chief sent greetings on the national holiday to the leader of region"
            f" {i} in late November. The leader greeted residents on the holiday; message {i}.",
            date=f"2021-11-{1 + i % 28:02d}",
        )
    data_dir = tmp_path_factory.mktemp("who-index")
    assert ReadoutQA(data_dir=data_dir, answerer="extractive").ingest([folder]).ok
    return data_dir


def _rank(data_dir, who_weight: float) -> int | None:
    qa = ReadoutQA(data_dir=data_dir, answerer="extractive", retrieval={"who_weight": who_weight})
    docs = qa.retrieve(QUESTION).doc_ids
    return docs.index(TARGET) if TARGET in docs else None


def test_the_readout_about_the_named_capitals_country_is_found(crowded):
    assert _rank(crowded, 0.0) is None  # the words of 60 other readouts crowd it out
    assert _rank(crowded, 0.5) == 0  # its country's tag, its title's country: first
