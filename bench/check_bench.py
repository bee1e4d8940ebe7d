"""Check speed: parse synthetic reports (every text layout and HTML, both editions, via
``bench/parse_bench.make_reports``), then time ``check_report`` alone on each, on one core,
and ``check_across`` over all of them. Prints the median and p95 per report next to the
parse time. Target: checking adds ≤ 1 ms per report.

Run: ``.venv/bin/python bench/check_bench.py [--n 1000] [--seed 0]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from parse_bench import make_reports, pct  # noqa: E402

from nianbao.check import check_across, check_report  # noqa: E402
from nianbao.extract import extract  # noqa: E402
from nianbao.read import read_bytes  # noqa: E402

TARGET_MS = 1.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000, help="number of reports (default 1000)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    parse_ms, reports = [], []
    for _, name, data in make_reports(args.n, args.seed):
        t = time.perf_counter()
        reports.append(extract(read_bytes(data, name)))
        parse_ms.append((time.perf_counter() - t) * 1000)
    for r in reports[:10]:  # warm up caches
        check_report(r)
    check_ms, cpu_ms, found = [], [], 0
    for r in reports:
        t, c = time.perf_counter(), time.thread_time()
        found += len(check_report(r))
        cpu_ms.append((time.thread_time() - c) * 1000)
        check_ms.append((time.perf_counter() - t) * 1000)
    for i, r in enumerate(reports):  # a store-like mix: 1 report per agency and year, 6 years
        r.agency, r.year = f"某市某区第{i // 6}局", 2019 + i % 6
    t = time.perf_counter()
    cross = check_across(reports)
    across_s = time.perf_counter() - t
    med, cpu = statistics.median(check_ms), statistics.median(cpu_ms)
    print(f"nianbao check bench: {len(reports)} reports, Python {platform.python_version()}, one core")
    print(f"  parse        median {statistics.median(parse_ms):7.3f} ms   p95 {pct(parse_ms, 0.95):7.3f} ms")
    print(f"  check_report median {med * 1000:7.0f} µs   p95 {pct(check_ms, 0.95) * 1000:7.0f} µs   ({found} findings)")
    print(f"    CPU time   median {cpu * 1000:7.0f} µs   p95 {pct(cpu_ms, 0.95) * 1000:7.0f} µs")
    print(f"  check_across {across_s * 1000:7.0f} ms for all {len(reports)} together ({len(cross)} findings;")
    print("               synthetic sections are near-identical, so every pair of texts is compared)")
    ok = med <= TARGET_MS
    print(f"  target: check adds ≤ {TARGET_MS:g} ms per report — {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
