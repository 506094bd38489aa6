"""The pages people read and the small APIs around them, checked as their users would:
entity pages (names in their languages, links named after their targets, markup
escaped), the landing page, health, and the stored queries as an API.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pyoxigraph import Literal, NamedNode, Quad, QuerySolutions, QueryTriples, RdfFormat, Store, parse

from kg.backends import EmbeddedBackend
from kg.queries import load_queries, parse_stored, run
from kg.release import Release
from kg.service import Service
from kg.web.app import create_app

from ..conftest import REAL
from .sparql_results import Table, read_results
from .test_linked import BASE, BROWSER, DCTERMS, LABELS, RDFS, SKOS, entity_iris, media_type, parse_body, path_of, rows

ONTOLOGY = f"{BASE}ontology"
OWL = "http://www.w3.org/2002/07/owl#"
VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


# --- reading HTML -------------------------------------------------------------------------------


@dataclasses.dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    parent: Element | None = None
    children: list[Element | str] = dataclasses.field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self) -> Iterator[Element]:
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def find_all(self, tag: str) -> list[Element]:
        return [e for e in self.iter() if e.tag == tag]


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(element)
        if tag not in VOID_ELEMENTS:
            self.current = element

    def handle_endtag(self, tag: str) -> None:
        node: Element | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def html(text: str) -> Element:
    builder = _Builder()
    builder.feed(text)
    builder.close()
    return builder.root


def iri_of(href: str) -> str | None:
    """The IRI a link on a page stands for: local paths are the dataset's IRIs."""
    if href.startswith("/"):
        return BASE + href[1:].removeprefix("lwg/")
    if href.startswith(("http://", "https://")):
        return href
    return None


def assert_safe_links(page: Element) -> None:
    for a in page.find_all("a"):
        href = a.attrs.get("href", "")
        assert href.startswith(("/", "#", "http://", "https://")), f"an unsafe link: {href!r}"
        assert not href.startswith("//"), f"a link to another host: {href!r}"


# --- entity pages ---------------------------------------------------------------------------------


def names_in(quads: list[Quad]) -> dict[str, dict[str, str]]:
    """Every label the document gives each IRI: iri -> {language: text}."""
    found: dict[str, dict[str, str]] = {}
    for q in quads:
        if q.predicate.value in LABELS and isinstance(q.object, Literal) and isinstance(q.subject, NamedNode):
            found.setdefault(q.subject.value, {})[q.object.language or ""] = q.object.value
    return found


def test_every_entity_page_names_and_links_things_by_their_names(client: TestClient, store: Store) -> None:
    for iri in entity_iris(store):
        response = client.get(f"{path_of(iri)}.html")
        assert response.status_code == 200, iri
        assert media_type(response) == "text/html"
        assert "default-src" in response.headers["content-security-policy"]
        page = html(response.text)
        quads = parse_body(client.get(f"{path_of(iri)}.ttl").content, RdfFormat.TURTLE)
        names = names_in(quads)
        assert page.find_all("html")[0].attrs.get("lang") == "en"

        title = page.find_all("h1")[0]
        assert iri in names, f"{iri} has no name"
        assert title.attrs.get("lang") in names[iri], iri
        assert title.text() == names[iri][title.attrs["lang"]]

        shown = {(e.attrs.get("lang"), e.text()) for e in page.iter() if "lang" in e.attrs}
        for q in quads:
            if q.subject == NamedNode(iri) and isinstance(q.object, Literal) and q.object.language:
                assert (q.object.language, q.object.value) in shown, (iri, q.object)

        assert_safe_links(page)
        linked = {}
        for a in page.find_all("a"):
            target = iri_of(a.attrs["href"])
            if target is not None and target in names:
                assert a.attrs.get("lang") in names[target], (iri, target, a.text())
                assert a.text() == names[target][a.attrs["lang"]], (iri, target, a.text())
                linked[target] = a.text()
            assert not a.text().startswith(("http://", "https://")) or target not in names, (iri, a.text())
        for q in quads:
            if q.subject == NamedNode(iri) and isinstance(q.object, NamedNode) and q.object.value in names:
                assert q.object.value in linked, (iri, "no link to", q.object.value)
            if q.object == NamedNode(iri) and isinstance(q.subject, NamedNode) and q.subject.value in names:
                assert q.subject.value in linked, (iri, "no link from", q.subject.value)


