"""The dashboard's kept sums (store/aggregates.py) equal plain sums over the current reports after
saves, new versions, withdrawals, restores, pending versions, re-checks and deletions (and so does
the report list's total), on SQLite
and PostgreSQL; a store made before the table existed gets it filled when opened."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from nianbao.model import Diagnostic, Value
from nianbao.store import agencies, aggregates, queries, versions
from nianbao.store import dashboard as dashboard_module
from nianbao.store.dashboard import dashboard
from nianbao.store.db import Store, connect, writing
from nianbao.store.schema import meta
from tests.builders import numbered_report
from tests.store.store_helpers import drop_report_totals, findings


def _plain(engine: sa.Engine, monkeypatch: pytest.MonkeyPatch, **filters: Any) -> dict:
    with monkeypatch.context() as m:
        m.setattr(aggregates, "answers", lambda _filters: False)
        return dashboard(engine, **filters)


PLACES = (
    {"region": "北京市"},
    {"region": "北京市某区", "year": 2023},
    {"region": "某区"},
    {"region": "北京市第3区"},
    {"region": "北京市", "scope": "某区", "edition": "2021"},
    {"region": "天津市"},
)


def _same(engine: sa.Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    for filters in ({}, {"year": 2023}, {"year": 2024, "edition": "2021"}, {"year": 1999}, {"year": 2**40}, *PLACES):
        assert aggregates.answers(filters)
        plain = _plain(engine, monkeypatch, **filters)
        assert dashboard(engine, **filters) == plain, filters
        with monkeypatch.context() as m:  # rankings by walking the indexes, as for a large region
            m.setattr(dashboard_module, "RANK_AMONG_AT_MOST", -1)
            assert dashboard(engine, **filters) == plain, filters
        listed = queries.list_reports(engine, limit=3, offset=1, **filters)  # the list's total, kept too
        with monkeypatch.context() as m:
            m.setattr(aggregates, "answers", lambda _filters: False)
            assert listed[1] == queries.list_reports(engine, limit=3, offset=1, **filters)[1], filters
            m.setattr(queries, "SORT_AT_MOST", -1)  # the page read in the list index's order, as for many
            assert listed == queries.list_reports(engine, limit=3, offset=1, **filters), filters


def _report(i: int, year: int, seed: int, region: str | None = "北京市某区") -> Any:
    r = numbered_report(agency=f"北京市某区第{i}局", year=year, seed=seed)
    r.region = region
    if seed % 2:  # some reports lack cells a rate needs
        r.cells["table4.review.corrected"] = Value(None)
        r.cells["table3.granted.total"] = Value(None)
    return r


def test_kept_sums_follow_every_write(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = connect(db_url)
    store = Store(engine)
    _same(engine, monkeypatch)  # an empty store
    saved = [
        store.save(r, findings(r) if i % 3 else [])
        for i, r in enumerate(_report(i % 4, 2022 + i % 3, i, None if i == 5 else "北京市某区") for i in range(9))
    ]
    _same(engine, monkeypatch)
    again = _report(1, 2023, 40)  # a re-ingest: a new version replaces the current one
    newer = store.save(again, [])
    assert newer.status != "unchanged"
    _same(engine, monkeypatch)
    versions.withdraw(engine, newer.report_id, "误传")  # the earlier version is current again
    _same(engine, monkeypatch)
    versions.restore(engine, newer.report_id)
    _same(engine, monkeypatch)
    pending = store.save(_report(2, 2024, 41), [], pending=True)  # not counted until confirmed
    _same(engine, monkeypatch)
    versions.discard(engine, pending.report_id)
    _same(engine, monkeypatch)
    store.replace_findings(saved[0].report_id, findings(again), {"table3.new_received.total": 7})
    _same(engine, monkeypatch)
    with engine.begin() as conn:  # any write, whatever code makes it
        conn.execute(sa.text("DELETE FROM reports WHERE id = :i"), {"i": saved[4].report_id})
    _same(engine, monkeypatch)
    assert dashboard(engine)["count"] == 8


def test_a_store_without_the_table_gets_it_filled(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = connect(db_url)
    store = Store(engine)
    for i in range(3):
        r = _report(i, 2023, i)
        store.save(r, findings(r))
    with writing(engine) as conn:
        drop_report_totals(conn)
    engine.dispose()
    engine = connect(db_url)
    Store(engine)  # opening it creates the table, its triggers, and fills it
    _same(engine, monkeypatch)
    store = Store(engine)
    r = _report(9, 2024, 9)
    store.save(r, [])
    _same(engine, monkeypatch)
    assert dashboard(engine)["count"] == 4


def test_coverage_ranks_regions_as_the_plain_sums(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = connect(db_url)
    store = Store(engine)
    for i in range(34):  # 16 regions and none: 12 shown, ties among them, the rest as one band
        r = _report(i, 2022 + i % 3, i, None if i % 17 == 0 else f"北京市第{i % 16}区")
        store.save(r, [])
    assert len(dashboard(engine)["coverage"]["regions"]) == 13
    _same(engine, monkeypatch)


def test_sums_per_region_follow_the_agencies_regions(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The sums per region (place_totals) are remade when a name's region chain changes: a short
    name completed by a later report, a merge, a split."""
    engine = connect(db_url)
    store = Store(engine)
    for i, agency in enumerate(("某区卫生局", "北京市丙区人民政府")):
        store.save(numbered_report(agency=agency, year=2023, seed=i), [])
    _same(engine, monkeypatch)
    store.save(numbered_report(agency="北京市某区人民政府", year=2023, seed=7), [])  # 某区卫生局 is 北京市某区's now
    _same(engine, monkeypatch)
    assert dashboard(engine, region="北京市某区")["count"] == 2
    agencies.merge(engine, "某区卫生局", "北京市丙区人民政府")
    _same(engine, monkeypatch)
    assert dashboard(engine, region="北京市丙区")["count"] == 2
    agencies.split(engine, "某区卫生局")
    _same(engine, monkeypatch)


