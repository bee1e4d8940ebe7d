"""The three tables as printed: cells with their spans (as template.md §1.3–1.5),
number formatting, and the placement of merged cells on the grid."""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from nianbao.synth.values import Cells, Number
from nianbao.template import SPLIT_ROW, T3_COLUMNS, T3_OUTCOME_LABEL, T4_COLUMNS, T4_GROUPS, Edition, t3_result_rows

T3_CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


@dataclass
class GridCell:
    """A cell of a table as printed: text (may contain line breaks) and its span."""

    text: str
    rowspan: int = 1
    colspan: int = 1
    path: str | None = None  # set for value cells


@dataclass(frozen=True)
class Style:
    thousands: bool = False
    fullwidth: bool = False
    slash: bool = False
    noise: bool = False
    decimal_comma: bool = False


def format_value(v: Number | None, style: Style, rng: random.Random, path: str = "") -> str:
    if v is None:
        return "/" if style.slash else ""
    if style.decimal_comma and path.endswith("procurement.amount_wan"):
        whole, _, frac = f"{Decimal(str(v)):.4f}".partition(".")
        s = f"{whole},{frac}"
    else:
        s = str(v) if isinstance(v, int) else format(Decimal(repr(v)), "f")
        if style.thousands and abs(v) >= 1000:
            whole, dot, frac = s.partition(".")
            s = f"{int(whole):,}" + dot + frac
    if style.fullwidth:
        s = s.translate(_FULLWIDTH)
    if style.noise and rng.random() < 0.12:
        s = rng.choice(("\u00a0", "\u00a0\u3000", "\u3000\u3000")) + s if rng.random() < 0.5 else s + "\u00a0"
    return s


_FULLWIDTH = str.maketrans("0123456789-", "０１２３４５６７８９－")


def _wrap(label: str) -> str:
    """Four-character header labels break after two characters, as in the template."""
    return label[:2] + "\n" + label[2:] if len(label) == 4 else label


def _grid2(ed: Edition, split: list[dict[str, object]] | None, fmt, style: Style) -> list[list[GridCell]]:
    lead = 2 if split else 1  # label columns
    rows: list[list[GridCell]] = []
    group = None
    for row in ed.table2:
        cols = row.columns
        if row.group != group:
            group = row.group
            rows.append([GridCell(group, colspan=lead + 3)])
            labels = [c.label for c in cols]
            if row.key == "procurement" and style.decimal_comma:
                labels[-1] = "采购总金额（万元，保留四位小数）"
            head = [GridCell("信息内容", colspan=lead)] + [GridCell(lb) for lb in labels]
            head[-1].colspan = 4 - len(cols)
            rows.append(head)
        values = [GridCell(fmt(f"table2.{row.key}.{c.key}"), path=f"table2.{row.key}.{c.key}") for c in cols]
        values[-1].colspan = 4 - len(cols)
        if split and row.key == SPLIT_ROW:
            for i, item in enumerate(split):
                first = [GridCell(row.label, rowspan=len(split))] if i == 0 else []
                vals = [GridCell(fmt(None, item[c.key]), path=f"split.{i}.{c.key}") for c in cols]
                rows.append(first + [GridCell(str(item["name"]))] + vals)
            continue
        rows.append([GridCell(row.label, colspan=lead)] + values)
    return rows


def _grid3(ed: Edition, fmt) -> list[list[GridCell]]:
    head = [
        [GridCell(T3_CORNER, rowspan=3, colspan=3), GridCell("申请人情况", colspan=7)],
        [GridCell("自然人", rowspan=2), GridCell("法人或其他组织", colspan=5), GridCell("总计", rowspan=2)],
        [
            GridCell("商业\n企业"),
            GridCell("科研\n机构"),
            GridCell("社会公益组织"),
            GridCell("法律服务机构"),
            GridCell("其他"),
        ],
    ]
    outcome = t3_result_rows(ed)
    rows = []
    seen_groups: set[str] = set()
    for row in ed.table3:
        vals = [GridCell(fmt(f"table3.{row.key}.{c.key}"), path=f"table3.{row.key}.{c.key}") for c in T3_COLUMNS]
        if row.key not in outcome and row.key != "total_processed":
            rows.append([GridCell(row.label, colspan=3)] + vals)
            continue
        lead = [GridCell(T3_OUTCOME_LABEL, rowspan=len(outcome) + 1)] if row.key == "granted" else []
        if row.group:
            g = row.key.split(".")[0]
            if g not in seen_groups:
                seen_groups.add(g)
                lead.append(GridCell(row.group, rowspan=len(ed.group_items(g))))
            rows.append(lead + [GridCell(row.label)] + vals)
        else:
            rows.append(lead + [GridCell(row.label, colspan=2)] + vals)
    return head + rows


def _grid4(fmt) -> list[list[GridCell]]:
    return [
        [GridCell("行政复议", colspan=5), GridCell("行政诉讼", colspan=10)],
        # as in seeds 000/002/004: the first header cell is not broken, the others are
        [GridCell(c.label if i == 0 else _wrap(c.label), rowspan=2) for i, c in enumerate(T4_COLUMNS)]
        + [GridCell(label, colspan=5) for _, label in T4_GROUPS[1:]],
        [GridCell(_wrap(c.label)) for _ in T4_GROUPS[1:] for c in T4_COLUMNS],
        [GridCell(fmt(f"table4.{g}.{c.key}"), path=f"table4.{g}.{c.key}") for g, _ in T4_GROUPS for c in T4_COLUMNS],
    ]


def place(rows: list[list[GridCell]]) -> list[list[tuple[str, GridCell]]]:
    """Place cells on the grid: each slot is ("cell"|"down"|"right", cell).

    "down" marks the leftmost slot of a cell continuing from a row above (Word
    prints an empty cell there), "right" any slot covered horizontally."""
    grid: dict[tuple[int, int], tuple[str, GridCell]] = {}
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in grid:
                c += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    kind = "cell" if dr == dc == 0 else "down" if dc == 0 else "right"
                    grid[(r + dr, c + dc)] = (kind, cell)
            c += cell.colspan
    width = max(c for _, c in grid) + 1
    return [[grid.get((r, c), ("right", GridCell(""))) for c in range(width)] for r in range(len(rows))]


def formatter(cells: Cells, style: Style, rng: random.Random):
    def fmt(path: str | None, value: Number | None = None) -> str:
        return format_value(cells[path] if path else value, style, rng, path or "")

    return fmt


def grid_for(table: str, ed: Edition, split, fmt, style: Style) -> list[list[GridCell]]:
    if table == "table2":
        return _grid2(ed, split, fmt, style)
    return _grid3(ed, fmt) if table == "table3" else _grid4(fmt)
