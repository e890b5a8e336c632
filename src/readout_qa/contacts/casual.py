"""Questions as people type them into a chat box, rewritten into the form the rules read.

"trudeau and biden 2021 - every call w/ dates pls", "Putin & Mirziyoev", "Putin–Lukashenko
contacts in jan 2022", "Bibi", "AMLO": the rules of :mod:`.questions` look for capitalised
names, full month names and words between names. This module only rewrites surface
forms -- it never decides what the question asks:

* a known person's surname typed in lower case is capitalised (only surnames of people
  the table names at least :data:`MIN_MENTIONS` times, and never a common English word
  unless the person is named very often: "putin", "biden"; not "moon" or "lee"), or joined
  by "and" or a dash to another name read as a person's ("putin-bennett");
* a few well-known nicknames become the surname the readouts use
  (``entities/data/nicknames.json``);
* "&", "+", "/" and a dash between two names become "and";
* abbreviated months ("jan", "Sept.") and chat shorthand ("mtgs", "w/") are written out,
  ordinal days lose their suffix, and a month typed in lower case before a day or year is
  capitalised; a longer surname typed a letter off ("tokaev") is read as the table's;
* a surname in another common transliteration ("aliev"/"Aliyev", "zelenski", "rakhmon",
  "Nazarbaev"), in lower case or capitalised, is read as the table's spelling
  (:func:`spelling_key`: y/i, kh/h, zh/j, a doubled letter, a glide between vowels);
* a word of a contact typed a letter or two off ("meetngs", "conversatons") is written
  out, when it is no English word and no surname; so is the noun after "how many"
  ("how many tims", "how many cals"); so is an office ("presdient"), and a short contact
  word with two letters swapped ("tlak");
* a capital's possessive before an office is its country's ("Seoul's president").
"""

from __future__ import annotations

import re
from difflib import get_close_matches
from functools import lru_cache

from ..dates import MONTHS, month_number
from ..entities import country_of_name
from ..entities.countries import country_table
from ..entities.places import seats
from ..entities.tables import load
from ..thesaurus import table as english_words
from .people import People, name_key

__all__ = ["normalise", "spelling_key", "unswap"]

MIN_MENTIONS = 3
_LEADER_ROLE = re.compile(r"^(?:President|Premier|Prime\s+Minister|Chairman|General\s+Secretary)$")
_ROMAN = re.compile(r"[ivx]+")
SHORT_NAMED = 10  # a surname of two or three letters ("xi") counts when named this often
FAMOUS = 20  # named this often, a surname that is also a word ("putin") is still the person

