"""readout-qa: cited question answering over diplomatic readouts, offline by default."""

from . import config as _config  # noqa: F401  (switches telemetry off before anything else)
from .api import ReadoutQA
from .models import Answer, Citation, Filters, IngestReport, Readout

__all__ = ["Answer", "Citation", "Filters", "IngestReport", "ReadoutQA", "Readout"]
__version__ = "0.1.0"
