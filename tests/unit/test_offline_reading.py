"""Reading questions the way analysts write them (issue 11): governments named by their capital
or by the readout's publisher, the venue of an encounter, days given once for two calls or
relative to another day, parts of a two-part question, and answers chosen by meaning."""

from __future__ import annotations

import numpy as np
import pytest
from builders import make_passage, make_retrieval

from readout_qa.answerers.extractive import MEANING_NOTICE, ExtractiveAnswerer, select
from readout_qa.answerers.meaning import what_not_who
from readout_qa.config import ExtractiveConfig
from readout_qa.dates import find_days, find_periods
from readout_qa.entities import country_of_name, publisher_country
from readout_qa.models import Filters
from readout_qa.multipart import each_day
from readout_qa.names import find_names, words
from readout_qa.query import analyze
from readout_qa.readout_match import match_readout, question_names, question_venues
from readout_qa.terms import topic_terms


def rare(_term: str) -> float:
    return 8.0


# ------------------------------------------------------------------------ who: capitals, publishers
@pytest.mark.parametrize(
    ("capital", "country"),
    [
        ("Algiers", "Algeria"),
        ("Bishkek", "Kyrgyzstan"),
        ("Doha", "Qatar"),
        ("Kingston", "Jamaica"),  # not Norfolk Island, which has a Kingston too
        ("Montevideo", "Uruguay"),
        ("Oval Office", "United States"),
        ("Ottawa", "Canada"),  # hand-written entries are kept
    ],
)
def test_every_capital_stands_for_its_country(capital: str, country: str):
    assert country_of_name(capital) == country


@pytest.mark.parametrize("word", ["Male", "Victoria", "Douglas", "Hamilton"])
def test_capitals_that_are_common_words_or_names_stand_for_no_country(word: str):
    assert country_of_name(word) is None


@pytest.mark.parametrize(
    ("publisher", "country"),
    [
        ("The White House", "United States"),
        ("President of Russia (kremlin.ru)", "Russia"),
        ("", None),
        ("Some Newsletter", None),
    ],
)
def test_publisher_country(publisher: str, country: str | None):
    assert publisher_country(publisher) == country


def test_a_readout_counts_as_its_publishers_country_even_when_it_never_names_it():
    """ "The American leader ... Ankara": the White House readout of a Biden-Erdogan meeting
    says "President Biden", never "United States", and is still the American account."""
    analysis = analyze("Which states did the American leader credit Ankara with clearing in 2022?")
    text = frozenset(words("President Biden met President Erdogan of Turkey in Madrid."))
    white_house = match_readout(
        analysis, text, text, {"publisher": "The White House", "country_Turkey": True}
    )
    elsewhere = match_readout(analysis, text, text, {"publisher": "", "country_Turkey": True})
    assert white_house.missing == () and white_house.names_found == white_house.names_total
    assert "American" in elsewhere.missing


@pytest.mark.parametrize(
    "question", ["Per the call, what was agreed?", "Beyond chips, what did they agree?"]
)
def test_a_sentence_opening_preposition_is_no_name(question: str):
    assert find_names(question) == []


def test_compounds_are_taken_apart_and_descriptions_dropped():
    analysis = analyze("Where had the Moscow-Kyiv talks met before the Nazi-era ravine was hit?")
    assert question_names(analysis) == ["Moscow", "Kyiv"]
    assert question_names(analyze("Did they discuss COVID-19 and the S-400?")) == [
        "COVID-19",
        "S-400",
    ]


# -------------------------------------------------------------------------------- where: venues
def test_a_name_after_at_or_in_is_a_venue_countries_are_not():
    analysis = analyze("What did Biden and Xi agree on AI at Woodside, in California and in China?")
    assert question_venues(analysis) == ["Woodside", "California"]


LIMA = (
    "President Biden met President Xi Jinping in Lima, Peru. Since their meeting in Woodside, "
    "the two leaders have resumed military-to-military communication and AI talks."
)
WOODSIDE = (
    "President Biden hosted President Xi Jinping in Woodside, California. The leaders affirmed "
    "the need to address the risks of advanced AI systems."
)


