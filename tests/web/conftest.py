"""Fixtures for the HTTP layer: the real app, in-process, over each backend.

``service`` is parametrized by backend: every test that uses ``client`` runs once
per backend kind in ``BACKENDS``, so the embedded store and remote stores give the
same answers to the same tests. The remote stores are real servers that the tests
start on 127.0.0.1 (see ``tests/servers.py``), once per session and only when a test
needs them; one that cannot start fails the tests that need it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from fastapi.testclient import TestClient
from pyoxigraph import RdfFormat, Store, parse

from kg.backends import EmbeddedBackend
from kg.release import Release
from kg.service import ServerConfig, Service
from kg.web.app import create_app

from ..conftest import REAL, SHARED
from ..servers import OxigraphServer, Server, ServerError, VirtuosoServer

#: Backend kinds every web test runs against: the embedded store, and two real servers.
BACKENDS = ["embedded", "oxigraph", "virtuoso"]
REMOTE_BACKENDS = [kind for kind in BACKENDS if kind != "embedded"]

PROTOCOL = SHARED / "standards" / "sparql11-protocol"

#: Where the browser tests saved their screenshots (listed at the end of the run).
SCREENSHOTS = pytest.StashKey[list[Path]]()

S = TypeVar("S", bound=Server)


def open_service(kind: str, release: Release, endpoint: str | None = None) -> Service:
    """The release served through a backend of ``kind`` (a remote kind needs its server's endpoint)."""
    config = ServerConfig(releases=release.path.parent, queries=REAL.queries)
    if kind == "embedded":
        return Service.open(config)
    if kind in REMOTE_BACKENDS and endpoint:
        return Service.open(ServerConfig(releases=config.releases, queries=config.queries, endpoint=endpoint))
    raise ValueError(f"unknown backend kind {kind}, or no endpoint for it")


def started(server: S, release: Release) -> S:
    """The server, started and holding the release; the test fails (never skips) if it cannot be."""
    try:
        server.load(release)
    except ServerError as exc:
        server.stop()
        pytest.fail(f"the {server.name} server could not be started and loaded: {exc}", pytrace=False)
    return server


@pytest.fixture(scope="session")
def oxigraph_server(release: Release, tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    """The Oxigraph server holding the release (loaded with ``kg load``), read-only, for the session."""
    server = started(OxigraphServer(tmp_path_factory.mktemp("oxigraph")), release)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def virtuoso_server(release: Release, tmp_path_factory: pytest.TempPathFactory) -> Iterator[VirtuosoServer]:
    """Virtuoso holding the release (loaded with its bulk loader through ``kg load``), for the session."""
    server = started(VirtuosoServer(tmp_path_factory.mktemp("virtuoso")), release)
    yield server
    server.stop()


def remote_server(request: pytest.FixtureRequest, kind: str) -> Server:
    server: Server = request.getfixturevalue(f"{kind}_server")
    return server


@pytest.fixture(scope="session", params=BACKENDS)
def service(request: pytest.FixtureRequest, release: Release) -> Service:
    kind: str = request.param
    endpoint = remote_server(request, kind).endpoint if kind in REMOTE_BACKENDS else None
    return open_service(kind, release, endpoint)


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


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, exitstatus: int, config: pytest.Config) -> None:
    """List the screenshots the browser tests saved."""
    for folder in config.stash.get(SCREENSHOTS, []):
        shots = sorted(folder.glob("*.png"))
        terminalreporter.write_sep("-", f"{len(shots)} screenshots in {folder}")
        for shot in shots:
            terminalreporter.write_line(f"  {shot.name}")
