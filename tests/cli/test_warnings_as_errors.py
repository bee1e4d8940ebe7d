"""Under ``python -W error`` (warnings made exceptions) nianbao's own warning (a PostgreSQL
database whose LC_CTYPE is C) is still one Chinese line on stderr, not a traceback: the command
runs on and the store is opened (store.db.connect)."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import pytest

from nianbao import cli
from nianbao.store import db, search
from tests.cli.test_warnings import CtypeC


def test_the_slow_search_warning_is_not_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real = search.warn_if_slow
    monkeypatch.setattr(db.search, "warn_if_slow", lambda conn: real(CtypeC()))
    monkeypatch.setattr(sys, "argv", ["nianbao", "users", "list", "--db", f"sqlite:///{tmp_path / 'nb.db'}"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(SystemExit) as ended:
            cli.main()
    assert ended.value.code == 0
    err = capsys.readouterr().err
    assert err.startswith("nianbao: 警告: PostgreSQL 数据库 nianbao 的 LC_CTYPE 为 C：") and err.count("\n") == 1
    assert "Traceback" not in err and "UserWarning" not in err


def test_connect_shows_it_and_opens_the_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = search.warn_if_slow
    monkeypatch.setattr(db.search, "warn_if_slow", lambda conn: real(CtypeC()))
    shown: list[str] = []
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.showwarning = lambda message, *rest: shown.append(str(message))
        engine = db.connect(f"sqlite:///{tmp_path / 'nb.db'}")
    assert len(shown) == 1 and "LC_CTYPE 为 C" in shown[0]
    assert db.Store(engine).load_reports() == []  # migrated, not rolled back
