"""Loading readouts of every shape from real files, and clear errors for bad ones."""

from __future__ import annotations

import json
import os
import pickle
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readout_qa.loaders import (
    LoadError,
    load_file,
    load_file_with_errors,
    load_paths,
    parse_date,
)
from readout_qa.models import FileError, Readout

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "corpus" / "000_29b7a47e08d55584.txt"
CORPORA = Path(__file__).resolve().parents[3] / "shared" / "corpora"

FRONT_MATTER = """---
title: "Readout of President Joe Biden Call with Prime Minister Justin Trudeau of Canada"
date: 2021-01-22
source: https://example.gov/readout
publisher: "The White House"
---

President Biden spoke with Canadian Prime Minister Justin Trudeau.

The two leaders agreed to speak again.
"""


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_bytes(content.encode("utf-8"))
    return path


def reason_of(path: Path, **kwargs: object) -> str:
    with pytest.raises(LoadError) as info:
        load_file(path, **kwargs)  # type: ignore[arg-type]
    return info.value.reason


# --- shape 1: the seed --------------------------------------------------------------------


def test_seed_readout() -> None:
    [r] = load_file(SEED)
    raw = SEED.read_text(encoding="utf-8")
    assert r.doc_id == "000_29b7a47e08d55584"
    assert r.date == "2021-12-08"
    assert r.path == str(SEED)
    assert r.text in raw  # offsets into the body point into the file's text
    assert r.text.startswith("On the afternoon of December 7, 2021")
    assert r.text.endswith("He Lifeng attended the above activity.")
    assert " . " in r.text  # kept exactly as in the file
    assert r.title.startswith("On the afternoon of December 7, 2021, Premier Li Keqiang")
    assert r.title.endswith("…") and len(r.title) <= 121
    assert {"Belgium", "China"} <= set(r.countries)
    assert {"Li Keqiang", "Alexander De Croo"} <= set(r.leaders)
    assert r.publisher == "" and r.source == ""


def test_seed_shape_with_other_whitespace(tmp_path: Path) -> None:
    path = write(
        tmp_path / "x.txt", "\t date \t2022-03-04  \n\n \n\nThe leaders met. They talked.\n\n"
    )
    [r] = load_file(path)
    assert r.date == "2022-03-04"
    assert r.text == "The leaders met. They talked."
    assert r.title == "The leaders met."


def test_seed_shape_with_extra_header_lines(tmp_path: Path) -> None:
    text = " date 2022-03-04 \n title  A call \n publisher MFA\n\nBody text here.\n"
    [r] = load_file(write(tmp_path / "x.txt", text))
    assert (r.date, r.title, r.publisher, r.text) == (
        "2022-03-04",
        "A call",
        "MFA",
        "Body text here.",
    )


def test_seed_shape_bad_date(tmp_path: Path) -> None:
    path = write(tmp_path / "x.txt", " date 2021-02-30 \n\nBody.\n")
    assert reason_of(path) == "date '2021-02-30' is not a valid date (YYYY-MM-DD)"


def test_header_only_is_an_empty_body(tmp_path: Path) -> None:
    path = write(tmp_path / "x.txt", " date 2021-02-03 \n\n\n")
    assert "body is empty" in reason_of(path)


def test_prose_starting_with_date_is_plain_text(tmp_path: Path) -> None:
    [r] = load_file(write(tmp_path / "x.txt", "date night plans were discussed.\nMore text.\n"))
    assert r.date is None
    assert r.text.startswith("date night")


# --- shape 2: front matter ----------------------------------------------------------------


def test_front_matter(tmp_path: Path) -> None:
    path = write(tmp_path / "whitehouse" / "2021-01-22_readout.md", FRONT_MATTER)
    [r] = load_file(path)
    assert r.doc_id == "2021-01-22_readout"
    assert r.title.startswith("Readout of President Joe Biden Call")
    assert r.date == "2021-01-22"
    assert r.source == "https://example.gov/readout"
    assert r.publisher == "The White House"
    assert r.text == (
        "President Biden spoke with Canadian Prime Minister Justin Trudeau.\n\n"
        "The two leaders agreed to speak again."
    )
    assert r.text in path.read_text(encoding="utf-8")
    assert "Canada" in r.countries
    assert {"Joe Biden", "Justin Trudeau"} <= set(r.leaders)


