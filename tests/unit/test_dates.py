"""Dates read out of questions and readouts (readout_qa.dates).

The period tests moved here from test_entities.py when ``entities.find_dates`` became
``dates.find_periods`` (same output).
"""

from __future__ import annotations

import datetime as dt
import time

import pytest

from readout_qa.dates import MONTHS, find_days, find_periods, month_number, parse_date

# --- periods (year, month or None) --------------------------------------------------------


def test_find_periods_month_year() -> None:
    assert find_periods("What did Biden and Xi agree in November 2023?") == [(2023, 11)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("calls in Nov. 2023", [(2023, 11)]),
        ("on December 7, 2021", [(2021, 12)]),
        ("on 7 December 2021", [(2021, 12)]),
        ("on 2021-12-08", [(2021, 12)]),
        ("in 2021", [(2021, None)]),
        ("between 2021 and 2022", [(2021, None), (2022, None)]),
        ("last December", []),
        ("in March", []),
        ("the 50th anniversary and COVID-19", []),
        ("in march 2022 and again in March 2022", [(2022, 3)]),
    ],
)
def test_find_periods_forms(text: str, expected: list[tuple[int, int | None]]) -> None:
    assert find_periods(text) == expected


# --- exact days ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("on 3 December 2021 they met", [20211203]),
        ("on December 3, 2021", [20211203]),
        ("on Dec. 3, 2021", [20211203]),
        ("on Friday, December 3, 2021", [20211203]),
        ("on the 3rd of December 2021", [20211203]),
        ("on 2021-12-03", [20211203]),
        ("2021-12-03 and again December 3, 2021", [20211203]),
        ("3 December 2021, then 2022-01-05", [20211203, 20220105]),
        ("Mayor 3, 2021", []),  # "Mayor" is no month
        ("in December 2021", []),  # a month is not a day
        ("on February 30, 2021", []),  # no such day
        ("COVID-19 in 2021", []),
    ],
)
def test_find_days(text: str, expected: list[int]) -> None:
    assert find_days(text) == expected


def test_mayor_is_not_may() -> None:
    assert find_days("Mayor 3, 2021") == []
    assert find_days("May 3, 2021") == [20210503]


# --- parsing date values ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2021-12-08", "2021-12-08"),
        ("2021-12-08T10:00:00Z", "2021-12-08"),
        ("December 8, 2021", "2021-12-08"),
        ("8 December 2021", "2021-12-08"),
        ("Wednesday, December 8, 2021", "2021-12-08"),
        ("Dec. 8, 2021", "2021-12-08"),
        (" 2021-1-5 ", "2021-01-05"),
        (dt.date(2021, 12, 8), "2021-12-08"),
        (dt.datetime(2021, 12, 8, 10, 30), "2021-12-08"),
    ],
)
def test_parse_date(value: object, iso: str) -> None:
    assert parse_date(value) == iso


@pytest.mark.parametrize("bad", ["", "soon", "2021-13-01", "2021-02-30", "December 2021", "12/08"])
def test_parse_date_rejects(bad: str) -> None:
    with pytest.raises(ValueError, match="not a valid date"):
        parse_date(bad)


def test_month_number() -> None:
    assert [month_number(m) for m in MONTHS] == list(range(1, 13))
    assert month_number("Sept.") == 9
    assert month_number("dec") == 12
    assert month_number("Mayor") is None


def test_query_time_functions_are_fast() -> None:
    question = "What did Biden and Xi agree on December 3, 2021 and in November 2023?"
    t0 = time.perf_counter()
    for _ in range(200):
        find_periods(question)
        find_days(question)
    assert (time.perf_counter() - t0) / 200 < 0.001
