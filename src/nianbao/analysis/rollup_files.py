"""The 汇总 as files in the template's layout: XLSX (cell notes for blanks, a sheet listing
the reports) and DOCX (the official report layout)."""

from __future__ import annotations

from nianbao.analysis.rollup import Rollup
from nianbao.render.docx import render_docx
from nianbao.render.layout_xlsx import layout_xlsx

KINDS = ("xlsx", "docx")
LISTING = ("编号", "机关", "年度", "模板版本", "地区")


def title(total: Rollup, region: str | None) -> str:
    """'北京市西城区（12份报告汇总）'."""
    return f"{region or '所选单位'}（{len(total.members)}份报告汇总）"


def rollup_file(total: Rollup, kind: str, region: str | None = None, year: int | None = None) -> bytes:
    """The 汇总 as ``kind`` ("xlsx" | "docx")."""
    report = total.as_report(agency=title(total, region), year=year, region=region)
    if kind == "docx":
        return render_docx(report)
    notes = {p: f"{c.count}份报告有值，{len(c.blanks)}份空白" for p, c in total.cells.items() if c.blanks}
    rows = [(m.id, m.agency, m.year, m.edition, m.region) for m in total.members]
    return layout_xlsx(report, total.describe(), notes, ("所含报告", LISTING, rows))