def _two_summits(question: str, lima_first: bool = True):
    passages = [make_passage("lima", LIMA), make_passage("woodside", WOODSIDE)]
    if not lima_first:
        passages.reverse()
    analysis = analyze(question)
    matches = {
        p.doc_id: match_readout(
            analysis,
            frozenset(words(p.text)),
            frozenset(words(p.text.split(". ")[0])),
            {"publisher": "The White House"},
        )
        for p in passages
    }
    return make_retrieval(question, passages, matches, analysis)


def test_the_readout_about_the_venue_answers_not_the_one_recalling_it():
    """The README's example: the Lima readout recalls Woodside and mentions AI; the question
    asks what was agreed *at* Woodside."""
    retrieval = _two_summits("What did Biden and Xi agree on AI at Woodside?")
    answerer = ExtractiveAnswerer(idf=rare, config=ExtractiveConfig(alternatives=False))
    chosen = answerer.select("What did Biden and Xi agree on AI at Woodside?", retrieval).chosen
    assert chosen and {retrieval.passages[c.passage_index].doc_id for c in chosen} == {"woodside"}


def test_without_a_venue_both_readouts_may_answer():
    retrieval = _two_summits("What did Biden and Xi say about AI?")
    answerer = ExtractiveAnswerer(idf=rare, config=ExtractiveConfig(alternatives=False))
    chosen = answerer.select("What did Biden and Xi say about AI?", retrieval).chosen
    assert retrieval.passages[chosen[0].passage_index].doc_id == "lima"


def test_an_extra_sentence_must_add_a_word_that_matters():
    """ "agreed that their teams will follow up" adds only the common "agree": it is no
    answer to "what did they agree on AI"."""
    body = (
        "The leaders affirmed the need to address the risks of AI systems. "
        "The two leaders agreed that their teams will follow up on their discussions."
    )
    question = "What did Biden and Xi agree on AI?"
    retrieval = make_retrieval(question, [make_passage("d", body)])
    idf = {"agre": 2.4, "ai": 4.6}.get
    strict = select(
        question, retrieval.analysis, retrieval.passages, lambda t: idf(t, 1.0), None, None
    )
    loose = select(
        question,
        retrieval.analysis,
        retrieval.passages,
        lambda t: idf(t, 1.0),
        None,
        None,
        ExtractiveConfig(min_focus=0.0, min_gain=0.1, relative_keep=0.1),
    )
    assert [c.text[:16] for c in strict.chosen] == ["The leaders affi"]
    assert len(loose.chosen) == 2


# --------------------------------------------------------------------------------- when: dates
@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("on November 9 and November 19, 2021, what", [20211109, 20211119]),
        ("Putin spoke with Erdogan on January 2 and March 17, 2022: which", [20220102, 20220317]),
        ("calls on November 9 and 19, 2021", [20211109, 20211119]),
        ("on March 4, May 13 and June 2, 2022", [20220304, 20220513, 20220602]),
        ("between March 4 and May 13, 2022", [20220513]),  # a range, not two days
        ("from March 4 to May 13, 2022", [20220513]),
        ("on February 7, 2022, and in their call nine days later", [20220207, 20220216]),
        ("on July 25, 2024, and a week later", [20240725, 20240801]),
        ("on March 1, 2022 and the next day", [20220301, 20220302]),
        ("nine days later", []),  # relative to nothing
    ],
)
def test_days_given_once_or_relative(text: str, days: list[int]):
    assert find_days(text) == days


@pytest.mark.parametrize(
    ("text", "periods"),
    [
        ("at Bali in November 2022, and at Woodside a year later", [(2022, 11), (2023, 11)]),
        ("in January 2023, and when they spoke that June", [(2023, 1), (2023, 6)]),
        ("in November 2021 and the following March", [(2021, 11), (2022, 3)]),
        ("in March 2022 and two months later", [(2022, 3), (2022, 5)]),
    ],
)
def test_months_relative_to_a_month_named_before(text: str, periods: list):
    assert find_periods(text) == periods


def test_part_words_are_framing_not_topic():
    assert topic_terms("what did they condemn in the second call, and the first?") == ["condemn"]


