"""The build's output: every file, checksums, determinism, round trips, and the dataset description."""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import pytest
from pyld import jsonld
from pyoxigraph import Dataset, NamedNode, Quad, RdfFormat, Store, parse

from kg.formats import DUMP_FORMATS
from kg.release import Release, build
from kg.settings import Paths

from .conftest import REAL, quiet

VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
SPDX = "http://spdx.org/rdf/terms#"


def dump_path(release: Release, extension: str) -> Path:
    matches = list((release.path / "dumps").glob(f"*.{extension}.gz"))
    assert len(matches) == 1, f"expected one .{extension}.gz dump, found {matches}"
    return matches[0]


def store_quads(store: Store) -> set[Quad]:
    return set(store.quads_for_pattern(None, None, None, None))


def test_release_holds_every_file(release: Release) -> None:
    names = {p.name for p in (release.path / "dumps").iterdir()}
    for fmt in DUMP_FORMATS:
        assert any(n.endswith(f".{fmt.extension}.gz") for n in names), fmt.extension
    assert "SHA256SUMS" in names
    assert {"wlic2025-authorities.marcxml.gz", "wlic2025-authorities.mrc.gz"} <= names, "the MARC authority dumps"
    for name in ("name-index.json", "void.ttl", "validation-report.ttl", "context.jsonld", "ontology.ttl", "shapes.ttl", "release.json"):
        assert (release.path / name).is_file(), name
    assert (release.path / "store").is_dir()


def test_sha256sums_verify_every_dump(release: Release) -> None:
    dumps = release.path / "dumps"
    lines = (dumps / "SHA256SUMS").read_text().splitlines()
    assert len(lines) == len(DUMP_FORMATS) + 2, "each RDF dump and the two MARC authority files"
    assert {line.split("  ")[1] for line in lines} == {p.name for p in dumps.glob("*.gz")}
    for line in lines:
        digest, name = line.split("  ")
        assert hashlib.sha256((dumps / name).read_bytes()).hexdigest() == digest


def test_store_and_manifest_agree(release: Release, store: Store) -> None:
    quads = store_quads(store)
    assert len(quads) == release.quads
    assert len({q.triple for q in quads}) == release.triples
    assert release.sources >= 10
    assert all(isinstance(q.graph_name, NamedNode) for q in quads), "every statement sits in a named graph"


@pytest.mark.parametrize("fmt", [f for f in DUMP_FORMATS if f.keeps_graphs and f.extension != "jsonld"], ids=lambda f: f.extension)
def test_dataset_dumps_parse_back_to_the_store(release: Release, store: Store, fmt) -> None:
    payload = gzip.decompress(dump_path(release, fmt.extension).read_bytes())
    assert set(parse(payload, format=fmt.rdf_format)) == store_quads(store)


@pytest.mark.parametrize("fmt", [f for f in DUMP_FORMATS if not f.keeps_graphs], ids=lambda f: f.extension)
def test_graph_dumps_parse_back_to_the_union(release: Release, store: Store, fmt) -> None:
    payload = gzip.decompress(dump_path(release, fmt.extension).read_bytes())
    assert {q.triple for q in parse(payload, format=fmt.rdf_format)} == {q.triple for q in store_quads(store)}


def test_jsonld_dump_is_compacted_self_contained_and_complete(release: Release, store: Store) -> None:
    document = json.loads(gzip.decompress(dump_path(release, "jsonld").read_bytes()))
    assert isinstance(document["@context"], dict), "the context must be inline, not a link"
    published = json.loads((release.path / "context.jsonld").read_text())
    assert document["@context"] == published["@context"]

    def refuse(url: str, options: object = None) -> None:
        raise AssertionError(f"the dump made the processor fetch {url}")

    nquads = jsonld.to_rdf(document, {"format": "application/n-quads", "documentLoader": refuse})
    assert set(parse(nquads.encode(), format=RdfFormat.N_QUADS)) == store_quads(store)
    assert set(parse(json.dumps(document).encode(), format=RdfFormat.JSON_LD)) == store_quads(store)


def test_same_input_gives_byte_identical_dumps(release: Release, tmp_path: Path) -> None:
    again = build(Paths(data=REAL.data, ontology=REAL.ontology, out=tmp_path), progress=quiet)
    assert again.id == release.id
    for path in sorted((release.path / "dumps").iterdir()):
        assert (again.path / "dumps" / path.name).read_bytes() == path.read_bytes(), path.name
    assert (again.path / "void.ttl").read_bytes() == (release.path / "void.ttl").read_bytes()


def test_void_describes_the_dataset_and_its_dumps(release: Release) -> None:
    void = Dataset(parse(path=str(release.path / "void.ttl")))
    store = Store()
    store.extend(void)

    def one(query: str):  # type: ignore[no-untyped-def]
        rows = list(store.query(query))
        assert len(rows) == 1, query
        return rows[0]

    row = one(f"SELECT ?d ?t ?e WHERE {{ ?d a <{VOID}Dataset>, <{DCAT}Dataset> ; <{VOID}triples> ?t ; <{VOID}entities> ?e ; <{VOID}sparqlEndpoint> ?s }}")
    assert int(row["t"].value) == release.triples
    assert int(row["e"].value) > 20
    dumps = {
        r["url"].value.rsplit("/", 1)[-1]: (int(r["size"].value), r["sum"].value, r["type"].value)
        for r in store.query(
            f"SELECT ?url ?size ?sum ?type WHERE {{ ?d <{DCAT}distribution> ?x . ?x <{DCAT}downloadURL> ?url ;"
            f" <{DCAT}byteSize> ?size ; <{DCAT}mediaType> ?type ; <{SPDX}checksum>/<{SPDX}checksumValue> ?sum }}"
        )
    }
    files = {p.name: p for p in (release.path / "dumps").glob("*.gz")}
    assert set(dumps) == set(files)
    for name, (size, digest, media_type) in dumps.items():
        assert size == files[name].stat().st_size
        assert digest == hashlib.sha256(files[name].read_bytes()).hexdigest()
        assert media_type.startswith("http://www.iana.org/assignments/media-types/")
    rdf_dumps = {r["url"].value.rsplit("/", 1)[-1] for r in store.query(f"SELECT ?url WHERE {{ ?d <{VOID}dataDump> ?url }}")}
    assert rdf_dumps == {name for name in files if "authorities" not in name}, "void:dataDump names RDF dumps only"
    marc_types = {media_type for name, (_s, _d, media_type) in dumps.items() if "authorities" in name}
    assert marc_types == {IANA + "application/marcxml+xml", IANA + "application/marc"}
    graphs = {r["g"].value for r in store.query(f"SELECT ?g WHERE {{ ?d <{VOID}subset>/<http://www.w3.org/ns/sparql-service-description#name> ?g }}")}
    manifest = json.loads((release.path / "release.json").read_text())
    assert graphs == set(manifest["graphs"])


IANA = "http://www.iana.org/assignments/media-types/"


def test_the_context_has_a_prefix_for_every_kind_of_entity(release: Release) -> None:
    context = json.loads((release.path / "context.jsonld").read_text())["@context"]
    manifest = json.loads((release.path / "release.json").read_text())
    for kind in manifest["entities"]:
        assert context.get(kind) == f"{manifest['base']}id/{kind}/", f"{kind}: no prefix (a term of that name?)"
