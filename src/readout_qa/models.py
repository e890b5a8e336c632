"""Plain data objects that flow one way through the pipeline.

readout -> chunks -> index -> retrieval (Passage) -> answer (Answer with Citations).
They are dataclasses rather than llama-index nodes so that every stage can be
tested, serialised to JSON and reused from other tools without the framework.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Readout:
    """One readout as loaded from disk, before chunking."""

    doc_id: str
    title: str
    date: str | None  # ISO YYYY-MM-DD, or None when the file does not say
    source: str
    publisher: str
    text: str  # the body; every offset in the product points into this string
    countries: list[str] = field(default_factory=list)  # ISO 3166 common names
    leaders: list[str] = field(default_factory=list)
    path: str = ""  # where it was read from ("file.jsonl:3" for JSON Lines)

    @property
    def date_int(self) -> int:
        """YYYYMMDD as an integer (0 when unknown), because Chroma range filters need numbers."""
        return int(self.date.replace("-", "")) if self.date else 0


@dataclass
class Chunk:
    """A sentence-aligned slice of a readout body: ``readout.text[start:end] == text``."""

    chunk_id: str
    doc_id: str
    position: int
    text: str
    start: int
    end: int
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass
class Passage:
    """A retrieved chunk with its score, as handed to an answerer."""

    chunk_id: str
    doc_id: str
    text: str
    start: int
    end: int
    score: float
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return str(self.metadata.get("title", ""))

    @property
    def date(self) -> str:
        return str(self.metadata.get("date", ""))


@dataclass
class Citation:
    """One numbered source of an answer; ``quote == body[start:end]`` of readout ``doc_id``."""

    n: int
    doc_id: str
    title: str
    date: str
    source: str
    publisher: str
    quote: str
    start: int
    end: int
    score: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ContactReadout:
    """One readout's account of a contact, with the sentence that states it."""

    doc_id: str
    title: str
    date: str  # publication date
    publisher: str
    source: str
    quote: str  # body[start:end] of the readout: the sentence stating the contact
    start: int
    end: int


#: The kinds of contact the contacts table distinguishes.
CONTACT_KINDS = (
    "phone call",
    "video call",
    "meeting",
    "talks",
    "visit",
    "summit",
    "joint statement",
)


@dataclass
class Contact:
    """One call, meeting or visit between leaders, read out by one or more governments.

    The same contact read out by two governments is one ``Contact`` with two readouts."""

    contact_id: str
    date: str  # ISO date of the event (may precede the readouts' publication dates)
    kind: str  # one of CONTACT_KINDS
    participants: list[str]  # canonical names, e.g. ["Joseph R. Biden", "Xi Jinping"]
    countries: list[str] = field(default_factory=list)  # the participants' countries
    place: str = ""  # where, when the readout says ("Woodside, California")
    readouts: list[ContactReadout] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


#: What every refusal says first; the UI and the CLI add the closest readouts themselves.
REFUSAL = "The readouts don't say."


@dataclass
class ClosestReadout:
    """A passage that came closest to answering a refused question: shown as "closest
    passages, not an answer", never as support. ``quote == body[start:end]`` when set."""

    doc_id: str
    title: str
    date: str
    quote: str = ""
    start: int = 0
    end: int = 0
    source: str = ""
    publisher: str = ""

    @property
    def label(self) -> str:
        return f"“{self.title}” ({self.date})" if self.date else f"“{self.title}”"


