"""Compare, matrix and the metric dictionary over a small store (tests/analysis/compare_data.py);
every expected number is worked out by hand from the table there."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from nianbao.analysis.compare import compare, pick
from nianbao.analysis.matrix import UnknownKey, export, matrix
from nianbao.analysis.metrics import METRICS, metric
from nianbao.check import check_report
from nianbao.store.db import Store, connect
from tests.analysis.compare_data import GOV, A, B, C, D, E, fill
from tests.builders import case_report


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):
    url = f"sqlite:///{tmp_path_factory.mktemp('cmp') / 'store.db'}"
    return connect(url), fill(url)


def test_metric_dictionary_formulas_cells_and_values() -> None:
    rate = METRICS["granted_rate"]
    assert rate.is_rate and rate.name == "予以公开率"
    assert rate.cells == ("table3.granted.total", "table3.total_processed.total")
    assert metric("予以公开率") is rate and metric("nothing") is None
    done = METRICS["completion_rate"]
    assert (
        done.of_cells(
            {"table3.total_processed.total": 9, "table3.new_received.total": 10, "table3.carried_over.total": 2}
        )
        == 9 / 12
    )
    assert done.of_cells({"table3.total_processed.total": 9, "table3.new_received.total": 10}) is None  # 二 blank
    assert rate.of_cells({"table3.granted.total": 0, "table3.total_processed.total": 0}) is None  # ÷ 0
    denied = METRICS["denied_total"]  # a group total is the sum of its items
    assert denied.of_cells({"table3.denied.state_secret.total": 2, "table3.denied.prohibited_by_law.total": 3}) == 5
    assert "table3.denied.state_secret.total" in denied.cells
    for m in METRICS.values():
        assert m.formula and m.caveats and m.cells


def test_pick_by_agency_and_years(store) -> None:
    engine, ids = store
    rows, problems = pick(engine, [A], [2023, 2024], [])
    assert [r["id"] for r in rows] == [ids[(A, 2023)], ids[(A, 2024)]] and problems == []
    rows, _ = pick(engine, [A], [], [])  # no year: every year, oldest first
    assert [r["year"] for r in rows] == [2021, 2022, 2023, 2024]
    rows, _ = pick(engine, [B, "示范区城市管理"], [2024], [])  # a part of a name that names one agency
    assert [r["agency"] for r in rows] == [B, C]
    rows, problems = pick(engine, ["城市管理委员会"], [2024], [99999])  # names five agencies: none taken
    assert rows == [] and problems[0] == "报告 99999 不存在" and "城市管理委员会" in problems[1]


def test_compare_in_the_template_layout(store) -> None:
    engine, ids = store
    rows, _ = pick(engine, [], [], [ids[(A, 2023)], ids[(A, 2024)]])
    result = compare(engine, rows)
    assert [t["key"] for t in result["tables"]] == ["table2", "table3", "table4"]
    cells = {c["path"]: c for t in result["tables"] for c in t["cells"]}
    new = cells["table3.new_received.total"]
    assert new["values"] == [130, 400] and new["differs"]
    assert new["changes"][1] == {"abs": 270, "pct": 270 / 130}
    assert not cells["table3.carried_over.total"]["differs"]
    assert result["differences"] == 3  # 新收, （七）总计 and 予以公开, 总计 column; everything else is 0 in both
    by_metric = {m["path"]: m for m in result["metrics"]}
    assert by_metric["granted_rate"]["values"] == [0.5, 0.5] and not by_metric["granted_rate"]["differs"]


def test_change_against_the_previous_report(store) -> None:
    engine, _ = store
    rows, _ = pick(engine, [A], [2022, 2023, 2024], [])
    new = lambda result: next(c for c in result["tables"][1]["cells"] if c["path"] == "table3.new_received.total")  # noqa: E731
    first = new(compare(engine, rows, "first"))
    previous = new(compare(engine, rows, "previous"))
    assert [c["abs"] for c in first["changes"][1:]] == [20, 290]  # 130 − 110, 400 − 110
    assert [c["abs"] for c in previous["changes"][1:]] == [20, 270]  # 130 − 110, 400 − 130
    assert previous["changes"][2]["pct"] == 270 / 130


def test_matrix_sorted_filtered_and_exported(store) -> None:
    engine, ids = store
    m = matrix(engine, "new_received_total", sort="2024", desc=True)
    assert m["years"] == [2021, 2022, 2023, 2024]
    assert [r["agency"] for r in m["rows"]] == [A, E, D, C, B, GOV]
    assert m["rows"][0]["values"] == [100, 110, 130, 400]
    assert m["rows"][-1]["values"] == [None, None, None, 50] and m["rows"][-1]["ids"][3] == ids[(GOV, 2024)]
    asc = matrix(engine, "new_received_total", sort="2023")
    # 80 100 120 130 130 (a tie keeps the order of the names: 假想区 before 测试区); GOV has no 2023: last
    assert [r["agency"] for r in asc["rows"]] == [B, C, D, E, A, GOV]
    # a region at any level (store.agencies): the printed region or the places the name starts with
    assert [r["agency"] for r in matrix(engine, "table3.new_received.total", region="测试区")["rows"]] == [GOV, A]
    assert [r["agency"] for r in matrix(engine, "table3.new_received.total", region="北京市样例区")["rows"]] == [B]
    rate = matrix(engine, "予以公开率", sort="2024", desc=True)
    assert [r["values"][3] for r in rate["rows"]] == [0.9, 0.8, 0.5, 0.5, 0.5, 0.25]
    with pytest.raises(UnknownKey):
        matrix(engine, "table9.nothing")

    text = export(rate, "csv").decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    # rates in per cent with one decimal, as the XLSX shows them (the unit in the header)
    assert lines[0] == ["机关", "地区", "2021年（%）", "2022年（%）", "2023年（%）", "2024年（%）"]
    assert lines[1] == [D, "北京市", "", "", "50.0", "90.0"]
    assert any(line and line[0].startswith("予以公开率 = 表三") for line in lines)  # the definition under the table


def test_matrix_xlsx_has_header_filters_and_percent(store, tmp_path: Path) -> None:
    engine, _ = store
    path = tmp_path / "m.xlsx"
    path.write_bytes(export(matrix(engine, "granted_rate", sort="2024", desc=True), "xlsx"))
    ws = load_workbook(path).active
    assert [c.value for c in ws[1]] == ["机关", "地区", "2021年", "2022年", "2023年", "2024年"]
    assert ws.freeze_panes == "B2" and ws.auto_filter.ref == "A1:F7"
    assert ws["F2"].value == 0.9 and ws["F2"].number_format == "0.0%"
    assert any(str(row[0].value or "").startswith("予以公开率 = ") for row in ws.iter_rows(min_row=8))


def test_an_agency_under_two_printed_names_is_one_agency(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'names.db'}"
    store = Store(connect(url))
    for name, year, new in (("北京市示例区城市管理委员会", 2023, 30), ("示例区城市管理委员会", 2024, 45)):
        r = case_report({"agency": name, "year": year, "file": name, "cells": {"table3.new_received.total": new}})
        store.save(r, check_report(r))
    rows, problems = pick(store.engine, ["北京市示例区城市管理委员会"], [], [])
    assert [(r["agency"], r["year"]) for r in rows] == [
        ("北京市示例区城市管理委员会", 2023),
        ("示例区城市管理委员会", 2024),
    ]
    m = matrix(store.engine, "new_received_total")
    assert [(r["agency"], r["values"]) for r in m["rows"]] == [("示例区城市管理委员会", [30, 45])]  # the newest name