# "jan", "Sept." -> the month's name (the dates module knows every abbreviation)
_MONTH_ABBR = re.compile(
    r"\b(" + "|".join([m[:3] for m in MONTHS if m != "May"] + ["sept"]) + r")\.?"
    r"(?=\s+(?:\d|of\b)|\s*\)|\s*$|,|\s*[-–]\s*[a-z]{3}"
    r"|\s+(?:and|to|through|thru|till|until|or)\s+[A-Za-z]{3,9}\.?\s+(?:\d|of\b))",
    re.IGNORECASE,
)
# "Feb 24-Mar 2, 2022": a run of days across two months written with a bare dash, spaced out
# as the date ranges read it ("February 24 - March 2, 2022"), not a day "24-March"
_DAY_DASH_MONTH = re.compile(
    r"(?<=\d)\s*[-–—]\s*(?=(?:" + "|".join(MONTHS) + r")\b)", re.IGNORECASE
)
# "since march 1 2025", "in june 2021": a month typed in lower case, before a day or a year
_MONTH_NAMES = "|".join(m.lower() for m in MONTHS)
# ("april to june 2022": the first month of a range whose last one has the year)
_MONTH_WORD = re.compile(
    rf"\b({_MONTH_NAMES})(?=\s+\d|\s*[-–]\s*(?:{_MONTH_NAMES})\b"
    rf"|\s+(?:to|through|thru|till|until|and)\s+(?:{_MONTH_NAMES})\s+\d)"
    rf"|(?<=[-–])({_MONTH_NAMES})(?=\s+\d)",
    re.I,
)
# "did trump talk to", "when did biden and xi meet": the slot before a contact verb is a
# person's, so a surname there is taken even when it is also an English word
_SUBJECT = re.compile(
    r"\b(?:did|has|have|had|does|do)\s+([a-z][a-z'’-]+)(?:\s+(?:and|&)\s+([a-z][a-z'’-]+))?\s+"
    # "how many calls did trump do/make/have": the verb of a counted noun, too
    r"(?:ever\s+)?(?:talk|call|meet|speak|phone|see|visit|(?:do|make|have|hold|host)\b)"
)
_HYPHENED = re.compile(r"\b([A-Z][a-zà-ÿ]+)-([A-Z][a-zà-ÿ]+)\b")
# chat shorthand for the words the rules read
_CHAT = {
    "mtg": "meeting",
    "mtgs": "meetings",
    "convo": "conversation",
    "convos": "conversations",
    "w/": "with",
    "w": "with",
    "btw": "between",
}
# "mtg/call" too; a lone "w" before a word is "with" ("biden have w ireland's taoiseach")
_CHAT_WORD = re.compile(
    r"(?<![\w/])(mtgs?|convos?|w/|(?-i:w(?=\s+[a-z]))|btw)(?!\w)", re.IGNORECASE
)
_ORDINAL = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)\b")
_JOINER = re.compile(r"(?<=\w)\s*(?:&|\+|/|–|—|↔|<->)\s*(?=[A-Za-z])")
_ARROW = re.compile(r"\s*(?:→|->|⇒)\s*")  # "dec 2021 → may 2022": a range
# "putin-scholz", "biden-xi": two surnames typed in lower case with a hyphen
_LOWER_PAIR = re.compile(r"(?<![\w'’-])([a-z]{2,})-([a-z]{2,})(?![\w'’-])")
_WORD = re.compile(r"(?<![\w'’-])([a-z][a-z'’-]{1,})(?![\w-])")
# "erdoğan", "nausėda": a lower-case word with letters beyond a-z (the ASCII words are
# :data:`_WORD`'s)
_ACCENTED_WORD = re.compile(
    r"(?<![\w'’-])((?=[^\W\d_])[^\W\d_A-Z][\w'’-]*[^\x00-\x7f][\w'’-]*)(?![\w-])"
)
# "Aliev", "Zelenski": a capitalised word that may be a surname in another spelling
_CAPITALISED = re.compile(r"(?<![\w'’-])([A-Z][^\W\d_]{3,})(?=['’]s\b|(?![\w'’-]))")


@lru_cache(maxsize=1)
def _nicknames() -> dict[str, str]:
    return {k.lower(): v for k, v in load("nicknames")["nicknames"].items()}


@lru_cache(maxsize=4)
def _surnames(people: People) -> dict[str, tuple[str, bool]]:
    """Folded lower-case surname ("nauseda") -> (its written form, "Nausėda"; whether a
    word typed exactly so is taken for it: not when it is an English word too, unless the
    person is named very often), for people the table names often enough."""
    out: dict[str, tuple[str, bool]] = {}
    common = english_words()
    rare: dict[str, tuple[str, bool]] = {}
    for person in people.persons.values():
        if not person.name:
            continue
        # the last word, and a one-word form the readouts use ("President Xi" for Xi
        # Jinping, whose surname comes first)
        tokens = person.name.split()
        words = [tokens[-1]] + sorted(f for f in person.forms if " " not in f)
        if len(tokens) >= 2 and len(tokens[0]) <= 3 and _LEADER_ROLE.search(person.role):
            words.append(tokens[0])  # "Xi Jinping", "Li Keqiang": the surname comes first
        for last in dict.fromkeys(words):
            key = name_key(last)
            if not key or len(key[-1]) < 2 or (last.isupper() and _ROMAN.fullmatch(key[-1])):
                continue  # "II" of "Abdullah II" is no surname
            if len(key[-1]) < 4 and (person.mentions < SHORT_NAMED or len(key) > 1):
                continue  # "xi" is Xi Jinping, named often; not the "in" of "Jae-in"
            if person.mentions < MIN_MENTIONS:
                # a leader the readouts name once or twice ("maduro", "bibilov") is still
                # the person, as long as the word is no English word
                if last.lower() not in common:
                    rare.setdefault(key[-1], (last, True))
                continue
            short = len(key[-1]) < 4  # only ever taken for a leader named often enough
            exact = short or last.lower() not in common or person.mentions >= FAMOUS
            out.setdefault(key[-1], (last, exact))
    return rare | out


_SPELLING = (
    (re.compile(r"dzh|zh|dj"), "j"),
    (re.compile(r"kh"), "h"),
    (re.compile(r"gh"), "g"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"w"), "v"),
    (re.compile(r"y"), "i"),
    (re.compile(r"^i(?=e)"), ""),  # "Yermak"/"Ermak"
    (re.compile(r"(?<=[aeiou])i(?=[aeiou])"), ""),  # "Tokayev"/"Tokaev", "Aliyev"/"Aliev"
    (re.compile(r"(.)\1+"), r"\1"),  # "Zelenskyy", "Assad"/"Asad"
)


