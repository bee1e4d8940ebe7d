"""The findings XLSX past Excel's last row (``render.workbook.MAX_ROWS``, lowered here so a few
findings reach it): every finding is kept, going on in 问题 (2), … under the same header, and the
sheet 说明, which the workbook opens on, says so. Read back with openpyxl."""

from __future__ import annotations

import io

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from nianbao.render import workbook
from nianbao.render.notice_docx import XLSX_COLUMNS, findings_xlsx

HEAD = tuple(title for title, _, _ in XLSX_COLUMNS)
FINDINGS = [
    {
        "rule": "T3-BALANCE",
        "severity": "error" if i % 2 else "warning",
        "message": f"=第{i}个问题" if i == 3 else f"第{i}个问题",  # text, never a formula
        "cells": ["table3.new_received.natural_person"],
        "location": {"page": i, "line": 2},
        "source_file": f"/某处/报告{i}.pdf",
        "state": "需整改",
        "comment": None,
        "agency": f"某县{i}局",
        "region": "测试省某县",
        "year": 2023,
        "report_id": i,
        "who": "",
        "at": None,
    }
    for i in range(1, 8)
]


def rows(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def body(ws) -> list[tuple]:  # noqa: ANN001
    return [tuple(c.value for c in row) for row in ws.iter_rows(min_row=2)]


def test_findings_past_the_last_row_go_on_in_a_next_sheet_and_the_workbook_says_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    whole = rows(findings_xlsx(FINDINGS))
    assert whole.sheetnames == ["问题"] and len(body(whole["问题"])) == 7  # under the limit: as ever
    assert whole["问题"]["H4"].value == "=第3个问题" and whole["问题"]["H4"].data_type == "s"

    monkeypatch.setattr(workbook, "MAX_ROWS", 4)  # the header and 3 findings a sheet
    split = rows(findings_xlsx(iter(FINDINGS)))  # any iterable, read once
    assert split.sheetnames == ["问题", "问题 (2)", "问题 (3)", "说明"]
    parts = [split[t] for t in split.sheetnames[:3]]
    assert [len(body(ws)) for ws in parts] == [3, 3, 1]
    assert [r for ws in parts for r in body(ws)] == body(whole["问题"])  # none lost, in order
    for ws in parts:  # each part as ready to read as the first: header, frozen, filtered
        assert next(ws.iter_rows(max_row=1, values_only=True)) == HEAD
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref == f"A1:{get_column_letter(len(HEAD))}{ws.max_row}"
    assert split.active.title == "说明"
    lines = [row[0] for row in split["说明"].iter_rows(values_only=True)]
    assert lines[0].startswith("「问题」共 7 行，超过 Excel 每张工作表 4 行")
    assert "「问题 (3)」1 行" in lines[0]
    assert "CSV" in lines[-1]


def test_no_findings_is_a_header_alone() -> None:
    ws = rows(findings_xlsx([])).active
    assert ws.title == "问题" and [tuple(r) for r in ws.iter_rows(values_only=True)] == [HEAD]
