"""The web UI in headless Chromium: citations are clickable, readout text is never live HTML.

Needs the Debian ``chromium`` package at /usr/bin/chromium (CI installs it); skipped with a
clear reason when it is missing. The index is the seed readout plus the readouts of
``timeline_readouts``, written to a temporary folder. Leaves screenshots in
``test-artifacts/``: ``ui-seed.png``, ``ui-hostile.png``, ``ui-refusal.png``,
``ui-timeline.png``, ``ui-phone-390.png``, ``ui-tablet-768.png`` and ``ui-timeline-390.png``.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"

from conftest import ROOT, SEED  # noqa: E402
from timeline_readouts import EXPECTED, write_timeline_readouts
from ui_server import launch

pytestmark = [pytest.mark.browser, pytest.mark.ui]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = ROOT / "test-artifacts"
SEED_QUESTION = "What fields did Li Keqiang highlight with Belgium?"
TIMEOUT_MS = 20_000

SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=2">'
HOSTILE_MD = f"""---
title: Readout of the Svalbard Fisheries Talks <img src=x onerror="window.__pwned=4">
date: 2022-03-09
publisher: Ministry of Foreign Affairs of Norland
source: javascript:window.__pwned=5
---
Delegations from Norland and Iceland met in Longyearbyen to discuss capelin fisheries.
The capelin delegates exchanged the note {SCRIPT} during the fisheries talks.
The capelin quota annex was signed as {IMG} by both fisheries delegations.
A template string ${{window.__pwned=3}} and {{{{7*7}}}} appeared in the capelin minutes.
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from readout_qa import ReadoutQA
    from readout_qa.ui import build_app

    data = tmp_path_factory.mktemp("browser-index")
    qa = ReadoutQA(data_dir=data, answerer="extractive")
    timeline = write_timeline_readouts(tmp_path_factory.mktemp("browser-timeline"))
    assert qa.ingest([SEED, *timeline]).ok
    app = build_app(qa)
    port = launch(app, qa)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        app.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            user_data_dir=str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 950},
        )
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(browser, server):
    page = browser.new_page()
    page.goto(server)
    page.wait_for_selector("#roq-question textarea", timeout=TIMEOUT_MS)
    yield page
    page.close()


def _ask(page, question: str) -> float:
    """Type a question, press Enter; returns the seconds until the first answer words."""
    done = "#roq-chat .roq-answer:not(.roq-pending), #roq-chat .roq-refusal"
    n_before = page.locator(done).count()
    t0 = time.perf_counter()
    page.fill("#roq-question textarea", question)
    page.press("#roq-question textarea", "Enter")
    page.wait_for_function(
        "([sel, n]) => document.querySelectorAll(sel).length > n",
        arg=[done, n_before],
        timeout=TIMEOUT_MS,
    )
    first = time.perf_counter() - t0
    page.wait_for_selector("#roq-sources .roq-sources:not([data-turn='-1'])", timeout=TIMEOUT_MS)
    return first


