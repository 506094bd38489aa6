"""Answers kept in memory: a release never changes, so the same request gets the same answer.

An ASGI middleware between the other middlewares and the routes. A GET whose answer
is complete (one body message), small, and of a status that depends only on the
request (200, 300, 303, 404) is kept, keyed by the release served, the path, the
query string and the headers answers vary on (Accept, Accept-Language); the same
request is then answered from memory, without routing, a worker or the store.
The outer middlewares still run on every answer, so CORS, the security policy
and the size limits apply to kept answers as to fresh ones. Least recently used
answers go first once the cache holds ``max_bytes``.

Conditional and range requests pass through to the routes. What is never kept:
other methods, errors that depend on the moment (429, 5xx), answers marked
``Cache-Control: no-store`` (the health check), answers that stream (large dump
files), and answers that set cookies.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: The statuses a release's answer to a request always has.
KEPT_STATUSES = frozenset({200, 300, 303, 404})

#: The request headers that choose an answer (the routes' Vary headers name no others).
KEY_HEADERS = (b"accept", b"accept-language")

#: Request headers that ask for part of an answer, or for one only if it changed: such
#: requests go to the routes, which answer 206 or 304 (and are not kept).
PARTIAL = frozenset({b"range", b"if-range", b"if-none-match", b"if-modified-since", b"if-match", b"if-unmodified-since"})

#: The largest answer kept, in bytes.
MAX_ENTRY = 1 << 20

Key = tuple[str, str, str, bytes, tuple[bytes, ...]]


@dataclass(frozen=True)
class Kept:
    """An answer as it was sent: its start message and its whole body."""

    start: Message
    body: bytes

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(k) + len(v) for k, v in self.start.get("headers", ()))


class ResponseCache:
    """ASGI middleware keeping the answers of one release (see the module's docstring)."""

    def __init__(self, app: ASGIApp, release: str, max_bytes: int) -> None:
        self.app = app
        self.release = release
        self.max_bytes = max_bytes
        self.entries: OrderedDict[Key, Kept] = OrderedDict()
        self.size = 0
        self.hits = 0
        self.misses = 0

    def key(self, scope: Scope) -> Key:
        headers = dict(scope.get("headers", ()))
        values = tuple(headers.get(name, b"") for name in KEY_HEADERS)
        return (self.release, scope.get("root_path", ""), scope["path"], scope.get("query_string", b""), values)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or self.max_bytes <= 0
            or any(name.lower() in PARTIAL for name, _ in scope.get("headers", ()))
        ):
            await self.app(scope, receive, send)
            return
        key = self.key(scope)
        kept = self.entries.get(key)
        if kept is not None:
            self.hits += 1
            self.entries.move_to_end(key)
            await send({**kept.start, "headers": list(kept.start.get("headers", ()))})  # outer layers add to it
            await send({"type": "http.response.body", "body": kept.body, "more_body": False})
            return
        self.misses += 1
        start: Message | None = None
        chunks: list[bytes] = []
        keep = True

        async def record(message: Message) -> None:
            nonlocal start, keep
            if message["type"] == "http.response.start":
                start = {**message, "headers": list(message.get("headers", ()))}  # as sent from here, before others add
                headers = {name.lower(): value.lower() for name, value in message.get("headers", ())}
                keep = (
                    message["status"] in KEPT_STATUSES
                    and b"set-cookie" not in headers
                    and b"no-store" not in headers.get(b"cache-control", b"")
                )
            elif message["type"] == "http.response.body" and keep:
                chunks.append(message.get("body", b""))
                if message.get("more_body", False) or sum(map(len, chunks)) > MAX_ENTRY:
                    keep = False
            await send(message)

        await self.app(scope, receive, record)
        if keep and start is not None and chunks:
            self.put(key, Kept(start, b"".join(chunks)))

    def put(self, key: Key, kept: Kept) -> None:
        if kept.size > self.max_bytes:
            return
        old = self.entries.pop(key, None)
        if old is not None:
            self.size -= old.size
        self.entries[key] = kept
        self.size += kept.size
        while self.size > self.max_bytes:
            _, dropped = self.entries.popitem(last=False)
            self.size -= dropped.size
