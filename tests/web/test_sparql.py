"""The SPARQL endpoint over the real release: one test per negotiation edge case, method and error.

In the style of the Oxigraph server's tests: each test sends one kind of request and
reads the answer back with an independent parser (``json``, ``xml.etree``, ``csv`` for
results; pyoxigraph for graphs, compared with the same CONSTRUCT in another format).
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

import httpx
import pytest
from fastapi.testclient import TestClient
from pyoxigraph import NamedNode, RdfFormat, Store, Triple, parse

from .sparql_results import CSV, JSON, TSV, XML, Table, media_type, read_results

SKOS = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
#: A SELECT with a few rows of IRIs and language-tagged literals (no blank nodes in this graph).
SELECT = SKOS + 'SELECT ?entity ?label { ?entity skos:prefLabel ?label FILTER(LANG(?label) = "en") } ORDER BY ?entity ?label LIMIT 25'
#: Labels in Kazakh, Russian and English, integers, and unbound values: what each format must carry alike.
MIXED = (
    SKOS
    + "PREFIX lwg: <https://w3id.org/lwg/ontology#>\n"
    + "SELECT ?entity ?label ?exactly { ?entity skos:prefLabel ?label OPTIONAL { ?entity lwg:exactly ?exactly } }"
    + " ORDER BY ?entity ?label"
)
ASK = SKOS + "ASK { ?entity skos:prefLabel ?label }"
CONSTRUCT = SKOS + "CONSTRUCT { ?entity skos:prefLabel ?label } WHERE { ?entity skos:prefLabel ?label }"
ASTANA = "https://w3id.org/lwg/id/place/astana"
DESCRIBE = f"DESCRIBE <{ASTANA}>"
GRAPHS = "https://w3id.org/lwg/graph/"
EDITORIAL, BOERSENBLATT = GRAPHS + "editorial", GRAPHS + "boersenblatt-385791"
ALL_TRIPLES = "SELECT ?s ?p ?o { ?s ?p ?o }"
NAMED_GRAPHS = "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }"

#: Where a parser's message places the error: "error at 1:17" (Oxigraph), "line 1" (Virtuoso).
PARSER_POSITION = re.compile(r"\b1:\d+|line 1\b")
FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
TURTLE, N_TRIPLES, JSON_LD, RDF_XML = "text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"
RESULTS_TYPES = (JSON, XML, CSV, TSV)
GRAPH_TYPES = (TURTLE, N_TRIPLES, JSON_LD, RDF_XML)


def get(client: TestClient, query: str, accept: str | None = None, **params: str | list[str]) -> httpx.Response:
    """GET /sparql?query=...; ``accept=None`` sends no Accept header at all."""
    request = client.build_request("GET", "/sparql", params={"query": query, **params})
    if accept is None:
        del request.headers["accept"]
    else:
        request.headers["accept"] = accept
    return client.send(request)


def results(response: httpx.Response) -> Table | bool:
    assert response.status_code == 200, response.text
    return read_results(response.headers["content-type"], response.content)


def table(response: httpx.Response) -> Table:
    answer = results(response)
    assert isinstance(answer, Table)
    return answer


def triples(response: httpx.Response) -> set[Triple]:
    """The graph in the response, parsed with pyoxigraph by its Content-Type."""
    assert response.status_code == 200, response.text
    rdf_format = RdfFormat.from_media_type(media_type(response.headers["content-type"]))
    assert rdf_format is not None, response.headers["content-type"]
    return {q.triple for q in parse(response.content, format=rdf_format)}


def error(response: httpx.Response, status: int) -> str:
    """The message of a JSON error response with ``status``, after checking its shape."""
    assert response.status_code == status, response.text
    assert media_type(response.headers["content-type"]) == "application/json"
    body = response.json()
    assert set(body) == {"status", "error", "message"} and body["status"] == status, body
    message: str = body["message"]
    return message


def rows(client: TestClient, query: str, **params: str | list[str]) -> set[tuple[str, ...]]:
    return set(table(get(client, query, JSON, **params)).rows)


# --- SELECT and ASK: each results format, chosen by Accept ------------------------------


@pytest.mark.parametrize("accept", RESULTS_TYPES)
def test_select_in_each_results_format(client: TestClient, accept: str) -> None:
    """JSON, XML, CSV and TSV each parse, and carry the same solutions as JSON."""
    response = get(client, SELECT, accept)
    assert media_type(response.headers["content-type"]) == accept
    assert "Accept" in response.headers["vary"]
    answer = table(response)
    reference = table(get(client, SELECT, JSON))
    assert answer.variables == ("entity", "label")
    assert answer.rows == reference.rows and len(answer.rows) == 25
    assert "89th World Library and Information Congress" in answer.column("label")


@pytest.mark.parametrize("accept", RESULTS_TYPES)
def test_each_results_format_carries_scripts_numbers_and_unbound_values(client: TestClient, accept: str) -> None:
    answer = table(get(client, MIXED, accept))
    assert answer == table(get(client, MIXED, JSON))
    labels, exactly = answer.column("label"), answer.column("exactly")
    assert "Астана" in labels and "" in exactly and "1852" in exactly


def test_json_results_keep_language_tags_lowercased(client: TestClient) -> None:
    """pyoxigraph writes language tags in lower case: ``kk-Latn-alalc97`` as ``kk-latn-alalc97``."""
    query = 'SELECT ?name { ?s ?p ?name FILTER(LANGMATCHES(LANG(?name), "kk-Latn-alalc97")) } LIMIT 1'
    [binding] = get(client, query, JSON).json()["results"]["bindings"]
    assert binding["name"]["xml:lang"] == "kk-latn-alalc97"


@pytest.mark.parametrize("accept", RESULTS_TYPES)
def test_ask_in_each_results_format(client: TestClient, accept: str) -> None:
    response = get(client, ASK, accept)
    assert media_type(response.headers["content-type"]) == accept
    assert results(response) is True
    assert results(get(client, SKOS + "ASK { ?x skos:prefLabel 'no such label here' }", accept)) is False


def test_text_csv_results_have_a_utf8_charset(client: TestClient) -> None:
    assert get(client, SELECT, CSV).headers["content-type"] == "text/csv; charset=utf-8"


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("text/csv;q=0.9, application/sparql-results+xml;q=0.5", CSV),
        ("application/sparql-results+json;q=0.1, application/sparql-results+xml", XML),
        ("text/tab-separated-values, text/csv;q=0.99", TSV),
        ("application/sparql-results+json;q=0, */*", XML),
        ("Application/SPARQL-Results+XML", XML),
        ("text/csv; charset=utf-8", CSV),
        ("application/json", JSON),
    ],
    ids=["q-orders", "q-omitted-is-1", "q-close", "q-0-refuses", "case-insensitive", "parameters", "json-alias"],
)
def test_results_format_by_q_values(client: TestClient, accept: str, expected: str) -> None:
    assert media_type(get(client, SELECT, accept).headers["content-type"]) == expected


def test_any_type_gives_json_results(client: TestClient) -> None:
    assert media_type(get(client, SELECT, "*/*").headers["content-type"]) == JSON


def test_text_wildcard_gives_csv_results(client: TestClient) -> None:
    """``text/*`` means a text format: CSV (the server's first), not XML under its ``text/xml`` alias."""
    assert media_type(get(client, SELECT, "text/*").headers["content-type"]) == CSV


def test_a_bare_star_is_any_type(client: TestClient) -> None:
    """``*`` alone (Java's default Accept has ``*; q=.2``) counts as ``*/*``."""
    assert media_type(get(client, SELECT, "text/html, image/gif, *; q=.2").headers["content-type"]) == JSON


def test_application_wildcard_gives_json_results(client: TestClient) -> None:
    assert media_type(get(client, SELECT, "application/*").headers["content-type"]) == JSON


def test_no_accept_gives_json_results(client: TestClient) -> None:
    response = get(client, SELECT, None)
    assert media_type(response.headers["content-type"]) == JSON
    assert len(table(response).rows) == 25


def test_unacceptable_results_format_is_406_naming_the_formats(client: TestClient) -> None:
    message = error(get(client, SELECT, "image/png"), 406)
    for media in RESULTS_TYPES:
        assert media in message


def test_a_wildcard_with_q_0_is_406(client: TestClient) -> None:
    error(get(client, ASK, "*/*;q=0"), 406)


# --- CONSTRUCT and DESCRIBE: each RDF format --------------------------------------


@pytest.mark.parametrize("accept", GRAPH_TYPES)
def test_construct_in_each_graph_format(client: TestClient, accept: str) -> None:
    """Turtle, N-Triples, JSON-LD and RDF/XML each parse back to the same graph as N-Triples."""
    response = get(client, CONSTRUCT, accept)
    assert media_type(response.headers["content-type"]) == accept
    assert "Accept" in response.headers["vary"]
    graph = triples(response)
    assert graph == triples(get(client, CONSTRUCT, N_TRIPLES))
    assert len(graph) > 50


@pytest.mark.parametrize("accept", GRAPH_TYPES)
def test_describe_in_each_graph_format(client: TestClient, accept: str) -> None:
    graph = triples(get(client, DESCRIBE, accept))
    assert graph == triples(get(client, DESCRIBE, TURTLE))
    assert NamedNode(ASTANA) in {t.subject for t in graph}


def test_no_accept_gives_turtle_graphs(client: TestClient) -> None:
    response = get(client, CONSTRUCT, None)
    assert media_type(response.headers["content-type"]) == TURTLE
    assert triples(response) == triples(get(client, CONSTRUCT, N_TRIPLES))


def test_text_wildcard_gives_turtle_graphs(client: TestClient) -> None:
    assert media_type(get(client, CONSTRUCT, "text/*").headers["content-type"]) == TURTLE


def test_any_type_gives_turtle_graphs(client: TestClient) -> None:
    assert media_type(get(client, CONSTRUCT, "*/*").headers["content-type"]) == TURTLE


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("application/rdf+xml;q=0.8, application/n-triples;q=0.9", N_TRIPLES),
        ("application/ld+json, text/turtle;q=0.5", JSON_LD),
        ("application/json", JSON_LD),
        ("text/plain", N_TRIPLES),
    ],
    ids=["q-orders", "q-omitted-is-1", "json-means-json-ld", "text-plain-means-n-triples"],
)
def test_graph_format_by_q_values(client: TestClient, accept: str, expected: str) -> None:
    assert media_type(get(client, CONSTRUCT, accept).headers["content-type"]) == expected


def test_results_formats_are_not_acceptable_for_a_graph(client: TestClient) -> None:
    message = error(get(client, CONSTRUCT, "application/sparql-results+json"), 406)
    for media in GRAPH_TYPES:
        assert media in message


def test_graph_formats_are_not_acceptable_for_solutions(client: TestClient) -> None:
    message = error(get(client, SELECT, "text/turtle"), 406)
    for media in RESULTS_TYPES:
        assert media in message


# --- Methods: GET, POST form, POST query; parameters merged ------------------------


def test_get(client: TestClient) -> None:
    assert table(get(client, SELECT, JSON)).rows


def test_post_form_encoded(client: TestClient) -> None:
    response = client.post("/sparql", data={"query": SELECT}, headers={"Accept": JSON})
    assert table(response) == table(get(client, SELECT, JSON))


def test_post_form_encoded_with_a_charset(client: TestClient) -> None:
    response = client.post(
        "/sparql", content=urlencode({"query": ASK}), headers={"Content-Type": f"{FORM}; charset=UTF-8", "Accept": JSON}
    )
    assert results(response) is True


def test_post_query_directly(client: TestClient) -> None:
    response = client.post("/sparql", content=SELECT.encode(), headers={"Content-Type": SPARQL_QUERY, "Accept": JSON})
    assert table(response) == table(get(client, SELECT, JSON))


def test_post_query_directly_with_a_utf8_charset(client: TestClient) -> None:
    query = SKOS + 'ASK { ?x skos:prefLabel "Börsenblatt"@en }'
    response = client.post(
        "/sparql", content=query.encode("utf-8"), headers={"Content-Type": f"{SPARQL_QUERY}; charset=utf-8", "Accept": JSON}
    )
    assert results(response) is True


def test_post_form_merges_url_and_body_parameters(client: TestClient) -> None:
    """The query in the body, the dataset in the URL: both count."""
    response = client.post(
        "/sparql", params={"default-graph-uri": BOERSENBLATT}, data={"query": ALL_TRIPLES}, headers={"Accept": JSON}
    )
    assert set(table(response).rows) == rows(client, f"SELECT ?s ?p ?o {{ GRAPH <{BOERSENBLATT}> {{ ?s ?p ?o }} }}")


def test_post_form_merges_repeated_parameters_from_url_and_body(client: TestClient) -> None:
    response = client.post(
        "/sparql",
        params={"named-graph-uri": EDITORIAL},
        data={"query": NAMED_GRAPHS, "named-graph-uri": BOERSENBLATT},
        headers={"Accept": JSON},
    )
    assert set(table(response).column("g")) == {EDITORIAL, BOERSENBLATT}


def test_post_query_directly_takes_the_dataset_from_the_url(client: TestClient) -> None:
    response = client.post(
        "/sparql",
        params={"default-graph-uri": BOERSENBLATT},
        content=ALL_TRIPLES.encode(),
        headers={"Content-Type": SPARQL_QUERY, "Accept": JSON},
    )
    assert set(table(response).rows) == rows(client, f"SELECT ?s ?p ?o {{ GRAPH <{BOERSENBLATT}> {{ ?s ?p ?o }} }}")


def test_a_form_without_query_is_400(client: TestClient) -> None:
    assert "query" in error(client.post("/sparql", data={"default-graph-uri": EDITORIAL}), 400)


# --- The dataset ---------------------------------------------------------------------------


def test_the_default_graph_is_the_union_of_the_sources(client: TestClient) -> None:
    """A query without GRAPH sees the statements of every source graph, each once."""
    union = rows(client, ALL_TRIPLES)
    everything = rows(client, "SELECT DISTINCT ?s ?p ?o { GRAPH ?g { ?s ?p ?o } }")
    assert union == everything
    for graph in (EDITORIAL, BOERSENBLATT, GRAPHS + "derived"):
        assert rows(client, f"SELECT ?s ?p ?o {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}") <= union


def test_graph_variable_reaches_every_source_graph(client: TestClient, release_graphs: list[str]) -> None:
    assert {row[0] for row in rows(client, NAMED_GRAPHS)} == set(release_graphs)


def test_default_graph_uri_restricts_the_default_graph(client: TestClient) -> None:
    only = rows(client, ALL_TRIPLES, **{"default-graph-uri": BOERSENBLATT})
    assert only == rows(client, f"SELECT ?s ?p ?o {{ GRAPH <{BOERSENBLATT}> {{ ?s ?p ?o }} }}")
    assert 0 < len(only) < len(rows(client, ALL_TRIPLES))


def test_several_default_graph_uris_are_merged(client: TestClient) -> None:
    both = rows(client, ALL_TRIPLES, **{"default-graph-uri": [BOERSENBLATT, EDITORIAL]})
    each = rows(client, ALL_TRIPLES, **{"default-graph-uri": BOERSENBLATT}) | rows(
        client, ALL_TRIPLES, **{"default-graph-uri": EDITORIAL}
    )
    assert both == each


def test_named_graph_uri_restricts_graph_variable(client: TestClient) -> None:
    found = rows(client, NAMED_GRAPHS, **{"named-graph-uri": [EDITORIAL, BOERSENBLATT]})
    assert found == {(EDITORIAL,), (BOERSENBLATT,)}


def test_a_query_with_from_sees_only_that_graph(client: TestClient) -> None:
    """Without a protocol dataset, the query's FROM chooses its default graph."""
    only = rows(client, f"SELECT ?s ?p ?o FROM <{BOERSENBLATT}> {{ ?s ?p ?o }}")
    assert only == rows(client, f"SELECT ?s ?p ?o {{ GRAPH <{BOERSENBLATT}> {{ ?s ?p ?o }} }}")


