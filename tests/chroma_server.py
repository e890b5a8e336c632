"""A real Chroma server for tests: ``chroma run`` on a free loopback port.

Use it from a test module with ``from chroma_server import chroma_server  # noqa: F401``.
The fixture is session-scoped; ``stop()`` and ``start()`` let a test take the
server down and bring it back on the same port and path (for outage tests).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

HEARTBEAT = "/api/v2/heartbeat"
START_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def chroma_executable() -> Path:
    exe = Path(sys.executable).parent / "chroma"
    if not exe.exists():
        pytest.skip(f"the chroma server executable is not installed at {exe}")
    return exe


class ChromaServer:
    """One ``chroma run`` process; ``url`` stays the same across stop/start."""

    def __init__(self, path: Path, port: int | None = None, log: Path | None = None) -> None:
        self.path = Path(path)
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log or self.path.with_name(self.path.name + ".log")
        self.proc: subprocess.Popen | None = None
        self.started_in = 0.0

    def healthy(self, timeout: float = 1.0) -> bool:
        try:
            with urllib.request.urlopen(self.url + HEARTBEAT, timeout=timeout) as resp:  # noqa: S310
                return resp.status == 200
        except Exception:
            return False

    def start(self, timeout: float = START_TIMEOUT) -> None:
        if self.proc is not None and self.proc.poll() is None:
            return
        self.path.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
        t0 = time.monotonic()
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(  # noqa: S603
                [
                    str(chroma_executable()),
                    "run",
                    "--path",
                    str(self.path),
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=env,
                start_new_session=True,
            )
        deadline = t0 + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                tail = self.log.read_text(errors="replace")[-2000:]
                self.proc = None
                raise RuntimeError(f"chroma run exited early:\n{tail}")
            if self.healthy(timeout=0.5):
                self.started_in = time.monotonic() - t0
                return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"chroma run did not answer {self.url}{HEARTBEAT} within {timeout}s")

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=STOP_TIMEOUT)
        # The port must be free again before a restart on it.
        deadline = time.monotonic() + STOP_TIMEOUT
        while time.monotonic() < deadline and self.healthy(timeout=0.2):
            time.sleep(0.1)


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory):
    """A running Chroma server (``.url``, ``.stop()``, ``.start()``), stopped at the end."""
    base = tmp_path_factory.mktemp("chroma-server")
    server = ChromaServer(base / "db", log=base / "server.log")
    server.start()
    try:
        yield server
    finally:
        server.stop()
