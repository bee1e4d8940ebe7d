"""XLSX reader: the three tables with merged ranges expanded, titles as paragraphs, numbers as printed."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pytest

from nianbao.model import Location, ReportError, Source
from nianbao.read import read_bytes
from nianbao.read.document import Paragraph, Table
from nianbao.read.xlsx import read, value_text
from nianbao.render.docx import layouts
from tests.read.docx_make import declare_size, expand, grid_of, sample_report, xlsx_bytes

SRC = Source("t.xlsx", "0", "xlsx")


@pytest.mark.parametrize("ed", ["2021", "2019"])
def test_tables_cell_by_cell(ed: str) -> None:
    report = sample_report(ed)
    doc = read_bytes(xlsx_bytes(report), "tables.xlsx")
    assert doc.source.format == "xlsx"
    assert [type(b) for b in doc.blocks] == [Paragraph, Table] * 3
    for table, layout in zip(doc.tables(), layouts(report).values(), strict=True):
        assert table.exact and table.layout == "xlsx"
        assert grid_of(table) == expand(layout)
    assert [p.text for p in doc.paragraphs()] == [
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
    ]


def test_locations_are_sheet_row_col() -> None:
    doc = read(xlsx_bytes(sample_report("2021")), SRC)
    t3 = doc.tables()[1]
    assert t3.location == Location(table=2, row=3, col=1)
    # 一、本年新收 is the 4th row of the table (Excel row 6); 自然人 is column D
    assert t3.rows[3][3].location == Location(table=2, row=6, col=4)
    assert t3.rows[3][3].text == "10"
    assert doc.paragraphs()[1].location == Location(table=2, row=1, col=1)


def test_one_sheet_headings_between_tables_without_blank_rows() -> None:
    report = sample_report("2021")
    doc = read(xlsx_bytes(report, one_sheet=True), SRC)
    assert [type(b) for b in doc.blocks] == [Paragraph, Table] * 3
    for table, layout in zip(doc.tables(), layouts(report).values(), strict=True):
        assert grid_of(table) == expand(layout)


def test_borderless_sheet_keeps_only_edge_rows_as_text() -> None:
    """Without borders a full-width merged row cannot be told from a title: the 表二 block
    header right under the heading becomes a paragraph, the rest of the grid stays exact."""
    report = sample_report("2021")
    doc = read(xlsx_bytes(report, borders=False), SRC)
    t3 = doc.tables()[1]
    assert grid_of(t3) == expand(layouts(report)["table3"])
    assert [p.text for p in doc.paragraphs()][:2] == ["二、主动公开政府信息情况", "第二十条第（一）项"]


@pytest.mark.parametrize(
    ("value", "fmt", "out"),
    [
        (12.0, "General", "12"),
        (12, "General", "12"),
        (9116.36, "General", "9116.36"),
        (24252.311082, "General", "24252.311082"),
        (0.1 + 0.2, "General", "0.3"),
        (12.5, "0.00", "12.50"),
        (491.5, "#,##0.0000", "491.5000"),
        (-18.0, "General", "-18"),
        (None, "General", ""),
        ("合计", "General", "合计"),
        (dt.datetime(2025, 1, 20), "yyyy-mm-dd", "2025-01-20"),
        (True, "General", "TRUE"),
    ],
)
def test_numbers_as_printed(value: object, fmt: str, out: str) -> None:
    assert value_text(value, fmt) == out


def test_formatted_decimals_read_from_file() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["行政事业性收费", 12.5, 3.0])
    ws["B1"].number_format = "0.00"
    out = io.BytesIO()
    wb.save(out)
    doc = read(out.getvalue(), SRC)
    assert [c.text for c in doc.tables()[0].rows[0]] == ["行政事业性收费", "12.50", "3"]


def test_empty_workbook_has_no_blocks() -> None:
    out = io.BytesIO()
    openpyxl.Workbook().save(out)
    assert read(out.getvalue(), SRC).blocks == []


def test_corrupt_and_truncated_xlsx() -> None:
    data = xlsx_bytes(sample_report("2021"))
    with pytest.raises(ReportError, match="损坏"):
        read_bytes(data[: len(data) // 2], "half.xlsx")
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook><sheets>")
    with pytest.raises(ReportError, match="文件已损坏"):
        read_bytes(broken.getvalue(), "broken.xlsx")


def test_xlsx_zip_bomb_refused() -> None:
    data = declare_size(xlsx_bytes(sample_report("2021")), "xl/worksheets/sheet1.xml", 3_000_000_000)
    with pytest.raises(ReportError, match="压缩炸弹"):
        read(data, SRC)


def test_old_xls_gets_a_clear_message() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "Workbook".encode("utf-16-le") + bytes(512)
    with pytest.raises(ReportError, match="xlsx"):
        read(ole, SRC)
    with pytest.raises(ReportError, match="Excel"):
        read_bytes(ole, "tables.xls")


def _with_merge(ref: str) -> bytes:
    """A small workbook whose sheet XML declares one merged range ``ref``."""
    wb = openpyxl.Workbook()
    wb.active["A1"] = "标题"
    wb.active["B3"] = 5
    buf = io.BytesIO()
    wb.save(buf)
    src, out = zipfile.ZipFile(io.BytesIO(buf.getvalue())), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                merge = f'<mergeCells count="1"><mergeCell ref="{ref}"/></mergeCells>'.encode()
                body = body.replace(b"</sheetData>", b"</sheetData>" + merge)
            dst.writestr(info, body)
    return out.getvalue()


def test_sheet_wide_merged_range_refused_before_openpyxl_expands_it() -> None:
    """openpyxl makes an object per covered cell: a tiny file merging A1:XFD1048576 is a bomb."""
    with pytest.raises(ReportError, match="合并单元格"):
        read(_with_merge("D5:XFD1048576"), SRC)


def test_wide_title_merge_expanded_only_over_the_values() -> None:
    doc = read(_with_merge("A1:CV1"), SRC)  # 100 columns; no borders, so both rows are text
    assert [(b.text, b.location) for b in doc.blocks] == [
        ("标题", Location(table=1, row=1, col=1)),
        ("5", Location(table=1, row=3, col=2)),
    ]
