"""Linked data over HTTP, checked as a linked-data client would: every entity IRI of the
release dereferences, every format says the same thing, the ontology, shapes and
context are published at their IRIs, the dumps download and verify, and VoID
describes it all.

The ground truth is the release itself (its store, its files), never the server's code.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pyld import jsonld
from pyoxigraph import (
    BlankNode,
    CanonicalizationAlgorithm,
    Dataset,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    QuerySolutions,
    RdfFormat,
    Store,
    parse,
)

from kg.marc import entity_iri, parse_marcxml, parse_mrc
from kg.release import Release

from ..conftest import REAL

BASE = "https://w3id.org/lwg/"
DERIVED = f"{BASE}graph/derived"
ONTOLOGY_NS = f"{BASE}ontology#"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
SCHEMA = "https://schema.org/"
LWG = ONTOLOGY_NS
DCAT = "http://www.w3.org/ns/dcat#"
DCTERMS = "http://purl.org/dc/terms/"
VOID = "http://rdfs.org/ns/void#"
LABELS = (f"{SKOS}prefLabel", f"{RDFS}label")

#: Every document format of an entity: extension, media type, pyoxigraph format.
DOCUMENTS = {
    "html": ("text/html", None),
    "ttl": ("text/turtle", RdfFormat.TURTLE),
    "jsonld": ("application/ld+json", RdfFormat.JSON_LD),
    "rdf": ("application/rdf+xml", RdfFormat.RDF_XML),
    "nt": ("application/n-triples", RdfFormat.N_TRIPLES),
    "trig": ("application/trig", RdfFormat.TRIG),
    "nq": ("application/n-quads", RdfFormat.N_QUADS),
}
RDF_DOCUMENTS = {ext: fmt for ext, (_, fmt) in DOCUMENTS.items() if fmt is not None}
#: The kinds of entity that have a MARC 21 authority record, and its two forms.
AUTHORITY_KINDS = ("person", "organisation", "congress")
AUTHORITIES = {"marcxml": "application/marcxml+xml", "mrc": "application/marc"}


def expected_links(path: str) -> dict[str, str]:
    """The alternates an entity's IRI and documents name: every document, and MARC where it has a record."""
    found = {f"{path}.{ext}": media for ext, (media, _) in DOCUMENTS.items()}
    if path.split("/")[-2] in AUTHORITY_KINDS:
        found.update({f"{path}.{ext}": media for ext, media in AUTHORITIES.items()})
    return found

#: Accept headers and the document each must be sent to.
NEGOTIATION = [
    (BROWSER, "html"),
    ("text/html", "html"),
    ("text/turtle", "ttl"),
    ("application/n-triples", "nt"),
    ("application/ld+json", "jsonld"),
    ("application/json", "jsonld"),
    ("application/rdf+xml", "rdf"),
    ("application/trig", "trig"),
    ("application/n-quads", "nq"),
    ("text/turtle;q=0.5, application/rdf+xml", "rdf"),
    ("*/*", "html"),
]


# --- helpers -----------------------------------------------------------------------------


def path_of(iri: str) -> str:
    assert iri.startswith(BASE), iri
    return "/" + iri[len(BASE):]


def media_type(response: Any) -> str:
    return str(response.headers["content-type"]).split(";", 1)[0].strip()


def links(header: str) -> dict[str, str]:
    """A ``Link`` header's rel=alternate targets: target -> type."""
    found = {}
    for target, params in re.findall(r"<([^>]*)>((?:\s*;\s*[^;,]+)*)", header):
        fields = dict(re.findall(r'(\w+)="([^"]*)"', params))
        if fields.get("rel") == "alternate":
            found[target] = fields.get("type", "")
    return found


def parse_body(body: bytes, fmt: RdfFormat) -> list[Quad]:
    return list(parse(body, format=fmt))


