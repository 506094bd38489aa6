"""Validation in parts (for large data) gives the same verdicts as one pyshacl run over the whole graph."""

from __future__ import annotations

from typing import TypeVar

import pytest
import rdflib
from pyoxigraph import NamedNode, Quad

from kg import validate as validation
from kg.enrich import enrich
from kg.load import load_data, load_ontology
from kg.settings import DatasetInfo

from .conftest import REAL, ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "shapes"
ENTITIES = "https://w3id.org/lwg/id/"
LWG = "https://w3id.org/lwg/ontology#"
T = TypeVar("T")


@pytest.fixture(scope="module")
def ontology() -> list[Quad]:
    return load_ontology(REAL.ontology_file)


def findings(data: list[Quad], ontology: list[Quad], parts: int | None) -> set[validation.Finding]:
    if parts is None:
        report = validation.validate(data, ontology, REAL.shapes_file)
        return set(report.findings)
    _conforms, graph = validation.validate_in_parts(data, ontology, REAL.shapes_file, parts, processes=2)
    return set(validation.shacl_findings(graph, {}) + validation.vocabulary_findings(data, ontology, {}))


def apart(term: T, number: int, declared: set[NamedNode]) -> T:
    """The term moved into the fixture's own space (entity IRIs, outside IRIs, undeclared terms), so fixtures do not meet."""
    if not isinstance(term, NamedNode):
        return term
    if term.value.startswith(ENTITIES):
        kind, _, slug = term.value[len(ENTITIES):].partition("/")
        return NamedNode(f"{ENTITIES}{kind}/f{number}-{slug}")  # type: ignore[return-value]
    if term.value.startswith("https://example.org/") or (term.value.startswith(LWG) and term not in declared):
        return NamedNode(f"{term.value}{number}")  # type: ignore[return-value]
    return term


def test_parts_agree_with_one_run_on_every_fixture_together(ontology: list[Quad]) -> None:
    # Each fixture breaks one shape; side by side in one graph they break every shape at once.
    fixtures = sorted(FIXTURES.glob("*.trig"))
    declared = {q.subject for q in ontology}
    data = [
        Quad(apart(q.subject, n, declared), q.predicate, apart(q.object, n, declared), q.graph_name)
        for n, path in enumerate(fixtures)
        for q in load_data([path]).quads
    ]
    whole = findings(data, ontology, None)
    assert {f.shape for f in whole} >= {f"lwgsh:{p.stem}" for p in fixtures}
    assert findings(data, ontology, parts=5) == whole


def test_parts_agree_with_one_run_on_the_real_data(ontology: list[Quad]) -> None:
    loaded = load_data([REAL.data])
    data = loaded.quads + enrich(loaded.quads, ontology, DatasetInfo.read(REAL.data))
    whole = findings(data, ontology, None)
    assert not [f for f in whole if f.severity == "Violation"]
    assert findings(data, ontology, parts=3) == whole


def test_the_real_data_with_a_broken_figure_fails_the_same_way_in_parts(ontology: list[Quad]) -> None:
    loaded = load_data([REAL.data])
    figure = next(q.subject for q in loaded.quads if q.predicate.value.endswith("#approximately"))
    graph = next(q.graph_name for q in loaded.quads if q.subject == figure)
    value = next(q.object for q in loaded.quads if q.subject == figure and q.predicate.value.endswith("#approximately"))
    broken = [*loaded.quads, Quad(figure, NamedNode("https://w3id.org/lwg/ontology#exactly"), value, graph)]
    whole = findings(broken, ontology, None)
    assert {f.shape for f in whole if f.severity == "Violation"} >= {"lwgsh:Figure-exactly"}
    assert findings(broken, ontology, parts=4) == whole


def test_a_part_holds_what_its_nodes_need(ontology: list[Quad]) -> None:
    data = load_data([REAL.data]).quads
    triples = {q.triple for q in data}
    shapes = rdflib.Graph().parse(REAL.shapes_file, format="turtle")
    inverse = {NamedNode(str(o)) for o in shapes.objects(None, validation.SH.inversePath)}
    parts = [{q.triple for q in part} for part in validation.partitions(data, 4, inverse)]
    assert set().union(*map(set, parts)) == triples
    for index, part in enumerate(parts):
        held = set(part)
        owned = {t.subject for t in part if validation._part_of(t.subject.value, 4) == index}
        for t in triples:
            if t.subject in owned:
                assert t in held
            if t.object in owned and t.predicate in inverse:
                assert t in held
