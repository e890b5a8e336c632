"""Choose the sample corpus in ``corpus/`` from the shared corpora, deterministically.

    python scripts/build_sample.py [--shared ../shared/corpora] [--corpus corpus] [--check]

The sample is what ``make run`` ingests on first start: a few hundred real readouts beside the
seed (``000_29b7a47e08d55584.txt``), so the example questions, the Timeline tab and the filters
all have something to show. The files are copied byte for byte (Markdown with YAML front matter,
the source URL in each); ``corpus/README.md`` (attribution, licences and the counts below) is
written by this script too, and the loader skips it as the folder's documentation.

What is chosen, by file name (the shared corpora name each file ``YYYY-MM-DD_<title slug>.md``):

1. **Threads**, every readout of a pair of leaders, so that timelines and counts are complete
   within the sample: Biden-Xi, Biden-Zelenskyy, Biden-Putin, Biden-Scholz and Biden-Trudeau
   (White House); Putin-Macron, Putin-Scholz, Putin-Xi and Putin-Biden (Kremlin); Trump's calls
   and meetings of 2025 (White House). Announcements ("... will hold talks ...") are left out.
2. **A spread** over years and publishers: of each publisher's leader-level calls, meetings and
   talks (a title naming a call, meeting, conversation or talks with a president, prime
   minister, chancellor, king, ...: the title after the "with", so a Biden meeting with
   labour leaders is not one) under ``MAX_SPREAD_BYTES``, ``SPREAD_PER_YEAR`` per publisher
   and year, evenly spaced through the year's files in name order.

Nothing is random: the same shared corpora give the same sample. ``--check`` exits 1 (listing
the differences) when ``corpus/`` does not hold exactly the chosen files, unchanged.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = "000_29b7a47e08d55584.txt"

#: (folder, label, pattern the file name must match). Every match is taken.
THREADS: list[tuple[str, str, str]] = [
    ("whitehouse", "Biden and Xi Jinping", r"biden.*xi-jinping"),
    ("whitehouse", "Biden and Zelenskyy", r"president-(joe-|joseph-r-)?biden.*zelensk"),
    ("whitehouse", "Biden and Putin", r"biden.*putin"),
    ("whitehouse", "Biden and Scholz", r"president-(joe-|joseph-r-)?biden.*scholz"),
    ("whitehouse", "Biden and Trudeau", r"president-(joe-|joseph-r-)?biden.*trudeau"),
    ("whitehouse", "Trump's calls and meetings, 2025", r"^2025-.*donald-j-trump.*(call|meeting)"),
    ("kremlin", "Putin and Macron", r"(conversations?|talks)-with-.*macron"),
    ("kremlin", "Putin and Scholz", r"(conversations?|talks)-with-.*scholz"),
    ("kremlin", "Putin and Xi Jinping", r"(conversation|talks)-with-president-of-china-xi"),
    ("kremlin", "Putin and Biden", r"(conversations?|meeting)-with-us-president-joseph-biden"),
]
#: A file name that announces a contact rather than reading one out.
ANNOUNCEMENT = re.compile(r"_on-[a-z]+-\d+|will-(hold|have|take|attend)")
#: Leader-level calls, meetings and talks (the rest of each year is sampled from these): a
#: contact word, then a title of the counterpart after it.
CONTACT = re.compile(r"(call|meeting|conversation|talks)s?-with-")
LEADER = re.compile(
    r"(president|prime-minister|premier|chancellor|king|queen|emperor|crown-prince|emir|amir|"
    r"sultan|his-majesty|her-majesty|pope|his-holiness|secretary-general|taoiseach)"
)
MAX_SPREAD_BYTES = 6_000
SPREAD_PER_YEAR = {"whitehouse": 30, "kremlin": 24}
PUBLISHERS = {"whitehouse": "The White House", "kremlin": "President of Russia (kremlin.ru)"}


def _files(shared: Path, folder: str) -> list[Path]:
    return sorted((shared / folder).glob("*.md"))


def _spaced(files: list[Path], k: int) -> list[Path]:
    """``k`` files evenly spaced through ``files`` (all of them when there are fewer)."""
    if len(files) <= k:
        return list(files)
    return [files[(2 * i + 1) * len(files) // (2 * k)] for i in range(k)]


def select(shared: Path) -> dict[str, list[Path]]:
    """The chosen files by reason: one entry per thread label, then ``spread <folder> <year>``."""
    chosen: dict[str, list[Path]] = {}
    taken: set[Path] = set()
    for folder, label, pattern in THREADS:
        rx = re.compile(pattern)
        got = [
            f
            for f in _files(shared, folder)
            if rx.search(f.stem) and not ANNOUNCEMENT.search(f.stem) and f not in taken
        ]
        chosen[label] = got
        taken.update(got)
    for folder, per_year in SPREAD_PER_YEAR.items():
        by_year: dict[str, list[Path]] = {}
        for f in _files(shared, folder):
            name = f.stem.split("_", 1)[1]
            contact = CONTACT.search(name)
            if (
                f not in taken
                and contact
                and LEADER.search(name[contact.end() :])  # the counterpart, not the host
                and not ANNOUNCEMENT.search(f.stem)
                and f.stat().st_size <= MAX_SPREAD_BYTES
            ):
                by_year.setdefault(f.stem[:4], []).append(f)
        for year, files in sorted(by_year.items()):
            got = _spaced(files, per_year)
            chosen[f"spread {folder} {year}"] = got
            taken.update(got)
    return chosen


def _counts(files: list[Path]) -> dict[tuple[str, str], int]:
    counts: dict[tuple[str, str], int] = {}
    for f in files:
        key = (f.parent.name, f.stem[:4])
        counts[key] = counts.get(key, 0) + 1
    return counts


def readme(chosen: dict[str, list[Path]]) -> str:
    """``corpus/README.md``: what the folder holds, where it comes from, under which licence."""
    files = sorted({f for got in chosen.values() for f in got}, key=lambda f: f.name)
    counts = _counts(files)
    years = sorted({y for _, y in counts})
    size = sum(f.stat().st_size for f in files)
    rows = "\n".join(
        f"| {PUBLISHERS[folder]} | "
        + " | ".join(str(counts.get((folder, y), 0) or "–") for y in years)
        + f" | {sum(n for (p, _), n in counts.items() if p == folder)} |"
        for folder in SPREAD_PER_YEAR
    )
    threads = "\n".join(
        f"- {label}: {len(got)}" for label, got in chosen.items() if not label.startswith("spread")
    )
    return f"""# The sample corpus

