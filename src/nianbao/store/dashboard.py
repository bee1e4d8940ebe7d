"""The dashboard's figures over the selected reports, from the summary columns of ``reports``
(no cell is summed per request). Every figure says how many reports it covers: a sum only
counts the reports that print the cells behind it, and rankings are per year, never years
added together."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from nianbao.store import agencies as identity
from nianbao.store import aggregates
from nianbao.store.db import reading
from nianbao.store.queries import Row, as_row, columns, conditions, gathered, number, status_terms
from nianbao.store.schema import reports
from nianbao.template.relations import OUTCOMES, RATES

# a region of at most so many reports has their ids gathered first and is ranked among them; more are
# walked in the rankings' order
RANK_AMONG_AT_MOST = 500
REGIONS_SHOWN = 12  # the coverage chart's regions with the most reports; the rest add up to one "others" band
PER_YEAR = ("new_received_total", "carried_over_total", "total_processed_total")
WORST = ("id", "agency", "agency_key", "region", "year", "n_errors", "n_warnings", "n_infos")


def _known(names: tuple[str, ...]) -> sa.ColumnElement[bool]:
    return sa.and_(*(reports.c[n].is_not(None) for n in names))


def _sum_where_known(num: tuple[str, ...], den: tuple[str, ...]) -> list[sa.ColumnElement]:
    """Σ numerator, Σ denominator and the number of reports, over the reports that print all the cells involved."""
    known = _known(num + den)

    def total(names: tuple[str, ...]) -> sa.ColumnElement:
        expr = sum((reports.c[n] for n in names[1:]), reports.c[names[0]])
        return sa.func.sum(sa.case((known, expr)))

    return [total(num), total(den), sa.func.count(sa.case((known, 1)))]


def _sum_and_count(name: str) -> list[sa.ColumnElement]:
    """Σ of a summary column and how many reports print it (count skips NULL)."""
    return [sa.func.sum(reports.c[name]), sa.func.count(reports.c[name])]


def dashboard(engine: Engine, top: int = 20, rank_year: int | None = None, **filters: Any) -> Row:
    """Figures over the selected reports: count and years covered; per year the sums and the
    reports behind each; coverage per year and region; outcome mix and rates with the reports
    they cover; findings by severity; agencies ranked within one year (``rank_year``, default
    the latest); the reports with the most errors and with the most warnings."""
    identity.ensure(engine)  # the region filters (kept sums or not), agency and search read the agency names
    kept = aggregates.answers(filters)  # by year, edition and region: the sums kept as reports are saved
    where = conditions(**filters)
    r = reports.c
    has_error, only_warnings = (sa.and_(*status_terms(s)) for s in ("error", "warning"))
    outcomes = tuple(col for col, _ in OUTCOMES)
    with reading(engine) as conn:
        t = conn.execute(
            aggregates.totals(outcomes, **filters)
            if kept
            else sa.select(
                sa.func.count(),
                sa.func.coalesce(sa.func.sum(r.n_errors), 0),
                sa.func.coalesce(sa.func.sum(r.n_warnings), 0),
                sa.func.coalesce(sa.func.sum(r.n_infos), 0),
                sa.func.count(sa.case((has_error, 1))),
                sa.func.count(sa.case((only_warnings, 1))),
                *(e for col, _ in OUTCOMES for e in _sum_and_count(col)),
                *(e for _, _, _, num, den in RATES for e in _sum_where_known(num, den)),
            ).where(*where)
        ).one()
        count, n_err, n_warn, n_info, rep_err, rep_warn = t[:6]
        outcome_figs, rate_figs = t[6 : 6 + 2 * len(OUTCOMES)], t[6 + 2 * len(OUTCOMES) :]
        per_year_query = aggregates.per_year(PER_YEAR, **filters) if kept else _per_year_query(where)
        per_year = [_year_row(row) for row in conn.execute(per_year_query)]
        coverage = _coverage_kept(conn, filters, per_year) if kept else _coverage(conn, _coverage_query(where))
        years = [y["year"] for y in per_year]
        known_years = [y for y in years if y is not None]
        if rank_year not in known_years:
            rank_year = max(known_years, default=None)
        # a few reports (a county) are ranked among themselves; many, by walking the rankings' indexes
        walk = kept and count > RANK_AMONG_AT_MOST
        if kept and not walk:
            where = gathered(conn, where, filters.get("region"), filters.get("scope"))
        elif walk:  # the region tested on each report met in the index's order, not gathered through its indexes
            areas = [filters.get(k) for k in ("region", "scope")]
            where = [*conditions(**{**filters, "region": None, "scope": None}), *(_unindexed(a) for a in areas if a)]
        if walk:
            agencies = _ranking_by_index(conn, where, rank_year, top)
        else:
            agencies = _ranking(conn, where, rank_year, top)
        most_errors = _worst(conn, where, r.n_errors, r.n_warnings, top)
        most_warnings = _worst(conn, where, r.n_warnings, r.n_errors, top)
    return {
        "count": count,
        "years": years,
        "per_year": per_year,
        "coverage": coverage,
        "outcomes": [
            {"key": col.removesuffix("_total"), "label": label, "value": number(s), "reports": n}
            for (col, label), s, n in zip(OUTCOMES, outcome_figs[::2], outcome_figs[1::2], strict=True)
        ],
        "rates": [
            _rate(key, name, definition, *rate_figs[3 * i : 3 * i + 3])
            for i, (key, name, definition, _, _) in enumerate(RATES)
        ],
        "severity": {
            "errors": int(n_err),
            "warnings": int(n_warn),
            "infos": int(n_info),
            "reports_with_errors": rep_err,
            "reports_with_warnings_only": rep_warn,
            "reports_clean": count - rep_err - rep_warn,
        },
        "rank_year": rank_year,
        "rank_years": sorted(known_years, reverse=True),
        "agencies": agencies,
        "most_errors": most_errors,
        "most_warnings": most_warnings,
    }


def _per_year_query(where: list) -> sa.Select:
    # only columns of the covering index ix_reports_year_totals: no lookup into the table
    r = reports.c
    return (
        sa.select(
            r.year,
            sa.func.count(),
            *(e for col in PER_YEAR for e in _sum_and_count(col)),
            sa.func.sum(r.n_errors),
        )
        .where(*where)
        .group_by(r.year)
        .order_by(r.year.nulls_last())
    )


def _year_row(row: sa.Row) -> Row:
    out: Row = {"year": row[0], "reports": row[1]}
    for i, col in enumerate(PER_YEAR):
        name = col.removesuffix("_total")
        out[name], out[f"{name}_reports"] = number(row[2 + 2 * i]), row[3 + 2 * i]
    out["errors"] = int(row[-1] or 0)
    return out


def _coverage_query(where: list) -> sa.Select:
    r = reports.c
    return sa.select(r.year, r.region, sa.func.count()).where(*where).group_by(r.year, r.region)


def _coverage(conn: sa.Connection, query: sa.Select) -> Row:
    """Reports per year and region (``query``: year, region, count): ``years``, and ``regions``
    (the most covered first, each with its count per year in the order of ``years``; the rest as
    one band with ``region`` "…others")."""
    counts: dict[str | None, dict[int | None, int]] = {}
    for year, region, n in conn.execute(query):
        counts.setdefault(region, {})[year] = n
    years = sorted({y for per in counts.values() for y in per}, key=lambda y: (y is None, y))
    ranked = sorted(counts, key=lambda g: _most(g, sum(counts[g].values())))
    shown, rest = ranked[:REGIONS_SHOWN], ranked[REGIONS_SHOWN:]
    others = [sum(counts[g].get(y, 0) for g in rest) for y in years]
    return _bands(counts, years, shown, others, len(rest))


def _coverage_kept(conn: sa.Connection, filters: dict[str, Any], per_year: list[Row]) -> Row:
    """:func:`_coverage` from the kept reports per year and region: the most covered regions
    (those tied with the last shown read too, to order ties as there), the rest from the years' totals."""
    years = [y["year"] for y in per_year]
    by_region = aggregates.regions(**filters)
    n = by_region.selected_columns[1]
    top = conn.execute(by_region.order_by(n.desc()).limit(REGIONS_SHOWN)).all()
    if len(top) == REGIONS_SHOWN:
        top = conn.execute(by_region.having(n >= top[-1][1])).all()
    shown = [g for g, _ in sorted(top, key=lambda t: _most(*t))][:REGIONS_SHOWN]
    n_regions = conn.execute(sa.select(sa.func.count()).select_from(by_region.subquery())).scalar_one()
    counts: dict[str | None, dict[int | None, int]] = {g: {} for g in shown}
    for year, region, k in conn.execute(aggregates.coverage(shown, **filters)):
        counts[region][year] = k
    others = [y["reports"] - sum(counts[g].get(y["year"], 0) for g in shown) for y in per_year]
    return _bands(counts, years, shown, others, n_regions - len(shown))


