"""The 汇总 exported in the template's layout: XLSX (merged headers, A4) and DOCX (read back)."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import load_workbook

from nianbao.analysis.rollup import rollup
from nianbao.pipeline import process
from nianbao.render.docx import render_docx
from nianbao.render.layout_xlsx import layout_xlsx
from nianbao.template import edition
from tests.analysis.test_rollup import UNITS
from tests.builders import case_report


def test_xlsx_has_the_template_layout_and_prints_on_a4() -> None:
    total = rollup(UNITS)
    data = layout_xlsx(
        total.as_report(agency="样例区汇总"), "样例区 2024年 3份报告的汇总", {"table3.new_received.total": "3份有值"}
    )
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["表二", "表三", "表四"]
    t3 = wb["表三"]
    merged = {str(r) for r in t3.merged_cells.ranges}
    assert {"A3:C5", "D3:J3", "D4:D5", "E4:I4", "J4:J5"} <= merged  # note corner, 申请人情况, 自然人, 法人…, 总计
    assert t3["D3"].value == "申请人情况" and t3["E4"].value == "法人或其他组织"
    assert t3["A6"].value.startswith("一、本年新收") and t3["D6"].value == 9 and t3["J6"].value == 12  # 3+6+0, 5+7+0
    assert t3["J6"].comment.text == "3份有值"
    assert t3.freeze_panes == "D6"
    t4 = wb["表四"]
    assert {"A3:E3", "F3:O3", "F4:J4", "K4:O4", "A4:A5"} <= {str(r) for r in t4.merged_cells.ranges}
    assert t4["A6"].value is None  # 行政复议 blank in every unit stays blank, not 0
    for ws in (wb["表二"], t3, t4):  # 9: A4 in the OOXML paper codes
        assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape"
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.column_dimensions["A"].width > 5
    assert t3.print_title_rows == "$3:$5"


def test_docx_reads_back_to_the_sums(tmp_path: Path) -> None:
    total = rollup(UNITS)
    path = tmp_path / "汇总.docx"
    path.write_bytes(render_docx(total.as_report(agency="北京市样例区各单位汇总", year=2024)))
    back = process(path).report
    for p in ("table3.new_received.total", "table3.new_received.commercial", "table2.licensing.decisions"):
        assert back.value(p) == total.value(p), p
    assert back.value("table2.fees.amount_wan") == 1.55
    assert back.value("table3.granted.total") == 0
    assert back.value("table4.review.total") is None


def test_a_2019_rollup_has_the_2019_layout() -> None:
    old = [
        (i, case_report({"file": f"{i}.txt", "edition": "2019", "cells": {"table2.fees.change": -i}})) for i in (1, 2)
    ]
    total = rollup(old)
    assert total.edition == "2019" and total.value("table2.fees.change") == -3  # −1 + −2: signed cells sum too
    wb = load_workbook(io.BytesIO(layout_xlsx(total.as_report(), "2019年版")))
    assert wb["表三"].max_row - 5 == len(edition("2019").table3)  # title, subtitle, 3 header rows, then a row each
    assert "本年增/减" in {c.value for row in wb["表二"].iter_rows() for c in row}  # a 2019 表二 column
