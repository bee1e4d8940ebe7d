"""nianbao export: every kind to a file or to stdout, one Chinese line when the file cannot be written."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from nianbao.cli import app
from nianbao.store.db import Store, connect
from tests.builders import numbered_report


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    store = Store(connect(url))
    for i, year in enumerate((2023, 2024)):
        store.save(numbered_report(agency="某县甲局", year=year, seed=i), [])
    return url


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(app, list(args), prog_name="nianbao")
    return r.exit_code, r.stdout, r.stderr


@pytest.mark.parametrize("kind", ["xlsx", "csv", "wide.csv", "jsonl", "json"])
def test_every_kind_to_a_file(db: str, tmp_path: Path, kind: str) -> None:
    out = tmp_path / f"out.{kind}"
    code, _, err = run("export", "--to", kind, "-o", str(out), "--db", db)
    assert code == 0 and "已导出 2 份报告" in err
    data = out.read_bytes()
    if kind == "xlsx":
        wb = openpyxl.load_workbook(io.BytesIO(data))
        assert wb["表三 申请办理"].freeze_panes == "C5"
    elif kind == "wide.csv":
        assert len(list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))) == 3
    elif kind == "jsonl":
        assert [json.loads(x)["year"] for x in data.decode().splitlines()] == [2024, 2023]
    elif kind == "json":
        assert len(json.loads(data)) == 2


def test_to_stdout_with_filters(db: str) -> None:
    code, out, err = run("export", "--to", "jsonl", "-o", "-", "--db", db, "--year", "2023")
    assert code == 0 and "已导出 1 份报告到 标准输出" in err
    assert [json.loads(x)["year"] for x in out.splitlines()] == [2023]


def test_unwritable_output_is_one_chinese_line(db: str, tmp_path: Path) -> None:
    code, _, err = run("export", "--to", "csv", "-o", str(tmp_path / "no" / "such" / "x.csv"), "--db", db)
    assert code == 2
    assert err.strip().endswith("无法写入：文件夹不存在") and len(err.strip().splitlines()) == 1
