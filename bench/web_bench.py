"""Web page times: fill a fresh SQLite store with N generated reports (many agencies, five
years, both editions), then time every page of the web app in process (TestClient: routing,
queries, templates; no network). Prints the median and worst of a few requests per page.
Target: ≤ 300 ms per page at 10,000 reports.

Run: ``.venv/bin/python bench/web_bench.py [--n 10000] [--repeat 5] [--db sqlite:///…/bench.db]``.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from nianbao.check import check_report
from nianbao.model import Location, Report, Section, Source, Value
from nianbao.store.db import Store, connect
from nianbao.store.rows import agency_key
from nianbao.synth import synth_cells
from nianbao.template import SECTIONS, cell_paths, edition
from nianbao.web.app import create_app

TARGET_MS = 300
YEARS = (2020, 2021, 2022, 2023, 2024)
REGIONS = ("北京市西城区", "北京市东城区", "上海市徐汇区", "广州市海珠区", "陕西省西咸新区")


def report(i: int, rng: random.Random) -> Report:
    year = YEARS[i % len(YEARS)]
    ed = "2019" if year < 2021 else "2021"
    region = REGIONS[(i // len(YEARS)) % len(REGIONS)]
    agency = f"{region}第{i // len(YEARS)}局"
    values = synth_cells(rng, ed)
    if i % 7 == 0:
        values["table3.carried_forward.total"] = (values["table3.carried_forward.total"] or 0) + 1
    cells = {
        p: Value(values.get(p), str(values.get(p) or ""), Location(line=50 + n))
        for n, p in enumerate(cell_paths(edition(ed)))
    }
    sections = {
        s.key: Section(s.key, f"{s.number}、{s.title}", f"{agency}{s.title}。", Location(line=n))
        for n, s in enumerate(SECTIONS)
    }
    digest = hashlib.sha256(f"{i}".encode()).hexdigest()
    return Report(
        Source(f"{agency}-{year}.txt", digest, "txt"), agency, region, year, ed, cells=cells, sections=sections
    )


def fill(url: str, n: int) -> None:
    store, rng = Store(connect(url)), random.Random(0)
    t = time.perf_counter()
    for i in range(n):
        r = report(i, rng)
        store.save(r, check_report(r))
    print(f"filled {n} reports in {time.perf_counter() - t:.1f} s")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--db", help="reuse a store this script filled before (skips the filling)")
    args = ap.parse_args()
    url = args.db or f"sqlite:///{Path(tempfile.mkdtemp(prefix='nianbao-web-')) / 'bench.db'}"
    if not args.db:
        fill(url, args.n)
    client = TestClient(create_app(url), base_url="http://localhost")
    agency = agency_key(f"{REGIONS[0]}第0局")
    pages = {
        "报告列表 /reports": "/reports",
        "列表筛选 /reports?status=error&year=2024": "/reports?status=error&year=2024",
        "列表搜索 /reports?q=第12局": "/reports?q=第12局",
        "报告页 /reports/{id}": "/reports/7",
        "报告 JSON /api/reports/{id}": "/api/reports/7",
        "机关页 /agencies/{key}": f"/agencies/{agency}",
        "逐格比较 /compare?a=1&b=6": "/compare?a=1&b=6",
        "仪表盘 /dashboard": "/dashboard",
        "仪表盘筛选 /dashboard?region=…": f"/dashboard?region={REGIONS[1]}",
        "导出一份 XLSX": "/reports/7/export.xlsx",
    }
    worst_all = 0.0
    print(f"{'page':44} {'median ms':>10} {'max ms':>8}")
    for name, path in pages.items():
        client.get(path)  # warm: templates compiled, caches filled
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            r = client.get(path)
            times.append((time.perf_counter() - t) * 1000)
            assert r.status_code == 200, (path, r.status_code)
        worst_all = max(worst_all, statistics.median(times))
        print(f"{name:44} {statistics.median(times):10.1f} {max(times):8.1f}")
    print(f"slowest page median: {worst_all:.0f} ms (target ≤ {TARGET_MS} ms at 10,000 reports)")
    return 0 if worst_all <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
