"""The Timeline view without a server: its handler over a real index, its HTML and its chart.

The index holds the seed readout and the readouts of ``timeline_readouts`` (calls and meetings of Xi
Jinping and others); ``ReadoutQA.contacts`` reads them from the contacts table. The HTML and
chart functions are also checked on ``Contact`` objects built by hand (hostile text
included), so what they show does not depend on extraction.
"""

from __future__ import annotations

import pytest
from conftest import SEED
from markupsafe import escape
from timeline_readouts import EXPECTED, write_timeline_readouts

from readout_qa.models import CONTACT_KINDS, Contact, ContactReadout
from readout_qa.ui import handlers
from readout_qa.ui import timeline as timeline_view
from readout_qa.ui.handlers import KEEP
from readout_qa.ui.rendering import render_contact, render_timeline
from readout_qa.ui.timeline_chart import (
    CHART_COLUMNS,
    MAX_SERIES,
    OTHERS,
    counterparts,
    is_named,
    month_range,
    monthly_counts,
)


@pytest.fixture(scope="module")
def qa(tmp_path_factory):
    from readout_qa import ReadoutQA

    folder = tmp_path_factory.mktemp("timeline-readouts")
    qa = ReadoutQA(data_dir=tmp_path_factory.mktemp("timeline-index"), answerer="extractive")
    assert qa.ingest([SEED, *write_timeline_readouts(folder)]).ok
    return qa


def _readout(doc_id: str, quote: str = "They met.", start: int = 0, **kw) -> ContactReadout:
    fields = {"title": f"Readout {doc_id}", "date": "2023-01-02", "publisher": "Office"}
    fields.update(kw)
    return ContactReadout(
        doc_id=doc_id, source="", quote=quote, start=start, end=start + len(quote), **fields
    )


def _contact(date: str, people: list[str], kind: str = "phone call", n: int = 0, **kw) -> Contact:
    return Contact(
        contact_id=kw.pop("contact_id", f"c-{date}-{n}"),
        date=date,
        kind=kind,
        participants=people,
        readouts=kw.pop("readouts", [_readout(f"d-{date}-{n}")]),
        **kw,
    )


# ------------------------------------------------------------------------------ the handler
def test_timeline_of_one_participant_is_chronological(qa):
    view = timeline_view.timeline(qa, "Xi Jinping")
    got = [(c.date, c.kind) for c in view.contacts]
    assert got == [(d, k) for d, k, _who in EXPECTED]
    assert [d["date"] for d in view.data] == [d for d, _k, _w in EXPECTED]
    assert "<b>5 contacts</b>" in view.status and "Xi Jinping" in view.status
    # one row per contact, in order, each readout linked to its stating sentence
    assert view.table.count('class="roq-tl-row"') == 5
    rows = [view.table.index(f'id="tl-row-{i}"') for i in range(5)]
    assert rows == sorted(rows)
    assert view.table.index("2022-05-09") < view.table.index("2023-11-15")
    woodside = next(i for i, c in enumerate(view.contacts) if c.place.startswith("Woodside"))
    assert len(view.contacts[woodside].readouts) == 2  # read out by both governments
    assert f'href="#tl-{woodside}-1"' in view.table and f'href="#tl-{woodside}-2"' in view.table
    # the chart: contacts per month by counterpart, every month from the first to the last
    chart = view.chart
    frame = chart.frame
    assert list(frame.columns) == list(CHART_COLUMNS) and chart.unit == "month"
    assert frame["period"].iloc[0] == "2022-05" and frame["period"].iloc[-1] == "2023-11"
    assert len(set(frame["period"])) == 19 and frame["contacts"].sum() == 5
    by_who = frame.groupby("counterpart")["contacts"].sum().to_dict()
    assert by_who == {"Joseph R. Biden": 3, "Olaf Scholz": 1, "Emmanuel Macron": 1}
    assert chart.title == "Contacts per month" and chart.label_angle == -90


def test_timeline_with_a_second_participant_dates_and_kind(qa):
    view = timeline_view.timeline(qa, "Xi", "Biden")
    assert [c.date for c in view.contacts] == ["2022-07-28", "2022-11-14", "2023-11-15"]
    assert "Xi with Biden" in view.status
    assert set(view.chart.frame["counterpart"]) == {"Joseph R. Biden"}
    view = timeline_view.timeline(qa, "Xi Jinping", "", "2023-01-01", "2023-12-31", "meeting")
    assert [(c.date, c.kind) for c in view.contacts] == [("2023-11-15", "meeting")]
    assert "2023-01-01 – 2023-12-31" in view.status and "meeting" in view.status
    calls = timeline_view.timeline(qa, "Xi Jinping", kind="call").contacts
    assert {c.kind for c in calls} == {"phone call", "video call"}
    assert "any call" in timeline_view.timeline(qa, "Xi Jinping", kind="call").status
    assert len(timeline_view.timeline(qa, "Xi Jinping", kind="any").contacts) == 5
    # with no name: every contact in the dates, the pairs as counterparts
    everyone = timeline_view.timeline(qa, "", "", "2023-06-01", "2023-06-30")
    assert [c.participants for c in everyone.contacts] == [["Emmanuel Macron", "Olaf Scholz"]]
    assert list(everyone.chart.frame["counterpart"]) == ["Emmanuel Macron – Olaf Scholz"]


