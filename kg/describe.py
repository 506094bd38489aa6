"""What the graph says about one entity: the document behind an entity IRI.

An entity's description holds its own statements, the statements that point at it
(the inverse links a reader needs), the labels of everything it links to, and the
provenance of each of its statements: every statement is also given as an
``rdf:Statement`` that says which source graph states it, and each such graph is
described (its label, the source it derives from, the source's URL and label). So
every format, Turtle and RDF/XML included, carries the source of each statement;
TriG and N-Quads carry the named graphs themselves.

The entity's IRI is written into the query text as an N-Triples term (pyoxigraph
checks it is a valid IRI, so it cannot break out of the angle brackets): every
backend then evaluates each branch with the entity already fixed, instead of
joining a trailing ``VALUES`` block onto descriptions of everything. Every pattern
names its graph, so the answer does not depend on what a store takes as its
default graph.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, QueryBoolean, QuerySolutions, Triple, Variable

from .backends import Backend
from .namespaces import PROV, RDF

Term = NamedNode | BlankNode | Literal | Triple

_PREFIXES = """\
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

#: Statements about $entity, to it, labels of what it links to, and its graphs' provenance.
#: Each part first narrows to the distinct things it describes, so that joins do not multiply rows.
#: The sources of ``$derived`` (the build's own graph, drawn from every source) are not
#: described in every document: that would make each document's size grow with the sources.
#: ``?kind`` says which part of the description a row belongs to.
DESCRIBE = (
    _PREFIXES
    + """\
SELECT DISTINCT ?s ?p ?o ?g ?kind WHERE {
  {
    GRAPH ?g { $entity ?p ?o } BIND($entity AS ?s) BIND("own" AS ?kind)
  } UNION {
    GRAPH ?g { ?s ?p $entity } BIND($entity AS ?o) BIND("own" AS ?kind)
  } UNION {
    { SELECT DISTINCT ?s WHERE {
        { GRAPH ?l { $entity ?link ?s } } UNION { GRAPH ?l { ?s ?link $entity } }
        FILTER(isIRI(?s) && ?s != $entity)
    } }
    GRAPH ?g { ?s ?p ?o } FILTER(?p IN (skos:prefLabel, rdfs:label))
    BIND("label" AS ?kind)
  } UNION {
    { SELECT DISTINCT ?s WHERE { GRAPH ?s { { $entity ?p0 ?o0 } UNION { ?s0 ?p0 $entity } } } }
    GRAPH ?g { ?s ?p ?o }
    FILTER(?p IN (prov:wasDerivedFrom, rdfs:label, skos:prefLabel, rdf:type))
    BIND("graph" AS ?kind)
  } UNION {
    { SELECT DISTINCT ?s WHERE {
        { SELECT DISTINCT ?g0 WHERE { GRAPH ?g0 { { $entity ?p0 ?o0 } UNION { ?s0 ?p0 $entity } } } }
        FILTER(?g0 != $derived)
        GRAPH ?g1 { ?g0 prov:wasDerivedFrom ?s }
    } }
    GRAPH ?g { ?s ?p ?o }
    FILTER(?p IN (schema:url, rdfs:label, skos:prefLabel, rdf:type))
    BIND("source" AS ?kind)
  }
}
"""
)

#: Whether any named graph says anything about $entity or points at it.
EXISTS = "ASK { GRAPH ?g { { $entity ?p ?o } UNION { ?s ?p $entity } } }"

OWN = Literal("own")


def _with_entity(template: str, iri: str, derived: str | None = None) -> str:
    """The query with the entity's IRI in place of ``$entity`` (ValueError if ``iri`` is no IRI),
    and the derived graph's in place of ``$derived`` (a constant that names no graph if None)."""
    text = template.replace("$entity", str(NamedNode(iri)))
    return text.replace("$derived", str(NamedNode(derived)) if derived else "<urn:x-lwg:none>")


def exists(backend: Backend, iri: str) -> bool:
    """Whether the graph says anything about the entity (cheaper than describing it)."""
    result = backend.query(_with_entity(EXISTS, iri))
    if not isinstance(result, QueryBoolean):
        raise TypeError("the existence query must give a boolean")
    return bool(result)


def describe(backend: Backend, iri: str, derived: str | None = None) -> list[Quad]:
    """The quads of the entity's description, distinct and sorted (empty if the graph says nothing about it).

    ``derived`` names the graph of what the build derives; its sources are left out.
    """
    results = backend.query(_with_entity(DESCRIBE, iri, derived))
    if not isinstance(results, QuerySolutions):
        raise TypeError("the description query must give solutions")
    quads: set[Quad] = set()
    own = False
    for row in results:
        subject, predicate, obj, graph = row["s"], row["p"], row["o"], row["g"]
        if not isinstance(subject, NamedNode | BlankNode) or not isinstance(predicate, NamedNode):
            continue
        if not isinstance(graph, NamedNode) or obj is None:
            continue
        quads.add(Quad(subject, predicate, obj, graph))
        own = own or row["kind"] == OWN
    return sorted(quads, key=str) if own else []


def statement_node(entity: str, triple: Triple) -> BlankNode:
    """A stable blank node for the reified form of one statement of an entity's document."""
    return BlankNode("s" + hashlib.sha1(f"{entity} {triple}".encode()).hexdigest()[:16])


