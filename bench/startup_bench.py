"""Start-up: whole-process CPU time (user + sys of the child) of ``nianbao parse a.txt`` and a
few other commands, run as the ``nianbao`` console script runs them, with ``.pyc`` written by a
warm run first. Target (issue 12): ``nianbao parse a.txt`` ≤ 150 ms CPU; aim ≤ 110 ms on a quiet
machine so that the target holds under moderate load.

Run: ``.venv/bin/python bench/startup_bench.py [--runs 10] [--reference SRC]``. ``--reference``
(e.g. a ``git worktree``'s ``src``) runs that source tree's commands and this one's in turn, the
order alternating each round; medians (minimum) are printed with the load average.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
REPORT = REPO / "tests" / "fixtures" / "reports" / "xicheng-chengzhi-2024-tab.txt"
# the console script's own lines (a tree before nianbao.__main__ started at nianbao.cli)
NIANBAO = (
    "import sys\nsys.argv[0] = 'nianbao'\n"
    "try:\n    from nianbao.__main__ import main\nexcept ImportError:\n    from nianbao.cli import main\nmain()"
)
COMMANDS = {
    "nianbao parse a.txt": ["-c", NIANBAO, "parse", str(REPORT)],
    "nianbao parse a.txt -f json": ["-c", NIANBAO, "parse", str(REPORT), "-f", "json"],
    "nianbao check a.txt": ["-c", NIANBAO, "check", str(REPORT)],
    "nianbao rules -f json": ["-c", NIANBAO, "rules", "-f", "json"],
    "import nianbao.cli": ["-c", "import nianbao.cli"],
    "python -c pass": ["-c", "pass"],
}


def cpu_ms(args: list[str], src: Path) -> float:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"PYTHONPATH": str(src)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return 1000 * (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--reference", type=Path, help="another source tree to run in turn (e.g. a worktree's src)")
    a = ap.parse_args()
    trees = {"this": REPO / "src"} | ({"reference": a.reference.resolve()} if a.reference else {})
    for args in COMMANDS.values():
        for src in trees.values():
            cpu_ms(args, src)  # writes the .pyc
    times: dict[tuple[str, str], list[float]] = {(c, t): [] for c in COMMANDS for t in trees}
    load = os.getloadavg()[0]
    for i in range(a.runs):
        for name, args in COMMANDS.items():
            for t in sorted(trees, reverse=bool(i % 2)):
                times[name, t].append(cpu_ms(args, trees[t]))
    print(f"CPU ms (user + sys), median (min) of {a.runs}; load average {load:.1f} → {os.getloadavg()[0]:.1f}")
    print(f"{'':30}" + "".join(f"{t:>18}" for t in trees))
    for name in COMMANDS:
        cells = (times[name, t] for t in trees)
        print(f"{name:30}" + "".join(f"{statistics.median(v):10.1f} ({min(v):5.1f})" for v in cells))


if __name__ == "__main__":
    main()
