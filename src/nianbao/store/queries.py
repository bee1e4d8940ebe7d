"""Read-only queries for the CLI, the web app and the exports; they return plain dicts and lists.

Filters shared by the list, the dashboard and the exports: ``region`` (at any level of the
agency's region: ``江苏省``, ``北京市西城区``, ``西城区``), ``agency`` (any printed or canonical
name of one agency — :mod:`nianbao.store.agencies` — or else a part of agencies' names),
``edition`` (exact), ``year``, ``status`` (``error``: at least one error; ``warning``: warnings
but no error; ``ok``: neither — counting the report's own findings and the cross-report ones
about it) and ``q`` (a part of the agency's name, any level of its region, or the file name;
traditional characters fold). Only current versions are listed unless ``current=False``."""

from __future__ import annotations

from operator import itemgetter
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from nianbao.render.json import contract, location_json, report_from_json
from nianbao.store import agencies as identity
from nianbao.store import search
from nianbao.store.db import reading
from nianbao.store.rows import agency_key
from nianbao.store.schema import cross_reports, diagnostics, documents, named_cells, reports
from nianbao.template import SECTIONS, agencies, cell_paths, derived_paths, edition, path_label

Row = dict[str, Any]
C = named_cells.c

# ids, years and offsets are stored as 32-bit integers (PostgreSQL ``integer``); a number outside
# matches nothing here instead of overflowing the driver (SQLite stops at 2⁶³, PostgreSQL at 2³¹)
INT_MAX = 2**31 - 1


def fits(n: int) -> bool:
    """Whether ``n`` can be compared with a stored id, year or count."""
    return -INT_MAX - 1 <= n <= INT_MAX


LIST_COLUMNS = (
    "id",
    "agency",
    "agency_key",
    "region",
    "year",
    "edition",
    "published",
    "source_file",
    "sha256",
    "format",
    "version",
    "is_current",
    "loaded_at",
    "n_errors",
    "n_warnings",
    "n_infos",
    "new_received_total",
    "total_processed_total",
)
STATUSES = ("error", "warning", "ok")
SORT_AT_MOST = 5_000  # a selection of at most so many reports is sorted, not read in the order of an index
CAP = 10_000  # the web list counts up to so many matches where no count is kept (then "10000+")
SORTS = ("year", "errors", "warnings", "agency")  # the list's orders: newest year, most errors, most warnings, name
_SECTION_ORDER = {s.key: i for i, s in enumerate(SECTIONS)}


def conditions(
    region: str | None = None,
    agency: str | None = None,
    year: int | None = None,
    edition: str | None = None,
    status: str | None = None,
    q: str | None = None,
    current: bool = True,
    scope: str | None = None,
) -> list[sa.ColumnElement[bool]]:
    """The WHERE terms of the filters (module docstring); ``scope`` is the region an account is
    limited to, matched as ``region`` is and AND'ed with it. ``region``, ``scope``, ``agency`` and
    ``q`` also read ``agency_names``: call :func:`nianbao.store.agencies.ensure` first for names
    stored since (without it the printed name, region and file name still match as written)."""
    r = reports.c
    out: list[sa.ColumnElement[bool]] = []
    if current:
        out.append(r.is_current.is_(True))
    for area in (region, scope):
        if area:
            out.append(sa.or_(r.region == area, r.agency_key.in_(identity.keys_in(area))))
    if agency:  # the printed name itself too, before agencies.ensure() has seen it; a name that folds to
        k = agency_key(agency)  # nothing (``"``, spaces) none, not the reports without a name (== None)
        out.append(sa.or_(r.agency_key == k, r.agency_key.in_(identity.keys_of(agency))) if k else sa.false())
    if year is not None:
        out.append(r.year == year if fits(year) else sa.false())
    if edition:
        out.append(r.edition == edition)
    if status:
        out.extend(status_terms(status))
    if q:  # by the database's search index (store/search.py), and the agencies' names and regions
        out.append(search.Matches(q, identity.keys_matching(q)))
    return out


