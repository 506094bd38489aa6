"""No injection, no XSS: parameter values are bound, never pasted; what pages show is escaped.

Every test runs on each backend: the remote ones receive the values as a VALUES block
written by pyoxigraph's serializer, the embedded one as SEP-0007 substitutions.
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

JSON = "application/sparql-results+json"

#: Values meant to break out of a string literal, an IRI or a group if they were pasted into the query text.
PAYLOADS = [
    '"',
    "\\",
    "\\u0022",
    "\u0022) } #",
    "line\nbreak",
    "}",
    "{",
    '" } UNION { ?entity ?p ?label } #',
    "') } UNION { ?entity ?p ?label } #",
    '\\" } UNION { ?entity ?p ?label } #',
    '"""',
    "}} {{ ?entity ?p ?label",
    "irzhanova",
    "IRZHANOVA",
    "<script>alert(1)</script>",
]
LABELS = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?entity ?label { ?entity skos:prefLabel|skos:altLabel|rdfs:label ?label FILTER(ISLITERAL(?label)) }"""


def value(cell: dict[str, str]) -> str:
    return cell["value"]


@pytest.fixture
def every_label(client: TestClient) -> set[tuple[str, str]]:
    response = client.get("/sparql", params={"query": LABELS}, headers={"Accept": JSON})
    assert response.status_code == 200
    return {(value(row["entity"]), value(row["label"])) for row in response.json()["results"]["bindings"]}


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_string_parameter_is_bound_as_a_whole(payload: str, client: TestClient, every_label: set[tuple[str, str]]) -> None:
    response = client.get("/queries/find-by-name.json", params={"text": payload})
    assert response.status_code == 200, response.text
    rows = response.json()["results"]["bindings"]
    assert all(value(row["text"]) == payload for row in rows)  # the value came back as it went in
    found = {(value(row["entity"]), value(row["label"])) for row in rows}
    expected = {(entity, label) for entity, label in every_label if payload.lower() in label.lower()}
    assert found == expected


@pytest.mark.parametrize(
    "payload",
    [
        "https://w3id.org/lwg/id/congress/wlic-2025> } UNION { ?s ?p ?o } #",
        'https://w3id.org/lwg/id/congress/wlic-2025"',
        "https://w3id.org/lwg/id/congress/wlic-2025\n",
        "https://w3id.org/{x}",
        "javascript:alert(1)",
        "file:///etc/passwd",
    ],
)
def test_an_iri_parameter_that_is_not_an_http_iri_is_400(payload: str, client: TestClient) -> None:
    response = client.get("/queries/congress-dates.json", params={"congress": payload})
    assert response.status_code == 400
    assert response.json()["status"] == 400


def test_the_stored_query_page_escapes_the_value_it_shows(client: TestClient) -> None:
    payload = '"><script>alert(1)</script><input value="'
    response = client.get("/queries/find-by-name", params={"text": payload}, headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "<script>alert(1)" not in response.text and '"><script' not in response.text
    scripts = re.findall(r"<script[^>]*>", response.text)
    assert all('src="/assets/' in tag or 'type="application/ld+json"' in tag for tag in scripts), scripts
    assert "&lt;script&gt;" in response.text
    assert "script-src 'self'" in response.headers["content-security-policy"]


def test_an_html_error_page_escapes_what_it_echoes(client: TestClient) -> None:
    response = client.get("/id/person/<img src=x onerror=alert(1)>.html", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert "<img" not in response.text
    assert "content-security-policy" in response.headers
    response = client.get("/queries/find-by-name", params={"nope": "<b>x</b>"}, headers={"Accept": "text/html"})
    assert response.status_code == 400 and "<b>" not in response.text
