"""The metric dictionary: each key quantity and rate with its formula, cells and caveats."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from nianbao.analysis.metrics import dictionary
from nianbao.web.respond import page

router = APIRouter()


@router.get("/metrics", include_in_schema=False)
def metrics_page(request: Request) -> Response:
    return page(request, "metrics.html", {"title": "指标词典", "metrics": dictionary()})


@router.get("/api/metrics", summary="指标词典：公式、所用单元格、注意事项", tags=["比较"])
def metrics_api() -> list[dict]:
    return dictionary()
