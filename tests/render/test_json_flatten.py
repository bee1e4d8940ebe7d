"""render.json.flatten: a table's nested JSON back to the report's cell paths and values, the
split row's itemised entries left out (the one walk used by report_from_json and store.lean)."""

from __future__ import annotations

from nianbao import template as T
from nianbao.render.json import flatten, report_json
from tests.builders import case_report


def test_flatten_gives_the_cells_of_each_table() -> None:
    report = case_report({"cells": {"table3.new_received.commercial": 7}})
    d = report_json(report)
    d["table2"].setdefault(T.SPLIT_ROW, {})["items"] = [{"name": "乙", "count": 1}]
    flat = [pv for table in ("table2", "table3", "table4") for pv in flatten(table, d[table])]
    assert dict(flat) == {p: v.value for p, v in report.cells.items()}
    assert len(flat) == len(report.cells)
    assert not any(".items" in p for p, _ in flat)


def test_flatten_nested_and_split_items() -> None:
    node = {"a": {"b": 1, "c": None}, T.SPLIT_ROW: {"x": 2, "items": [{"name": "n"}]}}
    assert list(flatten("t", node)) == [("t.a.b", 1), ("t.a.c", None), (f"t.{T.SPLIT_ROW}.x", 2)]
