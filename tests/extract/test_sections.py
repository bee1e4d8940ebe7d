"""Section headings matched tolerantly, and what the reader says when unsure."""

from __future__ import annotations

from nianbao.extract.sections import find_sections
from nianbao.model import Location
from nianbao.pipeline import process
from nianbao.read.document import Cell, Paragraph, Table

T3_ROWS = (
    "| 一、本年新收政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |\n"
    "| 二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n"
)


def _keys(lines: list[str | list[str]]) -> list[tuple[str, int]]:
    at = Location(line=1)
    blocks = [
        Paragraph(x, at) if isinstance(x, str) else Table(((Cell(x[0], at),), *((Cell(t, at),) for t in x[1:])), at)
        for x in lines
    ]
    return [(f.spec.key, f.index) for f in find_sections(blocks)]


def test_spaced_glyphs_and_numbering() -> None:
    lines = ["一 、 总 体 情 况", "二 、主动公开政府信息情况", "第三部分 收到和处理政府信息公开申请情况"]
    assert _keys(lines) == [("overview", 0), ("active", 1), ("requests", 2)]


def test_a_sub_heading_with_a_section_title_does_not_open_that_section() -> None:
    lines = ["一、总体情况", "（一）主动公开政府信息情况", "正文。", "二、主动公开政府信息情况"]
    assert _keys(lines) == [("overview", 0), ("active", 3)]


def test_a_section_numbered_as_a_sub_heading_is_found_between_its_neighbours() -> None:
    lines = ["一、总体情况", "（二）主动公开政府信息情况", "三、收到和处理政府信息公开申请情况"]
    assert _keys(lines) == [("overview", 0), ("active", 1), ("requests", 2)]


def test_heading_inside_a_table_cell() -> None:
    lines = [
        "三、收到和处理政府信息公开申请情况",
        ["四、政府信息公开行政复议、行政诉讼情况", "行政复议"],
        "五、存在的主要问题及改进情况",
    ]
    assert _keys(lines) == [("requests", 0), ("review", 1), ("problems", 2)]


def test_heading_first_in_a_frame_holding_its_prose() -> None:
    lines = [
        "三、收到和处理政府信息公开申请情况",
        ["五、存在的主要问题及改进情况\n一是公开内容不够丰富。"],
        "六、其他需要报告的事项",
    ]
    assert _keys(lines) == [("requests", 0), ("problems", 1), ("other", 2)]


def test_free_wording_numbered_as_the_section() -> None:
    lines = ["四、政府信息公开行政复议、行政诉讼情况", "五、存在的不足及下一步打算", "六、其他需要说明的情况"]
    assert _keys(lines) == [("review", 0), ("problems", 1), ("other", 2)]


def test_prose_naming_the_words_is_not_a_heading() -> None:
    lines = ["四、政府信息公开行政复议、行政诉讼情况", "针对上述问题，我们将加强培训。", "六、其他需要报告的事项"]
    assert _keys(lines) == [("review", 0), ("other", 2)]


def test_table_found_without_its_heading_is_uncertain_not_missing() -> None:
    text = (
        "一、总体情况\n做好公开工作。\n" + T3_ROWS + "四、政府信息公开行政复议、行政诉讼情况\n六、其他需要报告的事项\n"
    )
    report = process(text.encode(), "x.md").report
    assert "requests" not in report.sections
    assert "sections.requests" in {u.part for u in report.uncertain}


def test_numbers_no_table_claims_make_a_missing_table_uncertain() -> None:
    stray = "| 甲 | 1 | 2 | 3 |\n| 乙 | 4 | 5 | 6 |\n"
    text = "一、总体情况\n" + stray + "三、收到和处理政府信息公开申请情况\n" + T3_ROWS + "六、其他需要报告的事项\n"
    report = process(text.encode(), "x.md").report
    parts = {u.part for u in report.uncertain}
    assert {"table2", "table3", "table4"} <= parts


def test_nothing_uncertain_when_nothing_is_left_over() -> None:
    text = "一、总体情况\n做好公开工作。\n三、收到和处理政府信息公开申请情况\n" + T3_ROWS + "六、其他需要报告的事项\n"
    report = process(text.encode(), "x.md").report
    assert report.uncertain == []


def test_a_table_of_other_figures_in_a_section_does_not_join_its_table() -> None:
    other = "| 部门 | 件数 | 办结 |\n|---|---|---|\n| 100 | 20 | 20 |\n| 101 | 5 | 5 |\n"
    text = (
        "一、总体情况\n做好公开工作。\n三、收到和处理政府信息公开申请情况\n"
        + T3_ROWS
        + "\n"
        + other
        + "六、其他需要报告的事项\n"
    )
    report = process(text.encode(), "x.md").report
    assert report.value("table3.new_received.total") == 1
    assert not any("没有印行标签" in n for n in report.notes)
