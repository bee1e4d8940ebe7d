"""Any ledger the rules accept tallies to tables that hold every rule of `nianbao check` (property-based)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from nianbao.check import check_across, check_report
from nianbao.ledger import tally
from nianbao.ledger.columns import APPLICANTS, KINDS, OUTCOMES, RESULTS
from nianbao.ledger.read import Ledger, Row

START = date(2019, 1, 1)
days = st.integers(0, 6 * 365)


@st.composite
def application(draw: st.DrawFn, n: int) -> Row:
    received = START + timedelta(days=draw(days))
    values = {"id": f"A{n}", "received": received, "applicant": draw(st.sampled_from(list(APPLICANTS)))}
    if draw(st.booleans()):
        values["answered"] = received + timedelta(days=draw(st.integers(0, 400)))
        values["result"] = result = draw(st.sampled_from(list(RESULTS)))
        if RESULTS[result] == "other.fee_unpaid":  # as LEDGER-FEE requires
            values["fee_notice_yuan"] = 100
    return Row("申请", n + 2, values)


@st.composite
def case(draw: st.DrawFn, n: int) -> Row:
    opened = START + timedelta(days=draw(days))
    outcome = draw(st.sampled_from(list(OUTCOMES)))
    values = {"id": f"R{n}", "kind": draw(st.sampled_from(list(KINDS))), "opened": opened, "outcome": outcome}
    if outcome != "尚未审结":
        values["closed"] = opened + timedelta(days=draw(st.integers(0, 500)))
    return Row("复议诉讼", n + 2, values)


@st.composite
def ledgers(draw: st.DrawFn) -> Ledger:
    apps = [draw(application(i)) for i in range(draw(st.integers(0, 40)))]
    cases = [draw(case(i)) for i in range(draw(st.integers(0, 8)))]
    return Ledger("台账.xlsx", "0" * 64, apps, cases)


@settings(max_examples=60, deadline=None)
@given(ledgers())
def test_tables_hold_every_rule(ledger: Ledger) -> None:
    reports = [tally(ledger, y, "某某局").report for y in range(2019, 2025)]
    for r in reports:
        about_tables = [d for d in check_report(r) if any(c.startswith(("table3", "table4")) for c in d.cells)]
        assert about_tables == [], (r.year, about_tables)
    assert [d for d in check_across(reports) if d.rule == "CARRYOVER"] == []
    for r in reports:  # every application of the year is counted once in 一 or 二, and once in 三 or 四
        t = r.value
        assert t("table3.new_received.total") + t("table3.carried_over.total") == t("table3.total_processed.total") + t(
            "table3.carried_forward.total"
        )
