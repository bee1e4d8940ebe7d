"""Upload one or many files, to check only (自检, nothing stored) or to check and store (入库).

The files of one upload become a job (:mod:`nianbao.web.jobs`) read one after another in the
background: ``/api/uploads/{job}`` (and the page, which polls it) tells each file's progress and
ends with a summary. A file only checked keeps what was read of it for an hour, so its full
report page can be opened and it can still be stored. A file for an agency and year already in
the store waits until what changed has been seen and confirmed.

A file's name is only a label: the bytes stay in memory, the format is sniffed from the content."""

from __future__ import annotations

import asyncio
import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.encoders import jsonable_encoder
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.engine import Engine

from nianbao.model import SEVERITIES, Diagnostic
from nianbao.pipeline.ingest import read_upload, related
from nianbao.pipeline.workers import WorkerLost
from nianbao.render.json import contract, location_from, report_from_json
from nianbao.store import queries, versions
from nianbao.store.db import Prepared, Store
from nianbao.web import view
from nianbao.web.auth import User, current_user, require
from nianbao.web.jobs import MODES, OUTCOMES, Item, Job, Jobs, Mode
from nianbao.web.params import forget_choices
from nianbao.web.respond import page, templates
from nianbao.web.source import source_context, unpack

router = APIRouter()
Reviewer = Annotated[User, Depends(require("审核"))]

_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\]+")


def label(filename: str | None) -> str:
    """The last part of an uploaded file's name, without control characters, at most 120 characters."""
    name = re.split(r"[/\\]", filename or "")[-1]
    return _UNSAFE.sub("", name).strip()[:120] or "未命名文件"


def too_large(request: Request, data: bytes) -> str:
    """Why an uploaded file is refused for its size ('' when it fits the upload limit)."""
    limit = request.app.state.max_upload_bytes
    return f"文件过大（一次上传合计上限 {limit / 1024 / 1024:g} MB）" if len(data) > limit else ""


def jobs(request: Request) -> Jobs:
    state = request.app.state
    if not hasattr(state, "upload_jobs"):
        state.upload_jobs = Jobs()
    return state.upload_jobs


def read(request: Request, name: str, data: bytes) -> tuple[dict[str, Any], Prepared | None]:
    """One file read and checked in a bounded worker process (``app.state.workers``; a file that
    exhausts its memory or time fails alone): ``{file, ok, format?, error?}`` and what was read."""
    out: dict[str, Any] = {"file": name, "ok": False}
    if why := too_large(request, data):
        return {**out, "error": why, "outcome": "unreadable"}, None
    try:
        fmt, prepared, reason = request.app.state.workers.call(read_upload, (name, data))
    except WorkerLost as e:
        return {**out, "error": str(e), "outcome": "unreadable"}, None
    out |= {"format": fmt} if fmt else {}
    if prepared is None:
        return {**out, "error": reason, "outcome": "unreadable"}, None
    return out, prepared


def counted(found: list[dict[str, Any]]) -> dict[str, Any]:
    """``findings`` and their ``counts`` by severity, for a card."""
    return {"findings": found, "counts": {s: sum(1 for f in found if f["severity"] == s) for s in SEVERITIES}}


def card(job: Job, n: int, prepared: Prepared, found: list[dict[str, Any]]) -> dict[str, Any]:
    """The result card's facts about a file that could be read."""
    meta = prepared.report
    return {
        "ok": True,
        "agency": meta["agency"],
        "year": meta["year"],
        "edition": meta["edition"],
        "check_url": f"/uploads/{job.id}/{n}",
        **counted(found),
    }


def versus_current(db: Engine, prepared: Prepared) -> dict[str, Any] | None:
    """What would change if ``prepared`` (read, not stored) replaced its agency-year's current
    version (:func:`nianbao.store.versions.diff_with_current`); None when there is none."""
    found = [
        Diagnostic(d["rule"], d["severity"], d["message"], tuple(d["cells"]), location_from(d["location"]))
        for d in prepared.diagnostics
    ]
    return versions.diff_with_current(db, report_from_json(prepared.document), found)


