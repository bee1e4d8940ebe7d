"""Logging in and out: ``/login`` (the form; POST checks the password, sets the session cookie)
and ``POST /logout``. Failed tries are slowed down per user name and per address."""

from __future__ import annotations

import math
import os
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from nianbao.store.accounts import SESSION_HOURS, authenticate, close_session, failed_login, open_session
from nianbao.web.auth import COOKIE, current_user
from nianbao.web.respond import page, wants_json
from nianbao.web.throttle import ADDRESS_LIMIT, USER_LIMIT

router = APIRouter()


def safe_next(target: str | None) -> str:
    """Where to go after logging in: a path of this site only (never ``//other.site`` or a URL)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/reports"
    return target


def session_hours() -> float:
    try:
        hours = float(os.environ.get("NIANBAO_SESSION_HOURS") or SESSION_HOURS)
    except ValueError:
        return SESSION_HOURS
    return hours if 0 < hours < 24 * 366 else SESSION_HOURS


def _form(request: Request, status: int = 200, error: str = "", name: str = "", target: str | None = None) -> Response:
    """The login form (with ``error``); a refused login is ``status`` for the API, 200 for the form
    (a browser shows it again, without logging an error)."""
    ctx = {"title": "登录", "error": error, "name": name, "next": safe_next(target)}
    return page(request, "login.html", ctx, status_code=status if wants_json(request) else 200)


@router.get("/login", include_in_schema=False)
def login_page(request: Request, next: str | None = None) -> Response:
    if not request.app.state.require_login:
        return RedirectResponse(safe_next(next), status_code=303)
    return _form(request, target=next)


@router.post("/login", summary="登录（表单字段 name、password；成功后设置会话 Cookie）", tags=["账户"])
async def login(
    request: Request,
    name: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=256)],
    next: Annotated[str | None, Form()] = None,
) -> Response:
    engine, throttle = request.app.state.engine, request.app.state.throttle
    address = request.client.host if request.client else ""
    wait = max(throttle.wait(f"user:{name}", USER_LIMIT), throttle.wait(f"address:{address}", ADDRESS_LIMIT))
    if wait:
        await run_in_threadpool(failed_login, engine, name, address)
        return _form(request, 429, f"登录失败次数过多，请 {math.ceil(wait / 60)} 分钟后再试", name, next)
    user = await run_in_threadpool(authenticate, engine, name, password)
    if user is None:
        throttle.fail(f"user:{name}")
        throttle.fail(f"address:{address}")
        await run_in_threadpool(failed_login, engine, name, address)
        return _form(request, 401, "用户名或密码不正确", name, next)
    throttle.forget(f"user:{name}")
    hours = session_hours()
    token = await run_in_threadpool(open_session, engine, user.name, address, hours)
    body = {"user": {"name": user.name, "role": user.role, "region": user.region}}
    response: Response = JSONResponse(body) if wants_json(request) else RedirectResponse(safe_next(next), 303)
    response.set_cookie(
        COOKIE,
        token,
        max_age=int(hours * 3600),
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https" or os.environ.get("NIANBAO_SECURE_COOKIE") == "1",
    )
    return response


@router.post("/logout", summary="退出登录（结束本会话）", tags=["账户"])
async def logout(request: Request) -> Response:
    token = request.cookies.get(COOKIE)
    if token:
        await run_in_threadpool(close_session, request.app.state.engine, token)
    response: Response = (
        JSONResponse({"user": None}) if wants_json(request) else RedirectResponse("/login", status_code=303)
    )
    response.delete_cookie(COOKIE, httponly=True, samesite="lax")
    return response


@router.get("/api/me", summary="当前用户（未要求登录时为“本机”，角色“管理”）", tags=["账户"])
def me(request: Request) -> dict:
    user = current_user(request)
    return {"name": user.name, "role": user.role, "region": user.region, "login": request.app.state.require_login}