def test_seed_question_citation_highlights_its_source(page):
    first = _ask(page, SEED_QUESTION)
    answer = page.locator("#roq-chat .roq-answer").last
    assert "biomedicine" in answer.inner_text()
    markers = answer.locator("a.roq-cite")
    assert markers.count() >= 1
    assert markers.first.inner_text() == "[1]"

    markers.first.click()
    mark = page.locator("#roq-sources mark#cite-1")
    mark.wait_for(state="visible", timeout=TIMEOUT_MS)
    if "biomedicine" not in mark.inner_text():  # then another marker cites that sentence
        for i in range(markers.count()):
            n = markers.nth(i).inner_text().strip("[]")
            markers.nth(i).click()
            mark = page.locator(f"#roq-sources mark#cite-{n}")
            mark.wait_for(state="visible", timeout=TIMEOUT_MS)
            if "biomedicine" in mark.inner_text():
                break
    assert "biomedicine" in mark.inner_text()
    assert mark.is_visible()
    # scrolled into view inside its box and on the page
    assert page.evaluate(
        """() => {
            const m = document.querySelector('#roq-sources .roq-selected mark');
            const box = m.closest('.roq-body').getBoundingClientRect();
            const r = m.getBoundingClientRect();
            return r.top >= box.top - 1 && r.top < box.bottom
                && r.top >= 0 && r.top < window.innerHeight;
        }"""
    )
    assert "#" not in page.url  # the marker selected the source instead of navigating
    # Gradio's run history is off: no answers or passages are left in the browser's storage
    # (and none re-serialised at every update: benchmarks/ui_profile.py)
    stored = page.evaluate(
        "() => [...Object.keys(localStorage), ...Object.keys(sessionStorage)]"
        ".filter(k => k.startsWith('gradio:run-history'))"
    )
    assert stored == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "ui-seed.png"), full_page=True)
    print(f"\nbrowser time to first answer words: {first * 1000:.0f} ms")

    # A follow-up shows its own sources; a marker of the first answer brings that one back.
    _ask(page, "Who attended it?")
    page.wait_for_selector("#roq-sources .roq-sources[data-turn='1']", timeout=TIMEOUT_MS)
    page.locator("#roq-chat .roq-answer").first.locator("a.roq-cite").first.click()
    page.wait_for_selector("#roq-sources .roq-sources[data-turn='0']", timeout=TIMEOUT_MS)
    page.locator("#roq-sources mark#cite-1").wait_for(state="visible", timeout=TIMEOUT_MS)


def test_examples_set_the_question_and_the_filters(page):
    """An example fills the question box and the filters it names, clearing the others."""
    from readout_qa.ui.examples import EXAMPLES

    filtered = next(e for e in EXAMPLES if e.publishers)
    page.get_by_text(filtered.label, exact=True).click()
    page.wait_for_function(
        "q => document.querySelector('#roq-question textarea').value === q",
        arg=filtered.question,
        timeout=TIMEOUT_MS,
    )
    status = page.locator("#roq-status")
    status.get_by_text(filtered.publishers[0]).wait_for(timeout=TIMEOUT_MS)
    assert "Searching only" in status.inner_text()

    plain = next(e for e in EXAMPLES if not e.publishers)
    page.get_by_text(plain.label, exact=True).click()
    page.wait_for_function(
        "q => document.querySelector('#roq-question textarea').value === q",
        arg=plain.question,
        timeout=TIMEOUT_MS,
    )
    page.wait_for_function(
        "() => !document.querySelector('#roq-status').innerText.includes('Searching only')",
        timeout=TIMEOUT_MS,
    )


def test_readout_markup_is_shown_literally(page, tmp_path):
    hostile = tmp_path / "2022-03-09-svalbard-capelin.md"
    hostile.write_text(HOSTILE_MD, encoding="utf-8")
    page.click("#roq-upload button.label-wrap, #roq-upload >> text=Add readouts")
    page.set_input_files("#roq-files input[type=file]", str(hostile))
    page.get_by_role("button", name="Add to index").click()
    page.wait_for_function(
        """() => [...document.querySelectorAll('#roq-upload td, #roq-upload [role=gridcell]')]
             .some(td => td.innerText.trim() === 'added')""",
        timeout=TIMEOUT_MS,
    )

    _ask(page, "What did the capelin delegates exchange during the fisheries talks?")
    reply = page.locator("#roq-chat .roq-answer").last.inner_text()
    assert SCRIPT in reply
    # open every source so that all readout text is rendered, then look for live markup
    page.evaluate(
        "() => document.querySelectorAll('#roq-sources details').forEach(d => (d.open = true))"
    )
    panel = page.locator("#roq-sources").inner_text()
    assert SCRIPT in panel and IMG in panel
    assert "${window.__pwned=3}" in panel and "{{7*7}}" in panel
    assert 'onerror="window.__pwned=4"' in panel  # the title, as text
    time.sleep(0.3)  # give any injected handler a chance to run
    assert page.evaluate("() => typeof window.__pwned") == "undefined"
    assert page.locator("#roq-sources script, #roq-chat .message script").count() == 0
    assert page.locator("#roq-sources img, #roq-chat .roq-answer img").count() == 0
    # a javascript: source is not turned into a link
    assert page.locator("#roq-sources a[href^='javascript']").count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "ui-hostile.png"), full_page=True)