`make run` (`python app.py`) ingests this folder into an empty index on first start.
It holds the seed readout, `{SEED}` (Premier Li Keqiang's video conference
with Belgian Prime Minister Alexander De Croo, 7 December 2021), and {len(files)} readouts
({size / 1e6:.2f} MB) copied unchanged from the White House and Kremlin collections described
below. This file is the folder's documentation: the loader does not ingest a `README.md`
found in a folder.

| publisher | {" | ".join(years)} | all |
|---|{"---:|" * (len(years) + 1)}
{rows}

The readouts were chosen by `scripts/build_sample.py` (deterministic; its docstring gives the
rules). Every readout of a few pairs of leaders, so that their timelines and counts are
complete within the sample:

{threads}

and, for each publisher and year, leader-level calls, meetings and talks (files of at most
{MAX_SPREAD_BYTES:,} bytes) evenly spaced through the year. To answer from your own
readouts without the sample, build an index of your folder instead:
`readout-qa ingest --rebuild <folder>` (see "Your own readouts" in the project's README).

## Sources and licences

**White House** (front matter `publisher: "The White House"`): readouts and statements of the
White House Briefing Room, 2021–2025, taken from the public repository brian14708/wh-briefings
(CC0-1.0). They are works of the United States federal government, in the public domain in
the United States (17 U.S.C. 105). Each file's `source` is the original page.

**Kremlin** (front matter `publisher: "President of Russia (kremlin.ru)"`): English-language
news items of the website of the President of Russia, 2021–2022, taken from the public
repository PeiYiZhuo/zelenskyy-putin.
Licence: Creative Commons Attribution 4.0 International (CC BY 4.0,
<https://creativecommons.org/licenses/by/4.0/>).
Attribution: **President of Russia, en.kremlin.ru**, with the source URL: each file's
`source` is the URL of its original page, and the UI links every cited passage to it.
Changes: the text was taken from the site's pages, paragraph breaks that were lost were
restored by heuristics, and front matter was added; the wording is unchanged.

**The seed** (`{SEED}`) is the project's own first example readout;
it is not part of either collection above.
"""


def _expected(shared: Path) -> tuple[dict[str, bytes], str]:
    chosen = select(shared)
    files = {f.name: f.read_bytes() for got in chosen.values() for f in got}
    return files, readme(chosen)


def _managed(corpus: Path) -> list[Path]:
    """The files of ``corpus`` this script owns: every readout but the seed."""
    return sorted(p for p in corpus.glob("*.md") if p.name != "README.md")


def check(shared: Path, corpus: Path) -> list[str]:
    """What differs between ``corpus`` and the selection (empty when they agree)."""
    files, text = _expected(shared)
    have = {p.name: p for p in _managed(corpus)}
    problems = [f"missing: {n}" for n in sorted(set(files) - set(have))]
    problems += [f"not chosen: {n}" for n in sorted(set(have) - set(files))]
    problems += [
        f"changed: {n}" for n in sorted(set(files) & set(have)) if have[n].read_bytes() != files[n]
    ]
    readme_path = corpus / "README.md"
    if not readme_path.is_file() or readme_path.read_text(encoding="utf-8") != text:
        problems.append("README.md is not the one this script writes")
    return problems


def write(shared: Path, corpus: Path) -> int:
    files, text = _expected(shared)
    for p in _managed(corpus):
        if p.name not in files:
            p.unlink()
    for name, data in files.items():
        target = corpus / name
        if not target.is_file() or target.read_bytes() != data:
            target.write_bytes(data)
    (corpus / "README.md").write_text(text, encoding="utf-8")
    return len(files)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "corpora")
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    ap.add_argument("--check", action="store_true", help="compare corpus/ with the selection")
    args = ap.parse_args(argv)
    if not (args.shared / "whitehouse").is_dir() or not (args.shared / "kremlin").is_dir():
        print(f"shared corpora not found at {args.shared}", file=sys.stderr)
        return 2
    if args.check:
        problems = check(args.shared, args.corpus)
        for p in problems:
            print(p)
        return 1 if problems else 0
    n = write(args.shared, args.corpus)
    print(f"{n} readouts in {args.corpus} (+ the seed and README.md)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
