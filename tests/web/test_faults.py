"""A remote store that is down, slow, dripping or talking nonsense: a prompt 502/503/504, never a hang.

The store is a fake on 127.0.0.1 whose behaviour each test sets; the app is the real one,
not restarted between a fault and the recovery.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from kg.backends import RemoteBackend
from kg.service import Service
from kg.web.app import create_app

from ..fakes import Answer, FakeServer
from ..servers import free_port

TIMEOUT = 1.0
#: A fault is answered within this many seconds (the timeout, and some slack for a slow machine).
BOUND = TIMEOUT * 2 + 2
ASK = {"query": "ASK { ?s ?p ?o }"}
JSON = "application/sparql-results+json"
TRUE: Answer = (200, JSON, b'{"head": {}, "boolean": true}')
LAUGHS = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/><boolean>&b;</boolean></sparql>'

FAULTS: dict[str, tuple[Answer, float, float, int]] = {
    # name: (answer, delay before it, delay between bytes, status expected)
    "slow": (TRUE, TIMEOUT * 3, 0.0, 504),
    "dripping": ((200, JSON, b'{"head": {}, "boolean": true}' + b" " * 200), 0.0, 0.05, 504),
    "garbage": ((200, JSON, b'{"head": {}, "boolean": tr'), 0.0, 0.0, 502),
    "an error page": ((500, "text/html", b"<html>oops</html>"), 0.0, 0.0, 502),
    "an unknown format": ((200, "text/html", b"<html>oops</html>"), 0.0, 0.0, 502),
    "a DOCTYPE bomb": ((200, "application/sparql-results+xml", LAUGHS), 0.0, 0.0, 502),
}


def app_for(endpoint: str) -> TestClient:
    service = Service(backend=RemoteBackend(endpoint, timeout=TIMEOUT), base="http://example.org/", manifest={"id": "fault"})
    return TestClient(create_app(service), base_url="http://testserver")


def timed(client: TestClient, path: str = "/sparql") -> tuple[int, float, dict[str, str]]:
    started = time.monotonic()
    response = client.get(path, params=ASK if path == "/sparql" else None, headers={"Accept": JSON})
    return response.status_code, time.monotonic() - started, dict(response.headers)


@pytest.mark.parametrize("name", sorted(FAULTS))
def test_a_fault_is_answered_promptly_and_the_service_recovers(name: str) -> None:
    answer, delay, drip, status = FAULTS[name]
    with FakeServer(lambda: answer, delay=delay, drip=drip) as store, app_for(store.url + "sparql") as client:
        code, took, headers = timed(client)
        assert code == status
        assert took < BOUND
        assert int(headers["retry-after"]) > 0
        store.answer, store.delay, store.drip = (lambda: TRUE), 0.0, 0.0  # the store mends
        response = client.get("/sparql", params=ASK, headers={"Accept": JSON})
        assert response.status_code == 200 and response.json()["boolean"] is True


def test_a_store_that_is_down_is_503_and_recovery_needs_no_restart() -> None:
    port = free_port()
    with app_for(f"http://127.0.0.1:{port}/sparql") as client:
        code, took, headers = timed(client)
        assert code == 503 and took < BOUND and int(headers["retry-after"]) > 0
        assert timed(client, "/health")[0] == 503
        with FakeServer(lambda: TRUE) as store:
            client.app.state.site.service.backend.endpoint = store.url + "sparql"  # the store is back, elsewhere
            assert timed(client)[0] == 200


@pytest.fixture
def hung_store() -> Iterator[FakeServer]:
    with FakeServer(lambda: TRUE, delay=60) as store:
        yield store


def test_the_process_never_hangs_on_a_hung_store(hung_store: FakeServer) -> None:
    with app_for(hung_store.url + "sparql") as client:
        for _ in range(3):
            code, took, _headers = timed(client)
            assert code == 504 and took < BOUND