def test_an_entity_page_names_the_source_of_each_statement(client: TestClient) -> None:
    iri = f"{BASE}id/person/gulzhan-irzhanova"
    page = html(client.get(f"{path_of(iri)}.html").text)
    texts = {a.text() for a in page.find_all("a")}
    quads = parse_body(client.get(f"{path_of(iri)}.trig").content, RdfFormat.TRIG)
    names = names_in(quads)
    graphs = {q.graph_name.value for q in quads if isinstance(q.graph_name, NamedNode) and NamedNode(iri) in (q.subject, q.object)}
    assert len(graphs) > 1
    for graph in graphs:
        assert names[graph]["en"] in texts, graph


HOSTILE = "<script>alert('x')</script>"


@pytest.fixture
def hostile_client(tmp_path: Path) -> Iterator[TestClient]:
    """The app over a tiny store whose literals carry markup and whose links are not web links."""
    evil, other = NamedNode(f"{BASE}id/person/evil"), NamedNode(f"{BASE}id/person/other")
    graph = NamedNode(f"{BASE}graph/test")
    label, note = NamedNode(f"{SKOS}prefLabel"), NamedNode(f"{SKOS}note")
    link, url = NamedNode(f"{BASE}ontology#knows"), NamedNode("https://schema.org/url")
    store = Store(str(tmp_path / "store"))
    store.extend(
        [
            Quad(evil, label, Literal(HOSTILE, language="en"), graph),
            Quad(evil, note, Literal('a & b < c > d " e', language="en"), graph),
            Quad(evil, url, NamedNode("javascript:alert(1)"), graph),
            Quad(evil, url, NamedNode("mailto:someone@example.org"), graph),
            Quad(evil, link, other, graph),
            Quad(other, label, Literal("<b>Other</b>", language="en"), graph),
            Quad(graph, label, Literal("<i>the test graph</i>", language="en"), graph),
        ]
    )
    store.flush()
    del store
    service = Service(backend=EmbeddedBackend(tmp_path / "store"), base=BASE, manifest={"id": "test"})
    with TestClient(create_app(service)) as test_client:
        yield test_client


def test_literals_with_markup_are_escaped_and_only_web_iris_become_links(hostile_client: TestClient) -> None:
    response = hostile_client.get("/id/person/evil.html")
    assert response.status_code == 200
    assert HOSTILE not in response.text and "<b>" not in response.text and "<i>" not in response.text
    assert "&lt;script&gt;" in response.text
    page = html(response.text)
    assert not page.find_all("b") and not page.find_all("i")
    for script in page.find_all("script"):  # only the page's own: its script file and its JSON-LD
        assert script.attrs.get("src", "").startswith("/assets/") or script.attrs.get("type") == "application/ld+json"
        assert "alert" not in script.text() or script.attrs.get("type") == "application/ld+json"
    assert page.find_all("h1")[0].text() == HOSTILE
    assert 'a & b < c > d " e' in page.text()
    assert_safe_links(page)
    hrefs = {a.attrs["href"] for a in page.find_all("a")}
    assert not any("javascript" in h or "mailto" in h for h in hrefs)
    assert "javascript:alert(1)" in page.text() and "mailto:someone@example.org" in page.text()
    assert {a.text() for a in page.find_all("a") if a.attrs["href"] == "/id/person/other"} == {"<b>Other</b>"}


# --- the ontology's documentation -----------------------------------------------------------------------


def test_the_json_ld_cannot_close_its_script_element(hostile_client: TestClient) -> None:
    response = hostile_client.get("/id/person/evil.html")
    script = response.text.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in script
    assert json.loads(script)["@id"].endswith("/id/person/evil")


