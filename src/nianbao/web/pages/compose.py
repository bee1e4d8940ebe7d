"""The 新建年报 page: compose an agency's report for a year — from the ledger's tallies, from
the units' reports (本级政府), from a saved draft or by hand — with every rule of the catalogue
run as the user types, drafts saved with versions, and the report published (DOCX / HTML /
PDF) or stored.

The form's boxes are named by cell path (``table3.granted.total``) and ``section.<key>``;
:func:`nianbao.pipeline.compose.composed` turns them into a report."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from nianbao.analysis.rollup import Rollup
from nianbao.analysis.select import SelectionError
from nianbao.ledger import check_ledger, read_ledger_bytes, tally
from nianbao.ledger.compose import prefill
from nianbao.model import SEVERITIES, Diagnostic, Report, ReportError, Section, Source
from nianbao.pipeline.compose import (
    FORMATS,
    UNITS_DIFFER,
    as_typed,
    check_composed,
    composed,
    edition_for,
    publish,
    unit_difference,
    unit_differences,
    units_report,
    units_rollup,
)
from nianbao.pipeline.workers import WorkerLost
from nianbao.render.docx import fee_sentence
from nianbao.render.json import report_from_json, report_json
from nianbao.render.office import OfficeError
from nianbao.store import agencies as identity
from nianbao.store.db import Store
from nianbao.store.drafts import draft_info, draft_versions, load_draft, previous_report, restore_draft, save_draft
from nianbao.store.schema import StoreError
from nianbao.template import SECTION_TABLES, SECTIONS, layout
from nianbao.web import view
from nianbao.web.auth import User, current_user, in_scope, require
from nianbao.web.labels import cell_label
from nianbao.web.respond import error_page, page
from nianbao.web.uploading import label, too_large

router = APIRouter()
Writer = Annotated[User, Depends(require("审核"))]  # saving drafts and 入库 change the store

SECTION = "section."
YEARS = (2000, 2100)
MEDIA = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
}


def tally_for(arg: tuple[str, bytes, int, str]) -> dict[str, Any]:
    """In a worker: the ledger's report of the year (plain JSON), or its errors."""
    name, data, year, agency = arg
    try:
        ledger = read_ledger_bytes(data, name)
    except ReportError as e:
        return {"error": str(e)}
    errors = [d.message for d in check_ledger(ledger, year) if d.severity == "error"]
    if errors:
        return {"error": f"台账有{len(errors)}处错误，改正后再统计（见“台账”页）：" + "；".join(errors[:5])}
    return {"report": report_json(tally(ledger, year, agency).report, full=True)}


