"""A converted report whose 表三 row labels spilled out of the table (synthetic): one finding per
problem, and a row label is no sub-heading. The length ``parse`` shows is the one ``check`` counts."""

from __future__ import annotations

import pytest

from nianbao.check import check_report
from nianbao.check.length import COUNTED
from nianbao.model import Report
from nianbao.pipeline import process
from nianbao.render.console import print_report

TABLE = """| 一、本年新收政府信息公开申请数量 | 3 | 0 | 0 | 0 | 0 | 0 | 3 |
| 二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| （一）予以公开 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |

（二）部分公开（区分处理的，只
| 1 | 0 | 0 | 0 | 0 | 0 | 1 |
|---|---|---|---|---|---|---|

| 1.属于国家秘密 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| 2.其他法律行政法规禁止公开 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
"""


def _report(after_table: str, overview: str = "本局做好政府信息公开工作。", table: str = TABLE) -> Report:
    text = (
        "某区某局2023年政府信息公开工作年度报告\n一、总体情况\n"
        f"{overview}\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n"
        f"（一）申请办理\n本年共收到申请3件。\n{table}{after_table}\n本局答复均按期办结。\n"
        "四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n六、其他需要报告的事项\n"
    )
    return process(text.encode(), "spill.md").report


def _found(report: Report, rule: str) -> list[str]:
    return [d.message for d in check_report(report) if d.rule == rule]


def test_a_row_placed_by_template_order_is_one_finding() -> None:
    report = _report("（二）答复质量")
    assert report.cells["table3.partially_granted.total"].note  # placed by template order …
    assert any(u.part == "table3.partially_granted" for u in report.uncertain)  # … and doubted
    (said,) = _found(report, "VALUE-AMBIGUOUS")
    assert "读作1、0、0、0、0、0、1：没有印行标签" in said
    assert _found(report, "READ-UNCERTAIN") == []


def test_rows_that_cannot_be_placed_are_still_uncertain() -> None:
    rule = "|---|---|---|---|---|---|---|\n"
    report = _report("（二）答复质量", table=TABLE.replace(rule, rule + "| 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n", 1))
    assert report.value("table3.partially_granted.total") is None  # two rows for one: not guessed
    (said,) = _found(report, "READ-UNCERTAIN")
    assert "有2行数字没有印行标签" in said


def test_a_row_label_inside_the_table_is_no_sub_heading() -> None:
    report = _report("（二）答复质量")
    assert any(h.text.startswith("（二）部分公开") for h in report.headings)  # read as a sub-heading …
    assert _found(report, "HEADING-NUMBERING") == []  # … but not numbered as one


@pytest.mark.parametrize(("printed", "expected"), [("（4）答复质量", "（二）"), ("（三）答复质量", "（二）")])
def test_a_sub_heading_after_the_table_is_numbered_without_the_row_labels(printed: str, expected: str) -> None:
    (said,) = _found(_report(printed), "HEADING-NUMBERING")
    assert said == f"小标题编号与模板不符：“{printed[:3]}”应为“{expected}”"


def test_parse_shows_the_length_check_counts(capsys: pytest.CaptureFixture[str]) -> None:
    overview = "本局（某区某局）2023年做好公开工作，共发布信息120条、解读3篇。\n" * 60
    report = _report("（二）答复质量", overview)
    (said,) = _found(report, "OVERVIEW-LENGTH")
    print_report(report)
    shown = capsys.readouterr().out
    n = 60 * len("本局某区某局2023年做好公开工作共发布信息120条解读3篇")
    assert f"有{n}字（{COUNTED}）" in said
    assert f"各部分字数{COUNTED}：\n一、总体情况：{n}字  " in shown
