"""Cross-report rules at scale: ``check_across`` over N synthetic reports of N/6 agencies × 6 years,
agencies spread over provinces, cities and counties so that thousands share a core (人民政府, 教育局 …).
Sections 一/五/六 are random prose; one report in ten copies its agency's previous year or another
agency's text with a few characters changed. Prints the CPU time of each cross rule (median of
``--repeat`` runs) and a digest of the findings, so that two versions of the code can be compared
on the same corpus (run it once with ``PYTHONPATH`` pointing at the old ``src``).

Run: ``.venv/bin/python bench/cross_bench.py [--n 400] [--repeat 3] [--seed 0]``.
"""

from __future__ import annotations

import argparse
import hashlib
import platform
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent))

from tests.builders import case_report  # noqa: E402

from nianbao.check import RULES  # noqa: E402
from nianbao.model import Report  # noqa: E402

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


def corpus(n: int, seed: int = 0) -> list[Report]:
    """``n`` reports: agency i // 6, year 2019 + i % 6; one in ten copies an earlier text."""
    rng = random.Random(seed)
    reports: list[Report] = []
    for i in range(n):
        a = i // 6
        place = f"{PROVINCES[a % 25]}{PLACES[a // 250 % 100]}市{PLACES[a // 25 % 100]}区"
        sections = {s: _prose(rng) for s in TEXT_SECTIONS}
        if reports and rng.random() < 0.1:
            src = reports[-1] if i % 6 and rng.random() < 0.5 else rng.choice(reports)
            s = rng.choice(TEXT_SECTIONS)
            sections[s] = _edited(src.sections[s].text, rng)
        spec = {"file": f"r{i}.txt", "agency": place + CORES[a % len(CORES)], "year": 2019 + i % 6}
        reports.append(case_report(spec | {"sections": sections}))
    return reports


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=400)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    reports = corpus(args.n, args.seed)
    print(
        f"nianbao cross bench: {args.n} reports, Python {platform.python_version()}, CPU seconds, median of {args.repeat}"
    )
    total = 0.0
    digest = hashlib.sha256()
    for r in (r for r in RULES.values() if r.across):
        times, found = [], []
        for _ in range(args.repeat):
            t = time.process_time()
            found = list(r.func(reports))
            times.append(time.process_time() - t)
        total += statistics.median(times)
        digest.update("\n".join(f"{d.file}|{d.message}" for d in found).encode())
        print(f"  {r.id:<18} {statistics.median(times):8.3f} s   {len(found):6d} findings")
    print(f"  {'all':<18} {total:8.3f} s   findings digest {digest.hexdigest()[:16]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
