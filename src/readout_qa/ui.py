"""The web UI: a chat over the readouts with a panel of highlighted, clickable sources.

A thin layer over :class:`readout_qa.ReadoutQA`; retrieval, answering and citation
checks all happen there. What this module adds is presentation and safety:

* every piece of text that comes from a readout, a file name, a question or an answer
  is passed through :func:`html.escape` before it is put into markup; the only live HTML
  is the markup written here (no scripts, no event-handler attributes);
* uploads are saved under ``<data_dir>/uploads`` with names reduced to a safe base name,
  so that no upload can write outside that folder;
* ``serve`` switches telemetry off, binds to loopback unless told otherwise and warns
  when it is reachable from the network without a password.

Named API endpoints (``/ask``, ``/upload``, ``/select_source``) make the UI drivable
from ``gradio_client`` exactly as a browser drives it.
"""

from __future__ import annotations

import argparse
import html
import ipaddress
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlparse

import readout_qa  # noqa: F401  (switches telemetry off before gradio is imported)
from readout_qa.config import PROJECT_ROOT, apply_offline_env

apply_offline_env()

import gradio as gr  # noqa: E402

from .api import ReadoutQA  # noqa: E402
from .loaders import SUPPORTED_SUFFIXES, load_file_with_errors  # noqa: E402
from .models import Answer, Citation, Filters, IngestReport  # noqa: E402

__all__ = [
    "MAX_UPLOAD_MB",
    "build_app",
    "launch_options",
    "main",
    "render_answer",
    "render_sources",
    "safe_upload_name",
    "serve",
]

MAX_UPLOAD_MB = 10
SEED_QUESTION = "What fields did Li Keqiang highlight with Belgium?"
EXAMPLES = [
    SEED_QUESTION,
    "What did China and Belgium say about free trade?",
    "Which anniversary did the two sides mark?",
    "Who attended the video conference?",
]
UPLOAD_HEADERS = ["File", "Result", "Readouts", "Details"]
EXCERPT_CHARS = 4000  # context shown either side of a cited span in long readouts
_MARKER = re.compile(r"\[(\d{1,3})\]")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_UNSAFE_NAME_CHARS = re.compile(r"[^\w.\- ()+,@=]+")

Turn = dict[str, Any]  # {"question": str, "text": str, "answer": Answer | None}


# ---------------------------------------------------------------------------------------
# Rendering (pure functions: text in, escaped markup out)
# ---------------------------------------------------------------------------------------
def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def _multiline(text: str) -> str:
    """Escaped text with line breaks kept, on one line so Markdown leaves it alone."""
    return _esc(text).replace("\r\n", "\n").replace("\n", "<br>")


def _link_markers(escaped: str, turn: int, limit: int | None) -> str:
    """Turn ``[n]`` in already-escaped answer text into clickable citation markers."""

    def repl(m: re.Match[str]) -> str:
        n = int(m.group(1))
        if n < 1 or (limit is not None and n > limit):
            return m.group(0)
        return (
            f'<a class="roq-cite" href="#cite-{turn}-{n}" '
            f'title="Show source {n}"><span class="roq-br">[</span>{n}'
            f'<span class="roq-br">]</span></a>'
        )

    return _MARKER.sub(repl, escaped)


def render_answer(text: str, turn: int, answer: Answer | None = None) -> str:
    """One assistant message: the (streaming or final) answer with markers, banners, notes."""
    if answer is None:
        if not text:
            return '<div class="roq-answer roq-pending">Searching the readouts…</div>'
        return f'<div class="roq-answer">{_link_markers(_multiline(text), turn, None)}</div>'
    parts: list[str] = []
    if answer.refused:
        rest = answer.text
        for lead in ("The readouts don't say.", "The readouts don't say"):
            if rest.startswith(lead):
                rest = rest[len(lead) :].strip()
                break
        parts.append(
            '<div class="roq-refusal"><div class="roq-refusal-title">'
            "The readouts don't say</div>"
            f'<div class="roq-refusal-body">{_multiline(rest)}</div></div>'
        )
    else:
        body = _link_markers(_multiline(answer.text), turn, len(answer.citations))
        parts.append(f'<div class="roq-answer">{body}</div>')
    if answer.unsupported:
        items = "".join(f"<li>removed: {_multiline(s)}</li>" for s in answer.unsupported)
        parts.append(
            '<div class="roq-warning"><strong>Sentences removed</strong> — no cited readout '
            f"passage supports them:<ul>{items}</ul></div>"
        )
    notices = [n for n in answer.notices if not (answer.refused and n.startswith("Refused:"))]
    if notices:
        items = "".join(f"<li>{_multiline(n)}</li>" for n in notices)
        parts.append(f'<div class="roq-notice"><ul>{items}</ul></div>')
    if answer.citations:
        docs = len({c.doc_id for c in answer.citations})
        parts.append(
            f'<div class="roq-answer-meta">{len(answer.citations)} citation'
            f"{'s' if len(answer.citations) != 1 else ''} from {docs} readout"
            f"{'s' if docs != 1 else ''} · {_esc(answer.answerer)}</div>"
        )
    return "".join(parts)