def _buckets_match_the_list(engine: sa.Engine, **filters: Any) -> dict:
    """The dashboard's reports with errors, with warnings only and clean are the list's totals of
    each status (the bar links to the list filtered so)."""
    severity = dashboard(engine, **filters)["severity"]
    buckets = {
        "error": severity["reports_with_errors"],
        "warning": severity["reports_with_warnings_only"],
        "ok": severity["reports_clean"],
    }
    for status, n in buckets.items():
        assert queries.list_reports(engine, status=status, **filters)[1] == n, (status, filters)
    return buckets


def _cross(severity: str, *files: str) -> Diagnostic:
    return Diagnostic("CARRYOVER", severity, "上年结转与本年不符", (), None, files[0], files=files)


def test_the_dashboards_statuses_count_the_cross_report_findings(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = connect(db_url)
    store = Store(engine)
    made = [_report(i, 2023, i) for i in range(6)]
    saved = [store.save(r, findings(r) if i < 2 else []) for i, r in enumerate(made)]
    files = [r.source.file for r in made]
    assert _buckets_match_the_list(engine) == {"error": 2, "warning": 0, "ok": 4}
    store.save_cross([_cross("warning", files[2], files[3]), _cross("error", files[4]), _cross("warning", files[0])])
    assert _buckets_match_the_list(engine) == {"error": 3, "warning": 2, "ok": 1}
    _same(engine, monkeypatch)
    store.save_cross([_cross("warning", files[5])])  # replaced: 2, 3 and 4 are clean again
    assert _buckets_match_the_list(engine) == {"error": 2, "warning": 1, "ok": 3}
    _same(engine, monkeypatch)
    versions.withdraw(engine, saved[5].report_id, "误传")  # a report a finding is about, no longer counted
    assert _buckets_match_the_list(engine) == {"error": 2, "warning": 0, "ok": 3}
    versions.restore(engine, saved[5].report_id)
    store.replace_findings(saved[5].report_id, findings(_report(5, 2023, 5)), {})  # now with an error of its own
    assert _buckets_match_the_list(engine) == {"error": 3, "warning": 0, "ok": 3}
    for filters in ({"year": 2023}, {"region": "北京市"}, {"agency": "北京市某区第1局"}):
        _buckets_match_the_list(engine, **filters)
    _same(engine, monkeypatch)
    store.save_cross([])
    assert _buckets_match_the_list(engine) == {"error": 3, "warning": 0, "ok": 3}


def test_a_store_counting_own_findings_only_is_restated(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A store whose kept counts left out the cross-report findings (version 8) is brought forward."""
    own = aggregates._statuses
    with monkeypatch.context() as m:
        m.setattr(aggregates, "_statuses", lambda r, crossed=True: own(r, crossed=False))
        engine = connect(db_url)
        store = Store(engine)
        made = [_report(i, 2023, i) for i in range(3)]
        for r in made:
            store.save(r, [])
        store.save_cross([_cross("warning", made[0].source.file)])
        with writing(engine) as conn:
            conn.execute(meta.update().where(meta.c.key == "schema_version").values(value="8"))
    assert dashboard(engine)["severity"]["reports_clean"] == 3  # as the old store counted
    engine.dispose()
    engine = connect(db_url)  # version 9 remakes the triggers and the counts
    store = Store(engine)
    assert _buckets_match_the_list(engine) == {"error": 0, "warning": 1, "ok": 2}
    _same(engine, monkeypatch)
    store.save(_report(7, 2024, 7), [])  # the triggers made anew
    assert _buckets_match_the_list(engine) == {"error": 0, "warning": 1, "ok": 3}
