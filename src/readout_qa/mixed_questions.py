"""Questions that ask for a list of contacts and for what was said, in one sentence.

"Which leaders did Biden speak with in February 2024, and what did he tell Netanyahu?" is two
questions: the first is answered from the contacts table (every contact, one line each,
cited), the second by the usual path (retrieval and the answerer). Routed whole, it took one
path only: the content words sent it to the answerer, which answered the second half and
left the list out. :func:`split_mixed` finds such a question's two parts; :func:`stream_mixed`
answers each part through ``ReadoutQA.stream`` in the order asked and composes one
:class:`~.models.Answer` (one numbering of the citations, the contacts listed in
``Answer.contacts``). A part no readout answers says so ("The readouts don't say: ...")
while the other part stays.

A content question about the first or last contact ("What did Biden and Netanyahu discuss on
their last call?") is such a question too, with the contacts part unasked: the table says which
call was the last (:func:`split_anchored`), and the content part is asked of that call's date;
without it, the words "last call" picked whichever call the search ranked first.

The part asking about content usually leans on the other ("what did *he* tell Netanyahu",
"what did *they* discuss"): the pronoun is replaced by the people the contacts part names,
and the contacts part's period is added when the content part names none, so that the
content part is searched as the user meant it.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any, Protocol

from .contacts.answerer import say_date
from .dates import find_days, find_periods
from .models import Answer, Citation
from .names import find_names
from .question_routing import asks_what_was_said

__all__ = ["MixedQuestion", "Part", "compose", "split_mixed", "stream_mixed"]

CONTACTS = "contacts"
CONTENT = "content"
UNANSWERED = "The readouts don't say: {part}"
DATE = "{date}"  # in a content part: the date of the contact the contacts part found


class ContactQuestionReader(Protocol):
    """What the splitting needs of the contacts answerer: its reading of a question."""

    def parse(self, question: str) -> Any: ...


@dataclass(frozen=True)
class Part:
    """One part of a mixed question: as the user wrote it, and as it is asked."""

    kind: str  # CONTACTS or CONTENT
    written: str  # the words of the question, as typed ("what did he tell Netanyahu?")
    asked: str  # the question put to the answer path ("What did Biden tell Netanyahu ...?")


@dataclass(frozen=True)
class MixedQuestion:
    """A question made of a contacts part and a content part, in the order asked."""

    question: str
    parts: tuple[Part, Part]


# Where a second question starts: ", and what ...", "; how ...", " and why ...", ". What ..."
_OPENER = (
    r"(?:what|which|how|why|who|whom|where|when|did|does|do|was|were|is|are|has|have|had"
    r"|list|name|give|show|tell)\b"
)
_BOUNDARY = re.compile(
    rf"(?:\s*[,;]\s*(?:and\s+(?:also\s+)?|but\s+|plus\s+|also\s+)?|\s+and\s+(?:also\s+)?"
    rf"|[?.!]\s+(?:and\s+)?)(?={_OPENER})",
    re.IGNORECASE,
)
# A contacts part asks for contacts itself: "Which leaders did ...", "How many times ...", "When
# did ...", "List ...". A clause that only names a call to ask about it ("In the February 12,
# 2022 Biden–Putin call, what did ...", "When Harris called Herzog on ..., which city ...") or
# a statement ("De Croo talked with Li in 2021 and with Biden in 2024. Which ...") is no
# contacts question: the whole question is about content and keeps the usual path.
_ASKS_FOR_CONTACTS = re.compile(
    r"^\s*(?:which|what|who|whom|with\s+whom|how\s+(?:many|often)|when\s+(?:did|has|have|had|was"
    r"|were|do|does)|list|name|give|show|tell\s+me|trace|did|has|have|had|was|were)\b",
    re.IGNORECASE,
)
# a subject or object pronoun standing for the people of the other part
_PRONOUN = re.compile(r"\b(?:he|she|they|him|her|them)\b", re.IGNORECASE)
_POSSESSIVE = re.compile(r"\b(?:his|her|their)\b", re.IGNORECASE)


def split_mixed(question: str, contacts: ContactQuestionReader) -> MixedQuestion | None:
    """The two parts of ``question`` when one is a contacts question (a list, count, first
    or last the contacts table answers) and the other asks about content; None otherwise
    (most questions: one part, or two parts of one kind)."""
    question = (question or "").strip()
    anchored = split_anchored(question, contacts)
    if anchored is not None:
        return anchored
    for m in _BOUNDARY.finditer(question):
        left = question[: m.start()].strip(" ,;")
        right = question[m.end() :].strip()
        if len(left) < 8 or len(right) < 8:
            continue
        left_q, right_q = _as_question(left), _as_question(right)
        kinds = (_kind(left_q, contacts), _kind(right_q, contacts))
        if kinds == (CONTACTS, CONTENT):
            listed = contacts.parse(left_q)
            content = _leaning_on(right_q, listed)
            return MixedQuestion(
                question,
                (Part(CONTACTS, _written(left), left_q), Part(CONTENT, _written(right), content)),
            )
        if kinds[0] == CONTENT and kinds[1] != CONTENT:
            # "What did Biden tell Netanyahu, and which leaders did he speak with in ...?":
            # the contacts part's pronoun stands for the people the content part names
            named = _people_named(left_q, contacts)
            listed_q = _PRONOUN.sub(named, right_q, count=1) if named else right_q
            if _kind(listed_q, contacts) != CONTACTS:
                continue
            return MixedQuestion(
                question,
                (
                    Part(CONTENT, _written(left), _leaning_on(left_q, contacts.parse(listed_q))),
                    Part(CONTACTS, _written(right), listed_q),
                ),
            )
    return None


# "on their last call", "at their most recent meeting", "in the first phone call": the contact a
# content question is about, named by its order, not its date
_ANCHOR = re.compile(
    r"\s*\b(?:on|in|at|during|from|after)?\s*(?:their|the|his|her)\s+(?:very\s+)?"
    r"(?P<which>last|latest|most\s+recent|final|first|earliest)\s+"
    r"(?P<noun>(?:(?:tele)?phone\s+|video\s+|in-person\s+)?(?:call|conversation|meeting|talks"
    r"|summit|visit|contact|encounter|exchange))s?\b",
    re.IGNORECASE,
)
# "... when they last spoke", "... the first time they met"
_ANCHOR_TIME = re.compile(
    r"\s*\b(?:when|the\s+(?P<which2>last|first)\s+time)\s+(?:they|he|she)\s+"
    r"(?:(?P<which>last|first)\s+)?(?P<verb>spoke|talked|met|called)\b",
    re.IGNORECASE,
)
_PERIOD = re.compile(
    r"\s+(?:in|of|during|since|before|after)\s+(?:(?:early|late|mid)[\s-]+)?"
    r"(?:[A-Z][a-z]+\s+)?(?:19|20)\d\d\b"
)


def split_anchored(question: str, contacts: ContactQuestionReader) -> MixedQuestion | None:
    """ "What did Biden and Netanyahu discuss on their last call?": a content question about
    the first or last contact of the people it names, as two parts: when that contact was
    (the contacts table), and the question asked of that date. None for any other question."""
    # "... on June 3 and October 4, 2024: what ... in the first call": the days say which
    if not asks_what_was_said(question) or find_days(question):
        return None
    m = _ANCHOR.search(question)
    if m is not None:
        which, noun = m.group("which").lower(), m.group("noun").lower()
    else:
        m = _ANCHOR_TIME.search(question)
        if m is None or not (m.group("which") or m.group("which2")):
            return None
        which, noun = (m.group("which") or m.group("which2")).lower(), m.group("verb").lower()
    first = which in ("first", "earliest")
    rest = question[: m.start()] + question[m.end() :]
    people = [n for n in find_names(rest) if n[:1].isupper()]
    if not people:
        return None
    if re.search(r"call|phone", noun):
        verb = "call"
    elif re.search(r"meet|met|talks|summit|visit|in-person", noun):
        verb = "meet"
    else:
        verb = "speak"
    period = _PERIOD.search(rest)
    listed_q = (
        f"When did {' and '.join(people)} {'first' if first else 'last'} {verb}"
        f"{period.group(0) if period else ''}?"
    )
    listed = contacts.parse(listed_q)
    if listed is None or getattr(listed, "shape", "") not in ("first", "last"):
        return None
    # "What did Putin tell the Emir on their last call?": the reader knows Putin but not "Emir";
    # Putin's last call with anyone is not the one asked about
    if len(getattr(listed, "names", []) or []) < len(people):
        return None
    said = "call" if verb == "call" else "meeting" if verb == "meet" else "contact"
    asked = f"{rest[: m.start()].rstrip(' ,?')} in their {said} on {DATE}{rest[m.start() :]}"
    return MixedQuestion(
        question,
        (
            Part(CONTACTS, _written(listed_q), listed_q),
            Part(CONTENT, _written(question), _as_question(asked)),
        ),
    )


def _written(text: str) -> str:
    """A part as the user typed it, ending as a question ("what did he tell Netanyahu?")."""
    text = text.strip().rstrip(" ,;.")
    return text if text.endswith("?") else f"{text}?"


def _as_question(text: str) -> str:
    text = text.strip().rstrip(" ,;.")
    text = text[:1].upper() + text[1:]
    return text if text.endswith("?") else f"{text}?"


def _kind(part: str, contacts: ContactQuestionReader) -> str | None:
    """CONTACTS for a question the contacts table answers (as ``ReadoutQA`` routes it),
    CONTENT for a question about what was said, None for anything else."""
    if asks_what_was_said(part):
        return CONTENT
    if _ASKS_FOR_CONTACTS.match(part) and contacts.parse(part) is not None:
        return CONTACTS
    return None


def _people_named(question: str, contacts: ContactQuestionReader) -> str:
    """ "Biden", "Biden and Xi": the people a part names, as the contacts reader reads them."""
    parsed = contacts.parse(question)
    names = list(getattr(parsed, "names", []) or [])
    if not names:
        from .names import find_names

        names = [n for n in find_names(question) if n[:1].isupper()][:1]
    return " and ".join(names)


def _leaning_on(content: str, listed: Any) -> str:
    """The content part as asked on its own: its pronoun replaced by the people the contacts
    part names, and that part's period added when it names no date of its own."""
    names = list(getattr(listed, "names", []) or [])
    asked = content
    if names:
        subject = " and ".join(names)
        asked = _PRONOUN.sub(subject, asked, count=1)
        asked = _POSSESSIVE.sub(f"{subject}'s", asked, count=1) if asked == content else asked
    period = str(getattr(listed, "period", "") or "")
    if period and not (find_days(asked) or find_periods(asked)):
        asked = f"{asked.rstrip('?').rstrip()}{period}?"
    return asked


