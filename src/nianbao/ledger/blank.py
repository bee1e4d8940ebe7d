"""``nianbao ledger template``: a blank ledger workbook with the two sheets, drop-down
lists, date cells and an instructions sheet in Chinese."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from nianbao.ledger import columns as C
from nianbao.ledger.deadlines import EXTENSION, TERM
from nianbao.template import T4_GROUPS, T4_LITIGATION

_REVIEW = dict(T4_GROUPS)["review"]  # 行政复议

ROWS = 500  # rows prepared with validation and date format
DATE_FORMAT = "yyyy-mm-dd"
LISTS = {
    "applicant": list(C.APPLICANTS),
    "result": list(C.RESULTS),
    "kind": list(C.KINDS),
    "outcome": list(C.OUTCOMES),
    "yesno": [C.YES, C.NO],
}

INSTRUCTIONS = f"""政府信息公开申请台账：填写说明
本台账每年可续用，可记多个年度；nianbao 从中统计年度报告的表三、表四及第六部分的信息处理费。
一、“{C.APPLICATIONS}”表：每件申请一行。
编号：本机关自编，台账内不得重复。
收到日期：当面提交的为提交当日；邮寄的为签收当日；网上提交的为确认收到当日（条例第三十一条）。
申请人类型：{"、".join(C.APPLICANTS)}（下拉选择）。
补正通知日期、补正收到日期：要求补正时填写；答复期限自收到补正之日起重新计算（条例第三十条）。
征求第三方意见日期、收到第三方意见日期：依条例第三十二条书面征求第三方意见时填写；征求意见所需的时间不计算在答复期限内（这两列为本工具所加，规格未列；旧台账没有这两列也可以）。
延期：经批准延长答复期限的填“是”（至多{EXTENSION}个工作日，条例第三十三条），否则填“否”或不填。
答复日期：作出答复的日期；仍在办理的不填。
办理结果：按年度报告表三的项目下拉选择，每件申请只选一项（部分公开的只计部分公开）；仍在办理的不填。
收费通知金额、实收金额：发出信息处理费收费通知的金额和实际收取的金额（元）。
二、“{C.CASES}”表：每个{_REVIEW}或{T4_LITIGATION}案件一行。
类型：{"、".join(C.KINDS)}。
申请编号：案件所涉申请在“{C.APPLICATIONS}”表中的编号（可不填）。
立案日期、结果、结案日期：结果为{"、".join(list(C.OUTCOMES)[:-1])}或{list(C.OUTCOMES)[-1]}；审结的填结案日期。
三、期限：答复期限为收到申请（或补正）之日起{TERM}个工作日，延期的再加至多{EXTENSION}个工作日，按国务院公布的节假日安排计算（含调休上班的周末）。
四、统计口径：上年结转 = 上一年度及以前收到、1月1日仍未答复的申请；结转下年度继续办理 = 12月31日仍未答复的申请；案件计入立案的年度，结果以12月31日的情况为准。
五、核对与统计：nianbao ledger check 台账.xlsx --year 年度；nianbao ledger tally 台账.xlsx --year 年度。"""


def template_bytes() -> bytes:
    wb = Workbook()
    choices = wb.active
    choices.title = C.CHOICES
    ranges = _choices(choices)
    for sheet, cols in C.SHEETS.items():
        _sheet(wb.create_sheet(sheet), cols, ranges)
    notes = wb.create_sheet(C.INSTRUCTIONS)
    notes.column_dimensions["A"].width = 110
    for i, line in enumerate(INSTRUCTIONS.splitlines(), start=1):
        notes.cell(i, 1, line).alignment = Alignment(wrap_text=True)
    notes["A1"].font = Font(bold=True, size=14)
    choices.sheet_state = "hidden"
    wb.move_sheet(C.CHOICES, offset=len(wb.sheetnames) - 1)
    wb.active = 0
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _choices(ws: Worksheet) -> dict[str, str]:
    """Write each list in its own column; return the range formula of each."""
    ranges = {}
    for j, (name, items) in enumerate(LISTS.items(), start=1):
        letter = get_column_letter(j)
        ws.cell(1, j, name)
        for i, item in enumerate(items, start=2):
            ws.cell(i, j, item)
        ranges[name] = f"'{C.CHOICES}'!${letter}$2:${letter}${len(items) + 1}"
    return ranges


def _sheet(ws: Worksheet, cols: tuple[C.Col, ...], ranges: dict[str, str]) -> None:
    head = PatternFill("solid", fgColor="DDEBF7")
    for j, c in enumerate(cols, start=1):
        cell = ws.cell(1, j, c.header)
        cell.font, cell.fill = Font(bold=True), head
        letter = get_column_letter(j)
        ws.column_dimensions[letter].width = c.width
        area = f"{letter}2:{letter}{ROWS + 1}"
        dv = _validation(c, ranges)
        if dv is not None:
            ws.add_data_validation(dv)
            dv.add(area)
        if c.kind == "date":
            for (cell,) in ws[area]:
                cell.number_format = DATE_FORMAT
    ws.freeze_panes = "A2"


def _validation(c: C.Col, ranges: dict[str, str]) -> DataValidation | None:
    if c.kind == "choice" or c.kind == "yesno":
        name = "yesno" if c.kind == "yesno" else c.key
        dv = DataValidation(type="list", formula1=ranges[name], allow_blank=True)
        dv.error, dv.errorTitle = "请从下拉列表中选择", c.header
        return _alert(dv)
    if c.kind == "date":
        dv = DataValidation(type="date", operator="greaterThan", formula1="36526", allow_blank=True)  # after 2000-01-01
        dv.error, dv.errorTitle = "请填写日期，如 2024-03-05", c.header
        return _alert(dv)
    if c.kind == "amount":
        dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        dv.error, dv.errorTitle = "请填写不小于0的金额（元）", c.header
        return _alert(dv)
    return None


def _alert(dv: DataValidation) -> DataValidation:
    """Excel and WPS refuse a wrong entry with dv.error only when showErrorMessage is set (off by default)."""
    dv.showErrorMessage = True
    return dv
