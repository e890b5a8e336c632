"""Who is who across readouts: name forms, spellings and transliterations as one person.

Two governments spell the same leader differently ("Volodymyr Zelenskyy" / "Vladimir
Zelensky", "Recep Tayyip Erdoğan" / "Recep Tayyip Erdogan", "Kishida Fumio" / "Fumio
Kishida") and one government shortens names ("President Xi", "Prime Minister Trudeau").
:class:`People` groups every name form the contacts table holds into persons, by rules:

* a name's *key* is its words, accents folded, lower-cased, without particles
  (:data:`readout_qa.names.PARTICLES`), initials and "Jr.", with common transliteration
  endings made one ("-yy", "-iy" -> "-y");
* two names of two words or more are one person when they share a word and every other
  word of the shorter agrees with one of the longer: the same first two letters, or one
  consonant skeleton the start of the other ("Joe"/"Joseph", "Vladimir"/"Volodymyr";
  not "Jill"/"Joseph"), unless the countries they are stated with differ;
* a one-word name ("Xi", "Trudeau") is the person whose name begins or ends with it,
  preferring the same country, then the person named most often.

Each person is shown under the form named most often (two words or more). Matching a
name typed by a user goes through the same keys, so any form finds the person.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import get_close_matches

from ..names import PARTICLES

__all__ = ["People", "Person", "name_key", "sighting_form"]

_DROP = frozenset(PARTICLES) | {"jr", "sr"}
_INITIAL = re.compile(r"^[a-z]$")
_SPECIAL = str.maketrans({"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ß": "ss", "’": "'"})
_VOWELS = re.compile(r"[aeiouy]")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_SPECIAL))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _norm_token(token: str) -> str:
    token = re.sub(r"[^a-z0-9]", "", token)
    if len(token) > 4:
        token = re.sub(r"(?:yy|iy|ii|yi)$", "y", token)
    return token


def name_key(name: str) -> tuple[str, ...]:
    """The words of a name that identify a person ("Joseph R. Biden, Jr." -> joseph, biden)."""
    out: list[str] = []
    for raw in re.split(r"[\s\-–]+", _fold(name)):
        token = _norm_token(raw.strip(".,'"))
        if token and token not in _DROP and not _INITIAL.match(token):
            out.append(token)
    return tuple(out)


def _skeleton(token: str) -> str:
    return re.sub(r"(.)\1+", r"\1", _VOWELS.sub("", token))


def _agree(a: str, b: str) -> bool:
    """Whether two different words can be one given name ("joe"/"joseph")."""
    if a[:2] == b[:2] and (a.startswith(b) or b.startswith(a) or len(min(a, b, key=len)) <= 3):
        return True
    sa, sb = _skeleton(a), _skeleton(b)
    return min(len(sa), len(sb)) >= 2 and (sa.startswith(sb) or sb.startswith(sa))


def _same_person(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    sa, sb = set(a), set(b)
    common = sa & sb
    if not common or not any(len(t) >= 3 for t in common) and sa != sb:
        return False
    rest_a, rest_b = sa - common, sb - common
    small, large = sorted((rest_a, rest_b), key=len)
    if not small:
        return True
    return all(any(_agree(x, y) for y in large) for x in small)


@dataclass
class Person:
    """One person across readouts: the name shown, their country, every form seen."""

    person_id: str
    name: str
    country: str = ""
    forms: set[str] = field(default_factory=set)
    tokens: set[str] = field(default_factory=set)  # the keys of every form
    role: str = ""  # the role stated most often with them ("Prime Minister")
    mentions: int = 0
    # every role stated with them ("Crown Prince", later "President"): an office asked
    # about is theirs if they held it at any time the readouts cover
    roles: frozenset[str] = frozenset()


class _Union:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)  # deterministic whatever the order


class People:
    """Every person of the contacts table, built from (name, role, country) sightings."""

    def __init__(self, sightings: Iterable[tuple[str, str, str]]) -> None:
        counts: Counter[str] = Counter()
        countries: dict[str, Counter[str]] = defaultdict(Counter)
        roles: dict[str, Counter[str]] = defaultdict(Counter)
        for name, role, country in sightings:
            name = sighting_form(name, role)
            counts[name] += 1
            if country:
                countries[name][country] += 1
            if role:
                roles[name][role] += 1
        self._by_form: dict[str, Person] = {}
        self._shown: dict[str, Person] | None = None
        self.persons: dict[str, Person] = {}
        self._build(counts, countries, roles)
        self.role_words = _role_words(counts, roles)

    def _build(
        self,
        counts: Counter[str],
        countries: dict[str, Counter[str]],
        roles: dict[str, Counter[str]],
    ) -> None:
        """Full names that are one person are joined first; then shorter forms ("Xi",
        "bin Zayed Al Nahyan", "Lopez Obrador") go to the person whose name contains them,
        so a short form never joins two people into one."""
        country = {n: c.most_common(1)[0][0] for n, c in countries.items()}
        keys = {n: name_key(n) for n in counts}
        order = sorted(counts, key=lambda n: (-len(set(keys[n])), -counts[n], n))
        groups = _Union()
        by_token: dict[str, list[str]] = defaultdict(list)
        partial: list[str] = []
        for name in order:
            key = set(keys[name])
            seen = {o for t in key for o in by_token[t]}
            if _is_part(
                name, key, {o for o in seen if not _given_names_differ(name, o)}, keys, counts
            ):
                partial.append(name)
                continue
            groups.find(name)
            for other in seen:
                if (
                    not _countries_differ(countries, name, other)
                    and not _given_names_differ(name, other)
                    and _same_person(keys[name], keys[other])
                ):
                    groups.union(name, other)
            for t in key:
                by_token[t].append(name)
        members: dict[str, list[str]] = defaultdict(list)
        for name in order:
            if name not in partial:
                members[groups.find(name)].append(name)
        for name in partial:
            owner = self._owner_of_part(name, keys, members, counts, country, countries)
            members[owner or name].append(name)
        for forms in members.values():
            self._add(forms, counts, country, roles, keys)

    @staticmethod
    def _owner_of_part(name, keys, members, counts, country, countries) -> str | None:
        """The person whose name contains this shorter form: the same country first,
        then one whose name begins or ends with a one-word form ("Xi"; "Lula" is inside
        "Luiz Inácio Lula da Silva"), then the person named most often."""
        key = set(keys[name])
        if not key:
            return None
        best: tuple[int, int, int, str] | None = None
        for root, forms in members.items():
            edge = int(
                len(key) > 1
                or any(keys[f] and keys[name][0] in (keys[f][0], keys[f][-1]) for f in forms)
            )
            if not any(
                key < set(keys[f]) and not _given_names_differ(name, f) for f in forms
            ) or _countries_differ(countries, name, root):
                continue
            same_country = int(bool(country.get(name)) and country.get(name) == country.get(root))
            score = (same_country, edge, sum(counts[f] for f in forms), root)
            if best is None or score > best:
                best = score
        return best[3] if best else None

    def _add(self, forms, counts, country, roles, keys) -> None:
        """One person: shown under the form of two words or more named most often; a
        one-word name with a one-word title is shown with it ("Pope Francis")."""
        shown = max(forms, key=lambda f: (len(keys[f]) >= 2, counts[f], len(f), f))
        tally: Counter[str] = Counter()
        titles: Counter[str] = Counter()
        for f in forms:
            if country.get(f):
                tally[country[f]] += counts[f]
            titles.update(roles.get(f, Counter()))
        role = titles.most_common(1)[0][0] if titles else ""
        person = Person(
            person_id="-".join(keys[shown]) or shown.lower(),
            name=f"{role} {shown}" if len(keys[shown]) == 1 and _one_title(role) else shown,
            country=tally.most_common(1)[0][0] if tally else "",
            forms=set(forms),
            tokens={t for f in forms for t in keys[f]},
            role=role,
            mentions=sum(counts[f] for f in forms),
            roles=frozenset(titles),
        )
        while person.person_id in self.persons:  # two people with one key: keep both
            person.person_id += "+"
        self.persons[person.person_id] = person
        for f in forms:
            self._by_form[f] = person

    def of(self, name: str, role: str = "") -> Person | None:
        """The person a name form seen in the table (with its role) belongs to."""
        return self._by_form.get(sighting_form(name, role))

    def named(self, name: str) -> Person | None:
        """The person shown as ``name`` (a contact's participant), or with that form."""
        if self._shown is None:
            self._shown = {p.name: p for p in self.persons.values()}
        return self._shown.get(name) or self._by_form.get(name)

    def match(self, query: str) -> list[Person]:
        """The persons a typed name may mean, best first ("Zelensky", "President Xi",
        "Joe Biden"): one word of it is one of the person's words, and every other word
        is one too, or agrees with one ("Joe"/"Joseph"), or is a role word ("President").
        Best: most words matched, then a form with exactly those words, then a title typed
        that is the person's role, then most named."""
        words = name_key(query)
        found: list[tuple[int, int, int, int, str, Person]] = []
        for person in self.persons.values():
            hits = [w for w in words if w in person.tokens]
            if not hits or not all(self._fits(w, person) for w in words):
                continue
            # "King Salman": the title typed is the person's own (not his son the Crown
            # Prince's, whose name holds "Salman" too)
            titled = [w for w in words if w not in person.tokens and w in name_key(person.role)]
            # a form with exactly the words typed: the person himself, not a son whose
            # longer name holds every one of them
            exact = any(name_key(f) == words for f in person.forms)
            found.append(
                (-len(hits), -exact, -len(titled), -person.mentions, person.person_id, person)
            )
        if not found:
            return self._close_matches(words)
        return [p for *_, p in sorted(found)]

    def _close_matches(self, words: tuple[str, ...]) -> list[Person]:
        """A surname typed with a letter off ("Mirziyoev" for "Mirziyoyev"): persons one of
        whose long words is a close match of a long word typed, every other word fitting."""
        long_words = [w for w in words if len(w) >= 6]
        found: list[tuple[int, str, Person]] = []
        for person in self.persons.values():
            candidates = [t for t in person.tokens if len(t) >= 6]
            close = [w for w in long_words if get_close_matches(w, candidates, n=1, cutoff=0.85)]
            rest = [w for w in words if w not in close]
            if close and all(self._fits(w, person) for w in rest):
                found.append((-person.mentions, person.person_id, person))
        return [p for *_, p in sorted(found)]

    def _fits(self, word: str, person: Person) -> bool:
        if word in person.tokens or word in self.role_words:
            return True
        return any(_agree(word, t) for t in person.tokens)


_HOME_OFFICE = re.compile(
    r"\b(?:Speaker|Senator|Governor|Mayor|Representative|Congress(?:man|woman|member)"
    r"|(?:Majority|Minority|Senate|House)\s+Leader|Leader)\b"
)


def sighting_form(name: str, role: str) -> str:
    """The form a sighting is known by: a surname alone stated with a legislator's or a
    governor's office is kept apart from leaders of that surname ("Speaker Johnson" is not
    Prime Minister Boris Johnson, whom readouts also call "Johnson")."""
    if len(name.split()) == 1 and role:
        office = _HOME_OFFICE.search(role)
        if office:
            return f"{office.group(0)} {name}"
    return name


def _one_title(role: str) -> bool:
    return bool(re.fullmatch(r"[A-Z][a-z]+", role))


def _role_words(counts: Counter[str], roles: dict[str, Counter[str]]) -> frozenset[str]:
    """Words used in roles more often than in names ("president", "chancellor"; not
    "harris", though a glitch once took a name for a role)."""
    in_roles: Counter[str] = Counter()
    in_names: Counter[str] = Counter()
    for name, n in counts.items():
        in_names.update({t: n for t in name_key(name)})
        in_roles.update({w.lower(): n for r in roles.get(name, ()) for w in r.split()})
    return frozenset(w for w, n in in_roles.items() if n > in_names[w])


def _is_part(name: str, key: set[str], seen: set[str], keys, counts) -> bool:
    """A shorter form of someone's name: one word, a name opening with a particle ("bin
    Zayed Al Nahyan"), or the words of a name seen at least as often ("Tayyip Erdogan")."""
    if len(key) < 2 or name.split()[0] in _DROP:
        return True
    return any(key < set(keys[o]) and counts[o] >= counts[name] for o in seen)


_PATRONYMIC = frozenset({"bin", "bint", "ibn", "ben"})


def _given_names_differ(a: str, b: str) -> bool:
    """Two Arabic names with a patronymic ("Salman bin Abdulaziz Al Saud", "Khalid bin
    Salman bin Abdulaziz Al-Saud") whose given names differ: father and son, not one person,
    though the words of one are all in the other. A form opening with the particle ("bin
    Zayed Al Nahyan") has no given name and may be anyone's."""
    words_a, words_b = a.lower().split(), b.lower().split()
    if not (_PATRONYMIC & set(words_a) and _PATRONYMIC & set(words_b)):
        return False
    if words_a[0] in _DROP or words_b[0] in _DROP:
        return False
    given_a, given_b = name_key(words_a[0]), name_key(words_b[0])
    return bool(given_a and given_b) and not (
        given_a == given_b or _agree(given_a[0], given_b[0])
    )  # "Mohamed" / "Mohammed": one given name spelled two ways


def _countries_differ(countries: dict[str, Counter[str]], a: str, b: str) -> bool:
    """Two names stated with countries none of which they share. Every country seen
    counts, not only the most frequent: a name stated once with a neighbour's country (a
    sentence naming a Saudi and an Emirati) must not split one person in two."""
    seen_a, seen_b = set(countries.get(a, ())), set(countries.get(b, ()))
    return bool(seen_a) and bool(seen_b) and not seen_a & seen_b
