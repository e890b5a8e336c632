"""Serving the UI: one ``Settings``, a login, an index seeded when empty, and launch.

``readout-qa serve`` and ``python app.py`` both end here, through the one ``serve``
command of ``readout_qa.cli``. Telemetry is already off (``readout_qa.config`` runs before
Gradio is imported); the server binds to loopback unless told otherwise and warns when
it is reachable from the network without a password, because anyone who reaches it can
read the readouts and add files.
"""

from __future__ import annotations

import ipaddress
import sys
from pathlib import Path

from ..api import ReadoutQA
from ..config import PROJECT_ROOT, Settings
from ..models import IngestReport
from .layout import build_app, launch_options

__all__ = ["default_corpus", "parse_auth", "seed_if_empty", "serve"]


def _is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def parse_auth(auth: str | None) -> tuple[str, str] | None:
    """``"user:password"`` -> ``(user, password)``; ``None``/empty -> ``None``."""
    if not auth:
        return None
    user, sep, password = auth.partition(":")
    if not sep or not user or not password:
        raise ValueError("auth must look like 'user:password'")
    return user, password


def default_corpus() -> list[Path]:
    """The bundled corpus (the seed and the sample), when running from a checkout."""
    folder = PROJECT_ROOT / "corpus"
    return [folder] if folder.is_dir() else []


def seed_if_empty(qa: ReadoutQA, corpus: list[Path]) -> IngestReport | None:
    """Ingest ``corpus`` into an empty index, printing progress; ``None`` (at once) when the
    index already holds readouts, whatever they are: a user who built it from their own
    folder does not get the sample back."""
    if not corpus or qa.stats()["readouts"] > 0:
        return None
    took = " (15–30 s on 2 cores)" if corpus == default_corpus() else ""
    print(
        f"First start: the index at {qa.data_dir} is empty; ingesting "
        f"{', '.join(map(str, corpus))} once{took}; later starts skip this …",
        flush=True,
    )

    def show(done: int, total: int, doc_id: str) -> None:
        print(f"  {done}/{total} readouts embedded ({doc_id})", flush=True)

    report = qa.ingest(corpus, progress=show)
    print(
        f"Indexed {len(report.added)} readouts ({report.chunks_added} passages) "
        f"in {report.seconds:.1f} s"
        + (f"; {len(report.failed)} files failed" if report.failed else ""),
        flush=True,
    )
    for err in report.failed:
        print(f"  failed: {err.path}: {err.reason}", file=sys.stderr)
    return report


def serve(
    host: str = "127.0.0.1",
    port: int = 7860,
    data_dir: str | Path | None = None,
    corpus: list[Path] | None = None,
    auth: str | None = None,
    answerer: str | None = None,
    local_model: Path | None = None,
) -> None:
    """Open the index (seeding an empty one from ``corpus``) and serve the UI until stopped.

    ``data_dir`` and ``auth`` override ``READOUT_QA_DATA_DIR``/``READOUT_QA_AUTH`` in the
    one ``Settings`` the whole app then uses; a malformed login raises ``ValueError``
    before anything is opened."""
    settings = Settings.from_env(data_dir=data_dir, auth=auth, local_model=local_model)
    credentials = parse_auth(settings.auth)
    if not _is_loopback(host) and credentials is None:
        print(
            f"WARNING: serving on {host} without a password: anyone who can reach port {port} "
            "can read the readouts and add files. Set --auth user:password or READOUT_QA_AUTH.",
            file=sys.stderr,
        )
    qa = ReadoutQA(settings=settings, answerer=answerer)
    corpus = [Path(p) for p in corpus] if corpus else default_corpus()
    seed_if_empty(qa, corpus)
    app = build_app(qa, corpus=corpus)
    print(f"Answerer: {qa.answerer_name}. Open http://{host}:{port}/ (Ctrl+C to stop).")
    app.queue(default_concurrency_limit=1).launch(
        server_name=host,
        server_port=port,
        auth=credentials,
        quiet=True,
        **launch_options(qa),
    )
