"""The thin LLM layer: settings, a chat client that fails cleanly, and prompt building.

Works with OpenAI and with any OpenAI-compatible server (vLLM, Ollama, llama.cpp, LM Studio...)
through ``OPENAI_BASE_URL``. Every failure -- connection refused, timeout, HTTP error, a body that
is not a chat completion, an empty reply, a stream that breaks -- is raised as :class:`LLMError`
with a message a user can act on; nothing hangs longer than the timeout (plus one retry).

This module does not check citations: callers verify every ``[n]`` against the passages.

Prompts live as text files in the repository's ``prompts/`` folder (or ``READOUT_QA_PROMPTS_DIR``)
and are read on every call, so they can be edited without restarting. Placeholders are
``string.Template`` style (``$question``); see ``prompts/README.md``.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from string import Template
from typing import TYPE_CHECKING, Any, Protocol

from readout_qa.models import Passage

if TYPE_CHECKING:  # pragma: no cover
    from llama_index.llms.openai_like import OpenAILike

DEFAULT_MODEL = "gpt-4.1-mini"
OPENAI_API_BASE = "https://api.openai.com/v1"

#: What the model must reply, exactly, when the passages do not answer the question.
REFUSAL_SENTINEL = "NOT_IN_READOUTS"

#: How many earlier chat messages (user or assistant, each counts one) the model sees.
MAX_HISTORY_MESSAGES = 6
#: Longer history messages are cut to this many characters.
MAX_HISTORY_CHARS = 1500
#: Token budget for a rewritten search query.
REWRITE_MAX_TOKENS = 120

PROMPTS_ENV = "READOUT_QA_PROMPTS_DIR"
ANSWER_SYSTEM_PROMPT = "answer_system.txt"
ANSWER_USER_PROMPT = "answer_user.txt"
REWRITE_PROMPT = "rewrite_query.txt"

# Placeholders each prompt must contain, or the model would silently miss its input.
_REQUIRED_PLACEHOLDERS = {
    ANSWER_USER_PROMPT: ("passages", "question"),
    REWRITE_PROMPT: ("question",),
}


class LLMError(Exception):
    """Any failure to get a usable reply from the LLM.

    ``kind`` is one of "connection", "timeout", "auth", "rate_limit", "http", "malformed",
    "empty", "stream"; ``status`` is the HTTP status when there was one.
    """

    def __init__(self, message: str, *, kind: str = "error", status: int | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.status = status


# ------------------------------------------------------------------------------ settings
@dataclass
class LLMSettings:
    model: str
    base_url: str | None  # None: OpenAI itself
    api_key: str = field(repr=False)
    timeout: float = 30.0
    temperature: float = 0.0
    max_tokens: int = 600

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> LLMSettings | None:
        """Settings from ``OPENAI_API_KEY``, ``OPENAI_BASE_URL``, ``READOUT_QA_LLM_MODEL`` and
        ``READOUT_QA_LLM_TIMEOUT``; None when no API key is set (the product then stays offline).

        Local servers that ignore keys still need ``OPENAI_API_KEY`` set to something.
        """
        env = os.environ if env is None else env
        api_key = (env.get("OPENAI_API_KEY") or "").strip()
        if not api_key:
            return None
        base_url = (env.get("OPENAI_BASE_URL") or "").strip() or None
        model = (env.get("READOUT_QA_LLM_MODEL") or "").strip() or DEFAULT_MODEL
        raw_timeout = (env.get("READOUT_QA_LLM_TIMEOUT") or "").strip()
        timeout = 30.0
        if raw_timeout:
            try:
                timeout = float(raw_timeout)
            except ValueError:
                timeout = -1.0
            if not timeout > 0:
                raise ValueError(
                    f"READOUT_QA_LLM_TIMEOUT must be a positive number of seconds, "
                    f"got {raw_timeout!r}"
                )
        return cls(model=model, base_url=base_url, api_key=api_key, timeout=timeout)

    @property
    def endpoint(self) -> str:
        return (self.base_url or OPENAI_API_BASE).rstrip("/")


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


# ------------------------------------------------------------------------------ prompts
def prompts_dir() -> Path:
    """``READOUT_QA_PROMPTS_DIR`` if set, else the repository's ``prompts/`` folder."""
    override = os.environ.get(PROMPTS_ENV, "").strip()
    if override:
        return Path(override).expanduser()
    return Path(__file__).resolve().parents[2] / "prompts"


def load_prompt(name: str) -> str:
    """The text of ``prompts/<name>``, read now (edits apply to the next question)."""
    path = prompts_dir() / name
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FileNotFoundError(
            f"prompt file {path} not found; set {PROMPTS_ENV} to a folder containing {name}"
        ) from None


def render_prompt(name: str, **values: str) -> str:
    """Load prompt ``name`` and fill its ``$placeholders`` (``$$`` is a literal dollar)."""
    text = load_prompt(name)
    template = Template(text)
    found = {
        m.group("named") or m.group("braced")
        for m in template.pattern.finditer(text)
        if m.group("named") or m.group("braced")
    }
    missing = [p for p in _REQUIRED_PLACEHOLDERS.get(name, ()) if p not in found]
    if missing:
        raise ValueError(
            f"prompt {prompts_dir() / name} lacks the placeholder(s) "
            + ", ".join(f"${p}" for p in missing)
        )
    return template.safe_substitute(values).strip()


# ------------------------------------------------------------------------------ messages
_PASSAGE_TAG_RE = re.compile(r"<\s*(/?)\s*(passages|question)\s*>", re.IGNORECASE)


