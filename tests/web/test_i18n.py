"""The pages' language: chosen in the URL, else by Accept-Language, else English; kept on links."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from pyoxigraph import Store

from kg.web.i18n import MESSAGES

from .test_linked import BASE, SKOS, path_of, rows
from .test_pages import html

PERSON = f"{BASE}id/person/gulzhan-irzhanova"
PAGES = ["/", "/search?q=Irzhanova", "/query", "/queries", "/ontology", "/dumps/", f"{path_of(PERSON)}.html"]


def name_in(store: Store, iri: str, language: str) -> str:
    found = rows(store, f'SELECT ?n WHERE {{ <{iri}> <{SKOS}prefLabel> ?n FILTER(LANG(?n) = "{language}") }}')
    return str(found[0]["n"].value)


def test_every_message_is_written_in_the_three_languages() -> None:
    for key, texts in MESSAGES.items():
        assert len(texts) == 3 and all(t.strip() for t in texts), key
        assert len({t.count("{") for t in texts}) == 1, f"{key}: the translations take different values"


@pytest.mark.parametrize(
    ("header", "language"),
    [(None, "en"), ("kk-KZ,kk;q=0.9,ru;q=0.8", "kk"), ("ru-RU,ru;q=0.9,en;q=0.5", "ru"), ("fr-FR,de;q=0.9", "en"), ("en;q=0.2,ru;q=0.7", "ru")],
)
def test_accept_language_chooses_the_language(client: TestClient, store: Store, header: str | None, language: str) -> None:
    headers = {"Accept-Language": header} if header else {}
    response = client.get(f"{path_of(PERSON)}.html", headers=headers)
    assert response.headers["content-language"] == language
    assert "Accept-Language" in response.headers["vary"]
    page = html(response.text)
    assert page.find_all("html")[0].attrs["lang"] == language
    title = page.find_all("h1")[0]
    assert (title.attrs["lang"], title.text()) == (language, name_in(store, PERSON, language))


def test_the_url_wins_over_the_header_and_links_keep_it(client: TestClient, store: Store) -> None:
    response = client.get(f"{path_of(PERSON)}.html", params={"lang": "kk"}, headers={"Accept-Language": "ru"})
    assert response.headers["content-language"] == "kk"
    page = html(response.text)
    assert page.find_all("h1")[0].text() == name_in(store, PERSON, "kk")
    assert MESSAGES["names"][1] in page.text()
    tables = [a for t in page.find_all("table") for a in t.find_all("a")]
    local = [a.attrs["href"] for a in tables if a.attrs["href"].startswith(("/id/", "/graph/", "/ontology"))]
    assert local and all("lang=kk" in href for href in local)
    search = next(f for f in page.find_all("form") if f.attrs.get("role") == "search")
    assert {(i.attrs.get("name"), i.attrs.get("value")) for i in search.find_all("input")} >= {("lang", "kk")}


def test_an_entity_iri_keeps_the_language_through_its_redirect(client: TestClient) -> None:
    response = client.get(path_of(PERSON), params={"lang": "ru"}, headers={"Accept": "text/html"}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"{path_of(PERSON)}.html?lang=ru"


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_the_switch_keeping_its_other_parameters(client: TestClient, path: str) -> None:
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200
    page = html(response.text)
    switch = next(n for n in page.find_all("nav") if n.attrs.get("aria-label") == MESSAGES["language"][0])
    links = {a.attrs["hreflang"]: a.attrs["href"] for a in switch.find_all("a")}
    assert set(links) == {"kk", "ru", "en"}
    for code, href in links.items():
        assert href.endswith(f"lang={code}")
        if "?q=" in path:
            assert "q=Irzhanova" in href
        switched = client.get(href, headers={"Accept": "text/html"})
        assert switched.status_code == 200 and switched.headers["content-language"] == code
        assert html(switched.text).find_all("html")[0].attrs["lang"] == code
