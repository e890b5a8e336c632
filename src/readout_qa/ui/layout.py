"""The Gradio Blocks: components and event wiring, nothing else.

What each event does is in ``handlers.py``; here ``qa`` is bound to it and its plain
outputs become Gradio's (``KEEP`` -> ``gr.skip()``, choices -> ``gr.Dropdown``). Named API
endpoints (``/ask``, ``/upload``, ``/select_source``, ``/new_conversation``, ``/rescan``,
``/timeline``) make the UI drivable from ``gradio_client`` exactly as a browser drives it;
the parameter lists of the bound functions are that API, so they keep their names and
defaults.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache, partial
from importlib.resources import files as package_files
from pathlib import Path
from typing import Any

import gradio as gr

from ..api import ReadoutQA
from ..config import Settings
from . import handlers
from .examples import example_labels, example_rows
from .export import export_outputs
from .handlers import KEEP, Choices, Ingested
from .rendering import render_footer, render_sources
from .timeline_layout import timeline_controls, timeline_events, wire_timeline
from .uploads import UPLOAD_HEADERS

__all__ = ["build_app", "launch_options"]

HEADER = (
    '<div id="roq-header"><h1>Readout QA<span class="roq-pill">cited answers</span></h1>'
    "<p>Ask questions about diplomatic readouts. Every sentence of an answer is "
    "checked against, and cited to, the readouts it comes from.</p></div>"
)
CHAT_PLACEHOLDER = (
    "**Ask about the readouts.** Answers quote the readouts and cite "
    "them; click a marker to see the passage in context."
)


@cache
def _static(name: str) -> str:
    """A file of ``ui/static``, read once (it ships as package data)."""
    return (package_files(__package__) / "static" / name).read_text(encoding="utf-8")


@cache
def _theme() -> gr.themes.Base:
    return gr.themes.Soft(
        primary_hue="indigo",
        secondary_hue="slate",
        neutral_hue="slate",
        font=["ui-sans-serif", "system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"],
        font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"],
    )


def launch_options(qa: ReadoutQA | None = None) -> dict[str, Any]:
    """Keyword arguments for ``Blocks.launch`` that the UI needs (style, script, limits).

    The upload limit is ``qa.settings.max_file_mb`` (the default settings' without ``qa``)."""
    settings = qa.settings if qa is not None else Settings()
    return {
        "theme": _theme(),
        "css": _static("app.css"),
        "head": f"<script>\n{_static('app.js')}</script>\n",
        "share": False,
        "max_file_size": settings.max_file_bytes,
        "footer_links": ["api", "settings"],
        "ssr_mode": False,
        "mcp_server": False,
        "enable_monitoring": False,
        # Gradio 6 keeps each event's inputs and outputs (every answer and its passages) in
        # the browser's localStorage, up to 100 runs, re-serialised at every streamed update:
        # most of the page's own scripting per question (benchmarks/ui_profile.py), and
        # readouts left behind in the browser.
        "run_history": False,
        "show_error": True,
    }


def _gr(values: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(gr.skip() if v is KEEP else v for v in values)


def _dropdowns(c: Choices) -> tuple[Any, ...]:
    return (
        gr.Dropdown(choices=c.countries, value=c.countries_selected),
        gr.Dropdown(choices=c.publishers, value=c.publishers_selected),
        c.footer,
    )


def _ingest_outputs(result: Ingested) -> tuple[Any, ...]:
    """Table, summary, both dropdowns, footer and the cleared file box."""
    if result.choices is None:
        return result.rows, result.summary, gr.skip(), gr.skip(), gr.skip(), gr.skip()
    return result.rows, result.summary, *_dropdowns(result.choices), None


# The event functions below have ``qa`` bound. Their signatures and docstrings are the named
# API's parameters and descriptions (as "Use via API" shows them): hence spelled out here
# rather than partials of the handlers.
def _chat_events(qa: ReadoutQA) -> dict[str, Any]:
    """Asking, choosing a source, starting over."""

    def ask(
        question: str,
        since: str,
        until: str,
        countries_sel: list[str] | None,
        publishers_sel: list[str] | None,
        turns: list | None,
    ) -> Iterator[tuple[Any, ...]]:
        """Answer ``question`` in the conversation, streaming the chat; ends with the Answer."""
        for view in handlers.ask(qa, question, since, until, countries_sel, publishers_sel, turns):
            yield _gr(view)

    def select_source(selection: str, turns: list | None, contacts: list | None = None) -> Any:
        """Sources panel for a selection: ``"turn:n"`` (citation ``n`` of answer ``turn``),
        ``"turn:cN"`` (closest passage ``N`` of a refusal), ``"tI:rJ"`` (readout ``J`` of
        timeline row ``I``)."""
        panel = handlers.select_source(qa, selection, turns, contacts)
        return gr.skip() if panel is KEEP else panel

    def new_conversation() -> tuple[Any, ...]:
        return tuple(handlers.new_conversation(qa))

    return {"ask": ask, "select_source": select_source, "new_conversation": new_conversation}


def _index_events(qa: ReadoutQA, corpus: list[Path], upload_dir: Path | None) -> dict[str, Any]:
    """Uploads, re-scans and the refresh of filter choices on page load."""

    def upload(
        files: list[str] | None,
        countries_sel: list[str] | None = None,
        publishers_sel: list[str] | None = None,
        progress: gr.Progress = gr.Progress(),
    ) -> tuple[Any, ...]:
        """Save uploaded readouts under the upload folder and ingest them; a row per file."""
        report = partial(_report, progress)
        result = handlers.upload(
            qa, files, countries_sel, publishers_sel, upload_dir=upload_dir, progress=report
        )
        return _ingest_outputs(result)

    def rescan(
        countries_sel: list[str] | None = None,
        publishers_sel: list[str] | None = None,
        progress: gr.Progress = gr.Progress(),
    ) -> tuple[Any, ...]:
        """Ingest the corpus folders again (new and changed readouts only)."""
        report = partial(_report, progress)
        result = handlers.rescan(qa, corpus, countries_sel, publishers_sel, progress=report)
        return _ingest_outputs(result)

    def refresh(countries_sel: list[str] | None, publishers_sel: list[str] | None) -> tuple:
        """Filter choices and footer as the index is now (it may have grown since start)."""
        return _dropdowns(handlers.refresh(qa, countries_sel, publishers_sel))

    return {"refresh": refresh, "upload": upload, "rescan": rescan}


def _report(progress: gr.Progress, value: float | tuple[int, int], desc: str) -> None:
    progress(value, desc=desc)


# ------------------------------------------------------------------------------ layout
def _ask_controls(c: dict[str, Any]) -> None:
    c["chatbot"] = gr.Chatbot(
        label="Conversation",
        show_label=False,
        elem_id="roq-chat",
        height=560,
        latex_delimiters=[],
        sanitize_html=True,
        feedback_options=None,
        buttons=[],
        placeholder=CHAT_PLACEHOLDER,
    )
    c["question"] = gr.Textbox(
        show_label=False,
        placeholder="Ask a question about the readouts…",
        elem_id="roq-question",
        submit_btn="Ask",
        autofocus=True,
        max_length=2000,
    )
    with gr.Row(equal_height=True):
        c["status"] = gr.HTML("", elem_id="roq-status", js_on_load=None, scale=5)
        c["new_btn"] = gr.Button(
            "New conversation", variant="secondary", size="sm", scale=0, min_width=170
        )
    _export_controls(c)


def _export_controls(c: dict[str, Any]) -> None:
    """Copy the last answer with its sources; download the conversation as Markdown."""
    with gr.Row(equal_height=True, elem_id="roq-export"):
        c["copy_btn"] = gr.Button(
            "Copy answer with sources", size="sm", scale=0, min_width=200, elem_id="roq-copy"
        )
        c["download_btn"] = gr.DownloadButton(
            "Download conversation (.md)",
            value=None,
            size="sm",
            scale=0,
            min_width=220,
            elem_id="roq-download",
            interactive=False,
        )
        c["copy_status"] = gr.HTML("", elem_id="roq-copy-status", js_on_load=None, scale=3)
    # The last answer as Markdown, in the page so that the copy button's script reads it.
    c["answer_md"] = gr.Textbox(visible="hidden", elem_id="roq-answer-md")


def _filter_controls(c: dict[str, Any]) -> None:
    with gr.Accordion("Filters", open=False, elem_id="roq-filters"):
        with gr.Row():
            c["since"] = gr.Textbox(label="From", placeholder="YYYY-MM-DD", max_lines=1)
            c["until"] = gr.Textbox(label="To", placeholder="YYYY-MM-DD", max_lines=1)
        with gr.Row():
            # Choices arrive with the page load, not in the page: Gradio embeds initial
            # choices in its login page, before anyone has logged in.
            for key, label, info in (
                ("countries", "Countries", "Readouts mentioning any of these"),
                ("publishers", "Publishers", "Readouts from any of these"),
            ):
                c[key] = gr.Dropdown(
                    choices=[],
                    value=[],
                    allow_custom_value=True,
                    multiselect=True,
                    label=label,
                    info=info,
                )
        gr.Markdown("Filters apply to the next question.", elem_classes="roq-hint")


def _example_controls(c: dict[str, Any]) -> None:
    """One example of each thing the app does; each sets the question and the filters."""
    gr.Examples(
        examples=example_rows(),
        inputs=[c["question"], c["since"], c["until"], c["countries"], c["publishers"]],
        example_labels=example_labels(),
        label="Example questions",
        examples_per_page=len(example_rows()),
    )


def _upload_controls(c: dict[str, Any], max_file_mb: float, corpus: list[Path]) -> None:
    with gr.Accordion("Add readouts", open=False, elem_id="roq-upload"):
        c["files"] = gr.File(
            file_count="multiple",
            label=(
                "Readout files (.txt, .md, .markdown, .jsonl, .json, .html, .htm, .pdf; "
                f"up to {max_file_mb:g} MB each)"
            ),
            elem_id="roq-files",
        )
        with gr.Row():
            c["upload_btn"] = gr.Button("Add to index", variant="primary", size="sm")
            c["rescan_btn"] = gr.Button("Re-scan corpus folders", size="sm", visible=bool(corpus))
        c["upload_summary"] = gr.HTML("", js_on_load=None)
        c["upload_table"] = gr.Dataframe(
            headers=UPLOAD_HEADERS,
            value=[],
            datatype="str",
            interactive=False,
            wrap=True,
            label="Ingest results",
            column_widths=["22%", "14%", "24%", "40%"],
        )


def _components(qa: ReadoutQA, corpus: list[Path]) -> dict[str, Any]:
    """Lay the page out (inside an open ``gr.Blocks``); the components by name."""
    c: dict[str, Any] = {"turns": gr.State([]), "tl_contacts": gr.State([])}
    gr.HTML(HEADER, js_on_load=None)
    with gr.Row(equal_height=False, elem_id="roq-main"):
        with gr.Column(scale=7, min_width=420), gr.Tabs(elem_id="roq-tabs"):
            with gr.Tab("Ask", id="ask", elem_id="roq-tab-ask"):
                _ask_controls(c)
                _filter_controls(c)
                _example_controls(c)
                _upload_controls(c, qa.settings.max_file_mb, corpus)
            with gr.Tab("Timeline", id="timeline", elem_id="roq-tab-timeline"):
                timeline_controls(c)
        with gr.Column(scale=5, min_width=360, elem_id="roq-sources-col"):
            c["sources"] = gr.HTML(
                render_sources(qa, None, -1),
                elem_id="roq-sources",
                js_on_load=None,
                apply_default_css=False,
            )
    c["footer"] = gr.HTML(render_footer(qa), elem_id="roq-footer", js_on_load=None)
    c["answer_json"] = gr.JSON(visible=False, label="Last answer")
    c["tl_json"] = gr.JSON(visible=False, label="Contacts")
    c["selection"] = gr.Textbox(visible=False)
    c["select_btn"] = gr.Button("select", visible="hidden", elem_id="roq-sel-btn")
    return c


def _wire_chat(c: dict[str, Any], events: dict[str, Any]) -> None:
    """Asking, filtering and choosing sources; ``api_name`` gives the named API.

    Only ``ask`` (a generator) goes through Gradio's queue; the quick events are one POST
    each (``queue=False``), not a queue join, an event stream and its messages: in Chromium
    that is most of what a no-op event costs (benchmarks/ui_profile.py)."""
    filters = [c["since"], c["until"], c["countries"], c["publishers"]]
    chat_outputs = [
        c["chatbot"],
        c["sources"],
        c["question"],
        c["turns"],
        c["answer_json"],
        c["status"],
    ]
    asked = gr.on(
        triggers=[c["question"].submit],
        fn=events["ask"],
        inputs=[c["question"], *filters, c["turns"]],
        outputs=chat_outputs,
        api_name="ask",
        show_progress="hidden",
    )
    _wire_export(c, asked)
    gr.on(
        triggers=[f.change for f in filters],
        fn=handlers.filter_summary,
        inputs=filters,
        outputs=[c["status"]],
        api_visibility="private",
        show_progress="hidden",
        queue=False,
    )
    c["select_btn"].click(
        events["select_source"],
        inputs=[c["selection"], c["turns"], c["tl_contacts"]],
        outputs=[c["sources"]],
        api_name="select_source",
        js="(s, t, k) => [window.__roqWant || '', t, k]",  # set by app.js on a click
        show_progress="hidden",
        queue=False,
    )
    cleared = c["new_btn"].click(
        events["new_conversation"],
        outputs=chat_outputs,
        api_name="new_conversation",
        show_progress="hidden",
        queue=False,
    )
    _wire_export(c, cleared)
    _wire_export(
        c,
        c["chatbot"].clear(
            events["new_conversation"],
            outputs=chat_outputs,
            api_visibility="private",
            show_progress="hidden",
            queue=False,
        ),
    )


def _export_update(turns: list | None) -> tuple[Any, ...]:
    text, path = export_outputs(turns)
    return text, gr.DownloadButton(value=path, interactive=path is not None), ""


# Copies the hidden Markdown of the last answer; says so (or why not) beside the button.
_COPY_JS = """(md) => {
  const say = (msg) => { const el = document.querySelector('#roq-copy-status');
    if (el) el.textContent = msg; };
  if (!md) { say('Ask a question first.'); return; }
  navigator.clipboard.writeText(md).then(
    () => say('Copied: the answer and its sources, as Markdown.'),
    (err) => say('Could not copy: ' + err));
}"""


def _wire_export(c: dict[str, Any], event: Any) -> None:
    """After each answer (and a new conversation): refresh what copy and download give."""
    event.then(
        _export_update,
        inputs=[c["turns"]],
        outputs=[c["answer_md"], c["download_btn"], c["copy_status"]],
        api_visibility="private",
        show_progress="hidden",
        queue=False,
    )
    if not c.get("_copy_wired"):
        c["copy_btn"].click(None, inputs=[c["answer_md"]], js=_COPY_JS)
        c["_copy_wired"] = True


def _wire_index(demo: gr.Blocks, c: dict[str, Any], events: dict[str, Any]) -> None:
    """Filter choices on page load, uploads and re-scans (one ingest at a time)."""
    choices = [c["countries"], c["publishers"], c["footer"]]
    demo.load(
        events["refresh"],
        inputs=[c["countries"], c["publishers"]],
        outputs=choices,
        api_visibility="private",
        show_progress="hidden",
    )
    ingest_outputs = [c["upload_table"], c["upload_summary"], *choices, c["files"]]
    for button, name, inputs in (
        ("upload_btn", "upload", [c["files"], c["countries"], c["publishers"]]),
        ("rescan_btn", "rescan", [c["countries"], c["publishers"]]),
    ):
        c[button].click(
            events[name],
            inputs=inputs,
            outputs=ingest_outputs,
            api_name=name,
            concurrency_id="ingest",
        )


def build_app(
    qa: ReadoutQA, corpus: list[Path] | None = None, upload_dir: Path | None = None
) -> gr.Blocks:
    """The Gradio app over ``qa``; launch it with ``app.launch(**launch_options(qa), ...)``.

    ``corpus`` are the folders the "Re-scan" button ingests again (hidden without them);
    uploads are saved under ``upload_dir`` (default ``<data_dir>/uploads``)."""
    corpus = [Path(p) for p in (corpus or [])]
    with gr.Blocks(title="Readout QA", analytics_enabled=False) as demo:
        components = _components(qa, corpus)
        events = {
            **_chat_events(qa),
            **_index_events(qa, corpus, upload_dir),
            **timeline_events(qa),
        }
        _wire_chat(components, events)  # registered first: the order fixes fn_index
        _wire_index(demo, components, events)
        wire_timeline(components, events)
    # Let a plain ``app.launch()`` pick up the style and script too (launch() arguments,
    # as in launch_options(), take precedence).
    options = launch_options(qa)
    for key in ("theme", "css", "head"):
        if hasattr(demo, f"_deprecated_{key}"):
            setattr(demo, f"_deprecated_{key}", options[key])
    return demo
