"""汇总: three small unit reports summed cell by cell; the expected sums are written by hand."""

from __future__ import annotations

from nianbao.analysis.rollup import differences, rollup
from nianbao.model import Report
from tests.builders import case_report

REGION = "北京市样例区"


def unit(name: str, cells: dict) -> Report:
    """A report whose printed cells are 0 except ``cells`` (None = blank)."""
    return case_report({"file": f"{name}.txt", "agency": name, "region": REGION, "year": 2024, "cells": cells})


A = unit("样例区甲局", {
    "table3.new_received": [3, 2, 0, 0, 0, 0, 5],
    "table2.licensing.decisions": 120,
    "table2.fees.amount_wan": 1.2,
    "table4.review": [None, None, None, None, None],
})  # fmt: skip
B = unit("样例区乙局", {
    "table3.new_received": [6, 1, 0, 0, 0, 0, 7],
    "table2.licensing.decisions": None,
    "table2.fees.amount_wan": 0.35,
    "table4.review": [None, None, None, None, None],
})  # fmt: skip
C = unit("样例区丙街道办事处", {
    "table3.new_received": [0, None, 0, 0, 0, 0, 0],
    "table2.licensing.decisions": 30,
    "table2.fees.amount_wan": None,
    "table4.review": [None, None, None, None, None],
})  # fmt: skip
UNITS = [(1, A), (2, B), (3, C)]


def test_sums_by_hand() -> None:
    r = rollup(UNITS)
    assert r.edition == "2021"
    assert [m.id for m in r.members] == [1, 2, 3]
    cell = r.cells["table3.new_received.total"]
    assert (cell.sum, cell.reports, cell.blanks) == (12, (1, 2, 3), ())  # 5 + 7 + 0
    assert r.value("table3.new_received.natural_person") == 9  # 3 + 6 + 0
    commercial = r.cells["table3.new_received.commercial"]
    assert (commercial.sum, commercial.count, commercial.blanks) == (3, 2, (3,))  # 2 + 1, 丙 blank
    licensing = r.cells["table2.licensing.decisions"]
    assert (licensing.sum, licensing.reports, licensing.blanks) == (150, (1, 3), (2,))  # 120 + 30, 乙 blank
    assert r.value("table2.fees.amount_wan") == 1.55  # 1.2 + 0.35, no float noise


def test_zero_stays_zero_and_blank_stays_blank() -> None:
    r = rollup(UNITS)
    zero = r.cells["table3.granted.total"]
    assert (zero.sum, zero.count, zero.blanks) == (0, 3, ())  # 0 in every report: a sum of 0
    blank = r.cells["table4.review.total"]
    assert (blank.sum, blank.count, blank.blanks) == (None, 0, (1, 2, 3))  # blank in every report
    assert r.as_report().value("table4.review.total") is None
    assert r.as_report().value("table3.granted.total") == 0


def test_every_printed_cell_is_summed() -> None:
    r = rollup(UNITS)
    assert len(r.cells) == len(A.cells) - sum(1 for v in A.cells.values() if v.derived)
    assert list(r.cells)[0].startswith("table2.") and list(r.cells)[-1].startswith("table4.")


def test_differences_name_the_units() -> None:
    own = unit(
        "北京市样例区人民政府",
        {"table3.new_received": [9, 1, 0, 0, 0, 0, 10], "table4.review": [None, None, None, None, 0]},
    )
    found = {d.path: d for d in differences(rollup(UNITS), own)}
    total = found["table3.new_received.total"]  # 10 against 5 + 7 + 0
    assert (total.own, total.total, total.diff) == (10, 12, -2)
    assert [(m.agency, v) for m, v in total.units] == [("样例区乙局", 7), ("样例区甲局", 5)]  # 丙's 0 not named
    review = found["table4.review.total"]  # 0 printed, blank in every unit
    assert (review.own, review.total, review.diff, review.units) == (0, None, None, ())
    assert "table3.granted.total" not in found  # 0 = 0 + 0 + 0
    assert "table4.review.upheld" not in found  # blank in all four
    assert found["table2.licensing.decisions"].diff == -150  # 0 against 120 + 30


def test_mixed_editions_take_the_most_common() -> None:
    old = case_report({"file": "old.txt", "agency": "样例区丁局", "edition": "2019", "year": 2024})
    r = rollup([*UNITS, (4, old)])
    assert r.edition == "2021"
    assert 4 in r.cells["table3.new_received.total"].reports  # a cell both editions print
    assert 4 in r.cells["table2.regulations.issued"].blanks  # 2019 has no 本年制发件数


def test_empty_selection() -> None:
    r = rollup([])
    assert r.members == () and all(c.sum is None for c in r.cells.values())
