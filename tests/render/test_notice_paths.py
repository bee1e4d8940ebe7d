"""A 问题清单 names a report by its agency, year and file name, never a path on the reviewer's
machine: cross-report findings' messages name the reports' files as they were read."""

from __future__ import annotations

import io

import docx
import openpyxl

from nianbao.render.notice_docx import findings_xlsx, notice_docx

OWN = "/home/审核员/年报/tests/reports/xicheng-qu-2024.md"
OTHER = r"D:\年报\2023\xicheng-qu-2023.html"
FINDING = {
    "rule": "CARRYOVER",
    "severity": "warning",
    "message": f"2024年“北京市西城区人民政府”（{OWN}）的“二、上年结转”与2023年“北京市西城区人民政府”（{OTHER}）的"
    "“四、结转下年度继续办理”不符：总计181≠16",
    "cells": ["table3.carried_over.total"],
    "location": {"line": 91},
    "files": [OWN, OTHER],
    "source_file": OWN,
    "values": {"location_file": OWN},
    "state": "待核实",
    "agency": "北京市西城区人民政府",
    "year": 2024,
}


def _text(data: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


def test_the_letter_names_files_never_paths() -> None:
    text = _text(notice_docx("北京市西城区人民政府", 2024, [FINDING]))
    assert "（xicheng-qu-2024.md）的“二、上年结转”与2023年“北京市西城区人民政府”（xicheng-qu-2023.html）" in text
    assert "位置：xicheng-qu-2024.md（第91行）；xicheng-qu-2023.html" in text
    assert "年报" not in text.replace("年度报告", "") and "/" not in text and "\\" not in text


def test_the_findings_sheet_names_files_never_paths() -> None:
    sheet = openpyxl.load_workbook(io.BytesIO(findings_xlsx([FINDING])))["问题"]
    row = [c.value for c in sheet[2]]
    assert "xicheng-qu-2024.md" in row
    assert not any("/" in str(v) or "\\" in str(v) for v in row if v)