def spelling_key(word: str) -> str:
    """One key for the common Latin transliterations of a (mostly Slavic, Turkic or
    Arabic) surname: "Aliyev", "Aliev" -> "aliev"; "Zelenskyy", "Zelenskiy", "zelenski" ->
    "zelenski"; "Rakhmon" -> "rahmon"; "Zhaparov" -> "japarov". Accents are folded first
    ("Erdoğan" -> "erdogan"). Analysts type whichever spelling their source uses; the
    readouts use one."""
    key = name_key(word)
    text = "".join(key) if key else word.lower()
    for pattern, repl in _SPELLING:
        text = pattern.sub(repl, text)
    return text


@lru_cache(maxsize=4)
def _spellings(people: People) -> dict[str, str]:
    """Spelling key (:func:`spelling_key`) of a surname the table names often enough ->
    its written form; a key two different surnames share is left out (no guess)."""
    out: dict[str, str] = {}
    clash: set[str] = set()
    for folded, (written, _exact) in _surnames(people).items():
        if len(folded) < 4:
            continue  # "Xi", "Li": too short to read another spelling into
        key = spelling_key(written)
        if key in out and name_key(out[key]) != name_key(written):
            clash.add(key)
        out.setdefault(key, written)
    return {k: v for k, v in out.items() if k not in clash}


@lru_cache(maxsize=8192)
def _respelled(word: str, people: People) -> str:
    """A word typed in another spelling of a surname the table knows ("aliev", "Aliev"):
    the table's spelling; any other word -- a person's own spelling, an English word, a
    country -- as typed."""
    possessive = re.search(r"['’]s$", word)
    if possessive:  # "aliev's talks": the surname, then its ending as typed
        return _respelled(word[: possessive.start()], people) + possessive.group(0)
    if len(word) < 4 or word.lower() in english_words() or people.match(word):
        return word
    if country_of_name(word[:1].upper() + word[1:]):
        return word
    return _spellings(people).get(spelling_key(word), word)


@lru_cache(maxsize=4)
def _full_names(people: People) -> tuple[re.Pattern[str], dict[str, str]]:
    """A person's first and last name typed in lower case ("liz truss", "moon jae-in"): the
    two words together are the person, even where each alone is an English word. Returns
    the pattern and, per lower-cased form, the written one."""
    written: dict[str, str] = {}
    for person in people.persons.values():
        words = person.name.split()
        if len(words) >= 2 and len(person.name) >= 8:  # two words together: rarely a phrase
            written.setdefault(person.name.lower(), person.name)
            written.setdefault(f"{words[0]} {words[-1]}".lower(), f"{words[0]} {words[-1]}")
    names = sorted(written, key=len, reverse=True)
    pattern = r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w-])"
    return re.compile(pattern if names else r"(?!x)x", re.IGNORECASE), written


@lru_cache(maxsize=8192)
def _surname_for(word: str, people: People) -> str:
    """:func:`_surname`, remembered: the same words come back question after question."""
    return _surname(word, _surnames(people), english_words())


def _surname(word: str, surnames: dict[str, tuple[str, bool]], common) -> str:
    """The written surname a lower-case word stands for: the same letters, accents aside,
    or, for a longer word that is no English word, one letter or so off ("tokaev",
    "benett")."""
    key = name_key(word)
    folded = key[-1] if key else word
    if folded in surnames:
        written, exact = surnames[folded]
        return written if exact else word
    if len(folded) >= 6 and word not in common:
        close = get_close_matches(folded, list(surnames), n=1, cutoff=0.85)
        if close:
            return surnames[close[0]][0]
    return word


_AFTER_OFFICE = re.compile(
    r"(\b(?:president|prime\s+minister|pm|chancellor|premier|king|emir|crown\s+prince)\s+)"
    r"([a-z][\w'’-]*(?:\s+[a-z][\w'’-]*){0,2})"
)


_FUNCTION_WORDS = frozenset(
    "in on at of for and or to the a an with by from during since before after about as"
    " until till through between than".split()
)


