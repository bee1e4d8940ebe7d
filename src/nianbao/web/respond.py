"""One page = one context dict, drawn by a Jinja template or returned as JSON.

``page(request, "reports.html", ctx)`` returns the HTML page, or the same
``ctx`` as JSON when the request asks ``?format=json``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape

from nianbao.template import EDITION_2021
from nianbao.template.names import SEVERITY_NAMES, number
from nianbao.web.labels import cell_label

HERE = Path(__file__).parent
ECHARTS = "echarts-6.1.0.common.min.js"
HTMX = "htmx-2.0.11.min.js"
SWAGGER_JS = "swagger-ui-5.35.0-bundle.js"
SWAGGER_CSS = "swagger-ui-5.35.0.css"

T3_LABEL = {r.key: r.label for r in EDITION_2021.table3}  # 表三 row labels, for page text


def location_text(loc: dict[str, Any] | None) -> str:
    """``{"page": 2, "line": 5}`` → ``第2页 第5行``; ``{"table": 1, "row": 3, "col": 2}`` → ``表格1 第3行第2列``."""
    if not loc:
        return ""
    out = []
    if loc.get("page") is not None:
        out.append(f"第{loc['page']}页")
    if loc.get("line") is not None:
        out.append(f"第{loc['line']}行")
    if loc.get("table") is not None:
        out.append(f"表格{loc['table']}")
    if loc.get("row") is not None:  # every reader counts rows and columns from 1
        out.append(f"第{loc['row']}行" + (f"第{loc['col']}列" if loc.get("col") is not None else ""))
    return " ".join(out)


def percent(v: Any) -> str:
    return "—" if v is None else f"{v * 100:.1f}%"


def _env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(loc=location_text, num=number, pct=percent, cell_label=cell_label)
    env.globals.update(ECHARTS=ECHARTS, HTMX=HTMX, SEVERITY_ZH=SEVERITY_NAMES, T3_LABEL=T3_LABEL)
    return env


templates = Jinja2Templates(env=_env())


def wants_json(request: Request) -> bool:
    return request.query_params.get("format") == "json"


def page(request: Request, name: str, ctx: dict[str, Any], status_code: int = 200, **html: Any) -> Response:
    """``ctx`` as the template ``name`` (with the HTML-only extras ``html``), or as JSON on ``?format=json``."""
    if wants_json(request):
        return JSONResponse(ctx, status_code=status_code)
    return templates.TemplateResponse(request, name, {**ctx, **html}, status_code=status_code)


def error_page(request: Request, status_code: int, message: str) -> Response:
    ctx = {"error": message, "status": status_code}
    if wants_json(request) or request.url.path.startswith("/api/"):
        return JSONResponse(ctx, status_code=status_code)
    return HTMLResponse(templates.get_template("error.html").render(request=request, **ctx), status_code=status_code)
