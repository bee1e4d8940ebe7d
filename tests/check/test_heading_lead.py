"""第五部分 printed without its own heading (synthetic): the reader takes its first sub-heading
``（一）主要问题`` as the section's heading, and the sub-headings after it are numbered from it."""

from __future__ import annotations

import pytest

from nianbao.check import check_report
from nianbao.model import Heading, Location
from nianbao.pipeline import process

REPORT = """某区某局2023年政府信息公开工作年度报告
一、总体情况
本局做好政府信息公开工作。
二、主动公开政府信息情况
三、收到和处理政府信息公开申请情况
四、政府信息公开行政复议、行政诉讼情况
| 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
（一）主要问题
本局网站栏目需要调整。
{second}改进情况
本局已经调整栏目。
六、其他需要报告的事项
"""


SECTION = "部分标题编号与模板不符：“（一）”应为“五、”"  # 第五部分 has no heading of its own


@pytest.mark.parametrize(
    ("second", "expected"),
    [("（二）", [SECTION]), ("（3）", [SECTION, "小标题编号与模板不符：“（3）”应为“（二）”"])],
)
def test_sub_headings_after_a_sub_heading_taken_as_the_sections_heading(second: str, expected: list[str]) -> None:
    report = process(REPORT.format(second=second).encode(), "lead.md").report
    assert report.sections["problems"].heading == "（一）主要问题"
    assert [d.message for d in check_report(report) if d.rule == "HEADING-NUMBERING"] == expected


def test_a_stored_heading_this_reader_would_not_take_is_checked_as_stored() -> None:
    """A report loaded back from the store keeps the headings an older reader found: one the reader
    now leaves out (here a table caption, ``（二）予以公开``) was a ValueError from the renumbering
    (zip strict) that stopped the re-check; it is left out, the others numbered as before."""
    report = process(REPORT.format(second="（二）").encode(), "lead.md").report
    extra = Heading("（三）予以公开", "（三）", 2, "problems", "（三）", Location(line=13))
    report.headings.append(extra)
    assert [d.message for d in check_report(report) if d.rule == "HEADING-NUMBERING"] == [SECTION]
