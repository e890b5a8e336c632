"""A chat client for OpenAI and any OpenAI-compatible server that fails cleanly.

Works with OpenAI and with vLLM, Ollama, llama.cpp, LM Studio... through
``OPENAI_BASE_URL``. Every failure -- connection refused, timeout, HTTP error, a body
that is not a chat completion, an empty reply, a stream that breaks -- is raised as
:class:`LLMError` with a message a user can act on; nothing hangs longer than the
timeout (plus one retry). This module knows nothing of passages or citations: the
answerers check every ``[n]`` a model writes.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from .config import LLMSettings

if TYPE_CHECKING:  # pragma: no cover
    from llama_index.llms.openai_like import OpenAILike


class LLMError(Exception):
    """Any failure to get a usable reply from the LLM.

    ``kind`` is one of "connection", "timeout", "auth", "rate_limit", "http", "malformed",
    "empty", "stream"; ``status`` is the HTTP status when there was one.
    """

    def __init__(self, message: str, *, kind: str = "error", status: int | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.status = status


# ------------------------------------------------------------------------------ client
def _is_reasoning_model(model: str) -> bool:
    """OpenAI reasoning models reject ``max_tokens`` and a non-default temperature."""
    name = model.lower().rsplit("/", 1)[-1]
    return bool(re.match(r"(o\d|gpt-5)(\b|-|$)", name)) and not name.startswith("gpt-5-chat")


class ChatLLM:
    """A chat model behind an OpenAI-compatible API; raises :class:`LLMError`, never hangs."""

    def __init__(self, settings: LLMSettings) -> None:
        import openai  # imported here so the offline product never pays for it

        self.settings = settings
        self._client = openai.OpenAI(
            api_key=settings.api_key,
            base_url=settings.endpoint,
            timeout=settings.timeout,
            max_retries=1,
        )

    def __repr__(self) -> str:
        return f"ChatLLM(model={self.settings.model!r}, endpoint={self.settings.endpoint!r})"

    @property
    def name(self) -> str:
        return self.settings.model

    def close(self) -> None:
        """Close the HTTP connection pool (optional; garbage collection does it too)."""
        self._client.close()

    def _request(self, messages: list[dict[str, Any]], max_tokens: int | None) -> dict[str, Any]:
        s = self.settings
        params: dict[str, Any] = {"model": s.model, "messages": messages}
        tokens = max_tokens or s.max_tokens
        if _is_reasoning_model(s.model):
            params["max_completion_tokens"] = max(tokens, 2000)  # reasoning tokens count too
        else:
            params["max_tokens"] = tokens  # what every compatible server understands
            params["temperature"] = s.temperature
        return params

    def complete(self, messages: list[dict[str, Any]], *, max_tokens: int | None = None) -> str:
        """The assistant's reply to ``messages`` (stripped, non-empty)."""
        try:
            response = self._client.chat.completions.create(
                **self._request(messages, max_tokens), stream=False
            )
        except Exception as exc:
            raise self._error(exc) from exc
        try:
            choice = response.choices[0]
            content = choice.message.content
        except (AttributeError, IndexError, KeyError, TypeError) as exc:
            raise LLMError(
                f"the LLM server at {self.settings.endpoint} did not return a chat completion "
                f"(got {_preview(response)})",
                kind="malformed",
            ) from exc
        if not isinstance(content, str):
            content = "" if content is None else str(content)
        text = strip_thinking(content).strip()
        if not text:
            raise LLMError(f"the LLM ({self.settings.model}) returned an empty reply", kind="empty")
        return text

    def stream(
        self, messages: list[dict[str, Any]], *, max_tokens: int | None = None
    ) -> Iterator[str]:
        """Text deltas of the reply, as they arrive.

        The request is sent when this is called, so HTTP errors raise here; a stream that breaks,
        stops before the model finished, or carries no text raises :class:`LLMError` while
        iterating (after the deltas already yielded).
        """
        try:
            response = self._client.chat.completions.create(
                **self._request(messages, max_tokens), stream=True
            )
        except Exception as exc:
            raise self._error(exc) from exc
        return self._iter_stream(response)

    def _iter_stream(self, response: Any) -> Iterator[str]:
        finished = False
        produced = False
        thinking = _ThinkingFilter()
        try:
            for chunk in response:
                choices = getattr(chunk, "choices", None)
                if not choices:
                    continue  # e.g. the usage chunk
                choice = choices[0]
                delta = getattr(choice.delta, "content", None) if choice.delta else None
                if delta:
                    text = thinking.feed(delta)
                    if text:
                        produced = produced or bool(text.strip())
                        yield text
                if choice.finish_reason:
                    finished = True
            tail = thinking.flush()
            if tail:
                produced = produced or bool(tail.strip())
                yield tail
        except LLMError:
            raise
        except Exception as exc:
            raise LLMError(
                f"the LLM stream from {self.settings.endpoint} broke: {_describe(exc)}",
                kind="stream",
            ) from exc
        finally:
            close = getattr(response, "close", None)
            if close is not None:
                with contextlib.suppress(Exception):
                    close()
        if not finished:
            raise LLMError(
                f"the LLM stream from {self.settings.endpoint} ended before the reply was complete",
                kind="stream",
            )
        if not produced:
            raise LLMError(f"the LLM ({self.settings.model}) returned an empty reply", kind="empty")

    def _error(self, exc: Exception) -> LLMError:
        import openai

        where = self.settings.endpoint
        model = self.settings.model
        if isinstance(exc, openai.APITimeoutError):
            return LLMError(
                f"the LLM at {where} did not answer within {self.settings.timeout:g} s "
                "(set READOUT_QA_LLM_TIMEOUT to wait longer)",
                kind="timeout",
            )
        if isinstance(exc, openai.APIConnectionError):
            cause = exc.__cause__ or exc.__context__
            detail = f": {_describe(cause)}" if cause else ""
            return LLMError(f"could not reach the LLM server at {where}{detail}", kind="connection")
        if isinstance(exc, openai.APIStatusError):
            status = exc.status_code
            message = _server_message(exc)
            if status in (401, 403):
                text = (
                    f"the LLM server at {where} rejected the API key (HTTP {status}); "
                    f"check OPENAI_API_KEY: {message}"
                )
                return LLMError(text, kind="auth", status=status)
            if status == 429:
                text = f"the LLM server at {where} is rate limiting (HTTP 429): {message}"
                return LLMError(text, kind="rate_limit", status=status)
            if status == 404:
                text = (
                    f"the LLM server at {where} answered HTTP 404 -- is the model {model!r} "
                    f"served there, and does OPENAI_BASE_URL end in /v1? {message}"
                )
                return LLMError(text, kind="http", status=status)
            return LLMError(
                f"the LLM server at {where} answered HTTP {status}: {message}",
                kind="http",
                status=status,
            )
        return LLMError(
            f"the LLM server at {where} sent a response that could not be read ({_describe(exc)})",
            kind="malformed",
        )

    def as_llama_index_llm(self, **overrides: Any) -> OpenAILike:
        """The same model as a llama-index ``OpenAILike`` (for users; not used internally)."""
        from llama_index.llms.openai_like import OpenAILike

        s = self.settings
        kwargs: dict[str, Any] = {
            "model": s.model,
            "api_base": s.endpoint,
            "api_key": s.api_key,
            "timeout": s.timeout,
            "max_retries": 1,
            "temperature": s.temperature,
            "max_tokens": s.max_tokens,
            "is_chat_model": True,
        }
        kwargs.update(overrides)
        return OpenAILike(**kwargs)


