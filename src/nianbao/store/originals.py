"""The original bytes of every stored file, content-addressed by sha256.

Kept in the ``originals`` table (not files beside the database): the same for SQLite and for a
PostgreSQL server with no disk shared with the web app, copied by a database backup, and
deleted with nothing else. One file is kept up to ``Limits.file_mb`` (the largest file nianbao
reads at all, 200 MB by default); reports of larger files are stored without their original."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from nianbao import limits
from nianbao.store.schema import StoreError, originals


def keep(conn: Connection, sha256: str, data: bytes) -> bool:
    """Keep ``data`` under its sha256 (inside a write transaction); False when it is too large
    or already kept. A ``sha256`` that is not that of ``data`` is refused."""
    if len(data) > limits.default().bytes("file_mb"):
        return False
    if hashlib.sha256(data).hexdigest() != sha256:
        raise StoreError(f"原文件内容与其 sha256 不符（{sha256[:12]}…），未保存")
    if conn.execute(sa.select(originals.c.sha256).where(originals.c.sha256 == sha256)).first() is not None:
        return False
    conn.execute(originals.insert(), {"sha256": sha256, "size": len(data), "data": data, "kept_at": datetime.now(UTC)})
    return True


def load(engine: Engine, sha256: str) -> bytes | None:
    """The kept bytes of the file with this sha256; None when they were not kept."""
    with engine.connect() as conn:
        return conn.execute(sa.select(originals.c.data).where(originals.c.sha256 == sha256)).scalar()


def kept(engine: Engine, shas: Iterable[str] | None = None) -> set[str]:
    """Which of ``shas`` (default: all) have their original kept."""
    q = sa.select(originals.c.sha256)
    if shas is not None:
        q = q.where(originals.c.sha256.in_(list(shas)))
    with engine.connect() as conn:
        return set(conn.execute(q).scalars())
