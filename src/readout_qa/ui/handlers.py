"""What the UI's events do, as plain functions of a ``ReadoutQA`` and plain values.

They know nothing of Gradio, so they can be tested by calling them. An output that an
event leaves as it is comes back as :data:`KEEP`; ``layout.py`` turns it into
``gr.skip()``, binds ``qa`` and adapts Gradio's progress tracker to :data:`Progress`.
"""

from __future__ import annotations

import queue
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from ..answerers import Progress as AnswerProgress
from ..api import ReadoutQA
from ..models import REFUSAL, Answer, Contact, Filters, IngestReport
from .rendering import (
    Turn,
    render_chat,
    render_contact,
    render_error,
    render_filters_on,
    render_footer,
    render_ingested,
    render_sources,
    render_sources_state,
)
from .uploads import UnsupportedUpload, printable_name, report_rows, save_upload

__all__ = [
    "KEEP",
    "AskView",
    "Choices",
    "FilterError",
    "Ingested",
    "Progress",
    "ask",
    "choices",
    "filter_summary",
    "new_conversation",
    "parse_filters",
    "refresh",
    "rescan",
    "select_source",
    "upload",
]


class _Keep:
    """The type of :data:`KEEP`."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Any = _Keep()  # "leave this output as it is" (None would clear it)

#: ``progress(fraction or (done, total), description)``, called while files are ingested.
Progress = Callable[[float | tuple[int, int], str], None]

#: Streamed sentences that follow each other within this many seconds are sent as one update:
#: every update makes the browser lay the whole chat out again, so an extractive answer, whose
#: sentences and final Answer come within milliseconds, is a single update
#: (benchmarks/ui_stream.py), while a language model's sentences still appear one by one,
#: each at most this much later than it was checked.
COALESCE_SECONDS = 0.05

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SELECTION = re.compile(r"^\s*(t?)(\d+):([cr]?\d+)\s*$")


def _no_progress(_value: float | tuple[int, int], _desc: str) -> None:
    pass


# ------------------------------------------------------------------------------ filters
class FilterError(ValueError):
    """A filter the user typed that cannot be applied."""


def _parse_date(value: str | None, label: str) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    if not _DATE.match(value):
        raise FilterError(
            f"{label} date “{value}” is not in the form YYYY-MM-DD (e.g. 2021-12-08)."
        )
    try:
        date.fromisoformat(value)
    except ValueError:
        raise FilterError(f"{label} date “{value}” is not a real calendar date.") from None
    return value


def parse_filters(
    since: str | None,
    until: str | None,
    countries: list[str] | None,
    publishers: list[str] | None,
) -> Filters:
    """Validated :class:`Filters` from the filter controls; raises :class:`FilterError`."""
    lo = _parse_date(since, "From")
    hi = _parse_date(until, "To")
    if lo and hi and lo > hi:
        raise FilterError(f"The “From” date ({lo}) is after the “To” date ({hi}).")
    return Filters(
        since=lo,
        until=hi,
        countries=[c for c in (countries or []) if c],
        publishers=[p for p in (publishers or []) if p],
    )


def filter_summary(
    since: str | None, until: str | None, countries: list[str] | None, publishers: list[str] | None
) -> str:
    """The status line under the question: what the next question is limited to, or why not."""
    try:
        f = parse_filters(since, until, countries, publishers)
    except FilterError as exc:
        return render_error(exc)
    if f.is_empty():
        return ""
    chips = [f"{f.since or '…'} – {f.until or '…'}"] if f.since or f.until else []
    return render_filters_on([*chips, *f.countries, *f.publishers])


@dataclass
class Choices:
    """The filter dropdowns and footer as the index is now (it grows while the UI runs)."""

    countries: list[str]
    countries_selected: list[str]
    publishers: list[str]
    publishers_selected: list[str]
    footer: str


def choices(qa: ReadoutQA) -> tuple[list[str], list[str]]:
    """Countries and publishers of the index, for the filter dropdowns."""
    stats = qa.stats()
    countries = sorted(stats.get("countries", {}))
    publishers = sorted(p for p in stats.get("publishers", {}) if p and p != "(unknown)")
    return countries, publishers


def refresh(
    qa: ReadoutQA, countries_sel: list[str] | None, publishers_sel: list[str] | None
) -> Choices:
    """Dropdown choices with the user's picks kept where they still exist, and the footer."""
    countries, publishers = choices(qa)
    return Choices(
        countries=countries,
        countries_selected=[c for c in countries_sel or [] if c in countries],
        publishers=publishers,
        publishers_selected=[p for p in publishers_sel or [] if p in publishers],
        footer=render_footer(qa),
    )


