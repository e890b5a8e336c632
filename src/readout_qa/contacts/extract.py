"""The contacts one readout reads out: who, what kind, when, where, and the sentence.

For each sentence of the body that states a contact (:mod:`.clauses`), the
participants it names (:mod:`.participants`), the event date (:mod:`.when`) and the
place make one :class:`Mention`. A readout that states no contact (a statement, a
briefing, a roundtable with unnamed guests) gives none; a contact needs at least two
named participants, since "the President met with governors" is no contact between
leaders. The quote is the sentence as split by :func:`readout_qa.chunking.split_sentences`,
so ``body[start:end] == quote`` like every citation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..chunking import split_sentences
from ..entities import country_of_name, find_countries, find_leaders
from ..models import Contact, ContactReadout, Readout
from ..names import find_names
from .clauses import (
    ContactClause,
    at_gathering,
    contact_clause,
    find_place,
    is_speaker_label,
    refine_kind,
    title_kind,
)
from .heads import countries_named, is_placeholder, placeholder
from .participants import (
    Participant,
    describe,
    find_participants,
    is_principal_of,
    principals_of,
    publisher_country,
    same_in_readout,
    unglue,
)
from .roster import find_roster, is_international, is_official_role
from .when import event_date

__all__ = ["Mention", "extract_contacts", "extract_mentions"]

#: Bump to re-extract every table on purpose; code changes already do (``table.VERSION``).
EXTRACTOR_VERSION = "1"
_CONTEXT_CHARS = 4000  # where roles and countries not stated in the sentence are looked for


@dataclass
class Mention:
    """One readout's statement of one contact: the unit the table stores and merges."""

    doc_id: str
    seq: int  # order among the readout's mentions
    date: str  # ISO event date, "" when unknown
    basis: str  # how the date was found: one of when.BASES (stated, relative, ...)
    kind: str
    place: str
    participants: list[Participant]
    readout: ContactReadout
    publisher_date: str = ""  # the readout's publication date ("" when unknown)
    keys: list[str] = field(default_factory=list)  # person ids, set by the table
    separate: bool = False  # one of several calls a clause reads out one by one

    @property
    def mention_id(self) -> str:
        return f"{self.doc_id}#{self.seq}"

    def to_contact(self) -> Contact:
        """This mention alone as a :class:`Contact` (before merging with other readouts)."""
        return Contact(
            contact_id=self.mention_id,
            date=self.date,
            kind=self.kind,
            participants=[p.name for p in self.participants],
            countries=list(dict.fromkeys(p.country for p in self.participants if p.country)),
            place=self.place,
            readouts=[self.readout],
        )


def _clean_date(value: str | None) -> str | None:
    """The readout's date if it is a usable ISO date, else None (never raises)."""
    text = str(value or "").strip()
    return text if len(text) == 10 and text[4] == "-" and text[7] == "-" else None


@dataclass
class _Source:
    """What every sentence of one readout is read against."""

    readout: Readout
    body: str
    published: str | None
    names: list[str]  # the fuller names the readout gives
    context: str  # title and the start of the body: where roles and countries are stated
    title_kind: str
    group: bool  # the title reads out one meeting of a group of leaders (G7, allies)
    host: str  # who the title says acted ("Readout of NSA Jake Sullivan's Travel ..."), or ""


def _source(readout: Readout) -> _Source:
    body = readout.text or ""
    title = readout.title or ""
    context = f"{title}\n{body[:_CONTEXT_CHARS]}"
    names = [
        unglue(n, context)
        for n in find_leaders(body, officials=True) + find_leaders(title, officials=True)
    ]
    return _Source(
        readout=readout,
        body=body,
        published=_clean_date(readout.date),
        names=list(dict.fromkeys(names)),
        context=context,
        title_kind=title_kind(title),
        group=bool(_GROUP_TITLE.search(title)) and title_kind(title) not in ("", "joint statement"),
        host=_first_in(title, names),
    )


_PRONOUN_SUBJECT = re.compile(r"(?:^|[.,;]\s+|\b(?:and|then)\s+)(?:He|She|he|she)\s+(?:\w+\s+)?$")


def _first_in(title: str, names: list[str]) -> str:
    """The name that comes first in the title (the readout's actor), or ""."""
    found = [(title.find(n), n) for n in names if n in title]
    return min(found)[1] if found else ""


