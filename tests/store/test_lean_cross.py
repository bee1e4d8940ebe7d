"""The cross-report rules over the lean load (store.lean) find exactly what they find over the
reports rebuilt in full: fixtures and synthetic years of agencies with carry-overs, copied texts,
a copied report, a correction and a merged agency (SQLite and PostgreSQL)."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from nianbao.check import check_across
from nianbao.pipeline.ingest import ingest, refresh_cross
from nianbao.store import agencies, corrections, queries
from nianbao.store.db import Store, connect
from nianbao.synth import synth_cells, synth_report_text

FIXTURES = Path(__file__).parent.parent / "fixtures" / "reports"
AGENCIES = ("北京市乙城区人民政府", "北京市乙城区教育委员会", "乙城区财政局")


def _corpus(folder: Path) -> None:
    for f in FIXTURES.iterdir():
        shutil.copy(f, folder / f.name)
    rng = random.Random(7)
    for a, agency in enumerate(AGENCIES):
        cells = None
        for year in (2021, 2022, 2023):
            cells = synth_cells(rng, "2021", carried_over=cells if year != 2022 or a else None)
            text = synth_report_text(cells, "2021", "tab", agency, year, random.Random(a * 10 + year % 10))
            (folder / f"s{a}-{year}.txt").write_text(text, encoding="utf-8")
    first = (folder / "s0-2022.txt").read_text(encoding="utf-8")
    (folder / "copy-2022.txt").write_text(first.replace(AGENCIES[0], "北京市乙城区民政局"), encoding="utf-8")
    (folder / "again-2023.txt").write_text(first.replace("2022", "2023"), encoding="utf-8")


def _found(found: list) -> list:
    return [(d, d.values) for d in found]


def test_lean_load_finds_the_same(db_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    _corpus(folder)
    store = Store(connect(db_url))
    ingest(sorted(folder.iterdir()), store, workers=1, cross=False)
    rid = queries.agency_reports(store.engine, AGENCIES[1])[0]["id"]
    corrections.correct(store.engine, rid, "table3.carried_over.total", 9999, "复核")
    agencies.merge(store.engine, "乙城区财政局", "北京市乙城区民政局")
    full = check_across(
        agencies.canonical_reports(store.engine, corrections.corrected(store.engine, store.load_reports()))
    )
    lean = refresh_cross(store)
    assert {d.rule for d in lean} >= {"CARRYOVER", "DUPLICATE-TEXT", "DUPLICATE-REPORT"}
    assert _found(lean) == _found(full)
