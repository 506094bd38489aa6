"""Fixtures for the HTTP layer: the real app, in-process, over each backend.

``service`` is parametrized by backend: every test that uses ``client`` runs once
per backend kind in ``BACKENDS``, so the embedded store and remote stores give the
same answers to the same tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pyoxigraph import RdfFormat, Store, parse

from kg.backends import EmbeddedBackend
from kg.release import Release
from kg.service import ServerConfig, Service
from kg.web.app import create_app

from ..conftest import REAL, SHARED

#: Backend kinds every web test runs against.
BACKENDS = ["embedded"]

PROTOCOL = SHARED / "standards" / "sparql11-protocol"


def open_service(kind: str, release: Release) -> Service:
    """The release served through a backend of ``kind``."""
    if kind == "embedded":
        return Service.open(ServerConfig(releases=release.path.parent, queries=REAL.queries))
    raise ValueError(f"unknown backend kind {kind}")


@pytest.fixture(scope="session", params=BACKENDS)
def service(request: pytest.FixtureRequest, release: Release) -> Service:
    return open_service(request.param, release)


@pytest.fixture
def client(service: Service) -> Iterator[TestClient]:
    with TestClient(create_app(service), base_url="http://testserver") as test_client:
        yield test_client


@pytest.fixture(scope="session")
def protocol_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the W3C protocol tests' fixture (data1-3 as named graphs)."""
    path = tmp_path_factory.mktemp("protocol") / "store"
    store = Store(str(path))
    store.bulk_extend(parse(path=str(PROTOCOL / "fixture-named-graphs.nq"), format=RdfFormat.N_QUADS))
    store.flush()
    del store
    return path


@pytest.fixture
def protocol_client(protocol_store: Path) -> Iterator[TestClient]:
    """The app over the W3C protocol fixture (embedded store), as the manifest's tests expect."""
    graphs = sorted({q.graph_name.value for q in parse(path=str(PROTOCOL / "fixture-named-graphs.nq"), format=RdfFormat.N_QUADS)})
    service = Service(backend=EmbeddedBackend(protocol_store), base="http://www.example/", manifest={"graphs": graphs})
    with TestClient(create_app(service), base_url="http://www.example") as test_client:
        yield test_client