def status_terms(status: str) -> list[sa.ColumnElement[bool]]:
    """The WHERE terms of the reports of ``status`` (module docstring): the one definition of a
    report's status, which the dashboard's kept counts follow too (store/aggregates.py)."""
    r = reports.c
    crossed = {s: cross_about(s) for s in ("error", "warning")}
    if status == "error":
        return [sa.or_(r.n_errors > 0, crossed["error"])]
    if status == "warning":  # negations as NOT EXISTS, which PostgreSQL runs as an anti-join
        return [r.n_errors <= 0, ~crossed["error"], sa.or_(r.n_warnings > 0, crossed["warning"])]
    if status == "ok":
        return [r.n_errors <= 0, ~crossed["error"], r.n_warnings <= 0, ~crossed["warning"]]
    raise ValueError(f"status 应为 {'/'.join(STATUSES)}，而不是 {status}")


def cross_about(severity: str, report: sa.ColumnElement = reports.c.id) -> sa.Exists:
    """Whether a cross-report finding of ``severity`` is about the report ``report`` (by default
    correlated with ``reports``)."""
    return sa.exists().where(
        cross_reports.c.report_id == report,
        diagnostics.c.id == cross_reports.c.diagnostic_id,
        diagnostics.c.severity == severity,
    )


def _cross_counts(ids: sa.Select | None = None) -> sa.Subquery:
    """Per report (of ``ids``, else all), its cross-report findings by severity (one grouped pass
    over ``cross_reports``)."""
    d = diagnostics.c

    def count(severity: str) -> sa.ColumnElement[int]:
        return sa.func.sum(sa.case((d.severity == severity, 1), else_=0))

    return (
        sa.select(
            cross_reports.c.report_id,
            count("error").label("e"),
            count("warning").label("w"),
            count("info").label("i"),
        )
        .join(diagnostics, d.id == cross_reports.c.diagnostic_id)
        .where(sa.true() if ids is None else cross_reports.c.report_id.in_(ids))
        .group_by(cross_reports.c.report_id)
        .subquery("cross_counts")
    )


def as_row(row: sa.Row) -> Row:
    d = {k: number(v) if isinstance(v, float) else v for k, v in row._mapping.items()}
    if d.get("loaded_at") is not None:
        d["loaded_at"] = d["loaded_at"].isoformat()
    if "n_errors" in d:
        d["status"] = "error" if d["n_errors"] else "warning" if d["n_warnings"] else "ok"
    return d


def columns(names: tuple[str, ...] = LIST_COLUMNS) -> list[sa.Column]:
    return [reports.c[n] for n in names]