def _describe(exc: BaseException | None) -> str:
    if exc is None:
        return "unknown error"
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _server_message(exc: Any) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        err = body.get("error", body)
        if isinstance(err, dict) and err.get("message"):
            return str(err["message"])[:300]
        if isinstance(err, str):
            return err[:300]
    return str(getattr(exc, "message", "") or exc)[:300]


def _preview(value: Any) -> str:
    text = value if isinstance(value, str) else repr(value)
    text = " ".join(text.split())
    return text[:120] + ("..." if len(text) > 120 else "")


# Reasoning models served locally (DeepSeek-R1, Qwen3...) may put their thoughts in the reply.
_THINK_RE = re.compile(r"^\s*<think>.*?(</think>\s*|$)", re.DOTALL)


def strip_thinking(text: str) -> str:
    """Remove a leading ``<think>...</think>`` block from a reply."""
    return _THINK_RE.sub("", text, count=1)


class _ThinkingFilter:
    """Streaming version of :func:`strip_thinking`."""

    def __init__(self) -> None:
        self._state = "start"  # start -> thinking -> text
        self._buffer = ""

    def feed(self, delta: str) -> str:
        if self._state == "text":
            return delta
        self._buffer += delta
        if self._state == "start":
            head = self._buffer.lstrip()
            if "<think>".startswith(head):
                return ""  # could still become "<think>"
            if not head.startswith("<think>"):
                self._state = "text"
                out, self._buffer = self._buffer, ""
                return out
            self._state = "thinking"
        end = self._buffer.find("</think>")
        if end < 0:
            return ""
        self._state = "text"
        out = self._buffer[end + len("</think>") :].lstrip()
        self._buffer = ""
        return out

    def flush(self) -> str:
        out = self._buffer if self._state == "start" else ""
        self._buffer = ""
        return out
