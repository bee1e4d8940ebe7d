"""`nianbao compose`: the report from the ledger (and a draft) renders to DOCX and HTML that
read back to the same cells with no finding; typed cells that differ are named; last year's
stored report fills 表二 stocks and checks the carry-over."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nianbao.cli import app
from nianbao.ledger import read_ledger, tally
from nianbao.pipeline import process
from nianbao.render.office import soffice
from tests.ledger.ledger_make import write_draft, write_ledger

runner = CliRunner()
AGENCY = "某某市某某局"
NO_OFFICE = pytest.mark.skipif(soffice() is None, reason="LibreOffice is not installed")
PDF = pytest.param(".pdf", marks=NO_OFFICE)


def run(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture(scope="module")
def ledger_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_ledger(tmp_path_factory.mktemp("c") / "台账.xlsx")


def _counted(ledger_file: Path, year: int = 2024):
    return tally(read_ledger(ledger_file), year, AGENCY).report


def _ledger_cells(report) -> dict:
    return {p: v.value for p, v in report.cells.items() if p.startswith(("table3", "table4"))}


@pytest.mark.parametrize("suffix", [".docx", ".html", PDF])
def test_composed_file_reads_back_to_the_ledger_cells(ledger_file: Path, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"report{suffix}"
    res = run("compose", "--ledger", str(ledger_file), "--year", "2024", "--agency", AGENCY, "-o", str(out))
    assert res.exit_code == 0, res.output
    back, counted = process(out).report, _counted(ledger_file)
    assert {p: back.value(p) for p in _ledger_cells(counted)} == _ledger_cells(counted)
    assert (back.agency, back.year, back.edition) == (AGENCY, 2024, "2021")
    assert (back.fees.notices, back.fees.notice_amount_yuan, back.fees.collected_yuan) == (3, 600, 300)


@pytest.mark.parametrize("suffix", [".docx", ".html", PDF])
def test_with_a_draft_no_finding(ledger_file: Path, tmp_path: Path, suffix: str) -> None:
    draft = write_draft(tmp_path / "draft.txt", _counted(ledger_file))
    out = tmp_path / f"report{suffix}"
    res = run("compose", "--ledger", str(ledger_file), "--year", "2024", "--draft", str(draft), "-o", str(out))
    assert res.exit_code == 0, res.output
    assert "错误0，警告0，提示0" in res.stdout
    back, typed = process(out).report, process(draft).report
    assert {p: back.value(p) for p in typed.cells} == {p: v.value for p, v in typed.cells.items()}
    assert set(back.sections) == set(typed.sections)
    res = run("check", str(out), "--format", "json")
    assert res.exit_code == 0 and json.loads(res.stdout)["summary"]["warnings"] == 0


def test_typed_cells_that_differ_are_named(ledger_file: Path, tmp_path: Path) -> None:
    change = {"table3.new_received.natural_person": 12, "table3.new_received.total": 20}
    draft = write_draft(tmp_path / "draft.txt", _counted(ledger_file), change)
    res = run("ledger", "check", str(ledger_file), "--year", "2024", "--report", str(draft), "--format", "json")
    found = [d for d in json.loads(res.stdout)["reports"][0]["diagnostics"] if d["rule"] == "LEDGER-DIFFERS"]
    assert [d["cells"] for d in found] == [list(change)]
    assert "填12，台账为13" in found[0]["message"]
    out = tmp_path / "report.docx"
    res = run("compose", "--ledger", str(ledger_file), "--year", "2024", "--draft", str(draft), "-o", str(out))
    assert "LEDGER-DIFFERS" in res.stdout
    assert process(out).report.value("table3.new_received.natural_person") == 13  # the ledger's count is printed


def test_previous_year_fills_stocks_and_checks_carry_over(ledger_file: Path, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'store.db'}"
    last = tmp_path / "2023.docx"
    in_force = "table2.regulations.in_force"
    draft23 = write_draft(tmp_path / "d23.txt", _counted(ledger_file, 2023), {in_force: 1000})
    assert (
        run(
            "compose", "--ledger", str(ledger_file), "--year", "2023", "--draft", str(draft23), "-o", str(last)
        ).exit_code
        == 0
    )
    assert run("ingest", str(last), "--db", db, "-j", "1").exit_code == 0
    draft24 = write_draft(tmp_path / "d24.txt", _counted(ledger_file), blank=(in_force,))
    out = tmp_path / "2024.docx"
    args = ("compose", "--ledger", str(ledger_file), "--year", "2024", "--draft", str(draft24), "-o", str(out))
    res = run(*args, "--previous-db", db)
    assert res.exit_code == 0, res.output
    assert "CARRYOVER" not in res.stdout  # 2023's 结转下年度 = 2024's 上年结转, both from the ledger
    prev, typed = process(last).report, process(draft24).report
    issued, repealed = typed.value("table2.regulations.issued"), typed.value("table2.regulations.repealed")
    assert typed.value(in_force) is None
    assert process(out).report.value(in_force) == prev.value(in_force) + issued - repealed == 1000 + issued - repealed


@pytest.mark.parametrize(
    ("where", "reason"),
    [("无此文件夹/报告.docx", "文件夹不存在"), ("是文件夹.docx", "这是一个文件夹")],
    ids=["missing folder", "a folder"],
)
def test_an_output_that_cannot_be_written_is_said_before_any_work(tmp_path: Path, where: str, reason: str) -> None:
    """The output is tried first: the ledger named does not even exist, and is not read."""
    (tmp_path / "是文件夹.docx").mkdir()
    out = tmp_path / where
    res = run(
        "compose", "--ledger", str(tmp_path / "无此台账.xlsx"), "--year", "2024", "--agency", AGENCY, "-o", str(out)
    )
    assert (res.exit_code, res.output) == (2, f"nianbao: {out}: 无法写入：{reason}\n")


def test_trying_the_output_leaves_no_file(tmp_path: Path) -> None:
    out = tmp_path / "报告.docx"
    res = run(
        "compose", "--ledger", str(tmp_path / "无此台账.xlsx"), "--year", "2024", "--agency", AGENCY, "-o", str(out)
    )
    assert res.exit_code == 2 and "无此台账.xlsx" in res.output
    assert not out.exists()
