"""Working a report through, from its page: a finding's review state, a cell corrected, one reading
of an ambiguous table chosen; the checks run again after a correction or a reading. Every change
goes through the store (``nianbao.store.review``, ``corrections``), which keeps who did it and
when in the audit log. Each action is a form POST, also under ``/api/…`` (:mod:`nianbao.web.actions`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import Response

from nianbao.pipeline.review import rerun_checks
from nianbao.store import corrections, review
from nianbao.store.db import Store
from nianbao.web.actions import Reviewer, Text, answer, posts, refused
from nianbao.web.params import Db, forget_choices
from nianbao.web.view import anchor

router = APIRouter()
both = posts(router)


@both(
    "/reports/{report_id}/findings/{finding_id}",
    "给报告的一个问题标上核查状态（待核实/已核实/误报/需整改/已整改）和说明",
)
def set_state(
    request: Request, report_id: int, finding_id: int, db: Db, user: Reviewer, state: Text, comment: Text = ""
) -> Response:
    if finding_id not in {f["id"] for f in review.findings(db, report_id)}:
        raise HTTPException(404, f"报告 {report_id} 没有编号为 {finding_id} 的问题（报告可能已重新核对，请刷新页面）")
    with refused():
        done = review.set_state(db, finding_id, state, comment, user.name)
    return answer(request, done, f"/reports/{report_id}#findings")


def value_of(text: str) -> float | None:
    """A corrected value as typed: a number, or blank ('' → None)."""
    text = text.strip().replace(",", "").replace("，", "")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise HTTPException(400, f"更正值应为数字或留空，而不是“{text[:20]}”") from None


@both("/reports/{report_id}/corrections", "更正报告的一个单元格（印刷值保留），随后重新核对")
def correct(
    request: Request, report_id: int, db: Db, user: Reviewer, path: Text, value: Text, reason: Text = ""
) -> Response:
    with refused():
        done = corrections.correct(db, report_id, path, value_of(value), reason, user.name)
        found = rerun_checks(Store(db), report_id, user.name)
    forget_choices(db)
    return answer(request, {**done, "findings": len(found)}, f"/reports/{report_id}#{anchor(path)}")


@both("/reports/{report_id}/corrections/undo", "撤销一个单元格的更正（恢复印刷值），随后重新核对")
def undo(request: Request, report_id: int, db: Db, user: Reviewer, path: Text, reason: Text = "") -> Response:
    with refused():
        corrections.undo(db, report_id, path, reason, user.name)
        found = rerun_checks(Store(db), report_id, user.name)
    forget_choices(db)
    return answer(request, {"path": path, "findings": len(found)}, f"/reports/{report_id}#{anchor(path)}")


@both("/reports/{report_id}/readings", "选用有两种读法的表格的一种读法，随后重新核对")
def choose_reading(
    request: Request, report_id: int, db: Db, user: Reviewer, table: Text, index: Annotated[int, Form()]
) -> Response:
    with refused():
        corrections.choose_reading(db, report_id, table, index, user.name)
        found = rerun_checks(Store(db), report_id, user.name)
    forget_choices(db)
    return answer(request, {"table": table, "index": index, "findings": len(found)}, f"/reports/{report_id}#{table}")