@dataclass
class Answer:
    """What ``ReadoutQA.ask`` returns: text with markers [n] matching ``citations[n-1]``.

    A refusal is structured (``refused``, ``reason``, ``closest``) so that callers render it
    without parsing ``text``, which still reads as a sentence for plain-text users."""

    question: str
    text: str
    citations: list[Citation] = field(default_factory=list)
    refused: bool = False
    answerer: str = "extractive"
    # Why the question was refused, for the user ("no readout matches the dates named").
    reason: str = ""
    # The readouts retrieval ranked highest, shown with a refusal (best first, at most 3).
    closest: list[ClosestReadout] = field(default_factory=list)
    # For questions over many readouts (timelines, counts, first/last): the contacts listed,
    # in the order of the answer's lines.
    contacts: list[Contact] = field(default_factory=list)
    # Sentences a model wrote that no cited passage supports; removed from ``text``.
    unsupported: list[str] = field(default_factory=list)
    # Notes for the user, e.g. "the LLM failed; answered extractively".
    notices: list[str] = field(default_factory=list)
    retrieval_query: str = ""
    retrieved_doc_ids: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_markdown(self, *, question: bool = True) -> str:
        """The answer as Markdown ready to paste into a report: the text with its ``[n]``
        markers, then the numbered sources (title, date, publisher, URL, quote). A refusal
        says why and lists the closest passages under a heading that says they are not an
        answer. ``question=False`` leaves out the question heading."""
        parts: list[str] = []
        if question and self.question:
            parts.append(f"### {_md_line(self.question)}")
        parts.append(self.text.strip())
        if self.refused and self.reason:
            parts.append(f"*Why:* {_md_line(self.reason)}")
        parts += [f"> **Note:** {_md_line(n)}" for n in self.notices]
        if self.unsupported:
            parts.append(
                "Removed as unsupported by the readouts:\n"
                + "\n".join(f"- ~~{_md_line(u)}~~" for u in self.unsupported)
            )
        if self.citations:
            parts.append("**Sources**\n\n" + "\n".join(_md_source(c) for c in self.citations))
        if self.refused and self.closest:
            rows = [
                _md_entry(f"{i}.", c.title, c.date, c.publisher, c.source, c.quote, indent=3)
                for i, c in enumerate(self.closest, 1)
            ]
            parts.append("**Closest passages — not an answer**\n\n" + "\n".join(rows))
        return "\n\n".join(p for p in parts if p) + "\n"


def _md_line(text: str) -> str:
    """One line of Markdown from free text (newlines folded)."""
    return " ".join(str(text).split())


def _md_entry(
    label: str, title: str, date: str, publisher: str, source: str, quote: str, indent: int
) -> str:
    head = f"{label} **{_md_line(title) or 'Untitled readout'}**"
    meta = [m for m in (_md_line(date), _md_line(publisher)) if m]
    if meta:
        head += " — " + ", ".join(meta)
    if source:
        head += f" — <{_md_line(source)}>" if "://" in source else f" — {_md_line(source)}"
    pad = " " * indent
    if quote:
        head += f"\n{pad}> {_md_line(quote)}"
    return head


def _md_source(c: Citation) -> str:
    return _md_entry(f"- [{c.n}]", c.title, c.date, c.publisher, c.source, c.quote, indent=2)


@dataclass
class Filters:
    """Restrictions a user puts on retrieval; all optional and combined with AND."""

    since: str | None = None  # ISO date, inclusive
    until: str | None = None  # ISO date, inclusive
    countries: list[str] = field(default_factory=list)  # any of these
    publishers: list[str] = field(default_factory=list)  # any of these
    doc_ids: list[str] = field(default_factory=list)  # any of these

    @classmethod
    def coerce(cls, value: Filters | dict[str, Any] | None) -> Filters:
        if value is None:
            return cls()
        if isinstance(value, Filters):
            return value
        return cls(**value)

    def is_empty(self) -> bool:
        return not (self.since or self.until or self.countries or self.publishers or self.doc_ids)


@dataclass
class FileError:
    """A file (or line) that could not be ingested, and why, in words a user can act on."""

    path: str
    reason: str


@dataclass
class SkippedFile:
    """A file of a type readout-qa does not read: listed, never ignored without a word."""

    path: str
    suffix: str  # ".docx", or "" for a file without one

    @classmethod
    def of(cls, path: str) -> SkippedFile:
        import os

        return cls(path, os.path.splitext(path)[1].lower())

    @property
    def reason(self) -> str:
        return f"unsupported file type '{self.suffix or '(no suffix)'}'"


@dataclass
class IngestReport:
    """Summary of one ingest run."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (skipped, kept)
    failed: list[FileError] = field(default_factory=list)
    # Files of types readout-qa does not read, with their suffixes (not failures).
    skipped: list[SkippedFile] = field(default_factory=list)
    chunks_added: int = 0
    seconds: float = 0.0
    embed_seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