# ------------------------------------------------------------------------------ asking
class AskView(NamedTuple):
    """The outputs of the ask event, in the order ``layout.py`` wires them."""

    chat: Any  # list of Chatbot messages
    sources: Any  # sources panel HTML
    question: Any  # the question box
    turns: Any  # the conversation state (list of Turn)
    answer: Any  # Answer.to_dict(), {"error": ...} or None
    status: Any  # the status line HTML


def _history(turns: list[Turn]) -> list[dict[str, str]]:
    """Earlier turns as messages for ``qa.stream`` (answer text, not markup)."""
    history: list[dict[str, str]] = []
    for t in turns:
        history.append({"role": "user", "content": t["question"]})
        history.append({"role": "assistant", "content": t["text"]})
    return history


def ask(
    qa: ReadoutQA,
    question: str,
    since: str,
    until: str,
    countries_sel: list[str] | None,
    publishers_sel: list[str] | None,
    turns: list[Turn] | None,
    *,
    coalesce: float | None = COALESCE_SECONDS,
) -> Iterator[AskView]:
    """Answer ``question`` in the conversation, streaming the chat; ends with the Answer.

    Streams by checked sentence; sentences that follow each other within ``coalesce``
    seconds are one update (None: an update per sentence), and the final update leaves the
    chat as it is when the finished answer renders as the last streamed one did. Only the
    first update clears the question box: the browser re-renders every output it is sent,
    and a question typed while this one is answered stays.
    A failure while answering becomes a refusal with a notice in the chat, rather than a
    bare error toast that loses the question."""
    turns = list(turns or [])
    q = (question or "").strip()
    if not q:
        yield AskView(render_chat(turns), KEEP, question, turns, KEEP, "")
        return
    try:
        filters = parse_filters(since, until, countries_sel, publishers_sel)
    except FilterError as exc:
        status = render_error(f"Not asked: {exc}")
        yield AskView(render_chat(turns), KEEP, question, turns, {"error": str(exc)}, status)
        return
    history = _history(turns)
    turn: Turn = {"question": q, "text": "", "answer": None}
    turns.append(turn)
    idx = len(turns) - 1
    status = filter_summary(since, until, countries_sel, publishers_sel)
    chat = render_chat(turns)
    yield AskView(chat, render_sources_state("searching"), "", turns, KEEP, status)
    answer: Answer | None = None
    try:
        for batch in _batches(qa.stream(q, history, filters, progress=True), coalesce):
            for event in batch:
                if isinstance(event, Answer):
                    answer = event
                    break
                if isinstance(event, AnswerProgress):  # a local model reading its prompt:
                    reading = render_sources_state("reading", event.text)  # shown at once
                    yield AskView(render_chat(turns), reading, KEEP, turns, KEEP, KEEP)
                    continue
                turn["text"] += event  # deltas are final: markers keep their numbers
            if answer is not None:
                break
            yield AskView(render_chat(turns), KEEP, KEEP, turns, KEEP, KEEP)
    except Exception as exc:
        answer = Answer(
            question=q,
            text=REFUSAL,
            refused=True,
            answerer=qa.answerer_name,
            notices=[f"Something went wrong while answering: {exc}"],
        )
    assert answer is not None
    turn["text"] = answer.text
    turn["answer"] = answer
    sources = render_sources(qa, answer, idx)
    final = render_chat(turns)
    yield AskView(KEEP if final == chat else final, sources, KEEP, turns, answer.to_dict(), KEEP)


_END = object()


def _batches(events: Iterable[Any], within: float | None) -> Iterator[list[Any]]:
    """``events`` in lists: an event and those that follow it within ``within`` seconds.

    The events are produced in a thread of their own, so that waiting for the next one can
    time out; an exception raised there is raised here. ``None``: one event per list."""
    if within is None:
        yield from ([e] for e in events)
        return
    box: queue.Queue = queue.Queue()

    def produce() -> None:
        try:
            for e in events:
                box.put((e, None))
        except Exception as exc:  # handed to the consumer
            box.put((_END, exc))
            return
        box.put((_END, None))

    threading.Thread(target=produce, daemon=True, name="answer-stream").start()
    while True:
        batch: list[Any] = []
        item = box.get()
        while True:
            event, error = item
            if event is _END:
                if batch:
                    yield batch
                if error is not None:
                    raise error
                return
            batch.append(event)
            try:
                item = box.get(timeout=within)
            except queue.Empty:
                break
        yield batch


