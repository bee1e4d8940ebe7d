"""ASGI middleware: a cap on request bodies (uploads); allowed Host names, changes only from the
app's own pages and no NUL bytes (:class:`Guard`); and the security headers of every page."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import unquote_to_bytes, urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
TOO_LARGE = "上传内容过大：超过 {mb:g} MB 上限"


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes with 413, by Content-Length or while reading."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._refuse(send)
            return
        seen = 0
        over = refused = False  # once the body passes the limit, whatever the app answers becomes a 413

        async def counted() -> Message:
            nonlocal seen, over
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    over = True
                    raise _TooLarge
            return message

        async def refuse() -> None:
            nonlocal refused
            if not refused:
                refused = True
                await self._refuse(send)

        async def sending(message: Message) -> None:
            if not over:
                await send(message)
            elif message["type"] == "http.response.start":
                await refuse()

        try:
            await self.app(scope, counted, sending)
        except _TooLarge:
            await refuse()

    async def _refuse(self, send: Send) -> None:
        await _refuse(send, 413, TOO_LARGE.format(mb=self.limit / 1024 / 1024))


class _TooLarge(Exception):
    pass


LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def host_name(host: str) -> str:
    """``Example.org:8000`` → ``example.org``; ``[::1]:8000`` → ``::1``."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class Guard:
    """Before any page runs: the Host header must name an allowed host (``hosts``; ``*`` allows
    any), against DNS rebinding; a request that changes state (not GET/HEAD/OPTIONS) must not
    come from another site (an ``Origin`` other than this host, ``Origin: null`` from a sandboxed
    frame, or ``Sec-Fetch-Site: cross-site``; with ``same_origin_only``, as when login is required,
    also one that names neither its ``Origin`` nor its ``Referer``: with the session cookie's
    SameSite=Lax this is the app's protection against cross-site request forgery); and a NUL byte
    in the path or query is refused before it reaches the database."""

    def __init__(self, app: ASGIApp, hosts: Iterable[str] = LOCAL_HOSTS, same_origin_only: bool = False) -> None:
        self.app = app
        self.hosts = frozenset(host_name(h) for h in hosts)
        self.same_origin_only = same_origin_only

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        host = headers.get(b"host", b"").decode("latin-1")
        if "*" not in self.hosts and host_name(host) not in self.hosts:
            await _refuse(send, 400, f"不接受的主机名：{host[:80]}（nianbao serve --allow-host 可加入）")
        elif "\x00" in scope["path"] or b"\x00" in unquote_to_bytes(scope.get("query_string", b"")):
            await _refuse(send, 400, "请求中含有空字符")
        elif scope["method"] not in SAFE_METHODS and _cross_site(headers, host, self.same_origin_only):
            await _refuse(send, 403, "拒绝来自其他网站或来源不明的提交")
        else:
            await self.app(scope, receive, send)


def _cross_site(headers: dict[bytes, bytes], host: str, same_origin_only: bool = False) -> bool:
    if headers.get(b"sec-fetch-site") == b"cross-site":
        return True
    origin = headers.get(b"origin") or headers.get(b"referer") if same_origin_only else headers.get(b"origin")
    if origin is None:
        return same_origin_only
    return urlsplit(origin.decode("latin-1")).netloc.lower() != host.lower()


async def _refuse(send: Send, status: int, message: str) -> None:
    body = message.encode()
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class SecurityHeaders:
    """Content-Security-Policy (no inline scripts), no sniffing, no framing."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"same-origin"),
                    (b"x-frame-options", b"DENY"),
                ]
                if not scope["path"].startswith("/docs"):
                    headers.append((b"content-security-policy", CSP.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)
