"""The Reconciliation API 0.2 logic: every response validates against the W3C schemas, matches are
confident and unique, properties narrow, and hostile input is only ever compared, never run."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema.exceptions import ValidationError  # type: ignore[import-untyped]
from pyoxigraph import Store
from referencing import Registry

from kg.backends import EmbeddedBackend
from kg.errors import QueryError
from kg.index import build_index
from kg.reconcile import (
    BatchTooLarge,
    UnknownEntity,
    extend,
    flyout,
    manifest,
    preview,
    preview_data,
    propose_properties,
    reconcile,
    suggest_entities,
    suggest_properties,
    suggest_types,
)
from kg.release import STORE_DIR, Release

from .schemas import SPEC, reconciliation_registry, valid, validator
from .test_index import NAMESAKE, with_namesake

BASE_URL = "http://localhost:8000"
IRZHANOVA = "person/gulzhan-irzhanova"
RASHCHUPKIN = "person/vyacheslav-rashchupkin"
DULATY = "organisation/dulaty-university"
HOSTILE = ['"', "'", "}", "{", "\\", "\n", '" } UNION { ?s ?p ?o } #', "<http://evil/>", "\\u0022", '"""', "\r\n;"]


# --- schemas -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def registry() -> Registry:
    return reconciliation_registry()


@pytest.mark.parametrize(
    ("folder", "name"),
    [
        ("manifest", "manifest.json"),
        ("reconciliation-result-batch", "reconciliation-result-batch.json"),
        ("reconciliation-query-batch", "reconciliation-query-batch.json"),
        ("data-extension-response", "data-extension-response.json"),
        ("data-extension-query", "data-extension-query.json"),
        ("suggest-entities-response", "suggest-entities-response.json"),
        ("suggest-types-response", "suggest-types-response.json"),
        ("suggest-properties-response", "suggest-properties-response.json"),
        ("data-extension-property-proposal", "data-extension-property-proposal.json"),
    ],
)
def test_the_validators_accept_the_valid_examples_and_refuse_the_invalid(registry: Registry, folder: str, name: str) -> None:
    check = validator(registry, name)
    for path in sorted((SPEC / "examples" / folder / "valid").glob("*.json")):
        check.validate(json.loads(path.read_text(encoding="utf-8")))
    for path in sorted((SPEC / "examples" / folder / "invalid").glob("*.json")):
        with pytest.raises(ValidationError):
            check.validate(json.loads(path.read_text(encoding="utf-8")))


# --- fixtures ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def index(store: Store, release: Release) -> dict[str, Any]:
    base = json.loads((release.path / "release.json").read_text(encoding="utf-8"))["base"]
    return build_index(store, base)


@pytest.fixture(scope="module")
def backend(release: Release) -> Iterator[EmbeddedBackend]:
    yield EmbeddedBackend(release.path / STORE_DIR)


@pytest.fixture(scope="module")
def twins(index: dict[str, Any]) -> dict[str, Any]:
    """The index with a namesake of Gulzhan Irzhanova who holds no post (the graph knows nothing of them)."""
    return with_namesake(index)


def run(registry: Registry, index: dict[str, Any], backend: EmbeddedBackend, queries: dict[str, Any], **options: Any) -> dict[str, Any]:
    """Reconcile a batch, checking the query batch and the answer against their schemas."""
    valid(registry, "reconciliation-query-batch.json", queries)
    answer = reconcile(index, backend, queries, **options)
    valid(registry, "reconciliation-result-batch.json", answer)
    assert set(answer) == set(queries)
    return answer


def ids(result: dict[str, Any]) -> list[str]:
    return [c["id"] for c in result["result"]]


# --- manifest ------------------------------------------------------------------------------


def test_manifest_validates(registry: Registry, index: dict[str, Any]) -> None:
    found = manifest(index, BASE_URL + "/")
    valid(registry, "manifest.json", found)
    assert found["versions"] == ["0.2"]
    assert found["identifierSpace"] == "https://w3id.org/lwg/id/"
    assert found["schemaSpace"] == "https://w3id.org/lwg/ontology#"
    assert {t["id"] for t in found["defaultTypes"]} >= {"lwg:Person", "lwg:Organisation", "lwg:Congress"}
    assert found["view"]["url"] == f"{BASE_URL}/id/{{{{id}}}}"
    assert found["view"]["url"].replace("{{id}}", IRZHANOVA).endswith("/id/" + IRZHANOVA)
    assert found["identifierSpace"] + IRZHANOVA == index["entities"][IRZHANOVA]["iri"]
    assert found["batchSize"] == 50
    assert set(found["suggest"]) == {"entity", "type", "property"}
    assert found["extend"]["propose_properties"]["service_path"]


