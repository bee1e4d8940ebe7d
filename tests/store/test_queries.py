"""The read-only queries: filters, paging, search, agency chain, compare (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from nianbao.model import Diagnostic
from nianbao.store import queries
from nianbao.store.db import Store, connect
from nianbao.template import cell_paths, edition
from tests.builders import numbered_report
from tests.store.store_helpers import findings


@pytest.fixture
def engine(db_url: str) -> Iterator[sa.Engine]:
    engine = connect(db_url)
    store = Store(engine)
    for i, (agency, year) in enumerate(
        [
            ("北京市甲区人民政府", 2022),
            ("北京市甲区人民政府", 2023),
            ("上海市乙区审计局", 2023),
            ("上海市乙区50%_局", 2024),
        ]
    ):
        r = numbered_report(agency=agency, year=year, seed=i + 1)
        r.region = agency[:5]
        store.save(r, findings(r) if i == 1 else [])
    yield engine
    engine.dispose()  # its pooled PostgreSQL connections closed, not left to the GC (a ResourceWarning later)


def test_filters_paging_and_search(engine: sa.Engine) -> None:
    rows, total = queries.list_reports(engine)
    assert total == 4 and [r["year"] for r in rows] == [2024, 2023, 2023, 2022]
    assert queries.list_reports(engine, limit=2, offset=2)[0] == rows[2:]
    assert queries.list_reports(engine, year=2023)[1] == 2
    assert queries.list_reports(engine, region="北京市甲区")[1] == 2
    assert queries.list_reports(engine, agency="北京市甲区人民政府 ")[1] == 2
    assert [r["status"] for r in queries.list_reports(engine, status="error")[0]] == ["error"]
    assert queries.list_reports(engine, status="ok")[1] == 3
    assert queries.list_reports(engine, q="审计")[1] == 1
    # LIKE wildcards in a search are taken literally
    assert [r["agency"] for r in queries.list_reports(engine, q="50%_")[0]] == ["上海市乙区50%_局"]
    assert queries.list_reports(engine, q="%")[1] == 1
    assert queries.list_reports(engine, q="'; DROP TABLE reports; --")[1] == 0
    assert [r["value"] for r in queries.regions(engine)] == ["上海市", "上海市乙区", "北京市", "北京市甲区"]
    assert queries.years(engine) == [2024, 2023, 2022]
    assert queries.editions(engine) == ["2021"]
    with pytest.raises(ValueError):
        queries.list_reports(engine, status="bad")


def test_a_capped_count_stops_past_the_cap_where_no_count_is_kept(engine: sa.Engine) -> None:
    assert queries.list_reports(engine, status="ok", cap=1)[1] == 2  # 3 match: counted up to cap + 1
    assert queries.list_reports(engine, status="ok", cap=3)[1] == 3
    assert queries.list_reports(engine, q="区", cap=0)[1] == 1
    assert queries.list_reports(engine, cap=1)[1] == 4  # a kept count stays exact
    assert queries.list_reports(engine, q="区", cap=1, limit=1, offset=3) == queries.list_reports(
        engine, q="区", limit=1, offset=3
    )[:1] + (2,)


def test_get_report_and_missing(engine: sa.Engine) -> None:
    rid = queries.list_reports(engine, status="error")[0][0]["id"]
    got = queries.get_report(engine, rid)
    assert got["report"]["n_errors"] == 1 and got["document"]["agency"] == "北京市甲区人民政府"
    assert {d["rule"] for d in got["diagnostics"]} == {"T3-BALANCE", "LABEL-VARIANT"}
    assert got["diagnostics"][0]["values"] == {"lhs": 15, "rhs": 14}
    assert got["cells"]["table3.new_received.total"]["location"] == {
        "line": 100 + cell_paths(edition("2021")).index("table3.new_received.total")
    }
    assert [s["key"] for s in got["sections"]][:2] == ["overview", "active"]
    assert queries.get_report(engine, 10_000) is None
    assert queries.compare(engine, rid, 10_000) is None


def test_agency_chain_and_compare(engine: sa.Engine) -> None:
    years = queries.agency_reports(engine, "北京市甲区人民政府")
    assert [r["year"] for r in years] == [2022, 2023]
    chain = years[1]["carryover"]
    assert chain["previous_year"] == 2022
    # numbered_report: cell i holds (7·seed + 3i) mod 50; 结转下年度·总计 is cell 184, 上年结转·总计 cell 23
    assert years[0]["cells"]["table3.carried_forward.total"] == 9  # seed 1: (7 + 552) mod 50
    assert years[1]["cells"]["table3.carried_over.total"] == 33  # seed 2: (14 + 69) mod 50
    assert (chain["expected"], chain["actual"], chain["ok"]) == (9, 33, False)
    assert years[0]["carryover"]["ok"] is None
    rows = queries.compare(engine, years[0]["id"], years[1]["id"])
    assert rows[0]["path"] == "table2.regulations.issued" and rows[0]["label"] == "表二“规章·本年制发件数”"
    assert (rows[0]["a"], rows[0]["b"], rows[0]["differs"]) == (7, 14, True)
    # seeds 1 and 2 differ by 7 (mod 50) in every cell but the blanks, cells i with i mod 37 = 5
    # (cell 9, the fee amount, is 1.2345 against 2.469)
    assert [r["path"] for r in rows if not r["differs"]] == [
        "table2.normative_documents.in_force",
        "table3.denied.state_secret.legal_services",
        "table3.denied.process_info.total",
        "table3.not_processed.complaint.commercial",
        "table3.other.no_correction.social_welfare",
        "table4.litigation_direct.upheld",
    ]
    assert all(r["a"] is None and r["b"] is None for r in rows if not r["differs"])


def test_status_counts_cross_report_findings(engine: sa.Engine) -> None:
    """A report whose own findings are clean but which a cross-report finding is about: status
    error (or warning) by that finding, never ok — the negations run as NOT EXISTS."""
    rows, _ = queries.list_reports(engine, status="ok")
    files = {r["id"]: r["source_file"] for r in rows}
    err, warn = sorted(files)[:2]
    Store(engine).save_cross(
        [
            Diagnostic("CARRYOVER", "error", "结转不符", (), None, files[err]),
            Diagnostic("DUPLICATE-TEXT", "warning", "雷同", (), None, files[warn]),
        ]
    )
    assert err in {r["id"] for r in queries.list_reports(engine, status="error")[0]}
    assert [r["id"] for r in queries.list_reports(engine, status="warning")[0]] == [warn]
    assert {r["id"] for r in queries.list_reports(engine, status="ok")[0]} == set(files) - {err, warn}


def test_a_capped_status_error_count_is_a_lower_bound_past_the_cap(engine: sa.Engine) -> None:
    """status=error over filters a kept count answers: the kept count of the reports with errors of
    their own is a lower bound (past the cap: cap + 1, no row counted); below the cap the rows are
    counted, cross-report errors included, as for every capped count."""
    rows, _ = queries.list_reports(engine, status="ok")
    Store(engine).save_cross([Diagnostic("CARRYOVER", "error", "结转不符", (), None, rows[0]["source_file"])])
    for filters in ({}, {"region": "北京市"}, {"region": "上海市", "year": 2024}, {"year": 2023}):
        total = queries.list_reports(engine, status="error", **filters)[1]
        for cap in range(4):
            assert queries.list_reports(engine, status="error", cap=cap, **filters)[1] == min(total, cap + 1)
    assert queries.list_reports(engine, status="error")[1] == 2  # one by its own errors, one by a cross error
