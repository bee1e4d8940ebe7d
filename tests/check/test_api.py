"""The library surface: check_report / check_across / check_all, --ignore, ordering, robustness."""

from __future__ import annotations

from nianbao.check import by_severity, check_across, check_all, check_report
from nianbao.check.registry import RULES, Rule, run
from nianbao.model import Value
from tests.builders import case_report

FAULTY = {
    "cells": {"table4.review": [1, 1, 0, 0, 3], "table3.granted.natural_person": -1},
    "sections": {"other": None},
    "headings": [{"text": "2、主动公开政府信息情况", "numbering": "2、", "level": 1, "expected": "二、"}],
}


def test_findings_come_in_catalogue_order_and_errors_first_when_sorted() -> None:
    found = check_report(case_report(FAULTY))
    order = list(RULES)
    assert [order.index(d.rule) for d in found] == sorted(order.index(d.rule) for d in found)
    sev = [d.severity for d in by_severity(found)]
    assert sev == sorted(sev, key=["error", "warning", "info"].index)
    assert {d.file for d in found} == {"case.txt"}


def test_ignore_skips_rules() -> None:
    found = check_report(case_report(FAULTY), ignore={"T4-SUM", "HEADING-NUMBERING"})
    assert not {"T4-SUM", "HEADING-NUMBERING"} & {d.rule for d in found}
    assert "SECTION-MISSING" in {d.rule for d in found}


def test_check_all_keeps_order_and_marks_unreadable() -> None:
    a, b = case_report({"file": "a.txt", "year": 2023}), case_report({"file": "b.txt", "year": 2024})
    results, cross = check_all([("a.txt", a), ("gone.txt", "文件不存在"), ("b.txt", b)])
    assert [r.file for r in results] == ["a.txt", "gone.txt", "b.txt"]
    assert [(d.rule, d.severity, d.message) for d in results[1].diagnostics] == [
        ("INPUT-UNREADABLE", "error", "文件不存在")
    ]
    assert cross == check_across([a, b])


def test_a_rule_that_fails_reports_instead_of_raising() -> None:
    def broken(report):
        raise KeyError("x")
        yield

    found = list(run([Rule("T3-BALANCE", "error", "t", broken)], case_report()))
    assert [(d.rule, d.severity) for d in found] == [("T3-BALANCE", "info")]
    assert "未能运行" in found[0].message


def test_odd_values_do_not_break_the_rules() -> None:
    r = case_report({"edition": None, "year": None, "agency": None})
    r.cells["table3.granted.total"] = Value(1.5, "1.5")
    r.cells.pop("table3.new_received.total")
    found = check_report(r)
    assert "未能运行" not in " ".join(d.message for d in found)
    assert "VALUE-INVALID" in {d.rule for d in found}
