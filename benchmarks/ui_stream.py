"""What the web UI adds to ``ask``: per-question overhead through Gradio and in Chromium.

Starts ``app.py`` on a free loopback port over the index (``_common.open_index``), then for
each of ``--queries`` gold questions:

1. ``ask`` in this process, twice: the first call uncached, the second with the query
   vector cached (the same index files, the same code);
2. the question typed into headless Chromium (``/usr/bin/chromium`` via playwright): the time
   from the Enter keydown to the first answer text in the chat and to the sources panel
   showing the final answer (the last streamed update), timed inside the page. The app process sees the question for the first
   time, so this is compared with the uncached ``ask``;
3. the same question through ``gradio_client`` ``/ask`` (``predict``: submit, stream, final
   outputs), which the app has now cached, so it is compared with the cached ``ask``.

Overhead = UI time - ``ask`` time of the same question. A no-op event through
``gradio_client`` (``/new_conversation``: it renders only the empty sources panel) shows the
floor that the client itself adds to any event: it polls its message queue every 50 ms
(``gradio_client/utils.py``) and builds a new ``httpx`` client per request (``ssl_verify=False``
here, which is sound on plain-http loopback and saves ~20 ms of certificate loading each).

    python benchmarks/ui_stream.py [folders...] [--queries 30] [--data-dir DIR] [--no-browser]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as C  # noqa: E402

os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"
CHROMIUM = Path("/usr/bin/chromium")
DONE = "#roq-chat .roq-answer:not(.roq-pending), #roq-chat .roq-refusal"
FINAL = "#roq-sources .roq-sources[data-turn='{turn}']"


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_app(data_dir: str, src: Path) -> tuple[subprocess.Popen, str, Path]:
    port = _free_port()
    log_path = Path(tempfile.mkstemp(prefix="bench-ui-stream-", suffix=".log")[1])
    env = {**os.environ, "PYTHONPATH": str(src)}
    cmd = [sys.executable, str(C.REPO / "app.py"), "--port", str(port), "--data-dir", data_dir]
    with open(log_path, "w") as logf:
        proc = subprocess.Popen(cmd, cwd=C.REPO, stdout=logf, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.time() + 180
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"app exited with {proc.returncode}: {log_path.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return proc, url, log_path
        except OSError:
            time.sleep(0.25)
    raise TimeoutError(f"{url} did not answer")


# In the page: the time of the Enter keydown and of the first DOM change showing the answer
# and the final sources panel (a MutationObserver), so that Playwright's own round trips to
# the browser are not counted as the UI's.
_WATCH = """([done, n, final]) => {
  const box = document.querySelector('#roq-question textarea');
  window.__roq = {};
  box.addEventListener('keydown', e => { if (e.key === 'Enter') window.__roq.t0 = performance.now(); },
                       {once: true, capture: true});
  const obs = new MutationObserver(() => {
    const now = performance.now();
    if (window.__roq.first === undefined && document.querySelectorAll(done).length > n)
      window.__roq.first = now;
    if (window.__roq.first !== undefined && document.querySelector(final)) {
      window.__roq.final = now;  // the answer and its sources both shown
      obs.disconnect();
    }
  });
  obs.observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true});
}"""


def _browser_ask(page: Any, question: str, turn: int) -> tuple[float, float]:
    """Seconds from Enter to the first answer text and to the final sources panel, timed in
    the page (keydown to DOM change)."""
    n_before = page.locator(DONE).count()
    page.fill("#roq-question textarea", question)
    final_sel = FINAL.format(turn=turn)
    page.evaluate(_WATCH, [DONE, n_before, final_sel])
    page.press("#roq-question textarea", "Enter")
    page.wait_for_function("() => window.__roq.final !== undefined", timeout=30_000)
    got = page.evaluate("() => window.__roq")
    return (got["first"] - got["t0"]) / 1000, (got["final"] - got["t0"]) / 1000


_WATCH_CLEAR = """(done) => {
  window.__roq = {};
  document.addEventListener('click', () => { window.__roq.t0 = performance.now(); },
                            {once: true, capture: true});
  const obs = new MutationObserver(() => {
    if (document.querySelectorAll(done).length === 0) {
      window.__roq.final = performance.now();
      obs.disconnect();
    }
  });
  obs.observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true});
}"""


def _browser_new_conversation(page: Any) -> float:
    """Seconds from a click on "New conversation" to the emptied chat, timed in the page:
    the least a Gradio event costs there (a round trip and one re-render), whatever the
    handler does."""
    page.evaluate(_WATCH_CLEAR, DONE)
    page.get_by_role("button", name="New conversation").click()
    page.wait_for_function("() => window.__roq.final !== undefined", timeout=30_000)
    got = page.evaluate("() => window.__roq")
    return (got["final"] - got["t0"]) / 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    C.corpus_args(parser)
    parser.add_argument("--queries", type=int, default=30)
    parser.add_argument("--data-dir", default=None, help="use this index as is")
    parser.add_argument("--no-browser", action="store_true", help="gradio_client only")
    parser.add_argument(
        "--app-src",
        default=str(C.REPO / "src"),
        help="package source the app runs from (e.g. an older commit's, for a before/after)",
    )
    parser.add_argument("--label", default="", help="a note stored with the results")
    parser.add_argument("--turns-per-page", type=int, default=10, help="new page after N turns")
    args = parser.parse_args()

    from readout_qa.evals.gold import load_gold

    qa, index_info = C.open_index(C.corpus_paths(args), args.data_dir)
    data_dir = str(qa.data_dir)
    qs = [g.question for g in load_gold(args.gold)][: args.queries]
    load_at_start = C.machine()["loadavg"]
    qa.ask("warm-up question about a phone call")  # loads the model and the keyword index
    ask_cold, ask_warm = [], []
    for q in qs:
        t = time.perf_counter()
        qa.ask(q)
        ask_cold.append(time.perf_counter() - t)
        t = time.perf_counter()
        qa.ask(q)
        ask_warm.append(time.perf_counter() - t)
    C.log(f"ask in process: {C.summary_ms(ask_cold)}")

    proc, url, log_path = _start_app(data_dir, Path(args.app_src))
    browser_first: list[float] = []
    browser_final: list[float] = []
    browser_noop: list[float] = []
    client_s: list[float] = []
    noop_s: list[float] = []
    try:
        from gradio_client import Client

        if not args.no_browser and CHROMIUM.exists():
            from playwright.sync_api import sync_playwright

            with sync_playwright() as p:
                browser = p.chromium.launch(
                    executable_path=str(CHROMIUM),
                    headless=True,
                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
                )
                page = None
                turn = 0
                for i, q in enumerate(["warm-up question about a phone call", *qs]):
                    if page is None or turn >= args.turns_per_page:
                        if page is not None:
                            page.close()
                        page = browser.new_page(viewport={"width": 1400, "height": 950})
                        page.goto(url)
                        page.wait_for_selector("#roq-question textarea", timeout=30_000)
                        turn = 0
                    first, final = _browser_ask(page, q, turn)
                    turn += 1
                    if i:  # not the warm-up
                        browser_first.append(first)
                        browser_final.append(final)
                    if turn == args.turns_per_page:  # a full chat: time "New conversation"
                        browser_noop.append(_browser_new_conversation(page))
                        turn = 0
                browser.close()
            C.log(f"browser final: {C.summary_ms(browser_final)}")
        client = Client(url, verbose=False, download_files=False, ssl_verify=False)
        client.predict("warm-up question about a phone call", "", "", [], [], api_name="/ask")
        for q in qs:
            t = time.perf_counter()
            client.predict(q, "", "", [], [], api_name="/ask")
            client_s.append(time.perf_counter() - t)
            t = time.perf_counter()
            client.predict(api_name="/new_conversation")
            noop_s.append(time.perf_counter() - t)
        C.log(f"gradio_client: {C.summary_ms(client_s)}")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log_path.unlink(missing_ok=True)

    def over(ui: list[float], base: list[float]) -> dict[str, float]:
        return C.summary_ms([u - b for u, b in zip(ui, base, strict=True)])

    data: dict[str, Any] = {
        "index": index_info,
        "loadavg_at_start": load_at_start,
        "app_src": args.app_src,
        "label": args.label,
        "queries": len(qs),
        "ask_uncached": C.summary_ms(ask_cold),
        "ask_cached": C.summary_ms(ask_warm),
        "gradio_client_ask": C.summary_ms(client_s),
        "gradio_client_overhead_vs_cached_ask": over(client_s, ask_warm),
        "gradio_client_noop_round_trip": C.summary_ms(noop_s),
    }
    if browser_final:
        data["chromium_first_text"] = C.summary_ms(browser_first)
        data["chromium_final"] = C.summary_ms(browser_final)
        data["chromium_overhead_vs_uncached_ask"] = over(browser_final, ask_cold)
        data["chromium_noop_new_conversation"] = C.summary_ms(browser_noop)
    rows = [
        ["`ask` in process, uncached", *_pp(data["ask_uncached"])],
        ["`ask` in process, query cached", *_pp(data["ask_cached"])],
        ["gradio_client `/ask` (app has the query cached)", *_pp(data["gradio_client_ask"])],
        ["- overhead over cached `ask`", *_pp(data["gradio_client_overhead_vs_cached_ask"])],
        [
            "gradio_client no-op event (`/new_conversation`)",
            *_pp(noop_s and data["gradio_client_noop_round_trip"]),
        ],
    ]
    if browser_final:
        rows += [
            ["Chromium: Enter -> first answer text", *_pp(data["chromium_first_text"])],
            ["Chromium: Enter -> final answer and sources", *_pp(data["chromium_final"])],
            ["- overhead over uncached `ask`", *_pp(data["chromium_overhead_vs_uncached_ask"])],
            [
                'Chromium no-op event ("New conversation" on a full chat)',
                *_pp(browser_noop and data["chromium_noop_new_conversation"]),
            ],
        ]
    md = (
        f"{len(qs)} gold questions, index {index_info.get('data_dir')} "
        f"({index_info.get('readouts')} readouts). Load average at start "
        f"{load_at_start}.\n\n" + C.md_table(["ms", "p50", "p95", "max"], rows) + "\n"
    )
    C.write_results("ui_stream" + (f"_{args.label}" if args.label else ""), data, md)
    print(md)


def _pp(s: Any) -> list[Any]:
    if not s:
        return ["n/a"] * 3
    return [s["p50_ms"], s["p95_ms"], s["max_ms"]]


if __name__ == "__main__":
    main()
