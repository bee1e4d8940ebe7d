"""The dashboard over whatever the filters select: applications per year, outcome mix, rates, rankings."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.engine import Engine

from nianbao.store.dashboard import dashboard
from nianbao.web.params import Db, Filters, Selected, choices
from nianbao.web.respond import page

router = APIRouter()


def dashboard_context(db: Engine, f: Filters) -> dict[str, Any]:
    return {
        "title": "仪表盘",
        "filters": f.as_dict(),
        "query": f.query(),
        "choices": choices(db),
        **dashboard(db, **f.as_dict()),
    }


@router.get("/dashboard", include_in_schema=False)
def dashboard_page(request: Request, f: Selected, db: Db) -> Response:
    return page(request, "dashboard.html", dashboard_context(db, f))


@router.get(
    "/api/dashboard",
    summary="所选报告的统计：历年申请量、办理结果构成、各项比率、机关排名、问题最多的报告",
    tags=["统计"],
)
def dashboard_api(f: Selected, db: Db) -> dict:
    return dashboard_context(db, f)
