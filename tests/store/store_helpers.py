"""Hand-built reports with every cell of their edition filled, for the store tests."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable
from pathlib import Path

from nianbao.model import Diagnostic, Fact, Location, Report, Section, Source, Value
from nianbao.synth import synth_cells, synth_fees, synth_report_text
from nianbao.template import SECTIONS, cell_paths, edition


def make_report(agency: str = "北京市测试区人民政府", year: int = 2024, seed: int = 1, ed: str = "2021") -> Report:
    """A report with every cell of its edition filled (a few left blank), sections and narrative."""
    paths = cell_paths(edition(ed))
    cells = {}
    for i, p in enumerate(paths):
        value: int | float | None = (seed * 7 + i * 3) % 50
        if i % 37 == 5:
            value = None
        if p.endswith("amount_wan"):
            value = round(seed * 1.2345, 4)
        raw = "" if value is None else str(value)
        cells[p] = Value(value, raw, Location(line=100 + i), note="读作整数" if i == 9 else None)
    content = f"{agency}{year}{seed}{ed}".encode()
    report = Report(
        source=Source(f"{agency}-{year}-{seed}.txt", hashlib.sha256(content).hexdigest(), "txt", "utf-8"),
        agency=agency,
        region="北京市测试区",
        year=year,
        edition=ed,
        published=f"{year + 1}-01-20",
        cells=cells,
        sections={
            s.key: Section(s.key, f"{s.number}、{s.title}", f"{agency}{s.title}正文{seed}", Location(line=10 * n))
            for n, s in enumerate(SECTIONS, 1)
        },
        narrative=[Fact("table3.new_received.total", 12, "共收到申请12件", Location(line=20))],
    )
    return report


def findings(report: Report) -> list[Diagnostic]:
    return [
        Diagnostic(
            "T3-BALANCE",
            "error",
            "表三“自然人”列：一（12）+二（3）=15，但（七）总计（13）+四（1）=14",
            ("table3.new_received.natural_person", "table3.carried_over.natural_person"),
            Location(line=88),
            report.source.file,
            values={"lhs": 15, "rhs": 14},
        ),
        Diagnostic("LABEL-VARIANT", "info", "部分公开未带注释", ("table3.partially_granted.total",)),
    ]


def document(report: Report) -> dict:
    """Stands in for the cli.md JSON of a report."""
    return {"file": report.source.file, "sha256": report.source.sha256, "agency": report.agency, "year": report.year}


COUNTIES = "甲乙丙丁戊己庚辛壬癸"


def synthetic_agency(i: int) -> str:
    return f"测试省{COUNTIES[i // 10 % 10]}{COUNTIES[i % 10]}县人民政府"


def write_synthetic(folder: Path, numbers: Iterable[int], year: int = 2023) -> list[Path]:
    """Synthetic report texts (every template sum holds), one agency per number."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in numbers:
        rng = random.Random(i)
        cells = synth_cells(rng, "2021")
        text = synth_report_text(cells, "2021", "tab", synthetic_agency(i), year, rng, fees=synth_fees(rng))
        path = folder / f"report-{i:03d}.txt"
        path.write_text(text, encoding="utf-8")
        out.append(path)
    return out
