"""What the reader could not locate or read with certainty (``Report.uncertain``).

A part is only *missing* when the reader is sure: the document was read and
nothing in it could be that part. These helpers list the parts it is not sure
of, each with the reason, so the checker reports them as a warning instead."""

from __future__ import annotations

from nianbao.model import Report, Uncertain
from nianbao.read.document import Table
from nianbao.template import SECTION_TABLES, SECTIONS, TABLE_NAMES

STRAY_NUMBERS = 5  # a table holding this many numbers may be a piece of a statistics table


def unsure_tables(report: Report, stray: list[Table]) -> list[Uncertain]:
    """Tables missing or found in part while tables of numbers that the reader
    could not tell as any statistics table remain in the document."""
    if not stray:
        return []
    n = sum(len(t.rows) for t in stray)
    reason = f"文中另有{len(stray)}处共{n}行含数字的表格认不出属于哪张统计表，缺的部分可能在其中"
    return [
        Uncertain(
            t,
            f"{TABLE_NAMES[t]}{'只找到一部分' if report.tables_found.get(t) else '没有找到'}；{reason}",
            stray[0].location,
        )
        for t in ("table2", "table3", "table4")
        if report.tables_found.get(t) != "full"
    ]


def unsure_sections(report: Report) -> list[Uncertain]:
    """Sections whose heading was not found although their table was."""
    out = []
    for spec in SECTIONS:
        table = SECTION_TABLES.get(spec.key)
        if spec.key in report.sections or table not in report.tables_found:
            continue
        where = next((v.location for p, v in report.cells.items() if p.startswith(table + ".") and v.location), None)
        reason = (
            f"没有找到第{spec.number}部分的标题，但找到了它的{TABLE_NAMES[table]}：标题可能印在读不出的位置或措辞不同"
        )
        out.append(Uncertain(f"sections.{spec.key}", reason, where))
    return out