def _most(region: str | None, reports: int) -> tuple:
    """The coverage chart's order: most reports first, then by name, no region last."""
    return -reports, region is None, region or ""


def _bands(
    counts: dict[str | None, dict[int | None, int]], years: list, shown: list, others: list[int], rest: int
) -> Row:
    bands = [{"region": g, "others": False, "counts": [counts[g].get(y, 0) for y in years]} for g in shown]
    if rest:
        bands.append({"region": None, "others": True, "regions": rest, "counts": others})
    return {"years": years, "regions": bands}


def _rate(key: str, name: str, definition: str, num: Any, den: Any, n: int) -> Row:
    return {
        "key": key,
        "name": name,
        "definition": definition,
        "numerator": number(num),
        "denominator": number(den),
        "reports": n,
        "value": round(num / den, 4) if num is not None and den else None,
    }


def _ranking(conn: sa.Connection, where: list, year: int | None, top: int) -> list[Row]:
    """Agencies by applications received in one year (each agency's current report of that year)."""
    if year is None:
        return []
    r = reports.c
    applications = sa.func.sum(r.new_received_total)
    q = (
        sa.select(r.agency_key, sa.func.max(r.agency), sa.func.max(r.region), sa.func.count(), applications)
        .where(*where, r.year == year, r.agency_key.is_not(None))
        .group_by(r.agency_key)
        .order_by(applications.desc().nulls_last(), r.agency_key)
        .limit(top)
    )
    return [
        {"agency_key": k, "agency": a, "region": g, "reports": n, "applications": number(s)}
        for k, a, g, n, s in conn.execute(q)
    ]


