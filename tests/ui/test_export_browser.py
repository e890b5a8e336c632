"""Answers out of the web UI, in headless Chromium: "Copy answer with sources" puts the last
answer's Markdown on the clipboard (permissions granted to the page), and "Download
conversation" saves every answer of the conversation as a Markdown file.

Needs the Debian ``chromium`` package at /usr/bin/chromium (skipped with the reason when it
is missing), like ``test_browser.py``.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"

from conftest import SEED  # noqa: E402
from ui_server import launch  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.ui]

CHROMIUM = Path("/usr/bin/chromium")
TIMEOUT_MS = 20_000
SEED_QUESTION = "What fields did Li Keqiang highlight with Belgium?"
SECOND = "Which Chinese official attended the video conference?"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from readout_qa import ReadoutQA
    from readout_qa.ui import build_app

    qa = ReadoutQA(data_dir=tmp_path_factory.mktemp("export-index"), answerer="extractive")
    assert qa.ingest([SEED]).ok
    app = build_app(qa)
    port = launch(app, qa)
    try:
        yield qa, f"http://127.0.0.1:{port}/"
    finally:
        app.close()


@pytest.fixture(scope="module")
def context(tmp_path_factory, server):
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)")
    playwright_api = pytest.importorskip("playwright.sync_api")
    _qa, url = server
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        ctx = browser.new_context(viewport={"width": 1400, "height": 950}, accept_downloads=True)
        ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=url.rstrip("/"))
        try:
            yield ctx
        finally:
            ctx.close()
            browser.close()


def _ask(page, question: str) -> None:
    done = "#roq-chat .roq-answer:not(.roq-pending), #roq-chat .roq-refusal"
    n = page.locator(done).count()
    page.fill("#roq-question textarea", question)
    page.press("#roq-question textarea", "Enter")
    page.wait_for_function(
        "([sel, n]) => document.querySelectorAll(sel).length > n", arg=[done, n], timeout=TIMEOUT_MS
    )


def _clipboard_after_copy(page) -> str:
    page.click("#roq-copy")
    page.wait_for_function(
        "() => (document.querySelector('#roq-copy-status')?.textContent || '').length > 0",
        timeout=TIMEOUT_MS,
    )
    return page.evaluate("() => navigator.clipboard.readText()")


def test_copy_puts_the_answer_with_its_sources_on_the_clipboard(context, server):
    qa, url = server
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector("#roq-question textarea", timeout=TIMEOUT_MS)
    page.click("#roq-copy")  # before any answer: says so, copies nothing
    page.wait_for_function(
        "() => document.querySelector('#roq-copy-status')?.textContent.includes('first')",
        timeout=TIMEOUT_MS,
    )
    _ask(page, SEED_QUESTION)
    deadline = time.monotonic() + 20
    copied = ""
    while time.monotonic() < deadline and "**Sources**" not in copied:
        copied = _clipboard_after_copy(page)  # the export refresh follows the answer
        time.sleep(0.2)
    expected = qa.ask(SEED_QUESTION).to_markdown()
    assert copied == expected
    assert "modern agriculture. [1]" in copied and "- [1] **" in copied and "2021-12-08" in copied
    assert "Copied" in page.inner_text("#roq-copy-status")
    page.close()


def test_download_saves_the_whole_conversation_as_markdown(context, server, tmp_path):
    qa, url = server
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector("#roq-question textarea", timeout=TIMEOUT_MS)
    _ask(page, SEED_QUESTION)
    _ask(page, SECOND)
    button = page.locator("#roq-download")
    deadline = time.monotonic() + 20
    text = ""
    while time.monotonic() < deadline and text.count("### ") < 2:
        if button.is_enabled():
            with page.expect_download(timeout=TIMEOUT_MS) as got:
                button.click()
            path = tmp_path / "conversation.md"
            got.value.save_as(path)
            text = path.read_text(encoding="utf-8")
        time.sleep(0.3)
    assert text.startswith("# Readout QA conversation")
    assert f"### {SEED_QUESTION}" in text and f"### {SECOND}" in text
    assert text.index(SEED_QUESTION) < text.index(SECOND)
    assert "**Sources**" in text and "2021-12-08" in text
    # a new conversation leaves nothing to download
    page.click("text=New conversation")
    page.wait_for_function(
        "() => document.querySelector('#roq-download button, button#roq-download')?.disabled",
        timeout=TIMEOUT_MS,
    )
    page.close()
