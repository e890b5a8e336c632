"""A readout's roster: the leaders a group contact's readout lists by name.

Readouts of group calls and meetings often state the contact with the group alone
("spoke today with the Bucharest Nine (B9) group", "met virtually today with 15 leaders
representing Caribbean nations", "convened the Major Economies Forum") and list who took
part further down, after an introducing line::

    Joining the call were the following leaders:
    - Bulgarian President Rumen Radev
    - Czech Republic Prime Minister Andrej Babis

or inline ("In addition to the Vice President, the meeting included: Prime Minister
Kishida of Japan, ..."). Every gold writer counted such a contact for each leader it
lists, so the roster's leaders are participants of the readout's contact. This module
only finds the roster's text; who is named in it is read by :mod:`.participants`, like
any other clause, so one rule serves every list format instead of one rule per summit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Roster", "find_roster", "is_international", "is_official_role"]

# The introducing line: a word of taking part, then a colon ("Participants included:",
# "Joining President Biden at the meeting were the following leaders:", "The Leaders that
# participated:", "the meeting included: ...").
_INTRO = re.compile(
    r"\b(?:join(?:ing|ed)|participa\w*|attend\w*|includ(?:ed|ing)|present|tak(?:ing|en)\s+part"
    r"|took\s+part)\b[^:.;]{0,80}:",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^\s*(?:[-•*–·]|\d{1,2}[.)])\s+")
_MAX_ITEMS = 40  # a roster longer than this is a list of something else


@dataclass(frozen=True)
class Roster:
    """Where a readout lists a contact's participants: the introducing sentence and the
    spans (``body[start:end]``) of the text naming them."""

    intro: tuple[int, int]
    items: tuple[tuple[int, int], ...]


def find_roster(body: str, spans: list[tuple[int, int]]) -> Roster | None:
    """The first roster among the body's sentence ``spans`` (in order), or None.

    The items are the intro's text after its colon, when it has any, and the bulleted
    sentences right after it; a roster without any item is none."""
    for i, (start, end) in enumerate(spans):
        sentence = body[start:end]
        m = _INTRO.search(sentence)
        if m is None:
            continue
        items: list[tuple[int, int]] = []
        rest = sentence[m.end() :]
        if rest.strip():
            items.append((start + m.end(), end))
        for s, e in spans[i + 1 : i + 1 + _MAX_ITEMS]:
            if not _BULLET.match(body[s:e]):
                break
            items.append((s, e))
        if items:
            return Roster(intro=(start, end), items=tuple(items))
    return None


# Roles of people who attend a leaders' meeting without being its leaders: envoys,
# ministers ("Union Cabinet Minister of Labour ..."), advisers, state secretaries.
_OFFICIAL = re.compile(
    r"\b(?:envoy|ambassador|advis[eo]r|deputy|governor|mayor|senator|representative"
    r"|(?<!prime\s)minister|(?<!general\s)secretary(?![\s-]general))\b",
    re.IGNORECASE,
)


def is_official_role(role: str) -> bool:
    """Whether a role is an official's, not a leader's ("Special Envoy for Climate",
    "Foreign Minister"; but "Prime Minister", "Secretary-General", "President" are
    leaders): a roster's officials are not counterparts of its leaders' contact."""
    return bool(_OFFICIAL.search(role or ""))


# Leaders stated without a country who are foreign counterparts all the same: the heads of
# international organisations ("President Ursula von der Leyen, European Commission").
_INTERNATIONAL = re.compile(
    r"\b(?:Secretary[- ]General|European\s+(?:Commission|Council|Union)|NATO|United\s+Nations"
    r"|African\s+Union|ASEAN|CARICOM|IMF|World\s+Bank)\b"
)


def is_international(role: str, item: str) -> bool:
    """Whether a roster entry stated without a country heads an international body (its
    role or its line says which); a domestic meeting's roster of union and association
    presidents, stated without a country too, lists no counterpart."""
    return bool(_INTERNATIONAL.search(role or "") or _INTERNATIONAL.search(item))
