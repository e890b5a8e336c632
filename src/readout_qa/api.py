"""``ReadoutQA``: the one object the UI, the CLI, the evals and other tools use.

It wires the pipeline stages together (index -> retrieval -> answer ->
citations) and holds what is costly to load (the embedding model, the Chroma
client, the keyword index), refreshing the keyword index when another process
changed the store.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .citations import CitationBuilder
from .config import Settings
from .embeddings import embed_sentences, embedding_for
from .extractive import compose, select
from .ingest import Progress, ingest
from .keyword_index import KeywordIndex, open_keyword_index
from .llm import ChatLLM, LLMError, LLMSettings, rewrite_query
from .llm_answerer import Refused, stream_checked_sentences
from .models import Answer, Filters, IngestReport
from .query import carry_over, needs_context, user_turns
from .retrieval import HybridRetriever, Retrieval
from .store import ChromaStore

LLM_PASSAGES = 12  # numbered passages a model is shown
REFRESH_SECONDS = 2.0  # how often to look for changes made by other processes

Event = str | Answer


class ReadoutQA:
    """Ask questions of an index of readouts; every claim cited to a readout sentence."""

    def __init__(
        self,
        data_dir: str | Path | None = None,
        *,
        settings: Settings | None = None,
        answerer: str | None = None,
        **overrides: Any,
    ) -> None:
        self.settings = settings or Settings.from_env(data_dir=data_dir, **overrides)
        self.embed_model = embedding_for(self.settings)
        self.store = ChromaStore(self.settings, self.settings.embed_model, None)
        self._keyword: KeywordIndex | None = None
        self._retriever: HybridRetriever | None = None
        self._checked_at = 0.0
        self._lock = threading.RLock()
        llm_settings = LLMSettings.from_env()
        if llm_settings and self.settings.llm_model:
            llm_settings.model = self.settings.llm_model
        wanted = answerer or ("llm" if llm_settings else "extractive")
        if wanted == "llm" and not llm_settings:
            raise ValueError("the LLM answerer needs OPENAI_API_KEY")
        self.llm: ChatLLM | None = ChatLLM(llm_settings) if wanted == "llm" else None

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
        report = ingest(
            paths,
            self.store,
            self.embed_model,
            lock_path=self.data_dir / "ingest.lock",
            chunk_size=self.settings.chunk_size,
            sync=sync,
            progress=progress,
            batch_readouts=batch_readouts,
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
            self._retriever = HybridRetriever(self.store, self._keyword, self.embed_model)
        assert self._retriever is not None
        return self._retriever

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
            "date_range": [dates[0], dates[-1]] if dates else [],
            "publishers": dict(sorted(publishers.items(), key=lambda kv: -kv[1])),
            "countries": dict(sorted(countries.items(), key=lambda kv: -kv[1])),
            "embed_model": self.settings.embed_model,
            "answerer": self.answerer_name,
            "store": self.settings.chroma_url or str(self.data_dir / "chroma"),
        }

    def readout(self, doc_id: str) -> tuple[str, dict[str, Any]] | None:
        """A stored readout's body and metadata (offsets in citations point into the body)."""
        return self.store.bodies([doc_id]).get(doc_id)

    @property
    def answerer_name(self) -> str:
        return f"llm:{self.llm.name}" if self.llm else "extractive"

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
    ) -> Iterator[Event]:
        """Text deltas of the answer as they are checked, then the final ``Answer``."""
        t0 = time.perf_counter()
        question = (question or "").strip()
        if not question:
            yield Answer(question="", text="Ask a question about the readouts.", refused=True)
            return
        history = list(history or [])
        query = self._retrieval_query(question, history)
        retrieval = self.retrieve(query, filters)
        timings = {f"retrieve_{k}": v for k, v in retrieval.timings.items()}
        timings["retrieve"] = time.perf_counter() - t0
        passages = retrieval.passages
        builder = CitationBuilder(passages)
        notices: list[str] = []
        answerer = self.answerer_name
        sentences: list[str] = []
        refused_reason = ""

        if self.llm is not None and passages:
            try:
                builder = CitationBuilder(passages[:LLM_PASSAGES])
                for sentence in stream_checked_sentences(
                    self.llm, question, passages[:LLM_PASSAGES], history, builder
                ):
                    yield ("" if not sentences else " ") + sentence
                    sentences.append(sentence)
            except Refused:
                refused_reason = "the model found no answer in the passages"
            except LLMError as exc:
                if sentences:  # keep what was checked and shown; numbers must not change
                    notices.append(f"The language model stopped early ({exc}).")
                else:
                    notices.append(
                        f"The language model failed ({exc}); this answer was composed "
                        "extractively from the readouts instead."
                    )
                    answerer = "extractive (LLM fallback)"
                    builder = CitationBuilder(passages)
            if not sentences and not refused_reason and answerer == self.answerer_name:
                notices.append(
                    "No sentence of the model's answer was supported by the passages it cited; "
                    "this answer was composed extractively from the readouts instead."
                )
                answerer = "extractive (LLM fallback)"
            if builder.unsupported:
                notices.append(
                    f"{len(builder.unsupported)} sentence(s) of the model's answer were removed "
                    "because no cited passage supports them."
                )
        if self.llm is None or answerer.startswith("extractive"):
            t = time.perf_counter()
            selection = select(
                question,
                retrieval.analysis,
                passages,
                idf=self._keyword.idf if self._keyword else (lambda _t: 1.0),
                embed=lambda texts: embed_sentences(self.embed_model, texts),
                query_vector=retrieval.query_vector,
                matches=retrieval.matches,
            )
            timings["select"] = time.perf_counter() - t
            if selection.chosen:
                for sentence in compose(selection, passages, builder):
                    text = ("" if not sentences else " ") + sentence
                    yield from _words(text)
                    sentences.append(sentence)
            else:
                refused_reason = selection.reason

        refused = not sentences
        if refused:
            text = _refusal_text(retrieval, passages)
            yield text
            citations = []
        else:
            text = " ".join(sentences)
            citations = builder.citations
        timings["total"] = time.perf_counter() - t0
        yield Answer(
            question=question,
            text=text,
            citations=citations,
            refused=refused,
            answerer=answerer,
            unsupported=list(builder.unsupported),
            notices=notices
            + ([f"Refused: {refused_reason}."] if refused and refused_reason else []),
            retrieval_query=query,
            retrieved_doc_ids=retrieval.doc_ids,
            timings={k: round(v, 6) for k, v in timings.items()},
        )

    def _retrieval_query(self, question: str, history: list[dict[str, Any]]) -> str:
        """The question made self-contained for search (the user's words are still answered)."""
        if not user_turns(history) or not needs_context(question):
            return question
        if self.llm is not None:
            rewritten = rewrite_query(self.llm, question, history)
            if rewritten and rewritten != question:
                return carry_over(rewritten, history) if needs_context(rewritten) else rewritten
        return carry_over(question, history)


def _words(text: str) -> Iterator[str]:
    """Split a checked sentence into word-sized deltas so the UI can stream it."""
    start = 0
    for i, ch in enumerate(text):
        if ch == " " and i > start:
            yield text[start:i]
            start = i
    if start < len(text):
        yield text[start:]


def _refusal_text(retrieval: Retrieval, passages: list) -> str:
    titles: list[str] = []
    for p in passages:
        label = f"“{p.title}” ({p.date})" if p.date else f"“{p.title}”"
        if p.title and label not in titles:
            titles.append(label)
        if len(titles) == 3:
            break
    closest = f" The closest readouts found were: {'; '.join(titles)}." if titles else ""
    return f"The readouts don't say.{closest}"
