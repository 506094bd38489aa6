"""What the build adds to the curated data: inverse links, display labels, romanized names,
and the outside types catalogue tools expect.

Each addition keeps the provenance of what it was derived from: an inverse link or
a display label goes into the same named graph as the statement it restates; a
romanized name or a type entailed by the ontology is the build's own work and goes
into the derived graph.
"""

from __future__ import annotations

from collections.abc import Iterable

from pyoxigraph import Literal, NamedNode, Quad

from .namespaces import DCTERMS, FOAF, LWG, OWL, PROV, RDF, RDFS, SKOS
from .settings import DatasetInfo
from .translit import ROMANIZED_TAG, romanize

#: The slug of the graph holding what the build derives (``{base}graph/derived``).
DERIVED_GRAPH = "derived"

#: Name properties whose Kazakh and Russian values get an ALA-LC form.
ROMANIZED_PROPERTIES = (SKOS.prefLabel, SKOS.altLabel, FOAF.givenName, FOAF.familyName)


def superclasses(ontology: Iterable[Quad]) -> dict[NamedNode, set[NamedNode]]:
    """Every ontology class with all its superclasses outside the ontology's namespace (transitively)."""
    direct: dict[NamedNode, set[NamedNode]] = {}
    for quad in ontology:
        if quad.predicate == RDFS.subClassOf and isinstance(quad.subject, NamedNode) and isinstance(quad.object, NamedNode):
            direct.setdefault(quad.subject, set()).add(quad.object)

    def closure(cls: NamedNode, seen: frozenset[NamedNode]) -> set[NamedNode]:
        found: set[NamedNode] = set()
        for parent in direct.get(cls, ()):
            if parent not in seen:
                found.add(parent)
                found |= closure(parent, seen | {parent})
        return found

    namespace = str(LWG)
    return {cls: {c for c in closure(cls, frozenset({cls})) if not c.value.startswith(namespace)} for cls in direct}


def catalogue_types(quads: Iterable[Quad], ontology: Iterable[Quad], graph: NamedNode) -> list[Quad]:
    """The outside classes an entity belongs to through the ontology (bf:Person, bf:Meeting, schema:Event...).

    Catalogue tools and BIBFRAME editors do not reason over subclass axioms, so the
    build states these types outright, in the derived graph.
    """
    supers = superclasses(ontology)
    out: dict[Quad, None] = {}
    for quad in quads:
        if quad.predicate == RDF.type and quad.object in supers:
            for cls in sorted(supers[quad.object], key=str):  # type: ignore[index]
                out[Quad(quad.subject, RDF.type, cls, graph)] = None
    return list(out)


def inverse_pairs(ontology: Iterable[Quad]) -> dict[NamedNode, NamedNode]:
    """Property to inverse property, both ways, from the ontology's owl:inverseOf axioms."""
    pairs: dict[NamedNode, NamedNode] = {}
    for quad in ontology:
        if quad.predicate == OWL.inverseOf and isinstance(quad.object, NamedNode) and isinstance(quad.subject, NamedNode):
            pairs[quad.subject] = quad.object
            pairs[quad.object] = quad.subject
    return pairs


def inverses(quads: Iterable[Quad], pairs: dict[NamedNode, NamedNode]) -> list[Quad]:
    """The inverse of every statement whose property has one, in the statement's graph."""
    return [
        Quad(q.object, pairs[q.predicate], q.subject, q.graph_name)
        for q in quads
        if q.predicate in pairs and isinstance(q.object, NamedNode)
    ]


def display_labels(quads: Iterable[Quad]) -> list[Quad]:
    """rdfs:label for every skos:prefLabel (SKOS makes it a subproperty), same graph."""
    return [Quad(q.subject, RDFS.label, q.object, q.graph_name) for q in quads if q.predicate == SKOS.prefLabel]


def romanizations(quads: Iterable[Quad], graph: NamedNode) -> list[Quad]:
    """ALA-LC forms of Kazakh and Russian names, as skos:altLabel (or the same name property)."""
    out: list[Quad] = []
    for q in quads:
        if q.predicate not in ROMANIZED_PROPERTIES or not isinstance(q.object, Literal):
            continue
        language = q.object.language
        if language is None or language.lower() not in ROMANIZED_TAG:
            continue
        latin = romanize(q.object.value, language)
        if latin is None or latin == q.object.value:
            continue
        predicate = SKOS.altLabel if q.predicate == SKOS.prefLabel else q.predicate
        out.append(Quad(q.subject, predicate, Literal(latin, language=ROMANIZED_TAG[language.lower()]), graph))
    return out


def derived_graph_description(info: DatasetInfo, graph: NamedNode, sources: Iterable[NamedNode]) -> list[Quad]:
    """The derived graph's description: what it is and which sources its names come from."""
    editorial = NamedNode(info.graph_iri("editorial"))
    out = [
        Quad(graph, RDF.type, LWG.SourceGraph, editorial),
        Quad(graph, SKOS.prefLabel, Literal("Derived by the build", language="en"), editorial),
        Quad(
            graph,
            DCTERMS.description,
            Literal(
                "ALA-LC romanizations of the Kazakh and Russian names, the outside classes "
                "(BIBFRAME, schema.org, FOAF, ORG, PROV) each entity belongs to through the ontology, "
                "and the headings of the MARC 21 authority records as MADS/RDF authoritative and "
                "variant labels, computed at build time.",
                language="en",
            ),
            editorial,
        ),
    ]
    out.extend(Quad(graph, PROV.wasDerivedFrom, g, editorial) for g in sorted(set(sources), key=str))
    return out


def enrich(data: list[Quad], ontology: list[Quad], info: DatasetInfo) -> list[Quad]:
    """Every quad the build adds to ``data``, without duplicates of what is already there."""
    derived = NamedNode(info.graph_iri(DERIVED_GRAPH))
    added = inverses(data, inverse_pairs(ontology))
    names = romanizations(data, derived)
    added += catalogue_types(data, ontology, derived)
    if names:
        graphs = {q.graph_name for q in data if q.predicate in ROMANIZED_PROPERTIES}
        sources = [
            q.object
            for q in data
            if q.predicate == PROV.wasDerivedFrom and q.subject in graphs and isinstance(q.object, NamedNode)
        ]
        added += names + derived_graph_description(info, derived, sources)
    added += display_labels([*data, *added])
    present = set(data)
    return [quad for quad in dict.fromkeys(added) if quad not in present]