def canonical(quads: Iterable[Quad], keep_graphs: bool = True) -> Dataset:
    """A dataset with blank nodes renamed canonically (so equal graphs compare equal)."""
    if not keep_graphs:
        quads = {Quad(q.subject, q.predicate, q.object, DefaultGraph()) for q in quads}
    dataset = Dataset(quads)
    dataset.canonicalize(CanonicalizationAlgorithm.UNSTABLE)
    return dataset


Statement = tuple[Any, Any, Any, frozenset[str]]


def reading(quads: Iterable[Quad]) -> tuple[set[tuple[Any, Any, Any]], set[Statement]]:
    """What a document says, blank-node labels aside: its plain triples, and each
    reified statement as (subject, predicate, object, the graphs it is derived from)."""
    quads = list(quads)
    plain = {(q.subject, q.predicate, q.object) for q in quads if not isinstance(q.subject, BlankNode)}
    by_node: dict[BlankNode, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for q in quads:
        if isinstance(q.subject, BlankNode):
            by_node[q.subject][q.predicate.value].append(q.object)
    statements: set[Statement] = set()
    for node, values in by_node.items():
        assert values[f"{RDF}type"] == [NamedNode(f"{RDF}Statement")], f"{node} is not an rdf:Statement"
        assert len(values[f"{RDF}subject"]) == len(values[f"{RDF}predicate"]) == len(values[f"{RDF}object"]) == 1
        sources = frozenset(v.value for v in values[f"{PROV}wasDerivedFrom"])
        assert sources, f"the statement {node} names no source graph"
        statements.add((values[f"{RDF}subject"][0], values[f"{RDF}predicate"][0], values[f"{RDF}object"][0], sources))
    assert not any(isinstance(o, BlankNode) for _, _, o in plain), "blank nodes only for statements"
    return plain, statements


def _refuse(url: str, options: Any = None) -> Any:
    raise AssertionError(f"the JSON-LD needed {url}: a document must carry its context")


def rows(store: Store, query: str) -> list[Any]:
    results = store.query(query, use_default_graph_as_union=True)
    assert isinstance(results, QuerySolutions)
    return list(results)


# --- fixtures ----------------------------------------------------------------------------------


def entity_iris(store: Store) -> list[str]:
    """Every entity IRI of the release: the subjects under {BASE}id/."""
    found = sorted(
        r["s"].value
        for r in rows(store, f'SELECT DISTINCT ?s WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?s), "{BASE}id/")) }}')
    )
    assert len(found) > 50
    return found


@pytest.fixture(scope="module")
def entities(store: Store) -> list[str]:
    return entity_iris(store)


@pytest.fixture(scope="module")
def one_per_kind(entities: list[str]) -> list[str]:
    kinds: dict[str, str] = {}
    for iri in entities:
        kinds.setdefault(iri[len(BASE):].split("/")[1], iri)
    return sorted(kinds.values())


@pytest.fixture(scope="module")
def published_context(release: Release) -> dict[str, Any]:
    context: dict[str, Any] = json.loads((release.path / "context.jsonld").read_text(encoding="utf-8"))
    return context


# --- entity IRIs ---------------------------------------------------------------------------------


def test_every_entity_iri_answers_303_to_the_negotiated_document(client: TestClient, entities: list[str]) -> None:
    for iri in entities:
        path = path_of(iri)
        for accept, extension in NEGOTIATION:
            response = client.get(path, headers={"Accept": accept}, follow_redirects=False)
            assert response.status_code == 303, (iri, accept, response.text)
            assert response.headers["location"] == f"{path}.{extension}", (iri, accept)
            assert "Accept" in [v.strip() for v in response.headers["vary"].split(",")]
            assert links(response.headers["link"]) == expected_links(path)


def test_head_on_an_entity_iri_matches_get(client: TestClient, entities: list[str]) -> None:
    for iri in entities:
        for accept in (BROWSER, "text/turtle"):
            get = client.get(path_of(iri), headers={"Accept": accept}, follow_redirects=False)
            head = client.head(path_of(iri), headers={"Accept": accept}, follow_redirects=False)
            assert head.status_code == get.status_code == 303
            for header in ("location", "vary", "link"):
                assert head.headers[header] == get.headers[header], (iri, header)
            assert head.content == b""


def test_head_on_a_document_matches_get(client: TestClient, one_per_kind: list[str]) -> None:
    for iri in one_per_kind:
        for extension, (media, _) in DOCUMENTS.items():
            path = f"{path_of(iri)}.{extension}"
            get, head = client.get(path), client.head(path)
            assert get.status_code == head.status_code == 200, path
            assert media_type(get) == media_type(head) == media, path
            assert int(head.headers["content-length"]) == len(get.content), path
            assert head.headers["link"] == get.headers["link"]
            assert head.content == b""


def test_following_the_redirect_gives_the_document_in_that_format(client: TestClient, one_per_kind: list[str]) -> None:
    for iri in one_per_kind:
        for accept, extension in NEGOTIATION:
            response = client.get(path_of(iri), headers={"Accept": accept})
            assert response.status_code == 200, (iri, accept)
            assert media_type(response) == DOCUMENTS[extension][0], (iri, accept)
            assert links(response.headers["link"]) == expected_links(path_of(iri))


@pytest.mark.parametrize(
    "path",
    [
        "/id/person/no-such-person",
        "/id/person/no-such-person.ttl",
        "/id/person/no-such-person.html",
        "/id/no-such-kind/gulzhan-irzhanova",
        "/id/person/gulzhan-irzhanova.xyz",
        "/id/person/gulzhan-irzhanova.ttl.gz",
        "/id/person/Gulzhan-Irzhanova",
        "/id/person/gulzhan%20irzhanova",
        "/id/person/gulzhan-irzhanova%0A",  # a final newline is no part of a slug
        "/id/person%0A/gulzhan-irzhanova",
        "/id/person/",
        "/lwg/id/person/no-such-person",
    ],
)
@pytest.mark.parametrize("accept", [BROWSER, "text/turtle", "application/json"])
def test_unknown_entities_and_formats_are_404(client: TestClient, path: str, accept: str) -> None:
    response = client.get(path, headers={"Accept": accept}, follow_redirects=False)
    assert response.status_code == 404, path
    head = client.head(path, headers={"Accept": accept}, follow_redirects=False)
    assert head.status_code == 404


def test_an_unacceptable_format_is_406(client: TestClient) -> None:
    response = client.get("/id/person/gulzhan-irzhanova", headers={"Accept": "image/png"}, follow_redirects=False)
    assert response.status_code == 406


def test_every_entity_iri_resolves_under_the_base_path_too(client: TestClient, entities: list[str]) -> None:
    """The IRI https://w3id.org/lwg/id/... has the path /lwg/id/...: a proxy that passes it on must work."""
    for iri in entities:
        path = "/lwg" + path_of(iri)
        response = client.get(path, headers={"Accept": "text/turtle"}, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"] == f"{path}.ttl"
        document = client.get(response.headers["location"])
        assert document.status_code == 200
        direct = client.get(f"{path_of(iri)}.ttl")
        assert canonical(parse_body(document.content, RdfFormat.TURTLE)) == canonical(parse_body(direct.content, RdfFormat.TURTLE))


def test_source_graph_iris_resolve_like_entities(client: TestClient, release: Release) -> None:
    manifest = json.loads((release.path / "release.json").read_text())
    graphs = [g for g in manifest["graphs"] if g.startswith(f"{BASE}graph/")]
    assert graphs
    for graph in graphs:
        response = client.get(path_of(graph), headers={"Accept": "text/turtle"}, follow_redirects=False)
        assert response.status_code == 303, graph
        document = client.get(response.headers["location"])
        triples = {(str(q.subject), q.predicate.value) for q in parse_body(document.content, RdfFormat.TURTLE)}
        assert (f"<{graph}>", f"{RDFS}label") in triples or (f"<{graph}>", f"{SKOS}prefLabel") in triples, graph
        assert (f"<{graph}>", f"{PROV}wasDerivedFrom") in triples, graph


# --- what the documents say ----------------------------------------------------------------------


def documents(client: TestClient, iri: str) -> dict[str, list[Quad]]:
    out = {}
    for extension, fmt in RDF_DOCUMENTS.items():
        response = client.get(f"{path_of(iri)}.{extension}")
        assert response.status_code == 200, (iri, extension)
        assert media_type(response) == DOCUMENTS[extension][0]
        out[extension] = parse_body(response.content, fmt)
    return out


def test_every_format_carries_the_same_statements(client: TestClient, entities: list[str]) -> None:
    for iri in entities:
        docs = documents(client, iri)
        expected = reading(docs["ttl"])
        for extension, quads in docs.items():
            assert reading(quads) == expected, (iri, extension)
        assert canonical(docs["ttl"]) == canonical(docs["nt"]) == canonical(docs["rdf"]) == canonical(docs["jsonld"])


def test_trig_and_nquads_keep_each_statement_in_its_source_graph(client: TestClient, one_per_kind: list[str]) -> None:
    for iri in one_per_kind:
        for extension in ("trig", "nq"):
            quads = parse_body(client.get(f"{path_of(iri)}.{extension}").content, RDF_DOCUMENTS[extension])
            graphs: dict[tuple[Any, Any, Any], set[str]] = defaultdict(set)
            for q in quads:
                if isinstance(q.graph_name, NamedNode):
                    graphs[(q.subject, q.predicate, q.object)].add(q.graph_name.value)
            _, statements = reading([q for q in quads if isinstance(q.graph_name, DefaultGraph)])
            for s, p, o, sources in statements:
                assert graphs[(s, p, o)] == set(sources), (iri, s, p, o)


def test_the_description_holds_what_a_reader_needs(client: TestClient, entities: list[str], store: Store) -> None:
    """Outgoing statements, inverse links, labels of what it links to, the source graph of
    each statement, and each graph's source with its URL: all from the release's store."""
    for iri in entities:
        node = f"<{iri}>"
        plain, statements = reading(parse_body(client.get(f"{path_of(iri)}.nt").content, RdfFormat.N_TRIPLES))
        sources_of: dict[tuple[Any, Any, Any], set[str]] = defaultdict(set)
        for r in rows(store, f"SELECT ?s ?p ?o ?g WHERE {{ GRAPH ?g {{ {{ {node} ?p ?o BIND({node} AS ?s) }} UNION {{ ?s ?p {node} BIND({node} AS ?o) }} }} }}"):
            sources_of[(r["s"], r["p"], r["o"])].add(r["g"].value)
        assert sources_of, iri
        for triple, graphs in sources_of.items():
            assert triple in plain, (iri, triple)
            assert (*triple, frozenset(graphs)) in statements, (iri, triple, graphs)
        assert len(statements) == len(sources_of), "one rdf:Statement per statement about or to the entity"
        linked = {o for s, _, o in sources_of if isinstance(o, NamedNode) and o.value != iri}
        linked |= {s for s, _, o in sources_of if isinstance(s, NamedNode) and s.value != iri}
        for other in linked:
            for r in rows(store, f"SELECT ?p ?l WHERE {{ <{other.value}> ?p ?l FILTER(?p IN (<{LABELS[0]}>, <{LABELS[1]}>)) }}"):
                assert (other, r["p"], r["l"]) in plain, (iri, "label of", other.value)
        for graph in {g for gs in sources_of.values() for g in gs}:
            for r in rows(store, f"SELECT ?source ?url WHERE {{ <{graph}> <{PROV}wasDerivedFrom> ?source OPTIONAL {{ ?source <{SCHEMA}url> ?url }} }}"):
                assert (NamedNode(graph), NamedNode(f"{PROV}wasDerivedFrom"), r["source"]) in plain, (iri, graph)
                if r["url"] is None:
                    continue
                if graph != DERIVED:  # the build's graph is drawn from every source: they are named, not described
                    assert (r["source"], NamedNode(f"{SCHEMA}url"), r["url"]) in plain, (iri, r["source"])


def test_a_description_describes_only_the_sources_of_its_own_statements(client: TestClient, store: Store) -> None:
    """The derived graph is drawn from every source; a document does not grow with their number."""
    iri = f"{BASE}id/person/gulzhan-irzhanova"
    response = client.get("/id/person/gulzhan-irzhanova.nt")
    described = {q.subject.value for q in parse(response.content, format=RdfFormat.N_TRIPLES) if q.predicate.value == f"{SCHEMA}url"}
    own = {
        r["source"].value
        for r in rows(store, f"SELECT DISTINCT ?source WHERE {{ GRAPH ?g {{ {{ <{iri}> ?p ?o }} UNION {{ ?s ?p <{iri}> }} }} ?g <{PROV}wasDerivedFrom> ?source FILTER(?g != <{DERIVED}>) }}")
    }
    everything = {r["s"].value for r in rows(store, f"SELECT DISTINCT ?s WHERE {{ <{DERIVED}> <{PROV}wasDerivedFrom> ?s }}")}
    assert described == own and len(own) < len(everything), (described, own)


def test_a_person_and_a_delegation_link_each_other(client: TestClient, store: Store) -> None:
    pairs = rows(store, f"SELECT DISTINCT ?d ?p WHERE {{ ?d <{LWG}delegate> ?p }}")
    assert pairs, "the release has a delegation with delegates"
    delegate, delegate_in = NamedNode(f"{LWG}delegate"), NamedNode(f"{LWG}delegateIn")
    label = NamedNode(f"{SKOS}prefLabel")
    for r in pairs:
        delegation, person = r["d"], r["p"]
        person_doc, _ = reading(parse_body(client.get(f"{path_of(person.value)}.ttl").content, RdfFormat.TURTLE))
        assert (delegation, delegate, person) in person_doc, "the person's document has the inverse link"
        assert (person, delegate_in, delegation) in person_doc
        assert any(s == delegation and p == label for s, p, _ in person_doc), "and the delegation's name"
        delegation_doc, _ = reading(parse_body(client.get(f"{path_of(delegation.value)}.ttl").content, RdfFormat.TURTLE))
        assert (delegation, delegate, person) in delegation_doc
        assert any(s == person and p == label for s, p, _ in delegation_doc), "and the delegate's name"


def test_the_jsonld_uses_the_published_context_and_expands_to_the_turtle_graph(
    client: TestClient, entities: list[str], published_context: dict[str, Any]
) -> None:
    for iri in entities:
        document = client.get(f"{path_of(iri)}.jsonld").json()
        assert document["@context"] == published_context["@context"], iri
        nquads = jsonld.to_rdf(document, {"format": "application/n-quads", "documentLoader": _refuse})
        expanded = parse_body(nquads.encode("utf-8"), RdfFormat.N_QUADS)
        turtle = parse_body(client.get(f"{path_of(iri)}.ttl").content, RdfFormat.TURTLE)
        assert canonical(expanded) == canonical(turtle), iri


def declared_prefixes(text: str) -> dict[str, str]:
    return dict(re.findall(r"^@prefix\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>\s*\.\s*$", text, re.MULTILINE))


def used_prefixes(text: str) -> set[str]:
    """The prefixes a Turtle or TriG body uses (outside strings, IRIs and the declarations)."""
    body = re.sub(r"^@prefix.*$", "", text, flags=re.MULTILINE)
    body = re.sub(r'"(?:[^"\\\n]|\\.)*"', '""', body)
    body = re.sub(r"<[^>\s]*>", "<>", body)
    return set(re.findall(r"(?:^|[\s;,(\[{^])([A-Za-z][\w.-]*)?:", body, flags=re.MULTILINE))


def test_turtle_and_trig_declare_only_the_prefixes_they_use(client: TestClient, entities: list[str]) -> None:
    for iri in entities:
        for extension in ("ttl", "trig"):
            text = client.get(f"{path_of(iri)}.{extension}").text
            declared = declared_prefixes(text)
            assert declared, (iri, extension)
            assert set(declared) == used_prefixes(text), (iri, extension)
    void = client.get("/void", headers={"Accept": "text/turtle"}).text
    assert set(declared_prefixes(void)) == used_prefixes(void)


# --- the ontology, shapes and context ----------------------------------------------------------


@pytest.fixture(scope="module")
def ontology_quads() -> list[Quad]:
    return list(parse(path=str(REAL.ontology_file), format=RdfFormat.TURTLE))


def ontology_terms(quads: list[Quad]) -> set[str]:
    """Every IRI of the ontology's namespace that the ontology mentions."""
    terms = set()
    for q in quads:
        for term in (q.subject, q.predicate, q.object):
            if isinstance(term, NamedNode) and term.value.startswith(ONTOLOGY_NS) and term.value != ONTOLOGY_NS:
                terms.add(term.value)
    return terms


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (BROWSER, "text/html"),
        ("text/turtle", "text/turtle"),
        ("application/ld+json", "application/ld+json"),
        ("application/rdf+xml", "application/rdf+xml"),
        ("application/n-triples", "application/n-triples"),
        ("text/turtle;q=0.9, text/html;q=0.1", "text/turtle"),
    ],
)
def test_the_ontology_iri_negotiates(client: TestClient, accept: str, expected: str) -> None:
    for path in ("/ontology", "/lwg/ontology"):
        response = client.get(path, headers={"Accept": accept})
        assert response.status_code == 200, (path, accept)
        assert media_type(response) == expected
        assert "Accept" in response.headers["vary"]
        assert f"{path}.ttl" in links(response.headers["link"])


