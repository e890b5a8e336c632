"""People a contact question names by their office, not their name, and names that
only qualify something else.

"When did Lasso meet President Biden or his National Security Advisor?", "how many times
did the Vice President, the National Security Advisor or his deputy speak with Saied?":
the office stands for whoever held it, which the contacts table knows from the roles its
readouts state ("National Security Advisor Jake Sullivan"). An office is read as the
persons of the table whose usual role is that office, of the government the question is
about (the possessor's: "his", or the publisher's). Offices, not names, so it holds for
any holder the corpora name. "Zelensky's chief of staff Andriy Yermak" and "senior Biden
administration officials": the possessor and the administration's namesake describe the
person asked about, they take no part in the contacts themselves.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .people import People, Person

__all__ = ["OfficeRef", "descriptive_names", "find_offices"]

# the offices a question may name, and the roles of the table that hold them
_OFFICES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        r"(?:principal\s+)?deputy(?:\s+national\s+security\s+advis[eo]r)?",
        re.compile(r"^(?:Principal\s+)?Deputy\s+National\s+Security\s+Advis[eo]r$", re.I),
    ),
    (
        r"national\s+security\s+advis[eo]r|nsa",
        re.compile(r"^National\s+Security\s+Advis[eo]r$", re.I),
    ),
    (r"vice[\s-]president|vp", re.compile(r"^Vice\s+President$", re.I)),
    (r"secretary\s+of\s+state", re.compile(r"^Secretary\s+of\s+State$", re.I)),
)
_REF = re.compile(
    r"\b(?P<det>the|his|her|their|its)\s+(?:(?:u\.?s\.?|american|russian)\s+)?(?P<office>"
    + "|".join(f"(?:{o})" for o, _ in _OFFICES)
    + r")\b(?!\s+(?:(?-i:[A-Z])[\w'’-]+|of\b))",
    re.I,
)
_PRINCIPAL_DEPUTY = re.compile(r"^Principal\b", re.I)


@dataclass(frozen=True)
class OfficeRef:
    """An office named in a question and who held it, per the table."""

    start: int
    end: int
    persons: tuple[Person, ...]


def _holders(people: People, role: re.Pattern[str], home: str) -> list[Person]:
    found = [
        p
        for p in people.persons.values()
        if role.match(p.role.strip()) and (not home or p.country == home)
    ]
    principal = [p for p in found if _PRINCIPAL_DEPUTY.search(p.role)]
    found = principal or found  # "his deputy": the principal deputy when there is one
    # an aide once given the office by a garbled title ("Advisor to the Vice President
    # Phil Gordon") is named far less often than those who held it
    most = max((p.mentions for p in found), default=0)
    return [p for p in found if p.mentions * _SHARE >= most]


_SHARE = 5


def find_offices(
    q: str, people: People, home_of: dict[str, str], publisher_home: str
) -> list[OfficeRef]:
    """The offices ``q`` names without a name after them, each with its holders.

    ``home_of`` maps the names the question gives to their country (whose "his" means),
    ``publisher_home`` is the country of the readouts it asks about ("" if none)."""
    out: list[OfficeRef] = []
    for m in _REF.finditer(q):
        office = m.group("office").lower()
        role = next(r for o, r in _OFFICES if re.fullmatch(o, office, re.I))
        home = publisher_home
        if m.group("det").lower() != "the":
            before = [(q.rfind(n, 0, m.start()), c) for n, c in home_of.items()]
            before = [(at, c) for at, c in before if at >= 0 and c]
            home = max(before)[1] if before else home
        holders = _holders(people, role, home or "United States")
        if holders:
            out.append(OfficeRef(m.start(), m.end(), tuple(holders)))
    return out


# "Zelensky's chief of staff Andriy Yermak" (the "'s" may be typed or not): a few
# lower-case words naming an office, then another name
_GAP_WORDS = re.compile(r"^(?:['’]s)?\s+((?:[a-z][\w-]*\s+){1,5})$")
_OFFICE_WORD = frozenset(
    "chief head adviser advisor minister deputy envoy aide secretary ambassador diplomat"
    " spokesperson spokesman counselor counsellor staff representative".split()
)
_NOT_OFFICE = frozenset("and or with to then between vs versus".split())


def _describes_office(gap: str) -> bool:
    m = _GAP_WORDS.match(gap)
    words = m.group(1).split() if m else []
    return bool(words) and bool(_OFFICE_WORD & set(words)) and not _NOT_OFFICE & set(words)


_ADMINISTRATION = re.compile(r"^(?:['’]s)?\s+(?:administration|admin)\b", re.I)


# "Ibrahim Kalin, Erdogan's spokesman and chief adviser": after another name and a comma,
# a possessor of an office that closes the aside says who that other person is
_APPOSITIVE_OFFICE = re.compile(r"^['’]s\s+((?:[a-z][\w-]*\s+){0,5}[a-z][\w-]*)\s*(?:[,.;:?!)]|$)")
_BEFORE_APPOSITIVE = re.compile(r"([A-Z][\w.’'-]*)\s*,\s*(?:the\s+)?$")


def _describes_aside(q: str, end: int, start: int, others: list[str]) -> bool:
    m = _APPOSITIVE_OFFICE.match(q[end:])
    words = set(m.group(1).split()) if m else set()
    if not (words & _OFFICE_WORD) or words & {"with", "to", "between", "vs", "versus"}:
        return False
    before = _BEFORE_APPOSITIVE.search(q[:start])
    return bool(before) and any(o.split()[-1] == before.group(1) for o in others)


def _describes(q: str, end: int, others: list[str], start: int = -1) -> bool:
    """Whether the name ending at ``end`` describes someone: an administration's namesake,
    the possessor of an office another name holds, or of an office in an aside after
    another name."""
    if _ADMINISTRATION.match(q[end:]):
        return True
    if start >= 0 and _describes_aside(q, end, start, others):
        return True
    for other in others:
        at = q.find(other, end)
        if at > end and _describes_office(q[end:at]):
            return True
    return False


def descriptive_names(q: str, names: Iterable[str]) -> set[str]:
    """Names that only describe someone else: every time the question writes them, they
    are a possessor of another named person's office ("Zelensky's chief of staff
    Andriy Yermak") or an administration's namesake ("Biden administration officials")."""
    names = list(names)
    out: set[str] = set()
    for name in names:
        spots = [(m.start(), m.end()) for m in re.finditer(rf"\b{re.escape(name)}\b", q)]
        if not spots:
            continue
        others = [n for n in names if n != name]
        if all(_describes(q, end, others, start) for start, end in spots):
            out.add(name)
    return out
