"""Contact extraction rules on small hand-written readouts: kinds, event dates, people,
and what is not a new contact (announcements, past mentions, transcripts, statements)."""

from __future__ import annotations

import pytest

from readout_qa.contacts.extract import extract_contacts, extract_mentions
from readout_qa.models import Readout

WH = "The White House"
KREMLIN = "President of Russia (kremlin.ru)"


def readout(body: str, date: str | None = "2022-03-18", title: str = "", publisher: str = WH):
    return Readout(doc_id="r1", title=title, date=date, source="", publisher=publisher, text=body)


def only(body: str, **kw):
    contacts = extract_contacts(readout(body, **kw))
    assert len(contacts) == 1, contacts
    return contacts[0]


def test_a_call_with_participants_roles_countries_and_the_quote():
    body = (
        "President Joseph R. Biden, Jr. spoke today with Prime Minister Justin Trudeau of "
        "Canada. The leaders discussed energy security."
    )
    c = only(body, date="2023-06-25")
    assert (c.date, c.kind) == ("2023-06-25", "phone call")
    assert c.participants == ["Joseph R. Biden", "Justin Trudeau"]
    assert c.countries == ["United States", "Canada"]
    r = c.readouts[0]
    assert body[r.start : r.end] == r.quote
    assert r.quote.startswith("President Joseph R. Biden") and r.quote.endswith("Canada.")
    [m] = extract_mentions(readout(body, date="2023-06-25"))
    assert [(p.role, p.country) for p in m.participants] == [
        ("President", "United States"),
        ("Prime Minister", "Canada"),
    ]


@pytest.mark.parametrize(
    ("body", "kind", "place"),
    [
        (
            "President Joseph R. Biden, Jr. welcomed Chancellor Olaf Scholz of Germany to the "
            "White House.",
            "meeting",
            "",
        ),
        (
            "President Biden met today with President Dina Boluarte of Peru in Lima, Peru.",
            "meeting",
            "Lima, Peru",
        ),
        (
            "President Joseph R. Biden, Jr. held a secure video call today with President "
            "Emmanuel Macron of France.",
            "video call",
            "",
        ),
        (
            "Vladimir Putin held talks with President of China Xi Jinping in the Kremlin.",
            "talks",
            "the Kremlin",
        ),
        (
            "Vladimir Putin paid a state visit to Kazakhstan at the invitation of President "
            "Kassym-Jomart Tokayev.",
            "visit",
            "",
        ),
        (
            "On Saturday, President Donald J. Trump received a call from President Abdel Fattah "
            "el-Sisi of Egypt.",
            "phone call",
            "",
        ),
    ],
)
def test_kinds_and_places(body, kind, place):
    publisher = KREMLIN if body.startswith("Vladimir") else WH
    c = only(body, date="2025-02-01" if "Trump" in body else "2022-02-04", publisher=publisher)
    assert c.kind == kind
    assert c.place == place
    assert len(c.participants) == 2


def test_the_event_date_is_not_the_publication_date():
    seed = (
        "On the afternoon of December 7, 2021, Premier Li Keqiang held a video conference with "
        "Belgian Prime Minister Alexander De Croo at the Ziguang Pavilion."
    )
    c = only(seed, date="2021-12-08", publisher="")
    assert (c.date, c.kind) == ("2021-12-07", "video call")
    assert c.participants == ["Li Keqiang", "Alexander De Croo"]
    assert "Belgium" in c.countries
    virtual = (
        "President Joseph R. Biden, Jr. met virtually on November 15 with President Xi Jinping "
        "of the People’s Republic of China."
    )
    assert only(virtual, date="2021-11-16").date == "2021-11-15"
    kremlin = (
        "On December 30, Vladimir Putin had a telephone conversation with President of the "
        "United States of America Joseph Biden."
    )
    c = only(kremlin, date="2021-12-31", publisher=KREMLIN)
    assert c.date == "2021-12-30"
    assert set(c.participants) == {"Vladimir Putin", "Joseph R. Biden"}  # the principal's name