def test_each_day_searches_again_for_a_day_no_readout_fits():
    """Two calls, one search: the second day's readout was not among the passages, so it is
    searched for within that day and added after the first search's passages."""
    question = "What did they discuss on November 9 and November 19, 2021?"
    first = make_passage("nov19", "They discussed the border.", date="2021-11-19")
    second = make_passage("nov09", "They discussed the Supreme State Council.", date="2021-11-09")
    asked: list[Filters] = []

    def retrieve(query: str, filters: Filters):
        asked.append(filters)
        return make_retrieval(query, [second, first])

    found = each_day(question, make_retrieval(question, [first]), retrieve, Filters())
    assert [p.doc_id for p in found.passages] == ["nov19", "nov09"]
    assert found.doc_ids == ["nov19", "nov09"]
    assert [(f.since, f.until) for f in asked] == [("2021-11-09", "2021-11-12")]


def test_each_day_keeps_a_users_filter_and_skips_days_outside_it():
    question = "What did they discuss on November 9 and November 19, 2021?"
    first = make_passage("nov19", "They discussed the border.", date="2021-11-19")
    calls: list[Filters] = []

    def retrieve(query: str, filters: Filters):
        calls.append(filters)
        return make_retrieval(query, [])

    user = Filters(since="2021-11-15")
    assert each_day(question, make_retrieval(question, [first]), retrieve, user).passages == [first]
    assert calls == []


def test_each_day_does_nothing_for_one_day():
    question = "What did they discuss on November 19, 2021?"
    retrieval = make_retrieval(question, [make_passage("a", "Text.")])

    def retrieve(query: str, filters: Filters):  # pragma: no cover - must not be called
        raise AssertionError("searched again")

    assert each_day(question, retrieval, retrieve, Filters()) is retrieval


# ------------------------------------------------------------------------------ what: by meaning
def test_what_not_who_drops_names_places_and_dates():
    question = "In his January 2021 call with Tokyo's premier, which isles did Biden say it covers?"
    assert what_not_who(question, analyze(question)) == (
        "In his call with premier, which isles did say it covers?"
    )


SENTENCES = [
    "President Biden spoke with Prime Minister Suga of Japan today.",  # the opening: who
    "They discussed the pandemic.",
    "They reviewed trade between the two countries.",
    "President Biden affirmed the alliance commitment to the Senkaku Islands.",
    "They will speak again soon.",
]


def _embedder(table: dict[str, list[float]], other: list[float]):
    """Sentences from ``table``; any other text (the question's "what") gets ``other``."""

    def embed(texts: list[str]) -> np.ndarray:
        rows = [table.get(t, other) for t in texts]
        out = np.asarray(rows, dtype=np.float32)
        return out / np.linalg.norm(out, axis=1, keepdims=True)

    return embed


def _meaning_case(standout: list[float]):
    body = " ".join(SENTENCES)
    question = "Which disputed isles did the new president say the treaty covers?"
    retrieval = make_retrieval(question, [make_passage("suga", body)])
    table = {s: [0.2, 1.0] for s in SENTENCES}
    table[SENTENCES[0]] = [1.0, 0.0]  # the opening is closest to the whole question
    table[SENTENCES[3]] = standout
    answerer = ExtractiveAnswerer(
        idf=rare,
        embed=_embedder(table, other=[1.0, 0.05]),
        config=ExtractiveConfig(alternatives=False, min_dense=0.99),
    )
    return answerer, question, retrieval


def test_a_sentence_well_ahead_in_meaning_answers_with_a_notice():
    answerer, question, retrieval = _meaning_case(standout=[0.9, 0.3])
    selection = answerer.select(question, retrieval)
    assert [c.text for c in selection.chosen] == [SENTENCES[3]]
    assert selection.notices == [MEANING_NOTICE]


def test_no_sentence_ahead_of_the_rest_is_a_refusal_not_the_opening_line():
    answerer, question, retrieval = _meaning_case(standout=[0.2, 1.0])
    assert answerer.select(question, retrieval).chosen == []


