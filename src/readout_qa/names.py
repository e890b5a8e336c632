"""People's names: the one particle list, names in questions, and name-in-text checks.

Leaders found in readouts (:mod:`readout_qa.entities.leaders`), names read out of
questions (:func:`find_names`) and the check that a readout mentions a name
(:func:`name_in`, used by retrieval) must agree on what belongs to a name, so they share
the definitions here instead of keeping a copy each.

Particles are the lower-case words inside a name that are not a name on their own
("Ursula von der Leyen", "Mohammed bin Salman", "Luiz Inácio Lula da Silva"). The list is
the union of the three lists this project had (leader patterns, question names,
retrieval); :func:`name_in` skips particles, since "de" or "al" alone prove nothing.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from .dates import DATE_WORDS

__all__ = [
    "PARTICLES",
    "find_names",
    "name_in",
    "name_tokens",
    "person_key",
    "words",
]

PARTICLES: tuple[str, ...] = (
    "de",  # Alexander De Croo, Charles de Gaulle
    "da",  # Lula da Silva
    "di",
    "du",
    "del",
    "della",
    "der",  # von der Leyen
    "den",
    "van",
    "von",
    "la",
    "le",
    "bin",  # Mohammed bin Salman
    "bint",
    "ibn",
    "al",  # Tamim bin Hamad al Thani
    "el",
    "dos",  # dos Santos
    "das",
    "ter",
    "ten",
    "zu",
)
_PARTICLE_SET = frozenset(PARTICLES)
# Particles also written glued to the name by a hyphen: "al-Sisi", "bin-Zayed".
HYPHEN_PREFIXES: tuple[str, ...] = ("al", "el", "bin")

# Regex pieces for name patterns (also used by the leader patterns).
UPPER = "".join(re.escape(ch) for ch in map(chr, range(0x250)) if ch.isupper())
"""Upper-case letters of Latin script (with accents), escaped for a character class."""
PARTICLE_PATTERN = "(?:" + "|".join(PARTICLES) + ")"
HYPHEN_PREFIX_PATTERN = "(?:" + "|".join(HYPHEN_PREFIXES) + ")-"

_U = f"[{UPPER}]"
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Capitalised words of a question that are no name: question words, common verbs,
# pronouns, words about readouts, and (from readout_qa.dates) days and months.
_STOPWORDS = (
    frozenset(
        """