def test_the_ontology_page_documents_the_ontology(client: TestClient, store: Store) -> None:
    response = client.get("/ontology", headers={"Accept": BROWSER})
    assert response.status_code == 200 and media_type(response) == "text/html"
    assert "content-security-policy" in response.headers
    page = html(response.text)
    assert_safe_links(page)
    ontology = list(parse(path=str(REAL.ontology_file), format=RdfFormat.TURTLE))
    header = [q for q in ontology if q.subject == NamedNode(ONTOLOGY)]

    def values(subject: str, predicate: str) -> list[Any]:
        return [q.object for q in ontology if q.subject == NamedNode(subject) and q.predicate.value == predicate]

    shown = {(e.attrs.get("lang"), e.text().strip()) for e in page.iter() if "lang" in e.attrs}
    titles = values(ONTOLOGY, f"{DCTERMS}title")
    assert {t.language for t in titles} == {"en", "kk", "ru"}
    assert {(t.language, t.value) for t in titles} <= shown
    h1 = page.find_all("h1")[0]
    assert (h1.attrs.get("lang"), h1.text()) == ("en", next(t.value for t in titles if t.language == "en"))
    text = page.text()
    for version in values(ONTOLOGY, f"{OWL}versionInfo"):
        assert version.value in text
    anchors = {a.attrs["href"]: a.text() for a in page.find_all("a")}
    for licence in values(ONTOLOGY, f"{DCTERMS}license"):
        assert licence.value in anchors
    for creator in values(ONTOLOGY, f"{DCTERMS}creator"):
        name = rows(store, f'SELECT ?n WHERE {{ <{creator.value}> <{SKOS}prefLabel> ?n FILTER(LANG(?n) = "en") }}')[0]["n"]
        assert anchors.get(path_of(creator.value)) == name.value, "the creator is linked by name"
    assert header

    toc = next(n for n in page.find_all("nav") if n.attrs.get("aria-label") == "Contents")
    toc_links = {a.attrs["href"] for a in toc.find_all("a")}
    sections = {e.attrs["id"]: e for e in page.iter() if e.tag == "section"}
    terms = {q.subject.value for q in ontology if isinstance(q.subject, NamedNode) and q.subject.value.startswith(f"{ONTOLOGY}#")}
    for term in terms:
        local = term.split("#", 1)[1]
        assert f"#{local}" in toc_links, f"the contents do not list {term}"
        section = sections[local]
        section_shown = {(e.attrs.get("lang"), e.text().strip()) for e in section.iter() if "lang" in e.attrs}
        labels = {(v.language, v.value) for v in values(term, f"{RDFS}label") + values(term, f"{SKOS}prefLabel")}
        assert {lang for lang, _ in labels} >= {"en", "kk", "ru"}, term
        assert labels <= section_shown, term
        definitions = {(v.language, v.value) for v in values(term, f"{SKOS}definition")}
        assert definitions and definitions <= section_shown, term
        section_links = {iri_of(a.attrs["href"]) for a in section.find_all("a")}
        for predicate in (f"{RDFS}subClassOf", f"{RDFS}subPropertyOf", f"{RDFS}domain", f"{RDFS}range", f"{OWL}inverseOf"):
            for target in values(term, predicate):
                assert target.value in section_links, (term, predicate, target.value)
                if target.value.startswith(f"{ONTOLOGY}#"):
                    link = next(a for a in section.find_all("a") if iri_of(a.attrs["href"]) == target.value)
                    assert link.text() == next(v.value for v in values(target.value, f"{RDFS}label") if v.language == "en")


# --- the landing page and health ---------------------------------------------------------------------------


def test_the_landing_page_links_the_ways_in(client: TestClient, release: Release) -> None:
    response = client.get("/", headers={"Accept": BROWSER})
    assert response.status_code == 200
    assert media_type(response) == "text/html"
    assert "content-security-policy" in response.headers
    page = html(response.text)
    hrefs = {a.attrs["href"] for a in page.find_all("a")}
    manifest = json.loads((release.path / "release.json").read_text())
    assert {"/sparql", "/dumps/", "/ontology", "/void", "/queries", "/dumps/SHA256SUMS"} <= hrefs
    assert {f"/dumps/{d['filename']}" for d in manifest["dumps"]} <= hrefs
    assert {f"/queries/{name}" for name in load_queries(REAL.queries)} <= hrefs
    assert manifest["id"] in page.text()
    assert_safe_links(page)


