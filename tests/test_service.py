"""The service facade: opening a release, resolving IRIs and files, describing the SPARQL service."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import NamedNode, QuerySolutions

from kg.errors import NoRelease
from kg.namespaces import SD
from kg.release import Release
from kg.service import ServerConfig, Service

from .conftest import REAL


@pytest.fixture(scope="module")
def service(release: Release) -> Service:
    return Service.open(ServerConfig(releases=release.path.parent, queries=REAL.queries))


def test_opening_without_a_release_says_so(tmp_path: Path) -> None:
    with pytest.raises(NoRelease, match="kg build"):
        Service.open(ServerConfig(releases=tmp_path))


def test_the_service_serves_the_current_release(service: Service, release: Release) -> None:
    assert service.release_id == release.id
    assert service.base == "https://w3id.org/lwg/"
    assert service.entity_iri("person", "gulzhan-irzhanova") == "https://w3id.org/lwg/id/person/gulzhan-irzhanova"
    assert service.triple_count() == release.triples
    assert "organising-committee" in service.queries


def test_release_files_never_leave_the_release(service: Service) -> None:
    assert service.release_file("void.ttl") is not None
    assert service.release_file("dumps/SHA256SUMS") is not None
    for name in ("../../etc/passwd", "/etc/passwd", "store/CURRENT", "dumps/../../release.json", "nope.ttl"):
        assert service.release_file(name) is None, name


def test_the_service_description_names_the_endpoint_and_every_graph(service: Service) -> None:
    triples = service.service_description("http://127.0.0.1:8000/sparql")
    assert any(t.predicate == SD.endpoint and t.object == NamedNode("http://127.0.0.1:8000/sparql") for t in triples)
    names = {t.object.value for t in triples if t.predicate == SD.name}
    assert names == set(service.named_graphs())
    assert "https://w3id.org/lwg/graph/dulaty-8337" in names


def test_describe_is_empty_for_an_unknown_entity(service: Service) -> None:
    assert service.describe("https://w3id.org/lwg/id/person/nobody") == []
    quads = service.describe("https://w3id.org/lwg/id/person/gulzhan-irzhanova")
    assert {q.graph_name.value for q in quads} >= {"https://w3id.org/lwg/graph/dulaty-8337", "https://w3id.org/lwg/graph/editorial"}


def test_queries_run_over_the_union_of_graphs(service: Service) -> None:
    results = service.query("SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert isinstance(results, QuerySolutions)
    assert int(next(iter(results))["n"].value) == len(service.named_graphs())