@pytest.mark.parametrize(
    ("date_line", "expected"),
    [
        ("date: 2021-01-22", "2021-01-22"),
        ("date: '2021-01-22'", "2021-01-22"),
        ('date: "December 8, 2021"', "2021-12-08"),
        ("date: 2021-12-08T10:30:00Z", "2021-12-08"),
        ("date: 2021/12/08", "2021-12-08"),
    ],
)
def test_front_matter_dates(tmp_path: Path, date_line: str, expected: str) -> None:
    path = write(tmp_path / "a.md", f"---\ntitle: T\n{date_line}\n---\n\nBody.\n")
    assert load_file(path)[0].date == expected


@pytest.mark.parametrize("bad", ["2021-02-30", "yesterday", "2021-13-01"])
def test_front_matter_bad_dates(tmp_path: Path, bad: str) -> None:
    path = write(tmp_path / "a.md", f"---\ntitle: T\ndate: {bad}\n---\n\nBody.\n")
    assert reason_of(path) == f"date '{bad}' is not a valid date (YYYY-MM-DD)"


def test_front_matter_without_date_uses_file_name(tmp_path: Path) -> None:
    path = write(tmp_path / "2021-05-06_call.md", "---\ntitle: T\n---\n\nBody.\n")
    [r] = load_file(path)
    assert (r.date, r.publisher, r.source) == ("2021-05-06", "", "")


def test_front_matter_without_title_uses_heading(tmp_path: Path) -> None:
    path = write(tmp_path / "a.md", "---\ndate: 2021-05-06\n---\n\n# The *real* title\n\nBody.\n")
    assert load_file(path)[0].title == "The real title"


def test_front_matter_not_yaml(tmp_path: Path) -> None:
    path = write(tmp_path / "a.md", '---\ntitle: "unclosed\ndate: [2021\n---\n\nBody.\n')
    reason = reason_of(path)
    assert reason.startswith("front matter is not valid YAML: ")
    assert "line" in reason


def test_front_matter_is_a_list(tmp_path: Path) -> None:
    path = write(tmp_path / "a.md", "---\n- title\n- date\n---\n\nBody.\n")
    reason = reason_of(path)
    assert reason.startswith("front matter is not valid YAML: ")
    assert "list" in reason


def test_front_matter_not_closed(tmp_path: Path) -> None:
    path = write(tmp_path / "a.md", "---\ntitle: T\n\nBody.\n")
    assert "no closing '---'" in reason_of(path)


def test_front_matter_with_empty_body(tmp_path: Path) -> None:
    path = write(tmp_path / "a.md", "---\ntitle: T\ndate: 2021-01-01\n---\n\n  \n")
    assert reason_of(path) == "no text after the header (the body is empty)"


def test_front_matter_field_of_wrong_type(tmp_path: Path) -> None:
    path = write(tmp_path / "a.md", "---\ntitle: [a, b]\n---\n\nBody.\n")
    assert reason_of(path) == "field 'title' should be text, not a list"


# --- shape 3: plain text ------------------------------------------------------------------


def test_plain_markdown_with_heading_and_dated_name(tmp_path: Path) -> None:
    path = write(
        tmp_path / "2021-01-22_readout-of-call.md",
        "# Readout of the Call\n\nThe President spoke with the Prime Minister of Japan.\n",
    )
    [r] = load_file(path)
    assert r.doc_id == "2021-01-22_readout-of-call"
    assert r.date == "2021-01-22"
    assert r.title == "Readout of the Call"
    assert r.text.startswith("# Readout of the Call")
    assert r.countries == ["Japan"]


def test_plain_text_title_is_first_sentence(tmp_path: Path) -> None:
    path = write(
        tmp_path / "notes.txt", "\n\nThe U.S. and Mr. Smith met on Jan. 5 in Paris. Then more.\n"
    )
    [r] = load_file(path)
    assert r.date is None
    assert r.title == "The U.S. and Mr. Smith met on Jan. 5 in Paris."
    assert r.text == "The U.S. and Mr. Smith met on Jan. 5 in Paris. Then more."


