"""Download buttons: the selected reports (or one report) as XLSX (grouped headers), CSV long
or wide, JSON Lines or JSON — streamed as they are read (``store.exports.stream``)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Literal

from fastapi import APIRouter, HTTPException
from fastapi.responses import StreamingResponse

from nianbao.render.sheets import MEDIA_TYPES
from nianbao.store import exports
from nianbao.store.queries import fits
from nianbao.web.params import Db, ReviewState, Selected

router = APIRouter()

Kind = Literal["xlsx", "csv", "wide.csv", "jsonl", "json"]
KINDS_TEXT = "XLSX：每表一页、按模板分组的表头、每报告一行，另附报告页与问题页；csv：长表；wide.csv：宽表（每报告一行）；jsonl；json"


def download(pieces: Iterator[bytes], kind: Kind, stem: str) -> StreamingResponse:
    disposition = f'attachment; filename="{stem}.{kind}"'
    return StreamingResponse(pieces, media_type=MEDIA_TYPES[kind], headers={"content-disposition": disposition})


@router.get("/export.{kind}", summary=f"导出所选报告（{KINDS_TEXT}）", tags=["导出"])
def export_selected(kind: Kind, f: Selected, review: ReviewState, db: Db) -> StreamingResponse:
    chosen = exports.stream(db, kind, **f.as_dict(), review=review)
    return download(chosen, kind, f"nianbao-{date.today():%Y%m%d}")


@router.get("/reports/{report_id}/export.{kind}", summary="导出一份报告（格式同上）", tags=["导出"])
def export_one(report_id: int, kind: Kind, db: Db) -> StreamingResponse:
    if not fits(report_id) or not exports.count(db, ids=[report_id]):
        raise HTTPException(404, f"没有编号为 {report_id} 的报告")
    return download(exports.stream(db, kind, ids=[report_id]), kind, f"nianbao-report-{report_id}")