def extract_mentions(readout: Readout) -> list[Mention]:
    """Every contact the readout states, in body order, each stated once; when no body
    sentence states one but the title does ("Telephone conversation with ..."), the
    title's contact, quoted by the body sentence that states it or names the counterpart."""
    src = _source(readout)
    spans = _narrative(src.body)
    mentions: list[Mention] = []
    unclear: list[tuple[int, int, str]] = []  # contact clauses naming one person only
    for i, (start, end) in enumerate(spans):
        sentence = src.body[start:end]
        clause = contact_clause(sentence)
        if clause is None:
            continue
        subject, text = sentence[: clause.verb_start], sentence[: clause.clause_end]
        acting = src.host if _PRONOUN_SUBJECT.search(subject) else ""  # "He met with ..."
        people = _people(src, text, subject, acting)
        if clause.object_first and not _named_after(sentence, clause.verb_end, people):
            continue
        if not _is_contact(src, people) and people:
            people = _with_attendees(
                src, people, spans[i + 1 : i + 1 + _lookahead(src)], group=src.group
            )
        if not _is_contact(src, people):
            unclear.append((start, end, text))
            continue
        title = src.readout.title or ""
        kind = _kind(clause, src.title_kind, not mentions, sentence=sentence, title=title)
        groups = _one_by_one(src, text, people, subject)
        for group in groups:
            mention = _mention(src, len(mentions), (start, end), clause, kind, group)
            mention.separate = len(groups) > 1
            mention.place = _place(text, clause.verb_end, group)
            if not any(_repeats(mention, m) for m in mentions):
                mentions.append(mention)
    if src.group:
        mentions = _one_group_event(mentions)
    if not mentions:
        mentions.extend(
            _from_title(src, unclear)
            or _from_talks_title(src)
            or _from_opening(src)
            or _from_group_members(src, spans)
            or _from_in_contact_phrase(src, spans)
            or _from_heads(src, spans)
        )
    return _with_countries(src, _with_joiners(src, spans, _with_roster(src, spans, mentions)))


def _sole_foreign_country(src: _Source, names: Sequence[str] = ()) -> str:
    """The one foreign country the readout is about, or "": the only one its title names,
    else the only one the start of its body names as someone's office ("Telephone
    conversation with Nursultan Nazarbayev": "... for President of the Republic of
    Kazakhstan"; not "detained in Russia"). A word of one of the ``names`` of its people
    is no country the title names ("Meeting with Sberbank CEO German Gref")."""
    home = publisher_country(src.readout.publisher or "")
    title = src.readout.title or ""
    for name in sorted(names, key=len, reverse=True):
        if any(country_of_name(word) for word in name.split()):
            title = title.replace(name, " ")
    foreign = {c for c in find_countries(title) if c != home}
    if not foreign:
        offices = " ".join(m.group("c") for m in _OFFICE_OF.finditer(src.context))
        foreign = {c for c in find_countries(offices) if c != home}
    return foreign.pop() if len(foreign) == 1 else ""


_OFFICE_OF = re.compile(
    r"\b(?:President|Prime\s+Minister|Chancellor|King|Emir|Amir|Sultan|[Ll]eader|[Hh]ead\s+of\s+State)"
    r"\s+of\s+(?P<c>(?:the\s+)?(?:[A-Z][\w’'-]*(?:\s+of(?:\s+the)?)?\s+){0,3}[A-Z][\w’'-]*)"
)


# on a trip to one country ("Readout of National Security Advisor Jake Sullivan's Travel
# to India"), the leaders met there without a country stated are that country's
_TRIP_HOST = re.compile(
    r"^(?:President|Prime\s+Minister|King|Crown\s+Prince|Emir|Amir|Sultan|Foreign\s+Minister"
    r"|Minister\s+of\s+Foreign\s+Affairs|Vice\s+President)$"
)


def _named_in(name: str, title: str) -> bool:
    """Whether the title names the person (the readout is about them), by their surname."""
    words = name.split()
    return (
        bool(words) and re.search(rf"(?<![\w-]){re.escape(words[-1])}(?![\w-])", title) is not None
    )


