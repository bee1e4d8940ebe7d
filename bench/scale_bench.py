"""Dashboard and search at scale: fill a store with N synthetic report rows by bulk SQL (not
through the pipeline: only the ``reports`` and ``agency_names`` rows the dashboard, the list and
the search read, so that a million rows take minutes), then time those queries.
Target: each ≤ 300 ms at 1,000,000 reports, on SQLite and on PostgreSQL.

Times are medians of ``--repeat`` runs after a warm-up: CPU time of this process (SQLite runs
in it) and wall time (PostgreSQL runs in its server, so only wall time counts there).

Run: ``.venv/bin/python bench/scale_bench.py [--n 10000 100000 1000000] [--db URL] [--repeat 5]``
(``--db`` a PostgreSQL database URL, whose tables are dropped and filled anew; without it, a
SQLite file in a temporary folder per N; ``--keep`` times what a previous run left;
``--statistics 10 100 1000`` times the queries once after each ``ANALYZE`` at those statistics
targets, on PostgreSQL: a plan that hangs on the sample shows as a round far slower).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from nianbao.store import dashboard, queries
from nianbao.store.db import Store, connect, normalise_url, writing
from nianbao.store.rows import agency_key
from nianbao.store.schema import SCHEMA_VERSION, agency_names, meta, metadata, reports
from nianbao.store.summary import SUMMARY

TARGET_MS = 300.0
YEARS = (2020, 2021, 2022, 2023, 2024)
PROVINCES = "河北 山西 辽宁 吉林 江苏 浙江 安徽 福建 江西 山东".split()
PLACE = "甲乙丙丁戊己庚辛壬癸"  # city and county names of two of these: 甲乙市, 丙丁区
KINDS = ("人民政府", "市场监督管理局", "审计局", "街道办事处", "教育局", "卫生健康委员会", "民政局", "财政局")
BATCH = 20_000


def region_of(i: int) -> tuple[str, str, str]:
    """Province, city and county of agency ``i`` (10 × 20 × 50 counties), named so that
    ``region_chain`` reads all three levels."""
    city, county = i // 10 % 20, i // 200 % 50
    return (
        f"{PROVINCES[i % 10]}省",
        f"{PLACE[city // 10]}{PLACE[city % 10]}市",
        f"{PLACE[county // 10]}{PLACE[county % 10]}区",
    )


def agency_of(i: int) -> str:
    return "".join(region_of(i)) + f"第{i // 10_000 + 1}{KINDS[i // 10 % len(KINDS)]}"


def report_rows(n: int) -> Iterator[list[dict]]:
    """``n`` current reports: agency ``i // 5`` in each of the five years, in batches."""
    rng, now, batch = random.Random(0), datetime.now(UTC), []
    for i in range(n):
        a, year = i // len(YEARS), YEARS[i % len(YEARS)]
        name = agency_of(a)
        errors = rng.choice((0, 0, 0, 1, 2))
        row = {
            "agency": name,
            "agency_key": agency_key(name),
            "region": "".join(region_of(a)),
            "year": year,
            "edition": "2019" if year < 2021 else "2021",
            "source_file": f"{name}{year}年报.txt",
            "sha256": f"{i:064x}",
            "format": "txt",
            "version": 1,
            "is_current": True,
            "loaded_at": now,
            "n_errors": errors,
            "n_warnings": rng.choice((0, 0, 1)),
            "n_infos": rng.choice((0, 1)),
        }
        row.update({col: (float(rng.randrange(500)) if rng.random() < 0.95 else None) for col in SUMMARY})
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def fill(url: str, n: int) -> sa.Engine:
    """Insert ``n`` synthetic reports and their agencies into an emptied database before the kept
    sums and the search index exist (opening it then makes and fills them, as for a store made
    before them: filling through their triggers row by row is far slower); returns the opened store,
    analysed, and on PostgreSQL vacuumed (as autovacuum does within a minute of a bulk load: until
    then an index-only scan still visits the table)."""
    t = time.perf_counter()
    engine = sa.create_engine(normalise_url(url))
    with writing(engine) as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("DROP SCHEMA public CASCADE")
            conn.exec_driver_sql("CREATE SCHEMA public")
        metadata.create_all(conn, [t for t in metadata.sorted_tables if not t.name.endswith("_totals")])
        conn.execute(meta.insert().values(key="schema_version", value=str(SCHEMA_VERSION)))
        for batch in report_rows(n):
            conn.execute(reports.insert(), batch)
        agencies = [
            {
                "agency_key": agency_key(agency_of(a)),
                "name": agency_of(a),
                "canonical": agency_of(a),
                "canonical_key": agency_key(agency_of(a)),
                "region_path": "/" + "/".join(region_of(a)) + "/",
                "candidates": [],
                "manual": False,
            }
            for a in range(-(-n // len(YEARS)))
        ]
        for start in range(0, len(agencies), BATCH):
            conn.execute(agency_names.insert(), agencies[start : start + BATCH])
    engine = connect(url)
    Store(engine).analyze()
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM")
    print(f"filled {n:,} reports in {time.perf_counter() - t:.0f} s ({engine.dialect.name})")
    return engine


def analyze(engine: sa.Engine, target: int) -> None:
    """``ANALYZE`` the tables the queries read, sampling at ``target`` (PostgreSQL's
    ``default_statistics_target``; 100 by default, 300 rows a unit): the planner's guesses change."""
    with writing(engine) as conn:
        if conn.dialect.name != "postgresql":
            conn.exec_driver_sql("ANALYZE")
            return
        conn.exec_driver_sql(f"SET LOCAL default_statistics_target = {int(target)}")
        conn.exec_driver_sql("ANALYZE reports, agency_names")


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """(CPU ms, wall ms): medians over ``repeat`` runs after one warm-up."""
    fn()
    cpu, wall = [], []
    for _ in range(repeat):
        c, w = time.process_time(), time.perf_counter()
        fn()
        cpu.append((time.process_time() - c) * 1000)
        wall.append((time.perf_counter() - w) * 1000)
    return statistics.median(cpu), statistics.median(wall)


def checks(engine: sa.Engine) -> dict[str, Callable[[], object]]:
    province, city, county = region_of(7)
    kind = KINDS[1][:4]  # in one agency name of 8: a term that 12.5 % of the reports match
    cap = queries.CAP  # as the web list counts: up to 10,000 where no count is kept
    bureau = KINDS[1][-1]  # 局: in five kinds of agency of eight
    numbered = county[-1] + "第1"  # 区第1: agencies 第1 and 第10–第19 of each county (agency_of)
    short = city[-1] + county[0]  # 市甲: the counties named 甲…, 10 of 50 (two characters: no trigram)
    return {
        "dashboard: everything": lambda: dashboard.dashboard(engine),
        "dashboard: one year": lambda: dashboard.dashboard(engine, year=2023),
        "dashboard: one province": lambda: dashboard.dashboard(engine, region=province),
        "dashboard: one city": lambda: dashboard.dashboard(engine, region=province + city),
        "dashboard: one county": lambda: dashboard.dashboard(engine, region=province + city + county),
        "dashboard: one city + year": lambda: dashboard.dashboard(engine, region=province + city, year=2023),
        "list: first page": lambda: queries.list_reports(engine, cap=cap),
        "list: page 100": lambda: queries.list_reports(engine, offset=99 * 50, cap=cap),
        "list: province + status=error": lambda: queries.list_reports(engine, region=province, status="error", cap=cap),
        "list: city + year": lambda: queries.list_reports(engine, region=province + city, year=2023, cap=cap),
        f"search: q={kind} (12.5 %)": lambda: queries.list_reports(engine, q=kind, cap=cap),
        f"search: q={city}{county} + year": lambda: queries.list_reports(engine, q=city + county, year=2023, cap=cap),
        f"search: q={province}{city} (0.5 %)": lambda: queries.list_reports(engine, q=province + city, cap=cap),
        f"search: q={province} (10 %)": lambda: queries.list_reports(engine, q=province, cap=cap),
        "search: one agency's name (rare)": lambda: queries.list_reports(engine, q=agency_of(12_345), cap=cap),
        # terms more agencies match than search.KEYS_AT_MOST (30,000), as 局 or 人民政府 in a national store
        f"search: q={bureau} (125,000 agencies)": lambda: queries.list_reports(engine, q=bureau, cap=cap),
        f"search: q={bureau} + status=error": lambda: queries.list_reports(engine, q=bureau, status="error", cap=cap),
        f"search: q={numbered} (110,000 agencies)": lambda: queries.list_reports(engine, q=numbered, cap=cap),
        f"search: q={numbered} + year": lambda: queries.list_reports(engine, q=numbered, year=2023, cap=cap),
        f"search: q={short} (40,000) + year": lambda: queries.list_reports(engine, q=short, year=2023, cap=cap),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--db", help="a PostgreSQL URL to empty and fill; default a SQLite file per N")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--keep", action="store_true", help="time the rows a previous run left (no filling)")
    ap.add_argument("--statistics", type=int, nargs="+", help="PostgreSQL: ANALYZE at each target, then time")
    args = ap.parse_args()
    worst = 0.0
    for n in args.n:
        path = Path(tempfile.gettempdir()) / f"nianbao-scale-{n}.db"
        if not (args.db or args.keep):
            for old in path.parent.glob(path.name + "*"):
                old.unlink()
        url = args.db or f"sqlite:///{path}"
        engine = connect(url) if args.keep else fill(url, n)
        for target in args.statistics or [None]:
            if target is not None:
                analyze(engine, target)
            said = "" if target is None else f", after ANALYZE at statistics target {target}"
            print(
                f"{n:,} reports, {engine.dialect.name} (median of {args.repeat}{said}; load {os.getloadavg()[0]:.1f}):"
            )
            print(f"  {'query':40} {'CPU ms':>8} {'wall ms':>8}")
            for name, fn in checks(engine).items():
                cpu, wall = timed(fn, args.repeat)
                worst = max(worst, cpu if engine.dialect.name == "sqlite" else wall)
                print(f"  {name:40} {cpu:8.1f} {wall:8.1f}")
        engine.dispose()
    print(f"slowest: {worst:.0f} ms ({'within' if worst <= TARGET_MS else 'OVER'} the {TARGET_MS:.0f} ms target)")
    return 0 if worst <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