def test_timeline_reports_what_it_cannot_search(qa):
    for args, words in (
        (("Xi", "", "2023-13-01", ""), "calendar"),
        (("Xi", "", "2023/01/01", ""), "YYYY-MM-DD"),
        (("Xi", "", "2023-02-01", "2023-01-01"), "after"),
        (("Xi", "", "", "", "carrier pigeon"), "not a kind of contact"),
    ):
        view = timeline_view.timeline(qa, *args)
        assert words in view.data["error"] and "Not searched" in view.status
        assert view.contacts == [] and view.chart.empty
    none = timeline_view.timeline(qa, "Atlantis <Queen>")
    assert none.contacts == [] and none.data == [] and none.chart.empty
    assert "No contacts found of Atlantis &lt;Queen&gt;" in none.table
    assert "<b>0 contacts</b>" in none.status


def test_a_failing_contacts_table_is_shown_not_raised():
    class Broken:
        def contacts(self, **_kw):
            raise RuntimeError("the table <is> locked")

    view = timeline_view.timeline(Broken(), "Xi")
    assert "could not be read" in view.data["error"]
    assert "&lt;is&gt;" in view.status and "<is>" not in view.status


def test_selecting_a_row_shows_its_readouts_with_the_sentence_marked(qa):
    view = timeline_view.timeline(qa, "Xi Jinping")
    i = next(i for i, c in enumerate(view.contacts) if len(c.readouts) == 2)
    contact = view.contacts[i]
    panel = handlers.select_source(qa, f"t{i}:r2", [], view.contacts)
    assert f'data-turn="t{i}" data-selected="r2"' in panel
    assert f'data-contact="{contact.contact_id}"' in panel
    for j, r in enumerate(contact.readouts, 1):
        body, _meta = qa.readout(r.doc_id)
        assert body[r.start : r.end] == r.quote
        assert f'<mark id="cite-r{j}" class="roq-mark">{escape(r.quote)}</mark>' in panel
    assert 'class="roq-badge"' not in panel  # a contact's readouts are not citations
    assert "Woodside" in panel and "meeting" in panel
    assert 'data-selected="r1"' in handlers.select_source(qa, f"t{i}:1", [], view.contacts)
    assert handlers.select_source(qa, "t9:r1", [], view.contacts) is KEEP
    assert handlers.select_source(qa, "t0:r1", [], None) is KEEP


# ------------------------------------------------------------------------------ the HTML
def test_timeline_table_is_escaped_and_linked():
    evil = '<img src=x onerror="alert(1)">'
    contacts = [
        _contact(
            "2023-02-01",
            [f"Leader {evil}", "Other & Co"],
            kind="video call",
            place=f"Ville {evil}",
            contact_id='id" onclick="x()',
            readouts=[
                _readout("a", quote=f"They spoke {evil}.", publisher=f"Office {evil}"),
                _readout("b", publisher="", title="Untitled <b>"),
            ],
        ),
        _contact("", ["A", "B"], kind="talks <i>"),
    ]
    html = render_timeline(contacts)
    assert "<img" not in html and "<b>" not in html and "<i>" not in html
    assert "Leader &lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in html
    assert "Other &amp; Co" in html and "Ville &lt;img" in html
    assert 'title="They spoke &lt;img' in html  # the stating sentence, as a tooltip
    assert "Office &lt;img" in html and ">Untitled &lt;b&gt;</a>" in html
    assert 'data-contact="id&#34; onclick=&#34;x()"' in html
    assert 'href="#tl-0-1"' in html and 'href="#tl-0-2"' in html and 'href="#tl-1-1"' in html
    assert "roq-kind-video-call" in html and "roq-kind-talks-i" in html
    assert '<td class="roq-tl-date" data-label="Date">undated</td>' in html
    assert "\n" not in html
    limited = render_timeline(contacts[:1], total=700)
    assert "Showing the first 1 of 700 contacts" in limited
    assert "Nothing <here>" not in render_timeline([], empty="Nothing <here>")
    assert "Nothing &lt;here&gt;" in render_timeline([], empty="Nothing <here>")


