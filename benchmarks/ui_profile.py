"""Where the time of one question goes in the web UI: a Chromium trace beside Gradio's own.

Starts ``app.py`` (``GRADIO_PROFILING=1``: Gradio records, per queued event, the queue
wait, pre-processing, the handler and post-processing) on a free loopback port over the
index, then asks ``--queries`` gold questions in headless Chromium (``/usr/bin/chromium``
via playwright), ten turns per page as ``ui_stream.py`` does, each under a DevTools trace
(``toplevel``, ``devtools.timeline``, ``blink.user_timing``). For each question:

* the page marks the Enter keydown and the first DOM change showing the final answer with
  its sources (``performance.mark``, so the marks are in the trace's clock);
* the trace gives when Gradio's requests left and what came back: the ``queue/join`` POST,
  the ``queue/data`` event stream and each chunk of it (``ResourceReceivedData``);
* Gradio's server trace gives when the handler started (wall clock, mapped onto the
  trace through ``performance.timeOrigin``) and how long each server phase took;
* the renderer's main thread is split into scripting, style, layout, paint/composite, GC
  and other, by the self time of each trace event, and into the windows before the join
  POST left, while the server worked and after the final data arrived.

The same for a no-op event ("New conversation" on a chat of ``--noop-turns`` turns),
``--noops`` times. With several ``--app-src`` (for example an older commit's ``src`` and
this one's), one app per source runs side by side and every question and no-op is done on
each, in alternating order: the differences are paired (same question, same index, same
moment of machine load). Tracing costs time itself: compare the totals here with each
other, and ``ui_stream.py``'s untraced figures with its own.

    python benchmarks/ui_profile.py [folders...] [--queries 20] [--data-dir DIR]
        [--app-src SRC --app-src SRC2] [--names old,new] [--label L]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import urllib.request
from collections import defaultdict
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as C  # noqa: E402
import ui_stream as S  # noqa: E402

CATEGORIES = ["toplevel", "devtools.timeline", "blink.user_timing"]
WARM_UP = "warm-up question about a phone call"

# Trace event name -> kind of main-thread work; an event of another name counts as the
# kind of its nearest named ancestor (a task's own bookkeeping is "other").
KIND = {
    **dict.fromkeys(
        [
            "FunctionCall",
            "TimerFire",
            "EventDispatch",
            "RunMicrotasks",
            "FireAnimationFrame",
            "EvaluateScript",
            "v8.run",
            "v8.callFunction",
            "V8.Execute",
            "XHRReadyStateChange",
            "FireIdleCallback",
        ],
        "scripting",
    ),
    **dict.fromkeys(["UpdateLayoutTree", "RecalculateStyles", "ParseAuthorStyleSheet"], "style"),
    **dict.fromkeys(["Layout", "UpdateLayout"], "layout"),
    **dict.fromkeys(
        ["PrePaint", "Paint", "Layerize", "Commit", "UpdateLayer", "CompositeLayers"], "paint"
    ),
    **dict.fromkeys(["MinorGC", "MajorGC", "V8.GC_SCAVENGER", "BlinkGC.AtomicPhase"], "gc"),
    "ParseHTML": "parse HTML",
}
KINDS = ["scripting", "style", "layout", "paint", "gc", "parse HTML", "other"]

# In the page: marks for the trigger (Enter keydown or a click) and for the moment the
# answer (or the emptied chat) is shown; resolves when it is. ``performance.timeOrigin``
# maps the page's clock onto the wall clock of Gradio's server trace.
_WATCH = """([trigger, selector, minCount, maxCount, final]) => {
  performance.clearMarks();
  window.__roq = {origin: performance.timeOrigin};
  const ok = () => {
    const n = document.querySelectorAll(selector).length;
    return n >= minCount && n <= maxCount && (!final || document.querySelector(final));
  };
  window.__roqDone = new Promise((resolve) => {
    const obs = new MutationObserver(() => {
      if (window.__roq.t0 === undefined || !ok()) return;
      window.__roq.t1 = performance.mark('roq-done').startTime;
      obs.disconnect();
      // two frames later: the frame that painted it is in the trace
      requestAnimationFrame(() => requestAnimationFrame(() => resolve(window.__roq)));
    });
    obs.observe(document.body, {subtree: true, childList: true, characterData: true,
                                attributes: true});
  });
  const mark = () => { window.__roq.t0 = performance.mark('roq-start').startTime; };
  if (trigger === 'enter') {
    document.querySelector('#roq-question textarea').addEventListener('keydown',
      (e) => { if (e.key === 'Enter') mark(); }, {once: true, capture: true});
  } else {
    document.addEventListener('click', mark, {once: true, capture: true});
  }
}"""


# ------------------------------------------------------------------------------ trace
def _events(raw: bytes) -> list[dict[str, Any]]:
    data = json.loads(raw)
    return data["traceEvents"] if isinstance(data, dict) else data


def _main_thread(events: list[dict[str, Any]]) -> tuple[int, int]:
    """(pid, tid) of the renderer main thread that holds our marks."""
    pid = next(e["pid"] for e in events if e.get("name") == "roq-start")
    tid = next(
        e["tid"]
        for e in events
        if e.get("ph") == "M"
        and e.get("name") == "thread_name"
        and e["pid"] == pid
        and e["args"].get("name") == "CrRendererMain"
    )
    return pid, tid


def _self_times(main: list[dict[str, Any]], lo: float, hi: float) -> dict[str, float]:
    """Milliseconds of main-thread work by kind within [lo, hi] (µs, trace clock): the self
    time of each complete event, clipped to the window, under its own or its ancestor's kind."""
    out = dict.fromkeys(KINDS, 0.0)
    spans = sorted(
        (e for e in main if e.get("ph") == "X" and "dur" in e),
        key=lambda e: (e["ts"], -e["dur"]),
    )
    stack: list[tuple[float, str, list[float]]] = []  # (end, kind, [child time in window])

    def clip(a: float, b: float) -> float:
        return max(0.0, min(b, hi) - max(a, lo))

    def pop() -> None:
        end, kind, acc = stack.pop()
        out[kind] += acc[1] - acc[0]

    for e in spans:
        start, end = e["ts"], e["ts"] + e["dur"]
        while stack and stack[-1][0] <= start:
            pop()
        inherited = stack[-1][1] if stack else "other"
        kind = KIND.get(e["name"], inherited)
        inside = clip(start, end)
        if stack:
            stack[-1][2][0] += inside  # the parent's self time excludes this child
        stack.append((end, kind, [0.0, inside]))
    while stack:
        pop()
    return {k: round(v / 1000, 3) for k, v in out.items()}


