"""``/audit`` (管理 only): who changed what and when — filtered by dates, person and kind of
change — and the same selection as CSV (``/audit.csv``)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from nianbao.store.audit import ACTIONS, entries, to_csv
from nianbao.web.auth import User, require
from nianbao.web.respond import page

router = APIRouter()
DETAIL_NAMES = {  # what the log's details are called on the page (others shown as stored)
    "report_id": "报告编号",
    "file": "文件",
    "path": "单元格",
    "printed": "印刷值",
    "value": "更正为",
    "reason": "理由",
    "rule": "规则",
    "state": "核查状态",
    "comment": "备注",
    "merged": "并入的名称",
    "into": "并入",
    "name": "名称",
    "address": "地址",
    "role": "角色",
    "region": "限定地区",
    "before": "原问题数",
    "after": "现问题数",
    "index": "读法",
}
HIDDEN = {"key", "sha256", "cells", "read_as", "status"}  # internal: in the CSV and the JSON, not on the page


def detail_items(detail: dict | None) -> list[tuple[str, str]]:
    """A log entry's details as (Chinese name, value), the internal and empty ones left out."""
    items = (detail or {}).items()
    return [(DETAIL_NAMES.get(k, k), str(v)) for k, v in items if k not in HIDDEN and v not in (None, "", [])]


Admin = Annotated[User, Depends(require("管理"))]
SHOWN = 500  # rows on the page; the CSV has them all


class AuditFilters:
    def __init__(
        self,
        since: Annotated[date | None, Query(description="起始日期（含）")] = None,
        until: Annotated[date | None, Query(description="截止日期（含）")] = None,
        who: Annotated[str | None, Query(max_length=64, description="操作人")] = None,
        action: Annotated[str | None, Query(max_length=32, description="操作类别")] = None,
    ) -> None:
        self.since, self.until = since, until
        self.who, self.action = (who or "").strip() or None, (action or "").strip() or None

    def rows(self, request: Request, limit: int | None = None) -> list[dict]:
        """The entries selected, newest first (days are UTC days, as the log's times)."""
        since = datetime.combine(self.since, time(), UTC) if self.since else None
        until = datetime.combine(self.until + timedelta(days=1), time(), UTC) if self.until else None
        engine = request.app.state.engine
        return entries(engine, since=since, until=until, who=self.who, action=self.action, limit=limit)

    def as_dict(self) -> dict:
        return {
            "since": self.since and self.since.isoformat(),
            "until": self.until and self.until.isoformat(),
            "who": self.who,
            "action": self.action,
        }


Selected = Annotated[AuditFilters, Depends()]


@router.get("/audit", include_in_schema=False)
def audit_page(request: Request, user: Admin, f: Selected) -> Response:
    rows = f.rows(request, SHOWN + 1)
    query = urlencode({k: v for k, v in f.as_dict().items() if v})
    for row in rows:
        row["items"] = detail_items(row["detail"])
    ctx = {
        "title": "操作记录",
        "filters": f.as_dict(),
        "actions": ACTIONS,
        "entries": rows[:SHOWN],
        "more": len(rows) > SHOWN,
        "query": query,
    }
    return page(request, "audit.html", ctx)


@router.get("/api/audit", summary="操作记录（需“管理”权限；可按日期、操作人、操作类别筛选）", tags=["账户"])
def audit_api(request: Request, user: Admin, f: Selected) -> dict:
    return {"filters": f.as_dict(), "entries": f.rows(request)}


@router.get("/audit.csv", summary="操作记录导出为 CSV（需“管理”权限）", tags=["账户"])
def audit_csv(request: Request, user: Admin, f: Selected) -> Response:
    stamp = datetime.now(UTC).strftime("%Y%m%d")
    return Response(
        to_csv(f.rows(request)),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="audit-{stamp}.csv"'},
    )
