"""Traces of a missing section's heading in table cells and in lines of text."""

from __future__ import annotations

import pytest

from nianbao.extract.traces import heading_like, heading_traces
from nianbao.model import Location, Report, Section, Source
from nianbao.read.document import Cell, Paragraph, Table
from nianbao.template import SECTIONS

SPEC = {s.key: s for s in SECTIONS}


@pytest.mark.parametrize(
    "line,section",
    [
        ("五、存在的主要问题及改进情况", "problems"),
        ("五 、 存在的主要问题及整改措施", "problems"),
        ("5.存在问题及改进措施", "problems"),
        ("六、其他需要报告事项", "other"),
        ("四、政府信息公开行政复议、行政诉讼情况", "review"),
    ],
)
def test_heading_like(line: str, section: str) -> None:
    assert heading_like(line, SPEC[section])


@pytest.mark.parametrize(
    "line,section",
    [
        ("（六）其他处理", "other"),
        ("总计", "overview"),
        ("本报告包括总体情况、主动公开政府信息情况、存在的主要问题及改进情况以及其他需要报告的事项", "problems"),
        ("针对存在的问题，下一步将加强培训。", "problems"),
    ],
)
def test_not_heading_like(line: str, section: str) -> None:
    assert not heading_like(line, SPEC[section])


def _table(*texts: str) -> Table:
    cells = tuple(Cell(t, Location(table=1, row=1, col=i + 1)) for i, t in enumerate(texts))
    return Table((cells,), Location(table=1), exact=True)


def test_heading_in_a_table_cell_makes_the_section_uncertain() -> None:
    report = Report(Source("r.pdf", "0" * 64, "pdf"))
    report.sections = {s.key: Section(s.key, s.title, "") for s in SECTIONS if s.key not in ("problems", "other")}
    blocks = [Paragraph("一、总体情况", Location(line=1)), _table("五 、 存在的主要问题及整改措施", "")]
    found = heading_traces(blocks, report)
    assert [(u.part, u.location) for u in found] == [("sections.problems", Location(table=1, row=1, col=1))]
    assert "五 、 存在的主要问题及整改措施" in found[0].reason