def list_reports(
    engine: Engine,
    region: str | None = None,
    agency: str | None = None,
    year: int | None = None,
    edition: str | None = None,
    status: str | None = None,
    q: str | None = None,
    limit: int = 50,
    offset: int = 0,
    current: bool = True,
    sort: str = "year",
    review: str | None = None,
    scope: str | None = None,
    cap: int | None = None,
) -> tuple[list[Row], int]:
    """One page of reports and how many match in all. With ``cap``, a total that is not kept
    (``q``, ``status``, ``agency``, ``review``) is counted up to ``cap + 1`` reports only: a total
    above ``cap`` says "more than ``cap``" (a common search term matches 125,000 of a million
    reports; counting them all doubles the query; ``status="error"`` over filters a kept count
    answers is past the cap at once when the kept count of reports with errors of their own is).
    Each row counts the report's findings its
    own (``n_errors`` …), about it across reports (``n_cross_errors`` …) and both (``errors``,
    ``warnings``, ``infos``, and ``status`` from these); ``canonical`` names its agency.
    ``sort``: ``year`` (newest first, then agency), ``errors`` or ``warnings`` (most first),
    ``agency`` (canonical name, then newest year). ``review`` (a review state, 待核实 …) keeps the
    reports with at least one finding in that state; ``review`` on each row counts its findings
    by state (:mod:`nianbao.store.review`)."""
    from nianbao.store import aggregates  # they import this module
    from nianbao.store import review as reviewed

    if sort not in SORTS:
        raise ValueError(f"sort 应为 {'/'.join(SORTS)}，而不是 {sort}")
    identity.ensure(engine)
    filters = dict(region=region, agency=agency, year=year, edition=edition, status=status, q=q, scope=scope)
    where = reviewed.selection(engine, review, current=current, **filters)
    if q:
        with reading(engine) as conn:
            where = search.fetched(conn, where)
    parts = search.arms(where, engine.dialect.name)
    kept = total_kept(review, current=current, **filters)
    if kept:
        counts = [aggregates.count(**filters)]
    elif cap is None:
        counts = [sa.select(sa.func.count()).select_from(reports).where(*where)]
    else:  # the first cap + 1 matches only: of the first arm, and only when it has fewer, of the union
        counts = [_counted(parts[:k], min(cap + 1, INT_MAX)) for k in dict.fromkeys((1, len(parts)))]
        if status == "error" and total_kept(review, current=current, **{**filters, "status": None}):
            # the kept count of the reports with errors (their own or cross-report ones): this selection's
            counts.insert(0, aggregates.count("with_errors", **filters))
    r, n = reports.c, identity.N
    newest = (r.year.desc().nulls_last(), r.agency, r.id)
    with reading(engine) as conn:
        for counted in counts:
            total = conn.execute(counted).scalar_one()
            if cap is not None and total > cap and not kept:  # more than the cap in a part: in the whole too
                total = cap + 1
                break
        if sort == "year":  # the page is chosen on reports alone; counts and names are joined to its rows only
            # few reports (a county, a city's year) are gathered through the filters' indexes and
            # sorted (the order by an expression no index has); many, by walking ix_reports_list_order
            by = (((r.year + 0).desc().nulls_last(), r.agency, r.id)) if total <= SORT_AT_MOST else newest
            page_ids = _page_ids(parts, by, limit, offset)
            # its ids first, by themselves: nested in the page's query, SQLite would walk the list's
            # index past every report of the year instead of reading a region's through its indexes
            where, limit, offset = [r.id.in_(conn.execute(page_ids).scalars().all())], INT_MAX, 0
        cross = _cross_counts(sa.select(r.id).where(*where))
        cx = cross.c
        total_of = {s: r[f"n_{s}s"] + sa.func.coalesce(cx[s[0]], 0) for s in ("error", "warning", "info")}
        order = {
            "year": newest,
            "errors": (total_of["error"].desc(), total_of["warning"].desc(), *newest),
            "warnings": (total_of["warning"].desc(), total_of["error"].desc(), *newest),
            "agency": (n.canonical.nulls_last(), *newest),
        }[sort]
        page = (
            sa.select(
                *columns(),
                *(sa.func.coalesce(cx[s[0]], 0).label(f"n_cross_{s}s") for s in total_of),
                *(t.label(f"{s}s") for s, t in total_of.items()),
                n.canonical,
                n.region_path,
            )
            .select_from(
                reports.outerjoin(cross, cx.report_id == r.id).outerjoin(
                    identity.agency_names, n.agency_key == r.agency_key
                )
            )
            .where(*where)
            .order_by(*order)
            .limit(min(limit, INT_MAX))
            .offset(min(offset, INT_MAX))
        )
        rows = [_listed(as_row(x)) for x in conn.execute(page)]
    states = reviewed.state_counts(engine, [r["id"] for r in rows])
    for r in rows:
        r["review"] = states[r["id"]]
    return rows, total


def total_kept(review: str | None = None, **filters: Any) -> bool:
    """Whether :func:`list_reports` reads the total of these filters from a kept count (exact
    however large, never capped): no ``review``, and filters the kept sums answer."""
    from nianbao.store import aggregates  # it imports this module

    return review is None and aggregates.answers(filters)


def _counted(parts: list[list], n: int) -> sa.Select:
    """How many reports the union of the selections ``parts`` (:func:`nianbao.store.search.arms`)
    has, up to ``n``: ``n`` of each, united."""
    arms = [sa.select(reports.c.id).where(*w).limit(n) for w in parts]
    first = arms[0] if len(arms) == 1 else _united(arms).limit(n)
    return sa.select(sa.func.count()).select_from(first.subquery())


def _page_ids(parts: list[list], by: tuple, limit: int, offset: int) -> sa.Select:
    """The ids of a page, in the order ``by`` (the list's, by year), of the union of the selections
    ``parts``: with several, each one's first reports up to the page's end, then merged."""
    r = reports.c
    if len(parts) == 1:
        return sa.select(r.id).where(*parts[0]).order_by(*by).limit(min(limit, INT_MAX)).offset(min(offset, INT_MAX))
    end = min(limit + offset, INT_MAX)
    u = _united([sa.select(r.id, r.year, r.agency).where(*w).order_by(*by).limit(end) for w in parts]).subquery().c
    return (
        sa.select(u.id)
        .order_by(u.year.desc().nulls_last(), u.agency, u.id)
        .limit(min(limit, INT_MAX))
        .offset(min(offset, INT_MAX))
    )


