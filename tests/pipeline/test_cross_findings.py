"""pipeline.ingest.cross_findings: the cross-report rules as ingest runs them (lean load,
corrections, canonical names), not stored; refresh_cross stores exactly these, and ``ids`` limits
them to those reports (what bench/store_bench.py times)."""

from __future__ import annotations

import random
from pathlib import Path

import sqlalchemy as sa

from nianbao.model import Diagnostic
from nianbao.pipeline.ingest import cross_findings, ingest, refresh_cross
from nianbao.store import queries
from nianbao.store.db import Store, connect
from nianbao.store.schema import diagnostics
from nianbao.synth import synth_cells, synth_report_text

AGENCIES = ("北京市乙城区人民政府", "北京市乙城区教育委员会")


def test_cross_findings_are_what_refresh_cross_stores(tmp_path: Path) -> None:
    rng = random.Random(3)
    for a, agency in enumerate(AGENCIES):
        cells = None
        for year in (2021, 2022, 2023):
            cells = synth_cells(rng, "2021", carried_over=cells if year != 2022 else None)  # a break in 2022
            text = synth_report_text(cells, "2021", "tab", agency, year, random.Random(a * 10 + year % 10))
            (tmp_path / f"s{a}-{year}.txt").write_text(text, encoding="utf-8")
    store = Store(connect(f"sqlite:///{tmp_path / 's.db'}"))
    ingest(sorted(tmp_path.glob("*.txt")), store, workers=1, cross=False)
    found = cross_findings(store)
    assert {"STOCK-CONTINUITY", "DUPLICATE-TEXT", "ROLLUP"} <= {d.rule for d in found}
    assert _stored_cross(store) == 0  # not stored
    assert refresh_cross(store) == found
    assert _stored_cross(store) == len(found)
    ids = [r["id"] for r in queries.agency_reports(store.engine, AGENCIES[0])]
    mine = cross_findings(store, ids)
    assert mine and all(_of(d, "s0-") for d in mine)  # among those reports only
    stock = [d for d in found if d.rule == "STOCK-CONTINUITY" and _of(d, "s0-")]  # a pair's own rule
    assert stock and [d for d in mine if d.rule == "STOCK-CONTINUITY"] == stock


def _stored_cross(store: Store) -> int:
    """How many cross-report findings the store holds (those of no one report)."""
    with store.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).where(diagnostics.c.report_id.is_(None))).scalar_one()


def _of(d: Diagnostic, prefix: str) -> bool:
    return all(Path(f).name.startswith(prefix) for f in (d.file, *d.files) if f)
