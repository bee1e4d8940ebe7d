"""Download buttons: the selected reports (or one report) as XLSX, CSV or JSON (``render.sheets``)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from fastapi import APIRouter, HTTPException
from fastapi.responses import Response

from nianbao.render.sheets import EXPORTERS, MEDIA_TYPES
from nianbao.store import queries
from nianbao.store.exports import export_data
from nianbao.web.params import Db, Selected

router = APIRouter()

Kind = Literal["xlsx", "csv", "json"]


def download(data: dict[str, Any], kind: Kind, stem: str) -> Response:
    disposition = f'attachment; filename="{stem}.{kind}"'
    return Response(EXPORTERS[kind](data), media_type=MEDIA_TYPES[kind], headers={"content-disposition": disposition})


def only(data: dict[str, Any], report_id: int) -> dict[str, Any]:
    """``export_data`` narrowed to one report."""
    keep = [i for i, r in enumerate(data["reports"]) if r["id"] == report_id]
    return {
        "reports": [data["reports"][i] for i in keep],
        "documents": [data["documents"][i] for i in keep],
        "cells": {report_id: data["cells"].get(report_id, {})},
        "diagnostics": [d for d in data["diagnostics"] if d.get("report_id") == report_id],
    }


@router.get(
    "/export.{kind}", summary="导出所选报告（XLSX：每表一页、每报告一行、另附问题页；CSV 长表；JSON）", tags=["导出"]
)
def export_selected(kind: Kind, f: Selected, db: Db) -> Response:
    return download(export_data(db, **f.as_dict()), kind, f"nianbao-{date.today():%Y%m%d}")


@router.get("/reports/{report_id}/export.{kind}", summary="导出一份报告", tags=["导出"])
def export_one(report_id: int, kind: Kind, db: Db) -> Response:
    got = queries.get_report(db, report_id)
    if got is None:
        raise HTTPException(404, f"没有编号为 {report_id} 的报告")
    meta = got["report"]
    data = export_data(db, agency=meta["agency"], year=meta["year"], current=False)
    return download(only(data, report_id), kind, f"nianbao-report-{report_id}")
