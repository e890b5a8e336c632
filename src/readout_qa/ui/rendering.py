"""HTML for the chat, the sources panel and the status lines, from ``ui/templates``.

Every value that comes from a readout, a file name, a question or an answer reaches the
page through a Jinja template with autoescape on, so it is shown as text; the only live
markup is the templates' own (no scripts, no event-handler attributes). Citation markers
are linked with :func:`readout_qa.markers.link_markers`, the one definition of a marker.

Templates are laid out on several lines for reading but rendered as one: Gradio's Chatbot
passes its messages through Markdown, which would turn indentation into code blocks.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlparse

import jinja2
from markupsafe import Markup, escape

from ..api import ReadoutQA
from ..markers import link_markers
from ..models import Answer, Contact

__all__ = [
    "render_answer",
    "render_chat",
    "render_contact",
    "render_error",
    "render_filters_on",
    "render_footer",
    "render_found",
    "render_ingested",
    "render_question",
    "render_sources",
    "render_sources_state",
    "render_timeline",
]

#: The closest passages of a refusal are labelled so wherever they are shown.
CLOSEST_HEADING = "Closest passages — not an answer"
CLOSEST_NOTE = (
    "Nothing is cited: no readout passage answers this question. These passages came "
    "closest; they are shown to help you read on or rephrase, not as support."
)
EXCERPT_CHARS = 4000  # context shown either side of a cited span in long readouts
TEMPLATES = Path(__file__).with_name("templates")

Turn = dict[str, Any]  # {"question": str, "text": str, "answer": Answer | None}


class _OneLineLoader(jinja2.FileSystemLoader):
    """Each template line stripped and the lines joined with nothing between them.

    So markup can be indented freely; the price is that a space which matters at a line
    break (inside running text) must be kept on one line."""

    def get_source(self, environment: jinja2.Environment, template: str) -> Any:
        source, filename, uptodate = super().get_source(environment, template)
        return "".join(line.strip() for line in source.splitlines()), filename, uptodate


def _multiline(text: object) -> Markup:
    """Escaped text with its line breaks kept as ``<br>`` (a message stays one line)."""
    lines = str(text).replace("\r\n", "\n").split("\n")
    return Markup("<br>").join(escape(line) for line in lines)


def _sentence(text: object) -> str:
    """``"no sentence covers it"`` -> ``"No sentence covers it."`` (a reason read as prose)."""
    text = str(text).strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?…" else text + "."


def _slug(text: object) -> str:
    """ "phone call" -> "phone-call": a word safe in a class name."""
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-")


def _cite_links(escaped: Markup, turn: int, limit: int | None = None) -> Markup:
    """Markers ``[n]`` in escaped answer text as links; numbers without a source stay text."""
    cite = _snippets().cite

    def link(n: int) -> str | None:
        if n < 1 or (limit is not None and n > limit):
            return None
        return str(cite(turn, n))

    # escape() leaves Markup alone and escapes a plain str: the text is escaped either way.
    return Markup(link_markers(str(escape(escaped)), link))


_ENV = jinja2.Environment(
    loader=_OneLineLoader(TEMPLATES),
    autoescape=True,
    keep_trailing_newline=False,
)
_ENV.filters.update(multiline=_multiline, sentence=_sentence, cite_links=_cite_links, slug=_slug)
_ENV.globals.update(closest_heading=CLOSEST_HEADING)


def _render(name: str, **values: Any) -> str:
    return _ENV.get_template(name).render(**values)


def _snippets() -> Any:
    """The macros of ``snippets.html`` (Jinja caches the module)."""
    return _ENV.get_template("snippets.html").module


# ------------------------------------------------------------------------------ the chat
def render_answer(text: str, turn: int, answer: Answer | None = None) -> str:
    """One assistant message: the streaming text, or the final answer with its banners.

    A refusal is drawn from ``answer.refused``/``reason``/``closest``, never from ``text``."""
    return _render("answer.html", text=text, turn=turn, answer=answer)


def render_question(question: str) -> str:
    return _render("question.html", question=question)


def render_chat(turns: list[Turn]) -> list[dict[str, str]]:
    """The Chatbot's messages for a conversation (all content escaped markup)."""
    messages: list[dict[str, str]] = []
    for i, t in enumerate(turns):
        messages.append({"role": "user", "content": render_question(t["question"])})
        messages.append({"role": "assistant", "content": render_answer(t["text"], i, t["answer"])})
    return messages


