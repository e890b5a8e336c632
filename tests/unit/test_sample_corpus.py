"""corpus/: the seed plus a sample of real readouts, chosen by scripts/build_sample.py.

Checked without embedding anything: the sample is what the script chooses (when the shared
corpora are present), small, spread over publishers and years, and attributed; its
README.md is documentation, not a readout.
"""

from __future__ import annotations

import importlib.util
from collections import Counter
from pathlib import Path

import pytest

from readout_qa.loaders import load_paths

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "corpus"
SEED = CORPUS / "000_29b7a47e08d55584.txt"
SHARED = REPO.parent / "shared" / "corpora"
KREMLIN = "President of Russia (kremlin.ru)"


def _script():
    spec = importlib.util.spec_from_file_location("build_sample", REPO / "scripts/build_sample.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def sample():
    readouts, errors = load_paths([CORPUS], entities=False)
    assert not errors
    return readouts


def test_corpus_is_the_scripts_selection():
    if not (SHARED / "whitehouse").is_dir():
        pytest.skip(f"shared corpora not found at {SHARED}")
    assert _script().check(SHARED, CORPUS) == []


def test_the_selection_is_deterministic():
    if not (SHARED / "whitehouse").is_dir():
        pytest.skip(f"shared corpora not found at {SHARED}")
    script = _script()
    assert script.select(SHARED) == script.select(SHARED)


def test_sample_size_spread_and_sources(sample):
    files = [p for p in CORPUS.iterdir() if p.is_file()]
    assert sum(p.stat().st_size for p in files) < 3_000_000
    assert SEED.stem in {r.doc_id for r in sample}
    assert 200 <= len(sample) <= 320 and len(sample) == len(files) - 1  # all but README.md
    by_publisher = Counter(r.publisher for r in sample)
    assert by_publisher["The White House"] >= 150 and by_publisher[KREMLIN] >= 50
    years = {r.date[:4] for r in sample if r.date}
    assert {"2021", "2022", "2023", "2024", "2025"} <= years
    for r in sample:
        if r.publisher == KREMLIN:
            assert r.source.startswith("http://en.kremlin.ru/"), r.doc_id
        elif r.publisher == "The White House":
            assert "whitehouse" in r.source, r.doc_id


def test_readme_attributes_each_publisher_and_is_not_ingested(sample):
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    assert "President of Russia, en.kremlin.ru" in readme
    assert "Creative Commons Attribution 4.0" in readme and "public domain" in readme
    assert "README" not in {r.doc_id for r in sample}