def _with_countries(src: _Source, mentions: list[Mention]) -> list[Mention]:
    """A counterpart stated with no country and no official's role takes the one foreign
    country the readout is about (see :func:`_sole_foreign_country`), so that "foreign
    leaders" and "Kazakhstan's first president" find him."""
    publisher = src.readout.publisher or ""
    missing = [
        (m, i)
        for m in mentions
        for i, p in enumerate(m.participants)
        if not p.country
        and not is_placeholder(p)
        and not is_principal_of(p.name, publisher, src.published)
        and not is_official_role(p.role)
        and not is_international(p.role, "")
        and (_named_in(p.name, src.readout.title or "") or _TRIP_HOST.search(p.role))
    ]
    named = [p.name for m in mentions for p in m.participants]
    country = _sole_foreign_country(src, named) if missing else ""
    for m, i in missing if country else []:
        p = m.participants[i]
        m.participants[i] = Participant(p.name, p.role, country)
    return mentions


def _with_roster(
    src: _Source, spans: list[tuple[int, int]], mentions: list[Mention]
) -> list[Mention]:
    """The leaders a roster lists (:mod:`.roster`) join the readout's first contact; a
    readout stating its contact with a group alone ("spoke today with the Bucharest Nine
    group", "convened the Major Economies Forum") gets that contact from its first
    sentence naming the host. Officials and the publisher's own people are left out."""
    roster = find_roster(src.body, spans)
    if roster is None or src.title_kind in ("", "joint statement"):
        return mentions
    home = publisher_country(src.readout.publisher or "")
    listed: list[Participant] = []
    for start, end in roster.items:
        item = src.body[start:end]
        for p in _people(src, item, ""):
            if _own(src, p) or is_official_role(p.role):
                continue
            if p.country == home or (not p.country and not is_international(p.role, item)):
                continue  # at home, or stated without a country: no foreign counterpart
            if not any(same_in_readout(p.name, o.name) for o in listed):
                listed.append(p)
    if not listed:
        return mentions
    if mentions:
        first = mentions[0]
        if first.separate:
            return mentions
        first.participants += [
            p
            for p in listed
            if not any(same_in_readout(p.name, o.name) for o in first.participants)
        ]
        return mentions
    for start, end in spans[: spans.index(roster.intro) + 1]:
        sentence = src.body[start:end]
        hosts = [p for p in _people(src, sentence, sentence) if _own(src, p)]
        if hosts:
            kind = refine_kind(src.title_kind, sentence)
            return [_mention(src, 0, (start, end), None, kind, hosts[:1] + listed)]
    return mentions


# "Vice President Harris also joined the call.", "Secretary Blinken joined the meeting.":
# someone who joined the readout's contact, named as the sentence's subject
_JOINED = re.compile(
    r"^(?P<who>[^.;:]{3,120}?)\s+(?:also\s+|later\s+)?(?:joined|took\s+part\s+in"
    r"|participated\s+in)\s+(?:the|this|that|today['’]s)\s+"
    r"(?:(?:phone|telephone|video)\s+)?(?:call|meeting|conversation|discussion|talks|visit)\b"
)


def _with_joiners(
    src: _Source, spans: list[tuple[int, int]], mentions: list[Mention]
) -> list[Mention]:
    """People a sentence says joined the contact ("Vice President Harris also joined the
    call.") take part in the readout's one contact, as a roster's leaders do; a readout
    of several contacts is left as it is (which one they joined is unsaid)."""
    if len(mentions) != 1 or mentions[0].separate:
        return mentions
    first = mentions[0]
    for start, end in spans:
        m = _JOINED.match(src.body[start:end].strip())
        if m is None:
            continue
        for p in _people(src, m.group("who"), m.group("who")):
            if not any(same_in_readout(p.name, o.name) for o in first.participants):
                first.participants.append(p)
    return mentions


_SEVERAL = re.compile(
    r"\b(?:conversations|calls|meetings)\s+with\b|\b(?:separate(?:ly)?|individually)\b",
    re.IGNORECASE,
)


def _one_by_one(
    src: _Source, clause: str, people: list[Participant], subject: str = ""
) -> list[list[Participant]]:
    """ "had telephone conversations with President A, President B and Prime Minister C":
    one call with each, not one call of all; any other clause is one contact. The one on
    this side is the publisher's principal, else the one person the subject names ("Mr.
    Sullivan also held bilateral meetings with A, B, and C": an official's readout)."""
    own = [p for p in people if _own(src, p)]
    if not own and subject:
        own = [p for p in people if p.name.split()[-1] in subject]
    others = [p for p in people if p not in own]
    if len(own) == 1 and len(others) >= 2 and _SEVERAL.search(clause):
        return [[own[0], other] for other in others]
    return [people]


def _narrative(body: str) -> list[tuple[int, int]]:
    """The body's sentences up to a transcript: after "Vladimir Putin: ...", "we met"
    and "I called" are speech, not the readout's statements."""
    out = []
    for start, end in split_sentences(body):
        if is_speaker_label(body[start:end]):
            break
        out.append((start, end))
    return out


