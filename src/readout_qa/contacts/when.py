"""When a contact took place, which is not always when its readout was published.

Readouts date the event in many ways: a full date ("On the afternoon of December 7,
2021, ..."), a day without a year ("met virtually on November 15", "On December 30,
Vladimir Putin ..."), a relative word ("today", "this morning", "yesterday", "last
night") or a weekday ("On Friday, ..."). Each is resolved against the publication date;
what a sentence does not date happened on the publication day. Dates that only place
something else ("following the November 13 summit", "ahead of the May 19 meeting") are
not the contact's. Months are recognised by :func:`readout_qa.dates.month_number` and
days parsed by :func:`readout_qa.dates.parse_date`, the project's one month table and
parser. A missing or invalid publication date never raises: the date is then unknown
unless the sentence gives a full one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..dates import MONTHS, month_number, parse_date

__all__ = ["EventDate", "event_date", "publication_day"]

#: How the event date was found, best first (merging prefers the better basis).
#: "following": the readout follows the contact (press statements after talks) and is
#: dated by its publication, which may be a day after the contact.
BASES = ("stated", "relative", "published", "following", "unknown")

_MONTH_WORD = r"[A-Z][a-z]{2,8}\.?"
_DAY_FORMS = re.compile(
    rf"(?<![\w-])(?:(?P<m1>{_MONTH_WORD})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?![\d:])"
    rf"(?:,?\s+(?P<y1>(?:19|20)\d\d)(?!\d))?"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{_MONTH_WORD})"
    rf"(?:,?\s+(?P<y2>(?:19|20)\d\d)(?!\d))?)"
)
_RELATIVE = re.compile(
    r"\b(?P<word>earlier\s+today|today|this\s+(?:morning|afternoon|evening)|tonight"
    r"|yesterday|last\s+night)\b",
    re.IGNORECASE,
)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = re.compile(r"\b(?:on|On|last|Last)\s+(?P<day>" + "|".join(_WEEKDAYS) + r")\b", re.I)
# A date right after these words places another event ("following the May 3 call", "on
# the one-month anniversary of October 7").
_NOT_THE_EVENT = re.compile(
    r"\b(?:following(?:\s+up\s+on)?|after|since|before|ahead\s+of|until|by|from|through|between|prior\s+to"
    r"|planned\s+for|scheduled\s+for|set\s+for|outcomes?\s+of|results?\s+of"
    r"|anniversary\s+of|commemorat\w+|in\s+memory\s+of)\s+"
    r"(?:(?:the|their|his|her|its|a|an|last|next|this)\s+)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class EventDate:
    """An event's ISO date ("" when unknown) and how it was found (one of :data:`BASES`)."""

    iso: str
    basis: str


def publication_day(date: str | None) -> dt.date | None:
    """The publication date as a ``date``; None when missing or invalid."""
    try:
        return dt.date.fromisoformat(str(date)) if date else None
    except ValueError:
        return None


def _explicit(sentence: str, published: dt.date | None) -> list[tuple[int, dt.date]]:
    """(position, day) of each calendar day the sentence names that can be the event's."""
    out: list[tuple[int, dt.date]] = []
    for m in _DAY_FORMS.finditer(sentence):
        month = m.group("m1") or m.group("m2")
        if month_number(month) is None:
            continue
        day, year = m.group("d1") or m.group("d2"), m.group("y1") or m.group("y2")
        if year is None and published is None:
            continue
        try:
            when = dt.date.fromisoformat(
                parse_date(f"{MONTHS[month_number(month) - 1]} {day}, {year or published.year}")
            )
        except (ValueError, AttributeError):
            continue
        if year is None and published is not None and when > published:
            when = when.replace(year=when.year - 1)  # "On December 30" read in January
        if _NOT_THE_EVENT.search(sentence[max(0, m.start() - 40) : m.start()]):
            continue
        if published is not None and not dt.timedelta(0) <= published - when <= _MAX_LAG:
            continue  # after publication (an announcement) or long before (a mention)
        out.append((m.start(), when))
    return out


_MAX_LAG = dt.timedelta(days=45)


def _relative(sentence: str, published: dt.date | None) -> list[tuple[int, dt.date]]:
    if published is None:
        return []
    out: list[tuple[int, dt.date]] = []
    for m in _RELATIVE.finditer(sentence):
        word = m.group("word").lower()
        back = 1 if word in ("yesterday", "last night") else 0
        out.append((m.start(), published - dt.timedelta(days=back)))
    for m in _WEEKDAY.finditer(sentence):
        target = _WEEKDAYS.index(m.group("day").lower())
        back = (published.weekday() - target) % 7
        if m.group(0).lower().startswith("last") and back == 0:
            back = 7
        out.append((m.start(), published - dt.timedelta(days=back)))
    return out


def event_date(
    sentence: str, verb_at: int, published_iso: str | None, clause_end: int | None = None
) -> EventDate:
    """The date of the contact a sentence states, its verb at offset ``verb_at``.

    Only the contact's clause (``sentence[:clause_end]``) dates it: what follows is its
    purpose ("following up on their May 26 call"). The stated date nearest the verb wins;
    then a relative word; else the publication date. Never raises.
    """
    published = publication_day(published_iso)
    sentence = sentence[:clause_end] if clause_end is not None else sentence
    earlier = _EARLIER_EVENT.match(sentence)
    if earlier and (verb_at == 0 or earlier.end() <= verb_at):  # 0: no verb known (a title)
        # "Following talks held in Moscow on February 22, Putin and Aliyev shared opinions
        # in a telephone conversation": the opening phrase dates the earlier event.
        blank = " " * earlier.end()
        sentence = blank + sentence[earlier.end() :]
    stated = _explicit(sentence, published)
    relative = _relative(sentence, published)
    at_verb = [r for r in relative if verb_at - _AT_VERB <= r[0] <= verb_at + _AT_VERB]
    if at_verb and verb_at > 0:
        # "spoke today with ... on the anniversary of the attack on October 7": the word
        # that modifies the verb dates the contact, a day named further on another event
        return EventDate(_nearest(at_verb, verb_at).isoformat(), "relative")
    if stated:
        return EventDate(_nearest(stated, verb_at).isoformat(), "stated")
    if relative:
        return EventDate(_nearest(relative, verb_at).isoformat(), "relative")
    if published is not None:
        return EventDate(published.isoformat(), "published")
    return EventDate("", "unknown")


_AT_VERB = 14  # characters between a contact verb and the "today" that modifies it
_EARLIER_EVENT = re.compile(r"^\s*(?:Following|After|Since|Further\s+to)\b[^,]{0,120},", re.I)


def _nearest(found: list[tuple[int, dt.date]], at: int) -> dt.date:
    return min(found, key=lambda item: (abs(item[0] - at), item[0]))[1]
