"""The web UI: a chat over the readouts with a panel of highlighted, clickable sources,
and a Timeline view of the contacts between leaders.

A thin layer over :class:`readout_qa.ReadoutQA`; retrieval, answering, citation checks and
the contacts table all live there. What this package adds is presentation and safety:

* ``rendering``: every piece of text from a readout, a file name, a question or an answer
  reaches the page through an autoescaping Jinja template (``templates/``);
* ``handlers``: the events as plain functions of a ``ReadoutQA`` (testable without Gradio);
  a refusal's closest passages, citations and a contact's readouts all open in the one
  sources panel, their span highlighted;
* ``timeline``: the Timeline's search as a plain function; ``timeline_chart``: its chart
  data (contacts per month by counterpart); ``timeline_layout``: its Gradio controls and
  wiring;
* ``uploads``: uploads are saved under ``<data_dir>/uploads`` with names reduced to a safe
  base name, so that no upload can write outside that folder, within the size limit of
  ``Settings.max_file_mb``;
* ``layout``: the Gradio Blocks (tabs Ask and Timeline beside the sources panel) and the
  named API (``/ask``, ``/upload``, ``/timeline``, ...), styled and scripted by
  ``static/app.css`` and ``static/app.js``;
* ``server``: ``serve`` builds the settings, checks the login, seeds an empty index and
  launches, bound to loopback unless told otherwise.
"""

from __future__ import annotations

# Importing this package runs readout_qa/__init__ first, whose config module switches
# telemetry off before gradio is imported (by .layout).
from .handlers import FilterError, parse_filters
from .layout import build_app, launch_options
from .rendering import render_answer, render_chat, render_footer, render_sources
from .server import default_corpus, parse_auth, serve
from .uploads import safe_upload_name

__all__ = [
    "FilterError",
    "build_app",
    "default_corpus",
    "launch_options",
    "parse_auth",
    "parse_filters",
    "render_answer",
    "render_chat",
    "render_footer",
    "render_sources",
    "safe_upload_name",
    "serve",
]
