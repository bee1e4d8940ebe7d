"""What the exports read for the selected reports: metadata, cells, findings and documents."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from nianbao.render.json import contract
from nianbao.store.db import reading
from nianbao.store.queries import Row, as_row, columns, conditions, diagnostic
from nianbao.store.schema import cells, cross_reports, diagnostics, documents, reports


def export_data(engine: Engine, with_documents: bool = True, **filters: Any) -> Row:
    """What the exports need for the selected reports: ``reports`` (metadata rows), ``cells``
    (report id → path → value), ``diagnostics`` (each with its report id; cross-report findings
    about a selected report included) and ``documents`` (the JSON of each, in the same order;
    empty unless ``with_documents`` — only the JSON export needs them)."""
    where = conditions(**filters)
    order = (reports.c.year.desc().nulls_last(), reports.c.agency, reports.c.id)
    with reading(engine) as conn:
        rows = [as_row(r) for r in conn.execute(sa.select(*columns()).where(*where).order_by(*order))]
        ids = [row["id"] for row in rows]
        chosen = sa.select(reports.c.id).where(*where)
        docs = []
        if with_documents:
            by_id = dict(
                conn.execute(
                    sa.select(documents.c.report_id, documents.c.document).where(documents.c.report_id.in_(chosen))
                ).all()
            )
            docs = [contract(by_id[i]) for i in ids]
        found = [
            diagnostic(d)
            for d in conn.execute(
                sa.select(diagnostics)
                .where(diagnostics.c.report_id.in_(chosen))
                .order_by(diagnostics.c.report_id, diagnostics.c.id)
            )
        ]
        linked = conn.execute(
            sa.select(cross_reports.c.report_id.label("linked"), *diagnostics.c)
            .join(diagnostics, cross_reports.c.diagnostic_id == diagnostics.c.id)
            .where(cross_reports.c.report_id.in_(chosen))
            .order_by(cross_reports.c.report_id, diagnostics.c.id)
        )
        found += [{**diagnostic(d), "report_id": d.linked} for d in linked]
        values: dict[int, dict[str, int | float | None]] = {i: {} for i in ids}
        for rid, path, value in conn.execute(
            sa.select(cells.c.report_id, cells.c.path, cells.c.value).where(cells.c.report_id.in_(chosen))
        ).all():
            values[rid][path] = value if value is None or not value.is_integer() else int(value)
    return {"reports": rows, "cells": values, "diagnostics": found, "documents": docs}
