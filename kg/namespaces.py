"""IRIs of the vocabularies the graph uses, as pyoxigraph terms and prefix tables."""

from __future__ import annotations

from pyoxigraph import NamedNode


class Namespace:
    """A namespace IRI; ``NS["local"]`` and ``NS.local`` give a NamedNode, ``str(NS)`` the IRI."""

    __slots__ = ("_iri",)

    def __init__(self, iri: str) -> None:
        self._iri = iri

    def __str__(self) -> str:
        return self._iri

    def __getitem__(self, local: str) -> NamedNode:
        return NamedNode(f"{self._iri}{local}")

    def __getattr__(self, local: str) -> NamedNode:
        if local.startswith("_"):
            raise AttributeError(local)
        return self[local]


BF = Namespace("http://id.loc.gov/ontologies/bibframe/")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
LWG = Namespace("https://w3id.org/lwg/ontology#")
MADSRDF = Namespace("http://www.loc.gov/mads/rdf/v1#")
ORG = Namespace("http://www.w3.org/ns/org#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
PROV = Namespace("http://www.w3.org/ns/prov#")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
SCHEMA = Namespace("https://schema.org/")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
SH = Namespace("http://www.w3.org/ns/shacl#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
VOID = Namespace("http://rdfs.org/ns/void#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

#: The ontology's own IRI; also the name of the graph that holds it in a release.
ONTOLOGY_IRI = "https://w3id.org/lwg/ontology"

#: Prefixes used when serializing, sorted by prefix.
PREFIXES: dict[str, str] = {
    "bf": str(BF),
    "dcat": str(DCAT),
    "dcterms": str(DCTERMS),
    "foaf": str(FOAF),
    "lwg": str(LWG),
    "madsrdf": str(MADSRDF),
    "org": str(ORG),
    "owl": str(OWL),
    "prov": str(PROV),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "schema": str(SCHEMA),
    "sd": str(SD),
    "sh": str(SH),
    "skos": str(SKOS),
    "spdx": str(SPDX),
    "void": str(VOID),
    "xsd": str(XSD),
}