# ------------------------------------------------------------------ answering
Stream = Callable[..., Iterator[Any]]
_MARKER = re.compile(r"\[(\d+)\]")


_REPEATED = re.compile(r"(\[\d+\])(?:\1)+")


def _numbering(
    earlier: list[Citation], cited: list[Citation]
) -> tuple[dict[int, int], list[Citation]]:
    """A later part's citation numbers in the whole answer, and its citations new to it.

    "What did Biden and Netanyahu discuss on their last call?" cites the call's readout
    twice when the sentence stating the call is also the one saying what was discussed: a
    sentence already cited keeps its number, so the answer cites it once."""
    numbers = {(c.doc_id, c.start, c.end): c.n for c in earlier}
    mapping: dict[int, int] = {}
    new: list[Citation] = []
    for c in cited:
        known = numbers.get((c.doc_id, c.start, c.end))
        if known is None:  # (a part's own citations are as its answerer numbered them)
            known = len(earlier) + len(new) + 1
            new.append(replace(c, n=known))
        mapping[c.n] = known
    return mapping, new


def _renumbered(text: str, mapping: dict[int, int], offset: int) -> str:
    """``text`` with its markers numbered by ``mapping`` (a marker it lacks numbered on by
    ``offset``), "[1][1]" said once."""
    text = _MARKER.sub(
        lambda m: f"[{mapping.get(int(m.group(1)), int(m.group(1)) + offset)}]", text
    )
    return _REPEATED.sub(r"\1", text)