def test_meaning_alone_can_be_turned_off():
    answerer, question, retrieval = _meaning_case(standout=[0.9, 0.3])
    answerer.config = ExtractiveConfig(alternatives=False, min_dense=0.99, relative_dense=False)
    assert answerer.select(question, retrieval).chosen == []


@pytest.mark.parametrize(
    ("question", "names"),
    [
        (
            "What did Putin and Australian Prime Minister Scott Morrison discuss?",
            ["Putin", "Scott Morrison"],
        ),
        ("Did Putin and Algerian President Tebboune talk?", ["Putin", "Tebboune"]),
        ("What did the Prime Minister say?", []),
        ("What did Premier Li Keqiang say?", ["Li Keqiang"]),  # "Li" is no country here
        ("What did Secretary of State Blinken say?", ["Blinken"]),
        ("Did the Supreme State Council meet?", ["Supreme State Council"]),  # an institution
        (
            "At the East Asia Summit, did Biden and Putin speak?",
            ["East Asia Summit", "Biden", "Putin"],
        ),
        ("What did Putin and Touadéra say in the Central African Republic?", ["Putin", "Touadéra"]),
    ],
)
def test_titles_and_demonyms_before_a_name_are_not_the_name(question: str, names: list[str]):
    """Else "Prime Minister" alone would match every prime minister's readout."""
    assert question_names(analyze(question)) == names


def test_a_name_with_a_number_is_what_is_asked_about():
    from readout_qa.answerers.topic import entity_terms

    analysis = analyze("What did Putin and Bettel say about the S-400 and COVID-19?")
    assert "putin" in entity_terms(analysis)
    assert not {"s", "400", "covid", "19"} & entity_terms(analysis)


def test_no_summary_of_a_readout_that_misses_a_name_the_question_asks_about():
    """ "What did Putin and Bettel say about Nord Stream?": with no other topic word, the
    readout's opening sentences would be quoted -- beside the point when it never mentions
    Nord Stream."""
    body = "Vladimir Putin had a telephone conversation with Xavier Bettel. They discussed Ukraine."
    other = "Vladimir Putin met Olaf Scholz. They discussed Nord Stream and gas supplies."
    question = "What did Putin, Bettel and Nord Stream say?"
    analysis = analyze(question)
    passages = [make_passage("bettel", body), make_passage("scholz", other)]
    matches = {
        p.doc_id: match_readout(analysis, frozenset(words(p.text)), frozenset(), {})
        for p in passages
    }
    assert matches["bettel"].missing == ("Nord Stream",)
    selection = select(question, analysis, passages, rare, None, None, matches=matches)
    assert selection.chosen == [] and "Nord Stream" in selection.reason
    plain_q = "What did Putin and Bettel discuss?"
    plain_a = analyze(plain_q)
    plain_m = {
        p.doc_id: match_readout(plain_a, frozenset(words(p.text)), frozenset(), {})
        for p in passages
    }
    plain = select(plain_q, plain_a, passages, rare, None, None, matches=plain_m)
    assert plain.chosen and plain.chosen[0].text.startswith("Vladimir Putin had")


def test_acronyms_are_what_is_asked_about():
    """ "PRC practices", "AI": an acronym in a question is usually its topic (making country
    acronyms who instead lost the HTML/PDF format item on "PRC practices in Xinjiang")."""
    from readout_qa.answerers.topic import entity_terms

    assert "prc" not in entity_terms(analyze("Where did Biden raise concerns about PRC practices?"))
    assert "ai" not in entity_terms(analyze("What did Biden say about AI?"))


def test_how_they_talked_is_framing():
    assert topic_terms("which initiative in his phone call by video conversation") == ["initi"]


