"""Who/where/when matching of one readout to a question: eligibility and retrieval boosts.

Readouts are near-duplicates (Biden and Xi met in 2021, 2022, 2023 and 2024), so these rules
decide which readout may answer; they are tested on plain word sets and metadata dicts.
"""

from __future__ import annotations

import pytest

from readout_qa.config import RetrievalConfig
from readout_qa.filtering import country_key
from readout_qa.names import words
from readout_qa.query import QueryAnalysis, analyze
from readout_qa.readout_match import (
    DocMatch,
    boost,
    is_topic_name,
    match_readout,
    question_names,
)

CFG = RetrievalConfig()


def wordset(text: str) -> frozenset[str]:
    return frozenset(words(text))


def match(question: str, text: str = "", lead: str = "", **meta: object) -> DocMatch:
    return match_readout(analyze(question), wordset(text), wordset(lead), dict(meta))


def doc_match(**kw: object) -> DocMatch:
    base: dict = {"names_found": 0, "names_total": 0, "countries_found": 0, "date_fit": None}
    return DocMatch(**{**base, **kw})


# ------------------------------------------------------------------------------ question_names
def test_question_names_leave_out_countries():
    """Countries are checked against country tags, not as names the text must contain."""
    a = analyze("What did Li Keqiang highlight with Belgium?")
    assert "Belgium" in a.countries
    assert question_names(a) == ["Li Keqiang"]


def test_question_names_leave_out_region_words():
    """ "his European counterpart" names nobody: a region adjective is no name to look for."""
    a = QueryAnalysis(text="x", names=["European", "Macron"])
    assert question_names(a) == ["Macron"]


def test_question_names_of_a_question_without_names_is_empty():
    """A question naming no one requires no one."""
    assert question_names(analyze("what was agreed about trade?")) == []


# ------------------------------------------------------------------------------ is_topic_name
@pytest.mark.parametrize("name", ["AI", "NATO", "G20", "S-400", "COP28"])
def test_acronyms_and_model_names_are_topics(name):
    """Capitalised in a question, but what it is about, not who: never required of a readout."""
    assert is_topic_name(name)


@pytest.mark.parametrize("name", ["Biden", "Li Keqiang", "Woodside", "Ursula von der Leyen"])
def test_people_and_places_are_not_topics(name):
    """People and places decide which readout can answer."""
    assert not is_topic_name(name)


# ------------------------------------------------------------------------------ match_readout
def test_match_counts_the_names_a_readout_mentions():
    """Each person of the question the readout mentions counts as found."""
    m = match("What did Biden and Xi discuss?", "President Biden spoke with President Xi.")
    assert (m.names_found, m.names_total, m.missing) == (2, 2, ())


def test_match_lists_the_missing_names():
    """A readout that lacks a person records who, so another readout may cover them."""
    m = match("What did Biden discuss with Kishida?", "President Biden spoke.")
    assert m.names_found == 1 and m.missing == ("Kishida",)
    assert m.people == ("Biden", "Kishida")


def test_topic_names_steer_but_are_not_required():
    """ "AI" is what is asked about: found, it counts as a topic; missing, it blocks nothing."""
    found = match("What did Biden say about AI?", "Biden spoke about AI.")
    missing = match("What did Biden say about AI?", "Biden spoke about trade.")
    assert (found.topics_found, found.names_total) == (1, 1)
    assert (missing.topics_found, missing.missing) == (0, ())
    assert missing.eligible(set())


def test_an_honorific_matches_whom_it_stands_for():
    """Readouts write "His Holiness Pope Francis", analysts "the Holy Father"."""
    text = "President Biden met His Holiness Pope Francis."
    m = match("What did the Holy Father and Biden discuss?", text, lead=text)
    assert (m.names_found, m.missing, m.people_lead) == (2, (), 2)
    assert match("What did the Holy Father say?", "President Biden spoke.").missing


def test_surname_alone_matches_a_full_name():
    """Readouts often give a surname only after the first mention."""
    assert match("What did Li Keqiang say?", "Premier Li said trade matters.").names_found == 1


def test_a_three_word_name_needs_two_of_its_words():
    """ "Kim Jong Un" is not found in a readout about "Kim Sung-han" (another man)."""
    assert match("What did Kim Jong Un say?", "Kim Sung-han spoke.").names_found == 0
    assert match("What did Kim Jong Un say?", "Kim Jong Un spoke.").names_found == 1


