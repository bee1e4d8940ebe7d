"""A new SQLite store named (``--db`` or ``NIANBAO_DB``) in a folder that does not exist is one line
on stderr and exit 2, the folder not made, for every command that makes a store — ``serve`` as
``ingest`` and ``users`` (docs/store.md); the default ./.nianbao/ is made."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from nianbao.cli import app

REPORT = str(Path(__file__).parents[1] / "fixtures" / "reports" / "xicheng-chengzhi-2024-tab.txt")


@pytest.mark.parametrize("command", [["serve"], ["ingest", REPORT], ["users", "list"]], ids=" ".join)
@pytest.mark.parametrize("named", ["--db", "NIANBAO_DB"])
def test_a_missing_folder_is_said_not_made(
    command: list[str], named: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "300")
    db = f"sqlite:///{tmp_path / '无此文件夹' / 'nb.db'}"
    if named == "--db":
        command = [*command, "--db", db]
    else:
        monkeypatch.setenv("NIANBAO_DB", db)
    result = CliRunner().invoke(app, command)
    assert result.exit_code == 2, result.output
    assert (
        result.output
        == f"nianbao: 数据库: 文件夹 {tmp_path / '无此文件夹'} 不存在（请先建好，或用 --db 指定已有的文件夹）\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_the_default_folder_is_made(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NIANBAO_DB", raising=False)
    monkeypatch.delenv("NIANBAO_DATA", raising=False)
    result = CliRunner().invoke(app, ["users", "list"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / ".nianbao" / "nianbao.db").is_file()
