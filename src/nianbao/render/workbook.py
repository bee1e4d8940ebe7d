"""The XLSX export, written in constant memory as the reports stream in (XlsxWriter's
``constant_memory`` mode: each sheet keeps one row in memory): 报告 (a row per report), 表二,
表三 and 表四 (a row per report, a column per cell, under the template's grouped headers as
merged cells) and 问题 (a row per finding). Every sheet has its headers frozen, an auto-filter,
column widths and an A4 landscape print setup that repeats the headers on each page. A sheet that
reaches Excel's last row goes on in a next one under the same headers (问题 (2), …), and a sheet
说明, the one the workbook opens on, says where each goes on."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import IO, Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from nianbao.render.sheets import (
    CORRECTED_HEADER,
    KEY_FIELDS,
    MAX_ROWS,
    NOTES,
    REPORT_HEADERS,
    TABLES,
    cell_name,
    corrected_names,
    header_levels,
    plain,
    split_note,
)
from nianbao.render.xlsx_rows import Rows
from nianbao.template.names import SEVERITY_NAMES

Row = dict[str, Any]
Span = tuple[int, int, int, int, str]  # first row, first column, last row, last column, text

WIDTHS = {
    "id": 8,
    "agency": 30,
    "region": 16,
    "year": 6,
    "edition": 8,
    "source_file": 30,
    "sha256": 18,
    "loaded_at": 20,
}
CELL_WIDTH = 11
HEADER_HEIGHT = 48  # points: a header row holds two or three lines of wrapped Chinese
FINDING_HEADERS = (*(h for _, h in KEY_FIELDS[:3]), "规则", "级别", "说明", "单元格", "涉及文件")
FINDING_WIDTHS = (8, 30, 6, 18, 6, 60, 40, 30)


def spans(heads: list[tuple[str, ...]]) -> list[Span]:
    """Merged header cells over columns whose header tuples (all of one depth) are ``heads``:
    equal neighbours at a level under the same parent share one cell, and a label that the
    levels below repeat for all its columns runs down to the first level that splits it."""
    depth, out = len(heads[0]), []

    def walk(level: int, start: int, end: int) -> None:
        c = start
        while c < end:
            text, e = heads[c][level], c + 1
            while e < end and heads[e][level] == text:
                e += 1
            bottom = level
            while bottom + 1 < depth and all(heads[x][bottom + 1] == text for x in range(c, e)):
                bottom += 1
            out.append((level, c, bottom, e - 1, text))
            if bottom + 1 < depth:
                walk(bottom + 1, c, e)
            c = e

    walk(0, 0, len(heads))
    return sorted(out)


class Sheet:
    """One worksheet: headers (merged where grouped), then rows appended in order; past Excel's
    last row the rows go on in a next worksheet, ``title (2)``, under the same headers."""

    def __init__(
        self,
        book: xlsxwriter.Workbook,
        title: str,
        heads: list[tuple[str, ...]],
        widths: list[float],
        style: Format | None = None,
    ):
        self.book, self.title, self.heads, self.widths, self.style = book, title, heads, widths, style
        self.depth = len(heads[0])
        self.width = len(heads)
        self.head = book.add_format(
            {
                "bold": True,
                "text_wrap": True,
                "align": "center",
                "valign": "vcenter",
                "border": 1,
                "bg_color": "#F2F2F2",
            }
        )
        self.titles: list[str] = []
        self.rows_in: list[int] = []  # data rows of each worksheet
        self._open()

    def _open(self) -> None:
        self.titles.append(self.title if not self.titles else f"{self.title} ({len(self.titles) + 1})")
        self.rows_in.append(0)
        self.ws: Worksheet = self.book.add_worksheet(self.titles[-1])
        for i, w in enumerate(self.widths):
            self.ws.set_column(i, i, w)
        self._write_headers(spans(self.heads), self.head)
        self.ws.freeze_panes(self.depth, 2)
        self.ws.set_paper(9)  # A4
        self.ws.set_landscape()
        self.ws.repeat_rows(0, self.depth - 1)
        self.ws.repeat_columns(0, 1)
        self.ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
        if self.width <= 16:  # 报告 and 问题 fit the page's width; the tables run over pages
            self.ws.fit_to_pages(1, 0)
        self.next_row = self.depth
        self.rows = Rows(self.ws, self.width, self.style)

    def _write_headers(self, cells: list[Span], fmt: Any) -> None:
        # constant_memory writes a row out once a later row is written, so a block taller than one
        # row cannot go through merge_range (it writes the whole block at once): each header row
        # is written in turn, and the tall blocks are added to the sheet's list of merged ranges
        below: dict[int, list[int]] = {}
        for r in range(self.depth):
            self.ws.set_row(r, HEADER_HEIGHT)
            for r1, c1, r2, c2, text in (s for s in cells if s[0] == r):
                if r2 == r1 and c2 > c1:
                    self.ws.merge_range(r1, c1, r2, c2, text, fmt)
                    continue
                self.ws.write_string(r1, c1, text, fmt)
                for c in range(c1 + 1, c2 + 1):
                    self.ws.write_blank(r1, c, None, fmt)
                for rr in range(r1 + 1, r2 + 1):
                    below.setdefault(rr, []).extend(range(c1, c2 + 1))
                if r2 > r1:
                    self.ws.merge.append([r1, c1, r2, c2])
            for c in below.pop(r, []):
                self.ws.write_blank(r, c, None, fmt)

    def append(self, values: list[Any], styled: Collection[int] = ()) -> None:
        """A row; the cells of the columns ``styled`` in the sheet's style."""
        if self.next_row >= MAX_ROWS:
            self.close()
            self._open()
        self.rows.write(self.next_row, values, styled)
        self.next_row += 1
        self.rows_in[-1] += 1

    def close(self) -> None:
        """Ends the worksheet being written: its auto-filter over its rows."""
        self.ws.autofilter(self.depth - 1, 0, max(self.next_row - 1, self.depth - 1), self.width - 1)

    def notes(self) -> list[str]:
        """Where the rows went on, if they did: a line for the sheet."""
        if len(self.titles) == 1:
            return []
        return [split_note(self.title, list(zip(self.titles, self.rows_in, strict=True)), MAX_ROWS)]


