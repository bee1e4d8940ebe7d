"""Reading on a Dask cluster: the files of a folder (e.g. written by ``bench/corpus.py``) through
the ingest workers' task (``pipeline.work.read_file``: read, extract, check, table rows) on a ``LocalCluster`` of 1 and
of 2 single-threaded worker processes, against the bounded process pool ``Workers`` of the same
sizes, taking results as they complete with at most two tasks per worker in flight. Runs are
interleaved and repeated; prints the median wall time and files per second of each (the work is
on the workers, so wall time is the measure; the machine is shared, so compare within one run).

Run: ``.venv/bin/python bench/cluster_bench.py FOLDER [--repeat 3]``.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from nianbao.pipeline.cluster import DaskPool
from nianbao.pipeline.ingest import scan
from nianbao.pipeline.work import read_file
from nianbao.pipeline.workers import Workers


def _run(pool: DaskPool | Workers, files: list[str]) -> float:
    with pool:
        for _, result in pool.map(read_file, files[:4], 4):  # workers warm: imports done, caches filled
            assert not isinstance(result, Exception), result
        t = time.perf_counter()
        for _, result in pool.map(read_file, files, 2 * pool.size):
            assert not isinstance(result, Exception), result
        return time.perf_counter() - t


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    files = [str(f) for f in scan([args.folder]).files]
    kinds = {
        "Dask local:1": lambda: DaskPool("local:1"),
        "Dask local:2": lambda: DaskPool("local:2"),
        "Workers(1)": lambda: Workers(1),
        "Workers(2)": lambda: Workers(2),
    }
    times: dict[str, list[float]] = {k: [] for k in kinds}
    for _ in range(args.repeat):
        for name, make in kinds.items():
            times[name].append(_run(make(), files))
    print(f"nianbao cluster bench: {len(files)} files from {args.folder}, wall seconds, median of {args.repeat}")
    for name, ts in times.items():
        med = statistics.median(ts)
        print(f"  {name:<14} {med:7.2f} s   {len(files) / med:6.1f} files/s")
    one, two = statistics.median(times["Dask local:1"]), statistics.median(times["Dask local:2"])
    print(f"  Dask speed-up with 2 workers: {one / two:.2f}×")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