# ------------------------------------------------------------------------------ sources
class _Span(Protocol):
    """A quoted span of one readout: a Citation, a ClosestReadout or a ContactReadout."""

    doc_id: str
    title: str
    date: str
    source: str
    publisher: str
    quote: str
    start: int
    end: int


@dataclass
class _Card:
    """What the template shows for one passage (plain text; the template escapes it).

    ``key`` names the card in the page (``src-<key>``) and in selections: the citation's
    number (``"2"``), or ``"c2"`` for a closest passage and ``"r2"`` for a contact's
    readout, which are not citations; only a citation has a numbered ``badge``."""

    key: str
    badge: str
    role: str  # "cite", "near" or "contact": how the card is styled
    title: str
    doc_id: str
    quote: str
    selected: bool
    href: str | None = None
    meta: list[str] = field(default_factory=list)
    stale: str = ""  # why the passage is shown without the readout around it
    before: str = ""
    marked: str = ""
    after: str = ""


def _safe_href(url: str) -> str | None:
    """Only web links become links: a ``javascript:`` or relative source stays text."""
    try:
        parsed = urlparse(url.strip())
    except ValueError:
        return None
    return url.strip() if parsed.scheme in ("http", "https") and parsed.netloc else None


def _card(span: _Span, body: str | None, key: str, selected: bool, role: str = "cite") -> _Card:
    card = _Card(
        key=key,
        badge=key if role == "cite" else "",
        role=role,
        title=span.title,
        doc_id=span.doc_id,
        quote=span.quote,
        selected=selected,
        href=_safe_href(span.source) if span.source else None,
        meta=[m for m in (span.date, span.publisher) if m],
    )
    if body is None:
        card.stale = "This readout is no longer in the index"
        return card
    if not span.quote:  # only the readout is known: show its beginning, nothing marked
        card.after = body[: 2 * EXCERPT_CHARS] + (" …" if len(body) > 2 * EXCERPT_CHARS else "")
        return card
    start, end = span.start, span.end
    if not (0 <= start < end <= len(body)) or body[start:end] != span.quote:
        # The readout was re-ingested since: find the quote again, or show it alone.
        found = body.find(span.quote)
        if found < 0:
            written = "the answer was written" if role != "contact" else "it was read"
            card.stale = f"This readout changed after {written}"
            return card
        start, end = found, found + len(span.quote)
    lo = max(0, start - EXCERPT_CHARS)
    hi = min(len(body), end + EXCERPT_CHARS)
    card.before = ("… " if lo else "") + body[lo:start]
    card.marked = body[start:end]
    card.after = body[end:hi] + (" …" if hi < len(body) else "")
    return card


def _cards(
    qa: ReadoutQA, spans: Sequence[_Span], keys: list[str], selected: str, role: str
) -> list[_Card]:
    """One card per span, each readout fetched once."""
    bodies: dict[str, str | None] = {}
    for s in spans:
        if s.doc_id not in bodies:
            got = qa.readout(s.doc_id)
            bodies[s.doc_id] = got[0] if got else None
    return [
        _card(s, bodies[s.doc_id], k, k == selected, role) for s, k in zip(spans, keys, strict=True)
    ]


def _pick(selected: int | str | None, keys: list[str]) -> str:
    """The key of the selected card: ``selected`` (a number or a key) if it names one, else
    the first. A number picks by position, so ``2`` is citation 2 or closest passage 2."""
    if selected is not None:
        text = str(selected)
        if text in keys:
            return text
        if text.isdigit() and 1 <= int(text) <= len(keys):
            return keys[int(text) - 1]
    return keys[0]


