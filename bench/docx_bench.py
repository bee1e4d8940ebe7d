"""DOCX speed: render synthetic reports (both editions) in the official layout, then time
reading them back (``read_bytes``: unzip checks, python-docx, the grid walk) and the whole
``extract(read_bytes(...))`` (read + extract) per report, on one core. With ``../shared/seeds``
present, the five seeds (long narrative sections) are rendered and timed too.

Run: ``.venv/bin/python bench/docx_bench.py [--n 200] [--seed 0]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

from nianbao.extract import extract
from nianbao.model import Fees, Report, Source, Value
from nianbao.read import read_bytes, read_path
from nianbao.render.docx import render_docx
from nianbao.synth import synth_cells, synth_fees

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def synth_report(rng: random.Random, ed: str) -> Report:
    fees = synth_fees(rng)
    return Report(
        source=Source("synth", "0", "txt"),
        agency="某某市某某区人民政府",
        year=2020 if ed == "2019" else 2024,
        edition=ed,
        cells={p: Value(v) for p, v in synth_cells(rng, ed).items()},
        fees=Fees(fees["notices"], fees["notice_amount_yuan"], fees["collected_yuan"]),
    )


def timed(fn, items) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds per item (CPU time is the fairer number on a busy machine)."""
    wall, cpu = [], []
    for item in items:
        t, c = time.perf_counter(), time.process_time()
        fn(item)
        wall.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    return wall, cpu


def line(name: str, times: tuple[list[float], list[float]]) -> str:
    wall, cpu = times
    med, p95, cmed = statistics.median(wall), sorted(wall)[int(0.95 * (len(wall) - 1))], statistics.median(cpu)
    return (
        f"  {name:<16} median {med:6.1f} ms  p95 {p95:6.1f} ms  {1000 / med:5.1f} reports/s"
        f"   CPU median {cmed:6.1f} ms  {1000 / cmed:5.1f} reports/s"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200, help="number of synthetic reports (default 200)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    rng = random.Random(args.seed)
    reports = [synth_report(rng, "2019" if i % 4 == 3 else "2021") for i in range(args.n)]
    render_docx(reports[0])  # warm up imports
    files: list[bytes] = []
    render_ms = timed(lambda r: files.append(render_docx(r)), reports)
    read_bytes(files[0], "warm.docx")
    load = f", load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    print(f"nianbao DOCX bench: {len(files)} synthetic reports, Python {platform.python_version()}, one core{load}")
    print(f"  (DOCX files {statistics.median(len(f) for f in files) / 1024:.0f} KB median)")
    print(line("render_docx", render_ms))
    print(line("read (Document)", timed(lambda f: read_bytes(f, "r.docx"), files)))
    print(line("read + extract", timed(lambda f: extract(read_bytes(f, "r.docx")), files)))
    seeds = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    if seeds:
        docs = [render_docx(extract(read_path(p))) for p in seeds] * 10
        print(f"  the {len(seeds)} seeds as DOCX (full narrative text), each 10 times:")
        print(line("read + extract", timed(lambda f: extract(read_bytes(f, "s.docx")), docs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
