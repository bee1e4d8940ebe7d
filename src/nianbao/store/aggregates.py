"""The dashboard's sums kept per year and edition in ``report_totals`` and its reports per year
and region in ``region_totals``, maintained by
database triggers on ``reports`` in the same transaction as every save, withdrawal, restore,
re-check or deletion of a report (whatever code writes the row), so the dashboard over all
reports or one year reads a few hundred rows instead of summing every report per request.

Only current reports count. Each sum has beside it the number of reports that print it
(``*_n``), so a sum over no report reads as None, as a plain SUM does. The tables are created
and filled from the reports already stored when the store is opened without them."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from nianbao.store.queries import fits
from nianbao.store.schema import LIST_ORDER, RANKING_INDEXES, region_totals, report_totals
from nianbao.store.summary import SUMMARY
from nianbao.template.relations import RATES

T = report_totals.c
FILTERS = {"year", "edition"}  # the filters the kept sums can answer


def answers(filters: dict[str, Any]) -> bool:
    """Whether the kept sums answer these dashboard filters (current reports, by year and edition)."""
    return filters.get("current", True) is True and not any(
        v is not None for k, v in filters.items() if k not in FILTERS | {"current"}
    )


def _where(t: Any = T, year: int | None = None, edition: str | None = None, **_: Any) -> list[sa.ColumnElement[bool]]:
    out = []
    if year is not None:
        out.append(t.year == year if fits(year) else sa.false())
    if edition:
        out.append(t.edition == edition)
    return out


def _count(name: str) -> sa.ColumnElement:
    return sa.func.coalesce(sa.func.sum(T[name]), 0)


def _total(name: str) -> list[sa.ColumnElement]:
    """Σ of a kept sum (None over no report printing it) and how many reports print it."""
    return [sa.case((_count(f"{name}_n") > 0, sa.func.sum(T[f"{name}_sum"]))), _count(f"{name}_n")]


def totals(outcomes: tuple[str, ...], **filters: Any) -> sa.Select:
    """As the dashboard's totals over the reports: count, findings, reports with errors and with
    warnings only, Σ and reports of each of ``outcomes``, and Σ numerator, Σ denominator and
    reports of each rate."""
    known = [_count(f"{key}_n") > 0 for key, *_ in RATES]
    return sa.select(
        *map(_count, ("reports", "errors", "warnings", "infos", "with_errors", "warnings_only")),
        *(e for col in outcomes for e in _total(col)),
        *(
            e
            for (key, *_), k in zip(RATES, known, strict=True)
            for e in (sa.case((k, sa.func.sum(T[f"{key}_num"]))), sa.case((k, sa.func.sum(T[f"{key}_den"]))))
            + (_count(f"{key}_n"),)
        ),
    ).where(*_where(**filters))


def count(**filters: Any) -> sa.Select:
    """How many current reports these filters (year, edition) select."""
    return sa.select(_count("reports")).where(*_where(**filters))


def per_year(columns: tuple[str, ...], **filters: Any) -> sa.Select:
    """As the dashboard's per-year rows: year, reports, Σ and reports of each of ``columns``, Σ errors."""
    return (
        sa.select(T.year, _count("reports"), *(e for col in columns for e in _total(col)), _count("errors"))
        .where(*_where(**filters))
        .group_by(T.year)
        .having(_count("reports") > 0)
        .order_by(T.year.nulls_last())
    )


def regions(**filters: Any) -> sa.Select:
    """Reports per region: (region, count), the regions with none left out."""
    g = region_totals.c
    n = sa.func.sum(g.reports)
    return sa.select(g.region, n).where(*_where(g, **filters)).group_by(g.region).having(n > 0)


def coverage(among: list[str | None], **filters: Any) -> sa.Select:
    """Reports per year and region of the regions ``among``: (year, region, count)."""
    g = region_totals.c
    named = [x for x in among if x is not None]
    which = sa.or_(g.region.in_(named), g.region.is_(None)) if None in among else g.region.in_(named)
    return (
        sa.select(g.year, g.region, sa.func.sum(g.reports))
        .where(which, *_where(g, **filters))
        .group_by(g.year, g.region)
    )


# ------------------------------------------------------------------ maintenance --


