"""A ledger written by hand: applications across 2023–2025 with 补正, extensions,
holidays, carry-over, fees, reviews and lawsuits (the expected tables in
test_tally.py are counted by hand from these rows)."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from pathlib import Path

from openpyxl import load_workbook

from nianbao.ledger import template_bytes

D = date
GRANTED = "予以公开"
PARTIAL = "部分公开"
NO_CORRECTION = "其他处理/申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
FEE_UNPAID = "其他处理/申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"

# id, received, applicant, correction sent, correction received, extended, answered, result, fee notice, collected
APPLICATIONS = [
    ("A01", D(2023, 3, 1), "自然人", None, None, None, D(2023, 3, 20), GRANTED, None, None),  # row 2
    ("A02", D(2023, 12, 12), "自然人", None, None, None, D(2024, 1, 10), GRANTED, None, None),  # due 2024-01-10
    ("A03", D(2023, 12, 15), "商业企业", None, None, "否", D(2024, 1, 15), PARTIAL, None, None),
    (
        "A04",
        D(2023, 12, 20),
        "自然人",
        D(2023, 12, 22),
        D(2024, 1, 5),
        None,
        D(2024, 1, 30),
        "无法提供/本机关不掌握相关政府信息",
        None,
        None,
    ),
    (
        "A05",
        D(2023, 6, 1),
        "法律服务机构",
        None,
        None,
        None,
        D(2023, 6, 20),
        "（三）不予公开 1.属于国家秘密",
        None,
        None,
    ),
    ("A06", D(2023, 12, 28), "科研机构", None, None, None, D(2025, 1, 6), GRANTED, None, None),  # due 2024-01-26
    ("B01", D(2024, 1, 8), "自然人", None, None, None, D(2024, 1, 22), GRANTED, None, None),  # row 8
    ("B02", D(2024, 1, 15), "自然人", None, None, None, D(2024, 2, 5), GRANTED, None, None),
    ("B03", D(2024, 2, 1), "自然人", None, None, None, D(2024, 3, 5), PARTIAL, None, None),  # 春节: due 03-05
    ("B04", D(2024, 2, 1), "商业企业", None, None, None, D(2024, 3, 6), GRANTED, None, None),  # 1 day late
    ("B05", D(2024, 3, 11), "自然人", None, None, None, D(2024, 3, 29), "不予公开/保护第三方合法权益", None, None),
    (
        "B06",
        D(2024, 4, 1),
        "自然人",
        D(2024, 4, 3),
        D(2024, 4, 15),
        None,
        D(2024, 5, 10),
        "（四）无法提供 2.没有现成信息需要另行制作",
        None,
        None,
    ),
    ("B07", D(2024, 4, 8), "社会公益组织", None, None, None, D(2024, 4, 30), "不予处理/信访举报投诉类申请", None, None),
    ("B08", D(2024, 5, 6), "自然人", None, None, None, D(2024, 5, 20), "重复申请", None, None),
    ("B09", D(2024, 5, 13), "自然人", D(2024, 5, 15), None, None, D(2024, 6, 20), NO_CORRECTION, None, None),
    ("B10", D(2024, 6, 3), "商业企业", None, None, None, D(2024, 6, 28), FEE_UNPAID, 300, None),
    ("B11", D(2024, 6, 17), "法律服务机构", None, None, None, D(2024, 7, 5), GRANTED, 200, 200),
    ("B12", D(2024, 7, 1), "其他", None, None, None, D(2024, 7, 15), "其他处理/其他", None, None),
    ("B13", D(2024, 7, 8), "自然人", None, None, None, D(2024, 7, 26), "不予公开/属于三类内部事务信息", None, None),
    (
        "B14",
        D(2024, 8, 5),
        "自然人",
        None,
        None,
        None,
        D(2024, 8, 20),
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        None,
        None,
    ),
    ("B15", D(2024, 9, 20), "自然人", None, None, None, D(2024, 10, 25), GRANTED, None, None),  # due 10-23: 2 days late
    ("B16", D(2024, 9, 20), "商业企业", None, None, "是", D(2024, 11, 15), PARTIAL, None, None),  # due 11-20
    ("B17", D(2024, 10, 14), "自然人", None, None, None, D(2024, 11, 1), "不予处理/要求提供公开出版物", None, None),
    ("B18", D(2024, 11, 1), "自然人", None, None, None, None, None, None, None),  # open: due 11-29
    ("B19", D(2024, 12, 20), "科研机构", None, None, None, D(2025, 1, 10), GRANTED, None, None),
    ("B20", D(2024, 12, 2), "自然人", None, None, None, D(2024, 12, 16), GRANTED, 100, 100),
    ("B21", D(2024, 3, 4), "社会公益组织", None, None, None, D(2024, 3, 20), GRANTED, None, None),
    ("C01", D(2025, 1, 6), "自然人", None, None, None, D(2025, 1, 20), GRANTED, None, None),
    ("C02", D(2025, 2, 10), "自然人", None, None, None, None, None, None, None),  # row 30
]

# id, kind, application, opened, outcome, closed
CASES = [
    ("R01", "行政复议", "A02", D(2023, 5, 10), "结果维持", D(2023, 7, 1)),  # row 2
    ("R02", "行政复议", "B05", D(2024, 4, 15), "结果维持", D(2024, 6, 10)),
    ("R03", "行政复议", "B06", D(2024, 6, 1), "结果纠正", D(2024, 8, 1)),
    ("R04", "行政复议", "B13", D(2024, 9, 1), "结果维持", D(2025, 1, 15)),
    ("R05", "行政诉讼（未经复议直接起诉）", "B08", D(2024, 7, 1), "其他结果", D(2024, 11, 20)),
    ("R06", "行政诉讼（未经复议直接起诉）", "B10", D(2024, 10, 10), "尚未审结", None),
    ("R07", "行政诉讼（复议后起诉）", "B05", D(2024, 7, 20), "结果维持", D(2024, 12, 10)),
    ("R08", "行政复议", None, D(2023, 11, 1), "结果纠正", D(2024, 2, 1)),  # row 9
]

# Rows with mistakes, appended to the applications (rows 31–40) and cases (row 10).
BAD_APPLICATIONS = [
    ("B01", D(2024, 3, 1), "自然人", None, None, None, D(2024, 3, 5), GRANTED, None, None),  # duplicate id
    ("D02", "2024-02-30", "自然人", None, None, None, None, None, None, None),  # no such date
    ("D03", D(2024, 5, 10), "自然人", None, None, None, D(2024, 5, 8), GRANTED, None, None),  # answered first
    ("D04", D(2024, 5, 10), "企业", None, None, None, None, GRANTED, None, None),  # unknown type; result, no answer
    ("D05", D(2024, 6, 1), "自然人", None, None, None, D(2024, 6, 10), None, None, None),  # answer, no result
    ("D06", D(2024, 6, 3), "自然人", None, None, None, D(2024, 6, 20), GRANTED, None, 50),  # collected, no notice
    ("D07", D(2024, 6, 3), "自然人", None, None, None, D(2024, 6, 20), FEE_UNPAID, None, None),  # no notice
    ("D08", D(2024, 6, 3), "自然人", None, None, None, D(2024, 6, 20), NO_CORRECTION, None, None),  # no 补正
    ("D09", None, "自然人", None, None, None, None, None, None, None),  # no received date
    ("D10", D(2024, 6, 3), "自然人", None, None, None, D(2024, 6, 20), "已答复", None, None),  # unknown result
]
BAD_CASES = [("R09", "行政复议", "X99", D(2024, 3, 1), "尚未审结", D(2024, 4, 1))]


def write_ledger(path: Path, applications: list[tuple] = APPLICATIONS, cases: list[tuple] = CASES) -> Path:
    """Fill the blank template with ``applications`` and ``cases`` from row 2 on."""
    wb = load_workbook(BytesIO(template_bytes()))
    for sheet, rows in (("申请", applications), ("复议诉讼", cases)):
        ws = wb[sheet]
        for i, row in enumerate(rows, start=2):
            for j, v in enumerate(row, start=1):
                ws.cell(i, j).value = v
    wb.save(path)
    return path


def write_draft(path: Path, tallied, change: dict[str, object] | None = None, blank: tuple[str, ...] = ()) -> Path:
    """A draft report as an agency types it (synthetic text, 2021 edition): 表二 and the six sections,
    表三/表四 and fees as the ledger counts them, except ``change``; ``blank`` cells left empty."""
    import random

    from nianbao.synth.report import synth_report_text
    from nianbao.synth.values import synth_cells

    rng = random.Random(tallied.year)
    cells = synth_cells(rng, "2021")
    cells |= {p: v.value for p, v in tallied.cells.items() if p in cells} | (change or {}) | dict.fromkeys(blank)
    f = tallied.fees
    fees = {"notices": f.notices, "notice_amount_yuan": f.notice_amount_yuan, "collected_yuan": f.collected_yuan}
    text = synth_report_text(cells, "2021", "tab", tallied.agency, tallied.year, rng, fees=fees, published=None)
    path.write_text(text, encoding="utf-8")
    return path
