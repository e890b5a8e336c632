"""Wall time of an unchanged re-ingest and of ``readout-qa --help``, run several times.

Over an index that already holds the corpora (``_common.open_index``, or ``--data-dir``):

1. ``readout-qa --help`` as a fresh process, ``--runs`` times;
2. ``readout-qa ingest <corpora>`` as a fresh process: once without the manifest (the path
   an index written by an older version takes: Chroma opened, every record and chunk
   count read; it writes the manifest), then ``--runs`` times with it (no Chroma, no
   model, no llama-index);
3. ``ReadoutQA.ingest`` again in a warm process, ``--runs`` times.

Every run must report the whole corpus unchanged. Medians and every run go to
``results/reingest.json``/``.md``.

    python benchmarks/reingest.py [folders...] [--data-dir DIR] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as C  # noqa: E402

TARGET_CLI_S = 1.5
TARGET_HELP_S = 0.5


def _cli(args: list[str]) -> tuple[float, str]:
    env = {**os.environ, "PYTHONPATH": str(C.REPO / "src")}
    t = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "readout_qa.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=C.REPO,
        check=False,
    )
    wall = time.perf_counter() - t
    if done.returncode not in (0, 1):  # 1: some files failed, the rest is reported
        raise RuntimeError(f"readout-qa {args[0]} exited {done.returncode}: {done.stderr[-2000:]}")
    return wall, done.stdout


def _unchanged(out: str) -> int:
    for line in out.splitlines():
        if "unchanged" in line:
            return int(line.split("│")[2].strip())
    raise RuntimeError(f"no 'unchanged' row in:\n{out}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    C.corpus_args(parser)
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    paths = C.corpus_paths(args)
    qa, index_info = C.open_index(paths, args.data_dir)
    data_dir = Path(qa.data_dir)
    n_readouts = len(qa.store.doc_records())
    load_start = [round(x, 2) for x in os.getloadavg()]
    corpora = [str(p) for p in paths]

    helps = [_cli(["--help"])[0] for _ in range(args.runs)]
    (data_dir / "manifest.json").unlink(missing_ok=True)
    without, out = _cli(["ingest", *corpora, "--data-dir", str(data_dir)])
    assert _unchanged(out) == n_readouts, out
    with_manifest = []
    for _ in range(args.runs):
        wall, out = _cli(["ingest", *corpora, "--data-dir", str(data_dir)])
        assert _unchanged(out) == n_readouts, out
        with_manifest.append(wall)
    in_process = []
    for _ in range(args.runs):
        t = time.perf_counter()
        report = qa.ingest(paths)
        in_process.append(time.perf_counter() - t)
        assert len(report.unchanged) == n_readouts and not report.added and not report.updated

    def med(xs: list[float]) -> float:
        return round(statistics.median(xs), 3)

    data: dict[str, Any] = {
        "index": index_info,
        "readouts": n_readouts,
        "loadavg_at_start": load_start,
        "help_s": {"median": med(helps), "runs": [round(x, 3) for x in helps]},
        "cli_ingest_without_manifest_s": round(without, 3),
        "cli_ingest_s": {
            "median": med(with_manifest),
            "runs": [round(x, 3) for x in with_manifest],
        },
        "in_process_s": {"median": med(in_process), "runs": [round(x, 3) for x in in_process]},
        "targets": {"cli_ingest_s": TARGET_CLI_S, "help_s": TARGET_HELP_S},
    }
    rows = [
        ["`readout-qa --help`", med(helps), ", ".join(f"{x:.2f}" for x in helps)],
        ["`readout-qa ingest`, no manifest yet (writes it)", round(without, 3), ""],
        [
            "`readout-qa ingest`, unchanged corpus",
            med(with_manifest),
            ", ".join(f"{x:.2f}" for x in with_manifest),
        ],
        [
            "`ReadoutQA.ingest` again, warm process",
            med(in_process),
            ", ".join(f"{x:.2f}" for x in in_process),
        ],
    ]
    md = (
        f"{n_readouts} readouts unchanged, index {data_dir}. Load average at start {load_start}."
        f"\nTargets: CLI <= {TARGET_CLI_S} s, `--help` <= {TARGET_HELP_S} s.\n\n"
        + C.md_table(["seconds (wall)", "median", "runs"], rows)
        + "\n"
    )
    C.write_results("reingest", data, md)
    print(md)


if __name__ == "__main__":
    main()