def analyse(raw: bytes, page_times: dict[str, float], server: dict[str, Any] | None) -> dict:
    """One traced event, as milliseconds from the trigger (keydown or click)."""
    events = _events(raw)
    pid, tid = _main_thread(events)
    marks = {e["name"]: e["ts"] for e in events if e.get("name") in ("roq-start", "roq-done")}
    t0, t1 = marks["roq-start"], marks["roq-done"]
    main = [e for e in events if e["pid"] == pid and e["tid"] == tid]

    def ms(ts: float) -> float:
        return round((ts - t0) / 1000, 3)

    sent: dict[str, tuple[float, str]] = {}
    chunks: dict[str, list[float]] = defaultdict(list)
    for e in main:
        d = e.get("args", {}).get("data", {})
        if e["name"] == "ResourceSendRequest" and "gradio_api" in d.get("url", ""):
            sent[d["requestId"]] = (e["ts"], d["url"].split("gradio_api/")[-1].split("?")[0])
        elif e["name"] == "ResourceReceivedData":
            chunks[d.get("requestId", "")].append(e["ts"])
    after = sorted((ts, rid, url) for rid, (ts, url) in sent.items() if ts >= t0)
    request = next((x for x in after if x[0] <= t1), None)
    out: dict[str, Any] = {"total": ms(t1)}
    if request is None:
        return out
    ts_req, rid_req, url_req = request
    out["request"] = url_req
    out["to_request_sent"] = ms(ts_req)
    data_chunks = [ts for ts in chunks.get(rid_req, []) if ts <= t1]
    stream = next((x for x in after if x[2] == "queue/data" and x[0] <= t1), None)
    if stream is not None:
        out["to_stream_opened"] = ms(stream[0])
        data_chunks = [ts for ts in chunks.get(stream[1], []) if ts <= t1]
    if data_chunks:
        out["to_first_data"] = ms(data_chunks[0])
        out["to_final_data"] = ms(data_chunks[-1])
        out["data_chunks"] = len(data_chunks)
        out["final_data_to_shown"] = round(out["total"] - out["to_final_data"], 3)
    commit = [e["ts"] + e.get("dur", 0) for e in main if e["name"] == "Commit" and e["ts"] >= t1]
    if commit:
        out["shown_to_frame_committed"] = ms(min(commit)) - out["total"]
    out["main_thread_ms"] = _self_times(main, t0, t1)
    out["main_thread_before_request"] = _self_times(main, t0, ts_req)
    if data_chunks:
        out["main_thread_after_final_data"] = _self_times(main, data_chunks[-1], t1)
    if server:
        # server wall clock -> trace clock, through the page's wall-clock origin
        t0_wall_ms = page_times["origin"] + page_times["t0"]
        start = server["timestamp"] * 1000 - t0_wall_ms
        out["server_received"] = round(start - server["queue_wait_ms"], 3)
        out["server_handler_start"] = round(start, 3)
        out["server_done"] = round(start + server["total_ms"], 3)
        for key in ("queue_wait", "preprocess", "fn_call", "postprocess", "streaming_diff"):
            out[f"server_{key}"] = round(server[f"{key}_ms"], 3)
        out["server_total"] = round(server["total_ms"], 3)
        out["server_iterations"] = server["n_iterations"]
        if "to_final_data" in out:
            out["server_done_to_final_data"] = round(out["to_final_data"] - out["server_done"], 3)
    return out