def _capitalise_name(words: str, people: People) -> str:
    """ "moon jae-in" after "president" -> "Moon Jae-in", when the table knows the person;
    the words are left as they are otherwise."""
    tokens = words.split()
    if tokens and tokens[0].lower() in _FUNCTION_WORDS:
        return words  # "the Turkish president in 2022": "in" is no "(Jae-)in"
    for n in range(len(tokens), 0, -1):
        candidate = " ".join(t[:1].upper() + t[1:] for t in tokens[:n])
        found = people.match(candidate)
        if found and all(k in found[0].tokens for k in name_key(candidate)):
            return " ".join([candidate, *tokens[n:]])
    return words


def _subjects(m: re.Match[str], surnames: dict[str, tuple[str, bool]]) -> str:
    text = m.group(0)
    for word in filter(None, (m.group(1), m.group(2))):
        written = surnames.get(word, (None,))[0]
        if written:
            text = re.sub(rf"\b{re.escape(word)}\b", written, text, count=1)
    return text


def _lower_pair(m: re.Match[str], people: People) -> str:
    """ "putin-scholz" -> "putin and scholz" when both words are surnames the table knows
    (the words are capitalised later, like any surname typed in lower case); "putin-bennett"
    too, where one of them is also an English word (see :func:`_paired`)."""
    a, b = m.group(1), m.group(2)
    surnames = _surnames(people)
    taken = [_surname_for(w, people) != w or _respelled(w, people) != w for w in (a, b)]
    ambiguous = [name_key(w)[-1:] and name_key(w)[-1] in surnames for w in (a, b)]
    known = any(taken) and all(t or x for t, x in zip(taken, ambiguous, strict=True))
    return f"{a} and {b}" if known else m.group(0)


# "Putin and bennett", "bennett and Putin": a lower-case word joined to a name read as a
# person's (by "and", or a dash or "&" already rewritten to "and")
_PAIRED = re.compile(
    r"(?:(?<![\w’'-])(?P<x>[A-Z][\w’'.-]+)(?P<after>\s+and\s+)(?P<b>[a-z][a-z’'-]{2,})(?![\w’'-])"
    r"|(?<![\w’'-])(?P<a>[a-z][a-z’'-]{2,})(?P<before>\s+and\s+)(?P<y>[A-Z][\w’'.-]+))"
)


def _paired(m: re.Match[str], surnames: dict[str, tuple[str, bool]]) -> str:
    """A surname that is also an English word ("bennett", "truss", "martin") typed in lower
    case, joined by "and" to a name already read as a person's ("Putin and bennett",
    "putin-bennett", "truss–Biden"): the word is that surname too. Alone it stays a word
    ("a store", "martin" as a given name), as :func:`_surnames` decides; a pair of leaders
    is what contact questions name, and what no ordinary English phrase is."""
    word, other = (m.group("b"), m.group("x")) if m.group("b") else (m.group("a"), m.group("y"))
    key, other_key = name_key(word), name_key(other)
    if not (key and other_key and key[-1] in surnames and other_key[-1] in surnames):
        return m.group(0)  # "March and store": the other word is no one's name
    written = surnames[key[-1]][0]
    if m.group("b"):
        return m.group("x") + m.group("after") + written
    return written + m.group("before") + m.group("y")


def _pair(m: re.Match[str], surnames: dict[str, tuple[str, bool]]) -> str:
    """ "Putin-Erdogan" -> "Putin and Erdogan" when both are surnames the table knows."""
    a, b = m.group(1), m.group(2)
    known = all(name_key(w) and name_key(w)[-1] in surnames for w in (a, b))
    return f"{a} and {b}" if known else m.group(0)


# "ireland's taoiseach", "an irish taoiseach", "polish leaders": a country or demonym typed
# in lower case before an office is written as the country is, so the rules see it.
_BEFORE_OFFICE = re.compile(
    r"(?<![\w'’-])((?:[a-z]{3,}\s+)?[a-z][a-z]{2,})(?=(?:['’]s)?\s+(?i:president|prime\s+minister|pm"
    r"|taoiseach|chancellor|premier|king|emir|leaders?|heads?\s+of|government|counterparts?"
    r"|crown\s+prince|national\s+security|nsa|foreign\s+minister|rulers?|monarchs?)\b)"
)


# "the king of jordan", "president of south korea": a country typed in lower case after
# an office and "of"
_OFFICE_OF = re.compile(
    r"(?i:\b(?:president|prime\s+minister|pm|king|queen|emir|sultan|chancellor|premier|leaders?"
    r"|heads?\s+of\s+(?:state|government))\s+of\s+(?:the\s+)?)"
    r"([a-z]{3,}(?:\s+[a-z]{3,}){0,2})"
)


