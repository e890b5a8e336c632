"""Questions about contacts over many readouts: list, count, first, last, each time.

"When did Biden and Olaf Scholz speak in 2022?", "How many times did Biden call Trudeau in
2023?", "Which leaders did Trump call in February 2025?", "When did Biden last meet Xi
Jinping?", "What did Biden and Xi discuss each time they spoke in 2022?": such a
question asks about the contacts table, not about a few passages. :func:`parse_question`
reads its shape, the people it names, the kinds of contact and the period, by rules.

It is deliberately narrow, since every other question must keep today's path: a shape
word must ask about contacts themselves ("how many times", "how many calls", a question
opening with "when did", "list", "which leaders did", "first"/"last" after "when" or
"who"), a contact word must say which contacts ("call", "meet", "speak", "talks"), and
a person the table knows must be named. "How many drugs did Biden welcome China
scheduling at their meeting in Lima?" and "Which Chinese official attended Li Keqiang's
video conference?" are not contact questions.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from bm25s.stopwords import STOPWORDS_EN

from ..dates import (
    MONTHS,
    find_days,
    find_periods,
    find_yearless_days,
    from_int,
    month_number,
    period_span,
    say_day,
)
from ..entities import country_of_name, find_countries, is_region_word
from ..entities.places import seats
from ..names import find_names, is_acronym
from ..terms import stem
from ..thesaurus import table as english_words
from .casual import normalise, unswap
from .named_days import find_named_days, occasion_spans
from .offices import (
    CountryOffice,
    descriptive_names,
    find_body_offices,
    find_country_offices,
    find_offices,
    government_names,
    government_terms,
    office_of,
)
from .participants import publisher_country
from .people import People, name_key
from .regions import REGIONS, find_region

__all__ = ["ContactQuestion", "parse_question"]

_CALL = re.compile(
    r"\b(?:call(?:s|ed)?|phone(?:d|\s+calls?)?|telephone(?:d)?|by\s+phone|rang)\b", re.I
)
_VIDEO = re.compile(
    r"\b(?:video\s*(?:calls?|conferences?)|videoconferences?|virtual(?:ly)?)\b", re.I
)
_MEET = re.compile(
    r"\b(?:meet(?:s|ing|ings)?|met|in[\s-]person|visit(?:s|ed)?|summits?|talks|see|saw"
    r"|s[ai]t(?:ting)?\s+down)\b",
    re.I,
)
_SPEAK = re.compile(
    r"\b(?:speak|spoke|spoken|talk(?:ed)?(?!s)|conversations?|contacts?|exchanges|interact\w*|engage\w*"
    r"|communicat\w*)\b(?P<phone>\s+(?:by|on\s+the)\s+(?:tele)?phone)?",
    re.I,
)
_BY_PHONE = re.compile(r"\b(?:(?:tele)?phone(?:d)?|by\s+phone)\b", re.I)
# Any word a contact question needs (typed or chat shorthand), checked before anything else.
_CONTACT_WORD = re.compile(
    r"\b(?:call|phon|telephon|rang|video|virtual|meet|met\b|in[\s-]person|visit|summit|talk|see|saw"
    r"|speak|spoke|conversation|contact|interact|engag|communicat|exchange|joint|mtg|convo|retreat"
    r"|timeline|chronolog|s[ai]t(?:ting)?\s+down)",
    re.I,
)
_JOINT = re.compile(r"\bjoint\s+statements?\b", re.I)
_EACH = re.compile(
    r"\b(?:each|every)\s+(?:time|call|meeting|conversation|contact|one)\b"
    r"|\b(?:in|during|at)\s+(?:each|every|all)\s+(?:of\s+)?(?:their|the|those)\b",
    re.I,
)
_EVERY = re.compile(
    r"\b(?:every|each|all)\s+(?:(?:of\s+)?(?:their|his|her|the)\s+)?(?:calls?|meetings?|contacts?"
    r"|conversations?)\b",
    re.I,
)
# "Bolsonaro's meetings with Biden and with Putin", "calls with Macron or Scholz": the
# first person's contacts with each of the others, not one contact of all three.
_ALTERNATIVE = re.compile(
    # "... with Kishida in 2022, and with Albanese?": a period may stand before "and with"
    r"^(?:['’]s)?(?:\s*\([^)]{0,60}\))?"
    r"(?:\s+(?:in|during|since|before|after|until)\s+[\w ]{1,30}?(?=\s*,))?"
    r"\s*,?\s*(?:or(?:\s+(?:with|to))?|(?:and|or)\s+(?:also\s+)?with|['’]s\s+and"
    r"|(?:and\s+)?(?:then|later))\s+"
    r"(?:the\s+)?(?:[A-Z][\w.-]*\s+){0,3}$"
)
_HEADS = re.compile(r"\b(?:presidents|prime\s+ministers|heads\s+of\s+(?:state|government))\b", re.I)
# "Did Putin meet Mitsotakis after December 2021? List any contacts.", "Has Biden ever met
# Orbán?": a yes-or-no question about contacts is answered with the list.
_LIST_LATER = re.compile(
    r"[.?!;]\s+(?:please\s+)?(?:list|give|name|show)\b|^\s*(?:did|has|have|had)\b[^?]{0,80}?\bever\b",
    re.I,
)
# "First contact between ...", "what's the earliest Putin–Erdoğan phone call?", "Putin's
# last call/meeting with ...": first or last said of a contact, wherever it stands.
_FIRST_OR_LAST = re.compile(
    r"\b(?:first|earliest|last|latest|final|most\s+recent)\s+(?:[\w/’'-]+\s+){0,4}?(?:contact|call|meet|met"
    r"|speak|spoke|talk"
    r"|meeting|conversation|talks|visit|summit|time|phone)",
    re.I,
)
# "... w/ dates pls", "when did they talk", "Timeline pls:": a list asked for anywhere.
_LIST_CUE = re.compile(
    # "what phone calls", "which bilateral meetings", "what video conferences": a kind of contact
    # named by its manner (not "what visits", "what summits": a trip or a place is more asked)
    r"\b(?:(?:what|which)\s+(?:(?:phone|telephone|video|bilateral|in-person|face-to-face"
    r"|separate)\s+)?(?:calls|meetings|contacts|conversations|talks|video\s?conferences"
    r"|videoconferences|interactions)\b|(?:every|each|all(?:\s+the)?)\s+"
    r"(?:foreign\s+)?(?:leaders?|heads?\s+of)|with\s+whom|who\s*(?:\+|and|&)\s*when|sequence|"
    r"timeline|chronology|with\s+(?:the\s+|their\s+)?dates|w/\s*dates|dates\s+(?:pls|please|too)"
    r"|when\s+did\s+(?:they|he|she|the\s+two)|all\s+(?:the\s+|their\s+|his\s+|her\s+)?contacts"
    r"|at\s+all|who\s+with)\b",
    re.I,
)
# What a question about the content of contacts asks: such a question keeps the usual path.
_CONTENT = re.compile(
    r"\b(?:why|how(?!\s+(?:many|often))|what\s+(?:did|was|were|do|does|is|are)|about|regarding"
    r"|on\s+(?:the\s+)?(?:issue|topic|subject)|agree\w*|say|said|raise\w*|stress\w*|emphasi\w*"
    r"|announce\w*|commit\w*|highlight\w*|urge\w*|welcome\w*|condemn\w*|express\w*|pledge\w*"
    r"|tell(?!\s+me\b)|told|ask\w*|offer\w*|propos\w*|topics?|issues?|purpose|reason|outcome"
    r"|result\w*)\b",
    re.I,
)
_WH = re.compile(r"\b(?:which|what|where|who|whom|whose|why|how)\b", re.I)
_EACH_TOPIC = re.compile(r"\b(?:discuss\w*|talk\w*\s+about|say|said|agree\w*|raise\w*|cover\w*)\b")
_COUNT = re.compile(
    # "Count Biden's meetings with ...", "pls count the calls": a count asked for outright
    r"^\s*(?:(?:please|pls)\s+)?count\s+(?!on\b)"
    r"|\b(?:number\s+of\s+(?:(?:phone|video|separate|bilateral)\s+)?(?:times|calls|meetings|contacts"
    r"|conversations|visits)\b|count\s+(?:of\s+)?(?:the\s+)?(?:calls|meetings|contacts))"
    r"|\bhow\s+(?:often|frequently|many\s+(?:(?:phone|telephone|video|separate|bilateral)\s+)?(?:times|calls|meetings"
    r"|contacts|conversations|visits|summits|occasions|(?:foreign\s+|world\s+|other\s+)?"
    r"(?:leaders|heads\s+of\s+(?:state|government)|counterparts|presidents|prime\s+ministers)))"
    # "how many calls or meetings?", "how many calls/meetings total?" (the slash read as
    # "and"): a count asked at the end of the question, whatever total word closes it
    r"(?:\b(?:\s+\w+){0,3}?\s+(?:did|do|does|have|has|was|were)\b|(?:\s+(?:or|and)\s+\w+)?"
    r"(?:\s+(?:in\s+)?(?:total|all|altogether|overall|combined|all\s+told))?\s*\?*\s*$)"
    # "How many calls between Putin and Erdoğan took place ...", "how many G7 leaders did"
    r"|\bhow\s+many\s+(?:[\w-]+\s+){0,2}?(?:times|calls|meetings|contacts|conversations|visits"
    r"|summits|occasions|leaders|heads\s+of\s+(?:state|government)|counterparts|presidents"
    r"|prime\s+ministers)\b(?=.*\b(?:between|took\s+place|happened|were\s+there|did)\b"
    r"|\s+(?:in|during|between|with|since|over|across)\b|\s*\?)"
    # "putin raisi calls 2022 how many", "... - how many total"
    r"|\bhow\s+many(?:\s+(?:in\s+)?(?:total|altogether|overall|combined|all\s+told))?\s*\?*\s*$"
    # terse: "how many phone calls biden-netanyahu oct 2023" (the contact noun says what)
    r"|\bhow\s+many\s+(?:(?:phone|telephone|video|separate|bilateral|in[\s-]person)\s+)?"
    r"(?:calls|meetings|conversations|contacts)\s+(?=[a-z])",
    re.I,
)
# A question may open with an aside ("In the Kremlin readouts (since October 2021), when
# did ..."): the shape word then follows its comma.
# an opening clause before the question proper ("In 2022, who ..."); a parenthesis in it is
# one piece, commas and all ("In the week before the invasion (Feb 17-23, 2022), who ...")
_LEAD = r"^\s*(?:(?:[^,?:;–—()]|\([^()?]{0,40}\)){0,80}(?:[,:;–—]|\s-)\s*)?"
_ASKS_WHEN = re.compile(
    _LEAD
    # "Which African leader did Putin speak with first": a region's or a kind's leader
    + r"(?:when|who|with\s+whom|on\s+what\s+date|which\s+(?:(?:[\w’'-]+\s+){0,2}?(?:leader|head"
    r"|president|prime\s+minister|counterpart)|day|date|month)|what\s+(?:was|is)\s+the\s+(?:date|first|last"
    r"|latest|most))\b",
    re.I,
)
_FIRST = re.compile(
    r"\b(?:first|earliest)\b(?!\s+(?:half|quarter|days?|weeks?|months?|fortnight"
    r"|[\w-]+\s+(?:weeks|months|days)\s+of\b))",
    re.I,
)
_LAST = re.compile(
    r"\b(?:(?:last|final)(?!\s+(?:week|month|year|half|quarter|fortnight"
    r"|(?:[\w-]+\s+)?(?:weeks|months|days)\s+of\b))"
    r"|latest|most\s+recent(?:ly)?)\b",
    re.I,
)
_LIST = re.compile(
    _LEAD + r"(?:when\s+(?:did|have|has|were|was)\b|list\b|(?:trace|chart|chronicle|outline|map)\s"
    r"|(?:please\s+)?(?:give|show)\s+(?:me\s+)?"
    r"(?:a|the)\s+(?:timeline|list|chronology|history)\b|timeline\b|(?:with\s+)?whom\s+did\b"
    r"|who\s+did\s+\w+(?:\s+\w+){0,2}\s+(?:call|meet|speak|talk|phone|sit\s+down)"
    # "Who called Biden in January 2022?", "Who met with Putin in Moscow?" (not what about)
    r"|who\s+(?:called|phoned|met(?:\s+with)?|visited|(?:spoke|talked)\s+(?:with|to))\s+"
    r"(?![^?]*\b(?:about|discuss\w*|regarding)\b)"
    r"|(?:in|on)\s+which\s+(?:months?|days?|dates?|weeks?)\b|what\s+dates?\b)",
    re.I,
)
_WHICH_LEADERS = re.compile(
    r"\b(?:which|what|who\s+(?:among|of)\s+(?:the\s+)?)\s*(?:[\w'’-]+\s+){0,3}?"
    r"(?:leaders?|heads?\s+of\s+(?:state|government)"
    r"|presidents?|prime\s+ministers?|counterparts?)\b[^?]*?\b(?:did|has|have)\b",
    re.I,
)
# "Who did Harris meet in Munich ...?": asks for counterparts, as "which leaders" does
_WHO_DID = re.compile(r"\bwho\s+(?:did|has|have)\b", re.I)
_LEADERS = re.compile(
    r"\b(?:leaders?|heads?\s+of\s+(?:state|government)|counterparts?|presidents|prime\s+ministers)\b",
    re.I,
)
_FOREIGN_LEADERS = re.compile(
    r"\b(?:foreign|overseas|world|other\s+countries'?)\s+(?:leaders?|heads?\s+of|counterparts?|presidents"
    r"|prime\s+ministers|(?:phone\s+)?calls|meetings|contacts|conversations)\b",
    re.I,
)
_FOREIGN = re.compile(r"\b(?:foreign|overseas|world|other\s+countries'?)\b", re.I)
_OPTIONAL = re.compile(r"\b(?:including|counting|incl\.)\b", re.I)
_SINCE = re.compile(r"\b(?:since|after|from)\s+$", re.I)
_BEFORE = re.compile(r"\b(?:before|until|till|by)\s+$", re.I)
_THROUGH = re.compile(r"\b(?:through|thru|up\s+to)\s+$", re.I)
_OPENS = re.compile(
    r"\b(after|since|following|before)\b(?!.*\b(?:after|since|following|before)\b)", re.I
)
_PUBLISHERS = (("kremlin", "kremlin"), ("white house", "white house"))
# regions named by a noun ("his Middle East trip"): no person and no country
_REGION_NAMES = frozenset(REGIONS) | {"western hemisphere", "north africa"}
_NOT_PEOPLE = frozenset({"kremlin", "white house", "readouts", "readout"})
_MONTH_WORD = re.compile(r"\b[A-Z][a-z]{2,8}\b")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


@dataclass
class ContactQuestion:
    """What a contact question asks, in the table's terms."""

    shape: str  # "list", "count", "first", "last" or "each"
    names: list[str]  # the people every contact must include, as the question writes them
    kinds: tuple[str, ...] | None  # None: every kind but joint statements
    noun: str  # "call", "meeting", "call or meeting", "joint statement": how answers say it
    since: str | None = None  # ISO, inclusive
    until: str | None = None
    period: str = ""  # " in 2022", " from March to June 2022", "" (leading space)
    countries: list[str] = field(default_factory=list)  # a participant from each
    optional: list[str] = field(default_factory=list)  # "including joint calls with Macron"
    counterparts: bool = False  # asks which leaders / how many leaders
    foreign: bool = False  # "foreign leaders": counterparts from another country
    abroad: bool = False  # asked for leaders or counterparts: of another country, as foreign
    publisher: str = ""  # "kremlin", "white house": contacts that publisher read out
    text: str = ""  # the question as asked
    # "with Biden and with Putin", "meet Biden or Harris", "Putin's and Biden's calls": any
    # one of these names with all the other names (never all of them together)
    alternatives: list[str] = field(default_factory=list)
    heads: bool = False  # "which presidents and prime ministers": heads of state or government
    after_first: bool = False  # "after their talks in Sochi in December 2021": the window
    among: tuple[str, ...] = ()  # "Latin American leaders": a counterpart from one of these
    among_label: str = ""  # how the question names them ("Latin American")
    place: str = ""  # "which leaders did Biden meet in Jeddah": where the contacts were
    # "the President of Israel": (country, office) -- a participant of that country who
    # held that office (see :func:`.offices.holds_office`); and how the question says it
    offices: tuple[tuple[str, str], ...] = ()
    office_label: str = ""  # also "the Biden White House": the other side as asked
    days: tuple[tuple[int, int], ...] = ()  # "on Christmas Day": (month, day) in any year
    # "on Thanksgiving", "over Easter weekend" with no year: (first, last) ISO day of each year
    spans: tuple[tuple[str, str], ...] = ()
    # "after Merkel left office": the window opens after that person's last contact
    left_office: str = ""
    # opens the day after their first contact in the period named, and has no end