def _user_message(question: str) -> str:
    return f'<div class="roq-question">{_multiline(question)}</div>'


def render_chat(turns: list[Turn]) -> list[dict[str, str]]:
    """The Chatbot's messages for a conversation (all content escaped markup)."""
    messages: list[dict[str, str]] = []
    for i, t in enumerate(turns):
        messages.append({"role": "user", "content": _user_message(t["question"])})
        messages.append({"role": "assistant", "content": render_answer(t["text"], i, t["answer"])})
    return messages


def _safe_href(url: str) -> str | None:
    try:
        parsed = urlparse(url.strip())
    except ValueError:
        return None
    if parsed.scheme in ("http", "https") and parsed.netloc:
        return _esc(url.strip())
    return None


def _highlighted_body(body: str, c: Citation) -> str:
    """The readout (or a window of it) with ``body[start:end]`` in ``<mark id=cite-n>``."""
    start, end = c.start, c.end
    if not (0 <= start < end <= len(body)) or body[start:end] != c.quote:
        found = body.find(c.quote) if c.quote else -1
        if found < 0:
            return (
                '<p class="roq-stale">This readout changed after the answer was written; '
                f'the cited passage was:</p><mark id="cite-{c.n}">{_multiline(c.quote)}</mark>'
            )
        start, end = found, found + len(c.quote)
    lo = max(0, start - EXCERPT_CHARS)
    hi = min(len(body), end + EXCERPT_CHARS)
    before = ("… " if lo else "") + body[lo:start]
    after = body[end:hi] + (" …" if hi < len(body) else "")
    return (
        f'{_multiline(before)}<mark id="cite-{c.n}" class="roq-mark">'
        f"{_multiline(body[start:end])}</mark>{_multiline(after)}"
    )


def render_sources(
    qa: ReadoutQA, answer: Answer | None, turn: int, selected: int | None = None
) -> str:
    """The sources panel for one answer; the ``selected`` citation is open and highlighted."""
    if answer is None:
        return (
            '<div class="roq-sources roq-empty" data-turn="-1">'
            '<div class="roq-sources-title">Sources</div>'
            "<p>Ask a question: the readout passages behind each answer appear here, "
            "with the cited sentences highlighted. Click a marker like "
            '<span class="roq-cite-demo">1</span> in an answer to jump to its source.</p></div>'
        )
    if not answer.citations:
        why = (
            "No readout passage answers this question, so nothing is cited."
            if answer.refused
            else "This answer cites no sources."
        )
        return (
            f'<div class="roq-sources roq-empty" data-turn="{turn}">'
            f'<div class="roq-sources-title">Sources</div><p>{why}</p></div>'
        )
    n_sel = selected if selected and 1 <= selected <= len(answer.citations) else 1
    bodies: dict[str, str | None] = {}
    cards: list[str] = []
    for c in answer.citations:
        if c.doc_id not in bodies:
            got = qa.readout(c.doc_id)
            bodies[c.doc_id] = got[0] if got else None
        body = bodies[c.doc_id]
        meta = [m for m in (c.date, c.publisher) if m]
        meta_html = " · ".join(_esc(m) for m in meta)
        href = _safe_href(c.source) if c.source else None
        link = (
            f'<a class="roq-source-link" href="{href}" target="_blank" '
            f'rel="noopener noreferrer">Original ↗</a>'
            if href
            else ""
        )
        if body is None:
            text_html = (
                '<p class="roq-stale">This readout is no longer in the index; the cited '
                f'passage was:</p><mark id="cite-{c.n}" class="roq-mark">'
                f"{_multiline(c.quote)}</mark>"
            )
        else:
            text_html = _highlighted_body(body, c)
        on = c.n == n_sel
        cards.append(
            f'<div class="roq-card{" roq-selected" if on else ""}" id="src-{c.n}" '
            f'data-n="{c.n}">'
            f'<div class="roq-card-head"><span class="roq-badge">{c.n}</span>'
            f'<div class="roq-card-titles"><div class="roq-card-title">{_esc(c.title)}</div>'
            f'<div class="roq-card-meta">{meta_html}'
            f"{' · ' if meta_html and link else ''}{link}"
            f'<span class="roq-docid">{_esc(c.doc_id)}</span></div></div></div>'
            f'<blockquote class="roq-quote">{_multiline(c.quote)}</blockquote>'
            f"<details{' open' if on else ''}><summary>Read in context</summary>"
            f'<div class="roq-body">{text_html}</div></details></div>'
        )
    return (
        f'<div class="roq-sources" data-turn="{turn}" data-selected="{n_sel}">'
        f'<div class="roq-sources-title">Sources <span class="roq-sources-q">for '
        f"“{_esc(answer.question)}”</span></div>{''.join(cards)}</div>"
    )


def render_footer(qa: ReadoutQA) -> str:
    stats = qa.stats()
    n = stats["readouts"]
    span = stats.get("date_range") or []
    dates = f" · {_esc(span[0])} – {_esc(span[1])}" if len(span) == 2 else ""
    answerer = qa.answerer_name
    mode = "offline" if answerer == "extractive" else "language model"
    return (
        '<div class="roq-footer">'
        f"<span>Answerer: <b>{_esc(answerer)}</b> ({mode})</span>"
        f"<span>Embeddings: <b>{_esc(stats['embed_model'])}</b></span>"
        f"<span><b>{n}</b> readout{'s' if n != 1 else ''} indexed{dates}</span>"
        "</div>"
    )


