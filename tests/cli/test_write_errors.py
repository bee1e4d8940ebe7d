"""A file that cannot be written is one Chinese line naming it and why, never the system's English."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from nianbao.cli import app
from nianbao.store.db import connect


@pytest.mark.parametrize(
    "args",
    [["findings", "-o", "{missing}/问题.xlsx"], ["ledger", "template", "{missing}/台账.xlsx"]],
    ids=lambda a: " ".join(a[:2]),
)
def test_a_folder_that_does_not_exist_is_said_in_chinese(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "300")
    db = f"sqlite:///{tmp_path / 'nb.db'}"
    connect(db, create=True).dispose()
    monkeypatch.setenv("NIANBAO_DB", db)
    result = CliRunner().invoke(app, [a.format(missing=tmp_path / "无此文件夹") for a in args])
    assert result.exit_code == 2, result.output
    assert "文件夹不存在" in result.output
    assert "No such file" not in result.output
