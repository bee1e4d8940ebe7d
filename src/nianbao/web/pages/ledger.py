"""The 依申请公开 ledger page: upload a ledger, see the applications still open with their
due dates, the ledger's findings and, for a year, 表三/表四 tallied from it.

Nothing is stored. The workbook is read in a bounded worker process like any upload."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from nianbao.ledger import check_ledger, open_on, read_ledger_bytes, tally
from nianbao.ledger.read import as_date
from nianbao.model import ReportError
from nianbao.pipeline.workers import WorkerLost
from nianbao.template import layout
from nianbao.web import view
from nianbao.web.respond import page
from nianbao.web.uploading import label, too_large

router = APIRouter()


def examine(arg: tuple[str, bytes, str, int | None]) -> dict[str, Any]:
    """In a worker: the open applications on a day, the findings, and the year's tables (plain data)."""
    name, data, on, year = arg
    try:
        ledger = read_ledger_bytes(data, name)
    except ReportError as e:
        return {"error": str(e)}
    found = check_ledger(ledger, year)
    out: dict[str, Any] = {
        "open": [o.as_dict() for o in open_on(ledger, date.fromisoformat(on))],
        "findings": [view.diagnostic(d) for d in found],
        "tally": None,
    }
    if year is not None and not any(d.severity == "error" for d in found):
        t = tally(ledger, year)
        cells = {p: {"value": v.value, "derived": v.derived} for p, v in t.report.cells.items()}
        f = t.report.fees
        fees = {"notices": f.notices, "notice_amount_yuan": f.notice_amount_yuan, "collected_yuan": f.collected_yuan}
        out["tally"] = {"edition": t.report.edition, "cells": cells, "rows": t.provenance(), "fees": fees}
    return out


def context(request: Request, on: str, year: int | None, result: dict[str, Any] | None, file: str = "") -> dict:
    limit = request.app.state.max_upload_bytes
    return {
        "title": "依申请公开台账",
        "max_mb": limit / 1024 / 1024,
        "on": on,
        "year": year,
        "file": file,
        "result": result,
    }


async def _examined(request: Request, name: str, data: bytes, day: date, year: int | None) -> dict[str, Any]:
    if why := too_large(request, data):
        return {"error": why}
    try:
        return await run_in_threadpool(request.app.state.workers.call, examine, (name, data, day.isoformat(), year))
    except WorkerLost as e:
        return {"error": str(e)}


@router.get("/ledger", include_in_schema=False)
def ledger_form(request: Request) -> Response:
    return page(request, "ledger.html", context(request, date.today().isoformat(), None, None))


@router.post("/ledger", include_in_schema=False)
async def ledger_page(
    request: Request,
    file: Annotated[UploadFile, File()],
    on: Annotated[str, Form()] = "",
    year: Annotated[str, Form()] = "",
) -> Response:
    day = as_date(on.strip()) if on.strip() else date.today()
    name = label(file.filename)
    if day is None or (year.strip() and not (year.strip().isdigit() and 2000 <= int(year) <= 2100)):
        ctx = context(request, on, None, {"error": "日期或年度填写有误（日期如 2024-12-31，年度如 2024）"}, name)
        return page(request, "ledger.html", ctx, status_code=400)
    wanted = int(year) if year.strip() else None
    async with request.app.state.upload_slots:  # in memory only when a worker is free for it, as uploads
        result = await _examined(request, name, await file.read(request.app.state.max_upload_bytes + 1), day, wanted)
    ctx = context(request, day.isoformat(), wanted, result, name)
    if "error" in result:
        return page(request, "ledger.html", ctx)
    result["findings"] = view.findings(result["findings"])
    html: dict[str, Any] = {}
    if result["tally"]:
        t = result["tally"]
        cells = view.cells(t["edition"], t["cells"], [])
        sources = {}
        for path, where in t["rows"].items():
            if path in cells:  # printed cells; group sums are not
                cells[path]["where"] = sources[path] = f"「{where['sheet']}」第{'、'.join(map(str, where['rows']))}行"
        html = {"grids": layout.grids(t["edition"])[1:], "cells": cells, "sources": sources}
    return page(request, "ledger.html", ctx, **html)