_ATTENDEE_LOOKAHEAD = 5
_TITLE_LOOKAHEAD = 2  # sentences where a title's untitled counterpart must be named
_GROUP_LOOKAHEAD = 15  # a group meeting's readout names its leaders further down


def _lookahead(src: _Source) -> int:
    return _GROUP_LOOKAHEAD if src.group else _ATTENDEE_LOOKAHEAD


_ATTENDANCE = re.compile(
    r"\b(?:join(?:ing|ed)|(?:took|taking)\s+part|participat\w*|attend\w*|were\s+present"
    r"|also\s+present)\b",
    re.IGNORECASE,
)


def _with_attendees(
    src: _Source, people: list[Participant], following: list[tuple[int, int]], group: bool = False
) -> list[Participant]:
    """A contact with a group ("hosted a videoconference with Allies and partners", "took
    part in the BRICS Summit") whose members a later sentence names: "Joining President
    Biden on the call were Prime Minister Justin Trudeau of Canada, ...", "... are also
    taking part in the meeting"). Only for contacts abroad: one of them is stated with
    another country than the publisher's (a Security Council session is no contact)."""
    home = publisher_country(src.readout.publisher or "")
    found = list(people)
    for start, end in following:
        sentence = src.body[start:end]
        if not group and not _ATTENDANCE.search(sentence):
            continue
        names = {p.name for p in found}
        extra = [p for p in _people(src, sentence, "") if p.name not in names]
        if group:  # any leader not the publisher's own, stated with a country or not
            found += [p for p in extra if not _own(src, p) and p.country != home]
        elif any(p.country and p.country != home for p in extra):
            return found + extra
    return found


def _own(src: _Source, person: Participant) -> bool:
    return is_principal_of(person.name, src.readout.publisher or "", src.published)


# A readout of one meeting of a group of leaders ("Virtual Meeting with G7 Leaders", "Call
# with Allies and Partners"): the leaders it names in its first sentences ("thanked Prime
# Minister Meloni for her leadership of the G7") took part, and it reads out one event.
_GROUP_TITLE = re.compile(
    r"\b(?:G-?7|G-?20|Quad|BRICS|allies\s+and\s+partners|(?:world|european|nato|transatlantic"
    r"|g-?7|g-?20|quad)\s+leaders)\b",
    re.IGNORECASE,
)


def _one_group_event(mentions: list[Mention]) -> list[Mention]:
    """A group meeting's readout states one event: mentions of its day are merged into
    the first (its sentence, kind and date), with every participant they name."""
    out: list[Mention] = []
    for mention in mentions:
        first = next((m for m in out if m.date == mention.date), None)
        if first is None or mention.separate or first.separate:
            out.append(mention)
            continue
        names = [p.name for p in first.participants]
        first.participants += [
            p for p in mention.participants if not any(same_in_readout(p.name, n) for n in names)
        ]
    return out


def _named_after(sentence: str, at: int, people: list[Participant]) -> bool:
    """Whether a participant is named right after the verb ("welcomed Chancellor X")."""
    window = sentence[at : at + 60]
    return any(p.name.split()[-1] in window for p in people)


_GROUP_NOUN = re.compile(
    r"\b(?:Leaders|Allies|Partners|Counterparts|Members|Council|Committee|Commission|Ministry"
    r"|Board|Government|Parliament|Assembly|Duma|Union|Organi[sz]ation|Forum|Summit|Group)$"
)


# "After an audience with His Holiness Pope Francis, President Biden met Cardinal
# Parolin": an opening phrase about another, earlier contact names no one of this one
# (a comma before a year is no end of the phrase: "Following the November 13, 2022 summit")
_EARLIER = re.compile(
    r"^(?:After|Following|Before|Ahead\s+of|Prior\s+to)\b(?:[^,]|,(?=\s*(?:19|20)\d\d\b)){0,120},"
)
# "Following the November 13, 2022 Phnom Penh Summit ... led by Prime Minister Kishida
# Fumio of Japan, President Yoon Suk Yeol of the Republic of Korea (ROK), and President
# Joseph R. Biden, Jr. of the United States, Cabinet Councillor ... convened the inaugural
# meeting ...": the leaders of the earlier event, listed up to its "and", are not at this one
_EARLIER_LED = re.compile(
    r"^(?:After|Following|Before|Ahead\s+of|Prior\s+to)\b.{0,200}?"
    r"\b(?:summit|meeting|call|talks|conversation|visit|dialogue|conference)\b.{0,160}?"
    r"\b(?:led|hosted|chaired|convened|co-chaired)\s+by\s+.{0,300}?\band\s+[^,]{0,120},",
    re.I,
)


