"""What a question names: people, countries, dates; and whether a readout's date fits them."""

from __future__ import annotations

import pytest

from readout_qa.query import QueryAnalysis, analyze


# ------------------------------------------------------------------------------ analyze
def test_analyze_finds_names_and_countries():
    """Names steer retrieval; countries are also matched against readout tags."""
    a = analyze("What fields did Li Keqiang highlight with Belgium?")
    assert a.names == ["Li Keqiang", "Belgium"]
    assert a.countries == ["Belgium"]
    assert (a.periods, a.days) == ([], [])


def test_question_words_and_weekdays_are_not_names():
    """Capitalised "What", "Mr." and "Wednesday" name nobody."""
    assert analyze("What did Mr. Biden say on Wednesday?").names == ["Biden"]


def test_particles_stay_inside_a_name():
    """ "Ursula von der Leyen" is one name, not "Ursula" and "Leyen"."""
    assert analyze("What did Ursula von der Leyen say?").names == ["Ursula von der Leyen"]


def test_possessive_ends_a_name():
    """ "Zelenskyy's plan": the name is Zelenskyy."""
    assert analyze("Did Zelenskyy's plan come up?").names == ["Zelenskyy"]


def test_demonyms_and_abbreviations_are_countries():
    """ "Belgian", "PRC" and "U.S." name countries (canonical names)."""
    assert analyze("What did the Belgian premier say?").countries == ["Belgium"]
    assert analyze("What did the PRC and the U.S. agree?").countries == [
        "China",
        "United States",
    ]


@pytest.mark.parametrize(
    "question",
    [
        "What did Biden and Xi discuss on November 15, 2023?",
        "What did Biden and Xi discuss on 15 November 2023?",
        "What did Biden and Xi discuss on 2023-11-15?",
        "What did Biden and Xi discuss on Nov. 15, 2023?",
    ],
)
def test_an_exact_day_in_any_form(question):
    """Readout dates are written many ways; all give the same day and its month."""
    a = analyze(question)
    assert a.days == [20231115]
    assert a.periods == [(2023, 11)]


def test_month_and_year_periods():
    """ "in November 2023" is a month; "in 2022 and 2023" are two years."""
    assert analyze("What was agreed in November 2023?").periods == [(2023, 11)]
    assert analyze("What was agreed in 2022 and 2023?").periods == [(2022, None), (2023, None)]


def test_relative_dates_name_no_period():
    """ "last December": the year is unknowable here, so no date is assumed."""
    a = analyze("What did they agree last December?")
    assert (a.periods, a.days) == ([], [])


def test_an_impossible_day_is_no_day_but_keeps_its_month():
    """ "February 30, 2023" is no calendar day; February 2023 is still asked about."""
    a = analyze("What did they discuss on February 30, 2023?")
    assert a.days == [] and a.periods == [(2023, 2)]


def test_analyze_of_a_plain_question_is_empty():
    """A topic-only question names nothing."""
    a = analyze("what was said about trade?")
    assert (a.names, a.countries, a.periods, a.days) == ([], [], [], [])
    assert a.text == "what was said about trade?"


# ------------------------------------------------------------------------------ date_fits
def test_date_fits_is_none_without_dates():
    """No date asked: unknown, neither fit nor misfit."""
    assert QueryAnalysis(text="x").date_fits(20231115) is None


def test_date_fits_is_none_for_an_undated_readout():
    """A readout without a date (date_int 0) is not judged on dates."""
    assert analyze("in November 2023").date_fits(0) is None


def test_date_fits_is_none_for_a_garbled_date_int():
    """A date_int that is no calendar day is unknown, not an error."""
    assert analyze("in November 2023").date_fits(20231399) is None


def test_exact_day_fits_up_to_three_days_later():
    """Readouts are often published a day or more after the event."""
    a = analyze("on November 15, 2023")
    assert a.date_fits(20231115) is True
    assert a.date_fits(20231118) is True
    assert a.date_fits(20231119) is False
    assert a.date_fits(20231114) is False  # published before the event: another event


def test_month_fits_its_days_and_the_lag_into_the_next_month():
    """ "in November 2023" fits any November day and a readout published Dec 1-3."""
    a = analyze("in November 2023")
    assert a.date_fits(20231101) is True
    assert a.date_fits(20231130) is True
    assert a.date_fits(20231203) is True
    assert a.date_fits(20231204) is False
    assert a.date_fits(20231031) is False
    assert a.date_fits(20221115) is False


def test_december_period_rolls_over_the_year():
    """The lag after December reaches into January of the next year."""
    a = analyze("in December 2021")
    assert a.date_fits(20220102) is True
    assert a.date_fits(20220110) is False


def test_year_fits_any_day_of_that_year():
    """ "in 2023" fits every 2023 readout and none other."""
    a = analyze("in 2023")
    assert a.date_fits(20230101) is True and a.date_fits(20231231) is True
    assert a.date_fits(20240101) is False


def test_any_of_several_periods_fits():
    """ "in 2022 and 2023": either year fits."""
    a = analyze("in 2022 and 2023")
    assert a.date_fits(20220601) is True and a.date_fits(20230601) is True
    assert a.date_fits(20210601) is False


def test_days_take_precedence_over_their_periods():
    """With an exact day, the rest of its month does not fit."""
    a = analyze("on November 15, 2023")
    assert a.periods == [(2023, 11)]
    assert a.date_fits(20231101) is False
