"""Mechanisms behind the misses of the blind round ct-1101 ... ct-1132, each checked on
plain text no gold item uses: an aside saying whose aide someone is, "sat down with",
periods across two months and bounded by "late"/"the end of", "which <region> leader ...
first", a region's members named as examples, a title choosing between namesakes, and
father and son with one patronymic."""

from __future__ import annotations

import pytest
from test_contacts_table import WH, FakeStore

from readout_qa.answerers import Sentence
from readout_qa.contacts.answerer import ContactsAnswerer
from readout_qa.contacts.audit import audit
from readout_qa.contacts.extract import extract_mentions
from readout_qa.contacts.people import People
from readout_qa.contacts.questions import _period, parse_question
from readout_qa.contacts.table import ContactsTable
from readout_qa.models import Readout

PEOPLE = People(
    [
        ("Joseph R. Biden", "President", "United States"),
        ("Vladimir Putin", "President", "Russia"),
        ("Antony Blinken", "Secretary of State", "United States"),
        ("Hakan Fidan", "Foreign Minister", "Turkey"),
        ("Recep Tayyip Erdogan", "President", "Turkey"),
        ("Kishida Fumio", "Prime Minister", "Japan"),
        ("Narendra Modi", "Prime Minister", "India"),
        ("Anthony Albanese", "Prime Minister", "Australia"),
        ("Cyril Ramaphosa", "President", "South Africa"),
        ("Olaf Scholz", "Chancellor", "Germany"),
    ]
    * 5
)


def test_a_possessor_in_an_aside_after_a_name_only_says_whose_aide_that_is():
    q = parse_question(
        "List the calls between Antony Blinken and Hakan Fidan, Erdogan's top envoy and "
        "foreign minister, in 2023.",
        PEOPLE,
    )
    assert q is not None and q.names == ["Antony Blinken", "Hakan Fidan"]
    # a possessor naming the other side is still a participant
    q = parse_question("List Blinken's calls with Fidan and Erdogan in 2023.", PEOPLE)
    assert q is not None and "Erdogan" in q.names


def test_sat_down_with_asks_for_meetings():
    q = parse_question("Who did Putin sit down with in March 2023?", PEOPLE)
    assert q is not None and q.shape == "list"
    assert q.kinds is not None and "meeting" in q.kinds and "phone call" not in q.kinds


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("calls Sep 28 - Oct 3, 2022", ("2022-09-28", "2022-10-03")),
        ("calls Sept. 28 to Oct. 3 2022", ("2022-09-28", "2022-10-03")),
        ("calls from late Sep 2022", ("2022-09-21", None)),
        ("calls from early March 2023", ("2023-03-01", None)),
        ("calls until the end of May 2023", (None, "2023-05-31")),
        ("calls before mid-May 2023", (None, "2023-05-10")),
        ("calls in late May 2023", ("2023-05-22", "2023-05-31")),
    ],
)
def test_periods_across_months_and_bounded_by_part_of_a_month(text, expected):
    assert _period(text)[:2] == expected


def test_which_region_leader_first_asks_for_the_first_contact():
    q = parse_question("Which Asian leader did Biden meet first in 2023, and where?", PEOPLE)
    assert q is not None and q.shape == "first" and q.counterparts


def test_an_event_named_with_a_number_is_no_person():
    q = parse_question(
        "Who did Putin meet during the Kazan BRICS2024 trip, Oct 21 - Oct 24, 2024?", PEOPLE
    )
    assert q is not None and q.names == ["Putin"]
    assert (q.since, q.until) == ("2024-10-21", "2024-10-24")


# --------------------------------------------------------------- answers from a table
QUAD_BILATERAL = (
    "wh-albanese",
    "2023-05-20",
    WH,
    "President Joseph R. Biden, Jr. met today with Prime Minister Anthony Albanese of "
    "Australia. The leaders discussed the Indo-Pacific.",
)
HOME_MEETING = (
    "wh-blinken",
    "2023-05-22",
    WH,
    "President Joseph R. Biden, Jr. met today with Secretary of State Antony Blinken. They "
    "reviewed the week ahead.",
)
KING = (
    "wh-king",
    "2023-06-02",
    WH,
    "President Joseph R. Biden, Jr. spoke today with King Abdullah bin Hussein Al Hashemi "
    "of Jordan. The leaders discussed the region.",
)
SON = (
    "wh-son",
    "2023-06-05",
    WH,
    "President Joseph R. Biden, Jr. spoke today with Crown Prince Hussein bin Abdullah bin "
    "Hussein Al Hashemi of Jordan. They discussed youth programmes.",
)
SON_AGAIN = (
    "wh-son-2",
    "2023-06-09",
    WH,
    "President Joseph R. Biden, Jr. met today with Crown Prince Hussein bin Abdullah bin "
    "Hussein Al Hashemi of Jordan. They discussed water.",
)


@pytest.fixture
def answerer(tmp_path):
    store = FakeStore(QUAD_BILATERAL, HOME_MEETING, KING, SON, SON_AGAIN)
    table = ContactsTable(tmp_path / "contacts.sqlite")
    table.sync(store)
    return ContactsAnswerer(lambda: table, store.bodies), table


def text_of(answerer: ContactsAnswerer, question: str) -> str:
    return " ".join(e.text for e in answerer.stream(question, None, []) if isinstance(e, Sentence))