def _row_terms(r: str) -> dict[str, str]:
    """Each column of ``report_totals`` as an SQL term over one report row named ``r``
    (``NEW``/``OLD`` in a trigger, ``reports`` in the first fill)."""
    terms = {
        "reports": "1",
        "errors": f"{r}.n_errors",
        "warnings": f"{r}.n_warnings",
        "infos": f"{r}.n_infos",
        "with_errors": f"CASE WHEN {r}.n_errors > 0 THEN 1 ELSE 0 END",
        "warnings_only": f"CASE WHEN {r}.n_errors = 0 AND {r}.n_warnings > 0 THEN 1 ELSE 0 END",
    }
    for col in SUMMARY:
        terms[f"{col}_sum"] = f"COALESCE({r}.{col}, 0)"
        terms[f"{col}_n"] = f"CASE WHEN {r}.{col} IS NOT NULL THEN 1 ELSE 0 END"
    for key, _, _, num, den in RATES:
        known = " AND ".join(f"{r}.{c} IS NOT NULL" for c in num + den)
        terms[f"{key}_num"] = f"CASE WHEN {known} THEN {' + '.join(f'{r}.{c}' for c in num)} ELSE 0 END"
        terms[f"{key}_den"] = f"CASE WHEN {known} THEN {' + '.join(f'{r}.{c}' for c in den)} ELSE 0 END"
        terms[f"{key}_n"] = f"CASE WHEN {known} THEN 1 ELSE 0 END"
    return terms


def _region_terms(r: str) -> dict[str, str]:
    return {"reports": "1"}


# each kept table, the report columns that key its groups, and its columns as terms over a row
KEPT = (
    (report_totals, ("year", "edition"), _row_terms),
    (region_totals, ("year", "edition", "region"), _region_terms),
)


def _group(r: str, key: tuple[str, ...]) -> str:
    """The group key of a report row: its ``key`` columns joined by | (NULL as empty; the last
    may hold anything)."""
    return " || '|' || ".join(f"COALESCE(CAST({r}.{k} AS TEXT), '')" for k in key)


def _apply(r: str, sign: str, dialect: str) -> list[str]:
    """The statements adding (``+``) or taking away (``-``) the report row ``r`` from its groups."""
    ignore, conflict = ("OR IGNORE ", "") if dialect == "sqlite" else ("", " ON CONFLICT DO NOTHING")
    out = []
    for table, key, terms in KEPT:
        cols, grp = ", ".join(key), _group(r, key)
        out.append(
            f"INSERT {ignore}INTO {table.name} (grp, {cols}) "
            f"SELECT {grp}, {', '.join(f'{r}.{k}' for k in key)} WHERE {r}.is_current{conflict}"
        )
        sets = ", ".join(f"{c} = {c} {sign} ({t})" for c, t in terms(r).items())
        out.append(f"UPDATE {table.name} SET {sets} WHERE grp = {grp} AND {r}.is_current")
    return out


def _fill(conn: Connection) -> None:
    for table, key, terms in KEPT:
        of_reports, grp = terms("reports"), _group("reports", key)
        conn.exec_driver_sql(
            f"INSERT INTO {table.name} (grp, {', '.join(key)}, {', '.join(of_reports)}) "
            f"SELECT {grp}, {', '.join(f'MIN({k})' for k in key)}, "
            f"{', '.join(f'SUM({t})' for t in of_reports.values())} FROM reports WHERE reports.is_current "
            f"GROUP BY {grp}"
        )


def keep(conn: Connection) -> None:
    """Create the triggers that keep the kept tables, and fill them from the stored reports; and
    the indexes of the dashboard's rankings and the list's order when ``reports`` was made without them."""
    for index in (*RANKING_INDEXES, LIST_ORDER[conn.dialect.name]):
        index.create(conn, checkfirst=True)
    if conn.dialect.name == "postgresql":
        old, new = ";\n".join(_apply("OLD", "-", "postgresql")), ";\n".join(_apply("NEW", "+", "postgresql"))
        conn.exec_driver_sql(
            "CREATE OR REPLACE FUNCTION report_totals_keep() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n"
            f"IF TG_OP IN ('UPDATE', 'DELETE') THEN\n{old};\nEND IF;\n"
            f"IF TG_OP IN ('INSERT', 'UPDATE') THEN\n{new};\nEND IF;\nRETURN NULL;\nEND $$"
        )
        conn.exec_driver_sql(
            "CREATE TRIGGER report_totals_keep AFTER INSERT OR UPDATE OR DELETE ON reports "
            "FOR EACH ROW EXECUTE FUNCTION report_totals_keep()"
        )
    else:
        for event, rows in (("INSERT", ("NEW",)), ("DELETE", ("OLD",)), ("UPDATE", ("OLD", "NEW"))):
            body = "".join(s + ";\n" for r in rows for s in _apply(r, "-" if r == "OLD" else "+", "sqlite"))
            conn.exec_driver_sql(
                f"CREATE TRIGGER report_totals_{event.lower()} AFTER {event} ON reports BEGIN\n{body}END"
            )
    _fill(conn)
