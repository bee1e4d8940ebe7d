"""nianbao.template.relations and names, checked against the template by hand."""

from __future__ import annotations

from nianbao import template as T
from nianbao.model import Report, Source, Value
from nianbao.template import relations as R
from nianbao.template.names import SEVERITY_NAMES, number, table_heading


def report(cells: dict[str, float | int | None], edition: str = "2021") -> Report:
    return Report(Source("a.txt", "0", "txt"), edition=edition, cells={p: Value(v) for p, v in cells.items()})


def test_identities_per_edition() -> None:
    ids = R.identities(report({}))
    counts = {
        rule: sum(i.rule == rule for i in ids) for rule in ("T3-BALANCE", "T3-RESULTS-SUM", "T3-ROW-SUM", "T4-SUM")
    }
    assert counts == {
        "T3-BALANCE": 7,
        "T3-RESULTS-SUM": 7,
        "T3-ROW-SUM": 25,
        "T4-SUM": 3,
    }  # 表三 2021: 2+2+8+3+5+3+2 rows
    assert sum(i.rule == "T3-ROW-SUM" for i in R.identities(report({}, "2019"))) == 23  # （六） is one row
    known = set(T.cell_paths(T.EDITION_2021)) | set(T.derived_paths(T.EDITION_2021))
    assert {p for i in ids for p in i.paths} <= known


def test_balance_and_results_hand_checked() -> None:
    balance = R.identities(report({}), "T3-BALANCE")[0]
    assert balance.where == "表三“自然人”列"
    assert [t.name for t in balance.left] == ["一", "二"] and [t.name for t in balance.right] == ["（七）总计", "四"]
    assert balance.sides == (
        ("table3.new_received.natural_person", "table3.carried_over.natural_person"),
        ("table3.total_processed.natural_person", "table3.carried_forward.natural_person"),
    )
    results = R.identities(report({}), "T3-RESULTS-SUM")[-1]
    names = ["（一）予以公开", "（二）部分公开", "（三）不予公开", "（四）无法提供", "（五）不予处理", "（六）其他处理"]
    assert [t.name for t in results.right] == names
    assert len(results.right[2].paths) == 8  # （三）1–8
    t4 = R.identities(report({}), "T4-SUM")[2]
    assert t4.where == "表四“复议后起诉”"
    assert [t.name for t in t4.right] == ["结果维持", "结果纠正", "其他结果", "尚未审结"]


def test_printed_subtotals_become_identities() -> None:
    r = report({"table3.denied.total.total": 3, "table3.granted.legal_persons": 2})
    subs = R.identities(r, "T3-SUBTOTAL")
    assert [len(s.right) for s in subs] == [8, 5]
    assert subs[1].where == "表三“（一）予以公开”行“法人或其他组织小计”"


def test_carryover_is_four_of_last_year_to_two_of_this_year() -> None:
    assert len(R.CARRYOVER) == 7
    assert R.CARRYOVER[-1] == ("total", "table3.carried_forward.total", "table3.carried_over.total")


def test_stock_2021_hand_checked() -> None:
    prev = report({"table2.normative_documents.in_force": 110})
    cur = report({"table2.normative_documents.issued": 20, "table2.normative_documents.repealed": 12})
    got = list(R.stock_expected(T.EDITION_2021, prev.value, cur.value, 2023))
    assert got == [("table2.normative_documents.in_force", 118, "2023年110+本年制发20−废止12")]


def test_stock_2019_change_is_last_year_s() -> None:
    prev = report({"table2.licensing.prev_items": 30, "table2.licensing.change": -4}, "2019")
    cur = report({"table2.licensing.change": 99}, "2019")
    got = list(R.stock_expected(T.EDITION_2019, prev.value, cur.value, 2020))
    assert got == [("table2.licensing.prev_items", 26, "2020年30+2020年增减-4")]


def test_headlines_outcomes_and_rates() -> None:
    known = set(T.cell_paths(T.EDITION_2021)) | set(T.derived_paths(T.EDITION_2021))
    assert {p for ps in R.HEADLINES.values() for p in ps} <= known
    assert R.GROUP_TOTALS["table3.denied.total.total"][0] == "table3.denied.state_secret.total"
    assert len(R.GROUP_TOTALS["table3.other.total.total"]) == 3  # 2021 items; 2019 prints （六） as one row
    assert [label for _, label in R.OUTCOMES] == [
        "予以公开",
        "部分公开",
        "不予公开",
        "无法提供",
        "不予处理",
        "其他处理",
    ]
    assert all(col in R.HEADLINES for col, _ in R.OUTCOMES)
    assert all(c in R.HEADLINES for *_, num, den in R.RATES for c in num + den)
    assert R.RATES[0][2] == "表三“（一）予以公开”总计 ÷ 表三“（七）总计”总计"
    assert (
        R.AGENCY_ROWS[0] == "table3.new_received.total" and R.AGENCY_ROWS[-1] == "table4.litigation_after_review.total"
    )
    assert len(R.AGENCY_ROWS) == 13


def test_names() -> None:
    assert SEVERITY_NAMES == {"error": "错误", "warning": "警告", "info": "提示"}
    assert table_heading("table3") == "表三 收到和处理政府信息公开申请情况"
    assert [number(12.0), number(491.5), number(0.1 + 0.2), number(7), number(None), number(None, "空")] == [
        "12",
        "491.5",
        "0.3",
        "7",
        "",
        "空",
    ]