def _country_after_office(m: re.Match[str]) -> str:
    """The words after "king of", longest country first, capitalised; the rest as typed."""
    words = m.group(1).split()
    for n in range(len(words), 0, -1):
        written = " ".join(w[:1].upper() + w[1:] for w in words[:n])
        if country_of_name(written):
            start = m.start(1) - m.start()
            return m.group(0)[:start] + " ".join([written, *words[n:]])
    return m.group(0)


def _country_word(words: str) -> str:
    """ "south korean" -> "South Korean", "the irish" -> "the Irish"; other words as typed."""
    if words.split()[-1] in _FUNCTION_WORDS:
        return words  # "envoy and foreign minister": "And" is no country
    written = " ".join(w[:1].upper() + w[1:] for w in words.split())
    if country_of_name(written):
        return written
    head, _, last = words.rpartition(" ")
    if head and last not in _FUNCTION_WORDS and country_of_name(last[:1].upper() + last[1:]):
        return f"{head} {last[:1].upper()}{last[1:]}"
    # "the ukranian president": a demonym or country typed a letter off, right before an
    # office (where a misspelling the thesaurus lists as a word is still the country)
    if len(last) >= 6:
        right = next((c for c in _country_words() if _one_slip(last, c)), None)
        if right:
            return f"{head} {right[:1].upper()}{right[1:]}".strip()
    return words


@lru_cache(maxsize=1)
def _country_words() -> tuple[str, ...]:
    """One-word country names and demonyms, lower case ("ukrainian", "kazakhstan")."""
    return tuple(
        sorted(k for k in country_table().lookup if k.isalpha() and len(k) >= 5 and k.isascii())
    )


# the words of a contact a typo is read as ("meetngs" -> "meetings")
_CONTACT_WORDS = (
    "meeting meetings call calls phone telephone conversation conversations talks visit visits"
    " summit summits contact contacts"
).split()
# the offices a question names a counterpart by, read only from a typo that keeps the
# first letter ("presdient", "prime minster"; "residents" is no "presidents")
_OFFICE_WORDS = "president presidents minister ministers chancellor chancellors".split()
# short words of a contact: only two neighbouring letters swapped ("tlak", "claled") is read
# as one of them, since a letter more or less in a short word is often another word
_SHORT_CONTACT_WORDS = (
    "talk talks talked call calls called meet meets speak spoke spoken phone phoned visit"
).split()
_SHORT_WORD = re.compile(r"(?<![\w'’-])([a-z]{4,6})(?![\w'’-])")
_ENDINGS = ("s", "es", "ed", "d", "ing", "ings")
_TYPED_WORD = re.compile(r"(?<![\w'’-])([a-z]{6,})(?![\w'’-])")


@lru_cache(maxsize=4096)
def _contact_word(word: str) -> str:
    """ "meetngs" -> "meetings": a word of six letters or more that is no English word,
    a letter or two off a contact word; any other word as typed."""
    common = english_words()
    # "contracts", "boxes", "signed", "dealings": an English word with its ending
    stems = [word] + [word[: -len(end)] for end in _ENDINGS if word.endswith(end)]
    if word in _CONTACT_WORDS or word in _OFFICE_WORDS or any(stem in common for stem in stems):
        return word
    close = get_close_matches(word, _CONTACT_WORDS, n=1, cutoff=0.85)
    if close:
        return close[0]
    return next((office for office in _OFFICE_WORDS if _one_slip(word, office)), word)


def _one_slip(word: str, right: str) -> bool:
    """Whether ``word`` is ``right`` with two neighbouring letters swapped or one letter
    after the first left out."""
    if len(word) == len(right):
        return any(
            word[:k] + word[k + 1] + word[k] + word[k + 2 :] == right for k in range(len(word) - 1)
        )
    return len(word) == len(right) - 1 and any(
        right[:k] + right[k + 1 :] == word for k in range(1, len(right))
    )


def _swapped(word: str) -> str:
    """ "tlak" -> "talk": a word that is no English word and reads as a short contact word
    with two neighbouring letters swapped; any other word as typed."""
    if word in _SHORT_CONTACT_WORDS or word in english_words():
        return word
    same_length = (w for w in _SHORT_CONTACT_WORDS if len(w) == len(word))
    return next((w for w in same_length if _one_slip(word, w)), word)


def unswap(text: str) -> str:
    """``text`` with each short contact word typed with two letters swapped written out
    ("tlak" -> "talk"): the cheap check whether a question may be about contacts reads it."""
    return _SHORT_WORD.sub(lambda m: _swapped(m.group(1)), text)