def stream_mixed(
    stream: Stream,
    mixed: MixedQuestion,
    history: list[dict[str, Any]] | None = None,
    filters: Any = None,
    *,
    progress: bool = False,
) -> Iterator[Any]:
    """Each part answered through ``stream`` (``ReadoutQA.stream``) in the order asked, its
    text deltas passed on with citation markers renumbered, then the composed Answer."""
    t0 = time.perf_counter()
    answers: list[Answer] = []
    cited: list[Citation] = []  # the whole answer's citations so far
    for i, part in enumerate(mixed.parts):
        final: Answer | None = None
        shown = False
        held: list[str] = []  # a later part's text, numbered once its citations are known
        asked = part.asked
        if DATE in asked:
            # the date of the contact the contacts part found; none found: nothing to ask
            listed = [c for a in answers for c in a.contacts]
            if not listed:
                answers.append(_not_asked(part))
                yield ("\n\n" if i else "") + UNANSWERED.format(part=part.written)
                continue
            asked = asked.replace(DATE, say_date(listed[0].date))
        for event in stream(asked, history, filters, progress=progress):
            if isinstance(event, Answer):
                final = event
            elif isinstance(event, str):
                if final is None and not _refused_so_far(event):
                    prefix = "\n\n" if i and not shown else ""
                    shown = True
                    if cited:
                        held.append(prefix + event)
                    else:
                        yield prefix + event
            elif progress:
                yield event
        assert final is not None
        if final.refused and i:
            yield "\n\n" + UNANSWERED.format(part=part.written)
        elif final.refused:
            yield UNANSWERED.format(part=part.written)
        else:
            mapping, new = _numbering(cited, final.citations)
            if held:
                yield _renumbered("".join(held), mapping, len(cited))
            cited += new
        answers.append(final)
    answer = compose(mixed, answers)
    answer.timings["total"] = round(time.perf_counter() - t0, 6)
    yield answer


