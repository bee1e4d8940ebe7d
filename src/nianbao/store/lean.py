"""Stored reports as lean as the cross-report rules (:mod:`nianbao.check.across`) allow.

The rules read a report's source file and sha256, agency, year, edition, published date, the
values of its table cells with their locations (a finding points at its first located cell) and
the text and location of the sections they compare. :func:`load_for_cross` rebuilds only those
from each stored JSON: the cells as :class:`Cells` (values and shared locations; no raw text,
note or confidence), no other section, heading, label or fact. At 10,000 reports that is an
eighth of the memory and under a third of the CPU time of
:meth:`nianbao.store.db.Store.load_reports` (docs/benchmarks.md), and the rules find exactly the
same."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, NamedTuple

from sqlalchemy.engine import Engine

from nianbao.model import Location, Report, Section, Value
from nianbao.render.json import flatten, location_from, report_head
from nianbao.store.db import documents_of, reading

ROWS_AT_ONCE = 500  # rows fetched at a time (a server-side cursor on PostgreSQL), not the whole store


def load_for_cross(engine: Engine, sections: Iterable[str], ids: Iterable[int] | None = None) -> list[Report]:
    """Stored reports, lean (module docstring), with only the ``sections`` the rules compare
    (:data:`nianbao.check.across.TEXT_SECTIONS`): ``ids`` (in id order), or every current one."""
    query = documents_of(ids).execution_options(yield_per=ROWS_AT_ONCE)
    shared = Shared({}, {})
    with reading(engine) as conn:
        return [_lean(d, tuple(sections), shared) for d in conn.execute(query).scalars()]


class Shared(NamedTuple):
    """What the reports of one load share: one index per list of cell paths (an edition's), one
    object per location (looked up by its fields, cheaper than hashing a Location)."""

    indexes: dict[tuple[str, ...], dict[str, int]]
    places: dict[tuple, Location | None]


class Cells(Mapping[str, Value]):
    """A report's table cells as two tuples, values and locations, over an index of their paths
    that the reports of an edition share; a :class:`Value` is built only when one is asked for."""

    __slots__ = ("index", "places", "values")

    def __init__(self, index: dict[str, int], values: tuple, places: tuple) -> None:
        self.index, self.values, self.places = index, values, places

    def __getitem__(self, path: str) -> Value:
        i = self.index[path]
        return Value(self.values[i], "", self.places[i])

    def get(self, path: str, default: Any = None) -> Any:  # Report.value's lookup: no KeyError raised
        i = self.index.get(path)
        return default if i is None else Value(self.values[i], "", self.places[i])

    def __iter__(self) -> Iterator[str]:
        return iter(self.index)

    def __len__(self) -> int:
        return len(self.index)


def _lean(d: dict[str, Any], sections: tuple[str, ...], shared: Shared) -> Report:
    prov = d.get("provenance", {})
    r = report_head(d)
    flat = [pv for table in ("table2", "table3", "table4") for pv in flatten(table, d.get(table, {}))]
    paths = tuple(p for p, _ in flat)
    if (index := shared.indexes.get(paths)) is None:
        index = shared.indexes[paths] = {sys.intern(p): i for i, p in enumerate(paths)}
    places = tuple(_location(prov.get(p), shared.places) for p in paths)
    r.cells = Cells(index, tuple(v for _, v in flat), places)  # type: ignore[assignment]
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