@pytest.mark.parametrize(
    ("body", "published", "expected"),
    [
        (
            "Yesterday, President Donald J. Trump met with King Abdullah II of Jordan.",
            "2025-02-12",
            "2025-02-11",
        ),
        (
            "This morning, President Biden spoke with Prime Minister Kishida Fumio of Japan.",
            "2022-05-05",
            "2022-05-05",
        ),
        (
            "On Wednesday, President Donald J. Trump held a call with Crown Prince Mohammed bin "
            "Salman of Saudi Arabia.",
            "2025-01-23",
            "2025-01-22",
        ),
        (
            "On December 30, Vladimir Putin had a telephone conversation with Prime Minister of "
            "Italy Mario Draghi.",
            "2022-01-02",
            "2021-12-30",
        ),  # read in January: last year's
    ],
)
def test_relative_dates(body, published, expected):
    publisher = KREMLIN if "Putin" in body else WH
    assert only(body, date=published, publisher=publisher).date == expected


@pytest.mark.parametrize(
    "body",
    [
        # announcements of contacts to come
        "President Joseph R. Biden, Jr. will meet virtually with Prime Minister Narendra Modi of "
        "India on Monday, April 11.",
        "On February 24, Vladimir Putin will hold talks with Prime Minister of Pakistan Imran "
        "Khan.",
        "Mr. Sullivan previewed the March 18 meeting that he and Secretary of State Blinken will "
        "hold with Chinese officials and welcomed NATO’s work.",
        # mentions of past contacts
        "Biden last spoke to Prime Minister Modi with other Quad Leaders in March.",
        "They discussed next steps following the meeting between President Biden and President "
        "Erdogan in Rome on October 31.",
        "President Biden, who met with President Macron of France last month, said the alliance "
        "is strong.",
        # statements and domestic groups
        "The United States condemns the attack in the strongest terms.",
        "President Biden and Vice President Harris met with a group of Senators today.",
    ],
)
def test_not_a_new_contact(body):
    publisher = KREMLIN if "Putin" in body else WH
    assert extract_contacts(readout(body, publisher=publisher)) == []


def test_a_readout_with_a_call_and_a_mention_of_an_earlier_one_states_one_contact():
    body = (
        "President Joseph R. Biden, Jr. spoke today with President Volodymyr Zelenskyy of Ukraine. "
        "The leaders recalled their call last week with Chancellor Olaf Scholz of Germany. "
        "President Biden and President Zelenskyy discussed air defense."
    )
    c = only(body, date="2022-10-10")
    assert c.participants == ["Joseph R. Biden", "Volodymyr Zelenskyy"]


def test_a_transcript_is_no_readout():
    body = (
        "Vladimir Putin had a meeting with Defence Minister Sergei Shoigu.\n\n"
        "Vladimir Putin: Mr Shoigu, last week I spoke with President of France Emmanuel Macron. "
        "We met with President of Turkey Recep Tayyip Erdogan in Sochi."
    )
    contacts = extract_contacts(readout(body, publisher=KREMLIN))
    assert [c.participants for c in contacts] == [["Vladimir Putin", "Sergei Shoigu"]]


def test_the_publishers_principal_by_office_and_a_counterpart_by_office_and_country():
    c = only(
        "The President spoke today with the Chinese President. President Xi Jinping of the "
        "People’s Republic of China raised Taiwan.",
        date="2022-03-18",
    )
    assert c.participants == ["Joseph R. Biden", "Xi Jinping"]  # who was President then
    c = only("The President spoke today with Prime Minister Keir Starmer.", date="2025-01-26")
    assert c.participants[0] == "Donald J. Trump"  # roles change over time
    c = only(
        "The President of Russia received in the Kremlin President of the Republic of Finland "
        "Sauli Niinistö.",
        date="2021-10-29",
        publisher=KREMLIN,
    )
    assert c.participants == ["Vladimir Putin", "Sauli Niinistö"]


def test_the_title_states_the_contact_when_no_sentence_names_both():
    body = (
        "During the telephone conversation, Vladimir Putin offered his heartfelt congratulations "
        "to Ilham Aliyev on his 60th birthday."
    )
    title = "Telephone conversation with President of Azerbaijan Ilham Aliyev"
    c = only(body, date="2021-12-24", title=title, publisher=KREMLIN)
    assert (c.kind, c.participants) == ("phone call", ["Vladimir Putin", "Ilham Aliyev"])
    assert c.readouts[0].quote == body


def test_a_group_call_takes_its_members_from_the_sentence_naming_them():
    body = (
        "President Joseph R. Biden, Jr. hosted a videoconference today with Allies and partners "
        "to discuss support for Ukraine. The leaders affirmed their solidarity.\n\nJoining "
        "President Biden on the call were Prime Minister Justin Trudeau of Canada and President "
        "Macron of France."
    )
    c = only(body, date="2022-04-19")
    assert c.kind == "video call"
    assert c.participants[0] == "Joseph R. Biden"
    assert {"Justin Trudeau", "Macron"} <= set(c.participants)