def test_the_landing_page_gives_the_numbers_downloads_and_how_to_link(client: TestClient, release: Release, store: Store) -> None:
    page = html(client.get("/", headers={"Accept": BROWSER}).text)
    manifest = json.loads((release.path / "release.json").read_text())
    counts = {dd.attrs["data-count"]: dd.text() for dd in page.find_all("dd") if "data-count" in dd.attrs}
    assert counts == {"triples": f"{manifest['triples']:,}", "sources": str(manifest["sources"])}
    assert manifest["modified"] in {t.attrs.get("datetime") for t in page.find_all("time")}
    kinds = {td.attrs["data-class"]: int(td.text()) for td in page.find_all("td") if "data-class" in td.attrs}
    for cls in (f"{BASE}ontology#Person", f"{BASE}ontology#Congress", f"{BASE}ontology#Source"):
        found = rows(store, f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ ?e a <{cls}> }}")[0]["n"]
        assert kinds[cls] == int(found.value), cls
    dumps = {tr.find_all("a")[0].text(): tr for tr in page.find_all("tr") if tr.find_all("a") and tr.find_all("code")}
    for dump in manifest["dumps"]:
        row = dumps[dump["filename"]]
        assert row.find_all("code")[0].text() == dump["sha256"]
        assert int(next(td.attrs["data-bytes"] for td in row.find_all("td") if "data-bytes" in td.attrs)) == dump["size"]
        served = client.get(f"/dumps/{dump['filename']}")
        assert len(served.content) == dump["size"]
    editor_links = {a.attrs["href"] for a in page.find_all("a")}
    assert {f"/query?example={name}" for name in load_queries(REAL.queries)} <= editor_links
    scripts = [s for s in page.find_all("script") if s.attrs.get("type") == "application/ld+json"]
    dataset = json.loads(scripts[0].text())
    assert dataset["@type"] == "Dataset" and dataset["@id"] == manifest["dataset"]
    assert {d["contentUrl"].rsplit("/", 1)[1] for d in dataset["distribution"]} == {d["filename"] for d in manifest["dumps"]}
    assert any(n["@language"] == "kk" for n in dataset["name"])
    catalogue = page.text().split(next(h.text() for h in page.find_all("h2") if h.attrs.get("id") == "catalogue"), 1)[1]
    assert "$1" in catalogue and f"{BASE}id/congress/wlic-2025" in catalogue


def test_health_reports_the_release_and_its_triples(client: TestClient, release: Release) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert media_type(response) == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert body["release"] == release.id
    assert body["triples"] == release.triples
    head = client.head("/health")
    assert head.status_code == 200 and head.content == b""


# --- stored queries -------------------------------------------------------------------------------------

#: A value for each parameter the stored queries take, that finds something.
EXAMPLES = {
    "congress": f"{BASE}id/congress/wlic-2025",
    "delegation": f"{BASE}id/delegation/dulaty-university-wlic-2025",
    "measure": "https://w3id.org/lwg/ontology#Countries",
    "text": "irzhanova",
    "person": f"{BASE}id/person/gulzhan-irzhanova",
    "entity": f"{BASE}id/person/gulzhan-irzhanova",
    "organisation": f"{BASE}id/organisation/dulaty-university",
}
RESULTS = ("application/sparql-results+json", "application/sparql-results+xml", "text/csv", "text/tab-separated-values")


def expected_rows(store: Store, name: str, values: dict[str, str]) -> int:
    query = load_queries(REAL.queries)[name]
    results = run(store, query.text, query.bindings(values))
    assert isinstance(results, QuerySolutions)
    return len(list(results))


def table(response: Any) -> Table:
    result = read_results(response.headers["content-type"], response.content)
    assert isinstance(result, Table)
    return result


def test_every_stored_query_is_listed(client: TestClient) -> None:
    stored = load_queries(REAL.queries)
    assert len(stored) == len(list(REAL.queries.glob("*.rq")))
    response = client.get("/queries")
    assert response.status_code == 200
    assert media_type(response) == "application/json"
    listed = {q["name"]: q for q in response.json()["queries"]}
    assert set(listed) == set(stored)
    for name, query in stored.items():
        entry = listed[name]
        assert entry["title"] == query.title and entry["title"]
        assert entry["description"] == query.description and entry["description"]
        assert [p["name"] for p in entry["parameters"]] == [p.name for p in query.parameters]
        assert all(p["kind"] and p["description"] for p in entry["parameters"])
        assert entry["url"] == f"/queries/{name}"
    page = client.get("/queries", headers={"Accept": BROWSER})
    assert page.status_code == 200 and media_type(page) == "text/html"
    hrefs = {a.attrs["href"] for a in html(page.text).find_all("a")}
    assert {f"/queries/{name}" for name in stored} <= hrefs


