"""The audit log: every change made to the store (ingest, withdrawal, review state, correction,
merge, …), with who made it and when; read back and exported for the audit page and
``nianbao audit``."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from nianbao.store.schema import audit_log, iso_time

# action -> what it is called in the log's pages and exports
ACTIONS = {
    "ingest": "入库",
    "pending": "入库（待确认）",
    "confirm": "确认为现行版本",
    "discard": "放弃待确认版本",
    "withdraw": "撤回",
    "restore": "恢复",
    "recheck": "重新核对",
    "review": "标记核查状态",
    "correct": "更正数值",
    "undo": "撤销更正",
    "reading": "选定读法",
    "merge": "合并单位",
    "split": "拆分单位",
    "login": "登录",
    "logout": "退出",
    "login-failed": "登录失败",
    "user-add": "添加用户",
    "user-remove": "删除用户",
    "password": "修改密码",
}
CSV_HEADER = ("编号", "时间", "操作人", "操作", "对象", "详情")


def record(conn: Connection, who: str, action: str, target: str, detail: dict | None = None) -> None:
    """Log one change, inside the transaction that makes it (:func:`nianbao.store.db.writing`)."""
    record_many(conn, [(who, action, target, detail)])


def record_many(conn: Connection, changes: list[tuple[str, str, str, dict | None]]) -> None:
    """Log changes ``(who, action, target, detail)`` in one statement (a batch of an ingest)."""
    at = datetime.now(UTC)
    rows = [{"at": at, "who": w or "", "action": a, "target": t, "detail": d or {}} for w, a, t, d in changes]
    if rows:
        conn.execute(audit_log.insert(), rows)


def entries(
    engine: Engine,
    since: datetime | None = None,
    until: datetime | None = None,
    who: str | None = None,
    action: str | None = None,
    limit: int | None = None,
) -> list[dict]:
    """The log, newest first: every change from ``since`` to before ``until``, by ``who``, of kind
    ``action`` (times without a zone are UTC)."""
    q = sa.select(audit_log).order_by(audit_log.c.id.desc())
    if since is not None:
        q = q.where(audit_log.c.at >= _utc(since))
    if until is not None:
        q = q.where(audit_log.c.at < _utc(until))
    if who is not None:
        q = q.where(audit_log.c.who == who)
    if action is not None:
        q = q.where(audit_log.c.action == action)
    if limit is not None:
        q = q.limit(limit)
    with engine.connect() as conn:
        return [_entry(r) for r in conn.execute(q)]


def _utc(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def _entry(r: sa.Row) -> dict:
    return {
        "id": r.id,
        "at": iso_time(r.at),
        "who": r.who,
        "action": r.action,
        "action_name": ACTIONS.get(r.action, r.action),
        "target": r.target,
        "detail": r.detail,
    }


def to_csv(rows: list[dict]) -> str:
    """The entries as CSV (UTF-8 with BOM, so that Excel reads the Chinese), one line each."""
    out = io.StringIO()
    out.write("\ufeff")
    w = csv.writer(out)
    w.writerow(CSV_HEADER)
    for r in rows:
        detail = json.dumps(r["detail"], ensure_ascii=False) if r["detail"] else ""
        w.writerow((r["id"], r["at"], r["who"], r["action_name"], r["target"], detail))
    return out.getvalue()
