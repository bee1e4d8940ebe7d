"""The store as the commands open it: the engine on ``--db`` (or ``NIANBAO_DB``, or
./.nianbao/nianbao.db), or one Chinese line on stderr and exit 2 when it cannot be opened.

Commands that only read a store pass ``create=False``: where there is no store they say so
instead of making an empty one. Commands that make one (and ``serve``, through ``check_folder``)
do so in an existing folder only when the store is named (``--db`` or ``NIANBAO_DB``): a mistyped
folder is said, not created; the default ./.nianbao/ is made. SQLAlchemy is imported here, when a command opens the store,
so that ``parse`` and ``check`` never load it."""

from __future__ import annotations

import atexit
import os
import weakref
from typing import TYPE_CHECKING

import typer

from nianbao.cli_say import fail

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


def open_engine(db: str | None, create: bool = False) -> Engine:
    from nianbao.store.db import StoreError, connect

    if create:
        check_folder(db)
    try:
        engine = connect(db, create=create)
    except StoreError as e:  # the message names the database, its password hidden
        fail("数据库", str(e))
        raise typer.Exit(2) from None
    atexit.register(_dispose, weakref.ref(engine))
    return engine


def _dispose(engine: weakref.ref[Engine]) -> None:
    """The engine's pooled connections closed before the interpreter ends, not by the garbage
    collector (psycopg's ResourceWarning: connection deleted while still open)."""
    if (e := engine()) is not None:
        e.dispose()


def check_folder(db: str | None) -> None:
    """A new store's folder exists (``_folder_exists``), or one line on stderr and exit 2."""
    from nianbao.store.db import StoreError

    try:
        _folder_exists(db)
    except StoreError as e:
        fail("数据库", str(e))
        raise typer.Exit(2) from None


def _folder_exists(db: str | None) -> None:
    """A SQLite file named (``db``, else ``NIANBAO_DB``) in a folder that does not exist is a
    StoreError saying so; the default folder (./.nianbao or ``NIANBAO_DATA``) is left to be made."""
    import sqlalchemy as sa

    from nianbao.store.db import StoreError, normalise_url, sqlite_file

    named = db or os.environ.get("NIANBAO_DB")
    if not named:
        return
    try:
        url = sa.make_url(normalise_url(named))
    except sa.exc.ArgumentError:
        return  # connect says the address cannot be read
    if (file := sqlite_file(url)) is not None:
        folder = file.parent
        if not folder.is_dir():
            what = f"{folder} 不是文件夹" if folder.exists() else f"文件夹 {folder} 不存在"
            raise StoreError(f"{what}（请先建好，或用 --db 指定已有的文件夹）")