# ---------------------------------------------------------------------------------------
# Filters
# ---------------------------------------------------------------------------------------
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


def _filter_summary(
    since: str | None, until: str | None, countries: list[str] | None, publishers: list[str] | None
) -> str:
    try:
        f = parse_filters(since, until, countries, publishers)
    except FilterError as exc:
        return f'<div class="roq-error">{_esc(exc)}</div>'
    if f.is_empty():
        return ""
    bits = []
    if f.since or f.until:
        bits.append(f"{f.since or '…'} – {f.until or '…'}")
    bits.extend(f.countries)
    bits.extend(f.publishers)
    chips = "".join(f'<span class="roq-chip">{_esc(b)}</span>' for b in bits)
    return f'<div class="roq-filters-on">Searching only: {chips}</div>'


def _choices(qa: ReadoutQA) -> tuple[list[str], list[str]]:
    stats = qa.stats()
    countries = sorted(stats.get("countries", {}))
    publishers = sorted(p for p in stats.get("publishers", {}) if p and p != "(unknown)")
    return countries, publishers


# ---------------------------------------------------------------------------------------
# Uploads
# ---------------------------------------------------------------------------------------
def safe_upload_name(name: str) -> str:
    """A base name that is safe to create inside the upload folder, or ``ValueError``.

    Only the last path component is kept (``../../evil.md`` -> ``evil.md``, with either
    kind of slash), unusual characters become ``_``, and hidden names are refused.
    """
    base = PurePosixPath(str(name).replace("\\", "/")).name
    base = "".join(ch for ch in base if ch.isprintable())
    base = _UNSAFE_NAME_CHARS.sub("_", base).strip()
    if not base or base in (".", ".."):
        raise ValueError("the file has no usable name")
    if base.startswith("."):
        raise ValueError("hidden file names (starting with '.') are not accepted")
    stem, suffix = os.path.splitext(base)
    if len(base) > 150:
        base = stem[: 150 - len(suffix)] + suffix
    return base


def _save_upload(src: Path, upload_dir: Path) -> Path:
    """Copy one uploaded file into ``upload_dir`` (never outside it); raises ``ValueError``."""
    name = safe_upload_name(src.name)
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ValueError(
            f"unsupported file type '{suffix or '(no suffix)'}'; "
            f"expected {', '.join(SUPPORTED_SUFFIXES)}"
        )
    size = src.stat().st_size
    if size > MAX_UPLOAD_MB * 1024 * 1024:
        raise ValueError(f"file is {size / 1024 / 1024:.1f} MB; the limit is {MAX_UPLOAD_MB} MB")
    root = upload_dir.resolve()
    dest = root / name
    if dest.parent != root:  # belt and braces: the name is a single component
        raise ValueError("the file name is not allowed")
    root.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=root, prefix=".upload-")
    os.close(fd)
    try:
        shutil.copyfile(src, tmp)
        os.replace(tmp, dest)  # replaces a symlink itself, never its target
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return dest


def _strip_line(path: str) -> str:
    """``file.jsonl:3`` -> ``file.jsonl`` (errors in JSON Lines name their line)."""
    m = re.match(r"^(.*):(\d+)$", path)
    return m.group(1) if m else path


def _report_rows(files: list[Path], report: IngestReport) -> list[list[str]]:
    """One row per file: what ingest did with the readouts it holds."""
    status: dict[str, str] = {}
    for d in report.added:
        status[d] = "added"
    for d in report.updated:
        status[d] = "updated"
    for d in report.unchanged:
        status[d] = "unchanged"
    dup_of = dict(report.duplicates)
    failures: dict[str, list[str]] = {}
    for err in report.failed:
        key = str(Path(_strip_line(err.path)).resolve())
        line = err.path[len(_strip_line(err.path)) + 1 :]
        failures.setdefault(key, []).append(f"line {line}: {err.reason}" if line else err.reason)
    rows: list[list[str]] = []
    for f in files:
        readouts, _ = load_file_with_errors(f)
        ids = [r.doc_id for r in readouts]
        problems = failures.get(str(f.resolve()), [])
        counts: dict[str, int] = {}
        details = list(problems)
        for d in ids:
            if d in dup_of:
                s = "duplicate"
                details.append(f"{d}: same text as {dup_of[d]}, not stored twice")
            else:
                s = status.get(d, "failed")
            counts[s] = counts.get(s, 0) + 1
        if problems and not ids:
            result = "failed"
        else:
            result = ", ".join(f"{k} {v}" if len(ids) > 1 else k for k, v in counts.items())
            if problems:
                result += f", failed {len(problems)}"
        shown = ", ".join(ids[:5]) + (f" … (+{len(ids) - 5})" if len(ids) > 5 else "")
        rows.append([f.name, result or "failed", shown, "; ".join(details)])
    return rows


