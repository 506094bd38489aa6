"""The release's description of itself: VoID statistics and DCAT distributions.

Everything here is computed from the release's own quads and files, and dated by
``dataset.toml``, never by the clock, so the same input gives the same description.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Triple

from .namespaces import DCAT, DCTERMS, LWG, ONTOLOGY_IRI, RDF, SD, SPDX, VOID, XSD
from .settings import DatasetInfo

IANA = "http://www.iana.org/assignments/media-types/"
SPARQL_PROTOCOL = "https://www.w3.org/TR/sparql11-protocol/"


@dataclass(frozen=True)
class DumpFile:
    """A dump written to disk: its name, media type, size and SHA-256."""

    filename: str
    media_type: str
    size: int
    sha256: str


def _integer(n: int) -> Literal:
    return Literal(str(n), datatype=XSD.integer)


def entity_counts(quads: Sequence[Quad], base: str) -> Counter[str]:
    """How many entities of each kind (``person``, ``organisation``...) the release describes."""
    prefix = f"{base}id/"
    kinds: Counter[str] = Counter()
    for subject in {q.subject for q in quads if q.predicate == RDF.type}:
        if isinstance(subject, NamedNode) and subject.value.startswith(prefix):
            kinds[subject.value[len(prefix):].split("/", 1)[0]] += 1
    return kinds


def describe(info: DatasetInfo, quads: Sequence[Quad], dumps: Sequence[DumpFile]) -> list[Triple]:
    """VoID + DCAT triples for the dataset, its named graphs, partitions and dumps."""
    dataset = NamedNode(info.dataset_iri)
    triples_all = {q.triple for q in quads}
    prefix = f"{info.base}id/"
    entities = {q.subject for q in quads if isinstance(q.subject, NamedNode) and q.subject.value.startswith(prefix)}
    out: list[Triple] = [
        Triple(dataset, RDF.type, VOID.Dataset),
        Triple(dataset, RDF.type, DCAT.Dataset),
        Triple(dataset, DCTERMS.license, NamedNode(info.license)),
        Triple(dataset, DCTERMS.publisher, NamedNode(info.publisher)),
        Triple(dataset, DCTERMS.modified, Literal(info.modified.isoformat(), datatype=XSD.date)),
        Triple(dataset, VOID.sparqlEndpoint, NamedNode(info.sparql_endpoint)),
        Triple(dataset, VOID.uriSpace, Literal(prefix)),
        Triple(dataset, VOID.vocabulary, NamedNode(str(LWG))),
        Triple(dataset, DCTERMS.conformsTo, NamedNode(ONTOLOGY_IRI)),
        Triple(dataset, VOID.triples, _integer(len(triples_all))),
        Triple(dataset, VOID.entities, _integer(len(entities))),
        Triple(dataset, VOID.distinctSubjects, _integer(len({t.subject for t in triples_all}))),
        Triple(dataset, VOID.properties, _integer(len({t.predicate for t in triples_all}))),
        Triple(dataset, VOID.distinctObjects, _integer(len({t.object for t in triples_all}))),
    ]
    if info.primary_topic:
        out.append(Triple(dataset, VOID.rootResource, NamedNode(info.primary_topic)))
    for language, text in sorted(info.title.items()):
        out.append(Triple(dataset, DCTERMS.title, Literal(text, language=language)))
    for language, text in sorted(info.description.items()):
        out.append(Triple(dataset, DCTERMS.description, Literal(text, language=language)))

    per_graph: Counter[NamedNode] = Counter(q.graph_name for q in quads)  # type: ignore[misc]
    for graph, count in sorted(per_graph.items(), key=lambda item: str(item[0])):
        subset = NamedNode(f"{info.dataset_iri}#graph-{_slug(graph.value)}")
        out += [
            Triple(dataset, VOID.subset, subset),
            Triple(subset, RDF.type, VOID.Dataset),
            Triple(subset, SD.name, graph),
            Triple(subset, VOID.triples, _integer(count)),
        ]

    classes = Counter(t.object for t in triples_all if t.predicate == RDF.type)
    for cls, count in sorted(classes.items(), key=lambda item: str(item[0])):
        partition = NamedNode(f"{info.dataset_iri}#class-{_slug(cls.value)}")  # type: ignore[union-attr]
        out += [
            Triple(dataset, VOID.classPartition, partition),
            Triple(partition, VOID["class"], cls),
            Triple(partition, VOID.entities, _integer(count)),
        ]
    properties = Counter(t.predicate for t in triples_all)
    for prop, count in sorted(properties.items(), key=lambda item: str(item[0])):
        partition = NamedNode(f"{info.dataset_iri}#property-{_slug(prop.value)}")
        out += [
            Triple(dataset, VOID.propertyPartition, partition),
            Triple(partition, VOID.property, prop),
            Triple(partition, VOID.triples, _integer(count)),
        ]

    out += services(info)
    for dump in dumps:
        url = NamedNode(info.dump_url(dump.filename))
        distribution = NamedNode(f"{info.dataset_iri}#dump-{dump.filename}")
        checksum = NamedNode(f"{info.dataset_iri}#sha256-{dump.filename}")
        if RdfFormat.from_media_type(dump.media_type) is not None:  # void:dataDump is for RDF only
            out.append(Triple(dataset, VOID.dataDump, url))
        out += [
            Triple(dataset, DCAT.distribution, distribution),
            Triple(distribution, RDF.type, DCAT.Distribution),
            Triple(distribution, DCAT.downloadURL, url),
            Triple(distribution, DCAT.accessURL, NamedNode(info.dump_url(""))),
            Triple(distribution, DCAT.mediaType, NamedNode(IANA + dump.media_type)),
            Triple(distribution, DCAT.compressFormat, NamedNode(IANA + "application/gzip")),
            Triple(distribution, DCAT.byteSize, Literal(str(dump.size), datatype=XSD.nonNegativeInteger)),
            Triple(distribution, DCTERMS.license, NamedNode(info.license)),
            Triple(distribution, SPDX.checksum, checksum),
            Triple(checksum, RDF.type, SPDX.Checksum),
            Triple(checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256),
            Triple(checksum, SPDX.checksumValue, Literal(dump.sha256, datatype=XSD.hexBinary)),
        ]
    return out


def _service(info: DatasetInfo, iri: str, endpoint: str, title: str, description: str) -> list[Triple]:
    """A DCAT data service of the dataset: what it is, where it answers, that it serves the dataset."""
    node = NamedNode(iri)
    return [
        Triple(node, RDF.type, DCAT.DataService),
        Triple(node, DCTERMS.title, Literal(title, language="en")),
        Triple(node, DCTERMS.description, Literal(description, language="en")),
        Triple(node, DCAT.endpointURL, NamedNode(endpoint)),
        Triple(node, DCAT.servesDataset, NamedNode(info.dataset_iri)),
        Triple(node, DCTERMS.license, NamedNode(info.license)),
    ]


def services(info: DatasetInfo) -> list[Triple]:
    """The services that serve the dataset: the SPARQL endpoint, the entity documents, the stored queries.

    The SPARQL service has the IRI its own Service Description gives it
    (``{endpoint}#service``), so the two descriptions meet; a distribution
    points to it as its access service, as DCAT asks.
    """
    dataset = NamedNode(info.dataset_iri)
    endpoint = info.sparql_endpoint
    sparql = NamedNode(f"{endpoint}#service")
    access = NamedNode(f"{info.dataset_iri}#sparql")
    out = _service(
        info,
        sparql.value,
        endpoint,
        "SPARQL 1.1 endpoint",
        "SPARQL 1.1 Protocol, query only: the default graph is the union of the source graphs, GRAPH reaches each source.",
    )
    out += [
        Triple(sparql, RDF.type, SD.Service),
        Triple(sparql, SD.endpoint, NamedNode(endpoint)),
        Triple(sparql, DCAT.endpointDescription, NamedNode(endpoint)),
        Triple(sparql, DCTERMS.conformsTo, NamedNode(SPARQL_PROTOCOL)),
        Triple(dataset, DCAT.distribution, access),
        Triple(access, RDF.type, DCAT.Distribution),
        Triple(access, DCTERMS.title, Literal("The dataset through its SPARQL endpoint", language="en")),
        Triple(access, DCAT.accessURL, NamedNode(endpoint)),
        Triple(access, DCAT.accessService, sparql),
        Triple(access, DCTERMS.license, NamedNode(info.license)),
    ]
    out += _service(
        info,
        f"{info.dataset_iri}#entities",
        f"{info.base}id/",
        "Entity documents",
        "Each entity IRI answers 303 See Other to its description as HTML, Turtle, JSON-LD, RDF/XML, N-Triples,"
        " TriG or N-Quads, chosen by the Accept header.",
    )
    out += _service(
        info,
        f"{info.dataset_iri}#queries",
        f"{info.base}queries",
        "Stored queries",
        "The named questions of the dataset, listed with their parameters and run by name over HTTP,"
        " answered like the SPARQL endpoint.",
    )
    out.append(Triple(NamedNode(f"{info.dataset_iri}#queries"), DCAT.endpointDescription, NamedNode(f"{info.base}queries")))
    return out


def _slug(iri: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in iri.split("://", 1)[-1]).strip("-")