def _kinds(q: str) -> tuple[tuple[str, ...] | None, str] | None:
    """(kinds, noun) the contact words of a question name; None when it names none."""
    families: list[str] = []
    # "phone conversations", "telephone talks": the speak word says how, as "by phone" does
    speak = [
        (m, bool(m.group("phone")) or _PHONE_BEFORE.search(q, 0, m.start()) is not None)
        for m in _SPEAK.finditer(q)
    ]
    if _JOINT.search(q):
        return ("joint statement",), "joint statement"
    if _CALLS_ONLY.search(q):  # "how often did they talk, counting phone calls only?"
        return (("phone call",), "phone call") if _BY_PHONE.search(q) else (_CALL_KINDS, "call")
    if _CALL.search(q) or _VIDEO.search(q) or any(phone for _, phone in speak):
        families.append("call")
    if _MEET.search(q):
        families.append("meeting")
    if any(not phone for _, phone in speak) or len(families) == 2:
        return None, "call or meeting"
    if families == ["call"]:
        # "video calls": the "calls" of "video calls" is no other kind of call
        if _VIDEO.search(q) and not _CALL.search(_VIDEO.sub(" ", q)):
            return ("video call",), "video call"
        if _BY_PHONE.search(q) and not _VIDEO.search(q):
            return ("phone call",), "phone call"  # "phone calls": not a video summit
        return ("phone call", "video call"), "call"
    if families == ["meeting"]:
        if _IN_PERSON.search(q):
            return ("meeting", "talks", "visit", "summit"), "meeting"
        # "met" covers meetings held by video ("met virtually with 15 Caribbean leaders")
        return ("meeting", "talks", "visit", "summit", "video call"), "meeting"
    if _TIMELINE_WORD.search(q):  # "Timeline: Biden-Zelenskyy, 2022": every kind of contact
        return None, "call or meeting"
    return None


_IN_PERSON = re.compile(
    r"\b(?:in[\s-]person|face[\s-]to[\s-]face|physically|in\s+the\s+same\s+room)\b", re.I
)
_PHONE_BEFORE = re.compile(r"\b(?:tele)?phone\s+$", re.I)
_CALLS_ONLY = re.compile(
    r"\b(?:(?:tele)?phone\s+)?calls?\s+only\b|\bonly\s+(?:the\s+)?(?:(?:tele)?phone\s+)?calls\b",
    re.I,
)
_CALL_KINDS = ("phone call", "video call")
_TIMELINE_WORD = re.compile(r"\b(?:timeline|chronology)\b", re.I)


_ABOUT_WHAT = re.compile(
    r"\b(?:topics?|subjects?|agenda|themes?)\s+(?:of|in|at|during|discussed|raised|covered)\b"
    r"|\bwhat\s+(?:was|were)\s+(?:discussed|said|agreed|raised)\b",
    re.I,
)