def test_a_query_with_from_named_sees_only_that_graph(client: TestClient) -> None:
    assert rows(client, f"SELECT DISTINCT ?g FROM NAMED <{EDITORIAL}> {{ GRAPH ?g {{ ?s ?p ?o }} }}") == {(EDITORIAL,)}


def test_the_protocol_dataset_overrides_the_query_dataset(client: TestClient) -> None:
    query = f"SELECT ?s ?p ?o FROM <{EDITORIAL}> {{ ?s ?p ?o }}"
    only = rows(client, query, **{"default-graph-uri": BOERSENBLATT})
    assert only == rows(client, f"SELECT ?s ?p ?o {{ GRAPH <{BOERSENBLATT}> {{ ?s ?p ?o }} }}")


def test_an_unknown_default_graph_is_empty(client: TestClient) -> None:
    assert rows(client, ALL_TRIPLES, **{"default-graph-uri": "http://example.org/no-such-graph"}) == set()


# --- Errors ------------------------------------------------------------------------------


def test_malformed_query_is_400_with_the_parser_message(client: TestClient) -> None:
    message = error(get(client, "SELECT * WHERE { ?s ?p }", JSON), 400)
    assert PARSER_POSITION.search(message), message


def test_malformed_query_as_plain_text(client: TestClient) -> None:
    response = get(client, "SELECT * WHERE { ?s ?p }", "text/plain")
    assert response.status_code == 400
    assert media_type(response.headers["content-type"]) == "text/plain"
    assert "Accept" in response.headers["vary"]
    assert PARSER_POSITION.search(response.text) and not response.text.startswith("{")


