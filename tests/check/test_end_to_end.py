"""End to end: synthetic report text (nianbao.synth) with one injected fault each → read →
check. A consistent report gives nothing above info; each fault gives its rule."""

from __future__ import annotations

import random

import pytest

from nianbao.check import check_across, check_report
from nianbao.model import Report
from nianbao.pipeline import process
from nianbao.synth import LAYOUTS, synth_cells, synth_report_text

CITY_AGENCY = "北京市规划和自然资源委员会"  # a city-level body: 规章 are plausible there


def fees_for(cells: dict) -> dict:
    unpaid = cells.get("table3.other.fee_unpaid.total") or 0
    return {"notices": unpaid + 1, "notice_amount_yuan": 100 * (unpaid + 1), "collected_yuan": 100}


def report_text(cells=None, *, edition="2021", year=2024, agency=CITY_AGENCY, layout="tab", seed=1, **kw) -> str:
    rng = random.Random(seed)
    cells = cells or synth_cells(rng, edition, scale=40)
    kw.setdefault("fees", fees_for(cells))
    return synth_report_text(cells, edition, layout, agency, year, rng, **kw)


def read(text: str, name: str = "report.txt") -> Report:
    return process(text.encode("utf-8"), name).report


def rules_above_info(report: Report) -> list[str]:
    return [d.rule for d in check_report(report) if d.severity != "info"]


def cells(seed: int = 1, edition: str = "2021", **kw) -> dict:
    return synth_cells(random.Random(seed), edition, scale=40, **kw)


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize(("edition", "year"), [("2021", 2024), ("2019", 2020)])
def test_consistent_report_gives_nothing_above_info(layout: str, edition: str, year: int) -> None:
    for seed in range(3):
        text = report_text(edition=edition, year=year, layout=layout, seed=seed, fees=fees_for(cells(seed, edition)))
        assert rules_above_info(read(text, "r.md" if layout == "markdown" else "r.txt")) == []


def test_broken_balance() -> None:
    c = cells()
    c["table3.carried_forward.natural_person"] += 1
    c["table3.carried_forward.total"] += 1
    found = check_report(read(report_text(c)))
    assert {d.rule for d in found if d.severity == "error"} == {"T3-BALANCE"}
    assert {d.cells[0] for d in found if d.rule == "T3-BALANCE"} == {
        "table3.new_received.natural_person",
        "table3.new_received.total",
    }


def test_results_do_not_add_up_while_balance_holds() -> None:
    c = cells()
    c["table3.granted.natural_person"] += 1
    c["table3.granted.total"] += 1
    assert set(rules_above_info(read(report_text(c)))) == {"T3-RESULTS-SUM"}


def test_wrong_row_total() -> None:
    c = cells()
    c["table3.denied.third_party.total"] += 2
    found = set(rules_above_info(read(report_text(c))))
    assert "T3-ROW-SUM" in found and found <= {"T3-ROW-SUM", "T3-RESULTS-SUM"}


def test_wrong_table4_total() -> None:
    c = cells()
    c["table4.litigation_direct.total"] += 1
    assert rules_above_info(read(report_text(c))) == ["T4-SUM"]


def test_negative_count() -> None:
    c = cells()
    old, c["table4.review.other"] = c["table4.review.other"], -1
    c["table4.review.total"] += -1 - old  # the total still adds up: only the sign is wrong
    found = check_report(read(report_text(c)))
    assert [(d.rule, d.cells) for d in found if d.severity != "info"] == [("VALUE-INVALID", ("table4.review.other",))]


def test_blank_block_reported_once() -> None:
    c = cells()
    for col in ("upheld", "corrected", "other", "pending", "total"):
        c[f"table4.review.{col}"] = None
    found = check_report(read(report_text(c)))
    assert [d.rule for d in found if d.severity != "info"] == ["CELL-BLANK"]
    assert "若按0计则平衡" in found[0].message


def test_2021_report_on_2019_tables() -> None:
    found = rules_above_info(read(report_text(cells(edition="2019"), edition="2019", year=2022)))
    assert "EDITION-YEAR" in found


def test_missing_section() -> None:
    text = report_text()
    start = text.index("五、存在的主要问题及改进情况")
    end = text.index("六、其他需要报告的事项")
    found = check_report(read(text[:start] + text[end:]))
    assert [d.cells for d in found if d.rule == "SECTION-MISSING"] == [("sections.problems",)]


def test_text_figure_contradicts_table() -> None:
    c = cells()
    new = c["table3.new_received.total"]
    text = report_text(c).replace(f"共收到政府信息公开申请{new}件", f"共收到政府信息公开申请{new + 5}件")
    found = [d for d in check_report(read(text)) if d.rule == "TEXT-TABLE"]
    assert [(d.severity, d.cells) for d in found] == [("warning", ("table3.new_received.total",))]


def test_missing_fee_statement() -> None:
    found = check_report(read(report_text(fees=None)))
    assert [d.rule for d in found if d.severity != "info"] == ["FEE-STATEMENT"]


def test_town_reporting_regulations() -> None:
    c = cells()
    c["table2.regulations.issued"], c["table2.regulations.in_force"] = 2, 2
    found = check_report(read(report_text(c, agency="湖南省桃江县松木塘镇人民政府")))
    assert [d.rule for d in found if d.rule == "IMPLAUSIBLE"] == ["IMPLAUSIBLE"]
    assert "乡镇" in next(d.message for d in found if d.rule == "IMPLAUSIBLE")


def test_carryover_break_between_two_years() -> None:
    before = cells(seed=1)
    chained = cells(seed=2, carried_over=before)
    a = read(report_text(before, year=2023, seed=1), "a-2023.txt")
    b = read(report_text(chained, year=2024, seed=2), "a-2024.txt")
    assert [d for d in check_across([a, b]) if d.rule == "CARRYOVER"] == []
    broken = dict(chained)
    broken["table3.carried_over.natural_person"] += 1
    broken["table3.carried_over.total"] += 1
    broken["table3.carried_forward.natural_person"] += 1
    broken["table3.carried_forward.total"] += 1
    b = read(report_text(broken, year=2024, seed=2), "a-2024.txt")
    assert rules_above_info(b) == []
    found = [d for d in check_across([a, b]) if d.rule == "CARRYOVER"]
    assert len(found) == 1 and found[0].files == ("a-2023.txt", "a-2024.txt")
    assert "自然人" in found[0].message and "总计" in found[0].message


def test_near_copy_of_last_year() -> None:
    a = read(report_text(cells(seed=1), year=2023, seed=1), "a-2023.txt")
    b = read(report_text(cells(seed=2), year=2024, seed=2), "a-2024.txt")
    found = [d for d in check_across([a, b]) if d.rule == "DUPLICATE-TEXT"]
    assert "sections.problems" in {d.cells[0] for d in found}
    assert all("相似度" in d.message and "a-2023.txt" in d.message for d in found)
