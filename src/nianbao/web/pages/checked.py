"""A file only checked (仅核对), kept in memory for an hour: its full report page drawn from what
was read (nothing stored), its 原文, what would change against the stored current version of its
agency-year, and storing it (入库) with its original."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import RedirectResponse, Response

from nianbao.model import Report
from nianbao.render.json import contract, report_from_json
from nianbao.store.rows import Prepared
from nianbao.web import view
from nianbao.web.actions import Reviewer
from nianbao.web.auth import User
from nianbao.web.jobs import Item
from nianbao.web.respond import page
from nianbao.web.source import source_context, unpack
from nianbao.web.uploading import jobs, outside, store, versus_current

router = APIRouter()


def kept(request: Request, job_id: str, n: int) -> tuple[Item, Prepared]:
    item = jobs(request).item(job_id, n)
    if item is None or item.state != "done" or not item.result.get("ok"):
        raise HTTPException(404, "没有这份核对结果（已超过一小时或服务已重启），请重新上传")
    if item.prepared is None:
        raise HTTPException(404, f"这份文件已入库：/reports/{item.result.get('id')}")
    return item, item.prepared


def checked_context(job_id: str, n: int, item: Item, prepared: Prepared) -> tuple[dict[str, Any], Report]:
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


def store_kept(request: Request, job_id: str, n: int, user: User) -> dict[str, Any]:
    """Store a file only checked: ``{id, status, version, url}`` (a new version waits for confirmation
    at ``url``); refused (403) outside the user's region."""
    item, prepared = kept(request, job_id, n)
    if why := outside(user.region, prepared):
        raise HTTPException(403, why.removesuffix("，只做了核对"))
    item.result |= store(request, user.name, item, prepared, item.data or b"")
    rid = item.result["id"]
    url = f"/reports/{rid}/changes" if item.result["status"] == "pending" else f"/reports/{rid}"
    return {k: item.result[k] for k in ("id", "status", "version")} | {"url": url}


@router.post("/uploads/{job_id}/{n}/store", include_in_schema=False)
def store_page(request: Request, job_id: str, n: int, user: Reviewer) -> Response:
    return RedirectResponse(store_kept(request, job_id, n, user)["url"], status_code=303)


@router.post(
    "/api/uploads/{job_id}/{n}/store",
    summary="把仅核对的文件入库（已有该机关该年度时存为待确认的新版本）",
    tags=["上传"],
)
def store_api(request: Request, job_id: str, n: int, user: Reviewer) -> dict:
    return store_kept(request, job_id, n, user)
