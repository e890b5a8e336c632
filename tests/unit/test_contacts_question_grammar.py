"""Question reading beyond one phrasing: names the readouts give once or twice, counterparts
listed in an aside or after "both", people set aside with "not", proper nouns that end in a
surname-like word, day bounds, and a surname two people share resolved by the country."""

from __future__ import annotations

import pytest

from readout_qa.contacts.answerer import _persons
from readout_qa.contacts.casual import normalise
from readout_qa.contacts.people import People
from readout_qa.contacts.questions import parse_question

OFTEN = [
    ("Joseph R. Biden", "President", "United States"),
    ("Vladimir Putin", "President", "Russia"),
    ("Kamala Harris", "Vice President", "United States"),
    ("Leo Varadkar", "Taoiseach", "Ireland"),
    ("Andrzej Duda", "President", "Poland"),
    ("Mateusz Morawiecki", "Prime Minister", "Poland"),
    ("Alberto Fernandez", "President", "Argentina"),
    ("Nikol Pashinyan", "Prime Minister", "Armenia"),
    ("Jens Stoltenberg", "NATO Secretary General", ""),
    ("Micheál Martin", "Taoiseach", "Ireland"),
    ("Xi Jinping", "President", "China"),
    ("Alexander Lukashenko", "President", "Belarus"),
    ("Emmanuel Macron", "President", "France"),
    ("Volodymyr Zelenskyy", "President", "Ukraine"),
    ("Olaf Scholz", "Chancellor", "Germany"),
    ("Recep Tayyip Erdoğan", "President", "Turkey"),
    ("Benjamin Netanyahu", "Prime Minister", "Israel"),
    ("Naftali Bennett", "Prime Minister", "Israel"),
]
RARE = [  # named once or twice: below casual.MIN_MENTIONS
    ("National Security", "Advance", "United States"),  # extraction slips, named once
    ("Security Bureau", "Chief of the National", "Poland"),
    ("Nicolás Maduro", "President", "Venezuela"),
    ("Anatoly Bibilov", "President", ""),
    ("Simon Harris", "Taoiseach", "Ireland"),
    ("Russian Students Day", "", "Russia"),  # an extraction slip the reader must not trust
    ("John Moon", "President", "Nowhere"),  # a rare surname that is an English word
]
PEOPLE = People([row for row in OFTEN for _ in range(25)] + RARE)


def ask(question: str):
    parsed = parse_question(question, PEOPLE)
    assert parsed is not None, question
    return parsed


def test_a_rarely_named_leader_typed_in_lower_case_is_still_the_person():
    assert normalise("putin maduro calls oct 2021", PEOPLE).startswith("Putin Maduro calls")
    assert ask("putin maduro calls oct 2021 - june 2022?? dates pls").names == ["Putin", "Maduro"]
    assert "moon" in normalise("biden moon calls", PEOPLE)  # a word: only when named often


@pytest.mark.parametrize(
    ("question", "names", "alternatives"),
    [
        (
            "how many calls/meetings did biden have w ireland's taoiseach in 2024"
            " (varadkar + harris)",
            ["Biden", "Varadkar", "Harris"],
            ["Varadkar", "Harris"],
        ),
        (
            "Count Biden's meetings with Polish leaders (President Duda, PM Morawiecki) in 2023.",
            ["Biden", "Duda", "Morawiecki"],
            ["Duda", "Morawiecki"],
        ),
        (
            "In 2022, did Argentina's Alberto Fernandez talk to both Putin and Biden?",
            ["Alberto Fernandez", "Putin", "Biden"],
            ["Putin", "Biden"],
        ),
        ("When did Putin and Biden talk in 2021?", ["Putin", "Biden"], []),  # both, together
    ],
)
def test_counterparts_listed_in_an_aside_or_after_both_are_each_a_counterpart(
    question, names, alternatives
):
    parsed = ask(question)
    assert (parsed.names, parsed.alternatives) == (names, alternatives)