@pytest.mark.parametrize("date", [None, "", "2021-13-45", "not a date"])
def test_bad_or_missing_dates_do_not_crash(date):
    body = "President Biden spoke today with Prime Minister Justin Trudeau of Canada."
    c = only(body, date=date)
    assert c.date == ""  # "today" of an unknown day is unknown
    stated = "On December 7, 2021, President Biden met with Chancellor Olaf Scholz of Germany."
    assert only(stated, date=date).date == "2021-12-07"  # a full date needs no publication date


G7_BODY = (
    "On December 13, 2024, President Biden met virtually with G7 Leaders. During the meeting, "
    "the President observed that the G7 has been transformed. Leaders discussed the situation "
    "in the Middle East. President Biden raised the importance of a ceasefire in Gaza. Leaders "
    "also discussed global challenges. President Biden encouraged other Leaders to act. "
    "President Biden thanked Prime Minister Meloni for her leadership of the G7 over the past "
    "year, and welcomed Canada's G7 Presidency next year under Prime Minister Trudeau."
)


def test_a_group_meeting_takes_the_leaders_its_readout_names_further_down():
    c = only(
        G7_BODY,
        date="2024-12-14",
        title="Readout of President Joe Biden's Virtual Meeting with G7 Leaders",
    )
    assert (c.date, c.kind) == ("2024-12-13", "video call")
    assert c.participants == ["Joseph R. Biden", "Meloni", "Trudeau"]
    assert c.readouts[0].quote.startswith("On December 13, 2024, President Biden met virtually")


def test_a_group_meeting_is_one_event_however_many_sentences_name_its_leaders():
    body = (
        "Today, President Joseph R. Biden, Jr. met virtually with G7 Leaders to discuss Ukraine. "
        "Ukrainian President Volodymyr Zelenskyy joined the beginning of the virtual meeting. "
        "President Biden thanked Prime Minister Kishida for his leadership of the G7 over the "
        "past year, and welcomed Italy's G7 Presidency next year under Prime Minister Meloni."
    )
    c = only(
        body,
        date="2023-12-06",
        title="Readout of President Biden's Virtual Meeting with G7 Leaders",
    )
    assert c.kind == "video call"
    assert c.participants == ["Joseph R. Biden", "Volodymyr Zelenskyy", "Kishida", "Meloni"]


def test_the_same_sentences_without_a_group_title_name_no_attendees():
    """Outside a group meeting's readout, a leader thanked in a later sentence is no
    participant of the meeting the first sentence states."""
    assert extract_contacts(readout(G7_BODY, date="2024-12-14", title="Readout")) == []


def test_a_group_is_no_participant():
    body = (
        "President Biden met virtually with G20 Leaders today to discuss Afghanistan. The G20 "
        "Leaders were joined by Leaders of G20 guest countries."
    )
    contacts = extract_contacts(
        readout(
            body, date="2021-10-12", title="Readout of President Biden Meeting with G20 Leaders"
        )
    )
    assert all("Leaders" not in name for c in contacts for name in c.participants)


def test_conversations_with_several_leaders_are_one_call_with_each():
    body = (
        "On January 6–7, Vladimir Putin had several telephone conversations with heads of the "
        "Collective Security Treaty Organisation member states. The Russian President had "
        "telephone conversations with President of Kyrgyzstan Sadyr Japarov, President of "
        "Belarus Alexander Lukashenko, and President of Tajikistan Emomali Rahmon."
    )
    contacts = extract_contacts(readout(body, date="2022-01-07", publisher=KREMLIN))
    assert [c.participants for c in contacts] == [
        ["Vladimir Putin", "Sadyr Japarov"],
        ["Vladimir Putin", "Alexander Lukashenko"],
        ["Vladimir Putin", "Emomali Rahmon"],
    ]
    assert {c.kind for c in contacts} == {"phone call"}


def test_a_summit_a_leader_took_part_in_names_its_members_below():
    body = (
        "Vladimir Putin took part in the Russia-ASEAN summit via videoconference. The meeting "
        "was timed to coincide with the 30th anniversary of relations. Taking part in the summit "
        "were President of the Republic of Indonesia Joko Widodo; Prime Minister of Malaysia "
        "Ismail Sabri Yaakob; and Prime Minister of Singapore Lee Hsien Loong."
    )
    c = only(body, date="2021-10-28", title="Russia-ASEAN Summit", publisher=KREMLIN)
    assert c.participants == [
        "Vladimir Putin",
        "Joko Widodo",
        "Ismail Sabri Yaakob",
        "Lee Hsien Loong",
    ]


