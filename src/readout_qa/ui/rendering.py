"""HTML for the chat, the sources panel and the status lines, from ``ui/templates``.

Every value that comes from a readout, a file name, a question or an answer reaches the
page through a Jinja template with autoescape on, so it is shown as text; the only live
markup is the templates' own (no scripts, no event-handler attributes). Citation markers
are linked with :func:`readout_qa.markers.link_markers`, the one definition of a marker.

Templates are laid out on several lines for reading but rendered as one: Gradio's Chatbot
passes its messages through Markdown, which would turn indentation into code blocks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import jinja2
from markupsafe import Markup, escape

from ..api import ReadoutQA
from ..markers import link_markers
from ..models import Answer, Citation

__all__ = [
    "render_answer",
    "render_chat",
    "render_error",
    "render_filters_on",
    "render_footer",
    "render_ingested",
    "render_question",
    "render_sources",
    "render_sources_state",
]

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
_ENV.filters.update(multiline=_multiline, sentence=_sentence, cite_links=_cite_links)


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
@dataclass
class _Card:
    """What the template shows for one citation (plain text; the template escapes it)."""

    n: int
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


def _card(c: Citation, body: str | None, selected: bool) -> _Card:
    card = _Card(
        n=c.n,
        title=c.title,
        doc_id=c.doc_id,
        quote=c.quote,
        selected=selected,
        href=_safe_href(c.source) if c.source else None,
        meta=[m for m in (c.date, c.publisher) if m],
    )
    if body is None:
        card.stale = "This readout is no longer in the index"
        return card
    start, end = c.start, c.end
    if not (0 <= start < end <= len(body)) or body[start:end] != c.quote:
        # The readout was re-ingested since: find the quote again, or show it alone.
        found = body.find(c.quote) if c.quote else -1
        if found < 0:
            card.stale = "This readout changed after the answer was written"
            return card
        start, end = found, found + len(c.quote)
    lo = max(0, start - EXCERPT_CHARS)
    hi = min(len(body), end + EXCERPT_CHARS)
    card.before = ("… " if lo else "") + body[lo:start]
    card.marked = body[start:end]
    card.after = body[end:hi] + (" …" if hi < len(body) else "")
    return card


def render_sources(
    qa: ReadoutQA, answer: Answer | None, turn: int, selected: int | None = None
) -> str:
    """The sources panel for one answer; the ``selected`` citation is open and highlighted."""
    if answer is None:
        return render_sources_state("intro")
    if not answer.citations:
        state = "refused" if answer.refused else "uncited"
        return _render("sources.html", turn=turn, cards=[], state=state)
    n_sel = selected if selected and 1 <= selected <= len(answer.citations) else 1
    bodies: dict[str, str | None] = {}
    for c in answer.citations:
        if c.doc_id not in bodies:
            got = qa.readout(c.doc_id)
            bodies[c.doc_id] = got[0] if got else None
    cards = [_card(c, bodies[c.doc_id], c.n == n_sel) for c in answer.citations]
    return _render("sources.html", turn=turn, selected=n_sel, question=answer.question, cards=cards)


def render_sources_state(state: str) -> str:
    """The panel before there are sources: ``intro``, ``searching`` or ``pending``."""
    return _render("sources.html", turn=-1, cards=[], state=state)


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


def render_ingested(ok: int, failed: int, passages: int, seconds: float) -> str:
    return str(_snippets().ingested(ok, failed, passages, seconds))
