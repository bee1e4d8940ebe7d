"""The login gate, for an app served beyond this computer: a logged-out request gets the login
page (pages: a redirect to ``/login``; ``/api/…`` and ``?format=json``: 401 JSON) and nothing
else but the static files; a 查看 user changes nothing; a user limited to a region finds no
report or agency outside it (every ``/reports/{id}…`` and ``/agencies/…`` path answers 404)."""

from __future__ import annotations

import re
from urllib.parse import quote

from sqlalchemy.engine import Engine
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from nianbao.store.accounts import User, agency_outside, report_outside, session_user
from nianbao.web.auth import COOKIE
from nianbao.web.limits import SAFE_METHODS
from nianbao.web.respond import error_page, wants_json

PUBLIC = ("/login", "/static/")  # what a logged-out browser may fetch: the login page and its styles
READER_POSTS = ("/login", "/logout")  # the only changes a 查看 user makes
REPORT_PATH = re.compile(r"^(?:/api)?/reports/([0-9]+)(?:/|$)")
AGENCY_PATH = re.compile(r"^(?:/api)?/agencies/(.+)$")


class LoginGate:
    def __init__(self, app: ASGIApp, engine: Engine) -> None:
        self.app, self.engine = app, engine

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        token = request.cookies.get(COOKIE)
        user = await run_in_threadpool(session_user, self.engine, token) if token else None
        scope.setdefault("state", {})["user"] = user
        refusal = await self._refusal(request, user)
        if refusal is None:
            await self.app(scope, receive, send)
        else:
            await refusal(scope, receive, send)

    async def _refusal(self, request: Request, user: User | None) -> Response | None:
        path = request.url.path
        if user is None:
            return None if path.startswith(PUBLIC) else logged_out(request)
        if request.method not in SAFE_METHODS and path not in READER_POSTS and not user.may("审核"):
            return error_page(request, 403, f"用户 {user.name} 的角色是“{user.role}”，只能查看，不能修改")
        if user.region is not None and await run_in_threadpool(self._outside, path, user.region):
            return error_page(request, 404, "找不到这个页面")
        return None

    def _outside(self, path: str, region: str) -> bool:
        """Whether ``path`` is the page of a report or an agency outside ``region``."""
        if report := REPORT_PATH.match(path):
            return report_outside(self.engine, int(report.group(1)), region)
        if agency := AGENCY_PATH.match(path):
            return agency_outside(self.engine, agency.group(1), region)
        return False


def logged_out(request: Request) -> Response:
    """401 JSON for the API, a redirect to the login page (coming back here after) for a page."""
    if wants_json(request) or request.url.path.startswith("/api/") or request.url.path == "/openapi.json":
        return JSONResponse({"error": "请先登录", "status": 401}, status_code=401)
    back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    target = f"/login?next={quote(back, safe='')}"
    if request.headers.get("hx-request"):  # htmx would swap the login page into a fragment: let it navigate
        return Response(status_code=401, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)
