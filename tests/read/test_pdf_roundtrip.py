"""Reports round-tripped through PDF: the five seeds rendered to the official
DOCX, and synthetic reports as a web page (HTML) and as DOCX, converted to PDF
by LibreOffice and parsed back — every cell identical. Complete reports (the six
sections, agency titles of every length, numbers up to eight digits) rendered
the way ``nianbao render``/``compose`` writes them put page breaks inside 表二 and
表三: read back, they have the same cells and no finding the text has not."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from nianbao.check import check_report
from nianbao.model import Report, Source, Value
from nianbao.pipeline import process
from nianbao.render.docx import render_docx
from nianbao.synth import synth_cells, synth_report_html, synth_report_text
from nianbao.template import cell_paths, edition
from tests.read.pdf_make import soffice_pdfs

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
SYNTH = [(seed, ed) for ed in ("2021", "2019") for seed in range(2)]
# (agency, edition, scale, seed): a title of two lines puts a caption of 表二 at the top
# of a page (seeds 6, 3) and cuts a 表三 row with a wrapped number and label in two (seed 7)
COMPLETE = [
    ("某局", "2021", 900000, 0),
    ("某某市某某局", "2021", 40, 6),
    ("某某省某某市某某区某某街道办事处", "2019", 1400, 3),
    ("某某县人民政府", "2019", 90000, 7),
]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed"),
]


def _seed_files() -> list[Path]:
    return sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []


def _synth(seed: int, ed: str) -> tuple[Report, str]:
    rng = random.Random(seed)
    cells = synth_cells(rng, ed)
    agency = "某某县某某镇人民政府"
    year = 2020 if ed == "2019" else 2024
    report = Report(Source("synth", "0", "txt"), agency=agency, year=year, edition=ed)
    report.cells = {p: Value(v) for p, v in cells.items()}
    return report, synth_report_html(cells, ed, agency, year, rng)


@pytest.fixture(scope="module")
def pdfs(built_once) -> dict[str, tuple[Report, Path]]:
    """Every source written and converted in one LibreOffice run, once per test run (the xdist workers share it)."""
    wanted: dict[str, Report] = {}
    sources: dict[str, bytes] = {}
    for path in _seed_files():
        report = process(path).report
        sources[f"seed_{path.stem}.docx"] = render_docx(report)
        wanted[f"seed_{path.stem}"] = report
    for seed, ed in SYNTH:
        report, html = _synth(seed, ed)
        sources[f"synth_{ed}_{seed}.html"] = html.encode("utf-8")
        sources[f"synth_{ed}_{seed}_docx.docx"] = render_docx(report)
        wanted[f"synth_{ed}_{seed}"] = wanted[f"synth_{ed}_{seed}_docx"] = report

    for agency, ed, scale, seed in COMPLETE:
        report = _complete(agency, ed, scale, seed)
        sources[f"complete_{seed}.docx"] = render_docx(report)
        wanted[f"complete_{seed}"] = report

    def build(folder: Path) -> None:
        for name, data in sources.items():
            (folder / name).write_bytes(data)
        soffice_pdfs([folder / name for name in sorted(sources)], folder)

    folder = built_once("pdf_roundtrip", build)
    return {name: (report, folder / f"{name}.pdf") for name, report in wanted.items()}


def _complete(agency: str, ed: str, scale: int, seed: int) -> Report:
    """A complete report as an agency types it, 表二 numbers widened to up to eight digits, read from its text."""
    rng = random.Random(seed)
    cells = synth_cells(rng, ed, scale)
    for p in cells:
        if p.startswith("table2") and isinstance(cells[p], int):
            cells[p] *= rng.choice((1, 10, 1000, 100000))
    year = 2020 if ed == "2019" else 2024
    text = synth_report_text(cells, ed, "tab", agency, year, rng, published=None)
    return process(text.encode("utf-8"), "report.txt").report


def _same_cells(want: Report, got: Report, *, agency: bool = True) -> None:
    assert got.source.format == "pdf"
    assert got.edition == want.edition
    paths = cell_paths(edition(want.edition))
    assert {p: got.value(p) for p in paths} == {p: want.value(p) for p in paths}
    assert got.year == want.year
    if agency:
        assert got.agency == want.agency


@pytest.mark.parametrize("path", _seed_files() or [None], ids=lambda p: p.stem if p else "no-seeds")
def test_seed_numbers_round_trip_through_pdf(pdfs, path):
    if path is None:
        pytest.skip("../shared/seeds is not available")
    want, pdf = pdfs[f"seed_{path.stem}"]
    _same_cells(want, process(pdf).report)


@pytest.mark.parametrize("kind", ["html", "docx"])
@pytest.mark.parametrize(("seed", "ed"), SYNTH)
def test_synth_report_round_trips_through_pdf(pdfs, seed, ed, kind):
    name = f"synth_{ed}_{seed}" + ("_docx" if kind == "docx" else "")
    want, pdf = pdfs[name]
    # a web page printed to PDF starts with the site's header and navigation, which
    # extraction does not strip from PDF text: the agency is only checked for DOCX
    _same_cells(want, process(pdf).report, agency=kind == "docx")


@pytest.mark.parametrize(("agency", "ed", "scale", "seed"), COMPLETE)
def test_complete_report_round_trips_through_pdf(pdfs, agency, ed, scale, seed):
    want, pdf = pdfs[f"complete_{seed}"]
    got = process(pdf).report
    _same_cells(want, got)
    assert {p: got.value(p) for p in want.cells} == {p: v.value for p, v in want.cells.items()}
    assert [(d.rule, d.severity) for d in check_report(got)] == [(d.rule, d.severity) for d in check_report(want)]