def test_contact_panel_escapes_and_copes_with_changed_readouts(qa):
    body, _meta = qa.readout("000_29b7a47e08d55584")
    start = body.index("Li Keqiang")
    contact = _contact(
        "2021-12-07",
        ["Li Keqiang", "Alexander De Croo <script>"],
        kind="video call",
        place="Beijing",
        readouts=[
            _readout("000_29b7a47e08d55584", quote=body[start : start + 10], start=start),
            _readout("000_29b7a47e08d55584", quote="Li Keqiang", start=0),  # offsets moved
            _readout("gone", quote="Never <b>here</b>."),
        ],
    )
    html = render_contact(qa, contact, 7)
    assert 'data-turn="t7" data-selected="r1"' in html
    assert "De Croo &lt;script&gt;" in html and "<script>" not in html
    assert '<mark id="cite-r1" class="roq-mark">Li Keqiang</mark>' in html
    assert '<mark id="cite-r2" class="roq-mark">Li Keqiang</mark>' in html  # found again
    assert "no longer in the index" in html and "Never &lt;b&gt;here" in html
    assert "2021-12-07 · video call · Li Keqiang, Alexander De Croo &lt;script&gt;" in html


# ------------------------------------------------------------------------------ the chart
def test_monthly_counts_fill_the_months_and_group_the_rest():
    contacts = [
        _contact("2023-01-05", ["Xi Jinping", "Joseph R. Biden"]),
        _contact("2023-01-20", ["Xi Jinping", "Joseph R. Biden"], n=1),
        _contact("2023-04-02", ["Xi Jinping", "Emmanuel Macron", "Olaf Scholz"]),
        _contact("", ["Xi Jinping", "Nobody"]),  # undated: not on the chart
        _contact("2023-13-01", ["Xi Jinping", "Nobody"], n=2),  # no month either
    ]
    chart = monthly_counts(contacts, ["President Xi"])
    rows = list(chart.frame.itertuples(index=False, name=None))
    assert rows == [
        ("2023-01", "Joseph R. Biden", 2),
        ("2023-02", "Joseph R. Biden", 0),
        ("2023-03", "Joseph R. Biden", 0),
        ("2023-04", "Emmanuel Macron", 1),
        ("2023-04", "Olaf Scholz", 1),
    ]
    assert chart.y_lim == [0, 4] and chart.label_angle == 0
    many = [_contact("2023-05-01", ["Xi Jinping", f"Leader {i:02d}"], n=i) for i in range(12)]
    many += [_contact("2023-05-02", ["Xi Jinping", "Leader 11"], n=99)]
    frame = monthly_counts(many, ["Xi Jinping"]).frame
    assert len(set(frame["counterpart"])) == MAX_SERIES + 1 and OTHERS in set(frame["counterpart"])
    assert frame["contacts"].sum() == 13 and "Leader 11" in set(frame["counterpart"])
    assert monthly_counts(many, ["Xi Jinping"]).y_lim == [0, 13]
    empty = monthly_counts([])
    assert empty.empty and list(empty.frame.columns) == list(CHART_COLUMNS)


def test_long_spans_are_charted_by_quarter_or_year():
    two_years = [_contact("2021-01-10", ["A", "B"]), _contact("2022-12-10", ["A", "B"], n=1)]
    assert monthly_counts(two_years, ["A"]).unit == "month"
    spread = [_contact("2019-02-10", ["A", "B"]), _contact("2021-11-10", ["A", "C"], n=1)]
    chart = monthly_counts(spread, ["A"])
    assert chart.unit == "quarter" and chart.title == "Contacts per quarter"
    periods = list(dict.fromkeys(chart.frame["period"]))
    assert periods[0] == "2019-Q1" and periods[-1] == "2021-Q4" and len(periods) == 12
    decade = [_contact("2010-02-10", ["A", "B"]), _contact("2021-11-10", ["A", "B"], n=1)]
    chart = monthly_counts(decade, ["A"])
    assert chart.unit == "year" and list(chart.frame["period"])[::11] == ["2010", "2021"]
    assert chart.frame["contacts"].sum() == 2 and len(chart.frame) == 12


def test_counterparts_and_names():
    assert is_named("Joseph R. Biden", "President Biden") and is_named("Xi Jinping", "Xi")
    assert is_named("Volodymyr Zelenskyy", "Zelensky")  # spelling-insensitive
    assert not is_named("Xi Jinping", "Biden") and not is_named("Xi Jinping", "President")
    c = _contact("2023-01-01", ["Joseph R. Biden", "Xi Jinping"])
    assert counterparts(c, ["Xi Jinping"]) == ["Joseph R. Biden"]
    assert counterparts(c, ["Xi", "Biden"]) == ["Joseph R. Biden"]
    assert counterparts(c, []) == ["Joseph R. Biden – Xi Jinping"]
    assert month_range("2022-11", "2023-02") == ["2022-11", "2022-12", "2023-01", "2023-02"]


def test_kind_choices_offer_every_kind():
    values = [v for _label, v in timeline_view.kind_choices()]
    assert values[0] == "any" and values[1 : 1 + len(CONTACT_KINDS)] == list(CONTACT_KINDS)
    assert {"call", "in person"} <= set(values)
