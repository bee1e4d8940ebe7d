"""Parse speed: generate reports with nianbao.synth (every text layout and HTML,
both editions), parse each with ``extract(read_bytes(...))`` on one core, print the
median and p95 time per report (best of ``--repeat`` runs, so that other load
on a shared machine does not count) and the peak memory. Target: median ≤ 5 ms.

Run: ``make bench`` or ``.venv/bin/python bench/parse_bench.py [--n 1000] [--seed 0] [--repeat 3]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import statistics
import sys
import time
import tracemalloc
from collections import defaultdict

from nianbao.extract import extract
from nianbao.read import read_bytes
from nianbao.synth import LAYOUTS, synth_cells, synth_fees, synth_report_html, synth_report_text

TARGET_MS = 5.0
KINDS = LAYOUTS + ("html",)


def make_reports(n: int, seed: int) -> list[tuple[str, str, bytes]]:
    """``n`` reports as (kind, file name, bytes), kinds and editions mixed evenly."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        kind = KINDS[i % len(KINDS)]
        ed = "2019" if i % 5 == 0 else "2021"
        cells = synth_cells(rng, ed)
        opts = {"fees": synth_fees(rng), "noise": rng.random() < 0.3, "thousands": rng.random() < 0.1}
        if kind == "html":
            text, name = synth_report_html(cells, ed, "某市某区某局", 2023, rng, **opts), f"r{i}.html"
        else:
            text = synth_report_text(cells, ed, kind, "某市某区某局", 2023, rng, **opts)
            name = f"r{i}.md" if kind == "markdown" else f"r{i}.txt"
        out.append((kind, name, text.encode("utf-8")))
    return out


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000, help="number of reports (default 1000)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=3, help="parse each report N times, keep the best (default 3)")
    args = ap.parse_args()
    reports = make_reports(args.n, args.seed)
    for _, name, data in reports[: len(KINDS)]:  # warm up imports and caches
        extract(read_bytes(data, name))

    times: list[float] = []  # wall clock
    cpu: list[float] = []  # CPU time of this thread: less disturbed by other load on the machine
    by_kind: dict[str, list[float]] = defaultdict(list)
    failed = 0
    for kind, name, data in reports:
        best, best_cpu = float("inf"), float("inf")
        for _ in range(args.repeat):  # best of N: other load on the machine only ever adds time
            t0, c0 = time.perf_counter(), time.thread_time()
            try:
                extract(read_bytes(data, name))
            except Exception as e:  # a benchmark counts failures, it does not stop on them
                failed += 1
                print(f"  {name} ({kind}): {type(e).__name__}: {e}", file=sys.stderr)
            best = min(best, (time.perf_counter() - t0) * 1000)
            best_cpu = min(best_cpu, (time.thread_time() - c0) * 1000)
        cpu.append(best_cpu)
        times.append(best)
        by_kind[kind].append(best)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    tracemalloc.start()
    for _, name, data in reports[:50]:
        extract(read_bytes(data, name))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    kb = statistics.mean(len(d) for _, _, d in reports) / 1024
    median = statistics.median(times)
    print(
        f"nianbao parse benchmark — {len(reports)} reports (mean {kb:.1f} KB), Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, single-threaded, best of {args.repeat} per report"
    )
    print(
        f"  median {median:.2f} ms/report   p95 {pct(times, 0.95):.2f} ms   max {max(times):.2f} ms   "
        f"total {sum(times) / 1000:.2f} s   failures {failed}"
    )
    print(f"  CPU time: median {statistics.median(cpu):.2f} ms/report   p95 {pct(cpu, 0.95):.2f} ms")
    print(f"  load average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    for kind in KINDS:
        v = by_kind[kind]
        print(f"  {kind:15} median {statistics.median(v):6.2f} ms   p95 {pct(v, 0.95):6.2f} ms   ({len(v)} reports)")
    print(f"  peak RSS {rss_mb:.0f} MB; peak traced allocation while parsing {peak / 1024 / 1024:.1f} MB")
    verdict = "meets" if median <= TARGET_MS else "MISSES"
    print(f"  {verdict} the target of ≤ {TARGET_MS:g} ms median")
    return 0


if __name__ == "__main__":
    sys.exit(main())