what which who whom whose when where why how did do does is are was were has have had can
could would should will shall may might must the a an in on at of for to from by with and or
but if then please tell show list give find get summarize summarise describe explain compare
according between during after before about any all some each every both this that these those
there their they them he she it we you i me my our your his her its yes no not also only just
readout readouts statement statements call calls meeting meetings say said says discuss
discussed agree agreed mention mentioned was been being other another than latest last first
next recent recently today yesterday tomorrow mr mrs ms dr
per beyond besides aside apart following regarding concerning despite although though while
since until unlike like amid among amongst across along around toward towards upon within
without via versus except excluding including plus whereas whether once given considering
overall so thus hence therefore however moreover furthermore meanwhile later earlier shortly
still yet even again further above below under over into onto out off through throughout
against beside near past inside outside behind ahead instead rather exactly roughly nearly
almost apparently reportedly
""".split()
    )
    | frozenset(_WEEKDAYS)
    | DATE_WORDS
)
_QUESTION_TOKEN = re.compile(
    rf"(?:{HYPHEN_PREFIX_PATTERN})?{_U}[\w'’.-]*[\w]|{_U}\w?|[^\W\d_][\w'’-]*|\d+\b|\S"
)
_YEAR = re.compile(r"(?:19|20)\d\d")
_POSSESSIVE = re.compile(r"['’]s?$")
_NAME_PREFIX = re.compile(rf"^{HYPHEN_PREFIX_PATTERN}")
_INITIAL = re.compile(r"\w\.")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def name_tokens(name: str) -> tuple[str, ...]:
    """The words of a name, as written ("De Croo" -> ("De", "Croo"))."""
    return tuple(name.split())


def person_key(name: str) -> str:
    """One key per person across spellings ("Joseph R. Biden"/"Joseph Biden", "Al-Sisi").

    Lower-cased, hyphens as spaces, initials dropped.
    """
    tokens = [t for t in name.replace("-", " ").lower().split() if not _INITIAL.fullmatch(t)]
    return " ".join(tokens)


def find_names(text: str) -> list[str]:
    """Capitalised names and phrases in a question ("Woodside", "Li Keqiang", "De Croo").

    Used to boost readouts that contain them verbatim; question words, common verbs,
    months and days are left out, and runs of capitalised words are kept together,
    with the particles between them ("Ursula von der Leyen").
    """
    phrases: list[str] = []
    current: list[str] = []
    pending_particles: list[str] = []

    def flush() -> None:
        if current:
            phrase = " ".join(current)
            if len(phrase) >= 2 and phrase not in phrases:
                phrases.append(phrase)
        current.clear()
        pending_particles.clear()

    for m in _QUESTION_TOKEN.finditer(text):
        word = m.group()
        if _NAME_PREFIX.sub("", word)[:1].isupper():
            word = _POSSESSIVE.sub("", word).rstrip(".")
            if len(word) < 2 or word.lower() in _STOPWORDS:
                flush()
                continue
            if current:
                current.extend(pending_particles)
            pending_particles.clear()
            current.append(word)
            if _POSSESSIVE.search(m.group()) or m.group().endswith("."):
                flush()  # "Zelenskyy's plan", "Mr.": the name ends here
        elif current and word.isdigit() and not _YEAR.fullmatch(word):
            # "Article 5", "Nord Stream 2", "Resolution 2231": the number is part of the
            # name, and what is asked about (a year after a name is when, not which)
            current.append(word)
            flush()
        elif current and word in _PARTICLE_SET:
            pending_particles.append(word)
        else:
            flush()
    flush()
    return phrases


def _lower_words(text: str) -> list[str]:
    out = []
    for token in _WORD.findall(spelling_key(text)):
        out.append(token[:-2] if token.endswith(("'s", "’s")) else token.rstrip("'’-"))
    return out


_DOUBLED = re.compile(r"([^\W\d_])\1+")


def spelling_key(text: str) -> str:
    """Lower case, accents dropped, doubled letters single: transliterations of one name
    meet ("Zelenskyy"/"Zelensky", "Erdoğan"/"Erdogan", "Al-Sisi"/"al-Sissi")."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _DOUBLED.sub(r"\1", plain)


def words(text: str) -> list[str]:
    """Word tokens of a text in :func:`spelling_key` form, possessive 's removed
    ("Biden's" -> "biden").

    Hyphenated words stay whole ("al-sisi"); digits start no word. Retrieval keeps the
    set of a readout's words to test names against with :func:`name_in`.
    """
    return _lower_words(text)


def name_in(name: str, words: frozenset[str]) -> bool:
    """Whether a readout whose word set is ``words`` mentions ``name``.

    A name matches when one of its words (a surname, a place) is among the readout's
    words; for names of three words or more ("Kim Jong Un") two must be ("Kim Sung-han"
    is another man). Particles and one-letter words count for nothing.
    """
    tokens = _checked_tokens(name)
    hits = sum(1 for t in tokens if t in words)
    return bool(tokens) and hits >= (2 if len(tokens) >= 3 else 1)


@functools.lru_cache(maxsize=4096)
def _checked_tokens(name: str) -> tuple[str, ...]:
    """The words of ``name`` that :func:`name_in` looks for, memoised: retrieval checks a
    question's few names against every candidate readout (~60 per question), and
    normalising the name each time was most of that check's cost."""
    return tuple(t for t in _lower_words(name) if len(t) >= 2 and t not in _PARTICLE_SET)


def is_acronym(name: str) -> bool:
    """ "AI", "NATO", "G20": short, all capitals; what a question is about more than who."""
    return name.isupper() and len(name) <= 5
