"""The versions of an agency-year: what changed between two, and their life — a version waiting
to become current (``pending``), confirmed or discarded; a version withdrawn (soft delete, with
reason, who and when) and restored.

Exactly one version of an agency-year is current: the latest one neither pending nor withdrawn
(none when all are withdrawn). Lists, counts, aggregates and the cross-report rules read only
current versions, so a withdrawn version drops out of them and is kept. After a change here the
cross-report findings are refreshed by :func:`nianbao.pipeline.ingest.refresh_cross`."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from nianbao.model import Diagnostic, Report
from nianbao.render.json import location_json
from nianbao.store import audit
from nianbao.store.db import describe, reading, report_head, writing
from nianbao.store.queries import number
from nianbao.store.rows import agency_key, raw_of
from nianbao.store.schema import StoreError, diagnostics, iso_time, named_cells, originals, report_states, reports
from nianbao.template import path_label

STATUS_NAMES = {"current": "现行", "earlier": "旧版", "pending": "待确认", "withdrawn": "已撤回"}
_HEAD = (reports.c.id, reports.c.agency, reports.c.agency_key, reports.c.year, reports.c.version)
_COUNTS = (reports.c.n_errors, reports.c.n_warnings, reports.c.n_infos)


def history(engine: Engine, report_id: int) -> list[dict]:
    """Every version of the report's agency-year, oldest first, each with its ``status``
    (current / earlier / pending / withdrawn, ``status_name`` in Chinese) and, for a pending or
    withdrawn one, ``reason``, ``who`` and ``at``; ``original``: whether its file is kept."""
    with reading(engine) as conn:
        head = _head(conn, report_id)
        q = (
            sa.select(
                reports.c.id,
                reports.c.version,
                reports.c.is_current,
                reports.c.loaded_at,
                reports.c.sha256,
                reports.c.source_file,
                reports.c.n_errors,
                reports.c.n_warnings,
                report_states.c.state,
                report_states.c.reason,
                report_states.c.who,
                report_states.c.at,
                originals.c.size,
            )
            .outerjoin(report_states, report_states.c.report_id == reports.c.id)
            .outerjoin(originals, originals.c.sha256 == reports.c.sha256)
            .where(_same_agency_year(head))
            .order_by(reports.c.version)
        )
        return [_version(r) for r in conn.execute(q)]


def _version(r: sa.Row) -> dict:
    status = r.state or ("current" if r.is_current else "earlier")
    return {
        "id": r.id,
        "version": r.version,
        "status": status,
        "status_name": STATUS_NAMES[status],
        "loaded_at": iso_time(r.loaded_at),
        "sha256": r.sha256,
        "source_file": r.source_file,
        "n_errors": r.n_errors,
        "n_warnings": r.n_warnings,
        "reason": r.reason or "",
        "who": r.who or "",
        "at": iso_time(r.at),
        "original": r.size is not None,
    }


def heads(engine: Engine, report_ids: list[int] | None = None) -> list[dict]:
    """Who each stored report is (every one, or those of ``report_ids``), by id: id, agency,
    agency_key, year, version, sha256, source_file and its finding counts."""
    q = sa.select(*_HEAD, reports.c.sha256, reports.c.source_file, *_COUNTS).order_by(reports.c.id)
    if report_ids is not None:
        q = q.where(reports.c.id.in_(report_ids))
    with reading(engine) as conn:
        return [dict(r._mapping) for r in conn.execute(q)]


def withdrawn(engine: Engine) -> list[dict]:
    """Every withdrawn version, most recently withdrawn first."""
    q = (
        sa.select(*_HEAD, reports.c.source_file, report_states.c.reason, report_states.c.who, report_states.c.at)
        .join(report_states, report_states.c.report_id == reports.c.id)
        .where(report_states.c.state == "withdrawn")
        .order_by(report_states.c.at.desc())
    )
    with reading(engine) as conn:
        return [{**r._mapping, "at": iso_time(r.at)} for r in conn.execute(q)]


def withdraw(engine: Engine, report_id: int, reason: str, who: str = "") -> None:
    """Withdraw a version (kept, no longer listed nor counted); the agency-year's latest remaining
    version becomes current. A reason is required."""
    if not reason.strip():
        raise StoreError("撤回须写明原因")
    with writing(engine) as conn:
        head = _head(conn, report_id)
        if _state(conn, report_id) == "withdrawn":
            raise StoreError(f"{describe(head)} 已撤回")
        conn.execute(report_states.delete().where(report_states.c.report_id == report_id))
        row = {"report_id": report_id, "state": "withdrawn", "reason": reason.strip(), "who": who, "at": _now()}
        conn.execute(report_states.insert(), row)
        _elect(conn, head)
        audit.record(conn, who, "withdraw", describe(head), {"report_id": report_id, "reason": reason.strip()})


def restore(engine: Engine, report_id: int, who: str = "") -> None:
    """Undo a withdrawal; the version is current again if it is the agency-year's latest."""
    _leave(engine, report_id, "withdrawn", "restore", who)


def confirm(engine: Engine, report_id: int, who: str = "") -> None:
    """A pending version becomes the current one."""
    _leave(engine, report_id, "pending", "confirm", who)


