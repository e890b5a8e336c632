"""``ReadoutQA``: the one object the UI, the CLI, the evals and other tools use.

It wires the pipeline stages together (index -> retrieval -> answer ->
citations) and holds what is costly to load (the embedding model, the Chroma
client, the keyword index), refreshing the keyword index when another process
changed the store.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .answerers import Answerer, Outcome, Sentence
from .answerers import Progress as AnswerProgress
from .answerers.extractive import ExtractiveAnswerer
from .config import Settings
from .contacts.answerer import ContactsAnswerer
from .contacts.table import FILE_NAME as CONTACTS_FILE
from .contacts.table import ContactsTable, remove_table
from .dates import parse_date
from .embeddings import embed_sentences, embedding_for
from .followups import search_query
from .ingest import Progress, ingest
from .keyword_index import KeywordIndex, open_keyword_index
from .mixed_questions import split_mixed, stream_mixed
from .models import REFUSAL, Answer, ClosestReadout, Contact, Filters, IngestReport, Passage
from .multipart import each_day
from .query import QueryAnalysis
from .question_routing import asks_what_was_said
from .retrieval import HybridRetriever, Retrieval
from .store import ChromaStore

REFRESH_SECONDS = 2.0  # how often to look for changes made by other processes
CLOSEST_SHOWN = 3  # readouts named with a refusal

Event = str | AnswerProgress | Answer


class ReadoutQA:
    """Ask questions of an index of readouts; every claim cited to a readout sentence."""

    def __init__(
        self,
        data_dir: str | Path | None = None,
        *,
        settings: Settings | None = None,
        answerer: str | Answerer | None = None,
        **overrides: Any,
    ) -> None:
        """``settings`` or, without them, the environment plus keyword ``overrides``
        (any :class:`Settings` field: ``top_k=5``, ``retrieval={"rrf_k": 30}``, ...).

        ``answerer``: "extractive", "llm" (needs an API key) or any :class:`Answerer`;
        by default "llm" when an API key is configured, else "extractive"."""
        self.settings = settings or Settings.from_env(data_dir=data_dir, **overrides)
        self.embed_model = embedding_for(self.settings)
        self.store = ChromaStore(self.settings, self.settings.embed_model, None)
        self._keyword: KeywordIndex | None = None
        self._retriever: HybridRetriever | None = None
        self._checked_at = 0.0
        self._lock = threading.RLock()
        self.llm = None  # the chat client, when an LLM answers or rewrites follow-ups
        self.extractive = ExtractiveAnswerer(
            idf=self._idf,
            embed=lambda texts: embed_sentences(self.embed_model, texts),
            config=self.settings.extractive,
        )
        self.answerer: Answerer = self._make_answerer(answerer)
        # Contact questions over many readouts ("How many times did Biden call Trudeau in
        # 2023?") are answered from the contacts table, derived from the store like BM25.
        self._contacts: ContactsTable | None = None
        self.contacts_answerer = ContactsAnswerer(self._contacts_table, self.store.bodies)

    def _make_answerer(self, wanted: str | Answerer | None) -> Answerer:
        if wanted is not None and not isinstance(wanted, str):
            return wanted
        llm_settings = self.settings.llm
        local = self.settings.local_model
        wanted = wanted or ("llm" if llm_settings or local else "extractive")
        if wanted == "extractive":
            return self.extractive
        if wanted != "llm":
            raise ValueError(f"unknown answerer {wanted!r} (expected extractive or llm)")
        from .answerers.llm import LLMAnswerer

        if local is not None:  # a GGUF file answers in-process
            from .local_model import open_local_model

            model = open_local_model(
                local, context=self.settings.local_context, timeout=self.settings.llm_timeout
            )
            self.llm = model
            return LLMAnswerer(
                model,
                self.settings.prompts_dir,
                max_prompt_tokens=model.max_prompt_tokens,
                count_tokens=model.count_tokens,
            )
        if llm_settings is None:
            raise ValueError("the LLM answerer needs OPENAI_API_KEY or READOUT_QA_LOCAL_MODEL")
        from .llm_client import ChatLLM

        self.llm = ChatLLM(llm_settings)
        return LLMAnswerer(self.llm, self.settings.prompts_dir)

    def _idf(self, term: str) -> float:
        keyword = self._keyword
        return keyword.idf(term) if keyword is not None else 1.0

    # --- index -----------------------------------------------------------------
    @property
    def data_dir(self) -> Path:
        return Path(self.settings.data_dir)

    def ingest(
        self,
        paths: Iterable[str | Path],
        sync: bool = False,
        rebuild: bool = False,
        progress: Progress | None = None,
        batch_readouts: int = 48,
    ) -> IngestReport:
        """Add, update (and with ``sync`` remove) readouts; unchanged ones cost nothing.

        Readouts are embedded and committed ``batch_readouts`` at a time: a crash
        loses at most one batch of work, never the consistency of the index."""
        if rebuild:
            self.store.reset()
            with self._lock:
                self._contacts = None
                remove_table(self.data_dir / CONTACTS_FILE)
        report = ingest(
            paths,
            self.store,
            self.embed_model,
            lock_path=self.data_dir / "ingest.lock",
            chunk_size=self.settings.chunk_size,
            sync=sync,
            progress=progress,
            batch_readouts=batch_readouts,
            max_file_mb=self.settings.max_file_mb,
        )
        self._refresh(force=True)
        return report

    def _refresh(self, force: bool = False) -> HybridRetriever:
        with self._lock:  # one rebuild when several threads see a new generation
            return self._refresh_locked(force)

    def _refresh_locked(self, force: bool) -> HybridRetriever:
        now = time.monotonic()
        if self._retriever is not None and not force and now - self._checked_at < REFRESH_SECONDS:
            return self._retriever
        self._checked_at = now
        if self._keyword is None or force or self._keyword.generation != self.store.generation():
            self._keyword = open_keyword_index(self.store, self.data_dir / "bm25")
            self._retriever = HybridRetriever(
                self.store, self._keyword, self.embed_model, self.settings.retrieval
            )
            self._contacts = self._sync_contacts()
        assert self._retriever is not None
        return self._retriever

    def _sync_contacts(self) -> ContactsTable | None:
        """The contacts table brought in line with the store (only changed readouts are
        read again); None when it cannot be written, and contact questions then take the
        usual path."""
        try:
            table = self._contacts or ContactsTable(self.data_dir / CONTACTS_FILE)
            table.sync(self.store)
            return table
        except (OSError, sqlite3.Error):
            return None

    def _contacts_table(self) -> ContactsTable | None:
        self._refresh()
        return self._contacts

    def contacts(
        self,
        participants: list[str] | None = None,
        since: str | None = None,
        until: str | None = None,
        kind: str | None = None,
    ) -> list[Contact]:
        """Calls, meetings and visits between leaders, from every readout, by date.

        ``participants``: names in any form ("Zelensky", "President Xi", "Joe Biden"),
        every one of whom takes part; ``since``/``until``: dates (inclusive) of the
        event, not of the readout; ``kind``: one of ``models.CONTACT_KINDS`` or "call"
        (phone and video), "in person", "contact" (all but joint statements). A contact
        read out by two governments is one :class:`Contact` with both readouts."""
        since = parse_date(since) if since else None
        until = parse_date(until) if until else None
        table = self._contacts_table()
        if table is None:
            return []
        return table.query(participants=participants, since=since, until=until, kind=kind)

    @property
    def retriever(self) -> HybridRetriever:
        return self._refresh()

    def stats(self) -> dict[str, Any]:
        """Counts and coverage of the index, for ``readout-qa stats`` and the UI footer."""
        records = self.store.doc_records()
        dates = sorted(
            r.metadata.get("date", "") for r in records.values() if r.metadata.get("date")
        )
        publishers: dict[str, int] = {}
        countries: dict[str, int] = {}
        for r in records.values():
            pub = str(r.metadata.get("publisher", "")) or "(unknown)"
            publishers[pub] = publishers.get(pub, 0) + 1
            for c in filter(None, str(r.metadata.get("countries", "")).split(", ")):
                countries[c] = countries.get(c, 0) + 1
        return {
            "readouts": len(records),
            "chunks": self.store.count_chunks(),
            "contacts": self._contact_count(),
            "date_range": [dates[0], dates[-1]] if dates else [],
            "publishers": dict(sorted(publishers.items(), key=lambda kv: -kv[1])),
            "countries": dict(sorted(countries.items(), key=lambda kv: -kv[1])),
            "embed_model": self.settings.embed_model,
            "answerer": self.answerer_name,
            "store": self.settings.chroma_url or str(self.data_dir / "chroma"),
        }

    def _contact_count(self) -> int | None:
        """Contacts in the contacts table; None when it cannot be read (questions then take
        the usual path)."""
        table = self._contacts_table()
        return table.count() if table is not None else None

    def readout(self, doc_id: str) -> tuple[str, dict[str, Any]] | None:
        """A stored readout's body and metadata (offsets in citations point into the body)."""
        return self.store.bodies([doc_id]).get(doc_id)

    @property
    def answerer_name(self) -> str:
        return self.answerer.name

    # --- asking ----------------------------------------------------------------
    def retrieve(
        self, query: str, filters: Filters | dict | None = None, k: int | None = None
    ) -> Retrieval:
        return self.retriever.retrieve(query, Filters.coerce(filters), k or self.settings.top_k)

    def ask(
        self,
        question: str,
        history: list[dict[str, Any]] | None = None,
        filters: Filters | dict | None = None,
    ) -> Answer:
        """The cited answer to ``question`` (``history`` in OpenAI/Gradio messages shape)."""
        final: Answer | None = None
        for event in self.stream(question, history, filters):
            if isinstance(event, Answer):
                final = event
        assert final is not None
        return final

    def stream(
        self,
        question: str,
        history: list[dict[str, Any]] | None = None,
        filters: Filters | dict | None = None,
        *,
        progress: bool = False,
    ) -> Iterator[Event]:
        """Answer sentences as they are checked (str deltas), then the final ``Answer``.

        The configured answerer runs first; should it fail (a model error, nothing it
        wrote supported), the extractive answerer answers instead, with a notice. With
        ``progress``, :class:`~.answerers.Progress` events ("reading 12 passages…") come too."""
        t0 = time.perf_counter()
        question = (question or "").strip()
        if not any(ch.isalnum() for ch in question):  # "", "??": nothing to look for
            yield Answer(question="", text="Ask a question about the readouts.", refused=True)
            return
        history = list(history or [])
        mixed = split_mixed(question, self.contacts_answerer)
        if mixed is not None:  # "Which leaders did ..., and what did he tell ...?": each part
            yield from stream_mixed(self.stream, mixed, history, filters, progress=progress)
            return
        query = search_query(question, history, self.llm, self.settings.prompts_dir)
        chain = self._chain(question)
        # Rewriting a follow-up and routing (is it a contacts question?), which the
        # retrieval's own timings do not cover.
        route = time.perf_counter() - t0
        if chain[0] is self.contacts_answerer:
            # Answered from the contacts table: searching passages would cost the query
            # embedding and both searches for nothing.
            retrieval = Retrieval(passages=[], doc_ids=[], analysis=QueryAnalysis(text=query))
        else:
            retrieval = each_day(
                query, self.retrieve(query, filters), self.retrieve, Filters.coerce(filters)
            )
        timings = {f"retrieve_{k}": v for k, v in retrieval.timings.items()}
        timings["route"] = route
        timings["retrieve"] = time.perf_counter() - t0
        sentences: list[str] = []
        notices: list[str] = []
        unsupported: list[str] = []
        name = chain[0].name
        outcome = Outcome()
        for answerer in chain:
            t = time.perf_counter()
            for event in answerer.stream(question, retrieval, history):
                if isinstance(event, Sentence):
                    yield ("" if not sentences else " ") + event.text
                    sentences.append(event.text)
                elif isinstance(event, AnswerProgress):
                    if progress:
                        yield event
                else:
                    outcome = event
            timings[f"answer_{answerer.label}"] = time.perf_counter() - t
            notices += outcome.notices
            unsupported += outcome.unsupported
            if not outcome.failed or sentences:
                break
            name = f"{self.extractive.name} ({self.answerer.label} fallback)"
        refused = not sentences
        closest = self._closest(question, retrieval) if refused else []
        text = " ".join(sentences) if sentences else refusal_text(closest)
        if refused:
            yield text
        timings["total"] = time.perf_counter() - t0
        yield Answer(
            question=question,
            text=text,
            citations=[] if refused else outcome.citations,
            refused=refused,
            answerer=name,
            reason=outcome.declined if refused else "",
            closest=closest,
            contacts=outcome.contacts,
            unsupported=unsupported,
            notices=notices,
            retrieval_query=query,
            # Without a passage search, the readouts an answer rests on are those it cites.
            retrieved_doc_ids=retrieval.doc_ids
            or list(dict.fromkeys(c.doc_id for c in ([] if refused else outcome.citations))),
            timings={k: round(v, 6) for k, v in timings.items()},
        )

    def _closest(self, question: str, retrieval: Retrieval) -> list[ClosestReadout]:
        """The closest passages of a refused question, quoted with exact offsets; the
        best-ranked readouts when no sentence shares a topic word with it."""
        found = self.extractive.closest(question, retrieval, n=CLOSEST_SHOWN)
        if not found:
            return closest_readouts(retrieval.passages)
        return [
            ClosestReadout(
                doc_id=p.doc_id,
                title=p.title,
                date=p.date,
                quote=p.text[start - p.start : end - p.start],
                start=start,
                end=end,
                source=str(p.metadata.get("source", "")),
                publisher=str(p.metadata.get("publisher", "")),
            )
            for p, start, end in found
        ]

    def _chain(self, question: str = "") -> list[Answerer]:
        """The answerers to try in turn: the contacts answerer alone for a question about
        contacts over many readouts; else the configured one, then the extractive one."""
        if (
            question
            and not asks_what_was_said(question)
            and self.contacts_answerer.handles(question)
        ):
            return [self.contacts_answerer]
        if self.answerer is self.extractive:
            return [self.answerer]
        return [self.answerer, self.extractive]


def refusal_text(closest: list[ClosestReadout]) -> str:
    """ "The readouts don't say." and, when some came close, the passages that did."""
    if not closest:
        return REFUSAL
    shown = "; ".join(f"{c.label}: “{c.quote}”" if c.quote else c.label for c in closest)
    return f"{REFUSAL} Closest passages, not an answer: {shown}"


def closest_readouts(passages: list[Passage], n: int = CLOSEST_SHOWN) -> list[ClosestReadout]:
    """The best-ranked readouts among the passages, each once (no quotes)."""
    out: dict[str, ClosestReadout] = {}
    for p in passages:
        if p.title and p.doc_id not in out:
            out[p.doc_id] = ClosestReadout(doc_id=p.doc_id, title=p.title, date=p.date)
        if len(out) == n:
            break
    return list(out.values())
