"""What kind of thing a question asks for, and whether a sentence holds one.

"By how much did trade grow?" is answered by a sentence with a number, "Where did Putin
receive Sall?" by one naming a place, "When did he take office?" by one with a date. The
topic words alone cannot tell "thank you for receiving us here today" from "held talks at
the Bocharov Ruchei residence": both are about receiving Sall, only one says where. So a
sentence that lacks what is asked for is ranked below one that has it, never dropped (a
readout may say "doubled", "at the residence"), and the share of the topic a sentence must
cover stays the same.
"""

from __future__ import annotations

import functools
import re

from ..dates import MONTHS

NUMBER_Q = re.compile(
    r"\b(?:how\s+(?:many|much)|by\s+how\s+much|what\s+(?:sum|amount|number|percentage|share|"
    r"figure|total)|how\s+large|how\s+big)\b",
    re.IGNORECASE,
)
DATE_Q = re.compile(
    r"(?:^|[,;:.?]\s*)when\s+(?:did|was|were|is|will|had|has|does|do)\b|\b(?:on|by)\s+what\s+"
    r"date\b|\bwhat\s+(?:date|day)\b|\bwhich\s+(?:date|day)\b",
    re.IGNORECASE,
)
PLACE_Q = re.compile(
    r"(?:^|[,;:.?]\s*)where\s+(?:did|was|were|is|will|had|has|does|do|would)\b|\b(?:in|at|to|from)?"
    r"\s*(?:which|what)\s+(?:\w+\s+){0,2}?(?:city|town|village|resort|capital|venue|place|suburb|"
    r"port)\b",
    re.IGNORECASE,
)
NUMBER = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
    r"forty|fifty|hundred|thousand|million|billion|trillion|percent|dozen|half|double|doubled|"
    r"twice|triple|tripled)\b",
    re.IGNORECASE,
)
DATE = re.compile(
    r"\b(?:" + "|".join(MONTHS) + r"|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|(?:19|20)\d\d)\b"
)
# "Which disputed isles ...?", "What model of warplane ...?": a which/what followed by what it
# asks about, not by a verb ("What did they discuss?"), asks for something named ("the Senkaku
# Islands", "an F-22"); when the question's words are not the readout's, a sentence naming
# nothing new is no answer to it.
AUX = (
    r"(?:did|do|does|was|were|is|are|has|have|had|will|would|can|could|should|may|might|"
    r"about|else|if|of|to|in|on|for)"
)
NAME_Q = re.compile(rf"\b(?:which|what)\s+(?!{AUX}\b)[a-zA-Z]", re.IGNORECASE)
# A name in a sentence: a capitalised word after its first, or a word with a digit ("F-22").
NAME_WORD = re.compile(r"(?<=\s)[A-Z][\w’'+-]*|\b[A-Za-z]+-?\d[\w+-]*")
# Capitalised words that are titles and institutions, not names anyone asks for.
NOT_NAMES = frozenset(
    "president prime minister vice chancellor king queen crown prince emir sheikh secretary "
    "general state leader leaders government federation republic kingdom administration "
    "his her their the they he she we it both u s jr mr ms dr united states white house".split()
)
WORD = re.compile(r"[\w+-]+")

# "at the Bocharov Ruchei residence", "in Istanbul": a capitalised word after a place
# preposition (the question's own names excluded by the caller).
PLACE = re.compile(r"\b(?:in|at|to|near|outside)\s+(?:the\s+)?([A-Z][\w’'-]+)")

#: Weight of a sentence's topic coverage in its score when it lacks what the question asks for.
MISSING_KIND_FACTOR = 0.6


def asked_kind(question: str) -> str | None:
    """ "number", "date", "place", or None when the question asks for something else."""
    if NUMBER_Q.search(question):
        return "number"
    if DATE_Q.search(question):
        return "date"
    if PLACE_Q.search(question):
        return "place"
    if NAME_Q.search(question):
        return "name"
    return None


def holds_kind(sentence: str, kind: str | None, question: str = "", known: str = "") -> bool:
    """Whether ``sentence`` holds the kind of thing asked for (True when none is asked).
    A place or a name must be one the question does not name already; a name also one
    ``known`` (the readout's title and opening: who met whom) does not."""
    if kind is None:
        return True
    if kind == "name":
        seen = _named_already(question, known)
        return any(
            w.lower() not in seen for m in NAME_WORD.findall(sentence) for w in WORD.findall(m)
        )
    if kind == "number":
        return bool(NUMBER.search(sentence))
    if kind == "date":
        return bool(DATE.search(sentence))
    named = question.lower()
    return any(m.group(1).lower() not in named for m in PLACE.finditer(sentence))


@functools.lru_cache(maxsize=256)
def _named_already(question: str, known: str) -> frozenset[str]:
    """The words a name must not be to be new: the question's, who met whom's, titles'
    (asked once per readout of a question, for each of its sentences)."""
    return frozenset(w.lower() for w in WORD.findall(f"{question} {known}")) | NOT_NAMES


def kind_factor(sentence: str, kind: str | None, question: str = "", known: str = "") -> float:
    """The weight of a sentence's topic coverage in its score (1, or less when it lacks what
    is asked for)."""
    return 1.0 if holds_kind(sentence, kind, question, known) else MISSING_KIND_FACTOR
