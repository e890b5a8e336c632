"""Rosters: a group contact stated with the group alone, its leaders listed further down,
and a readout of several separate calls read out as one call each."""

from __future__ import annotations

from readout_qa.chunking import split_sentences
from readout_qa.contacts.extract import extract_contacts
from readout_qa.contacts.roster import find_roster, is_official_role
from readout_qa.models import Readout

WH = "The White House"


def readout(body: str, title: str, date: str = "2021-12-09") -> Readout:
    return Readout(doc_id="r1", title=title, date=date, source="", publisher=WH, text=body)


B9 = (
    "President Joseph R. Biden, Jr. spoke today with the Bucharest Nine (B9) group of our "
    "eastern flank NATO Allies. The leaders discussed the security of the Alliance.\n\n"
    "Joining the call were the following leaders:\n\n"
    "- Bulgarian President Rumen Radev\n\n"
    "- Estonian President Alar Karis\n\n"
    "- Slovakia Prime Minister Eduard Heger\n\n"
    "- Special Envoy for Climate John Smith, Republic of Nowhere"
)


def test_a_bulleted_roster_is_found_after_its_introducing_line():
    roster = find_roster(B9, split_sentences(B9))
    assert roster is not None
    assert B9[roster.intro[0] : roster.intro[1]].startswith("Joining the call")
    assert [B9[s:e].strip("- ") for s, e in roster.items][:2] == [
        "Bulgarian President Rumen Radev",
        "Estonian President Alar Karis",
    ]


def test_no_roster_without_taking_part_or_without_items():
    body = "The President met with the Prime Minister. They discussed the following topics: trade."
    assert find_roster(body, split_sentences(body)) is None  # no word of taking part
    body = "Participants included:\n\nThe leaders then discussed trade."
    assert find_roster(body, split_sentences(body)) is None


def test_a_group_call_stated_with_the_group_alone_gets_the_listed_leaders():
    title = "Readout of President Biden’s Call with the Leaders of The Bucharest Nine"
    [c] = extract_contacts(readout(B9, title))
    assert c.kind == "phone call" and c.date == "2021-12-09"
    assert c.participants == ["Joseph R. Biden", "Rumen Radev", "Alar Karis", "Eduard Heger"]
    assert c.readouts[0].quote.startswith("President Joseph R. Biden, Jr. spoke today")


def test_listed_leaders_join_a_contact_the_first_sentence_states():
    body = (
        "Vice President Kamala Harris convened today Indo-Pacific leaders in Bangkok, Thailand. "
        "In addition to the Vice President, the meeting included: Prime Minister Kishida of "
        "Japan, Prime Minister Albanese of Australia, and Prime Minister Trudeau of Canada. "
        "They met to consult closely on the missile test."
    )
    title = "Readout of Vice President Harris’s Meeting with Indo-Pacific Leaders"
    [c] = extract_contacts(readout(body, title, "2022-11-18"))
    assert c.participants[0] == "Kamala Harris"
    assert {"Kishida", "Albanese", "Trudeau"} <= {p.split()[-1] for p in c.participants}


def test_a_domestic_roster_makes_no_contact():
    body = (
        "President Biden met today with governors to discuss infrastructure.\n\n"
        "Participants included:\n\n- Governor Jane Doe of Ohio\n\n- Senator John Roe"
    )
    assert (
        extract_contacts(readout(body, "Readout of President Biden’s Meeting with Governors")) == []
    )


def test_a_roster_of_association_presidents_without_a_country_makes_no_contact():
    body = (
        "Vice President Kamala Harris met today with consumer protection and civil rights "
        "leaders.\n\nParticipants included:\n\n- Janet Murguia, President, UnidosUS\n\n"
        "- President Maya Wiley, The Leadership Conference"
    )
    title = "Readout of Vice President Harris’s Meeting with Civil Rights Leaders"
    assert extract_contacts(readout(body, title, "2023-07-13")) == []


def test_officials_are_not_leaders():
    assert is_official_role("Special Envoy for Climate")
    assert is_official_role("Union Cabinet Minister of Labour")
    assert is_official_role("Secretary of State")
    for role in ("Prime Minister", "President", "Secretary-General", "NATO Secretary General"):
        assert not is_official_role(role), role


def test_separate_calls_in_one_readout_are_one_contact_each():
    body = (
        "Vice President Kamala Harris today had five separate calls with European leaders from "
        "NATO’s eastern flank.\n\nThe Vice President spoke individually with: Prime Minister "
        "Kaja Kallas of Estonia; Prime Minister Krisjanis Karins of Latvia; and Prime Minister "
        "Mateusz Morawiecki of Poland."
    )
    title = "Readout of Vice President Harris’s Calls with European Leaders"
    contacts = extract_contacts(readout(body, title, "2022-03-01"))
    assert [c.participants for c in contacts] == [
        ["Kamala Harris", "Kaja Kallas"],
        ["Kamala Harris", "Krisjanis Karins"],
        ["Kamala Harris", "Mateusz Morawiecki"],
    ]


def test_a_group_named_in_the_opening_sentence_without_a_contact_verb():
    body = (
        "Today the Quad Leaders – Prime Minister Scott Morrison of Australia, Prime Minister "
        "Narendra Modi of India, Prime Minister Fumio Kishida of Japan, and President Joe Biden "
        "of the United States – convened to reaffirm their commitment to a free Indo-Pacific."
    )
    [c] = extract_contacts(readout(body, "Joint Readout of Quad Leaders Call", "2022-03-03"))
    assert c.kind == "phone call"
    assert set(c.participants) == {
        "Joseph R. Biden",
        "Scott Morrison",
        "Narendra Modi",
        "Fumio Kishida",
    }


def test_an_officials_opening_naming_leaders_is_no_contact_of_theirs():
    body = (
        "National Security Advisor Jake Sullivan hosted the inaugural meeting of the network "
        "announced by President Joe Biden, Uruguayan President Luis Lacalle Pou, and Canadian "
        "Prime Minister Justin Trudeau in November 2023."
    )
    title = "Readout of National Security Advisor Jake Sullivan’s Meeting to Inaugurate a Network"
    assert extract_contacts(readout(body, title, "2024-07-17")) == []