def test_preview_metadata_validates(registry: Registry, index: dict[str, Any]) -> None:
    valid(registry, "manifest.json", manifest(index, BASE_URL)["preview"], "/properties/preview")


def test_manifest_names_types_in_the_requested_language(index: dict[str, Any]) -> None:
    types = {t["id"]: t["name"] for t in manifest(index, BASE_URL, language="kk")["defaultTypes"]}
    assert types["lwg:Person"] == "Тұлға"


# --- queries -------------------------------------------------------------------------------


def test_the_unique_exact_name_is_a_match(registry: Registry, index: dict[str, Any], backend: EmbeddedBackend) -> None:
    answer = run(registry, index, backend, {
        "q0": {"query": "Gulzhan Irzhanova"},
        "q1": {"query": "Гүлжан Иржанова", "type": "lwg:Person"},
        "q2": {"query": "Kazakhstan", "type": ["lwg:Place"], "limit": 3},
        "q3": {"query": index["entities"][IRZHANOVA]["iri"]},
        "q4": {"query": "Q232"},
    })
    for key, expected in (("q0", IRZHANOVA), ("q1", IRZHANOVA), ("q2", "place/kazakhstan"), ("q3", IRZHANOVA), ("q4", "place/kazakhstan")):
        best = answer[key]["result"][0]
        assert best["id"] == expected and best["score"] == 100 and best["match"] is True, (key, best)
        assert all(c["match"] is False for c in answer[key]["result"][1:])
    best = answer["q0"]["result"][0]
    assert best["name"] == "Gulzhan Irzhanova"
    assert best["type"] == [{"id": "lwg:Person", "name": "Person"}]
    assert "Dulaty University" in best["description"]


def test_a_namesake_makes_the_name_ambiguous(registry: Registry, twins: dict[str, Any], backend: EmbeddedBackend) -> None:
    result = run(registry, twins, backend, {"q0": {"query": "Gulzhan Irzhanova"}})["q0"]["result"]
    assert [c["id"] for c in result[:2]] == [IRZHANOVA, NAMESAKE]
    assert [c["score"] for c in result[:2]] == [100, 100]
    assert not any(c["match"] for c in result)


def test_a_property_resolves_the_ambiguity(registry: Registry, twins: dict[str, Any], backend: EmbeddedBackend) -> None:
    answer = run(registry, twins, backend, {
        "q0": {"query": "Gulzhan Irzhanova", "properties": [{"pid": "affiliation", "v": "Dulaty University"}]},
        "q1": {"query": "Gulzhan Irzhanova", "properties": [{"pid": "org:organization", "v": {"id": DULATY}}]},
        "q2": {"query": "Gulzhan Irzhanova", "properties": [{"pid": "role", "v": ["librarian", "Директор"]}]},
    })
    for key in answer:
        result = answer[key]["result"]
        assert [c["id"] for c in result] == [IRZHANOVA], key
        assert result[0]["match"] is True and result[0]["score"] == 100


def test_other_names_score_high_but_do_not_match(registry: Registry, index: dict[str, Any], backend: EmbeddedBackend) -> None:
    answer = run(registry, index, backend, {
        "alt": {"query": "Dulaty University"},
        "tracing": {"query": "Иржанова, Гүлжан"},
        "initials": {"query": "Irzhanova G."},
        "part": {"query": "Irzhanova"},
    })
    assert answer["alt"]["result"][0]["id"] == DULATY and answer["alt"]["result"][0]["score"] == 95
    assert answer["tracing"]["result"][0]["id"] == IRZHANOVA and answer["tracing"]["result"][0]["score"] == 95
    assert answer["initials"]["result"][0]["id"] == IRZHANOVA
    assert answer["part"]["result"][0]["score"] < 90
    assert not any(c["match"] for a in answer.values() for c in a["result"])


def test_the_authority_heading_matches(registry: Registry, index: dict[str, Any], backend: EmbeddedBackend) -> None:
    """The 1XX form a catalogue holds (madsrdf:authoritativeLabel) is as good as the preferred name."""
    answer = run(registry, index, backend, {"q0": {"query": "Irzhanova, Gulzhan"}, "q1": {"query": "Rashchupkin, Vyacheslav"}})
    for key, expected in (("q0", IRZHANOVA), ("q1", RASHCHUPKIN)):
        best = answer[key]["result"][0]
        assert best["id"] == expected and best["score"] == 100 and best["match"] is True


