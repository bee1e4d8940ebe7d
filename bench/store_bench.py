"""Store speed: write N synthetic text reports (bench/corpus.py: N / 5 agencies in 50 regions × 5
years, every text layout), ingest them with all cores, then time the queries the web app and the
exports run. Targets: every list/dashboard query ≤ 300 ms at 10,000 reports. On SQLite it then
prints the bytes the store takes per report, by table and by index (``dbstat``; issue 12: ≤ 10 KB
per text report).

The cross-report rules are timed as ``nianbao ingest`` runs them after a load
(``pipeline.ingest.cross_findings``: the lean load, corrections, canonical names, the rules; not
stored), over every current report, or the first ``--cross-n``.

Run: ``.venv/bin/python bench/store_bench.py [--n 10000] [--workers N] [--db URL] [--keep DIR]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from nianbao.analysis import stored
from nianbao.pipeline.ingest import cross_findings, ingest
from nianbao.store import dashboard, exports, queries
from nianbao.store.db import Store, connect

sys.path.insert(0, str(Path(__file__).parent))
from corpus import Plan, write_corpus  # noqa: E402

TARGET_MS = 300.0


def timed(fn: Callable[[], object], repeat: int = 5) -> tuple[float, float]:
    """(median, max) wall time in ms over ``repeat`` runs after one warm-up."""
    fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), max(times)


def load(store: Store, files: list[Path], workers: int) -> None:
    t = time.perf_counter()
    s = ingest(files, store, workers=workers, cross=False)
    took = time.perf_counter() - t
    print(
        f"ingest: {s.readable} reports in {took:.1f} s = {s.readable / took:.1f} reports/s "
        f"({workers} workers, {platform.python_implementation()} {platform.python_version()}, "
        f"{store.engine.dialect.name}); unreadable {len(s.unreadable)}"
    )
    t = time.perf_counter()
    again = ingest(files, store, workers=workers, cross=False)
    print(f"second run (all unchanged, skipped by sha256): {again.unchanged} in {time.perf_counter() - t:.1f} s")


def sizes(db: Path) -> None:
    """KB per report of each table and of each index (SQLite's ``dbstat``): all its pages, and
    what of them is payload and unused."""
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        n = conn.execute("SELECT count(*) FROM reports").fetchone()[0]
        rows = conn.execute(
            "SELECT d.name, coalesce(m.type, 'table'), sum(pgsize), sum(payload), sum(unused) FROM dbstat d "
            "LEFT JOIN sqlite_master m ON m.name = d.name GROUP BY 1, 2 ORDER BY 3 DESC"
        ).fetchall()
    total = db.stat().st_size
    print(
        f"store: {total / 1e6:.1f} MB for {n} reports = {total / n / 1024:.2f} KB per report; by b-tree, KB per report:"
    )
    for name, kind, size, payload, unused in rows:
        if size / n >= 50:  # the rest: small indexes, empty tables and the schema, a page or two each
            print(
                f"  {name:<32} {kind:<5} {size / n / 1024:5.2f} (payload {payload / n / 1024:5.2f}, unused {unused / n / 1024:5.2f})"
            )
    rest = sum(size for _, _, size, _, _ in rows if size / n < 50)
    print(f"  {'the rest':<32} {'':<5} {rest / n / 1024:5.2f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000, help="reports to generate (a multiple of 5)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--db", help="database URL (default: a SQLite file in the work folder)")
    ap.add_argument("--keep", type=Path, help="work folder to keep (reports are generated once and reused)")
    ap.add_argument("--cross-n", type=int, default=0, help="reports to time the cross-report rules on (0: all)")
    ap.add_argument("--queries-only", action="store_true", help="time the queries on the database a --keep run left")
    args = ap.parse_args()

    work = args.keep or Path(tempfile.mkdtemp(prefix="nianbao-bench-"))
    reports_dir = work / "reports"
    try:
        if not reports_dir.exists() or len(list(reports_dir.iterdir())) < args.n:
            t = time.perf_counter()
            write_corpus(reports_dir, Plan(args.n), args.workers)
            print(f"generated {args.n} reports in {time.perf_counter() - t:.1f} s")
        url = args.db or f"sqlite:///{work / 'bench.db'}"
        if url.startswith("sqlite") and not args.queries_only:
            for f in work.glob("bench.db*"):
                f.unlink()
        engine = connect(url)
        store = Store(engine)
        if args.queries_only:  # the statistics an ingest leaves behind
            t = time.perf_counter()
            store.analyze()
            print(f"ANALYZE: {time.perf_counter() - t:.1f} s")
        else:
            load(store, sorted(reports_dir.iterdir())[: args.n], args.workers)

        ids = [r["id"] for r in queries.list_reports(engine, limit=max(args.cross_n, 2))[0]]
        t, cpu = time.perf_counter(), time.process_time()
        cross = cross_findings(store, ids if args.cross_n else None)
        over = f"the first {len(ids)}" if args.cross_n else "every current"
        print(
            f"cross-report rules as ingest runs them, over {over} report: "
            f"{len(cross)} findings in {time.perf_counter() - t:.1f} s ({time.process_time() - cpu:.1f} s CPU)"
        )

        first = queries.list_reports(engine, limit=1)[0][0]
        agency = first["agency"]
        region = first["region"]
        checks: list[tuple[str, Callable[[], object]]] = [
            ("list_reports: first page, no filter", lambda: queries.list_reports(engine)),
            ("list_reports: page 100", lambda: queries.list_reports(engine, offset=99 * 50)),
            ("list_reports: year + status=error", lambda: queries.list_reports(engine, year=2023, status="error")),
            ("list_reports: search q", lambda: queries.list_reports(engine, q="第7市")),
            ("list_reports: region", lambda: queries.list_reports(engine, region=region)),
            ("dashboard: everything", lambda: dashboard.dashboard(engine)),
            ("dashboard: one year", lambda: dashboard.dashboard(engine, year=2023)),
            ("dashboard: one region", lambda: dashboard.dashboard(engine, region=region)),
            ("get_report", lambda: queries.get_report(engine, first["id"])),
            ("agency_reports (5 years)", lambda: queries.agency_reports(engine, agency)),
            ("compare two reports", lambda: queries.compare(engine, ids[0], ids[1])),
            ("regions + years", lambda: (queries.regions(engine), queries.years(engine))),
        ]
        # not under the target: it builds a row for every current report in Python (the matrix, peers)
        whole = ("one cell of every report (matrix)", lambda: stored.current(engine, ("table3.new_received.total",)))
        worst = 0.0
        total = queries.list_reports(engine, limit=1)[1]
        print(
            f"queries over {total} current reports (median / max of 5 runs, ms; load average {os.getloadavg()[0]:.1f}):"
        )
        for name, fn in [*checks, whole]:
            med, top = timed(fn)
            print(f"  {name:<40} {med:7.1f} / {top:7.1f}{' (no target)' if name == whole[0] else ''}")
            if name != whole[0]:
                worst = max(worst, top)
        t = time.perf_counter()
        n, size = exports.count(engine, year=2023), sum(map(len, exports.stream(engine, "xlsx", year=2023)))
        print(f"export XLSX of {n} reports (one year): {time.perf_counter() - t:.1f} s, {size // 1024} KB")
        if url.startswith("sqlite"):
            sizes(Path(engine.url.database))
        ok = worst <= TARGET_MS
        print(f"slowest query {worst:.1f} ms: {'within' if ok else 'OVER'} the {TARGET_MS:.0f} ms target")
        return 0 if ok else 1
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