def test_malformed_query_posted_is_400(client: TestClient) -> None:
    response = client.post("/sparql", content=b"ASK {", headers={"Content-Type": SPARQL_QUERY, "Accept": JSON})
    assert PARSER_POSITION.search(error(response, 400))


def test_an_empty_query_is_400(client: TestClient) -> None:
    error(get(client, "", JSON), 400)


@pytest.mark.parametrize("content_type", ["text/plain", "application/json", "multipart/form-data; boundary=x", None])
def test_wrong_content_type_is_415(client: TestClient, content_type: str | None) -> None:
    request = client.build_request("POST", "/sparql", content=b"ASK {}", headers={"Accept": JSON})
    if content_type is not None:
        request.headers["content-type"] = content_type
    message = error(client.send(request), 415)
    assert FORM in message and SPARQL_QUERY in message


def test_a_declared_charset_other_than_utf8_is_refused(client: TestClient) -> None:
    response = client.post(
        "/sparql", content="ASK {}".encode("utf-16"), headers={"Content-Type": f"{SPARQL_QUERY}; charset=UTF-16"}
    )
    assert "UTF-8" in error(response, 415)


def test_sparql_update_body_is_403(client: TestClient) -> None:
    response = client.post("/sparql", content=b"CLEAR ALL", headers={"Content-Type": "application/sparql-update"})
    assert "read-only" in error(response, 403)


