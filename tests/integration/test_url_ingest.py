"""URLs in: a real HTTP server on 127.0.0.1 (stdlib, in a thread) serving saved pages, a PDF,
slow, failing, huge, redirecting and non-HTML responses, and the conditional GETs that make
an unchanged URL free. Nothing here reaches beyond the loopback interface."""

from __future__ import annotations

import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from site_pages import normalise, page_html, read_source

from readout_qa.loaders.urls import (
    USER_AGENT,
    FetchError,
    UrlCache,
    Validators,
    load_url,
    make_client,
    url_doc_id,
)

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
FIXTURES = ROOT / "tests" / "fixtures" / "formats"
WOODSIDE = (
    "2023-11-15_readout-of-president-joe-biden-s-meeting-with-president-xi-jinping"
    "-of-the-people-s-republi"
)
TRUDEAU = (
    "2021-01-22_readout-of-president-joe-biden-call-with-prime-minister-justin-trudeau-of-canada"
)
KREMLIN = "2021-12-15_talks-with-president-of-china-xi-jinping"
ETAG = '"v1"'


class Site:
    """What the server serves, and what it saw (paths requested, headers)."""

    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()
        self.user_agents: set[str] = set()
        self.conditional: list[str] = []
        self.flaky_left = 1
        woodside = read_source(CORPUS / f"{WOODSIDE}.md")
        self.woodside = woodside
        self.pages = {
            "/woodside": page_html(woodside).encode("utf-8"),
            "/trudeau.pdf": (FIXTURES / f"{TRUDEAU}.pdf").read_bytes(),
        }


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # quiet
            pass

        def _send(self, status: int, body: bytes = b"", ctype: str = "text/html", **hdr) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in hdr.items():
                self.send_header(k.replace("_", "-"), v)
            self.end_headers()
            if body:
                self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: C901 - one branch per kind of response
            path = self.path
            site.hits[path] += 1
            site.user_agents.add(self.headers.get("User-Agent", ""))
            if path == "/woodside":
                if self.headers.get("If-None-Match") == ETAG:
                    site.conditional.append(path)
                    return self._send(304)
                return self._send(200, site.pages[path], "text/html; charset=utf-8", ETag=ETAG)
            if path == "/trudeau.pdf":
                return self._send(200, site.pages[path], "application/pdf")
            if path == "/no-validators":  # same bytes every time, no ETag: the hash decides
                return self._send(200, site.pages["/woodside"], "text/html")
            if path == "/flaky":
                if site.flaky_left > 0:
                    site.flaky_left -= 1
                    return self._send(503, b"busy")
                return self._send(200, site.pages["/woodside"], "text/html")
            if path == "/down":
                return self._send(503, b"down for maintenance")
            if path == "/missing":
                return self._send(404, b"not here")
            if path == "/slow":
                time.sleep(1.5)
                return self._send(200, site.pages["/woodside"], "text/html")
            if path == "/huge":
                return self._send(200, b"<p>" + b"x" * (3 * 1024 * 1024) + b"</p>", "text/html")
            if path == "/huge-chunked":  # no Content-Length: the limit must hold while reading
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                for _ in range(40):
                    self.wfile.write(b"<p>" + b"y" * 100_000 + b"</p>")
                return None
            if path == "/moved":
                return self._send(301, Location="/woodside")
            if path.startswith("/loop"):
                n = int(path.removeprefix("/loop") or 0)
                return self._send(302, Location=f"/loop{n + 1}")
            if path == "/to-ftp":
                return self._send(302, Location="ftp://127.0.0.1/readout.txt")
            if path == "/image":
                return self._send(200, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png")
            if path == "/plain":
                body = (
                    b"---\ntitle: A plain readout\ndate: 2024-05-01\n---\n\nThe two ministers met."
                )
                return self._send(200, body, "text/plain; charset=utf-8")
            return self._send(404, b"")

    return Handler


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass  # a client that gave up (timeout, size limit) breaks the pipe: expected here


@pytest.fixture(scope="module")
def site():
    s = Site()
    server = _QuietServer(("127.0.0.1", 0), _handler(s))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    s.base = f"http://127.0.0.1:{server.server_address[1]}"
    yield s
    server.shutdown()
    server.server_close()


MB = 1024 * 1024


def _load(site, path, cached=None, timeout=5.0, max_bytes=2 * MB, attempts=3):
    with make_client(timeout) as client:
        return load_url(
            client, site.base + path, max_bytes=max_bytes, cached=cached, attempts=attempts
        )


def test_a_page_is_read_like_a_saved_page_with_the_url_as_source(site):
    res = _load(site, "/woodside")
    [r] = res.readouts
    assert r.source == site.base + "/woodside" and r.path == r.source
    assert normalise(r.text) == normalise(site.woodside.body)
    assert (r.title, r.date, r.publisher) == (
        site.woodside.title,
        site.woodside.date,
        site.woodside.publisher,
    )
    assert r.doc_id == url_doc_id(site.base + "/woodside") and r.doc_id.startswith("woodside_")
    assert res.validators.etag == ETAG and not res.unchanged
    assert site.user_agents == {USER_AGENT} and USER_AGENT.startswith("readout-qa/")


def test_pdf_and_plain_text_urls(site):
    [pdf] = _load(site, "/trudeau.pdf").readouts
    assert pdf.date == "2021-01-22" and pdf.source == site.base + "/trudeau.pdf"
    assert "Trudeau" in pdf.text and "about:blank" not in pdf.text
    [plain] = _load(site, "/plain").readouts
    assert (plain.title, plain.date, plain.text) == (
        "A plain readout",
        "2024-05-01",
        "The two ministers met.",
    )


def test_etag_makes_a_second_fetch_a_304_and_the_hash_covers_servers_without_one(site):
    first = _load(site, "/woodside")
    again = _load(site, "/woodside", cached=first.validators)
    assert again.unchanged and again.readouts == [] and site.conditional == ["/woodside"]
    plain = _load(site, "/no-validators")
    same = _load(site, "/no-validators", cached=plain.validators)
    assert same.unchanged and same.readouts == []
    changed = Validators(doc_id="x", sha256="0" * 64)
    assert not _load(site, "/no-validators", cached=changed).unchanged


def test_transient_failures_are_retried_and_permanent_ones_are_not(site):
    res = _load(site, "/flaky")
    assert res.readouts and site.hits["/flaky"] == 2  # 503, then OK
    with pytest.raises(FetchError, match=r"503 \(3 attempts\)"):
        _load(site, "/down")
    assert site.hits["/down"] == 3
    with pytest.raises(FetchError, match="404"):
        _load(site, "/missing")
    assert site.hits["/missing"] == 1


def test_slow_server_times_out(site):
    t0 = time.perf_counter()
    with pytest.raises(FetchError, match=r"no answer within 0.3 s \(2 attempts\)"):
        _load(site, "/slow", timeout=0.3, attempts=2)
    assert time.perf_counter() - t0 < 3


def test_size_limit_holds_with_and_without_content_length(site):
    with pytest.raises(FetchError, match="over the 2 MB limit"):
        _load(site, "/huge")
    with pytest.raises(FetchError, match="page is larger than the 2 MB limit"):
        _load(site, "/huge-chunked")


def test_redirects_are_followed_but_limited_and_stay_on_http(site):
    [r] = _load(site, "/moved").readouts
    assert r.title == site.woodside.title and r.source == site.base + "/moved"
    with pytest.raises(FetchError, match="more than 5 redirects"):
        _load(site, "/loop")
    assert site.hits["/loop6"] == 0
    with pytest.raises(FetchError, match="not http"):
        _load(site, "/to-ftp")


def test_non_text_content_and_other_schemes_are_refused(site):
    with pytest.raises(FetchError, match="content type 'image/png' is not a readout"):
        _load(site, "/image")
    with make_client() as client:
        with pytest.raises(FetchError, match="only http and https"):
            load_url(client, "file:///etc/passwd", max_bytes=MB)
        with pytest.raises(FetchError, match="only http and https"):
            load_url(client, "ftp://127.0.0.1/x", max_bytes=MB)


def test_cache_file_round_trips(tmp_path):
    cache = UrlCache(tmp_path / "urls.json")
    cache.put("http://x/a", Validators("a_1", "f" * 64, '"e"', "Mon, 01 Jan 2024 00:00:00 GMT"))
    cache.save()
    assert UrlCache(tmp_path / "urls.json").get("http://x/a") == cache.get("http://x/a")
    (tmp_path / "urls.json").write_text("{not json")
    assert UrlCache(tmp_path / "urls.json").entries == {}


# ------------------------------------------------------------------ one command, all formats
@pytest.fixture(scope="module")
def mixed_qa(tmp_path_factory, site):
    """A folder of .html, .pdf, .md, .txt, .jsonl (and a .docx), plus URLs, in one ingest."""
    from readout_qa.api import ReadoutQA

    folder = tmp_path_factory.mktemp("mixed")
    for name in (f"{KREMLIN}.html", f"{TRUDEAU}.pdf"):
        (folder / name).write_bytes((FIXTURES / name).read_bytes())
    (folder / "seed.txt").write_bytes((CORPUS / "000_29b7a47e08d55584.txt").read_bytes())
    (folder / "faroe.md").write_text(
        "---\ntitle: Faroe fisheries talks\ndate: 2024-03-05\npublisher: Example Ministry\n---\n\n"
        "The ministers signed a mackerel quota agreement for 2024.\n",
        encoding="utf-8",
    )
    (folder / "more.jsonl").write_text(
        '{"id": "iceland-1", "title": "Iceland call", "date": "2024-02-01", '
        '"text": "The prime ministers discussed geothermal energy cooperation."}\n',
        encoding="utf-8",
    )
    (folder / "minutes.docx").write_bytes(b"PK\x03\x04")
    urls = tmp_path_factory.mktemp("lists") / "urls.txt"
    urls.write_text(f"# readouts online\n{site.base}/woodside\n{site.base}/image\n")
    qa = ReadoutQA(data_dir=tmp_path_factory.mktemp("mixed-index"), answerer="extractive")
    return qa, folder, urls


def test_folder_and_urls_ingest_in_one_command_and_are_answered(mixed_qa, site):
    from typer.testing import CliRunner

    from readout_qa.cli import app

    qa, folder, urls = mixed_qa
    runner = CliRunner()
    got = runner.invoke(
        app,
        ["ingest", str(folder), "--urls", str(urls), "--data-dir", str(qa.data_dir)],
    )
    out = " ".join(got.output.split())  # rich wraps long lines
    assert got.exit_code == 1, out  # the image URL failed; the rest is in
    assert "minutes.docx: unsupported file type '.docx'" in out
    assert f"{site.base}/image: content type 'image/png'" in out
    qa._refresh(force=True)
    assert qa.stats()["readouts"] == 6, qa.store.doc_records().keys()

    answer = qa.ask("What did Biden and Xi agree on AI at Woodside?")
    assert not answer.refused and answer.citations
    c = answer.citations[0]
    assert c.source == f"{site.base}/woodside" and c.date == "2023-11-15"
    assert c.title == site.woodside.title
    body, _ = qa.readout(c.doc_id)
    assert body[c.start : c.end] == c.quote

    pdf = qa.ask("What did Biden and Trudeau discuss in their first call as president?")
    assert any(x.date == "2021-01-22" for x in pdf.citations), pdf.text
    kremlin = qa.ask("What did Putin and Xi Jinping discuss in their talks in December 2021?")
    assert any(x.doc_id == KREMLIN and x.date == "2021-12-15" for x in kremlin.citations)
    assert any(x.publisher == "President of Russia (kremlin.ru)" for x in kremlin.citations)


def test_an_unchanged_url_costs_nothing_on_the_next_ingest(mixed_qa, site):
    qa, _folder, _urls = mixed_qa
    url = f"{site.base}/woodside"
    qa.ingest([url])  # makes sure the cache holds it whatever ran before
    before = len(site.conditional)
    report = qa.ingest([url], sync=False)
    assert report.added == [] and report.updated == [] and report.chunks_added == 0
    assert report.unchanged == [url_doc_id(url)]
    assert len(site.conditional) == before + 1  # answered 304, nothing downloaded
    assert (qa.data_dir / "urls.json").is_file()


def test_ui_upload_takes_html_and_pdf_and_lists_other_types_as_skipped(mixed_qa, tmp_path):
    from readout_qa.ui import handlers

    qa, _folder, _urls = mixed_qa
    evals = ROOT / "evals" / "format_fixtures"
    html = next(evals.glob("2022-10-04_*.html"))
    pdf = next(evals.glob("2022-11-14_*.pdf"))
    docx = tmp_path / "notes.docx"
    docx.write_bytes(b"PK\x03\x04")
    result = handlers.upload(qa, [str(html), str(pdf), str(docx)], upload_dir=tmp_path / "up")
    rows = {r[0]: r for r in result.rows}
    assert rows[html.name][1] == "added" and rows[pdf.name][1] == "added", rows
    assert rows[docx.name][1] == "skipped" and "'.docx'" in rows[docx.name][3]
    assert "2 files ingested" in result.summary and "1 skipped" in result.summary
    answer = qa.ask("Where did Biden meet Xi Jinping on November 14, 2022?")
    assert answer.citations and answer.citations[0].doc_id == pdf.stem
    assert answer.citations[0].date == "2022-11-14"
