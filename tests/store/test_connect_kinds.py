"""A store address of a database kind nianbao does not support (MySQL, Oracle …) is named as
such in one line, exit 2, not as a driver to install; PostgreSQL without its driver says how to
install it from the source folder (nianbao is not on PyPI)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nianbao.cli import app
from nianbao.store.db import StoreError, connect

UNSUPPORTED = [
    "mysql://u:secret@db.example/nb",
    "mysql+pymysql://u@db.example/nb",
    "oracle://u@db/nb",
    "mssql://u@db/nb",
]


@pytest.mark.parametrize("url", UNSUPPORTED)
def test_an_unsupported_database_kind_is_named_as_such(url: str) -> None:
    with pytest.raises(StoreError) as refused:
        connect(url)
    said = str(refused.value)
    assert said.startswith("不支持的数据库地址：") and said.endswith("（可用 sqlite:/// 或 postgresql://）")
    assert "驱动" not in said and "secret" not in said


def test_an_unsupported_database_kind_on_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["findings", "--db", "mysql://u:secret@db.example/nb"])
    assert result.exit_code == 2, result.output
    assert "不支持的数据库地址：mysql://u:***@db.example/nb（可用 sqlite:/// 或 postgresql://）" in result.output
    assert "Traceback" not in result.output and not any(tmp_path.iterdir())


def test_an_unknown_postgresql_driver_is_unsupported() -> None:
    with pytest.raises(StoreError, match="^不支持的数据库地址：postgresql\\+nosuch://u@db/nb（可用"):
        connect("postgresql+nosuch://u@db/nb")


@pytest.mark.parametrize("driver", ["psycopg2", "pg8000", "asyncpg"])
def test_postgresql_is_reached_through_psycopg_only(driver: str) -> None:
    """An ingest sends its cells by psycopg's COPY: another driver is refused when the store is
    opened, not at the first batch."""
    with pytest.raises(StoreError, match=f"^不支持的数据库地址：postgresql\\+{driver}://u@db/nb（可用"):
        connect(f"postgresql+{driver}://u@db/nb")


def test_postgresql_without_its_driver_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as where the postgres extra is not installed
    with pytest.raises(StoreError) as refused:
        connect("postgresql://u@127.0.0.1:1/nb")
    assert str(refused.value) == (
        "缺少 PostgreSQL 数据库驱动 psycopg：请安装可选组件 postgres（在 nianbao 源码目录运行 pip install -e '.[postgres]'）"
    )


def test_postgresql_connections_prepare_no_statements(pg_database: str) -> None:
    """psycopg would prepare a statement after five runs and PostgreSQL might then plan it once for
    every value: a search for a one-character term read every agency name (q=局 at 1M, 2.6 s)."""
    engine = connect(pg_database)
    try:
        with engine.connect() as conn:
            assert conn.connection.driver_connection.prepare_threshold is None
    finally:
        engine.dispose()
