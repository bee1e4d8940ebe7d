"""Under ``python -W error`` (warnings made exceptions) nianbao's own warning (a PostgreSQL
database whose LC_CTYPE is C) does not stop store.db.connect: it is shown and the store is opened
(the command line's one Chinese line: test_warnings.test_the_slow_search_warning_is_one_chinese_line)."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from nianbao.store import db, search
from tests.cli.test_warnings import CtypeC


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
