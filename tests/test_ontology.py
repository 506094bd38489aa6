"""The ontology's hygiene: header, labels and definitions in three languages, alignment, declared terms."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from kg.load import load_data

from .conftest import REAL, ROOT

LWG = rdflib.Namespace("https://w3id.org/lwg/ontology#")
ONTOLOGY = rdflib.URIRef("https://w3id.org/lwg/ontology")
LANGUAGES = ("en", "kk", "ru")


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(REAL.ontology_file, format="turtle")


def terms(graph: rdflib.Graph, *types: rdflib.URIRef) -> list[rdflib.URIRef]:
    return sorted({s for t in types for s in graph.subjects(RDF.type, t) if str(s).startswith(str(LWG))})


def classes(graph: rdflib.Graph) -> list[rdflib.URIRef]:
    return terms(graph, OWL.Class)


def properties(graph: rdflib.Graph) -> list[rdflib.URIRef]:
    return terms(graph, OWL.ObjectProperty, OWL.DatatypeProperty)


def concepts(graph: rdflib.Graph) -> list[rdflib.URIRef]:
    return terms(graph, SKOS.ConceptScheme, OWL.NamedIndividual)


def test_header(ontology: rdflib.Graph) -> None:
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in ontology
    for prop in (OWL.versionIRI, OWL.versionInfo, DCTERMS.modified, DCTERMS.license, DCTERMS.creator):
        assert ontology.value(ONTOLOGY, prop) is not None, prop
    version = str(ontology.value(ONTOLOGY, OWL.versionInfo))
    assert str(ontology.value(ONTOLOGY, OWL.versionIRI)).endswith(version)
    for prop in (DCTERMS.title, DCTERMS.description):
        assert {o.language for o in ontology.objects(ONTOLOGY, prop)} >= set(LANGUAGES), prop


def test_the_ontology_has_terms(ontology: rdflib.Graph) -> None:
    assert len(classes(ontology)) >= 20
    assert len(properties(ontology)) >= 40
    assert len(concepts(ontology)) >= 25


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_term_has_one_label_and_one_definition_per_language(ontology: rdflib.Graph, language: str) -> None:
    missing = []
    for term in classes(ontology) + properties(ontology) + concepts(ontology):
        label = RDFS.label if term in classes(ontology) + properties(ontology) else SKOS.prefLabel
        for prop in (label, SKOS.definition):
            values = [o for o in ontology.objects(term, prop) if o.language == language]
            if len(values) != 1 or not str(values[0]).strip():
                missing.append(f"{term.n3(ontology.namespace_manager)} {prop.n3(ontology.namespace_manager)}@{language}")
    assert not missing, missing


def test_every_term_is_defined_by_the_ontology(ontology: rdflib.Graph) -> None:
    for term in classes(ontology) + properties(ontology) + concepts(ontology):
        assert (term, RDFS.isDefinedBy, ONTOLOGY) in ontology, term


def _external(term: rdflib.term.Node) -> bool:
    return isinstance(term, rdflib.URIRef) and not str(term).startswith(str(LWG))


def test_every_class_is_aligned_to_a_known_vocabulary(ontology: rdflib.Graph) -> None:
    def aligned(cls: rdflib.URIRef, seen: frozenset[rdflib.URIRef] = frozenset()) -> bool:
        supers = list(ontology.objects(cls, RDFS.subClassOf)) + list(ontology.objects(cls, OWL.equivalentClass))
        return any(_external(s) or (s not in seen and aligned(s, seen | {cls})) for s in supers)

    assert [c for c in classes(ontology) if not aligned(c)] == []


def test_every_property_is_aligned_or_says_why_not(ontology: rdflib.Graph) -> None:
    def aligned(prop: rdflib.URIRef) -> bool:
        links = [*ontology.objects(prop, RDFS.subPropertyOf), *ontology.objects(prop, OWL.equivalentProperty)]
        inverse = [*ontology.objects(prop, OWL.inverseOf)]
        return any(_external(x) or (x, RDFS.subPropertyOf, None) in ontology for x in links) or any(
            _external(x) or any(_external(y) for y in ontology.objects(x, RDFS.subPropertyOf)) for x in inverse
        )

    unexplained = [
        p for p in properties(ontology)
        if not aligned(p) and not any(n.language == "en" for n in ontology.objects(p, SKOS.scopeNote))
    ]
    assert unexplained == []


def test_every_ontology_term_used_in_the_data_is_declared(ontology: rdflib.Graph) -> None:
    declared = {str(s) for s in ontology.subjects(RDF.type, None)}
    used = set()
    for quad in load_data([REAL.data]).quads:
        for term in (quad.predicate, quad.object):
            if getattr(term, "value", "").startswith(str(LWG)):
                used.add(term.value)
    assert used, "the data uses the ontology"
    assert sorted(used - declared) == []


PREFIX = re.compile(r"^@prefix\s+([A-Za-z0-9_-]*):\s*<([^>]*)>\s*\.", re.MULTILINE)
RDF_FILES = sorted([*ROOT.joinpath("ontology").glob("*.ttl"), *ROOT.joinpath("data").glob("*.trig")])


@pytest.mark.parametrize("path", RDF_FILES, ids=lambda p: p.name)
def test_prefixes_are_sorted_and_used(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    names = [m.group(1) for m in PREFIX.finditer(text)]
    assert names == sorted(names), f"{path.name}: prefixes not sorted"
    body = PREFIX.sub("", text)
    unused = [n for n in names if not re.search(rf"(?<![\w-]){re.escape(n)}:", body)]
    assert unused == [], f"{path.name}: unused prefixes"
