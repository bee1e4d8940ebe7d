"""The program creates and migrates its tables: a version-1 database is brought to the current version."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from nianbao.store.db import Store, StoreError, connect
from nianbao.store.schema import SCHEMA_VERSION, documents, meta, reports, schema_version
from nianbao.store.summary import SUMMARY, summary_from_values
from tests.builders import numbered_report
from tests.store.store_helpers import drop_report_totals, findings


def _make_version_3(engine: sa.Engine) -> None:
    """Turn a current database into what version 3 of the program left: each report's JSON without
    its ``detail``, no source kept."""
    with engine.begin() as conn:
        for rid, document in conn.execute(sa.select(documents.c.report_id, documents.c.document)).all():
            del document["detail"]
            conn.execute(documents.update().where(documents.c.report_id == rid).values(document=document))
        conn.exec_driver_sql("ALTER TABLE documents DROP COLUMN source")
        conn.execute(meta.update().where(meta.c.key == "schema_version").values(value="3"))


def _make_version_1(engine: sa.Engine) -> None:
    """Turn a current database into what version 1 of the program left: version 3, and no summary
    columns, no link table, the version-1 indexes, no kept dashboard sums."""
    _make_version_3(engine)
    with engine.begin() as conn:
        drop_report_totals(conn)
        for index in ("ix_reports_year_totals", "ix_reports_agency_year_totals"):
            conn.exec_driver_sql(f"DROP INDEX {index}")
        conn.exec_driver_sql("CREATE INDEX ix_reports_current_year ON reports (is_current, year)")
        conn.exec_driver_sql("CREATE INDEX ix_reports_agency_year ON reports (agency_key, year)")
        conn.exec_driver_sql("DROP TABLE cross_reports")
        for name in SUMMARY:
            conn.exec_driver_sql(f"ALTER TABLE reports DROP COLUMN {name}")
        conn.execute(meta.update().where(meta.c.key == "schema_version").values(value="1"))


def test_fresh_database_gets_the_current_version(db_url: str) -> None:
    engine = connect(db_url)
    with engine.connect() as conn:
        assert schema_version(conn) == SCHEMA_VERSION
    connect(db_url)  # opening again changes nothing
    with engine.connect() as conn:
        assert schema_version(conn) == SCHEMA_VERSION


def test_version_1_is_migrated_and_its_summaries_filled_from_cells(db_url: str) -> None:
    engine = connect(db_url)
    report = numbered_report()
    rid = Store(engine).save(report, findings(report)).report_id
    _make_version_1(engine)
    engine.dispose()
    with engine.connect() as conn:
        assert schema_version(conn) == 1
        assert "granted_total" not in {c["name"] for c in sa.inspect(conn).get_columns("reports")}

    engine = connect(db_url)
    with engine.connect() as conn:
        assert schema_version(conn) == SCHEMA_VERSION
        row = conn.execute(sa.select(reports).where(reports.c.id == rid)).one()._mapping
        indexes = {ix["name"] for ix in sa.inspect(conn).get_indexes("reports")}
    assert {"ix_reports_year_totals", "ix_reports_agency_year_totals"} <= indexes
    assert not indexes & {"ix_reports_current_year", "ix_reports_agency_year"}
    expected = summary_from_values({p: v.value for p, v in report.cells.items()})
    assert {k: row[k] for k in SUMMARY} == expected
    assert expected["granted_total"] == report.value("table3.granted.total")
    assert Store(engine).load_report(rid) == report
    # and the migrated database takes new reports
    other = numbered_report(seed=9)
    assert Store(engine).save(other, []).status == "new_version"


def test_version_3_keeps_its_reports_whole_and_says_their_source_was_not_kept(db_url: str) -> None:
    engine = connect(db_url)
    report = numbered_report()
    rid = Store(engine).save(report, findings(report), {"lines": ["一、总体情况"]}).report_id
    _make_version_3(engine)
    engine.dispose()
    with engine.connect() as conn:
        assert "source" not in {c["name"] for c in sa.inspect(conn).get_columns("documents")}

    store = Store(connect(db_url))
    assert store.load_report(rid) == report  # encoding, headings and narrative bases filled from the rows
    assert store.load_source(rid) is None
    other = numbered_report(seed=9)
    new = store.save(other, [], {"lines": ["一、总体情况"]})
    assert (new.status, store.load_source(new.report_id)) == ("new_version", {"lines": ["一、总体情况"]})


def test_a_newer_database_is_refused(db_url: str) -> None:
    engine = connect(db_url)
    with engine.begin() as conn:
        conn.execute(meta.update().where(meta.c.key == "schema_version").values(value=str(SCHEMA_VERSION + 1)))
    with pytest.raises(StoreError, match="高于本程序支持"):
        connect(db_url)


def test_unopenable_database_is_one_chinese_line(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="无法打开数据库"):
        connect(f"sqlite:///{tmp_path}")  # a folder, not a file
    with pytest.raises(StoreError, match="无法识别"):
        connect("not a url")