def _united(selects: list[sa.Select]) -> sa.CompoundSelect:
    """The ``UNION`` of ``selects``, each read from a subquery of its own (SQLite allows no
    ``ORDER BY`` or ``LIMIT`` on a member of a ``UNION``)."""
    return sa.union(*(sa.select(*s.subquery().c) for s in selects))


def gathered(conn: sa.Connection, where: list, region: str | None, scope: str | None) -> list:
    """``where`` of a few reports of ``region`` (else ``scope``) as their ids, gathered through the
    indexes of the printed region and of the agency (under one OR PostgreSQL reads every report)."""
    area = region or scope
    if not area:
        return where
    r = reports.c
    by_region = sa.select(r.id).where(*where, r.region == area)
    by_agency = sa.select(r.id).where(*where, r.agency_key.in_(identity.keys_in(area)))
    return [r.id.in_(conn.execute(sa.union(by_region, by_agency)).scalars().all())]


def _listed(row: Row) -> Row:
    """A list row whose status counts every finding, and whose region is a chain of levels."""
    row["status"] = "error" if row["errors"] else "warning" if row["warnings"] else "ok"
    path = row.pop("region_path") or ""
    row["region_chain"] = path.strip("/").split("/") if path else []
    return row


def get_report(engine: Engine, report_id: int) -> Row | None:
    """Everything about one stored report, or None: ``report`` (metadata), ``document`` (the
    ``parse --format json`` object), ``cells`` (path → value, raw text, location, note),
    ``diagnostics`` (its own findings), ``cross`` (cross-report findings about it),
    ``sections`` and ``versions`` (every stored version for its agency and year)."""
    if not fits(report_id):
        return None
    with reading(engine) as conn:
        head = conn.execute(sa.select(*columns()).where(reports.c.id == report_id)).first()
        if head is None:
            return None
        report = as_row(head)
        document = conn.execute(sa.select(documents.c.document).where(documents.c.report_id == report_id)).scalar()
        read = report_from_json(document)  # where each cell and section was printed is in the JSON
        cell_map = {
            path: {
                "value": number(None if c.value is None else float(c.value)),
                "raw": c.raw,
                "location": location_json(c.location),
                "note": c.note,
                "derived": c.derived,
            }
            for path, c in read.cells.items()
        }
        own = conn.execute(
            sa.select(diagnostics).where(diagnostics.c.report_id == report_id).order_by(diagnostics.c.id)
        )
        cross = conn.execute(
            sa.select(diagnostics)
            .join(cross_reports, cross_reports.c.diagnostic_id == diagnostics.c.id)
            .where(cross_reports.c.report_id == report_id)
            .order_by(diagnostics.c.id)
        )
        return {
            "report": report,
            "document": contract(document),
            "cells": cell_map,
            "diagnostics": [diagnostic(d) for d in own],
            "cross": [diagnostic(d) for d in cross],
            "sections": [
                {"key": s.key, "heading": s.heading, "text": s.text, "location": location_json(s.location)}
                for s in sorted(read.sections.values(), key=lambda s: _SECTION_ORDER.get(s.key, 99))
            ],
            "versions": _versions(conn, report),
        }


def _versions(conn: sa.Connection, report: Row) -> list[Row]:
    if report["agency_key"] is None or report["year"] is None:
        return [{k: report[k] for k in ("id", "version", "is_current", "loaded_at", "sha256", "source_file")}]
    cols = columns(("id", "version", "is_current", "loaded_at", "sha256", "source_file"))
    rows = conn.execute(
        sa.select(*cols)
        .where(reports.c.agency_key == report["agency_key"], reports.c.year == report["year"])
        .order_by(reports.c.version)
    )
    return [as_row(r) for r in rows]


def diagnostic(row: sa.Row) -> Row:
    d = dict(row._mapping)
    d.pop("id", None)
    d.pop("linked", None)
    return d


def number(v: float | None) -> int | float | None:
    return int(v) if v is not None and float(v).is_integer() else v


def report_cells(engine: Engine, report_ids: list[int]) -> dict[int, dict[str, int | float | None]]:
    """Cell values of several reports: report id → path → value."""
    out: dict[int, dict[str, int | float | None]] = {i: {} for i in report_ids}
    if not report_ids:
        return out
    with reading(engine) as conn:
        for rid, path, value in conn.execute(
            sa.select(C.report_id, C.path, C.value).where(C.report_id.in_(report_ids))
        ):
            out[rid][path] = number(value)
    return out