def changes_in_brief(diff: dict[str, Any] | None) -> dict[str, Any] | None:
    """For the card: against which stored version, how many cells differ, findings added and gone."""
    if diff is None:
        return None
    return {
        "against": diff["old"],
        "cells": len(diff["cells"]),
        "added": len(diff["added"]),
        "removed": len(diff["removed"]),
    }


def store(request: Request, who: str, item: Item, prepared: Prepared, data: bytes) -> dict[str, Any]:
    """Store ``prepared`` with its original bytes: the card's facts after it (report id, status,
    version, cross-report findings). Another content for an agency and year already stored is
    stored as a version waiting for confirmation (``pending``): it becomes current only once what
    changed has been seen (``/reports/{id}/changes``)."""
    db: Engine = request.app.state.engine
    st = Store(db)
    saved = st.save_prepared(prepared, data, who=who, pending=True)
    forget_choices(db)
    item.prepared = item.data = None
    if saved.status == "pending":
        return {"outcome": "pending", "id": saved.report_id, "status": saved.status, "version": saved.version}
    stored = queries.get_report(db, saved.report_id)
    found = view.findings(stored["diagnostics"] + [view.diagnostic(d) for d in related(st, stored["report"])])
    return {
        "outcome": "stored",
        "id": saved.report_id,
        "status": saved.status,
        "version": saved.version,
        **counted(found),
    }


def handle(request: Request, job: Job, n: int, data: bytes) -> None:
    """Read file ``n`` of ``job`` and check it; in store mode store it too."""
    item = job.items[n]
    out, prepared = read(request, item.file, data)
    out["n"] = n
    if prepared is None:
        item.result = out
        return
    if job.mode == "check":
        db: Engine = request.app.state.engine
        new = report_from_json(prepared.document)
        item.cross = [view.diagnostic(d) for d in related(Store(db), prepared.report, new)]
        item.prepared, item.data = prepared, data
        item.result = {**out, **card(job, n, prepared, view.findings(prepared.diagnostics + item.cross))}
        item.result |= {"outcome": "checked", "changes": changes_in_brief(versus_current(db, prepared))}
    else:
        item.result = {**out, **card(job, n, prepared, view.findings(prepared.diagnostics))}
        item.result |= store(request, job.who, item, prepared, data)


async def run(request: Request, job: Job, datas: list[bytes]) -> None:
    for n, data in enumerate(datas):
        async with request.app.state.upload_slots:  # as many files at a time as there are workers
            job.items[n].state = "reading"
            try:
                await run_in_threadpool(handle, request, job, n, data)
            except Exception as e:  # the store failed: this file fails, the job goes on
                job.items[n].result = {
                    "file": job.items[n].file,
                    "n": n,
                    "ok": False,
                    "outcome": "unreadable",
                    "error": f"保存失败：{' '.join(str(e).split())[:200]}",
                }
            job.items[n].state = "done"


async def start(request: Request, mode: Mode, files: list[UploadFile]) -> Job:
    """A job for the uploaded ``files`` (their bytes read now), already running; storing needs the 审核 role."""
    user = current_user(request)
    if mode == "store" and not user.may("审核"):
        raise HTTPException(403, f"入库需要“审核”权限：用户 {user.name} 的角色是“{user.role}”")
    limit = request.app.state.max_upload_bytes
    datas = [await f.read(limit + 1) for f in files]
    job = jobs(request).add(mode, [label(f.filename) for f in files], user.name)
    job.task = asyncio.create_task(run(request, job, datas))
    return job


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


def kept(request: Request, job_id: str, n: int) -> tuple[Item, Prepared]:
    item = jobs(request).item(job_id, n)
    if item is None or item.state != "done" or not item.result.get("ok"):
        raise HTTPException(404, "没有这份核对结果（已超过一小时或服务已重启），请重新上传")
    if item.prepared is None:
        raise HTTPException(404, f"这份文件已入库：/reports/{item.result.get('id')}")
    return item, item.prepared


