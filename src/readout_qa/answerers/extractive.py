"""The offline answerer: picks the readout sentences that answer, and quotes them.

It adds no words of its own to a claim (each answer sentence is a verbatim
readout sentence with its marker), so it cannot invent a fact. Its judgement is
in *which* sentences: those covering the question's topic words, weighted by
how rare each word is in the corpus, with a dense-similarity fallback for
paraphrased questions, and a refusal when nothing covers the topic.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..chunking import split_sentences
from ..citations import CitationBuilder, looks_like_instruction
from ..config import ExtractiveConfig
from ..dates import date_fits, find_days, find_periods
from ..models import Passage
from ..names import find_names
from ..query import QueryAnalysis, analyze
from ..retrieval import DocMatch, Retrieval
from ..terms import terms
from . import Event, Outcome, Sentence
from .answer_type import asked_kind, kind_factor
from .meaning import by_meaning, stands_out
from .topic import Topic, entity_terms, make_topic, match_key

Idf = Callable[[str], float]
Embed = Callable[[list[str]], np.ndarray]


@dataclass
class Candidate:
    passage_index: int
    start: int
    end: int
    text: str
    terms: set[str]  # match keys
    stems: set[str] = field(default_factory=set)  # full stems, for thesaurus alternatives
    score: float = 0.0
    coverage: float = 0.0


@dataclass
class Selection:
    """The chosen sentences (best first) or, when empty, a refusal."""

    chosen: list[Candidate]
    reason: str
    unanswered: list[str] = field(default_factory=list)  # parts of the question left open
    notices: list[str] = field(default_factory=list)  # said beside the answer


#: Beside an answer chosen by meaning alone: no word of the question is in it, so say so.
MEANING_NOTICE = (
    "Matched by meaning, not by your words: the readout words this differently; "
    "check that the quoted sentence answers your question."
)


@functools.lru_cache(maxsize=8192)
def _sentences_of(
    text: str, start: int, min_chars: int
) -> tuple[tuple[int, int, str, frozenset[str]], ...]:
    """A passage's answerable sentences with their stems: the same passages come back
    question after question, and splitting and stemming them was half of answering."""
    out = []
    for s, e in split_sentences(text, start):
        sentence = text[s - start : e - start]
        if len(sentence) < min_chars or looks_like_instruction(sentence):
            continue
        out.append((s, e, sentence, frozenset(terms(sentence))))
    return tuple(out)


def candidates(passages: list[Passage], min_chars: int = 12) -> list[Candidate]:
    """Every sentence of the passages once, without list debris and text aimed at a model."""
    out = []
    seen: set[tuple[str, int]] = set()
    for i, p in enumerate(passages):
        for s, e, text, stems in _sentences_of(p.text, p.start, min_chars):
            key = (p.doc_id, s)
            if key in seen:
                continue
            seen.add(key)
            out.append(Candidate(i, s, e, text, {match_key(t) for t in stems}, set(stems)))
    return out


def who_met_whom(cands: list[Candidate], passages: list[Passage]) -> dict[str, str]:
    """Each readout's title and first retrieved sentence: who met whom, which every sentence
    of it may name again without answering a question that asks for a name."""
    known: dict[str, str] = {}
    first: dict[str, int] = {}
    for c in cands:
        p = passages[c.passage_index]
        if p.doc_id not in first or c.start < first[p.doc_id]:
            first[p.doc_id] = c.start
            known[p.doc_id] = f"{p.title} {c.text}"
    return known


def eligible_passages(passages: list[Passage], matches: dict[str, DocMatch]) -> set[int]:
    """Indexes of the passages whose readout may answer: one about other people, or
    another date, than the question names cannot ("their 2023 call" is not answered
    by a 2022 readout)."""
    mentioned = {
        doc_id: {n for n in m.people if n not in m.missing} for doc_id, m in matches.items()
    }
    allowed = set()
    for i, p in enumerate(passages):
        m = matches.get(p.doc_id)
        elsewhere = set().union(*(v for d, v in mentioned.items() if d != p.doc_id))
        if m is None or m.eligible(elsewhere):
            allowed.add(i)
    # "... at Woodside": a readout naming the question's venues only further down recalls
    # that encounter ("since the Woodside Summit"); when another readout names one in its
    # title or opening, that one is about it. Readouts not naming a venue at all may answer
    # another part of the question and stay.
    recalls = {
        passages[i].doc_id
        for i in allowed
        if (m := matches.get(passages[i].doc_id)) and m.venues_found and not m.venues_lead
    }
    if recalls and any((m := matches.get(passages[i].doc_id)) and m.venues_lead for i in allowed):
        allowed = {i for i in allowed if passages[i].doc_id not in recalls}
    return allowed


def _about_the_pair(
    allowed: set[int], passages: list[Passage], matches: dict[str, DocMatch]
) -> set[int]:
    """ "What did Putin and Macron discuss on February 20?": the readout of their call names
    both in its title or first sentence; another government's readout of another call that
    mentions Putin further down ("condemned President Putin's decision") is not about it.
    Only for one-part questions: the parts of "what did X say on May 1, and Y on May 9?"
    may each be read out by a readout naming one of them first."""
    pair = {
        passages[i].doc_id
        for i in allowed
        if (m := matches.get(passages[i].doc_id)) and m.names_total == 2 and m.people_lead == 2
    }
    if not pair:
        return allowed
    return {i for i in allowed if passages[i].doc_id in pair or passages[i].doc_id not in matches}


def select(
    question: str,
    analysis: QueryAnalysis,
    passages: list[Passage],
    idf: Idf,
    embed: Embed | None,
    query_vector: np.ndarray | None,
    config: ExtractiveConfig | None = None,
    matches: dict[str, DocMatch] | None = None,
) -> Selection:
    """Choose the answer sentences, or none (a refusal) with the reason."""
    cfg = config or ExtractiveConfig()
    allowed = eligible_passages(passages, matches or {})
    multipart = bool(_parts(question))
    if not multipart and len(analysis.days) <= 1:
        allowed = _about_the_pair(allowed, passages, matches or {})
    if not allowed:
        return Selection([], "no readout matches the people and dates the question names")
    cands = [c for c in candidates(passages, cfg.min_sentence_chars) if c.passage_index in allowed]
    if not cands:
        return Selection([], "nothing was retrieved")
    doc_rank: dict[str, int] = {}
    for p in passages:
        doc_rank.setdefault(p.doc_id, len(doc_rank))
    names = entity_terms(analysis)
    present = set().union(*(c.terms for c in cands))
    topic = _topic(question, names, idf, present, cfg)
    # What a two-part question asks for is each part's own ("how many ..., and which
    # country ...?"): weighed part by part below, not over the whole question.
    kind = None if multipart else asked_kind(question)
    if not topic.weights:  # "what did Biden say about Taiwan in Bali?"
        for key, weight in _about_topic(question, idf).weights.items():
            topic.weights.setdefault(key, weight)
    known = who_met_whom(cands, passages)
    for c in cands:
        doc_id = passages[c.passage_index].doc_id
        factor = kind_factor(c.text, kind, question, known[doc_id])
        c.coverage = topic.coverage(c.terms, c.stems)
        c.score = c.coverage * factor + cfg.doc_prior / (1 + doc_rank[doc_id])
    if not topic.weights:
        return _summary(cands, passages, doc_rank, cfg, matches or {})
    ranked = sorted(cands, key=lambda c: c.score, reverse=True)
    parts, unanswered = _per_clause(
        question, names, cands, passages, doc_rank, idf, cfg, present, known, analysis
    )
    if parts and not unanswered:
        return Selection(parts, "each part of the question answered")
    if ranked[0].coverage >= cfg.min_coverage:
        chosen = _each_date(_cover(ranked, topic, cfg), ranked, analysis, passages, cfg)
        still_open = [
            part
            for part in unanswered
            if not any(
                _topic(part, names, idf, present, cfg).coverage(c.terms, c.stems)
                >= cfg.min_coverage
                for c in chosen
            )
        ]
        return Selection(chosen, "topic words found", still_open)
    if parts:
        return Selection(parts, "some parts of the question answered", unanswered)
    if embed is not None and query_vector is not None:
        chosen = by_meaning(cands, passages, doc_rank, embed, query_vector, cfg)
        if chosen:
            return Selection(chosen, "paraphrase matched by meaning")
    if embed is not None:
        chosen = stands_out(question, analysis, cands, passages, doc_rank, embed, cfg, known)
        if chosen:
            return Selection(
                chosen,
                "the sentence closest in meaning, well ahead of the rest",
                notices=[MEANING_NOTICE],
            )
    return Selection(
        [], f"no sentence covers the question (best coverage {ranked[0].coverage:.2f})"
    )


# "What did Biden say about Taiwan in Bali?": a name the question asks about is what a
# sentence must address, though names otherwise only pick the readout.
ABOUT_NAME = re.compile(
    r"\b(?:about|regarding|concerning|on the (?:issue|question|subject) of)\s+(?:the\s+)?"
    r"(?P<name>[A-Z][\w'’.-]*(?:\s+(?:of\s+|the\s+)?[A-Z][\w'’.-]*)*)"
)


def _about_topic(question: str, idf: Idf) -> Topic:
    """The names a question asks about, as its topic, when it has no other."""
    return _names_topic([m.group("name") for m in ABOUT_NAME.finditer(question)], idf)


def _names_topic(names: list[str], idf: Idf) -> Topic:
    """Names as a topic a sentence must cover ("Taiwan", "Mercosur")."""
    return Topic({match_key(t): idf(t) for t in terms(" ".join(names))})


def _topic(text: str, names: set[str], idf: Idf, present: set[str], cfg: ExtractiveConfig) -> Topic:
    return make_topic(
        text,
        names,
        idf,
        present,
        min_alternative_idf=cfg.min_alternative_idf if cfg.alternatives else None,
        alternative_factor=cfg.alternative_factor,
    )


def _summary(
    cands: list[Candidate],
    passages: list[Passage],
    doc_rank: dict[str, int],
    cfg: ExtractiveConfig,
    matches: dict[str, DocMatch],
) -> Selection:
    """ "What did Biden and Xi discuss?": no topic beyond who/when, so the best readout's
    opening sentences, which summarise the encounter, are the answer -- unless the question
    names something that readout never mentions ("... about Nord Stream"): then its summary
    is beside the point."""
    top = min(cands, key=lambda c: doc_rank[passages[c.passage_index].doc_id])
    doc = passages[top.passage_index].doc_id
    missing = matches[doc].missing if doc in matches else ()
    if missing:
        return Selection([], f"the best-matching readout does not mention {', '.join(missing)}")
    ranked = sorted(
        (c for c in cands if passages[c.passage_index].doc_id == doc), key=lambda c: c.start
    )
    return Selection(ranked[: cfg.summary_sentences], "summary of the best-matching readout")


CLAUSE_SPLIT = re.compile(
    r",?\s+and\s+(?=(?:what|which|who|whom|whose|where|when|how|why|did|does|do|was|were|is|"
    r"are|in which|on which|for which|for whom)\b)|;\s+|\?\s+(?=\S)"
    # ", and in their call nine days later which part ...", ", and along what ...": a part
    # that opens with when or a preposition
    r"|,\s+and\s+(?=(?:in|at|on|during|after|when|by|along|for|with|from|to|under)\b[^,?]{0,80}?"
    r"\b(?:what|which|who|whom|whose|where|how)\b)"
    # "..., and with Kishida?", "..., and about Taiwan?": a last part that only names someone
    # or something, asking the same again
    r"|,\s+(?:and|but)\s+(?:also\s+)?(?=(?:with|about|regarding|concerning|to)\s+[^,;?]{1,60}\?\s*$)",
    re.IGNORECASE,
)
# The part that only names someone ("with Kishida?") or something ("about Taiwan?").
ELLIPTICAL = re.compile(r"^\s*(?:also\s+)?(?P<cue>with|about|regarding|concerning|to)\s+", re.I)


def _parts(question: str) -> list[str]:
    """The parts of a multi-part question ("what …, and which …?"); [] for one part."""
    clauses = [c for c in CLAUSE_SPLIT.split(question) if c and c.strip()]
    return clauses if len(clauses) > 1 else []


def _per_clause(
    question: str,
    names: set[str],
    cands: list[Candidate],
    passages: list[Passage],
    doc_rank: dict[str, int],
    idf: Idf,
    cfg: ExtractiveConfig,
    present: set[str],
    known: dict[str, str],
    analysis: QueryAnalysis | None = None,
) -> tuple[list[Candidate], list[str]]:
    """For a multi-part question ("what …, and which …?"), the best sentence for each
    part, and the parts no sentence answers (said as such, never passed off)."""
    clauses = _parts(question)
    if not clauses:
        return [], []
    windows = clause_windows(question, clauses, analysis)
    chosen: list[Candidate] = []
    unanswered: list[str] = []
    previous: Topic | None = None
    for clause, window in zip(clauses, windows, strict=True):
        topic = _topic(clause, names, idf, present, cfg)
        # A part pinned to one of the question's dates ("... in the second call") is
        # answered from that date's readout only.
        pool = cands if window is None else [c for c in cands if _fits(c, passages, window)]
        elliptical = ELLIPTICAL.match(clause)
        if not topic.total and elliptical and previous is not None:
            # "..., and with Kishida?": the previous part's question, asked of the readouts
            # naming Kishida; "..., and about Taiwan?": the thing named is the topic. Never
            # the previous part's answer passed off for this one.
            topic, pool = _elliptical_part(
                clause, elliptical.group("cue"), previous, pool, passages, idf
            )
        if not topic.total:
            continue
        previous = topic
        kind = asked_kind(clause)
        best, best_score = None, 0.0
        for c in pool:
            coverage = topic.coverage(c.terms, c.stems)
            doc_id = passages[c.passage_index].doc_id
            factor = kind_factor(c.text, kind, question, known[doc_id])
            score = coverage * factor + cfg.doc_prior / (1 + doc_rank[doc_id])
            if coverage >= cfg.min_coverage and score > best_score:
                best, best_score = c, score
        if best is None:
            part = clause.strip().rstrip("?") + "?"
            unanswered.append(f"the same, {part}" if elliptical else part)
        elif best not in chosen:
            chosen.append(best)
    return chosen[: cfg.max_sentences + 1], unanswered


def _elliptical_part(
    clause: str,
    cue: str,
    previous: Topic,
    pool: list[Candidate],
    passages: list[Passage],
    idf: Idf,
) -> tuple[Topic, list[Candidate]]:
    """The topic and candidate sentences of a part that only names someone or something."""
    named = terms(" ".join(find_names(clause)))
    if not named:
        return Topic({}), pool
    if cue.lower() in ("about", "regarding", "concerning"):
        return _names_topic(find_names(clause), idf), pool
    keys = {match_key(t) for t in named}
    per_readout: dict[str, set[str]] = {}
    for c in pool:
        per_readout.setdefault(passages[c.passage_index].doc_id, set()).update(c.terms)
    readouts = {doc for doc, found in per_readout.items() if keys <= found}
    return previous, [c for c in pool if passages[c.passage_index].doc_id in readouts]


FIRST_PART = re.compile(r"\b(?:first|former|earlier|initial)\b", re.IGNORECASE)
SECOND_PART = re.compile(r"\b(?:second|latter|later one|next one|again)\b", re.IGNORECASE)
Window = tuple[list[int], list]


def clause_windows(
    question: str, clauses: list[str], a: QueryAnalysis | None = None
) -> list[Window | None]:
    """The date each part of a question asks about, when the question names two or more:
    the part's own date, "the first"/"the second" call, or, as many parts as dates, the
    dates in the order they were named. None: the part is not pinned to one date."""
    a = a if a is not None and a.text == question else analyze(question)
    dates: list[Window] = [([d], []) for d in a.days] or [([], [p]) for p in a.periods]
    out: list[Window | None] = [None] * len(clauses)
    if len(dates) < 2:
        return out
    for i, clause in enumerate(clauses):
        own_days, own_periods = find_days(clause), find_periods(clause)
        if SECOND_PART.search(clause):
            out[i] = dates[1]
        elif FIRST_PART.search(clause):
            out[i] = dates[0]
        elif len(own_days) == 1:
            out[i] = (own_days, [])
        elif not own_days and len(own_periods) == 1:
            out[i] = ([], own_periods)
        elif own_days or own_periods:
            continue  # names several dates: the whole question's list
        elif len(clauses) == len(dates):
            out[i] = dates[i]
    return out


def _fits(c: Candidate, passages: list[Passage], window: Window) -> bool:
    date_int = int(passages[c.passage_index].metadata.get("date_int", 0) or 0)
    return bool(date_fits(date_int, window[0], window[1]))


def _each_date(
    chosen: list[Candidate],
    ranked: list[Candidate],
    analysis: QueryAnalysis,
    passages: list[Passage],
    cfg: ExtractiveConfig,
) -> list[Candidate]:
    """A question about two dates ("on October 4, 2022 and October 16, 2024") is about two
    readouts: make sure each date has its best sentence, not only the first."""
    windows: list[tuple[list[int], list]] = [([d], []) for d in analysis.days] or [
        ([], [p]) for p in analysis.periods
    ]
    if len(windows) < 2:
        return chosen
    out = list(chosen)
    for days, periods in windows:

        def fits(c: Candidate, days: list[int] = days, periods: list = periods) -> bool:
            date_int = int(passages[c.passage_index].metadata.get("date_int", 0))
            return bool(date_fits(date_int, days, periods))

        if any(fits(c) for c in out):
            continue
        extra = next((c for c in ranked if fits(c) and c.coverage >= cfg.min_coverage), None)
        if extra is not None:
            out.append(extra)
    return out


def _cover(ranked: list[Candidate], topic: Topic, cfg: ExtractiveConfig) -> list[Candidate]:
    """Greedy cover of the question's topic: each extra sentence must add unmet terms
    (multi-part and cross-readout questions) or be nearly as good as the best."""
    best = ranked[0]
    chosen = [best]
    covered = set(topic.credit(best.terms, best.stems))
    total = topic.total
    heaviest = max(topic.weights.values())
    while len(chosen) < cfg.max_sentences:
        pick, gain = None, 0.0
        for c in ranked[1:]:
            if c in chosen or c.score < cfg.relative_keep * best.score:
                continue
            credit = topic.credit(c.terms, c.stems)
            new = {t: w for t, w in credit.items() if t not in covered}
            # A sentence adding only common words ("agreed", "discussed") says nothing
            # about what is asked: the Woodside readout's "agreed that their teams will
            # follow up" is no answer to "what did they agree on AI".
            if not any(topic.weights[t] >= cfg.min_focus * heaviest for t in new):
                continue
            g = sum(new.values()) / total
            if g > gain + 1e-9:
                pick, gain = c, g
        if pick is None or gain < cfg.min_gain:
            break
        chosen.append(pick)
        covered |= set(topic.credit(pick.terms, pick.stems))
    return chosen


def compose(selection: Selection, passages: list[Passage], builder: CitationBuilder) -> list[str]:
    """Answer sentences with their markers, in the order chosen."""
    return [builder.add_quote(passages[c.passage_index], c.start, c.end) for c in selection.chosen]


class ExtractiveAnswerer:
    """The offline answerer as a component: quotes readout sentences, or declines.

    ``idf`` weighs question words by rarity (the keyword index's corpus statistics) and
    ``embed`` embeds sentences for the paraphrase fallback; both are functions so that
    the answerer always sees the index that is current when it is asked.
    """

    name = "extractive"
    label = "extractive"

    def __init__(
        self, idf: Idf, embed: Embed | None = None, config: ExtractiveConfig | None = None
    ) -> None:
        self.idf = idf
        self.embed = embed
        self.config = config or ExtractiveConfig()

    def select(self, question: str, retrieval: Retrieval) -> Selection:
        """The sentences that answer (best first), or none with the reason."""
        return select(
            question,
            retrieval.analysis,
            retrieval.passages,
            idf=self.idf,
            embed=self.embed,
            query_vector=retrieval.query_vector,
            config=self.config,
            matches=retrieval.matches,
        )

    def closest(
        self, question: str, retrieval: Retrieval, n: int = 3, per_readout: int = 2
    ) -> list[tuple[Passage, int, int]]:
        """The sentences that came closest to answering (passage, start, end), best first:
        shown with a refusal so the user can judge, never as an answer."""
        passages = retrieval.passages
        cands = candidates(passages, self.config.min_sentence_chars)
        if not cands:
            return []
        doc_rank: dict[str, int] = {}
        for p in passages:
            doc_rank.setdefault(p.doc_id, len(doc_rank))
        present = set().union(*(c.terms for c in cands))
        topic = _topic(question, entity_terms(retrieval.analysis), self.idf, present, self.config)
        for c in cands:
            rank = doc_rank[passages[c.passage_index].doc_id]
            c.coverage = topic.coverage(c.terms, c.stems)
            c.score = c.coverage + self.config.doc_prior / (1 + rank)
        out: list[tuple[Passage, int, int]] = []
        taken: dict[str, int] = {}
        for c in sorted(cands, key=lambda c: (-c.score, c.start)):
            doc_id = passages[c.passage_index].doc_id
            if c.coverage > 0 and taken.get(doc_id, 0) < per_readout:
                taken[doc_id] = taken.get(doc_id, 0) + 1
                out.append((passages[c.passage_index], c.start, c.end))
            if len(out) == n:
                break
        return out

    def stream(
        self, question: str, retrieval: Retrieval, history: Sequence[Any] = ()
    ) -> Iterator[Event]:
        """Quoted sentences, then the outcome (declined with the reason when none answers)."""
        selection = self.select(question, retrieval)
        builder = CitationBuilder(retrieval.passages)
        for text in compose(selection, retrieval.passages, builder):
            yield Sentence(text)
        yield Outcome(
            citations=builder.citations,
            notices=selection.notices
            + [f"The readouts don't say: {part}" for part in selection.unanswered],
            declined="" if selection.chosen else selection.reason,
        )
