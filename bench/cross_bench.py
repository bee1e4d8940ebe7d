"""Cross-report rules at scale: ``check_across`` over N synthetic reports of N/6 agencies × 6 years.
Ten agencies (人民政府 and nine departments) share each county, counties spread over provinces and
cities so that thousands share a core; one name in five is printed without its province. Sections
一/五/六 are random prose; one report in ten copies its agency's previous year or another agency's
text with a few characters changed; 表三's new applications and carried-over cases vary, so that
ROLLUP and CARRYOVER find something. Prints the CPU time of each cross rule (median of ``--repeat``
runs), the growth of the peak RSS, and a digest of each rule's findings, so that two versions of
the code can be compared on the same corpus (run it once with ``PYTHONPATH`` at the old ``src``).

Run: ``.venv/bin/python bench/cross_bench.py [--n 400] [--repeat 3] [--seed 0]``.
"""

from __future__ import annotations

import argparse
import hashlib
import platform
import random
import resource
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent))

from tests.builders import case_report  # noqa: E402

from nianbao.check import RULES  # noqa: E402
from nianbao.model import Location, Report, Section, Source, Value  # noqa: E402

CHARS = "政府信息公开工作年度报告本机关坚持以为常态不例外认真落实条例完善主动目录规范依申请办理流程加强保密审查及时更新门户网站组织全员参加培训质量稳步提升群众关切解读形式单一答复文书建立模板库季度案卷评查确保依法"
PROVINCES = [f"{a}{b}省" for a in "东南西北中" for b in "江山河湖海"]
PLACES = [a + b for a in "平安宁和顺昌兴泰康乐" for b in "城阳山川河林源江桥州"]
CORES = [
    "人民政府",
    "教育局",
    "财政局",
    "民政局",
    "公安局",
    "卫生健康委员会",
    "生态环境局",
    "交通运输局",
    "司法局",
    "审计局",
]
TEXT_SECTIONS = ("overview", "problems", "other")


def _prose(rng: random.Random) -> str:
    return "".join(rng.choice(CHARS) for _ in range(rng.randint(90, 400)))


def _edited(text: str, rng: random.Random) -> str:
    chars = list(text)
    for _ in range(rng.randint(0, len(chars) // 25)):
        chars[rng.randrange(len(chars))] = rng.choice(CHARS)
    return "".join(chars)


def _cells(base: Report, rng: random.Random, scale: int) -> dict[str, Value]:
    varied = ("table3.new_received.total", "table3.carried_over.total", "table3.carried_forward.total")
    return base.cells | {p: Value(rng.randint(0, scale), "", Location(line=100)) for p in varied}


def corpus(n: int, seed: int = 0) -> list[Report]:
    """``n`` reports: agency i // 6, year 2019 + i % 6; one in ten copies an earlier text. Reports
    share a few dozen cell tables (the rules only read them), so that 100,000 fit in memory."""
    rng = random.Random(seed)
    base = case_report()
    units, governments = [_cells(base, rng, 100) for _ in range(40)], [_cells(base, rng, 900) for _ in range(40)]
    reports: list[Report] = []
    for i in range(n):
        a, county = i // 6, i // 60
        place = f"{PROVINCES[county % 25]}{PLACES[county // 25 % 100]}市{PLACES[county * 7 % 100]}区"
        if a % 5 == 4:
            place = place[len(PROVINCES[county % 25]) :]
        texts = {s: _prose(rng) for s in TEXT_SECTIONS}
        if reports and rng.random() < 0.1:
            src = reports[-1] if i % 6 and rng.random() < 0.5 else rng.choice(reports)
            s = rng.choice(TEXT_SECTIONS)
            texts[s] = _edited(src.sections[s].text, rng)
        sections = base.sections | {s: Section(s, s, t, Location(line=900)) for s, t in texts.items()}
        file = f"r{i}.txt"
        source = Source(file, hashlib.sha256(file.encode()).hexdigest(), "txt", "utf-8")
        cells = rng.choice(governments if a % 10 == 0 else units)
        agency, year = place + CORES[a % len(CORES)], 2019 + i % 6
        reports.append(replace(base, source=source, agency=agency, year=year, sections=sections, cells=cells))
    return reports


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=400)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    reports = corpus(args.n, args.seed)
    built = _rss_mb()
    print(
        f"nianbao cross bench: {args.n} reports, Python {platform.python_version()}, CPU seconds, median of {args.repeat}"
    )
    total = 0.0
    for r in (r for r in RULES.values() if r.across):
        times, found = [], []
        rss = _rss_mb()
        for _ in range(args.repeat):
            t = time.process_time()
            found = list(r.func(reports))
            times.append(time.process_time() - t)
        total += statistics.median(times)
        digest = hashlib.sha256("\n".join(f"{d.file}|{d.message}" for d in found).encode()).hexdigest()[:12]
        grown = _rss_mb() - rss
        print(
            f"  {r.id:<18} {statistics.median(times):8.3f} s  {len(found):7d} findings  digest {digest}  peak RSS +{grown:.0f} MB"
        )
    print(f"  {'all':<18} {total:8.3f} s  peak RSS {_rss_mb():.0f} MB (the reports {built:.0f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
