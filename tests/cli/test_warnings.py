"""A warning of nianbao's own (a PostgreSQL database whose LC_CTYPE is C: search reads every
report) is one plain Chinese line on stderr, without Python's file, line and source."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Literal

import pytest

from nianbao import cli, cli_say
from nianbao.store import db, search


class CtypeC:
    """A connection to a PostgreSQL database made with ``initdb --no-locale``, as warn_if_slow sees it."""

    dialect = SimpleNamespace(name="postgresql")

    def exec_driver_sql(self, sql: str) -> Any:
        return SimpleNamespace(one=lambda: ("nianbao", "C"))


@pytest.mark.parametrize("action", ["always", "error"])  # "error": python -W error, still one line, exit 0
def test_the_slow_search_warning_is_one_chinese_line(
    action: Literal["always", "error"],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    real = search.warn_if_slow
    monkeypatch.setattr(db.search, "warn_if_slow", lambda conn: real(CtypeC()))
    monkeypatch.setattr(sys, "argv", ["nianbao", "users", "list", "--db", f"sqlite:///{tmp_path / 'nb.db'}"])
    with warnings.catch_warnings():  # restores showwarning too
        warnings.simplefilter(action)
        with pytest.raises(SystemExit) as ended:
            cli.main()
    assert ended.value.code == 0
    err = capsys.readouterr().err
    assert err.startswith("nianbao: 警告: PostgreSQL 数据库 nianbao 的 LC_CTYPE 为 C：pg_trgm 不为汉字建三字索引")
    assert err.count("\n") == 1
    assert "UserWarning" not in err and ".py" not in err and "Traceback" not in err


def test_other_warnings_keep_python_s_form(monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[tuple] = []
    monkeypatch.setattr(cli_say, "SHOW_WARNING", lambda *args: shown.append(args))
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.showwarning = cli_say.warning_line
        warnings.warn("not ours", UserWarning, stacklevel=1)
    ((message, category, filename, _lineno, *_),) = shown
    assert (str(message), category, Path(filename).name) == ("not ours", UserWarning, "test_warnings.py")
