"""The dashboard's sums kept per year and edition in ``report_totals`` and its reports per year
and region in ``region_totals``, maintained by
database triggers on ``reports`` in the same transaction as every save, withdrawal, restore,
re-check or deletion of a report (whatever code writes the row), so the dashboard over all
reports or one year reads a few hundred rows instead of summing every report per request.

Only current reports count; a report is counted with errors, or with warnings only, by its own
findings and the cross-report ones about it, as the report list's status filter selects it
(:func:`crossed` follows the replacement of the cross-report findings). Each sum has beside it
the number of reports that print it (``*_n``), so a sum over no report reads as None, as a plain SUM does. The tables are created
and filled from the reports already stored when the store is opened without them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from nianbao.store import agencies as identity
from nianbao.store import queries
from nianbao.store.queries import fits
from nianbao.store.schema import LIST_ORDER, RANKING_INDEXES, place_totals, region_totals, report_totals
from nianbao.store.summary import SUMMARY
from nianbao.template.relations import RATES

FILTERS = {"year", "edition"}  # the filters report_totals answers
PLACES = {"region", "scope"}  # and those place_totals answers too


def answers(filters: dict[str, Any]) -> bool:
    """Whether the kept sums answer these dashboard filters (current reports, by year, edition
    and region)."""
    return filters.get("current", True) is True and not any(
        v is not None for k, v in filters.items() if k not in FILTERS | PLACES | {"current"}
    )


def _placed(filters: dict[str, Any]) -> bool:
    return any(filters.get(k) for k in PLACES)


def _where(
    t: Any,
    year: int | None = None,
    edition: str | None = None,
    region: str | None = None,
    scope: str | None = None,
    **_: Any,
) -> list[sa.ColumnElement[bool]]:
    out = []
    if year is not None:
        out.append(t.year == year if fits(year) else sa.false())
    if edition:
        out.append(t.edition == edition)
    for area in (region, scope):  # as queries.conditions: the printed region, or the agency's at any level
        if area:
            out.append(sa.or_(t.region == area, t.place.like(identity.region_like(area), escape="\\")))
    return out


def _totals_of(filters: dict[str, Any]) -> Any:
    """The columns of the kept table holding the figures for these filters."""
    return (place_totals if _placed(filters) else report_totals).c


def _count(t: Any, name: str) -> sa.ColumnElement:
    return sa.func.coalesce(sa.func.sum(t[name]), 0)


def _total(t: Any, name: str) -> list[sa.ColumnElement]:
    """Σ of a kept sum (None over no report printing it) and how many reports print it."""
    return [sa.case((_count(t, f"{name}_n") > 0, sa.func.sum(t[f"{name}_sum"]))), _count(t, f"{name}_n")]


def totals(outcomes: tuple[str, ...], **filters: Any) -> sa.Select:
    """As the dashboard's totals over the reports: count, findings, reports with errors and with
    warnings only, Σ and reports of each of ``outcomes``, and Σ numerator, Σ denominator and
    reports of each rate."""
    t = _totals_of(filters)
    known = [_count(t, f"{key}_n") > 0 for key, *_ in RATES]
    return sa.select(
        *(_count(t, c) for c in ("reports", "errors", "warnings", "infos", "with_errors", "warnings_only")),
        *(e for col in outcomes for e in _total(t, col)),
        *(
            e
            for (key, *_), k in zip(RATES, known, strict=True)
            for e in (sa.case((k, sa.func.sum(t[f"{key}_num"]))), sa.case((k, sa.func.sum(t[f"{key}_den"]))))
            + (_count(t, f"{key}_n"),)
        ),
    ).where(*_where(t, **filters))


def count(of: str = "reports", **filters: Any) -> sa.Select:
    """How many current reports these filters select (``of="with_errors"``: of them with errors,
    their own or cross-report ones about them, as the list's ``status="error"``)."""
    t = _totals_of(filters)
    return sa.select(_count(t, of)).where(*_where(t, **filters))


def per_year(columns: tuple[str, ...], **filters: Any) -> sa.Select:
    """As the dashboard's per-year rows: year, reports, Σ and reports of each of ``columns``, Σ errors."""
    t = _totals_of(filters)
    return (
        sa.select(t.year, _count(t, "reports"), *(e for col in columns for e in _total(t, col)), _count(t, "errors"))
        .where(*_where(t, **filters))
        .group_by(t.year)
        .having(_count(t, "reports") > 0)
        .order_by(t.year.nulls_last())
    )


def regions(**filters: Any) -> sa.Select:
    """Reports per region: (region, count), the regions with none left out."""
    g = (place_totals if _placed(filters) else region_totals).c
    n = sa.func.sum(g.reports)
    return sa.select(g.region, n).where(*_where(g, **filters)).group_by(g.region).having(n > 0)


def coverage(among: list[str | None], **filters: Any) -> sa.Select:
    """Reports per year and region of the regions ``among``: (year, region, count)."""
    g = (place_totals if _placed(filters) else region_totals).c
    named = [x for x in among if x is not None]
    which = sa.or_(g.region.in_(named), g.region.is_(None)) if None in among else g.region.in_(named)
    return (
        sa.select(g.year, g.region, sa.func.sum(g.reports))
        .where(which, *_where(g, **filters))
        .group_by(g.year, g.region)
    )


# ------------------------------------------------------------------ maintenance --


def _about(r: str, severity: str) -> str:
    """Whether a cross-report finding of ``severity`` is about report row ``r``, as SQL."""
    found = queries.cross_about(severity, sa.literal_column(f"{r}.id"))
    return str(found.compile(compile_kwargs={"literal_binds": True})).replace("\n", " ")


def _statuses(r: str, crossed: bool = True) -> dict[str, str]:
    """Whether report row ``r`` has errors, or warnings and no error, as SQL terms (1 or 0): its
    status as the report list's (:func:`nianbao.store.queries.status_terms`), counting the
    cross-report findings about it; its own findings only when not ``crossed``."""
    error, warning = f"{r}.n_errors > 0", f"{r}.n_warnings > 0"
    if crossed:
        error, warning = f"({error} OR {_about(r, 'error')})", f"({warning} OR {_about(r, 'warning')})"
    return {
        "with_errors": f"CASE WHEN {error} THEN 1 ELSE 0 END",
        "warnings_only": f"CASE WHEN NOT {error} AND {warning} THEN 1 ELSE 0 END",
    }


def _row_terms(r: str, crossed: bool = True) -> dict[str, str]:
    """Each column of ``report_totals`` as an SQL term over one report row named ``r``
    (``NEW``/``OLD`` in a trigger, ``reports`` in the first fill); not ``crossed``: a row just
    inserted, which no cross-report finding is about yet (links go to stored reports only)."""
    terms = {
        "reports": "1",
        "errors": f"{r}.n_errors",
        "warnings": f"{r}.n_warnings",
        "infos": f"{r}.n_infos",
        **_statuses(r, crossed),
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


def _region_terms(r: str, crossed: bool = True) -> dict[str, str]:
    return {"reports": "1"}


def _place(r: str) -> str:
    """The region chain ``agency_names`` gives the agency of report row ``r`` ("" when none yet)."""
    return f"COALESCE((SELECT region_path FROM agency_names WHERE agency_names.agency_key = {r}.agency_key), '')"


def _keys(*names: str) -> Callable[[str], dict[str, str]]:
    """The group key of a kept table: each column as an SQL term over a report row."""
    return lambda r: {k: _place(r) if k == "place" else f"{r}.{k}" for k in names}


# each kept table, its group key and its columns as terms over a report row; the place sums are
# kept by triggers of their own, and remade when agency_names changes (remake_places)
KEPT = (
    (report_totals, _keys("year", "edition"), _row_terms),
    (region_totals, _keys("year", "edition", "region"), _region_terms),
)
PLACED = ((place_totals, _keys("year", "edition", "place", "region"), _row_terms),)


def _group(keys: dict[str, str]) -> str:
    """The group key of a report row: its key terms joined by | (NULL as empty; the last may hold
    anything)."""
    return " || '|' || ".join(f"COALESCE(CAST({t} AS TEXT), '')" for t in keys.values())


def _apply(kept: tuple, r: str, sign: str, dialect: str, crossed: bool = True) -> list[str]:
    """The statements adding (``+``) or taking away (``-``) the report row ``r`` from its groups
    (``crossed``: as in :func:`_row_terms`)."""
    ignore, conflict = ("OR IGNORE ", "") if dialect == "sqlite" else ("", " ON CONFLICT DO NOTHING")
    out = []
    for table, key, terms in kept:
        keys = key(r)
        cols, grp = ", ".join(keys), _group(keys)
        out.append(
            f"INSERT {ignore}INTO {table.name} (grp, {cols}) "
            f"SELECT {grp}, {', '.join(keys.values())} WHERE {r}.is_current{conflict}"
        )
        sets = ", ".join(f"{c} = {c} {sign} ({t})" for c, t in terms(r, crossed).items())
        out.append(f"UPDATE {table.name} SET {sets} WHERE grp = {grp} AND {r}.is_current")
    return out


def _fill(conn: Connection, kept: tuple) -> None:
    for table, key, terms in kept:
        of_reports, keys = terms("reports"), key("reports")
        conn.exec_driver_sql(
            f"INSERT INTO {table.name} (grp, {', '.join(keys)}, {', '.join(of_reports)}) "
            f"SELECT {_group(keys)}, {', '.join(f'MIN({t})' for t in keys.values())}, "
            f"{', '.join(f'SUM({t})' for t in of_reports.values())} FROM reports WHERE reports.is_current "
            f"GROUP BY {_group(keys)}"
        )


def _triggers(conn: Connection, name: str, kept: tuple) -> None:
    """The triggers on ``reports`` keeping the tables of ``kept`` (SQLite: ``name``_insert, …;
    PostgreSQL: one function ``name``_keep, triggers ``name``_keep and ``name``_drop). A deleted
    row is taken away BEFORE it goes: its cross-report links go with it (ON DELETE CASCADE, run
    before the AFTER triggers on both databases), and after it the row would look clean."""
    if conn.dialect.name == "postgresql":
        old = ";\n".join(_apply(kept, "OLD", "-", "postgresql"))
        new = ";\n".join(_apply(kept, "NEW", "+", "postgresql"))
        fresh = ";\n".join(_apply(kept, "NEW", "+", "postgresql", crossed=False))
        conn.exec_driver_sql(  # RETURN OLD: a BEFORE DELETE trigger returning NULL would keep the row
            f"CREATE OR REPLACE FUNCTION {name}_keep() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n"
            f"IF TG_OP IN ('UPDATE', 'DELETE') THEN\n{old};\nEND IF;\n"
            f"IF TG_OP = 'UPDATE' THEN\n{new};\nEND IF;\n"
            f"IF TG_OP = 'INSERT' THEN\n{fresh};\nEND IF;\nRETURN OLD;\nEND $$"
        )
        for trigger, when in (("keep", "AFTER INSERT OR UPDATE"), ("drop", "BEFORE DELETE")):
            conn.exec_driver_sql(
                f"CREATE TRIGGER {name}_{trigger} {when} ON reports FOR EACH ROW EXECUTE FUNCTION {name}_keep()"
            )
        return
    for event, rows in (("INSERT", ("NEW",)), ("DELETE", ("OLD",)), ("UPDATE", ("OLD", "NEW"))):
        signs = {"OLD": "-", "NEW": "+"}
        body = "".join(s + ";\n" for r in rows for s in _apply(kept, r, signs[r], "sqlite", event != "INSERT"))
        when = "BEFORE" if event == "DELETE" else "AFTER"
        conn.exec_driver_sql(f"CREATE TRIGGER {name}_{event.lower()} {when} {event} ON reports BEGIN\n{body}END")


def crossed(conn: Connection, sign: str) -> None:
    """Add (``+``) to the kept counts of reports by status, or take away (``-``), what the
    cross-report findings stored now change in them: around the replacement of every cross-report
    finding (:meth:`nianbao.store.db.Store.save_cross`), whose rows fire no trigger on ``reports``.
    One grouped pass over the current reports that a cross-report finding is about."""
    with_cross, own = _statuses("reports"), _statuses("reports", crossed=False)
    for table, key, _ in (KEPT[0], *PLACED):
        grp = _group(key("reports"))
        change = ", ".join(f"SUM({with_cross[c]}) - SUM({own[c]}) AS d_{c}" for c in own)
        sets = ", ".join(f"{c} = {c} {sign} d.d_{c}" for c in own)
        conn.exec_driver_sql(
            f"UPDATE {table.name} SET {sets} FROM (SELECT {grp} AS g, {change} FROM reports "
            "WHERE reports.is_current AND reports.id IN (SELECT report_id FROM cross_reports) "
            f"GROUP BY {grp}) AS d WHERE {table.name}.grp = d.g"
        )


def keep(conn: Connection) -> None:
    """Create the triggers that keep the kept tables, and fill them from the stored reports; and
    the indexes of the dashboard's rankings and the list's order when ``reports`` was made without them."""
    for index in (*RANKING_INDEXES, LIST_ORDER[conn.dialect.name]):
        index.create(conn, checkfirst=True)
    _triggers(conn, "report_totals", KEPT)
    _fill(conn, KEPT)


def keep_places(conn: Connection) -> None:
    """Create the triggers that keep ``place_totals``, and fill it from the stored reports; and the
    rankings' indexes a store made before them lacks (``place_totals`` came with the per-year ones)."""
    for index in RANKING_INDEXES:
        index.create(conn, checkfirst=True)
    prefix_indexes(conn)
    _triggers(conn, "place_totals", PLACED)
    _fill(conn, PLACED)


# region_path LIKE '/省/市/%' by index on PostgreSQL (SQLite's LIKE ignores case: none serves it);
# agency_names' with the agency's key, read alone for a region's agencies (not 20,000 heap rows)
PREFIX_INDEXES = {
    "ix_agency_names_region_path": "agency_names (region_path text_pattern_ops) INCLUDE (agency_key)",
    "ix_place_totals_place": "place_totals (place text_pattern_ops)",
}


def prefix_indexes(conn: Connection) -> None:
    """Create the :data:`PREFIX_INDEXES` a PostgreSQL store lacks."""
    if conn.dialect.name == "postgresql":
        for name, definition in PREFIX_INDEXES.items():
            conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def restate(conn: Connection) -> None:
    """The kept tables' triggers made anew and the tables filled anew from the stored reports, in
    a store whose triggers counted a report's status by its own findings only (schema version 9)."""
    for name, kept in (("report_totals", KEPT), ("place_totals", PLACED)):
        if not sa.inspect(conn).has_table(name):  # made later, with the triggers of today
            continue
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"DROP FUNCTION {name}_keep() CASCADE")
        else:
            for event in ("insert", "update", "delete"):
                conn.exec_driver_sql(f"DROP TRIGGER {name}_{event}")
        for table, *_ in kept:
            conn.execute(table.delete())
        _triggers(conn, name, kept)
        _fill(conn, kept)


def remake_places(conn: Connection) -> None:
    """Fill ``place_totals`` anew, after the agencies' region chains changed."""
    conn.execute(place_totals.delete())
    _fill(conn, PLACED)