def write_notes(book: xlsxwriter.Workbook, lines: list[str]) -> None:
    """The sheet 说明, which the workbook opens on: one line a paragraph."""
    ws = book.add_worksheet(NOTES)
    ws.set_column(0, 0, 120)
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    for r, line in enumerate([*lines, "需要全部行在一张表中时，请改用 CSV 或 JSON Lines 导出。"]):
        ws.write_string(r, 0, line, wrap)
    ws.activate()


def write_xlsx(reports: Iterable[Row], findings: Iterable[Row], target: str | IO[bytes]) -> int:
    """Writes the workbook to ``target`` (a path or a binary file); returns the number of reports.
    ``findings`` is read after ``reports``: each with report_id, agency, year and the finding."""
    # strings stay strings: never a formula (CSV-injection) nor a link
    book = xlsxwriter.Workbook(
        target, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    keys = [k for k, _ in KEY_FIELDS]
    meta_heads = [(h,) for _, h in REPORT_HEADERS] + [(CORRECTED_HEADER,)]
    meta = Sheet(book, "报告", meta_heads, [WIDTHS.get(k, 10) for k, _ in REPORT_HEADERS] + [30])
    fixed = book.add_format({"bg_color": "#FFF2CC"})  # a corrected value, as the report page marks it
    tables = []
    for title, paths in TABLES:
        heads = [(h,) * len(header_levels(paths[0])) for _, h in KEY_FIELDS] + [header_levels(p) for p in paths]
        widths = [WIDTHS[k] for k in keys] + [CELL_WIDTH] * len(paths)
        tables.append((Sheet(book, title, heads, widths, fixed), paths))
    n = 0
    for r in reports:
        n += 1
        meta.append([plain(r[k]) for k, _ in REPORT_HEADERS] + [corrected_names(r)])
        values, corrected = r["cells"], r.get("corrected", ())
        for sheet, paths in tables:
            marked = [len(keys) + paths.index(p) for p in corrected if p in paths]
            sheet.append([r[k] for k in keys] + list(map(values.get, paths)), marked)
    problems = Sheet(book, "问题", [(h,) for h in FINDING_HEADERS], list(FINDING_WIDTHS))
    for d in findings:
        severity = SEVERITY_NAMES.get(d["severity"], d["severity"])
        problems.append(
            [
                d["report_id"],
                d["agency"],
                d["year"],
                d["rule"],
                severity,
                d["message"],
                "、".join(cell_name(c) for c in d["cells"]),
                "、".join(d["files"]),
            ]
        )
    sheets = (meta, *(s for s, _ in tables), problems)
    for sheet in sheets:
        sheet.close()
    if notes := [line for sheet in sheets for line in sheet.notes()]:
        write_notes(book, notes)
    book.close()
    return n
