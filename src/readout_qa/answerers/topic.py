"""What a question asks about, as weighted terms a sentence can cover.

The extractive answerer scores a sentence by the share of the question's topic it
covers: the question's content words minus its framing ("what did they say about")
and minus who/when (names and dates pick the readout, not the sentence), each
weighted by how rare it is in the corpus. A topic word the retrieved readouts never
use may be covered by a word readouts use for it instead ("pontiff" by "pope"),
at a discount, when that word is rare enough to mean something.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .. import thesaurus
from ..dates import DATE_WORDS, HOLIDAYS
from ..names import is_acronym
from ..query import QueryAnalysis
from ..terms import STOPWORDS, terms, topic_terms

Idf = Callable[[str], float]

DATE_TERMS = frozenset(terms(" ".join(sorted(DATE_WORDS))))
YEAR = re.compile(r"(?:19|20)\d\d")


def match_key(term: str) -> str:
    """Stems cut to six letters: the stemmer leaves "withdrawn"/"withdraw" and
    "negotiation"/"negotiating" apart; readouts and questions use either."""
    return term[:6]


# "the Minsk agreements", "the Paris Agreement", "the Normandy format": a name that names a
# thing, not who or where; the thing is what is asked about.
THINGS = (
    r"agreements?|accords?|format|process|package|protocols?|treat(?:y|ies)|pact|deal|pipeline|"
    r"initiative|declaration|charter|framework|corridor|consensus|mechanism|dialogue"
)
THING_AFTER = re.compile(rf"^\s+(?:{THINGS})\b", re.IGNORECASE)
THING_LAST = re.compile(rf"\b(?:{THINGS})$", re.IGNORECASE)


def names_a_thing(name: str, text: str) -> bool:
    """Whether ``name`` names a thing in ``text`` ("Paris Agreement", "Minsk agreements")."""
    if THING_LAST.search(name):
        return True
    i = text.find(name)
    return i >= 0 and bool(THING_AFTER.match(text[i + len(name) :]))


def entity_terms(analysis: QueryAnalysis) -> set[str]:
    """Terms naming who/where: they pick the readout, not the sentence. Acronyms
    ("AI", "NATO") and names with a number ("Nord Stream 2", "S-400") are kept as topic
    words: they are usually what is asked about ("PRC practices", "US support")."""
    names = [
        n
        for n in analysis.names
        if not (is_acronym(n) or any(c.isdigit() for c in n) or names_a_thing(n, analysis.text))
    ]
    found = set(terms(" ".join(names + analysis.countries)))
    # Dates pick the readout too: "October 4, 2022" says which call, not what about.
    found |= {t for t in terms(analysis.text) if t in DATE_TERMS or YEAR.fullmatch(t)}
    if analysis.days:
        found |= {str(d % 100) for d in analysis.days}
    found |= {str(day) for _, day in analysis.month_days}  # "on February 20"
    found |= set(terms(" ".join(n for n in HOLIDAYS if n in analysis.text.lower())))
    return found


@dataclass
class Topic:
    """Weighted topic terms (match keys) and, for some, alternative ways to cover them."""

    weights: dict[str, float]
    # match key -> sets of full stems, any of which covers it (at ``alternative_factor``);
    # full stems, not six-letter keys: "investigation" must not match "investment"
    alternatives: dict[str, list[frozenset[str]]] = field(default_factory=dict)
    alternative_factor: float = 0.8

    @property
    def total(self) -> float:
        return sum(self.weights.values())

    def credit(self, keys: set[str], stems: set[str] = frozenset()) -> dict[str, float]:
        """The weight each topic term earns in a sentence with these match keys and stems."""
        out: dict[str, float] = {}
        for t, w in self.weights.items():
            if t in keys:
                out[t] = w
            elif any(alt <= stems for alt in self.alternatives.get(t, ())):
                out[t] = w * self.alternative_factor
        return out

    def coverage(self, keys: set[str], stems: set[str] = frozenset()) -> float:
        """Share of the topic's weight a sentence covers (0 for an empty topic)."""
        total = self.total
        return sum(self.credit(keys, stems).values()) / total if total else 0.0


def make_topic(
    text: str,
    names: set[str],
    idf: Idf,
    present: Iterable[str] = (),
    min_alternative_idf: float | None = None,
    alternative_factor: float = 0.8,
) -> Topic:
    """The topic of a question (or one clause of it).

    ``present``: match keys found in the retrieved sentences; a topic term among them
    needs no alternative. ``min_alternative_idf``: None turns alternatives off."""
    stems = [t for t in topic_terms(text) if t not in names]
    weights: dict[str, float] = {}
    for t in stems:
        key = match_key(t)
        weights[key] = max(weights.get(key, 0.0), idf(t))
    topic = Topic(weights, alternative_factor=alternative_factor)
    if min_alternative_idf is None:
        return topic
    present = set(present)
    for stem, phrases in thesaurus.related(stems).items():
        key = match_key(stem)
        if key not in weights or key in present:
            continue
        alts = {_phrase_keys(p, idf, min_alternative_idf) for p in phrases}
        alts.discard(frozenset())
        if alts:
            topic.alternatives[key] = sorted(alts, key=sorted)
    return topic


def _phrase_keys(phrase: tuple[str, ...], idf: Idf, min_idf: float) -> frozenset[str]:
    """The match keys of a related phrase, or none when a word of it is too common to
    stand for the question's word ("meet", "head" mean too many things)."""
    content = [w for w in phrase if w not in STOPWORDS]
    if not content or any(idf(w) < min_idf for w in content):
        return frozenset()
    return frozenset(content)
