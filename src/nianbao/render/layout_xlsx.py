"""A report (or a 汇总 turned into one) as XLSX in the template's own layout: one sheet per
table with the merged headers and labels of ``template.layout``, numbers as numbers, column
widths, frozen panes, header rows repeated on each page, and A4 landscape fitted to the width."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from nianbao.model import Number, Report
from nianbao.template import TABLE_NAMES, edition
from nianbao.template.layout import T3_LABEL_WIDTH, Grid, grids, split_item

TOP = 3  # row 1: the table's heading, row 2: what the sheet holds, the grid from row 3
WIDTHS = {"table2": (26, 18), "table3": (8, 10, 34), "table4": ()}  # label columns, in characters
NUMBER_WIDTH = {"table2": 18, "table3": 11, "table4": 10}
_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_HEAD_FILL = PatternFill("solid", fgColor="EEEEEE")


def _grids(report: Report) -> tuple[Grid, ...]:
    ed = edition(report.edition)
    names = tuple(str(item.get("name", "")) for item in report.split_items) if ed.name == "2019" else ()
    return grids(ed.name, names, nested=True)


def _value(report: Report, path: str) -> Number | None:
    item = split_item(path)
    if item is None:
        return report.value(path)
    v = report.split_items[item[0]].get(item[1])
    return v if isinstance(v, int | float) and not isinstance(v, bool) else None


def _lead(grid: Grid) -> int:
    """Label columns on the left (frozen with the header rows)."""
    return {"table2": 1, "table3": T3_LABEL_WIDTH, "table4": 0}[grid.key]


def _sheet(ws: Worksheet, grid: Grid, report: Report, subtitle: str, comments: Mapping[str, str]) -> None:
    width = sum(s.colspan for s in grid.rows[0])
    ws.cell(1, 1, grid.title).font = Font(bold=True, size=14)
    ws.cell(2, 1, subtitle)
    for r in (1, 2):
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
    taken: set[tuple[int, int]] = set()
    for i, row in enumerate(grid.rows):
        r, c = TOP + i, 1
        for s in row:
            while (r, c) in taken:
                c += 1
            cell = ws.cell(r, c, _value(report, s.path) if s.kind == "num" else s.text)
            if s.kind == "num" and s.path in comments:
                cell.comment = Comment(comments[s.path], "nianbao")
            for rr in range(r, r + s.rowspan):
                for cc in range(c, c + s.colspan):
                    taken.add((rr, cc))
                    ws.cell(rr, cc).border = _BORDER
                    ws.cell(rr, cc).alignment = _CENTER
                    if s.kind != "num":
                        ws.cell(rr, cc).fill = _HEAD_FILL
            if s.kind == "head":
                cell.font = Font(bold=True)
            if s.rowspan > 1 or s.colspan > 1:
                ws.merge_cells(start_row=r, start_column=c, end_row=r + s.rowspan - 1, end_column=c + s.colspan - 1)
            c += s.colspan
    labels = WIDTHS[grid.key]
    for c in range(1, width + 1):
        ws.column_dimensions[get_column_letter(c)].width = labels[c - 1] if c <= len(labels) else NUMBER_WIDTH[grid.key]
    head_end = TOP + len(grid.head) - 1
    ws.freeze_panes = f"{get_column_letter(_lead(grid) + 1)}{head_end + 1}"
    ws.print_title_rows = f"{TOP}:{head_end}" if grid.head else None
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True


def layout_xlsx(
    report: Report,
    subtitle: str,
    comments: Mapping[str, str] | None = None,
    listing: tuple[str, Sequence[str], Sequence[Sequence[object]]] | None = None,
) -> bytes:
    """The report's three tables, one sheet each (表二/表三/表四), under ``subtitle``; ``comments``
    (cell path → text) become cell notes; ``listing`` (sheet name, headers, rows) adds a last sheet."""
    wb = Workbook()
    wb.remove(wb.active)
    for grid in _grids(report):
        _sheet(wb.create_sheet(TABLE_NAMES[grid.key]), grid, report, subtitle, comments or {})
    if listing:
        name, headers, rows = listing
        ws = wb.create_sheet(name)
        ws.append(list(headers))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append(list(row))
        for c, w in enumerate((10, 40, 10, 10, 16), 1):
            ws.column_dimensions[get_column_letter(c)].width = w
        ws.freeze_panes = "A2"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
