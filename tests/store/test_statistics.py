"""PostgreSQL's planner is told the store's own share of distinct ``reports.agency_key``
(store/schema.py ``spread_agency_keys``): by ``Store.analyze`` and, once, by the opening of a
store that has reports but not the setting; an empty store is left as it is."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from nianbao.store.db import Store, connect
from tests.builders import numbered_report


def _told(engine: sa.Engine) -> tuple[list[str] | None, float | None]:
    with engine.connect() as conn:
        options = conn.exec_driver_sql(
            "SELECT attoptions FROM pg_attribute WHERE attrelid = 'reports'::regclass AND attname = 'agency_key'"
        ).scalar()
        guessed = conn.exec_driver_sql(
            "SELECT n_distinct FROM pg_stats WHERE tablename = 'reports' AND attname = 'agency_key'"
        ).scalar()
    return options, guessed


@pytest.mark.postgres
def test_the_planner_is_told_how_many_agencies_a_store_has(pg_database: str) -> None:
    engine = connect(pg_database)
    assert _told(engine)[0] is None  # empty: nothing to tell
    store = Store(engine)
    for year in (2021, 2022, 2023, 2024):  # 2 agencies, 8 reports: a quarter of them distinct
        for agency in ("北京市甲区人民政府", "北京市乙区人民政府"):
            store.save(numbered_report(agency=agency, year=year, seed=year), [])
    store.analyze()
    assert _told(engine) == (["n_distinct=-0.25"], -0.25)
    with engine.begin() as conn:  # as a store made before has it
        conn.exec_driver_sql("ALTER TABLE reports ALTER COLUMN agency_key RESET (n_distinct)")
        conn.exec_driver_sql("ANALYZE reports")
    assert _told(engine)[0] is None
    engine.dispose()
    engine = connect(pg_database)  # opening tells it, and analyses the column
    assert _told(engine) == (["n_distinct=-0.25"], -0.25)
    engine.dispose()
