"""The blank ledger: two sheets with the columns of ledger.md, drop-down lists, date cells, instructions."""

from __future__ import annotations

from io import BytesIO

from openpyxl import load_workbook

from nianbao.ledger import template_bytes
from nianbao.ledger.columns import APPLICATION_COLUMNS, CASE_COLUMNS, RESULTS


def _book():
    return load_workbook(BytesIO(template_bytes()))


def test_sheets_and_headers() -> None:
    wb = _book()
    assert wb.sheetnames[:3] == ["申请", "复议诉讼", "说明"]
    assert [c.value for c in wb["申请"][1]] == [c.header for c in APPLICATION_COLUMNS]
    assert [c.value for c in wb["复议诉讼"][1]] == [c.header for c in CASE_COLUMNS]
    assert "第三十三条" in "\n".join(str(c.value) for (c,) in wb["说明"].iter_rows(max_col=1))


def _lists(ws) -> dict[str, list[str]]:
    """Column header → the items of its drop-down list."""
    wb = ws.parent
    out = {}
    for dv in ws.data_validations.dataValidation:
        col = str(dv.sqref).split(":")[0].rstrip("0123456789")
        header = ws[f"{col}1"].value
        if dv.type == "list":
            sheet, cells = dv.formula1.split("!")
            first, last = cells.replace("$", "").split(":")
            out[header] = [c.value for (c,) in wb[sheet.strip("'")][f"{first}:{last}"]]
        else:
            out[header] = [dv.type]
    return out


def test_drop_downs_and_dates() -> None:
    wb = _book()
    apps, cases = _lists(wb["申请"]), _lists(wb["复议诉讼"])
    assert apps["申请人类型"] == ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    assert apps["办理结果"] == list(RESULTS)
    assert "其他处理" in apps["办理结果"] and "不予公开/属于国家秘密" in apps["办理结果"]  # both editions
    assert apps["延期"] == ["是", "否"]
    assert apps["收到日期"] == apps["答复日期"] == ["date"]
    assert apps["实收金额"] == ["decimal"]
    assert cases["结果"] == ["结果维持", "结果纠正", "其他结果", "尚未审结"]
    assert cases["类型"] == ["行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）"]
    assert wb["申请"]["B2"].number_format == "yyyy-mm-dd"


def test_a_wrong_entry_is_refused_with_its_message() -> None:
    wb = _book()
    for ws in (wb["申请"], wb["复议诉讼"]):
        for dv in ws.data_validations.dataValidation:
            assert dv.showErrorMessage and dv.error, dv.sqref
