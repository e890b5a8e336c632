"""Settings from keyword arguments and the environment, in one place.

Every knob a user may turn is read here so the README's configuration table
has a single source, and so no other module reads ``os.environ`` itself.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

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
LOCAL_EMBED_MODEL = "all-MiniLM-L6-v2-onnx-int8"


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


@dataclass
class Settings:
    """Resolved configuration; build with :meth:`from_env` and override by keyword."""

    data_dir: Path = field(default_factory=lambda: DEFAULT_DATA_DIR)
    chroma_url: str | None = None
    chroma_token: str | None = None
    collection: str = "readouts"
    embed_model: str = LOCAL_EMBED_MODEL
    openai_api_key: str | None = None
    openai_base_url: str | None = None
    llm_model: str | None = None
    chunk_size: int = 160  # tokens; chosen by the evals (see README)
    top_k: int = 8

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        values: dict[str, object] = {
            "data_dir": Path(_env("READOUT_QA_DATA_DIR", str(DEFAULT_DATA_DIR))).expanduser(),
            "chroma_url": _env("READOUT_QA_CHROMA_URL"),
            "chroma_token": _env("READOUT_QA_CHROMA_TOKEN"),
            "collection": _env("READOUT_QA_COLLECTION", "readouts"),
            "embed_model": _env("READOUT_QA_EMBED_MODEL", LOCAL_EMBED_MODEL),
            "openai_api_key": _env("OPENAI_API_KEY"),
            "openai_base_url": _env("OPENAI_BASE_URL"),
            "llm_model": _env("READOUT_QA_LLM_MODEL"),
            "chunk_size": int(_env("READOUT_QA_CHUNK_SIZE", "160")),
            "top_k": int(_env("READOUT_QA_TOP_K", "8")),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        if not isinstance(values["data_dir"], Path):
            values["data_dir"] = Path(str(values["data_dir"])).expanduser()
        return cls(**values)  # type: ignore[arg-type]

    @property
    def uses_local_embeddings(self) -> bool:
        return self.embed_model == LOCAL_EMBED_MODEL