def test_update_parameter_in_the_url_is_403(client: TestClient) -> None:
    assert "read-only" in error(client.get("/sparql", params={"update": "CLEAR ALL"}), 403)


def test_update_parameter_in_a_form_is_403(client: TestClient) -> None:
    assert "read-only" in error(client.post("/sparql", data={"update": "DROP ALL"}), 403)


def test_an_update_sent_as_a_query_is_400(client: TestClient) -> None:
    error(get(client, "CLEAR ALL", JSON), 400)


def test_two_query_parameters_is_400(client: TestClient) -> None:
    response = client.get("/sparql", params=[("query", ASK), ("query", SELECT)], headers={"Accept": JSON})
    assert "query" in error(response, 400)


def test_a_query_in_the_url_and_the_form_is_400(client: TestClient) -> None:
    response = client.post("/sparql", params={"query": ASK}, data={"query": SELECT}, headers={"Accept": JSON})
    error(response, 400)


def test_a_query_parameter_beside_a_query_body_is_400(client: TestClient) -> None:
    response = client.post(
        "/sparql", params={"query": ASK}, content=SELECT.encode(), headers={"Content-Type": SPARQL_QUERY, "Accept": JSON}
    )
    error(response, 400)


def test_non_utf8_query_body_is_400(client: TestClient) -> None:
    response = client.post("/sparql", content=b"ASK { ?s ?p '\xff' }", headers={"Content-Type": SPARQL_QUERY})
    assert "UTF-8" in error(response, 400)


