"""Saved web pages and printed PDFs made from real readouts, for the format tests and figures.

A readout's body is wrapped in the chrome a government site puts around it (navigation,
a cookie banner, a "subscribe" box, share links, scripts, JSON-LD, a footer), so that
extraction can be judged word by word: every word of ``BOILERPLATE_WORDS`` that reaches the
extracted body leaked; every body word missing from it was lost. Imported by the tests, by
``scripts/make_format_fixtures.py`` and by ``benchmarks/formats.py``.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

# Words that occur only in the chrome (checked against every fixture's body before use).
NAV = ["Briefing Room", "Administration", "Priorities", "Gallery", "Newsroom", "Contact Us"]
COOKIE = (
    "We use cookies to improve your experience on our website. By continuing to browse you "
    "agree to our cookie policy. Accept all cookies"
)
SUBSCRIBE = (
    "Stay connected. Subscribe to our newsletter and get the latest updates delivered to "
    "your inbox every morning. Enter your email address"
)
SHARE = ["Share on Facebook", "Share on X", "Copy link", "Print this page"]
FOOTER = (
    "Privacy Policy · Accessibility Statement · Copyright Policy · Site Map · "
    "Follow us on Instagram and YouTube. Official website of the publisher."
)
RELATED = ["Related: Remarks at the annual gala", "Related: Statement on the weekly schedule"]


@dataclass
class SourceReadout:
    """A corpora readout read directly (not through the loaders under test)."""

    doc_id: str
    title: str
    date: str
    source: str
    publisher: str
    body: str


def read_source(path: Path) -> SourceReadout:
    """A shared-corpora Markdown file: YAML front matter, a blank line, the body."""
    text = path.read_text(encoding="utf-8")
    _, head, body = text.split("---\n", 2)
    meta = yaml.safe_load(head)
    return SourceReadout(
        doc_id=path.stem,
        title=str(meta["title"]),
        date=str(meta["date"]),
        source=str(meta["source"]),
        publisher=str(meta["publisher"]),
        body=body.strip(),
    )


def paragraphs(body: str) -> list[str]:
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", body) if p.strip()]


def long_date(iso: str) -> str:
    import datetime as dt

    d = dt.date.fromisoformat(iso)
    return f"{d.strftime('%B')} {d.day}, {d.year}"


def page_html(r: SourceReadout, *, meta_date: bool = True, layout: str = "semantic") -> str:
    """A saved page of ``r``: the body in <article>, wrapped in realistic chrome.

    ``meta_date=False`` leaves the date to the visible <time> element and JSON-LD only.
    ``layout="divs"`` is an older site's markup instead: no <nav>/<header>/<article>/<footer>,
    share links and a "related" box inside the content column, between paragraphs."""
    if layout == "divs":
        return _divs_page(r)
    e = html.escape
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": r.title,
        "datePublished": f"{r.date}T10:00:00-05:00",
        "publisher": {"@type": "Organization", "name": r.publisher},
        "mainEntityOfPage": r.source,
    }
    paras = "\n".join(f"      <p>{e(p)}</p>" for p in paragraphs(r.body))
    nav = "".join(f'<li><a href="/{e(n.lower().replace(" ", "-"))}/">{e(n)}</a></li>' for n in NAV)
    share = "".join(f'<li><a href="#share">{e(s)}</a></li>' for s in SHARE)
    related = "".join(f'<li><a href="/related/">{e(s)}</a></li>' for s in RELATED)
    published = (
        f'<meta property="article:published_time" content="{r.date}T10:00:00-05:00">'
        if meta_date
        else ""
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{e(r.title)} | {e(r.publisher)}</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="canonical" href="{e(r.source)}">
  <meta property="og:title" content="{e(r.title)}">
  <meta property="og:site_name" content="{e(r.publisher)}">
  <meta property="og:type" content="article">
  {published}
  <script type="application/ld+json">{json.dumps(ld)}</script>
  <script>window.dataLayer = window.dataLayer || []; function gtag(){{dataLayer.push(arguments);}}
  gtag('js', new Date()); gtag('config', 'G-TRACKING');</script>
  <style>body{{font-family:Georgia,serif;max-width:46rem;margin:auto}}
  @media print {{ header, nav, footer, aside, .cookie-banner, .share {{ display: none }} }}</style>
</head>
<body>
  <div class="cookie-banner" role="dialog"><p>{e(COOKIE)}</p><button>Accept</button></div>
  <header class="site-header">
    <a class="logo" href="/">{e(r.publisher)}</a>
    <nav aria-label="Main"><ul>{nav}</ul></nav>
  </header>
  <main id="main-content">
    <article class="post">
      <h1 class="page-title">{e(r.title)}</h1>
      <p class="meta"><time datetime="{r.date}">{e(long_date(r.date))}</time></p>
{paras}
    </article>
    <aside class="share"><h2>Share this</h2><ul>{share}</ul></aside>
    <aside class="related"><h2>Related news</h2><ul>{related}</ul></aside>
    <aside class="newsletter"><h2>Newsletter</h2><p>{e(SUBSCRIBE)}</p>
      <form><input type="email" placeholder="Email"><button>Subscribe</button></form></aside>
  </main>
  <footer class="site-footer"><p>{e(FOOTER)}</p></footer>
  <script src="/assets/site.js"></script>
</body>
</html>
"""


