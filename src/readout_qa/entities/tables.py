"""The data tables of the entity finders, and the trie regex they are compiled into.

The tables (country forms, seats of government, words that are no names ...) are data,
not code: they live in ``data/*.json`` beside this module, each with an ``about`` entry
saying what it holds and why, so they can be reviewed and extended without touching the
matchers, and tests/test_entity_tables.py checks that they agree with each other and
with pycountry.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

TABLES = (
    "ambiguous_forms",
    "canonical_by_alpha2",
    "nicknames",
    "non_name_words",
    "not_countries",
    "prefix_forms",
    "region_words",
    "seats",
    "us_states",
    "variants",
)


@cache
def load(name: str) -> dict[str, Any]:
    """The table ``data/<name>.json``, read once per process (package data, so it is
    found in an installed wheel as in a source checkout)."""
    if name not in TABLES:
        raise KeyError(f"no entity table {name!r} (known: {', '.join(TABLES)})")
    text = resources.files(__package__).joinpath("data", f"{name}.json").read_text("utf-8")
    return json.loads(text)


def trie_regex(words: list[str]) -> str:
    """A regex matching any of ``words``, as a character trie (fast: no 900-way alternation).

    A space in a word matches any run of whitespace, so "United\\nStates" is found too.
    """
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = True

    def emit(node: dict) -> str:
        end = "" in node
        branches = []
        for ch in sorted(k for k in node if k):
            piece = r"\s+" if ch == " " else re.escape(ch)
            branches.append(piece + emit(node[ch]))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if end:
            # Greedy optional: longer forms first, shorter if the boundary check fails.
            return "(?:" + body + ")?"
        return body

    return emit(trie)