@pytest.mark.parametrize("name", sorted(load_queries(REAL.queries)))
def test_every_stored_query_runs_in_every_results_format(client: TestClient, store: Store, name: str) -> None:
    """Each stored query answers in each results format, with as many rows as the release's own store gives."""
    query = load_queries(REAL.queries)[name]
    values = {p.name: EXAMPLES[p.name] for p in query.parameters}
    count = expected_rows(store, name, values)
    tables = []
    for accept in RESULTS:
        response = client.get(f"/queries/{name}", params=values, headers={"Accept": accept})
        assert response.status_code == 200, (name, accept, response.text)
        assert media_type(response) == accept
        assert "Accept" in response.headers["vary"]
        tables.append(table(response))
    assert len(tables[0].rows) == count, name
    assert all(t.sorted_rows() == tables[0].sorted_rows() for t in tables), name
    assert client.get(f"/queries/{name}", params=values).headers["content-type"].startswith(RESULTS[0]), "*/* gets JSON"


@pytest.mark.parametrize(("extension", "media"), [("srj", RESULTS[0]), ("srx", RESULTS[1]), ("csv", RESULTS[2]), ("tsv", RESULTS[3]), ("html", "text/html")])
def test_a_stored_query_takes_its_format_from_an_extension(client: TestClient, extension: str, media: str) -> None:
    response = client.get(f"/queries/find-by-name.{extension}", params={"text": "irzhanova"}, headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert media_type(response) == media


def test_a_browser_gets_the_results_as_a_table(client: TestClient, store: Store) -> None:
    values = {"text": "irzhanova"}
    response = client.get("/queries/find-by-name", params=values, headers={"Accept": BROWSER})
    assert response.status_code == 200
    assert media_type(response) == "text/html"
    assert "content-security-policy" in response.headers
    page = html(response.text)
    assert [th.text() for th in page.find_all("thead")[0].find_all("th")] == ["text", "entity", "entityLabel", "label", "language"]
    body_rows = page.find_all("tbody")[0].find_all("tr")
    assert len(body_rows) == expected_rows(store, "find-by-name", values) > 0
    hrefs = {a.attrs["href"] for row in body_rows for a in row.find_all("a")}
    assert "/id/person/gulzhan-irzhanova" in hrefs
    person_links = [a for a in page.find_all("a") if a.attrs["href"] == "/id/person/gulzhan-irzhanova"]
    assert {a.text() for a in person_links} == {"Gulzhan Irzhanova"}, "links carry the target's name"
    assert_safe_links(page)


@pytest.mark.parametrize(
    "hostile",
    [
        'irzhanova") } UNION { ?entity ?p ?label } #',
        "irzhanova' . ?entity ?p ?label . #",
        '"; DROP ALL; #',
        "<script>alert(1)</script>",
        "}}}}",
        "\\u0022",
    ],
)
def test_a_parameter_is_bound_not_pasted(client: TestClient, hostile: str) -> None:
    response = client.get("/queries/find-by-name", params={"text": hostile}, headers={"Accept": RESULTS[0]})
    assert response.status_code == 200, response.text
    assert table(response).rows == ()
    page = client.get("/queries/find-by-name", params={"text": hostile}, headers={"Accept": BROWSER})
    assert page.status_code == 200 and "<script>alert" not in page.text


def test_an_iri_parameter_must_be_an_iri(client: TestClient) -> None:
    bad = client.get("/queries/names", params={"entity": BASE + "id/x> } UNION { ?entity ?p ?o"})
    assert bad.status_code == 400
    elsewhere = client.get("/queries/names", params={"entity": "https://example.org/a?b=c#d"}, headers={"Accept": RESULTS[0]})
    assert elsewhere.status_code == 200 and table(elsewhere).rows == ()


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        ("/queries/find-by-name", {"txt": "irzhanova"}, 400),
        ("/queries/find-by-name", {"text": "a", "extra": "b"}, 400),
        ("/queries/names", {"entity": "not an iri"}, 400),
        ("/queries/no-such-query", {}, 404),
        ("/queries/find-by-name.xyz", {"text": "a"}, 404),
        ("/queries/find-by-name.ttl", {"text": "a"}, 404),
    ],
)
def test_stored_query_errors(client: TestClient, path: str, params: dict[str, str], status: int) -> None:
    response = client.get(path, params=params, headers={"Accept": "application/json"})
    assert response.status_code == status, response.text
    assert response.json()["status"] == status and response.json()["message"]