def _not_asked(part: Part) -> Answer:
    """The answer of a part that depends on a contact the table does not hold."""
    return Answer(question=part.written, text="", refused=True, answerer="")


def _refused_so_far(delta: str) -> bool:
    """A refusal's text ("The readouts don't say. Closest passages ...") is replaced by
    the part's own "don't say" line."""
    return delta.startswith("The readouts don't say")


def compose(mixed: MixedQuestion, answers: list[Answer]) -> Answer:
    """One Answer of the parts' answers: texts in order (a part refused says which part
    the readouts don't answer), citations numbered on (a sentence cited by both parts
    once), contacts of the contacts part."""
    texts: list[str] = []
    citations: list[Citation] = []
    for part, answer in zip(mixed.parts, answers, strict=True):
        if answer.refused:
            texts.append(UNANSWERED.format(part=part.written))
            continue
        mapping, new = _numbering(citations, answer.citations)
        texts.append(_renumbered(answer.text, mapping, len(citations)))
        citations += new
    listed = next(a for p, a in zip(mixed.parts, answers, strict=True) if p.kind == CONTACTS)
    content = next(a for p, a in zip(mixed.parts, answers, strict=True) if p.kind == CONTENT)
    # "When did Harris speak with Putin, and what did they discuss?": no contact listed and
    # nothing said about one is no answer (the table's "none" is kept as the text)
    refused = content.refused and not listed.contacts
    timings: dict[str, float] = {}
    for part, answer in zip(mixed.parts, answers, strict=True):
        timings.update({f"{part.kind}_{k}": v for k, v in answer.timings.items()})
    return Answer(
        question=mixed.question,
        text="\n\n".join(texts),
        citations=citations,
        refused=refused,
        answerer=f"{listed.answerer} + {content.answerer}",
        reason=content.reason if refused else "",
        closest=content.closest if refused else [],
        contacts=list(listed.contacts),
        unsupported=[u for a in answers for u in a.unsupported],
        notices=[n for a in answers for n in a.notices],
        retrieval_query=content.retrieval_query,
        retrieved_doc_ids=list(dict.fromkeys(d for a in answers for d in a.retrieved_doc_ids)),
        timings=timings,
    )
