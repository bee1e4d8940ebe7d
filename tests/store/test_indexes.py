"""Opening a store brings its indexes to their current definition (store/schema.py
``_current_indexes``): a PostgreSQL store made before the list index included its filters'
columns, or before agency_names had trigram indexes, gets them; SQLite's are left as made."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from nianbao.store import queries, search
from nianbao.store.db import Store, connect
from tests.builders import numbered_report


def _indexes(engine: sa.Engine) -> dict[str, str]:
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            q = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        else:
            q = "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
        return dict(conn.exec_driver_sql(q).all())


@pytest.mark.postgres
def test_a_postgresql_store_with_the_old_indexes_gets_the_current_ones(pg_database: str) -> None:
    engine = connect(pg_database)
    Store(engine).save(numbered_report(agency="北京市甲区人民政府", year=2023, seed=1), [])
    current = _indexes(engine)
    included = "INCLUDE (is_current, region, agency_key, edition, n_errors, n_warnings, source_file)"
    assert included in current["ix_reports_list_order"]
    assert current["ix_agency_names_region_path"].endswith("(region_path text_pattern_ops) INCLUDE (agency_key)")
    trigrams = [search.trigram_index("agency_names", c) for c in search.NAME_COLUMNS]
    with engine.begin() as conn:  # as a store made before ce2ecdd and 35b37cf has them
        conn.exec_driver_sql("DROP INDEX ix_reports_list_order")
        conn.exec_driver_sql("CREATE INDEX ix_reports_list_order ON reports (year DESC NULLS LAST, agency, id)")
        for name in trigrams:
            conn.exec_driver_sql(f"DROP INDEX {name}")
        conn.exec_driver_sql("DROP INDEX ix_agency_names_region_path")  # as before it included agency_key
        conn.exec_driver_sql("CREATE INDEX ix_agency_names_region_path ON agency_names (region_path text_pattern_ops)")
    old = _indexes(engine)
    assert "INCLUDE" not in old["ix_reports_list_order"] and not set(trigrams) & set(old)
    assert "INCLUDE" not in old["ix_agency_names_region_path"]
    engine.dispose()
    engine = connect(pg_database)
    assert _indexes(engine) == current
    engine.dispose()
    engine = connect(pg_database)  # opening again changes nothing
    assert _indexes(engine) == current
    assert queries.list_reports(engine, region="北京市", status="ok", cap=10)[1] == 1
    engine.dispose()


def test_a_sqlite_store_keeps_its_indexes(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'a.db'}"
    engine = connect(url)
    made = _indexes(engine)
    engine.dispose()
    assert _indexes(connect(url)) == made
