"""An agency's reports, all years side by side, with the carry-over chain (四 of Y−1 vs 二 of Y)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from sqlalchemy.engine import Engine

from nianbao.store import queries
from nianbao.store.summary import SUMMARY, summary_from_values
from nianbao.template import T3_COLUMNS, path_label, t4_paths
from nianbao.web.params import Db
from nianbao.web.respond import page

router = APIRouter()

# The rows an agency page compares across years: table 3's main rows (总计 column) and table 4's totals.
ROWS = (
    "table3.new_received.total",
    "table3.carried_over.total",
    "table3.granted.total",
    "table3.partially_granted.total",
    "table3.denied.total.total",
    "table3.unable.total.total",
    "table3.not_processed.total.total",
    "table3.other.total.total",
    "table3.total_processed.total",
    "table3.carried_forward.total",
    *(p for p in t4_paths() if p.endswith(".total")),
)

# A row kept as a summary total is read from it: group totals (（三）不予公开 …) the template
# prints no row for are then the sum of their items.
_SUMMARY_OF = {paths[0]: col for col, paths in SUMMARY.items() if len(paths) == 1}


def values(cells: dict[str, Any]) -> list[Any]:
    """The ROWS of one report."""
    totals = summary_from_values(cells)
    return [totals[_SUMMARY_OF[p]] if p in _SUMMARY_OF else cells.get(p) for p in ROWS]


def chain(reports: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """For each pair of consecutive years: 四（结转下年度） of Y−1 against 二（上年结转） of Y, per column."""
    by_year = {r["year"]: r["cells"] for r in reports if r.get("year") is not None}
    links = []
    for year in sorted(by_year):
        prev = by_year.get(year - 1)
        if prev is None:
            continue
        cols = []
        for c in T3_COLUMNS:
            out = prev.get(f"table3.carried_forward.{c.key}")
            into = by_year[year].get(f"table3.carried_over.{c.key}")
            cols.append(
                {"column": c.label, "prev_forward": out, "carried_over": into, "ok": out == into or None in (out, into)}
            )
        links.append({"from": year - 1, "to": year, "columns": cols, "ok": all(c["ok"] for c in cols)})
    return links


def agency_context(db: Engine, agency_key: str) -> dict[str, Any]:
    reports = queries.agency_reports(db, agency_key)
    if not reports:
        raise HTTPException(404, f"没有机关“{agency_key}”的报告")
    columns = [values(r["cells"]) for r in reports]
    rows = [{"path": p, "label": path_label(p), "values": [c[i] for c in columns]} for i, p in enumerate(ROWS)]
    return {
        "title": reports[-1].get("agency") or agency_key,
        "agency_key": agency_key,
        "reports": [{k: v for k, v in r.items() if k != "cells"} for r in reports],
        "rows": rows,
        "chain": chain(reports),
    }


@router.get("/agencies/{agency_key:path}", include_in_schema=False)
def agency_page(request: Request, agency_key: str, db: Db) -> Response:
    return page(request, "agency.html", agency_context(db, agency_key))


@router.get("/api/agencies/{agency_key:path}", summary="一个机关历年报告对照及结转链", tags=["机关"])
def agency_api(agency_key: str, db: Db) -> dict:
    return agency_context(db, agency_key)
