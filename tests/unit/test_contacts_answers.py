"""Contact questions: which questions are about contacts, and the answers from the table
(format, counts equal to lines, citations of both governments, a plain "none")."""

from __future__ import annotations

import pytest
from test_contacts_table import KREMLIN, KREMLIN_CALL, WH, WH_CALL, WH_LATER, FakeStore

from readout_qa.answerers import Outcome, Sentence
from readout_qa.contacts.answerer import ContactsAnswerer
from readout_qa.contacts.people import People
from readout_qa.contacts.questions import parse_question
from readout_qa.contacts.table import ContactsTable

PEOPLE = People(
    [
        ("Joseph R. Biden", "President", "United States"),
        ("Olaf Scholz", "Chancellor", "Germany"),
        ("Justin Trudeau", "Prime Minister", "Canada"),
        ("Donald J. Trump", "President", "United States"),
        ("Volodymyr Zelenskyy", "President", "Ukraine"),
        ("Xi Jinping", "President", "China"),
        ("Vladimir Putin", "President", "Russia"),
        ("Emmanuel Macron", "President", "France"),
        ("Li Keqiang", "Premier", "China"),
        ("Recep Tayyip Erdogan", "President", "Turkey"),
    ]
)


@pytest.mark.parametrize(
    ("question", "shape", "names", "kinds", "window", "period"),
    [
        (
            "When did Biden and Olaf Scholz speak in 2022?",
            "list",
            ["Biden", "Olaf Scholz"],
            None,
            ("2022-01-01", "2022-12-31"),
            " in 2022",
        ),
        (
            "How many times did Biden call Trudeau in 2023?",
            "count",
            ["Biden", "Trudeau"],
            ("phone call", "video call"),
            ("2023-01-01", "2023-12-31"),
            " in 2023",
        ),
        (
            "Which leaders did Trump call in February 2025?",
            "list",
            ["Trump"],
            ("phone call", "video call"),
            ("2025-02-01", "2025-02-28"),
            " in February 2025",
        ),
        (
            "How many times did Biden speak with Zelensky in 2022?",
            "count",
            ["Biden", "Zelensky"],
            None,
            ("2022-01-01", "2022-12-31"),
            " in 2022",
        ),
        (
            "What did Biden and Xi discuss each time they spoke in 2022?",
            "each",
            ["Biden", "Xi"],
            None,
            ("2022-01-01", "2022-12-31"),
            " in 2022",
        ),
        (
            "When did Biden last meet Xi Jinping?",
            "last",
            ["Biden", "Xi Jinping"],
            ("meeting", "talks", "visit", "summit", "video call"),  # "met virtually" too
            (None, None),
            "",
        ),
        (
            "List Putin's phone calls with Macron between March and June 2022.",
            "list",
            ["Putin", "Macron"],
            ("phone call",),
            ("2022-03-01", "2022-06-30"),
            " from March to June 2022",
        ),
        (
            "Which leaders did Putin speak with in the first half of November 2021?",
            "list",
            ["Putin"],
            None,
            ("2021-11-01", "2021-11-15"),
            " from November 1, 2021 to November 15, 2021",
        ),
        (
            "How many calls did Biden have with Xi in the third quarter of 2022?",
            "count",
            ["Biden", "Xi"],
            ("phone call", "video call"),
            ("2022-07-01", "2022-09-30"),
            " from July to September 2022",
        ),
        (
            "Who did Biden call in the first half of 2022?",
            "list",
            ["Biden"],
            ("phone call", "video call"),
            ("2022-01-01", "2022-06-30"),
            " from January to June 2022",
        ),
        (
            "Who did Biden meet in late March 2022?",
            "list",
            ["Biden"],
            ("meeting", "talks", "visit", "summit", "video call"),  # "met virtually" too
            ("2022-03-22", "2022-03-31"),
            " from March 22, 2022 to March 31, 2022",
        ),
        (
            "In the Kremlin readouts (October 2021 onwards), when did Putin first meet or "
            "speak with Serbian President Aleksandar Vučić?",
            "first",
            ["Putin", "Aleksandar Vučić"],
            None,
            ("2021-10-01", None),
            " since October 1, 2021",
        ),
        (
            "Trace Biden's contacts with Turkish President Erdoğan during 2023: every call "
            "and meeting, with its date.",
            "list",
            ["Biden", "Erdoğan"],
            None,
            ("2023-01-01", "2023-12-31"),
            " in 2023",
        ),
        (
            "When did Biden first speak with Zelenskyy as president?",
            "first",
            ["Biden", "Zelenskyy"],
            None,
            (None, None),
            "",
        ),
    ],
)
def test_contact_questions_are_read(question, shape, names, kinds, window, period):
    q = parse_question(question, PEOPLE)
    assert q is not None
    assert (q.shape, q.names, q.kinds, (q.since, q.until), q.period) == (
        shape,
        names,
        kinds,
        window,
        period,
    )