def test_properties_narrow_the_results(registry: Registry, index: dict[str, Any], backend: EmbeddedBackend) -> None:
    answer = run(registry, index, backend, {
        "loose": {"query": "Gul", "type": "lwg:Person"},
        "narrow": {"query": "Gul", "type": "lwg:Person", "properties": [{"pid": "role", "v": "president"}]},
        "none": {"query": "Gul", "type": "lwg:Person", "properties": [{"pid": "role", "v": "chief executive"}]},
        "staff": {"type": "lwg:Person", "properties": [{"pid": "affiliation", "v": "Dulaty University"}]},
        "sector": {"properties": [{"pid": "affiliation", "v": "Дулати университеті"}, {"pid": "org:role", "v": "head of sector"}]},
        "by id": {"properties": [{"pid": "org:role", "v": {"id": "lwg:HeadOfSector"}}], "type": "lwg:Person"},
        "place": {"query": "Astana", "properties": [{"pid": "schema:containedInPlace", "v": "Qazaqstan"}]},
        "number": {"query": "World Library and Information Congress", "type": "lwg:Congress",
                   "properties": [{"pid": "lwg:ordinal", "v": 89}]},
    })
    assert {"person/gulzhan-irzhanova", "person/gulsara-bakberdieva"} <= set(ids(answer["loose"]))
    assert ids(answer["narrow"]) == [IRZHANOVA]
    assert ids(answer["none"]) == []
    assert set(ids(answer["staff"])) == {IRZHANOVA, "person/nurgul-kabazova", "person/gulsara-bakberdieva", RASHCHUPKIN}
    assert not any(c["match"] for c in answer["staff"]["result"])  # four equal candidates
    assert ids(answer["sector"]) == [RASHCHUPKIN] and answer["sector"]["result"][0]["match"] is True
    assert ids(answer["by id"]) == [RASHCHUPKIN]
    assert ids(answer["place"])[0] == "place/astana"
    assert ids(answer["number"]) == ["congress/wlic-2025"]


def test_types_limit_and_strictness(registry: Registry, index: dict[str, Any], backend: EmbeddedBackend) -> None:
    answer = run(registry, index, backend, {
        "person": {"query": "Dulaty University", "type": "lwg:Person"},
        "both": {"query": "Dulaty", "type": ["lwg:University", "lwg:OrganisationalUnit"]},
        "all": {"query": "Dulaty", "type": ["lwg:University", "lwg:Organisation"], "type_strict": "all"},
        "should": {"query": "Dulaty University", "type": "lwg:Person", "type_strict": "should"},
        "one": {"query": "Dulaty", "limit": 1},
        "zero": {"query": "Dulaty", "limit": 0},
    })
    assert DULATY not in ids(answer["person"])
    assert {DULATY, "organisation/dulaty-library-centre"} <= set(ids(answer["both"]))
    assert ids(answer["all"]) == [DULATY]
    assert ids(answer["should"])[0] == DULATY and answer["should"]["result"][0]["score"] < 95
    assert len(answer["one"]["result"]) == 1
    assert answer["zero"]["result"] == []


@pytest.mark.parametrize(
    "queries",
    [
        {"q0": {"query": 5}},
        {"q0": {"query": "x", "limit": "ten"}},
        {"q0": {"query": "x", "limit": -1}},
        {"q0": {"query": "x", "limit": True}},
        {"q0": {"query": "x", "type": "lwg:Nothing"}},
        {"q0": {"query": "x", "type": 3}},
        {"q0": {"query": "x", "type_strict": "maybe"}},
        {"q0": {"query": "x", "unknown": 1}},
        {"q0": {"query": "x", "properties": [{"pid": "nonsense", "v": "x"}]}},
        {"q0": {"query": "x", "properties": [{"pid": "role"}]}},
        {"q0": {"query": "x", "properties": [{"pid": "role", "v": {"name": "no id"}}]}},
        {"q0": {"query": "x", "properties": "role=director"}},
        {"q0": "Gulzhan"},
        ["not", "an", "object"],
    ],
)
def test_bad_input_is_a_query_error(index: dict[str, Any], backend: EmbeddedBackend, queries: Any) -> None:
    with pytest.raises(QueryError):
        reconcile(index, backend, queries)