def _shape(q: str) -> str | None:
    if _EACH.search(q) and _EACH_TOPIC.search(q):
        return "each"
    if _ABOUT_WHAT.search(q):
        return None  # "List the topics of Putin's calls": what was said, not when
    if _COUNT.search(q):
        return "count"
    topic = _EACH_TOPIC.search(q)  # "what did they discuss in their first call": a topic
    ends = None if topic else _FIRST_OR_LAST.search(q)
    if (_ASKS_WHEN.search(q) or ends) and _FIRST.search(q):
        return "first"
    if (_ASKS_WHEN.search(q) or ends) and _LAST.search(q):
        return "last"
    if _LIST.search(q) or _WHICH_LEADERS.search(q) or _EVERY.search(q) or _LIST_LATER.search(q):
        return "list"
    if (_LIST_CUE.search(q) or _FOREIGN_LEADERS.search(q)) and not topic:
        return "list"
    if not topic and not _CONTENT.search(q) and not _WH.search(q):
        # "trudeau biden calls 2021", "Did Putin and Xi meet in 2022?": a contact word and a
        # person (checked by the caller), and nothing else asked
        return "list"
    return None


_NAMED_ENOUGH = 3
_LEADER_TITLE = re.compile(
    r"^(?!.*\b(?:Vice|Deputy)\b).*\b(?:President|Prime\s+Minister|Chancellor|King|Queen|Emir"
    r"|Amir|Sultan|Pope|Premier|Taoiseach|Crown\s+Prince|Secretary[- ]General)\b"
)


def may_ask_about_contacts(question: str) -> bool:
    """False when ``question`` has no word of a contact at all (most questions): then no
    table needs reading to know it is an ordinary question."""
    # "did they tlak": a contact word typed with two letters swapped counts too
    return bool(_CONTACT_WORD.search(question) or _CONTACT_WORD.search(unswap(question.lower())))


def _blank(text: str, start: int, end: int) -> str:
    """``text`` with ``text[start:end]`` blanked out, offsets kept: words read as when or where
    are set aside before names are read."""
    return text[:start] + " " * (end - start) + text[end:]


def parse_question(question: str, people: People) -> ContactQuestion | None:
    """The contact question ``question`` asks, or None when it is no contact question.

    ``people`` are the persons of the contacts table; at least one named person must be
    one of them. A capitalised word that is neither a person nor a country nor a
    publisher ("Woodside") makes the question an ordinary one."""
    if not may_ask_about_contacts(question):
        return None  # no word of a contact at all: skip the rewriting below (most questions)
    q = normalise(question, people)

    def is_person(name: str) -> bool:
        return bool(people.match(name))

    shape = _shape(q)
    following = _NEXT.search(q) if shape in (None, "list") else None
    if (
        following is not None
        and (_ASKS_WHEN.search(q) or _LEADERS.search(q))
        and re.search(r"\b(?:after|following|since)\b", q, re.I)  # not "when is the next"
    ):
        shape = "first"  # "which leader was the next to meet him": the first one after
    found = _kinds(q) if shape else None
    if shape is None or found is None:
        return None
    kinds, noun = found
    region = find_region(q)
    # the region's words ("Latin American") are no name and no country of the people asked
    # about: blanked (offsets kept) before the people are read
    plain = q if region is None else _blank(q, *region[2])
    occasions = occasion_spans(plain)  # "on Christmas Day", "the Fourth of July", "New Year"
    for start, end in occasions:  # when, not who
        plain = _blank(plain, start, end)
    left = _LEFT_OFFICE.search(plain)
    if left is not None:  # "after Merkel left office": when, not who
        plain = _blank(plain, *left.span())
    aside = _AFTER_CONTACT.search(plain)
    if aside is not None and _LEADERS.search(plain[aside.end() :]):
        # "After Putin's meeting with Imran Khan on Feb 24, 2022, which foreign leader was
        # next ...": the contact named dates the window; its counterpart is not asked about
        a, b = aside.span("who")
        plain = _blank(plain, a, b)
    which = _WHICH_LEADERS.search(q) or _WHO_DID.search(q)
    # after the verb it asks about ("did Biden meet in Jeddah"), not in an aside about a
    # trip to several places ("During her trip to the APEC summit in Bangkok and ...")
    place = _asked_place(plain, is_person, which.end()) if which else None
    if place is not None:  # "Which Gulf leaders did Biden meet in Jeddah": where, not who
        plain = _blank(plain, *place.span())

    def is_name(word: str) -> bool:
        # a word some person of the table is known by: the first or last word of the name
        # of a leader, or of someone named a few times (not "National Security", once)
        key = name_key(word)
        return any(
            (_LEADER_TITLE.search(p.role) or p.mentions >= _NAMED_ENOUGH)
            and key
            and key[-1] in (name_key(p.name)[:1] + name_key(p.name)[-1:])
            for p in people.match(word)
        )

    found_people = _people(
        plain, is_person, people.role_words, is_name, lambda n: people.named(n) is not None
    )
    if (terms := government_terms(plain)) and found_people[0]:
        # "during the Biden administration": a time, not a side, when someone else is named
        timeless = plain
        for start, end in terms:
            timeless = _blank(timeless, start, end)
        others = _people(
            timeless, is_person, people.role_words, is_name, lambda n: people.named(n) is not None
        )
        if others[0] and any(is_person(n) for n in others[0]):
            plain, found_people = timeless, others
    names, optional, countries = found_people
    if names is not None and not names:
        # "Which leaders did the Vice President meet": the office is the only side named
        names = [n for n in _office_holders(plain, [], people, _publisher(q.lower()))]
    if names is None or not any(is_person(n) for n in names):
        return None
    if region is not None:
        # "his Quad counterparts (the Japanese, Indian or Australian PM)": countries of the
        # region named say which of its members, each one a counterpart, not all together
        countries = [c for c in countries if c not in region[1]]
    # "Yunus and the Biden White House": the leader's government, any of its officials
    governments = {
        n: leader
        for n, leader in government_names(plain, names).items()
        if people.match(leader) and people.match(leader)[0].country
    }
    if governments and any(is_person(n) for n in names if n not in governments):
        names = [n for n in names if n not in governments]
        home = [people.match(leader)[0].country for leader in governments.values()]
        # a country someone else named is of ("with Biden or with VP Harris") is no
        # further condition
        theirs = {people.match(n)[0].country for n in names if people.match(n)}
        countries += [c for c in dict.fromkeys(home) if c not in countries and c not in theirs]
        said = [_government_said(plain, n) for n in governments]
    else:
        said = []
    described = descriptive_names(plain, names)  # "Zelensky's chief of staff Andriy Yermak"
    if any(is_person(n) for n in names if n not in described):
        names = [n for n in names if n not in described]
    low = q.lower()
    offices = _office_holders(plain, names, people, _publisher(low))
    names += [n for n in offices if n not in names]
    counterparts = bool(
        region is not None
        or _WHICH_LEADERS.search(q)
        or (shape in ("count", "first") and _LEADERS.search(q))
        or (len(names) == 1 and _FOREIGN_LEADERS.search(q))  # "List the foreign leaders ..."
    )
    of_countries = find_country_offices(plain)
    held = [o for o in of_countries if o.country in countries]
    mine = _COUNTERPART.search(plain)
    if mine and len(names) == 1 and (asker := people.match(names[0])):
        # "Sullivan ... his Indian counterpart": India's holder of Sullivan's own office, when
        # it is an official's (a leader's counterpart is any leader: "Biden's Japanese
        # counterpart" is Japan's prime minister)
        office = office_of(asker[0].role)
        found = find_countries(mine.group("c"))
        if office in _OFFICIALS and found and found[0] in countries:
            held = [o for o in held if o.country != found[0]]
            held.append(CountryOffice(found[0], office, mine.start(), mine.end()))
    # "the UN Secretary-General", "the Pope", "the Emir" (not "the Emir or the Crown Prince
    # of Kuwait": a country's)
    held += [
        o
        for o in find_body_offices(plain)
        if not any(o.start < c.end and c.start < o.end for c in of_countries)
    ]
    dated = plain  # the days named by occasion say when: back for the period
    for start, end in occasions:
        dated = dated[:start] + q[start:end] + dated[end:]
    since, until, period = _period(dated)  # "Middle Eastern" is no "mid-" of a month
    # "on Christmas Day", "on November 14" with no year named: that day in any year
    days = tuple(_yearless_days(q)) if since is None and until is None else ()
    if days:
        period = " on " + " or ".join(f"{MONTHS[m - 1]} {d}" for m, d in days)
    spans, occasion = _every_year(q) if since is None and until is None and not days else ((), "")
    if spans:
        period = f" on {occasion} (any year)"
    if following is not None and shape == "first" and since and until is None:
        # "the next to meet him after ... on Feb 24": after that day, not on it
        start = dt.date.fromisoformat(since)
        since = (start + dt.timedelta(days=1)).isoformat()
        period = f" after {say_day(start)}"
    anchor = _ANCHOR.search(q)
    after_first = bool(anchor and anchor.group(0).lower().startswith(("after", "since")) and since)
    if (
        len(names) == 1
        and not (countries or held or offices or region or counterparts or left)
        and (_unread_side(plain, is_person) or _unread_counterpart(plain, names[0], is_person))
    ):
        # "with the leaders of both Koreas": a side the question names that the reader did
        # not make out; every contact of the one person named would be no answer to it
        return None
    alternatives = _alternatives(q, names, bool(countries))
    if offices:  # "Biden or his National Security Advisor": each of them in turn
        alternatives += [
            n for n in _joined_to_offices(plain, names, offices) if n not in alternatives
        ]
    return ContactQuestion(
        shape=shape,
        names=names,
        kinds=kinds,
        noun=noun,
        since=since,
        until=until,
        period=period,
        countries=countries,
        optional=optional,
        counterparts=counterparts,
        foreign=counterparts and bool(_FOREIGN.search(q)),
        # "Which leaders did Biden speak with?": leaders are another country's (or an
        # international body's); "who did Biden meet" asks for anyone
        abroad=(counterparts and bool(region or _LEADERS.search(q) or _WHICH_LEADERS.search(q)))
        or _asks_whom(q, names, shape),
        publisher=_publisher(low),
        text=q,
        alternatives=alternatives,
        heads=counterparts and bool(_HEADS.search(q)),
        after_first=after_first,
        place=place.group("place") if place else "",
        among=tuple(sorted(region[1])) if region else (),
        among_label=" ".join(w if w.isupper() else w.capitalize() for w in region[0].split())
        if region
        else "",
        offices=tuple((o.country, o.office) for o in held),
        office_label=_office_label(q, held) or " or ".join(said),
        days=days,
        spans=spans,
        left_office=left.group("who") if left is not None else "",
    )


