"""Answers about what was asked, from the readout of the encounter asked about (issue 11):
a name the question asks "about" is the sentence's topic, a readout naming the question's
two people first beats one mentioning one of them in passing, a capital after "in" is the
venue, and a number after a name is part of it."""

from __future__ import annotations

from builders import idf_from, make_passage, make_retrieval

from readout_qa.answerers.extractive import ExtractiveAnswerer
from readout_qa.config import ExtractiveConfig
from readout_qa.names import find_names, words
from readout_qa.query import analyze
from readout_qa.readout_match import DocMatch, match_readout, question_venues


def _select(question, passages, matches=None, idf=lambda _t: 8.0):
    retrieval = make_retrieval(question, passages, matches)
    answerer = ExtractiveAnswerer(idf=idf, config=ExtractiveConfig(alternatives=False))
    return answerer.select(question, retrieval)


BALI = (
    "President Biden met on November 14 with President Xi Jinping in Bali, Indonesia. "
    "The two leaders spoke candidly about their respective priorities. "
    "On Taiwan, he laid out in detail that our one China policy has not changed."
)


def test_a_name_asked_about_is_what_the_answer_must_address():
    """Before: Taiwan only picked the readout, the question had no topic left, and the
    readout's opening lines were quoted as its summary."""
    selection = _select("What did Biden say about Taiwan in Bali?", [make_passage("bali", BALI)])
    assert [c.text for c in selection.chosen] == [
        "On Taiwan, he laid out in detail that our one China policy has not changed."
    ]


def test_a_name_asked_about_that_no_sentence_addresses_is_not_answered_by_a_summary():
    selection = _select("What did Biden say about Ukraine in Bali?", [make_passage("bali", BALI)])
    assert selection.chosen == []


def test_without_a_name_asked_about_the_summary_still_answers():
    selection = _select("What did Biden and Xi discuss in Bali?", [make_passage("bali", BALI)])
    assert selection.chosen and selection.chosen[0].text.startswith("President Biden met")


def _pair_match(people_lead: int) -> DocMatch:
    return DocMatch(
        names_found=2,
        names_total=2,
        countries_found=0,
        date_fit=True,
        people=("Putin", "Macron"),
        people_lead=people_lead,
    )


US = (
    "President Biden spoke with President Macron of France today about Ukraine. "
    "The leaders condemned President Putin's decision on Ukraine's regions."
)
RU = (
    "Vladimir Putin had a telephone conversation with President of France Emmanuel Macron. "
    "The leaders discussed the developments around Ukraine."
)


def test_the_readout_naming_both_people_first_answers_not_one_mentioning_one_in_passing():
    question = "What did Putin and Macron discuss about Ukraine?"
    passages = [make_passage("us", US, score=2.0), make_passage("ru", RU)]
    matches = {"us": _pair_match(1), "ru": _pair_match(2)}
    selection = _select(question, passages, matches)
    assert selection.chosen
    assert {passages[c.passage_index].doc_id for c in selection.chosen} == {"ru"}
    # When no readout names both first, the others still answer.
    selection = _select(question, passages, {"us": _pair_match(1), "ru": _pair_match(1)})
    assert "us" in {passages[c.passage_index].doc_id for c in selection.chosen}


def test_a_two_part_question_keeps_readouts_that_name_one_person_first():
    """Each part of "..., and what did ...?" may be read out by a different government."""
    question = "What did Putin say about Ukraine, and what did Macron condemn?"
    passages = [make_passage("us", US, score=2.0), make_passage("ru", RU)]
    selection = _select(question, passages, {"us": _pair_match(1), "ru": _pair_match(2)})
    assert "us" in {passages[c.passage_index].doc_id for c in selection.chosen}


def test_people_named_first_are_read_from_the_title_and_first_sentence_only():
    a = analyze("What did Putin and Macron discuss?")
    body = frozenset(words(US))
    first = frozenset(
        words("Readout of President Biden's call with President Macron " + US.split(". ")[0])
    )
    m = match_readout(a, body, body, {}, first=first)
    assert (m.names_found, m.people_lead) == (2, 1)


def test_a_capital_after_in_is_where_they_met():
    """ "... with Wang Yi in Vienna?": Vienna stands for Austria elsewhere, but after "in" it
    is the venue, so the readout naming it first (Vienna) beats one recalling it (Malta)."""
    assert question_venues(analyze("What did Sullivan discuss with Wang Yi in Vienna?")) == [
        "Vienna"
    ]
    # A country's own name is who, not where ("in Malta" may be the Maltese government).
    assert question_venues(analyze("What did Sullivan discuss with Wang Yi in Malta?")) == []
    assert question_venues(analyze("What did Biden and Xi agree at Woodside?")) == ["Woodside"]


def test_a_number_after_a_name_is_part_of_it_and_what_is_asked_about():
    """ "about Article 5": "Article" alone read as a name picked the readout and left the
    question's topic at "pledge"; "Article 5" is a name with a number, so a topic."""
    assert find_names("What did Biden pledge to Poland's president about Article 5?") == [
        "Biden",
        "Poland",
        "Article 5",
    ]
    assert find_names("Nord Stream 2 and Resolution 2231") == ["Nord Stream 2", "Resolution 2231"]
    # a year after a name says when, a number after a verb counts
    assert find_names("Biden 2022 and Xi") == ["Biden", "Xi"]
    assert find_names("Biden met 5 leaders") == ["Biden"]
    body = (
        "President Biden thanked President Duda and pledged continued U.S. support. "
        "President Biden underscored the United States' unwavering commitment to Article 5."
    )
    question = "What did Biden pledge to Poland's president about Article 5?"
    idf = idf_from({"articl": 5.0, "pledg": 4.3, "presid": 0.5})  # about the corpus's
    chosen = _select(question, [make_passage("warsaw", body)], idf=idf).chosen
    assert chosen[0].text.endswith("commitment to Article 5.")


def test_a_date_window_spans_what_date_fits_accepts():
    from readout_qa.dates import date_fits, date_window

    assert date_window([], []) is None
    assert date_window([20211225], []) == (20211225, 20211228)  # read out up to 3 days on
    assert date_window([], [(2021, 11)]) == (20211101, 20211203)
    assert date_window([], [(2021, None), (2022, 2)]) == (20210101, 20220303)
    lo, hi = date_window([], [(2021, 12)])
    assert date_fits(hi, [], [(2021, 12)]) and not date_fits(hi + 1, [], [(2021, 12)])


def test_a_capital_opens_a_readout_whose_title_names_its_country():
    """ "Bishkek's leader": the call's title says Kyrgyzstan, not Bishkek."""
    a = analyze("What vote did the Kremlin chief hail when he spoke with Bishkek's leader?")
    title = frozenset(words("Telephone conversation with President of Kyrgyzstan Sadyr Japarov"))
    other = frozenset(words("Meeting with KAZ Minerals Board Chairman Oleg Novachuk"))
    body = frozenset(words("Kyrgyzstan Russia"))
    meta = {"publisher": "President of Russia (kremlin.ru)", "country_Kyrgyzstan": True}
    call = match_readout(a, body | title, title, meta)
    mining = match_readout(a, body | other, other, meta)
    assert call.lead_found == 2 and mining.lead_found == 1  # the Kremlin's own side: both
