"""The cross-report rules pair the years of one agency however each year printed its name: a
short name completed with its region, and names merged by hand (SQLite and PostgreSQL)."""

from __future__ import annotations

from nianbao.pipeline.ingest import refresh_cross
from nianbao.store import agencies
from nianbao.store.db import Store, connect
from tests.builders import numbered_report


def _carryover(store: Store) -> list[str]:
    return [d.message for d in refresh_cross(store) if d.rule == "CARRYOVER"]


def test_carryover_across_printed_names_and_merges(db_url: str) -> None:
    store = Store(connect(db_url))
    for i, (agency, year) in enumerate(
        [("北京市甲城区卫生健康委员会", 2023), ("甲城区卫生局", 2024), ("北京市甲城区人民政府", 2022)]
    ):
        store.save(numbered_report(agency=agency, year=year, seed=i + 1), [])
    assert _carryover(store) == []  # two agencies until a reviewer says otherwise
    agencies.merge(store.engine, "甲城区卫生局", "北京市甲城区卫生健康委员会")
    [message] = _carryover(store)
    assert "2024年“北京市甲城区卫生健康委员会”" in message and "2023年“北京市甲城区卫生健康委员会”" in message
