"""Sending findings back: the 问题清单 (or 整改通知) of one agency-year as DOCX in official-document
style, and the open findings (待核实 / 需整改) of the list's selection as XLSX
(:mod:`nianbao.render.notice_docx`, over :func:`nianbao.store.review.open_findings`)."""

from __future__ import annotations

from typing import Literal
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import Response

from nianbao.render.notice_docx import KINDS, findings_xlsx, notice_docx
from nianbao.render.sheets import MEDIA_TYPES
from nianbao.store import corrections, queries, review
from nianbao.web.params import Db, ReviewState, Selected

router = APIRouter()
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def attachment(data: bytes, media: str, name: str) -> Response:
    """``data`` downloaded as ``name`` (Chinese file names kept, RFC 5987)."""
    ascii_name = "nianbao." + name.rsplit(".", 1)[-1]
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    return Response(data, media_type=media, headers={"content-disposition": disposition})


@router.get(
    "/reports/{report_id}/notice.docx",
    summary="这份报告未解决问题的问题清单或整改通知（DOCX，公文格式）",
    tags=["核查"],
)
def notice(
    report_id: int,
    db: Db,
    kind: Literal["问题清单", "整改通知"] = Query("问题清单", description=" 或 ".join(KINDS)),
    sender: str = Query("", max_length=60, description="落款（发文单位）"),
) -> Response:
    got = queries.get_report(db, report_id)
    if got is None:
        raise HTTPException(404, f"没有编号为 {report_id} 的报告")
    meta = got["report"]
    found = review.open_findings(db, agency=meta["agency"], year=meta["year"]) if meta["agency"] else []
    mine = [f for f in found if report_id in (f.get("reports") or [f["report_id"]])]
    values = {p: c["value"] for p, c in got["cells"].items()}
    values |= corrections.corrected_values(db, [report_id]).get(report_id, {})
    name = meta["agency"] or "（未识别机关）"
    data = notice_docx(name, meta["year"], mine, values, kind, sender)
    return attachment(data, DOCX, f"{name}{meta['year'] or ''}年度报告{kind}.docx")


@router.get("/findings.xlsx", summary="所选报告中未解决的问题（待核实、需整改），每个问题一行（XLSX）", tags=["核查"])
def open_findings(f: Selected, state: ReviewState, db: Db) -> Response:
    rows = review.open_findings(db, **f.as_dict(), review=state)
    return attachment(findings_xlsx(rows), MEDIA_TYPES["xlsx"], "未解决的问题.xlsx")
