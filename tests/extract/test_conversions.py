"""Markdown conversions by other tools (synthetic, ``nianbao.synth.conversion``):
every cell read as printed, all six sections found, no error-level finding."""

from __future__ import annotations

import random

import pytest

from nianbao.check import check_report
from nianbao.pipeline import process
from nianbao.synth import synth_cells
from nianbao.synth.conversion import HEADINGS, OTHER_ITEMS, Conversion, expected_cells, synth_report_conversion
from nianbao.template import SECTIONS

DETACHED = ("partially_granted", "denied.prohibited_by_law", "unable.not_held", "unable.needs_creation")
CASES = {
    "per_group": Conversion(),
    "per_group_mixed": Conversion(headings="reworded", mixed=True),
    "spaced": Conversion(headings="spaced", footers=False),
    "detached": Conversion(headings="unnumbered", per_group=False, detached=DETACHED),
    "detached_mixed": Conversion(headings="reworded", per_group=False, detached=DETACHED[1:], mixed=True),
}


def _read(seed: int, conv: Conversion):
    rng = random.Random(seed)
    cells = synth_cells(rng, "2021")
    text = synth_report_conversion(cells, "某市某区某局", 2023, rng, conv)
    return process(text.encode(), "report.md").report, expected_cells(cells, conv)


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("seed", range(6))
def test_every_cell_as_printed(name: str, seed: int) -> None:
    report, want = _read(seed, CASES[name])
    got = {p: report.value(p) for p in want}
    assert got == want
    assert set(report.sections) == {s.key for s in SECTIONS}
    assert report.tables_found == {"table2": "full", "table3": "full", "table4": "full"}
    errors = [d for d in check_report(report) if d.severity == "error"]
    assert errors == []


@pytest.mark.parametrize("name", ["per_group_mixed", "detached_mixed"])
def test_mixed_edition_is_keyed_as_printed(name: str) -> None:
    report, _ = _read(1, CASES[name])
    assert report.edition == "2021"
    assert report.table_editions == {"table2": "2021", "table3": "2021", "table3.other": "2019"}
    assert not any(p.startswith(f"table3.{k}.") for p in report.cells for k in OTHER_ITEMS)
    assert not report.cells["table3.other.total.total"].derived
    assert any("（六）其他处理" in n for n in report.notes)


def test_rows_placed_by_template_order_say_so() -> None:
    report, _ = _read(2, CASES["detached"])
    for row in DETACHED:
        assert "按模板行序" in (report.cells[f"table3.{row}.total"].note or "")
    assert sum("没有印行标签" in n for n in report.notes) == len(DETACHED)
    assert sorted(u.part for u in report.uncertain) == sorted(f"table3.{row}" for row in DETACHED)


def test_section_five_without_heading_starts_at_its_first_sub_heading() -> None:
    report, _ = _read(0, CASES["detached"])
    assert report.sections["problems"].heading == "（一）主要问题"
    assert any("第五部分的标题不是模板用语" in n for n in report.notes)


@pytest.mark.parametrize("headings", HEADINGS)
def test_headings(headings: str) -> None:
    report, _ = _read(4, Conversion(headings=headings))
    assert [s.key for s in SECTIONS] == [h.section for h in report.headings if h.level == 1]


MIXED_UP = """一、总体情况
本机关做好政府信息公开工作。
二、主动公开政府信息情况
三、收到和处理政府信息公开申请情况
| 一、本年新收政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |
| 二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| （一）予以公开 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |

| 0 | 0 | 0 | 0 | 0 | 0 | 0 |
|---|---|---|---|---|---|---|

| 0 | 0 | 0 | 0 | 0 | 0 | 0 |
|---|---|---|---|---|---|---|

| 1.属于国家秘密 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| 2.其他法律行政法规禁止公开 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
四、政府信息公开行政复议、行政诉讼情况
五、存在的主要问题及改进情况
六、其他需要报告的事项
"""


def test_unlabelled_rows_that_do_not_fit_stay_blank_and_uncertain() -> None:
    """Two value rows where one template row is missing: the reader does not guess."""
    report = process(MIXED_UP.encode(), "x.md").report
    assert report.value("table3.partially_granted.total") is None
    assert [u.part for u in report.uncertain if "没有印行标签" in u.reason] == ["table3"]


WRAPPED = """一、总体情况
做好公开工作。
三、收到和处理政府信息公开申请情况
| 一、本年新收政府信息公开申请数量 | 3 | 0 | 0 | 0 | 0 | 0 | 3 |
| （五）不予处理 | 4.无正当理由大量反复申请 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |
| 5.要求行政机关确认或重新出具已获取 |
| 信息 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |
| （七）总计 | 3 | 0 | 0 | 0 | 0 | 0 | 3 |
六、其他需要报告的事项
"""


def test_a_label_wrapped_onto_the_next_row_keeps_its_values() -> None:
    report = process(WRAPPED.encode(), "x.md").report
    assert report.value("table3.not_processed.confirmation.natural_person") == 2
    assert report.value("table3.not_processed.confirmation.total") == 2
    assert report.value("table3.not_processed.excessive.total") == 1


T4_LABELLED = """一、总体情况
做好公开工作。
四、政府信息公开行政复议、行政诉讼情况
| 行政复议 | | | | | 行政诉讼 |
| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 未经复议直接起诉 | 复议后起诉 |
| 数量 | 1 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 0 | 0 | 2 | 0 | 0 | 0 | 2 |
六、其他需要报告的事项
"""


def test_a_row_of_table_four_values_may_open_with_a_label() -> None:
    report = process(T4_LABELLED.encode(), "x.md").report
    assert report.value("table4.review.upheld") == 1 and report.value("table4.review.total") == 1
    assert report.value("table4.litigation_direct.total") == 0
    assert report.value("table4.litigation_after_review.upheld") == 2
    assert report.value("table4.litigation_after_review.total") == 2
