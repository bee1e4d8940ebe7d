"""``create_app(db_url)``: the FastAPI app — routers, static files, templates; nothing else."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from nianbao.pipeline.workers import Bounds, Workers, positive
from nianbao.store.db import connect
from nianbao.web.auth import require_login as login_wanted
from nianbao.web.gate import LoginGate
from nianbao.web.limits import LOCAL_HOSTS, BodyLimit, Guard, SecurityHeaders
from nianbao.web.pages import (
    agency,
    audit,
    checked,
    compare,
    compose,
    dashboard,
    exports,
    ledger,
    login,
    matrix,
    metrics,
    notices,
    peers,
    reports,
    review,
    rollup,
    upload,
    users,
    versions,
)
from nianbao.web.respond import HERE, SWAGGER_CSS, SWAGGER_JS, error_page
from nianbao.web.throttle import Throttle

MAX_UPLOAD_MB = 50
UPLOAD_WORKERS = 2


def allowed_hosts(hosts: Iterable[str] | None = None) -> list[str]:
    """``hosts``, else ``NIANBAO_ALLOWED_HOSTS`` (comma-separated), else the local names."""
    if hosts is None:
        hosts = [h for h in os.environ.get("NIANBAO_ALLOWED_HOSTS", "").split(",") if h.strip()] or LOCAL_HOSTS
    return list(hosts)


def create_app(
    db_url: str | None = None,
    max_upload_mb: float | None = None,
    hosts: Iterable[str] | None = None,
    bounds: Bounds | None = None,
    require_login: bool | None = None,
) -> FastAPI:
    """The web app over the store at ``db_url`` (default: the store's default SQLite file).

    Uploads are limited to ``max_upload_mb`` (default ``NIANBAO_MAX_UPLOAD_MB`` or 50) and read
    in ``NIANBAO_UPLOAD_WORKERS`` (2) worker processes bounded by ``bounds`` (default
    :meth:`Bounds.from_env`). Only the Host names ``hosts`` are answered (default
    ``NIANBAO_ALLOWED_HOSTS``, comma-separated, or the local names). With ``require_login``
    (default ``NIANBAO_REQUIRE_LOGIN``; ``nianbao serve`` sets it when bound beyond this computer)
    every request needs a logged-in user (:mod:`nianbao.web.gate`)."""
    limit_mb = max_upload_mb or float(os.environ.get("NIANBAO_MAX_UPLOAD_MB") or MAX_UPLOAD_MB)
    workers = Workers(positive(os.environ.get("NIANBAO_UPLOAD_WORKERS")) or UPLOAD_WORKERS, bounds)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        with workers:  # stopped with the server
            yield

    app = FastAPI(
        lifespan=lifespan,
        title="nianbao 政府信息公开工作年度报告",
        description="年度报告的上传、核对、浏览、比较与导出。每个页面加 `?format=json` 即得同样的数据；`/api/…` 为 JSON 接口。",
        version="1",
        docs_url=None,
        redoc_url=None,
    )
    app.state.engine = connect(db_url)
    app.state.max_upload_bytes = int(limit_mb * 1024 * 1024)
    app.state.workers = workers
    app.state.upload_slots = asyncio.Semaphore(workers.size)
    app.state.require_login = login_wanted(require_login)
    app.state.throttle = Throttle()
    if app.state.require_login:
        app.add_middleware(LoginGate, engine=app.state.engine)
    app.add_middleware(BodyLimit, limit=app.state.max_upload_bytes)
    app.add_middleware(Guard, hosts=allowed_hosts(hosts), same_origin_only=app.state.require_login)
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    for module in (
        reports,
        upload,
        agency,
        compare,
        dashboard,
        exports,
        ledger,
        login,
        users,
        audit,
        compose,
        review,
        versions,
        notices,
        checked,
        matrix,
        metrics,
        peers,
        rollup,
    ):
        app.include_router(module.router)

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="nianbao API",
            swagger_js_url=f"/static/{SWAGGER_JS}",
            swagger_css_url=f"/static/{SWAGGER_CSS}",
            swagger_favicon_url="/static/favicon.svg",
        )

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        detail = "找不到这个页面" if exc.status_code == 404 and exc.detail == "Not Found" else str(exc.detail)
        return error_page(request, exc.status_code, detail)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError):
        names = "、".join(str(e["loc"][-1]) for e in exc.errors())
        return error_page(request, 422, f"请求参数有误：{names}")

    return app
