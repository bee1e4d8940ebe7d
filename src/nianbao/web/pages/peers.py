"""Peer groups: where an agency stands among agencies of its level and kind, its 异常波动, and
the editable rules that form the groups (nianbao.analysis.peers and .groups)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.engine import Engine

from nianbao.analysis import groups
from nianbao.analysis.metrics import METRICS
from nianbao.analysis.peers import MIN_CASES, MIN_PEERS, by_year, jumps, peers
from nianbao.analysis.stored import Visible, agencies, find
from nianbao.store import queries
from nianbao.web.auth import User, require
from nianbao.web.pages.compare import visible
from nianbao.web.params import Db, numbers
from nianbao.web.respond import page

router = APIRouter()


def peers_context(db: Engine, agency: str, year: int | None, seen: Visible) -> dict[str, Any]:
    ctx: dict[str, Any] = {"title": "同类比较", "agency": agency, "year": year, "result": None, "problem": None}
    ctx["rules"] = [r.as_dict() for r in groups.load(db)]
    if not agency:
        return ctx
    if year is None:  # the agency's latest year
        year = ctx["year"] = max((r["year"] for r in find(db, agency, visible=seen) if r["year"]), default=None)
    if year is None:
        ctx["problem"] = f"没有找到“{agency}”的报告（请填机关全称，或能唯一确定机关的部分名称）"
        return ctx
    ctx["result"] = peers(db, agency, year, seen)
    if ctx["result"] is None:
        ctx["problem"] = f"没有找到“{agency}”{year} 年度的报告（请填机关全称，或能唯一确定机关的部分名称）"
    return ctx


def _year(year: str | None) -> int | None:
    got = numbers([year or ""], "年度")
    return got[0] if got else None


@router.get("/peers", include_in_schema=False)
def peers_page(request: Request, db: Db, agency: str = Query(""), year: str | None = Query(None)) -> Response:
    ctx = peers_context(db, agency.strip(), _year(year), visible(request))
    html = {
        "choices": agencies(db, visible(request)),
        "all_years": queries.years(db),
        "definitions": METRICS,
        "dimensions": groups.DIMENSIONS,
        "MIN_PEERS": MIN_PEERS,
        "MIN_CASES": MIN_CASES,
        "saved": request.query_params.get("saved"),
    }
    return page(request, "peers.html", ctx, status_code=404 if ctx["problem"] and agency else 200, **html)


@router.post("/peers/rules", include_in_schema=False)
async def save_rules(request: Request, db: Db, user: Annotated[User, Depends(require("管理"))]) -> Response:
    form = await request.form()
    if form.get("reset"):
        rules: list[groups.Rule] = []
    else:
        rows = zip(form.getlist("dimension"), form.getlist("pattern"), form.getlist("value"), strict=False)
        rules = [groups.Rule(str(d), str(p), str(v)) for d, p, v in rows if str(p).strip() or str(v).strip()]
    try:
        groups.save(db, rules)
    except groups.RuleError as e:
        ctx = peers_context(db, "", None, visible(request))
        html = {
            "choices": agencies(db, visible(request)),
            "all_years": queries.years(db),
            "dimensions": groups.DIMENSIONS,
        }
        return page(request, "peers.html", ctx | {"problem": str(e)}, status_code=400, **html)
    return RedirectResponse("/peers?saved=1#rules", status_code=303)


@router.get("/api/peers", summary="同类机关中的位置（P25/P50/P75、名次）与异常波动", tags=["比较"])
def peers_api(
    request: Request,
    db: Db,
    agency: str = Query(..., description="机关全称"),
    year: str = Query(..., description="年度"),
) -> dict:
    got = _year(year)
    if got is None:
        raise HTTPException(400, "请给出年度，如 2024")
    ctx = peers_context(db, agency.strip(), got, visible(request))
    if ctx["problem"]:
        raise HTTPException(404, ctx["problem"])
    return ctx


@router.get("/api/peers/rules", summary="同类分组规则（层级、类别）", tags=["比较"])
def rules_api(db: Db) -> list[dict]:
    return [r.as_dict() for r in groups.load(db)]


@router.get("/peers/jumps", include_in_schema=False)
def jumps_fragment(request: Request, db: Db, agency: str = Query("")) -> Response:
    """The agency's 异常波动 of every year, as a block another page (the agency page) loads."""
    every = by_year(db, agency.strip(), visible(request)) if agency.strip() else []
    flags = [{"year": p["year"], **j} for p in every for j in p["jumps"]]
    ctx = {"agency": agency.strip(), "jumps": flags, "tested": any(p["basis"]["tested"] for p in every)}
    return page(request, "_jumps.html", ctx, definitions=METRICS)


@router.get("/api/peers/jumps", summary="一个机关历年的异常波动", tags=["比较"])
def jumps_api(request: Request, db: Db, agency: str = Query(..., description="机关全称")) -> list[dict]:
    return jumps(db, agency.strip(), visible(request))
