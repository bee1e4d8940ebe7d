"""Which stored reports a 汇总 adds up: by region and year, by a list of agencies, or by
explicit report ids; always the current version of each report, with the reviewers' cell
corrections in force.

The reports are rebuilt from the ``reports`` and ``cells`` tables only (agency, region, year,
edition and the printed cells): all a 汇总 reads, and far quicker than each stored document."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from nianbao.model import Report, Source, Value
from nianbao.store import agencies as identity
from nianbao.store.corrections import corrected_values
from nianbao.store.db import reading
from nianbao.store.queries import conditions, fits, number
from nianbao.store.rows import raw_of
from nianbao.store.schema import named_cells, reports
from nianbao.template.agencies import canonical
from nianbao.template.names import number as printed

R = reports.c


class SelectionError(ValueError):
    """A selection that names nothing or something unclear. The message is one Chinese line."""


def select(
    engine: Engine,
    region: str | None = None,
    year: int | None = None,
    agencies: Sequence[str] = (),
    ids: Sequence[int] = (),
    exclude: Sequence[int] = (),
    within: str | None = None,
    besides: str | None = None,
) -> list[tuple[int, Report]]:
    """The current reports matching every criterion given, as (id, report) pairs in id order.

    ``region`` at any level, ``agencies`` by printed or canonical name, as the report list
    matches them (``store.agencies``). At least one of ``region``, ``agencies`` or ``ids`` is
    required; a region, agency or id that matches no current report is an error naming it;
    ``exclude`` drops reports (the 本级 report compared), ``besides`` every report of one agency
    (the 本级 composing its report: by canonical identity, any printed name or alias of it);
    ``within`` (a user's region scope) keeps only the reports in that region, as if the others
    were not stored."""
    if not (region or agencies or ids):
        raise SelectionError("请指定地区、机关或报告编号")
    identity.ensure(engine)
    where = [R.is_current.is_(True), *(_in(r) for r in (region, within) if r)]
    if year is not None:
        where.append(R.year == year if fits(year) else sa.false())
    if agencies:
        where.append(sa.or_(*(R.agency_key.in_(identity.keys_of(a)) for a in agencies)))
    if ids:
        where.append(R.id.in_([i for i in ids if fits(i)]))
    if exclude:
        where.append(R.id.not_in([i for i in exclude if fits(i)]))
    with reading(engine) as conn:
        if besides:
            where += [sa.or_(R.agency_key.is_(None), R.agency_key.not_in(k)) for k in _keys(conn, besides, region)]
        found = _load(conn, sa.and_(*where))
        lost = [a for a in agencies if not _any(conn, sa.and_(*where, R.agency_key.in_(identity.keys_of(a))))]
    if region and not found and not (agencies or ids):
        when = f"（{year}年）" if year is not None else ""
        raise SelectionError(
            f"库中没有地区“{region}”的现行报告{when}" + (f"（{besides}本身的除外）" if besides else "")
        )
    lost += [f"编号{i}" for i in ids if i not in dict(found)]
    if lost:
        raise SelectionError(f"所选范围内没有这些现行报告：{'、'.join(lost)}")
    return _corrected(engine, found)


def own_report(
    engine: Engine, name_or_id: str, year: int | None = None, within: str | None = None
) -> tuple[int, Report]:
    """The 本级 report to compare with: a report id, or an agency's current report (of ``year``);
    within the region ``within`` if given."""
    text = name_or_id.strip()
    if text.isascii() and text.isdigit():
        where = R.id == int(text) if fits(int(text)) else sa.false()
    else:
        identity.ensure(engine)
        where = sa.and_(R.agency_key.in_(identity.keys_of(text)), R.is_current.is_(True))
        if year is not None:
            where = sa.and_(where, R.year == year if fits(year) else sa.false())
    if within:
        where = sa.and_(where, _in(within))
    with reading(engine) as conn:
        found = _load(conn, where)
    if not found:
        in_year = f"（{year}年）" if year is not None and not text.isdigit() else ""
        raise SelectionError(f"库中没有报告“{text}”{in_year}")
    if len(found) > 1:
        raise SelectionError(f"“{text}”对应{len(found)}份现行报告，请指定年度或报告编号")
    return _corrected(engine, found)[0]


def _keys(conn: Connection, name: str, region: str | None) -> list[sa.Select]:
    """The agency keys of ``name`` (:func:`~nianbao.store.agencies.keys_of`): as given, and, for a
    short name (``某某县人民政府``), completed by the regions the reports of ``region`` name, as the
    stored names are (``某某省某某县人民政府``)."""
    regions = conn.execute(sa.select(R.region).where(R.region.is_not(None), _in(region)).distinct()) if region else []
    full = canonical([name], [r for (r,) in regions])[name].name
    return [identity.keys_of(n, partial=False) for n in dict.fromkeys((name, full))]


def _in(region: str) -> sa.ColumnElement[bool]:
    """Reports of ``region`` at any level: the report list's own region filter."""
    return sa.and_(*conditions(region=region, current=False))


def _any(conn: Connection, where: sa.ColumnElement[bool]) -> bool:
    return conn.execute(sa.select(R.id).where(where).limit(1)).first() is not None


def _load(conn: Connection, where: sa.ColumnElement[bool]) -> list[tuple[int, Report]]:
    """The reports matching ``where`` with their printed values, in id order (a blank cell is left
    out: ``Report.value`` gives None for it all the same)."""
    head = (R.id, R.agency, R.region, R.year, R.edition, R.source_file, R.sha256, R.format)
    out = {
        row.id: Report(Source(row.source_file, row.sha256, row.format), row.agency, row.region, row.year, row.edition)
        for row in conn.execute(sa.select(*head).where(where).order_by(R.id))
    }
    c = named_cells.c
    chosen = sa.select(R.id).where(where)
    query = sa.select(c.report_id, c.path, c.value, c.raw).where(
        c.report_id.in_(chosen), c.derived.is_(False), c.value.is_not(None)
    )
    for rid, path, value, raw in conn.execute(query):
        out[rid].cells[path] = Value(number(value), raw_of(value, raw))
    return list(out.items())


def _corrected(engine: Engine, found: list[tuple[int, Report]]) -> list[tuple[int, Report]]:
    """The reviewers' corrections in force, over the printed values (marked in ``Value.note``)."""
    fixes = corrected_values(engine, [k for k, _ in found]) if found else {}
    for k, r in found:
        for path, v in fixes.get(k, {}).items():
            r.cells[path] = Value(number(v), printed(number(v)), note="已更正")
    return found
