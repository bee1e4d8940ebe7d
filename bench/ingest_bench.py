"""Ingest speed, memory and store size: ingest a synthetic corpus (bench/corpus.py) into a fresh
SQLite store with 1 and with 2 workers, each run in its own process, and report reports/s (wall),
the CPU milliseconds per report of the process running ``ingest`` (the parent: it hashes the
files and hands them out; before 2026-12-03 it also wrote every report) and of the workers
(reading and saving; their CPU time read from ``/proc`` as the pool closes), the parent's peak
RSS, and the bytes the store takes per report (file size and, by table, SQLite's ``dbstat``). On
a busy machine wall times say little: the speed-up two workers can reach on two cores is
2·worker / (worker + parent) CPU per report. With ``--cores`` each run is pinned to as many CPUs
as it has workers (``--workers`` defaults to one per core), so this measures what a second core
gives, up to 2×.

Run: ``.venv/bin/python bench/ingest_bench.py [--n 1000] [--workers 1,2] [--repeat 3] [--formats txt]
[--keep DIR] [--reference SRC] [--cores]``; with ``--reference`` (a source tree, e.g. a ``git worktree`` of an
older commit) each run is made with that code and with this one, interleaved.
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


def _cpu_of(pid: int) -> float:
    """CPU seconds (user + system) the process ``pid`` has used, 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_once(folder: Path, db: Path, workers: int) -> dict:
    """One ingest, in this process (the parent); the figures as a dict."""
    from nianbao.pipeline.ingest import ingest
    from nianbao.pipeline.workers import Workers
    from nianbao.store.db import Store, connect

    spent = [0.0]
    close = Workers.close

    def close_counting(self: Workers) -> None:
        spent[0] += sum(map(_cpu_of, self.pids()))
        close(self)

    Workers.close = close_counting  # type: ignore[method-assign]
    store = Store(connect(f"sqlite:///{db}"))
    t, c = time.perf_counter(), time.process_time()
    s = ingest([folder], store, workers=workers, cross=False)
    wall, cpu = time.perf_counter() - t, time.process_time() - c
    store.engine.dispose()
    return {
        "reports": s.readable,
        "unreadable": len(s.unreadable),
        "wall": wall,
        "parent_cpu": cpu,
        "worker_cpu": spent[0],
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def measure(folder: Path, work: Path, workers: int, src: str = "", cores: int = 0) -> dict:
    """One ingest in a new process, with the code in ``src`` (this tree when empty), pinned to the
    first ``cores`` CPUs when given (the workers it starts are pinned with it)."""
    db = work / f"w{workers}.db"
    for f in work.glob(f"w{workers}.db*"):
        f.unlink()
    code = f"import json, sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); import ingest_bench as b; "
    code += (
        f"from pathlib import Path; print(json.dumps(b.run_once(Path({str(folder)!r}), Path({str(db)!r}), {workers})))"
    )
    env = os.environ | ({"PYTHONPATH": str(Path(src) / "src")} if src else {})
    pin = (lambda: os.sched_setaffinity(0, range(cores))) if cores else None
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, env=env, preexec_fn=pin
    ).stdout
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
    ap.add_argument("--reference", default="", help="a source tree to measure too, interleaved (e.g. the old code)")
    ap.add_argument(
        "--cores",
        action="store_true",
        help="pin each run to as many CPUs as it has workers: what a machine with that many cores gets",
    )
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="nianbao-ingest-"))
    folder = work / f"corpus-{args.n}-{args.formats.replace(',', '_')}"
    try:
        if not folder.exists():
            write_corpus(folder, Plan(args.n, tuple(args.formats.split(","))))
        pinned = "; each run pinned to as many CPUs as workers" if args.cores else ""
        print(
            f"{args.n} reports ({args.formats}); load average {os.getloadavg()[0]:.1f}; median of {args.repeat}{pinned}"
        )
        last: dict = {}
        walls: dict[str, list[float]] = {}
        trees = {"reference": args.reference, "this": ""} if args.reference else {"this": ""}
        for workers in map(int, args.workers.split(",")):
            runs: dict[str, list[dict]] = {name: [] for name in trees}
            for _ in range(args.repeat):
                for name, src in trees.items():
                    runs[name].append(measure(folder, work, workers, src, workers if args.cores else 0))
            for name, got in runs.items():
                med = {k: statistics.median(r[k] for r in got) for k in ("wall", "parent_cpu", "worker_cpu", "rss_mb")}
                n = got[0]["reports"]
                parent, read = (1000 * med[k] / n for k in ("parent_cpu", "worker_cpu"))
                walls.setdefault(name, []).append(n / med["wall"])
                print(
                    f"  {name:>9} {workers} worker(s): {n / med['wall']:6.1f} reports/s wall; CPU per report: "
                    f"parent {parent:5.2f} ms, workers {read:5.2f} ms (2 workers on 2 cores can reach "
                    f"{2 * read / (read + parent):.2f}×); parent peak RSS {med['rss_mb']:.0f} MB; "
                    f"unreadable {got[0]['unreadable']}; load {os.getloadavg()[0]:.1f}"
                )
            last = runs["this"][-1]
        for name, rates in walls.items():
            if len(rates) > 1:
                print(f"  {name:>9} wall speed-up, last vs first worker count: {rates[-1] / rates[0]:.2f}×")
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