def test_a_capital_matches_through_the_country_tag():
    """ "Ottawa" in a question stands for Canada: a readout tagged Canada mentions it."""
    m = match(
        "What did Biden discuss in Ottawa?", "Biden met the prime minister.", country_Canada=True
    )
    assert m.names_found == 2 and m.missing == ()


def test_countries_found_reads_the_country_flags():
    """A question's countries are matched against the readout's country metadata."""
    m = match("What did Belgium and China agree?", **{country_key("China"): True})
    assert (m.countries_found, m.countries_total) == (1, 2)


def test_country_key_of_a_multiword_country_uses_underscores():
    """Chroma metadata keys are flat: "United States" is stored as country_United_States."""
    assert country_key("United States") == "country_United_States"
    m = match("What did the United States and Canada discuss?", country_United_States=True)
    assert m.countries_found == 1


def test_lead_counts_names_in_the_title_or_opening():
    """A name in the opening lines says who met where; a later mention is history."""
    m = match("What did Biden and Xi discuss at Woodside?", "Biden Xi Woodside", lead="Biden Xi")
    assert m.lead_found == 2


def test_date_fit_reads_the_readout_date():
    """The readout's date_int decides whether it fits the dates the question names."""
    q = "What did Biden and Xi discuss in November 2023?"
    assert match(q, date_int=20231115).date_fit is True
    assert match(q, date_int=20221114).date_fit is False
    assert match(q).date_fit is None  # undated readout: unknown, not wrong


def test_date_fit_is_none_when_the_question_names_no_date():
    """No date asked: no readout is favoured or penalised by its date."""
    assert match("What did Biden and Xi discuss?", date_int=20231115).date_fit is None


# ------------------------------------------------------------------------------ eligible
def test_one_or_two_names_must_all_be_mentioned():
    """A Biden-Xi question is not answered by a readout about Biden and someone else."""
    assert doc_match(names_found=2, names_total=2).eligible(set())
    assert not doc_match(names_found=1, names_total=2, missing=("Xi",)).eligible({"Xi"})


def test_three_names_two_here_and_the_missing_one_elsewhere():
    """ "Bolsonaro met Putin ... and Biden": a question spanning readouts, each covering a part."""
    m = doc_match(names_found=2, names_total=3, missing=("Biden",))
    assert m.eligible({"Biden"})
    assert not m.eligible(set())
    assert not m.eligible({"Xi"})


def test_three_names_with_only_one_here_is_ineligible_even_if_others_cover_the_rest():
    """A readout mentioning one of three people is about someone else."""
    m = doc_match(names_found=1, names_total=3, missing=("Putin", "Biden"))
    assert not m.eligible({"Putin", "Biden"})


def test_every_missing_name_must_be_found_elsewhere():
    """With four names, two missing here, both must be covered by other readouts."""
    m = doc_match(names_found=2, names_total=4, missing=("C", "D"))
    assert not m.eligible({"C"})
    assert m.eligible({"C", "D"})


def test_wrong_date_is_ineligible_even_with_every_name():
    """ "Their 2023 call" is not answered by the 2022 readout of the same two leaders."""
    assert not doc_match(names_found=2, names_total=2, date_fit=False).eligible(set())
    assert doc_match(names_found=2, names_total=2, date_fit=None).eligible(set())


def test_countries_only_question_needs_a_readout_about_one_of_them():
    """ "What did Belgium and China agree?" is not answered by a readout about France."""
    assert not doc_match(countries_total=2, countries_found=0).eligible(set())
    assert doc_match(countries_total=2, countries_found=1).eligible(set())


def test_a_named_person_makes_a_readout_eligible_without_the_country_tag():
    """The person, not a missing country tag, decides when the question names both."""
    m = doc_match(names_found=1, names_total=1, countries_total=1, countries_found=0)
    assert m.eligible(set())


def test_question_naming_nothing_leaves_every_readout_eligible():
    """A vague question must still find an answer somewhere."""
    assert doc_match().eligible(set())


def test_eligibility_end_to_end_from_text():
    """The full path: analyze the question, match readout words, judge eligibility."""
    q = "What did Bolsonaro discuss with Putin and Biden?"
    moscow = match(q, "Bolsonaro met Putin in Moscow.")
    assert moscow.missing == ("Biden",)
    assert moscow.eligible({"Biden"}) and not moscow.eligible(set())


