"""The columns of a 表三 reading: the layout's own, or another it allows when the
template's row identities support that one in clearly more rows."""

from __future__ import annotations

import random

from nianbao.extract.stream import from_tables
from nianbao.extract.tables import table3
from nianbao.model import Location
from nianbao.pipeline import process
from nianbao.read.document import Cell, Table
from nianbao.synth import synth_cells
from nianbao.template import EDITION_2021, T3_COLUMNS

HEAD = "一、总体情况\n做好公开工作。\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n"
TAIL = "四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n六、其他需要报告的事项\n"
KEYS = [c.key for c in T3_COLUMNS]


def _cells(seed: int) -> dict:
    return synth_cells(random.Random(seed), "2021")


def _row(cells: dict, key: str, subtotal: bool) -> list[str]:
    vals = [cells[f"table3.{key}.{c}"] for c in KEYS]
    if subtotal:
        vals.insert(6, sum(vals[1:6]))
    return [str(v) for v in vals]


def test_a_subtotal_column_printed_without_its_header_is_read_as_such() -> None:
    cells = _cells(7)
    lines = [f"| {r.label} | " + " | ".join(_row(cells, r.key, True)) + " |" for r in EDITION_2021.table3]
    report = process((HEAD + "\n".join(lines) + "\n" + TAIL).encode(), "x.md").report
    for r in EDITION_2021.table3:
        assert [report.value(f"table3.{r.key}.{c}") for c in KEYS] == [cells[f"table3.{r.key}.{c}"] for c in KEYS]
    assert any("法人或其他组织小计" in n for n in report.notes)
    assert not report.readings


def _exact(rows: list[list[str]]) -> Table:
    at = Location(line=1)
    return Table(tuple(tuple(Cell(t, at) for t in r) for r in rows), at, exact=True, layout="html")


def test_a_header_shifted_off_its_grid_gives_way_to_the_order_of_the_numbers() -> None:
    cells = _cells(11)
    header = ["", "", *(c.label for c in T3_COLUMNS)]  # one column too many before the labels
    body = [[r.label, *_row(cells, r.key, False)] for r in EDITION_2021.table3]
    res = table3(from_tables([_exact([header, *body])]))
    for r in EDITION_2021.table3:
        assert [res.cells[f"table3.{r.key}.{c}"].value for c in KEYS] == [cells[f"table3.{r.key}.{c}"] for c in KEYS]
    assert any("按数字先后" in n for n in res.notes)


def test_the_layout_stands_when_no_reading_is_better_supported() -> None:
    cells = _cells(11)
    header = ["", *(c.label for c in T3_COLUMNS)]
    body = [[r.label, *_row(cells, r.key, False)] for r in EDITION_2021.table3]
    res = table3(from_tables([_exact([header, *body])]))
    assert res.cells["table3.new_received.total"].value == cells["table3.new_received.total"]
    assert not any("按数字先后" in n for n in res.notes)
