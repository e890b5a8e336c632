"""Readouts fetched from URLs: politely, within limits, and only once while they are unchanged.

Each page is fetched with httpx (a timeout, a size limit, at most ``MAX_REDIRECTS``
redirects, an honest User-Agent), retried by tenacity on transient failures only
(connection errors, timeouts, 429 and 5xx), and read like a saved file of its content type
(HTML, PDF, plain text or Markdown; anything else is refused). The readout's ``source`` is
the URL. The validators of each fetch (ETag, Last-Modified, content hash) are kept in
``urls.json`` beside the index, so that an unchanged page costs a 304 or, at worst, one
download and a hash: it is never parsed or embedded again.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from tenacity import (
    RetryError,
    retry,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential,
)

from .. import __version__
from ..models import FileError, Readout
from .html_format import parse_html
from .pdf_format import parse_pdf
from .reading import decode_text
from .readout import BadReadout

USER_AGENT = f"readout-qa/{__version__} (fetches readout pages a user listed; python-httpx)"
TIMEOUT_SECONDS = 20.0
MAX_REDIRECTS = 5
ATTEMPTS = 3
CACHE_FILE = "urls.json"

_TRANSIENT_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_TEXT_TYPES = frozenset({"text/plain", "text/markdown", "text/x-markdown"})
_PDF_TYPES = frozenset({"application/pdf"})
_SLUG = re.compile(r"[^a-z0-9]+")


class FetchError(Exception):
    """A URL that could not be fetched or read, with the reason for the user."""


class _Transient(Exception):
    """A failure worth another try (the server's 5xx/429, a dropped connection)."""


@dataclass
class Validators:
    """What was stored for a URL: the doc id and what tells whether the page changed."""

    doc_id: str
    sha256: str
    etag: str = ""
    last_modified: str = ""


@dataclass
class UrlResult:
    """One URL's outcome: new readouts to ingest, or ``unchanged`` with nothing to do."""

    url: str
    doc_id: str
    readouts: list[Readout]
    unchanged: bool
    validators: Validators | None = None


def is_url(text: str) -> bool:
    """Whether a command-line argument names a URL rather than a file (any ``scheme://``)."""
    return bool(re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", text))


def url_doc_id(url: str) -> str:
    """A readable, stable id: the last path segment (or host) as a slug, plus a short hash."""
    parts = urlsplit(url)
    segment = next((s for s in reversed(parts.path.split("/")) if s), parts.hostname or "page")
    slug = _SLUG.sub("-", os.path.splitext(segment)[0].lower()).strip("-")[:60] or "page"
    return f"{slug}_{hashlib.sha256(url.encode('utf-8')).hexdigest()[:8]}"


class UrlCache:
    """The validators of fetched URLs, in one JSON file written atomically."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: dict[str, Validators] = {}
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            self.entries = {u: Validators(**v) for u, v in raw.items()}
        except (OSError, ValueError, TypeError):
            self.entries = {}  # missing or unreadable: every URL is fetched in full

    def get(self, url: str) -> Validators | None:
        return self.entries.get(url)

    def put(self, url: str, validators: Validators) -> None:
        self.entries[url] = validators

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = json.dumps({u: asdict(v) for u, v in sorted(self.entries.items())}, indent=1)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".urls-")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(data)
        os.replace(tmp, self.path)


def read_url_list(path: Path) -> list[str]:
    """URLs from a file, one a line; blank lines and ``#`` comments are ignored."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise FetchError(f"cannot read the URL list {path}: {exc}") from None
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def make_client(timeout: float = TIMEOUT_SECONDS) -> httpx.Client:
    """The one HTTP client of a fetch run: limits and the User-Agent set once."""
    return httpx.Client(
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        timeout=httpx.Timeout(timeout),
        headers={"User-Agent": USER_AGENT, "Accept": "text/html, application/pdf, text/*;q=0.8"},
        trust_env=False,  # no proxies from the environment: a readout fetch goes direct
    )


def _media_type(response: httpx.Response) -> str:
    return response.headers.get("content-type", "").split(";")[0].strip().lower()


def _download(
    client: httpx.Client, url: str, headers: dict[str, str], max_bytes: int
) -> tuple[httpx.Response, bytes]:
    """One GET within the limits; ``_Transient`` for what deserves a retry."""
    try:
        with client.stream("GET", url, headers=headers) as response:
            if response.status_code in _TRANSIENT_STATUS:
                raise _Transient(f"the server answered {response.status_code}")
            if response.status_code == 304:
                return response, b""
            if response.status_code >= 400:
                raise FetchError(f"the server answered {response.status_code}")
            kind = _media_type(response)
            if kind not in _HTML_TYPES | _TEXT_TYPES | _PDF_TYPES:
                raise FetchError(
                    f"content type '{kind or 'none'}' is not a readout (expected an HTML page, "
                    "a PDF or plain text)"
                )
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(_too_big(int(declared), max_bytes))
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(_too_big(size, max_bytes, at_least=True))
                chunks.append(chunk)
            return response, b"".join(chunks)
    except httpx.TooManyRedirects:
        raise FetchError(f"more than {MAX_REDIRECTS} redirects (a redirect loop?)") from None
    except httpx.UnsupportedProtocol as exc:
        raise FetchError(f"redirected to an address that is not http(s): {exc}") from None
    except httpx.TimeoutException:
        raise _Transient(f"no answer within {client.timeout.read:g} s") from None
    except httpx.TransportError as exc:
        raise _Transient(f"cannot connect: {exc}") from None


def _too_big(size: int, max_bytes: int, at_least: bool = False) -> str:
    mb = 1024 * 1024
    limit = (
        f"the {max_bytes / mb:g} MB limit for one readout (raise it with READOUT_QA_MAX_FILE_MB)"
    )
    if at_least:  # no Content-Length: reading stopped at the limit
        return f"page is larger than {limit}; reading stopped at {size / mb:.1f} MB"
    return f"page is {size / mb:.1f} MB, over {limit}"


def fetch(
    client: httpx.Client,
    url: str,
    max_bytes: int,
    cached: Validators | None = None,
    attempts: int = ATTEMPTS,
) -> tuple[httpx.Response, bytes]:
    """The page at ``url`` (a conditional GET when ``cached``), retried on transient errors.

    Raises ``FetchError`` with the reason (after the last attempt for transient ones)."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError(f"only http and https URLs are fetched, not '{parts.scheme}'")
    if not parts.hostname:
        raise FetchError("the URL has no host")
    headers: dict[str, str] = {}
    if cached is not None:
        if cached.etag:
            headers["If-None-Match"] = cached.etag
        if cached.last_modified:
            headers["If-Modified-Since"] = cached.last_modified

    @retry(
        retry=retry_if_exception_type(_Transient),
        stop=stop_after_attempt(max(1, attempts)),
        wait=wait_exponential(multiplier=0.25, max=2.0),
    )
    def attempt() -> tuple[httpx.Response, bytes]:
        return _download(client, url, headers, max_bytes)

    try:
        return attempt()
    except RetryError as exc:
        last = exc.last_attempt.exception()
        tries = f"{attempts} attempt{'s' if attempts != 1 else ''}"
        raise FetchError(f"{last} ({tries})") from None


def _parse(url: str, doc_id: str, response: httpx.Response, data: bytes) -> list[Readout]:
    kind = _media_type(response)
    if kind in _PDF_TYPES:
        readouts = [parse_pdf(data, Path(doc_id), source=url, doc_id=doc_id)]
    elif kind in _HTML_TYPES:
        readouts = [parse_html(data, Path(doc_id), source=url, doc_id=doc_id)]
    else:
        from .single_file import parse_text

        charset = response.charset_encoding
        if charset and charset.lower().replace("-", "") not in ("utf8", "ascii", "usascii"):
            text = data.decode(charset, errors="replace")
        else:
            text = decode_text(data)
        readouts, errors = parse_text(text, Path(doc_id + ".txt"))
        if errors:
            raise BadReadout(errors[0].reason)
        for r in readouts:
            r.source = r.source or url
    for r in readouts:
        r.path = url
    return readouts


def load_url(
    client: httpx.Client,
    url: str,
    *,
    max_bytes: int,
    cached: Validators | None = None,
    attempts: int = ATTEMPTS,
) -> UrlResult:
    """Fetch and read one URL; ``unchanged`` (nothing parsed) when the server says 304 or
    the bytes hash as before. ``cached`` must be None when its readout is not stored."""
    doc_id = cached.doc_id if cached else url_doc_id(url)
    response, data = fetch(client, url, max_bytes, cached, attempts)
    if response.status_code == 304:
        if cached is None:
            raise FetchError("the server answered 304 Not Modified to an unconditional request")
        return UrlResult(url, doc_id, [], True, cached)
    sha = hashlib.sha256(data).hexdigest()
    validators = Validators(
        doc_id=doc_id,
        sha256=sha,
        etag=response.headers.get("etag", ""),
        last_modified=response.headers.get("last-modified", ""),
    )
    if cached is not None and cached.sha256 == sha:
        return UrlResult(url, doc_id, [], True, validators)
    try:
        readouts = _parse(url, doc_id, response, data)
    except BadReadout as exc:
        raise FetchError(str(exc)) from None
    return UrlResult(url, doc_id, readouts, False, validators)


def load_urls(
    urls: Iterable[str],
    cache: UrlCache,
    stored_ids: set[str],
    *,
    max_bytes: int,
    timeout: float = TIMEOUT_SECONDS,
    attempts: int = ATTEMPTS,
) -> tuple[list[UrlResult], list[FileError]]:
    """Every URL fetched once (duplicates dropped), each failure reported alone.

    A cached URL whose readout is no longer in the index (``stored_ids``: after
    ``--rebuild``) is fetched in full again."""
    results: list[UrlResult] = []
    errors: list[FileError] = []
    with make_client(timeout) as client:
        for url in dict.fromkeys(u.strip() for u in urls if u.strip()):
            cached = cache.get(url)
            if cached is not None and cached.doc_id not in stored_ids:
                cached = None
            try:
                results.append(
                    load_url(client, url, max_bytes=max_bytes, cached=cached, attempts=attempts)
                )
            except FetchError as exc:
                errors.append(FileError(url, str(exc)))
    return results, errors
