"""XLSX reader: each sheet's tables as grids (merged ranges expanded), other text as paragraphs.

A sheet is cut into regions at blank rows. Within a region, a row holding a
single value outside the table's borders (a title, a section heading) is a
paragraph; the remaining rows form a table. A sheet without any borders keeps
only the single-value rows at the top and bottom of a region as paragraphs.
Locations are the sheet (``table``, 1-based) and the Excel row and column.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
from dataclasses import dataclass

import openpyxl
from openpyxl.reader import excel
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet._reader import WorksheetReader
from openpyxl.worksheet.worksheet import Worksheet

from nianbao import limits
from nianbao.model import Location, ReportError, Source
from nianbao.read.archive import open_zip, repack
from nianbao.read.document import Block, Cell, Document, Paragraph, Table

_DECIMALS = re.compile(r"^[#,0]*0\.(0+)$")


def read(data: bytes, source: Source) -> Document:
    package = repack(open_zip(data, "XLSX", "xl/workbook.xml"))
    try:
        with warnings.catch_warnings():  # openpyxl warns about styles and extensions it skips
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(io.BytesIO(package), read_only=False, data_only=True)
    except ReportError:
        raise
    except Exception as e:  # openpyxl raises KeyError, ValueError, zip and XML errors alike
        raise ReportError("文件已损坏：XLSX 的内容无法解析") from e
    blocks: list[Block] = []
    for n, ws in enumerate(wb.worksheets, start=1):
        blocks.extend(_sheet(ws, n))
    return Document(source=source, blocks=blocks)


class _Sheet(WorksheetReader):
    """openpyxl's sheet reader, refusing merged ranges over the file's budget before it binds
    them: it creates an object for every covered slot, so a tiny file merging
    ``A1:XFD1048576`` would exhaust memory. The ranges are those openpyxl's own XML parser
    read, so any quoting, spacing or character reference is already resolved."""

    def bind_merged_cells(self) -> None:
        area = 0
        for cr in self.parser.merged_cells.mergeCell if self.parser.merged_cells else ():
            try:
                left, top, right, bottom = range_boundaries(cr.ref)
            except (ValueError, TypeError):
                continue  # openpyxl reports it below
            area += (right - left + 1) * (bottom - top + 1)
        limits.budget().merged(area)
        super().bind_merged_cells()


excel.WorksheetReader = _Sheet  # the name openpyxl.reader.excel builds each sheet's reader with


def value_text(value: object, number_format: str = "General") -> str:
    """A cell value as printed: 12.0 → "12", 9116.36 → "9116.36", "0.00" format keeps two decimals."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        m = _DECIMALS.match(number_format.split(";")[0].strip())
        if m:
            return f"{value:.{len(m.group(1))}f}"
        if value.is_integer():
            return str(int(value))
        return format(value, ".15g")
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


@dataclass
class _Grid:
    """One sheet as slots: (row, col) → (text, merged); plus which rows carry borders."""

    slots: dict[tuple[int, int], tuple[str, bool]]
    bordered: set[int]
    origins: dict[tuple[int, int], tuple[int, int]]  # covered slot -> top-left of its merged range


def _grid(ws: Worksheet) -> _Grid:
    slots: dict[tuple[int, int], tuple[str, bool]] = {}
    bordered: set[int] = set()
    # ws._cells holds only the cells the file defines; iter_rows would create every slot of
    # the used range, which formatting alone can stretch to a million rows.
    for (r, c), cell in ws._cells.items():
        text = value_text(cell.value, cell.number_format or "General")
        if text.strip():
            slots[(r, c)] = (text, False)
        b = cell.border
        if b is not None and any(getattr(b, side).style for side in ("left", "right", "top", "bottom")):
            bordered.add(r)
    origins: dict[tuple[int, int], tuple[int, int]] = {}
    if not slots:
        return _Grid(slots, bordered, origins)
    # merged ranges are expanded only over the rows and columns that hold values
    top_row, bottom_row = min(r for r, _ in slots), max(r for r, _ in slots)
    left_col, right_col = min(c for _, c in slots), max(c for _, c in slots)
    for rng in ws.merged_cells.ranges:
        top = slots.get((rng.min_row, rng.min_col), ("", False))[0]
        rows = range(max(rng.min_row, top_row), min(rng.max_row, bottom_row) + 1)
        cols = range(max(rng.min_col, left_col), min(rng.max_col, right_col) + 1)
        for r in rows:
            for c in cols:
                if (r, c) != (rng.min_row, rng.min_col):
                    origins[(r, c)] = (rng.min_row, rng.min_col)
                    if top:
                        slots[(r, c)] = (top, True)
                    else:
                        slots.pop((r, c), None)
    return _Grid(slots, bordered, origins)


def _sheet(ws: Worksheet, sheet: int) -> list[Block]:
    g = _grid(ws)
    if not g.slots:
        return []
    by_row: dict[int, list[int]] = {}
    for r, c in g.slots:
        by_row.setdefault(r, []).append(c)
    regions: list[list[int]] = []
    for r in sorted(by_row):
        if regions and r == regions[-1][-1] + 1:
            regions[-1].append(r)
        else:
            regions.append([r])
    blocks: list[Block] = []
    for region in regions:
        kinds = [_is_text_row(g, r, by_row[r]) for r in region]
        if g.bordered:
            kinds = [single and r not in g.bordered for r, single in zip(region, kinds, strict=True)]
        else:
            kinds = _only_edges(kinds)
        run: list[int] = []
        for r, is_text in zip(region, kinds, strict=True):
            if is_text:
                if run:
                    blocks.append(_table(g, run, sheet))
                    run = []
                c = min(by_row[r])
                blocks.append(Paragraph(g.slots[(r, c)][0], Location(table=sheet, row=r, col=c)))
            else:
                run.append(r)
        if run:
            blocks.append(_table(g, run, sheet))
    return blocks


def _is_text_row(g: _Grid, r: int, cols: list[int]) -> bool:
    """One value in the row (a merged range counts once)."""
    return sum(1 for c in cols if not g.slots[(r, c)][1]) == 1 and all(
        g.slots[(r, c)][1] for c in cols if c != min(cols)
    )


def _only_edges(kinds: list[bool]) -> list[bool]:
    """Without borders, only single-value rows before and after the table are text."""
    out = [False] * len(kinds)
    i = 0
    while i < len(kinds) and kinds[i]:
        out[i] = True
        i += 1
    j = len(kinds) - 1
    while j > i and kinds[j]:
        out[j] = True
        j -= 1
    return out


def _table(g: _Grid, rows: list[int], sheet: int) -> Table:
    cols = [c for (r, c) in g.slots if rows[0] <= r <= rows[-1]]
    first, last = min(cols), max(cols)
    grid = []
    for r in rows:
        row = []
        for c in range(first, last + 1):
            text, merged = g.slots.get((r, c), ("", (r, c) in g.origins))
            row.append(Cell(text, Location(table=sheet, row=r, col=c), merged=merged))
        grid.append(tuple(row))
    return Table(rows=tuple(grid), location=Location(table=sheet, row=rows[0], col=first), exact=True, layout="xlsx")
