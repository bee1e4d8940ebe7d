"""The program creates and migrates its tables: a version-1 database is brought to the current version."""

from __future__ import annotations

import json
import zlib
from pathlib import Path

import pytest
import sqlalchemy as sa

from nianbao.model import Location, Value
from nianbao.render.json import location_json
from nianbao.store import originals, queries
from nianbao.store.db import Store, StoreError, connect
from nianbao.store.schema import SCHEMA_VERSION, cells, documents, meta, paths, reports, schema_version
from nianbao.store.summary import SUMMARY, summary_from_values
from tests.builders import numbered_report
from tests.store.store_helpers import drop_report_totals, findings, with_original

# the tables that version 6 changed, as version 5 made them
V5 = sa.MetaData()
sa.Table("reports", V5, sa.Column("id", sa.Integer, primary_key=True))
V5_DOCUMENTS = sa.Table(
    "documents",
    V5,
    sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("document", sa.JSON, nullable=False),
    sa.Column("source", sa.LargeBinary),
)
V5_CELLS = sa.Table(
    "cells",
    V5,
    sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("path", sa.String(96), primary_key=True),
    sa.Column("value", sa.Float(precision=53)),
    sa.Column("raw", sa.Text, nullable=False, default=""),
    sa.Column("location", sa.Text),
    sa.Column("note", sa.Text),
    sa.Column("confidence", sa.Float),
    sa.Column("derived", sa.Boolean, nullable=False, default=False),
    sa.Index("ix_cells_path_report_value", "path", "report_id", "value"),
)
V5_SECTIONS = sa.Table(
    "sections",
    V5,
    sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("key", sa.String(32), primary_key=True),
    sa.Column("heading", sa.Text, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("location", sa.JSON),
)
V5_ORIGINALS = sa.Table(
    "originals",
    V5,
    sa.Column("sha256", sa.String(64), primary_key=True),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("data", sa.LargeBinary, nullable=False),
    sa.Column("kept_at", sa.DateTime(timezone=True), nullable=False),
)


def _make_version_5(engine: sa.Engine) -> None:
    """Turn a current database into what version 5 of the program left: the report JSON and the
    originals as they are, the cells keyed by their path with where each was printed, the sections
    in a table of their own."""
    store = Store(engine)
    with engine.begin() as conn:
        docs = [dict(r._mapping) for r in conn.execute(sa.select(documents))]
        kept = [dict(r._mapping) for r in conn.execute(sa.select(originals.originals))]
    read = {d["report_id"]: store.load_report(d["report_id"]) for d in docs}
    secs = [
        {"report_id": rid, "key": k, "heading": s.heading, "text": s.text, "location": location_json(s.location)}
        for rid, r in read.items()
        for k, s in r.sections.items()
    ]
    rows = [
        {
            "report_id": d["report_id"],
            "path": p,
            "value": v.value,
            "raw": v.raw,
            "location": None if v.location is None else json.dumps(location_json(v.location)),
            "note": v.note,
            "confidence": v.confidence,
            "derived": v.derived,
        }
        for d in docs
        for p, v in read[d["report_id"]].cells.items()
    ]
    with engine.begin() as conn:
        for table in (cells, paths, documents, originals.originals):
            table.drop(conn)
        V5.create_all(conn, tables=[V5_DOCUMENTS, V5_CELLS, V5_SECTIONS, V5_ORIGINALS])
        conn.execute(V5_SECTIONS.insert(), secs)
        conn.execute(V5_DOCUMENTS.insert(), docs)
        conn.execute(V5_CELLS.insert(), rows)
        if kept:
            conn.execute(V5_ORIGINALS.insert(), kept)
        conn.execute(meta.update().where(meta.c.key == "schema_version").values(value="5"))


def _make_version_3(engine: sa.Engine) -> None:
    """Turn a current database into what version 3 of the program left: each report's JSON without
    its ``detail``, no source kept."""
    _make_version_5(engine)
    with engine.begin() as conn:
        for rid, document in conn.execute(sa.select(V5_DOCUMENTS.c.report_id, V5_DOCUMENTS.c.document)).all():
            del document["detail"]
            conn.execute(V5_DOCUMENTS.update().where(V5_DOCUMENTS.c.report_id == rid).values(document=document))
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
    other, data = with_original(numbered_report(seed=9), ["一、总体情况"])
    new = store.save(other, [], {"lines": ["一、总体情况"]}, original=data)
    assert (new.status, store.load_source(new.report_id)) == ("new_version", {"lines": ["一、总体情况"]})


def test_version_5_is_migrated_in_place_and_keeps_every_report_whole(db_url: str) -> None:
    engine = connect(db_url)
    store = Store(engine)
    report, other = numbered_report(), numbered_report("北京市另一区人民政府", seed=3)
    other.cells["table3.new_received.total"] = Value(1234, "1,234", Location(line=7), confidence=0.5)
    source = {"lines": ["原文：一、总体情况" * 50, "（略）"]}
    report, data = with_original(report, source["lines"])
    rid = store.save(report, findings(report), source, original=data).report_id
    oid = store.save(other, []).report_id
    before = {i: queries.get_report(engine, i) for i in (rid, oid)}
    _make_version_5(engine)
    engine.dispose()
    with engine.connect() as conn:
        assert schema_version(conn) == 5
        assert conn.execute(sa.select(sa.func.count()).select_from(V5_CELLS)).scalar() == 2 * len(report.cells)

    engine = connect(db_url)
    store = Store(engine)
    with engine.connect() as conn:
        assert schema_version(conn) == SCHEMA_VERSION
        tables = set(sa.inspect(conn).get_table_names())
        kept = conn.execute(sa.select(originals.originals.c.size, sa.func.length(originals.originals.c.data))).one()
        raws = dict(
            conn.execute(
                sa.select(paths.c.path, cells.c.raw)
                .join(paths, paths.c.id == cells.c.path_id)
                .where(cells.c.report_id == oid)
            ).all()
        )
    assert not {t for t in tables if t.endswith("_v5")} and "sections" not in tables
    assert store.load_report(rid) == report and store.load_report(oid) == other
    assert {i: queries.get_report(engine, i) for i in (rid, oid)} == before
    assert store.load_source(rid) == source
    assert originals.load(engine, report.source.sha256) == data
    assert kept[0] == len(data) > kept[1]  # the size of the file; the bytes zlib'd
    assert raws["table3.new_received.total"] == "1,234"  # the text as printed, where it is not the value
    assert raws["table3.carried_over.total"] is None
    # and the migrated database takes new reports
    third = store.save(numbered_report(seed=9), [])
    assert third.status == "new_version" and store.load_report(third.report_id) == numbered_report(seed=9)


def _make_version_7(engine: sa.Engine) -> None:
    """Turn a current database into what version 7 left: the report JSON and the originals zlib'd
    without a dictionary, and every reader's view kept, a text file's lines too."""
    with engine.begin() as conn:
        docs = conn.execute(sa.select(documents.c.report_id, documents.c.document)).all()
        for rid, document in docs:
            packed = zlib.compress(json.dumps(document, ensure_ascii=False).encode(), 6)
            view = Store(engine).load_source(rid)
            conn.execute(
                sa.table("documents", sa.column("report_id"), sa.column("document"), sa.column("source"))
                .update()
                .where(sa.column("report_id") == rid)
                .values(document=packed, source=zlib.compress(json.dumps(view, ensure_ascii=False).encode()))
            )
        kept = conn.execute(sa.select(originals.originals.c.sha256, originals.originals.c.data)).all()
        for sha, data in kept:
            conn.execute(
                sa.table("originals", sa.column("sha256"), sa.column("data"))
                .update()
                .where(sa.column("sha256") == sha)
                .values(data=zlib.compress(data, 6))
            )
        conn.execute(meta.update().where(meta.c.key == "schema_version").values(value="7"))


def test_version_7_keeps_its_rows_and_drops_the_lines_its_originals_hold(db_url: str) -> None:
    engine = connect(db_url)
    store = Store(engine)
    lines = ["原文：一、总体情况" * 20, "二、主动公开政府信息情况"]
    report, data = with_original(numbered_report(), lines)
    rid = store.save(report, findings(report), {"lines": lines}, original=data).report_id
    before = queries.get_report(engine, rid)
    _make_version_7(engine)
    engine.dispose()
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).where(documents.c.source.is_not(None))).scalar() == 1

    engine = connect(db_url)
    store = Store(engine)
    with engine.connect() as conn:
        assert schema_version(conn) == SCHEMA_VERSION
        assert conn.execute(sa.select(sa.func.count()).where(documents.c.source.is_not(None))).scalar() == 0
    assert queries.get_report(engine, rid) == before and store.load_report(rid) == report  # read without a dictionary
    assert store.load_source(rid) == {"lines": lines} and originals.load(engine, report.source.sha256) == data
    other, more = with_original(numbered_report(seed=9), ["一、总体情况"])
    new = store.save(other, [], {"lines": ["一、总体情况"]}, original=more)
    assert store.load_report(new.report_id) == other and originals.load(engine, other.source.sha256) == more


