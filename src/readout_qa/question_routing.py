"""Which questions are about what readouts say, not about who met whom.

The contacts table answers questions over many readouts ("When did Biden and Scholz speak in
2022?", "How many times ...?"). A question that names a call only to ask what was said in it
("What did he congratulate her on in the first call?", "Where was the summit held, according to
Putin's March 2022 call with Macky Sall?") is about a readout's content: a list of contacts is no
answer to it, so it takes the usual path (retrieval and the answerer), whatever the contacts
reader makes of its names and dates.
"""

from __future__ import annotations

import re

# "according to Putin's March 2022 call", "per Biden's call with him" (but not "according to
# the Kremlin readouts", which contacts questions say too)
_SOURCE = re.compile(
    r"\b(?:according\s+to|per)\s+(?:his|her|their|its|[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,3}"
    r"(?:'s|’s))\s+(?:\w+\s+){0,4}?(?:call|calls|conversation|chat|meeting|visit|talks|summit)\b",
)
# "what did he congratulate her on", "what was agreed", "which initiative did Biden support",
# "what concern did they express", but not "what dates", "which leaders", "what months" (the
# contacts' own questions)
_WHAT_WAS_SAID = re.compile(
    r"\b(?:what|which)(?:\s+(?!leaders?\b|heads?\b|presidents?\b|prime\s+ministers?\b|"
    r"countries\b|counterparts?\b|dates?\b|days?\b|months?\b|years?\b|times?\b|calls?\b|"
    r"meetings?\b|contacts?\b|conversations?\b|talks\b|engagements?\b|interactions?\b|"
    r"officials?\b|people\b|did\b|does\b|do\b|was\b|were\b|is\b|are\b)\w+)?"
    r"\s+(?:did|does|do|was|were|is|are|had|has|have|will|would)\b"
    # "what was the first call ...", "what were the dates ...": about contacts again
    r"(?!\s+(?:the\s+|their\s+|his\s+|her\s+|(?:[A-Z][\w.-]*\s+){0,3}[A-Z][\w.-]*(?:'s|’s)\s+)?"
    r"(?:first|last|latest|earliest|most\s+recent|final|next|previous|dates?|days?|number|it|"
    r"that|this)\b)",
    re.IGNORECASE,
)


def asks_what_was_said(question: str) -> bool:
    """Whether ``question`` asks about the content of a readout (see the module doc)."""
    return bool(_SOURCE.search(question) or _WHAT_WAS_SAID.search(question))
