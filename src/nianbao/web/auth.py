"""Who is asking: the logged-in user of a request, the role a route needs, the region it may see.

When the app requires login (:mod:`nianbao.web.gate` lets no logged-out request through), the
user is the one of the session cookie; when it does not (served on this computer only), every
request is :data:`LOCAL`, who may do everything. Routes that change something declare the role
they need: ``user: Annotated[User, Depends(require("审核"))]``."""

from __future__ import annotations

import os
from collections.abc import Callable

from fastapi import HTTPException, Request

from nianbao.store.accounts import ROLES, User, check_role
from nianbao.web.limits import LOCAL_HOSTS, host_name

__all__ = [
    "LOCAL",
    "ROLES",
    "User",
    "current_user",
    "in_scope",
    "login_needed",
    "require",
    "require_login",
]

LOCAL = User("本机", ROLES[-1])
COOKIE = "nianbao_session"


def require_login(flag: bool | None = None) -> bool:
    """``flag``, else ``NIANBAO_REQUIRE_LOGIN`` (1/yes/true), else False."""
    if flag is not None:
        return flag
    return os.environ.get("NIANBAO_REQUIRE_LOGIN", "").strip().lower() in ("1", "yes", "true")


def login_needed(bind_host: str, forced: bool = False) -> bool:
    """Whether a server listening on ``bind_host`` requires login: always unless it listens on this
    computer only (127.0.0.1, localhost, ::1), where ``forced`` or ``NIANBAO_REQUIRE_LOGIN`` asks for it."""
    return forced or require_login() or host_name(bind_host) not in LOCAL_HOSTS


def current_user(request: Request) -> User:
    """The logged-in user, or :data:`LOCAL` when the app does not require login."""
    if not request.app.state.require_login:
        return LOCAL
    user = request.scope.get("state", {}).get("user")
    if user is None:  # the gate lets no logged-out request reach a route; this is its second line
        raise HTTPException(401, "请先登录")
    return user


def require(role: str) -> Callable[[Request], User]:
    """A FastAPI dependency: the current user, refused with 403 when its role is below ``role``."""
    check_role(role)

    def dependency(request: Request) -> User:
        user = current_user(request)
        if not user.may(role):
            raise HTTPException(403, f"需要“{role}”权限：用户 {user.name} 的角色是“{user.role}”")
        return user

    return dependency


def in_scope(scope: str | None, region: str | None, agency: str | None) -> bool:
    """Whether a report of ``region``/``agency`` (already loaded) lies within the region ``scope``
    (None: everything): the scope's text in either. The store's
    :func:`nianbao.store.accounts.report_outside` matches stored reports by the region hierarchy,
    as the list's region filter does (:class:`nianbao.web.gate.LoginGate` uses it on report pages)."""
    return scope is None or any(scope in (text or "") for text in (region, agency))
