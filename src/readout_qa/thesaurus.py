"""Words readouts use for what a question says in other words ("pontiff" -> "pope").

Analysts write "the Holy Father", "chips", "phoned", "inoculations"; readouts write
"Pope Francis", "semiconductors", "held a telephone conversation", "vaccines". The
table (``data/thesaurus.json.gz``) maps every WordNet 3.0 word or phrase, stemmed, to
its synonyms, the hypernyms of nouns and derivationally related forms that readouts
actually use; ``scripts/build_thesaurus.py`` builds it. It ships in the package, so
nothing is downloaded. WordNet is noisy (every sense of "chip" is there), so callers
use an alternative only for a question word the retrieved readouts lack, and only
when it is rare enough to mean something (see ``ExtractiveConfig``).
"""

from __future__ import annotations

import functools
import gzip
import json
from importlib import resources


@functools.lru_cache(maxsize=1)
def table() -> dict[str, list[str]]:
    """Stemmed word or phrase -> stemmed related phrases (loaded once, ~0.2 s)."""
    data = resources.files("readout_qa") / "data" / "thesaurus.json.gz"
    with data.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        return json.load(fh)


def related(stems: list[str]) -> dict[str, list[tuple[str, ...]]]:
    """For each stem of ``stems`` (a question's topic terms, in order), its related phrases
    as tuples of stems, including those of the two-word phrase it starts ("holy father")."""
    words = table()
    out: dict[str, list[tuple[str, ...]]] = {}
    for i, s in enumerate(stems):
        phrases = list(words.get(s, ()))
        if i + 1 < len(stems):
            pair = words.get(f"{s} {stems[i + 1]}", ())
            phrases += pair
            if pair:  # "holy father" -> "pope" also covers "father"
                out.setdefault(stems[i + 1], []).extend(tuple(p.split()) for p in pair)
        if phrases:
            out.setdefault(s, []).extend(tuple(p.split()) for p in phrases)
    return out