# ------------------------------------------------------------------------------ browser
class App:
    """One app process over the index, its pages and its server trace."""

    def __init__(self, name: str, src: Path, data_dir: str, browser: Any) -> None:
        self.name, self.browser = name, browser
        os.environ["GRADIO_PROFILING"] = "1"
        self.proc, self.url, self.log_path = S._start_app(data_dir, src)
        self.page: Any = None
        self.turn = 0
        self.server_seen: set[str] = set()
        self.keep: Path | None = None

    def new_page(self) -> None:
        if self.page is not None:
            self.page.close()
        self.page = self.browser.new_page(viewport={"width": 1400, "height": 950})
        self.page.goto(self.url)
        self.page.wait_for_selector("#roq-question textarea", timeout=30_000)
        self.turn = 0

    def server_traces(self, fn_name: str) -> list[dict[str, Any]]:
        """Gradio's traces of ``fn_name`` not returned before, oldest first."""
        with urllib.request.urlopen(self.url + "gradio_api/profiling/traces") as r:
            traces = json.loads(r.read())
        new = [
            t for t in traces if t["fn_name"] == fn_name and t["event_id"] not in self.server_seen
        ]
        self.server_seen.update(t["event_id"] for t in traces)
        return sorted(new, key=lambda t: t["timestamp"])

    def traced(self, action: Any, watch: list[Any], fn_name: str) -> dict[str, Any]:
        """Run ``action`` under a trace; its analysis with the server's trace of it."""
        self.server_traces(fn_name)  # forget the older ones
        self.page.evaluate(S_WATCH, watch)
        self.browser.start_tracing(page=self.page, categories=CATEGORIES)
        action()
        got = self.page.evaluate(_DONE_OR_TIMEOUT)
        raw = self.browser.stop_tracing()
        if got is None:
            raise TimeoutError(f"{self.name}: {fn_name} not shown within {TIMEOUT_MS} ms")
        if self.keep:
            self.keep.mkdir(parents=True, exist_ok=True)
            n = len(list(self.keep.glob(f"{self.name}-{fn_name}-*.json")))
            (self.keep / f"{self.name}-{fn_name}-{n:02d}.json").write_bytes(raw)
        time.sleep(0.05)
        server = self.server_traces(fn_name)
        return analyse(raw, got, server[0] if server else None)

    def ask(self, question: str, trace: bool) -> dict[str, Any] | None:
        if self.page is None or self.turn >= 10:
            self.new_page()
        page = self.page
        n = page.locator(S.DONE).count()
        page.fill("#roq-question textarea", question)
        watch = ["enter", S.DONE, n + 1, 10**6, S.FINAL.format(turn=self.turn)]
        self.turn += 1
        if not trace:
            page.evaluate(S_WATCH, watch)
            page.press("#roq-question textarea", "Enter")
            if page.evaluate(_DONE_OR_TIMEOUT) is None:
                raise TimeoutError(f"{self.name}: untraced question not shown")
            return None
        return self.traced(lambda: page.press("#roq-question textarea", "Enter"), watch, "ask")

    def new_conversation(self) -> dict[str, Any]:
        watch = ["click", S.DONE, 0, 0, None]
        button = self.page.get_by_role("button", name="New conversation")
        button.wait_for()
        result = self.traced(button.click, watch, "new_conversation")
        self.turn = 0
        return result

    def stop(self) -> None:
        if self.page is not None:
            self.page.close()
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log_path.unlink(missing_ok=True)