def select_source(
    qa: ReadoutQA,
    selection: str,
    turns: list[Turn] | None,
    contacts: list[Contact] | None = None,
) -> Any:
    """The sources panel for a selection made in the page (``KEEP`` if it names nothing):

    * ``"turn:n"``: answer ``turn`` with citation ``n`` selected (a marker of an earlier
      answer asks for this, since the panel shows one answer only);
    * ``"turn:cN"``: a refused answer with its closest passage ``N`` selected;
    * ``"tI:rJ"``: contact ``I`` of the timeline with its readout ``J`` selected."""
    m = _SELECTION.match(selection or "")
    if not m:
        return KEEP
    timeline, i, key = m.group(1), int(m.group(2)), m.group(3)
    if timeline:
        contacts = contacts or []
        return render_contact(qa, contacts[i], i, key) if i < len(contacts) else KEEP
    turns = turns or []
    if i >= len(turns):
        return KEEP
    if turns[i]["answer"] is None:
        return render_sources_state("pending")
    return render_sources(qa, turns[i]["answer"], i, key)


def new_conversation(qa: ReadoutQA) -> AskView:
    return AskView([], render_sources(qa, None, -1), "", [], None, "")


# ------------------------------------------------------------------------------ ingesting
@dataclass
class Ingested:
    """A results table and summary; ``choices`` is None when nothing was ingested."""

    rows: list[list[str]]
    summary: str
    choices: Choices | None


def _summary(rows: list[list[str]], report: IngestReport) -> str:
    failed = sum(1 for r in rows if r[1].startswith("failed"))
    skipped = sum(1 for r in rows if r[1] == "skipped")
    ok = len(rows) - failed - skipped
    return render_ingested(ok, failed, report.chunks_added, report.seconds, skipped)


def _reporting(progress: Progress) -> Callable[[int, int, str], None]:
    """``qa.ingest``'s progress callback, forwarded to the UI's."""

    def on_progress(done: int, total: int, doc_id: str) -> None:
        progress((done, total), f"Embedded {done} of {total} ({doc_id})")

    return on_progress


def upload(
    qa: ReadoutQA,
    files: list[str] | None,
    countries_sel: list[str] | None = None,
    publishers_sel: list[str] | None = None,
    *,
    upload_dir: Path | None = None,
    progress: Progress = _no_progress,
) -> Ingested:
    """Save uploaded readouts under the upload folder and ingest them; a row per file.

    A file that cannot be saved fails alone; the others are still ingested. Size is
    checked against ``qa.settings.max_file_bytes`` (``READOUT_QA_MAX_FILE_MB``)."""
    paths = [Path(str(f)) for f in (files or [])]
    if not paths:
        return Ingested([], render_error("Choose one or more readout files first."), None)
    root = Path(upload_dir) if upload_dir else qa.data_dir / "uploads"
    progress(0, "Saving files")
    saved: list[Path] = []
    rejected: list[list[str]] = []
    for p in paths:
        try:
            saved.append(save_upload(p, root, qa.settings.max_file_bytes))
        except UnsupportedUpload as exc:  # listed, not failed: it is simply not a readout
            rejected.append([printable_name(p.name), "skipped", "", str(exc)])
        except (ValueError, OSError) as exc:
            rejected.append([printable_name(p.name), "failed", "", str(exc)])
    report = IngestReport()
    if saved:
        progress(0.05, "Reading and embedding readouts")
        report = qa.ingest(saved, progress=_reporting(progress))
    rows = report_rows(saved, report) + rejected
    return Ingested(rows, _summary(rows, report), refresh(qa, countries_sel, publishers_sel))


def rescan(
    qa: ReadoutQA,
    corpus: list[Path],
    countries_sel: list[str] | None = None,
    publishers_sel: list[str] | None = None,
    *,
    progress: Progress = _no_progress,
) -> Ingested:
    """Ingest the corpus folders again (new and changed readouts only)."""
    progress(0, "Scanning folders")
    report = qa.ingest(corpus, progress=_reporting(progress))
    counts = (
        f"added {len(report.added)}, updated {len(report.updated)}, "
        f"unchanged {len(report.unchanged)}"
    )
    rows = [[", ".join(p.name for p in corpus), counts, "", ""]]
    rows += [[Path(e.path).name, "failed", "", e.reason] for e in report.failed]
    rows += [[Path(k.path).name, "skipped", "", k.reason] for k in report.skipped]
    return Ingested(rows, _summary(rows, report), refresh(qa, countries_sel, publishers_sel))
