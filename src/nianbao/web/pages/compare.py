"""Two or more reports side by side in the template's layout (nianbao.analysis.compare)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response
from sqlalchemy.engine import Engine

from nianbao.analysis import compare as analysis
from nianbao.analysis.metrics import METRICS
from nianbao.analysis.stored import Row, Visible, agencies
from nianbao.store import queries
from nianbao.template.layout import grids
from nianbao.web.auth import current_user, in_scope
from nianbao.web.params import Db, numbers
from nianbao.web.respond import page

router = APIRouter()

Agencies = Annotated[list[str] | None, Query(description="机关全称（可多个）")]
Years = Annotated[list[str] | None, Query(description="年度（可多个）")]
Ids = Annotated[list[str] | None, Query(description="报告编号（可多个）")]
ONLY_ONE = "只找到一份报告：请再选一个年度或一个机关"


def visible(request: Request) -> Visible:
    """Whether the user may see a report: within the region the account is limited to (web.auth)."""
    scope = current_user(request).region

    def inside(row: Row) -> bool:
        return in_scope(scope, row["region"], row["agency"])

    return inside


def compare_context(
    db: Engine, agency: list[str], year: list[int], ids: list[int], base: str, only_diff: bool, seen: Visible
) -> dict[str, Any]:
    ctx: dict[str, Any] = {
        "title": "报告比较",
        "agency": agency,
        "year": year,
        "ids": ids,
        "base": base,
        "only_diff": only_diff,
        "problems": [],
        "result": None,
    }
    if not (agency or ids):
        return ctx
    rows, ctx["problems"] = analysis.pick(db, agency, year, ids, seen)
    if len(rows) >= 2:
        ctx["result"] = analysis.compare(db, rows, base)
    elif not ctx["problems"]:
        ctx["problems"] = [ONLY_ONE]
    return ctx


def _params(
    agency: list[str] | None, year: list[str] | None, id: list[str] | None, a: str | None, b: str | None
) -> tuple[list[str], list[int], list[int]]:
    names = [n.strip() for n in agency or [] if n.strip()]
    return names, numbers(year, "年度"), numbers([*(id or []), *(x for x in (a, b) if x)], "报告编号", beyond=404)


def _status(ctx: dict[str, Any]) -> int:
    """400 when one report only was found (a second must be chosen), 404 when a choice finds none."""
    if ctx["result"] is not None or not ctx["problems"]:
        return 200
    return 400 if ctx["problems"] == [ONLY_ONE] else 404


@router.get("/compare", include_in_schema=False)
def compare_page(
    request: Request,
    db: Db,
    agency: Agencies = None,
    year: Years = None,
    id: Ids = None,
    a: str | None = Query(None),
    b: str | None = Query(None),
    base: str = Query("first"),
    only_diff: bool = Query(False),
) -> Response:
    names, years, ids = _params(agency, year, id, a, b)
    ctx = compare_context(db, names, years, ids, base, only_diff, visible(request))
    html: dict[str, Any] = {
        "choices": agencies(db, visible(request)),
        "all_years": queries.years(db),
        "bases": analysis.BASES,
    }
    if ctx["result"]:
        result = ctx["result"]
        html["layout"] = grids(result["reports"][0]["edition"])
        html["by_path"] = {c["path"]: c for t in result["tables"] for c in t["cells"]}
        html["definitions"] = METRICS
    return page(request, "compare.html", ctx, status_code=_status(ctx), **html)


@router.get("/api/compare", summary="两份或多份报告逐格比较（按模板版式）", tags=["比较"])
def compare_api(
    request: Request,
    db: Db,
    agency: Agencies = None,
    year: Years = None,
    id: Ids = None,
    a: str | None = Query(None, description="报告编号（旧参数）"),
    b: str | None = Query(None, description="报告编号（旧参数）"),
    base: str = Query("first", description="first：与第一份比；previous：与前一份比"),
) -> dict:
    names, years, ids = _params(agency, year, id, a, b)
    ctx = compare_context(db, names, years, ids, base, False, visible(request))
    if ctx["result"] is None:
        raise HTTPException(
            _status(ctx) if ctx["problems"] else 400, "；".join(ctx["problems"]) or "请选择要比较的报告"
        )
    return ctx
