"""Mechanisms found by auditing the extraction over whole corpora and by the misses of a
blind round, each on plain text that no gold item uses: aides' offices, Arabic particles,
offices named instead of names, lists closed by "or", names that only describe someone,
the country of a counterpart stated without one, group readouts of known members."""

from __future__ import annotations

from dataclasses import replace

import pytest

from readout_qa.contacts.audit import audit
from readout_qa.contacts.extract import extract_mentions
from readout_qa.contacts.people import People
from readout_qa.contacts.questions import parse_question
from readout_qa.entities import find_leaders
from readout_qa.models import Readout

WH = "The White House"
KREMLIN = "President of Russia (kremlin.ru)"


def readout(body: str, title: str = "", date: str = "2022-05-10", publisher: str = WH, doc="r1"):
    return Readout(doc_id=doc, title=title, date=date, source="", publisher=publisher, text=body)


def people_of(body: str, **kw) -> list[tuple[str, str]]:
    return [
        (p.name, p.country) for m in extract_mentions(readout(body, **kw)) for p in m.participants
    ]


# ------------------------------------------------------------------ extraction
@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        (
            "National Security Advisor Jake Sullivan spoke by phone today with Head of "
            "Presidential Office Oleh Petrenko of Ukraine.",
            "Oleh Petrenko",
        ),
        (
            "National Security Advisor Jake Sullivan met with Party Politburo Member and "
            "Director of the Office of the Central Foreign Affairs Commission Li Wen in Oslo.",
            "Li Wen",
        ),
        (
            "National Security Advisor Jake Sullivan spoke today with Ana Ruiz, Chief "
            "Diplomatic Advisor to the President of Chile.",
            "Ana Ruiz",
        ),
    ],
)
def test_aides_behind_their_office_are_found_for_the_contacts_table(sentence, name):
    assert name not in find_leaders(sentence)  # retrieval's leaders: heads and ministers
    assert name in find_leaders(sentence, officials=True)
    assert name in [n for n, _ in people_of(sentence)]


def test_capitalised_arabic_particles_keep_the_whole_name_and_its_country():
    body = (
        "Today in Riyadh, President Joseph R. Biden, Jr. met with Amir Sheikh Fahad Bin Nasser "
        "Al Ruwaished of Kuwait."
    )
    assert "Fahad Bin Nasser Al Ruwaished" in find_leaders(body)
    assert ("Fahad Bin Nasser Al Ruwaished", "Kuwait") in people_of(body)


def test_a_date_after_a_name_is_no_part_of_it():
    body = "President Biden met with UN Secretary-General Maria Lopez September 24 in New York."
    assert find_leaders(body)[-1] == "Maria Lopez"


def test_an_opening_phrase_about_another_contact_names_no_participant():
    body = (
        "After an audience with His Holiness Pope Francis, President Joseph R. Biden, Jr. met "
        "Vatican Secretary of State Cardinal Parolin."
    )
    names = [n for n, _ in people_of(body, title="Readout of a Meeting")]
    assert "Francis" not in " ".join(names) and "Cardinal Parolin" in names


def test_an_audience_title_is_a_meeting_and_the_pope_is_of_the_holy_see():
    title = "Readout of President Biden’s Audience with His Holiness Pope Francis"
    body = "In his audience with Pope Francis today, President Biden thanked His Holiness."
    [m] = extract_mentions(readout(body, title=title))
    assert m.kind == "meeting"
    assert [(p.name, p.country) for p in m.participants][-1] == ("Francis", "Vatican City")


def test_a_counterpart_stated_without_a_country_takes_the_one_the_readout_names_as_an_office():
    title = "Telephone conversation with Askar Akayev"
    body = (
        "During a telephone conversation, Vladimir Putin congratulated Askar Akayev on the "
        "anniversary of his election as President of the Kyrgyz Republic."
    )
    assert ("Askar Akayev", "Kyrgyzstan") in people_of(body, title=title, publisher=KREMLIN)
    # a country named otherwise ("detained in Russia") says nothing of who someone is
    title = "Readout of President Biden’s Call with Mary Jones"
    body = "President Biden spoke today with Mary Jones, whose husband is detained in Russia."
    assert all(c in ("", "United States") for _, c in people_of(body, title=title))


def test_the_leader_of_a_state_the_iso_tables_lack_has_that_state_as_country():
    title = "Telephone conversation with President of Abkhazia Aslan Bzhania"
    body = "Vladimir Putin had a telephone conversation with President of Abkhazia Aslan Bzhania."
    assert ("Aslan Bzhania", "Abkhazia") in people_of(body, title=title, publisher=KREMLIN)


def test_a_g7_readout_naming_a_members_leader_is_a_contact_with_them_not_an_announcement():
    title = "Statement by Press Secretary on President Biden’s Meeting with G7 Leaders"
    body = (
        "The President and G7 Leaders reaffirmed their resolve to respond to the attack. "
        "President Biden conveyed his thanks to German Chancellor Olaf Scholz for bringing "
        "all the Leaders together."
    )
    names = [n for n, _ in people_of(body, title=title, date="2022-02-24")]
    assert names == ["Joseph R. Biden", "Olaf Scholz"]
    ahead = "President Biden will virtually meet with G7 leaders on August 24, 2021. " + body
    assert people_of(ahead, title=title, date="2022-02-24") == []


