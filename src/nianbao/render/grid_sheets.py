"""A plain table (a header row and value rows) with notes under it — the definition of the
metric shown — as CSV (UTF-8 with BOM) or XLSX (frozen header, filters, widths; rates as %)."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from nianbao.render.sheets import csv_lines, inert

FIRST_WIDTH = 36  # agency names
WIDTH = 12


def to_csv(head: list[str], rows: list[list[Any]], notes: list[str]) -> bytes:
    """The table, then (after a blank line) the notes, one a line."""
    tail = [[], *([n] for n in notes)] if notes else []
    return b"".join(csv_lines(head, [*rows, *tail]))


def to_xlsx(title: str, head: list[str], rows: list[list[Any]], notes: list[str], percent_from: int | None) -> bytes:
    """``percent_from``: the first column (0-based) holding rates, formatted as %; None: counts."""
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31] or "Sheet"
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
    if notes:
        ws.append([])
        for n in notes:
            ws.append([inert(n)])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
