"""A password-protected UI refuses every route to a client without the login cookie.

One server with ``auth`` (exactly as :func:`readout_qa.ui.serve` passes it) runs on a free
loopback port for this module. The routes probed are enumerated from the running FastAPI
app, so a route that Gradio (or this project) adds later is covered without editing the
test: anything not on the short list of public, data-free assets must answer 401/403.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"

from conftest import SEED  # noqa: E402
from ui_server import free_port, launch

USER, PASSWORD = "analyst", "s3cret"
SEED_DOC = SEED.stem
SEED_QUESTION = "What fields did Li Keqiang highlight with Belgium?"
TIMEOUT = 10.0
STREAM_TIMEOUT = 3.0  # per read: event streams (heartbeat) stay open

# Routes a browser must reach before logging in: the login page and the login/logout
# calls, plus static frontend assets. They may answer 200, but must not carry app data.
PUBLIC = {
    "/",
    "/login",
    "/login/",
    "/logout",
    "/favicon.ico",
    "/robots.txt",
    "/manifest.json",
    "/pwa_icon",
    "/pwa_icon/{size}",
    "/theme.css",
    "/gradio_api/theme.css",
    "/static/{path:path}",
    "/assets/{path:path}",
    "/svelte/{path:path}",
    "/openapi.json",  # FastAPI's schema of Gradio's own routes (no app data)
    # Gradio's own public plumbing, free of app data: the login page again (run history),
    # the server instance id, the caller's token (null before a login), startup status.
    "/gradio_api/runs",
    "/gradio_api/runs/",
    "/gradio_api/app_id",
    "/gradio_api/app_id/",
    "/gradio_api/token",
    "/gradio_api/token/",
    "/gradio_api/startup-events",
}
# Routes Gradio itself serves without a login check (upstream gradio.routes, 6.31): they act
# only on a random id the caller must already hold (a session hash or event id) or report the
# caller's own (absent) user. With made-up ids they must do nothing and serve nothing.
UNGUARDED = {
    "/gradio_api/heartbeat/{session_hash}",  # sends only "data: ALIVE"
    "/gradio_api/user",
    "/gradio_api/user/",
    "/gradio_api/cancel",
    "/gradio_api/reset",
    "/gradio_api/reset/",
    "/gradio_api/stream/{event_id}",
    "/gradio_api/stream/{event_id}/close",
    "/gradio_api/stream/{session_hash}/{run}/{component_id}/playlist.m3u8",
    "/gradio_api/stream/{session_hash}/{run}/{component_id}/{segment_id}.{ext}",
    "/gradio_api/stream/{session_hash}/{run}/{component_id}/playlist-file",
    "/gradio_api/custom_component/{id}/{environment}/{type}/{file_name}",
}
UNGUARDED_OK_BODIES = {"", "null", '{"success":true}', '{"detail":"Component not found."}'}
# Text that only the index, an answer or the app's config could contain.
LEAKS = (
    "Li Keqiang",
    "biomedicine",
    "microelectronics",
    "De Croo",
    "He Lifeng",
    SEED_DOC,
    "Belgium",
    "roq-sources",  # the app's own markup and CSS classes
    "Readout QA<",
)


@pytest.fixture(scope="module")
def secured(tmp_path_factory):
    from readout_qa import ReadoutQA
    from readout_qa.ui import build_app

    data = tmp_path_factory.mktemp("auth-index")
    qa = ReadoutQA(data_dir=data, answerer="extractive")
    assert qa.ingest([SEED]).ok
    app = build_app(qa, corpus=[SEED])
    # As serve() does: a queue limited to one job at a time and ``auth=(user, password)``.
    port = launch(app.queue(default_concurrency_limit=1), qa, auth=(USER, PASSWORD))
    try:
        yield SimpleNamespace(url=f"http://127.0.0.1:{port}", app=app, qa=qa)
    finally:
        app.close()


def _routes(app) -> list[tuple[str, str]]:
    """(method, path template) of every HTTP route of the running app, mounted ones too."""
    found: set[tuple[str, str]] = set()

    def walk(routes, prefix: str = "") -> None:
        for r in routes:
            sub = getattr(r, "original_router", None)  # FastAPI's included routers
            if sub is not None:
                walk(sub.routes, prefix)
                continue
            path = getattr(r, "path", None)
            if path is None:
                continue
            methods = getattr(r, "methods", None)
            if methods is None and getattr(r, "routes", None):  # a Mount
                walk(r.routes, prefix + path)
                continue
            for m in methods or {"GET"}:
                if m != "HEAD":
                    found.add((m, prefix + path))

    walk(app.app.routes)
    return sorted(found)


def _concrete(path: str) -> str:
    """A request path for a route template, with plausible values for its parameters."""
    values = {
        "api_name": "ask",
        "path_or_url": str(SEED.resolve()).lstrip("/"),
        "path": str(SEED.resolve()).lstrip("/"),
        "url_path": "http://127.0.0.1:1/x",
        "size": "192",
        "key": "summary",
        "id": "1",
        "environment": "client",
        "type": "js",
        "file_name": "index.js",
        "run": "1",
        "component_id": "1",
        "segment_id": "1",
        "ext": "ts",
    }

    def fill(m: re.Match[str]) -> str:
        return values.get(m.group(1), "x")

    return re.sub(r"\{(\w+)(?::\w+)?\}", fill, path)


def _request(http, method: str, path: str) -> tuple[int, str]:
    """(status, first bytes of the body); streaming answers are cut off, not waited for."""
    import httpx

    if path.endswith("/upload"):
        kwargs = {"files": [("files", ("leak.md", "# hello\n", "text/markdown"))]}
    elif method == "GET":
        kwargs = {}
    else:
        data = ["What was agreed?", "", "", [], [], []]  # no marker: 422s echo the body
        # Every field some POST route requires, so that its handler (or its login check) runs
        # rather than body validation.
        fields = {"fn_index": 0, "session_hash": "x", "event_id": "x", "hash": "x"}
        kwargs = {"json": {"data": data, **fields, "code": "x", "prompt": "x"}}
    body = b""
    with http.stream(method, path, timeout=STREAM_TIMEOUT, **kwargs) as got:
        try:
            for chunk in got.iter_bytes():
                body += chunk
                if len(body) > 200_000:
                    break
        except httpx.ReadTimeout:
            pass  # an event stream that stays open: judge what arrived
    return got.status_code, body.decode("utf-8", "replace")


_API_INFO = re.compile(r"window\.gradio_api_info\s*=.*?</script>", re.S)


def _assert_no_leak(path: str, text: str) -> None:
    # The API schema Gradio embeds in the login page is a known leak, tested (xfail) apart.
    text = _API_INFO.sub("", text)
    for marker in LEAKS:
        assert marker not in text, f"{path} serves {marker!r} without a login"


@pytest.mark.ui
def test_route_enumeration_covers_the_api(secured):
    """The walk finds the routes a client uses (so the probe below is not vacuous)."""
    paths = {p for _m, p in _routes(secured.app)}
    for needed in (
        "/config",
        "/gradio_api/info",
        "/gradio_api/queue/join",
        "/gradio_api/queue/data",
        "/gradio_api/call/{api_name}",
        "/gradio_api/upload",
        "/gradio_api/file={path_or_url:path}",
    ):
        assert needed in paths, sorted(paths)
    assert len(paths) > 40


@pytest.mark.ui
def test_every_route_refuses_without_login(secured):
    import httpx

    routes = _routes(secured.app)
    # Paths a client may call directly (some are not routes of this Gradio version: 404).
    extra = [
        ("GET", "/info"),
        ("GET", "/gradio_api/info"),
        ("GET", "/gradio_api/file=" + str(SEED.resolve())),
        ("GET", "/gradio_api/file=/etc/passwd"),
        ("POST", "/gradio_api/run/ask"),
        ("POST", "/gradio_api/api/ask"),
    ]
    refused, public, unguarded, missing, open_ = [], [], [], [], []
    with httpx.Client(base_url=secured.url, trust_env=False, timeout=TIMEOUT) as http:
        for method, template in routes + extra:
            path = _concrete(template)
            status, text = _request(http, method, path)
            _assert_no_leak(path, text)
            assert not http.cookies, f"{method} {path} handed out a cookie without a login"
            if template in PUBLIC:
                public.append(path)
                assert status < 500, (path, status)
                assert '"token":"' not in text.replace(" ", ""), (path, text[:300])
                continue
            if template in UNGUARDED:
                if template.startswith("/gradio_api/heartbeat/"):
                    assert set(text.split("\n\n")) <= {"data: ALIVE", ""}, (path, text[:300])
                else:
                    assert status in (200, 404), (path, status, text[:300])
                    assert text.strip() in UNGUARDED_OK_BODIES or text == "Stream not found", (
                        path,
                        text[:300],
                    )
                unguarded.append(path)
                continue
            if status == 404 and (method, template) in extra:
                missing.append(path)  # e.g. /info: not a route of this Gradio version
                continue
            if status in (401, 403):
                refused.append(path)
            else:
                open_.append(f"{method} {path} -> {status}: {text[:200]}")
    assert not open_, "answered without a login:\n" + "\n".join(open_)
    assert len(refused) > 40
    print(
        f"\nauth: {len(refused)} routes refused, {len(public)} public assets, "
        f"{len(unguarded)} id-keyed without login, absent: {missing}"
    )


@pytest.mark.ui
def test_login_page_serves_no_app_config(secured):
    import httpx

    with httpx.Client(base_url=secured.url, trust_env=False, timeout=TIMEOUT) as http:
        page = http.get("/")
    assert page.status_code == 200
    m = re.search(r"window\.gradio_config\s*=\s*(\{.*?\});\s*</script>", page.text, re.S)
    assert m, page.text[:500]
    config = json.loads(m.group(1))
    assert config["auth_required"] is True
    assert config["components"] == [] and config["dependencies"] == []
    _assert_no_leak("/", m.group(1))


@pytest.mark.ui
def test_login_page_does_not_leak_index_data(secured):
    # Gradio embeds the API schema in its login page; the filter choices (countries and
    # publishers of the index) must therefore not be in the schema: they load after login.
    import httpx

    with httpx.Client(base_url=secured.url, trust_env=False, timeout=TIMEOUT) as http:
        page = http.get("/").text
    assert "Belgium" not in page  # a country of the index


@pytest.mark.ui
def test_wrong_password_is_refused(secured):
    import httpx

    with httpx.Client(base_url=secured.url, trust_env=False, timeout=TIMEOUT) as http:
        got = http.post("/login", data={"username": USER, "password": "wrong"})
        assert got.status_code in (400, 401, 403), got
        assert not http.cookies
        assert http.get("/config").status_code in (401, 403)


@pytest.mark.ui
def test_login_then_config_and_ask(secured):
    import httpx
    from gradio_client import Client

    with httpx.Client(base_url=secured.url, trust_env=False, timeout=TIMEOUT) as http:
        got = http.post("/login", data={"username": USER, "password": PASSWORD})
        assert got.status_code == 200 and got.json().get("success") is True, got.text
        assert http.cookies
        config = http.get("/config")
        assert config.status_code == 200
        names = {d.get("api_name") for d in config.json()["dependencies"]}
        assert {"ask", "upload", "select_source", "new_conversation"} <= names
        assert http.get("/gradio_api/info").status_code == 200

    client = Client(secured.url + "/", auth=(USER, PASSWORD), verbose=False, download_files=False)
    try:
        _chat, _sources, _box, answer, _status = client.predict(
            SEED_QUESTION, "", "", [], [], api_name="/ask"
        )
    finally:
        client.close()
    assert not answer["refused"], answer
    assert "biomedicine" in answer["text"]
    assert any(c["doc_id"] == SEED_DOC for c in answer["citations"])


@pytest.mark.ui
def test_client_without_credentials_cannot_connect(secured):
    from gradio_client import Client

    with pytest.raises(Exception):  # noqa: B017 - gradio_client raises a plain ValueError
        Client(secured.url + "/", verbose=False, download_files=False)


# --- serve(): auth parsing and the exposure warning, without binding anything ---------------
class _Stop(Exception):
    """Raised in place of opening the index: serve() got past its checks."""


def _serve_until_index(monkeypatch, **kwargs) -> dict:
    """Run serve() up to ``ReadoutQA(...)``; the keyword arguments it was opened with."""
    from readout_qa.ui import server

    opened: dict = {}

    def stop(*_a, **k):
        opened.update(k)
        raise _Stop

    monkeypatch.setattr(server, "ReadoutQA", stop)
    with pytest.raises(_Stop):
        server.serve(**kwargs)
    return opened


@pytest.mark.parametrize("bad", ["analyst", "analyst:", ":s3cret", ":"])
def test_serve_refuses_malformed_auth_env(monkeypatch, bad):
    from readout_qa.ui import server

    monkeypatch.setenv("READOUT_QA_AUTH", bad)
    monkeypatch.setattr(server, "ReadoutQA", lambda *a, **k: pytest.fail("serve() went on"))
    with pytest.raises(ValueError, match=r"user:password"):
        server.serve(host="127.0.0.1", port=free_port())


def _app_main():
    """``main`` of the project's app.py, loaded as a module."""
    import importlib.util

    from conftest import ROOT

    spec = importlib.util.spec_from_file_location("readout_qa_app_py", ROOT / "app.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.main


def test_app_py_reports_malformed_auth_as_usage_error(monkeypatch, capsys):
    from readout_qa.ui import server

    monkeypatch.delenv("READOUT_QA_AUTH", raising=False)
    monkeypatch.setattr(server, "ReadoutQA", lambda *a, **k: pytest.fail("serve() went on"))
    with pytest.raises(SystemExit) as exit_:
        _app_main()(["--auth", "no-colon-here"])
    assert exit_.value.code == 2
    assert "user:password" in capsys.readouterr().err


def test_cli_serve_reports_malformed_auth_as_usage_error(monkeypatch):
    from typer.testing import CliRunner

    from readout_qa.cli import app
    from readout_qa.ui import server

    monkeypatch.delenv("READOUT_QA_AUTH", raising=False)
    monkeypatch.setattr(server, "ReadoutQA", lambda *a, **k: pytest.fail("serve() went on"))
    got = CliRunner().invoke(app, ["serve", "--auth", "no-colon-here"])
    assert got.exit_code == 2, got.output
    assert "user:password" in got.output


@pytest.mark.parametrize("command", ["app.py", "readout-qa serve"])
def test_app_py_and_cli_serve_share_one_option_set(monkeypatch, tmp_path, command):
    """Both command lines reach serve() with every option, --answerer and --corpus too."""
    from typer.testing import CliRunner

    import readout_qa.ui
    from readout_qa.cli import app

    calls: list[dict] = []
    monkeypatch.setattr(readout_qa.ui, "serve", lambda **kw: calls.append(kw))
    args = ["--host", "0.0.0.0", "--port", "7001", "--data-dir", str(tmp_path)]
    args += ["--corpus", "a", "--corpus", "b", "--auth", "u:p", "--answerer", "extractive"]
    args += ["--local-model", "m.gguf"]
    if command == "app.py":
        with pytest.raises(SystemExit) as exit_:
            _app_main()(args)
        assert exit_.value.code == 0
    else:
        got = CliRunner().invoke(app, ["serve", *args])
        assert got.exit_code == 0, got.output
    assert calls == [
        {
            "host": "0.0.0.0",
            "port": 7001,
            "data_dir": tmp_path,
            "corpus": [Path("a"), Path("b")],
            "auth": "u:p",
            "answerer": "extractive",
            "local_model": Path("m.gguf"),
        }
    ]


def test_serve_rejects_an_unknown_answerer(monkeypatch, capsys):
    import readout_qa.ui

    monkeypatch.setattr(readout_qa.ui, "serve", lambda **kw: pytest.fail("serve() was called"))
    with pytest.raises(SystemExit) as exit_:
        _app_main()(["--answerer", "oracle"])
    assert exit_.value.code == 2
    assert "extractive or llm" in capsys.readouterr().err


def test_parse_auth():
    from readout_qa.ui import parse_auth

    assert parse_auth(None) is None and parse_auth("") is None
    assert parse_auth("analyst:s3cret") == ("analyst", "s3cret")
    assert parse_auth("analyst:pa:ss") == ("analyst", "pa:ss")


@pytest.mark.parametrize(
    ("host", "auth", "warned"),
    [
        ("0.0.0.0", None, True),
        ("192.168.1.20", None, True),
        ("::", None, True),
        ("example.org", None, True),
        ("0.0.0.0", "analyst:s3cret", False),
        ("127.0.0.1", None, False),
        ("127.0.0.2", None, False),
        ("localhost", None, False),
        ("::1", None, False),
        ("[::1]", None, False),
    ],
)
def test_serve_warns_when_exposed_without_auth(monkeypatch, capsys, host, auth, warned):
    monkeypatch.delenv("READOUT_QA_AUTH", raising=False)
    _serve_until_index(monkeypatch, host=host, port=7999, auth=auth, data_dir=Path("/nonexistent"))
    err = capsys.readouterr().err
    if warned:
        assert "WARNING" in err and "without a password" in err and host in err, err
    else:
        assert "WARNING" not in err, err


def test_serve_takes_auth_from_the_environment(monkeypatch, capsys):
    monkeypatch.setenv("READOUT_QA_AUTH", "analyst:s3cret")
    _serve_until_index(monkeypatch, host="0.0.0.0", port=7999, data_dir=Path("/nonexistent"))
    assert "WARNING" not in capsys.readouterr().err


def test_serve_opens_the_index_with_one_settings(monkeypatch):
    """The index gets the Settings serve() checked the login with, environment included."""
    monkeypatch.setenv("READOUT_QA_MAX_FILE_MB", "3")
    monkeypatch.setenv("READOUT_QA_AUTH", "env:user")
    opened = _serve_until_index(
        monkeypatch, host="127.0.0.1", port=7999, auth="cli:user", data_dir="/nonexistent"
    )
    settings = opened["settings"]
    assert settings.max_file_mb == 3
    assert settings.auth == "cli:user"  # the command line wins over the environment
    assert settings.data_dir == Path("/nonexistent")
