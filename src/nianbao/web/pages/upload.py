"""Upload one or many files: read, check, store, and show the findings at once.

A file's name is only a label: the bytes stay in memory (Starlette spools large
parts to anonymous temporary files), the format is sniffed from the content."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from sqlalchemy.engine import Engine

from nianbao.check import check_across, check_report
from nianbao.extract import read_report_bytes
from nianbao.model import ReportError
from nianbao.read import sniff
from nianbao.render.json import report_json
from nianbao.store import queries
from nianbao.store.db import Store
from nianbao.web import view
from nianbao.web.params import Db, forget_choices
from nianbao.web.respond import page, templates

router = APIRouter()

_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\]+")


def label(filename: str | None) -> str:
    """The last part of an uploaded file's name, without control characters, at most 120 characters."""
    name = re.split(r"[/\\]", filename or "")[-1]
    return _UNSAFE.sub("", name).strip()[:120] or "未命名文件"


def process(db: Engine, name: str, data: bytes, limit: int) -> dict[str, Any]:
    """One uploaded file → ``{file, ok, error | id, status, agency, year, findings, counts}``."""
    out: dict[str, Any] = {"file": name, "ok": False}
    try:
        if len(data) > limit:
            raise ReportError(f"文件过大（上限 {limit / 1024 / 1024:g} MB）")
        out["format"] = sniff(data, name)
        report = read_report_bytes(data, name)
    except ReportError as e:
        return {**out, "error": str(e)}
    except Exception as e:  # a reader bug must not become a server error; say what happened
        return {**out, "error": f"读取时出错（{type(e).__name__}）"}
    saved = Store(db).save(report, check_report(report), report_json(report))
    forget_choices(db)
    stored = queries.get_report(db, saved.report_id)
    found = view.findings(stored["diagnostics"] + related(db, stored["report"]))
    return {
        **out,
        "ok": True,
        "id": saved.report_id,
        "status": saved.status,
        "version": saved.version,
        "agency": report.agency,
        "year": report.year,
        "edition": report.edition,
        "findings": found,
        "counts": {s: sum(1 for f in found if f["severity"] == s) for s in ("error", "warning", "info")},
    }


def related(db: Engine, meta: dict[str, Any]) -> list[dict[str, Any]]:
    """Cross-report findings (CARRYOVER …) between this report and its agency's other years.

    Shown at once, not stored: ``nianbao ingest`` runs and stores them over the whole store."""
    if not meta.get("agency"):
        return []
    ids = [r["id"] for r in queries.agency_reports(db, meta["agency"])]
    if len(ids) < 2:
        return []
    mine = meta["source_file"]
    return [view.diagnostic(d) for d in check_across(Store(db).load_reports(ids)) if mine in (d.file, *d.files)]


async def receive(db: Engine, files: list[UploadFile], limit: int) -> list[dict[str, Any]]:
    results = []
    for f in files:
        data = await f.read(limit + 1)
        results.append(await run_in_threadpool(process, db, label(f.filename), data, limit))
    return results


def upload_context(request: Request, results: list[dict[str, Any]]) -> dict[str, Any]:
    limit = request.app.state.max_upload_bytes
    return {"title": "上传报告", "max_bytes": limit, "max_mb": limit / 1024 / 1024, "results": results}


@router.get("/upload", include_in_schema=False)
def upload_form(request: Request) -> Response:
    return page(request, "upload.html", upload_context(request, []))


@router.post("/upload", include_in_schema=False)
async def upload_page(request: Request, files: Annotated[list[UploadFile], File()], db: Db) -> Response:
    ctx = upload_context(request, await receive(db, files, request.app.state.max_upload_bytes))
    if request.headers.get("hx-request"):
        return templates.TemplateResponse(request, "_upload_results.html", ctx)
    return page(request, "upload.html", ctx)


@router.post("/api/upload", summary="上传一个或多个报告文件，返回核对结果", tags=["上传"])
async def upload_api(request: Request, files: Annotated[list[UploadFile], File()], db: Db) -> dict:
    return upload_context(request, await receive(db, files, request.app.state.max_upload_bytes))