def test_asides_publishers_and_foreign_leaders():
    q = parse_question(
        "How many phone calls did Putin have with Macron in March 2022, counting joint calls "
        "with Scholz?",
        PEOPLE,
    )
    assert (q.names, q.optional) == (["Putin", "Macron"], ["Scholz"])
    q = parse_question("When did Putin last speak with Macron according to the Kremlin?", PEOPLE)
    assert q.publisher == "kremlin"
    q = parse_question("Which foreign leaders did Trump call in January 2025?", PEOPLE)
    assert q.counterparts and q.foreign


@pytest.mark.parametrize(
    "question",
    [
        "What fields did Li Keqiang highlight with Belgium?",
        "What did Biden and Xi agree on AI at Woodside?",
        "At their November 2024 meeting in Lima, how many synthetic drugs did Biden welcome China "
        "scheduling?",
        "Which Chinese official attended Li Keqiang's video conference with the Belgian prime "
        "minister?",
        "For how long did Biden and Putin discuss extending New START in their first call?",
        "According to Xi Jinping, how many times had he and Putin met since 2013?",
        "Which agreement did Biden and Macron commit to protect when they first spoke?",
        "When did Biden meet Xi at Woodside?",  # a place the table cannot answer for
        "How many times did the readouts mention climate?",  # no person
    ],
)
def test_other_questions_keep_the_usual_path(question):
    assert parse_question(question, PEOPLE) is None


@pytest.fixture
def answerer(tmp_path):
    store = FakeStore(WH_CALL, KREMLIN_CALL, WH_LATER)
    table = ContactsTable(tmp_path / "contacts.sqlite")
    table.sync(store)
    return ContactsAnswerer(lambda: table, store.bodies), store


def ask(answerer: ContactsAnswerer, question: str):
    events = list(answerer.stream(question, None, []))
    assert all(isinstance(e, Sentence) for e in events[:-1])
    assert isinstance(events[-1], Outcome)
    return " ".join(e.text for e in events[:-1]), events[-1]


def test_a_count_lists_each_contact_and_cites_both_governments(answerer):
    answerer, store = answerer
    assert answerer.handles("How many times did Biden and Putin speak in 2022?")
    text, outcome = ask(answerer, "How many times did Biden and Putin speak in 2022?")
    assert text == (
        "The readouts record 1 phone call between Joseph R. Biden and Vladimir Putin in 2022: "
        "\n- February 12, 2022, phone call, Joseph R. Biden and Vladimir Putin [1][2]"
    )
    assert {c.doc_id for c in outcome.citations} == {"wh-call", "kr-call"}
    assert {c.publisher for c in outcome.citations} == {WH, KREMLIN}
    for c in outcome.citations:
        assert store.items[c.doc_id][2][c.start : c.end] == c.quote
    assert [c.date for c in outcome.contacts] == ["2022-02-12"]


def test_none_is_said_plainly_and_cites_nothing(answerer):
    answerer, _ = answerer
    text, outcome = ask(answerer, "When did Biden and Putin speak in 2023?")
    assert (
        text == "The readouts record no call or meeting between Joseph R. Biden and Vladimir Putin "
        "in 2023."
    )
    assert outcome.citations == [] and outcome.contacts == []
    text, _ = ask(answerer, "How many times did Biden call Kim Jong Un?")
    assert text == "The readouts record no call between Joseph R. Biden and Kim Jong Un."


def test_first_last_counterparts_and_each(answerer):
    answerer, _ = answerer
    text, _ = ask(answerer, "When did Biden last speak with Xi?")
    assert text.startswith(
        "The most recent call or meeting between Joseph R. Biden and Xi Jinping in the readouts "
        "was on March 18, 2022:"
    )
    text, outcome = ask(answerer, "Which leaders did Biden call in 2022?")
    assert text.startswith("The readouts record 2 calls between Joseph R. Biden and other leaders")
    assert text.count("\n- ") == len(outcome.contacts) == 2
    text, outcome = ask(answerer, "What did Biden and Putin discuss each time they spoke?")
    assert "; what each readout says was discussed:" in text
    assert text.endswith(
        "President Biden was clear that an invasion would produce widespread human suffering. [3]"
    )
    assert outcome.citations[-1].quote.startswith("President Biden was clear")