def discard(engine: Engine, report_id: int, who: str = "") -> None:
    """Delete a pending version (it never was current); its kept original stays."""
    with writing(engine) as conn:
        head = _head(conn, report_id)
        if _state(conn, report_id) != "pending":
            raise StoreError(f"{describe(head)} 不是待确认的版本，不能放弃")
        conn.execute(reports.delete().where(reports.c.id == report_id))
        audit.record(conn, who, "discard", describe(head), {"report_id": report_id})


def _leave(engine: Engine, report_id: int, state: str, action: str, who: str) -> None:
    with writing(engine) as conn:
        head = _head(conn, report_id)
        if _state(conn, report_id) != state:
            raise StoreError(f"{describe(head)} 不是{STATUS_NAMES[state]}的版本")
        conn.execute(report_states.delete().where(report_states.c.report_id == report_id))
        _elect(conn, head)
        audit.record(conn, who, action, describe(head), {"report_id": report_id})


def _now() -> datetime:
    return datetime.now(UTC)


def _head(conn: Connection, report_id: int) -> sa.Row:
    return report_head(conn, report_id, _HEAD)


def _state(conn: Connection, report_id: int) -> str | None:
    return conn.execute(sa.select(report_states.c.state).where(report_states.c.report_id == report_id)).scalar()


def _same_agency_year(head: sa.Row) -> sa.ColumnElement[bool]:
    if head.agency_key is None or head.year is None:
        return reports.c.id == head.id
    return (reports.c.agency_key == head.agency_key) & (reports.c.year == head.year)


def _elect(conn: Connection, head: sa.Row) -> None:
    """Make the latest version neither pending nor withdrawn the current one."""
    mine = _same_agency_year(head)
    held = sa.exists().where(report_states.c.report_id == reports.c.id)  # an anti-join, not NOT IN
    latest = conn.execute(sa.select(sa.func.max(reports.c.version)).where(mine, ~held)).scalar()
    conn.execute(reports.update().where(mine).values(is_current=reports.c.version == latest if latest else False))


# ---------------------------------------------------------------------- diff --


def diff(engine: Engine, old_id: int, new_id: int) -> dict:
    """What changed from the stored version ``old_id`` to ``new_id``: ``cells`` (every cell whose
    value differs: path, label, old, new and the printed texts), findings ``added`` and ``removed``."""
    with reading(engine) as conn:
        old, new = _head(conn, old_id), _head(conn, new_id)
        return _diff(_meta(old), *_stored(conn, old_id), _meta(new), *_stored(conn, new_id))


def diff_with_current(engine: Engine, report: Report, found: list[Diagnostic]) -> dict | None:
    """:func:`diff` from the current version of ``report``'s agency-year to ``report`` as just
    read and checked (not stored); None when the agency-year has no current version."""
    akey = agency_key(report.agency)
    if akey is None or report.year is None:
        return None
    with reading(engine) as conn:
        q = sa.select(*_HEAD).where(reports.c.agency_key == akey, reports.c.year == report.year, reports.c.is_current)
        old = conn.execute(q).first()
        if old is None:
            return None
        new_cells = {p: (number(v.value), v.raw) for p, v in report.cells.items()}
        new_found = [_finding(d.rule, d.severity, d.message, list(d.cells), location_json(d.location)) for d in found]
        meta = {"id": None, "agency": report.agency, "year": report.year, "version": None}
        return _diff(_meta(old), *_stored(conn, old.id), meta, new_cells, new_found)


def _meta(head: sa.Row) -> dict:
    return {"id": head.id, "agency": head.agency, "year": head.year, "version": head.version}


def _stored(conn: Connection, report_id: int) -> tuple[dict, list[dict]]:
    c = named_cells.c
    vals = {
        r.path: (number(r.value), raw_of(r.value, r.raw))
        for r in conn.execute(sa.select(c.path, c.value, c.raw).where(c.report_id == report_id))
    }
    q = sa.select(diagnostics).where(diagnostics.c.report_id == report_id).order_by(diagnostics.c.id)
    found = [_finding(d.rule, d.severity, d.message, d.cells, d.location) for d in conn.execute(q)]
    return vals, found


def _finding(rule: str, severity: str, message: str, cells_: list[str], location: dict | None) -> dict:
    return {"rule": rule, "severity": severity, "message": message, "cells": list(cells_), "location": location}


def _diff(old: dict, old_cells: dict, old_found: list[dict], new: dict, new_cells: dict, new_found: list[dict]) -> dict:
    changed = [
        {"path": p, "label": path_label(p), "old": a[0], "new": b[0], "old_raw": a[1], "new_raw": b[1]}
        for p in sorted(old_cells.keys() | new_cells.keys())
        if (a := old_cells.get(p, (None, "")))[0] != (b := new_cells.get(p, (None, "")))[0]
    ]

    def ident(f: dict) -> tuple:
        return f["rule"], tuple(sorted(f["cells"])), f["message"]

    before, after = {ident(f) for f in old_found}, {ident(f) for f in new_found}
    return {
        "old": old,
        "new": new,
        "cells": changed,
        "added": [f for f in new_found if ident(f) not in before],
        "removed": [f for f in old_found if ident(f) not in after],
    }