def test_co_hosts_of_a_meeting_are_its_participants():
    body = (
        "Today, President Joseph R. Biden, Jr. and Zambian President Hakainde Hichilema "
        "co-hosted African leaders from Angola and Tanzania to celebrate the corridor."
    )
    assert people_of(body, title="Readout of the Corridor Summit") == [
        ("Joseph R. Biden", "United States"),
        ("Hakainde Hichilema", "Zambia"),
    ]


def test_a_contact_stated_only_in_an_opening_phrase_is_the_title_actors():
    title = "Readout of Vice President Harris’s Trip to Oman"
    body = (
        "Vice President Kamala Harris today led a delegation to Muscat. In her visit with "
        "Omani Sultan Haitham bin Tariq, the Vice President conveyed condolences."
    )
    assert people_of(body, title=title) == [
        ("Kamala Harris", "United States"),
        ("Haitham bin Tariq", "Oman"),
    ]


def test_aides_of_the_publisher_among_themselves_are_no_contact():
    body = (
        "On Monday, National Economic Advisor Jane Roe, Domestic Policy Advisor Ann Poe, and "
        "Chief Economist Liz Moe met with a group of union tradeswomen."
    )
    assert people_of(body, title="Readout of Meeting with Tradeswomen") == []
    body = "National Security Advisor Jake Sullivan met today with Director Li Wen in Oslo."
    assert [n for n, _ in people_of(body)] == ["Jake Sullivan", "Li Wen"]  # country unstated


# ------------------------------------------------------------------ the audit
def test_the_audit_counts_titled_contacts_without_a_row_and_counterparts_without_a_country():
    silent = readout(
        "The leaders discussed the harvest.",
        title="Readout of President Biden’s Call with Prime Minister Ana Brnabic of Serbia",
        doc="silent",
    )
    stateless = readout(
        "President Joseph R. Biden, Jr. spoke today with Prime Minister Jon Doe.",
        title="Readout of a call",
        doc="stateless",
    )
    fine = readout(
        "President Joseph R. Biden, Jr. spoke today with Prime Minister Justin Trudeau of Canada.",
        title="Readout of President Biden’s Call with Prime Minister Trudeau of Canada",
        doc="fine",
    )
    ahead = readout(
        "", title="On May 3, Vladimir Putin will hold talks with President of Serbia", doc="a"
    )
    report = audit([silent, stateless, fine, ahead])
    assert report.readouts == 4
    assert report.counts["titled_contact_no_row"] == 1
    assert report.examples["titled_contact_no_row"][0].startswith("silent")
    assert report.counts["participant_no_country"] == 1
    assert "Jon Doe" in report.examples["participant_no_country"][0]


def test_the_audit_finds_one_event_of_both_governments_left_unmerged():
    wh = readout(
        "President Joseph R. Biden, Jr. spoke today with President Vladimir Putin of Russia.",
        title="Readout of President Biden’s Call with President Putin of Russia",
        date="2022-02-12",
        doc="wh",
    )
    kremlin = readout(
        "Vladimir Putin had a telephone conversation with President of the United States "
        "Joseph Biden.",
        title="Telephone conversation with US President Joseph Biden",
        date="2022-02-12",
        publisher=KREMLIN,
        doc="kr",
    )
    report = audit([wh, kremlin])
    assert report.contacts == 1 and report.counts["not_merged"] == 0


# ------------------------------------------------------------------ questions
OFTEN = [
    ("Joseph R. Biden", "President", "United States"),
    ("Vladimir Putin", "President", "Russia"),
    ("Kamala Harris", "Vice President", "United States"),
    ("Donald J. Trump", "President", "United States"),
    ("Jake Sullivan", "National Security Advisor", "United States"),
    ("Jon Finer", "Principal Deputy National Security Advisor", "United States"),
    ("Gabriel Boric", "President", "Chile"),
    ("Mia Mottley", "Prime Minister", "Barbados"),
    ("Ilir Meta", "President", "Albania"),
    ("Andriy Yermak", "Head of the Office of the President", "Ukraine"),
    ("Volodymyr Zelenskyy", "President", "Ukraine"),
    ("Hun Sen", "Prime Minister", "Cambodia"),
]
RARE = [("Phil Gordon", "Vice President", "United States")]  # a garbled aide's title, once
PEOPLE = People([row for row in OFTEN for _ in range(25)] + RARE)


def ask(question: str):
    parsed = parse_question(question, PEOPLE)
    assert parsed is not None, question
    return parsed