@pytest.mark.parametrize("extension", ["ttl", "jsonld", "rdf", "nt"])
def test_the_ontology_in_each_rdf_format_is_the_ontology(client: TestClient, extension: str, ontology_quads: list[Quad]) -> None:
    response = client.get(f"/ontology.{extension}")
    assert response.status_code == 200
    assert media_type(response) == DOCUMENTS[extension][0]
    assert canonical(parse_body(response.content, RDF_DOCUMENTS[extension])) == canonical(ontology_quads)
    assert client.head(f"/ontology.{extension}").status_code == 200


def test_an_unknown_ontology_format_is_404(client: TestClient) -> None:
    assert client.get("/ontology.xyz").status_code == 404
    assert client.get("/ontology", headers={"Accept": "image/png"}).status_code == 406


def test_every_term_iri_of_the_ontology_resolves(client: TestClient, ontology_quads: list[Quad]) -> None:
    """A term IRI is /ontology#Local: the page must have the anchor, the Turtle must describe the term."""
    html = client.get("/ontology", headers={"Accept": BROWSER}).text
    anchors = set(re.findall(r'\sid="([^"]+)"', html))
    turtle = parse_body(client.get("/ontology", headers={"Accept": "text/turtle"}).content, RdfFormat.TURTLE)
    described = {q.subject for q in turtle if q.predicate.value in LABELS}
    defined = {q.subject for q in turtle if q.predicate.value == f"{SKOS}definition"}
    terms = ontology_terms(ontology_quads)
    assert len(terms) > 100
    for term in sorted(terms):
        local = term[len(ONTOLOGY_NS):]
        assert local in anchors, f"no anchor for {term}"
        assert NamedNode(term) in described and NamedNode(term) in defined, f"{term} is not described in the Turtle"
        assert f'href="#{local}"' in html, f"the contents do not link {term}"


