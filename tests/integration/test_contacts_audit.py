"""The extraction audit over the whole shared corpora (no gold item involved): the classes of
fault it counts must not grow back, and its examples name real readouts.

Counts measured 2026-11-29 after the fixes of the audit (benchmarks/results/contacts_audit_after):
titled contacts with no row 92, foreign counterparts without a country 91, title words taken
for names 4; before them 134, 125 and 19. A small margin lets an unrelated rule move one or two.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from readout_qa.contacts.audit import AUDIT_CLASSES, audit
from readout_qa.loaders import load_paths

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "corpora"


@pytest.fixture(scope="module")
def report():
    if not SHARED.is_dir():
        pytest.skip(f"shared corpora not found at {SHARED}")
    readouts, errors = load_paths([SHARED], entities=False)
    assert not errors
    return audit(readouts)


def test_every_readout_is_audited_and_each_class_is_counted(report):
    assert report.readouts >= 1900
    assert set(report.counts) == set(AUDIT_CLASSES)
    assert report.contacts >= 1300  # the table holds the leaders' and officials' contacts


@pytest.mark.parametrize(
    ("kind", "most"),
    [
        ("titled_contact_no_row", 90),
        ("participant_no_country", 90),
        ("person_no_country", 30),
        ("title_as_name", 6),
        ("date_after_publication", 0),
        ("not_merged", 0),
    ],
)
def test_audit_classes_stay_at_most_what_the_fixes_left(report, kind, most):
    assert report.counts[kind] <= most, report.examples[kind][:10]


def test_examples_name_readouts_of_the_corpora(report):
    names = {p.stem for p in SHARED.rglob("*.md")}
    for kind in AUDIT_CLASSES:
        for example in report.examples[kind][:5]:
            if kind != "not_merged":
                assert example.split("#")[0].split(" ")[0] in names, example