def agency_reports(engine: Engine, agency: str) -> list[Row]:
    """The current report of each year for one agency (any of its printed or canonical names or
    keys; never a part of a name: callers ask whether a report is this agency's), oldest first,
    with its cells, ``canonical`` name and the carry-over chain: ``carryover`` compares
    二、上年结转 with the previous year's 四、结转下年度."""
    identity.ensure(engine)
    n = identity.N
    with reading(engine) as conn:
        rows = [
            as_row(r)
            for r in conn.execute(
                sa.select(*columns(), reports.c.carried_over_total, reports.c.carried_forward_total, n.canonical)
                .join(identity.agency_names, n.agency_key == reports.c.agency_key)
                .where(n.agency_key.in_(identity.keys_of(agency, partial=False)), reports.c.is_current.is_(True))
                .order_by(reports.c.year, reports.c.id)
            )
        ]
    values = report_cells(engine, [r["id"] for r in rows])
    pairs = agencies.consecutive(rows, itemgetter("canonical"), itemgetter("year"))
    before = {cur["id"]: last for last, cur in pairs}
    prev: Row | None = None
    for r in rows:
        r["cells"] = values[r["id"]]
        expected = before[r["id"]]["carried_forward_total"] if r["id"] in before else None
        actual = r["carried_over_total"]
        r["carryover"] = {
            "previous_year": prev["year"] if prev else None,
            "expected": number(expected),
            "actual": number(actual),
            "ok": None if expected is None or actual is None else expected == actual,
        }
        prev = r
    return rows


def compare(engine: Engine, id_a: int, id_b: int) -> list[Row] | None:
    """Two reports cell by cell in template order: path, Chinese label, both values, whether they differ."""
    if not (fits(id_a) and fits(id_b)):
        return None
    with reading(engine) as conn:
        eds = dict(conn.execute(sa.select(reports.c.id, reports.c.edition).where(reports.c.id.in_([id_a, id_b]))).all())
    if id_a not in eds or id_b not in eds:
        return None
    values = report_cells(engine, [id_a, id_b])
    order: list[str] = []
    for ed_name in dict.fromkeys((eds[id_a], eds[id_b])):
        ed = edition(ed_name)
        order += cell_paths(ed) + derived_paths(ed)
    order += sorted(set(values[id_a]) | set(values[id_b]))
    a, b = values[id_a], values[id_b]
    return [
        {"path": p, "label": path_label(p), "a": a.get(p), "b": b.get(p), "differs": a.get(p) != b.get(p)}
        for p in dict.fromkeys(order)
        if p in a or p in b
    ]


def regions(engine: Engine) -> list[Row]:
    """The regions of the current reports' agencies as a tree, every level (省 › 市 › 区县 ›
    乡镇街道) in order: ``{"value": "北京市西城区", "name": "西城区", "depth": 1, "chain": [...]}``."""
    return identity.region_tree(engine)


def years(engine: Engine) -> list[int]:
    """Report years of the current reports, newest first."""
    with reading(engine) as conn:
        q = sa.select(reports.c.year).where(reports.c.is_current.is_(True), reports.c.year.is_not(None)).distinct()
        return sorted(conn.execute(q).scalars(), reverse=True)


def editions(engine: Engine) -> list[str]:
    """Editions of the current reports."""
    with reading(engine) as conn:
        q = (
            sa.select(reports.c.edition)
            .where(reports.c.is_current.is_(True), reports.c.edition.is_not(None))
            .distinct()
        )
        return sorted(conn.execute(q).scalars())


def cross_findings(engine: Engine) -> list[Row]:
    """Every cross-report finding with the ids of the reports it is about."""
    with reading(engine) as conn:
        links: dict[int, list[int]] = {}
        for did, rid in conn.execute(sa.select(cross_reports.c.diagnostic_id, cross_reports.c.report_id)):
            links.setdefault(did, []).append(rid)
        rows = conn.execute(sa.select(diagnostics).where(diagnostics.c.report_id.is_(None)).order_by(diagnostics.c.id))
        return [{**diagnostic(d), "report_ids": sorted(links.get(d.id, []))} for d in rows]