def statement_graphs(entity: str, quads: Iterable[Quad]) -> dict[Triple, list[NamedNode]]:
    """Each statement about (or to) the entity, with the graphs that state it, in a fixed order."""
    node = NamedNode(entity)
    graphs: dict[Triple, set[NamedNode]] = defaultdict(set)
    for quad in quads:
        if (quad.subject == node or quad.object == node) and isinstance(quad.graph_name, NamedNode):
            graphs[quad.triple].add(quad.graph_name)
    return {triple: sorted(graphs[triple], key=str) for triple in sorted(graphs, key=str)}


def provenance(entity: str, quads: Iterable[Quad]) -> list[Triple]:
    """One rdf:Statement per statement about (or to) the entity, derived from each graph stating it."""
    out: list[Triple] = []
    for triple, graphs in statement_graphs(entity, quads).items():
        node = statement_node(entity, triple)
        out += [
            Triple(node, RDF.type, RDF.Statement),
            Triple(node, RDF.subject, triple.subject),
            Triple(node, RDF.predicate, triple.predicate),
            Triple(node, RDF.object, triple.object),
        ]
        out += [Triple(node, PROV.wasDerivedFrom, graph) for graph in graphs]
    return out


def document_triples(entity: str, quads: Iterable[Quad]) -> list[Triple]:
    """The entity's document as triples: the union of its graphs plus each statement's provenance."""
    quads = list(quads)
    union = sorted({q.triple for q in quads}, key=str)
    return union + provenance(entity, quads)


def document_quads(entity: str, quads: Iterable[Quad]) -> list[Quad]:
    """The entity's document as a dataset: its quads in their named graphs, the provenance in the default graph."""
    quads = list(quads)
    return quads + [Quad(t.subject, t.predicate, t.object) for t in provenance(entity, quads)]


#: The names of some IRIs ($iris: a list of N-Triples IRIs).
NAMES = (
    _PREFIXES
    + """\
SELECT DISTINCT ?s ?p ?o WHERE {
  VALUES ?s { $iris }
  GRAPH ?g { ?s ?p ?o } FILTER(?p IN (skos:prefLabel, rdfs:label) && isLiteral(?o))
}
"""
)


def names(backend: Backend, iris: Iterable[str]) -> list[Triple]:
    """The skos:prefLabel and rdfs:label statements of the IRIs, from every graph."""
    nodes = " ".join(str(NamedNode(iri)) for iri in iris)
    if not nodes:
        return []
    results = backend.query(NAMES.replace("$iris", nodes))
    if not isinstance(results, QuerySolutions):
        raise TypeError("the names query must give solutions")
    out = []
    for row in results:
        subject, predicate, obj = row["s"], row["p"], row["o"]
        if isinstance(subject, NamedNode) and isinstance(predicate, NamedNode) and isinstance(obj, Literal):
            out.append(Triple(subject, predicate, obj))
    return out


#: The figures the sources report about $entity (a congress), each with what it counts,
#: how it was stated (the qualifier property: exactly, approximately, nearly, more than),
#: whom it counts, when it was reported, its source and the graph that states it.
FIGURES = (
    _PREFIXES
    + """\
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX lwg: <https://w3id.org/lwg/ontology#>
SELECT DISTINCT ?entity ?figure ?measure ?qualifier ?number ?from ?stage ?order ?source ?url ?issued ?graph WHERE {
  GRAPH ?graph { ?figure lwg:figureFor ?entity ; lwg:measure ?measure }
  OPTIONAL {
    VALUES ?qualifier { lwg:exactly lwg:approximately lwg:nearly lwg:moreThan }
    GRAPH ?g1 { ?figure ?qualifier ?number }
  }
  OPTIONAL { GRAPH ?g2 { ?figure lwg:participantsFrom ?from } }
  OPTIONAL {
    GRAPH ?g3 { ?figure lwg:reportingStage ?stage }
    OPTIONAL {
      VALUES (?stage ?order) { (lwg:Forecast 1) (lwg:BeforeEvent 2) (lwg:FirstDay 3) (lwg:AtOpening 4) (lwg:AfterEvent 5) }
    }
  }
  OPTIONAL {
    GRAPH ?g4 { ?figure dcterms:source ?source }
    OPTIONAL { GRAPH ?g5 { ?source schema:url ?url } }
    OPTIONAL { GRAPH ?g6 { ?source dcterms:issued ?issued } }
  }
}
"""
)

FIGURE_FIELDS = ("figure", "measure", "qualifier", "number", "from", "stage", "order", "source", "url", "issued", "graph")


def figures(backend: Backend, iri: str) -> list[dict[str, Term | None]]:
    """The figures reported about the entity, one row per figure and graph stating it (the entity is bound, not pasted)."""
    results = backend.query(FIGURES, bindings={Variable("entity"): NamedNode(iri)})
    if not isinstance(results, QuerySolutions):
        raise TypeError("the figures query must give solutions")
    rows = [{name: row[name] for name in FIGURE_FIELDS} for row in results]
    return sorted(rows, key=lambda r: tuple(str(r[name] or "") for name in ("measure", "figure", "graph")))