def test_batches_over_the_declared_size_are_refused(index: dict[str, Any], backend: EmbeddedBackend) -> None:
    size = manifest(index, BASE_URL)["batchSize"]
    batch = {f"q{i}": {"query": "Gulzhan Irzhanova"} for i in range(size + 1)}
    with pytest.raises(BatchTooLarge) as caught:
        reconcile(index, backend, batch)
    assert isinstance(caught.value, QueryError) and caught.value.limit == size and caught.value.size == size + 1
    assert len(reconcile(index, backend, dict(list(batch.items())[:size]))) == size
    with pytest.raises(BatchTooLarge):
        extend(index, backend, [IRZHANOVA] * (size + 1), ["role"])


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_values_are_bound_not_pasted(registry: Registry, index: dict[str, Any], backend: EmbeddedBackend, hostile: str) -> None:
    answer = run(registry, index, backend, {
        "query": {"query": hostile},
        "around a name": {"query": f"Gulzhan{hostile}Irzhanova"},
        "value": {"query": "Gulzhan Irzhanova", "properties": [{"pid": "affiliation", "v": hostile}]},
        "id value": {"query": "Gulzhan Irzhanova", "properties": [{"pid": "affiliation", "v": {"id": hostile}}]},
        "only value": {"properties": [{"pid": "affiliation", "v": f"Dulaty University{hostile}"}]},
        "literal": {"query": "Astana", "properties": [{"pid": "skos:prefLabel", "v": hostile}]},
    })
    for result in answer.values():
        for candidate in result["result"]:
            assert candidate["id"] in index["entities"]
    assert answer["value"]["result"] == [] and answer["id value"]["result"] == [] and answer["literal"]["result"] == []
    assert ids(answer["around a name"])[:1] in ([], [IRZHANOVA])  # punctuation is a space, apostrophes vanish
    rows = extend(index, backend, [hostile, IRZHANOVA], [{"id": "affiliation"}])
    valid(registry, "data-extension-response.json", rows)
    assert rows["rows"][hostile] == {"affiliation": []}
    valid(registry, "suggest-entities-response.json", suggest_entities(index, hostile))
    valid(registry, "suggest-types-response.json", suggest_types(index, hostile))
    valid(registry, "suggest-properties-response.json", suggest_properties(index, hostile))


# --- suggest, preview, extension -----------------------------------------------------------


def test_suggest_responses_validate(registry: Registry, index: dict[str, Any]) -> None:
    people = suggest_entities(index, "Irzh", types=["lwg:Person"], language="ru")
    valid(registry, "suggest-entities-response.json", people)
    assert people["result"][0]["id"] == IRZHANOVA and people["result"][0]["name"] == "Гульжан Иржанова"
    assert people["result"][0]["notable"] == [{"id": "lwg:Person", "name": "Лицо"}]
    page = suggest_entities(index, "Dulaty", limit=1, cursor=1)
    assert page["result"] and page["result"][0]["id"] == suggest_entities(index, "Dulaty", limit=2)["result"][1]["id"]
    types = suggest_types(index, "univ")
    valid(registry, "suggest-types-response.json", types)
    assert types["result"][0]["id"] == "lwg:University"
    assert types["result"][0]["broader"] == [
        {"id": "lwg:Organisation", "name": "Organisation", "description": "https://w3id.org/lwg/ontology#Organisation"}
    ]
    assert suggest_types(index, "Тұлға")["result"][0]["id"] == "lwg:Person"
    valid(registry, "suggest-types-response.json", suggest_types(index, ""))
    properties = suggest_properties(index, "aff")
    valid(registry, "suggest-properties-response.json", properties)
    assert properties["result"][0]["id"] == "affiliation"
    assert [p["id"] for p in suggest_properties(index, "host", type="lwg:Person")["result"]] == []
    assert "lwg:hostCity" in [p["id"] for p in suggest_properties(index, "host", type="lwg:Congress")["result"]]


def test_property_proposals_validate(registry: Registry, index: dict[str, Any]) -> None:
    people = propose_properties(index, "lwg:Person")
    valid(registry, "data-extension-property-proposal.json", people)
    names = [p["id"] for p in people["properties"]]
    assert names[:2] == ["affiliation", "role"] and "lwg:hostCity" not in names
    assert "lwg:unitOf" in [p["id"] for p in propose_properties(index, "lwg:Organisation")["properties"]]
    limited = propose_properties(index, "lwg:Congress", limit=2)
    valid(registry, "data-extension-property-proposal.json", limited)
    assert len(limited["properties"]) == 2 and limited["limit"] == 2 and limited["type"] == "lwg:Congress"
    valid(registry, "data-extension-property-proposal.json", propose_properties(index))
    with pytest.raises(QueryError):
        propose_properties(index, "lwg:Nothing")


