"""A synthetic national corpus for the benchmarks: N reports across invented agencies and years,
both template editions (2019 before 2021), in the formats the generator has (txt, md, html,
docx, pdf), written into a folder. Deterministic by ``--seed``: each agency's years come from
their own random generator, its 二、上年结转 chained to the year before; files are written by
every core. Other benches import :func:`write_corpus`.

Run: ``.venv/bin/python bench/corpus.py OUT [--n 10000] [--formats txt,html] [--agencies 2000]
[--years 2019-2024] [--seed 0]``.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from nianbao.model import Fees, Report, Source, Value
from nianbao.render.docx import render_docx
from nianbao.synth import LAYOUTS, synth_cells, synth_fees, synth_report_html, synth_report_pdf, synth_report_text

FORMATS = ("txt", "md", "html", "docx", "pdf")
TEXT_LAYOUTS = tuple(x for x in LAYOUTS if x not in ("markdown", "html_md"))
PROVINCES = "甲 乙 丙 丁 戊 己 庚 辛 壬 癸".split()
KINDS = ("区人民政府", "县人民政府", "市场监督管理局", "审计局", "街道办事处", "镇人民政府", "教育局", "卫生健康委员会")


@dataclass(frozen=True)
class Plan:
    """What to write: ``n`` reports of ``agencies`` agencies (default: n / years), each from the
    first of ``years`` on; formats taken in turn."""

    n: int
    formats: tuple[str, ...] = ("txt",)
    years: tuple[int, ...] = (2020, 2021, 2022, 2023, 2024)
    agencies: int = 0
    seed: int = 0

    @property
    def n_agencies(self) -> int:
        return self.agencies or max(1, -(-self.n // len(self.years)))


def agency(i: int) -> str:
    """An invented agency name: 甲省第3市第1区人民政府 …"""
    return f"{PROVINCES[i % 10]}省第{i % 50 + 1}市第{i // 50 + 1}{KINDS[i % len(KINDS)]}"


def _edition(year: int) -> str:
    return "2019" if year < 2021 else "2021"


def _render(cells: dict, ed: str, fmt: str, i: int, year: int, rng: random.Random) -> bytes:
    name, fees = agency(i), synth_fees(rng)
    if fmt == "txt":
        text = synth_report_text(cells, ed, TEXT_LAYOUTS[(i + year) % len(TEXT_LAYOUTS)], name, year, rng, fees=fees)
        return text.encode()
    if fmt == "md":
        return synth_report_text(cells, ed, "markdown", name, year, rng, fees=fees).encode()
    if fmt == "html":
        return synth_report_html(cells, ed, name, year, rng, fees=fees).encode()
    if fmt == "pdf":
        return synth_report_pdf(cells, ed, name, year, rng, fees=fees)
    report = Report(
        source=Source(f"{i}-{year}.docx", "0", "docx"),
        agency=name,
        year=year,
        edition=ed,
        cells={p: Value(v) for p, v in cells.items()},
        fees=Fees(fees["notices"], fees["notice_amount_yuan"], fees["collected_yuan"]),
    )
    return render_docx(report)


def _write_agency(args: tuple[Path, Plan, int]) -> list[Path]:
    """Every year of agency ``i`` that falls within the plan's ``n`` reports."""
    folder, plan, i = args
    rng = random.Random(f"{plan.seed}:{i}")
    written, prev = [], None
    for k, year in enumerate(plan.years):
        if k * plan.n_agencies + i >= plan.n:  # report number k·agencies + i: the years fill up evenly
            break
        cells = synth_cells(rng, _edition(year), carried_over=prev)
        fmt = plan.formats[(i + k) % len(plan.formats)]
        path = folder / f"{i:06d}-{year}.{fmt}"
        path.write_bytes(_render(cells, _edition(year), fmt, i, year, rng))
        written.append(path)
        prev = cells
    return written


def write_corpus(folder: Path, plan: Plan, workers: int | None = None) -> list[Path]:
    """Write the plan's reports into ``folder`` (created); returns their paths in a stable order."""
    folder.mkdir(parents=True, exist_ok=True)
    jobs = [(folder, plan, i) for i in range(plan.n_agencies)]
    with ProcessPoolExecutor(workers or os.cpu_count() or 1) as pool:
        return [p for paths in pool.map(_write_agency, jobs, chunksize=64) for p in paths]


def _years(text: str) -> tuple[int, ...]:
    first, _, last = text.partition("-")
    return tuple(range(int(first), int(last or first) + 1))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path, help="folder to write into")
    ap.add_argument("--n", type=int, default=10_000, help="reports to write")
    ap.add_argument("--formats", default="txt", help=f"comma-separated, of {','.join(FORMATS)}")
    ap.add_argument("--agencies", type=int, default=0, help="agencies (default: n / years)")
    ap.add_argument("--years", default="2020-2024", help="a year or a range, e.g. 2019-2024")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    formats = tuple(f.strip() for f in args.formats.split(",") if f.strip())
    if not formats or set(formats) - set(FORMATS):
        ap.error(f"--formats: choose from {','.join(FORMATS)}")
    years = _years(args.years)
    plan = Plan(args.n, formats, years, args.agencies, args.seed)
    if plan.n_agencies * len(years) < plan.n:
        ap.error(f"--agencies {args.agencies} × {len(years)} years < --n {args.n}")
    t = time.perf_counter()
    paths = write_corpus(args.out, plan, args.workers)
    took = time.perf_counter() - t
    print(f"wrote {len(paths)} reports ({','.join(formats)}) to {args.out} in {took:.1f} s = {len(paths) / took:.0f}/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
