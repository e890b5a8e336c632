"""Leaders a readout names, found behind their titles, by rules rather than a model.

Readouts almost always put a leader behind a title: "Belgian Prime Minister Alexander
De Croo", "President of Ukraine Volodymyr Zelenskyy", "Vladimir Putin, President of
Russia". Matching title-then-name and name-then-title finds who spoke without a model;
short references ("President Biden") are folded into the fuller name found in the same
text. What belongs to a name (particles, initials) is defined in :mod:`readout_qa.names`.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from ..names import HYPHEN_PREFIX_PATTERN, PARTICLE_PATTERN, UPPER, name_tokens, person_key
from .countries import country_table, norm_key
from .places import seats
from .tables import load, trie_regex

__all__ = ["find_leaders"]

_U = f"[{UPPER}]"
_TITLE_WORDS = (
    r"(?:(?:Deputy|Vice|First|Acting|Former|Interim|Caretaker)\s+)*"
    r"(?:Prime\s+Minister|President(?:-elect)?|Premier|(?:Federal\s+)?Chancellor|Crown\s+Prince"
    r"|Crown\s+Princess|King|Queen|Prince|Emir|Amir|Sultan|Pope|Grand\s+Duke|Taoiseach"
    r"|Secretary(?:-General|\s+General)?|General\s+Secretary|Director(?:-General|\s+General)"
    r"|National\s+Security\s+Advis[eo]r|Chairman|Chairwoman|Chairperson|Chair|Speaker|Governor"
    r"|Senator|Ambassador|Special\s+Envoy|Chief\s+Executive|Supreme\s+Leader|Sheikh|Shaikh"
    rf"|(?:{_U}[a-z]+\s+){{0,2}}Minister)"
)
# Offices of officials and aides, for the contacts table (who met the National Security
# Advisor): "Head of Presidential Office Andriy Yermak", "Politburo Member and Director of
# the Office of the Foreign Affairs Commission Wang Yi", "Emma Aparici, Chief Diplomatic
# Advisor to ...". Not in the default titles: retrieval's "leaders" are heads and ministers.
_OFFICIAL_WORDS = (
    r"(?:(?:Deputy|Vice|First|Acting|Principal\s+Deputy)\s+)*"
    r"(?:Head|Director|Chief|Member|Coordinator|Commissioner|Spokesperson"
    r"|Assistant\s+to\s+the\s+President\s+for\s+National\s+Security\s+Affairs"
    r"|(?:His|Her)\s+(?:Royal\s+)?Highness"
    rf"|(?:{_U}[a-z]+\s+){{0,2}}(?:Advis[eo]r|Counsell?or)"
    # "High Representative", "Special Representative"; not "Representative Clark" (Congress)
    rf"|(?:{_U}[a-z]+\s+){{1,2}}Representative)"
)
_HONORIFIC = (
    r"(?:(?:Dr|Mr|Mrs|Ms|Mme|H\.E)\.?\s+|(?:His|Her)\s+(?:Royal\s+)?(?:Majesty|Highness|Excellency)\s+"
    r"|Sheikh\s+|Shaikh\s+|General\s+|Admiral\s+|Archbishop\s+|Ambassador\s+)*"
)
_NAME_END = r"(?=['’]s(?!\w)|[^\w'’]|$)"
_CAMEL_GLUE = re.compile(r"^[^\W\d_]{4,}?[a-z](?=[A-Z][a-z])")  # "AlexanderPresident"
_LOWER_WORDS = re.compile(r"(?<![\w'’-])[a-z]+(?![\w'’-])")
# A capitalised particle cannot end a name ("... Mohammed bin Zayed Al").
_TRAILING_PARTICLES = ("Al", "El", "Bin", "Ibn")
# (not "May": Theresa May)
_CALENDAR = frozenset(
    "January February March April June July August September October November December"
    " Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
)
# Capitalised Arabic particles inside a name ("Amir Sheikh Tamim Bin Hamad Al Thani"): not
# tokens of their own, or a five-word name is cut after four and loses its "of Qatar".
_CAPITAL_PARTICLES = r"(?:Bin|Ibn|Al|El)(?=\s)"


def _name_pattern() -> tuple[str, str]:
    """(one name token, a name of up to four tokens joined by spaces and particles)."""
    non_name = "(?:" + trie_regex(load("non_name_words")["words"]) + r")(?![\w'’-])"
    token = (
        rf"(?:{_U}\.(?=\s)"  # an initial: "Joseph R. Biden"
        rf"|(?:{HYPHEN_PREFIX_PATTERN})?(?!{non_name}){_U}[^\W\d_]*"
        r"(?:(?:-|['’](?!s(?!\w)))[^\W\d_]+)*)"
    )
    particle = rf"(?:{PARTICLE_PATTERN}|{_CAPITAL_PARTICLES})"
    # a name never runs over a line break (the title and the body are scanned together)
    gap = r"[^\S\n]+"
    return token, rf"{token}(?:(?:{gap}{particle})*{gap}{token}){{0,3}}"


@lru_cache(maxsize=2)
def _leader_patterns(officials: bool = False) -> tuple[re.Pattern[str], ...]:
    """Title-then-name and name-then-title matchers, built once (they embed the countries).

    After "of (the)", a country form is tried before a generic capitalised phrase, so
    "President of South Africa Cyril Ramaphosa" does not yield "Africa Cyril Ramaphosa".
    """
    token, name = _name_pattern()
    capword = rf"(?:{_U}[\w’'-]*)"
    org = rf"{capword}(?:\s+(?:(?:and|for|of|the|on)\s+)*{capword}){{0,5}}?"
    trie = country_table().trie
    # Places of two words or more ("Crown Prince of Abu Dhabi Mohamed bin Zayed"): tried
    # before the generic phrase, which would stop after "Abu".
    places = trie_regex([" ".join(w.capitalize() for w in k.split()) for k in seats() if " " in k])
    words = rf"(?:{_TITLE_WORDS}|{_OFFICIAL_WORDS})" if officials else _TITLE_WORDS
    # an aide's office is "for" a field as often as "of" a body ("Coordinating Minister for
    # Maritime Affairs and Investment Luhut Pandjaitan")
    joint = r"(?:of|for)" if officials else "of"
    body = rf"\s+{joint}\s+(?:the\s+)?(?:(?:{trie})(?!\w)|(?:{places})(?!\w)|{org})"
    title = rf"{words}(?:{body})?"
    # An office of a body ("Head of the Federal Medical-Biological Agency Veronika
    # Skvortsova"): the body's name runs on while what follows it is still a body's noun,
    # and the person's name is taken whole (atomic: never a shorter piece of it).
    after_body = re.compile(
        rf"(?<![\w-])(?={_U}){words}{body}\s+{_HONORIFIC}(?P<name>(?>{name})){_NAME_END}"
        rf"{_BODY_NOUN_AFTER}"
    )
    after = re.compile(rf"(?<![\w-])(?={_U}){words}\s+{_HONORIFIC}(?P<name>{name}){_NAME_END}")
    particle = rf"(?:{PARTICLE_PATTERN}|{_CAPITAL_PARTICLES})"
    # "Stephen Lovegrove, incoming National Security Advisor to ...": an aide's office may
    # open with a word saying when he holds it
    lead = r"(?:the|incoming|outgoing|new|acting|then)" if officials else "the"
    before = re.compile(
        rf"(?<![\w'’-])(?=[{UPPER}aeb])(?P<name>{token}(?:(?:\s+{particle})*\s+{token}){{1,3}}),"
        rf"\s+(?:{lead}\s+)?(?:{_U}[a-z]+\s+)?{title}(?![\w-])"
    )
    if not officials:
        return (after_body, after, before)
    # "the Secretary General of Japan's National Security Secretariat, Takeo Akiba, to ...":
    # an office of a body, then the name between commas; "his Russian counterpart Nikolay
    # Patrushev": an official named as the counterpart of the publisher's
    apposed = re.compile(
        rf"(?<![\w-])(?={_U}){words}\s+{joint}\s+(?:the\s+)?{org},\s+{_HONORIFIC}"
        rf"(?P<name>{token}(?:(?:\s+{particle})*\s+{token}){{1,3}})(?=,)"  # a whole name
    )
    counterpart = re.compile(
        rf"\b(?:his|her|their)\s+(?:{_U}[a-z]+\s+)?counterparts?,?\s+{_HONORIFIC}"
        rf"(?P<name>{token}(?:(?:\s+{particle})*\s+{token}){{1,3}}){_NAME_END}"
    )
    return (after_body, after, before, apposed, counterpart)


def _is_word_char(text: str, i: int) -> bool:
    return 0 <= i < len(text) and (text[i].isalnum() or text[i] in "_-")


def _is_part(short: tuple[str, ...], full: tuple[str, ...]) -> bool:
    """Whether ``short`` is the start or the end of the longer ``full`` ("Biden")."""
    n = len(short)
    return n < len(full) and (full[:n] == short or full[-n:] == short)


def _clean_name(raw: str, forms: dict[str, str | None], lower_words: set[str] | None) -> str:
    """The name in a raw match, without glitches, demonyms or headline words; "" if none."""
    tokens = raw.split()
    # Transcript glitches: "Alexander Lukashenko Lukashenko AlexanderPresident of Belarus".
    for i, tok in enumerate(tokens):
        if _CAMEL_GLUE.match(tok):
            tokens = tokens[:i]
            break
    deduped: list[str] = []
    for tok in tokens:
        if not deduped or deduped[-1] != tok:
            deduped.append(tok)
    tokens = deduped
    # "Belgian Alexander De Croo, Prime Minister": the demonym is not part of the name; but
    # before one word only it is the given name ("CEO of Sberbank German Gref"): readouts
    # put a demonym before a title and a whole name, never before a bare surname
    while len(tokens) > 2 and norm_key(tokens[0]) in forms:
        tokens.pop(0)
    given_name = len(tokens) == 2 and norm_key(tokens[1]) not in forms
    while tokens and norm_key(tokens[0]) in forms and not given_name:
        tokens.pop(0)
    # Title Case headlines: "... Jake Sullivan Meeting ...": a word the text also uses in
    # lower case is taken as an ordinary word, not a surname (only for 3+ word names).
    if lower_words is not None:
        while len(tokens) >= 3 and tokens[-1].lower() in lower_words:
            tokens.pop()
        while len(tokens) >= 3 and tokens[0].lower() in lower_words:
            tokens.pop(0)
    while tokens and (
        tokens[-1].islower() or tokens[-1] in _TRAILING_PARTICLES or tokens[-1] in _CALENDAR
    ):
        tokens.pop()  # "... António Guterres September 24": a date follows the name
    name = " ".join(tokens)
    if len(name) < 2 or norm_key(name) in forms:
        return ""
    return name


# A body's name goes on after what looked like a person's name ("the Federal Medical-Biological
# Agency (FMBA) Veronika Skvortsova"): no person's name is followed by one of these nouns.
# (a lookahead of the title-then-name pattern, so that the body's name is read on)
_BODY_NOUN_AFTER = (
    r"(?!\s+(?:Agency|Area|Prize|Award|Committee|Council|Commission|Service|Institute|University"
    r"|Foundation|Fund|Ministry|Department|Corporation|Company|Territory|Province|District)\b)"
    r"(?!-\w)"  # nor is a name cut inside a hyphenated word ("Medical-Biological")
)


def _splits_a_place(text: str, start: int, found: str) -> bool:
    """Whether a name's first word ends a place whose start precedes it ("Abu Dhabi"), or
    the name is the rest of a country's name ("President of the United | Arab Emirates")."""
    before = text[max(0, start - 30) : start].split()
    first = found.split()[0] if found.split() else ""
    if not before:
        return False
    if f"{before[-1]} {first}".lower() in seats():
        return True
    words = found.split()
    forms = country_table().forms
    return any(
        norm_key(" ".join([before[-1], *words[:k]])) in forms for k in range(len(words), 0, -1)
    )


