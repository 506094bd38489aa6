"""The W3C SPARQL 1.1 Protocol test suite, replayed against the app, and the three Service Description checks.

Every entry of ``../shared/standards/sparql11-protocol/manifest.ttl`` is one test: its
HTTP requests are sent in order exactly as the manifest writes them (method, path with
``/sparql/`` made ``/sparql``, headers, body in its declared encoding, and no Accept
header unless the manifest gives one), and each response is checked against the
manifest's expected status class, result format and ASK answer.

This endpoint is read-only, so a request that would write (``application/sparql-update``
or an ``update`` parameter) must be refused with a 4xx whatever the manifest expects of a
writable store; the ids of those tests end in ``-read-only-4xx``. Their follow-up ASK,
which checks the update's effect, must then run and answer the opposite of the manifest:
the store is unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient
from pyoxigraph import NamedNode, RdfFormat, Triple, parse
from rdflib import Graph, Namespace, URIRef
from rdflib import Literal as RDFLiteral
from rdflib.collection import Collection
from rdflib.namespace import RDF
from rdflib.term import Node

from .conftest import PROTOCOL
from .sparql_results import RESULTS_MEDIA_TYPES, Table, media_type, read_results

MANIFEST = PROTOCOL / "manifest.ttl"
SERVICE_DESCRIPTION_MANIFEST = PROTOCOL.parent / "sparql11-service-description" / "manifest.ttl"

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
SD = "http://www.w3.org/ns/sparql-service-description#"
RDF_TYPE = NamedNode(str(RDF.type))

#: Where the manifest's paths put the endpoint, and where this app serves it.
MANIFEST_ENDPOINT, ENDPOINT = "/sparql/", "/sparql"
SPARQL_UPDATE = "application/sparql-update"

#: The result formats the manifest names, and the media types each may come in.
BOOLEAN_MEDIA_TYPES = ("application/sparql-results+json", "application/sparql-results+xml")
EXPECTED_MEDIA_TYPES = {"boolean": BOOLEAN_MEDIA_TYPES, "tabular": RESULTS_MEDIA_TYPES}


@dataclass(frozen=True)
class Expected:
    """What the manifest expects of one response."""

    statuses: frozenset[str]  # status classes ("2xx") or exact codes ("200")
    format: str | None = None  # "boolean", "tabular" or "RDF"
    boolean: bool | None = None

    def allows(self, status: int) -> bool:
        return str(status) in self.statuses or f"{status // 100}xx" in self.statuses


@dataclass(frozen=True)
class ProtocolRequest:
    """One ht:Request of the manifest, ready to send to this app."""

    method: str
    path: str
    headers: tuple[tuple[str, str], ...]
    body: bytes | None
    expected: Expected

    @property
    def content_type(self) -> str:
        return next((value for name, value in self.headers if name.lower() == "content-type"), "")

    @property
    def writes(self) -> bool:
        """Whether this is a SPARQL Update request (by its media type, or an ``update`` URL or form parameter)."""
        if media_type(self.content_type) == SPARQL_UPDATE:
            return True
        parameters = parse_qs(urlsplit(self.path).query)
        if self.body is not None and media_type(self.content_type) in ("", "application/x-www-form-urlencoded"):
            parameters.update(parse_qs(self.body.decode("utf-8", "replace")))
        return "update" in parameters


@dataclass(frozen=True)
class ProtocolTest:
    name: str
    title: str
    requests: tuple[ProtocolRequest, ...]

    @property
    def writes(self) -> bool:
        return any(request.writes for request in self.requests)


def _value(graph: Graph, subject: Node, predicate: URIRef) -> Node:
    """The one object of ``subject predicate``, which the manifest must give."""
    found = graph.value(subject, predicate)
    assert found is not None, f"the manifest gives no {predicate} for {subject}"
    return found


def _optional(graph: Graph, subject: Node, predicate: URIRef) -> Node | None:
    return graph.value(subject, predicate)


def _items(graph: Graph, head: Node) -> list[Node]:
    return list(Collection(graph, head))


def _status(node: Node) -> str:
    """``hts:StatusCode2xx`` as "2xx"; an exact code (a number) as itself."""
    if isinstance(node, RDFLiteral):
        return str(int(node.toPython()))
    match = re.fullmatch(re.escape(str(HTS)) + r"StatusCode([1-5])xx", str(node))
    if match is None:
        raise ValueError(f"the manifest expects a status this runner does not know: {node}")
    return f"{match.group(1)}xx"


def _body(graph: Graph, request: Node) -> bytes | None:
    """The request body in the bytes of its declared encoding (UTF-16 for the non-UTF-8 tests)."""
    body = _optional(graph, request, HT.body)
    if body is None:
        return None
    encoding = _optional(graph, body, CNT.characterEncoding) or "UTF-8"
    return str(_value(graph, body, CNT.chars)).encode(str(encoding))


def _request(graph: Graph, request: Node) -> ProtocolRequest:
    headers = _optional(graph, request, HT.headers)
    header_pairs = tuple(
        (str(_value(graph, h, HT.fieldName)), str(_value(graph, h, HT.fieldValue)))
        for h in (_items(graph, headers) if headers is not None else [])
    )
    response = _value(graph, request, HT.resp)
    expected_format = _optional(graph, response, MF.expectedFormat)
    expected_boolean = _optional(graph, response, MF.expectedBoolean)
    expected = Expected(
        statuses=frozenset(_status(s) for s in graph.objects(response, MF.expectedStatus)),
        format=str(expected_format) if expected_format is not None else None,
        boolean=bool(expected_boolean.toPython()) if isinstance(expected_boolean, RDFLiteral) else None,
    )
    path = str(_value(graph, request, HT.absolutePath))
    assert path.startswith(MANIFEST_ENDPOINT), path
    return ProtocolRequest(
        method=str(_value(graph, request, HT.methodName)),
        path=ENDPOINT + path.removeprefix(MANIFEST_ENDPOINT),
        headers=header_pairs,
        body=_body(graph, request),
        expected=expected,
    )


def _entries(graph: Graph) -> list[Node]:
    """The entries of the manifest's mf:entries list, in order."""
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    return _items(graph, _value(graph, manifest, MF.entries))


