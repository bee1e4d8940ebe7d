"""Upload one or many files: each through the pipeline, stored, its findings shown at once.

A file's name is only a label: the bytes stay in memory (Starlette spools large
parts to anonymous temporary files), the format is sniffed from the content."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from sqlalchemy.engine import Engine

from nianbao.model import SEVERITIES
from nianbao.pipeline.ingest import read_upload, related
from nianbao.pipeline.workers import WorkerLost
from nianbao.store import queries
from nianbao.store.db import Store
from nianbao.web import view
from nianbao.web.params import forget_choices
from nianbao.web.respond import page, templates

router = APIRouter()

_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\]+")


def label(filename: str | None) -> str:
    """The last part of an uploaded file's name, without control characters, at most 120 characters."""
    name = re.split(r"[/\\]", filename or "")[-1]
    return _UNSAFE.sub("", name).strip()[:120] or "未命名文件"


def too_large(request: Request, data: bytes) -> str:
    """Why an uploaded file is refused for its size ('' when it fits the upload limit)."""
    limit = request.app.state.max_upload_bytes
    return f"文件过大（上限 {limit / 1024 / 1024:g} MB）" if len(data) > limit else ""


def process(request: Request, name: str, data: bytes) -> dict[str, Any]:
    """One uploaded file → ``{file, ok, error | id, status, agency, year, findings, counts}``.

    The file is read and checked in a bounded worker process (``app.state.workers``): a file
    that exhausts its memory or time fails alone and the server goes on."""
    db: Engine = request.app.state.engine
    out: dict[str, Any] = {"file": name, "ok": False}
    if why := too_large(request, data):
        return {**out, "error": why}
    try:
        fmt, prepared, reason = request.app.state.workers.call(read_upload, (name, data))
    except WorkerLost as e:
        return {**out, "error": str(e)}
    out |= {"format": fmt} if fmt else {}
    if prepared is None:
        return {**out, "error": reason}
    store = Store(db)
    saved = store.save_prepared(prepared)
    forget_choices(db)
    stored = queries.get_report(db, saved.report_id)
    found = view.findings(stored["diagnostics"] + [view.diagnostic(d) for d in related(store, stored["report"])])
    meta = prepared.report
    return {
        **out,
        "ok": True,
        "id": saved.report_id,
        "status": saved.status,
        "version": saved.version,
        "agency": meta["agency"],
        "year": meta["year"],
        "edition": meta["edition"],
        "findings": found,
        "counts": {s: sum(1 for f in found if f["severity"] == s) for s in SEVERITIES},
    }


async def receive(request: Request, files: list[UploadFile]) -> list[dict[str, Any]]:
    results = []
    for f in files:
        # a file enters memory only when a worker is free for it (until then it waits spooled to disk)
        async with request.app.state.upload_slots:
            data = await f.read(request.app.state.max_upload_bytes + 1)
            results.append(await run_in_threadpool(process, request, label(f.filename), data))
    return results


def upload_context(request: Request, results: list[dict[str, Any]]) -> dict[str, Any]:
    limit = request.app.state.max_upload_bytes
    return {"title": "上传报告", "max_bytes": limit, "max_mb": limit / 1024 / 1024, "results": results}


@router.get("/upload", include_in_schema=False)
def upload_form(request: Request) -> Response:
    return page(request, "upload.html", upload_context(request, []))


@router.post("/upload", include_in_schema=False)
async def upload_page(request: Request, files: Annotated[list[UploadFile], File()]) -> Response:
    ctx = upload_context(request, await receive(request, files))
    if request.headers.get("hx-request"):
        return templates.TemplateResponse(request, "_upload_results.html", ctx)
    return page(request, "upload.html", ctx)


@router.post("/api/upload", summary="上传一个或多个报告文件，返回核对结果", tags=["上传"])
async def upload_api(request: Request, files: Annotated[list[UploadFile], File()]) -> dict:
    return upload_context(request, await receive(request, files))