def _divs_page(r: SourceReadout) -> str:
    """The same readout in div soup, chrome mixed into the content column."""
    e = html.escape
    paras = [f'<div class="para"><p>{e(p)}</p></div>' for p in paragraphs(r.body)]
    box = (
        '<div class="inline-related"><b>Related</b><ul>'
        + "".join(f'<li><a href="/related/">{e(x)}</a></li>' for x in RELATED)
        + "</ul></div>"
    )
    paras.insert(min(2, len(paras)), box)
    menu = " | ".join(f'<a href="/{e(n.lower())}/">{e(n)}</a>' for n in NAV)
    share = " ".join(f'<a class="btn" href="#s">{e(x)}</a>' for x in SHARE)
    return f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{e(r.title)} - {e(r.publisher)}</title>
<meta name="description" content="{e(paragraphs(r.body)[0][:150])}">
<link rel="canonical" href="{e(r.source)}">
<script>var _paq = window._paq || []; _paq.push(['trackPageView']);</script>
</head><body>
<div id="top"><div class="brand">{e(r.publisher)}</div><div class="menu">{menu}</div></div>
<div id="cookies"><p>{e(COOKIE)}</p><a href="#ok">Accept</a></div>
<div id="wrap"><div class="col-main">
<div class="headline"><h2>{e(r.title)}</h2></div>
<div class="date">Published: {e(long_date(r.date))}</div>
<div class="sharebar">{share}</div>
<div class="text">
{chr(10).join(paras)}
</div>
<div class="signup"><p>{e(SUBSCRIBE)}</p><input type="text"></div>
</div></div>
<div id="bottom"><p>{e(FOOTER)}</p></div>
</body></html>
"""


def _words(text: str) -> list[str]:
    return re.findall(r"[\w’'-]+", text.lower())


def chrome_words() -> set[str]:
    """Words of the chrome, for the leak measure (minus those a body also uses)."""
    chrome = " ".join([*NAV, COOKIE, SUBSCRIBE, *SHARE, FOOTER, *RELATED, "Share this"])
    chrome += " Related news Newsletter Subscribe Accept Email page of"
    return set(_words(chrome))


def word_diff(expected_body: str, extracted: str, boilerplate: set[str]) -> dict[str, int]:
    """Word counts: body words lost, boilerplate words leaked, of the totals.

    ``boilerplate`` should hold only words absent from ``expected_body`` (the caller
    subtracts the body's own words), so that a leak is never a body word."""
    want = Counter(_words(expected_body))
    got = Counter(_words(extracted))
    lost = sum((want - got).values())
    extra = got - want
    leaked = sum(n for w, n in extra.items() if w in boilerplate)
    return {
        "body_words": sum(want.values()),
        "lost": lost,
        "extra": sum(extra.values()),
        "leaked": leaked,
    }


def normalise(text: str) -> str:
    return " ".join(text.split())


def print_pdfs(pages: list[tuple[str, Path, str]], *, header_footer: bool = True) -> None:
    """Print each ``(html, pdf_path, url)`` with headless Chromium, as a user's "Save as PDF".

    The page is served at its own URL by request interception (nothing leaves the machine),
    so that with ``header_footer`` Chromium's running header (print date, title) and footer
    (URL, page x/y) read as on a real print; the PDF reader must drop them."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path())
        page = browser.new_page()
        for html_text, out, url in pages:
            page.route("**/*", _server(url, html_text))
            page.goto(url, wait_until="domcontentloaded")
            page.pdf(
                path=str(out),
                format="A4",
                display_header_footer=header_footer,
                margin={"top": "2cm", "bottom": "2cm", "left": "2cm", "right": "2cm"},
            )
            page.unroute("**/*")
        browser.close()


def _server(url: str, html_text: str):
    """A route handler that answers ``url`` with the page and refuses everything else."""

    def serve(route, request) -> None:
        if request.url == url:
            route.fulfill(status=200, content_type="text/html", body=html_text)
        else:
            route.abort()

    return serve


def chromium_path() -> str | None:
    import shutil

    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def image_only_pdf(out: Path, text: str = "A scanned readout") -> None:
    """A PDF holding one picture of text and no text layer, like a scan."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (850, 1100), "white")
    draw = ImageDraw.Draw(img)
    for i in range(20):
        draw.text((60, 60 + 40 * i), f"{text} line {i + 1}", fill="black")
    img.save(out, "PDF", resolution=100.0)
