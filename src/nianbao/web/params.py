"""Request parameters shared by the pages: the store, and the filters of the list, dashboard and exports."""

from __future__ import annotations

import re
import time
import weakref
from dataclasses import asdict, dataclass
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends, HTTPException, Query, Request
from sqlalchemy.engine import Engine

from nianbao.store import queries, review
from nianbao.template import agencies
from nianbao.web.auth import current_user

STATUSES = {"error": "有错误", "warning": "有警告（无错误）", "ok": "无错误无警告"}  # counting cross-report findings
REVIEW_STATES = review.STATES  # the list's 核查状态 filter
SORTS = {"year": "年度（新→旧）", "errors": "错误最多", "warnings": "警告最多", "agency": "机关名称"}
PAGE_SIZE = 50
CHOICES_SECONDS = 30.0  # the filter menus may lag an ingest in another process by this much
_SEPARATORS = re.compile(r"[\s,，、;；]+")  # numbers typed in one box: by spaces or commas
_choices: weakref.WeakKeyDictionary[Engine, tuple[float, dict[str, object]]] = weakref.WeakKeyDictionary()


def engine(request: Request) -> Engine:
    """The store's engine, opened once by ``create_app``."""
    return request.app.state.engine


def choices(db: Engine, region: str | None = None) -> dict[str, object]:
    """What the filter menus offer (regions, years, statuses); kept for a few seconds. The region
    menu cascades: the provinces (top levels), and the levels below each level of ``region``."""
    now = time.monotonic()
    hit = _choices.get(db)
    if hit is None or now - hit[0] > CHOICES_SECONDS:
        hit = now, {"regions": queries.regions(db), "years": queries.years(db), "statuses": STATUSES}
        _choices[db] = hit
    return {**hit[1], "regions": cascade(hit[1]["regions"], region)}  # type: ignore[arg-type]


def cascade(tree: list[dict], region: str | None) -> list[dict]:
    """The nodes of the region ``tree`` a menu shows: the top levels, and the children of every
    level of the node ``region`` names (its value, or the end of its chain: ``西城区``)."""
    want = agencies.region_chain(region) if region else ()
    chosen = next((n["chain"] for n in tree if n["value"] == region), None)
    chosen = chosen or next((n["chain"] for n in tree if want and tuple(n["chain"][-len(want) :]) == want), [])
    opened = {tuple(chosen[:i]) for i in range(1, len(chosen) + 1)}
    return [n for n in tree if n["depth"] == 0 or tuple(n["chain"][:-1]) in opened]


def forget_choices(db: Engine) -> None:
    """After an upload: the menus may have a new region or year."""
    _choices.pop(db, None)


def _text(v: str | None) -> str | None:
    v = (v or "").strip()
    return v or None


def numbers(values: list[str] | None, what: str, beyond: int = 400) -> list[int]:
    """The whole numbers given (several per value, separated by spaces or commas), e.g. years or
    report ids of the compare, 汇总 and peers pages; 400 naming the first that is not one, and
    ``beyond`` (404 for report ids: no such report) naming one beyond what the store holds."""
    items = [x for v in values or [] for x in _SEPARATORS.split(v.strip()) if x]
    bad = next((x for x in items if not (x.isascii() and x.isdigit())), None)
    if bad is not None:
        raise HTTPException(400, f"{what}应为数字：{bad[:20]}")
    big = next((x for x in items if len(x) > 10 or not queries.fits(int(x))), None)
    if big is not None:
        raise HTTPException(beyond, f"{what}超出范围：{big[:20]}")
    return [int(x) for x in items]


def _int(v: str | None) -> int | None:
    """A year typed in a filter: ignored when it is not a number, refused (400) when out of range."""
    v = (v or "").strip()
    if not (v.isascii() and v.isdigit()):
        return None
    if len(v) > 10 or not queries.fits(int(v)):
        raise HTTPException(400, f"年度超出范围：{v[:20]}")
    return int(v)


@dataclass(frozen=True)
class Filters:
    region: str | None = None
    agency: str | None = None
    year: int | None = None
    edition: str | None = None
    status: str | None = None  # one of STATUSES
    q: str | None = None
    scope: str | None = None  # the logged-in account's region (nianbao.web.auth); never in links

    def as_dict(self) -> dict[str, object]:
        return asdict(self)

    def query(self) -> str:
        """The filters as a query string (for links to exports and the dashboard)."""
        return urlencode({k: v for k, v in asdict(self).items() if v is not None and k != "scope"})


def filters(
    request: Request,
    region: str | None = Query(None, description="地区，任一级：江苏省、北京市西城区、西城区、北京市通州区宋庄镇"),
    agency: str | None = Query(
        None, description="机关名称：库中任一写法或规范名称（同一机关的各种写法都算）；否则为名称中的词"
    ),
    year: str | None = Query(None, description="报告年度"),
    edition: str | None = Query(None, description="模板版本：2021 / 2019"),
    status: str | None = Query(None, description="error（有错误）/ warning（有警告无错误）/ ok（都没有）"),
    q: str | None = Query(None, description="机关名称、地区（省市县镇任一级）或文件名中的词；繁体亦可"),
) -> Filters:
    return Filters(
        region=_text(region),
        agency=_text(agency),
        year=_int(year),
        edition=_text(edition),
        status=status if status in STATUSES else None,
        q=_text(q),
        scope=current_user(request).region,
    )


def sort(
    sort: str | None = Query(
        None, description="排序：year（年度新→旧）/ errors（错误最多）/ warnings（警告最多）/ agency（机关名称）"
    ),
) -> str:
    return sort if sort in SORTS else "year"


def review_state(
    review: str | None = Query(
        None, description="核查状态：只列出有该状态问题的报告（待核实/已核实/误报/需整改/已整改）"
    ),
) -> str | None:
    return review if review in REVIEW_STATES else None


Db = Annotated[Engine, Depends(engine)]
Selected = Annotated[Filters, Depends(filters)]
Sort = Annotated[str, Depends(sort)]
ReviewState = Annotated[str | None, Depends(review_state)]
