"""The dashboard over whatever the filters select: how many reports and which years every figure
covers, applications per year, coverage per year and region, outcome mix, rates, findings by
severity, rankings within one year; each chart links to the reports behind it (``dashboard.js``)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy.engine import Engine

from nianbao.store.dashboard import dashboard
from nianbao.store.queries import fits
from nianbao.web.params import Db, Filters, Selected, choices
from nianbao.web.respond import page

router = APIRouter()


def years_text(years: list[int | None]) -> str:
    """``[2021, 2022, 2024, None]`` → ``2021、2022、2024 年及年度不明``; a run of three or more as ``2021–2024``."""
    known = sorted(y for y in years if y is not None)
    runs: list[list[int]] = []
    for y in known:
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    parts = [f"{r[0]}–{r[-1]}" if len(r) > 2 else "、".join(map(str, r)) for r in runs]
    text = "、".join(parts) + " 年" if parts else ""
    if None in years:
        text += "及年度不明" if text else "年度不明"
    return text


def dashboard_context(db: Engine, f: Filters, rank_year: int | None = None) -> dict[str, Any]:
    figures = dashboard(db, rank_year=rank_year, **f.as_dict())
    return {
        "title": "仪表盘",
        "filters": f.as_dict(),
        "query": f.query(),
        "choices": choices(db),
        "years_text": years_text(figures["years"]),
        **figures,
    }


RankYear = Query(None, description="机关排名的年度（默认所选报告中最近的年度）")


def _year(v: str | None) -> int | None:
    v = (v or "").strip()
    return int(v) if v.isascii() and v.isdigit() and len(v) <= 10 and fits(int(v)) else None


@router.get("/dashboard", include_in_schema=False)
def dashboard_page(request: Request, f: Selected, db: Db, rank_year: str | None = RankYear) -> Response:
    return page(request, "dashboard.html", dashboard_context(db, f, _year(rank_year)))


@router.get(
    "/api/dashboard",
    summary="所选报告的统计：每项都注明涵盖的报告数与年度；历年申请量、各年各地区报告数、办理结果构成、"
    "各项比率、核对结果按严重程度、某一年度的机关排名、错误最多与警告最多的报告",
    tags=["统计"],
)
def dashboard_api(f: Selected, db: Db, rank_year: str | None = RankYear) -> dict:
    return dashboard_context(db, f, _year(rank_year))
