"""Drafts of a report being composed (新建年报): every save is the next version for its agency
and year; an earlier version is restored by saving it again as the newest. Also the stored
report of the year before, which a composition starts from (上年结转, 表二 stocks)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from nianbao.model import Report
from nianbao.render.json import report_from_json, report_json
from nianbao.store.db import Store, reading, writing
from nianbao.store.rows import agency_key
from nianbao.store.schema import StoreError, drafts, reports

ATTEMPTS = 3  # two saves of the same agency-year at once: the later one takes the next number
INT_MAX = 2**31 - 1  # ids and years are 32-bit integers in the database


def _stored(n: int) -> bool:
    return 0 <= n <= INT_MAX


def _listed(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "agency": row.agency,
        "year": row.year,
        "version": row.version,
        "who": row.who,
        "saved_at": row.saved_at.isoformat(timespec="seconds"),
        "note": row.note,
    }


def save_draft(engine: Engine, report: Report, who: str = "", note: str = "") -> dict[str, Any]:
    """Store ``report`` (its agency and year must be given) as the next version of its draft."""
    akey = agency_key(report.agency)
    if akey is None or report.year is None:
        raise StoreError("草稿须有报告机关和年度")
    mine = (drafts.c.agency_key == akey) & (drafts.c.year == report.year)
    row = {
        "agency": report.agency,
        "agency_key": akey,
        "year": report.year,
        "report": report_json(report, full=True),
        "who": who,
        "note": note,
    }
    for attempt in range(ATTEMPTS):
        try:
            with writing(engine) as conn:
                last = conn.execute(sa.select(sa.func.max(drafts.c.version)).where(mine)).scalar() or 0
                values = {**row, "version": last + 1, "saved_at": datetime.now(UTC)}
                did = conn.execute(drafts.insert(), values).inserted_primary_key[0]
            return draft_info(engine, did)
        except IntegrityError:
            if attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def draft_versions(engine: Engine, agency: str, year: int) -> list[dict[str, Any]]:
    """Every saved version of the agency's draft for ``year``, newest first (without the report)."""
    if not _stored(year):
        return []
    query = (
        sa.select(*[c for c in drafts.c if c.name != "report"])
        .where(drafts.c.agency_key == agency_key(agency), drafts.c.year == year)
        .order_by(drafts.c.version.desc())
    )
    with reading(engine) as conn:
        return [_listed(r) for r in conn.execute(query)]


def draft_info(engine: Engine, draft_id: int) -> dict[str, Any]:
    if not _stored(draft_id):
        raise StoreError(f"没有编号为{draft_id}的草稿")
    query = sa.select(*[c for c in drafts.c if c.name != "report"]).where(drafts.c.id == draft_id)
    with reading(engine) as conn:
        row = conn.execute(query).first()
    if row is None:
        raise StoreError(f"没有编号为{draft_id}的草稿")
    return _listed(row)


def load_draft(engine: Engine, draft_id: int) -> Report:
    if not _stored(draft_id):
        raise StoreError(f"没有编号为{draft_id}的草稿")
    with reading(engine) as conn:
        data = conn.execute(sa.select(drafts.c.report).where(drafts.c.id == draft_id)).scalar()
    if data is None:
        raise StoreError(f"没有编号为{draft_id}的草稿")
    return report_from_json(data)


def restore_draft(engine: Engine, draft_id: int, who: str = "") -> dict[str, Any]:
    """Version ``draft_id`` saved again as the newest version (the history stays as it was)."""
    old = draft_info(engine, draft_id)
    return save_draft(engine, load_draft(engine, draft_id), who, note=f"恢复自第{old['version']}版")


def latest_drafts(engine: Engine, agencies: list[str], year: int) -> dict[str, Report]:
    """The newest draft of ``year`` of each agency that has one (name as given → report)."""
    out = {}
    for name in agencies:
        versions = draft_versions(engine, name, year)
        if versions:
            out[name] = load_draft(engine, versions[0]["id"])
    return out


def previous_report(engine: Engine, agency: str, year: int) -> Report | None:
    """The agency's current stored report of ``year - 1``, or None."""
    query = sa.select(reports.c.id).where(
        reports.c.agency_key == agency_key(agency), reports.c.year == year - 1, reports.c.is_current.is_(True)
    )
    with reading(engine) as conn:
        rid = conn.execute(query.order_by(reports.c.id.desc())).scalar()
    return None if rid is None else Store(engine).load_report(rid)
