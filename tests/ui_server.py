"""Launching the real Gradio app on a free loopback port, for the UI test modules."""

from __future__ import annotations

import socket
from typing import Any


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def launch(app: Any, qa: Any = None, **extra: Any) -> int:
    """Start ``app`` (a ``build_app`` Blocks) in the background on 127.0.0.1; its port.

    With ``launch_options(qa)``, as ``serve`` passes them (the upload limit is ``qa``'s)."""
    from readout_qa.ui import launch_options

    port = free_port()
    app.launch(
        server_name="127.0.0.1",
        server_port=port,
        prevent_thread_lock=True,
        quiet=True,
        **extra,
        **launch_options(qa),
    )
    return port
