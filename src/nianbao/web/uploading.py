"""An upload's files read, checked and (in store mode) stored, one after another in the background
as a job (:mod:`nianbao.web.jobs`), each in a bounded worker process.

A file's name is only a label: the bytes stay in memory, the format is sniffed from the content.
A file for an agency and year already stored is stored as a version waiting for confirmation."""

from __future__ import annotations

import asyncio
import re
from typing import Any

from fastapi import Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.engine import Engine

from nianbao.model import SEVERITIES, Diagnostic, Report
from nianbao.pipeline.ingest import carry_corrections, related
from nianbao.pipeline.work import read_upload
from nianbao.pipeline.workers import WorkerLost
from nianbao.render.json import location_from, report_from_json
from nianbao.store import queries, versions
from nianbao.store.db import Store
from nianbao.store.rows import Prepared
from nianbao.web import view
from nianbao.web.auth import current_user, in_scope, require
from nianbao.web.jobs import Item, Job, Jobs, Mode
from nianbao.web.params import forget_choices

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
    exhausts its memory or time fails alone): ``{file, ok, format, error?}`` (format None when it
    cannot be told) and what was read."""
    out: dict[str, Any] = {"file": name, "ok": False, "format": None}
    if why := too_large(request, data):
        return {**out, "error": why, "outcome": "unreadable"}, None
    try:
        fmt, prepared, reason = request.app.state.workers.call(read_upload, (name, data))
    except WorkerLost as e:
        return {**out, "error": str(e), "outcome": "unreadable"}, None
    out["format"] = fmt or None
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


def versus_current(db: Engine, prepared: Prepared, report: Report | None = None) -> dict[str, Any] | None:
    """What would change if ``prepared`` (read, not stored; ``report``, its document as a report,
    when already rebuilt) replaced its agency-year's current version
    (:func:`nianbao.store.versions.diff_with_current`); None when there is none."""
    found = [
        Diagnostic(d["rule"], d["severity"], d["message"], tuple(d["cells"]), location_from(d["location"]))
        for d in prepared.diagnostics
    ]
    return versions.diff_with_current(db, report or report_from_json(prepared.document), found)


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
    carry_corrections(st, [saved.report_id])
    forget_choices(db)
    item.prepared = item.data = None
    if saved.status == "pending":
        return {"outcome": "pending", "id": saved.report_id, "status": saved.status, "version": saved.version}
    stored = queries.get_report(db, saved.report_id)
    found = view.findings(stored["diagnostics"] + [view.diagnostic(d) for d in related(st, stored["report"])])
    return {
        "outcome": "unchanged" if saved.status == "unchanged" else "stored",  # the same file stored before
        "id": saved.report_id,
        "status": saved.status,
        "version": saved.version,
        **counted(found),
    }


def outside(scope: str | None, prepared: Prepared) -> str:
    """Why a user whose region is ``scope`` may not store this report ('' when it may)."""
    meta = prepared.report
    if in_scope(scope, meta["region"], meta["agency"]):
        return ""
    return f"超出本账户的地区范围（{scope}）：{meta['agency'] or '未识别机关'} 的报告不能入库，只做了核对"


def handle(request: Request, job: Job, n: int, data: bytes) -> None:
    """Read file ``n`` of ``job`` and check it; in store mode store it too, unless it lies outside
    the uploader's region (then it is only checked, and says why)."""
    item = job.items[n]
    out, prepared = read(request, item.file, data)
    out["n"] = n
    if prepared is None:
        item.result = out
        return
    db: Engine = request.app.state.engine
    refused = outside(job.scope, prepared) if job.mode == "store" else ""
    if job.mode == "store" and not refused:
        item.result = {**out, **card(job, n, prepared, view.findings(prepared.diagnostics))}
        item.result |= store(request, job.who, item, prepared, data)
        return
    new = report_from_json(prepared.document)
    item.cross = [view.diagnostic(d) for d in related(Store(db), prepared.report, new)]
    item.prepared, item.data = prepared, data
    item.result = {**out, **card(job, n, prepared, view.findings(prepared.diagnostics + item.cross))}
    item.result |= {"outcome": "checked", "changes": changes_in_brief(versus_current(db, prepared, new))}
    item.result |= {"refused": refused} if refused else {}


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
    user = require("审核")(request) if mode == "store" else current_user(request)
    limit = request.app.state.max_upload_bytes
    datas = [await f.read(limit + 1) for f in files]
    job = jobs(request).add(mode, [label(f.filename) for f in files], user.name, user.region)
    job.task = asyncio.create_task(run(request, job, datas))
    return job