def test_long_first_sentence_is_cut_on_a_word(tmp_path: Path) -> None:
    words = " ".join(["word"] * 60) + "."
    [r] = load_file(write(tmp_path / "a.txt", words))
    assert r.title.endswith("…")
    assert len(r.title) <= 121
    assert r.title[:-1].split(" ") == ["word"] * len(r.title[:-1].split(" "))


def test_bom_is_stripped_and_crlf_normalised(tmp_path: Path) -> None:
    content = "\ufeff date 2021-01-02 \r\n\r\nLine one.\r\nLine two.\r\n"
    [r] = load_file(write(tmp_path / "a.txt", content))
    assert r.date == "2021-01-02"
    assert r.text == "Line one.\nLine two."
    assert "\r" not in r.text and "\ufeff" not in r.text


def test_crlf_front_matter(tmp_path: Path) -> None:
    path = write(tmp_path / "a.md", FRONT_MATTER.replace("\n", "\r\n"))
    [r] = load_file(path)
    assert r.date == "2021-01-22" and "\r" not in r.text


# --- shape 4: JSON Lines and JSON ---------------------------------------------------------


def jsonl_lines() -> list[str]:
    return [
        json.dumps({"doc_id": "a1", "title": "A", "date": "2022-01-02", "text": "Japan spoke."}),
        "{not json",
        json.dumps({"id": 7, "body": "France spoke.", "publisher": "Elysee"}),
        json.dumps({"title": "no text"}),
        "",
        json.dumps(["a", "list"]),
        json.dumps({"text": "Germany spoke.", "date": "2021-02-30"}),
        json.dumps({"text": "Italy spoke."}),
    ]


def test_jsonl_good_and_bad_lines(tmp_path: Path) -> None:
    path = write(tmp_path / "batch.jsonl", "\n".join(jsonl_lines()) + "\n")
    readouts, errors = load_file_with_errors(path)
    assert [r.doc_id for r in readouts] == ["a1", "7", "batch-8"]
    assert [r.path for r in readouts] == [f"{path}:1", f"{path}:3", f"{path}:8"]
    assert readouts[0].date == "2022-01-02" and readouts[0].countries == ["Japan"]
    assert readouts[1].text == "France spoke." and readouts[1].publisher == "Elysee"
    assert readouts[2].title == "Italy spoke."
    by_line = {e.path: e.reason for e in errors}
    assert set(by_line) == {f"{path}:{n}" for n in (2, 4, 6, 7)}
    assert by_line[f"{path}:2"].startswith("line is not valid JSON")
    assert by_line[f"{path}:4"] == "line has no 'text' (or 'body') field"
    assert "not a JSON object" in by_line[f"{path}:6"]
    assert "not a valid date" in by_line[f"{path}:7"]
    with pytest.raises(LoadError) as info:
        load_file(path)
    assert info.value.path == f"{path}:2"


def test_load_paths_keeps_good_jsonl_lines(tmp_path: Path) -> None:
    path = write(tmp_path / "batch.jsonl", "\n".join(jsonl_lines()))
    readouts, errors = load_paths([path])
    assert len(readouts) == 3 and len(errors) == 4


def test_json_lines_detected_by_content(tmp_path: Path) -> None:
    lines = [json.dumps({"text": "One."}), json.dumps({"text": "Two.", "id": "x"})]
    readouts = load_file(write(tmp_path / "dump.txt", "\n".join(lines)))
    assert [r.doc_id for r in readouts] == ["dump-1", "x"]


def test_json_list_and_object(tmp_path: Path) -> None:
    items = [{"id": "p", "text": "Peru."}, {"text": "Chile."}]
    readouts = load_file(write(tmp_path / "list.json", json.dumps(items)))
    assert [r.doc_id for r in readouts] == ["p", "list-2"]
    assert readouts[1].path == f"{tmp_path / 'list.json'}:2"
    [one] = load_file(write(tmp_path / "one.json", json.dumps({"text": "Cuba."})))
    assert one.doc_id == "one"


