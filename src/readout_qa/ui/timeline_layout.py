"""The Timeline tab's Gradio parts: its controls, its event and its wiring (``/timeline``).

The search itself is ``timeline.timeline``, a plain function; this module only binds it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import gradio as gr

from ..api import ReadoutQA
from .rendering import render_timeline
from .timeline import ANY_KIND, kind_choices, timeline

TIMELINE_PLACEHOLDER = (
    "Name a participant (e.g. Xi Jinping), and optionally whom with, the dates and the kind "
    "of contact: the calls, meetings and visits the readouts report appear here by date. "
    "Click a row to read the sentence that states it."
)


def timeline_events(qa: ReadoutQA) -> dict[str, Any]:
    """The Timeline view's search."""

    def search(
        participant: str,
        with_participant: str = "",
        since: str = "",
        until: str = "",
        kind: str = ANY_KIND,
    ) -> Iterator[tuple[Any, ...]]:
        """Contacts of ``participant`` (with ``with_participant``, when given) within
        [since, until] (YYYY-MM-DD), of ``kind`` ("any", a contact kind, "call" or "in
        person"), by date: the table, the chart of contacts per month by counterpart, the
        contacts (or an error), the status line."""
        view = timeline(qa, participant, with_participant, since, until, kind)
        # The chart is emptied first (and given its axes) and filled in a second update:
        # Gradio 6.31's plot keeps the colour domain of its first data when new data arrive
        # with other counterparts (no bars are drawn), but draws afresh from an empty value.
        chart = view.chart
        empty = gr.BarPlot(
            value=None,
            visible=not chart.empty,
            title=chart.title,
            x_title=chart.unit.capitalize(),
            y_lim=chart.y_lim,
            x_label_angle=chart.label_angle,
        )
        yield view.table, empty, view.contacts, view.data, view.status
        # All outputs again, so that an API caller gets them with the data.
        frame = None if chart.empty else chart.frame
        yield view.table, frame, view.contacts, view.data, view.status

    return {"timeline": search}


def timeline_controls(c: dict[str, Any]) -> None:
    """Who, when and what kind; then the chart and the table of contacts."""
    with gr.Row(elem_id="roq-tl-form"):
        c["tl_who"] = gr.Textbox(
            label="Participant",
            placeholder="e.g. Xi Jinping",
            max_lines=1,
            max_length=200,
            elem_id="roq-tl-who",
        )
        c["tl_with"] = gr.Textbox(
            label="With (optional)",
            placeholder="e.g. Biden",
            max_lines=1,
            max_length=200,
            elem_id="roq-tl-with",
        )
    with gr.Row():
        c["tl_since"] = gr.Textbox(
            label="Since", placeholder="YYYY-MM-DD", max_lines=1, elem_id="roq-tl-since"
        )
        c["tl_until"] = gr.Textbox(
            label="Until", placeholder="YYYY-MM-DD", max_lines=1, elem_id="roq-tl-until"
        )
        c["tl_kind"] = gr.Dropdown(
            choices=kind_choices(),
            value=ANY_KIND,
            label="Kind",
            elem_id="roq-tl-kind",
        )
    with gr.Row(equal_height=True):
        c["tl_status"] = gr.HTML("", elem_id="roq-tl-status", js_on_load=None, scale=5)
        c["tl_btn"] = gr.Button(
            "Show timeline",
            variant="primary",
            size="sm",
            scale=0,
            min_width=150,
            elem_id="roq-tl-btn",
        )
    c["tl_chart"] = gr.BarPlot(
        value=None,
        visible=False,
        x="period",
        y="contacts",
        color="counterpart",
        title="Contacts per month",
        x_title="Month",
        y_title="Contacts",
        color_title="Counterpart",
        y_lim=[0, None],
        sort="x",
        x_label_angle=-45,
        height=300,
        elem_id="roq-tl-chart",
    )
    c["tl_table"] = gr.HTML(
        render_timeline([], empty=TIMELINE_PLACEHOLDER),
        elem_id="roq-tl-table",
        js_on_load=None,
        apply_default_css=False,
    )


def wire_timeline(c: dict[str, Any], events: dict[str, Any]) -> None:
    """The timeline search, from its button or Enter in a box; ``/timeline`` in the API."""
    inputs = [c["tl_who"], c["tl_with"], c["tl_since"], c["tl_until"], c["tl_kind"]]
    gr.on(
        triggers=[
            c["tl_btn"].click,
            *(c[k].submit for k in ("tl_who", "tl_with", "tl_since", "tl_until")),
        ],
        fn=events["timeline"],
        inputs=inputs,
        outputs=[c["tl_table"], c["tl_chart"], c["tl_contacts"], c["tl_json"], c["tl_status"]],
        api_name="timeline",
        show_progress="minimal",
    )
