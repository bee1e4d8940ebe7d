"""Findings and synthetic report files for the store tests (the reports: tests/builders.py)."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from sqlalchemy.engine import Connection

from nianbao.model import Diagnostic, Location, Report
from nianbao.store.schema import RANKING_INDEXES
from nianbao.synth import synth_cells, synth_fees, synth_report_text


def with_original(report: Report, lines: list[str]) -> tuple[Report, bytes]:
    """``report`` as read from a text file of ``lines`` (its sha256), and the file's bytes: the
    store keeps a txt/md file's lines as its original only."""
    data = "\n".join(lines).encode()
    return replace(report, source=replace(report.source, sha256=hashlib.sha256(data).hexdigest())), data


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


def second_version(folder: Path, seed: int = 1000) -> Path:
    """Another file of the agency and year of ``write_synthetic``'s report 0."""
    rng = random.Random(seed)
    cells = synth_cells(rng, "2021")
    text = synth_report_text(cells, "2021", "tab", synthetic_agency(0), 2023, rng, fees=synth_fees(rng))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"report-000-v{seed}.txt"
    path.write_text(text, encoding="utf-8")
    return path


def drop_report_totals(conn: Connection) -> None:
    """Remove the dashboard's kept sums, their triggers and the rankings' indexes
    (store/aggregates.py), as in a store made before they existed."""
    for kept in ("report_totals", "place_totals"):
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"DROP FUNCTION {kept}_keep() CASCADE")
        else:
            for event in ("insert", "update", "delete"):
                conn.exec_driver_sql(f"DROP TRIGGER {kept}_{event}")
    conn.exec_driver_sql("DROP TABLE place_totals")
    conn.exec_driver_sql("DROP TABLE region_totals")
    conn.exec_driver_sql("DROP TABLE report_totals")
    for index in RANKING_INDEXES:
        index.drop(conn)