def _titled_names(text: str, officials: bool = False) -> list[tuple[str, int]]:
    """(name, position) of every name behind or before a title, in text order."""
    forms = country_table().forms
    lower_words: set[str] | None = None
    raw: list[tuple[str, int]] = []
    for regex in _leader_patterns(officials):
        for m in regex.finditer(text):
            found = m.group("name")
            if lower_words is None and found.count(" ") >= 2:
                lower_words = set(_LOWER_WORDS.findall(text))
            if _splits_a_place(text, m.start("name"), found):
                continue  # "of Abu | Dhabi and ...": the rest of a place, not a name
            name = _clean_name(found, forms, lower_words)
            if name:
                raw.append((name, m.start("name")))
    raw.sort(key=lambda item: item[1])
    return raw


def _fold_short_forms(first_seen: dict[str, int]) -> tuple[list[str], dict[str, str]]:
    """(people kept, each name seen -> the kept name it refers to).

    Longest names first, so a short form ("Biden", "Joseph Biden") finds its owner
    ("Joseph R. Biden") by person key or as the start or end of the longer name.
    """
    owners: dict[str, str] = {}
    kept: list[str] = []
    by_key: dict[str, str] = {}
    for name in sorted(first_seen, key=lambda n: (-len(name_tokens(n)), first_seen[n])):
        tokens = name_tokens(name)
        owner = by_key.get(person_key(name)) or next(
            (k for k in kept if _is_part(tokens, name_tokens(k))), None
        )
        if owner is None:
            kept.append(name)
            owners[name] = name
            by_key.setdefault(person_key(name), name)
        else:
            owners[name] = owners[owner]
    return kept, owners


