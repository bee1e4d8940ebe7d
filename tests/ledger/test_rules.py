"""The ledger rules: late answers on the holiday schedule, and each rule's violations."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from nianbao.ledger import LEDGER_RULES, CalendarError, check_ledger, due, read_ledger
from tests.ledger.ledger_make import APPLICATIONS, BAD_APPLICATIONS, BAD_CASES, CASES, write_ledger

TODAY = date(2025, 3, 1)


def test_deadlines_follow_the_holiday_schedule() -> None:
    assert due(date(2024, 9, 20)) == date(2024, 10, 23)  # 国庆; Sunday 9-29 and Saturday 10-12 are working days
    assert due(date(2024, 9, 20), extended=True) == date(2024, 11, 20)
    assert due(date(2024, 2, 1)) == date(2024, 3, 5)  # 春节; Sundays 2-4 and 2-18 are working days
    assert due(date(2024, 4, 1)) == date(2024, 4, 29)
    assert due(date(2024, 4, 1), date(2024, 4, 3), date(2024, 4, 15)) == date(2024, 5, 14)  # 补正 restarts
    assert due(date(2024, 4, 1), date(2024, 4, 3)) is None  # waiting for the 补正


def test_a_year_the_calendar_lacks_is_a_clear_error() -> None:
    with pytest.raises(CalendarError, match="不含2099年"):
        due(date(2099, 3, 2))


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory):
    return read_ledger(write_ledger(tmp_path_factory.mktemp("l") / "good.xlsx"))


def test_late_answers_are_listed(good) -> None:
    found = check_ledger(good, 2024, TODAY)
    assert {d.rule for d in found} == {"LEDGER-LATE"}
    late = {d.cells[0]: d.values["days_late"] for d in found}
    assert set(late) == {"申请!7", "申请!11", "申请!22", "申请!25"}  # A06, B04, B15, B18
    assert (late["申请!11"], late["申请!22"], late["申请!25"]) == (1, 2, 22)
    open_one = next(d for d in found if d.cells == ("申请!25",))
    assert open_one.values["open"] and "2024-12-31仍未答复" in open_one.message
    assert all(d.severity == "warning" for d in found)


def test_later_years_are_out_of_scope(good) -> None:
    early = {d.cells[0] for d in check_ledger(good, 2023, TODAY)}
    assert early == {"申请!7"}  # A06, answered late in 2025; rows received in 2024 are not looked at
    # C02 (received 2025-02-10) is not yet due on TODAY
    assert "申请!30" not in {d.cells[0] for d in check_ledger(good, None, TODAY)}


def test_violations_are_named(tmp_path: Path) -> None:
    ledger = read_ledger(write_ledger(tmp_path / "bad.xlsx", APPLICATIONS + BAD_APPLICATIONS, CASES + BAD_CASES))
    found = [d for d in check_ledger(ledger, 2024, TODAY) if d.rule != "LEDGER-LATE"]
    got = sorted((d.rule, d.cells) for d in found)
    assert got == sorted(
        [
            ("LEDGER-ID-DUPLICATE", ("申请!8", "申请!31")),
            ("LEDGER-VALUE", ("申请!32",)),  # 2024-02-30
            ("LEDGER-DATE-ORDER", ("申请!33",)),
            ("LEDGER-VALUE", ("申请!34",)),  # 企业
            ("LEDGER-ANSWER-RESULT", ("申请!34",)),
            ("LEDGER-ANSWER-RESULT", ("申请!35",)),
            ("LEDGER-FEE", ("申请!36",)),
            ("LEDGER-FEE", ("申请!37",)),
            ("LEDGER-CORRECTION", ("申请!38",)),
            ("LEDGER-REQUIRED", ("申请!39",)),
            ("LEDGER-VALUE", ("申请!40",)),  # 已答复
            ("LEDGER-ANSWER-RESULT", ("复议诉讼!10",)),
            ("LEDGER-CASE-APPLICATION", ("复议诉讼!10",)),
        ]
    )
    assert all(d.severity == "error" for d in found if d.rule != "LEDGER-CASE-APPLICATION")
    value = next(d for d in found if d.cells == ("申请!32",))
    assert "收到日期“2024-02-30”" in value.message


def test_future_dates_and_missing_columns(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "申请"
    ws.append(["编号", "收到日期", "申请人类型", "答复日期", "办理结果"])
    ws.append(["Z1", date(2024, 3, 1), "自然人", date(2025, 10, 1), "予以公开"])
    wb.save(tmp_path / "partial.xlsx")
    found = check_ledger(read_ledger(tmp_path / "partial.xlsx"), None, TODAY)
    missing = {d.values["header"] or d.values["sheet"]: d.severity for d in found if d.rule == "LEDGER-COLUMNS"}
    assert missing == {"复议诉讼": "error", "补正通知日期": "warning", "补正收到日期": "warning", "延期": "warning"} | {
        "收费通知金额": "warning",
        "实收金额": "warning",
        "备注": "warning",
    }
    assert [d.cells for d in found if d.rule == "LEDGER-DATE-FUTURE"] == [("申请!2",)]


def test_every_rule_is_documented() -> None:
    docs = (Path(__file__).parents[2] / "docs" / "ledger.md").read_text(encoding="utf-8")
    for r in LEDGER_RULES:
        assert "反例：" in r.doc and "正例：" in r.doc, r.id
        assert r.id in docs, r.id


def test_open_applications_with_their_deadlines(good) -> None:
    from nianbao.ledger import open_on

    found = {o.row.get("id"): (o.due, o.left, o.why) for o in open_on(good, date(2024, 12, 31))}
    assert set(found) == {"A06", "B18", "B19"}
    assert found["B18"] == (date(2024, 11, 29), -22, "")
    assert found["B19"] == (date(2025, 1, 20), 13, "")  # 2025-01-01 off: 01-02, 01-03 and 11 days to 01-20
    waiting = {o.row.get("id"): o.why for o in open_on(good, date(2024, 5, 20))}
    assert waiting == {"A06": "", "B09": "等待补正"}


def test_dates_typed_many_ways() -> None:
    from nianbao.ledger.read import as_date

    for typed in ("2024-01-05", "2024/1/5", "2024.1.5", "2024年1月5日", "20240105", "２０２４－０１－０５", 45296):
        assert as_date(typed) == date(2024, 1, 5), typed
    for wrong in ("2024-02-30", "1月5日", 12, 45296.5, True):
        assert as_date(wrong) is None, wrong
