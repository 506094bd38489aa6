"""Errors over HTTP: each typed error has one status, and every error one body shape.

JSON clients get ``{"status": 404, "error": "Not Found", "message": "..."}``;
``text/plain`` clients the message alone; browsers an HTML page.
"""

from __future__ import annotations

import json
from http import HTTPStatus

from fastapi import Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from markupsafe import escape

from ..errors import (
    BackendUnavailable,
    BadStoreAnswer,
    InputError,
    KGError,
    NoRelease,
    QueryError,
    QueryTimeout,
    RefusedQuery,
    StoreTimeout,
)
from ..reconcile import BatchTooLarge, UnknownEntity
from .negotiation import HTML, JSON, PLAIN, choose, names

RETRY_AFTER_SECONDS = 5


class HTTPError(Exception):
    """An error the web layer raises itself, with its status and extra headers."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def not_found(what: str) -> HTTPError:
    return HTTPError(404, f"{what} not found")


#: The status of each error of the core.
CORE_STATUS: dict[type[KGError], int] = {
    QueryError: 400,
    RefusedQuery: 403,
    UnknownEntity: 404,
    BatchTooLarge: 413,
    InputError: 400,
    NoRelease: 503,
    BackendUnavailable: 503,
    QueryTimeout: 503,
    BadStoreAnswer: 502,
    StoreTimeout: 504,
}

#: Statuses worth retrying later: they carry ``Retry-After``.
RETRY_STATUSES = (429, 502, 503, 504)


def core_status(exc: KGError) -> int:
    for kind in type(exc).__mro__:
        if kind in CORE_STATUS:
            return CORE_STATUS[kind]  # type: ignore[index]
    return 500


def error_response(request: Request, status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """The error in the form the client prefers: JSON (default), plain text, or HTML."""
    headers = {"Vary": "Accept", **(headers or {})}
    if status in RETRY_STATUSES:
        headers.setdefault("Retry-After", str(RETRY_AFTER_SECONDS))
    title = HTTPStatus(status).phrase
    accept = request.headers.get("accept")
    fmt = choose(accept, (JSON, PLAIN, HTML))
    if fmt is HTML and names(accept, HTML):
        body = (
            "<!doctype html><html lang=en><meta charset=utf-8>"
            f"<title>{status} {escape(title)}</title><h1>{status} {escape(title)}</h1><p>{escape(message)}</p>"
        )
        return HTMLResponse(body, status_code=status, headers=headers)
    if fmt is PLAIN:
        return PlainTextResponse(message + "\n", status_code=status, headers=headers)
    body = json.dumps({"status": status, "error": title, "message": message}, ensure_ascii=False)
    return Response(body, status_code=status, headers=headers, media_type="application/json")


async def handle_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPError)
    return error_response(request, exc.status, exc.message, exc.headers)


async def handle_core_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, KGError)
    return error_response(request, core_status(exc), str(exc))


async def handle_starlette_error(request: Request, exc: Exception) -> Response:
    """Starlette's own errors (unknown route, wrong method) in the same shape."""
    status = getattr(exc, "status_code", 500)
    detail = getattr(exc, "detail", None) or HTTPStatus(status).phrase
    return error_response(request, status, str(detail), dict(getattr(exc, "headers", None) or {}))