def _year(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() and YEARS[0] <= int(text) <= YEARS[1] else None


def _unit_names(text: str) -> list[str]:
    return [n.strip() for n in text.replace("、", "\n").splitlines() if n.strip()]


async def _composed(request: Request) -> tuple[Report, list[str], FormData] | Response:
    """The report the form holds, the cells whose text is not a number, and the form."""
    form = await request.form()
    agency, year = str(form.get("agency") or "").strip(), _year(str(form.get("year") or ""))
    if not agency or year is None:
        return error_page(request, 400, "请填写报告机关和年度（如 2024）")
    typed = {k: str(v) for k, v in form.items() if k.startswith("table")}
    texts = {k[len(SECTION) :]: str(v) for k, v in form.items() if k.startswith(SECTION)}
    return (*composed(agency, year, typed, texts, str(form.get("published") or "").strip()), form)


def _within(request: Request) -> Callable[[Report], bool]:
    """Whether a report lies within the logged-in user's region (everything when login is off)."""
    scope = current_user(request).region
    return lambda r: in_scope(scope, r.region, r.agency)


def _units(request: Request, year: int, units: str, region: str, own: str | None) -> tuple[Rollup, list[str]]:
    engine = request.app.state.engine
    return units_rollup(engine, year, _unit_names(units), region.strip() or None, own, _within(request))


def _against_units(request: Request, report: Report, units: str, region: str) -> list[Diagnostic]:
    """When the report started from its units' 汇总: each cell typed otherwise than the 汇总, naming the units."""
    if not (units.strip() or region.strip()) or report.year is None:
        return []
    try:
        total, _ = _units(request, report.year, units, region, report.agency)
    except SelectionError:
        return []
    return [Diagnostic(UNITS_DIFFER, "info", unit_difference(d), (d.path,)) for d in unit_differences(total, report)]


def _checked(
    report: Report, bad: list[str], previous: Report | None = None, more: Sequence[Diagnostic] = ()
) -> dict[str, Any]:
    found = view.findings([view.diagnostic(d) for d in [*check_composed(report, previous), *more]])
    invalid = [{"cells": [p], "anchor": view.anchor(p), "message": f"{cell_label(p)}：不是数字"} for p in bad]
    counts = {s: sum(f["severity"] == s for f in found) for s in SEVERITIES}
    return {"findings": found, "invalid": invalid, "counts": counts}


def _editor(
    request: Request,
    report: Report,
    notes: list[str],
    draft: dict[str, Any] | None = None,
    units: str = "",
    region: str = "",
    previous: Report | None = None,
) -> Response:
    """The editor on ``report``; ``previous`` is the agency's stored report of the year before
    when the caller already loaded it (else it is looked up here)."""
    assert report.agency and report.year
    typed, texts = as_typed(report)
    ed = edition_for(report.year)
    engine = request.app.state.engine
    typed_report = composed(report.agency, report.year, typed, texts, report.published)
    more = _against_units(request, typed_report[0], units, region)
    previous = previous or previous_report(engine, report.agency, report.year)
    ctx = {
        "title": f"新建年报 · {report.agency}{report.year}年度",
        "agency": report.agency,
        "year": report.year,
        "edition": ed.name,
        "published": report.published or "",
        "typed": typed,
        "texts": texts,
        "notes": notes,
        "draft": draft,
        "versions": draft_versions(engine, report.agency, report.year),
        "units": units,
        "region": region,
        "checked": _checked(*typed_report, previous, more),
    }
    sections = [
        {"key": s.key, "heading": f"{s.number}、{s.title}", "table": SECTION_TABLES.get(s.key)} for s in SECTIONS
    ]
    return page(request, "compose.html", ctx, grids={g.key: g for g in layout.grids(ed.name)}, sections=sections)


@router.get("/compose", include_in_schema=False)
def compose_form(request: Request) -> Response:
    return page(request, "compose_start.html", {"title": "新建年报", "error": None})


def _start_error(request: Request, message: str) -> Response:
    return page(request, "compose_start.html", {"title": "新建年报", "error": message}, status_code=400)


@router.post("/compose", include_in_schema=False)
async def compose_start(
    request: Request,
    agency: Annotated[str, Form()] = "",
    year: Annotated[str, Form()] = "",
    start: Annotated[str, Form()] = "blank",
    units: Annotated[str, Form()] = "",
    region: Annotated[str, Form()] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Open the editor for an agency and year, starting from ``start``: blank / ledger / units / draft."""
    agency, y = agency.strip(), _year(year)
    if not agency or y is None:
        return _start_error(request, "请填写报告机关和年度（如 2024）")
    if not _mine(request, agency):
        return _start_error(request, f"{agency}不在你的地区范围内")
    engine, notes = request.app.state.engine, []
    report = composed(agency, y, {}, {})[0]
    if start == "ledger":
        if file is None or not file.filename:
            return _start_error(request, "请选择台账文件（XLSX）")
        data = await file.read(request.app.state.max_upload_bytes + 1)
        if why := too_large(request, data):
            return _start_error(request, why)
        try:
            got = await run_in_threadpool(
                request.app.state.workers.call, tally_for, (label(file.filename), data, y, agency)
            )
        except WorkerLost as e:
            got = {"error": str(e)}
        if "error" in got:
            return _start_error(request, f"{label(file.filename)}：{got['error']}")
        report = report_from_json(got["report"])
        notes.append("表三、表四和第六部分的信息处理费由台账统计。")
    elif start == "units":
        try:
            total, missing = _units(request, y, units, region, agency)
        except SelectionError as e:
            return _start_error(request, str(e))
        report, own_cells = units_report(total, agency, y)
        summed = "、".join(m.name + ("（草稿）" if isinstance(m.id, str) else "") for m in total.members)
        notes += [f"三张表由{len(total.members)}份下属单位的报告汇总：{summed}。", own_cells]
        notes += [f"下属单位“{n}”没有{y}年度的报告或草稿，未计入汇总。" for n in missing]
    elif start == "draft":
        versions = draft_versions(engine, agency, y)
        if not versions:
            return _start_error(request, f"{agency}没有{y}年度的草稿")
        return _editor(request, load_draft(engine, versions[0]["id"]), [], versions[0])
    previous = previous_report(engine, agency, y)
    if previous is None:
        notes.append(f"库中没有{agency}{y - 1}年度的报告：上年结转和表二存量请自行填写。")
    else:
        filled = prefill(previous, report)
        notes += [f"已按{y - 1}年度报告补上{len(filled)}格（上年结转、表二存量）。"] if filled else []
    if report.fees.notices is not None and "other" not in report.sections:  # the ledger's fees, as 六 says them
        report.sections["other"] = Section("other", SECTIONS[-1].title, fee_sentence(report))
    return _editor(request, report, notes, units=units, region=region, previous=previous)


def _mine(request: Request, agency: str) -> bool:
    """Whether the user may see and write ``agency``'s drafts (its name within the user's region)."""
    return in_scope(current_user(request).region, None, agency)


def _draft(request: Request, draft_id: int) -> tuple[dict[str, Any], Report]:
    """A draft version the user may see: its details and the report (StoreError otherwise)."""
    info = draft_info(request.app.state.engine, draft_id)
    if not _mine(request, info["agency"]):
        raise StoreError(f"没有编号为{draft_id}的草稿")
    return info, load_draft(request.app.state.engine, draft_id)


@router.get("/compose/drafts/{draft_id}", include_in_schema=False)
def compose_draft(request: Request, draft_id: int) -> Response:
    try:
        info, report = _draft(request, draft_id)
    except StoreError as e:
        return error_page(request, 404, str(e))
    return _editor(request, report, [], info)


@router.post("/api/compose/check")
async def api_check(request: Request) -> Response:
    """The findings of every rule on the report as typed (the compose form's fields)."""
    got = await _composed(request)
    if isinstance(got, Response):
        return got
    report, bad, form = got
    units, region = str(form.get("units") or ""), str(form.get("region") or "")
    engine = request.app.state.engine
    more = await run_in_threadpool(_against_units, request, report, units, region)
    previous = await run_in_threadpool(previous_report, engine, report.agency, report.year)
    return JSONResponse(_checked(report, bad, previous, more))


@router.post("/api/compose/drafts")
async def api_save(request: Request, user: Writer) -> Response:
    """Save the form as the next version of the agency's draft for the year; returns every version."""
    got = await _composed(request)
    if isinstance(got, Response):
        return got
    report = got[0]
    if not _mine(request, report.agency or ""):
        return error_page(request, 403, f"{report.agency}不在你的地区范围内")
    engine = request.app.state.engine
    saved = await run_in_threadpool(save_draft, engine, report, user.name)
    versions = await run_in_threadpool(draft_versions, engine, saved["agency"], saved["year"])
    return JSONResponse({"saved": saved, "versions": versions})


@router.get("/api/compose/drafts")
def api_versions(request: Request, agency: str, year: int) -> Response:
    versions = draft_versions(request.app.state.engine, agency, year) if _mine(request, agency) else []
    return JSONResponse({"versions": versions})


@router.get("/api/compose/drafts/{draft_id}")
def api_draft(request: Request, draft_id: int) -> Response:
    """One version: its details, the boxes as typed and the findings."""
    try:
        info, report = _draft(request, draft_id)
    except StoreError as e:
        return error_page(request, 404, str(e))
    typed, texts = as_typed(report)
    return JSONResponse({"draft": info, "typed": typed, "texts": texts, "published": report.published})


@router.post("/api/compose/drafts/{draft_id}/restore")
def api_restore(request: Request, draft_id: int, user: Writer) -> Response:
    """Save version ``draft_id`` again as the newest."""
    engine = request.app.state.engine
    try:
        _draft(request, draft_id)
        saved = restore_draft(engine, draft_id, user.name)
    except StoreError as e:
        return error_page(request, 404, str(e))
    return JSONResponse({"saved": saved, "versions": draft_versions(engine, saved["agency"], saved["year"])})


@router.post("/compose/publish")
async def compose_publish(request: Request, kind: str = "docx") -> Response:
    """The report as typed, written as ``kind`` (docx / html / pdf) for download."""
    if kind not in FORMATS:
        return error_page(request, 400, "只能写出 docx、html 或 pdf")
    got = await _composed(request)
    if isinstance(got, Response):
        return got
    report = got[0]
    try:
        done = await run_in_threadpool(publish, report, kind)
    except OfficeError as e:
        return error_page(request, 503, str(e))
    if done.lost:
        return error_page(request, 500, f"写出的文件读回后有{len(done.lost)}格与所填的数不符，请勿发布并报告此问题")
    name = quote(f"{report.agency}{report.year}年政府信息公开工作年度报告.{kind}")
    headers = {"Content-Disposition": f"attachment; filename*=UTF-8''{name}"}
    return Response(done.data, media_type=MEDIA[kind], headers=headers)


@router.post("/compose/store")
async def compose_store(request: Request, user: Writer) -> Response:
    """入库: the report as published (DOCX, read back) stored like an upload; to its report page."""
    got = await _composed(request)
    if isinstance(got, Response):
        return got
    report = got[0]
    done = await run_in_threadpool(publish, report, "docx")
    if done.lost:
        return error_page(request, 500, f"写出的文件读回后有{len(done.lost)}格与所填的数不符，未入库，请报告此问题")
    back = done.back
    named = Source(f"{report.agency}{report.year}年度报告.docx", back.report.source.sha256, "docx")
    back.report.source = named
    store = Store(request.app.state.engine)
    # as an upload: a new version of an agency-year already stored waits for 确认 on its report page
    args = (back.report, back.findings, back.source(), done.data, user.name)
    saved = await run_in_threadpool(store.save, *args, pending=True)
    await run_in_threadpool(identity.ensure, store.engine)  # its agency named for users who may only read
    return RedirectResponse(f"/reports/{saved.report_id}", status_code=303)
