"""Store.save_many (bulk ingest: one transaction per batch) stores exactly what save_prepared one
by one stores: statuses, versions, the current version, rows, originals and audit entries."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import sqlalchemy as sa

from nianbao.pipeline import process
from nianbao.store import db
from nianbao.store.db import Store, connect
from nianbao.store.rows import prepare, raw_of
from nianbao.store.schema import audit_log, cells, documents, originals, paths, reports
from tests.builders import numbered_report
from tests.store.store_helpers import findings


def _batch() -> list:
    """Two agencies, the first file twice, then another content for the first agency-year; each
    with the bytes numbered_report's sha256 is made of, as its original."""
    chosen = [("甲市测试局", 1), ("乙市测试局", 2), ("甲市测试局", 1), ("甲市测试局", 3)]
    reports_ = [numbered_report(a, 2023, seed=s) for a, s in chosen]
    return [(prepare(r, findings(r)), f"{a}2023{s}2021".encode()) for r, (a, s) in zip(reports_, chosen, strict=True)]


def _state(engine: sa.Engine) -> list:
    with engine.connect() as conn:
        heads = conn.execute(
            sa.select(
                reports.c.agency, reports.c.year, reports.c.version, reports.c.is_current, reports.c.sha256
            ).order_by(reports.c.id)
        ).all()
        rows = [conn.execute(sa.select(sa.func.count()).select_from(t)).scalar() for t in (cells, documents)]
        audit = conn.execute(sa.select(audit_log.c.action, audit_log.c.target).order_by(audit_log.c.id)).all()
        kept = set(conn.execute(sa.select(originals.c.sha256)).scalars())
    return [heads, rows, audit, kept]


def test_a_batch_is_stored_as_one_by_one(db_url: str) -> None:
    engine = connect(db_url)
    batch = _batch()
    saved = Store(engine).save_many(batch, who="测试")
    assert [s.status for s in saved] == ["loaded", "loaded", "unchanged", "new_version"]
    assert saved[2].report_id == saved[0].report_id and [s.version for s in saved] == [1, 1, 1, 2]
    in_batch = _state(engine)

    with engine.begin() as conn:  # the same reports again, one by one, into an empty store
        for t in (audit_log, originals, reports):
            conn.execute(t.delete())
    one_by_one = [Store(engine).save_prepared(p, data, who="测试") for p, data in batch]
    assert [s.status for s in one_by_one] == [s.status for s in saved]
    assert _state(engine) == in_batch
    assert [cur for *_, cur, _ in in_batch[0]] == [False, True, True]
    assert Store(engine).save_many(batch)[-1].status == "unchanged"


def test_each_cell_is_stored_with_its_own_value_text_and_derived_mark(db_url: str) -> None:
    """The writer zips a report's cells from four columns (db.Cells): every stored row is its path's."""
    path = Path(__file__).resolve().parents[1] / "fixtures" / "reports" / "shanghai-2022-thousands.txt"
    done = process(path.read_bytes(), path.name)
    engine = connect(db_url)
    (saved,) = Store(engine).save_many([(prepare(done.report, done.findings), path.read_bytes())])
    q = (
        sa.select(paths.c.path, cells.c.value, cells.c.raw, cells.c.derived)
        .join(paths, paths.c.id == cells.c.path_id)
        .where(cells.c.report_id == saved.report_id)
    )
    with engine.connect() as conn:
        got = {p: (value, raw_of(value, raw), derived) for p, value, raw, derived in conn.execute(q)}
    want = {p: (None if v.value is None else float(v.value), v.raw, v.derived) for p, v in done.report.cells.items()}
    assert got == want
    assert any(d for *_, d in want.values()) and any(raw != raw_of(value, None) for value, raw, _ in want.values())


def test_a_cell_s_text_with_copy_s_special_characters_is_stored_exactly(db_url: str) -> None:
    """On PostgreSQL the cells go by COPY: a tab, a newline, a backslash, a literal \\N, a blank and a
    huge number in a printed text come back as they were (on SQLite too)."""
    report = numbered_report("丙市测试局", 2023, seed=4)
    texts = ["1\t2", "3\n4", "5\\6", "\\N", "", "1" * 300]
    chosen = list(report.cells)[: len(texts)]
    changed = {p: dataclasses.replace(report.cells[p], value=None, raw=t) for p, t in zip(chosen, texts, strict=True)}
    report = dataclasses.replace(report, cells={**report.cells, **changed})
    engine = connect(db_url)
    (saved,) = Store(engine).save_many([(prepare(report, findings(report)), None)])
    q = sa.select(paths.c.path, cells.c.value, cells.c.raw).join(paths, paths.c.id == cells.c.path_id)
    with engine.connect() as conn:
        got = {p: raw_of(v, raw) for p, v, raw in conn.execute(q.where(cells.c.report_id == saved.report_id))}
    assert got == {p: c.raw for p, c in report.cells.items()}


def test_a_cell_that_breaks_a_constraint_is_sqlalchemy_s_integrity_error(db_url: str) -> None:
    """On PostgreSQL the cells go by COPY, straight through psycopg: its errors are raised as
    SQLAlchemy raises its statements' (save_many's IntegrityError fallback and its one-line
    StoreError see the same on both databases)."""
    engine = connect(db_url)
    (saved,) = Store(engine).save_many([(prepare(numbered_report("丁市测试局", 2023), []), None)])
    with pytest.raises(sa.exc.IntegrityError), db.writing(engine) as conn:
        path_id = conn.execute(sa.select(paths.c.id).limit(1)).scalar()
        db._insert_rows(conn, cells, db.CELL_COLUMNS, [(saved.report_id, path_id, 1.0, None, False)])
