"""The query page: an editor holding the prefixes, stored queries as examples, results as a
table of named links, downloads in each format, and errors shown where the query went wrong.
"""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from pyoxigraph import NamedNode, QuerySolutions, Store

from kg.queries import load_queries, run

from ..conftest import REAL
from .sparql_results import read_results
from .test_linked import media_type
from .test_pages import Element, assert_safe_links, html

PAGE = {"Accept": "text/html"}


def editor_text(page: Element) -> str:
    return page.find_all("textarea")[0].text()


def expected(store: Store, name: str) -> list[dict[str, object]]:
    results = run(store, load_queries(REAL.queries)[name].text)
    assert isinstance(results, QuerySolutions)
    variables = [v.value for v in results.variables]
    return [{v: s[v] for v in variables} for s in results]


def test_the_editor_starts_with_every_prefix_and_lists_the_examples(client: TestClient) -> None:
    response = client.get("/query", headers=PAGE)
    assert response.status_code == 200 and media_type(response) == "text/html"
    page = html(response.text)
    text = editor_text(page)
    context = client.get("/context.jsonld").json()["@context"]
    prefixes = {k: v for k, v in context.items() if isinstance(v, str) and v.endswith(("#", "/"))}
    assert prefixes
    for name, namespace in prefixes.items():
        assert f"PREFIX {name}: <{namespace}>" in text
    examples = {parse_qs(urlsplit(a.attrs["href"]).query).get("example", [""])[0] for a in page.find_all("a")}
    assert set(load_queries(REAL.queries)) <= examples
    assert page.find_all("table") == [], "nothing is run before the reader asks"


def test_the_starting_query_runs_as_it_stands(client: TestClient) -> None:
    text = editor_text(html(client.get("/query", headers=PAGE).text))
    page = html(client.get("/query", params={"query": text}).text)
    assert len(page.find_all("tbody")[0].find_all("tr")) > 0


def test_an_example_runs_and_its_iris_link_to_their_pages_by_name(client: TestClient, store: Store) -> None:
    response = client.get("/query", params={"example": "organising-committee"})
    assert response.status_code == 200
    page = html(response.text)
    assert editor_text(page) == load_queries(REAL.queries)["organising-committee"].text
    rows = page.find_all("tbody")[0].find_all("tr")
    answers = expected(store, "organising-committee")
    assert len(rows) == len(answers) > 0
    iris = {v.value for a in answers for v in a.values() if isinstance(v, NamedNode) and v.value.startswith("https://w3id.org/lwg/id/")}
    hrefs = {a.attrs["href"] for row in rows for a in row.find_all("a")}
    assert {"/" + iri.removeprefix("https://w3id.org/lwg/") for iri in iris} <= hrefs
    for row in rows:
        for a in row.find_all("a"):
            assert not a.text().startswith("https://w3id.org/lwg/id/"), "a linked entity is shown by its name"
    assert_safe_links(page)


@pytest.mark.parametrize(
    ("extension", "media"),
    [("srj", "application/sparql-results+json"), ("srx", "application/sparql-results+xml"), ("csv", "text/csv"), ("tsv", "text/tab-separated-values")],
)
def test_the_results_download_in_each_format(client: TestClient, store: Store, extension: str, media: str) -> None:
    page = html(client.get("/query", params={"example": "organising-committee"}).text)
    links = {a.attrs["href"]: a for a in page.find_all("a") if "format=" in a.attrs["href"]}
    href = next(h for h in links if h.endswith(f"format={extension}"))
    response = client.get(href)
    assert response.status_code == 200 and media_type(response) == media
    assert response.headers["content-disposition"].startswith("attachment")
    answers = expected(store, "organising-committee")
    if extension == "csv":
        assert len(list(csv.reader(io.StringIO(response.text)))) == len(answers) + 1
    else:
        assert len(read_results(response.headers["content-type"], response.content).rows) == len(answers)  # type: ignore[union-attr]


def test_a_construct_query_downloads_as_rdf(client: TestClient) -> None:
    query = "CONSTRUCT { ?s a ?t } WHERE { ?s a ?t } LIMIT 5"
    page = html(client.get("/query", params={"query": query}).text)
    formats = {parse_qs(urlsplit(a.attrs["href"]).query)["format"][0] for a in page.find_all("a") if "format=" in a.attrs["href"]}
    assert formats == {"ttl", "nt", "jsonld", "rdf"}
    assert [th.text() for th in page.find_all("thead")[0].find_all("th")] == ["subject", "predicate", "object"]
    turtle = client.get("/query", params={"query": query, "format": "ttl"})
    assert turtle.status_code == 200 and media_type(turtle) == "text/turtle"
    assert client.get("/query", params={"query": query, "format": "csv"}).status_code == 404


def test_an_error_is_shown_where_the_query_went_wrong(client: TestClient) -> None:
    query = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\nSELECT ?s WHERE {\n  ?s skos:prefLabel \n}"
    response = client.get("/query", params={"query": query})
    assert response.status_code == 400 and media_type(response) == "text/html"
    page = html(response.text)
    assert editor_text(page) == query, "the query stays in the editor to be mended"
    alert = next(e for e in page.iter() if e.attrs.get("role") == "alert")
    message = alert.find_all("pre")[0].text()
    assert message.strip()
    position = re.search(r"\bat (\d+):(\d+)", message)
    if position:  # the embedded store says where; the line is shown with the place marked
        marked = alert.find_all("mark")
        assert marked and f"line {position.group(1)}" in alert.text()
    assert page.find_all("textarea")[0].attrs.get("aria-invalid") == "true"


def test_an_unknown_example_is_404_and_a_download_needs_a_query(client: TestClient) -> None:
    assert client.get("/query", params={"example": "no-such-query"}).status_code == 404
    assert client.get("/query", params={"format": "csv"}).status_code == 400


def test_a_browser_at_the_endpoint_gets_the_editor(client: TestClient) -> None:
    page = html(client.get("/sparql", headers=PAGE).text)
    form = next(f for f in page.find_all("form") if f.find_all("textarea"))
    assert form.attrs["action"] == "/query"
    assert "PREFIX lwg: <https://w3id.org/lwg/ontology#>" in editor_text(page)


@pytest.mark.parametrize("path", ["/", "/query", "/search?q=a", "/id/person/gulzhan-irzhanova.html", "/ontology", "/queries"])
def test_pages_load_nothing_from_elsewhere(client: TestClient, path: str) -> None:
    response = client.get(path, headers=PAGE)
    policy = response.headers["content-security-policy"]
    assert "http" not in policy and "script-src 'self'" in policy and "default-src 'none'" in policy
    page = html(response.text)
    assets = [s.attrs["src"] for s in page.find_all("script") if "src" in s.attrs]
    assets += [link.attrs["href"] for link in page.find_all("link") if link.attrs.get("rel") == "stylesheet"]
    assert assets
    for asset in assets:
        assert asset.startswith("/") and not asset.startswith("//"), asset
        served = client.get(asset)
        assert served.status_code == 200 and media_type(served) in ("text/css", "text/javascript")
    inline = [s for s in page.find_all("script") if "src" not in s.attrs and s.attrs.get("type") != "application/ld+json"]
    assert inline == [], "no inline scripts (the policy would block them)"


def test_only_the_pages_own_files_are_served_as_assets(client: TestClient) -> None:
    for name in ("../app.py", "nothing.css", "site.py", "%2e%2e%2fapp.py"):
        assert client.get(f"/assets/{name}").status_code == 404, name