def test_the_shapes_are_published_as_written(client: TestClient) -> None:
    shapes = list(parse(path=str(REAL.shapes_file), format=RdfFormat.TURTLE))
    for path, accept in (("/shapes", "text/turtle"), ("/shapes", BROWSER), ("/shapes.ttl", None)):
        response = client.get(path, headers={"Accept": accept} if accept else {})
        assert response.status_code == 200
        assert media_type(response) == "text/turtle"
        assert canonical(parse_body(response.content, RdfFormat.TURTLE)) == canonical(shapes)
    for extension in ("nt", "jsonld", "rdf"):
        response = client.get(f"/shapes.{extension}")
        assert media_type(response) == DOCUMENTS[extension][0]
        assert canonical(parse_body(response.content, RDF_DOCUMENTS[extension])) == canonical(shapes)


def test_the_context_is_published(client: TestClient, published_context: dict[str, Any]) -> None:
    for path in ("/context.jsonld", "/lwg/context.jsonld"):
        response = client.get(path)
        assert response.status_code == 200
        assert media_type(response) == "application/ld+json"
        assert response.json() == published_context
        etag = response.headers["etag"]
        assert client.get(path, headers={"If-None-Match": etag}).status_code == 304


# --- dumps ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dump_files(release: Release) -> dict[str, Path]:
    return {p.name: p for p in (release.path / "dumps").iterdir()}