MARS = "What was agreed about lunar mining rights on Mars?"


def test_refusal_shows_the_closest_passages_and_selects_them(page):
    _ask(page, MARS)
    banner = page.locator("#roq-chat .roq-refusal").last
    assert "The readouts don't say" in banner.inner_text()
    closest = banner.locator(".roq-closest")
    assert closest.locator(".roq-closest-title").inner_text().lower() == (
        "closest passages — not an answer"
    )
    links = closest.locator("a.roq-near")
    assert links.count() >= 2
    assert banner.locator("a.roq-cite").count() == 0  # not citations, not numbered
    panel = page.locator("#roq-sources .roq-sources")
    assert panel.get_attribute("data-selected") == "c1"
    assert page.locator("#roq-sources .roq-badge:visible").count() == 0

    quote = links.nth(1).locator(".roq-near-quote").inner_text().strip("“”")
    links.nth(1).click()
    page.wait_for_selector("#roq-sources .roq-card.roq-selected#src-c2", timeout=TIMEOUT_MS)
    mark = page.locator("#roq-sources mark#cite-c2")
    mark.wait_for(state="visible", timeout=TIMEOUT_MS)
    assert mark.inner_text().split() == quote.split()
    assert page.locator("#roq-sources .roq-card.roq-selected").count() == 1
    assert "#" not in page.url
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "ui-refusal.png"), full_page=True)


_BARS = """() => [...document.querySelectorAll('#roq-tl-chart svg .mark-rect path')]
    .filter(p => p.getBBox().height > 0.5).length"""
_LEGEND = """() => [...document.querySelectorAll('#roq-tl-chart svg .role-legend-label text')]
    .map(t => t.textContent)"""


def _timeline(page, who: str, rows: int) -> None:
    page.fill("#roq-tl-who input, #roq-tl-who textarea", who)
    page.click("#roq-tl-btn")
    page.wait_for_function(
        "([who, n]) => document.querySelector('#roq-tl-status').innerText.includes(who)"
        " && document.querySelectorAll('.roq-tl-row').length === n",
        arg=[who, rows],
        timeout=TIMEOUT_MS,
    )


def test_timeline_view_lists_contacts_charts_them_and_shows_their_readouts(page):
    page.get_by_role("tab", name="Timeline").click()
    _timeline(page, "Xi Jinping", len(EXPECTED))
    dates = page.locator(".roq-tl-row .roq-tl-date").all_inner_texts()
    assert dates == [d for d, _k, _w in EXPECTED]
    kinds = page.locator(".roq-tl-row .roq-kind").all_inner_texts()
    assert kinds == [k for _d, k, _w in EXPECTED]
    # the chart: one bar per contact, coloured by counterpart
    page.wait_for_function(f"() => ({_BARS})() >= {len(EXPECTED)}", timeout=TIMEOUT_MS)
    assert set(page.evaluate(_LEGEND)) == {w for _d, _k, w in EXPECTED}

    # a row shows its contact's readouts, the stating sentence highlighted
    row = page.locator(".roq-tl-row").nth(len(EXPECTED) - 1)  # Woodside: two readouts
    row.locator(".roq-tl-people").click()
    page.wait_for_selector(f"#roq-sources .roq-sources[data-turn='t{len(EXPECTED) - 1}']")
    mark = page.locator("#roq-sources mark#cite-r1")
    mark.wait_for(state="visible", timeout=TIMEOUT_MS)
    assert "Woodside, California" in mark.inner_text()
    assert "roq-tl-on" in (row.get_attribute("class") or "")
    # its second readout (the other government's) is selected in place
    row.locator("a.roq-tl-link").nth(1).click()
    mark = page.locator("#roq-sources mark#cite-r2")
    mark.wait_for(state="visible", timeout=TIMEOUT_MS)
    assert "Filoli Estate" in mark.inner_text()
    assert "#" not in page.url
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "ui-timeline.png"), full_page=True)

    # another search with other counterparts redraws the chart (not only its axes) and
    # renumbers the rows: a row now selects its own contact, not the one shown before
    _timeline(page, "Scholz", 2)
    page.wait_for_function(
        f"() => ({_LEGEND})().includes('Emmanuel Macron') && ({_BARS})() >= 2",
        timeout=TIMEOUT_MS,
    )
    assert "Xi Jinping" in page.evaluate(_LEGEND)
    page.locator(".roq-tl-row").nth(1).locator(".roq-tl-date").click()
    page.wait_for_function(
        "() => document.querySelector('#roq-sources mark#cite-r1')?.innerText"
        ".includes('Macron spoke by phone')",
        timeout=TIMEOUT_MS,
    )


