"""The agencies: their list (canonical name, region, printed names), one agency's reports, all
years side by side, with the carry-over chain (四 of Y−1 vs 二 of Y), and merging or splitting
names by hand (a form POST answered by a redirect, or JSON under ``/api/``; 管理 role)."""

from __future__ import annotations

from operator import itemgetter
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.engine import Engine

from nianbao.store import agencies as identity
from nianbao.store import queries
from nianbao.store.summary import SUMMARY, summary_from_values
from nianbao.template import agencies, path_label
from nianbao.template.relations import AGENCY_ROWS, CARRYOVER, COL_LABEL
from nianbao.web.auth import User, require
from nianbao.web.params import Db, forget_choices
from nianbao.web.respond import page

router = APIRouter()
Manager = Annotated[User, Depends(require("管理"))]  # merging agencies is the 管理 role's (docs/web.md#accounts)
Name = Annotated[str, Form(description="机关名称：库中任一写法或规范名称")]

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
    names = identity.aliases(db, reports[-1]["agency_key"])
    return {
        "title": reports[-1]["canonical"],
        "agency_key": agency_key,
        "canonical_key": names[0]["canonical_key"],
        "region": [p for p in names[0]["region_path"].split("/") if p],
        "names": [{"name": n["name"], "manual": n["manual"]} for n in names],
        "candidates": sorted({c for n in names for c in n["candidates"]}),
        "reports": [{k: v for k, v in r.items() if k != "cells"} for r in reports],
        "rows": rows,
        "chain": chain(reports),
    }


def list_context(db: Engine, q: str | None) -> dict[str, Any]:
    found = identity.listing(db, (q or "").strip() or None)
    return {"title": "机关一览", "q": q or "", "agencies": found, "total": len(found)}


@router.get("/agencies", include_in_schema=False)
def agencies_page(request: Request, db: Db, q: str | None = None) -> Response:
    return page(request, "agencies.html", list_context(db, q))


@router.get("/api/agencies", summary="机关一览：规范名称、地区、库中各种写法、报告份数与年度", tags=["机关"])
def agencies_api(db: Db, q: str | None = Query(None, description="名称或地区（任一级）中的词")) -> dict:
    return list_context(db, q)


def _done(request: Request, db: Engine, canonical: str) -> Response:
    forget_choices(db)
    if request.url.path.startswith("/api/"):
        return JSONResponse({"canonical": canonical, "names": identity.aliases(db, canonical)})
    return RedirectResponse("/agencies/" + quote(canonical), status_code=303)


def _refused(e: identity.AgencyError) -> HTTPException:
    return HTTPException(400, str(e))


@router.post("/agencies/merge", include_in_schema=False)
@router.post("/api/agencies/merge", summary="合并机关：name 的全部写法并入 into", tags=["机关"])
def merge(request: Request, db: Db, user: Manager, name: Name, into: Name) -> Response:
    try:
        return _done(request, db, identity.merge(db, name, into, user.name))
    except identity.AgencyError as e:
        raise _refused(e) from e


@router.post("/agencies/split", include_in_schema=False)
@router.post("/api/agencies/split", summary="拆分机关：把一种写法拆出，单独成为机关", tags=["机关"])
def split(request: Request, db: Db, user: Manager, name: Name) -> Response:
    try:
        return _done(request, db, identity.split(db, name, user.name))
    except identity.AgencyError as e:
        raise _refused(e) from e


@router.get("/agencies/{agency_key:path}", include_in_schema=False)
def agency_page(request: Request, agency_key: str, db: Db) -> Response:
    return page(request, "agency.html", agency_context(db, agency_key))


@router.get("/api/agencies/{agency_key:path}", summary="一个机关历年报告对照及结转链", tags=["机关"])
def agency_api(agency_key: str, db: Db) -> dict:
    return agency_context(db, agency_key)