# "Who did Putin talk to in June 2022?", "whom did Biden call ...": the asker's
# counterparts, as the readouts' contacts are; not "who did Biden meet at home" nor a
# question naming the domestic side it wants ("which governors", "officials")
_WHO_DID = re.compile(
    r"^\W*(?:(?:so|and|ok|okay)\W+)?who(?:m)?\s+(?:did|has|have|had"
    r"|called|phoned|met|visited|spoke|talked)\b",
    re.I,
)
_HOME_SIDE = re.compile(
    r"\b(?:governors?|senators?|congress(?:men|women|man|woman)?|lawmakers?|mayors?|speaker"
    r"|officials?|ministers?|aides?|cabinet|domestic|at\s+home|anyone|anybody|everyone|everybody"
    r"|business|ceos?|russians?|americans?)\b",
    re.I,
)


def _asks_whom(q: str, names: list[str], shape: str) -> bool:
    """Whether a "who did X call/meet/talk to" question with one person named asks for
    X's counterparts abroad: the readouts are of diplomatic contacts, and a list of every
    archpriest and governor X saw in the window answers no one who asks whom he called."""
    return (
        shape == "list"
        and len(names) == 1
        and bool(_WHO_DID.search(q))
        and not _HOME_SIDE.search(q)
    )


_SIDE_OFFICE = (
    r"(?:leaders?|presidents?|prime\s+ministers?|pms?|chancellors?|kings?|emirs?|premiers?"
    r"|heads?\s+of\s+(?:state|government)|rulers?|monarchs?|national\s+security\s+advis[eo]rs?"
    r"|foreign\s+ministers?)"
)
# "the leaders of both Koreas", "Pyongyang's leader": an office of a country or place named
_NAMED_SIDE = re.compile(
    rf"\b{_SIDE_OFFICE}\s+of\s+(?:the\s+)?(?P<of>[\w’'-]+)"
    rf"|(?P<pos>[A-Za-z][\w.-]*)['’]s?\s+(?:(?:new|top|former|current)\s+)?{_SIDE_OFFICE}\b",
    re.I,
)


def _unread_side(q: str, is_person: Callable[[str], bool]) -> bool:
    """Whether ``q`` names the other side by the office of a country or place (see
    :data:`_NAMED_SIDE`) -- not a person's office ("Biden's national security advisor"),
    nor an office said of the person named after it ("Ghana's president Akufo-Addo")."""
    for m in _NAMED_SIDE.finditer(q):
        owner = m.group("pos")
        if owner and (is_person(owner) or owner.lower() in ("his", "her", "their", "its")):
            continue
        named = _NAME_NEXT.match(q, m.end())
        if named and any(is_person(w) for w in named.group(1).split()):
            continue
        return True
    return False


# the slot of the other side of a contact: "X and <w> talk", "between <w> and X", "X-<w>",
# "calls with <w>", "did X talk to <w>", "did X meet <w>"
_OTHER_WORD = r"(?P<w>[^\W\d_][^\W\d_'’]*)"
_SIDE_TITLE = (
    r"(?:(?:the\s+)?(?:president|prime\s+minister|pm|chancellor|premier|king|emir|sheikh"
    r"|leader|mr|mrs|ms|dr)\.?\s+)?"
)
_CONTACT_SLOT = re.compile(
    r"\b(?:with|to|meet|met|meeting|call|called|calling|phone|phoned|phoning|ring|rang|see"
    rf"|saw|host|hosted|receive|received|visit|visited)\s+{_SIDE_TITLE}{_OTHER_WORD}",
    re.I,
)
# words a slot may hold that the word list (content words) leaves out
_SLOT_WORDS = frozenset(
    (
        "him her them us me whom who whose what which how many much each every one any all some"
        " both his hers their theirs its our my your the a an from since before between during"
        " via for across within without among amongst upon into onto toward towards around"
        " regarding concerning these those this that there here then when where while whether"
        " either neither nor not no none than also just only ever already yet again still even"
        " other another such same own more most less least few several anyone someone anybody"
        " somebody everyone everybody whoever he she it they we you i did does do done doing"
        " has have had having was were is are be been being am can could would should will"
        " shall may might must met led saw spoke said made took held told rang sent gave went"
        " came flew sat"
    ).split()
)
# inflections the word list (lemmas) leaves out: "conversations", "visited", "talking"
_WORD_ENDINGS = (
    ("ies", "y"),
    ("es", ""),
    ("s", ""),
    ("ed", ""),
    ("ed", "e"),
    ("d", ""),
    ("ing", ""),
    ("ing", "e"),
    ("ly", ""),
    ("er", ""),
    ("est", ""),
)


def _unread_counterpart(q: str, name: str, is_person: Callable[[str], bool]) -> bool:
    """Whether a word in the slot of the other side of a contact with ``name`` ("putin and
    aliev talk", "Putin-Aliev", "calls with aliev") is one the reader cannot make out: no
    person of the table, no English word, no country, capital or region. Every contact of
    ``name`` would then be read as the answer to a question about two sides, so the
    question goes the usual way instead (as with a side named by an unread office)."""
    at = re.escape(name)
    slots = [
        *re.finditer(rf"\b{at}\s*(?:\band\b|&|[-–])\s*{_OTHER_WORD}", q),
        *re.finditer(rf"(?<![\w'’-]){_OTHER_WORD}\s*(?:\band\b|&|[-–])\s*{at}\b", q),
        *_CONTACT_SLOT.finditer(q),
    ]
    return any(
        _unreadable(m.group("w"), is_person)
        and not _country_at(q[m.start("w") : m.start("w") + 40])  # "Papua New Guinea"
        for m in slots
    )


def _country_at(text: str) -> bool:
    """Whether ``text`` opens with the name of a country or capital of two or three words
    ("Papua New Guinea's", "San Salvador", "trinidad and tobago")."""
    words = re.sub(r"['’]s\b", "", text).split()
    for n in (4, 3, 2):
        name = " ".join(w.strip(".,;:?!()") for w in words[:n])
        if country_of_name(" ".join(w[:1].upper() + w[1:] for w in name.split())):
            return True
        if name.lower() in seats():
            return True
    return False


def _unreadable(word: str, is_person: Callable[[str], bool]) -> bool:
    low = word.lower()
    if len(word) < 3 or low in _SLOT_WORDS or low in english_words() or is_person(word):
        return False
    if is_acronym(word) or is_region_word(word) or month_number(word) is not None:
        return False
    written = word[:1].upper() + word[1:]
    if country_of_name(written) or low in seats() or is_person(written):
        return False
    stems = [low[: -len(end)] + new for end, new in _WORD_ENDINGS if low.endswith(end)]
    stems += [s[:-1] for s in stems if len(s) > 2 and s[-1] == s[-2]]  # "planned"
    stems.append(stem(low))  # the word list's words are stemmed: "meetings" -> "meet"
    if any(s in english_words() or s in STOPWORDS_EN for s in stems):  # "leaders", "visited"
        return False
    return not (low.endswith("s") and country_of_name(written[:-1]))  # "Russians"


_NAME_NEXT = re.compile(r"\s+([A-Z][\w.’'-]*(?:[\s-][A-Z][\w.’'-]*){0,2})")


_OFFICIALS = frozenset({"national security advisor", "foreign minister", "defense minister"})
# "his Indian counterpart", "her French counterparts": the holder of the asker's office
_COUNTERPART = re.compile(
    r"\b(?:his|her|their)\s+(?P<c>[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)?)\s+counterparts?\b"
)
# "the next to meet him", "the next leader he called", "next call": the first one after
# a day or contact named (not "next week", "next year")
_NEXT = re.compile(
    r"\bnext\s+(?:to\s+(?:\w+\s+)?(?:call|meet|speak|talk|phone|visit|see)\b"
    r"|(?:(?:foreign\s+)?(?:leader|head\s+of\s+\w+|counterpart|president|prime\s+minister)\s+)?"
    r"(?:call|meeting|contact|conversation|visit|talks)\b"
    r"|(?:foreign\s+)?(?:leader|counterpart|head\s+of\s+\w+)\s+(?:he|she|they|\w+)\s+"
    r"(?:called|met|spoke|talked|phoned|visited|saw)\b)"
    r"|\b(?:call(?:ed)?|meet|met|speak|spoke|talk(?:ed)?|phoned?|visit(?:ed)?|see|saw)\s+next\b",
    re.I,
)
# "after Merkel left office", "once Abe stepped down", "after Johnson's resignation": a
# time, not a side of the contacts
_LEFT_OFFICE = re.compile(
    r"\b(?i:after|since|once|when|following)\s+(?:(?:the\s+)?[\w-]+\s+)?"
    r"(?P<who>[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,2}?)"
    r"(?:\s+(?:had\s+)?(?:left|leaves|stepped\s+down|steps\s+down|resigned|departed)"
    r"(?:\s+(?:office|power|the\s+(?:chancellery|presidency|premiership)))?"
    r"|['’]s\s+(?:departure|exit|resignation|retirement)(?:\s+from\s+office)?)\b"
)
# "After Putin's meeting with Imran Khan on Feb 24, 2022, ...": a past contact that
# dates the question, with the person it was with
_AFTER_CONTACT = re.compile(
    r"\b(?i:after|following|since)\s+(?:[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,2}['’]s\s+"
    r"|(?:the|their|his|her)\s+)?(?:\w+\s+){0,2}?(?:meeting|call|talks|visit|summit"
    r"|conversation)s?\s+with\s+(?:\w+\s+){0,2}?"
    r"(?P<who>[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,3})"
)


def _government_said(q: str, name: str) -> str:
    """ "the Biden White House", "the Biden administration": how the question names it."""
    m = re.search(rf"\b{re.escape(name)}(?:['’]s)?(?:\s+[A-Za-z]+(?:\s+House)?)?", q)
    words = m.group(0) if m else name
    if name.endswith(("White House", "Kremlin")) or not m:
        return f"the {name}"
    return f"the {words.replace('’s', '').replace(chr(39) + 's', '')}"