def test_a_person_set_aside_is_not_required():
    parsed = ask(
        "When did Putin last meet Armenia's president (the head of state, not PM Pashinyan)?"
    )
    assert parsed.names == ["Putin"] and parsed.countries == ["Armenia"]


def test_a_proper_noun_ending_in_a_capitalised_word_is_no_person():
    parsed = ask("Around St. Patrick's Day 2022, when did Micheál Martin speak with Biden?")
    assert parsed.names == ["Micheál Martin", "Biden"]
    # an organisation's leader is a person all the same
    assert ask("how many times did biden and NATO's Stoltenberg meet in 2022?").names == [
        "Biden",
        "Stoltenberg",
    ]


def test_after_a_day_starts_the_next_day_and_through_a_month_includes_it():
    parsed = ask("any putin contacts w/ bibilov after feb 6 2022?")
    assert (parsed.since, parsed.until) == ("2022-02-07", None)
    parsed = ask("When did Putin last meet Pashinyan through June 2022?")
    assert (parsed.since, parsed.until) == (None, "2022-06-30")
    parsed = ask("Putin's calls with Pashinyan since February 6, 2022")
    assert parsed.since == "2022-02-06"  # "since" includes the day


def test_a_shared_surname_is_the_person_of_the_country_asked_about():
    persons, unknown = _persons(["Biden", "Harris"], PEOPLE, ["Ireland"])
    assert [p.name for p in persons] == ["Joseph R. Biden", "Simon Harris"] and not unknown
    persons, _ = _persons(["Harris"], PEOPLE)
    assert [p.name for p in persons] == ["Kamala Harris"]  # else the one named most


def test_chat_shorthand_before_a_slash():
    assert normalise("every mtg/call between them", PEOPLE) == "every meeting and call between them"


def _contact(*participants: str):
    from readout_qa.models import Contact

    return Contact(
        contact_id="x",
        date="2024-02-27",
        kind="meeting",
        participants=list(participants),
        countries=[],
        place="",
        readouts=[],
    )


def test_foreign_and_heads_conditions_know_monarchs_and_colleagues():
    from readout_qa.contacts.answerer import _fits

    people = People(
        [row for row in OFTEN for _ in range(25)]
        + [("Charles III", "King", ""), ("Mike Johnson", "Speaker", "United States")]
        + [("Richard Trumka", "President", "")]  # a union's president, no country
    )
    foreign = ask("Which foreign leaders did Biden call in 2022?")
    biden = people.match("Biden")[:1]
    assert foreign.foreign
    assert _fits(_contact("Joseph R. Biden", "Charles III"), foreign, biden, people)
    assert not _fits(_contact("Joseph R. Biden", "Richard Trumka"), foreign, biden, people)
    heads = ask("Which heads of state or government did Vice President Harris meet in 2024?")
    harris = people.match("Kamala Harris")[:1]
    assert heads.heads
    meeting = _contact("Kamala Harris", "Joseph R. Biden", "Mike Johnson")
    assert not _fits(meeting, heads, harris, people)  # colleagues and the Speaker
    assert _fits(_contact("Kamala Harris", "Leo Varadkar"), heads, harris, people)


def test_given_names_the_table_lacks_do_not_make_another_person():
    people = People(
        [row for row in OFTEN for _ in range(25)]
        + [("Lacalle Pou", "President", "Uruguay"), ("Luis Gilberto Murillo", "Minister", "")]
    )
    parsed = parse_question("When did President Biden last meet Luis Lacalle Pou?", people)
    assert parsed is not None and parsed.names == ["Biden", "Lacalle Pou"]
    parsed = parse_question(
        "putin tokayev calls in 2022",
        People(OFTEN * 25 + [("Kassym-Jomart Tokayev", "President", "Kazakhstan")] * 5),
    )
    assert parsed is not None and parsed.names == ["Putin", "Tokayev"]


def test_a_surname_written_first_and_short_is_the_leader_named_often():
    assert ask("list xi putin mtgs 2022").names == ["Xi", "Putin"]
    assert "Jae-in" not in normalise("calls in 2022", PEOPLE)