@pytest.mark.parametrize(
    ("question", "windows"),
    [
        (
            "In Putin's calls with Lukashenko on November 9 and November 19, 2021, which body did"
            " they follow up on in the first, and whose conduct did they condemn in the second?",
            [[20211109], [20211119]],
        ),
        (
            "What did Tokayev tell Putin when they spoke on January 8, 2022, and what did the two"
            " discuss when they spoke again on January 13?",
            [[20220108], [20220113]],
        ),
        (
            "When Scholz visited on February 7, 2022, which region did they commit to keep stable,"
            " and in their call nine days later which part of NATO did they talk about?",
            [[20220207], [20220216]],
        ),
        ("What did they say on March 3, 2022, and what did they agree?", [None, None]),
        (
            "Putin spoke with Michel on November 24, 2021 and March 7, 2022: which means did he"
            " raise in the first call, and along what did he offer corridors in the second?",
            [[20211124], [20220307]],
        ),
    ],
)
def test_each_part_of_a_question_is_pinned_to_its_date(question: str, windows: list):
    from readout_qa.answerers.extractive import CLAUSE_SPLIT, clause_windows

    clauses = [c for c in CLAUSE_SPLIT.split(question) if c and c.strip()]
    got = clause_windows(question, clauses)
    assert [w[0] if w else None for w in got] == windows


def test_a_pinned_part_is_answered_from_its_dates_readout():
    """Both readouts mention the border; the second part asks about the second call."""
    question = (
        "In their calls on November 9 and November 19, 2021, what did they follow up on in the "
        "first, and what border conduct did they condemn in the second?"
    )
    first = make_passage(
        "nov09",
        "They followed up on the Supreme State Council meeting. The border conduct was noted.",
        date="2021-11-09",
    )
    second = make_passage(
        "nov19", "They condemned the border conduct of the Polish guards.", date="2021-11-19"
    )
    retrieval = make_retrieval(question, [first, second])
    chosen = ExtractiveAnswerer(idf=rare, config=ExtractiveConfig(alternatives=False)).select(
        question, retrieval
    )
    docs = [retrieval.passages[c.passage_index].doc_id for c in chosen.chosen]
    assert docs == ["nov09", "nov19"]


@pytest.mark.parametrize(
    ("question", "about_content"),
    [
        ("Where was the summit held, according to Putin's March 2022 call with Macky Sall?", True),
        ("When did Panama's new president take office, per Biden's call with him in 2024?", True),
        (
            "Biden called Sheinbaum on June 3 and October 4, 2024: what did he thank her for?",
            True,
        ),
        ("When did Harris speak with Putin, and what did they discuss?", True),
        ("What was agreed in the first call?", True),
        ("What concern did they express in their last call of November 2021?", True),
        ("What calls did Putin make in March 2022?", False),
        ("When did Biden and Olaf Scholz speak in 2022?", False),
        ("How many times did Biden call Trudeau in 2023?", False),
        ("Which leaders did Trump call in February 2025?", False),
        ("When did Putin last speak with Macron according to the readouts?", False),
        ("What was Joe Biden's last contact with Narendra Modi, per the White House?", False),
        ("What was the first call between Biden and Kishida?", False),
        ("Putin's first contact with Ilham Aliyev in 2022 - what was it and when?", False),
    ],
)
def test_questions_about_what_a_readout_says_are_not_contact_questions(
    question: str, about_content: bool
):
    from readout_qa.question_routing import asks_what_was_said

    assert asks_what_was_said(question) is about_content


def test_a_question_naming_its_topic_is_not_answered_by_meaning_alone():
    """ "What did they say about the Kuril Islands?" names its topic; a sentence that only
    comes close in meaning is no answer to it (a refusal with the closest sentences is)."""
    answerer, _, retrieval = _meaning_case(standout=[0.9, 0.3])
    question = "What did the new president say about the disputed isles?"
    assert answerer.select(question, retrieval).chosen == []


def test_a_passages_sentences_are_split_once_and_candidates_stay_per_question():
    """Splitting and stemming are remembered per passage; the candidates built from them are
    new objects each time, so one question's scores never leak into the next."""
    from readout_qa.answerers.extractive import _sentences_of, candidates

    p = make_passage("d", "The leaders met today. They agreed to open a grain corridor.")
    first, second = candidates([p]), candidates([p])
    assert [c.text for c in first] == [c.text for c in second]
    first[0].score = 99.0
    first[0].stems.add("x")
    assert second[0].score == 0.0 and "x" not in candidates([p])[0].stems
    assert _sentences_of.cache_info().hits >= 1
