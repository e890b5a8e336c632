"""Questions as people type them into a chat box, rewritten into the form the rules read.

"trudeau and biden 2021 - every call w/ dates pls", "Putin & Mirziyoev", "Putin–Lukashenko
contacts in jan 2022", "Bibi", "AMLO": the rules of :mod:`.questions` look for capitalised
names, full month names and words between names. This module only rewrites surface
forms -- it never decides what the question asks:

* a known person's surname typed in lower case is capitalised (only surnames of people
  the table names at least :data:`MIN_MENTIONS` times, and never a common English word
  unless the person is named very often: "putin", "biden"; not "moon" or "lee");
* a few well-known nicknames become the surname the readouts use
  (``entities/data/nicknames.json``);
* "&", "+", "/" and a dash between two names become "and";
* abbreviated months ("jan", "Sept.") are written out, and ordinal days lose their suffix.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..entities.tables import load
from ..thesaurus import table as english_words
from .people import People, name_key

__all__ = ["normalise"]

MIN_MENTIONS = 3
FAMOUS = 20  # named this often, a surname that is also a word ("putin") is still the person

_MONTHS = {
    "jan": "January",
    "feb": "February",
    "mar": "March",
    "apr": "April",
    "jun": "June",
    "jul": "July",
    "aug": "August",
    "sep": "September",
    "sept": "September",
    "oct": "October",
    "nov": "November",
    "dec": "December",
}
_MONTH_ABBR = re.compile(
    r"\b(" + "|".join(_MONTHS) + r")\.?(?=\s+(?:\d|of\b)|\s*\)|\s*$|,)", re.IGNORECASE
)
_ORDINAL = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)\b")
_JOINER = re.compile(r"(?<=\w)\s*(?:&|\+|/|–|—)\s*(?=[A-Za-z])")
_WORD = re.compile(r"(?<![\w'’-])([a-z][a-z'’-]{3,})(?![\w-])")


@lru_cache(maxsize=1)
def _nicknames() -> dict[str, str]:
    return {k.lower(): v for k, v in load("nicknames")["nicknames"].items()}


def _surnames(people: People) -> dict[str, str]:
    """Lower-case surname -> its written form, for people the table names often enough."""
    out: dict[str, str] = {}
    common = english_words()
    for person in people.persons.values():
        if person.mentions < MIN_MENTIONS or not person.name:
            continue
        last = person.name.split()[-1]
        key = name_key(last)
        if not key or len(key[-1]) < 4:
            continue
        word = last.lower()
        if word in common and person.mentions < FAMOUS:
            continue
        out.setdefault(word, last)
    return out


_AFTER_OFFICE = re.compile(
    r"(\b(?:president|prime\s+minister|pm|chancellor|premier|king|emir|crown\s+prince)\s+)"
    r"([a-z][\w'’-]*(?:\s+[a-z][\w'’-]*){0,2})"
)


def _capitalise_name(words: str, people: People) -> str:
    """ "moon jae-in" after "president" -> "Moon Jae-in", when the table knows the person;
    the words are left as they are otherwise."""
    tokens = words.split()
    for n in range(len(tokens), 0, -1):
        candidate = " ".join(t[:1].upper() + t[1:] for t in tokens[:n])
        found = people.match(candidate)
        if found and all(k in found[0].tokens for k in name_key(candidate)):
            return " ".join([candidate, *tokens[n:]])
    return words


def normalise(question: str, people: People) -> str:
    """``question`` with casual surface forms rewritten (see the module docstring)."""
    q = " ".join(question.split())
    for nick, name in _nicknames().items():
        last = re.escape(name.split()[-1])
        q = re.sub(rf"(?<![\w-]){re.escape(nick)}\s+{last}\b", name, q, flags=re.IGNORECASE)
        q = re.sub(rf"(?<![\w-]){re.escape(nick)}(?![\w-])", name, q, flags=re.IGNORECASE)
    q = _MONTH_ABBR.sub(lambda m: _MONTHS[m.group(1).lower()], q)
    q = _ORDINAL.sub(r"\1", q)
    surnames = _surnames(people)
    q = _WORD.sub(lambda m: surnames.get(m.group(1), m.group(1)), q)
    q = _AFTER_OFFICE.sub(lambda m: m.group(1) + _capitalise_name(m.group(2), people), q)
    return _JOINER.sub(" and ", q)
