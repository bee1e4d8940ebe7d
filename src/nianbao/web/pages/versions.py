"""The versions of a report's agency-year: what changed between two (before a new version becomes
current), and a version confirmed, discarded, withdrawn (with reason) or restored
(``nianbao.store.versions``); after each, the cross-report findings are refreshed."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import Response

from nianbao.pipeline.ingest import refresh_cross
from nianbao.store import versions
from nianbao.store.db import Store
from nianbao.web.actions import Reviewer, Text, answer, posts, refused
from nianbao.web.params import Db, forget_choices
from nianbao.web.respond import page

router = APIRouter()
both = posts(router)


def changes_context(db: Db, report_id: int, against: int | None) -> dict:
    """What changed from version ``against`` (default: the current one, or the one before when
    this is current) to this one: cells, findings added and removed; and every version."""
    with refused():
        history = versions.history(db, report_id)
    mine = next(v for v in history if v["id"] == report_id)
    if against is None:
        others = [v for v in history if v["id"] != report_id]
        current = next((v for v in others if v["status"] == "current"), None)
        earlier = [v for v in others if v["version"] < mine["version"]]
        base = current or (earlier[-1] if earlier else None)
        against = base["id"] if base else None
    if against is None or against not in {v["id"] for v in history}:
        raise HTTPException(404, "没有可比较的另一版本")
    with refused():
        diff = versions.diff(db, against, report_id)
    return jsonable_encoder({"title": "版本变化", "report_id": report_id, "this": mine, "versions": history, **diff})


@router.get("/reports/{report_id}/changes", include_in_schema=False)
def changes_page(request: Request, report_id: int, db: Db, against: int | None = Query(None)) -> Response:
    return page(request, "changes.html", changes_context(db, report_id, against))


@router.get("/api/reports/{report_id}/changes", summary="两个版本之间的变化：单元格、新增与消失的问题", tags=["核查"])
def changes_api(report_id: int, db: Db, against: int | None = Query(None, description="与之比较的版本编号")) -> dict:
    return changes_context(db, report_id, against)


def changed(db: Db, report_id: int, run: Callable[[], None]) -> None:
    """Run a change of the versions, then refresh the cross-report findings over the current reports."""
    with refused():
        run()
    refresh_cross(Store(db))
    forget_choices(db)


@both("/reports/{report_id}/withdraw", "撤回一个版本（须写明原因；保留在库中，可恢复）")
def withdraw(request: Request, report_id: int, db: Db, user: Reviewer, reason: Text = "") -> Response:
    changed(db, report_id, lambda: versions.withdraw(db, report_id, reason, user.name))
    return answer(request, versions.history(db, report_id), f"/reports/{report_id}#versions")


@both("/reports/{report_id}/restore", "恢复一个撤回的版本")
def restore(request: Request, report_id: int, db: Db, user: Reviewer) -> Response:
    changed(db, report_id, lambda: versions.restore(db, report_id, user.name))
    return answer(request, versions.history(db, report_id), f"/reports/{report_id}#versions")


@both("/reports/{report_id}/confirm", "确认待确认的新版本，使之成为现行版本")
def confirm(request: Request, report_id: int, db: Db, user: Reviewer) -> Response:
    changed(db, report_id, lambda: versions.confirm(db, report_id, user.name))
    return answer(request, versions.history(db, report_id), f"/reports/{report_id}")


@both("/reports/{report_id}/discard", "放弃待确认的新版本（删除它；现行版本不变）")
def discard(request: Request, report_id: int, db: Db, user: Reviewer) -> Response:
    with refused():
        rest = [v for v in versions.history(db, report_id) if v["id"] != report_id]
    changed(db, report_id, lambda: versions.discard(db, report_id, user.name))
    current = next((v["id"] for v in rest if v["status"] == "current"), None)
    return answer(request, rest, f"/reports/{current}" if current else "/reports")