def test_the_dumps_are_listed(client: TestClient, dump_files: dict[str, Path]) -> None:
    listing = client.get("/dumps/")
    assert listing.status_code == 200
    assert media_type(listing) == "application/json"
    body = listing.json()
    listed = {d["filename"]: d for d in body["dumps"]}
    assert set(listed) | {"SHA256SUMS"} == set(dump_files)
    for name, dump in listed.items():
        assert dump["size"] == dump_files[name].stat().st_size
        assert dump["url"] == f"/dumps/{name}"
    assert {Path(n).suffixes[0] for n in listed} == {".ttl", ".nt", ".nq", ".trig", ".jsonld", ".rdf", ".marcxml", ".mrc"}
    page = client.get("/dumps/", headers={"Accept": BROWSER})
    assert page.status_code == 200 and media_type(page) == "text/html"
    for name in dump_files:
        assert f'href="/dumps/{name}"' in page.text


def test_each_dump_downloads_with_length_etag_date_range_and_304(client: TestClient, dump_files: dict[str, Path]) -> None:
    for name, path in dump_files.items():
        content = path.read_bytes()
        response = client.get(f"/dumps/{name}")
        assert response.status_code == 200, name
        assert response.content == content
        assert int(response.headers["content-length"]) == len(content)
        assert response.headers["etag"] and response.headers["last-modified"]
        head = client.head(f"/dumps/{name}")
        assert head.status_code == 200 and head.content == b""
        assert head.headers["content-length"] == response.headers["content-length"]
        assert head.headers["etag"] == response.headers["etag"]
        part = client.get(f"/dumps/{name}", headers={"Range": "bytes=100-199"})
        assert part.status_code == 206, name
        assert part.content == content[100:200]
        assert part.headers["content-range"] == f"bytes 100-199/{len(content)}"
        tail = client.get(f"/dumps/{name}", headers={"Range": "bytes=-50"})
        assert tail.status_code == 206 and tail.content == content[-50:]
        again = client.get(f"/dumps/{name}", headers={"If-None-Match": response.headers["etag"]})
        assert again.status_code == 304 and again.content == b""
        assert again.headers["etag"] == response.headers["etag"]
        changed = client.get(f"/dumps/{name}", headers={"If-None-Match": '"something-else"'})
        assert changed.status_code == 200


