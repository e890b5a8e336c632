"""The contacts evaluation on hand-made objects: the gold loader, name matching, the metrics
(event recall, cited-readout precision, count exact, none stated), aggregation, thresholds,
reports, and the extraction scores against annotations.  No index is built.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from readout_qa.evals.contacts_extraction import (
    AnnotatedContact,
    Annotation,
    load_annotations,
    score_extraction,
)
from readout_qa.evals.contacts_gold import (
    ContactItem,
    ContactsGoldError,
    ExpectedEvent,
    load_contacts_gold,
    parse_contacts_gold,
    participants_match,
    same_person,
)
from readout_qa.evals.contacts_metrics import (
    CONTACT_REPORT_KEYS,
    aggregate_contact_splits,
    aggregate_contacts,
    cited_readouts,
    evaluate_contact_item,
    event_found,
    says_none,
    stated_count,
)
from readout_qa.evals.contacts_runner import (
    check_contact_thresholds,
    contact_entry,
    contact_kind_rows,
    contact_part_rows,
    load_contact_thresholds,
    render_contacts_markdown,
)
from readout_qa.models import Answer, Citation, Contact, ContactReadout

BIDEN, PUTIN = "Joseph R. Biden", "Vladimir Putin"
DEC7 = ExpectedEvent("2021-12-07", "video call", [BIDEN, PUTIN], ["wh-dec7", "kr-dec7"])
DEC30 = ExpectedEvent("2021-12-30", "phone call", [BIDEN, PUTIN], ["wh-dec30", "kr-dec31"])
FEB12 = ExpectedEvent("2022-02-12", "phone call", [BIDEN, PUTIN], ["wh-feb12"])


def item(kind="timeline", events=(DEC7, DEC30, FEB12), split="test", count=None, id="ct-1"):
    return ContactItem(id, kind, "When did Biden and Putin speak?", list(events), split, count)


def cite(n: int, doc_id: str) -> Citation:
    return Citation(n, doc_id, "T", "2021-12-07", "", "", "quote", 0, 5, 0.5)


def contact(date: str, *people: str, docs: tuple[str, ...] = ()) -> Contact:
    readouts = [ContactReadout(d, "T", date, "", "", "q", 0, 1) for d in docs]
    return Contact(f"c-{date}", date, "phone call", list(people), readouts=readouts)


def answer(text="", docs=(), contacts=(), refused=False) -> Answer:
    return Answer(
        question="q",
        text=text,
        citations=[cite(i + 1, d) for i, d in enumerate(docs)],
        contacts=list(contacts),
        refused=refused,
    )


# ---------------------------------------------------------------------------------- loader
LINE = {
    "id": "ct-1",
    "kind": "count",
    "split": "test",
    "question": "How many?",
    "events": [DEC7.to_dict()],
    "count": 1,
}


def line(**changes) -> str:
    return json.dumps({k: v for k, v in {**LINE, **changes}.items() if v is not ...})


def test_a_valid_file_loads_and_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text(line() + "\n\n" + line(id="ct-2", kind="first", count=...) + "\n", "utf-8")
    first, second = load_contacts_gold(path)
    assert first.to_dict() == LINE and first.expected_count == 1
    assert second.line == 3 and second.expected_count is None
    assert first.doc_ids == ["wh-dec7", "kr-dec7"]
    with pytest.raises(FileNotFoundError):
        load_contacts_gold(tmp_path / "missing.jsonl")


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("{oops", "not valid JSON"),
        (line(kind="trivia"), "unknown kind 'trivia'"),
        (line(split="dev"), "unknown split 'dev'"),
        (line(split=...), "missing field(s): split"),
        (line(extra=1), "unknown field(s): extra"),
        (line(count=2), "'count' is 2 but 1 event(s) are listed"),
        (line(count=...), "a 'count' item needs 'count'"),
        (line(kind="first", count=1), "only 'count' items have 'count'"),
        (line(kind="none", count=..., events=[DEC7.to_dict()]), "a 'none' item lists no events"),
        (line(kind="last", count=..., events=[]), "lists exactly one event"),
        (line(events=[{**DEC7.to_dict(), "date": "7 Dec"}]), "must be an ISO day"),
        (line(events=[{**DEC7.to_dict(), "kind": "chat"}]), "unknown contact kind 'chat'"),
        (line(events=[{**DEC7.to_dict(), "participants": [BIDEN]}]), "at least two names"),
        (line(events=[{**DEC7.to_dict(), "doc_ids": []}]), "'doc_ids' must be a non-empty"),
        (line(events=[DEC7.to_dict(), DEC7.to_dict()], count=2), "listed twice"),
    ],
)
def test_malformed_items_are_rejected_with_their_line(bad: str, message: str) -> None:
    with pytest.raises(ContactsGoldError) as info:
        parse_contacts_gold("\n".join([line(id="a"), bad]), "c.jsonl")
    assert info.value.line == 2
    assert any(message in m for _, m in info.value.errors), info.value.errors
    assert "c.jsonl:2: " in str(info.value)


def test_duplicate_ids_and_empty_files_are_rejected() -> None:
    with pytest.raises(ContactsGoldError, match="duplicate id 'a' .first used on line 1."):
        parse_contacts_gold("\n".join([line(id="a"), line(id="a")]))
    with pytest.raises(ContactsGoldError, match="no contacts gold items"):
        parse_contacts_gold("\n")


# ---------------------------------------------------------------------------------- names
@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Joseph R. Biden", "Joe Biden", True),
        ("Joseph R. Biden", "Biden", True),
        ("Xi Jinping", "Xi", True),
        ("Kishida Fumio", "Fumio Kishida", True),
        ("Niinistö", "Sauli Niinisto", True),
        ("Hamad bin Isa Al Khalifa", "Salman bin Hamad Al Khalifa", False),
        ("Joseph R. Biden", "Joseph Aoun", False),
        ("Mohammed bin Salman", "Salman bin Hamad Al Khalifa", False),
        ("", "Biden", False),
    ],
)
def test_same_person(a: str, b: str, same: bool) -> None:
    assert same_person(a, b) is same
    assert same_person(b, a) is same


def test_participants_match_needs_every_expected_person() -> None:
    assert participants_match([BIDEN, PUTIN], ["Putin", "Joe Biden", "Macron"])
    assert not participants_match([BIDEN, PUTIN], ["Joe Biden"])


# ---------------------------------------------------------------------------------- counts
@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("They spoke seven times in March 2022: on March 3 [1] and March 6 [2].", 7),
        ("The readouts record 3 calls (April 1, April 26 and April 28, 2022).", 3),
        ("Biden and Putin spoke twice in 2021.", 2),
        ("Harris called six foreign leaders on January 8, 2025.", 6),
        ("There were twenty-one contacts.", 21),
        ("In 2021 they held five conversations [1][2].", 5),
        ("The readouts record no calls.", 0),
        ("1. January 26, 2021 [1]\n2. April 13, 2021 [2]", None),
        ("On December 30, 2021 they spoke [3].", None),
        ("They spoke [12] in 2022.", None),
    ],
)
def test_stated_count(text: str, count: int | None) -> None:
    assert stated_count(text) == count


def test_says_none_needs_a_no_and_no_citation() -> None:
    assert says_none(answer("The readouts record no call between them."))
    assert says_none(answer("The readouts don't say.", refused=True))
    assert says_none(answer("There is no readout of such a meeting."))
    assert not says_none(answer("They spoke on March 3."))
    assert not says_none(answer("No call is recorded after February [1].", docs=["wh-feb12"]))
    assert not says_none(answer("None.", contacts=[contact("2022-02-12", BIDEN, PUTIN)]))


# ---------------------------------------------------------------------------------- events
def test_an_event_is_found_by_a_citation_of_any_of_its_readouts() -> None:
    assert event_found(DEC7, answer("Dec 7 [1]", docs=["kr-dec7"]))
    assert not event_found(DEC7, answer("Dec 30 [1]", docs=["wh-dec30"]))
    assert not event_found(DEC7, answer("x", docs=["kr-dec7"], refused=True))


def test_an_event_is_found_in_the_answers_contacts() -> None:
    by_people = contact("2021-12-07", "Putin", "Joe Biden")
    assert event_found(DEC7, answer("x", contacts=[by_people]))
    by_readout = contact("2021-12-08", "Someone", "Else", docs=("wh-dec7",))
    assert event_found(DEC7, answer("x", contacts=[by_readout]))
    wrong_day = contact("2021-12-08", "Putin", "Joe Biden")
    assert not event_found(DEC7, answer("x", contacts=[wrong_day]))
    assert cited_readouts(answer("x", docs=["a", "b", "a"], contacts=[by_readout])) == [
        "a",
        "b",
        "wh-dec7",
    ]


def test_timeline_recall_and_precision() -> None:
    res = evaluate_contact_item(item(), answer("...", docs=["wh-dec7", "kr-dec31", "other"]), 0.5)
    assert res.found == [True, True, False]
    assert res.event_recall == pytest.approx(2 / 3) and res.all_events == 0.0
    assert res.cited_readout_precision == pytest.approx(2 / 3)
    assert res.stray_readouts == ["other"] and res.uncited_events == ["2022-02-12"]
    assert res.count_exact is None and res.none_stated is None and res.latency == 0.5
    nothing = evaluate_contact_item(item(), answer("I don't know."))
    assert nothing.event_recall == 0.0 and nothing.cited_readout_precision is None


def test_count_items_need_the_stated_number() -> None:
    count_item = item("count", count=3)
    right = answer("They spoke three times [1][2][3].", docs=["wh-dec7", "wh-dec30", "wh-feb12"])
    assert evaluate_contact_item(count_item, right).count_exact == 1.0
    wrong = evaluate_contact_item(count_item, answer("They spoke twice [1].", docs=["wh-dec7"]))
    assert wrong.count_exact == 0.0 and wrong.stated_count == 2
    refused = evaluate_contact_item(count_item, answer("3 calls", refused=True))
    assert refused.count_exact == 0.0 and refused.stated_count is None


def test_none_items_score_only_none_stated() -> None:
    none = item("none", events=())
    res = evaluate_contact_item(none, answer("The readouts record no such call."))
    assert res.none_stated == 1.0
    assert res.event_recall is None and res.cited_readout_precision is None
    cited = evaluate_contact_item(none, answer("They spoke [1].", docs=["wh-dec7"]))
    assert cited.none_stated == 0.0


def test_aggregates_overall_per_kind_and_per_part() -> None:
    results = [
        evaluate_contact_item(item(split="test"), answer("x", docs=["wh-dec7"]), 1.0),
        evaluate_contact_item(item("none", events=(), id="n", split="tune"), answer("None."), 2.0),
        evaluate_contact_item(
            item("count", count=3, id="c", split="test"), answer("3 calls", refused=True), 3.0
        ),
    ]
    report = aggregate_contacts(results)
    assert set(report) == {*CONTACT_REPORT_KEYS, "by_kind"}
    assert list(report["by_kind"]) == ["timeline", "count", "none"]
    assert report["event_recall"] == pytest.approx((1 / 3 + 0) / 2)
    assert report["none_stated"] == 1.0 and report["count_exact"] == 0.0
    assert report["refused"] == pytest.approx(1 / 3) and report["latency_p50"] == 2.0
    parts = aggregate_contact_splits(results)
    assert list(parts) == ["tune", "test"]
    assert parts["test"]["n_items"] == 2 and parts["tune"]["none_stated"] == 1.0


# ---------------------------------------------------------------------------------- thresholds
def test_contact_thresholds_are_loaded_with_their_enforce_flag(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text(
        json.dumps(
            {
                "full": {"fact_recall": 0.5},
                "contacts": {
                    "_comment": "x",
                    "enforce": False,
                    "by_split.test.event_recall": 0.95,
                    "by_split.test.by_kind.none.none_stated": 1,
                },
            }
        ),
        "utf-8",
    )
    limits, enforce = load_contact_thresholds(path)
    assert enforce is False
    assert limits == {
        "by_split.test.event_recall": 0.95,
        "by_split.test.by_kind.none.none_stated": 1,
    }
    path.write_text(json.dumps({"contacts": {"enforce": "yes"}}), "utf-8")
    with pytest.raises(ValueError, match="enforce must be true or false"):
        load_contact_thresholds(path)
    path.write_text(json.dumps({"contacts": {"by_kind.trivia.event_recall": 1}}), "utf-8")
    with pytest.raises(ValueError, match="unknown kind 'trivia'"):
        load_contact_thresholds(path)
    path.write_text(json.dumps({"contacts": {"fact_recall": 1}}), "utf-8")
    with pytest.raises(ValueError, match="unknown metric 'fact_recall'"):
        load_contact_thresholds(path)
    path.write_text(json.dumps({"full": {}}), "utf-8")
    assert load_contact_thresholds(path) == ({}, False)


def test_contact_thresholds_check_parts_and_kinds() -> None:
    results = [
        evaluate_contact_item(item(split="test"), answer("x", docs=["wh-dec7"])),
        evaluate_contact_item(
            item("none", events=(), id="n"), answer("They spoke [1].", docs=["a"])
        ),
    ]
    report = {
        **{k: v for k, v in aggregate_contacts(results).items() if k != "by_kind"},
        "by_kind": aggregate_contacts(results)["by_kind"],
        "by_split": aggregate_contact_splits(results),
    }
    unmet = check_contact_thresholds(
        report,
        {
            "by_split.test.event_recall": 0.95,
            "by_split.test.by_kind.none.none_stated": 1.0,
            "by_split.tune.event_recall": 0.1,
        },
    )
    assert unmet == [
        "by_split.test.event_recall: 0.333 < minimum 0.95",
        "by_split.test.by_kind.none.none_stated: 0.000 < minimum 1.0",
        "by_split.tune.event_recall: not measured (threshold 0.1)",
    ]


# ---------------------------------------------------------------------------------- reports
def test_report_tables_and_markdown_list_failed_items() -> None:
    it = item()
    ans = answer("Dec 7 [1]", docs=["wh-dec7", "stray"])
    res = evaluate_contact_item(it, ans, 0.1)
    agg = aggregate_contacts([res])
    report = {
        "overall": {k: v for k, v in agg.items() if k != "by_kind"},
        "by_kind": agg["by_kind"],
        "by_split": aggregate_contact_splits([res]),
        "items": [contact_entry(it, ans, res)],
        "meta": {"gold": ["c.jsonl"], "answerer": "extractive"},
    }
    names, rows = contact_part_rows(report)
    assert names == ["overall", "test"] and rows[1][:3] == ["event recall", "0.333", "0.333"]
    assert contact_kind_rows(report, "test")[0] == ["overall", "timeline"]
    md = render_contacts_markdown(report)
    assert "| metric | overall | test part |" in md and "## Per kind, test part" in md
    assert "### ct-1 (timeline, test): event recall 0.33; cited-readout precision 0.50" in md
    assert "- ✓ 2021-12-07 video call" in md and "- ✗ 2021-12-30 phone call" in md
    assert "`stray` (no expected event)" in md


# ---------------------------------------------------------------------------------- extraction
def ann(doc_id: str, *contacts: AnnotatedContact) -> Annotation:
    return Annotation(doc_id, "kremlin", list(contacts))


def gold_contact(date, kind, *people, level="leaders", also=()):
    return AnnotatedContact(date, kind, list(people), level, list(also))


def pred(date, kind, *people) -> Contact:
    return Contact(f"p-{date}", date, kind, list(people))


def test_extraction_precision_and_recall_per_field() -> None:
    annotations = [
        ann("a", gold_contact("2022-03-06", "phone call", PUTIN, "Emmanuel Macron")),
        ann("b", gold_contact("2021-12-06", "talks", PUTIN, "Narendra Modi", also=("meeting",))),
        ann("c", gold_contact("2022-01-20", "meeting", PUTIN, "Sergei Sobyanin", level="domestic")),
        ann("d"),
        ann(
            "e", gold_contact(None, "meeting", "Jake Sullivan", "Mohamed Bazoum", level="officials")
        ),
        ann("f", gold_contact("2021-02-17", "phone call", BIDEN, "Benjamin Netanyahu")),
    ]
    predicted = {
        "a": [pred("2022-03-06", "phone call", "Vladimir Putin", "Emmanuel Macron")],
        "b": [pred("2021-12-07", "meeting", "Putin", "Modi")],  # kind also ok, wrong day
        "c": [pred("2022-01-20", "meeting", "Putin", "Sobyanin")],  # out of scope: ignored
        "d": [pred("2022-02-22", "talks", "Putin", "Imran Khan")],  # an announcement: extra
        # "f" found nothing
    }
    scores = score_extraction(annotations, predicted)
    f = scores["fields"]
    assert scores["n_contacts"] == 3 and scores["n_extracted"] == 3
    assert f["contact"] == {"precision": 2 / 3, "recall": 2 / 3, "f1": pytest.approx(2 / 3)}
    assert f["participants"]["precision"] == pytest.approx(4 / 6)
    assert f["participants"]["recall"] == pytest.approx(4 / 6)
    assert f["kind"]["precision"] == pytest.approx(2 / 3)
    assert f["date"]["recall"] == pytest.approx(1 / 3) and f["date"]["precision"] == 1 / 3
    assert scores["no_contact_accuracy"] == pytest.approx(2 / 3)  # c and e ok, d not
    problems = {e["doc_id"]: e["problems"] for e in scores["errors"]}
    assert problems["b"] == ["date 2021-12-07 for 2021-12-06"]
    assert problems["d"][0].startswith("extra talks 2022-02-22")
    assert problems["f"][0].startswith("missed phone call 2021-02-17")
    wide = score_extraction(annotations, predicted, levels=("leaders", "domestic"))
    assert wide["n_contacts"] == 4 and wide["fields"]["contact"]["recall"] == 3 / 4


def test_extraction_pairs_need_two_shared_people_or_the_same_day() -> None:
    annotations = [ann("a", gold_contact("2022-03-06", "phone call", PUTIN, "Emmanuel Macron"))]
    only_putin_other_day = {"a": [pred("2022-03-07", "phone call", PUTIN, "Olaf Scholz")]}
    assert score_extraction(annotations, only_putin_other_day)["fields"]["contact"]["recall"] == 0
    only_putin_same_day = {"a": [pred("2022-03-06", "phone call", PUTIN, "President of France")]}
    scores = score_extraction(annotations, only_putin_same_day)
    assert scores["fields"]["contact"]["recall"] == 1.0
    assert scores["fields"]["participants"]["recall"] == 0.5


def test_annotation_files_are_validated(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    good = {
        "doc_id": "x",
        "contacts": [
            {
                "date": "2022-01-01",
                "kind": "meeting",
                "participants": ["A B", "C D"],
                "level": "leaders",
            }
        ],
    }
    path.write_text(json.dumps(good) + "\n" + json.dumps({"doc_id": "y", "contacts": []}), "utf-8")
    first, second = load_annotations(path)
    assert first.contacts[0].kind_ok("meeting") and second.contacts == []
    bad = {
        "doc_id": "z",
        "contacts": [{"date": "soon", "kind": "chat", "participants": ["A"], "level": "vip"}],
    }
    path.write_text(json.dumps(bad) + "\n" + json.dumps(bad), "utf-8")
    with pytest.raises(ValueError) as info:
        load_annotations(path)
    message = str(info.value)
    for part in (
        "ISO day or null",
        "unknown contact kind",
        "at least two names",
        "unknown level",
        "annotated twice",
    ):
        assert part in message