def _count_mentions(text: str, kept: list[str], owners: dict[str, str]) -> Counter[str]:
    """Mentions of each kept person in the whole text: the full name, the short forms
    seen behind titles, and the surname of multi-word names ("De Croo said ...")."""
    keys: dict[str, str] = dict(owners)
    surnames = Counter(name_tokens(k)[-1] for k in kept if len(name_tokens(k)) > 1)
    for k in kept:
        tokens = name_tokens(k)
        if len(tokens) > 1 and len(tokens[-1]) > 2 and surnames[tokens[-1]] == 1:
            keys.setdefault(tokens[-1], k)
    counts: Counter[str] = Counter()
    taken: list[tuple[int, int]] = []
    for key in sorted(keys, key=len, reverse=True):  # longest first: "Joe Biden" before "Biden"
        i = text.find(key)
        while i >= 0:
            j = i + len(key)
            if not (_is_word_char(text, i - 1) or _is_word_char(text, j)) and not any(
                a <= i < b for a, b in taken
            ):
                taken.append((i, j))
                counts[keys[key]] += 1
            i = text.find(key, i + 1)
    for name in kept:  # every kept name was seen at least once behind a title
        counts[name] = max(counts[name], 1)
    return counts


def find_leaders(text: str, officials: bool = False) -> list[str]:
    """People named with a leader's title, full names, most-mentioned first.

    Lets retrieval and filters work on "who spoke", which readouts always put behind a
    title ("Belgian Prime Minister Alexander De Croo", "President of Ukraine Volodymyr
    Zelenskyy", "Vladimir Putin, President of Russia"). Short references ("President
    Biden", "President Xi") are folded into a fuller name found in the same text.
    ``officials`` also takes names behind an aide's office ("Head of Presidential Office
    Andriy Yermak"), for the contacts table.
    """
    raw = _titled_names(text, officials)
    if not raw:
        return []
    first_seen: dict[str, int] = {}
    for name, pos in raw:
        first_seen.setdefault(name, pos)
    kept, owners = _fold_short_forms(first_seen)
    counts = _count_mentions(text, kept, owners)
    first = {k: min(first_seen[s] for s, o in owners.items() if o == k) for k in kept}
    return sorted(kept, key=lambda k: (-counts[k], first[k]))
