"""Stored reports as lean as the cross-report rules (:mod:`nianbao.check.across`) allow.

The rules read a report's source file and sha256, agency, year, edition, published date, the
values of its table cells with their locations (a finding points at its first located cell) and
the text and location of the sections they compare. :func:`load_for_cross` rebuilds only those
from each stored JSON: no raw text, notes or confidence of a cell, no cell that has neither a
value nor a location, no other section, heading, label or fact. At 10,000 reports that is a
fraction of the memory and CPU time of :meth:`nianbao.store.db.Store.load_reports`, and the
rules find exactly the same."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from nianbao.model import Location, Report, Section, Source, Value
from nianbao.render.json import _flatten, location_from
from nianbao.store.db import reading
from nianbao.store.schema import documents, reports

ROWS_AT_ONCE = 500  # rows fetched at a time (a server-side cursor on PostgreSQL), not the whole store


def load_for_cross(engine: Engine, sections: Iterable[str], ids: Iterable[int] | None = None) -> list[Report]:
    """Stored reports, lean (module docstring), with only the ``sections`` the rules compare
    (:data:`nianbao.check.across.TEXT_SECTIONS`): ``ids`` (in id order), or every current one."""
    where = reports.c.is_current if ids is None else reports.c.id.in_(list(ids))
    query = (
        sa.select(documents.c.document)
        .join(reports, reports.c.id == documents.c.report_id)
        .where(where)
        .order_by(reports.c.id)
        .execution_options(yield_per=ROWS_AT_ONCE)
    )
    places: dict[tuple, Location | None] = {}  # one object for a location many reports share
    with reading(engine) as conn:
        return [_lean(d, tuple(sections), places) for d in conn.execute(query).scalars()]


def _lean(d: dict[str, Any], sections: tuple[str, ...], places: dict[tuple, Location | None]) -> Report:
    prov = d.get("provenance", {})
    r = Report(Source(d["file"], d["sha256"], d["format"]))
    r.agency, r.region, r.year, r.edition, r.published = (
        d["agency"],
        d["region"],
        d["year"],
        d["edition"],
        d["published"],
    )
    for table in ("table2", "table3", "table4"):
        for path, value in _flatten(table, d.get(table, {})):
            loc = _location(prov.get(path), places)
            if value is not None or loc is not None:
                r.cells[sys.intern(path)] = Value(value, "", loc)
    det = d.get("detail", {}).get("sections", {})
    for k in sections:
        if (text := d.get("sections", {}).get(k)) is not None:
            r.sections[k] = Section(k, "", text, location_from(det.get(k, {}).get("location")))
    return r


def _location(p: dict[str, Any] | None, places: dict[tuple, Location | None]) -> Location | None:
    """:func:`~nianbao.render.json.location_from` of a cell's provenance, built once for all the
    cells that share it (looked up by its fields, cheaper than hashing a Location)."""
    if p is None:
        return None
    bbox = p.get("bbox")
    fields = (p.get("line"), p.get("page"), p.get("table"), p.get("row"), p.get("col"), tuple(bbox) if bbox else None)
    if fields not in places:
        places[fields] = location_from(p)
    return places[fields]