def test_non_utf8_form_body_is_400(client: TestClient) -> None:
    response = client.post("/sparql", content=b"query=ASK%20{}\xff", headers={"Content-Type": FORM})
    assert "UTF-8" in error(response, 400)


def test_non_utf8_percent_encoding_in_a_form_is_400(client: TestClient) -> None:
    """``%FF`` is not UTF-8 once decoded: refused, not turned into U+FFFD."""
    response = client.post("/sparql", content=b"query=ASK%20%7B%20?s%20?p%20'%FF'%20%7D", headers={"Content-Type": FORM})
    assert "UTF-8" in error(response, 400)


def test_non_utf8_percent_encoding_in_the_url_is_400(client: TestClient) -> None:
    response = client.get("/sparql?query=ASK%20%7B%20?s%20?p%20'%FF'%20%7D")
    assert "UTF-8" in error(response, 400)


def test_an_error_for_a_browser_is_an_html_page(client: TestClient) -> None:
    response = get(client, "SELECT * WHERE {", BROWSER)
    assert response.status_code == 400
    assert media_type(response.headers["content-type"]) == "text/html"
    assert PARSER_POSITION.search(response.text)


def test_other_methods_are_405(client: TestClient) -> None:
    response = client.put("/sparql", params={"query": ASK}, headers={"Accept": JSON})
    error(response, 405)
    assert "GET" in response.headers["allow"]