def test_a_title_naming_several_leaders_is_quoted_by_the_first_sentence_naming_the_host():
    body = (
        "President Biden briefed leaders on his call with President Putin, in which he discussed "
        "the serious consequences of Russian military action in Ukraine. The leaders underscored "
        "their support for Ukraine's sovereignty."
    )
    c = only(
        body,
        date="2021-12-07",
        title="Readout of President Joe Biden’s Call with President Macron of France, Chancellor "
        "Merkel of Germany, Prime Minister Draghi of Italy",
    )
    assert c.kind == "phone call"
    assert c.participants[0] == "Joseph R. Biden"
    assert {"Macron", "Merkel", "Draghi"} <= {n.split()[-1] for n in c.participants}
    assert c.readouts[0].quote.startswith("President Biden briefed leaders")


def test_a_crown_prince_of_a_two_word_place_is_named_in_full():
    body = (
        "Vladimir Putin had a telephone conversation with Crown Prince of Abu Dhabi and Deputy "
        "Supreme Commander of the United Arab Emirates Armed Forces Mohamed bin Zayed Al Nahyan."
    )
    c = only(
        body,
        date="2022-03-01",
        title="Telephone conversation with Crown Prince of Abu Dhabi Mohamed bin Zayed Al Nahyan",
        publisher=KREMLIN,
    )
    assert c.participants == ["Vladimir Putin", "Mohamed bin Zayed Al Nahyan"]


def test_an_untitled_counterpart_the_title_names_is_found_in_the_first_sentences():
    body = (
        "During a telephone conversation, Vladimir Putin warmly congratulated Nursultan "
        "Nazarbayev on the 30th anniversary of his victory in the first general election."
    )
    c = only(
        body,
        date="2021-12-01",
        title="Telephone conversation with Nursultan Nazarbayev",
        publisher=KREMLIN,
    )
    assert (c.kind, c.participants) == ("phone call", ["Vladimir Putin", "Nursultan Nazarbayev"])
    body = "Vladimir Putin held a meeting with permanent members of the Security Council."
    assert (
        extract_contacts(
            readout(
                body,
                date="2022-02-02",
                title="Meeting with permanent members of Security Council",
                publisher=KREMLIN,
            )
        )
        == []
    )


def test_a_date_in_an_opening_phrase_about_earlier_talks_does_not_date_the_call():
    body = (
        "Following Russia-Azerbaijan top-level talks held in Moscow on February 22, Vladimir "
        "Putin and President of the Republic of Azerbaijan Ilham Aliyev shared opinions in a "
        "telephone conversation on a number of current issues."
    )
    c = only(
        body,
        date="2022-02-26",
        title="Telephone conversation with President of Azerbaijan Ilham Aliyev",
        publisher=KREMLIN,
    )
    assert (c.date, c.kind) == ("2022-02-26", "phone call")


def test_a_meeting_named_in_capitals_with_its_host():
    body = (
        "Today President Joseph R. Biden Jr. participated in the Asia-Pacific Economic "
        "Cooperation (APEC) Virtual Leaders’ Meeting hosted by Prime Minister Jacinda Ardern of "
        "New Zealand. Leaders endorsed the Aotearoa Plan of Action."
    )
    c = only(body, date="2021-11-12")
    assert (c.kind, c.participants) == ("video call", ["Joseph R. Biden", "Jacinda Ardern"])


def test_today_at_the_verb_dates_the_contact_not_a_day_named_further_on():
    body = (
        "Vice President Kamala Harris today spoke with President Isaac Herzog of Israel on the "
        "one-month anniversary of Hamas’s terrorist attack against Israel on October 7."
    )
    c = only(body, date="2023-11-07")
    assert c.date == "2023-11-07"


def test_the_kind_of_an_earlier_event_the_sentence_opens_with_is_not_the_contacts():
    body = (
        "Following the meeting of the Supreme State Council of the Union State, held via "
        "videoconference, Vladimir Putin had a telephone conversation with President of the "
        "Republic of Belarus Alexander Lukashenko."
    )
    c = only(body, date="2021-11-04", publisher=KREMLIN)
    assert (c.kind, c.participants) == ("phone call", ["Vladimir Putin", "Alexander Lukashenko"])
