"""Entity pages as a reader checks them: names in every language, figures side by side,
identifiers, relations both ways, links to the ontology, schema.org for search engines,
and the machine-readable twins. The ground truth is the release's store.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from fastapi.testclient import TestClient
from pyoxigraph import Literal, NamedNode, Store

from .test_linked import BASE, LWG, SKOS, media_type, path_of, rows
from .test_pages import Element, html

CONGRESS = f"{BASE}id/congress/wlic-2025"
PERSON = f"{BASE}id/person/gulzhan-irzhanova"
OWL = "http://www.w3.org/2002/07/owl#"
ORG = "http://www.w3.org/ns/org#"

#: How a reader must see each kind of figure: the qualifier's wording in English.
WORDING = {"exactly": "{}", "approximately": "about {}", "nearly": "nearly {}", "moreThan": "more than {}"}


def page_of(client: TestClient, iri: str, **params: str) -> Element:
    response = client.get(f"{path_of(iri)}.html", params=params)
    assert response.status_code == 200 and media_type(response) == "text/html"
    return html(response.text)


def by_id(page: Element, ident: str) -> Element:
    return next(e for e in page.iter() if e.attrs.get("id") == ident)


def following_tables(page: Element, heading_id: str) -> list[Element]:
    """The tables between the heading with ``heading_id`` and the next h2."""
    out: list[Element] = []
    seen = False
    for element in page.iter():
        if element.tag == "h2":
            if seen:
                break
            seen = element.attrs.get("id") == heading_id
        elif seen and element.tag == "table":
            out.append(element)
    return out


def json_ld(page: Element) -> dict[str, Any]:
    scripts = [s for s in page.find_all("script") if s.attrs.get("type") == "application/ld+json"]
    assert len(scripts) == 1
    document: dict[str, Any] = json.loads(scripts[0].text())
    return document


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


# --- names ---------------------------------------------------------------------------------------


def test_the_names_table_holds_every_name_with_its_language(client: TestClient, store: Store) -> None:
    page = page_of(client, PERSON)
    table = following_tables(page, "names")[0]
    shown = {(span.attrs.get("lang"), span.text()) for span in table.iter() if "lang" in span.attrs}
    names = rows(store, f"SELECT DISTINCT ?n WHERE {{ <{PERSON}> <{SKOS}prefLabel>|<{SKOS}altLabel> ?n }}")
    expected = {(r["n"].language, r["n"].value) for r in names if isinstance(r["n"], Literal)}
    assert {"kk", "ru", "en"} <= {lang for lang, _ in expected}
    assert expected == shown
    words = table.text()
    assert "Kazakh" in words and "Russian" in words and "ALA-LC romanization" in words


# --- reported figures ------------------------------------------------------------------------------


def test_competing_figures_stand_side_by_side_worded_as_reported(client: TestClient, store: Store) -> None:
    page = page_of(client, CONGRESS)
    tables = following_tables(page, "figures")
    captions = {t.find_all("caption")[0].find_all("a")[0].attrs["href"]: t for t in tables}
    participants = captions["/ontology#Participants"]
    figures = [s for s in participants.iter() if "data-qualifier" in s.attrs]
    claims = rows(
        store,
        f"""SELECT ?figure ?q ?n ?g WHERE {{
              GRAPH ?g {{ ?figure <{LWG}figureFor> <{CONGRESS}> ; <{LWG}measure> <{LWG}Participants> }}
              VALUES ?q {{ <{LWG}exactly> <{LWG}approximately> <{LWG}nearly> <{LWG}moreThan> }}
              ?figure ?q ?n }}""",
    )
    expected = Counter((r["q"].value.split("#")[1], r["n"].value) for r in claims)
    assert len(expected) > 3 and {q for q, _ in expected} == set(WORDING), "the data holds every kind of figure"
    assert Counter((s.attrs["data-qualifier"], s.attrs["data-number"]) for s in figures) == expected
    for span in figures:
        number = f"{int(span.attrs['data-number']):,}"
        assert span.text() == WORDING[span.attrs["data-qualifier"]].format(number)
    text = participants.text()
    assert "a lower bound" in text and "approximate" in text
    sources = {a.attrs["href"] for a in participants.find_all("a") if a.attrs["href"].startswith("/id/source/")}
    assert len(sources) >= 5, "each figure names its source"


def test_figures_read_in_kazakh_and_russian(client: TestClient) -> None:
    kazakh = page_of(client, CONGRESS, lang="kk")
    russian = page_of(client, CONGRESS, lang="ru")
    assert "шамамен 1\u00a0820" in kazakh.text() and "санынан астам" in kazakh.text()
    assert "около 1\u00a0820" in russian.text() and "более 1\u00a0600" in russian.text()


# --- relations, identifiers, ontology ------------------------------------------------------------


def test_inverse_relations_show_a_universitys_delegation_and_a_persons_posts(client: TestClient, store: Store) -> None:
    university = f"{BASE}id/organisation/dulaty-university"
    delegations = rows(store, f"SELECT DISTINCT ?d WHERE {{ ?d <{LWG}sentBy> <{university}> }}")
    assert delegations
    links = {a.attrs["href"] for a in page_of(client, university).find_all("a")}
    assert {path_of(r["d"].value) for r in delegations} <= links
    posts = rows(store, f"SELECT DISTINCT ?post WHERE {{ ?post <{ORG}member> <{PERSON}> }}")
    assert len(posts) >= 2
    links = {a.attrs["href"] for a in page_of(client, PERSON).find_all("a")}
    assert {path_of(r["post"].value) for r in posts} <= links


def test_outside_identifiers_are_links(client: TestClient, store: Store) -> None:
    found = rows(store, f"SELECT DISTINCT ?e ?same WHERE {{ ?e <{OWL}sameAs>|<{SKOS}exactMatch> ?same FILTER(STRSTARTS(STR(?e), '{BASE}id/')) }}")
    assert found
    for row in found:
        page = page_of(client, row["e"].value)
        identifiers = by_id(page, "identifiers")
        assert identifiers is not None
        assert row["same"].value in {a.attrs["href"] for a in page.find_all("a")}, row["e"]


def test_every_term_of_the_ontology_on_a_page_links_to_its_documentation(client: TestClient) -> None:
    ontology = html(client.get("/ontology", headers={"Accept": "text/html"}).text)
    anchors = {e.attrs["id"] for e in ontology.iter() if "id" in e.attrs}
    for iri in (PERSON, CONGRESS):
        page = page_of(client, iri)
        terms = [a.attrs["href"] for a in page.find_all("a") if a.attrs["href"].startswith("/ontology#")]
        assert len(terms) > 3
        assert {t.split("#")[1] for t in terms} <= anchors


# --- for machines --------------------------------------------------------------------------------


def test_the_page_embeds_schema_org_json_ld(client: TestClient, store: Store) -> None:
    person = json_ld(page_of(client, PERSON))
    assert person["@context"] == "https://schema.org/" and person["@id"] == PERSON
    assert "Person" in as_list(person["@type"])
    kk = rows(store, f'SELECT ?n WHERE {{ <{PERSON}> <{SKOS}prefLabel> ?n FILTER(LANG(?n) = "kk") }}')[0]["n"].value
    assert {"@value": kk, "@language": "kk"} in as_list(person["name"])
    assert "familyName" in person and "givenName" in person

    congress = json_ld(page_of(client, CONGRESS))
    assert "Event" in as_list(congress["@type"])
    dates = rows(store, f"SELECT ?d WHERE {{ <{CONGRESS}> <https://schema.org/startDate> ?d }}")
    assert {r["d"].value for r in dates} <= set(as_list(congress["startDate"]))
    same = rows(store, f"SELECT ?s WHERE {{ <{CONGRESS}> <{OWL}sameAs>|<{SKOS}exactMatch> ?s }}")
    assert {r["s"].value for r in same} <= set(as_list(congress.get("sameAs", [])))


def test_the_page_links_its_machine_readable_twins(client: TestClient) -> None:
    page = page_of(client, PERSON)
    twins = [link for link in page.find_all("link") if link.attrs.get("rel") == "alternate" and "type" in link.attrs]
    assert len(twins) >= 6
    for link in twins:
        response = client.get(link.attrs["href"])
        assert response.status_code == 200, link.attrs
        assert media_type(response) == link.attrs["type"]
    assert any(NamedNode(PERSON).value in a.text() for a in page.find_all("code"))
