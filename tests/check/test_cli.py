"""``nianbao check`` and ``nianbao rules``: output, JSON contract, exit codes 0/1/2."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from nianbao.check.registry import ORDER
from nianbao.cli import app

FIXTURES = Path(__file__).parents[1] / "fixtures" / "check"
GOOD = str(FIXTURES / "consistent-2024.txt")
BAD = str(FIXTURES / "faulty-2025.txt")
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def test_consistent_report_exits_0() -> None:
    r = run("check", GOOD)
    assert r.exit_code == 0, r.output
    assert "未发现问题" in r.output and "共1个文件：错误0，警告0，提示0" in r.output


def test_error_exits_1_and_errors_come_first() -> None:
    r = run("check", BAD)
    assert r.exit_code == 1
    lines = [ln.strip() for ln in r.output.splitlines() if ln.startswith("  ")]
    kinds = [ln.split()[0] for ln in lines]
    assert kinds == sorted(kinds, key=["错误", "警告", "提示"].index)
    assert "表三“自然人”列：一（9）+二（4）=13，但（七）总计（13）+四（1）=14" in r.output


def test_ignore_and_strict() -> None:
    assert run("check", BAD, "--ignore", "T3-BALANCE").exit_code == 0
    assert run("check", BAD, "--ignore", "t3-balance,CELL-BLANK", "--strict").exit_code == 1
    quiet = ",".join(["T3-BALANCE", "CELL-BLANK", "FEE-STATEMENT"])
    assert run("check", BAD, "--ignore", quiet, "--strict").exit_code == 0


def test_unknown_rule_in_ignore_is_a_usage_error() -> None:
    r = run("check", GOOD, "--ignore", "NO-SUCH-RULE")
    assert r.exit_code == 2 and "NO-SUCH-RULE" in r.output


def test_json_contract(tmp_path: Path) -> None:
    missing = str(tmp_path / "missing.txt")
    r = run("check", GOOD, BAD, missing, "--format", "json")
    assert r.exit_code == 2  # an unreadable input; the others are still checked
    data = json.loads(r.stdout)
    assert [x["file"] for x in data["reports"]] == [GOOD, BAD, missing]
    good, bad, gone = data["reports"]
    assert good["diagnostics"] == [] and good["year"] == 2024 and good["edition"] == "2021"
    assert [d["rule"] for d in gone["diagnostics"]] == ["INPUT-UNREADABLE"]
    assert gone["diagnostics"][0]["severity"] == "error" and gone["agency"] is None
    first = bad["diagnostics"][0]
    assert set(first) >= {"rule", "severity", "message", "cells", "location"}
    assert first["rule"] == "T3-BALANCE" and first["location"] == {"line": 87}
    assert first["cells"][0] == "table3.new_received.natural_person"
    assert all(set(c) >= {"rule", "severity", "message", "files", "cells"} for c in data["cross"])
    n = {
        s: sum(d["severity"] == s for x in data["reports"] for d in x["diagnostics"])
        for s in ("error", "warning", "info")
    }
    for s in n:
        n[s] += sum(d["severity"] == s for d in data["cross"])
    assert data["summary"] == {"files": 3, "errors": n["error"], "warnings": n["warning"], "infos": n["info"]}


def test_unreadable_file_named_on_stderr(tmp_path: Path) -> None:
    junk = tmp_path / "junk.txt"
    junk.write_bytes(b"\x00\x01\x02 not a report")
    r = run("check", str(junk), GOOD)
    assert r.exit_code == 2
    assert "INPUT-UNREADABLE" in r.stdout and str(junk) in r.stderr


def test_rules_lists_the_catalogue() -> None:
    r = run("rules")
    assert r.exit_code == 0
    for rid in ORDER:
        assert f"{rid}  [" in r.output
    assert "反例：" in r.output and "正例：" in r.output
    data = json.loads(run("rules", "--format", "json").stdout)
    assert [x["id"] for x in data] == list(ORDER)
    assert all(x["counter_example"] and x["example"] for x in data)
