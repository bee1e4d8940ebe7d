"""Numbers round-tripped through the official DOCX layout: render a report, read it back,
every cell identical (the five seeds, synthetic reports of both editions, and XLSX)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from nianbao.model import Fees, Report, Source, Value
from nianbao.pipeline import process
from nianbao.render.docx import render_docx
from nianbao.synth import split_other_services, synth_cells, synth_fees
from nianbao.template import cell_paths, edition
from tests.read.docx_make import xlsx_bytes

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


def _seed_files() -> list[Path]:
    return sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []


def assert_same_cells(want: Report, got: Report) -> None:
    assert got.edition == want.edition
    paths = cell_paths(edition(want.edition))
    assert {p: got.value(p) for p in paths} == {p: want.value(p) for p in paths}


@pytest.mark.parametrize("path", _seed_files() or [None], ids=lambda p: p.name if p else "no-seeds")
def test_seed_numbers_round_trip_through_docx(path: Path | None) -> None:
    if path is None:
        pytest.skip("../shared/seeds is not available")
    report = process(path).report
    back = process(render_docx(report), path.stem + ".docx").report
    assert back.source.format == "docx"
    assert_same_cells(report, back)
    assert (back.agency, back.year, back.published) == (report.agency, report.year, report.published)
    f, g = report.fees, back.fees
    assert (g.notices, g.notice_amount_yuan, g.collected_yuan) == (f.notices, f.notice_amount_yuan, f.collected_yuan)
    assert [{k: _v(v) for k, v in i.items()} for i in back.split_items] == [
        {k: _v(v) for k, v in i.items()} for i in report.split_items
    ]


def _v(v: object) -> object:
    return v.value if isinstance(v, Value) else v


def synth_report(seed: int, ed: str) -> Report:
    rng = random.Random(seed)
    cells = synth_cells(rng, ed)
    fees = synth_fees(rng)
    report = Report(
        source=Source("synth", "0", "txt"),
        agency=rng.choice(("北京市西城区人民政府", "某某县某某镇人民政府", "某某市审计局")),
        year=2020 if ed == "2019" else rng.choice((2022, 2023, 2024)),
        edition=ed,
        cells={p: Value(v) for p, v in cells.items()},
        fees=Fees(fees["notices"], fees["notice_amount_yuan"], fees["collected_yuan"]),
    )
    if ed == "2019" and seed % 2:
        report.split_items = split_other_services(rng, cells)
    return report


@pytest.mark.parametrize("ed", ["2021", "2019"])
@pytest.mark.parametrize("seed", range(12))
def test_synth_reports_round_trip_through_docx(seed: int, ed: str) -> None:
    report = synth_report(seed, ed)
    back = process(render_docx(report), "synth.docx").report
    assert_same_cells(report, back)
    assert (back.agency, back.year) == (report.agency, report.year)
    assert (back.fees.notices, back.fees.notice_amount_yuan, back.fees.collected_yuan) == (
        report.fees.notices,
        report.fees.notice_amount_yuan,
        report.fees.collected_yuan,
    )
    assert [[_v(v) for v in i.values()] for i in back.split_items] == [list(i.values()) for i in report.split_items]


@pytest.mark.parametrize("ed", ["2021", "2019"])
@pytest.mark.parametrize("seed", range(4))
def test_synth_reports_round_trip_through_xlsx(seed: int, ed: str) -> None:
    report = synth_report(seed, ed)
    back = process(xlsx_bytes(report), "synth.xlsx").report
    assert back.source.format == "xlsx"
    assert_same_cells(report, back)
