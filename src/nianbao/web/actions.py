"""Changes made from the pages, each a form POST answered by a redirect back to the page (so it
works without JavaScript) and the same under ``/api/…`` answered with JSON; only for the 审核 role
(:mod:`nianbao.web.auth`); a change the store refuses is a 400 with its one-line reason."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, RedirectResponse, Response

from nianbao.store.schema import StoreError
from nianbao.web.auth import User, require

Reviewer = Annotated[User, Depends(require("审核"))]
Text = Annotated[str, Form()]


@contextmanager
def refused() -> Iterator[None]:
    """A change the store refuses (a bad state, no reason given, …) is a 400 with its one-line reason."""
    try:
        yield
    except StoreError as e:
        raise HTTPException(400, str(e)) from e


def answer(request: Request, data: Any, back: str) -> Response:
    """JSON under ``/api/``; otherwise back to the page that asked."""
    if request.url.path.startswith("/api/"):
        return JSONResponse(jsonable_encoder(data))
    return RedirectResponse(back, status_code=303)


def posts(router: APIRouter) -> Callable[[str, str], Callable[[Callable], Callable]]:
    """``@both(path, summary)``: register a POST route on ``router`` at ``path`` (a page's form)
    and at ``/api{path}`` (documented)."""

    def both(path: str, summary: str) -> Callable[[Callable], Callable]:
        def register(fn: Callable) -> Callable:
            router.post(path, include_in_schema=False)(fn)
            return router.post("/api" + path, summary=summary, tags=["核查"])(fn)

        return register

    return both
