"""A first look at the app: it starts, and its main doors open."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_health_reports_the_release(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["triples"] > 1000 and body["release"]


def test_an_entity_iri_redirects_to_its_document(client: TestClient) -> None:
    response = client.get("/id/person/gulzhan-irzhanova", headers={"Accept": "text/turtle"}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].endswith("/id/person/gulzhan-irzhanova.ttl")
    assert "Accept" in response.headers["vary"]


def test_a_select_query_answers_sparql_json(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    assert response.json()["boolean"] is True
