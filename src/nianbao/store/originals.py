"""The original bytes of every stored file, content-addressed by sha256.

Kept in the ``originals`` table (not files beside the database): the same for SQLite and for a
PostgreSQL server with no disk shared with the web app, copied by a database backup, and
deleted with nothing else. One file is kept up to ``Limits.file_mb`` (the largest file nianbao
reads at all, 200 MB by default); reports of larger files are stored without their original."""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Iterable
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from nianbao import limits
from nianbao.store.packing import Packed
from nianbao.store.schema import LINES_FORMATS, StoreError, documents, original_lines, originals, reports


def keep(conn: Connection, sha256: str, data: bytes) -> bool:
    """Keep ``data`` under its sha256 (inside a write transaction); False when it is too large
    or already kept. A ``sha256`` that is not that of ``data`` is refused."""
    return keep_many(conn, {sha256: data}) == 1


def keep_many(conn: Connection, files: dict[str, bytes]) -> int:
    """:func:`keep` for many files ``{sha256: data}`` at once (bulk ingest; ``data`` may be
    :class:`~nianbao.store.packing.Packed` by a worker); returns how many were kept."""
    files = {sha: data for sha, data in files.items() if keepable(data)}
    for sha, data in files.items():
        if (data.sha256 if isinstance(data, Packed) else hashlib.sha256(data).hexdigest()) != sha:
            raise StoreError(f"原文件内容与其 sha256 不符（{sha[:12]}…），未保存")
    if not files:
        return 0
    kept = set(conn.execute(sa.select(originals.c.sha256).where(originals.c.sha256.in_(list(files)))).scalars())
    now = datetime.now(UTC)
    rows = [{"sha256": sha, "size": _size(d), "data": d, "kept_at": now} for sha, d in files.items() if sha not in kept]
    if rows:
        conn.execute(originals.insert(), rows)
    return len(rows)


def keepable(data: bytes) -> bool:
    """Whether a file of these bytes (packed or not) is kept (up to ``Limits.file_mb``)."""
    return _size(data) <= limits.default().bytes("file_mb")


def _size(data: bytes) -> int:
    return data.size if isinstance(data, Packed) else len(data)


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


def view(conn: Connection, report_id: int) -> dict | None:
    """What the reader saw of the report's file (``lines`` or ``blocks``, as
    ``pipeline.Processed.source`` gives them); None when it was not stored. A txt/md file's lines
    are its kept original's, decoded in the encoding it was read in and split again."""
    q = (
        sa.select(documents.c.source, reports.c.format, reports.c.encoding, reports.c.sha256)
        .join(reports, reports.c.id == documents.c.report_id)
        .where(documents.c.report_id == report_id)
    )
    row = conn.execute(q).first()
    if row is None:
        return None
    if row.source is not None:
        return json.loads(zlib.decompress(row.source))
    if row.format not in LINES_FORMATS or not row.encoding:
        return None
    data = conn.execute(sa.select(originals.c.data).where(originals.c.sha256 == row.sha256)).scalar()
    lines = None if data is None else original_lines(data, row.encoding)
    return None if lines is None else {"lines": lines}
