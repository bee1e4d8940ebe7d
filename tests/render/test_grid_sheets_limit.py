"""The matrix XLSX (render.grid_sheets) past Excel's last row (``MAX_ROWS``, lowered here): every
row is kept, going on in ``title (2)``, … under the same header, and the notes move to a sheet 说明
that says so, which the workbook opens on. Read back with openpyxl."""

from __future__ import annotations

import io

import openpyxl
import pytest

from nianbao.render import grid_sheets
from nianbao.render.grid_sheets import to_xlsx

HEAD = ["机关", "地区", "2023年", "2024年"]
ROWS = [[f"第{i}局", "北京市", i / 10, None] for i in range(7)]
NOTES = ["予以公开率 = 表三 予以公开 ÷ 办理结果总计", "注：说明"]


def book(rows: list, notes: list[str]) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(to_xlsx("予以公开率", HEAD, rows, notes, 2)))


def values(ws) -> list[list]:  # noqa: ANN001
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_under_the_limit_one_sheet_with_the_notes_under_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(grid_sheets, "MAX_ROWS", 11)  # header, 7 rows, a blank row, 2 notes: they fit
    wb = book(ROWS, NOTES)
    assert wb.sheetnames == ["予以公开率"]
    assert values(wb.active)[1:8] == ROWS and [r[0] for r in values(wb.active)[8:]] == [None, *NOTES]


def test_rows_past_the_last_go_on_in_a_next_sheet(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(grid_sheets, "MAX_ROWS", 4)  # a header and 3 rows a sheet
    wb = book(ROWS, NOTES)
    assert wb.sheetnames == ["予以公开率", "予以公开率 (2)", "予以公开率 (3)", "说明"]
    assert wb.active.title == "说明"
    parts = [wb[t] for t in wb.sheetnames[:3]]
    assert [r for ws in parts for r in values(ws)[1:]] == ROWS  # none lost, no note among them
    for ws in parts:
        assert values(ws)[0] == HEAD and ws.freeze_panes == "B2" and ws.max_row <= 4
        assert ws.auto_filter.ref == f"A1:D{ws.max_row}" and ws["C2"].number_format == "0.0%"
    lines = [r[0] for r in values(wb["说明"])]
    assert lines[:2] == NOTES
    assert lines[2].startswith("「予以公开率」共 7 行，超过 Excel 每张工作表 4 行")
    assert "「予以公开率 (3)」1 行" in lines[2] and "CSV" in lines[3]


def test_rows_that_fit_but_not_with_their_notes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(grid_sheets, "MAX_ROWS", 8)  # the 7 rows fit, the notes under them do not
    wb = book(ROWS, NOTES)
    assert wb.sheetnames == ["予以公开率", "说明"]
    assert values(wb["予以公开率"])[1:] == ROWS
    assert [r[0] for r in values(wb["说明"])] == NOTES


def test_a_long_title_numbered_within_excels_31_characters(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(grid_sheets, "MAX_ROWS", 4)
    title = "表" * 40
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx(title, HEAD, ROWS, [], None)))
    assert wb.sheetnames == ["表" * 31, "表" * 27 + " (2)", "表" * 27 + " (3)", "说明"]


def test_a_title_with_characters_excel_refuses() -> None:  # a matrix of 表二 “行政许可·本年增/减”
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx("表二“行政许可·本年增/减”[a:b]?*\\", HEAD, ROWS, [], None)))
    assert wb.sheetnames == ["表二“行政许可·本年增／减”［a：b］？＊＼"]