def test_version_7_keeps_the_lines_its_original_does_not_give_again(db_url: str) -> None:
    engine = connect(db_url)
    store = Store(engine)
    lines = ["一、总体情况", "二、主动公开政府信息情况"]
    ids = []
    for seed in (1, 2):
        report, data = with_original(numbered_report(seed=seed), [*lines, str(seed)])
        ids.append(store.save(report, [], {"lines": [*lines, str(seed)]}, original=data).report_id)
    _make_version_7(engine)
    older = {"lines": ["一、总体情况 ", "二、主动公开政府信息情况", "1"]}  # as a reader before split it
    docs = sa.table("documents", sa.column("report_id"), sa.column("source"))
    with engine.begin() as conn:
        packed = zlib.compress(json.dumps(older, ensure_ascii=False).encode())
        conn.execute(docs.update().where(docs.c.report_id == ids[0]).values(source=packed))
        conn.execute(reports.update().where(reports.c.id == ids[1]).values(encoding=None))
    engine.dispose()

    store = Store(connect(db_url))
    assert store.load_source(ids[0]) == older
    assert store.load_source(ids[1]) == {"lines": [*lines, "2"]}  # no encoding to split its original in


def test_a_newer_database_is_refused(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = connect(db_url)
    with engine.begin() as conn:
        conn.execute(meta.update().where(meta.c.key == "schema_version").values(value=str(SCHEMA_VERSION + 1)))
    engine.dispose()
    made: list[sa.Engine] = []
    create = sa.create_engine
    monkeypatch.setattr(sa, "create_engine", lambda *a, **k: made.append(create(*a, **k)) or made[-1])
    with pytest.raises(StoreError, match="高于本程序支持"):
        connect(db_url)
    assert made[0].pool.checkedin() == 0  # the refused engine's connections closed, not left in its pool


def test_unopenable_database_is_one_chinese_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(StoreError, match="无法打开数据库"):
        connect(f"sqlite:///{tmp_path}")  # a folder, not a file
    monkeypatch.chdir(tmp_path)  # a plain path is a SQLite file (2198881): a URL mistyped is none
    with pytest.raises(StoreError, match="无法识别"):
        connect("postgresql:/x")
    assert list(tmp_path.iterdir()) == []


def test_version_9_drops_the_path_key_of_cells_on_postgresql(db_url: str) -> None:
    """Version 10: cells.path_id is no foreign key on PostgreSQL (its row-by-row check was most of
    the server's work storing a report); the cells stay as they were and read the same."""
    engine = connect(db_url)
    rid = Store(engine).save(numbered_report("甲市测试局", 2023), [])
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(
                "ALTER TABLE cells ADD CONSTRAINT cells_path_id_fkey FOREIGN KEY (path_id) REFERENCES paths (id)"
            )
        conn.execute(meta.update().where(meta.c.key == "schema_version").values(value="9"))
        before = conn.execute(sa.select(cells).order_by(cells.c.path_id)).all()
    engine.dispose()
    engine = connect(db_url)
    with engine.connect() as conn:
        assert schema_version(conn) == SCHEMA_VERSION
        keys = [fk["referred_table"] for fk in sa.inspect(conn).get_foreign_keys("cells")]
        assert "paths" not in keys or conn.dialect.name == "sqlite"
        assert "reports" in keys  # its reports' cells still go with them
        assert conn.execute(sa.select(cells).order_by(cells.c.path_id)).all() == before
    assert queries.get_report(engine, rid.report_id)["report"]["agency"] == "甲市测试局"