# ---------------------------------------------------------------------------------------
# The app
# ---------------------------------------------------------------------------------------
CSS = """
.gradio-container { max-width: 1400px !important; margin: 0 auto !important; }
#roq-header h1 { font-size: 1.55rem; font-weight: 650; margin: 0; letter-spacing: -0.01em; }
#roq-header p { margin: .15rem 0 0; color: var(--body-text-color-subdued); font-size: .95rem; }
#roq-header .roq-pill { display: inline-block; font-size: .72rem; font-weight: 600;
  padding: .1rem .5rem; border-radius: 999px; vertical-align: middle; margin-left: .5rem;
  background: var(--color-accent-soft); color: var(--color-accent); }
.roq-answer { line-height: 1.6; }
.roq-pending { color: var(--body-text-color-subdued); font-style: italic; }
.roq-question { white-space: normal; }
a.roq-cite { display: inline-block; min-width: 1.25em; padding: 0 .35em; margin: 0 .1em;
  border-radius: 999px; font-size: .72em; font-weight: 700; line-height: 1.5em;
  text-align: center; vertical-align: .25em; text-decoration: none !important;
  background: var(--color-accent-soft); color: var(--color-accent) !important;
  border: 1px solid var(--color-accent); cursor: pointer; }
a.roq-cite:hover, a.roq-cite:focus { background: var(--color-accent);
  color: white !important; }
.roq-br { font-size: 0; }
.roq-cite-demo { display: inline-block; padding: 0 .4em; border-radius: 999px;
  font-size: .75em; font-weight: 700; background: var(--color-accent-soft);
  color: var(--color-accent); border: 1px solid var(--color-accent); }
.roq-answer-meta { margin-top: .5rem; font-size: .78rem; color: var(--body-text-color-subdued); }
.roq-refusal { border-left: 4px solid #d97706; background: rgba(217,119,6,.09);
  padding: .6rem .8rem; border-radius: 6px; }
.roq-refusal-title { font-weight: 700; color: #b45309; margin-bottom: .2rem; }
.roq-refusal-body { font-size: .9rem; }
.roq-warning { margin-top: .6rem; border-left: 4px solid #dc2626; background: rgba(220,38,38,.07);
  padding: .5rem .8rem; border-radius: 6px; font-size: .86rem; }
.roq-notice { margin-top: .6rem; border-left: 4px solid #2563eb; background: rgba(37,99,235,.07);
  padding: .4rem .8rem; border-radius: 6px; font-size: .86rem; }
.roq-warning ul, .roq-notice ul { margin: .2rem 0 0 1rem; padding: 0; }
#roq-sources-col { position: sticky; top: .75rem; align-self: flex-start; }
#roq-sources { max-height: calc(100vh - 7rem); overflow-y: auto; padding-right: .25rem; }
.roq-sources-title { font-weight: 650; font-size: 1.05rem; margin: .1rem 0 .6rem; }
.roq-sources-q { font-weight: 400; font-size: .85rem; color: var(--body-text-color-subdued); }
.roq-empty p { color: var(--body-text-color-subdued); font-size: .92rem; line-height: 1.5; }
.roq-card { border: 1px solid var(--border-color-primary); border-radius: 10px;
  padding: .65rem .8rem; margin-bottom: .6rem; background: var(--block-background-fill);
  transition: border-color .15s, box-shadow .15s; }
.roq-card.roq-selected { border-color: var(--color-accent);
  box-shadow: 0 0 0 2px var(--color-accent-soft); }
.roq-card-head { display: flex; gap: .6rem; align-items: flex-start; cursor: pointer; }
.roq-badge { flex: none; width: 1.6rem; height: 1.6rem; border-radius: 999px;
  display: inline-flex; align-items: center; justify-content: center; font-weight: 700;
  font-size: .8rem; background: var(--color-accent); color: white; }
.roq-card-title { font-weight: 600; font-size: .92rem; line-height: 1.35; }
.roq-card-meta { font-size: .78rem; color: var(--body-text-color-subdued); margin-top: .15rem; }
.roq-docid { margin-left: .5rem; font-family: var(--font-mono); font-size: .72rem; opacity: .75; }
.roq-source-link { color: var(--color-accent) !important; }
.roq-quote { margin: .5rem 0 .3rem; padding: .1rem 0 .1rem .7rem; font-size: .87rem;
  border-left: 3px solid var(--border-color-primary); color: var(--body-text-color); }
.roq-card details summary { cursor: pointer; font-size: .8rem; color: var(--color-accent);
  margin-top: .2rem; }
.roq-body { position: relative; max-height: 260px; overflow-y: auto; margin-top: .4rem;
  padding: .6rem .7rem; font-size: .86rem; line-height: 1.6; border-radius: 6px;
  background: var(--background-fill-secondary); white-space: normal; }
mark.roq-mark, .roq-body mark { background: #fde68a; color: #111827; padding: .05em .1em;
  border-radius: 3px; }
.roq-stale { font-style: italic; color: var(--body-text-color-subdued); }
#roq-footer .roq-footer { display: flex; flex-wrap: wrap; gap: .4rem 1.4rem;
  font-size: .8rem; color: var(--body-text-color-subdued);
  border-top: 1px solid var(--border-color-primary); padding-top: .6rem; }
.roq-error { color: #b91c1c; font-size: .86rem; padding: .2rem 0; }
.roq-filters-on { font-size: .82rem; color: var(--body-text-color-subdued); }
.roq-chip { display: inline-block; padding: .05rem .5rem; margin: 0 .25rem; border-radius: 999px;
  background: var(--color-accent-soft); color: var(--color-accent); font-weight: 600; }
#roq-chat .message-wrap .message { font-size: .95rem; }
"""