def checked_context(job_id: str, n: int, item: Item, prepared: Prepared) -> tuple[dict[str, Any], Any]:
    """The report page's context for a file only checked, drawn from what was read (nothing stored)."""
    report = report_from_json(prepared.document)
    got = {
        "report": {**prepared.report, "id": None},
        "document": contract(prepared.document),
        "diagnostics": prepared.diagnostics,
        "cross": item.cross,
        "sections": prepared.sections,
        "versions": [],
    }
    ctx = view.report_context(got, report)
    return {**ctx, "checked": {"job": job_id, "n": n, "url": f"/uploads/{job_id}/{n}"}}, report


@router.get("/uploads/{job_id}/{n}", include_in_schema=False)
def checked_page(request: Request, job_id: str, n: int) -> Response:
    item, prepared = kept(request, job_id, n)
    ctx, report = checked_context(job_id, n, item, prepared)
    ctx |= {"outcome": item.result["outcome"], "changes": item.result.get("changes")}
    return page(request, "report.html", ctx, **view.report_html(ctx, report))


@router.get(
    "/api/uploads/{job_id}/{n}", summary="仅核对（未入库）的一份报告：与 /api/reports/{id} 相同的内容", tags=["上传"]
)
def checked_api(request: Request, job_id: str, n: int) -> dict:
    return checked_context(job_id, n, *kept(request, job_id, n))[0]


@router.get("/uploads/{job_id}/{n}/source", include_in_schema=False)
def checked_source(request: Request, job_id: str, n: int) -> Response:
    prepared = kept(request, job_id, n)[1]
    return page(request, "_source.html", source_context(prepared.report, unpack(prepared.source)))


@router.get("/uploads/{job_id}/{n}/changes", include_in_schema=False)
def checked_changes_page(request: Request, job_id: str, n: int) -> Response:
    return page(request, "changes.html", checked_changes(request, job_id, n))


@router.get("/api/uploads/{job_id}/{n}/changes", summary="仅核对的文件与库中现行版本相比的变化", tags=["上传"])
def checked_changes_api(request: Request, job_id: str, n: int) -> dict:
    return checked_changes(request, job_id, n)


def checked_changes(request: Request, job_id: str, n: int) -> dict[str, Any]:
    """What would change if the file only checked became the current version: cells, findings."""
    prepared = kept(request, job_id, n)[1]
    diff = versus_current(request.app.state.engine, prepared)
    if diff is None:
        raise HTTPException(404, "库中没有该机关该年度的现行报告，无可比较")
    checked = {"job": job_id, "n": n, "url": f"/uploads/{job_id}/{n}"}
    return jsonable_encoder(
        {"title": "与库中现行版本的变化", "checked": checked, "this": {"status": "checked"}, **diff}
    )


def store_kept(request: Request, job_id: str, n: int, who: str) -> dict[str, Any]:
    """Store a file only checked: ``{id, status, version, url}`` (a new version waits for confirmation at ``url``)."""
    item, prepared = kept(request, job_id, n)
    item.result |= store(request, who, item, prepared, item.data or b"")
    rid = item.result["id"]
    url = f"/reports/{rid}/changes" if item.result["status"] == "pending" else f"/reports/{rid}"
    return {k: item.result[k] for k in ("id", "status", "version")} | {"url": url}


@router.post("/uploads/{job_id}/{n}/store", include_in_schema=False)
def store_page(request: Request, job_id: str, n: int, user: Reviewer) -> Response:
    return RedirectResponse(store_kept(request, job_id, n, user.name)["url"], status_code=303)


@router.post(
    "/api/uploads/{job_id}/{n}/store",
    summary="把仅核对的文件入库（已有该机关该年度时存为待确认的新版本）",
    tags=["上传"],
)
def store_api(request: Request, job_id: str, n: int, user: Reviewer) -> dict:
    return store_kept(request, job_id, n, user.name)
