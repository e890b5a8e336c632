"""Counterparts named by their country alone ("the heads of Russia, Armenia, Belarus ..."):
placeholders at extraction, resolved by the table to the leader the readouts name most
around the date."""

from __future__ import annotations

from readout_qa.contacts.extract import extract_mentions
from readout_qa.contacts.heads import countries_named, is_placeholder, resolve_heads
from readout_qa.models import Readout

KREMLIN = "President of Russia (kremlin.ru)"


def readout(doc_id: str, title: str, body: str, date: str) -> Readout:
    return Readout(doc_id=doc_id, title=title, date=date, source="", publisher=KREMLIN, text=body)


SUMMIT = readout(
    "summit",
    "CSTO summit",
    "The Kremlin hosted a meeting of the heads of state of the Collective Security Treaty "
    "Organisation.\n\nTaking part in the meeting were the heads of Russia, Armenia, Belarus, "
    "and Kazakhstan. The leaders signed a statement.",
    "2022-05-16",
)


def call(doc_id: str, date: str, whom: str) -> Readout:
    return readout(
        doc_id,
        f"Telephone conversation with {whom}",
        f"Vladimir Putin had a telephone conversation with {whom}.",
        date,
    )


def test_countries_named_only_after_heads_of():
    assert countries_named("were the heads of Russia, Armenia, and Belarus.") == [
        "Russia",
        "Armenia",
        "Belarus",
    ]
    assert countries_named("The President was joined by Leaders from Argentina and Japan.") == []


def test_a_summit_of_heads_named_by_country_gets_their_leaders_from_other_readouts():
    [m] = extract_mentions(SUMMIT)
    assert m.kind == "summit" and m.participants[0].name == "Vladimir Putin"
    assert [p.country for p in m.participants[1:]] == ["Armenia", "Belarus", "Kazakhstan"]
    assert all(is_placeholder(p) for p in m.participants[1:])
    others = [
        call("a1", "2022-04-01", "Prime Minister of Armenia Nikol Pashinyan"),
        call("a2", "2022-05-01", "Prime Minister of Armenia Nikol Pashinyan"),
        call("a3", "2022-06-17", "President of Armenia Vahagn Khachaturyan"),
        call("b1", "2022-05-03", "President of Belarus Alexander Lukashenko"),
        call("k1", "2020-01-01", "President of Kazakhstan Nursultan Nazarbayev"),  # too long ago
    ]
    mentions = [m] + [x for r in others for x in extract_mentions(r)]
    [summit, *_] = resolve_heads(mentions)
    assert [p.name for p in summit.participants] == [
        "Vladimir Putin",
        "Nikol Pashinyan",  # named most around the date
        "Alexander Lukashenko",
    ]  # no one for Kazakhstan within the window: left out


def test_a_list_of_heads_without_the_hosts_country_is_no_contact_of_the_host():
    body = (
        "The summit was attended by the heads of Armenia, Belarus and Kazakhstan. Russia was "
        "represented by the Foreign Minister."
    )
    assert extract_mentions(readout("s2", "CSTO summit", body, "2022-05-16")) == []


def test_the_table_resolves_placeholders_and_never_shows_them_as_people(tmp_path):
    from test_contacts_table import FakeStore

    from readout_qa.contacts.table import ContactsTable

    summit_body = SUMMIT.text
    store = FakeStore(
        ("CSTO summit", "2022-05-16", KREMLIN, summit_body),
        (
            "call-1",
            "2022-05-03",
            KREMLIN,
            "Vladimir Putin had a telephone conversation with President of Belarus Alexander "
            "Lukashenko.",
        ),
    )
    table = ContactsTable(tmp_path / "contacts.sqlite")
    table.sync(store)
    summits = table.query(participants=["Lukashenko"], kind="summit")
    assert [c.participants for c in summits] == [["Vladimir Putin", "Alexander Lukashenko"]]
    assert not any(p.name.startswith("head of state") for p in table.people().persons.values())
