"""The stored reports the analyses read: current versions only, with their headline totals
(kept on ``reports``) and, when asked, some of their cells."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from nianbao.store import agencies as identity
from nianbao.store.db import reading
from nianbao.store.queries import conditions, fits, report_cells
from nianbao.store.schema import agency_names, named_cells, reports
from nianbao.store.summary import SUMMARY

Row = dict[str, Any]
Visible = Callable[[Row], bool]  # whether the user may see a report (its region and agency): web.auth's scope
META = ("id", "agency", "agency_key", "region", "year", "edition")


def everything(row: Row) -> bool:
    return True


def current(
    engine: Engine,
    paths: Iterable[str] = (),
    region: str | None = None,
    agency: str | None = None,
    year: int | None = None,
    visible: Visible = everything,
) -> list[Row]:
    """Current reports, oldest year first (optionally of one region at any level, agency or year;
    only the ``visible`` ones): their metadata, ``canonical_key`` (one per agency, whatever name it
    printed), ``totals`` (headline total -> value) and ``cells`` (the ``paths`` asked for)."""
    identity.ensure(engine)
    names = agency_names
    q = (
        sa.select(*(reports.c[c] for c in META), *(reports.c[c] for c in SUMMARY), names.c.canonical_key)
        .select_from(reports.outerjoin(names, names.c.agency_key == reports.c.agency_key))
        .where(reports.c.is_current.is_(True))
    )
    if region:  # at any level: 北京市, 北京市西城区, 西城区 (the report list's own region filter)
        q = q.where(*conditions(region=region, current=False))
    if agency:  # any printed or canonical name of the agency, else a part of names (store.agencies)
        q = q.where(reports.c.agency_key.in_(identity.keys_of(agency)))
    if year is not None:
        q = q.where(reports.c.year == year) if fits(year) else q.where(sa.false())
    out: dict[int, Row] = {}
    with reading(engine) as conn:
        for r in conn.execute(q.order_by(reports.c.year, reports.c.id)):
            m = r._mapping
            row = {c: m[c] for c in META} | {"totals": {c: m[c] for c in SUMMARY}, "cells": {}}
            row["canonical_key"] = m["canonical_key"] or m["agency_key"] or m["agency"]  # one key per agency
            if visible(row):
                out[m["id"]] = row
        wanted = list(paths)
        if wanted and out:
            c = named_cells.c
            rows = sa.select(c.report_id, c.path, c.value).where(c.path.in_(wanted))
            for rid, path, value in conn.execute(rows):
                if rid in out:
                    out[rid]["cells"][path] = value
    return list(out.values())


def find(engine: Engine, agency: str, year: int | None = None, visible: Visible = everything) -> list[Row]:
    """The current ``visible`` reports of the agency ``agency`` names (a printed or canonical name,
    or a part of names that matches one agency only), of ``year`` or of every year, oldest first."""
    found = current(engine, agency=agency, year=year, visible=visible)
    if len({r["canonical_key"] for r in found}) != 1:
        return []
    return sorted(found, key=lambda r: (r["year"] is None, r["year"] or 0, r["id"]))


def agencies(engine: Engine, visible: Visible = everything) -> list[str]:
    """The names of the agencies with a current ``visible`` report (for the pickers)."""
    with reading(engine) as conn:
        q = sa.select(reports.c.agency, reports.c.region).where(
            reports.c.is_current.is_(True), reports.c.agency.is_not(None)
        )
        return sorted({a for a, region in conn.execute(q.distinct()) if visible({"agency": a, "region": region})})


def with_cells(engine: Engine, rows: list[Row]) -> list[Row]:
    """``rows`` with all their cells."""
    values = report_cells(engine, [r["id"] for r in rows])
    return [r | {"cells": values[r["id"]]} for r in rows]


def by_ids(engine: Engine, ids: Iterable[int], visible: Visible = everything) -> list[Row]:
    """Stored reports (any version) by id, in the order given; unknown or not ``visible`` ids are left out."""
    wanted = [i for i in dict.fromkeys(ids) if fits(i)]
    if not wanted:
        return []
    with reading(engine) as conn:
        q = sa.select(*(reports.c[c] for c in META), *(reports.c[c] for c in SUMMARY)).where(reports.c.id.in_(wanted))
        found = {
            r._mapping["id"]: {c: r._mapping[c] for c in META} | {"totals": {c: r._mapping[c] for c in SUMMARY}}
            for r in conn.execute(q)
        }
    return [found[i] for i in wanted if i in found and visible(found[i])]