def _as_data(text: str) -> str:
    """Neutralise tags that would let a passage close the <passages> block early."""
    return _PASSAGE_TAG_RE.sub(lambda m: f"[{m.group(1)}{m.group(2).lower()}]", text)


def number_passages(passages: Sequence[Passage]) -> str:
    """``[1] (title, date)\\n<text>\\n\\n[2] ...`` -- the numbers the model must cite."""
    blocks = []
    for n, passage in enumerate(passages, start=1):
        title = " ".join((passage.title or passage.doc_id).split())
        date = " ".join(passage.date.split())
        header = f"[{n}] ({_as_data(title)}, {date})" if date else f"[{n}] ({_as_data(title)})"
        blocks.append(f"{header}\n{_as_data(passage.text.strip())}")
    return "\n\n".join(blocks)


_CITATION_RE = re.compile(r"\s*\[\d+(?:\s*[,;\u2013-]\s*\d+)*\]")


def _content_text(content: Any) -> str:
    """Plain text of an OpenAI/Gradio message ``content`` (string, part list or dict)."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        if content.get("type") in (None, "text") and isinstance(content.get("text"), str):
            return content["text"]
        return ""  # files, images, components
    if isinstance(content, (list, tuple)):
        return "\n".join(t for t in (_content_text(part) for part in content) if t)
    return ""


def normalize_history(
    history: Sequence[Any] | None, *, limit: int = MAX_HISTORY_MESSAGES
) -> list[dict[str, str]]:
    """The last ``limit`` user/assistant messages of ``history`` as plain ``{role, content}``.

    Accepts the OpenAI / Gradio "messages" shape (dicts or objects with ``role`` and
    ``content``); drops system messages, Gradio "thought" bubbles (``metadata.title``), files
    and empty turns; removes citation markers (their numbers referred to other passages).
    """
    cleaned: list[dict[str, str]] = []
    for item in history or ():
        if isinstance(item, dict):
            role, content, metadata = item.get("role"), item.get("content"), item.get("metadata")
        else:
            role = getattr(item, "role", None)
            content = getattr(item, "content", None)
            metadata = getattr(item, "metadata", None)
        if role not in ("user", "assistant"):
            continue
        if isinstance(metadata, dict) and metadata.get("title"):
            continue
        text = _content_text(content)
        if role == "assistant":
            text = _CITATION_RE.sub("", text)
        text = text.strip()
        if not text:
            continue
        if len(text) > MAX_HISTORY_CHARS:
            text = text[:MAX_HISTORY_CHARS].rstrip() + " ..."
        cleaned.append({"role": role, "content": text})
    return cleaned[-limit:] if limit > 0 else []


def _prior_history(question: str, history: Sequence[Any] | None) -> list[dict[str, str]]:
    """History without the current question, should the caller have appended it already."""
    turns = normalize_history(history, limit=MAX_HISTORY_MESSAGES + 1)
    if turns and turns[-1]["role"] == "user" and turns[-1]["content"] == question.strip():
        turns.pop()
    return turns[-MAX_HISTORY_MESSAGES:]


def build_answer_messages(
    question: str, passages: Sequence[Passage], history: Sequence[Any] | None = None
) -> list[dict[str, str]]:
    """System prompt, the last few history turns, then the numbered passages and the question."""
    system = render_prompt(ANSWER_SYSTEM_PROMPT, refusal=REFUSAL_SENTINEL)
    user = render_prompt(
        ANSWER_USER_PROMPT,
        passages=number_passages(passages),
        question=_as_data(question.strip()),
        refusal=REFUSAL_SENTINEL,
    )
    return [
        {"role": "system", "content": system},
        *_prior_history(question, history),
        {"role": "user", "content": user},
    ]


def _render_history(turns: list[dict[str, str]]) -> str:
    names = {"user": "User", "assistant": "Assistant"}
    return "\n".join(f"{names[t['role']]}: {' '.join(t['content'].split())}" for t in turns)


def build_rewrite_messages(question: str, history: Sequence[Any] | None) -> list[dict[str, str]]:
    """One user message asking for ``question`` as a standalone search query."""
    prompt = render_prompt(
        REWRITE_PROMPT,
        history=_render_history(_prior_history(question, history)) or "(none)",
        question=question.strip(),
    )
    return [{"role": "user", "content": prompt}]


class _Completer(Protocol):
    def complete(self, messages: list[dict[str, Any]], *, max_tokens: int | None = ...) -> str: ...


_QUERY_LABEL_RE = re.compile(
    r"^\s*(standalone\s+)?(search\s+)?(query|question|rewritten\s+query)\s*:\s*", re.IGNORECASE
)


def rewrite_query(llm: _Completer, question: str, history: Sequence[Any] | None) -> str:
    """A standalone search query for a follow-up question; ``question`` itself when there is no
    history, or the LLM fails or answers with nothing usable."""
    if not _prior_history(question, history) or not question.strip():
        return question
    try:
        reply = llm.complete(
            build_rewrite_messages(question, history), max_tokens=REWRITE_MAX_TOKENS
        )
    except LLMError:
        return question
    lines = [line.strip() for line in (reply or "").splitlines() if line.strip()]
    if not lines:
        return question
    query = _QUERY_LABEL_RE.sub("", lines[0]).strip().strip("\"'\u201c\u201d`").strip()
    if not query or query == REFUSAL_SENTINEL or len(query) > 500:
        return question
    return query