def test_a_region_holding_the_askers_country_counts_no_colleague_of_his(answerer):
    contacts, _ = answerer
    text = text_of(
        contacts,
        "How many times did Biden meet his Quad counterparts (the Japanese, Indian or "
        "Australian PM) in May 2023?",
    )
    assert "1 meeting" in text and "Albanese" in text and "Blinken" not in text


def test_father_and_son_with_one_patronymic_are_two_people(answerer):
    _, table = answerer
    people = table.people()
    king = people.match("Abdullah bin Hussein Al Hashemi")
    son = people.match("Hussein bin Abdullah bin Hussein Al Hashemi")
    assert king and son and king[0] is not son[0]


def test_a_title_typed_chooses_between_namesakes(answerer):
    contacts, _ = answerer
    text = text_of(contacts, "How many times did Biden speak with King Abdullah in 2023?")
    assert "1 phone call" in text and "June 2, 2023" in text and "June 5" not in text
    text = text_of(contacts, "How many times did Biden speak with Crown Prince Hussein in 2023?")
    assert "2 calls and meetings" in text
    assert "June 2, 2023" not in text


# ------------------------------------------------------------- extraction, audit
def _readout(body: str, doc: str = "r1", title: str = "Readout of a call") -> Readout:
    return Readout(doc_id=doc, title=title, date="2022-05-10", source="", publisher=WH, text=body)


def _people(body: str) -> list[tuple[str, str]]:
    return [(p.name, p.country) for m in extract_mentions(_readout(body)) for p in m.participants]


@pytest.mark.parametrize(
    ("sentence", "who"),
    [
        (  # a word ending in "-ing" that opens an office ends no clause
            "National Security Advisor Jake Sullivan spoke by phone today with Marta Olsen, "
            "incoming National Security Advisor to the Prime Minister of Norway.",
            ("Marta Olsen", "Norway"),
        ),
        (  # an office of a body, then the name between commas
            "National Security Advisor Jake Sullivan met today with the Secretary General of "
            "Kenya’s National Security Council, Amos Njoroge, to discuss shared efforts.",
            ("Amos Njoroge", "Kenya"),
        ),
        (  # the counterpart, by the demonym
            "National Security Advisor Jake Sullivan spoke today with his Brazilian "
            "counterpart Paulo Tavares.",
            ("Paulo Tavares", "Brazil"),
        ),
    ],
)
def test_officials_named_around_their_office_are_found_with_their_country(sentence, who):
    assert who in _people(sentence)


def test_the_rest_of_a_country_or_an_office_is_no_name():
    found = _people(
        "President Joe Biden today spoke with His Highness Sheikh Mohamed bin Zayed Al Nahyan, "
        "President of the United Arab Emirates, about clean energy."
    )
    assert [n for n, _ in found] == ["Joseph R. Biden", "Mohamed bin Zayed Al Nahyan"]
    found = _people(
        "Deputy National Security Advisor Daleep Singh met today with Anna Vogt, Chief of "
        "Division for Economic, Financial, and Labor Policy, to discuss a range of issues."
    )
    assert "Financial" not in [n for n, _ in found]


def test_the_audit_counts_people_the_table_cannot_place_in_a_country():
    placed_elsewhere = _readout(
        "President Joseph R. Biden, Jr. spoke today with Prime Minister Ola Kettil of Norway.",
        doc="elsewhere",
    )
    bare = _readout("President Joseph R. Biden, Jr. spoke today with Prime Minister Kettil.")
    union = _readout(
        "President Joseph R. Biden, Jr. spoke today with European Commission President Ulla "
        "Brandt.",
        doc="union",
    )
    nowhere = _readout(
        "President Joseph R. Biden, Jr. spoke today with Prime Minister Jon Doe.", doc="nowhere"
    )
    report = audit([placed_elsewhere, bare, union, nowhere])
    assert report.counts["participant_no_country"] == 3  # Kettil once, Brandt, Doe
    assert report.counts["person_no_country"] == 1
    assert "Jon Doe" in report.examples["person_no_country"][0]


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        (
            "Vladimir Putin met with Head of the Federal Fisheries Service Ivan Petrov.",
            "Ivan Petrov",
        ),
        (
            "Vladimir Putin met with Governor of the Komi-Perm Autonomous Area Olga Smirnova.",
            "Olga Smirnova",
        ),
        (
            "Vladimir Putin met with Head of the Federal Medical-Technical Agency Anna Orlova.",
            "Anna Orlova",
        ),
    ],
)
def test_a_bodys_name_after_an_office_is_read_to_its_end(sentence, name):
    """Not "Fisheries", "Autonomous Area Olga Smirnova" or "Medical": the body's name runs
    on to its noun ("Service", "Area", "Agency"), the person's name follows it."""
    from readout_qa.entities import find_leaders

    assert find_leaders(sentence, officials=True) == [name]


def test_a_name_neither_runs_over_a_line_break_nor_loses_its_surname():
    """The title and the body are scanned together: "... Olaf Scholz" ending the title and
    "Vladimir Putin" opening the body are two people. A list of offices without commas
    keeps each whole name ("Secretary Tom Vilsack Department of ...")."""
    from readout_qa.entities import find_leaders

    scan = "Telephone conversation with Chancellor Olaf Scholz\nVladimir Putin spoke today."
    assert find_leaders(scan) == ["Olaf Scholz"]
    listed = (
        "Department of Agriculture Secretary Tom Vilsack Department of Commerce Secretary "
        "Gina Raimondo Department of Labor Secretary Marty Walsh"
    )
    assert find_leaders(listed) == ["Tom Vilsack", "Gina Raimondo", "Marty Walsh"]
