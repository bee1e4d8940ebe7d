"""``nianbao compare | matrix | peers | peer-rules`` over tests/analysis/compare_data.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from nianbao.cli import app
from tests.analysis.compare_data import A, B, fill

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'store.db'}"
    fill(url)
    return url


def run(*args: str) -> tuple[int, str, str]:
    r = runner.invoke(app, list(args))
    return r.exit_code, r.stdout, r.stderr


def test_compare_text_and_json(db: str) -> None:
    code, out, _ = run("compare", "--agency", A, "--year", "2023", "--year", "2024", "--db", db)
    assert code == 0
    assert "3 格不同；变化为与第一份比。" in out
    assert "新收申请数：130 → 400（+270，+207.7%）" in out
    code, out, _ = run("compare", "-a", A, "-y", "2023", "-y", "2024", "--format", "json", "--db", db)
    assert code == 0 and json.loads(out)["differences"] == 3


def test_compare_refuses_plainly(db: str) -> None:
    code, _, err = run("compare", "--agency", "没有这个机关", "--year", "2024", "--db", db)
    assert code == 2 and "没有找到“没有这个机关”" in err and "Traceback" not in err


def test_matrix_text_and_files(db: str, tmp_path: Path) -> None:
    code, out, _ = run("matrix", "--cell", "予以公开率", "--sort", "2024", "--desc", "--db", db)
    assert code == 0 and out.splitlines()[1].endswith("50.0%\t90.0%") and "予以公开率 = " in out
    xlsx = tmp_path / "m.xlsx"
    code, out, _ = run("matrix", "--cell", "table3.new_received.total", "-o", str(xlsx), "--db", db)
    assert code == 0 and "6 个机关，4 个年度" in out
    assert load_workbook(xlsx).active["A1"].value == "机关"
    code, _, err = run("matrix", "--cell", "nothing", "--db", db)
    assert code == 2 and "既不是指标" in err
    code, _, err = run("matrix", "--cell", "granted_rate", "-o", str(tmp_path / "m.txt"), "--db", db)
    assert code == 2 and "只能写 .csv 或 .xlsx" in err


def test_peers_and_rules(db: str) -> None:
    code, out, _ = run("peers", "--agency", A, "--year", "2024", "--db", db)
    assert code == 0 and "层级 区县，类别 城管" in out and "提示 异常波动：新收申请数 2023 年 130 → 2024 年 400" in out
    assert "数据不足" not in out
    code, out, _ = run("peers", "--agency", A, "--year", "2023", "--db", db)
    assert code == 0 and "异常波动：数据不足，未作判断" in out
    code, out, _ = run("peer-rules", "add", "kind", "样例区城市", "乙组", "--at", "1", "--db", db)
    assert code == 0 and out.splitlines()[0] == "1\t类别\t样例区城市\t乙组"
    code, out, _ = run("peers", "--agency", B, "--year", "2024", "--format", "json", "--db", db)
    assert json.loads(out)["kind"] == "乙组"
    code, _, err = run("peer-rules", "remove", "99", "--db", db)
    assert code == 2 and "没有第 99 条规则" in err
    code, out, _ = run("peer-rules", "reset", "--db", db)
    assert code == 0 and "乙组" not in out
