"""Shared fixtures: real corpora, real Chroma, the real local embedding model.

Indexes that several tests read are built once per session. The shared corpora
live beside the project (../shared/corpora); tests that need them skip cleanly when
the folder is absent. corpus/ holds the seed and a sample of ~300 of their readouts
(what ``make run`` shows): embedding it takes 11-24 s, so only ``sample_qa`` ingests it
and every other index holds the seed (``SEED``) or the few readouts a test needs.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "READOUT_QA_CHROMA_URL", "READOUT_QA_DATA_DIR"):
    os.environ.pop(var, None)  # tests choose their answerer and store explicitly

from fake_openai import fake_openai, fake_openai_env  # noqa: E402,F401  (fixtures)

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SEED = CORPUS / "000_29b7a47e08d55584.txt"
SHARED = ROOT.parent / "shared" / "corpora"
GOLD = ROOT / "evals" / "gold.jsonl"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that needs the subset index is slow, whether or not it says so."""
    for item in items:
        if {"subset_qa", "subset_dir"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


def shared_or_skip() -> Path:
    if not (SHARED / "whitehouse").is_dir():
        pytest.skip(f"shared corpora not found at {SHARED}")
    return SHARED


@pytest.fixture(scope="session")
def shared_corpora() -> Path:
    return shared_or_skip()


def eval_subset(shared: Path) -> list[Path]:
    """Gold sources plus every 8th readout as distractors: a small but realistic index."""
    from readout_qa.evals.gold import load_gold

    wanted = {s for item in load_gold(GOLD) for s in item.sources}
    files = sorted(shared.glob("*/*.md"))
    return [f for i, f in enumerate(files) if f.stem in wanted or i % 8 == 0]


@pytest.fixture(scope="session")
def seed_qa(tmp_path_factory):
    """An index of the seed readout alone: fast, always available."""
    from readout_qa import ReadoutQA

    qa = ReadoutQA(data_dir=tmp_path_factory.mktemp("seed-index"), answerer="extractive")
    report = qa.ingest([SEED])
    assert report.ok, report.failed
    return qa


@pytest.fixture(scope="session")
def sample_qa(tmp_path_factory):
    """corpus/ as ``make run`` ingests it (the seed and the sample, ~300 readouts): built once
    per session, 11-24 s on 2 cores. Only the tests of what the first run shows use it; every
    other test ingests the seed or the few readouts it needs."""
    from readout_qa import ReadoutQA

    qa = ReadoutQA(data_dir=tmp_path_factory.mktemp("sample-index"), answerer="extractive")
    report = qa.ingest([CORPUS])
    assert report.ok and not report.duplicates, (report.failed, report.duplicates)
    return qa


@pytest.fixture(scope="session")
def subset_dir(tmp_path_factory, shared_corpora) -> Path:
    """A folder of links to the eval subset (corpus/ + a slice of the shared corpora)."""
    folder = tmp_path_factory.mktemp("subset")
    for f in eval_subset(shared_corpora):
        (folder / f.name).symlink_to(f)
    shutil.copy(SEED, folder / SEED.name)
    return folder


@pytest.fixture(scope="session")
def subset_qa(tmp_path_factory, subset_dir):
    """The eval subset ingested once per session into embedded Chroma."""
    from readout_qa import ReadoutQA

    qa = ReadoutQA(data_dir=tmp_path_factory.mktemp("subset-index"), answerer="extractive")
    report = qa.ingest([subset_dir])
    assert report.ok, report.failed
    return qa
