"""The 表三 group sums the template prints no cell for (e.g. 三、不予公开 total): a composed report
has them as extract gives them for a published one (extract.group_sum over extract.group_parts):
the sum of the group's rows, blank when a row is blank."""

from __future__ import annotations

from nianbao.pipeline.compose import composed
from nianbao.template import derived_paths, edition

ROWS = [f"table3.{r}" for r in edition("2021").group_items("denied")]


def test_a_group_total_is_its_rows_sum_or_blank() -> None:
    typed = {f"{row}.natural_person": str(i) for i, row in enumerate(ROWS, 1)}
    typed |= {f"{row}.commercial": "1" for row in ROWS[1:]}  # the first row's box left empty
    report, bad = composed("北京市某区人民政府", 2024, typed, {})
    assert not bad
    total = report.cells["table3.denied.total.natural_person"]
    assert (total.value, total.derived) == (sum(range(1, len(ROWS) + 1)), True)
    assert report.cells["table3.denied.total.commercial"].value is None
    assert all(report.cells[p].derived for p in derived_paths(edition("2021")))
