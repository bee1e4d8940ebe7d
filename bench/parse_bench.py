"""Parse speed: CPU time per report of read, read + extract and read + extract + check, on
one core, over the text and HTML reports of tests/fixtures, the seeds in /work/shared/seeds
(when present) and ``--n`` reports made by nianbao.synth (every text layout and HTML, both
editions). Each report is parsed ``--repeat`` times, interleaved; the median per report is kept,
then the median over the reports of each group is printed next to a floor measured in the same
run on the same files: decoding the bytes and one regular-expression pass over the text.
Targets (issue 12): read + extract ≤ 1 ms median for a text report, ≤ 2 ms for HTML.

Run: ``make bench`` or ``.venv/bin/python bench/parse_bench.py [--n 300] [--repeat 15]``.
``--reference SRC`` (e.g. a ``git worktree``'s ``src``) runs the benchmark in fresh processes,
``--rounds`` times, that source tree's and this one's one after the other, on the same reports.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from nianbao.check import check_report
from nianbao.extract import extract
from nianbao.read import read_bytes
from nianbao.read.encoding import decode
from nianbao.synth import LAYOUTS, synth_cells, synth_fees, synth_report_html, synth_report_text

TARGET_MS = {"text": 1.0, "html": 2.0}
KINDS = LAYOUTS + ("html",)
REPO = Path(__file__).resolve().parent.parent
SEEDS = Path("/work/shared/seeds")
_NUMBERS = re.compile(r"\d+")


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
    """The ``q`` quantile of ``values`` (nearest rank); check_bench uses it too."""
    s = sorted(values)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))]


def corpus(n: int, seed: int) -> dict[str, list[tuple[str, bytes]]]:
    """Groups of (file name, bytes): the fixtures' and seeds' text reports, HTML, synthetic."""
    files = sorted((REPO / "tests" / "fixtures" / "reports").iterdir())
    files += sorted(SEEDS.iterdir()) if SEEDS.is_dir() else []
    groups: dict[str, list[tuple[str, bytes]]] = {"text": [], "html": []}
    for p in files:
        groups["html" if p.suffix == ".html" else "text"].append((p.name, p.read_bytes()))
    synth = make_reports(n, seed)
    groups["synthetic text"] = [(name, data) for kind, name, data in synth if kind != "html"]
    groups["synthetic html"] = [(name, data) for kind, name, data in synth if kind == "html"]
    return groups


def floor(data: bytes, name: str) -> None:
    _NUMBERS.findall(decode(data)[0])


def read(data: bytes, name: str) -> None:
    read_bytes(data, name)


def read_extract(data: bytes, name: str) -> None:
    extract(read_bytes(data, name))


def read_extract_check(data: bytes, name: str) -> None:
    check_report(extract(read_bytes(data, name)))


STEPS: dict[str, Callable[[bytes, str], None]] = {
    "floor": floor,
    "read": read,
    "read+extract": read_extract,
    "+check": read_extract_check,
}


def per_report(files: list[tuple[str, bytes]], repeat: int) -> dict[str, list[float]]:
    """The median CPU ms of each step for each file, the steps interleaved; and ``first``: the
    first read + extract of each file, whose text no cache has seen (as in a corpus, where each
    report is read once)."""
    out: dict[str, list[float]] = {"first": [], **{s: [] for s in STEPS}}
    for name, data in files:
        t = time.process_time()
        read_extract(data, name)
        out["first"].append((time.process_time() - t) * 1000)
        times: dict[str, list[float]] = {s: [] for s in STEPS}
        for _ in range(repeat):
            for step, fn in STEPS.items():
                t = time.process_time()
                fn(data, name)
                times[step].append(time.process_time() - t)
        for step, ts in times.items():
            out[step].append(statistics.median(ts) * 1000)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=300, help="synthetic reports (default 300)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=15, help="runs per report, the median kept (default 15)")
    ap.add_argument("--reference", metavar="SRC", help="also run with this source tree, interleaved")
    ap.add_argument("--rounds", type=int, default=2, help="with --reference: runs of each (default 2)")
    args = ap.parse_args()
    if args.reference:
        return interleaved(args)
    groups = corpus(args.n, args.seed)
    for files in groups.values():  # warm up imports and caches
        for name, data in files[:3]:
            read_extract_check(data, name)
    print(
        f"nianbao parse benchmark — Python {platform.python_version()}, {os.cpu_count()} CPUs, one core, "
        f"CPU ms per report (median of {args.repeat} runs each, then the median over the reports)"
    )
    print(f"  {'reports':16s} {'n':>4s} " + " ".join(f"{s:>12s}" for s in STEPS) + f" {'first r+e':>10s}   r+e / floor")
    status = 0
    for group, files in groups.items():
        if not files:
            continue
        med = {s: statistics.median(v) for s, v in per_report(files, args.repeat).items()}
        print(
            f"  {group:16s} {len(files):4d} "
            + " ".join(f"{med[s]:12.3f}" for s in STEPS)
            + f" {med['first']:10.3f}   {med['read+extract'] / med['floor']:6.1f}×"
        )
        target = TARGET_MS.get(group)
        if target is not None and med["read+extract"] > target:
            status = 1
    print(f"  load average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(
        "  targets: read+extract ≤ "
        + ", ".join(f"{ms:g} ms ({g})" for g, ms in TARGET_MS.items())
        + f" -> {'met' if status == 0 else 'NOT met'}"
    )
    return status


def interleaved(args: argparse.Namespace) -> int:
    """The benchmark in fresh processes: the reference tree's, then this one's, ``rounds`` times."""
    own = [sys.executable, __file__, "--n", str(args.n), "--seed", str(args.seed), "--repeat", str(args.repeat)]
    for i in range(args.rounds):
        for code, src in (("reference", args.reference), ("this", None)):
            env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [src, os.environ.get("PYTHONPATH")])))
            lines = subprocess.run(own, env=env if src else None, capture_output=True, text=True).stdout.splitlines()
            print("\n".join(([] if i or src is None else lines[:2]) + [code] + lines[2:-1]), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
