"""Words as retrieval and answer selection compare them: lower-cased, stemmed, no stopwords.

BM25, sentence selection and the citation support check must agree on what
"the same word" means, so all three use these functions.
"""

from __future__ import annotations

import functools
import re

import Stemmer
from bm25s.stopwords import STOPWORDS_EN

TOKEN = re.compile(r"(?u)\b\w\w+\b")
# Words that frame a question but say nothing about its subject.
QUESTION_WORDS = frozenset(
    """what which who whom whose when where why how did does do was were is are has have had
    say said tell told talk talked discuss discussed mention mentioned according readout readouts
    statement call calls meeting meetings met speak spoke spoken also about regarding any
    kind sort their them they he she his her him its it two meet meets sides side leader leaders
    highlight highlighted stress stressed emphasize emphasized emphasise emphasised underscore
    underscored note noted raise raised express expressed reaffirm reaffirmed affirm affirmed
    point pointed mentioned reiterate reiterated share shared much many dollar dollars value
    values amount amounts size large big number figure figures sum total during times time
    often ever occasions occasion
    first second third latter former later earlier previous next besides came come up
    phone phoned telephone video videoconference conversation conversations
    topics issues subjects matters""".split()
)
# ("Which topics/issues did they discuss?" asks what they discussed: the readout's own words for
# it are the answer, not sentences that happen to say "issues".)
# ("first", "second", "later" point at one part of a two-part question: "what ... in the
# first call, and what ... in the second?"; they say which readout, not what about.)
STOPWORDS = frozenset(STOPWORDS_EN) | {"also", "would", "could", "should", "may", "might"}


@functools.lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def stem(word: str) -> str:
    return _stemmer().stemWord(word)


def words(text: str) -> list[str]:
    """Lower-cased word tokens of two letters or more (as bm25s tokenises)."""
    return TOKEN.findall(text.lower())


def terms(text: str) -> list[str]:
    """Stemmed content terms, in order, duplicates kept."""
    st = _stemmer()
    return st.stemWords([w for w in words(text) if w not in STOPWORDS])


def topic_terms(question: str) -> list[str]:
    """Stemmed terms of a question without its framing words ("what did they say about")."""
    st = _stemmer()
    kept = [w for w in words(question) if w not in STOPWORDS and w not in QUESTION_WORDS]
    return list(dict.fromkeys(st.stemWords(kept)))