# Marker clicks select a source: in the panel when it shows that answer, otherwise via the
# hidden "select" button (the server renders the other answer's sources). When a panel is
# rendered, its selected passage is scrolled into view inside its box.
HEAD = r"""
<script>
(() => {
  if (window.__roqInit) return;
  window.__roqInit = true;
  const panelEl = () => document.querySelector('#roq-sources .roq-sources');
  function scrollToMark(panel, n, page) {
    const mark = panel.querySelector('#cite-' + n);
    if (!mark) return;
    const box = mark.closest('.roq-body');
    if (box) box.scrollTop = Math.max(0, mark.offsetTop - box.clientHeight / 3);
    if (page) (mark.closest('.roq-card') || mark).scrollIntoView({block: 'nearest'});
  }
  function localSelect(panel, n, page) {
    panel.dataset.selected = String(n);
    panel.querySelectorAll('.roq-card').forEach((card) => {
      const on = card.dataset.n === String(n);
      card.classList.toggle('roq-selected', on);
      const d = card.querySelector('details');
      if (d) d.open = on;
    });
    requestAnimationFrame(() => scrollToMark(panel, n, page));
  }
  function select(turn, n) {
    const panel = panelEl();
    if (panel && panel.dataset.turn === String(turn)) { localSelect(panel, n, true); return; }
    window.__roqWant = turn + ':' + n;
    const btn = document.querySelector('#roq-sel-btn');
    if (btn) btn.click();
  }
  window.roqSelect = select;
  document.addEventListener('click', (e) => {
    const t = e.target;
    if (!t || !t.closest) return;
    const cite = t.closest('a.roq-cite');
    if (cite) {
      e.preventDefault();
      e.stopPropagation();
      // The chat's sanitiser drops data-* attributes: turn and number ride in the href.
      const m = /#cite-(\d+)-(\d+)$/.exec(cite.getAttribute('href') || '');
      if (m) select(m[1], m[2]);
      return;
    }
    const head = t.closest('.roq-card-head');
    if (head && !t.closest('a')) {
      const card = head.closest('.roq-card');
      const panel = head.closest('.roq-sources');
      if (card && panel) localSelect(panel, card.dataset.n, false);
    }
  }, true);
  const seen = new WeakSet();
  new MutationObserver(() => {
    const panel = panelEl();
    if (!panel || seen.has(panel)) return;
    seen.add(panel);
    const n = panel.dataset.selected;
    if (!n) return;
    const key = panel.dataset.turn + ':' + n;
    const page = window.__roqWant === key;
    if (page) window.__roqWant = null;
    localSelect(panel, n, page);
  }).observe(document.documentElement, {childList: true, subtree: true});
})();
</script>
"""

THEME = gr.themes.Soft(
    primary_hue="indigo",
    secondary_hue="slate",
    neutral_hue="slate",
    font=["ui-sans-serif", "system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"],
    font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"],
)


def launch_options() -> dict[str, Any]:
    """Keyword arguments for ``Blocks.launch`` that the UI needs (style, script, limits)."""
    return {
        "theme": THEME,
        "css": CSS,
        "head": HEAD,
        "share": False,
        "max_file_size": f"{MAX_UPLOAD_MB}mb",
        "footer_links": ["api", "settings"],
        "ssr_mode": False,
        "mcp_server": False,
        "enable_monitoring": False,
        "show_error": True,
    }


