"""``/users`` (管理 only): the accounts, adding one, changing a password, removing one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from nianbao.store.accounts import ROLES, AccountError, add_user, list_users, remove_user, set_password
from nianbao.web.auth import User, require
from nianbao.web.respond import page, wants_json

router = APIRouter()
Admin = Annotated[User, Depends(require("管理"))]


def _page(request: Request, status: int = 200, error: str = "", done: str = "") -> Response:
    ctx = {"title": "用户", "users": list_users(request.app.state.engine), "roles": ROLES, "error": error, "done": done}
    return page(request, "users.html", ctx, status_code=status)


def _after(request: Request, change, done: str) -> Response:
    """Run ``change``; the page again with what was done, or with why it could not be."""
    try:
        change()
    except AccountError as e:
        return _page(request, 400, error=str(e))
    if wants_json(request):
        return _page(request, done=done)
    return RedirectResponse(f"/users?done={done}", status_code=303)


@router.get("/users", include_in_schema=False)
def users_page(request: Request, user: Admin, done: str = "") -> Response:
    return _page(request, done=done[:80])


@router.get("/api/users", summary="用户列表（需“管理”权限）", tags=["账户"])
def users_api(request: Request, user: Admin) -> dict:
    return {"users": list_users(request.app.state.engine), "roles": list(ROLES)}


@router.post("/users", summary="添加用户（需“管理”权限）", tags=["账户"])
def users_add(
    request: Request,
    user: Admin,
    name: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=256)],
    role: Annotated[str, Form()],
    region: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    engine = request.app.state.engine
    return _after(request, lambda: add_user(engine, name, password, role, region, who=user.name), f"已添加用户 {name}")


@router.post("/users/{name}/password", summary="修改用户密码（需“管理”权限）", tags=["账户"])
def users_password(
    request: Request, user: Admin, name: str, password: Annotated[str, Form(max_length=256)]
) -> Response:
    engine = request.app.state.engine
    return _after(request, lambda: set_password(engine, name, password, who=user.name), f"已修改 {name} 的密码")


@router.post("/users/{name}/remove", summary="删除用户（需“管理”权限）", tags=["账户"])
def users_remove(request: Request, user: Admin, name: str) -> Response:
    if name == user.name:
        return _page(request, 400, error="不能删除自己：请用另一个“管理”用户删除")
    engine = request.app.state.engine
    return _after(request, lambda: remove_user(engine, name, who=user.name), f"已删除用户 {name}")