@cache
def protocol_tests() -> tuple[ProtocolTest, ...]:
    """The manifest's entries, in its order."""
    graph = Graph().parse(MANIFEST, format="turtle")
    tests = []
    for entry in _entries(graph):
        action = _value(graph, entry, MF.action)
        tests.append(
            ProtocolTest(
                name=str(entry).rsplit("#", 1)[1],
                title=str(_value(graph, entry, MF.name)),
                requests=tuple(_request(graph, r) for r in _items(graph, _value(graph, action, HT.requests))),
            )
        )
    return tuple(tests)


#: Manifest tests this app does not pass yet, each with what it waits for (strict: a pass turns red, so the
#: mark is removed as soon as the fix lands).
AWAITING: dict[str, str] = {}


def _param(test: ProtocolTest) -> object:
    name = f"{test.name}-read-only-4xx" if test.writes else test.name
    if test.name in AWAITING:
        return pytest.param(test, id=name, marks=pytest.mark.xfail(strict=True, reason=AWAITING[test.name]))
    return pytest.param(test, id=name)


def send(client: TestClient, request: ProtocolRequest) -> httpx.Response:
    """Send the request as the manifest writes it: its headers only (no default Accept), its bytes as they are."""
    built = client.build_request(request.method, request.path, content=request.body)
    del built.headers["accept"]
    for name, value in request.headers:
        built.headers[name] = value
    return client.send(built)


def check_format(response: httpx.Response, expected: Expected, boolean: bool | None) -> None:
    """The response is in a format of the expected kind, parses, and (for an ASK) gives ``boolean``."""
    content_type = response.headers.get("content-type", "")
    if expected.format == "RDF":
        rdf_format = RdfFormat.from_media_type(media_type(content_type))
        assert rdf_format is not None and not rdf_format.supports_datasets, f"not an RDF graph format: {content_type}"
        list(parse(response.content, format=rdf_format))
        return
    if expected.format in EXPECTED_MEDIA_TYPES:
        assert media_type(content_type) in EXPECTED_MEDIA_TYPES[expected.format], (expected.format, content_type)
        results = read_results(content_type, response.content)
        if expected.format == "boolean":
            assert isinstance(results, bool), results
            if boolean is not None:
                assert results is boolean
        else:
            assert isinstance(results, Table)
        return
    assert expected.format is None, f"the manifest names an unknown format: {expected.format}"


