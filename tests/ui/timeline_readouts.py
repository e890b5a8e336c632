"""Readouts for the Timeline tests: a few calls and meetings of Xi Jinping and others.

Real leaders' names (the contacts extractor knows their titles), invented sentences.
``write_timeline_readouts(folder)`` writes them as Markdown with front matter; the
contacts they state are listed in ``EXPECTED`` (date, kind, counterpart of Xi Jinping).
"""

from __future__ import annotations

from pathlib import Path

WH = "The White House"
MFA = "Ministry of Foreign Affairs of the People's Republic of China"

READOUTS: dict[str, tuple[str, str, str, str]] = {
    # name: (title, date, publisher, body)
    "2022-05-09-xi-scholz": (
        "Xi Jinping Holds Video Call with German Chancellor Olaf Scholz",
        "2022-05-09",
        MFA,
        "On the afternoon of May 9, 2022, President Xi Jinping held a video call with German "
        "Chancellor Olaf Scholz. The two leaders discussed trade in wind turbines and "
        "hydrogen.",
    ),
    "2022-07-28-biden-xi": (
        "Readout of President Joseph R. Biden, Jr. Call with President Xi Jinping of the "
        "People's Republic of China",
        "2022-07-28",
        WH,
        "President Joseph R. Biden, Jr. spoke today by phone with President Xi Jinping of the "
        "People's Republic of China. The two leaders discussed climate change and health "
        "security.",
    ),
    "2022-11-14-biden-xi-bali": (
        "Readout of President Joe Biden's Meeting with President Xi Jinping of the People's "
        "Republic of China",
        "2022-11-14",
        WH,
        "President Joseph R. Biden, Jr. met with President Xi Jinping of the People's Republic "
        "of China in Bali, Indonesia. The leaders agreed that a nuclear war should never be "
        "fought.",
    ),
    "2023-04-06-xi-macron": (
        "Talks between President Xi Jinping and French President Emmanuel Macron",
        "2023-04-06",
        MFA,
        "On April 6, 2023, President Xi Jinping held talks with French President Emmanuel "
        "Macron in Beijing. The two heads of state agreed to deepen cooperation in aviation "
        "and agriculture.",
    ),
    "2023-11-15-biden-xi-woodside": (
        "Readout of President Joe Biden's Meeting with President Xi Jinping of the People's "
        "Republic of China",
        "2023-11-15",
        WH,
        "President Joseph R. Biden, Jr. met with President Xi Jinping of the People's Republic "
        "of China in Woodside, California. The leaders agreed to resume military-to-military "
        "communication.",
    ),
    "2023-11-16-xi-biden-mfa": (
        "Xi Jinping Meets with U.S. President Joe Biden",
        "2023-11-16",
        MFA,
        "On November 15, 2023, President Xi Jinping met with U.S. President Joe Biden at the "
        "Filoli Estate in San Francisco. The two heads of state exchanged views on "
        "military-to-military communication.",
    ),
    "2023-06-07-macron-scholz": (
        "Readout of President Emmanuel Macron's Call with Chancellor Olaf Scholz",
        "2023-06-07",
        "Élysée",
        "President Emmanuel Macron spoke by phone with German Chancellor Olaf Scholz. They "
        "discussed the European Council.",
    ),
}

#: (date, kind, Xi Jinping's counterpart) of the contacts of Xi Jinping, by date.
EXPECTED = [
    ("2022-05-09", "video call", "Olaf Scholz"),
    ("2022-07-28", "phone call", "Joseph R. Biden"),
    ("2022-11-14", "meeting", "Joseph R. Biden"),
    ("2023-04-06", "talks", "Emmanuel Macron"),
    ("2023-11-15", "meeting", "Joseph R. Biden"),
]


def write_timeline_readouts(folder: Path) -> list[Path]:
    """The readouts above as Markdown files in ``folder`` (created if needed)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, (title, date, publisher, body) in READOUTS.items():
        path = folder / f"{name}.md"
        path.write_text(
            f'---\ntitle: "{title}"\ndate: {date}\nsource: https://example.org/{name}\n'
            f'publisher: "{publisher}"\n---\n\n{body}\n',
            encoding="utf-8",
        )
        paths.append(path)
    return paths
