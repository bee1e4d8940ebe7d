"""The store as the commands open it: the engine on ``--db`` (or ``NIANBAO_DB``, or
./.nianbao/nianbao.db), or one Chinese line on stderr and exit 2 when it cannot be opened.

Commands that only read a store pass ``create=False``: where there is no store they say so
instead of making an empty one. SQLAlchemy is imported here, when a command opens the store,
so that ``parse`` and ``check`` never load it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


def open_engine(db: str | None, create: bool = False) -> Engine:
    from nianbao.store.db import StoreError, connect

    try:
        return connect(db, create=create)
    except StoreError as e:  # the message names the database, its password hidden
        typer.echo(f"nianbao: 数据库: {' '.join(str(e).split())}", err=True)
        raise typer.Exit(2) from None
