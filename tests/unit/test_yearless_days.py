"""Days named without a year ("on November 14", "on Christmas Eve"): people leave the year
out when the pair met on that day once. Before, such a day steered nothing and "Christmas
Eve" was read as a name a readout had to mention."""

from __future__ import annotations

import pytest

from readout_qa.dates import date_fits, find_yearless_days
from readout_qa.query import analyze


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("What did Biden and Xi agree on November 14?", [(11, 14)]),
        ("What did Putin and Herzog discuss on Christmas Eve?", [(12, 24)]),
        ("Their New Year's Eve call and their talks on 3 March", [(12, 31)]),  # D Month: none
        ("What did they discuss on November 14, 2022?", []),  # a day with its year
        ("What did they discuss on February 30?", []),  # no such day
        ("What did they discuss in November?", []),
    ],
)
def test_days_without_a_year(text, days):
    assert find_yearless_days(text) == days


def test_a_yearless_day_fits_that_day_of_any_year_and_the_days_after():
    fits = [date_fits(d, [], [], month_days=[(12, 24)]) for d in (20211224, 20221227)]
    assert fits == [True, True]  # published up to three days later
    assert date_fits(20221228, [], [], month_days=[(12, 24)]) is False
    assert date_fits(20220102, [], [], month_days=[(12, 31)]) is True  # across the new year
    assert date_fits(20211224, [], []) is None


def test_a_year_elsewhere_in_the_question_dates_the_day():
    a = analyze("What did they say in their Christmas Eve call in 2021?")
    assert (a.days, a.month_days) == ([20211224], [])
    assert a.names == []  # "Christmas Eve" says when, not who


def test_a_holiday_is_no_name_and_the_day_number_no_topic():
    a = analyze("What did Putin and Herzog discuss on Christmas Eve?")
    assert a.names == ["Putin", "Herzog"] and a.month_days == [(12, 24)]
    assert a.date_fits(20211224) is True and a.date_fits(20220418) is False


def test_the_day_number_is_no_topic_word():
    """ "on February 20": the 20 says which call; as a topic word, no sentence covered it and
    the question was refused."""
    from builders import make_passage, make_retrieval

    from readout_qa.answerers.extractive import ExtractiveAnswerer
    from readout_qa.config import ExtractiveConfig

    question = "What did Putin and Macron discuss on February 20?"
    body = (
        "Vladimir Putin had a telephone conversation with Emmanuel Macron. "
        "The leaders discussed the developments around Ukraine."
    )
    retrieval = make_retrieval(question, [make_passage("call", body, date="2022-02-20")])
    answerer = ExtractiveAnswerer(idf=lambda _t: 8.0, config=ExtractiveConfig(alternatives=False))
    assert answerer.select(question, retrieval).chosen
