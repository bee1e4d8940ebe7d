"""The dashboard's kept sums (store/aggregates.py) equal plain sums over the current reports after
saves, new versions, withdrawals, restores, pending versions, re-checks and deletions (and so does
the report list's total), on SQLite
and PostgreSQL; a store made before the table existed gets it filled when opened."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import sqlalchemy as sa

from nianbao.model import Diagnostic, Value
from nianbao.store import agencies, aggregates, queries, versions
from nianbao.store import dashboard as dashboard_module
from nianbao.store.dashboard import dashboard
from nianbao.store.db import Store, connect, normalise_url, writing
from nianbao.store.rows import prepare
from nianbao.store.schema import SCHEMA_VERSION, meta, place_totals, report_totals, schema_version
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


def _a_version_8_store(db_url: str, monkeypatch: pytest.MonkeyPatch) -> sa.Engine:
    """Three reports, one with a cross-report warning, kept as version 8 counted them (own
    findings only) and marked version 8: its engine (not yet brought forward)."""
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
    return engine


def test_a_store_counting_own_findings_only_is_restated(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A store whose kept counts left out the cross-report findings (version 8) is brought forward."""
    engine = _a_version_8_store(db_url, monkeypatch)
    assert dashboard(engine)["severity"]["reports_clean"] == 3  # as the old store counted
    engine.dispose()
    engine = connect(db_url)  # version 9 remakes the triggers and the counts
    store = Store(engine)
    assert _buckets_match_the_list(engine) == {"error": 0, "warning": 1, "ok": 2}
    _same(engine, monkeypatch)
    store.save(_report(7, 2024, 7), [])  # the triggers made anew
    assert _buckets_match_the_list(engine) == {"error": 0, "warning": 1, "ok": 3}


def test_a_deleted_report_is_taken_away_with_the_cross_report_findings_about_it(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A plain DELETE of a report a cross-report finding is about: its links go with the row (ON
    DELETE CASCADE, before any AFTER trigger), so its counts by status are taken away before."""
    engine = connect(db_url)
    store = Store(engine)
    made = [_report(i, 2023, i) for i in range(4)]
    saved = [store.save(r, []) for r in made]
    files = [r.source.file for r in made]
    store.save_cross([_cross("error", files[0]), _cross("warning", files[1], files[2])])
    assert _buckets_match_the_list(engine) == {"error": 1, "warning": 2, "ok": 1}
    with engine.begin() as conn:  # whatever code makes it
        gone = [saved[0].report_id, saved[1].report_id]
        conn.execute(sa.text("DELETE FROM reports WHERE id IN (:a, :b)"), dict(zip("ab", gone, strict=True)))
    assert _buckets_match_the_list(engine) == {"error": 0, "warning": 1, "ok": 1}
    _same(engine, monkeypatch)


def test_the_statuses_follow_the_versions_and_agencies_of_reports_found_about(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reports that cross-report findings are about, through a new version, a withdrawal that
    makes the earlier version (still found about) current again, a pending version confirmed or
    discarded, a re-reading and a merge of agencies (place_totals remade)."""
    engine = connect(db_url)
    store = Store(engine)
    made = [_report(i, 2023, i) for i in range(5)]
    saved = [store.save(r, findings(r) if i == 4 else []) for i, r in enumerate(made)]
    files = [r.source.file for r in made]
    store.save_cross([_cross("error", files[0]), _cross("warning", files[1], files[2]), _cross("warning", files[3])])
    assert _buckets_match_the_list(engine) == {"error": 2, "warning": 3, "ok": 0}
    newer = store.save(_report(0, 2023, 50), [])
    assert newer.status == "new_version"
    assert _buckets_match_the_list(engine) == {"error": 1, "warning": 3, "ok": 1}
    versions.withdraw(engine, newer.report_id, "误传")
    assert _buckets_match_the_list(engine) == {"error": 2, "warning": 3, "ok": 0}
    versions.confirm(engine, store.save(_report(1, 2023, 51), [], pending=True).report_id)
    versions.discard(engine, store.save(_report(2, 2023, 52), [], pending=True).report_id)
    assert _buckets_match_the_list(engine) == {"error": 2, "warning": 2, "ok": 1}
    store.replace_prepared(saved[3].report_id, prepare(made[3], findings(made[3])))
    assert _buckets_match_the_list(engine) == {"error": 3, "warning": 1, "ok": 1}
    _same(engine, monkeypatch)
    agencies.merge(engine, made[2].agency, made[3].agency)
    _same(engine, monkeypatch)
    versions.restore(engine, newer.report_id)
    store.save_cross([_cross("error", files[2]), _cross("warning", _report(0, 2023, 50).source.file)])
    assert _buckets_match_the_list(engine) == {"error": 3, "warning": 1, "ok": 1}
    _same(engine, monkeypatch)


def test_an_interrupted_restatement_leaves_the_store_as_it_was(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Version 9's migration runs in the opening's one transaction (SQLite's DDL too): stopped
    half way (report_totals restated, place_totals not yet) the store is still at version 8 with
    its triggers and counts as they were, and the next opening brings it forward."""
    engine = _a_version_8_store(db_url, monkeypatch)
    engine.dispose()
    raw = sa.create_engine(normalise_url(db_url))  # not connect(): it would migrate

    def state() -> tuple:
        triggers = (
            "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
            if raw.dialect.name == "postgresql"
            else "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        )
        with raw.connect() as conn:
            warned = [
                conn.execute(sa.select(sa.func.sum(t.c.warnings_only))).scalar() for t in (report_totals, place_totals)
            ]
            return schema_version(conn), sorted(conn.exec_driver_sql(triggers).scalars()), warned

    before = state()
    assert before[0] == 8 and before[2] == [0, 0]
    fill = aggregates._fill

    def stopped(conn: Any, kept: tuple) -> None:
        if kept is aggregates.PLACED:
            raise RuntimeError("interrupted")
        fill(conn, kept)

    with monkeypatch.context() as m:
        m.setattr(aggregates, "_fill", stopped)
        with pytest.raises(RuntimeError):
            connect(db_url)
    assert state() == before
    engine = connect(db_url)
    assert state()[0] == SCHEMA_VERSION and state()[2] == [1, 1]
    raw.dispose()
    assert _buckets_match_the_list(engine) == {"error": 0, "warning": 1, "ok": 2}
    _same(engine, monkeypatch)


def test_two_ingests_at_once_keep_the_counts(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two writers storing reports and replacing the cross-report findings at the same time: every
    write holds the store's write lock, so what save_cross takes away and adds back is read under it."""
    connect(db_url).dispose()

    def ingest(n: int) -> None:
        engine = connect(db_url)
        store = Store(engine)
        try:
            for i in range(6):
                mine, theirs = (_report(10 * k + i, 2023, 10 * k + i) for k in (n, 1 - n))
                store.save(mine, findings(mine) if i % 3 == 0 else [])
                store.save_cross([_cross(("error", "warning")[i % 2], mine.source.file, theirs.source.file)])
        finally:
            engine.dispose()

    with ThreadPoolExecutor(2) as pool:
        for done in [pool.submit(ingest, n) for n in (0, 1)]:
            done.result()
    engine = connect(db_url)
    assert sum(_buckets_match_the_list(engine).values()) == 12
    _same(engine, monkeypatch)
