"""The list of reports (filters, search) and the report page (three tables, findings, sources, text)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.engine import Engine

from nianbao.model import Report
from nianbao.store import corrections, queries, review, versions
from nianbao.store.db import Store
from nianbao.web import view
from nianbao.web.params import PAGE_SIZE, REVIEW_STATES, SORTS, Db, Filters, ReviewState, Selected, Sort, choices
from nianbao.web.respond import page
from nianbao.web.source import source_context

router = APIRouter()


def list_context(db: Engine, f: Filters, page_no: int, sort: str = "year", state: str | None = None) -> dict[str, Any]:
    """The list page's context. A total no kept count gives (``queries.total_kept``) is counted up
    to ``queries.CAP`` only:
    past it ``total`` is a lower bound (the cap, or the reports up to this page) and
    ``total_capped`` is true; ``pages`` then ends at the next page while this one is full."""
    offset = (page_no - 1) * PAGE_SIZE
    rows, total = queries.list_reports(
        db, **f.as_dict(), limit=PAGE_SIZE, offset=offset, sort=sort, review=state, cap=queries.CAP
    )
    capped = total > queries.CAP and not queries.total_kept(state, **f.as_dict())  # a kept count: exact
    if capped and 0 < len(rows) < PAGE_SIZE:  # the last page: the total is exact
        total, capped = offset + len(rows), False
    elif capped:  # more than the cap, and at least the reports up to this page
        total = max(queries.CAP, offset + len(rows)) if rows else queries.CAP
    pages = page_no + (len(rows) == PAGE_SIZE) if capped else max(1, -(-total // PAGE_SIZE))
    return {
        "title": "报告列表",
        "filters": f.as_dict(),
        "query": f.query(),
        "sort": sort,
        "sorts": SORTS,
        "review": state,
        "review_states": REVIEW_STATES,
        "reports": rows,
        "total": total,
        "total_capped": capped,
        "page": page_no,
        "pages": pages,
        "choices": choices(db, f.region),
    }


def report_context(db: Engine, report_id: int) -> tuple[dict[str, Any], Report]:
    """The report page's context, and the stored report it was drawn from: its findings with their
    review states, its cells with the corrections in force, every version of its agency-year."""
    got = queries.get_report(db, report_id)
    stored = None if got is None else Store(db).load_report(report_id)  # the cells, as they were read
    if got is None or stored is None:
        raise HTTPException(404, f"没有编号为 {report_id} 的报告")
    fixes = corrections.in_force(db, report_id)
    worked = {
        **got,
        "diagnostics": review.findings(db, report_id),
        "cross": [],
        "versions": jsonable_encoder(versions.history(db, report_id)),
        "corrections": jsonable_encoder(fixes),
    }
    ctx = view.report_context(worked, stored)
    return {**ctx, "states": review.STATES, "readings": view.readings(stored)}, stored


@router.get("/", include_in_schema=False)
def home() -> RedirectResponse:
    return RedirectResponse("/reports", status_code=307)


@router.get("/reports", include_in_schema=False)
def reports_page(
    request: Request, f: Selected, db: Db, sort: Sort, state: ReviewState, page_no: int = Query(1, alias="page", ge=1)
) -> Response:
    return page(request, "reports.html", list_context(db, f, page_no, sort, state))


@router.get("/api/reports", summary="报告列表（可筛选、搜索、分页）", tags=["报告"])
def reports_api(
    f: Selected, db: Db, sort: Sort, state: ReviewState, page_no: int = Query(1, alias="page", ge=1)
) -> dict:
    return list_context(db, f, page_no, sort, state)


@router.get("/reports/{report_id}", include_in_schema=False)
def report_page(request: Request, report_id: int, db: Db) -> Response:
    ctx, stored = report_context(db, report_id)
    return page(request, "report.html", ctx, **view.report_html(ctx, stored))


@router.get("/api/reports/{report_id}", summary="一份报告：三张表、出处、核对结果、各部分文字、版本", tags=["报告"])
def report_api(report_id: int, db: Db) -> dict:
    return report_context(db, report_id)[0]


@router.get("/reports/{report_id}/source", include_in_schema=False)
def source_fragment(request: Request, report_id: int, db: Db) -> Response:
    got = queries.get_report(db, report_id)
    if got is None:
        raise HTTPException(404, f"没有编号为 {report_id} 的报告")
    return page(request, "_source.html", source_context(got["report"], Store(db).load_source(report_id)))
