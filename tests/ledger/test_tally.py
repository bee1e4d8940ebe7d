"""The hand-written ledger tallies to the tables counted by hand, and they pass `nianbao check`."""

from __future__ import annotations

from pathlib import Path

import pytest

from nianbao.check import check_across, check_report
from nianbao.ledger import read_ledger, tally
from tests.ledger.ledger_make import write_ledger

COLS = ("natural_person", "commercial", "research", "social_welfare", "legal_services", "other_org", "total")

# 表三 of 2024, counted by hand from ledger_make.APPLICATIONS (rows not listed are all 0).
T3_2024 = {
    "new_received": (13, 3, 1, 2, 1, 1, 21),
    "carried_over": (2, 1, 1, 0, 0, 0, 4),
    "granted": (5, 1, 0, 1, 1, 0, 8),
    "partially_granted": (2, 2, 0, 0, 0, 0, 4),
    "denied.third_party": (1, 0, 0, 0, 0, 0, 1),
    "denied.internal_affairs": (1, 0, 0, 0, 0, 0, 1),
    "unable.not_held": (1, 0, 0, 0, 0, 0, 1),
    "unable.needs_creation": (1, 0, 0, 0, 0, 0, 1),
    "not_processed.complaint": (0, 0, 0, 1, 0, 0, 1),
    "not_processed.duplicate": (1, 0, 0, 0, 0, 0, 1),
    "not_processed.publication": (1, 0, 0, 0, 0, 0, 1),
    "other.no_correction": (1, 0, 0, 0, 0, 0, 1),
    "other.fee_unpaid": (0, 1, 0, 0, 0, 0, 1),
    "other.other": (0, 0, 0, 0, 0, 1, 1),
    "total_processed": (14, 4, 0, 2, 1, 1, 22),
    "carried_forward": (1, 0, 2, 0, 0, 0, 3),
}
T4_2024 = {
    "review": (1, 1, 0, 1, 3),
    "litigation_direct": (0, 0, 1, 1, 2),
    "litigation_after_review": (1, 0, 0, 0, 1),
}


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory):
    return read_ledger(write_ledger(tmp_path_factory.mktemp("ledger") / "台账.xlsx"))


def test_table3_2024(ledger) -> None:
    report = tally(ledger, 2024, "某某局").report
    every = {p: v.value for p, v in report.cells.items() if p.startswith("table3.") and not v.derived}
    expected = {f"table3.{r}.{c}": n for r, ns in T3_2024.items() for c, n in zip(COLS, ns, strict=True)}
    assert {p: v for p, v in every.items() if v} == {p: v for p, v in expected.items() if v}
    assert report.edition == "2021" and report.agency == "某某局" and report.year == 2024
    assert report.value("table3.denied.total.natural_person") == 2  # derived group sum


def test_table4_2024(ledger) -> None:
    report = tally(ledger, 2024).report
    parts = ("upheld", "corrected", "other", "pending", "total")
    got = {g: tuple(report.value(f"table4.{g}.{c}") for c in parts) for g in T4_2024}
    assert got == T4_2024


def test_fees_2024(ledger) -> None:
    fees = tally(ledger, 2024).report.fees
    assert (fees.notices, fees.notice_amount_yuan, fees.collected_yuan) == (3, 600, 300)


def test_every_cell_names_its_rows(ledger) -> None:
    t = tally(ledger, 2024)
    assert t.rows["table3.carried_over.natural_person"] == [("申请", 3), ("申请", 5)]  # A02, A04
    assert t.rows["table3.carried_forward.research"] == [("申请", 7), ("申请", 26)]  # A06, B19
    assert t.rows["table4.review.pending"] == [("复议诉讼", 5)]  # R04, closed in 2025
    for path, rows in t.rows.items():
        assert len(rows) == t.report.value(path)


def test_tables_pass_every_rule(ledger) -> None:
    reports = [tally(ledger, y, "某某局").report for y in (2023, 2024)]
    for r in reports:
        about_tables = [d for d in check_report(r) if any(c.startswith(("table3", "table4")) for c in d.cells)]
        assert about_tables == []
    assert [d for d in check_across(reports) if d.rule == "CARRYOVER"] == []
    assert reports[0].value("table3.carried_forward.total") == reports[1].value("table3.carried_over.total") == 4


def test_2023_counts(ledger) -> None:
    r = tally(ledger, 2023).report
    assert r.value("table3.new_received.total") == 6
    assert r.value("table3.granted.natural_person") == 1
    assert r.value("table3.denied.state_secret.legal_services") == 1
    assert (r.value("table4.review.upheld"), r.value("table4.review.pending")) == (1, 1)  # R01; R08 closed in 2024


def test_2019_edition_has_one_other_row(tmp_path: Path) -> None:
    from datetime import date

    rows = [
        ("X1", date(2020, 3, 2), "自然人", None, None, None, date(2020, 3, 10), "其他处理/其他", None, None),
        ("X2", date(2020, 3, 2), "自然人", None, None, None, date(2020, 3, 10), "其他处理", None, None),
    ]
    r = tally(read_ledger(write_ledger(tmp_path / "l.xlsx", rows, [])), 2020).report
    assert r.edition == "2019" and r.value("table3.other.total.natural_person") == 2
    assert "table3.other.other.total" not in r.cells
