"""Hostile requests through the real app, on every backend: no way out, nothing fetched.

The remote stores (the Oxigraph server, Virtuoso) would run SERVICE themselves, so
the refusal has to happen before the query leaves this service, whatever the backend.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from ..fakes import FakeServer
from ..test_backends import ALSO_REFUSED, CALLS_OUT, written

JSON = "application/sparql-results+json"
SAMPLE = ("plain", "glued SILENT", "after a comment ended by CR", "after a less-than read as an IRI", "IRI with \\u escapes")


@pytest.fixture
def trap() -> Iterator[FakeServer]:
    with FakeServer() as server:
        yield server


@pytest.mark.parametrize("name", SAMPLE)
def test_service_in_disguise_is_403_and_nothing_is_fetched(name: str, client: TestClient, trap: FakeServer) -> None:
    response = client.get("/sparql", params={"query": written(CALLS_OUT[name], trap)}, headers={"Accept": JSON})
    assert response.status_code == 403, response.text
    assert response.json()["status"] == 403
    assert "SERVICE" in response.json()["message"]
    assert trap.requests == []


@pytest.mark.parametrize("name", ("SERVICE ?var", "LOAD", "a file in FROM", "a store's procedure", "a store's pragma"))
def test_other_ways_out_are_refused_on_every_backend(name: str, client: TestClient, trap: FakeServer) -> None:
    response = client.post("/sparql", content=written(ALSO_REFUSED[name], trap).encode(), headers={"Content-Type": "application/sparql-query", "Accept": JSON})
    assert response.status_code in (400, 403), response.text
    assert trap.requests == []


def test_a_remote_default_graph_uri_is_not_fetched(client: TestClient, trap: FakeServer) -> None:
    """The protocol's dataset names graphs of the store; none is fetched from the web."""
    response = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }", "default-graph-uri": trap.url}, headers={"Accept": JSON})
    assert response.status_code == 200
    assert response.json()["boolean"] is False
    assert trap.requests == []


def test_a_catastrophic_regex_answers_at_once(client: TestClient) -> None:
    """A backtracking engine (rdflib's, Python's re) takes seconds on this; the stores' engines take no time."""
    query = 'ASK { BIND("' + "a" * 40 + 'b" AS ?text) FILTER(REGEX(?text, "^(a+)+$")) }'
    started = time.monotonic()
    response = client.get("/sparql", params={"query": query}, headers={"Accept": JSON})
    assert response.status_code == 200  # (Virtuoso 7.2 answers true here; the others false)
    assert time.monotonic() - started < 2
