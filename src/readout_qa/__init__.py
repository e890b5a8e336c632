"""readout-qa: cited question answering over diplomatic readouts, offline by default."""

from typing import TYPE_CHECKING, Any

from . import config as _config  # noqa: F401  (switches telemetry off before anything else)
from .models import Answer, Citation, Contact, Filters, IngestReport, Readout

if TYPE_CHECKING:  # pragma: no cover
    from .api import ReadoutQA


def __getattr__(name: str) -> Any:
    """``ReadoutQA`` is imported on first use: it pulls in llama-index, Chroma and ONNX
    Runtime (~1 s), which ``readout-qa --help`` or ``stats`` need not pay for up front."""
    if name == "ReadoutQA":
        from .api import ReadoutQA

        return ReadoutQA
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["Answer", "Citation", "Contact", "Filters", "IngestReport", "ReadoutQA", "Readout"]
__version__ = "0.1.0"
