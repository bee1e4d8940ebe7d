"""One cell or metric: rows agencies, columns years, a sparkline per row (nianbao.analysis.matrix)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from nianbao.analysis.matrix import UnknownKey, cell_choices, export, matrix
from nianbao.analysis.metrics import METRICS
from nianbao.render.sheets import MEDIA_TYPES
from nianbao.store import queries
from nianbao.web.auth import current_user, in_scope
from nianbao.web.pages.compare import visible
from nianbao.web.params import Db
from nianbao.web.respond import page

router = APIRouter()

SPARK_W, SPARK_H = 96, 22
DEFAULT = "new_received_total"
FORMATS = ("html", "json", "csv", "xlsx")  # ?format= of the page


def sparkline(values: list[float | None]) -> list[tuple[float, float]]:
    """(x, y) points of the known values in a SPARK_W × SPARK_H box (years evenly spaced)."""
    known = [(i, v) for i, v in enumerate(values) if v is not None]
    if not known:
        return []
    lo, hi = min(v for _, v in known), max(v for _, v in known)
    step = SPARK_W / max(len(values) - 1, 1)
    span = (hi - lo) or 1
    return [(round(i * step, 1), round(SPARK_H - 2 - (v - lo) / span * (SPARK_H - 4), 1)) for i, v in known]


def _export(result: dict[str, Any], fmt: str) -> Response:
    name = quote(f"矩阵-{result['name']}.{fmt}")
    disposition = {"Content-Disposition": f"attachment; filename*=UTF-8''{name}"}
    return Response(export(result, fmt), media_type=MEDIA_TYPES[fmt], headers=disposition)


def _matrix(request: Request, db: Db, key: str, region: str | None, sort: str, order: str) -> dict[str, Any]:
    try:
        return matrix(db, key, (region or "").strip() or None, sort, order == "desc", visible(request))
    except UnknownKey as e:
        raise HTTPException(400, str(e)) from None


@router.get("/matrix", include_in_schema=False)
def matrix_page(
    request: Request,
    db: Db,
    key: str = Query(DEFAULT),
    region: str | None = Query(None),
    sort: str = Query("agency"),
    order: str = Query("asc"),
    format: str | None = Query(None),
) -> Response:
    if format not in (None, "", *FORMATS):
        raise HTTPException(400, f"不支持的格式：{format[:20]}（可用 {'、'.join(FORMATS)}）")
    result = _matrix(request, db, key, region, sort, order)
    if format in ("csv", "xlsx"):
        return _export(result, format)
    ctx = {"title": f"指标矩阵：{result['name']}", **result}
    html = {
        "metrics": METRICS,
        "cells": cell_choices(),
        "regions": [r for r in queries.regions(db) if in_scope(current_user(request).region, r["value"], None)],
        "spark": [sparkline(r["values"]) for r in result["rows"]],
        "SPARK_W": SPARK_W,
        "SPARK_H": SPARK_H,
    }
    return page(request, "matrix.html", ctx, **html)


@router.get("/api/matrix", summary="一个单元格或指标：机关 × 年度", tags=["比较"])
def matrix_api(
    request: Request,
    db: Db,
    key: str = Query(DEFAULT, description="指标（见 /api/metrics）或单元格路径"),
    region: str | None = Query(None, description="地区"),
    sort: str = Query("agency", description="agency 或某一年度"),
    order: str = Query("asc", description="asc / desc"),
) -> dict:
    return _matrix(request, db, key, region, sort, order)
