"""Small readouts the tests write themselves (invented places and people)."""

from __future__ import annotations

from pathlib import Path

FAROE_MD = """---
title: Readout of Foreign Minister Lund's Meeting with the Faroese Fisheries Minister
date: 2023-06-02
publisher: Ministry of Foreign Affairs of Norland
---
Foreign Minister Lund met the Faroese Minister of Fisheries in Torshavn.
The ministers signed a memorandum on sustainable mackerel quotas for the 2024 season.
"""


def write_readout(folder: Path, name: str, title: str, body: str, date: str = "2022-03-04") -> Path:
    """A Markdown readout with front matter in ``folder`` (created if needed)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.md"
    path.write_text(
        f'---\ntitle: "{title}"\ndate: {date}\nsource: https://example.org/{name}\n'
        f'publisher: "Test Office"\n---\n\n{body}\n',
        encoding="utf-8",
    )
    return path
