"""What the reader could not locate or read with certainty (``Report.uncertain``).

A part is only *missing* when the reader is sure: the document was read and
nothing in it could be that part. These helpers list the parts it is not sure
of, each with the reason, so the checker reports them as a warning instead."""

from __future__ import annotations

from nianbao.extract.numbers import split_numbers
from nianbao.extract.stream import Item
from nianbao.extract.tables import TableResult
from nianbao.model import Report, Uncertain
from nianbao.read.document import Block, Table
from nianbao.template import SECTION_TABLES, SECTIONS, TABLE_NAMES

STRAY_NUMBERS = 5  # a table holding this many numbers may be a piece of a statistics table


def numbers_only(text: str) -> bool:
    """A line holding nothing but numbers, at least :data:`STRAY_NUMBERS` of them."""
    parts = split_numbers(text)
    return parts is not None and len(parts) >= STRAY_NUMBERS


def unplaced(res: TableResult, offered: list[Item]) -> list[Uncertain]:
    """A table found in part while numbers printed for it were left out of every cell: the
    rows that seem missing may be among them (labels the text layer scrambled or lost)."""
    placed = sum(v.value is not None for v in res.cells.values())
    left = len(offered) - placed
    if left < STRAY_NUMBERS:
        return []
    reason = f"{TABLE_NAMES[res.table]}只找到一部分，但它的{left}个数字没有对应到任何格（行标签可能印错位置或没有读出）"
    return [Uncertain(res.table, reason, offered[0].location)]


def unsure_tables(report: Report, stray: list[Block]) -> list[Uncertain]:
    """Tables missing or found in part while tables or lines of numbers that the
    reader could not tell as any statistics table remain in the document."""
    if not stray:
        return []
    n = sum(len(t.rows) if isinstance(t, Table) else 1 for t in stray)
    reason = f"文中另有{len(stray)}处共{n}行数字认不出属于哪张统计表，缺的部分可能在其中"
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