def test_json_invalid(tmp_path: Path) -> None:
    assert reason_of(write(tmp_path / "bad.json", "[1, 2")).startswith("is not valid JSON")


# --- bad input ----------------------------------------------------------------------------


def test_empty_file(tmp_path: Path) -> None:
    assert reason_of(write(tmp_path / "a.txt", b"")) == "file is empty"


def test_whitespace_only(tmp_path: Path) -> None:
    assert "only whitespace" in reason_of(write(tmp_path / "a.md", " \n\t\r\n  "))


def test_binary_with_nul_bytes(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert reason_of(path).startswith("looks like a binary file, not text")


def test_binary_without_nul_bytes(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", bytes(range(1, 256)) * 4)
    assert reason_of(path).startswith("looks like a binary file, not text")


def test_not_utf8(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "Caf\u00e9 au lait with the minister.".encode("latin-1"))
    reason = reason_of(path)
    assert reason.startswith("is not UTF-8 text (invalid byte 0xe9 at offset 3)")


def test_utf16_is_named(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "Hello".encode("utf-16"))
    assert "UTF-16" in reason_of(path)


def test_too_large_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    with path.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: instant, no disk used
    reason = reason_of(path)
    assert reason.startswith("file is 50.0 MB, over the 10 MB limit for one file")
    # With a higher limit the file is read, and is then (rightly) binary.
    assert reason_of(path, max_mb=60).startswith("looks like a binary file")


def test_size_limit_from_settings(tmp_path: Path) -> None:
    from readout_qa.config import Settings

    path = write(tmp_path / "a.txt", "word " * 300_000)  # 1.5 MB
    settings = Settings.from_env({"READOUT_QA_MAX_FILE_MB": "1"})
    assert reason_of(path, max_mb=settings.max_file_mb).startswith(
        "file is 1.4 MB, over the 1 MB limit"
    )
    assert load_file(path, max_mb=Settings.from_env({}, max_file_mb=2).max_file_mb)
    assert load_file(path)  # the default limit is 10 MB
    with pytest.raises(ValueError, match="READOUT_QA_MAX_FILE_MB"):
        Settings.from_env({"READOUT_QA_MAX_FILE_MB": "not a number"})


def test_directory_given_to_load_file(tmp_path: Path) -> None:
    assert "is a directory" in reason_of(tmp_path)


def test_missing_file_given_to_load_file(tmp_path: Path) -> None:
    assert reason_of(tmp_path / "nope.txt") == "no such file"


LOAD_AS_NOBODY = """
import os, sys
from readout_qa.loaders import LoadError, load_file
if os.geteuid() == 0:  # root reads anything: drop to nobody to meet a permission error
    os.setgid(65534)
    os.setuid(65534)
try:
    load_file(sys.argv[1])
except LoadError as exc:
    print(exc.reason)
"""


def test_permission_denied(tmp_path: Path) -> None:
    import subprocess
    import sys

    tmp_path.chmod(0o755)
    path = write(tmp_path / "a.txt", "Text.")
    path.chmod(0)
    try:
        result = subprocess.run(
            [sys.executable, "-c", LOAD_AS_NOBODY, str(path)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert "permission denied" in result.stdout, result.stderr
    finally:
        path.chmod(0o644)


def test_fifo_is_not_read(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert "not a regular file" in reason_of(fifo)  # and did not block


# Looking at a file (stat) and opening it share one mapping from OS errors to reasons, with
# the step's own wording; these pin every reason so the two steps cannot drift apart.
OS_ERROR_REASONS = [
    ("stat", FileNotFoundError(2, "No such file or directory"), "no such file"),
    ("stat", PermissionError(13, "denied"), "permission denied: cannot look at this file"),
    ("stat", OSError(5, "Input/output error"), "cannot read file: Input/output error"),
    ("stat", OSError("odd"), "cannot read file: odd"),
    ("open", PermissionError(13, "denied"), "permission denied: cannot read this file"),
    (
        "open",
        IsADirectoryError(21, "Is a directory"),
        "is a directory, not a file (load folders with load_paths)",
    ),
    # Gone between stat and open: a read error, not "no such file".
    (
        "open",
        FileNotFoundError(2, "No such file or directory"),
        "cannot read file: No such file or directory",
    ),
    ("open", OSError(5, "Input/output error"), "cannot read file: Input/output error"),
]


@pytest.mark.parametrize(("step", "error", "reason"), OS_ERROR_REASONS)
def test_os_error_reasons(tmp_path: Path, step: str, error: OSError, reason: str) -> None:
    from unittest import mock

    path = write(tmp_path / "a.txt", "Text.")
    with mock.patch.object(Path, step, side_effect=error):
        assert reason_of(path) == reason


def test_load_error_shape() -> None:
    err = LoadError("a/b.txt", "file is empty")
    assert (err.path, err.reason, str(err)) == (
        "a/b.txt",
        "file is empty",
        "a/b.txt: file is empty",
    )
    again = pickle.loads(pickle.dumps(err))
    assert str(again) == str(err)
    assert err.to_file_error() == FileError("a/b.txt", "file is empty")


def test_public_api() -> None:
    import readout_qa.loaders as loaders
    from readout_qa import dates

    assert set(loaders.__all__) == {
        "DEFAULT_MAX_FILE_MB",
        "LoadError",
        "SUPPORTED_SUFFIXES",
        "load_file",
        "load_file_with_errors",
        "load_paths",
        "parse_date",
        "tag_entities",
    }
    assert all(hasattr(loaders, name) for name in loaders.__all__)
    assert loaders.parse_date is dates.parse_date
    assert loaders.SUPPORTED_SUFFIXES == (
        ".txt",
        ".md",
        ".markdown",
        ".jsonl",
        ".json",
        ".html",
        ".htm",
        ".pdf",
    )


LOADER_MODULES = sorted(
    p.stem for p in (REPO / "src" / "readout_qa" / "loaders").glob("*.py") if p.stem != "__init__"
)


@pytest.mark.parametrize("module", LOADER_MODULES)
def test_loader_module_imports_on_its_own(module: str) -> None:
    """Each module imports first in a fresh interpreter: no circular imports."""
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", f"import readout_qa.loaders.{module}"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def test_loaders_do_not_read_the_environment() -> None:
    """The size limit comes in as ``max_mb`` (from ``Settings.max_file_mb``), never from env."""
    for path in (REPO / "src" / "readout_qa" / "loaders").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert "os.environ" not in source and "getenv" not in source, path.name


# --- load_paths ---------------------------------------------------------------------------


def test_load_paths_mixed(tmp_path: Path) -> None:
    root = tmp_path / "in"
    write(root / "b.md", FRONT_MATTER)
    write(root / "a.txt", " date 2021-01-01 \n\nAlpha text.\n")
    write(root / "sub" / "c.markdown", "# C\n\nGamma text.\n")
    write(root / "sub" / "d.jsonl", json.dumps({"id": "d1", "text": "Delta."}))
    write(root / "empty.txt", "")
    write(root / "notes.docx", b"PK\x03\x04")  # other suffixes in folders: listed as skipped
    write(root / ".hidden.txt", "Hidden.")  # hidden files: skipped silently
    write(root / ".git" / "HEAD.txt", "ref: x")  # hidden folders: skipped silently
    named = write(tmp_path / "named.xlsx", b"PK\x03\x04")
    skipped: list = []
    readouts, errors = load_paths([root, str(tmp_path / "missing"), named], skipped=skipped)
    assert [r.doc_id for r in readouts] == ["a", "b", "c", "d1"]
    reasons = {Path(e.path).name: e.reason for e in errors}
    assert reasons["empty.txt"] == "file is empty"
    assert reasons["missing"] == "no such file or folder"
    assert len(errors) == 2
    assert sorted((Path(s.path).name, s.suffix) for s in skipped) == [
        ("named.xlsx", ".xlsx"),
        ("notes.docx", ".docx"),
    ]
    assert skipped[0].reason.startswith("unsupported file type '.")


def test_load_paths_dedupes_and_sorts(tmp_path: Path) -> None:
    a = write(tmp_path / "z.txt", "Zed.")
    write(tmp_path / "m.txt", "Em.")
    readouts, errors = load_paths([a, tmp_path, a])
    assert [r.doc_id for r in readouts] == ["m", "z"] and errors == []


def test_load_paths_explicit_hidden_file_is_loaded(tmp_path: Path) -> None:
    hidden = write(tmp_path / ".note.txt", "Hidden but named.")
    readouts, errors = load_paths([hidden])
    assert [r.doc_id for r in readouts] == [".note"] and errors == []


def test_load_paths_thousands_of_files(tmp_path: Path) -> None:
    root = tmp_path / "many"
    root.mkdir()
    for i in range(3000):
        (root / f"{i:04d}.txt").write_bytes(
            f" date 2022-01-{i % 28 + 1:02d} \n\nReadout {i}: France and Japan met.\n".encode()
        )
    t0 = time.perf_counter()
    readouts, errors = load_paths([root])
    elapsed = time.perf_counter() - t0
    assert errors == []
    assert len(readouts) == 3000
    assert readouts[0].doc_id == "0000" and readouts[-1].doc_id == "2999"
    assert elapsed < 5.0


# --- parse_date ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2021-12-08", "2021-12-08"),
        ("December 8, 2021", "2021-12-08"),
        ("Dec 8, 2021", "2021-12-08"),
        ("8 December 2021", "2021-12-08"),
        ("  2021-12-08  ", "2021-12-08"),
    ],
)
def test_parse_date(value: str, expected: str) -> None:
    assert parse_date(value) == expected


def test_parse_date_accepts_date_objects() -> None:
    import datetime as dt

    assert parse_date(dt.date(2021, 1, 2)) == "2021-01-02"
    assert parse_date(dt.datetime(2021, 1, 2, 3, 4)) == "2021-01-02"


@pytest.mark.parametrize("value", ["2021-02-30", "yesterday", "2021-13-01", "", "12/08/2021x"])
def test_parse_date_rejects(value: str) -> None:
    with pytest.raises(ValueError, match="is not a valid date"):
        parse_date(value)


# --- fuzz: nothing but LoadError ----------------------------------------------------------

FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".txt", ".md", ".jsonl", ".json"]))
def test_fuzz_arbitrary_bytes(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    try:
        readouts = load_file(path)
    except LoadError as exc:
        assert exc.reason
    else:
        assert all(isinstance(r, Readout) and r.text.strip() for r in readouts)


@FUZZ
@given(front=st.text(max_size=300), body=st.text(max_size=200))
def test_fuzz_front_matter(tmp_path: Path, front: str, body: str) -> None:
    path = tmp_path / "fuzz.md"
    path.write_bytes(f"---\n{front}\n---\n\n{body}".encode("utf-8", "surrogatepass"))
    try:
        readouts = load_file(path)
    except LoadError as exc:
        assert exc.reason
    else:
        assert len(readouts) == 1


@FUZZ
@given(header=st.text(max_size=60), body=st.text(max_size=200))
def test_fuzz_seed_header(tmp_path: Path, header: str, body: str) -> None:
    path = tmp_path / "fuzz.txt"
    path.write_bytes(f" date {header} \n\n{body}".encode("utf-8", "surrogatepass"))
    try:
        load_file(path)
    except LoadError as exc:
        assert exc.reason


# --- the shared corpora -------------------------------------------------------------------


def test_shared_corpora_all_load() -> None:
    if not CORPORA.is_dir():
        pytest.skip(f"shared corpora not found at {CORPORA}")
    readouts, errors = load_paths([CORPORA / "whitehouse", CORPORA / "kremlin"])
    assert errors == []
    assert len(readouts) == 1944
    assert all(r.date and r.title and r.publisher for r in readouts)
    assert len({r.doc_id for r in readouts}) == len(readouts)
    with_countries = sum(1 for r in readouts if r.countries)
    assert with_countries >= 0.85 * len(readouts)
    publishers = {r.publisher for r in readouts}
    assert publishers == {"The White House", "President of Russia (kremlin.ru)"}