def render_sources(
    qa: ReadoutQA, answer: Answer | None, turn: int, selected: int | str | None = None
) -> str:
    """The sources panel for one answer; the ``selected`` citation is open and highlighted.

    A refusal's closest passages are shown the same way (``selected`` picks one, by number
    or as ``"c2"``), under a heading that says they are not an answer."""
    if answer is None:
        return render_sources_state("intro")
    if answer.citations:
        keys = [str(c.n) for c in answer.citations]
        key = _pick(selected, keys)
        cards = _cards(qa, answer.citations, keys, key, "cite")
        return _render(
            "sources.html",
            turn=turn,
            selected=key,
            heading="Sources",
            subheading=f"for “{answer.question}”",
            cards=cards,
        )
    if answer.refused and answer.closest:
        keys = [f"c{i}" for i in range(1, len(answer.closest) + 1)]
        key = _pick(selected, keys)
        return _render(
            "sources.html",
            turn=turn,
            selected=key,
            heading=CLOSEST_HEADING,
            subheading=f"for “{answer.question}”",
            note=CLOSEST_NOTE,
            cards=_cards(qa, answer.closest, keys, key, "near"),
        )
    state = "refused" if answer.refused else "uncited"
    return _render("sources.html", turn=turn, cards=[], state=state)


def render_contact(
    qa: ReadoutQA, contact: Contact, index: int, selected: int | str | None = None
) -> str:
    """The sources panel for contact ``index`` of the timeline: each readout that reads it
    out, the ``selected`` one (1-based, or ``"r2"``) open with its stating sentence marked."""
    keys = [f"r{j}" for j in range(1, len(contact.readouts) + 1)]
    if not keys:
        return render_sources_state("intro")
    key = _pick(selected, keys)
    return _render(
        "sources.html",
        turn=f"t{index}",
        contact_id=contact.contact_id,
        selected=key,
        heading="Contact",
        subheading=" · ".join(contact_summary(contact)),
        note="The sentence of each readout that states this contact is highlighted.",
        cards=_cards(qa, contact.readouts, keys, key, "contact"),
    )


def render_timeline(contacts: Sequence[Contact], total: int | None = None, empty: str = "") -> str:
    """The Timeline table: ``contacts`` in the order given (the first rows of ``total``)."""
    total = len(contacts) if total is None else total
    return _render(
        "timeline.html",
        contacts=contacts,
        total=total,
        empty=empty or "No contacts found.",
    )


def contact_summary(contact: Contact) -> list[str]:
    """Date, kind, participants and place of a contact, as short phrases."""
    parts = [contact.date or "undated", contact.kind, ", ".join(contact.participants)]
    return [p for p in (*parts, contact.place) if p]


def render_sources_state(state: str, note: str = "") -> str:
    """The panel before there are sources: ``intro``, ``searching``, ``pending`` or
    ``reading`` (``note`` says what: "The language model is reading 12 passages…")."""
    return _render("sources.html", turn=-1, cards=[], state=state, note=note)


def render_footer(qa: ReadoutQA) -> str:
    stats = qa.stats()
    answerer = qa.answerer_name
    return _render(
        "footer.html",
        answerer=answerer,
        mode="offline" if answerer == "extractive" else "language model",
        embed_model=stats["embed_model"],
        readouts=stats["readouts"],
        span=stats.get("date_range") or [],
    )


# ------------------------------------------------------------------------------ status lines
def render_error(message: object) -> str:
    return str(_snippets().error(str(message)))


def render_filters_on(chips: list[str]) -> str:
    return str(_snippets().filters_on(chips))


def render_found(n: int, noun: str, chips: list[str]) -> str:
    """ "3 contacts · Xi Jinping with Biden · 2021-01-01 – …" as a status line."""
    return str(_snippets().found(n, noun, chips))


def render_ingested(ok: int, failed: int, passages: int, seconds: float, skipped: int = 0) -> str:
    return str(_snippets().ingested(ok, failed, passages, seconds, skipped))
