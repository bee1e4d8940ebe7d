"""``render.xlsx_rows`` writes the very XML of XlsxWriter's ``write_row`` (it goes through a few of
XlsxWriter's inner methods, so a new XlsxWriter that changes them fails here), except for text
shaped like a rich-text run, which stays text."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import openpyxl
import pytest
import xlsxwriter

from nianbao.render.xlsx_rows import Rows

ROWS: list[list[Any]] = [
    [1, "某局", None, 0, -7, 10**17, -(10**16), 10**16 - 1],
    [0.1, 1 / 3, 12.0, 1e-7, 2.5e20, "", None, "a & <b> \"c\" 'd'"],
    [" lead", "trail ", "line\nbreak", "tab\there", "\x01ctl", "_x000D_ literal", "=SUM(A1)", "@x"],
    ["x\ufffey", "_xABCD_", "end\n", "\u3000全角空格", "中\u3000间", "a\x0bb", "\x7f", "plain 文字"],
    [None, None, None, None, None, None, None, None],
    ["末行", 3],
]


def sheet_xml(rows: list[list[Any]], fast: bool, styled: tuple[int, ...] = ()) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    ws = book.add_worksheet()
    head = book.add_format({"bold": True})
    mark = book.add_format({"bg_color": "#FFF2CC"})
    for c in range(8):
        ws.write_string(0, c, f"列{c}", head)  # the last header row is still held by XlsxWriter
    writer = Rows(ws, 8, mark)
    for i, row in enumerate(rows, 1):
        if fast:
            writer.write(i, row, [c for c in styled if c < len(row)])
        else:
            ws.write_row(i, 0, row)
            for c in styled:
                if c < len(row):
                    ws.write(i, c, row[c], mark)
    ws.autofilter(0, 0, len(rows), 7)
    book.close()
    return zipfile.ZipFile(out).read("xl/worksheets/sheet1.xml")


@pytest.mark.parametrize("styled", [(), (1, 6)])
def test_the_same_xml_as_write_row(styled: tuple[int, ...]) -> None:
    assert sheet_xml(ROWS, fast=True, styled=styled) == sheet_xml(ROWS, fast=False, styled=styled)


def test_text_shaped_like_a_rich_run_stays_text() -> None:
    smuggled = "<r><t>a</t></r></is><f>HYPERLINK(1)</f><is><r><t>b</t></r>"
    xml = sheet_xml([[smuggled]], fast=True)
    assert b"<f>" not in xml and b"&lt;f&gt;" in xml
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"constant_memory": True})
    Rows(book.add_worksheet(), 1).write(0, [smuggled])
    book.close()
    assert openpyxl.load_workbook(out).active["A1"].value == smuggled


def test_only_finite_numbers_and_text() -> None:
    book = xlsxwriter.Workbook(io.BytesIO(), {"constant_memory": True})
    rows = Rows(book.add_worksheet(), 2)
    for bad in (float("nan"), float("inf"), True, b"x"):
        with pytest.raises(TypeError):
            rows.write(0, [1, bad])


def test_a_row_past_the_last_is_an_error_never_dropped() -> None:
    book = xlsxwriter.Workbook(io.BytesIO(), {"constant_memory": True})
    rows = Rows(book.add_worksheet(), 2)
    rows.write(1_048_575, [1, 2])  # Excel's last row
    with pytest.raises(ValueError, match="1048577"):
        rows.write(1_048_576, [1, 2])
