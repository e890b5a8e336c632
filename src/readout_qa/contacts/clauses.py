"""Which sentences of a readout state a contact, and what kind of contact it was.

A readout states its contact in a sentence with a past-tense verb of contact and a
named counterpart: "President Biden spoke by phone today with ...", "Vladimir Putin
had a telephone conversation with ...", "Vice President Harris met with ...". Rules,
not a model, because the phrasing is formulaic and the rules can be read and tested.

What is *not* a new contact, and why it is rejected here:

* announcements: future or intended contacts ("will hold talks", "is scheduled to
  meet") never match, since only past forms ("held", "met", "spoke") are verbs here;
  so do auxiliaries and modals before a verb ("has met", "had spoken", "would meet");
* mentions of earlier contacts: a verb in a subordinate or relative clause ("when they
  met", "who spoke with") or a clause that says "last week", "previously", "recalled";
* transcripts: first- and second-person subjects ("we met", "I spoke"), and every
  sentence after the first speaker label ("Vladimir Putin: ...").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..dates import month_number
from ..entities import canonical_country

__all__ = [
    "ContactClause",
    "contact_clause",
    "find_place",
    "refine_kind",
    "is_speaker_label",
    "title_kind",
]

# Words before a contact noun: lower-case ones, and the names of formats ("the
# Russia-ASEAN summit", "the G20 summit", "the Asia-Pacific Economic Cooperation (APEC)
# Virtual Leaders’ Meeting").
_ADJ = r"(?:(?:[a-z][\w-]*|[A-Z][\w’'-]*|\([A-Z0-9]{2,}\))\s+){0,6}?"
_NOUN = (
    r"(?P<noun>(?i:(?:tele)?phone\s+(?:conversations?|calls?|talks)|video\s*(?:calls?|conferences?)"
    r"|videoconferences?|virtual\s+(?:meetings?|summit|call)|calls?|conversations?"
    r"|meetings?|talks|discussions?|consultations|summit|bilateral|(?:state\s+|official\s+)?visit"
    r"|audience|retreat|joint\s+(?:statement|declaration)))(?![\w-])"
)
_VERB = re.compile(
    r"(?<![\w-])(?P<verb>spoke|talked|conferred|met|called|phoned|telephoned|received|welcomed"
    r"|co-hosted|co-chaired|hosted|visited|had|held|conducted|convened|joined|attended|issued|adopted|signed|made|paid"
    r"|participated\s+in|took\s+part\s+in"
    r"|(?:talks|conversation|meeting|call)\s+(?:took\s+place|was\s+held|were\s+held)"
    r"|(?<=[Tt]he\s)(?:(?:tele)?phone\s+)?(?:conversation|talks|meeting|call)(?=\s+between\s))"
    r"(?![\w-])"
)
_NOUN_VERBS = frozenset(
    "had held conducted convened joined attended issued adopted signed hosted made paid".split()
)
_AFTER = {
    "speak": re.compile(
        r"(?:(?:\s+(?!(?:about|regarding|of|for|in|publicly|to|with)\b)[\w’'-]+){0,5}?"
        r"\s+(?:with|to)\s+)?"
    ),
    "met": re.compile(r"(?:(?:\s+[\w’'-]+){0,6}?\s+with\s+|\s+(?=[A-Z]|the\s+[A-Z]))?"),
    "call": re.compile(r"\s+(?=(?:the\s+)?[A-Z])"),
    "host": re.compile(
        r"\s+(?:(?:in|at)\s+the\s+(?:Kremlin|White\s+House|Oval\s+Office)\s+)?"
        r"(?:(?:the|his|her)\s+)?(?=[A-Z])"
    ),
    "noun": re.compile(rf"\s+(?:(?:a|an|the|their|his|her|its)\s+)?{_ADJ}{_NOUN}"),
    "visit": re.compile(r"\s+(?=[A-Z])"),
    "passive": re.compile(r""),
}
_GROUP = {
    "spoke": "speak",
    "talked": "speak",
    "conferred": "speak",
    "met": "met",
    "called": "call",
    "phoned": "call",
    "telephoned": "call",
    "received": "host",
    "welcomed": "host",
    "hosted": "host",
    "co-hosted": "host",  # "Biden and President Lourenço co-hosted African leaders": both host
    "co-chaired": "host",
    "visited": "visit",
}
_NOUN_SUBJECT = re.compile(r"(?:^|,\s*|\b(?:on|about|of)\s+)[Tt]he\s+$")
_NOUN_MENTION = re.compile(
    r"\b(?:following|after|since|before|ahead\s+of|during|at|in|from|recalled|since)\b", re.I
)
_RECEIVED_CALL = re.compile(r"\s+(?:a\s+)?(?:(?:tele)?phone\s+)?call\s+from\s+")
_MODAL_BEFORE = re.compile(
    r"\b(?:will|would|shall|to|has|have|had|having|may|might|could|should|must|not|never|last"
    r"|first|previously|recently|already|once"
    r"|be|been|being|is|are|was|were)\s+(?:(?:also|already|previously|just|recently|since)\s+)?$",
    re.IGNORECASE,
)
_SUBORDINATE = re.compile(
    r"\b(?:who|which|that|when|whenever|since|after|before|once|until|where|whom|as|if)"
    r"\s+(?:[\w’'-]+\s+){0,3}$",
    re.IGNORECASE,
)
_FUTURE = re.compile(r"\b(?:will|previewed|plans?\s+to|upcoming|is\s+to|are\s+to)\b", re.I)
_PERSONAL = re.compile(r"\b(?:I|we|We|you|You|us|our|Our|my|My)\b")
_MENTION = re.compile(
    r"\b(?:last\s+(?:week|month|year|fall|autumn|spring|summer|winter|time)"
    r"|earlier\s+this\s+(?:week|month|year)|previously|recalled|a\s+(?:week|month|year)\s+ago"
    r"|\w+\s+(?:days|weeks|months|years)\s+ago|in\s+(?:their|his|her)\s+(?:previous|last|earlier)"
    r"|since\s+(?:they|their)|(?:19|20)\d\d\s+summit)\b",
    re.IGNORECASE,
)
# Where the contact clause ends: what follows is its purpose or circumstances, whose
# people ("to discuss Russia's attacks ordered by President Putin") took no part.
_CLAUSE_END = re.compile(
    r"(?:[;:]|,\s+and\s+(?:the|they|he|she|both)\s|,\s+(?!(?:including|incoming|outgoing)\s)[a-z]{4,}ing\s"
    r"|\s+(?:announced|launched|proposed|established)\s+by\s"
    r"|\s+(?:to\s+(?!the\s)[a-z]|about\s|regarding\s|concerning\s"
    r"|ahead\s+of\s|following\s|after\s|amid\s|as\s+part\s+of\s|who\s|which\s|where\s"
    r"|building\s+on\s|follow(?:ing|ed)?\s+up\s+on\s"
    r"|in\s+order\s|during\s+which\s|on\s+(?:the\s+)?(?:situation|issues?|topics?|subjects?)\s"
    r"|in\s+support\s+of\s|for\s+(?:a|an|the|their)\s+[a-z]+\s+(?:discussion|conversation)))"
)
_VIDEO = re.compile(
    r"\b(?:virtual(?:ly)?|video\s*(?:calls?|conferences?|link)?|videoconferenc\w*|via\s+video)\b",
    re.IGNORECASE,
)
_PHONE = re.compile(r"\b(?:tele)?phone\b|\bby\s+(?:tele)?phone\b", re.IGNORECASE)
_IN_PERSON = re.compile(r"\b(?:margins|sidelines|in\s+person|in-person)\b", re.IGNORECASE)
_SPEAKER = re.compile(
    r"^(?:[A-Z][\w.’'-]*|of|the|and)(?:\s+(?:[A-Z][\w.’'-]*|of|the|and)){0,12}:\s"
)
_PLACE = re.compile(
    r"\b(?:in|at)\s+(?P<place>(?:the\s+)?[A-Z][\w’'.-]*(?:\s+(?:[A-Z][\w’'.-]*|of|de|del)){0,4}"
    r"(?:,\s+[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*)?(?=[\s,.;]|$))?)"
)
_TITLE_KINDS = (
    (
        re.compile(r"\b(?:video\s*calls?|video\s*conferenc\w*|videoconferenc\w*|virtual)\b", re.I),
        "video call",
    ),
    (re.compile(r"\b(?:calls?|telephone|phone|conversations?)\b", re.I), "phone call"),
    (re.compile(r"\b(?:meetings?|bilateral|audience)\b", re.I), "meeting"),
    (re.compile(r"\btalks\b", re.I), "talks"),
    (re.compile(r"\b(?:visit|trip)\b", re.I), "visit"),
    (re.compile(r"\bsummit\b", re.I), "summit"),
    (re.compile(r"\bjoint\s+statement\b", re.I), "joint statement"),
)


@dataclass
class ContactClause:
    """Where a sentence states a contact: the verb, the clause, and its kind (or "" when
    the verb does not say: "spoke", "had a conversation")."""

    verb_start: int
    verb_end: int
    clause_end: int  # the clause is sentence[:clause_end]
    kind: str
    object_first: bool = False  # a participant must be named right after the verb


def is_speaker_label(sentence: str) -> bool:
    """ "Vladimir Putin: Mr President, ..." -- a transcript starts here."""
    return bool(_SPEAKER.match(sentence))


def title_kind(title: str) -> str:
    """The kind of contact a title names ("Telephone conversation with ..."), or ""."""
    return next((kind for pattern, kind in _TITLE_KINDS if pattern.search(title)), "")


def _noun_kind(noun: str) -> str:
    noun = noun.lower()
    if _VIDEO.search(noun):
        return "video call"
    if "joint" in noun:
        return "joint statement"
    if "phone" in noun or noun.startswith("call"):
        return "phone call"
    for word, kind in (("talks", "talks"), ("summit", "summit"), ("visit", "visit")):
        if word in noun:
            return kind
    if noun.startswith("conversation"):
        return ""
    return "meeting"


def _verb_kind(sentence: str, m: re.Match[str]) -> tuple[str, int, bool] | None:
    """(kind or "", end of the verb phrase, whether a participant must follow it) when the
    verb is followed as a contact verb is ("welcomed Prime Minister X", not "welcomed
    NATO's work")."""
    verb = m.group("verb")
    first = verb.split()[0]
    if first in ("talks", "conversation", "meeting", "call", "telephone", "phone"):
        if " between" not in sentence[m.end() : m.end() + 9]:
            return _noun_kind(verb), m.end(), False
        # "the telephone conversation between A and B focused on ...", "briefed the media
        # on the conversation between ...", not "following the meeting between ..."
        before = sentence[: m.start()]
        if not _NOUN_SUBJECT.search(before) or _NOUN_MENTION.search(before[-40:]):
            return None
        return _noun_kind(verb), m.end(), False
    group = "noun" if first in _NOUN_VERBS or " " in verb else _GROUP[first]
    if first == "received":
        got = _RECEIVED_CALL.match(sentence, m.end())
        if got:
            return "phone call", got.end(), True
    after = _AFTER[group].match(sentence, m.end())
    if after is None:
        if first in ("hosted", "co-hosted", "co-chaired"):  # "hosted President X"
            after = _AFTER["host"].match(sentence, m.end())
            return ("meeting", after.end(), first == "hosted") if after else None
        return None
    if group == "noun":
        noun = after.group("noun").lower()
        if first in ("issued", "adopted", "signed") and "joint" not in noun:
            return None
        if first in ("made", "paid") and "visit" not in noun:
            return None
        return _noun_kind(after.group("noun")), after.end(), False
    kind = {"speak": "", "met": "meeting", "call": "phone call", "visit": "visit"}.get(
        group, "meeting"
    )
    # co-hosts are both in the subject: no participant need follow the verb
    joint = first in ("co-hosted", "co-chaired")
    return kind, after.end(), group in ("call", "host", "visit") and not joint


def refine_kind(kind: str, clause: str) -> str:
    """The clause's own words decide between phone, video and in person."""
    if _VIDEO.search(clause) and kind in ("", "meeting", "phone call", "talks", "summit"):
        return "video call"
    if kind == "" and _PHONE.search(clause):
        return "phone call"
    if kind == "" and _IN_PERSON.search(clause):
        return "meeting"
    return kind


# "After the CSTO summit, Vladimir Putin and ... had a brief conversation", "spoke with
# ... on the sidelines of the summit": a gathering the two attended in person frames the
# contact, so a verb that does not say how ("had a conversation", "spoke") is a meeting,
# whatever the title's "Conversation with ..." suggests (unless the gathering was by video).
_AT_GATHERING = re.compile(
    r"\b(?:(?:after|following|during|at)\s+the\s+(?:[\w’'-]+\s+){0,6}?"
    r"(?:summit|forum|session|conference|ceremony|talks|negotiations|plenary)\b"
    r"|on\s+the\s+(?:sidelines|margins)\s+of\b)",
    re.I,
)


def at_gathering(sentence: str) -> bool:
    """Whether the sentence frames its contact by a gathering attended in person (see
    :data:`_AT_GATHERING`): the contact took place there, face to face."""
    return bool(_AT_GATHERING.search(sentence)) and not _VIDEO.search(sentence)


def find_place(clause: str, start: int) -> str:
    """The place a clause names after ``start`` ("in Lima, Peru", "at the White House"),
    a city or country ("in ...") before a venue ("at ..."); "" when none."""
    found: dict[str, str] = {}
    for m in _PLACE.finditer(clause, start):
        place = m.group("place").rstrip(".,")
        first = place.split()[1] if place.startswith("the ") and " " in place else place.split()[0]
        if month_number(first) is not None or clause[m.end() : m.end() + 2] in ("'s", "’s"):
            continue
        bare = place.removeprefix("the ")
        if " " not in bare and canonical_country(bare) not in (None, bare):
            continue  # "at the Israeli side's initiative": a demonym is no place
        found.setdefault(m.group(0)[:2], place)
    return found.get("in") or found.get("at") or ""


# "Following the meeting of the Supreme State Council, held via videoconference, Vladimir
# Putin had a telephone conversation with ...": the opening phrase is another event, and
# its kind ("videoconference") is not the contact's.
# "for the second trilateral meeting since their leaders met at Camp David", "their first
# call since they met in Bali": "since" after a contact noun measures this contact from an
# earlier one; it does not make the sentence a mention of the earlier one
_NOUN_SINCE = re.compile(
    r"\b(?:meetings?|calls?|talks|conversations?|summits?|visits?)\s+since\s+(?:they|their)\b",
    re.IGNORECASE,
)
_EARLIER_EVENT = re.compile(r"^\s*(?:Following|After|Further\s+to)\b[^.;]{0,160}?,\s+(?=[A-Z])")


# "Jake Sullivan traveled to Jeddah, Saudi Arabia on July 27, 2023 to meet with ...": a
# past trip made to meet someone states the meeting (read as "and met with", same length)
_TRAVELED_TO_MEET = re.compile(
    r"(?<![\w-])(?:traveled|travelled|flew|went)\s+to\s+[^.;]{1,100}?\s(?P<to>to\s+meet)\s+with\b"
)


def _trip_to_meet(sentence: str) -> str:
    """The sentence with a past trip's "to meet with" read as "and met with" (offsets kept)."""
    m = _TRAVELED_TO_MEET.search(sentence)
    if m is None:
        return sentence
    return sentence[: m.start("to")] + "and met" + sentence[m.end("to") :]


def contact_clause(sentence: str) -> ContactClause | None:
    """The first contact the sentence states, or None when it states none."""
    sentence = _trip_to_meet(sentence)
    opener = _EARLIER_EVENT.match(sentence)
    for m in _VERB.finditer(sentence):
        if opener and m.start() < opener.end():
            continue  # a verb of the earlier event the sentence opens with
        subject = sentence[: m.start()]
        if _MODAL_BEFORE.search(subject) or _SUBORDINATE.search(subject):
            continue
        if _PERSONAL.search(subject[-40:]):
            continue
        found = _verb_kind(sentence, m)
        if found is None:
            continue
        kind, phrase_end, object_first = found
        cut = _CLAUSE_END.search(sentence, phrase_end)
        clause_end = cut.start() if cut else len(sentence)
        clause = sentence[:clause_end]
        if _MENTION.search(_NOUN_SINCE.sub(" ", clause)) or _FUTURE.search(subject):
            return None
        own = clause[opener.end() :] if opener else clause
        return ContactClause(
            verb_start=m.start(),
            verb_end=phrase_end,
            clause_end=clause_end,
            kind=refine_kind(kind, own),
            object_first=object_first,
        )
    return None