S_WATCH = _WATCH
TIMEOUT_MS = 30_000
_DONE_OR_TIMEOUT = f"() => Promise.race([window.__roqDone, new Promise(r => setTimeout(() => r(null), {TIMEOUT_MS}))])"


def _noop(app: App, qs: list[str], i: int, turns: int) -> dict[str, Any]:
    """A chat of ``turns`` (cached) questions, then "New conversation" under a trace."""
    app.new_page()
    for j in range(turns):
        app.ask(qs[(i + j) % len(qs)], trace=False)
    return app.new_conversation()


def _paired_round(apps: list[App], i: int, run: Any) -> dict[str, dict[str, Any]] | None:
    """``run(app)`` on every app, in an order that alternates with ``i``; None (the round is
    dropped for all, so that the pairs stay pairs) when one of them timed out."""
    out = {}
    for app in apps if i % 2 == 0 else apps[::-1]:
        try:
            out[app.name] = run(app)
        except TimeoutError as exc:
            C.log(f"dropped: {exc}")
            app.page = None  # a fresh page next time
            return None
    return out


def handler_vs_ask(qa: Any, qs: list[str]) -> tuple[list[float], list[float], list[float]]:
    """Seconds per question of ``ask`` uncached, then of ``ask`` and of the UI's ask handler
    (all its updates) with everything each of them computes for that question already
    cached, these two in alternating order: what the handler adds to ``ask`` (streaming,
    rendering the chat and the sources panel), without what a first call costs. (The
    handler passes the conversation so far to ``qa.stream``, which may search for other
    passages than ``ask`` alone: hence its own warm-up call, with the same conversation.)
    The conversation grows and restarts every ten turns, as in the browser."""
    from readout_qa.ui import handlers

    cold, warm, handler_s = [0.0] * len(qs), [0.0] * len(qs), [0.0] * len(qs)
    turns: list = []
    last: Any = None

    def ask(i: int) -> None:
        t = time.perf_counter()
        qa.ask(qs[i])
        warm[i] = time.perf_counter() - t

    def handler(i: int) -> None:
        nonlocal last
        t = time.perf_counter()
        *_, last = handlers.ask(qa, qs[i], "", "", [], [], turns)
        handler_s[i] = time.perf_counter() - t

    for i, q in enumerate(qs):
        C.clear_query_cache()
        t = time.perf_counter()
        qa.ask(q)
        cold[i] = time.perf_counter() - t
        for _ in handlers.ask(qa, q, "", "", [], [], turns):  # warms the handler's caches
            pass
        for step in (ask, handler) if i % 2 == 0 else (handler, ask):
            step(i)
        turns = last.turns if len(last.turns) < 10 else []
    return cold, warm, handler_s


# ------------------------------------------------------------------------------ summary
def _median(values: list[float]) -> float | None:
    return round(C.pct(values, 50), 2) if values else None


def summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Medians of every timing, and of each kind of main-thread work per window."""
    keys = sorted({k for r in runs for k, v in r.items() if isinstance(v, int | float)})
    out: dict[str, Any] = {"n": len(runs)}
    for k in keys:
        out[k] = _median([r[k] for r in runs if k in r])
    out["p95_total"] = round(C.pct([r["total"] for r in runs], 95), 2)
    for window in ("main_thread_ms", "main_thread_before_request", "main_thread_after_final_data"):
        out[window] = {
            kind: _median([r[window][kind] for r in runs if window in r]) for kind in KINDS
        }
        out[window]["busy"] = _median([sum(r[window].values()) for r in runs if window in r])
    return out


PHASES = [
    ("to_request_sent", "Enter/click -> request sent (page JS, waiting for a frame)"),
    ("server_received", "-> server has the request"),
    ("server_handler_start", "-> handler starts (queue)"),
    ("to_stream_opened", "event stream opened (from the trigger)"),
    ("to_first_data", "first data on the stream (from the trigger)"),
    ("server_done", "server done (from the trigger)"),
    ("to_final_data", "final data in the page (from the trigger)"),
    ("total", "answer and sources shown (from the trigger)"),
    ("p95_total", "- p95"),
]
DURATIONS = [
    ("server_queue_wait", "server: queue wait"),
    ("server_preprocess", "server: pre-processing"),
    ("server_fn_call", "server: handler (ask, rendering, streaming)"),
    ("ask_in_process", "`ask` in process, same question, uncached"),
    ("handler_in_process", "the ask handler in process, same question, caches warm"),
    ("handler_minus_ask", "- handler over `ask`, both warm (paired, in process)"),
    ("page_minus_handler", "shown - server handler (Gradio + page, per event)"),
    ("overhead_over_ask", "**overhead over `ask`** (the two above, per question)"),
    ("server_postprocess", "server: post-processing"),
    ("server_streaming_diff", "server: streaming diffs"),
    ("server_total", "server: total"),
    ("server_done_to_final_data", "server done -> final data in the page"),
    ("final_data_to_shown", "final data -> shown (page JS, DOM)"),
    ("shown_to_frame_committed", "shown -> frame committed"),
]


def _table(summaries: dict[str, dict[str, Any]]) -> str:
    names = list(summaries)
    rows: list[list[Any]] = []
    for key, label in PHASES + DURATIONS:
        if any(summaries[n].get(key) is not None for n in names):
            rows.append([label, *[summaries[n].get(key) for n in names]])
    for window, title in (
        ("main_thread_ms", "renderer main thread, trigger -> shown"),
        ("main_thread_before_request", "renderer main thread, trigger -> request sent"),
        ("main_thread_after_final_data", "renderer main thread, final data -> shown"),
    ):
        for kind in [*KINDS, "busy"]:
            vals = [summaries[n].get(window, {}).get(kind) for n in names]
            if any(v for v in vals):
                rows.append([f"{title}: {kind}", *vals])
    return C.md_table(["median ms", *names], rows)


def _paired(runs: dict[str, list[dict[str, Any]]], names: list[str]) -> dict[str, Any]:
    """Per-item differences, each source against the first: of the totals, and (questions)
    of what the page and Gradio add to the server handler, which the server's own noise
    does not blur."""
    base = runs[names[0]]
    out = {}
    for n in names[1:]:
        for key in ("total", "page_minus_handler"):
            diffs = [b[key] - a[key] for a, b in zip(base, runs[n], strict=True) if key in a]
            if not diffs:
                continue
            out[f"{n} - {names[0]}: {key}"] = {
                "median_ms": _median(diffs),
                "mean_ms": round(sum(diffs) / len(diffs), 2),
                "lower_in": f"{sum(d < 0 for d in diffs)} of {len(diffs)}",
            }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    C.corpus_args(parser)
    parser.add_argument("--queries", type=int, default=20)
    parser.add_argument("--noops", type=int, default=20)
    parser.add_argument("--noop-turns", type=int, default=10, help="chat length for a no-op")
    parser.add_argument("--data-dir", default=None, help="use this index as is")
    parser.add_argument("--app-src", action="append", help="package source of an app (repeat)")
    parser.add_argument("--names", default="", help="comma-separated names of the sources")
    parser.add_argument("--label", default="", help="suffix of the result files")
    parser.add_argument("--keep-traces", default=None, help="save the raw traces here")
    args = parser.parse_args()
    srcs = [Path(s).resolve() for s in (args.app_src or [str(C.REPO / "src")])]
    names = args.names.split(",") if args.names else [f"app{i}" for i in range(len(srcs))]
    if len(srcs) == 1 and not args.names:
        names = ["ui"]

    from playwright.sync_api import sync_playwright

    from readout_qa.evals.gold import load_gold

    qa, index_info = C.open_index(C.corpus_paths(args), args.data_dir)
    qs = [g.question for g in load_gold(args.gold)][: args.queries]
    qa.ask(WARM_UP)
    ask_s, warm_s, handler_s = handler_vs_ask(qa, qs)
    load_at_start = C.machine()["loadavg"]
    runs: dict[str, list[dict[str, Any]]] = {n: [] for n in names}
    noops: dict[str, list[dict[str, Any]]] = {n: [] for n in names}
    dropped: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(S.CHROMIUM),
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        apps = [App(n, s, str(qa.data_dir), browser) for n, s in zip(names, srcs, strict=True)]
        try:
            for app in apps:
                app.keep = Path(args.keep_traces) if args.keep_traces else None
                app.ask(WARM_UP, trace=False)
            for i, q in enumerate(qs):
                got = _paired_round(apps, i, lambda app, q=q: app.ask(q, trace=True))
                if got is None:
                    dropped.append(f"question {i + 1}")
                    continue
                for name, r in got.items():
                    r["ask_in_process"] = round(ask_s[i] * 1000, 3)
                    r["handler_in_process"] = round(handler_s[i] * 1000, 3)
                    r["handler_minus_ask"] = round((handler_s[i] - warm_s[i]) * 1000, 3)
                    if "server_fn_call" in r:
                        r["page_minus_handler"] = round(r["total"] - r["server_fn_call"], 3)
                        r["overhead_over_ask"] = round(
                            r["page_minus_handler"] + r["handler_minus_ask"], 3
                        )
                    runs[name].append(r)
                C.log(f"{i + 1}/{len(qs)}: " + ", ".join(f"{n} {got[n]['total']}" for n in names))
            for i in range(args.noops):
                got = _paired_round(apps, i, partial(_noop, qs=qs, i=i, turns=args.noop_turns))
                if got is None:
                    dropped.append(f"no-op {i + 1}")
                    continue
                for name, r in got.items():
                    noops[name].append(r)
                C.log(f"no-op {i + 1}: " + ", ".join(f"{n} {got[n]['total']}" for n in names))
        finally:
            for app in apps:
                app.stop()
            browser.close()

    asks = {n: summarise(runs[n]) for n in names}
    noop = {n: summarise(noops[n]) for n in names if noops[n]}
    data: dict[str, Any] = {
        "index": index_info,
        "loadavg_at_start": load_at_start,
        "sources": dict(zip(names, map(str, srcs), strict=True)),
        "queries": len(qs),
        "dropped_timeouts": dropped,
        "ask": asks,
        "noop_new_conversation": noop,
        "paired_ask": _paired(runs, names) if len(names) > 1 else {},
        "paired_noop": _paired(noops, names) if len(names) > 1 and args.noops else {},
        "runs": runs,
        "noop_runs": noops,
    }
    md = [
        f"{len(qs)} gold questions (medians over them), index {index_info.get('data_dir')} "
        f"({index_info.get('readouts')} readouts), traced in headless Chromium. Load average at "
        f"start {load_at_start}. Times from the Enter keydown (a question) or the click "
        "(no-op), in the page's trace clock; server phases from Gradio's own trace "
        "(GRADIO_PROFILING=1). Tracing slows the page: compare columns, not with ui_stream.\n",
        "## A question\n",
        _table(asks),
    ]
    if noop:
        md += [
            f'\n## A no-op event ("New conversation" on a chat of {args.noop_turns} turns)\n',
            _table(noop),
        ]
    if data["paired_ask"]:
        md += ["\n## Paired differences (same question, alternating order)\n"]
        rows = [["question", k, *v.values()] for k, v in data["paired_ask"].items()]
        rows += [["no-op", k, *v.values()] for k, v in data["paired_noop"].items()]
        md.append(C.md_table(["event", "pair: what", "median ms", "mean ms", "lower in"], rows))
    C.write_results("ui_profile" + (f"_{args.label}" if args.label else ""), data, "\n".join(md))
    print("\n".join(md))


if __name__ == "__main__":
    main()
