"""No accusation without certainty, end to end: a report whose heading the reader may have
missed gets READ-UNCERTAIN (or the section), never SECTION-MISSING; a misread cell makes its
sums warnings."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from nianbao.check import check_report
from nianbao.pipeline import process
from nianbao.synth import synth_cells, synth_fees, synth_report_html

HEADING = "<p><strong>五、存在的主要问题及改进情况</strong></p>"


def _page(heading_html: str) -> bytes:
    rng = random.Random(11)
    cells = synth_cells(rng, "2021", scale=60)
    page = synth_report_html(cells, "2021", "某市某区统计局", 2024, rng, fees=synth_fees(rng))
    assert HEADING in page
    return page.replace(HEADING, heading_html).encode()


@pytest.mark.parametrize(
    "heading_html",
    [
        "<table><tr><td>五 、 存在的主要问题及整改措施</td><td>&nbsp;</td></tr><tr><td>&nbsp;</td><td>&nbsp;</td></tr></table>",
        "<p>五 、 存在的主要问题及整改措施</p>",
    ],
    ids=["in a table cell", "reworded"],
)
def test_a_heading_that_may_be_there_is_never_missing(heading_html: str) -> None:
    report = process(_page(heading_html), "page.html").report
    found = check_report(report)
    assert not [d for d in found if d.severity == "error"], [d.message for d in found if d.severity == "error"]
    uncertain = [d for d in found if d.rule == "READ-UNCERTAIN" and d.cells == ("sections.problems",)]
    assert "problems" in report.sections or uncertain


def test_a_heading_that_is_not_there_is_missing() -> None:
    report = process(_page(""), "page.html").report
    missing = [d for d in check_report(report) if d.rule == "SECTION-MISSING"]
    assert [(d.severity, d.cells) for d in missing] == [("error", ("sections.problems",))]


def test_a_misread_total_makes_its_sums_warnings() -> None:
    report = process(_page(HEADING), "page.html").report
    path = "table4.review.total"
    cell = report.cells[path]
    report.cells[path] = replace(cell, value=(cell.value or 0) + 1, confidence=0.5)
    found = [d for d in check_report(report) if path in d.cells]
    assert {(d.rule, d.severity) for d in found} == {("T4-SUM", "warning"), ("READ-UNCERTAIN", "warning")}