def _people(src: _Source, clause: str, subject: str, acting: str = "") -> list[Participant]:
    """The clause's participants, without a group named as one ("G20 Leaders")."""
    earlier = _EARLIER.match(subject)
    if not (earlier and _EARLIER_CONTACT.search(earlier.group(0))):
        earlier = _EARLIER_LED.match(subject)
    if earlier:
        blank = " " * earlier.end()
        clause, subject = blank + clause[earlier.end() :], blank + subject[earlier.end() :]
    found = find_participants(
        clause,
        subject,
        acting=acting,
        readout_names=src.names,
        publisher=src.readout.publisher or "",
        date=src.published,
        context=src.context,
    )
    return [p for p in found if not _GROUP_NOUN.search(p.name)]


_EARLIER_CONTACT = re.compile(
    r"\b(?:audience|meeting|call|talks|conversation|visit|summit)\s+with\b", re.I
)


def _is_contact(src: _Source, people: list[Participant]) -> bool:
    """Two people or more, not all of the publishing government's own principals
    ("President Biden and Vice President Harris met with a group of Senators")."""
    publisher = src.readout.publisher or ""
    own = [p for p in people if is_principal_of(p.name, publisher, src.published)]
    if len(people) < 2 or len(own) == len(people):
        return False
    # Aides of the publisher's government among themselves ("National Economic Advisor Lael
    # Brainard, Domestic Policy Advisor Neera Tanden, and ... met with a group of union
    # tradeswomen"): no principal, and everyone stated as of the publisher's country
    home = publisher_country(publisher)
    return bool(own) or not home or any(p.country != home for p in people)


def _mention(
    src: _Source,
    seq: int,
    span: tuple[int, int],
    clause: ContactClause | None,
    kind: str,
    people: list[Participant],
) -> Mention:
    start, end = span
    sentence = src.body[start:end]
    if clause is None:
        when = event_date(sentence, 0, src.published)
    else:
        when = event_date(sentence, clause.verb_start, src.published, clause.clause_end)
    return Mention(
        doc_id=src.readout.doc_id,
        seq=seq,
        date=when.iso,
        basis=when.basis,
        kind=kind,
        place="",
        participants=people,
        readout=_readout_ref(src.readout, sentence, start, end),
        publisher_date=src.published or "",
    )


_TITLE_CONTACT = re.compile(
    r"^(?:(?:Joint\s+)?Readout\s+of\s+(?P<who>.+?)\s+|(?=(?:Telephone|Phone|Working|Meeting|Talks"
    r"|Conversation|Video)))(?P<what>[\w\s-]{0,40}?)\s+(?:with|between)\s+(?P<whom>.+)$",
    re.IGNORECASE,
)