@pytest.mark.parametrize(
    ("question", "required", "alternatives"),
    [
        (
            "Chile's Gabriel Boric: list every call or meeting he had with Putin, Biden, Vice "
            "President Harris or Trump, with dates.",
            "Gabriel Boric",
            {"Putin", "Biden", "Harris", "Trump"},
        ),
        (
            "Albania's Ilir Meta - when did Jake Sullivan or his deputy Jon Finer talk to him?",
            "Ilir Meta",
            {"Jake Sullivan", "Jon Finer"},
        ),
        (
            "How many times did Biden, Harris or Jake Sullivan meet or speak with Mia Mottley?",
            "Mia Mottley",
            {"Biden", "Harris", "Jake Sullivan"},
        ),
    ],
)
def test_a_list_closed_by_or_names_each_one_in_turn(question, required, alternatives):
    asked = ask(question)
    assert required in asked.names and required not in asked.alternatives
    assert set(asked.alternatives) == alternatives


def test_a_second_counterpart_after_the_period_is_asked_about_in_turn():
    """ "... with Hun Sen in 2022, and with Mia Mottley?": each of the two with Biden, not one
    contact of all three (the readouts had none, and the answer said so)."""
    asked = ask("How many times did Biden speak with Hun Sen in 2022, and with Mia Mottley?")
    assert "Biden" in asked.names and "Biden" not in asked.alternatives
    assert set(asked.alternatives) == {"Hun Sen", "Mia Mottley"}


def test_the_name_after_with_is_the_counterpart_not_one_more_alternative():
    """ "Sullivan or his deputy speak with Hun Sen": the office closes the list, the name after
    "with" is the one they spoke to (read as a third alternative, no one was left to be the
    counterpart and the answer's header failed)."""
    asked = ask("When did Jake Sullivan or his deputy speak with Hun Sen in 2023?")
    assert "Hun Sen" in asked.names and "Hun Sen" not in asked.alternatives
    assert set(asked.alternatives) == {"Jake Sullivan", "Jon Finer"}


def test_an_office_stands_for_whoever_held_it():
    asked = ask(
        "When did Gabriel Boric speak with or meet President Biden or his National Security "
        "Advisor?"
    )
    assert "Jake Sullivan" in asked.names
    assert set(asked.alternatives) == {"Biden", "Jake Sullivan"}
    asked = ask(
        "In 2022, how many times did senior Biden administration officials at the White House "
        "(the Vice President, the National Security Advisor or his deputy) meet Mia Mottley?"
    )
    assert "Biden" not in asked.names  # "Biden administration": no participant
    assert set(asked.alternatives) == {"Kamala Harris", "Jake Sullivan", "Jon Finer"}
    assert "Phil Gordon" not in asked.names  # named once with the office: a slip


def test_a_possessor_of_someones_office_is_no_participant():
    asked = ask(
        "how many calls did jake sullivan have w/ zelensky's chief of staff andriy yermak in 2022?"
    )
    assert asked.names == ["Jake Sullivan", "Andriy Yermak"]
    asked = ask("How many calls did Biden have with Zelenskyy in 2022?")
    assert asked.names == ["Biden", "Zelenskyy"]


def test_a_name_whose_words_are_country_abbreviations_is_still_the_person():
    asked = ask(
        "Cambodia's Hun Sen: did he have contacts with Putin and with Biden? Give each with "
        "its date."
    )
    assert asked.names[0] == "Hun Sen"
    assert set(asked.alternatives) == {"Putin", "Biden"}


def test_which_leaders_met_in_a_city_asks_where_and_a_trip_aside_or_a_period_does_not():
    asked = ask(
        "Which Gulf leaders did Biden meet in Jeddah during his July 2022 Middle East trip?"
    )
    assert (asked.place, asked.names, asked.since) == ("Jeddah", ["Biden"], "2022-07-01")
    assert ask("Which leaders did Biden call in Q1 2022?").place == ""
    asked = ask(
        "During her trip to the summit in Bangkok (November 17-22, 2022), which heads of state "
        "did Vice President Harris meet?"
    )
    assert asked.place == ""


def test_who_did_someone_meet_in_a_city_asks_where_as_which_leaders_does():
    """ "in Munich" says where, not whom: before, the city was read as a name the table did not
    know and the question went to the search, which quoted one of the two meetings."""
    asked = ask("Who did Harris meet in Munich in February 2022?")
    assert (asked.place, asked.names, asked.since) == ("Munich", ["Harris"], "2022-02-01")


def test_a_header_for_alternatives_alone_names_them_without_a_country_list():
    """Every person asked about is an alternative and no country is asked: the header says
    "between A or B" (it indexed an empty country list and failed)."""
    from readout_qa.contacts.answerer import _between
    from readout_qa.contacts.people import Person

    asked = replace(ask("When did Jake Sullivan or his deputy speak with Hun Sen?"), names=[])
    persons = [Person("p1", "Jake Sullivan"), Person("p2", "Jon Finer")]
    asked = replace(asked, alternatives=["Jake Sullivan", "Jon Finer"], countries=[])
    assert _between(asked, persons, [], 2) == "between Jake Sullivan or Jon Finer"