@pytest.mark.parametrize(
    ("question", "names"),
    [
        (
            "How many calls did Putin have with French President Emmanuel Macron?",
            ["Putin", "Emmanuel Macron"],
        ),
        ("When did Biden last speak with German Chancellor Olaf Scholz?", ["Biden", "Olaf Scholz"]),
        (
            "List the calls between Canadian Prime Minister Justin Trudeau and Biden.",
            ["Justin Trudeau", "Biden"],
        ),
    ],
)
def test_titles_and_demonyms_before_a_name_are_not_part_of_it(question, names):
    """ "Italian Prime Minister Mario Draghi" is Mario Draghi: looked up with the title, the
    name matched no one and the answer said the readouts recorded no call."""
    q = parse_question(question, PEOPLE)
    assert q is not None and q.names == names


WH_BOLSONARO = (
    "wh-bolsonaro",
    "2022-06-09",
    WH,
    "President Joseph R. Biden, Jr. and President Jair Messias Bolsonaro met today to reaffirm "
    "the strategic importance of the relationship between the United States and Brazil. The "
    "leaders discussed the Amazon, where President Bolsonaro of Brazil pledged to end illegal "
    "deforestation.",
)
KR_BOLSONARO = (
    "kr-bolsonaro",
    "2022-02-16",
    KREMLIN,
    "Vladimir Putin held talks in the Kremlin with President of Brazil Jair Bolsonaro.",
)
WH_OSINBAJO = (
    "wh-osinbajo",
    "2022-09-02",
    WH,
    "Vice President Kamala Harris met today with Vice President Yemi Osinbajo of Nigeria.",
)
WH_MORAWIECKI = (
    "wh-morawiecki",
    "2022-09-04",
    WH,
    "Vice President Kamala Harris spoke today with Prime Minister Mateusz Morawiecki of Poland.",
)


@pytest.fixture
def wider(tmp_path):
    store = FakeStore(WH_CALL, KREMLIN_CALL, WH_BOLSONARO, KR_BOLSONARO, WH_OSINBAJO, WH_MORAWIECKI)
    table = ContactsTable(tmp_path / "contacts.sqlite")
    table.sync(store)
    return ContactsAnswerer(lambda: table, store.bodies), table


def test_a_foreign_leader_named_in_the_subject_keeps_his_own_country(wider):
    """ "President Biden and President Bolsonaro met": Bolsonaro is no US official, so the
    two governments' readouts of him are one person."""
    _, table = wider
    bolsonaro = table.people().match("Jair Bolsonaro")
    assert len(bolsonaro) == 1 and bolsonaro[0].country == "Brazil"
    assert {"Jair Messias Bolsonaro", "Jair Bolsonaro"} <= bolsonaro[0].forms


def test_contacts_with_one_or_another_person_are_listed_together(wider):
    answerer, _ = wider
    text, outcome = ask(
        answerer, "Give a timeline of Jair Bolsonaro's meetings with Biden and with Putin in 2022."
    )
    assert text.startswith("The readouts record 2 meetings between Jair ")
    assert text.count("\n- ") == 2
    assert [c.date for c in outcome.contacts] == ["2022-02-16", "2022-06-09"]
    assert {c.doc_id for c in outcome.citations} == {"wh-bolsonaro", "kr-bolsonaro"}
    # without "and with", all three together: no such meeting
    text, _ = ask(answerer, "When did Bolsonaro, Biden and Putin meet in 2022?")
    assert "record no" in text


def test_presidents_and_prime_ministers_leave_out_a_vice_president(wider):
    answerer, _ = wider
    _, outcome = ask(answerer, "Which foreign leaders did Harris meet or call in September 2022?")
    assert len(outcome.contacts) == 2
    _, outcome = ask(
        answerer,
        "Which foreign presidents and prime ministers did Harris meet or call in September 2022?",
    )
    assert [c.date for c in outcome.contacts] == ["2022-09-04"]


def test_a_question_naming_both_governments_filters_by_neither():
    q = parse_question(
        "When did Biden and Putin speak, according to the White House and Kremlin readouts?",
        PEOPLE,
    )
    assert q is not None and q.publisher == ""


