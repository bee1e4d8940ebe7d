"""Which stored reports a 汇总 adds up: by region and year, by a list of agencies, or by
explicit report ids; always the current version of each report."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from nianbao.model import Report
from nianbao.store import agencies as identity
from nianbao.store.db import Store, reading
from nianbao.store.schema import reports

INT_MAX = 2**31 - 1  # ids and years are stored as 32-bit integers


class SelectionError(ValueError):
    """A selection that names nothing or something unclear. The message is one Chinese line."""


def _fits(n: int) -> bool:
    return -INT_MAX - 1 <= n <= INT_MAX


def select(
    engine: Engine,
    region: str | None = None,
    year: int | None = None,
    agencies: Sequence[str] = (),
    ids: Sequence[int] = (),
    exclude: Sequence[int] = (),
) -> list[tuple[int, Report]]:
    """The current reports matching every criterion given, as (id, report) pairs in id order.

    ``region`` at any level, ``agencies`` by printed or canonical name, as the report list
    matches them (``store.agencies``). At least one of ``region``, ``agencies`` or ``ids`` is
    required; a region, agency or id that matches no current report is an error naming it;
    ``exclude`` drops reports (the 本级 report compared)."""
    if not (region or agencies or ids):
        raise SelectionError("请指定地区、机关或报告编号")
    identity.ensure(engine)
    r = reports.c
    where = [r.is_current.is_(True)]
    if region:
        where.append(sa.or_(r.region == region, r.agency_key.in_(identity.keys_in(region))))
    if year is not None:
        where.append(r.year == year if _fits(year) else sa.false())
    if agencies:
        where.append(sa.or_(*(r.agency_key.in_(identity.keys_of(a)) for a in agencies)))
    if ids:
        where.append(r.id.in_([i for i in ids if _fits(i)]))
    if exclude:
        where.append(r.id.not_in([i for i in exclude if _fits(i)]))
    with reading(engine) as conn:
        found = conn.execute(sa.select(r.id).where(*where).order_by(r.id)).scalars().all()
        lost = [a for a in agencies if not _any(conn, sa.and_(*where, r.agency_key.in_(identity.keys_of(a))))]
    if region and not found and not (agencies or ids):
        raise SelectionError(f"库中没有地区“{region}”的现行报告" + (f"（{year}年）" if year is not None else ""))
    lost += [f"编号{i}" for i in ids if i not in found]
    if lost:
        raise SelectionError(f"所选范围内没有这些现行报告：{'、'.join(lost)}")
    return list(zip(found, Store(engine).load_reports(found), strict=True))


def _any(conn: sa.Connection, where: sa.ColumnElement[bool]) -> bool:
    return conn.execute(sa.select(reports.c.id).where(where).limit(1)).first() is not None


def own_report(engine: Engine, name_or_id: str, year: int | None = None) -> tuple[int, Report]:
    """The 本级 report to compare with: a report id, or an agency's current report (of ``year``)."""
    text = name_or_id.strip()
    r = reports.c
    if text.isascii() and text.isdigit():
        where = [r.id == int(text) if _fits(int(text)) else sa.false()]
    else:
        identity.ensure(engine)
        where = [r.agency_key.in_(identity.keys_of(text)), r.is_current.is_(True)]
        if year is not None:
            where.append(r.year == year if _fits(year) else sa.false())
    with reading(engine) as conn:
        found = conn.execute(sa.select(r.id).where(*where).order_by(r.year.desc(), r.id)).scalars().all()
    if not found:
        raise SelectionError(
            f"库中没有报告“{text}”{f'（{year}年）' if year is not None and not text.isdigit() else ''}"
        )
    if len(found) > 1:
        raise SelectionError(f"“{text}”对应{len(found)}份现行报告，请指定年度或报告编号")
    return found[0], Store(engine).load_reports(found)[0]
