"""Ingest speed, memory and store size: ingest a synthetic corpus (bench/corpus.py) into a fresh
SQLite store with 1 and with 2 workers, each run in its own process, and report reports/s (wall),
the CPU milliseconds per report of the writing process and of a worker (``_work`` timed in this
process on the first 100 files), the writer's peak RSS, and the bytes the store takes per report
(file size and, by table, SQLite's ``dbstat``). On a busy machine wall times say little: the
speed-up two workers can reach on two cores is 2·worker / (worker + writer) CPU per report.

Run: ``.venv/bin/python bench/ingest_bench.py [--n 1000] [--workers 1,2] [--repeat 3] [--formats txt]
[--keep DIR]``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from corpus import Plan, write_corpus  # noqa: E402


def run_once(folder: Path, db: Path, workers: int) -> dict:
    """One ingest, in this process (the writer); the figures as a dict."""
    from nianbao.pipeline.ingest import ingest
    from nianbao.store.db import Store, connect

    store = Store(connect(f"sqlite:///{db}"))
    t, c = time.perf_counter(), time.process_time()
    s = ingest([folder], store, workers=workers, cross=False)
    wall, cpu = time.perf_counter() - t, time.process_time() - c
    store.engine.dispose()
    return {
        "reports": s.readable,
        "unreadable": len(s.unreadable),
        "wall": wall,
        "writer_cpu": cpu,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def worker_cpu(folder: Path, n: int = 100) -> float:
    """Median CPU seconds of one file through a worker's task (read, extract, check, rows)."""
    from nianbao.pipeline.ingest import _work

    files = sorted(folder.iterdir())[:n]
    for f in files[:5]:
        _work(str(f))
    times = []
    for f in files:
        c = time.process_time()
        _work(str(f))
        times.append(time.process_time() - c)
    return statistics.median(times)


def measure(folder: Path, work: Path, workers: int) -> dict:
    db = work / f"w{workers}.db"
    for f in work.glob(f"w{workers}.db*"):
        f.unlink()
    code = f"import json, sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); import ingest_bench as b; "
    code += (
        f"from pathlib import Path; print(json.dumps(b.run_once(Path({str(folder)!r}), Path({str(db)!r}), {workers})))"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1]) | {"db": str(db)}


def sizes(db: Path) -> dict[str, int]:
    """Bytes per table (with its indexes) by SQLite's dbstat, largest first."""
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        rows = conn.execute(
            "SELECT coalesce(m.tbl_name, d.name), sum(d.pgsize) FROM dbstat d "
            "LEFT JOIN sqlite_master m ON m.name = d.name GROUP BY 1 ORDER BY 2 DESC"
        ).fetchall()
    return dict(rows)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--formats", default="txt")
    ap.add_argument("--keep", type=Path, help="work folder to keep (the corpus is written once and reused)")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="nianbao-ingest-"))
    folder = work / f"corpus-{args.n}-{args.formats.replace(',', '_')}"
    try:
        if not folder.exists():
            write_corpus(folder, Plan(args.n, tuple(args.formats.split(","))))
        print(f"{args.n} reports ({args.formats}); load average {os.getloadavg()[0]:.1f}; median of {args.repeat}")
        last: dict = {}
        read = 1000 * worker_cpu(folder)
        print(f"  a worker's CPU per report: {read:.2f} ms (median)")
        for workers in map(int, args.workers.split(",")):
            runs = [measure(folder, work, workers) for _ in range(args.repeat)]
            med = {k: statistics.median(r[k] for r in runs) for k in ("wall", "writer_cpu", "rss_mb")}
            n = runs[0]["reports"]
            write = 1000 * med["writer_cpu"] / n
            print(
                f"  {workers} worker(s): {n / med['wall']:6.1f} reports/s wall; writer CPU {write:5.2f} ms per report "
                f"(2 workers on 2 cores can reach {2 * read / (read + write):.2f}×); writer peak RSS "
                f"{med['rss_mb']:.0f} MB; unreadable {runs[0]['unreadable']}"
            )
            last = runs[-1]
        db = Path(last["db"])
        by_table = sizes(db)
        total = db.stat().st_size
        print(f"  store: {total / 1e6:.1f} MB = {total / last['reports'] / 1024:.1f} KB per report")
        for table, size in by_table.items():
            print(f"    {table:<16} {size / last['reports'] / 1024:6.2f} KB per report")
        return 0
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
