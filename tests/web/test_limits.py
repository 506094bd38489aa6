"""Bounded work through the real app on the embedded store: deadlines, row limits, sizes, per-client limits.

The app runs with small settings (a 2 s deadline, 2 workers, 5 rows, one query per
client) so every limit is reached quickly.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from kg.release import Release
from kg.service import ServerConfig, Service
from kg.web.app import create_app

from ..conftest import REAL
from ..test_workers import RUNAWAY

JSON = "application/sparql-results+json"
ASTANA = "https://w3id.org/lwg/id/place/astana"
LOOKUP = f"SELECT ?p ?o {{ <{ASTANA}> ?p ?o }} LIMIT 3"
TIMEOUT = 2.0
PROMPT = 2.0


@pytest.fixture(scope="module")
def service(release: Release) -> Iterator[Service]:
    config = ServerConfig(
        releases=release.path.parent, queries=REAL.queries, timeout=TIMEOUT, workers=2, max_rows=5, per_client=1,
        max_url=4096, max_body=10_000, max_offset=1000,
    )
    opened = Service.open(config)
    opened.check()
    yield opened
    opened.close()


@pytest.fixture
def client(service: Service) -> Iterator[TestClient]:
    with TestClient(create_app(service), base_url="http://testserver") as test_client:
        yield test_client


def sparql(client: TestClient, query: str, accept: str = JSON, client_address: str | None = None) -> httpx.Response:
    headers = {"Accept": accept}
    return client.get("/sparql", params={"query": query}, headers=headers)


def test_a_runaway_is_503_with_retry_after_and_the_service_recovers(client: TestClient) -> None:
    started = time.monotonic()
    response = sparql(client, RUNAWAY)
    assert TIMEOUT <= time.monotonic() - started < TIMEOUT + 3
    assert response.status_code == 503
    assert int(response.headers["retry-after"]) > 0
    assert response.headers["content-type"] == "application/json"
    assert "time limit" in response.json()["message"]  # an error, never a cut-off 200
    assert client.get("/health").status_code == 200
    assert sparql(client, LOOKUP).status_code == 200


def test_other_requests_answer_promptly_while_a_runaway_runs(client: TestClient) -> None:
    statuses: list[int] = []
    runaway = threading.Thread(target=lambda: statuses.append(sparql(client, RUNAWAY).status_code))
    runaway.start()
    time.sleep(0.3)
    for path in ("/id/place/astana.ttl", "/health", "/queries/organising-committee.json", "/id/congress/wlic-2025.jsonld"):
        started = time.monotonic()
        response = client.get(path)
        assert response.status_code == 200, (path, response.text)
        assert time.monotonic() - started < PROMPT, path
    runaway.join(TIMEOUT + 5)
    assert statuses == [503]


def test_a_second_query_of_the_same_client_while_one_runs_is_429(client: TestClient) -> None:
    runaway = threading.Thread(target=lambda: sparql(client, RUNAWAY))
    runaway.start()
    time.sleep(0.3)
    response = sparql(client, LOOKUP)
    assert response.status_code == 429
    assert int(response.headers["retry-after"]) > 0
    assert response.json()["status"] == 429
    runaway.join(TIMEOUT + 5)
    assert sparql(client, LOOKUP).status_code == 200  # the slot is free again


def test_a_cut_answer_says_so(client: TestClient) -> None:
    response = sparql(client, "SELECT ?s ?p ?o { ?s ?p ?o }")
    assert response.status_code == 200
    assert response.headers["results-truncated"] == "5"
    body = response.json()
    assert len(body["results"]["bindings"]) == 5
    assert body["head"]["truncated"]["rows"] == 5
    csv = sparql(client, "SELECT ?s ?p ?o { ?s ?p ?o }", "text/csv")
    assert csv.headers["results-truncated"] == "5" and len(csv.text.strip().splitlines()) == 6
    graph = sparql(client, "CONSTRUCT WHERE { ?s ?p ?o }", "application/n-triples")
    assert graph.headers["results-truncated"] == "5" and len(graph.text.strip().splitlines()) == 5
    whole = sparql(client, LOOKUP)
    assert "results-truncated" not in whole.headers and "truncated" not in whole.json()["head"]


def test_an_absurd_offset_is_400(client: TestClient) -> None:
    response = sparql(client, "SELECT * { ?s ?p ?o } OFFSET 1000000000")
    assert response.status_code == 400 and "OFFSET" in response.json()["message"]
    assert sparql(client, "SELECT * { { SELECT * { ?s ?p ?o } OFFSET 5000 } }").status_code == 400
    assert sparql(client, "SELECT * { ?s ?p ?o } OFFSET 10").status_code == 200


def test_a_long_url_is_414_and_a_large_body_413(client: TestClient) -> None:
    response = sparql(client, "ASK { ?s ?p ?o } #" + "x" * 5000)
    assert response.status_code == 414 and response.json()["status"] == 414
    body = ("ASK { ?s ?p ?o } #" + "x" * 20_000).encode()
    response = client.post("/sparql", content=body, headers={"Content-Type": "application/sparql-query", "Accept": JSON})
    assert response.status_code == 413 and response.json()["status"] == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        yield b"ASK { ?s ?p ?o } #"
        for _ in range(30):
            yield b"x" * 1000

    response = client.post("/sparql", content=chunks(), headers={"Content-Type": "application/sparql-query", "Accept": JSON})
    assert response.status_code == 413
    assert client.post("/sparql", content=b"ASK { ?s ?p ?o }", headers={"Content-Type": "application/sparql-query", "Accept": JSON}).json()["boolean"]


@pytest.mark.parametrize("path", ["/", "/sparql", "/id/place/astana.html", "/queries", "/no/such/page"])
def test_every_html_page_has_a_strict_content_security_policy(client: TestClient, path: str) -> None:
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.headers["content-type"].startswith("text/html")
    policy = {part.split()[0]: part.split()[1:] for part in response.headers["content-security-policy"].split("; ")}
    assert policy["default-src"] == ["'none'"]
    assert policy["script-src"] == ["'self'"] and policy["connect-src"] == ["'self'"]  # this server's files only, no inline
    assert policy["frame-ancestors"] == ["'none'"]
    for tag in re.findall(r"<script[^>]*>", response.text):  # the page's own file, or data (JSON-LD), never code inline
        assert re.search(r'src="/assets/[a-z-]+\.js"', tag) or 'type="application/ld+json"' in tag, tag
