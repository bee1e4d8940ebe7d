"""A plain table (a header row and value rows) with notes under it — the definition of the
metric shown — as CSV (UTF-8 with BOM) or XLSX (frozen header, filters, widths; rates as %)."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from nianbao.render.sheets import MAX_ROWS, NOTES, csv_lines, inert, split_note

FIRST_WIDTH = 36  # agency names
WIDTH = 12
# characters Excel refuses in a sheet's name (表二 “…本年增/减”), as their full-width forms
NOT_IN_TITLES = str.maketrans("/\\?*[]:", "／＼？＊［］：")


def to_csv(head: list[str], rows: list[list[Any]], notes: list[str]) -> bytes:
    """The table, then (after a blank line) the notes, one a line."""
    tail = [[], *([n] for n in notes)] if notes else []
    return b"".join(csv_lines(head, [*rows, *tail]))


def to_xlsx(title: str, head: list[str], rows: list[list[Any]], notes: list[str], percent_from: int | None) -> bytes:
    """``percent_from``: the first column (0-based) holding rates, formatted as %; None: counts.
    Rows past an Excel sheet's last (:data:`~nianbao.render.sheets.MAX_ROWS`) go on in
    ``title (2)``, … under the same header; when the rows and the notes under them do not fit in
    one sheet, the notes (and where the rows went on) are in a sheet 说明 the workbook opens on."""
    wb = Workbook()
    title = title.translate(NOT_IN_TITLES)[:31] or "Sheet"
    fit = len(rows) + 1 + (len(notes) + 1 if notes else 0) <= MAX_ROWS
    room = MAX_ROWS - 1  # data rows a sheet holds under its header
    parts = [rows] if fit else [rows[i : i + room] for i in range(0, len(rows), room)]
    titles = [title] + [_numbered(title, n) for n in range(2, len(parts) + 1)]
    for n, (name, part) in enumerate(zip(titles, parts, strict=True)):
        _sheet(wb.active if n == 0 else wb.create_sheet(), name, head, part, percent_from)
    if not fit:
        ws = wb.create_sheet(NOTES)
        ws.column_dimensions["A"].width = 120
        counts = [(t, len(p)) for t, p in zip(titles, parts, strict=True)]
        split = [split_note(title, counts, MAX_ROWS), "需要全部行在一张表中时，请改用 CSV 导出。"]
        _lines(ws, [*notes, *(split if len(parts) > 1 else [])])
        wb.active = ws
    elif notes:
        wb.active.append([])
        _lines(wb.active, notes)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _numbered(title: str, n: int) -> str:
    suffix = f" ({n})"
    return title[: 31 - len(suffix)] + suffix


def _sheet(ws: Worksheet, title: str, head: list[str], rows: list[list[Any]], percent_from: int | None) -> None:
    ws.title = title
    ws.append(head)
    for c in ws[1]:
        c.font = Font(bold=True)
    for row in rows:
        ws.append([inert(v) for v in row])
        if percent_from is not None:
            for c in ws[ws.max_row][percent_from:]:
                c.number_format = "0.0%"
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(head))}{len(rows) + 1}"
    for i in range(1, len(head) + 1):
        ws.column_dimensions[get_column_letter(i)].width = FIRST_WIDTH if i == 1 else WIDTH


def _lines(ws: Worksheet, lines: list[str]) -> None:
    for line in lines:
        ws.append([inert(line)])
