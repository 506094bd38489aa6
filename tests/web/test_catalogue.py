"""Catalogue linking over HTTP: /reconcile (the W3C Reconciliation API 0.2, as OpenRefine calls it),
/label/{text}, /autocomplete, and each entity's MARC authority record.

Every JSON answer is validated against the W3C schemas in ``shared/standards``.
Tests that consult the graph (property constraints, data extension) run against
every backend; the others need only the release's name index and run once, on the
embedded store.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, unquote

import pytest
from fastapi.testclient import TestClient
from pymarc import Record
from referencing import Registry

from kg.marc import entity_iri, parse_marcxml, parse_mrc
from kg.release import Release, build
from kg.service import ServerConfig, Service
from kg.settings import Paths
from kg.web.app import create_app

from ..conftest import REAL, quiet
from ..schemas import reconciliation_registry, valid
from ..test_index import FORMS

BASE = "https://w3id.org/lwg/"
ID = f"{BASE}id/"
IRZHANOVA = "person/gulzhan-irzhanova"
RASHCHUPKIN = "person/vyacheslav-rashchupkin"
DULATY = "organisation/dulaty-university"
LIBRARY_CENTRE = "organisation/dulaty-library-centre"
WLIC_2025 = "congress/wlic-2025"
ORIGIN = "https://openrefine.example"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
HOSTILE = ['"', "'", "}", "{", "\\", "\n", '" } UNION { ?s ?p ?o } #', "<http://evil/>", "\\u0022", '"""']


@pytest.fixture(scope="module")
def registry() -> Registry:
    return reconciliation_registry()


@pytest.fixture(scope="module")
def embedded(release: Release) -> Iterator[TestClient]:
    """The app over the embedded store (for what only the name index answers)."""
    service = Service.open(ServerConfig(releases=release.path.parent, queries=REAL.queries))
    with TestClient(create_app(service), base_url="http://testserver") as test_client:
        yield test_client


def reconcile(client: TestClient, registry: Registry, queries: dict[str, Any], method: str = "POST") -> dict[str, Any]:
    """A batch sent as OpenRefine sends it; the batch and the answer are checked against their schemas."""
    valid(registry, "reconciliation-query-batch.json", queries)
    payload = {"queries": json.dumps(queries)}
    if method == "POST":
        response = client.post("/reconcile", data=payload, headers={"Origin": ORIGIN})
    else:
        response = client.get("/reconcile", params=payload, headers={"Origin": ORIGIN})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["access-control-allow-origin"] == "*"
    answer: dict[str, Any] = response.json()
    valid(registry, "reconciliation-result-batch.json", answer)
    assert set(answer) == set(queries)
    return answer


def top(answer: dict[str, Any], key: str = "q0") -> str | None:
    results = answer[key]["result"]
    return results[0]["id"] if results else None


# --- the manifest ----------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["", "/lwg"])
def test_the_manifest_validates_and_points_at_this_server(embedded: TestClient, registry: Registry, prefix: str) -> None:
    response = embedded.get(f"{prefix}/reconcile", headers={"Origin": ORIGIN})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    manifest = response.json()
    valid(registry, "manifest.json", manifest)
    assert manifest["versions"] == ["0.2"]
    assert manifest["identifierSpace"] == ID
    assert manifest["schemaSpace"] == f"{BASE}ontology#"
    assert {t["id"] for t in manifest["defaultTypes"]} >= {"lwg:Person", "lwg:Organisation", "lwg:Congress"}
    root = f"http://testserver{prefix}"
    assert manifest["view"]["url"] == f"{root}/id/{{{{id}}}}"
    for service in ("entity", "type", "property"):
        assert manifest["suggest"][service]["service_url"] == root
    assert manifest["extend"]["propose_properties"]["service_url"] == root
    # Every service the manifest declares answers where it says.
    for name in ("entity", "type", "property"):
        suggest = manifest["suggest"][name]
        assert embedded.get(f"{prefix}{suggest['service_path']}", params={"prefix": "a"}).status_code == 200
    view = manifest["view"]["url"].replace("{{id}}", IRZHANOVA).removeprefix("http://testserver")
    assert embedded.get(view, follow_redirects=False).status_code == 303
    preview = manifest["preview"]["url"].replace("{{id}}", IRZHANOVA).removeprefix("http://testserver")
    assert embedded.get(preview).status_code == 200