def test_sha256sums_verifies_every_dump_over_http(client: TestClient) -> None:
    sums = client.get("/dumps/SHA256SUMS")
    assert sums.status_code == 200
    assert media_type(sums) == "text/plain"
    lines = [line.split() for line in sums.text.splitlines() if line.strip()]
    listed = {d["filename"] for d in client.get("/dumps/").json()["dumps"]}
    assert {name for _, name in lines} == listed
    for digest, name in lines:
        body = client.get(f"/dumps/{name}").content
        assert hashlib.sha256(body).hexdigest() == digest, name
        assert gzip.decompress(body), name


def test_each_dump_parses_to_the_release(client: TestClient, store: Store) -> None:
    expected = {(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None)}
    authorities = {
        q.subject.value
        for q in store.quads_for_pattern(None, None, None)
        if any(q.subject.value.startswith(f"{BASE}id/{kind}/") for kind in AUTHORITY_KINDS)
    }
    for dump in client.get("/dumps/").json()["dumps"]:
        payload = gzip.decompress(client.get(dump["url"]).content)
        if dump["media_type"] in AUTHORITIES.values():
            records = parse_marcxml(payload) if dump["media_type"] == AUTHORITIES["marcxml"] else parse_mrc(payload)
            assert {entity_iri(r) for r in records} == authorities, dump["filename"]
            continue
        fmt = RdfFormat.from_media_type(dump["media_type"])
        assert fmt is not None
        quads = parse_body(payload, fmt)
        assert {(q.subject, q.predicate, q.object) for q in quads} == expected, dump["filename"]