@pytest.mark.parametrize(
    ("question", "window", "period"),
    [
        (
            "Which foreign leaders did Putin meet or speak with between December 16 and "
            "December 31, 2021?",
            ("2021-12-16", "2021-12-31"),
            " from December 16, 2021 to December 31, 2021",
        ),
        (
            "List Biden's calls and meetings with Macron from October through December 2021.",
            ("2021-10-01", "2021-12-31"),
            " from October to December 2021",
        ),
        (
            "List Putin's calls with Macron from March 2022.",
            ("2022-03-01", None),
            " since March 1, 2022",
        ),
    ],
)
def test_windows_with_both_ends_or_one(question, window, period):
    q = parse_question(question, PEOPLE)
    assert q is not None
    assert ((q.since, q.until), q.period) == (window, period)


def test_a_country_describing_a_person_is_no_further_condition():
    q = parse_question(
        "How many times did Putin talk to France's president Emmanuel Macron in 2022?", PEOPLE
    )
    assert q is not None and q.countries == []
    q = parse_question("How many times did Biden call Trudeau and the French president?", PEOPLE)
    assert q is not None and q.countries == ["France"]


def test_yes_or_no_questions_about_contacts_are_answered_with_the_list():
    q = parse_question("Has Biden ever met Xi Jinping?", PEOPLE)
    assert q is not None and q.shape == "list"
    q = parse_question(
        "Did Putin speak with Macron after their talks in Moscow in February 2022? List any "
        "contacts.",
        PEOPLE,
    )
    assert q is not None and q.shape == "list" and q.after_first
    assert parse_question("Did Biden and Xi discuss Taiwan when they met in 2023?", PEOPLE) is None


def test_after_a_named_contact_the_window_opens_the_next_day(answerer):
    answerer, _ = answerer
    text, outcome = ask(
        answerer,
        "Did Biden speak with Putin after their call in Washington in February 2022? List any "
        "contacts.",
    )
    assert text == (
        "The readouts record no call or meeting between Joseph R. Biden and Vladimir Putin "
        "after February 12, 2022."
    )
    assert outcome.contacts == []


@pytest.mark.parametrize(
    ("question", "names", "alternatives"),
    [
        (
            "How many times did UN Secretary-General Xi Jinping meet Biden or Putin?",
            ["Xi Jinping", "Biden", "Putin"],
            ["Biden", "Putin"],
        ),
        (
            "Did Macron talk to Biden or to Putin? List each call.",
            ["Macron", "Biden", "Putin"],
            ["Biden", "Putin"],
        ),
        (
            "Give a timeline of Putin's and Biden's calls with Macron in 2022.",
            ["Putin", "Biden", "Macron"],
            ["Putin", "Biden"],
        ),
        ("When did Biden and Putin speak in 2022?", ["Biden", "Putin"], []),
        ("When did Biden, Macron and Scholz speak in 2022?", ["Biden", "Macron", "Scholz"], []),
    ],
)
def test_names_joined_by_or_are_alternatives(question, names, alternatives):
    q = parse_question(question, PEOPLE)
    assert q is not None
    assert (q.names, q.alternatives) == (names, alternatives)


def test_titles_and_countries_of_several_words_before_a_name_are_left_out():
    q = parse_question("When did New Zealand PM Justin Trudeau speak with Biden?", PEOPLE)
    assert q is not None and q.names == ["Justin Trudeau", "Biden"]
    q = parse_question("Trace Biden's calls with Trudeau in 2023.", PEOPLE)
    assert q is not None and q.names == ["Biden", "Trudeau"]


@pytest.mark.parametrize(
    "question",
    [
        "Who among foreign leaders did Putin speak with or meet from December 1 to 15, 2021?",
        "List the foreign leaders Putin spoke to between December 1 and December 15, 2021.",
    ],
)
def test_foreign_leaders_and_a_range_of_days(question):
    q = parse_question(question, PEOPLE)
    assert q is not None and q.counterparts and q.foreign
    assert (q.since, q.until) == ("2021-12-01", "2021-12-15")


def test_either_of_two_leaders_with_a_countrys_leaders(wider):
    answerer, _ = wider
    text, outcome = ask(
        answerer, "Give a timeline of Putin's and Biden's meetings with Brazil's leaders."
    )
    assert text.startswith(
        "The readouts record 2 meetings between Vladimir Putin or Joseph R. Biden and leaders of "
        "Brazil"
    )
    assert [c.date for c in outcome.contacts] == ["2022-02-16", "2022-06-09"]