# ------------------------------------------------------------------------------ boost
def test_boost_per_name_and_lead():
    """Each name found adds name_boost; each also in the opening adds lead_boost."""
    a = analyze("What did Biden and Xi discuss?")
    m = doc_match(names_found=2, names_total=2, lead_found=1)
    assert boost(m, a, CFG) == pytest.approx(2 * CFG.name_boost + CFG.lead_boost)


def test_boost_counts_topics_like_names():
    """A readout mentioning the "AI" asked about ranks above one that does not."""
    a = analyze("What did Biden say about AI?")
    with_topic = doc_match(names_found=1, names_total=1, topics_found=1)
    without = doc_match(names_found=1, names_total=1)
    assert boost(with_topic, a, CFG) - boost(without, a, CFG) == pytest.approx(CFG.name_boost)


def test_boost_per_country():
    """Each country of the question the readout is tagged with adds country_boost."""
    a = analyze("What did Belgium and China agree?")
    m = doc_match(countries_found=2, countries_total=2)
    assert boost(m, a, CFG) == pytest.approx(2 * CFG.country_boost)


def test_exact_day_boosts_more_than_month():
    """An exact day asked is a stronger signal than a month or year."""
    by_day = analyze("What did Biden and Xi discuss on November 15, 2023?")
    by_month = analyze("What did Biden and Xi discuss in November 2023?")
    fits = doc_match(date_fit=True)
    assert boost(fits, by_day, CFG) == pytest.approx(CFG.day_boost)
    assert boost(fits, by_month, CFG) == pytest.approx(CFG.date_boost)
    assert CFG.day_boost > CFG.date_boost


def test_wrong_date_is_penalised_unknown_date_is_not():
    """A soft penalty, never a filter: an undated readout is neither boosted nor penalised."""
    a = analyze("What did Biden and Xi discuss in November 2023?")
    assert boost(doc_match(date_fit=False), a, CFG) == pytest.approx(-CFG.date_penalty)
    assert boost(doc_match(date_fit=None), a, CFG) == 0.0


def test_boost_ranks_the_right_year_first_among_near_duplicates():
    """Of two Biden-Xi readouts, the one dated as asked ranks above the other."""
    q = "What did Biden and Xi discuss in November 2023?"
    text = "President Biden met President Xi."
    right = match(q, text, text, date_int=20231115)
    wrong = match(q, text, text, date_int=20221114)
    a = analyze(q)
    assert boost(right, a, CFG) - boost(wrong, a, CFG) == pytest.approx(
        CFG.date_boost + CFG.date_penalty
    )


def test_boost_uses_the_config_weights():
    """Weights come from RetrievalConfig, so an experiment can change them per instance."""
    a = analyze("What did Biden say?")
    m = doc_match(names_found=1, names_total=1)
    assert boost(m, a, RetrievalConfig(name_boost=1.0)) == pytest.approx(1.0)


def test_no_names_no_boost():
    """A readout matching nothing the question names gets no boost."""
    assert boost(match("what about trade?", "trade"), analyze("what about trade?"), CFG) == 0.0
    assert match("what about trade?").names_total == 0


def test_the_question_checks_are_worked_out_once_and_follow_its_names():
    """What depends only on the question is prepared once and reused for every readout,
    and prepared again when the analysis names someone else."""
    a = analyze("Did Biden meet Trudeau in 2023?")
    first = match_readout(a, wordset("Biden and Trudeau met"), frozenset(), {})
    prepared = a.prepared
    assert prepared is not None and first.names_found == first.names_total == 2
    other = match_readout(a, wordset("Biden spoke"), frozenset(), {})
    assert a.prepared is prepared and other.missing == ("Trudeau",)
    a.names = ["Macron"]
    again = match_readout(a, wordset("Macron spoke"), frozenset(), {})
    assert a.prepared is not prepared and again.people == ("Macron",)
    assert again.names_found == again.names_total == 1


def test_a_place_name_is_found_through_the_country_flag_of_any_mapping():
    """``meta`` may be the parsed metadata or the table's column view (any mapping)."""
    from types import MappingProxyType

    m = match("Who did Biden meet in Ottawa?", "Biden", **{country_key("Canada"): True})
    view = match_readout(
        analyze("Who did Biden meet in Ottawa?"),
        wordset("Biden"),
        frozenset(),
        MappingProxyType({country_key("Canada"): True}),
    )
    assert m == view and m.names_found == m.names_total