@pytest.mark.parametrize("name", ["../release.json", "..%2Frelease.json", "validation-report.ttl", "nothing.gz", "SHA256SUMS.bak"])
def test_only_the_dumps_are_served_from_dumps(client: TestClient, name: str) -> None:
    assert client.get(f"/dumps/{name}").status_code == 404


# --- VoID and DCAT -----------------------------------------------------------------------------------


def void_store(client: TestClient, path: str, accept: str) -> Store:
    response = client.get(path, headers={"Accept": accept})
    assert response.status_code == 200, (path, accept)
    fmt = RdfFormat.from_media_type(media_type(response))
    assert fmt is not None and media_type(response) == accept
    out = Store()
    out.extend(Quad(q.subject, q.predicate, q.object) for q in parse_body(response.content, fmt))
    return out


VOID_REQUESTS = [
    *((path, accept) for path in ("/void", "/.well-known/void", "/dataset") for accept in ("text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml")),
    ("/void.ttl", "text/turtle"),
    ("/void.jsonld", "application/ld+json"),
    ("/lwg/.well-known/void", "text/turtle"),
]


@pytest.mark.parametrize(("path", "accept"), VOID_REQUESTS)
def test_void_describes_the_dataset_its_dumps_and_its_services(
    client: TestClient, path: str, accept: str, release: Release
) -> None:
    manifest = json.loads((release.path / "release.json").read_text())
    void = void_store(client, path, accept)
    dataset = NamedNode(manifest["dataset"])

    def objects(subject: Any, predicate: str) -> set[Any]:
        return {q.object for q in void.quads_for_pattern(subject, NamedNode(predicate), None)}

    assert {NamedNode(f"{VOID}Dataset"), NamedNode(f"{DCAT}Dataset")} <= objects(dataset, f"{RDF}type")
    assert Literal(str(manifest["triples"]), datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer")) in objects(
        dataset, f"{VOID}triples"
    )
    assert any(t.language == "en" for t in objects(dataset, f"{DCTERMS}title"))
    endpoint = NamedNode(f"{BASE}sparql")
    assert objects(dataset, f"{VOID}sparqlEndpoint") == {endpoint}

    downloads = {d.value for x in objects(dataset, f"{DCAT}distribution") for d in objects(x, f"{DCAT}downloadURL")}
    assert downloads == {f"{BASE}dumps/{d['filename']}" for d in manifest["dumps"]}
    rdf_downloads = {d for d in downloads if not d.endswith((".marcxml.gz", ".mrc.gz"))}
    assert {d.value for d in objects(dataset, f"{VOID}dataDump")} == rdf_downloads, "void:dataDump is for RDF dumps only"

    services = {q.subject for q in void.quads_for_pattern(None, NamedNode(f"{DCAT}servesDataset"), dataset)}
    assert all(NamedNode(f"{DCAT}DataService") in objects(s, f"{RDF}type") for s in services)
    endpoints = {e.value for s in services for e in objects(s, f"{DCAT}endpointURL")}
    assert {endpoint.value, f"{BASE}queries", f"{BASE}id/"} <= endpoints
    access = {a for x in objects(dataset, f"{DCAT}distribution") for a in objects(x, f"{DCAT}accessService")}
    assert access and access <= services, "a distribution reaches the SPARQL service"
