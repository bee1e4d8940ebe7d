"""An agency's reports, all years side by side, with the carry-over chain (四 of Y−1 vs 二 of Y)."""

from __future__ import annotations

from operator import itemgetter
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from sqlalchemy.engine import Engine

from nianbao.store import queries
from nianbao.store.summary import SUMMARY, summary_from_values
from nianbao.template import agencies, path_label
from nianbao.template.relations import AGENCY_ROWS, CARRYOVER, COL_LABEL
from nianbao.web.params import Db
from nianbao.web.respond import page

router = APIRouter()

# A row kept as a summary total is read from it: group totals (（三）不予公开 …) the template
# prints no row for are then the sum of their items.
_SUMMARY_OF = {paths[0]: col for col, paths in SUMMARY.items() if len(paths) == 1}


def values(cells: dict[str, Any]) -> list[Any]:
    """The AGENCY_ROWS of one report."""
    totals = summary_from_values(cells)
    return [totals[_SUMMARY_OF[p]] if p in _SUMMARY_OF else cells.get(p) for p in AGENCY_ROWS]


def _name(report: dict[str, Any]) -> str | None:
    """The agency a stored report belongs to: its canonical name (store.agencies), else as printed."""
    return report.get("canonical") or report.get("agency")


def chain(reports: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """For each pair of consecutive years: 四（结转下年度） of Y−1 against 二（上年结转） of Y, per column."""
    links = []
    for a, b in agencies.consecutive(reports, _name, itemgetter("year")):
        cols = []
        for col, forward, over in CARRYOVER:
            out, into = a["cells"].get(forward), b["cells"].get(over)
            cols.append(
                {
                    "column": COL_LABEL[col],
                    "prev_forward": out,
                    "carried_over": into,
                    "ok": out == into or None in (out, into),
                }
            )
        links.append({"from": a["year"], "to": b["year"], "columns": cols, "ok": all(c["ok"] for c in cols)})
    return links


def agency_context(db: Engine, agency_key: str) -> dict[str, Any]:
    reports = queries.agency_reports(db, agency_key)
    if not reports:
        raise HTTPException(404, f"没有机关“{agency_key}”的报告")
    columns = [values(r["cells"]) for r in reports]
    rows = [{"path": p, "label": path_label(p), "values": [c[i] for c in columns]} for i, p in enumerate(AGENCY_ROWS)]
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
