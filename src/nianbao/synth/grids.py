"""The three tables as printed: cells with their spans (as template.md §1.3–1.5),
number formatting, and the placement of merged cells on the grid."""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from nianbao.synth.values import Cells, Number
from nianbao.template import EDITION_2019, Edition
from nianbao.template.layout import Slot, grid, split_item


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


def _head_text(table: str, r: int, i: int, text: str, style: Style) -> str:
    """Header text as the generator prints it: 表三 part columns and 表四 result columns broken
    (as in seeds 000/002/004: the first 表四 header cell is not), the 2019 procurement amount
    header with its unit when amounts use a decimal comma."""
    if table == "table3" or (table == "table4" and r > 0 and (r, i) != (1, 0)):
        return _wrap(text)
    if table == "table2" and style.decimal_comma and text == _PROC_AMOUNT.label:
        return _PROC_AMOUNT.variants[-1]
    return text


_PROC_AMOUNT = EDITION_2019.t2_row("procurement").columns[-1]


def _cell(slot: Slot, split: list[dict[str, object]], fmt) -> GridCell:
    item = split_item(slot.path)
    if item is None:
        return GridCell(fmt(slot.path), slot.rowspan, slot.colspan, path=slot.path)
    i, col = item
    return GridCell(fmt(None, split[i][col]), slot.rowspan, slot.colspan, path=f"split.{i}.{col}")


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
    split = split or []
    g = grid(table, ed.name, tuple(str(item["name"]) for item in split), nested=True)
    return [[_printed(table, r, i, s, split, fmt, style) for i, s in enumerate(row)] for r, row in enumerate(g.rows)]


def _printed(table: str, r: int, i: int, slot: Slot, split: list[dict[str, object]], fmt, style: Style) -> GridCell:
    if slot.kind == "num":
        return _cell(slot, split, fmt)
    text = _head_text(table, r, i, slot.text, style) if slot.kind == "head" else slot.text
    return GridCell(text, slot.rowspan, slot.colspan)
