"""The search page and the search box: any name form finds the entity, without scripts."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from pyoxigraph import Store

from .test_i18n import PAGES
from .test_linked import BASE, SKOS, media_type, path_of, rows
from .test_pages import html

PERSON = f"{BASE}id/person/gulzhan-irzhanova"


def results(client: TestClient, **params: str) -> list[str]:
    response = client.get("/search", params=params)
    assert response.status_code == 200 and media_type(response) == "text/html"
    lists = [e for e in html(response.text).find_all("ol") if "search-results" in e.attrs.get("class", "")]
    return [li.find_all("a")[0].attrs["href"] for li in lists[0].find_all("li")] if lists else []


def test_every_name_of_a_person_finds_them(client: TestClient, store: Store) -> None:
    names = rows(store, f"SELECT DISTINCT ?n WHERE {{ <{PERSON}> <{SKOS}prefLabel>|<{SKOS}altLabel> ?n }}")
    assert len(names) >= 4
    for row in names:
        found = results(client, q=row["n"].value)
        assert found and found[0] == path_of(PERSON), row["n"]


@pytest.mark.parametrize("text", ["Иржанова", "иржанова г.", "Irzhanova", "Гульжан Иржанова"])
def test_a_family_name_in_any_script_finds_the_person(client: TestClient, text: str) -> None:
    assert path_of(PERSON) in results(client, q=text)


def test_organisations_are_found_by_their_names(client: TestClient, store: Store) -> None:
    university = f"{BASE}id/organisation/dulaty-university"
    for row in rows(store, f"SELECT DISTINCT ?n WHERE {{ <{university}> <{SKOS}prefLabel> ?n }}"):
        assert path_of(university) in results(client, q=row["n"].value), row["n"]


def test_nothing_found_says_so_and_an_empty_query_shows_the_form(client: TestClient) -> None:
    response = client.get("/search", params={"q": "zzqxv"})
    assert response.status_code == 200 and "Nothing found" in response.text
    assert results(client, q="zzqxv") == []
    empty = client.get("/search")
    assert empty.status_code == 200 and results(client) == []


def test_results_link_in_the_chosen_language(client: TestClient, store: Store) -> None:
    response = client.get("/search", params={"q": "Irzhanova", "lang": "kk"})
    page = html(response.text)
    link = next(a for a in page.find_all("a") if a.attrs["href"].startswith(path_of(PERSON)))
    assert link.attrs["href"] == f"{path_of(PERSON)}?lang=kk"
    kk = rows(store, f'SELECT ?n WHERE {{ <{PERSON}> <{SKOS}prefLabel> ?n FILTER(LANG(?n) = "kk") }}')[0]["n"].value
    assert (link.attrs.get("lang"), link.text()) == ("kk", kk)


def test_a_typed_search_keeps_to_the_type(client: TestClient) -> None:
    assert results(client, q="Dulaty", type="lwg:Person") == []
    assert results(client, q="Dulaty", type="lwg:University")


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_a_search_box_that_works_without_scripts(client: TestClient, path: str) -> None:
    page = html(client.get(path, headers={"Accept": "text/html"}).text)
    forms = [f for f in page.find_all("form") if f.attrs.get("role") == "search"]
    assert len(forms) == 1
    form = forms[0]
    assert form.attrs["action"] == "/search" and form.attrs.get("method", "get").lower() == "get"
    box = next(i for i in form.find_all("input") if i.attrs.get("name") == "q")
    labels = [label for label in page.find_all("label") if label.attrs.get("for") == box.attrs["id"]]
    assert labels and labels[0].text().strip()
    assert form.attrs["data-autocomplete"] == "/autocomplete"
