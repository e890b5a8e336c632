"""Settings from keyword arguments and the environment, in one place.

Every knob a user may turn is read here, so the README's configuration table has
a single source and no other module reads ``os.environ``: a ``Settings`` object is
built once (``Settings.from_env(**overrides)``) and passed down to every stage.
The tuning knobs of retrieval and answer selection live here too, as plain
dataclasses, so an experiment or a test can override them per ``ReadoutQA``
without patching module constants.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

# Telemetry and hub look-ups must be off before chromadb, gradio or
# huggingface libraries are imported anywhere, not only in tests.
OFFLINE_ENV = {
    "ANONYMIZED_TELEMETRY": "False",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "TOKENIZERS_PARALLELISM": "false",
}


def apply_offline_env() -> None:
    """Switch off every phone-home a dependency might attempt (keeps user overrides)."""
    for key, value in OFFLINE_ENV.items():
        os.environ.setdefault(key, value)
    no_proxy = os.environ.get("NO_PROXY", "")
    if "127.0.0.1" not in no_proxy:
        os.environ["NO_PROXY"] = ",".join(p for p in (no_proxy, "127.0.0.1,localhost") if p)
        os.environ["no_proxy"] = os.environ["NO_PROXY"]


apply_offline_env()

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA_DIR = Path(os.path.expanduser("~/.local/share/readout-qa"))
DEFAULT_PROMPTS_DIR = PROJECT_ROOT / "prompts"
LOCAL_EMBED_MODEL = "all-MiniLM-L6-v2-onnx-int8"
DEFAULT_LLM_MODEL = "gpt-4.1-mini"
OPENAI_API_BASE = "https://api.openai.com/v1"
DEFAULT_MAX_FILE_MB = 10.0


# ------------------------------------------------------------------------------ tuning
@dataclass
class RetrievalConfig:
    """Weights of hybrid retrieval, chosen on the evals (README, "How an answer is made")."""

    candidates: int = 40  # chunks asked of each search
    # Up to this many chunks, dense search scores every stored vector (exact, a few ms);
    # beyond, Chroma's approximate HNSW search answers.
    exact_search_limit: int = 200_000
    # Beyond it, a filter matching up to this many chunks is searched exactly over their
    # stored vectors (gathering 20k rows of a memory-mapped table: ~10-30 ms); a broader
    # filter over-fetches an unfiltered search and keeps the chunks that pass (Chroma's
    # own filtered search scans its metadata: ~10 s at a million chunks).
    exact_filtered_limit: int = 20_000
    # Over-fetch at most this many neighbours before an exact scan of the filter's rows.
    overfetch_max: int = 16_000
    rrf_k: int = 60  # reciprocal-rank fusion constant
    dense_weight: float = 1.0
    # A third search: by meaning among the readouts about the question's countries in its
    # period, when those are few (capitals and demonyms say who: "Bangui's leader").
    who_weight: float = 0.5
    who_max_chunks: int = 400
    keyword_weight: float = 1.0
    # A readout scores its best chunk plus this share of its next two: several matching
    # chunks are evidence, but one strong chunk must still win over many weak ones.
    support_weight: float = 0.3
    support_chunks: int = 2
    name_boost: float = 0.012  # per name of the question found in the readout
    lead_boost: float = 0.011  # ... found in its title or opening lines ("at Woodside")
    lead_chars: int = 400  # what counts as a readout's opening
    country_boost: float = 0.004
    date_boost: float = 0.015  # the readout's date fits the month/year asked about
    day_boost: float = 0.030  # ... the exact day asked about
    date_penalty: float = 0.015
    max_docs: int = 5
    full_docs: int = 3  # readouts whose every chunk goes to the answerer
    passages_per_doc: int = 3


@dataclass
class ExtractiveConfig:
    """Thresholds of the offline answerer, chosen on the evals (README, "Answering")."""

    min_coverage: float = 0.3  # share of the topic's idf mass a sentence must cover
    min_dense: float = 0.55  # cosine for the paraphrase fallback
    max_sentences: int = 3
    relative_keep: float = 0.3  # extra sentences must score this share of the best
    min_gain: float = 0.15  # ... and cover this much more of the topic
    min_focus: float = 0.6  # ... including a word at least this share of the rarest one's weight
    doc_prior: float = 0.1  # preference for the best-ranked readouts
    dense_docs: int = 2
    max_dense: int = 8  # sentences embedded at most (latency; 16 gave the same answers)
    min_overlap: float = 0.01  # topic share a meaning-matched sentence must still cover
    min_sentence_chars: int = 12  # shorter "sentences" are list debris, not answers
    summary_sentences: int = 2  # opening sentences quoted when the question has no topic
    # Thesaurus alternatives for topic words the retrieved readouts never use ("pontiff"
    # -> "pope"): only words at least this rare count, at this share of the word's weight.
    # A sentence may answer by meaning alone when, compared with what the question asks
    # (its words without who and when), it is the closest sentence of the best readout
    # by at least ``min_relative_gap`` and stands ``min_relative_z`` standard deviations
    # above that readout's other sentences, at a cosine of ``min_relative_sim`` or more.
    relative_dense: bool = True
    min_relative_sim: float = 0.25
    min_relative_z: float = 1.0
    min_relative_gap: float = 0.08
    min_relative_sentences: int = 3
    max_relative_dense: int = 16  # sentences embedded at most (~4-7 ms each on 2 cores)
    alternatives: bool = True
    min_alternative_idf: float = 5.0
    alternative_factor: float = 0.8


@dataclass
class LLMSettings:
    """How to reach a chat model behind an OpenAI-compatible API."""

    model: str
    base_url: str | None  # None: OpenAI itself
    api_key: str = field(repr=False)
    timeout: float = 120.0
    temperature: float = 0.0
    max_tokens: int = 600

    @property
    def endpoint(self) -> str:
        return (self.base_url or OPENAI_API_BASE).rstrip("/")


# ------------------------------------------------------------------------------ settings
def _env(env: Mapping[str, str], name: str, default: str | None = None) -> str | None:
    value = (env.get(name) or "").strip()
    return value or default


def _positive(value: Any, name: str, kind: type = float) -> Any:
    """A positive, finite number from the environment or a keyword, or a ValueError naming it
    (an "inf" timeout would let a model hang a question for ever)."""
    try:
        number = kind(value)
    except (TypeError, ValueError, OverflowError):
        number = -1
    if isinstance(value, bool) or not 0 < number < math.inf:
        raise ValueError(f"{name} must be a positive number, got {value!r}")
    return number


# Environment variable -> (field, parser). The README's configuration table lists them.
_ENV_FIELDS: dict[str, tuple[str, Any]] = {
    "READOUT_QA_DATA_DIR": ("data_dir", lambda v: Path(v).expanduser()),
    "READOUT_QA_CHROMA_URL": ("chroma_url", str),
    "READOUT_QA_CHROMA_TOKEN": ("chroma_token", str),
    "READOUT_QA_COLLECTION": ("collection", str),
    "READOUT_QA_EMBED_MODEL": ("embed_model", str),
    "OPENAI_API_KEY": ("openai_api_key", str),
    "OPENAI_BASE_URL": ("openai_base_url", str),
    "READOUT_QA_LLM_MODEL": ("llm_model", str),
    "READOUT_QA_LLM_TIMEOUT": ("llm_timeout", lambda v: _positive(v, "READOUT_QA_LLM_TIMEOUT")),
    "READOUT_QA_PROMPTS_DIR": ("prompts_dir", lambda v: Path(v).expanduser()),
    "READOUT_QA_CHUNK_SIZE": ("chunk_size", lambda v: _positive(v, "READOUT_QA_CHUNK_SIZE", int)),
    "READOUT_QA_TOP_K": ("top_k", lambda v: _positive(v, "READOUT_QA_TOP_K", int)),
    "READOUT_QA_MAX_FILE_MB": ("max_file_mb", lambda v: _positive(v, "READOUT_QA_MAX_FILE_MB")),
    "READOUT_QA_AUTH": ("auth", str),
    "READOUT_QA_LOCAL_MODEL": ("local_model", lambda v: Path(v).expanduser()),
    "READOUT_QA_LOCAL_CONTEXT": (
        "local_context",
        lambda v: _positive(v, "READOUT_QA_LOCAL_CONTEXT", int),
    ),
}


# Numeric settings, checked the same way whether they come from the environment or a keyword.
_NUMBERS: dict[str, type] = {
    "llm_timeout": float,
    "chunk_size": int,
    "top_k": int,
    "max_file_mb": float,
    "local_context": int,
}


@dataclass
class Settings:
    """Resolved configuration: build with :meth:`from_env`, override by keyword."""

    data_dir: Path = field(default_factory=lambda: DEFAULT_DATA_DIR)
    chroma_url: str | None = None
    chroma_token: str | None = None
    collection: str = "readouts"
    embed_model: str = LOCAL_EMBED_MODEL
    openai_api_key: str | None = field(default=None, repr=False)
    openai_base_url: str | None = None
    llm_model: str = DEFAULT_LLM_MODEL
    # Seconds to wait for the model's next token, reading the prompt included: a small
    # model on 2 CPU cores reads a 2,000-token prompt in ~5-30 s.
    llm_timeout: float = 120.0
    prompts_dir: Path = field(default_factory=lambda: DEFAULT_PROMPTS_DIR)
    chunk_size: int = 160  # tokens; chosen by the evals (see README)
    top_k: int = 8
    max_file_mb: float = DEFAULT_MAX_FILE_MB
    auth: str | None = field(default=None, repr=False)  # "user:password" for the UI
    # A GGUF model answering in-process through llama.cpp (the ``local`` extra).
    local_model: Path | None = None
    # Tokens of context the local model is given: the prompt is trimmed to it less the
    # answer's 300; on 2 CPU cores a small model reads ~130 prompt tokens a second.
    local_context: int = 2048
    retrieval: RetrievalConfig = field(default_factory=RetrievalConfig)
    extractive: ExtractiveConfig = field(default_factory=ExtractiveConfig)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Defaults, then the environment, then ``overrides`` (``None`` means "not given").

        ``retrieval``/``extractive`` overrides may be config objects or dicts of fields."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for name, (key, parse) in _ENV_FIELDS.items():
            raw = _env(env, name)
            if raw is not None:
                values[key] = parse(raw)
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(overrides) - known)
        if unknown:
            raise TypeError(f"unknown setting(s): {', '.join(unknown)}")
        for key, value in overrides.items():
            if value is None:
                continue
            if key in ("retrieval", "extractive") and isinstance(value, Mapping):
                base = RetrievalConfig() if key == "retrieval" else ExtractiveConfig()
                value = replace(base, **value)
            if key in ("data_dir", "prompts_dir", "local_model"):
                value = Path(str(value)).expanduser()
            if key in _NUMBERS:
                value = _positive(value, key, _NUMBERS[key])
            values[key] = value
        return cls(**values)

    @property
    def uses_local_embeddings(self) -> bool:
        return self.embed_model == LOCAL_EMBED_MODEL

    @property
    def llm(self) -> LLMSettings | None:
        """How to reach the chat model; None when no API key is set (the product stays offline).

        Local servers that ignore keys still need ``OPENAI_API_KEY`` set to something."""
        if not self.openai_api_key:
            return None
        return LLMSettings(
            model=self.llm_model,
            base_url=self.openai_base_url,
            api_key=self.openai_api_key,
            timeout=self.llm_timeout,
        )

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)
