"""Kept answers: the same request to the same release is answered from memory, and only then.

The middleware is checked on a small app that counts the calls reaching it, and on
the real app, whose backend counts the queries it runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from kg.backends import Backend
from kg.errors import BackendUnavailable
from kg.release import Release
from kg.service import ServerConfig, Service
from kg.web.app import create_app
from kg.web.cache import ResponseCache

from ..conftest import REAL

LOOKUP = "SELECT ?name WHERE { <https://w3id.org/lwg/id/person/gulzhan-irzhanova> <http://www.w3.org/2004/02/skos/core#prefLabel> ?name }"


# --- the middleware alone -------------------------------------------------------------------------


def toy(max_bytes: int) -> tuple[TestClient, dict[str, int]]:
    calls: dict[str, int] = {}

    def counted(request: Request) -> Response:
        name = request.path_params["name"]
        calls[name] = calls.get(name, 0) + 1
        if name == "busy":
            return PlainTextResponse("try later", status_code=429 if calls[name] == 1 else 200)
        if name == "stream":
            return StreamingResponse(iter([b"a", b"b"]), media_type="text/plain")
        if name == "cookie":
            return PlainTextResponse("hi", headers={"Set-Cookie": "a=b"})
        if name == "now":
            return PlainTextResponse("the moment", headers={"Cache-Control": "no-store"})
        size = int(request.query_params.get("size", "10"))
        return PlainTextResponse("x" * size + request.headers.get("accept", ""))

    app = Starlette(routes=[Route("/{name}", counted, methods=["GET", "POST"])])
    return TestClient(ResponseCache(app, release="r1", max_bytes=max_bytes)), calls


def test_a_repeated_get_is_answered_from_memory_with_the_same_answer() -> None:
    client, calls = toy(1 << 20)
    first, second = client.get("/a"), client.get("/a")
    assert calls == {"a": 1}
    assert (first.status_code, first.content, first.headers) == (second.status_code, second.content, second.headers)


def test_the_answer_follows_the_headers_and_query_it_depends_on() -> None:
    client, calls = toy(1 << 20)
    assert client.get("/a", headers={"Accept": "text/turtle"}).text.endswith("text/turtle")
    assert client.get("/a", headers={"Accept": "text/csv"}).text.endswith("text/csv")
    assert client.get("/a", params={"size": "3"}).text.startswith("xxx")
    assert client.get("/a", headers={"Accept-Language": "kk"}).status_code == 200
    assert calls == {"a": 4}


def test_what_is_never_kept() -> None:
    client, calls = toy(1 << 20)
    assert [client.get("/busy").status_code for _ in range(3)] == [429, 200, 200]
    assert calls["busy"] == 2, "a 429 tells the moment; the 200 after it is kept"
    for name in ("stream", "cookie", "now"):
        client.get(f"/{name}")
        client.get(f"/{name}")
        assert calls[name] == 2, name
    client.post("/post")
    client.post("/post")
    assert calls["post"] == 2
    client.get("/part")
    for header in ({"Range": "bytes=0-1"}, {"If-None-Match": '"x"'}, {"If-Modified-Since": "Thu, 26 Nov 2026 00:00:00 GMT"}):
        client.get("/part", headers=header)
    assert calls["part"] == 4, "conditional and range requests are the routes' to answer"


def test_the_cache_stays_within_its_bound_dropping_the_least_recently_used() -> None:
    client, calls = toy(3000)
    for name in ("a", "b", "c", "d"):
        client.get(f"/{name}", params={"size": "900"})
    cache: ResponseCache = client.app  # type: ignore[assignment]
    assert cache.size <= 3000 and len(cache.entries) < 4
    client.get("/d", params={"size": "900"})
    assert calls["d"] == 1, "the newest is kept"
    client.get("/a", params={"size": "900"})
    assert calls["a"] == 2, "the oldest was dropped"
    client.get("/big", params={"size": "5000"})
    client.get("/big", params={"size": "5000"})
    assert calls["big"] == 2, "an answer larger than the whole cache is not kept"


def test_no_cache_when_it_has_no_room() -> None:
    client, calls = toy(0)
    client.get("/a")
    client.get("/a")
    assert calls == {"a": 2}


# --- the real app -----------------------------------------------------------------------------------


class Counting:
    """A backend that counts the queries it runs, and fails while told to."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.queries = 0
        self.down = False

    def query(self, *args: Any, **kwargs: Any) -> Any:
        self.queries += 1
        if self.down:
            raise BackendUnavailable("the store is down")
        return self.backend.query(*args, **kwargs)

    def triple_count(self) -> int:
        if self.down:
            raise BackendUnavailable("the store is down")
        return self.backend.triple_count()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.backend, name)


@pytest.fixture
def counted(release: Release) -> Iterator[tuple[TestClient, Counting]]:
    service = Service.open(ServerConfig(releases=release.path.parent, queries=REAL.queries))
    counting = Counting(service.backend)
    service.backend = counting  # type: ignore[assignment]
    with TestClient(create_app(service)) as client:
        yield client, counting


def test_a_repeated_query_or_document_does_not_reach_the_store(counted: tuple[TestClient, Counting]) -> None:
    client, backend = counted
    for request in (
        lambda: client.get("/sparql", params={"query": LOOKUP}, headers={"Accept": "application/sparql-results+json"}),
        lambda: client.get("/id/person/gulzhan-irzhanova.ttl"),
    ):
        first = request()
        before = backend.queries
        second = request()
        assert first.status_code == second.status_code == 200
        assert first.content == second.content
        assert backend.queries == before


def test_kept_answers_still_pass_cors_and_the_security_policy(counted: tuple[TestClient, Counting]) -> None:
    client, _ = counted
    plain = client.get("/id/person/gulzhan-irzhanova.html")
    again = client.get("/id/person/gulzhan-irzhanova.html", headers={"Origin": "https://catalogue.example"})
    assert "access-control-allow-origin" not in plain.headers
    assert again.headers["access-control-allow-origin"] == "*"
    assert again.headers["content-security-policy"] == plain.headers["content-security-policy"]
    assert again.headers.get_list("content-security-policy") == [plain.headers["content-security-policy"]]
    last = client.get("/id/person/gulzhan-irzhanova.html")
    assert "access-control-allow-origin" not in last.headers, "the Origin of one request is not kept for the next"


def test_a_failure_is_not_kept(counted: tuple[TestClient, Counting]) -> None:
    client, backend = counted
    backend.down = True
    assert client.get("/sparql", params={"query": LOOKUP}).status_code == 503
    backend.down = False
    assert client.get("/sparql", params={"query": LOOKUP}).status_code == 200
    assert client.get("/health").status_code == 200
    backend.down = True
    assert client.get("/health").status_code == 503, "the health check always asks the store"