def _office_label(q: str, held: list) -> str:
    """ "the President of Israel": the offices asked about as the question writes them."""
    if not held:
        return ""
    start, end = min(o.start for o in held), max(o.end for o in held)
    said = " ".join(q[start:end].split())
    opening = re.match(r"(?:the|his|her|their)\s+", said, re.I)
    said = said[opening.end() :] if opening else said
    return said if "'" in said or "’" in said else f"the {said}"


# "... did Biden meet in Jeddah during ...": a capitalised word after "in" or "at" that is
# no person, no country and no month
_IN_PLACE = re.compile(r"\b(?:in|at)\s+(?:the\s+)?(?P<place>[A-Z][a-z][\w’'-]+)(?![\w’'-])")
_CONTINENTS = frozenset({"europe", "asia", "africa", "america", "americas", "oceania"})


def _asked_place(q: str, is_person: Callable[[str], bool], after: int) -> re.Match[str] | None:
    """Where the contacts a "which leaders" question asks about took place, if it says
    after the verb asked about (which ends at ``after``)."""
    for m in _IN_PLACE.finditer(q, after):
        word = m.group("place")
        low = word.lower()
        if not (
            is_person(word)
            or find_countries(word)
            or month_number(word)
            or is_region_word(word)
            or low in _CONTINENTS
            or low in _REGION_NAMES
        ):
            return m
    return None


# what may stand between a name and an office it is listed with ("Biden or his NSA")
_OFFICE_GAP = re.compile(r"^\s*(?:,\s*|,?\s*or\s+|,?\s*and\s+)$")


def _office_holders(q: str, names: list[str], people: People, publisher: str) -> dict[str, int]:
    """The persons who held the offices ``q`` names (see :mod:`.offices`), each with
    where its office is named."""
    home_of = {}
    for name in names:
        found = people.match(name)
        home_of[name] = found[0].country if found else ""
    holders: dict[str, int] = {}
    for ref in find_offices(q, people, home_of, publisher_country(publisher)):
        for person in ref.persons:
            holders.setdefault(person.name, ref.start)
    return holders


def _joined_to_offices(q: str, names: list[str], offices: dict[str, int]) -> list[str]:
    """The office holders, and the names listed with their offices by "or" or a comma
    ("President Biden or his National Security Advisor"): alternatives to each other."""
    out = list(offices)
    for name in names:
        if name in offices:
            continue
        for m in re.finditer(rf"\b{re.escape(name)}\b", q):
            gap_to = [at for at in offices.values() if at >= m.end()]
            if gap_to and _OFFICE_GAP.match(q[m.end() : min(gap_to)]):
                out.append(name)
                break
    return out


# "after their talks in Sochi in December 2021": a past contact named by its place marks
# where the window starts; the place is no person the question asks about.
_ANCHOR = re.compile(
    r"\b(?:after|before|since)\s+(?:their|the|his|her)\s+(?:\w+\s+){0,2}?"
    r"(?:talks|meetings?|calls?|visit|summit)\s+(?:in|at)\s+(?P<place>[A-Z][\w-]+)"
)


# a contact's verb ends a description too: "did the Japanese PM meet Biden" -- the
# Japanese PM is the other side, not Biden's country
_DESCRIPTOR_BREAK = re.compile(
    r".*(?:[,;:()]|\b(?:with|and|or|between|in|to|of\s+the|meet|met|meets|call|called|calls"
    r"|speak|spoke|talk|talked|phone|phoned|visit|visited|see|saw|host|hosted)\b)",
    re.S,
)


_ABBREVIATED_ROLES = frozenset(
    {
        "pm",
        "fm",
        "vp",
        "potus",
        "pres",
        "pres.",
        "chancellor",
        "leader",
        "secretary-general",
        "chief",
    }
)


_LISTED = re.compile(
    r"\([^()]{3,80}\)|\bboth\s+(?:with\s+)?[A-Z][^,?.;]{0,40}?\s+and\s+(?:with\s+)?[A-Z][\w.-]*"
)


def _alternatives(q: str, names: list[str], countries: bool = False) -> list[str]:
    """The names joined by "or", "and with" or "'s and" in the question, when some other
    name, or a country ("Putin's and Biden's calls with Vietnam's leaders"), is asked about
    too; [] otherwise."""
    placed = sorted((m.start(), n) for n in names for m in re.finditer(rf"\b{re.escape(n)}\b", q))
    group: list[str] = []
    for (a, first), (b, second) in zip(placed, placed[1:], strict=False):
        if first != second and _ALTERNATIVE.match(q[a + len(first) : b]):
            group += [n for n in (first, second) if n not in group]
    # "Putin, Biden, Vice President Harris or Trump", "Sullivan or his deputy Jon Finer": a
    # list of names closed by "or" names each one in turn
    chain: list[str] = []
    for (a, first), (b, second) in zip(placed, placed[1:], strict=False):
        gap = q[a + len(first) : b]
        if first != second and (_LIST_COMMA.match(gap) or _LIST_OR.match(gap)):
            chain += [n for n in (first, second) if n not in chain]
            if _LIST_OR.match(gap):
                group += [n for n in chain if n not in group]
        else:
            chain = []
    # "(Varadkar + Harris)", "(President Duda, PM Morawiecki)": the names listed in one
    # aside after a counterpart ("Ireland's taoiseach", "Polish leaders") are each one of
    # the counterparts; "talk to both Putin and Biden": each of them in turn.
    for listed in _LISTED.finditer(q):
        inside = [n for at, n in placed if listed.start() <= at < listed.end()]
        if len(set(inside)) >= 2:
            group += [n for n in inside if n not in group]
    return group if group and (len(group) < len(names) or countries) else []


# between two names of a list: a comma, then maybe a title ("Putin, Vice President Harris")
_LIST_COMMA = re.compile(r"^(?:['’]s)?\s*,\s+(?:(?:the\s+)?(?:[A-Z][\w.-]*\s+){0,3})?$")
# the last of a list: "or", then maybe who they are ("or his deputy Jon Finer")
# ("Sullivan or his deputy speak with Kalin": after a preposition the name is the counterpart)
_LIST_OR = re.compile(
    r"^(?:['’]s)?\s*,?\s+or\s+(?:(?:his|her|their|the)\s+)?(?:[\w.-]+\s+){0,3}$"
    r"(?<!\bwith\s)(?<!\bto\s)(?<!\band\s)(?<!\bfrom\s)"
)


def _without_description(words: list[str], roles: frozenset[str]) -> list[str]:
    """A name without the country and title written before it ("New Zealand PM Jacinda
    Ardern" -> "Jacinda Ardern"); the last word always stays."""
    while len(words) > 1:
        lead = next(
            (k for k in (3, 2, 1) if k < len(words) and country_of_name(" ".join(words[:k]))), 0
        )
        first = words[0].lower()
        if not lead and (first in roles or first in _ABBREVIATED_ROLES or is_acronym(words[0])):
            lead = 1
        if not lead:
            break
        words = words[lead:]
    return words


def _described(q: str, name: str) -> list[str]:
    """Countries written right before a person's name, describing them ("Kazakhstan's
    first president", "the Serbian President")."""
    at = q.find(name)
    if at <= 0:
        return []
    window = q[max(0, at - 50) : at]
    cut = _DESCRIPTOR_BREAK.match(window)
    return find_countries(window[cut.end() :] if cut else window)


_OFFICE = (
    r"(?:president|prime\s+minister|pm|chancellor|premier|king|emir|leaders?|heads?\s+of"
    r"\s+(?:state|government)|government|counterparts?|crown\s+prince|taoiseach"
    r"|rulers?|monarchs?|royals?|leadership)"
)
_COUNTRY_BEFORE_OFFICE = re.compile(
    rf"(?P<c>[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){{0,2}})(?:['’]s)?\s+"
    rf"(?:(?:top|new|former|then|current|own|first|elected)\s+)?{_OFFICE}\b",
    re.I,
)
_OFFICE_OF_COUNTRY = re.compile(
    rf"\b{_OFFICE}\s+(?:of|from)\s+(?:the\s+)?(?P<c>[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){{0,3}})",
    re.I,
)


def _leader_countries(q: str) -> set[str]:
    """Countries the question names as someone's ("the Mexican president", "Japan's prime
    minister", "leaders of Vietnam"); a country named as a place or a subject ("the Gaza
    fighting", "about Ukraine") is no condition on who took part."""
    out: set[str] = set()
    for pattern in (_COUNTRY_BEFORE_OFFICE, _OFFICE_OF_COUNTRY):
        for m in pattern.finditer(q):
            out.update(find_countries(m.group("c")))
    out.update(o.country for o in find_country_offices(q))  # "the Philippine NSA"
    return out


# "calls with Ankara", "between Biden and Tokyo", "w/ Kyiv": a capital or seat of government
# on the other side of a contact stands for its government (not "in Ankara": a place; nor
# "and the Moscow meeting", "or the Paris talks": a capital before the noun of a contact
# says where it was held)
_SEAT_SIDE = re.compile(
    r"\b(?:with|between|and|or|w/|&)\s+(?:the\s+)?(?P<s>[A-Za-z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?)"
    r"(?!['’]s?\s+(?:readouts?|account|statement))"
    r"(?!\s+(?:in-person\s+|bilateral\s+|face-to-face\s+)?(?:meetings?|talks|summits?|visits?"
    r"|trips?|conferences?|sessions?|negotiations|round|format|sit-?downs?|get-?togethers?)\b)"
)


def _seat_countries(q: str) -> list[str]:
    """Countries whose capital or seat the question names as a side of the contacts."""
    table = seats()
    out: list[str] = []
    for m in _SEAT_SIDE.finditer(q):
        words = m.group("s").split()
        if words[0].islower() and len(words[0]) < 4:
            continue  # "with the", "and his": a seat typed in lower case is longer ("kyiv")
        for key in (" ".join(words).lower(), words[0].lower()):
            if key in table and key not in _NOT_PEOPLE:
                country = table[key]
                if country and country not in out:
                    out.append(country)
                break
    return out


# Words that open requests (besides any English word the thesaurus knows)
_QUESTION_WORDS = frozenset(
    {
        "timeline",
        "chronology",
        "dates",
        "pls",
        "please",
        "trace",
        "list",
        "give",
        "show",
        "name",
        "chart",
        "chronicle",
        "outline",
        "map",
        "count",
        "tell",
    }
)


