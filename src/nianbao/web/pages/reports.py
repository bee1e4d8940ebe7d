"""The list of reports (filters, search) and the report page (three tables, findings, sources, text)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.engine import Engine

from nianbao.model import Report
from nianbao.store import queries
from nianbao.store.db import Store
from nianbao.template import SECTIONS, layout
from nianbao.web import view
from nianbao.web.params import PAGE_SIZE, Db, Filters, Selected, choices
from nianbao.web.respond import page
from nianbao.web.source import source_context

router = APIRouter()


def list_context(db: Engine, f: Filters, page_no: int) -> dict[str, Any]:
    rows, total = queries.list_reports(db, **f.as_dict(), limit=PAGE_SIZE, offset=(page_no - 1) * PAGE_SIZE)
    return {
        "title": "报告列表",
        "filters": f.as_dict(),
        "query": f.query(),
        "reports": rows,
        "total": total,
        "page": page_no,
        "pages": max(1, -(-total // PAGE_SIZE)),
        "choices": choices(db),
    }


def report_context(db: Engine, report_id: int) -> tuple[dict[str, Any], Report]:
    """The report page's context, and the stored report it was drawn from."""
    got = queries.get_report(db, report_id)
    stored = None if got is None else Store(db).load_report(report_id)  # the cells, as they were read
    if got is None or stored is None:
        raise HTTPException(404, f"没有编号为 {report_id} 的报告")
    meta, doc = got["report"], got["document"]
    found = view.findings(got["diagnostics"] + got["cross"])
    ctx: dict[str, Any] = {
        "title": f"{meta.get('agency') or '（未识别机关）'} {meta.get('year') or ''}年度报告",
        "report": meta,
        "versions": got["versions"],
        "findings": found,
        "cells": view.cells(meta.get("edition"), view.stored_cells(stored), found),
        "sections": sections(got["sections"]),
        "narrative": doc.get("narrative") or [],
        "fees_info": doc.get("fees_info"),
        "notes": doc.get("notes") or [],
        "document": doc,
    }
    return ctx, stored


def sections(stored: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The six sections in template order, as ``{key, number, title, heading, text, location, missing}``."""
    by_key = {s["key"]: s for s in stored}
    out = []
    for spec in SECTIONS:
        s = by_key.get(spec.key) or {}
        out.append(
            {
                "key": spec.key,
                "number": spec.number,
                "title": spec.title,
                "heading": s.get("heading") or f"{spec.number}、{spec.title}",
                "text": s.get("text") or "",
                "location": s.get("location"),
                "missing": not s,
            }
        )
    return out


@router.get("/", include_in_schema=False)
def home() -> RedirectResponse:
    return RedirectResponse("/reports", status_code=307)


@router.get("/reports", include_in_schema=False)
def reports_page(request: Request, f: Selected, db: Db, page_no: int = Query(1, alias="page", ge=1)) -> Response:
    return page(request, "reports.html", list_context(db, f, page_no))


@router.get("/api/reports", summary="报告列表（可筛选、搜索、分页）", tags=["报告"])
def reports_api(f: Selected, db: Db, page_no: int = Query(1, alias="page", ge=1)) -> dict:
    return list_context(db, f, page_no)


@router.get("/reports/{report_id}", include_in_schema=False)
def report_page(request: Request, report_id: int, db: Db) -> Response:
    ctx, stored = report_context(db, report_id)
    pieces = {s["key"]: view.marked(s["text"], ctx["narrative"]) for s in ctx["sections"]}
    split = tuple(str(item.get("name", "")) for item in stored.split_items)
    grids = layout.grids(ctx["report"].get("edition"), split)
    return page(request, "report.html", ctx, grids=grids, pieces=pieces)


@router.get("/api/reports/{report_id}", summary="一份报告：三张表、出处、核对结果、各部分文字、版本", tags=["报告"])
def report_api(report_id: int, db: Db) -> dict:
    return report_context(db, report_id)[0]


@router.get("/reports/{report_id}/source", include_in_schema=False)
def source_fragment(request: Request, report_id: int, db: Db) -> Response:
    got = queries.get_report(db, report_id)
    if got is None:
        raise HTTPException(404, f"没有编号为 {report_id} 的报告")
    return page(request, "_source.html", source_context(got["report"], Store(db).load_source(report_id)))