def build_app(
    qa: ReadoutQA, corpus: list[Path] | None = None, upload_dir: Path | None = None
) -> gr.Blocks:
    """The Gradio app over ``qa``; launch it with ``app.launch(**launch_options(), ...)``."""
    upload_root = Path(upload_dir) if upload_dir else qa.data_dir / "uploads"
    corpus = [Path(p) for p in (corpus or [])]
    countries, publishers = _choices(qa)

    # --- event functions (plain and typed; also the named API) ---------------------------
    def ask(
        question: str,
        since: str,
        until: str,
        countries_sel: list[str] | None,
        publishers_sel: list[str] | None,
        turns: list[Turn] | None,
    ) -> Iterator[tuple[Any, ...]]:
        """Answer ``question`` in the conversation, streaming the chat; ends with the Answer."""
        turns = list(turns or [])
        q = (question or "").strip()
        if not q:
            yield render_chat(turns), gr.skip(), question, turns, gr.skip(), ""
            return
        try:
            filters = parse_filters(since, until, countries_sel, publishers_sel)
        except FilterError as exc:
            msg = f'<div class="roq-error">Not asked: {_esc(exc)}</div>'
            yield render_chat(turns), gr.skip(), question, turns, {"error": str(exc)}, msg
            return
        history: list[dict[str, str]] = []
        for t in turns:
            history.append({"role": "user", "content": t["question"]})
            history.append({"role": "assistant", "content": t["text"]})
        turn: Turn = {"question": q, "text": "", "answer": None}
        turns.append(turn)
        idx = len(turns) - 1
        waiting = (
            '<div class="roq-sources roq-empty" data-turn="-1">'
            '<div class="roq-sources-title">Sources</div><p>Searching the readouts…</p></div>'
        )
        yield (
            render_chat(turns),
            waiting,
            "",
            turns,
            gr.skip(),
            _filter_summary(since, until, countries_sel, publishers_sel),
        )
        answer: Answer | None = None
        try:
            for event in qa.stream(q, history, filters):
                if isinstance(event, Answer):
                    answer = event
                    break
                turn["text"] += event  # deltas are final: markers keep their numbers
                yield render_chat(turns), gr.skip(), "", turns, gr.skip(), gr.skip()
        except Exception as exc:  # show it in the chat rather than a bare error toast
            answer = Answer(
                question=q,
                text="The readouts don't say.",
                refused=True,
                answerer=qa.answerer_name,
                notices=[f"Something went wrong while answering: {exc}"],
            )
        assert answer is not None
        turn["text"] = answer.text
        turn["answer"] = answer
        sources = render_sources(qa, answer, idx)
        yield render_chat(turns), sources, "", turns, answer.to_dict(), gr.skip()

    def select_source(selection: str, turns: list[Turn] | None) -> Any:
        """Sources panel for answer ``turn`` with citation ``n`` selected (``"turn:n"``)."""
        turns = turns or []
        m = re.match(r"^\s*(\d+):(\d+)", selection or "")
        if not m or int(m.group(1)) >= len(turns):
            return gr.skip()
        i, n = int(m.group(1)), int(m.group(2))
        if turns[i]["answer"] is None:
            return (
                '<div class="roq-sources roq-empty" data-turn="-1"><div class="roq-sources-title">'
                "Sources</div><p>Sources appear when the answer is complete.</p></div>"
            )
        return render_sources(qa, turns[i]["answer"], i, n)

    def new_conversation() -> tuple[Any, ...]:
        return [], render_sources(qa, None, -1), "", [], None, ""

    def upload(
        files: list[str] | None,
        countries_sel: list[str] | None = None,
        publishers_sel: list[str] | None = None,
        progress: gr.Progress = gr.Progress(),
    ) -> tuple[Any, ...]:
        """Save uploaded readouts under the upload folder and ingest them; a row per file."""
        paths = [Path(str(f)) for f in (files or [])]
        if not paths:
            summary = '<div class="roq-error">Choose one or more readout files first.</div>'
            return [], summary, gr.skip(), gr.skip(), gr.skip(), gr.skip()
        progress(0, desc="Saving files")
        saved: list[Path] = []
        rejected: list[list[str]] = []
        for p in paths:
            try:
                saved.append(_save_upload(p, upload_root))
            except (ValueError, OSError) as exc:
                rejected.append([_esc_name(p.name), "failed", "", str(exc)])
        report = IngestReport()
        if saved:
            progress(0.05, desc="Reading and embedding readouts")

            def on_progress(done: int, total: int, doc_id: str) -> None:
                progress((done, total), desc=f"Embedded {done} of {total} ({doc_id})")

            report = qa.ingest(saved, progress=on_progress)
        rows = _report_rows(saved, report) + rejected
        return _upload_outputs(rows, report, countries_sel, publishers_sel)

    def rescan(
        countries_sel: list[str] | None = None,
        publishers_sel: list[str] | None = None,
        progress: gr.Progress = gr.Progress(),
    ) -> tuple[Any, ...]:
        """Ingest the corpus folders again (new and changed readouts only)."""
        progress(0, desc="Scanning folders")
        report = qa.ingest(
            corpus,
            progress=lambda d, t, doc: progress((d, t), desc=f"Embedded {d} of {t} ({doc})"),
        )
        counts = (
            f"added {len(report.added)}, updated {len(report.updated)}, "
            f"unchanged {len(report.unchanged)}"
        )
        rows = [[", ".join(p.name for p in corpus), counts, "", ""]]
        rows += [[Path(e.path).name, "failed", "", e.reason] for e in report.failed]
        return _upload_outputs(rows, report, countries_sel, publishers_sel)

    def refresh(countries_sel: list[str] | None, publishers_sel: list[str] | None) -> tuple:
        """Filter choices and footer as the index is now (it may have grown since start)."""
        c_choices, p_choices = _choices(qa)
        return (
            gr.Dropdown(
                choices=c_choices, value=[c for c in countries_sel or [] if c in c_choices]
            ),
            gr.Dropdown(
                choices=p_choices, value=[p for p in publishers_sel or [] if p in p_choices]
            ),
            render_footer(qa),
        )

    def _upload_outputs(
        rows: list[list[str]],
        report: IngestReport,
        countries_sel: list[str] | None,
        publishers_sel: list[str] | None,
    ) -> tuple[Any, ...]:
        failed = sum(1 for r in rows if r[1].startswith("failed"))
        ok = len(rows) - failed
        cls = "roq-error" if failed else "roq-filters-on"
        summary = (
            f'<div class="{cls}">{ok} file{"s" if ok != 1 else ""} ingested'
            f"{f', {failed} failed (see Details)' if failed else ''} · "
            f"{report.chunks_added} passage{'s' if report.chunks_added != 1 else ''} added "
            f"in {report.seconds:.1f} s</div>"
        )
        return (rows, summary, *refresh(countries_sel, publishers_sel), None)

    # --- layout ---------------------------------------------------------------------------
    with gr.Blocks(title="Readout QA", analytics_enabled=False) as demo:
        turns_state = gr.State([])
        gr.HTML(
            '<div id="roq-header"><h1>Readout QA<span class="roq-pill">cited answers</span></h1>'
            "<p>Ask questions about diplomatic readouts. Every sentence of an answer is "
            "checked against, and cited to, the readouts it comes from.</p></div>",
            js_on_load=None,
        )
        with gr.Row(equal_height=False):
            with gr.Column(scale=7, min_width=420):
                chatbot = gr.Chatbot(
                    label="Conversation",
                    show_label=False,
                    elem_id="roq-chat",
                    height=560,
                    latex_delimiters=[],
                    sanitize_html=True,
                    feedback_options=None,
                    buttons=[],
                    placeholder=(
                        "**Ask about the readouts.** Answers quote the readouts and cite "
                        "them; click a marker to see the passage in context."
                    ),
                )
                question = gr.Textbox(
                    show_label=False,
                    placeholder="Ask a question about the readouts…",
                    elem_id="roq-question",
                    submit_btn="Ask",
                    autofocus=True,
                    max_length=2000,
                )
                with gr.Row(equal_height=True):
                    status = gr.HTML("", elem_id="roq-status", js_on_load=None, scale=5)
                    new_btn = gr.Button(
                        "New conversation", variant="secondary", size="sm", scale=0, min_width=170
                    )
                gr.Examples(
                    examples=[[q] for q in EXAMPLES],
                    inputs=[question],
                    label="Example questions",
                )
                with gr.Accordion("Filters", open=False, elem_id="roq-filters"):
                    with gr.Row():
                        since = gr.Textbox(label="From", placeholder="YYYY-MM-DD", max_lines=1)
                        until = gr.Textbox(label="To", placeholder="YYYY-MM-DD", max_lines=1)
                    with gr.Row():
                        # Choices arrive with the page load, not in the page: Gradio embeds
                        # initial choices in its login page, before anyone has logged in.
                        countries_dd = gr.Dropdown(
                            choices=[],
                            value=[],
                            allow_custom_value=True,
                            multiselect=True,
                            label="Countries",
                            info="Readouts mentioning any of these",
                        )
                        publishers_dd = gr.Dropdown(
                            choices=[],
                            value=[],
                            allow_custom_value=True,
                            multiselect=True,
                            label="Publishers",
                            info="Readouts from any of these",
                        )
                    gr.Markdown("Filters apply to the next question.", elem_classes="roq-hint")
                with gr.Accordion("Add readouts", open=False, elem_id="roq-upload"):
                    files = gr.File(
                        file_count="multiple",
                        label=(
                            "Readout files (.txt, .md, .markdown, .jsonl, .json; "
                            f"up to {MAX_UPLOAD_MB} MB each)"
                        ),
                        elem_id="roq-files",
                    )
                    with gr.Row():
                        upload_btn = gr.Button("Add to index", variant="primary", size="sm")
                        rescan_btn = gr.Button(
                            "Re-scan corpus folders",
                            size="sm",
                            visible=bool(corpus),
                        )
                    upload_summary = gr.HTML("", js_on_load=None)
                    upload_table = gr.Dataframe(
                        headers=UPLOAD_HEADERS,
                        value=[],
                        datatype="str",
                        interactive=False,
                        wrap=True,
                        label="Ingest results",
                        column_widths=["22%", "14%", "24%", "40%"],
                    )
            with gr.Column(scale=5, min_width=360, elem_id="roq-sources-col"):
                sources = gr.HTML(
                    render_sources(qa, None, -1),
                    elem_id="roq-sources",
                    js_on_load=None,
                    apply_default_css=False,
                )
        footer = gr.HTML(render_footer(qa), elem_id="roq-footer", js_on_load=None)
        answer_json = gr.JSON(visible=False, label="Last answer")
        selection = gr.Textbox(visible=False)
        select_btn = gr.Button("select", visible="hidden", elem_id="roq-sel-btn")

        filter_inputs = [since, until, countries_dd, publishers_dd]
        gr.on(
            triggers=[question.submit],
            fn=ask,
            inputs=[question, *filter_inputs, turns_state],
            outputs=[chatbot, sources, question, turns_state, answer_json, status],
            api_name="ask",
            show_progress="hidden",
        )
        gr.on(
            triggers=[since.change, until.change, countries_dd.change, publishers_dd.change],
            fn=_filter_summary,
            inputs=filter_inputs,
            outputs=[status],
            api_visibility="private",
            show_progress="hidden",
            queue=False,
        )
        select_btn.click(
            select_source,
            inputs=[selection, turns_state],
            outputs=[sources],
            api_name="select_source",
            js="(s, t) => [window.__roqWant || '', t]",
            show_progress="hidden",
        )
        new_btn.click(
            new_conversation,
            outputs=[chatbot, sources, question, turns_state, answer_json, status],
            api_name="new_conversation",
            show_progress="hidden",
        )
        chatbot.clear(
            new_conversation,
            outputs=[chatbot, sources, question, turns_state, answer_json, status],
            api_visibility="private",
            show_progress="hidden",
        )
        demo.load(
            refresh,
            inputs=[countries_dd, publishers_dd],
            outputs=[countries_dd, publishers_dd, footer],
            api_visibility="private",
            show_progress="hidden",
        )
        upload_outputs = [upload_table, upload_summary, countries_dd, publishers_dd, footer, files]
        upload_btn.click(
            upload,
            inputs=[files, countries_dd, publishers_dd],
            outputs=upload_outputs,
            api_name="upload",
            concurrency_id="ingest",
        )
        rescan_btn.click(
            rescan,
            inputs=[countries_dd, publishers_dd],
            outputs=upload_outputs,
            api_name="rescan",
            concurrency_id="ingest",
        )

    # Let a plain ``app.launch()`` pick up the style and script too (launch() arguments,
    # as in launch_options(), take precedence).
    for key in ("theme", "css", "head"):
        if hasattr(demo, f"_deprecated_{key}"):
            setattr(demo, f"_deprecated_{key}", launch_options()[key])
    return demo


