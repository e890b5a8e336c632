"""Chunks and sentences keep exact offsets into the readout body."""

from __future__ import annotations

import re

from conftest import SEED

from readout_qa.chunking import chunk_readout, content_hash, embedding_text, split_sentences
from readout_qa.loaders import load_file, load_paths
from readout_qa.models import Readout


def _check(readout: Readout, chunk_size: int) -> int:
    chunks = chunk_readout(readout, chunk_size)
    body = readout.text
    previous_end = 0
    for c in chunks:
        assert body[c.start : c.end] == c.text
        assert c.start >= previous_end, "chunks must not overlap"
        assert body[previous_end : c.start].strip() == "", "no body text may fall between chunks"
        previous_end = c.end
        for s, e in split_sentences(c.text, c.start):
            assert body[s:e] == body[s:e].strip() and body[s:e]
    assert body[previous_end:].strip() == ""
    return len(chunks)


def test_seed_chunks_are_exact_and_carry_metadata():
    readout = load_file(SEED)[0]
    chunks = chunk_readout(readout, 160)
    assert len(chunks) >= 2
    assert _check(readout, 160) == len(chunks)
    assert {c.metadata["date"] for c in chunks} == {"2021-12-08"}
    assert all(c.metadata["date_int"] == 20211208 for c in chunks)
    assert [c.chunk_id for c in chunks] == [c.chunk_id for c in chunk_readout(readout, 160)]
    assert chunks[0].chunk_id == "000_29b7a47e08d55584::0000"
    assert any("biomedicine" in c.text for c in chunks)
    assert embedding_text(chunks[1]).startswith(readout.title)


def test_offsets_exact_over_the_whole_shared_corpus(shared_corpora):
    readouts, errors = load_paths([shared_corpora / "whitehouse", shared_corpora / "kremlin"])
    assert not errors
    total = sum(_check(r, 160) for r in readouts)
    assert total > len(readouts)


def test_sentences_of_a_chunk_do_not_cross_it():
    body = "First sentence here. Second one follows!\n\nA heading\n\nThird sentence? Yes."
    spans = split_sentences(body)
    texts = [body[s:e] for s, e in spans]
    assert texts[0] == "First sentence here."
    assert "A heading" in texts
    assert texts[-1] == "Yes." or texts[-1].endswith("Yes.")


def test_content_hash_changes_with_body_and_metadata():
    a = Readout("d", "T", "2021-01-01", "", "P", "Body text.")
    b = Readout("d", "T", "2021-01-01", "", "P", "Body text!")
    c = Readout("d", "T2", "2021-01-01", "", "P", "Body text.")
    assert content_hash(a) != content_hash(b) != content_hash(c)
    assert content_hash(a) == content_hash(Readout("d", "T", "2021-01-01", "", "P", "Body text."))


_TITLE_OR_INITIAL = re.compile(
    r"(?:^|\s)(?:Mr|Mrs|Ms|Dr|St|Gen|Lt|Col|Sen|Rep|Gov|Jr|Sr)\.$|(?:^|\s)[A-Z]\.$"
)


def test_no_sentence_ends_at_a_title_an_initial_or_us_before_a_name(shared_corpora):
    """Punkt stops at "Jr.", "R." or "U.S."; each such stop would become its own citation."""
    from readout_qa.entities import find_leaders

    bad: list[str] = []
    for path in sorted(shared_corpora.glob("*/*.md")):
        body = load_file(path)[0].text
        spans = split_sentences(body)
        names: set[str] | None = None
        for (s, e), (ns, _ne) in zip(spans, spans[1:], strict=False):
            sentence, following = body[s:e], body[ns : ns + 40].split()
            if not following or not following[0][:1].isupper():
                continue
            if _TITLE_OR_INITIAL.search(sentence) and "\n\n" not in body[e:ns]:
                bad.append(f"{path.name}: {sentence[-40:]!r} | {following[0]}")
            elif sentence.endswith("U.S."):
                if names is None:
                    names = {t for n in find_leaders(body) for t in n.split()}
                if following[0].strip(",.;:") in names:
                    bad.append(f"{path.name}: {sentence[-40:]!r} | {following[0]}")
    assert not bad, "\n".join(bad[:20])