_AT_PLACE = re.compile(r"\b(?:at|in)\s+(?:the\s+)?$")


def _people_in(
    words: list[str], is_person: Callable[[str], bool], is_name: Callable[[str], bool]
) -> list[str]:
    """ "Putin Tokayev" typed without "and", "the Biden White House": the persons the words
    name one after another, longest first, other words left out; the phrase itself when
    they name no one. A single word of a longer phrase must be a name the table knows as
    one (``is_name``): "Security" of "Munich Security Conference" is no one's."""
    out: list[str] = []
    for k in range(1, len(words) - 1):
        if is_person(" ".join(words[k:])):
            # "Luis Lacalle Pou" where the table knows "Lacalle Pou": the words before a
            # known name of two words or more are its given names, not another person
            return [" ".join(words[k:])]
    i = 0
    while i < len(words):
        for j in range(len(words), i, -1):
            one = j == i + 1 and len(words) > 1
            if is_person(" ".join(words[i:j])) and (not one or is_name(words[i])):
                out.append(" ".join(words[i:j]))
                i = j
                break
        else:
            i += 1  # "the Biden White House": a word of no one's name
    return out or [" ".join(words)]


def _opens_sentence(q: str, name: str) -> bool:
    at = q.find(name)
    return at == 0 or (at > 1 and q[:at].rstrip()[-1:] in ".?!:;")


def _publisher(low: str) -> str:
    """The one government whose readouts the question asks about ("per the Kremlin
    readouts"); none when it names both ("the White House and Kremlin readouts")."""
    named = [p for word, p in _PUBLISHERS if word in low]
    return named[0] if len(named) == 1 else ""


def _people(
    q: str,
    is_person: Callable[[str], bool],
    roles: frozenset[str],
    is_name: Callable[[str], bool] | None = None,
    exact: Callable[[str], bool] | None = None,
):
    """(required names, optional names, countries), or (None, ...) when a capitalised
    name is no person, country or publisher the question could be answered with.
    ``exact`` says whether a name is a person's whole name as the table shows it."""
    is_name = is_name or is_person
    exact = exact or (lambda _name: False)
    cut = _OPTIONAL.search(q)
    aside = (cut.start(), q.find(",", cut.end()) % (len(q) + 1)) if cut else (len(q), len(q))
    if cut and aside[1] == 0:
        aside = (cut.start(), len(q))  # "..., including joint calls with Macron." to the end

    def in_aside(text: str) -> bool:
        return aside[0] <= q.find(text) < aside[1]

    names: list[str] = []
    optional: list[str] = []
    countries = [c for c in find_countries(q) if not in_aside(c) and c in _leader_countries(q)]
    countries += [c for c in _seat_countries(q) if c not in countries]  # "with Ankara"
    anchors = {m.group("place") for m in _ANCHOR.finditer(q)}
    described: set[str] = set()
    for name in find_names(q):
        if (
            name.lower() in _NOT_PEOPLE
            or is_region_word(name)
            or name.lower() in _REGION_NAMES
            or is_acronym(name)
        ):
            continue
        words = name.split()
        first = words[0].lower()
        if (
            _opens_sentence(q, name)
            and (first in english_words() or first in _QUESTION_WORDS)
            and not is_person(words[0])
        ):
            # "Trace Biden's contacts ...", "Count group calls ...", "Timeline pls: ...": a
            # word opening a sentence, no name
            words = words[1:]
            name = " ".join(words)
            if not words:
                continue
        whole = len(words) > 1 and exact(name)  # "Hun Sen": not "Hun(gary)" + "Sen(egal)"
        if not whole and (
            all(country_of_name(w) or w.lower() in roles for w in words)
            or (country_of_name(name) and not is_person(name))
        ):
            continue  # "Japan", "German Chancellor"
        # "Italian Prime Minister Mario Draghi", "Finnish President Sauli Niinistö": the
        # demonym and the title say who he is, the name is what the table knows him by.
        words = words if whole else _without_description(words, roles)
        name = " ".join(words)
        if _excluded(q, name) or _phrase_tail(q, name, is_person):
            continue
        if not is_person(name) and any(ch.isdigit() for ch in name):
            continue  # "the Rome G20 and Glasgow COP26 trip": an event, which dates, no one
        if not is_person(name) and len(words) == 1:
            if name in anchors:
                continue  # "after their talks in Sochi": the place dates the window
            if _AT_PLACE.search(q[: max(q.find(name), 0)]):
                return None, [], []  # "at Woodside": a place the table cannot answer for
            continue  # "CSTO", "Gaza", "Readouts": a word that names no one asked about
        parts = _people_in(words, is_person, is_name) if not is_person(name) else [name]
        if parts == [name] and not is_person(name) and _AT_PLACE.search(q[: max(q.find(name), 0)]):
            return None, [], []  # "at the Munich Security Conference": an event, no one's name
        target = optional if in_aside(name) else names
        for part in parts:
            if part not in target:
                target.append(part)
        described.update(_described(q, name))
    # "Kazakhstan's first president Nursultan Nazarbayev", "Serbian President Vučić": the
    # country says who the person is; the person found, it is no further condition.
    countries = [c for c in countries if c not in described]
    return names, optional, countries


# "(the head of state, not PM Pashinyan)", "other than Macron": a person the question
# sets aside is no one every contact must include.
_EXCLUDING = re.compile(
    r"\b(?:not|except|excluding|other\s+than|besides|rather\s+than)\s+(?:\S+\s+){0,2}$", re.I
)
# "St. Patrick's Day", "Mother's Day": a capitalised word after a capitalised possessive
# that names no one, no country and no organisation ("NATO's Stoltenberg") is the end of
# a proper noun, not a person.
_POSSESSOR = re.compile(r"([A-Z][\w.-]*)['’]s\s+$")


def _excluded(q: str, name: str) -> bool:
    at = q.find(name)
    return at > 0 and bool(_EXCLUDING.search(q[max(0, at - 40) : at]))


def _phrase_tail(q: str, name: str, is_person: Callable[[str], bool]) -> bool:
    at = q.find(name)
    m = _POSSESSOR.search(q[max(0, at - 30) : at]) if at > 0 and " " not in name else None
    if m is None or is_acronym(m.group(1)):  # "NATO's Stoltenberg": an organisation's leader
        return False
    return not is_person(m.group(1)) and not country_of_name(m.group(1))


def _period(q: str) -> tuple[str | None, str | None, str]:
    """(since, until, how to say it) of the dates a question names; all empty if none.

    Months without a year take the next year named ("between March and June 2022",
    "in January and February 2022"); a season is its three months ("spring 2022": March
    to May); "since"/"after" and "before"/"until" open the window on one side."""
    clarified = _clarified(q)
    if clarified is not None:  # "late summer or autumn 2022, i.e. August through October"
        return clarified[0].isoformat(), clarified[1].isoformat(), _label(*clarified)
    text = q
    q, seasons = _seasons(q)
    spans: list[tuple[dt.date, dt.date]] = []
    days = _DAY_RANGE.search(q) or _DAY_RANGE_FIRST.search(q)
    if days:  # "from December 1 to 15, 2021", "between 1 and 14 February 2022"
        try:
            month, year = month_number(days.group("m")), int(days.group("y"))
            first = dt.date(year, month, int(days.group("d1")))
            last = dt.date(year, month, int(days.group("d2")))
        except (TypeError, ValueError):
            pass
        else:
            return first.isoformat(), last.isoformat(), _label(first, last)
    week = _WEEK_OF.search(q)
    named_days = find_days(q[week.end() : week.end() + 40]) if week else []
    if named_days:  # "the week of March 7, 2022": Monday to Sunday of that week
        day = from_int(named_days[0])
        monday = day - dt.timedelta(days=day.weekday())
        sunday = monday + dt.timedelta(days=6)
        return monday.isoformat(), sunday.isoformat(), _label(monday, sunday)
    ranged = _range_without_year(q)
    if ranged is not None:  # "Thanksgiving week 2023 (Nov 20-26)": the days in the year named
        return ranged[0].isoformat(), ranged[1].isoformat(), _label(*ranged)
    q, named, named_at = _named_days_in_years(q)
    for day in find_days(q):
        d = from_int(day)
        spans.append((d, d))
    if spans:
        spans += [(d, d) for d in _days_without_year(q)]
        # "from December 2021 up to February 23, 2022": a month named alone is the other end
        spans += [
            period_span(year, month)
            for year, month in find_periods(q)
            if month is not None and not any((s.year, s.month) == (year, month) for s, _ in spans)
        ]
    if not spans:
        for year, month in find_periods(q) + _months_without_year(q):
            spans.append(period_span(year, month))
        spans += seasons
    spans += named
    if not spans:
        return None, None, ""
    since, until = min(s for s, _ in spans), max(e for _, e in spans)
    if len(spans) == 1:
        since, until = _part_of(q, since, until)
    if _ONWARDS.search(q):
        return since.isoformat(), None, f" since {say_day(since)}"
    first_date = _FIRST_DATE.search(q)
    starts = [first_date.start()] if first_date else []
    starts += [m.start() for m in _SEASON.finditer(text)]  # where a season blanked was
    starts += named_at  # where a day named by occasion was ("after Christmas 2021")
    before = q[: min(starts)] if starts else ""
    if len(spans) > 1:  # "from October through December 2021": both ends are named
        after = _SINCE.search(before[-12:])
        if after and after.group(0).lower().startswith("after") and (since, since) in spans:
            # "after Feb 6 2022 (through June 2022)": the day named as the bound is not in
            since += dt.timedelta(days=1)
        return since.isoformat(), until.isoformat(), _label(since, until)
    # "After Russia launched its operation on February 24, 2022, ...", "before the start of
    # the operation on 24 Feb 2022": the word that opens the phrase naming the date
    # "from late Oct 2021", "until the end of": the bound word stands before the part named
    part = _PART_BEFORE.search(before)
    before = before[: part.start()] if part else before
    if part and _UNTIL_PART.search(before[-12:]):  # "until the end of March 2022": included
        return None, until.isoformat(), f" until {say_day(until)}"
    clause = re.split(r"[,;:?]", before)[-1][-90:]
    opener = _OPENS.search(clause)
    after = _SINCE.search(before[-12:])
    if after and after.group(0).lower().startswith("after") and since == until:
        # "after Feb 6 2022": a day named as the bound is not in the window
        return (since + dt.timedelta(days=1)).isoformat(), None, f" after {say_day(since)}"
    if after or (opener and opener.group(1).lower() != "before"):
        return since.isoformat(), None, f" since {say_day(since)}"
    if _THROUGH.search(before[-12:]):  # "through June 2022": the period named included
        return None, until.isoformat(), f" until {say_day(until)}"
    if _BEFORE.search(before[-12:]) or opener:
        return None, (since - dt.timedelta(days=1)).isoformat(), f" before {say_day(since)}"
    return since.isoformat(), until.isoformat(), _label(since, until)


