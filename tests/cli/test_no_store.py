"""The commands that read a store, run where no store exists: one Chinese line naming the missing
file and exit 2 — no empty ./.nianbao/nianbao.db made behind the user's back."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from nianbao import cli_store
from nianbao.cli import app
from nianbao.store.db import StoreError, connect

COMMANDS = [
    ["rollup", "--region", "样例区", "--year", "2024"],
    ["compare", "--agency", "样例区甲局"],
    ["matrix", "--cell", "new_received_total"],
    ["peers", "--agency", "样例区甲局", "--year", "2024"],
    ["findings"],
    ["audit"],
    ["agencies", "list"],
    ["compose", "--agency", "样例区人民政府", "--year", "2024", "--units", "样例区甲局", "-o", "out.docx"],
    ["export", "--to", "csv", "-o", "out.csv"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_a_read_only_command_outside_a_project_says_no_store(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NIANBAO_DB", raising=False)
    monkeypatch.delenv("NIANBAO_DATA", raising=False)
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "找不到数据库 .nianbao/nianbao.db（先用 nianbao ingest 建库，或用 --db 指定）" in result.output
    assert not (tmp_path / ".nianbao").exists()
    assert not any(tmp_path.iterdir())  # nor an empty output file


def test_connect_creates_unless_told_not_to(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new' / 'store.db'}"
    with pytest.raises(StoreError, match="找不到数据库"):
        connect(url, create=False)
    connect(url)
    connect(url, create=False)  # now it exists


@pytest.mark.parametrize("args", [["ingest", "a.txt"], ["users", "list"]], ids=lambda a: a[0])
def test_a_store_named_in_a_missing_folder_is_said_not_made(args: list[str], tmp_path: Path) -> None:
    folder = tmp_path / "no" / "such"
    result = CliRunner().invoke(app, [*args, "--db", f"sqlite:///{folder / 'x.db'}"])
    assert result.exit_code == 2, result.output
    assert result.output == f"nianbao: 数据库: 文件夹 {folder} 不存在（请先建好，或用 --db 指定已有的文件夹）\n"
    assert not (tmp_path / "no").exists()


def test_the_engine_is_disposed_at_exit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at_exit: list[tuple] = []
    monkeypatch.setattr(cli_store.atexit, "register", lambda *call: at_exit.append(call))
    engine = cli_store.open_engine(f"sqlite:///{tmp_path / 'x.db'}", create=True)
    pool = engine.pool
    ((dispose, *args),) = at_exit
    dispose(*args)
    assert engine.pool is not pool  # disposed: its connections closed, a new pool in place
