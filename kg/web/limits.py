"""Bounds on every request, set in one place: sizes, per-client concurrency, and what every answer says.

- URLs longer than ``max_url`` bytes: 414; bodies larger than ``max_body``: 413 (by
  Content-Length, or counted as they arrive when there is none).
- A client (by address) may have ``per_client`` SPARQL queries running at once; one
  more is 429 with Retry-After.
- An answer cut at the row limit says so in a ``Results-Truncated`` header.
- HTML pages carry the Content-Security-Policy (unless a route sets a narrower one of its own).
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus

from fastapi import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..backends import noting
from .errors import HTTPError

#: Sent with every HTML page (error pages included): nothing from elsewhere (scripts, styles
#: and requests to this server only), no inline scripts, no framing.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)

#: The header that says an answer holds only the first N rows (or triples) of the whole.
TRUNCATED = "Results-Truncated"

#: Seconds a client told "too many queries" should wait.
BUSY_RETRY_SECONDS = 2


class ClientSlots:
    """How many SPARQL queries each client has running, capped at ``per_client``."""

    def __init__(self, per_client: int) -> None:
        self.per_client = per_client
        self._running: Counter[str] = Counter()
        self._lock = threading.Lock()

    @contextmanager
    def hold(self, client: str) -> Iterator[None]:
        """A slot for one query of ``client`` for the block; ``HTTPError(429)`` if it has none free."""
        with self._lock:
            if self._running[client] >= self.per_client:
                raise HTTPError(
                    429,
                    f"at most {self.per_client} SPARQL queries at once per client; wait for one to finish",
                    {"Retry-After": str(BUSY_RETRY_SECONDS)},
                )
            self._running[client] += 1
        try:
            yield
        finally:
            with self._lock:
                self._running[client] -= 1
                if not self._running[client]:
                    del self._running[client]


class Limits:
    """ASGI middleware: refuse oversized requests before the app reads them; add the answer's notes."""

    def __init__(self, app: ASGIApp, max_url: int, max_body: int) -> None:
        self.app = app
        self.max_url = max_url
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        url_length = len(scope.get("raw_path") or scope["path"].encode()) + len(scope.get("query_string", b""))
        if url_length > self.max_url:
            await _refuse(scope, send, 414, f"the URL is {url_length} bytes long; at most {self.max_url} are read (POST a long query)")
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_body:
            await _refuse(scope, send, 413, f"the body is {declared} bytes long; at most {self.max_body} are read")
            return
        received = 0

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise HTTPError(413, f"the body is longer than the {self.max_body} bytes read")
            return message

        with noting() as notes:

            async def noted_send(message: Message) -> None:
                if message["type"] == "http.response.start":
                    headers = list(message.get("headers", []))
                    if notes.truncated_at is not None:
                        headers.append((TRUNCATED.lower().encode(), str(notes.truncated_at).encode()))
                    html = any(k == b"content-type" and v.startswith(b"text/html") for k, v in headers)
                    if html and not any(k == b"content-security-policy" for k, _v in headers):
                        headers.append((b"content-security-policy", CONTENT_SECURITY_POLICY.encode()))
                    message = {**message, "headers": headers}
                await send(message)

            await self.app(scope, counted_receive, noted_send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _refuse(scope: Scope, send: Send, status: int, message: str) -> None:
    """An error answered before the app runs, in the one error shape (JSON)."""
    body = json.dumps({"status": status, "error": HTTPStatus(status).phrase, "message": message}).encode()
    headers: list[tuple[bytes, bytes]] = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def client_of(request: Request) -> str:
    """The client's address (all clients behind one proxy share it)."""
    return request.client.host if request.client is not None else "unknown"