def test_a_repeated_parameter_is_400(client: TestClient) -> None:
    response = client.get("/queries/find-by-name?text=a&text=b")
    assert response.status_code == 400


def test_no_acceptable_format_is_406(client: TestClient) -> None:
    response = client.get("/queries/find-by-name", params={"text": "a"}, headers={"Accept": "image/png"})
    assert response.status_code == 406


CONSTRUCT = """# The names of people, as a graph
# Every person's preferred names.
#
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX lwg: <https://w3id.org/lwg/ontology#>
CONSTRUCT { ?person skos:prefLabel ?name } WHERE { ?person a lwg:Person ; skos:prefLabel ?name }
"""

ASK = """# Is there a {kind}?
# Whether the graph has any {kind} at all.
#
PREFIX lwg: <https://w3id.org/lwg/ontology#>
ASK {{ ?thing a lwg:{cls} }}
"""


@pytest.fixture
def more_queries_client(service: Service) -> Iterator[TestClient]:
    """The app with two more stored queries: a CONSTRUCT and an ASK."""
    queries = {
        **service.queries,
        "people-names": parse_stored("people-names", CONSTRUCT),
        "any-person": parse_stored("any-person", ASK.format(kind="person", cls="Person")),
        "any-unicorn": parse_stored("any-unicorn", ASK.format(kind="unicorn", cls="Unicorn")),
    }
    with TestClient(create_app(dataclasses.replace(service, queries=queries))) as test_client:
        yield test_client


@pytest.mark.parametrize(
    ("accept", "media", "fmt"),
    [
        ("text/turtle", "text/turtle", RdfFormat.TURTLE),
        ("application/n-triples", "application/n-triples", RdfFormat.N_TRIPLES),
        ("application/ld+json", "application/ld+json", RdfFormat.JSON_LD),
        ("application/rdf+xml", "application/rdf+xml", RdfFormat.RDF_XML),
        ("*/*", "text/turtle", RdfFormat.TURTLE),
    ],
)
def test_a_construct_query_answers_in_rdf(more_queries_client: TestClient, store: Store, accept: str, media: str, fmt: RdfFormat) -> None:
    response = more_queries_client.get("/queries/people-names", headers={"Accept": accept})
    assert response.status_code == 200
    assert media_type(response) == media
    triples = {(q.subject, q.predicate, q.object) for q in parse(response.content, format=fmt)}
    expected = run(store, CONSTRUCT)
    assert isinstance(expected, QueryTriples)
    assert triples == {(t.subject, t.predicate, t.object) for t in expected}
    assert triples


def test_a_construct_query_answers_a_browser_with_a_table_and_refuses_results_formats(more_queries_client: TestClient) -> None:
    page = more_queries_client.get("/queries/people-names", headers={"Accept": BROWSER})
    assert page.status_code == 200 and media_type(page) == "text/html"
    assert [th.text() for th in html(page.text).find_all("th")] == ["subject", "predicate", "object"]
    assert more_queries_client.get("/queries/people-names", headers={"Accept": RESULTS[0]}).status_code == 406
    assert more_queries_client.get("/queries/people-names.csv").status_code == 404
    assert more_queries_client.get("/queries/people-names.ttl").status_code == 200


def test_an_ask_query_answers_a_boolean(more_queries_client: TestClient) -> None:
    for name, expected in (("any-person", True), ("any-unicorn", False)):
        for accept in RESULTS:
            response = more_queries_client.get(f"/queries/{name}", headers={"Accept": accept})
            assert response.status_code == 200, (name, accept)
            assert media_type(response) == accept
            assert read_results(response.headers["content-type"], response.content) is expected, (name, accept)
        page = more_queries_client.get(f"/queries/{name}", headers={"Accept": BROWSER})
        assert page.status_code == 200 and media_type(page) == "text/html"