@pytest.mark.parametrize("test", [_param(t) for t in protocol_tests()])
def test_protocol(protocol_client: TestClient, test: ProtocolTest) -> None:
    """One W3C protocol test: every request answered as the manifest expects (updates: refused)."""
    refused_update = False
    for number, request in enumerate(test.requests, 1):
        response = send(protocol_client, request)
        where = f"{test.name} ({test.title}), request {number}: {request.method} {request.path}"
        if request.writes:
            assert 400 <= response.status_code < 500, f"{where}: a write to a read-only endpoint got {response.status_code}"
            refused_update = True
            continue
        assert request.expected.allows(response.status_code), (
            f"{where}: {response.status_code} not in {sorted(request.expected.statuses)}: {response.text[:500]}"
        )
        expected_boolean = request.expected.boolean
        if refused_update and expected_boolean is not None:
            expected_boolean = not expected_boolean  # the refused update changed nothing
        if response.is_success:
            check_format(response, request.expected, expected_boolean)


def test_the_manifest_has_34_tests() -> None:
    """The runner reads every entry (a parsing slip would silently shrink the suite)."""
    tests = protocol_tests()
    assert len(tests) == 34 and len({t.name for t in tests}) == 34
    assert sum(len(t.requests) for t in tests) == 39


# --- Service Description ----------------------------------------------------------

RDF_ACCEPTS = ("text/turtle", "application/rdf+xml", "application/n-triples", "application/ld+json", "*/*")


def service_description_tests() -> list[str]:
    """The local names of the Service Description manifest's entries."""
    graph = Graph().parse(SERVICE_DESCRIPTION_MANIFEST, format="turtle")
    return [str(entry).rsplit("#", 1)[1] for entry in _entries(graph)]


def description(client: TestClient, accept: str = "text/turtle") -> list[Triple]:
    response = client.get(ENDPOINT, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    rdf_format = RdfFormat.from_media_type(media_type(response.headers["content-type"]))
    assert rdf_format is not None, response.headers["content-type"]
    return [q.triple for q in parse(response.content, format=rdf_format)]


def returns_rdf(client: TestClient, endpoint: str) -> None:
    """GET on the endpoint returns RDF, whichever RDF format the client asks for."""
    for accept in RDF_ACCEPTS:
        triples = description(client, accept)
        assert any(t.predicate == RDF_TYPE and t.object == NamedNode(SD + "Service") for t in triples), accept


def has_endpoint_triple(client: TestClient, endpoint: str) -> None:
    """The description has ``?s sd:endpoint <the URL requested>``."""
    endpoints = {t.object for t in description(client) if t.predicate == NamedNode(SD + "endpoint")}
    assert endpoints == {NamedNode(endpoint)}


def conforms_to_schema(client: TestClient, endpoint: str) -> None:
    """Every sd:NamedGraph has an sd:name (an IRI); the service declares its language; its graphs are named."""
    triples = description(client)
    named_graphs = {t.subject for t in triples if t.predicate == RDF_TYPE and t.object == NamedNode(SD + "NamedGraph")}
    assert named_graphs, "the description lists no named graph"
    for graph in named_graphs:
        names = [t.object for t in triples if t.subject == graph and t.predicate == NamedNode(SD + "name")]
        assert len(names) == 1 and isinstance(names[0], NamedNode), (graph, names)
    services = {t.subject for t in triples if t.predicate == RDF_TYPE and t.object == NamedNode(SD + "Service")}
    languages = {t.object for t in triples if t.subject in services and t.predicate == NamedNode(SD + "supportedLanguage")}
    assert NamedNode(SD + "SPARQL11Query") in languages
    assert NamedNode(SD + "SPARQL11Update") not in languages, "a read-only endpoint must not claim SPARQL Update"


SD_CHECKS = {"returns-rdf": returns_rdf, "has-endpoint-triple": has_endpoint_triple, "conforms-to-schema": conforms_to_schema}


def test_the_service_description_manifest_is_covered() -> None:
    assert sorted(service_description_tests()) == sorted(SD_CHECKS)


@pytest.mark.parametrize("check", service_description_tests())
def test_service_description_over_the_release(client: TestClient, check: str) -> None:
    SD_CHECKS[check](client, "http://testserver/sparql")


@pytest.mark.parametrize("check", service_description_tests())
def test_service_description_over_the_protocol_fixture(protocol_client: TestClient, check: str) -> None:
    SD_CHECKS[check](protocol_client, "http://www.example/sparql")


def test_protocol_fixture_graphs_are_described(protocol_client: TestClient) -> None:
    """The protocol fixture's three graphs appear as sd:NamedGraphs by name."""
    names = {t.object for t in description(protocol_client) if t.predicate == NamedNode(SD + "name")}
    expected = {NamedNode(f"http://kasei.us/2009/09/sparql/data/data{n}.rdf") for n in (1, 2, 3)}
    assert names == expected