def _esc_name(name: str) -> str:
    return "".join(ch for ch in name if ch.isprintable())[:200]


# ---------------------------------------------------------------------------------------
# Serving
# ---------------------------------------------------------------------------------------
def _is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def parse_auth(auth: str | None) -> tuple[str, str] | None:
    """``"user:password"`` -> ``(user, password)``; ``None``/empty -> ``None``."""
    if not auth:
        return None
    user, sep, password = auth.partition(":")
    if not sep or not user or not password:
        raise ValueError("auth must look like 'user:password'")
    return user, password


def default_corpus() -> list[Path]:
    """The bundled seed corpus, when running from a checkout."""
    folder = PROJECT_ROOT / "corpus"
    return [folder] if folder.is_dir() else []


def serve(
    host: str = "127.0.0.1",
    port: int = 7860,
    data_dir: str | Path | None = None,
    corpus: list[Path] | None = None,
    auth: str | None = None,
    answerer: str | None = None,
) -> None:
    """Open the index (seeding an empty one from ``corpus``) and serve the UI until stopped."""
    apply_offline_env()
    credentials = parse_auth(auth or os.environ.get("READOUT_QA_AUTH"))
    if not _is_loopback(host) and credentials is None:
        print(
            f"WARNING: serving on {host} without a password: anyone who can reach port {port} "
            "can read the readouts and add files. Set --auth user:password or READOUT_QA_AUTH.",
            file=sys.stderr,
        )
    qa = ReadoutQA(data_dir=data_dir, answerer=answerer)
    corpus = [Path(p) for p in corpus] if corpus else default_corpus()
    if corpus and qa.stats()["readouts"] == 0:
        print(f"Empty index at {qa.data_dir}; ingesting {', '.join(map(str, corpus))} …")

        def show(done: int, total: int, doc_id: str) -> None:
            print(f"  {done}/{total} readouts embedded ({doc_id})", flush=True)

        report = qa.ingest(corpus, progress=show)
        print(
            f"Indexed {len(report.added)} readouts ({report.chunks_added} passages) "
            f"in {report.seconds:.1f} s"
            + (f"; {len(report.failed)} files failed" if report.failed else "")
        )
        for err in report.failed:
            print(f"  failed: {err.path}: {err.reason}", file=sys.stderr)
    app = build_app(qa, corpus=corpus)
    print(f"Answerer: {qa.answerer_name}. Open http://{host}:{port}/ (Ctrl+C to stop).")
    app.queue(default_concurrency_limit=1).launch(
        server_name=host,
        server_port=port,
        auth=credentials,
        quiet=True,
        **launch_options(),
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="readout-qa-ui",
        description="Serve the readout-qa web UI (offline by default).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (default loopback)")
    parser.add_argument("--port", type=int, default=7860, help="port (default 7860)")
    parser.add_argument(
        "--data-dir",
        default=None,
        help="index folder (default READOUT_QA_DATA_DIR or ~/.local/share/readout-qa)",
    )
    parser.add_argument(
        "--auth", default=None, help="require a login, 'user:password' (or READOUT_QA_AUTH)"
    )
    parser.add_argument(
        "--corpus",
        action="append",
        type=Path,
        default=None,
        help="folder or file to ingest into an empty index (repeatable; default ./corpus)",
    )
    parser.add_argument(
        "--answerer",
        choices=["extractive", "llm"],
        default=None,
        help="default: llm when OPENAI_API_KEY is set, else extractive",
    )
    args = parser.parse_args(argv)
    try:
        serve(
            host=args.host,
            port=args.port,
            data_dir=args.data_dir,
            corpus=args.corpus,
            auth=args.auth,
            answerer=args.answerer,
        )
    except ValueError as exc:
        parser.error(str(exc))


if __name__ == "__main__":
    main()
