"""Synthetic data: conforms to the shapes, has the shape of the real data, is deterministic and about the size asked."""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad

from kg.load import load_data
from kg.release import open_release, prepare
from kg.settings import Paths
from kg.synth import write

from .conftest import REAL, quiet, run_kg

LWG = "https://w3id.org/lwg/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write(tmp_path_factory.mktemp("synth") / "data", 4000, seed=7).folder


@pytest.fixture(scope="module")
def quads(small: Path) -> list[Quad]:
    return load_data([small]).quads


def test_small_scale_conforms_to_the_shapes_without_warnings(small: Path) -> None:
    prepared = prepare(Paths(data=small, ontology=REAL.ontology), progress=quiet)
    assert prepared.report.conforms, prepared.report.text()
    assert prepared.report.findings == [], prepared.report.text()


def test_it_has_the_shape_of_the_real_data(quads: list[Quad]) -> None:
    types = Counter(q.object.value.removeprefix(LWG) for q in quads if q.predicate.value == RDF_TYPE)
    for kind in ("Congress", "CongressSeries", "Session", "Person", "OrganisationalUnit", "OrganisingCommittee",
                 "Membership", "Delegation", "Topic", "DatedName", "Figure", "Source", "SourceGraph", "Place"):
        assert types[kind] > 0, kind
    assert types["Congress"] >= 3
    languages = {q.object.language for q in quads if q.predicate.value == PREF and isinstance(q.object, Literal)}
    assert {"kk", "ru", "en"} <= languages
    # Every source's statements sit in its own graph, derived from the source.
    graphs = {q.graph_name.value for q in quads}
    derived = {q.subject.value for q in quads if q.predicate.value.endswith("#wasDerivedFrom")}
    assert graphs <= derived
    # Competing attendance claims: several figures for one congress, from different sources, differently qualified.
    figures: dict[str, set[str]] = defaultdict(set)
    qualifiers: dict[str, set[str]] = defaultdict(set)
    figure_of = {q.subject.value: q.object.value for q in quads if q.predicate.value == LWG + "figureFor"}
    for q in quads:
        if q.predicate.value in {LWG + p for p in ("exactly", "approximately", "nearly", "moreThan")}:
            figures[figure_of[q.subject.value]].add(q.graph_name.value)
            qualifiers[figure_of[q.subject.value]].add(q.predicate.value)
    assert figures and all(len(g) >= 3 for g in figures.values())
    assert any(len(q) >= 2 for q in qualifiers.values())


def test_same_seed_same_bytes_other_seed_other_data(tmp_path: Path, small: Path) -> None:
    again = write(tmp_path / "again", 4000, seed=7).folder
    other = write(tmp_path / "other", 4000, seed=8).folder
    files = sorted(p.name for p in small.iterdir())
    assert files == sorted(p.name for p in again.iterdir())
    assert all((small / name).read_bytes() == (again / name).read_bytes() for name in files)
    assert any((small / name).read_bytes() != (other / name).read_bytes() for name in files if (other / name).exists())


@pytest.mark.parametrize("scale", [2_000, 30_000])
def test_size_is_about_the_scale(tmp_path: Path, scale: int) -> None:
    written = write(tmp_path / "data", scale)
    quads = load_data([written.folder]).quads
    assert len(quads) == written.quads
    assert abs(len(set(quads)) - scale) <= scale * 0.05


def test_kg_synth_then_kg_build(tmp_path: Path) -> None:
    made = run_kg("synth", "--scale", "2000", "--seed", "3", "--out", str(tmp_path / "data"), cwd=REAL.data.parent)
    assert made.returncode == 0, made.stderr
    assert "statements" in made.stdout
    built = run_kg("build", "--data", str(tmp_path / "data"), "--out", str(tmp_path / "releases"), cwd=REAL.data.parent)
    assert built.returncode == 0, built.stderr
    release = open_release(tmp_path / "releases" / "current")
    assert release.triples > 2000
    assert release.entities["congress"] >= 2


def test_kg_synth_refuses_a_folder_with_files_and_a_tiny_scale(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    refused = run_kg("synth", "--scale", "5000", "--out", str(tmp_path), cwd=REAL.data.parent)
    assert refused.returncode == 2
    assert "not empty" in refused.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]
    tiny = run_kg("synth", "--scale", "10", "--out", str(tmp_path / "new"), cwd=REAL.data.parent)
    assert tiny.returncode == 2
    assert not (tmp_path / "new").exists()


def test_no_blank_nodes_and_every_entity_iri_under_the_base(quads: list[Quad]) -> None:
    for q in quads:
        assert isinstance(q.subject, NamedNode)
        assert q.subject.value.startswith("https://w3id.org/lwg/")
