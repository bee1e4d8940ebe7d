"""Which stored reports a 汇总 adds up (current versions only), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from nianbao.analysis.rollup import rollup
from nianbao.analysis.select import SelectionError, own_report, select
from nianbao.check import check_report
from nianbao.model import Report
from nianbao.store.corrections import correct
from nianbao.store.db import Store, connect
from tests.analysis.test_rollup import REGION, A, B, C, unit
from tests.builders import case_report

GOVERNMENT = "北京市样例区人民政府"


def stored(db_url: str) -> tuple[Store, dict[str, int]]:
    store = Store(connect(db_url))
    old_a = unit("样例区甲局", {"table3.new_received": [50, 0, 0, 0, 0, 0, 50]})  # replaced by A below
    built: dict[str, Report] = {
        "old_a": case_report({**_spec(old_a), "file": "甲局-初版.txt"}),
        "a": A,
        "b": B,
        "c": C,
        "own": unit(GOVERNMENT, {"table3.new_received": [9, 1, 0, 0, 0, 0, 10]}),
        "a2023": case_report({**_spec(A), "file": "甲局-2023.txt", "year": 2023}),
        "elsewhere": case_report(
            {"file": "他区.txt", "agency": "北京市他区乙局", "region": "北京市他区", "year": 2024}
        ),
    }
    return store, {k: store.save(r, check_report(r)).report_id for k, r in built.items()}


def _spec(r: Report) -> dict:
    cells = {p: v.value for p, v in r.cells.items() if not v.derived}
    return {"agency": r.agency, "region": r.region, "year": r.year, "cells": cells}


def test_by_region_and_year_current_versions_only(db_url: str) -> None:
    store, ids = stored(db_url)
    got = select(store.engine, region=REGION, year=2024, exclude=[ids["own"]])
    assert [k for k, _ in got] == [ids["a"], ids["b"], ids["c"]]  # not the first 甲局 version, not 2023
    assert rollup(got).value("table3.new_received.total") == 12  # 5 + 7 + 0
    every = select(store.engine, region="北京市", year=2024)  # a region at any level
    assert {k for k, _ in every} == {ids[k] for k in ("a", "b", "c", "own", "elsewhere")}


def test_by_agencies_and_ids(db_url: str) -> None:
    store, ids = stored(db_url)
    got = select(store.engine, agencies=["样例区甲局", "样例区乙局"], year=2024)
    assert [k for k, _ in got] == [ids["a"], ids["b"]]
    assert [k for k, _ in select(store.engine, ids=[ids["c"], ids["b"]])] == [ids["b"], ids["c"]]
    assert own_report(store.engine, GOVERNMENT, 2024)[0] == ids["own"]
    assert own_report(store.engine, str(ids["own"]))[1].agency == GOVERNMENT


def test_unclear_selections_say_why(db_url: str) -> None:
    store, ids = stored(db_url)
    with pytest.raises(SelectionError, match="请指定地区、机关或报告编号"):
        select(store.engine, year=2024)
    with pytest.raises(SelectionError, match="库中没有地区“东区”的现行报告"):
        select(store.engine, region="东区")
    with pytest.raises(SelectionError, match="库中没有地区“样例区”的现行报告（1999年）"):
        select(store.engine, region="样例区", year=1999)
    with pytest.raises(SelectionError, match="没有这些现行报告：样例区戊局、编号" + str(ids["old_a"])):
        select(store.engine, agencies=["样例区戊局"], ids=[ids["old_a"]])
    with pytest.raises(SelectionError, match="对应2份现行报告，请指定年度或报告编号"):
        own_report(store.engine, "样例区甲局")
    with pytest.raises(SelectionError, match="库中没有报告“99999999999”"):
        own_report(store.engine, "99999999999")


def test_reviewers_corrections_are_summed(db_url: str) -> None:
    store, ids = stored(db_url)
    correct(store.engine, ids["b"], "table3.new_received.total", 9, "原表误印，核实为9")
    correct(store.engine, ids["c"], "table3.new_received.total", None, "此格原表未填")
    got = dict(select(store.engine, region=REGION, year=2024, exclude=[ids["own"]]))
    assert got[ids["b"]].cells["table3.new_received.total"].note == "已更正"
    cell = rollup(got.items()).cells["table3.new_received.total"]
    assert (cell.sum, cell.blanks) == (14, (ids["c"],))  # 5 + 9, 丙 now blank


def test_within_a_users_region(db_url: str) -> None:
    store, ids = stored(db_url)
    assert [k for k, _ in select(store.engine, region="北京市", year=2024, within="北京市他区")] == [ids["elsewhere"]]
    with pytest.raises(SelectionError, match="库中没有地区“样例区”的现行报告"):
        select(store.engine, region="样例区", within="他区")  # as if 样例区's reports were not stored
    with pytest.raises(SelectionError, match=f"库中没有报告“{GOVERNMENT}”"):
        own_report(store.engine, GOVERNMENT, 2024, within="他区")


def test_besides_leaves_out_an_agency_by_identity(db_url: str) -> None:
    """The 本级 composing its report from a region: its own reports left out under any printed name."""
    store, ids = stored(db_url)
    short = unit("样例区人民政府", {"table3.new_received": [1, 0, 0, 0, 0, 0, 1]})  # the 本级 printed short
    store.save(short, check_report(short))
    units = [ids["a"], ids["b"], ids["c"]]
    for name in (GOVERNMENT, "样例区人民政府"):
        assert [k for k, _ in select(store.engine, region=REGION, year=2024, besides=name)] == units, name
    with pytest.raises(SelectionError, match="北京市他区乙局本身的除外"):  # its own was the region's only report
        select(store.engine, region="北京市他区", year=2024, besides="北京市他区乙局")