def _from_title(src: _Source, unclear: list[tuple[int, int, str]]) -> list[Mention]:
    """The contact a title states, when no body sentence states it with two names.

    ``unclear`` are the body's contact clauses that named one person only ("spoke by
    phone today with Emma Aparici, Chief Diplomatic Advisor ..."): the title's
    counterpart must be named in one of them when the leader patterns do not know
    their title, and such a clause is the preferred quote."""
    title = " ".join((src.readout.title or "").split())
    m = _TITLE_CONTACT.match(title)
    if m is None or src.title_kind in ("", "joint statement", "summit"):
        return []
    whom = m.group("whom")
    if m.group("who"):  # "Readout of President Biden’s Call with ...": the host is named
        text = re.sub(r"['’]s?(?=\s)", "", title)
    else:  # "Telephone conversation with ...": the publisher's principal is the host
        text = f"The President held a {title[:1].lower()}{title[1:]}"
    people = _people(src, text, text[: len(text) - len(whom)])
    if len(people) < 2:
        # the clauses naming one person, else the first sentences ("During a telephone
        # conversation, Vladimir Putin congratulated Nursultan Nazarbayev ...")
        opening = [src.body[a:b] for a, b in _narrative(src.body)[:_TITLE_LOOKAHEAD]]
        found = _untitled(src, whom, [c for _, _, c in unclear] + opening)
        people += [p for p in found if not any(same_in_readout(p.name, o.name) for o in people)]
    if not _is_contact(src, people):
        return []
    publisher = src.readout.publisher or ""
    others = [p for p in people if not is_principal_of(p.name, publisher, src.published)]
    names = [p.name.split()[-1] for p in others]
    spans = [(s, e) for s, e, _ in unclear]
    for start, end in spans + split_sentences(src.body):
        sentence = src.body[start:end]
        if is_speaker_label(sentence):
            break
        if any(re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", sentence) for n in names):
            kind = refine_kind(src.title_kind, sentence)
            return [_mention(src, 0, (start, end), None, kind, people)]
    # "Call with President Macron of France, Chancellor Merkel of Germany, ...": a body that
    # names none of them ("President Biden briefed leaders on ...") is quoted by its first
    # sentence, when that sentence names the host and the title names two counterparts or more.
    opening = _narrative(src.body)[:1]
    hosts = [p for p in people if _own(src, p)]
    if opening and len(others) >= 2 and hosts:
        start, end = opening[0]
        surname = hosts[0].name.split()[-1]
        if re.search(rf"(?<![\w-]){re.escape(surname)}(?![\w-])", src.body[start:end]):
            kind = refine_kind(src.title_kind, src.body[start:end])
            return [_mention(src, 0, (start, end), None, kind, people)]
    return []


def _from_opening(src: _Source) -> list[Mention]:
    """A readout whose title states a contact ("Joint Readout of Quad Leaders Call") and
    whose first sentence names its participants without a verb the clause rules read ("Today
    the Quad Leaders – Prime Minister Scott Morrison of Australia, ..., and President Joe
    Biden of the United States – convened to reaffirm ..."): that sentence states the
    contact, of the title's kind, when it names the publisher's principal and leaders of two
    other countries or more (a group's meeting; a bilateral's sentence is a clause, and an
    opening naming two leaders is a news conference's or statement's as often)."""
    if src.title_kind in ("", "joint statement"):
        return []
    opening = _narrative(src.body)[:1]
    if not opening:
        return []
    start, end = opening[0]
    sentence = src.body[start:end]
    home = publisher_country(src.readout.publisher or "")
    named = _people(src, sentence, sentence)
    if any(is_official_role(p.role) and p.country in ("", home) for p in named):
        return []  # "National Security Advisor Jake Sullivan hosted ...": an official acts
    people = [p for p in named if not is_official_role(p.role)]
    hosts = [p for p in people if _own(src, p)]
    foreign = [p for p in people if not _own(src, p) and p.country and p.country != home]
    if not hosts or len({p.country for p in foreign}) < 2 or not _is_contact(src, people):
        return []  # a bilateral is stated in a clause; news conferences name two leaders
    kind = refine_kind(src.title_kind, sentence)
    return [_mention(src, 0, (start, end), None, kind, hosts + foreign)]


_HEADS_LOOKAHEAD = 6  # sentences where a group readout names its members' countries
# Groups whose membership is fixed: a readout of "President Biden's Meeting with G7
# Leaders" that names a member's leader anywhere ("thanked German Chancellor Olaf Scholz
# for bringing all the Leaders together") reads out a contact with that leader.
_GROUP_MEMBERS = (
    (
        re.compile(r"\b(?:G-?7|Group\s+of\s+Seven)\b", re.I),
        frozenset(
            {"Canada", "France", "Germany", "Italy", "Japan", "United Kingdom", "United States"}
        ),
    ),
    (re.compile(r"\bQuad\b"), frozenset({"Australia", "India", "Japan", "United States"})),
)


def _from_group_members(src: _Source, spans: list[tuple[int, int]]) -> list[Mention]:
    """A group readout of a group whose members are known (:data:`_GROUP_MEMBERS`) that
    states no contact clause: the publisher's principal with each member's leader the
    body names with a title, quoted by the opening sentence."""
    title = src.readout.title or ""
    if not src.group or src.title_kind in ("", "joint statement") or not spans:
        return []
    members = next((c for pattern, c in _GROUP_MEMBERS if pattern.search(title)), None)
    hosts = principals_of(src.readout.publisher or "", src.published)
    if members is None or not hosts:
        return []
    opening = " ".join(src.body[a:b] for a, b in spans[:2])
    if _ANNOUNCES.search(opening):
        return []  # "President Biden will virtually meet with G7 leaders on August 24"
    host = hosts[0]
    people = [Participant(host.name, host.office, host.country)]
    for start, end in spans:
        sentence = src.body[start:end]
        for p in _people(src, sentence, ""):
            member = p.country in members and p.country != host.country
            if (
                member
                and _HEAD_ROLE.search(p.role)
                and not any(same_in_readout(p.name, o.name) for o in people)
            ):
                people.append(p)
    if len(people) < 2:
        return []
    kind = refine_kind(src.title_kind, src.body[spans[0][0] : spans[0][1]])
    return [_mention(src, 0, spans[0], None, kind, people)]


# "In her visit with UAE President Sheikh Mohammed bin Zayed Al Nahyan, the Vice President
# conveyed ...": an opening phrase that states the contact the readout is about
_IN_CONTACT = re.compile(
    r"^(?:In|During)\s+(?:his|her|their|the)\s+(?:(?:bilateral|private)\s+)?(?:visit|meeting"
    r"|call|conversation|audience|talks)\s+with\s+(?P<whom>[^,]{3,160}),"
)


def _from_in_contact_phrase(src: _Source, spans: list[tuple[int, int]]) -> list[Mention]:
    """A readout whose title states a contact or trip and whose body states it only in an
    opening phrase ("In her visit with ..."): the title's actor with the leaders the
    phrase names."""
    if not src.host or src.title_kind in ("", "joint statement"):
        return []
    for start, end in spans[:_TITLE_LOOKAHEAD]:
        m = _IN_CONTACT.match(src.body[start:end])
        if m is None:
            continue
        whom = m.group("whom")
        publisher = src.readout.publisher or ""
        host = next(
            (
                p
                for p in principals_of(publisher, src.published)
                if same_in_readout(p.name, src.host)
            ),
            None,
        )
        if host is None:
            continue  # only the publisher's own principal is known to be the actor
        people = [Participant(host.name, host.office, host.country)]
        for name in find_leaders(whom, officials=True):
            if not any(same_in_readout(name, o.name) for o in people):
                people.append(describe(name, whom, src.context))
        if _is_contact(src, people):
            kind = refine_kind(src.title_kind, src.body[start:end])
            return [_mention(src, 0, (start, end), None, kind, people)]
    return []


_HEAD_ROLE = re.compile(r"\b(?:President|Prime\s+Minister|Chancellor|Premier)\b")
_ANNOUNCES = re.compile(
    r"\bwill\s+(?:(?:virtually|also|then)\s+)?(?:meet|hold|host|convene|join|speak|travel|participate)"
    r"|\b(?:postpone|cancel)\w*",
    re.I,
)


def _from_heads(src: _Source, spans: list[tuple[int, int]]) -> list[Mention]:
    """A group readout naming its members by country alone ("Taking part in the meeting
    ... were the heads of Russia, Armenia, Belarus, Kazakhstan, Kyrgyzstan, and
    Tajikistan"): the publisher's principal with a placeholder for the head of each other
    country (:mod:`.heads`; the table resolves them), when the title states a contact and
    the principal's own country is among those listed (the list is of the heads present)."""
    if src.title_kind in ("", "joint statement"):
        return []
    home = publisher_country(src.readout.publisher or "")
    hosts = principals_of(src.readout.publisher or "", src.published)
    if not hosts:
        return []
    for start, end in spans[:_HEADS_LOOKAHEAD]:
        sentence = src.body[start:end]
        countries = countries_named(sentence)
        others = [c for c in countries if c != home]
        if len(others) < 2 or home not in countries:
            continue  # the heads present, the host's own country among them
        host = hosts[0]
        people = [Participant(host.name, host.office, host.country)]
        people += [placeholder(c) for c in others]
        kind = refine_kind(src.title_kind, sentence)
        return [_mention(src, 0, (start, end), None, kind, people)]
    return []


_TALKS_TITLE = re.compile(
    r"^(?:(?P<after>(?:Press\s+statements|News\s+conference|Statements\s+for\s+the\s+press)"
    r"\s+following\s+)?)(?:Russian?)[-‒–](?P<other>[A-Z][\w]+)\s+talks$",
    re.IGNORECASE,
)


def _from_talks_title(src: _Source) -> list[Mention]:
    """ "Russian-Indian talks", "Press statements following Russian-Argentine talks": the
    publisher's principal held talks with the leader of the other country, whom the body
    names (its transcript included: statements to the press are all transcript). A
    readout *following* the talks may be published a day after them (basis "following",
    which merging allows)."""
    m = _TALKS_TITLE.match(" ".join((src.readout.title or "").split()))
    other = country_of_name(m.group("other")) if m else None
    publisher = src.readout.publisher or ""
    hosts = principals_of(publisher, src.published)
    if m is None or other is None or not hosts:
        return []
    for name in src.names:
        person = describe(name, "", src.context)
        if person.country != other or is_principal_of(name, publisher, src.published):
            continue
        surname = re.compile(rf"(?<![\w-]){re.escape(name.split()[-1])}(?![\w-])")
        for start, end in split_sentences(src.body):
            if surname.search(src.body[start:end]):
                host = hosts[0]
                people = [Participant(host.name, host.office, host.country), person]
                mention = _mention(src, 0, (start, end), None, "talks", people)
                if m.group("after") and mention.basis == "published":
                    mention.basis = "following"
                return [mention]
    return []


def _untitled(src: _Source, whom: str, clauses: list[str]) -> list[Participant]:
    """A counterpart the title names without a title the leader patterns know ("Call
    with Emma Aparici, Chief Diplomatic Advisor ..."), as a body contact clause names
    them: the longest tail of a capitalised phrase of the title that such a clause
    contains ("Opposition Leader Svyatlana Tsikhanouskaya" -> "Svyatlana Tsikhanouskaya")."""
    for phrase in find_names(whom):
        tokens = phrase.split()
        for i in range(max(0, len(tokens) - 4), len(tokens) - 1):
            candidate = " ".join(tokens[i:])
            if (
                country_of_name(candidate)
                or find_leaders(candidate)
                or _GROUP_NOUN.search(candidate)
            ):
                continue  # a country, a title before the name ("Prime Minister X"), a group
            pattern = rf"(?<![\w-])(?<!the\s)(?<!of\s){re.escape(candidate)}(?![\w-])"
            if any(re.search(pattern, clause) for clause in clauses):
                return [describe(candidate, whom, src.context)]
    return []


def extract_contacts(readout: Readout) -> list[Contact]:
    """The contacts one readout reads out, each with this readout as its only source. A
    leader the readout names by country alone is a placeholder ("head of state of
    Armenia", :mod:`.heads`): only the table, which sees every readout, can say who."""
    return [m.to_contact() for m in extract_mentions(readout)]


def _kind(
    clause: ContactClause, from_title: str, first: bool, sentence: str = "", title: str = ""
) -> str:
    """The clause's kind; where its verb is vague ("spoke", "had a conversation") a
    meeting when the sentence sets it at a gathering attended in person ("After the CSTO
    summit, ..."), else the title's kind for the readout's first contact ("Call with ..."),
    else a phone call (how readouts phrase calls)."""
    if first and from_title == "video call" and clause.kind in ("", "meeting", "talks"):
        return "video call"
    if first and from_title == "talks" and clause.kind == "meeting":
        return "talks"  # the Kremlin's "Russian-Belarusian talks": a meeting, formally
    if clause.kind:
        return clause.kind
    titled = first and from_title and from_title != "joint statement"
    kind = from_title if titled else "phone call"
    if kind == "phone call" and at_gathering(sentence) and not _SAYS_CALL.search(title):
        return "meeting"  # a "Conversation with ..." title, unlike "Telephone conversation"
    return kind


_SAYS_CALL = re.compile(r"\b(?:tele)?phone|\bcalls?\b|\bvideo", re.I)


def _place(clause: str, verb_end: int, people: list[Participant]) -> str:
    """The place the clause names after its participants, unless it is a name or role."""
    after = verb_end
    for p in people:
        i = clause.rfind(p.name.split()[-1])
        if i >= 0:
            after = max(after, i + len(p.name.split()[-1]))
    place = find_place(clause, after)
    words = set(place.replace(",", " ").split())
    for p in people:
        if words & set(p.name.split()) or (p.role and words & set(p.role.split())):
            return ""
    return place


def _readout_ref(readout: Readout, quote: str, start: int, end: int) -> ContactReadout:
    return ContactReadout(
        doc_id=readout.doc_id,
        title=readout.title or "",
        date=str(readout.date or ""),
        publisher=readout.publisher or "",
        source=readout.source or "",
        quote=quote,
        start=start,
        end=end,
    )


def _repeats(new: Mention, old: Mention) -> bool:
    """A readout restating its contact ("The two leaders met ... The President and the
    Prime Minister met ...") states one contact, not two."""
    same_people = {p.name for p in new.participants} == {p.name for p in old.participants}
    return same_people and new.date == old.date
