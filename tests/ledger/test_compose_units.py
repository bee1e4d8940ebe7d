"""`nianbao compose --units/--region`: a 本级政府 report composed from its units' stored reports
(a unit without one: its newest draft), read back to the summed cells; units missing and cells
a draft types otherwise than the 汇总 are named."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from nianbao.check import check_report
from nianbao.cli import app
from nianbao.pipeline import process
from nianbao.pipeline.compose import units_rollup
from nianbao.render.docx import render_docx
from nianbao.store.db import Store, connect
from nianbao.store.drafts import save_draft
from nianbao.template import cell_paths, edition
from nianbao.template.relations import rollup_cells
from tests.builders import balanced_report

runner = CliRunner()
COUNTY = "某某县人民政府"


def _units(url: str) -> tuple[dict, dict, dict]:
    engine = connect(url)
    a, b, c = (
        balanced_report(name, 2024, seed=s) for name, s in (("某某县甲局", 4), ("某某县乙局", 5), ("某某县丙局", 6))
    )
    for r in (a, b):
        r.region = "某某省某某县"
        Store(engine).save(r, check_report(r))
    save_draft(engine, c)  # 丙局 has only a draft
    return a.cells, b.cells, c.cells


def test_units_sum_into_the_county_report(db_url: str, tmp_path: Path) -> None:
    a, b, c = _units(db_url)
    out = tmp_path / "county.docx"
    args = ["compose", "--year", "2024", "--agency", COUNTY, "--db", db_url, "-o", str(out)]
    res = runner.invoke(
        app, [*args, "--units", "某某县甲局", "--units", "某某县乙局", "--units", "某某县丙局", "--units", "某某县丁局"]
    )
    assert "由3份下属单位的报告汇总" in res.output and "某某县丙局 2024年（草稿）" in res.output
    assert "下属单位“某某县丁局”没有2024年度的报告或草稿" in res.output
    assert "表二的存量" in res.output  # the cells left to the 本级: said, not summed
    back = process(out).report
    summed = rollup_cells("2021")
    for path in cell_paths(edition("2021")):
        want = [x[path].value for x in (a, b, c) if x[path].value is not None]
        expected = (sum(want) if want else None) if path in summed else None  # each organ's own: blank
        assert back.value(path) == expected, path
    assert back.value("table2.regulations.in_force") is None
    assert "本表为" not in (back.sections["overview"].text if "overview" in back.sections else "")


def test_the_own_report_is_left_out_by_identity_not_printed_name(db_url: str, tmp_path: Path) -> None:
    a, b, _ = _units(db_url)
    for name, year in (("某某省某某县人民政府", 2024), (COUNTY, 2023)):  # the 本级 printed two ways: one agency
        own = balanced_report(name, year, seed=9)
        own.region = "某某省某某县"
        Store(connect(db_url)).save(own, check_report(own))
    total, _ = units_rollup(connect(db_url), 2024, region="某某县", own=COUNTY)
    assert sorted(m.agency for m in total.members) == ["某某县乙局", "某某县甲局"]


def test_region_and_a_draft_that_differs(db_url: str, tmp_path: Path) -> None:
    a, b, _ = _units(db_url)
    draft = balanced_report(COUNTY, 2024, seed=4)  # its own tables: 甲局's numbers, not the 汇总
    written = tmp_path / "draft.docx"
    written.write_bytes(render_docx(draft))
    out = tmp_path / "county.html"
    res = runner.invoke(
        app,
        ["compose", "--year", "2024", "--region", "某某县", "--draft", str(written), "--db", db_url, "-o", str(out)],
    )
    assert "由2份下属单位的报告汇总" in res.output, res.output
    assert "UNITS-DIFFER" in res.output and "某某县乙局" in res.output
    path = "table3.granted.total"
    assert process(out).report.value(path) == a[path].value + b[path].value
    both = runner.invoke(app, ["compose", "--year", "2024", "--region", "某某县", "--ledger", "x.xlsx", "-o", str(out)])
    assert both.exit_code == 2 and "二者选一" in both.output


def test_the_own_report_of_the_year_is_no_unit_of_its_own(db_url: str, tmp_path: Path) -> None:
    """In January the 本级's own report (or its draft, ingested) is often stored already: --region
    leaves it out by the --agency given, as the web page and ``rollup --against`` do."""
    a, b, _ = _units(db_url)
    own = balanced_report("某某省某某县人民政府", 2024, seed=9)  # the 本级, printed with its province
    own.region = "某某省某某县"
    Store(connect(db_url)).save(own, check_report(own))
    out = tmp_path / "county.html"
    res = runner.invoke(
        app, ["compose", "--region", "某某县", "--year", "2024", "--agency", COUNTY, "--db", db_url, "-o", str(out)]
    )
    assert res.exit_code == 0, res.output
    assert "由2份下属单位的报告汇总" in res.output and "某某省某某县人民政府 2024年" not in res.output
    path = "table3.new_received.total"
    assert process(out).report.value(path) == a[path].value + b[path].value


def test_no_agency_is_said_before_any_work(db_url: str, tmp_path: Path) -> None:
    _units(db_url)
    out = tmp_path / "报告.docx"
    res = runner.invoke(
        app,
        ["compose", "--units", "某某县甲局", "--units", "某某县乙局", "--year", "2024", "--db", db_url, "-o", str(out)],
    )
    assert res.exit_code == 2
    assert "缺少选项 --agency" in res.output and "请给出报告机关" in res.output
    assert "汇总" not in res.output and f"{out}:" not in res.output  # nothing summed; the file is not the culprit
    assert not out.exists()