def test_extend_validates_and_fetches_values(registry: Registry, index: dict[str, Any], backend: EmbeddedBackend) -> None:
    query: dict[str, Any] = {
        "ids": [IRZHANOVA, "congress/wlic-2025", "place/kazakhstan", "person/nobody"],
        "properties": [
            {"id": "affiliation"},
            {"id": "role"},
            {"id": "schema:startDate"},
            {"id": "lwg:ordinal"},
            {"id": "owl:sameAs"},
            {"id": "skos:altLabel", "settings": {"limit": 2}},
            {"id": "lwg:hostCity"},
        ],
    }
    valid(registry, "data-extension-query.json", query)
    answer = extend(index, backend, query["ids"], query["properties"])
    valid(registry, "data-extension-response.json", answer)
    assert [m["id"] for m in answer["meta"]] == [p["id"] for p in query["properties"]]
    assert answer["meta"][0]["type"] == {"id": "lwg:Organisation", "name": "Organisation"}
    person = answer["rows"][IRZHANOVA]
    assert {"id": DULATY, "name": "Taraz University named after M.Kh. Dulaty"} in person["affiliation"]
    assert {"id": "organisation/association-university-libraries-kz", "name": "Association of University Libraries of Kazakhstan"} in person["affiliation"]
    assert {"str": "president"} in person["role"] and {"str": "director"} in person["role"]
    assert len(person["skos:altLabel"]) == 2
    congress = answer["rows"]["congress/wlic-2025"]
    assert congress["lwg:ordinal"] == [{"int": 89}]
    assert congress["schema:startDate"] == [{"date": "2025-08-18T00:00:00Z"}]
    assert congress["lwg:hostCity"] == [{"id": "place/astana", "name": "Astana"}]
    assert {"str": "http://www.wikidata.org/entity/Q232"} in answer["rows"]["place/kazakhstan"]["owl:sameAs"]
    assert all(values == [] for values in answer["rows"]["person/nobody"].values())
    in_kazakh = extend(index, backend, [IRZHANOVA], ["role"], language="kk")
    assert {"str": "президент"} in in_kazakh["rows"][IRZHANOVA]["role"]
    by_iri = extend(index, backend, [index["entities"][IRZHANOVA]["iri"]], ["lwg:ordinal"])
    assert list(by_iri["rows"]) == [index["entities"][IRZHANOVA]["iri"]]


@pytest.mark.parametrize(
    ("ids_", "properties"),
    [(IRZHANOVA, ["role"]), ([IRZHANOVA], []), ([IRZHANOVA], ["nonsense"]), ([IRZHANOVA], [{"id": "role", "settings": "x"}]),
     ([IRZHANOVA], [{"id": "role", "settings": {"limit": "all"}}]), ([3], ["role"])],
)
def test_bad_extension_input_is_a_query_error(index: dict[str, Any], backend: EmbeddedBackend, ids_: Any, properties: Any) -> None:
    with pytest.raises(QueryError):
        extend(index, backend, ids_, properties)


def test_preview_and_flyout(index: dict[str, Any], twins: dict[str, Any]) -> None:
    page = preview(index, IRZHANOVA)
    assert "Gulzhan Irzhanova" in page and "Гүлжан Иржанова" in page and index["entities"][IRZHANOVA]["iri"] in page
    assert preview(index, index["entities"][IRZHANOVA]["iri"]) == page
    data = preview_data(index, DULATY, language="ru")
    assert data["name"] == "Таразский университет имени М.Х. Дулати" and data["types"][0]["id"] == "lwg:University"
    assert flyout(index, IRZHANOVA)["id"] == IRZHANOVA
    hostile = copy.deepcopy(twins)
    hostile["entities"][NAMESAKE]["labels"] = {"en": '<script>alert("x")</script>'}
    page = preview(hostile, NAMESAKE)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<script>" not in flyout(hostile, NAMESAKE)["html"]
    for missing in ("person/nobody", '"><script>', ""):
        with pytest.raises(UnknownEntity):
            preview(index, missing)
        with pytest.raises(UnknownEntity):
            flyout(index, missing)
