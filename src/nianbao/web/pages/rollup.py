"""汇总: the three tables of a selection of stored reports summed cell by cell, in the
template's layout, compared with a 本级 report; the same as JSON and as XLSX/DOCX downloads."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response
from sqlalchemy.engine import Engine

from nianbao.analysis.rollup import Member, Rollup, differences, differences_json, member_json, rollup, rollup_json
from nianbao.analysis.rollup_files import rollup_file, title
from nianbao.analysis.select import SelectionError, own_report, select
from nianbao.model import Report
from nianbao.template.layout import grids
from nianbao.web.auth import current_user
from nianbao.web.params import Db, choices, numbers
from nianbao.web.respond import page, wants_json

router = APIRouter()

MEDIA = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
_NAMES = re.compile(r"\s*[\n,，、;；]\s*")  # agencies: one a line, or separated by commas


def _names(values: list[str]) -> list[str]:
    return [x.strip() for v in values for x in _NAMES.split(v) if x.strip()]


@dataclass
class Choice:
    """The selection as the form and the query string give it."""

    region: str | None = None
    year: int | None = None
    agency: list[str] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)
    against: str | None = None

    @property
    def empty(self) -> bool:
        return not (self.region or self.agency or self.ids)


def _chosen(request: Request, db: Engine, c: Choice) -> tuple[Rollup, tuple[int, Report] | None]:
    """The 汇总 of the selection (within the user's region) and the 本级 report, or 404 saying why."""
    scope = current_user(request).region
    try:
        own = own_report(db, c.against, c.year, within=scope) if c.against else None
        pairs = select(db, c.region, c.year, c.agency, c.ids, exclude=[own[0]] if own else (), within=scope)
    except SelectionError as e:
        raise HTTPException(404, str(e)) from None
    if not pairs:
        raise HTTPException(404, "所选范围内没有现行报告")
    return rollup(pairs), own


def rollup_context(request: Request, db: Engine, c: Choice) -> dict[str, Any]:
    ctx: dict[str, Any] = {"title": "汇总", "form": asdict(c), "result": None}
    if c.empty:
        return ctx
    total, own = _chosen(request, db, c)
    result = rollup_json(total)
    if own:
        found = differences_json(differences(total, own[1]))
        result["against"] = {**member_json(Member.of(*own)), "differences": found}
    ctx["result"] = result
    return ctx


def choice(
    region: str | None = Query(None, description="地区，任一级（北京市、西城区、某街道）"),
    year: str | None = Query(None, description="报告年度"),
    agency: Annotated[list[str] | None, Query(description="机关名称（可多次给出，或一行一个）")] = None,
    ids: Annotated[list[str] | None, Query(alias="id", description="报告编号（可多次给出，或逗号分隔）")] = None,
    against: str | None = Query(None, description="与之比较的本级报告：机关名称或报告编号"),
) -> Choice:
    years = numbers([year or ""], "年度")
    return Choice(
        (region or "").strip() or None,
        years[0] if years else None,
        _names(agency or []),
        numbers(ids, "报告编号"),
        (against or "").strip() or None,
    )


Chosen = Annotated[Choice, Depends(choice)]


@router.get("/rollup", include_in_schema=False)
def rollup_page(request: Request, db: Db, c: Chosen) -> Response:
    """The form stays on the page when the selection finds nothing (the reason above it)."""
    try:
        ctx, status = rollup_context(request, db, c), 200
    except HTTPException as e:
        if wants_json(request):
            raise
        ctx, status = {"title": "汇总", "form": asdict(c), "result": None, "error": e.detail}, e.status_code
    result = ctx["result"] or {}
    differing = {d["path"]: d for d in result.get("against", {}).get("differences", [])}
    grid = grids(result["edition"]) if result else ()
    extra = {"choices": choices(db, c.region), "grids": grid, "differing": differing, "query": request.url.query}
    return page(request, "rollup.html", ctx, status, **extra)


@router.get("/api/rollup", summary="汇总：所选报告三张表逐格相加，可与本级报告比较", tags=["汇总"])
def rollup_api(request: Request, db: Db, c: Chosen) -> dict:
    if c.empty:
        raise HTTPException(400, "请指定地区、机关或报告编号")
    return rollup_context(request, db, c)


@router.get("/rollup.{kind}", summary="汇总表下载（模板版式：XLSX 或 DOCX）", tags=["汇总"])
def rollup_download(request: Request, db: Db, kind: Literal["xlsx", "docx"], c: Chosen) -> Response:
    if c.empty:
        raise HTTPException(400, "请指定地区、机关或报告编号")
    total, _ = _chosen(request, db, c)  # the 本级 report compared with is left out, as on the page
    name = title(total, c.region)
    disposition = f"attachment; filename=\"rollup.{kind}\"; filename*=UTF-8''{quote(name)}.{kind}"
    data = rollup_file(total, kind, c.region, c.year)
    return Response(data, media_type=MEDIA[kind], headers={"content-disposition": disposition})
