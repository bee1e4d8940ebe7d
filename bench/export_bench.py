"""Export speed and memory: N synthetic stored reports (both editions, a few findings each)
exported as XLSX, CSV long, CSV wide, JSON Lines and JSON through ``store.exports.stream``;
reports per second of CPU time (and of wall time: the machine is shared) and the process's peak
RSS (and the peak before the export, once everything is imported and warm), each export in a
fresh process; ``--reference SRC`` runs every export with that source tree too (e.g. a
``git worktree`` of an older commit), interleaved. Target (issue 12):
100,000 reports in under a minute, memory flat in the number of reports.

Run: ``.venv/bin/python bench/export_bench.py [--n 2000 10000] [--db URL] [--reference DIR/src]``
(a ``--db`` that already holds N reports is used as it is).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from nianbao.model import Diagnostic, Value
from nianbao.pipeline import process
from nianbao.store.db import Store, connect
from nianbao.store.rows import prepare
from nianbao.synth import LAYOUTS, synth_cells, synth_report_text

KINDS = ("xlsx", "csv", "wide.csv", "jsonl", "json")
YEARS = (2020, 2021, 2022, 2023, 2024)


def _base(edition: str) -> object:
    rng = random.Random(edition)
    text = synth_report_text(synth_cells(rng, edition), edition, LAYOUTS[0], "某省某市某局", 2023, rng)
    return process(text.encode("utf-8"), "base.txt").report


def fill(url: str, start: int, stop: int) -> float:
    """Stores reports ``start``..``stop`` (agency i // 5, year i % 5); returns the seconds taken."""
    store = Store(connect(url))
    bases = {ed: _base(ed) for ed in ("2019", "2021")}
    t = time.perf_counter()
    for i in range(start, stop):
        year = YEARS[i % len(YEARS)]
        ed = "2019" if year < 2021 else "2021"
        rng = random.Random(i)
        base = bases[ed]
        cells = {p: Value(v, str(v)) for p, v in synth_cells(rng, ed).items()}
        agency = f"某省第{i // 500 + 1}市第{i // 5 + 1}局"
        report = dataclasses.replace(
            base,
            agency=agency,
            region=f"某省第{i // 500 + 1}市",
            year=year,
            cells=cells,
            source=dataclasses.replace(base.source, file=f"{i:06d}.txt", sha256=f"{i:064x}"),
        )
        found = [Diagnostic("T3-BALANCE", "error", f"第{i}份：合计不符", ("table3.total_processed.total",))] * (i % 3)
        store.save_prepared(prepare(report, found))
    return time.perf_counter() - t


def child(url: str, kind: str) -> None:
    """One export in this process: prints seconds (wall, CPU), bytes and the peak RSS (MB)."""
    from nianbao.store import exports

    engine = connect(url)
    n = exports.count(engine)
    list(exports.stream(engine, kind, year=-1))  # imports and connections warm, nothing exported
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t, cpu = time.perf_counter(), time.process_time()
    size = sum(len(piece) for piece in exports.stream(engine, kind))
    took, cpu = time.perf_counter() - t, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {"n": n, "seconds": took, "cpu": cpu, "bytes": size, "rss_mb": peak / 1024, "before_mb": before / 1024}
        )
    )


def measure(url: str, kind: str, src: str | None) -> dict:
    """One export in a fresh process, with the code of ``src`` (None: this checkout's)."""
    env = {**os.environ, "PYTHONPATH": src} if src else None
    out = subprocess.run(
        [sys.executable, __file__, "--child", url, kind], capture_output=True, text=True, check=True, env=env
    )
    return json.loads(out.stdout)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, nargs="+", default=[2000, 10000], help="report counts to measure at")
    ap.add_argument("--db", help="database URL (default: a new SQLite file)")
    ap.add_argument("--reference", metavar="SRC", help="also run each export with this source tree, interleaved")
    ap.add_argument("--child", nargs=2, metavar=("URL", "KIND"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return 0
    url = args.db or f"sqlite:///{Path(tempfile.mkdtemp(prefix='nianbao-export-bench-')) / 'bench.db'}"
    from nianbao.store import exports

    stored = exports.count(connect(url))
    print(f"<!-- load average {os.getloadavg()[0]:.1f} -->")
    print("| reports | export | code | CPU s | reports/s (CPU) | wall s | size | peak RSS (before) |")
    print("|---:|---|---|---:|---:|---:|---:|---:|")
    for n in sorted(args.n):
        if n > stored:
            took = fill(url, stored, n)
            print(f"<!-- stored {n - stored} reports in {took:.0f} s -->", file=sys.stderr)
            stored = n
        for kind in KINDS:
            for code, src in [("reference", args.reference)] * bool(args.reference) + [("this", None)]:
                r = measure(url, kind, src)
                print(
                    f"| {r['n']:,} | {kind} | {code} | {r['cpu']:.1f} | {r['n'] / r['cpu']:,.0f} | "
                    f"{r['seconds']:.1f} | {r['bytes'] / 2**20:.1f} MB | {r['rss_mb']:.0f} MB ({r['before_mb']:.0f}) |",
                    flush=True,
                )
    print(f"<!-- load average {os.getloadavg()[0]:.1f} -->")
    return 0


if __name__ == "__main__":
    sys.exit(main())