# "spring 2022", "the summer of 2023", "winter 2021-22" (a winter is named by the year
# it ends in, or by both years); "late summer or autumn 2022", "summer and fall of 2021":
# seasons named together before one year, each with its part ("late summer": August)
_SEASON_WORD = r"(?:(?:early|mid|late|the\s+end\s+of)[\s-]+)?(?:spring|summer|autumn|fall|winter)"
_SEASON = re.compile(
    rf"\b(?P<ss>{_SEASON_WORD}(?:\s*(?:,|or|and|&|/|-|–|to|through|into)\s*{_SEASON_WORD})*)"
    r"(?:\s+of)?\s+(?P<y>(?:19|20)\d\d)"
    r"(?:\s*[-–/]\s*(?P<y2>(?:19|20)?\d\d))?\b(?:\s*\((?P<aside>[^()]{0,40})\))?",
    re.I,
)
_ONE_SEASON = re.compile(
    r"(?:(?P<part>early|mid|late|the\s+end\s+of)[\s-]+)?(?P<s>spring|summer|autumn|fall|winter)",
    re.I,
)
_SEASON_START = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
_SEASON_PART = {"early": 0, "mid": 1, "late": 2}  # a season's months, one each


def _seasons(q: str) -> tuple[str, list[tuple[dt.date, dt.date]]]:
    """``q`` with each season and a note in brackets after it ("spring 2022 (March-May)")
    blanked, and the seasons' spans: three months each, a winter from the December before
    the year it ends in (a winter named after another season of the year is that year's
    December on); "early", "mid" or "late" before a season is one of its months."""
    spans: list[tuple[dt.date, dt.date]] = []
    for m in _SEASON.finditer(q):
        named = int(m.group("y"))
        for k, one in enumerate(_ONE_SEASON.finditer(m.group("ss"))):
            season, year = one.group("s").lower(), named
            first = _SEASON_START[season]
            if season == "winter" and not m.group("y2") and k == 0:
                year -= 1  # "winter 2022": December 2021 to February 2022
            start = dt.date(year, first, 1)
            months = 3
            part = (one.group("part") or "").lower()
            if part:  # "late summer": its last month
                shift = _SEASON_PART.get(part.split()[0], 2)
                start = period_span(year + (first + shift > 12), (first + shift - 1) % 12 + 1)[0]
                months = 1
            end_month = (start.month + months - 1 - 1) % 12 + 1
            end_year = start.year + (start.month + months - 1 > 12)
            spans.append((start, period_span(end_year, end_month)[1]))
    if spans:
        q = _SEASON.sub(lambda m: " " * len(m.group(0)), q)
    return q, spans


_PART_BEFORE = re.compile(
    r"\b(?:the\s+)?(?:early|mid(?:dle)?|late|end|beginning|start)(?:\s+of)?(?:\s+the)?\s*(?:-\s*)?$",
    re.I,
)
_UNTIL_PART = re.compile(r"\b(?:until|till|by|through|thru|up\s+to)\s+$", re.I)
_ONWARDS = re.compile(
    r"\b(?:19|20)\d\d\)?\s*(?:on(?:wards?)?|and\s+(?:after|later|since)|or\s+later)\b", re.I
)
_PART = re.compile(
    r"\b(?:(?P<end>first|last|final)\s+(?P<n>two|three|four|five|six|seven|eight|nine|ten"
    r"|eleven|twelve|fifteen|twenty|[1-9]|[12]\d|30)\s+(?P<unit>months|weeks|days)\s+of"
    r"|(?P<week>first|second|third|fourth|last|final|1st|2nd|3rd|4th)\s+week\s+of"
    r"|(?P<fortnight>first|second|last|final|1st|2nd)\s+fortnight\s+of"
    r"|(?P<half>first|second|1st|2nd|latter)\s+half"
    r"|(?P<quarter>first|second|third|fourth|last|1st|2nd|3rd|4th)\s+quarter"
    r"|(?P<q>q[1-4])"
    r"|(?P<third>early|mid(?:dle)?|late|end)\b(?:\s+of)?(?=\s*(?:-\s*)?[A-Z(](?!ast\b)|\s+(?:19|20)\d\d))",
    re.I,
)
_NUMBER_WORDS = {
    w: i + 2 for i, w in enumerate("two three four five six seven eight nine ten eleven".split())
} | {"twelve": 12, "fifteen": 15, "twenty": 20}
_ORDINAL = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "latter": 1, "third": 2, "3rd": 2}
_ORDINAL |= {"fourth": 3, "4th": 3, "last": 3}