def _ranking_by_index(conn: sa.Connection, where: list, year: int | None, top: int) -> list[Row]:
    """:func:`_ranking` read from the index on (year, applications): each agency has one current
    report a year, so no grouping; the agencies tied with the last are read to order ties by key."""
    if year is None:
        return []
    r = reports.c
    applications = r.new_received_total
    base = sa.select(r.agency_key, r.agency, r.region, applications).where(
        *where, r.year == year, r.agency_key.is_not(None)
    )
    head = conn.execute(base.where(applications.is_not(None)).order_by(applications.desc()).limit(top)).all()
    if len(head) == top:
        head = conn.execute(base.where(applications >= head[-1][3])).all()
    else:
        rest = base.where(applications.is_(None)).order_by(r.agency_key).limit(top - len(head))
        head += conn.execute(rest).all()
    head.sort(key=lambda x: (x[3] is None, -(x[3] or 0), x[0]))
    return [
        {"agency_key": k, "agency": a, "region": g, "reports": 1, "applications": number(s)}
        for k, a, g, s in head[:top]
    ]


def _worst(conn: sa.Connection, where: list, by: sa.Column, then: sa.Column, top: int) -> list[Row]:
    q = sa.select(*columns(WORST)).where(*where, by > 0).order_by(by.desc(), then.desc(), reports.c.id).limit(top)
    return [as_row(x) for x in conn.execute(q)]


def _unindexed(area: str) -> sa.ColumnElement[bool]:
    """The region filter of :func:`conditions` written so that no index serves it (``|| ''``):
    SQLite would otherwise gather a large region's reports through its indexes and sort them."""
    r = reports.c
    return sa.or_((r.region + "") == area, (r.agency_key + "").in_(identity.keys_in(area)))