# "Seoul's president", "ankara's pm": a capital's possessive before an office is its
# country's office (the capital after "with" is read in :mod:`.questions`)
_SEAT_OFFICE = re.compile(
    r"(?<![\w'’-])([A-Za-z][a-z]+(?:\s+[A-Za-z][a-z]+)?)(?=['’]s\s+(?:(?:new|top|former|current)\s+)?"
    r"(?i:president|prime\s+minister|pm|chancellor|premier|king|emir|leaders?|government"
    r"|counterparts?|crown\s+prince|national\s+security|nsa|foreign\s+minister|rulers?)\b)"
)


def _seat_office(m: re.Match[str]) -> str:
    words = m.group(1)
    for start in (0, words.find(" ") + 1 if " " in words else -1):
        if start < 0:
            break
        key = words[start:].lower()
        country = seats().get(key)
        if country and key not in ("white house", "kremlin"):
            return words[:start] + country
    return words


# "how many tims", "how many cals": the noun a count asks for, typed a letter off
_COUNTED_WORDS = (
    "times calls meetings contacts conversations visits occasions leaders counterparts"
).split()
_HOW_MANY = re.compile(r"\b(how\s+many\s+)([a-z]{3,})(?![\w'’-])", re.IGNORECASE)


def _counted_word(m: re.Match[str]) -> str:
    """ "how many tims" -> "how many times": the word after "how many" is what is counted,
    so one that is no English word and a letter off a counted noun is read as it."""
    word = m.group(2).lower()
    common = english_words()
    stems = [word] + [word[: -len(end)] for end in _ENDINGS if word.endswith(end)]
    if word in _COUNTED_WORDS or any(stem in common for stem in stems):
        return m.group(0)
    close = get_close_matches(word, _COUNTED_WORDS, n=1, cutoff=0.8)
    return m.group(1) + close[0] if close else m.group(0)


def normalise(question: str, people: People) -> str:
    """``question`` with casual surface forms rewritten (see the module docstring)."""
    q = " ".join(question.split())
    for nick, name in _nicknames().items():
        last = re.escape(name.split()[-1])
        q = re.sub(rf"(?<![\w-]){re.escape(nick)}\s+{last}\b", name, q, flags=re.IGNORECASE)
        # (not the nickname of the full name just written: "Boris Johnson" stays as it is)
        q = re.sub(
            rf"(?<![\w-]){re.escape(nick)}(?![\w-])(?!\s+{last}\b)", name, q, flags=re.IGNORECASE
        )
    q = _MONTH_ABBR.sub(lambda m: MONTHS[month_number(m.group(1)) - 1], q)
    q = _DAY_DASH_MONTH.sub(" - ", q)
    q = _CHAT_WORD.sub(lambda m: _CHAT[m.group(1).lower()], q)
    q = _ORDINAL.sub(r"\1", q)
    q = _ARROW.sub(" to ", q)
    q = _LOWER_PAIR.sub(lambda m: _lower_pair(m, people), q)
    full, written = _full_names(people)
    q = full.sub(lambda m: written[m.group(0).lower()], q)
    surnames = _surnames(people)
    q = _WORD.sub(lambda m: _surname_for(m.group(1), people), q)
    q = _ACCENTED_WORD.sub(lambda m: _surname_for(m.group(1), people), q)
    q = _WORD.sub(lambda m: _respelled(m.group(1), people), q)
    q = _CAPITALISED.sub(lambda m: _respelled(m.group(1), people), q)
    q = _TYPED_WORD.sub(lambda m: _contact_word(m.group(1)), q)
    q = unswap(q)
    q = _SEAT_OFFICE.sub(_seat_office, q)
    q = _HOW_MANY.sub(_counted_word, q)
    q = _MONTH_WORD.sub(lambda m: (m.group(1) or m.group(2)).capitalize(), q)
    q = _SUBJECT.sub(lambda m: _subjects(m, surnames), q)
    q = _HYPHENED.sub(lambda m: _pair(m, surnames), q)
    q = _AFTER_OFFICE.sub(lambda m: m.group(1) + _capitalise_name(m.group(2), people), q)
    q = _BEFORE_OFFICE.sub(lambda m: _country_word(m.group(1)), q)
    q = _OFFICE_OF.sub(_country_after_office, q)
    q = _JOINER.sub(" and ", q)
    return _PAIRED.sub(lambda m: _paired(m, _surnames(people)), q)