def test_the_manifest_is_named_in_the_requested_language(embedded: TestClient, registry: Registry) -> None:
    english = embedded.get("/reconcile").json()
    kazakh = embedded.get("/reconcile", params={"lang": "kk"}).json()
    russian = embedded.get("/reconcile", headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"}).json()
    valid(registry, "manifest.json", kazakh)
    names = [{t["id"]: t["name"] for t in m["defaultTypes"]}["lwg:Person"] for m in (english, kazakh, russian)]
    assert names[0] == "Person"
    assert len(set(names)) == 3, names
    assert re.search("[А-Яа-яӘәҒғҚқҢңӨөҰұҮүҺһІі]", names[1]) and re.search("[А-Яа-я]", names[2])


# --- queries -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), FORMS, ids=[f for f, _ in FORMS])
def test_every_name_form_reconciles_to_its_entity_first(embedded: TestClient, registry: Registry, text: str, expected: str) -> None:
    answer = reconcile(embedded, registry, {"q0": {"query": text}})
    assert top(answer) == f"{expected}".removeprefix(ID), answer


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_batch_by_get_and_post(embedded: TestClient, registry: Registry, method: str) -> None:
    queries = {
        "q0": {"query": "Гүлжан Иржанова", "type": "lwg:Person"},
        "q1": {"query": "Dulaty University", "type": "lwg:Organisation", "limit": 1},
        "q2": {"query": "WLIC 2025"},
        "q3": {"query": "a name nobody has ever had"},
    }
    answer = reconcile(embedded, registry, queries, method)
    assert top(answer, "q0") == IRZHANOVA and top(answer, "q1") == DULATY and top(answer, "q2") == WLIC_2025
    assert len(answer["q1"]["result"]) == 1
    assert answer["q3"]["result"] == []
    best = answer["q0"]["result"][0]
    assert best["match"] is True and best["score"] == 100
    assert {"id": "lwg:Person", "name": "Person"} in best["type"]


def test_a_match_is_only_declared_for_a_confident_name(embedded: TestClient, registry: Registry) -> None:
    partial = reconcile(embedded, registry, {"q0": {"query": "Irzhanova"}})
    assert top(partial) == IRZHANOVA
    assert all(c["match"] is False for c in partial["q0"]["result"])
    exact = reconcile(embedded, registry, {"q0": {"query": "Gulzhan Irzhanova"}})
    assert [c["match"] for c in exact["q0"]["result"]][:1] == [True]


def test_an_iri_or_an_id_reconciles_with_full_confidence(embedded: TestClient, registry: Registry) -> None:
    answer = reconcile(embedded, registry, {"q0": {"query": ID + RASHCHUPKIN}, "q1": {"query": RASHCHUPKIN}})
    for key in ("q0", "q1"):
        assert top(answer, key) == RASHCHUPKIN
        assert answer[key]["result"][0]["score"] == 100 and answer[key]["result"][0]["match"] is True


def test_a_type_narrows_the_candidates(embedded: TestClient, registry: Registry) -> None:
    answer = reconcile(embedded, registry, {"q0": {"query": "Dulaty", "type": "lwg:Person"}})
    assert answer["q0"]["result"] == []
    answer = reconcile(embedded, registry, {"q0": {"query": "Dulaty", "type": "lwg:Organisation"}})
    assert top(answer) == DULATY


def test_property_constraints_are_checked_in_the_graph(client: TestClient, registry: Registry) -> None:
    affiliated = {"query": "Irzhanova", "properties": [{"pid": "affiliation", "v": DULATY}]}
    answer = reconcile(client, registry, {"q0": affiliated})
    assert top(answer) == IRZHANOVA
    by_name = {"query": "Irzhanova", "properties": [{"pid": "affiliation", "v": "Dulaty University"}]}
    assert top(reconcile(client, registry, {"q0": by_name})) == IRZHANOVA
    wrong = {"query": "Irzhanova", "properties": [{"pid": "affiliation", "v": "organisation/kazakh-tourism"}]}
    assert reconcile(client, registry, {"q0": wrong})["q0"]["result"] == []


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_values_are_only_compared_never_run(client: TestClient, registry: Registry, payload: str) -> None:
    query = {"query": f"Irzhanova{payload}", "properties": [{"pid": "affiliation", "v": payload}, {"pid": "role", "v": payload}]}
    answer = reconcile(client, registry, {"q0": query})
    assert answer["q0"]["result"] == [], "a value no entity has must not match anything"
    assert top(reconcile(client, registry, {"q0": {"query": "Irzhanova"}})) == IRZHANOVA, "the service is unharmed"


@pytest.mark.parametrize(
    ("params", "status", "words"),
    [
        ({"queries": "{not json"}, 400, "JSON"),
        ({"queries": "[1, 2]"}, 400, "object"),
        ({"queries": json.dumps({"q0": "Irzhanova"})}, 400, "object"),
        ({"queries": json.dumps({f"q{i}": {"query": "x"} for i in range(51)})}, 413, "50"),
        ({"queries": json.dumps({"q0": {"query": "x", "type": "lwg:NoSuchType"}})}, 400, "type"),
        ({"queries": json.dumps({"q0": {"query": "x", "properties": [{"pid": "nothing", "v": "x"}]}})}, 400, "propert"),
        ({"extend": "{}"}, 400, "ids"),
        ({"extend": json.dumps({"ids": [f"x{i}" for i in range(51)], "properties": [{"id": "role"}]})}, 413, "50"),
        ({"queries": "{}", "extend": "{}"}, 400, "not both"),
    ],
)
def test_bad_requests_get_a_clear_error(embedded: TestClient, params: dict[str, str], status: int, words: str) -> None:
    for response in (embedded.get("/reconcile", params=params), embedded.post("/reconcile", data=params)):
        assert response.status_code == status, response.text
        body = response.json()
        assert body["status"] == status and words in body["message"], body


def test_the_declared_batch_size_is_accepted(embedded: TestClient, registry: Registry) -> None:
    size = embedded.get("/reconcile").json()["batchSize"]
    answer = reconcile(embedded, registry, {f"q{i}": {"query": "Irzhanova"} for i in range(size)})
    assert all(top(answer, f"q{i}") == IRZHANOVA for i in range(size))


def test_a_form_post_needs_a_form_body(embedded: TestClient) -> None:
    response = embedded.post("/reconcile", content=b'{"q0": {"query": "x"}}', headers={"Content-Type": "application/json"})
    assert response.status_code == 415


def test_cors_preflight_is_answered(embedded: TestClient) -> None:
    response = embedded.options(
        "/reconcile", headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    assert "POST" in response.headers["access-control-allow-methods"]


# --- suggest, preview, flyout ----------------------------------------------------------------


def test_suggest_entities_in_any_script(embedded: TestClient, registry: Registry) -> None:
    for prefix in ("Ирж", "Irzh", "irzhanova g"):
        response = embedded.get("/reconcile/suggest/entity", params={"prefix": prefix}, headers={"Origin": ORIGIN})
        assert response.status_code == 200 and response.headers["access-control-allow-origin"] == "*"
        body = response.json()
        valid(registry, "suggest-entities-response.json", body)
        assert body["result"][0]["id"] == IRZHANOVA, prefix
    kazakh = embedded.get("/reconcile/suggest/entity", params={"prefix": "Irzh", "lang": "kk"}).json()
    assert kazakh["result"][0]["name"] == "Гүлжан Иржанова"
    typed = embedded.get("/reconcile/suggest/entity", params={"prefix": "Dul", "type": "lwg:Person"}).json()
    assert typed["result"] == []


def test_suggest_types_and_properties(embedded: TestClient, registry: Registry) -> None:
    types = embedded.get("/reconcile/suggest/type", params={"prefix": "Pers"}).json()
    valid(registry, "suggest-types-response.json", types)
    assert types["result"][0]["id"] == "lwg:Person"
    kazakh = embedded.get("/reconcile/suggest/type", params={"prefix": "Тұ"}).json()
    assert "lwg:Person" in [t["id"] for t in kazakh["result"]]
    properties = embedded.get("/reconcile/suggest/property", params={"prefix": "affil"}).json()
    valid(registry, "suggest-properties-response.json", properties)
    assert properties["result"][0]["id"] == "affiliation"


def test_the_preview_is_a_small_escaped_page_that_may_be_framed(embedded: TestClient) -> None:
    response = embedded.get("/reconcile/preview", params={"id": IRZHANOVA, "lang": "ru"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert "Гульжан Иржанова" in response.text and ID + IRZHANOVA in response.text
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors" not in policy and "script-src" not in policy and "default-src 'none'" in policy
    assert embedded.get("/reconcile/preview", params={"id": "person/nobody"}).status_code == 404
    assert embedded.get("/reconcile/preview").status_code == 400
    hostile = embedded.get("/reconcile/preview", params={"id": "<script>alert(1)</script>"}, headers={"Accept": "text/html"})
    assert hostile.status_code == 404 and hostile.headers["content-type"].startswith("text/html")
    assert "<script>" not in hostile.text and "&lt;script&gt;" in hostile.text


def test_the_flyout(embedded: TestClient) -> None:
    response = embedded.get("/reconcile/flyout", params={"id": DULATY})
    assert response.status_code == 200
    assert response.json()["id"] == DULATY and "Dulaty" in response.json()["html"]


# --- data extension -------------------------------------------------------------------------------


def test_property_proposals(embedded: TestClient, registry: Registry) -> None:
    for params in ({}, {"type": "lwg:Person"}, {"type": "lwg:Person", "limit": "2"}):
        body = embedded.get("/reconcile/propose_properties", params=params).json()
        valid(registry, "data-extension-property-proposal.json", body)
    person = embedded.get("/reconcile/propose_properties", params={"type": "lwg:Person"}).json()
    assert {"affiliation", "role"} <= {p["id"] for p in person["properties"]}


def test_data_extension_fetches_values_from_the_graph(client: TestClient, registry: Registry) -> None:
    query = {"ids": [IRZHANOVA, RASHCHUPKIN, "person/nobody"], "properties": [{"id": "affiliation"}, {"id": "role"}]}
    valid(registry, "data-extension-query.json", query)
    response = client.post("/reconcile", data={"extend": json.dumps(query)}, headers={"Origin": ORIGIN})
    assert response.status_code == 200 and response.headers["access-control-allow-origin"] == "*"
    body = response.json()
    valid(registry, "data-extension-response.json", body)
    assert [m["id"] for m in body["meta"]] == ["affiliation", "role"]
    affiliations = {cell.get("id") for cell in body["rows"][IRZHANOVA]["affiliation"]}
    assert {LIBRARY_CENTRE, DULATY} <= affiliations
    assert {cell.get("str") for cell in body["rows"][IRZHANOVA]["role"]} >= {"chair", "director", "president"}
    assert body["rows"]["person/nobody"] == {"affiliation": [], "role": []}
    limited = {**query, "properties": [{"id": "affiliation", "settings": {"limit": 1}}]}
    body = client.get("/reconcile", params={"extend": json.dumps(limited)}).json()
    valid(registry, "data-extension-response.json", body)
    assert len(body["rows"][IRZHANOVA]["affiliation"]) == 1


# --- label lookup ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), FORMS, ids=[f for f, _ in FORMS])
def test_a_label_redirects_to_its_entity(embedded: TestClient, text: str, expected: str) -> None:
    response = embedded.get(f"/label/{quote(text)}", follow_redirects=False, headers={"Origin": ORIGIN})
    iri = expected if expected.startswith(ID) else ID + expected
    assert response.status_code == 303, (text, response.text)
    assert response.headers["location"] == "/" + iri.removeprefix(BASE)
    assert response.headers["x-uri"] == iri
    assert unquote(response.headers["x-preflabel"])
    assert response.headers["access-control-allow-origin"] == "*"
    assert "X-Uri" in response.headers["access-control-expose-headers"]


def test_a_label_is_tolerant_of_tie_bars_case_and_marc_halves(embedded: TestClient) -> None:
    for text in ("Viacheslav Rashchupkin", "VI\u0361ACHESLAV RASHCHUPKIN", "Vi\ufe20a\ufe21cheslav Rashchupkin", "rashchupkin, vi͡acheslav"):
        response = embedded.get(f"/label/{quote(text)}", follow_redirects=False)
        assert response.status_code == 303, text
        assert response.headers["x-uri"] == ID + RASHCHUPKIN


def test_a_label_under_the_base_path_and_in_a_language(embedded: TestClient) -> None:
    response = embedded.get(f"/lwg/label/{quote('Иржанова, Гүлжан')}", params={"lang": "kk"}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/lwg/id/{IRZHANOVA}"
    assert unquote(response.headers["x-preflabel"]) == "Гүлжан Иржанова"


def test_an_unknown_label_is_404_in_the_error_shape(embedded: TestClient) -> None:
    response = embedded.get(f"/label/{quote('Nobody, Never')}")
    assert response.status_code == 404
    assert response.json()["status"] == 404
    page = embedded.get("/label/%3Cscript%3E", headers={"Accept": "text/html"})
    assert page.status_code == 404 and "<script>" not in page.text


def test_a_label_of_a_type_that_does_not_have_it_is_404(embedded: TestClient) -> None:
    assert embedded.get("/label/Dulaty%20University", params={"type": "lwg:Person"}).status_code == 404
    assert embedded.get("/label/Dulaty%20University", params={"type": "lwg:Organisation"}, follow_redirects=False).status_code == 303


@pytest.fixture(scope="module")
def namesakes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A release in which a second person is also called Gulzhan Irzhanova."""
    root = tmp_path_factory.mktemp("namesakes")
    data = root / "data"
    shutil.copytree(REAL.data, data)
    editorial = data / "editorial.trig"
    text = editorial.read_text(encoding="utf-8")
    closing = text.rindex("}")
    namesake = (
        "\n    person:gulzhan-irzhanova-2\n        a lwg:Person ;\n"
        '        skos:prefLabel "Gulzhan Irzhanova"@en, "Гүлжан Иржанова"@kk, "Гульжан Иржанова"@ru .\n'
    )
    editorial.write_text(text[:closing] + namesake + text[closing:], encoding="utf-8")
    release = build(Paths(data=data, ontology=REAL.ontology, out=root / "releases"), progress=quiet)
    service = Service.open(ServerConfig(releases=release.path.parent, queries=REAL.queries))
    with TestClient(create_app(service), base_url="http://testserver") as test_client:
        yield test_client


def test_a_label_several_entities_have_is_a_300_choice(namesakes: TestClient, registry: Registry) -> None:
    response = namesakes.get("/label/Gulzhan%20Irzhanova", follow_redirects=False)
    assert response.status_code == 300
    choices = response.json()["choices"]
    assert {c["iri"] for c in choices} == {ID + IRZHANOVA, ID + IRZHANOVA + "-2"}
    assert all(c["url"] == "/" + c["iri"].removeprefix(BASE) for c in choices)
    page = namesakes.get("/label/Gulzhan%20Irzhanova", headers={"Accept": "text/html"}, follow_redirects=False)
    assert page.status_code == 300 and page.headers["content-type"].startswith("text/html")
    assert f'href="/id/{IRZHANOVA}-2"' in page.text
    # Two equal names: a reconciliation service must not declare either a match.
    answer = reconcile(namesakes, registry, {"q0": {"query": "Gulzhan Irzhanova"}})
    assert len(answer["q0"]["result"]) == 2 and not any(c["match"] for c in answer["q0"]["result"])


# --- autocomplete -------------------------------------------------------------------------------------


def test_autocomplete_ranks_and_labels_in_the_requested_language(embedded: TestClient) -> None:
    response = embedded.get("/autocomplete", params={"q": "Ирж"}, headers={"Accept-Language": "kk, ru;q=0.8"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["language"] == "kk"
    first = body["results"][0]
    assert first["id"] == IRZHANOVA and first["label"] == "Гүлжан Иржанова" and first["url"] == f"/id/{IRZHANOVA}"
    scores = [r["score"] for r in body["results"]]
    assert scores == sorted(scores, reverse=True)
    russian = embedded.get("/autocomplete", params={"q": "Dulaty", "lang": "ru", "type": "lwg:Organisation", "limit": "3"}).json()
    assert 0 < len(russian["results"]) <= 3
    assert russian["results"][0]["id"] == DULATY and re.search("[А-Яа-я]", russian["results"][0]["label"])
    assert all("lwg:Person" not in r["types"] for r in russian["results"])


def test_autocomplete_of_nothing_is_empty_and_bad_limits_are_400(embedded: TestClient) -> None:
    assert embedded.get("/autocomplete", params={"q": "  "}).json()["results"] == []
    assert embedded.get("/autocomplete").json()["results"] == []
    assert embedded.get("/autocomplete", params={"q": "a", "limit": "many"}).status_code == 400


# --- MARC authority records per entity --------------------------------------------------------------


def one_record(records: list[Record]) -> Record:
    assert len(records) == 1
    return records[0]


@pytest.mark.parametrize("entity", [IRZHANOVA, DULATY, WLIC_2025])
def test_each_authority_record_is_served_in_both_forms(client: TestClient, entity: str) -> None:
    xml = client.get(f"/id/{entity}.marcxml")
    assert xml.status_code == 200 and xml.headers["content-type"].startswith("application/marcxml+xml")
    mrc = client.get(f"/id/{entity}.mrc")
    assert mrc.status_code == 200 and mrc.headers["content-type"].startswith("application/marc")
    from_xml, from_mrc = one_record(parse_marcxml(xml.content)), one_record(parse_mrc(mrc.content))
    assert entity_iri(from_xml) == entity_iri(from_mrc) == ID + entity
    assert from_xml.as_marc() == from_mrc.as_marc()
    heading = {"person": "100", "organisation": "110", "congress": "111"}[entity.split("/")[0]]
    assert from_xml.get_fields(heading)[0].get("1") == ID + entity


def test_an_authority_record_is_reached_by_negotiation(client: TestClient) -> None:
    for accept, extension in (("application/marcxml+xml", "marcxml"), ("application/marc", "mrc")):
        response = client.get(f"/id/{IRZHANOVA}", headers={"Accept": accept}, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == f"/id/{IRZHANOVA}.{extension}"
    # A source has no authority record: it is neither offered nor served.
    source = client.get("/id/source/dulaty-8337", headers={"Accept": "application/marcxml+xml"}, follow_redirects=False)
    assert source.status_code == 406
    assert client.get("/id/source/dulaty-8337.marcxml").status_code == 404


def test_the_authority_dumps_hold_every_record(embedded: TestClient, release: Release) -> None:
    listing = {d["filename"]: d for d in embedded.get("/dumps/").json()["dumps"]}
    marcxml = listing["wlic2025-authorities.marcxml.gz"]
    assert marcxml["media_type"] == "application/marcxml+xml"
    served = embedded.get(marcxml["url"])
    assert served.status_code == 200
    assert served.content == (release.path / "dumps" / marcxml["filename"]).read_bytes()

