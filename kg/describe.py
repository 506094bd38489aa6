"""What the graph says about one entity: the document behind an entity IRI.

An entity's description holds its own statements, the statements that point at it
(the inverse links a reader needs), the labels of everything it links to, and the
provenance of each of its statements: every statement is also given as an
``rdf:Statement`` that says which source graph states it, and each such graph is
described (its source, the source's URL and label). So every format, Turtle and
RDF/XML included, carries the source of each statement; TriG and N-Quads carry
the named graphs themselves.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, QuerySolutions, Triple, Variable

from .backends import Backend
from .namespaces import PROV, RDF

#: Statements about ?entity, to it, labels of what it links to, and its graphs' provenance.
DESCRIBE = """
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?entity ?s ?p ?o ?g ?kind WHERE {
  {
    GRAPH ?g { ?entity ?p ?o } BIND(?entity AS ?s) BIND("own" AS ?kind)
  } UNION {
    GRAPH ?g { ?s ?p ?entity } BIND(?entity AS ?o) BIND("own" AS ?kind)
  } UNION {
    { ?entity ?link ?s } UNION { ?o2 ?link ?entity BIND(?o2 AS ?s) }
    FILTER(isIRI(?s) && ?s != ?entity)
    GRAPH ?g { ?s ?p ?o } FILTER(?p IN (skos:prefLabel, rdfs:label))
    BIND("label" AS ?kind)
  } UNION {
    GRAPH ?g0 { { ?entity ?p0 ?o0 } UNION { ?s0 ?p0 ?entity } }
    BIND(?g0 AS ?s)
    GRAPH ?g { ?s ?p ?o }
    FILTER(?p IN (prov:wasDerivedFrom, rdfs:label, skos:prefLabel, rdf:type))
    BIND("graph" AS ?kind)
  } UNION {
    GRAPH ?g0 { { ?entity ?p0 ?o0 } UNION { ?s0 ?p0 ?entity } }
    GRAPH ?g1 { ?g0 prov:wasDerivedFrom ?s }
    GRAPH ?g { ?s ?p ?o }
    FILTER(?p IN (schema:url, rdfs:label, skos:prefLabel, rdf:type))
    BIND("source" AS ?kind)
  }
}
"""


def describe(backend: Backend, iri: str) -> list[Quad]:
    """Every quad of the entity's description (empty if the graph says nothing about it)."""
    results = backend.query(DESCRIBE, bindings={Variable("entity"): NamedNode(iri)})
    if not isinstance(results, QuerySolutions):
        raise TypeError("the description query must give solutions")
    quads: list[Quad] = []
    own = False
    for row in results:
        subject, predicate, obj, graph = row["s"], row["p"], row["o"], row["g"]
        if not isinstance(predicate, NamedNode) or not isinstance(graph, NamedNode):
            continue
        quads.append(Quad(subject, predicate, obj, graph))  # type: ignore[arg-type]
        own = own or (row["kind"] == Literal("own"))
    return quads if own else []


def statement_node(entity: str, triple: Triple) -> BlankNode:
    """A stable blank node for the reified form of one statement of an entity's document."""
    return BlankNode("s" + hashlib.sha1(f"{entity} {triple}".encode()).hexdigest()[:16])


def provenance(entity: str, quads: Iterable[Quad]) -> list[Triple]:
    """One rdf:Statement per statement about (or to) the entity, derived from each graph stating it."""
    graphs: dict[Triple, set[NamedNode]] = defaultdict(set)
    for quad in quads:
        if quad.subject == NamedNode(entity) or quad.object == NamedNode(entity):
            graphs[quad.triple].add(quad.graph_name)  # type: ignore[arg-type]
    out: list[Triple] = []
    for triple, sources in sorted(graphs.items(), key=lambda item: str(item[0])):
        node = statement_node(entity, triple)
        out += [
            Triple(node, RDF.type, RDF.Statement),
            Triple(node, RDF.subject, triple.subject),
            Triple(node, RDF.predicate, triple.predicate),
            Triple(node, RDF.object, triple.object),
        ]
        out += [Triple(node, PROV.wasDerivedFrom, graph) for graph in sorted(sources, key=str)]
    return out


def document_triples(entity: str, quads: Iterable[Quad]) -> list[Triple]:
    """The entity's document as triples: the union of its graphs plus each statement's provenance."""
    quads = list(quads)
    union = sorted({q.triple for q in quads}, key=str)
    return union + provenance(entity, quads)
