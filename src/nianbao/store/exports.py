"""What the exports read, streamed: the selected reports in batches (a server-side cursor over
``reports``, each batch's cells fetched by id) or their JSON documents (one streamed query),
their findings, and ``stream``, which feeds them to the writers of ``render.sheets`` and
``render.workbook``. Memory stays flat in the number of reports."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from nianbao.render.json import contract
from nianbao.render.sheets import DOCUMENT_STREAMS, STREAMS
from nianbao.render.workbook import write_xlsx
from nianbao.store import agencies as identity
from nianbao.store import review
from nianbao.store.corrections import corrected_values
from nianbao.store.db import reading
from nianbao.store.queries import Row, as_row, columns, diagnostic, number
from nianbao.store.schema import cross_reports, diagnostics, documents, named_cells, reports

BATCH = 500  # reports per round trip
DOCUMENT_BATCH = 100  # JSON documents (about 20 KB each as read, several times that as dicts)
CHUNK = 1 << 20  # bytes per piece of a streamed XLSX
ORDER = (reports.c.year.desc().nulls_last(), reports.c.agency, reports.c.id)


def _where(engine: Engine, ids: list[int] | None, filters: dict[str, Any]) -> list[sa.ColumnElement[bool]]:
    """The filters of the list (its review state too), or exactly these report ids (current or not)."""
    if ids is not None:
        return [reports.c.id.in_(ids)]
    identity.ensure(engine)  # the agency, region and search filters read the agency names
    return review.selection(engine, **filters)


def count(engine: Engine, ids: list[int] | None = None, **filters: Any) -> int:
    where = _where(engine, ids, filters)
    with reading(engine) as conn:
        return conn.execute(sa.select(sa.func.count()).where(*where)).scalar_one()


def export_reports(engine: Engine, ids: list[int] | None = None, batch: int = BATCH, **filters: Any) -> Iterator[Row]:
    """The selected reports, newest year first: the list's fields plus ``cells`` (path → value,
    a blank as None; a correction in force replaces the printed value) and ``corrected`` (the
    paths so replaced)."""
    where = _where(engine, ids, filters)
    with reading(engine) as conn:
        result = conn.execution_options(stream_results=True, yield_per=batch).execute(
            sa.select(*columns()).where(*where).order_by(*ORDER)
        )
        for part in result.partitions():
            rows = [as_row(r) for r in part]
            chosen = [r["id"] for r in rows]
            values: dict[int, dict[str, int | float | None]] = {i: {} for i in chosen}
            for rid, path, value in conn.execute(
                sa.select(named_cells.c.report_id, named_cells.c.path, named_cells.c.value).where(
                    named_cells.c.report_id.in_(chosen)
                )
            ):
                values[rid][path] = number(value)
            fixed = corrected_values(conn, chosen)
            for rid, cells_fixed in fixed.items():
                values[rid].update(cells_fixed)
            for r in rows:
                r["cells"] = values[r["id"]]
                r["corrected"] = sorted(fixed.get(r["id"], {}))
                yield r


def export_documents(engine: Engine, ids: list[int] | None = None, **filters: Any) -> Iterator[dict[str, Any]]:
    """The ``parse --format json`` object of each selected report, in the order of ``export_reports``:
    one streamed query, the documents alone (the JSON exports need nothing else)."""
    where = _where(engine, ids, filters)
    query = sa.select(documents.c.document).join(reports, reports.c.id == documents.c.report_id)
    with reading(engine) as conn:
        streamed = conn.execution_options(stream_results=True, yield_per=DOCUMENT_BATCH)
        for (document,) in streamed.execute(query.where(*where).order_by(*ORDER)):
            yield contract(document)


def export_findings(engine: Engine, ids: list[int] | None = None, **filters: Any) -> Iterator[Row]:
    """The findings about the selected reports, each with ``report_id``, ``agency`` and ``year``:
    each report's own, then the cross-report ones naming it (one row per report named)."""
    chosen = sa.select(reports.c.id).where(*_where(engine, ids, filters))
    who = (reports.c.agency, reports.c.year)
    own = (
        sa.select(*diagnostics.c, *who)
        .join(reports, reports.c.id == diagnostics.c.report_id)
        .where(diagnostics.c.report_id.in_(chosen))
        .order_by(diagnostics.c.report_id, diagnostics.c.id)
    )
    cross = (
        sa.select(cross_reports.c.report_id.label("linked"), *diagnostics.c, *who)
        .join(diagnostics, cross_reports.c.diagnostic_id == diagnostics.c.id)
        .join(reports, reports.c.id == cross_reports.c.report_id)
        .where(cross_reports.c.report_id.in_(chosen))
        .order_by(cross_reports.c.report_id, diagnostics.c.id)
    )
    with reading(engine) as conn:
        streamed = conn.execution_options(stream_results=True, yield_per=BATCH)
        for d in streamed.execute(own):
            yield diagnostic(d)
        for d in streamed.execute(cross):
            yield {**diagnostic(d), "report_id": d.linked}


def stream(engine: Engine, kind: str, ids: list[int] | None = None, **filters: Any) -> Iterator[bytes]:
    """The export ``kind`` (``render.sheets.KINDS``) of the selection, piece by piece. The XLSX is
    written to a temporary file first (a ZIP is only complete at its end), then read out."""
    if kind in DOCUMENT_STREAMS:
        yield from DOCUMENT_STREAMS[kind](export_documents(engine, ids, **filters))
        return
    if kind != "xlsx":
        yield from STREAMS[kind](export_reports(engine, ids, **filters))
        return
    fd, path = tempfile.mkstemp(prefix="nianbao-", suffix=".xlsx")
    try:
        with os.fdopen(fd, "wb") as out:
            write_xlsx(export_reports(engine, ids=ids, **filters), export_findings(engine, ids, **filters), out)
        with open(path, "rb") as f:
            while piece := f.read(CHUNK):
                yield piece
    finally:
        os.unlink(path)