def _no_overlap(page) -> dict:
    """Where the sources panel's content and the footer are on the page (CSS pixels)."""
    return page.evaluate(
        """() => {
            const box = (s) => document.querySelector(s).getBoundingClientRect();
            const src = document.querySelector('#roq-sources');
            return {
                panel_bottom: box('#roq-sources .roq-sources').bottom + scrollY,
                box_bottom: box('#roq-sources').bottom + scrollY,
                footer_top: box('#roq-footer').top + scrollY,
                hidden: src.scrollHeight - src.clientHeight,
                page_width: document.documentElement.scrollWidth,
            };
        }"""
    )


@pytest.mark.parametrize("width", [390, 768])
def test_narrow_screens_keep_the_footer_below_the_sources(browser, server, width):
    page = browser.new_page()
    page.set_viewport_size({"width": width, "height": 844})
    try:
        page.goto(server)
        page.wait_for_selector("#roq-question textarea", timeout=TIMEOUT_MS)
        _ask(page, MARS)  # a refusal: three tall cards of closest passages
        page.locator("#roq-chat a.roq-near").last.click()
        page.wait_for_selector("#roq-sources .roq-card.roq-selected#src-c3", timeout=TIMEOUT_MS)
        where = _no_overlap(page)
        assert where["panel_bottom"] <= where["box_bottom"] + 1, where  # nothing spills out
        assert where["box_bottom"] <= where["footer_top"], where
        assert where["hidden"] <= 1, where  # stacked: the panel is not a scroll box
        assert where["page_width"] <= width, where  # nothing wider than the screen
        name = "ui-phone-390.png" if width == 390 else f"ui-tablet-{width}.png"
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / name), full_page=True)
        if width == 390:
            page.get_by_role("tab", name="Timeline").click()
            _timeline(page, "Xi Jinping", len(EXPECTED))
            page.wait_for_function(f"() => ({_BARS})() >= {len(EXPECTED)}", timeout=TIMEOUT_MS)
            assert _no_overlap(page)["page_width"] <= width  # the table scrolls in its box
            page.locator(".roq-tl-row").first.click()
            page.locator("#roq-sources mark#cite-r1").wait_for(state="visible", timeout=TIMEOUT_MS)
            page.screenshot(path=str(ARTIFACTS / "ui-timeline-390.png"), full_page=True)
    finally:
        page.close()


def test_the_panel_scrolls_inside_its_box_beside_the_chat(page):
    """Wide screens: the sources column stays in view and its overflow scrolls, never spills."""
    _ask(page, MARS)
    page.evaluate(
        "() => document.querySelectorAll('#roq-sources details').forEach(d => (d.open = true))"
    )
    where = _no_overlap(page)
    assert where["box_bottom"] <= where["footer_top"], where
    assert page.evaluate(
        "() => getComputedStyle(document.querySelector('#roq-sources')).overflowY"
    ) in ("auto", "scroll")