def _part_of(q: str, since: dt.date, until: dt.date) -> tuple[dt.date, dt.date]:
    """The part of one period a question narrows it to: "the first half of November
    2021", "the third quarter of 2022", "Q1 2023", "early/mid/late March 2022". The
    period is cut into equal runs of days (a month's first half is days 1-15), a year
    into calendar months."""
    m = _PART.search(q)
    if m is None:
        return since, until
    days = (until - since).days + 1
    if m.group("end") and m.group("unit").lower() in ("weeks", "days"):
        # "the last two weeks of May": its last 14 days; "the first ten days of June": 1-10
        n = _NUMBER_WORDS.get(m.group("n").lower()) or int(m.group("n"))
        n *= 7 if m.group("unit").lower() == "weeks" else 1
        if n >= days:
            return since, until
        if m.group("end").lower() == "first":
            return since, since + dt.timedelta(days=n - 1)
        return until - dt.timedelta(days=n - 1), until
    if m.group("end"):  # "the last three months of 2021": October to December
        n = _NUMBER_WORDS.get(m.group("n").lower()) or int(m.group("n"))
        months = (until.year - since.year) * 12 + until.month - since.month + 1
        if since.day != 1 or (until + dt.timedelta(days=1)).day != 1 or n >= months:
            return since, until
        if m.group("end").lower() == "first":
            last = since.month + n - 1
            return since, period_span(since.year + (last - 1) // 12, (last - 1) % 12 + 1)[1]
        first = until.month - n + 1
        return period_span(until.year + (first - 1) // 12, (first - 1) % 12 + 1)[0], until
    if m.group("week") or m.group("fortnight"):
        # "the first week of March 2022": days 1-7; the last: its last 7; "the second
        # fortnight of": days 15-28
        word = (m.group("week") or m.group("fortnight")).lower()
        length = 7 if m.group("week") else 14
        if word in ("last", "final"):
            return max(since, until - dt.timedelta(days=length - 1)), until
        start = since + dt.timedelta(days=length * _ORDINAL[word])
        if m.group("fortnight") and (until - start).days < 2 * length - 1:
            return start, until  # "the second fortnight of March": 15-31, the month's rest
        return start, min(until, start + dt.timedelta(days=length - 1))
    if m.group("half"):
        parts, index = 2, _ORDINAL[m.group("half").lower()]
    elif m.group("quarter") or m.group("q"):
        word = m.group("quarter") or m.group("q")
        parts = 4
        index = int(word[1]) - 1 if word.lower().startswith("q") else _ORDINAL[word.lower()]
    else:
        parts = 3
        index = {"early": 0, "mid": 1, "middle": 1}.get(m.group("third").lower(), 2)
    if days < parts * 5:
        return since, until  # "early May 3": a day or a few days are not cut further
    if (since.month, since.day, until.month, until.day) == (1, 1, 12, 31) and 12 % parts == 0:
        months = 12 // parts  # a year is cut into calendar months: Q3 is July-September
        first = index * months + 1
        return period_span(since.year, first)[0], period_span(since.year, first + months - 1)[1]
    start = since + dt.timedelta(days=round(days * index / parts))
    end = since + dt.timedelta(days=round(days * (index + 1) / parts) - 1)
    return start, end


_MONTH_NAMES = "|".join(MONTHS)
# a month as questions write it: "October", "Oct", "Sept." ("Oct 29 - Nov 2, 2021")
_MONTH_FORMS = "|".join([*MONTHS, "Sept", *(m[:3] for m in MONTHS if len(m) > 3)])
_MONTH_FORM = rf"(?:{_MONTH_FORMS})(?![\w-])\.?"
_DAY_RANGE = re.compile(
    rf"\b(?P<m>{'|'.join(MONTHS)})\s+(?P<d1>\d{{1,2}})\s*(?:-|–|to|through|until|till|and)\s*"
    r"(?P<d2>\d{1,2}),?\s+(?P<y>(?:19|20)\d\d)\b"
)
_DAY_RANGE_FIRST = re.compile(
    rf"\b(?P<d1>\d{{1,2}})\s*(?:-|–|to|through|until|till|and)\s*(?:the\s+)?(?P<d2>\d{{1,2}})"
    rf"\s+(?:of\s+)?(?P<m>{'|'.join(MONTHS)}),?\s+(?P<y>(?:19|20)\d\d)\b"
)
_DAY_FIRST_NO_YEAR = re.compile(rf"\b(?P<d>\d{{1,2}})\s+(?P<m>{_MONTH_FORM})(?!,?\s*\d{{4}})")
_FIRST_DATE = re.compile(rf"\b(?:(?:19|20)\d\d|{_MONTH_FORM})")
_DAY_NO_YEAR = re.compile(
    rf"\b(?P<m>{_MONTH_FORM})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?!,?\s*\d{{4}})"
)


# "November 20-26", "21-31 December" with no year after them
_RANGE_NO_YEAR = re.compile(
    rf"\b(?P<m>{'|'.join(MONTHS)})\s+(?P<d1>\d{{1,2}})\s*(?:-|–|to|through|until|till)\s*"
    rf"(?:(?P<m2>{'|'.join(MONTHS)})\s+)?(?P<d2>\d{{1,2}})\b(?!\s*,?\s*(?:19|20)\d\d)"
    rf"|\b(?P<d1b>\d{{1,2}})\s*(?:-|–|to|through|until|till)\s*(?:the\s+)?(?P<d2b>\d{{1,2}})"
    rf"\s+(?:of\s+)?(?P<mb>{'|'.join(MONTHS)})\b(?!,?\s*(?:19|20)\d\d)",
    re.I,
)


# "..., i.e. August through October", "that is, from June to August", "(Aug-Oct)",
# "namely March 2022": months the asker names to say exactly what an earlier, looser
# window ("late summer or autumn 2022", "the spring") meant
_CLARIFIED_MONTH = rf"(?:{_MONTH_FORMS})(?!\w)\.?"  # "Aug-Oct" too
_CLARIFY = re.compile(
    r"(?:\b(?:i\.?\s?e\.?|that\s+is(?:\s+to\s+say)?|that['’]s|meaning|namely|viz\.?"
    r"|in\s+other\s+words|specifically|to\s+be\s+(?:precise|exact))\s*[,:]?\s*"
    r"|\(\s*(?:i\.?\s?e\.?\s*[,:]?\s*)?)"
    r"(?:(?P<by>from|between|in|during)\s+)?(?:the\s+months?\s+(?:of\s+)?)?"
    rf"(?:(?P<part>[QH][1-4])\b|(?P<m1>{_CLARIFIED_MONTH})(?:\s+(?P<d1>\d{{1,2}})\b)?"
    r"(?:\s*(?:-|–|—|to|through|thru|until|till|and|or)\s*"
    rf"(?:the\s+end\s+of\s+)?(?P<m2>{_CLARIFIED_MONTH})(?:\s+(?P<d2>\d{{1,2}})\b)?)?)"
    r"(?:,?\s+(?P<y>(?:19|20)\d\d))?(?=\s*(?:[)?.,;!]|$))",
    re.I,
)


_WINTER = re.compile(r"\bwinter(?:\s+of)?\s+(?P<y>(?:19|20)\d\d)\b(?!\s*[-–/]\s*\d)", re.I)


def _clarified(q: str) -> tuple[dt.date, dt.date] | None:
    """The months a clarification names ("i.e. August through October", "(Aug-Oct)",
    "i.e. between August 1 and October 15", "i.e. Q3"),
    in the year it names or else the year the question names nearest before it (after
    it, when none comes before): the asker's own reading of the window, which goes
    before any looser words for it. None when there is no such clarification or no year."""
    found = list(_CLARIFY.finditer(q))
    m = found[0] if len(found) == 1 else None  # two in brackets: two periods named, not one
    if (
        m is None
        or not m.group("m2")
        and ((m.group("by") or "").lower() in ("from", "between") or m.group("d1"))
    ):
        # "(from March)": one end only; "(feb 24 2022)": a day, which the usual reading has
        return None
    part = (m.group("part") or "").upper()
    if part and (part[0] == "H" and part[1] not in "12"):
        return None
    if part:  # "i.e. Q3", "(H2)": its months
        size = 3 if part[0] == "Q" else 6
        first = (int(part[1]) - 1) * size + 1
        last = first + size - 1
    else:
        first = month_number(m.group("m1"))
        last = month_number(m.group("m2")) if m.group("m2") else first
    if first is None or last is None:
        return None
    if m.group("y"):
        year = int(m.group("y"))
    else:
        before = [y for y in _YEAR.finditer(q) if y.end() <= m.start()]
        after = [y for y in _YEAR.finditer(q) if y.start() >= m.end()]
        if not before and not after:
            return None
        year = int((before[-1] if before else after[0]).group())
    if last < first:  # "(Nov-Feb)": into the next year; a winter is named by its end's
        winter = _WINTER.search(q[: m.start()])
        year -= bool(winter and int(winter.group("y")) == year)
    end_year = year + (last < first)
    since, until = period_span(year, first)[0], period_span(end_year, last)[1]
    try:  # "i.e. between August 1 and October 15": those days
        if m.group("d1"):
            since = dt.date(year, first, int(m.group("d1")))
        if m.group("d2"):
            until = dt.date(end_year, last, int(m.group("d2")))
    except ValueError:
        return None
    return (since, until) if since <= until else None


_WEEK_OF = re.compile(r"\b(?:the\s+)?week\s+of\s+(?:the\s+)?(?=\w)", re.I)


def _range_without_year(q: str) -> tuple[dt.date, dt.date] | None:
    """A run of days in one month written without a year ("Thanksgiving week 2023 (Nov
    20-26)", "in the run-up to Christmas 2023 (December 21-31)"): those days in the year
    the question names nearest to them; None when it names no year or no such run."""
    m = _RANGE_NO_YEAR.search(q)
    if m is None:
        return None
    years = list(_YEAR.finditer(q))
    if not years:
        return None
    year = min(years, key=lambda y: min(abs(y.start() - m.end()), abs(m.start() - y.end())))
    month = month_number(m.group("m") or m.group("mb"))
    to_month = month_number(m.group("m2")) if m.group("m2") else month
    if month is None or to_month is None:
        return None
    named = int(year.group())
    # "(Dec 30 - Jan 9)": the run goes into the next year; the year named is its first day's
    try:
        first = dt.date(named, month, int(m.group("d1") or m.group("d1b")))
        last = dt.date(named + (to_month < month), to_month, int(m.group("d2") or m.group("d2b")))
    except (TypeError, ValueError):
        return None
    return (first, last) if first <= last else None


_BETWEEN_DAY_AND_YEAR = re.compile(r"[\s,()&]*(?:(?:and|or|in|of)\b[\s,()&]*)*", re.I)


def _named_days_in_years(q: str) -> tuple[str, list[tuple[dt.date, dt.date]], list[int]]:
    """``q`` with each day named by occasion and the year it is in blanked, those days'
    spans and where they were named: "on Christmas Eve and Christmas Day 2021" is December
    24-25, 2021, not 2021 (each day takes the next year named, or the one before it)."""
    spans: list[tuple[dt.date, dt.date]] = []
    at: list[int] = []
    used: list[re.Match[str]] = []
    found = find_named_days(q)
    bare = q  # the other days named blanked: "Christmas Eve and Christmas Day 2021"
    for day in found:
        bare = _blank(bare, day.start, day.end)
    for day in found:
        year = _YEAR.search(q, day.end)
        if year is None or not _BETWEEN_DAY_AND_YEAR.fullmatch(bare[day.end : year.start()]):
            before = [y for y in _YEAR.finditer(q[: day.start])]
            year = before[-1] if before else None
        if year is None:
            continue
        span = day.span(int(year.group()))
        if span is None:
            continue
        spans.append(span)
        at.append(day.start)
        used.append(year)
    for y in used:
        q = _blank(q, *y.span())
    return q, spans, at


_YEARS = range(1990, 2041)  # the years a readout of any corpus may fall in


def _every_year(q: str) -> tuple[tuple[tuple[str, str], ...], str]:
    """For an occasion whose day moves, named without a year ("on Thanksgiving", "over
    Easter weekend"), its days in every year, and the words naming it; else nothing. Read
    as no period, such a question listed every contact of the person asked about."""
    found = [d for d in find_named_days(q) if d.month_day is None or d.part]
    spans: list[tuple[str, str]] = []
    for day in found:
        for year in _YEARS:
            span = day.span(year)
            if span is not None:
                spans.append((span[0].isoformat(), span[1].isoformat()))
    said = " or ".join(" ".join(q[d.start : d.end].split()) for d in found)
    return tuple(spans), said


def _yearless_days(q: str) -> list[tuple[int, int]]:
    """(month, day) of each day named without a year: "on November 14", "on Christmas
    Eve", "on the Fourth of July" (an occasion whose day moves names none)."""
    out = list(find_yearless_days(q))
    if find_days(q):
        return out
    for day in find_named_days(q):
        if day.month_day is not None and not day.part and day.month_day not in out:
            out.append(day.month_day)
    return out


def _days_without_year(q: str) -> list[dt.date]:
    """ "between December 16 and December 31, 2021", "between 1 February and 31 March
    2022": a day without a year takes the next year named."""
    out: list[dt.date] = []
    for m in [*_DAY_NO_YEAR.finditer(q), *_DAY_FIRST_NO_YEAR.finditer(q)]:
        year = _YEAR.search(q, m.end())
        if year:
            try:
                out.append(
                    dt.date(int(year.group()), month_number(m.group("m")), int(m.group("d")))
                )
            except (TypeError, ValueError):
                continue  # "February 30"
    return out


def _months_without_year(q: str) -> list[tuple[int, int | None]]:
    out: list[tuple[int, int | None]] = []
    for m in _MONTH_WORD.finditer(q):
        month = month_number(m.group()) if m.group() in MONTHS else None
        if month is None or re.match(r"\s*,?\s*\d", q[m.end() :]):
            continue  # a day or a year follows: find_days/find_periods have it
        year = _YEAR.search(q, m.end())
        if year:
            out.append((int(year.group()), month))
    return out


def _label(since: dt.date, until: dt.date) -> str:
    """ " in 2022", " in February 2025", " from March to June 2022", " on January 8, 2025"."""
    whole_start = since.day == 1
    whole_end = (until + dt.timedelta(days=1)).day == 1
    if since == until:
        return f" on {say_day(since)}"
    if whole_start and whole_end and since.month == 1 and until.month == 12:
        years = until.year - since.year
        return f" in {since.year}" if years == 0 else f" from {since.year} to {until.year}"
    if whole_start and whole_end and since.year == until.year:
        first, last = MONTHS[since.month - 1], MONTHS[until.month - 1]
        if since.month == until.month:
            return f" in {first} {since.year}"
        return f" from {first} to {last} {since.year}"
    return f" from {say_day(since)} to {say_day(until)}"
