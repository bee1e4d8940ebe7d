"""Any two reports, cell by cell."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response
from sqlalchemy.engine import Engine

from nianbao.store import queries
from nianbao.web.params import Db
from nianbao.web.respond import page

router = APIRouter()


CHOICES = 200  # newest reports offered in the pickers; any id can be typed


def compare_context(db: Engine, a: int | None, b: int | None, only_diff: bool) -> dict[str, Any]:
    ctx: dict[str, Any] = {"title": "两份报告逐格比较", "a": a, "b": b, "only_diff": only_diff, "result": None}
    ctx["choices"], _ = queries.list_reports(db, limit=CHOICES, offset=0)
    if a is None or b is None:
        return ctx
    rows = queries.compare(db, a, b)
    if rows is None:
        raise HTTPException(404, f"报告 {a} 或 {b} 不存在")
    listed = {r["id"]: r for r in ctx["choices"]}
    ctx["result"] = {
        "a": listed.get(a) or queries.get_report(db, a)["report"],
        "b": listed.get(b) or queries.get_report(db, b)["report"],
        "cells": rows,
        "differences": sum(1 for r in rows if r["differs"]),
    }
    return ctx


@router.get("/compare", include_in_schema=False)
def compare_page(
    request: Request,
    db: Db,
    a: int | None = Query(None),
    b: int | None = Query(None),
    only_diff: bool = Query(False),
) -> Response:
    return page(request, "compare.html", compare_context(db, a, b, only_diff))


@router.get("/api/compare", summary="两份报告逐格比较", tags=["比较"])
def compare_api(
    db: Db, a: int = Query(..., description="报告编号"), b: int = Query(..., description="报告编号")
) -> dict:
    return compare_context(db, a, b, False)
