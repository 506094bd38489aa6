"""The SHACL shapes: well-formed (SHACL-for-SHACL), named, with severities and messages,
covering every class the data uses, and each proven by a fixture that violates it alone."""

from __future__ import annotations

from pathlib import Path

import pyshacl
import pytest
import rdflib
from rdflib.namespace import RDF, RDFS

from kg.enrich import enrich
from kg.load import load_data, load_ontology
from kg.settings import DatasetInfo
from kg.validate import validate

from .conftest import REAL, ROOT, SHARED

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
LWGSH = "https://w3id.org/lwg/shapes#"
FIXTURES = ROOT / "tests" / "fixtures" / "shapes"


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(REAL.shapes_file, format="turtle")


def named_shapes(graph: rdflib.Graph) -> list[rdflib.URIRef]:
    found = set(graph.subjects(RDF.type, SH.NodeShape)) | set(graph.subjects(RDF.type, SH.PropertyShape))
    found |= set(graph.objects(None, SH.property))
    return sorted(found)  # type: ignore[arg-type]


def test_the_shapes_validate_against_shacl_for_shacl(shapes: rdflib.Graph) -> None:
    meta = rdflib.Graph().parse(SHARED / "standards" / "shacl" / "shacl-shacl.ttl", format="turtle")
    conforms, _graph, text = pyshacl.validate(shapes, shacl_graph=meta)
    assert conforms, text


def test_every_shape_is_named_with_severity_and_message(shapes: rdflib.Graph) -> None:
    problems = []
    for shape in named_shapes(shapes):
        if not isinstance(shape, rdflib.URIRef) or not str(shape).startswith(LWGSH):
            problems.append(f"{shape}: not named in {LWGSH}")
            continue
        if shapes.value(shape, SH.severity) not in (SH.Violation, SH.Warning, SH.Info):
            problems.append(f"{shape}: no explicit sh:severity")
        if not any(m.language == "en" and len(m) > 20 for m in shapes.objects(shape, SH.message)):
            problems.append(f"{shape}: no English sh:message a data editor can act on")
    assert problems == []


def test_every_class_the_data_uses_has_a_shape(shapes: rdflib.Graph) -> None:
    ontology = rdflib.Graph().parse(REAL.ontology_file, format="turtle")
    targeted = set(shapes.objects(None, SH.targetClass))
    used = {q.object.value for q in load_data([REAL.data]).quads if q.predicate.value == str(RDF.type)}
    lwg_classes = {c for c in used if c.startswith("https://w3id.org/lwg/ontology#")}
    assert lwg_classes

    def covered(cls: rdflib.URIRef) -> bool:
        return cls in targeted or any(covered(s) for s in ontology.objects(cls, RDFS.subClassOf))

    assert sorted(c for c in lwg_classes if not covered(rdflib.URIRef(c))) == []


def shape_ids() -> list[str]:
    graph = rdflib.Graph().parse(REAL.shapes_file, format="turtle")
    return [str(s)[len(LWGSH):] for s in named_shapes(graph) if str(s).startswith(LWGSH)]


def test_every_shape_has_a_fixture() -> None:
    names = set(shape_ids())
    fixtures = {p.stem for p in FIXTURES.glob("*.trig")}
    assert sorted(names - fixtures) == [], "shapes without a violating fixture"
    assert sorted(fixtures - names) == [], "fixtures for shapes that do not exist"


@pytest.fixture(scope="module")
def ontology_quads() -> list:
    return load_ontology(REAL.ontology_file)


@pytest.mark.parametrize("name", shape_ids())
def test_the_fixture_breaks_its_shape_and_no_other(name: str, shapes: rdflib.Graph, ontology_quads: list) -> None:
    fixture = FIXTURES / f"{name}.trig"
    loaded = load_data([fixture])
    report = validate(loaded.quads, ontology_quads, REAL.shapes_file, loaded.origins)
    assert {f.shape for f in report.findings} == {f"lwgsh:{name}"}, report.text()
    severity = str(shapes.value(rdflib.URIRef(LWGSH + name), SH.severity)).rsplit("#", 1)[-1]
    assert {f.severity for f in report.findings} == {severity}
    assert all(str(fixture) in f.files for f in report.findings if f.files), report.text()


def test_the_real_data_conforms(ontology_quads: list) -> None:
    loaded = load_data([REAL.data])
    data = loaded.quads + enrich(loaded.quads, ontology_quads, DatasetInfo.read(REAL.data))
    report = validate(data, ontology_quads, REAL.shapes_file, loaded.origins)
    assert report.conforms, report.text()


def test_a_report_names_file_entity_shape_and_message(ontology_quads: list, tmp_path: Path) -> None:
    fixture = FIXTURES / "Figure-measure.trig"
    if not fixture.exists():
        fixture = min(FIXTURES.glob("Figure*.trig"))
    loaded = load_data([fixture])
    report = validate(loaded.quads, ontology_quads, REAL.shapes_file, loaded.origins)
    text = report.text()
    assert str(fixture) in text
    assert "/id/figure/" in text or "figure:" in text
    assert "lwgsh:" in text
    assert "Does not conform" in text
