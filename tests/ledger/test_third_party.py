"""条例第三十二条: the working days spent waiting for a third party's opinion do not count
toward the deadline (two optional columns the spec's ledger.md lacks)."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from pathlib import Path

from openpyxl import load_workbook

from nianbao.ledger import check_ledger, due, open_on, read_ledger, template_bytes
from tests.ledger.ledger_make import GRANTED, write_ledger

D = date
TODAY = D(2025, 3, 1)


def test_the_pause_moves_the_deadline() -> None:
    assert due(D(2024, 9, 20)) == D(2024, 10, 23)
    # asked 09-25, answered 09-27: 2 working days (09-26, 09-27) not counted → 10-23 + 2 working days
    assert due(D(2024, 9, 20), third_party_sent=D(2024, 9, 25), third_party_received=D(2024, 9, 27)) == D(2024, 10, 25)
    # over the National Day holiday only its working days count: 09-29 (a Sunday worked), 09-30, 10-08
    assert due(D(2024, 9, 20), third_party_sent=D(2024, 9, 27), third_party_received=D(2024, 10, 8)) == D(2024, 10, 28)
    assert due(D(2024, 9, 20), third_party_sent=D(2024, 9, 25)) is None  # still waiting: the clock stands still


# id, received, applicant, correction sent/received, extended, answered, result, fees, note, third party asked/answered
ROWS = [
    (
        "T01",
        D(2024, 9, 20),
        "自然人",
        None,
        None,
        None,
        D(2024, 10, 25),
        GRANTED,
        None,
        None,
        None,
        D(2024, 9, 25),
        D(2024, 9, 27),
    ),
    ("T02", D(2024, 9, 20), "自然人", None, None, None, D(2024, 10, 25), GRANTED, None, None, None, None, None),
    ("T03", D(2024, 12, 2), "自然人", None, None, None, None, None, None, None, None, D(2024, 12, 10), None),
    (
        "T04",
        D(2024, 9, 20),
        "自然人",
        None,
        None,
        None,
        D(2024, 10, 20),
        GRANTED,
        None,
        None,
        None,
        None,
        D(2024, 9, 27),
    ),
]


def test_a_ledger_with_the_pause_columns(tmp_path: Path) -> None:
    ledger = read_ledger(write_ledger(tmp_path / "l.xlsx", ROWS, []))
    found = check_ledger(ledger, 2024, TODAY)
    late = {d.cells[0] for d in found if d.rule == "LEDGER-LATE"}
    assert late == {"申请!3"}  # T02 is 2 working days late; T01 waited 2 days for the third party
    order = [d.message for d in found if d.rule == "LEDGER-DATE-ORDER"]
    assert order == ["「申请」第5行（编号 T04）有收到第三方意见日期，却没有征求第三方意见日期"]
    waiting = {o.row.get("id"): o.why for o in open_on(ledger, D(2024, 12, 31))}
    assert waiting == {"T03": "等待第三方意见"}


def test_an_older_ledger_without_them_lacks_nothing(tmp_path: Path) -> None:
    wb = load_workbook(BytesIO(template_bytes()))
    ws = wb["申请"]
    headers = [c.value for c in ws[1]]
    assert headers[-2:] == ["征求第三方意见日期", "收到第三方意见日期"]  # date cells in the blank ledger
    assert {str(v.sqref) for v in ws.data_validations.dataValidation if v.type == "date"} >= {"L2:L501", "M2:M501"}
    ws.delete_cols(headers.index("征求第三方意见日期") + 1, 2)
    ws.append(["A1", D(2024, 3, 1), "自然人", None, None, None, D(2024, 3, 5), GRANTED])
    wb.save(tmp_path / "old.xlsx")
    found = check_ledger(read_ledger(tmp_path / "old.xlsx"), 2024, TODAY)
    assert not [d for d in found if d.rule == "LEDGER-COLUMNS"]
