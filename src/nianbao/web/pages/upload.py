"""The upload page: one or many files, to check only (自检, nothing stored) or to check and store
(入库); the job's progress file by file (``/api/uploads/{job}``, and the page polls it) ending with
a summary. The reading and storing are :mod:`nianbao.web.uploading`; a file only checked has its
own pages (:mod:`nianbao.web.pages.checked`)."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import Response

from nianbao.web.jobs import MODES, OUTCOMES, Job, Mode
from nianbao.web.respond import page, templates
from nianbao.web.uploading import jobs, start

router = APIRouter()


def upload_context(request: Request, job: Job | None) -> dict[str, Any]:
    limit = request.app.state.max_upload_bytes
    return {
        "title": "上传核对",
        "max_bytes": limit,
        "max_mb": limit / 1024 / 1024,
        "modes": MODES,
        "outcomes": OUTCOMES,
        **(job.as_dict() if job else {"job": None, "results": []}),
    }


def mode_of(value: str) -> Mode:
    if value not in MODES:
        raise HTTPException(422, "mode 只能是 check（仅核对，不入库）或 store（核对并入库）")
    return value  # type: ignore[return-value]


Files = Annotated[list[UploadFile], File(description="一个或多个报告文件")]
ModeField = Annotated[str, Form(description="check：仅核对，不入库；store：核对并入库")]


@router.get("/upload", include_in_schema=False)
def upload_form(request: Request) -> Response:
    return page(request, "upload.html", upload_context(request, None))


@router.post("/upload", include_in_schema=False)
async def upload_page(request: Request, files: Files, mode: ModeField = "check") -> Response:
    """With htmx: the job's progress at once (the fragment polls itself). Without: the page once every file is done."""
    job = await start(request, mode_of(mode), files)
    if request.headers.get("hx-request"):
        return templates.TemplateResponse(request, "_upload_results.html", upload_context(request, job))
    await asyncio.shield(job.task)  # type: ignore[arg-type]
    return page(request, "upload.html", upload_context(request, job))


@router.post("/api/upload", summary="上传报告文件并等待核对结果（mode=store 入库，check 仅核对）", tags=["上传"])
async def upload_api(request: Request, files: Files, mode: ModeField = "store") -> dict:
    job = await start(request, mode_of(mode), files)
    await asyncio.shield(job.task)  # type: ignore[arg-type]
    return upload_context(request, job)


@router.post(
    "/api/uploads", status_code=202, summary="开始上传核对，立即返回任务编号（逐个文件的进度见 GET）", tags=["上传"]
)
async def upload_job_api(request: Request, files: Files, mode: ModeField = "check") -> dict:
    job = await start(request, mode_of(mode), files)
    return {**job.as_dict(), "url": f"/api/uploads/{job.id}"}


def the_job(request: Request, job_id: str) -> Job:
    job = jobs(request).get(job_id)
    if job is None:
        raise HTTPException(404, "没有这个上传任务（已超过一小时或服务已重启），请重新上传")
    return job


@router.get("/api/uploads/{job_id}", summary="上传任务的进度：每个文件的状态、已完成的结果和汇总", tags=["上传"])
def job_api(request: Request, job_id: str) -> dict:
    return upload_context(request, the_job(request, job_id))


@router.get("/uploads/{job_id}", include_in_schema=False)
def job_page(request: Request, job_id: str) -> Response:
    ctx = upload_context(request, the_job(request, job_id))
    if request.headers.get("hx-request"):
        return templates.TemplateResponse(request, "_upload_results.html", ctx)
    return page(request, "upload.html", ctx)
