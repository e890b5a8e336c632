"""Citation markers: what a model may write ("[2, 3]", "[1-3]") and what the product renders."""

from __future__ import annotations

import pytest

from readout_qa.markers import link_markers, parse_markers, strip_markers


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("Trade rose [1].", [1]),
        ("Trade rose [2, 3].", [2, 3]),
        ("Trade rose [1-3].", [1, 2, 3]),
        ("Trade rose [1\u20133].", [1, 2, 3]),  # en dash, as models often write it
        ("Trade rose [1; 2].", [1, 2]),
        ("Trade rose [ 4 ].", [4]),
        ("Trade rose [1 - 2, 5].", [1, 2, 5]),
        ("Trade rose [2-2].", [2]),
        ("A [2]. B [1][3].", [2, 1, 3]),
    ],
)
def test_parse_markers_reads_every_form_models_write(text, numbers):
    """Lists, ranges and separators all cite the passages they name, in order."""
    assert parse_markers(text) == numbers


def test_parse_markers_keeps_repeats_for_the_caller_to_dedupe():
    """ "[1, 1]" is parsed as written; the citation builder dedupes."""
    assert parse_markers("x [1, 1]") == [1, 1]


@pytest.mark.parametrize("text", ["x [1-999]", "x [3-1]", "x [1-22]"])
def test_absurd_or_reversed_ranges_cite_nothing(text):
    """ "[1-999]" is not a citation of 999 passages; a reversed range is nonsense."""
    assert parse_markers(text) == []


def test_a_range_of_twenty_one_is_the_largest_accepted():
    """The range cap is a span of 20 (21 numbers)."""
    assert parse_markers("x [1-21]") == list(range(1, 22))


@pytest.mark.parametrize("text", ["in [2023] they met", "see [a]", "no markers", "[]", "[1234]"])
def test_non_markers_are_not_parsed(text):
    """Bracketed years, letters and four-digit numbers are not passage numbers."""
    assert parse_markers(text) == []


def test_strip_markers_removes_markers_and_the_space_before():
    """ "Trade rose [1]." reads "Trade rose." once its marker is gone."""
    assert strip_markers("Trade rose [1]. Talks [2, 3] ended [1-2].") == "Trade rose. Talks ended."


def test_strip_markers_strips_the_ends():
    """A text made only of markers is empty after stripping."""
    assert strip_markers("  [1] [2] ") == ""


def test_strip_markers_with_a_replacement():
    """The evals replace markers by a space before matching facts."""
    assert strip_markers("a[1]b", replacement=" ") == "a b"


def test_strip_markers_leaves_bracketed_years():
    """ "[2023]" in a history message is not a marker."""
    assert strip_markers("the [2023] talks") == "the [2023] talks"


def test_link_markers_replaces_rendered_markers():
    """The UI turns each rendered [n] into a link to citation n."""
    out = link_markers("A [1]. B [2].", lambda n: f"<a href='#c{n}'>{n}</a>")
    assert out == "A <a href='#c1'>1</a>. B <a href='#c2'>2</a>."


def test_link_markers_keeps_a_marker_when_link_returns_none():
    """A number with no citation stays as written rather than vanishing."""
    assert link_markers("A [1]. B [9].", lambda n: "L" if n == 1 else None) == "A L. B [9]."


def test_link_markers_ignores_unrendered_forms():
    """Only the product's own "[n]" form is linked: "[2, 3]" never reaches the UI."""
    assert link_markers("A [2, 3].", lambda n: "L") == "A [2, 3]."