@pytest.mark.parametrize(
    ("question", "since", "until"),
    [
        (
            "Between Jan and Mar 2022, how often did Putin and Lukashenko speak?",
            "2022-01-01",
            "2022-03-31",
        ),
        (
            "How many calls did Putin have with Macron between the 1st and the 15th of March 2022?",
            "2022-03-01",
            "2022-03-15",
        ),
    ],
)
def test_periods_written_loosely(question, since, until):
    parsed = ask(question)
    assert (parsed.since, parsed.until) == (since, until)


def test_a_timeline_without_a_contact_word_asks_for_every_kind():
    parsed = ask("Timeline: Biden–Zelenskyy, 2022")
    assert parsed.names == ["Biden", "Zelenskyy"] and parsed.kinds is None


@pytest.mark.parametrize(
    ("question", "shape", "names", "since", "until"),
    [
        (
            "How many calls between Putin and Erdoğan took place in March 2022?",
            "count",
            ["Putin", "Erdoğan"],
            "2022-03-01",
            "2022-03-31",
        ),
        (
            "putin-scholz: all calls, dec 2021 → may 2022",
            "list",
            ["Putin", "Scholz"],
            "2021-12-01",
            "2022-05-31",
        ),
        (
            "Putin's contacts with Middle Eastern leaders in March 2022",
            "list",
            ["Putin"],
            "2022-03-01",
            "2022-03-31",  # "Middle" is no "mid-March"
        ),
    ],
)
def test_more_loose_phrasings(question, shape, names, since, until):
    parsed = ask(question)
    assert (parsed.shape, parsed.names, parsed.since, parsed.until) == (shape, names, since, until)


def test_a_lower_case_demonym_before_an_upper_case_office():
    assert ask("when did biden last speak w/ the japanese PM").countries == ["Japan"]


@pytest.mark.parametrize(
    "question",
    [
        "List the topics of Putin's calls with Erdoğan",
        "Give me the topics discussed in Biden's calls with Xi",
        "What was discussed when Putin met Lukashenko in 2022?",
    ],
)
def test_what_was_said_is_no_contact_question(question):
    assert parse_question(question, PEOPLE) is None


def test_tell_me_and_how_frequently_are_requests():
    assert ask("How frequently did Biden phone Netanyahu in October 2023?").shape == "count"
    parsed = ask("Tell me every time Harris met with a Central American president")
    assert parsed.among_label == "Central American" and parsed.shape == "list"


def test_which_months_and_how_many_conversations_in_a_quarter():
    parsed = ask("In which months of 2022 did Putin speak to Bennett?")
    assert (parsed.shape, parsed.names) == ("list", ["Putin", "Bennett"])
    parsed = ask("Putin and Pashinyan: how many phone conversations in Q1 2022?")
    assert (parsed.shape, parsed.since, parsed.until) == ("count", "2022-01-01", "2022-03-31")


def test_a_word_of_an_event_name_is_no_person_and_the_event_takes_the_usual_path():
    question = "Name the leaders Harris met at the Munich Security Conference in February 2024"
    assert parse_question(question, PEOPLE) is None
    assert ask("Did Putin Bennett talk in March 2022?").names == ["Putin", "Bennett"]


def test_how_many_at_the_end_and_a_lower_case_country_after_an_office():
    assert ask("putin maduro calls 2022 how many").shape == "count"
    parsed = ask("how many times did biden speak to the king of jordan")
    assert parsed.countries == ["Jordan"] and parsed.names == ["Biden"]
    assert ask("when did harris meet the president of south korea").countries == ["South Korea"]


def test_met_includes_meetings_held_by_video_unless_in_person_is_asked():
    # (a counterpart the table knows: an unknown one, "Trudeau" here, is no contact question)
    assert "video call" in ask("How often has Harris met Macron?").kinds
    assert "video call" not in ask("Did Biden and Xi meet in person in 2023?").kinds
    assert "video call" not in ask("biden/zelenskyy face-to-face meetings 2023").kinds
