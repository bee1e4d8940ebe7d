"""`nianbao ledger template|check|tally`: outputs, JSON shapes and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from nianbao.cli import app
from tests.ledger.ledger_make import APPLICATIONS, BAD_APPLICATIONS, CASES, write_ledger

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def test_template_then_check_is_clean(tmp_path: Path) -> None:
    out = tmp_path / "台账.xlsx"
    assert run("ledger", "template", str(out)).exit_code == 0
    assert run("ledger", "template", str(out)).exit_code == 2  # no silent overwrite
    res = run("ledger", "check", str(out), "--format", "json")
    assert res.exit_code == 0
    assert json.loads(res.stdout)["summary"] == {"files": 1, "errors": 0, "warnings": 0, "infos": 0}


def test_check_lists_late_answers(tmp_path: Path) -> None:
    path = write_ledger(tmp_path / "l.xlsx")
    res = run("ledger", "check", str(path), "--year", "2024", "--format", "json")
    assert res.exit_code == 0  # late answers are warnings
    found = json.loads(res.stdout)["reports"][0]["diagnostics"]
    assert {d["rule"] for d in found} == {"LEDGER-LATE"}
    assert run("ledger", "check", str(path), "--year", "2024", "--strict").exit_code == 1
    text = run("ledger", "check", str(path), "--year", "2024").stdout
    assert "超过期限（2024-10-23）2个工作日" in text


def test_tally_json_has_the_parse_shape_and_rows(tmp_path: Path) -> None:
    path = write_ledger(tmp_path / "l.xlsx")
    res = run("ledger", "tally", str(path), "--year", "2024", "--agency", "某某局", "--format", "json")
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert d["agency"] == "某某局" and d["year"] == 2024 and d["edition"] == "2021"
    assert d["table3"]["new_received"]["total"] == 21
    assert d["table3"]["denied"]["third_party"]["natural_person"] == 1
    assert d["table4"]["review"]["pending"] == 1
    assert d["fees_info"] == {"notices": 3, "notice_amount_yuan": 600, "collected_yuan": 300}
    assert d["ledger"]["table3.carried_over.natural_person"] == {"sheet": "申请", "rows": [3, 5]}


def test_tally_text_names_rows(tmp_path: Path) -> None:
    res = run("ledger", "tally", str(write_ledger(tmp_path / "l.xlsx")), "--year", "2024")
    assert res.exit_code == 0
    assert "「申请」第3、5行" in res.stdout


def test_tally_refuses_a_ledger_with_errors(tmp_path: Path) -> None:
    path = write_ledger(tmp_path / "bad.xlsx", APPLICATIONS + BAD_APPLICATIONS, CASES)
    res = run("ledger", "tally", str(path), "--year", "2024")
    assert res.exit_code == 1
    assert "LEDGER-ID-DUPLICATE" in res.stderr and "改正后再统计" in res.stderr


def test_unreadable_file(tmp_path: Path) -> None:
    bad = tmp_path / "x.xlsx"
    bad.write_text("not a workbook")
    res = run("ledger", "check", str(bad))
    assert res.exit_code == 2 and "不是 XLSX 文件" in res.stderr
    assert run("ledger", "check", str(tmp_path / "missing.xlsx")).exit_code == 2


def test_open_lists_due_dates(tmp_path: Path) -> None:
    path = write_ledger(tmp_path / "l.xlsx")
    res = run("ledger", "open", str(path), "--on", "2024-12-31", "--format", "json")
    assert res.exit_code == 0
    got = {r["id"]: (r["due"], r["working_days_left"]) for r in json.loads(res.stdout)["open"]}
    assert got["B18"] == ("2024-11-29", -22) and got["B19"] == ("2025-01-20", 13)
    assert "逾期22个工作日" in run("ledger", "open", str(path), "--on", "2024-12-31").stdout
    assert run("ledger", "open", str(path), "--on", "明天").exit_code == 2


def test_old_excel_and_huge_sheets_are_refused(tmp_path: Path, monkeypatch) -> None:
    from openpyxl import Workbook

    import nianbao.ledger.read as read

    old = tmp_path / "old.xlsx"
    old.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 600)  # an OLE file (.xls renamed)
    assert run("ledger", "check", str(old)).exit_code == 2
    wb = Workbook()
    ws = wb.active
    ws.title = "申请"
    for i in range(30):
        ws.append([f"X{i}", "2024-01-02", "自然人"])
    wb.save(tmp_path / "long.xlsx")
    monkeypatch.setattr(read, "MAX_ROWS", 20)
    res = run("ledger", "check", str(tmp_path / "long.xlsx"))
    assert res.exit_code == 2 and "超过20行" in res.stderr
