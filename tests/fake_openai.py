"""A scriptable OpenAI-compatible HTTP server for tests (127.0.0.1 only, standard library).

Serves ``POST /v1/chat/completions`` (plain and ``"stream": true`` SSE), ``POST /v1/embeddings``
(``encoding_format`` "float" or "base64") and ``GET /v1/models`` on a free port, in a background
thread. Real HTTP, so the real ``openai`` client (and anything built on it) can be exercised
without mocking and without touching the internet.

    with FakeOpenAI(reply="Hello [1].") as server:
        client = OpenAI(base_url=server.base_url, api_key="x")
        ...
        server.requests[-1]["messages"]  # what the model was shown

Scripting (all thread-safe, may be changed while running):

* ``server.reply`` -- a string, a list of strings (successive replies, the last one repeats), or
  ``reply(messages, request) -> str``.
* ``server.delay`` -- seconds to wait before answering any request (to test timeouts).
* ``server.chunk_delay`` -- seconds between streamed chunks.
* Faults, each for the next ``times`` requests (``None`` = until ``reset()``), applied to every
  POST endpoint: ``http_error(status)``, ``garbage()`` (a non-JSON body with status 200),
  ``malformed()`` (JSON, but no ``choices``/``data``), ``break_stream(after_chunks)`` (the
  connection is closed mid-body, without the end of the chunked encoding).
* ``expected_api_key`` -- when set, requests with another bearer token get a 401.

Recording: ``server.requests`` holds every POST body (parsed JSON) in arrival order;
``server.calls`` holds ``RecordedCall(method, path, headers, body)`` for every request;
``server.chat_requests`` / ``server.embedding_requests`` filter by endpoint.

Fixtures: ``fake_openai`` (a started server; stopped afterwards) and ``fake_openai_env`` (the same,
with ``OPENAI_API_KEY``, ``OPENAI_BASE_URL`` and ``READOUT_QA_LLM_MODEL`` pointing at it). Both
set ``NO_PROXY`` so a configured HTTP proxy is bypassed for 127.0.0.1.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

ReplyFn = Callable[[list[dict[str, Any]], dict[str, Any]], str]
Reply = str | Sequence[str] | ReplyFn

DEFAULT_MODEL = "fake-model"
DEFAULT_EMBEDDING_DIM = 8
LOCALHOST = "127.0.0.1,localhost"

_ERROR_TYPES = {
    400: ("invalid_request_error", "bad_request"),
    401: ("invalid_request_error", "invalid_api_key"),
    403: ("invalid_request_error", "forbidden"),
    404: ("invalid_request_error", "not_found"),
    429: ("requests", "rate_limit_exceeded"),
}


@dataclass
class RecordedCall:
    method: str
    path: str
    headers: dict[str, str]
    body: Any  # parsed JSON for POST (the raw text if it was not JSON), None for GET


@dataclass
class Fault:
    kind: str  # "http_error" | "garbage" | "malformed" | "break_stream"
    times: int | None = None  # None: until reset()
    status: int = 500
    message: str = ""
    retry_after_ms: int | None = 10
    after_chunks: int = 2
    content_type: str = "application/json"
    extra: dict[str, Any] = field(default_factory=dict)


def fake_embedding(text: str, dim: int = DEFAULT_EMBEDDING_DIM) -> list[float]:
    """A deterministic unit vector for ``text``, exactly representable as float32."""
    values: list[float] = []
    counter = 0
    while len(values) < dim:
        digest = hashlib.sha256(f"{counter}:{text}".encode()).digest()
        for i in range(0, len(digest), 4):
            values.append(int.from_bytes(digest[i : i + 4], "little") / 2**31 - 1.0)
        counter += 1
    values = values[:dim]
    norm = math.sqrt(sum(v * v for v in values)) or 1.0
    packed = struct.pack(f"<{dim}f", *(v / norm for v in values))
    return list(struct.unpack(f"<{dim}f", packed))


def split_deltas(text: str) -> list[str]:
    """Split a reply into small streaming deltas (a word and its trailing space each)."""
    parts = re.findall(r"\S+\s*|\s+", text)
    return parts


class FakeOpenAI:
    """An OpenAI-compatible server on 127.0.0.1 whose behaviour each test scripts."""

    def __init__(
        self,
        reply: Reply = "This is a fake reply.",
        *,
        model: str = DEFAULT_MODEL,
        embedding_dim: int = DEFAULT_EMBEDDING_DIM,
        delay: float = 0.0,
        chunk_delay: float = 0.0,
        expected_api_key: str | None = None,
    ) -> None:
        self.reply: Reply = reply
        self.model = model
        self.embedding_dim = embedding_dim
        self.delay = delay
        self.chunk_delay = chunk_delay
        self.expected_api_key = expected_api_key
        self.requests: list[Any] = []
        self.calls: list[RecordedCall] = []
        self.errors: list[BaseException] = []  # exceptions raised by a reply function
        self._faults: list[Fault] = []
        self._reply_index = 0
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    # ----------------------------------------------------------------- lifecycle
    def start(self) -> FakeOpenAI:
        if self._httpd is not None:
            return self
        self._stopping.clear()
        handler = type("BoundHandler", (_Handler,), {"fake": self})
        self._httpd = _Server(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"FakeOpenAI:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._stopping.set()  # wakes handlers sleeping in a delay
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None
        self._thread = None

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("FakeOpenAI is not running; call start() or use it with `with`")
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.url}/v1"

    # ----------------------------------------------------------------- scripting
    def reset(self) -> None:
        """Forget faults, delays, recorded requests and the position in a list of replies."""
        with self._lock:
            self._faults.clear()
            self.requests.clear()
            self.calls.clear()
            self.errors.clear()
            self._reply_index = 0
        self.delay = 0.0
        self.chunk_delay = 0.0

    def add_fault(self, fault: Fault) -> Fault:
        with self._lock:
            self._faults.append(fault)
        return fault

    def http_error(
        self,
        status: int = 500,
        message: str | None = None,
        *,
        times: int | None = None,
        retry_after_ms: int | None = 10,
    ) -> Fault:
        """Answer with an OpenAI-style JSON error. ``retry_after_ms`` keeps client retries fast."""
        return self.add_fault(
            Fault(
                "http_error",
                times=times,
                status=status,
                message=message or f"fake error {status}",
                retry_after_ms=retry_after_ms,
            )
        )

    def garbage(self, *, times: int | None = None, content_type: str = "application/json") -> Fault:
        """Answer 200 with a body that is not JSON (like a proxy's HTML error page)."""
        return self.add_fault(Fault("garbage", times=times, content_type=content_type))

    def malformed(self, *, times: int | None = None) -> Fault:
        """Answer 200 with valid JSON that lacks ``choices`` / ``data``."""
        return self.add_fault(Fault("malformed", times=times))

    def break_stream(self, after_chunks: int = 2, *, times: int | None = None) -> Fault:
        """Send ``after_chunks`` SSE chunks (or part of a JSON body), then drop the connection."""
        return self.add_fault(Fault("break_stream", times=times, after_chunks=after_chunks))

    # ----------------------------------------------------------------- recording
    @property
    def chat_requests(self) -> list[Any]:
        return [c.body for c in self.calls if c.path.endswith("/chat/completions")]

    @property
    def embedding_requests(self) -> list[Any]:
        return [c.body for c in self.calls if c.path.endswith("/embeddings")]

    @property
    def last_messages(self) -> list[dict[str, Any]]:
        """The ``messages`` of the most recent chat request."""
        chats = self.chat_requests
        if not chats:
            raise AssertionError("no chat request was received")
        return chats[-1]["messages"]

    # ----------------------------------------------------------------- internals
    def _record(self, call: RecordedCall) -> None:
        with self._lock:
            self.calls.append(call)
            if call.method == "POST":
                self.requests.append(call.body)

    def _take_fault(self) -> Fault | None:
        with self._lock:
            if not self._faults:
                return None
            fault = self._faults[0]
            if fault.times is not None:
                fault.times -= 1
                if fault.times <= 0:
                    self._faults.pop(0)
            return fault

    def _sleep(self, seconds: float) -> None:
        if seconds > 0:
            self._stopping.wait(seconds)

    def _reply_text(self, messages: list[dict[str, Any]], request: dict[str, Any]) -> str:
        reply = self.reply
        if callable(reply):
            return str(reply(messages, request))
        if isinstance(reply, str):
            return reply
        replies = list(reply)
        if not replies:
            return ""
        with self._lock:
            index = min(self._reply_index, len(replies) - 1)
            self._reply_index += 1
        return replies[index]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients that time out and hang up are expected; keep test output clean


class _Handler(BaseHTTPRequestHandler):
    fake: FakeOpenAI  # set on the bound subclass
    protocol_version = "HTTP/1.1"  # keep-alive and chunked transfer encoding, like real servers
    server_version = "FakeOpenAI/1.0"
    timeout = 10  # idle keep-alive connections end eventually

    def log_message(self, format: str, *args: Any) -> None:
        pass

    # ----------------------------------------------------------------- routing
    def do_GET(self) -> None:
        fake = self.fake
        fake._record(RecordedCall("GET", self.path, dict(self.headers.items()), None))
        if not self._authorised():
            return
        path = self.path.split("?", 1)[0].rstrip("/")
        if path.endswith("/models"):
            self._send_json(200, {"object": "list", "data": [self._model_card(fake.model)]})
        elif "/models/" in path:
            self._send_json(200, self._model_card(path.rsplit("/", 1)[1]))
        else:
            self._send_error_json(404, f"no route for GET {self.path}")

    def do_POST(self) -> None:
        fake = self.fake
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body: Any = json.loads(raw or b"null")
        except ValueError:
            body = raw.decode("utf-8", "replace")
        fake._record(RecordedCall("POST", self.path, dict(self.headers.items()), body))

        fault = fake._take_fault()
        fake._sleep(fake.delay)
        if fake._stopping.is_set():
            self.close_connection = True
            return
        if not self._authorised():
            return
        if not isinstance(body, dict):
            self._send_error_json(400, "request body must be a JSON object")
            return
        path = self.path.split("?", 1)[0].rstrip("/")
        if fault is not None and fault.kind in ("http_error", "garbage", "malformed"):
            self._send_fault(fault)
        elif path.endswith("/chat/completions"):
            self._chat(body, fault)
        elif path.endswith("/embeddings"):
            self._embeddings(body, fault)
        else:
            self._send_error_json(404, f"no route for POST {self.path}")

    # ----------------------------------------------------------------- endpoints
    def _chat(self, body: dict[str, Any], fault: Fault | None) -> None:
        fake = self.fake
        messages = body.get("messages")
        if not isinstance(messages, list):
            self._send_error_json(400, "'messages' must be a list")
            return
        try:
            text = fake._reply_text(messages, body)
        except Exception as exc:  # a broken reply function is a test bug: show it
            fake.errors.append(exc)
            self._send_error_json(500, f"reply function raised {exc!r}")
            return
        model = body.get("model") or fake.model
        created = int(time.time())
        cid = f"chatcmpl-fake-{len(fake.calls)}"
        prompt_tokens = sum(len(str(m.get("content", "")).split()) for m in messages)
        usage = {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": len(text.split()),
            "total_tokens": prompt_tokens + len(text.split()),
        }
        if not body.get("stream"):
            payload = {
                "id": cid,
                "object": "chat.completion",
                "created": created,
                "model": model,
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": text},
                        "finish_reason": "stop",
                        "logprobs": None,
                    }
                ],
                "usage": usage,
            }
            if fault is not None and fault.kind == "break_stream":
                self._send_truncated(payload)
            else:
                self._send_json(200, payload)
            return

        def chunk(delta: dict[str, Any], finish: str | None) -> dict[str, Any]:
            return {
                "id": cid,
                "object": "chat.completion.chunk",
                "created": created,
                "model": model,
                "choices": [
                    {"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}
                ],
            }

        events: list[dict[str, Any]] = [chunk({"role": "assistant", "content": ""}, None)]
        events += [chunk({"content": part}, None) for part in split_deltas(text)]
        events.append(chunk({}, "stop"))
        if (body.get("stream_options") or {}).get("include_usage"):
            events.append({**chunk({}, None), "choices": [], "usage": usage})
        lines = [f"data: {json.dumps(e)}\n\n".encode() for e in events] + [b"data: [DONE]\n\n"]

        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for i, line in enumerate(lines):
            if fault is not None and fault.kind == "break_stream" and i >= fault.after_chunks:
                self._drop_connection()
                return
            if i:
                fake._sleep(fake.chunk_delay)
            self._write_chunk(line)
        self._write_chunk(b"")

    def _embeddings(self, body: dict[str, Any], fault: Fault | None) -> None:
        fake = self.fake
        raw = body.get("input")
        if isinstance(raw, str):
            inputs = [raw]
        elif isinstance(raw, list) and raw and all(isinstance(t, int) for t in raw):
            inputs = [" ".join(map(str, raw))]  # one pre-tokenised input
        elif isinstance(raw, list) and raw:
            inputs = [x if isinstance(x, str) else " ".join(map(str, x)) for x in raw]
        else:
            self._send_error_json(400, "'input' must be a non-empty string or list")
            return
        dim = int(body.get("dimensions") or fake.embedding_dim)
        fmt = body.get("encoding_format") or "float"
        if fmt not in ("float", "base64"):
            self._send_error_json(400, f"unsupported encoding_format {fmt!r}")
            return
        data = []
        for i, text in enumerate(inputs):
            vector = fake_embedding(text, dim)
            if fmt == "base64":
                value: Any = base64.b64encode(struct.pack(f"<{dim}f", *vector)).decode("ascii")
            else:
                value = vector
            data.append({"object": "embedding", "index": i, "embedding": value})
        tokens = sum(len(t.split()) for t in inputs)
        payload = {
            "object": "list",
            "data": data,
            "model": body.get("model") or fake.model,
            "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
        }
        if fault is not None and fault.kind == "break_stream":
            self._send_truncated(payload)
        else:
            self._send_json(200, payload)

    # ----------------------------------------------------------------- responses
    def _authorised(self) -> bool:
        expected = self.fake.expected_api_key
        if expected is None or self.headers.get("Authorization") == f"Bearer {expected}":
            return True
        self._send_error_json(401, "Incorrect API key provided.", retry_after_ms=None)
        return False

    def _model_card(self, model_id: str) -> dict[str, Any]:
        return {"id": model_id, "object": "model", "created": 0, "owned_by": "fake-openai"}

    def _send_fault(self, fault: Fault) -> None:
        if fault.kind == "http_error":
            self._send_error_json(fault.status, fault.message, retry_after_ms=fault.retry_after_ms)
        elif fault.kind == "garbage":
            self._send_bytes(200, b"<html><body>502 Bad Gateway</body></html>", fault.content_type)
        else:  # malformed
            self._send_json(200, {"object": "mystery", "detail": "no choices or data here"})

    def _send_error_json(self, status: int, message: str, *, retry_after_ms: int | None = 10):
        err_type, code = _ERROR_TYPES.get(status, ("server_error", None))
        payload = {"error": {"message": message, "type": err_type, "param": None, "code": code}}
        headers = {"retry-after-ms": str(retry_after_ms)} if retry_after_ms is not None else {}
        self._send_bytes(status, json.dumps(payload).encode(), "application/json", headers)

    def _send_json(self, status: int, payload: Any) -> None:
        self._send_bytes(status, json.dumps(payload).encode(), "application/json")

    def _send_bytes(
        self,
        status: int,
        data: bytes,
        content_type: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()

    def _send_truncated(self, payload: Any) -> None:
        """Promise a whole JSON body, send half of it, hang up."""
        data = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data[: len(data) // 2])
        self.wfile.flush()
        self._drop_connection()

    def _write_chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):X}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def _drop_connection(self) -> None:
        self.close_connection = True
        try:
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


# --------------------------------------------------------------------- pytest fixtures
@pytest.fixture
def fake_openai(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOpenAI]:
    """A started ``FakeOpenAI`` (function-scoped); ``.base_url`` is ``http://127.0.0.1:PORT/v1``."""
    monkeypatch.setenv("NO_PROXY", LOCALHOST)
    monkeypatch.setenv("no_proxy", LOCALHOST)
    with FakeOpenAI() as server:
        yield server


@pytest.fixture
def fake_openai_env(fake_openai: FakeOpenAI, monkeypatch: pytest.MonkeyPatch) -> FakeOpenAI:
    """``fake_openai`` plus the environment that makes ``LLMSettings.from_env()`` use it."""
    monkeypatch.setenv("OPENAI_API_KEY", "sk-fake-test-key")
    monkeypatch.setenv("OPENAI_BASE_URL", fake_openai.base_url)
    monkeypatch.setenv("READOUT_QA_LLM_MODEL", fake_openai.model)
    monkeypatch.setenv("READOUT_QA_LLM_TIMEOUT", "5")
    return fake_openai