# --- CORS and HEAD ---------------------------------------------------------------------------


def test_cors_on_a_get(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": ASK}, headers={"Origin": "https://example.org", "Accept": JSON})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] in ("*", "https://example.org")


def test_cors_on_an_error(client: TestClient) -> None:
    """A browser client can read the error message too."""
    response = client.get("/sparql", params={"query": "ASK {"}, headers={"Origin": "https://example.org"})
    assert response.status_code == 400
    assert response.headers["access-control-allow-origin"] in ("*", "https://example.org")


def test_cors_preflight_for_a_posted_query(client: TestClient) -> None:
    response = client.options(
        "/sparql",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type, accept",
        },
    )
    assert response.status_code in (200, 204)
    assert response.headers["access-control-allow-origin"] in ("*", "https://example.org")
    assert "POST" in response.headers["access-control-allow-methods"]
    assert "content-type" in response.headers["access-control-allow-headers"].lower()


@pytest.mark.parametrize("query", [SELECT, CONSTRUCT, "ASK {"], ids=["select", "construct", "malformed"])
def test_head_matches_get(client: TestClient, query: str) -> None:
    url = "/sparql?" + urlencode({"query": query})
    got = client.get(url, headers={"Accept": "text/csv, text/turtle"})
    head = client.head(url, headers={"Accept": "text/csv, text/turtle"})
    assert head.status_code == got.status_code
    assert head.content == b""
    for name in ("content-type", "content-length", "vary"):
        assert head.headers.get(name) == got.headers.get(name), name


def test_head_on_the_service_description_matches_get(client: TestClient) -> None:
    got = client.get("/sparql", headers={"Accept": TURTLE})
    head = client.head("/sparql", headers={"Accept": TURTLE})
    assert (head.status_code, head.content) == (200, b"")
    assert head.headers["content-type"] == got.headers["content-type"]
    assert head.headers["content-length"] == got.headers["content-length"]


# --- GET without a query: the query page or the Service Description ----------------------------


def test_a_browser_gets_the_query_page(client: TestClient) -> None:
    response = client.get("/sparql", headers={"Accept": BROWSER})
    assert response.status_code == 200
    assert media_type(response.headers["content-type"]) == "text/html"
    assert "<form" in response.text and 'name="query"' in response.text
    assert "Accept" in response.headers["vary"]


@pytest.mark.parametrize("accept", [*GRAPH_TYPES, "*/*", None])
def test_an_rdf_client_gets_the_service_description(client: TestClient, accept: str | None) -> None:
    request = client.build_request("GET", "/sparql")
    if accept is None:
        del request.headers["accept"]
    else:
        request.headers["accept"] = accept
    response = client.send(request)
    assert "Accept" in response.headers["vary"]
    graph = triples(response)
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert {t.object for t in graph if t.predicate == NamedNode(sd + "endpoint")} == {NamedNode("http://testserver/sparql")}


def test_service_description_names_the_url_requested(client: TestClient) -> None:
    """Reached under the IRI base's path (``/lwg/sparql``), the endpoint is described at that URL."""
    response = client.get("/lwg/sparql", headers={"Accept": N_TRIPLES})
    assert "<http://testserver/lwg/sparql>" in response.text
    sd_endpoint = "<http://www.w3.org/ns/sparql-service-description#endpoint>"
    assert f"{sd_endpoint} <http://testserver/lwg/sparql> ." in response.text


def test_service_description_unacceptable_is_406(client: TestClient) -> None:
    message = error(client.get("/sparql", headers={"Accept": "image/png"}), 406)
    assert TURTLE in message


# --- Fixtures ---------------------------------------------------------------------------------


@pytest.fixture
def release_graphs(store: Store) -> list[str]:
    """The named graphs of the release, read from its store directly."""
    return [graph.value for graph in store.named_graphs() if isinstance(graph, NamedNode)]
