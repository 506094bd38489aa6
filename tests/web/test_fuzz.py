"""Property-based tests (Hypothesis): whatever a client sends, never a 500 and never a hang.

Protocol parameters, query text built from SPARQL's own pieces (hostile ones included),
request bodies and their media types, Accept headers, stored-query values and entity
paths. The app runs on the embedded store with a short time limit; each example must
be answered within Hypothesis' deadline. Example counts are bounded so the suite stays fast.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.release import Release
from kg.service import ServerConfig, Service
from kg.web.app import create_app

from ..conftest import REAL

#: Time limit of a query in this app, and the most an example may take.
TIMEOUT = 2.0
FUZZ = settings(max_examples=100, deadline=(TIMEOUT + 4) * 1000, suppress_health_check=[HealthCheck.function_scoped_fixture])

#: Pieces of SPARQL, honest and hostile, that random queries are made of.
PIECES = [
    "SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "*", "DISTINCT", "{", "}", "(", ")", ".", ";", ",",
    "?s", "?p", "?o", "$x", "a", "FILTER", "OPTIONAL", "UNION", "MINUS", "GRAPH", "BIND", "AS", "VALUES",
    "LIMIT 5", "OFFSET 2", "OFFSET 999999999", "ORDER BY", "GROUP BY", "COUNT(*)", "REGEX(?o, \"(a+)+$\")",
    "<https://w3id.org/lwg/id/place/astana>", "<rel>", "<file:///etc/passwd>", "skos:prefLabel",
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>", "BASE <http://example.org/>",
    '"text"', "'x'", '"""long"""', '"\\u0022"', "@en", "^^<http://www.w3.org/2001/XMLSchema#integer>", "42", "1.5e3",
    "SERVICE", "SERVICE <http://127.0.0.1:9/>", "LOAD", "INSERT DATA", "# comment\n", "\r", "\\", "<<(", ")>>",
    "FROM <http://example.org/g>", "FROM NAMED", "bif:contains", "DEFINE",
]
PROTOCOL_NAMES = ["query", "default-graph-uri", "named-graph-uri", "update", "format", "timeout"]
MEDIA_TYPES = [
    "application/sparql-query", "application/x-www-form-urlencoded", "application/sparql-update",
    "application/json", "text/plain", "multipart/form-data; boundary=x", "", "application/sparql-query; charset=latin-1",
]
ACCEPT_PIECES = [
    "*/*", "text/*", "application/*", "text/html", "text/turtle", "application/ld+json", "application/rdf+xml",
    "application/n-triples", "application/sparql-results+json", "application/sparql-results+xml", "text/csv",
    "text/tab-separated-values", "application/json", "image/png", "q=0", "q=1", "q=0.5", "q=x", "q=-1", "q=1.0001",
    ";", ",", " ", "charset=utf-8", "/", "*", "level=1",
]
#: Header text a client can send (no line breaks, latin-1).
HEADER_TEXT = st.text(st.characters(min_codepoint=32, max_codepoint=255, exclude_characters="\x7f"), max_size=60)
ANY_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=80)

query_text = st.one_of(ANY_TEXT, st.lists(st.sampled_from(PIECES), max_size=25).map(" ".join))
accept = st.one_of(HEADER_TEXT, st.lists(st.sampled_from(ACCEPT_PIECES), max_size=8).map("".join))


@pytest.fixture(scope="module")
def client(release: Release) -> Iterator[TestClient]:
    config = ServerConfig(releases=release.path.parent, queries=REAL.queries, timeout=TIMEOUT, workers=2, per_client=100)
    service = Service.open(config)
    with TestClient(create_app(service), base_url="http://testserver") as test_client:
        yield test_client
    service.close()


def assert_handled(status: int, text: str) -> None:
    assert status < 500 or status in (503,), text  # 503: a query stopped at its time limit
    if status == 503:
        assert "time limit" in text, text


@FUZZ
@given(params=st.lists(st.tuples(st.one_of(st.sampled_from(PROTOCOL_NAMES), ANY_TEXT), query_text), max_size=4), accept=accept)
def test_protocol_parameters_by_get(client: TestClient, params: list[tuple[str, str]], accept: str) -> None:
    response = client.get("/sparql", params=params, headers={"Accept": accept.encode("latin-1")})
    assert_handled(response.status_code, response.text)


@FUZZ
@given(query=query_text, media_type=st.one_of(st.sampled_from(MEDIA_TYPES), HEADER_TEXT), accept=accept)
def test_query_bodies(client: TestClient, query: str, media_type: str, accept: str) -> None:
    response = client.post("/sparql", content=query.encode("utf-8"), headers={"Content-Type": media_type.encode("latin-1"), "Accept": accept.encode("latin-1")})
    assert_handled(response.status_code, response.text)


@FUZZ
@given(body=st.binary(max_size=200), media_type=st.sampled_from(MEDIA_TYPES))
def test_raw_bodies(client: TestClient, body: bytes, media_type: str) -> None:
    response = client.post("/sparql", content=body, headers={"Content-Type": media_type})
    assert_handled(response.status_code, response.text)


@FUZZ
@given(accept=accept, path=st.sampled_from(["/", "/sparql", "/id/place/astana", "/id/place/astana.ttl", "/queries", "/queries/organising-committee", "/ontology", "/void", "/health", "/dumps/", "/no/such"]))
def test_accept_headers(client: TestClient, accept: str, path: str) -> None:
    response = client.get(path, headers={"Accept": accept.encode("latin-1")})
    assert_handled(response.status_code, response.text)
    assert response.status_code in (200, 303, 404, 406), (path, accept, response.status_code)


@FUZZ
@given(text=ANY_TEXT, extension=st.sampled_from(["", ".json", ".csv", ".html", ".xml", ".ttl", ".nope"]))
def test_label_lookups(client: TestClient, text: str, extension: str) -> None:
    response = client.get(f"/queries/find-by-name{extension}", params={"text": text})
    assert_handled(response.status_code, response.text)
    assert response.status_code in (200, 404, 406)


@FUZZ
@given(kind=st.sampled_from(["person", "place", "congress", "Person", ""]), slug=ANY_TEXT, extension=st.sampled_from(["", ".html", ".ttl", ".jsonld", ".x"]))
def test_entity_paths(client: TestClient, kind: str, slug: str, extension: str) -> None:
    response = client.get(f"/id/{kind}/{quote(slug, safe='')}{extension}")
    assert_handled(response.status_code, response.text)


@FUZZ
@given(suffix=ANY_TEXT, start=st.sampled_from(["https://w3id.org/lwg/id/congress/", "http://", "", "https://"]))
def test_iri_parameters(client: TestClient, start: str, suffix: str) -> None:
    response = client.get("/queries/congress-dates.json", params={"congress": start + suffix})
    assert_handled(response.status_code, response.text)
    assert response.status_code in (200, 400)


#: JSON values of any shape, for the reconciliation API's ``queries`` and ``extend`` payloads.
JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), ANY_TEXT),
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(ANY_TEXT, children, max_size=4)),
    max_leaves=12,
)
RECONCILE_KEYS = ["query", "type", "limit", "properties", "pid", "v", "type_strict", "ids"]
reconcile_queries = st.dictionaries(
    st.text(max_size=5), st.dictionaries(st.sampled_from(RECONCILE_KEYS), JSON_VALUES, max_size=4), max_size=4
)


@FUZZ
@given(payload=st.one_of(reconcile_queries, JSON_VALUES), name=st.sampled_from(["queries", "extend"]), method=st.sampled_from(["GET", "POST"]))
def test_reconciliation_payloads(client: TestClient, payload: object, name: str, method: str) -> None:
    import json

    data = {name: json.dumps(payload)}
    if method == "GET":
        response = client.get("/reconcile", params=data)
    else:
        response = client.post("/reconcile", data=data)
    assert_handled(response.status_code, response.text)
    assert response.status_code in (200, 400, 404, 413), response.text


@FUZZ
@given(text=ANY_TEXT, path=st.sampled_from(["/label/", "/autocomplete?q=", "/reconcile/suggest/entity?prefix="]))
def test_label_and_suggestion_lookups(client: TestClient, text: str, path: str) -> None:
    response = client.get(path + quote(text, safe=""))
    assert_handled(response.status_code, response.text)
    assert response.status_code in (200, 300, 303, 400, 404, 406), response.text
