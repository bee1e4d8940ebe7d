"""Which stored reports a 汇总 adds up: by region and year, by a list of agencies, or by
explicit report ids; always the current version of each report."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from nianbao.model import Report
from nianbao.store.db import Store, agency_key, reading
from nianbao.store.schema import reports

INT_MAX = 2**31 - 1  # ids and years are stored as 32-bit integers


class SelectionError(ValueError):
    """A selection that names nothing or something unclear. The message is one Chinese line."""


def _fits(n: int) -> bool:
    return -INT_MAX - 1 <= n <= INT_MAX


def region_of(engine: Engine, text: str) -> str:
    """The stored region called ``text``, or the one region whose name ends with it (西城区 → 北京市西城区)."""
    with reading(engine) as conn:
        known = [r for r in conn.execute(sa.select(reports.c.region).distinct()).scalars() if r]
    if text in known:
        return text
    found = sorted(r for r in known if r.endswith(text))
    if len(found) == 1:
        return found[0]
    if found:
        raise SelectionError(f"地区“{text}”不明确，可指：{'、'.join(found)}")
    raise SelectionError(f"库中没有地区“{text}”的报告")


def select(
    engine: Engine,
    region: str | None = None,
    year: int | None = None,
    agencies: Sequence[str] = (),
    ids: Sequence[int] = (),
    exclude: Sequence[int] = (),
) -> list[tuple[int, Report]]:
    """The current reports matching every criterion given, as (id, report) pairs in id order.

    At least one of ``region``, ``agencies`` or ``ids`` is required; an agency or id that matches
    no current report is an error naming it; ``exclude`` drops reports (the 本级 report compared)."""
    if not (region or agencies or ids):
        raise SelectionError("请指定地区、机关或报告编号")
    r = reports.c
    where = [r.is_current.is_(True)]
    if region:
        where.append(r.region == region_of(engine, region))
    if year is not None:
        where.append(r.year == year if _fits(year) else sa.false())
    if agencies:
        where.append(r.agency_key.in_([agency_key(a) for a in agencies]))
    if ids:
        where.append(r.id.in_([i for i in ids if _fits(i)]))
    if exclude:
        where.append(r.id.not_in([i for i in exclude if _fits(i)]))
    with reading(engine) as conn:
        rows = conn.execute(sa.select(r.id, r.agency_key).where(*where).order_by(r.id)).all()
    _all_found(agencies, ids, rows)
    found = [row.id for row in rows]
    return list(zip(found, Store(engine).load_reports(found), strict=True))


def _all_found(agencies: Sequence[str], ids: Sequence[int], rows: Sequence[sa.Row]) -> None:
    keys = {row.agency_key for row in rows}
    lost = [a for a in agencies if agency_key(a) not in keys]
    lost += [f"编号{i}" for i in ids if i not in {row.id for row in rows}]
    if lost:
        raise SelectionError(f"所选范围内没有这些现行报告：{'、'.join(lost)}")


def own_report(engine: Engine, name_or_id: str, year: int | None = None) -> tuple[int, Report]:
    """The 本级 report to compare with: a report id, or an agency's current report (of ``year``)."""
    text = name_or_id.strip()
    r = reports.c
    if text.isascii() and text.isdigit():
        where = [r.id == int(text) if _fits(int(text)) else sa.false()]
    else:
        where = [r.agency_key == agency_key(text), r.is_current.is_(True)]
        if year is not None:
            where.append(r.year == year if _fits(year) else sa.false())
    with reading(engine) as conn:
        found = conn.execute(sa.select(r.id).where(*where).order_by(r.year.desc(), r.id)).scalars().all()
    if not found:
        raise SelectionError(
            f"库中没有报告“{text}”{f'（{year}年）' if year is not None and not text.isdigit() else ''}"
        )
    if len(found) > 1:
        raise SelectionError(f"“{text}”有{len(found)}份现行报告（不同年度），请同时指定年度")
    return found[0], Store(engine).load_reports(found)[0]
