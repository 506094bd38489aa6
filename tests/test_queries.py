"""The stored queries (``queries/*.rq``): each loads, runs, and gives the answer the sources give.

Expected answers come from ``shared/sources/facts.md`` (fact numbers in the comments).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, QuerySolutions, Store

from kg.errors import QueryError
from kg.queries import StoredQuery, load_queries, run
from kg.release import Release

from .conftest import REAL, run_kg

ID = "https://w3id.org/lwg/id/"
GRAPH = "https://w3id.org/lwg/graph/"
LWG = "https://w3id.org/lwg/ontology#"
WLIC_2025 = f"{ID}congress/wlic-2025"
WLIC_2023 = f"{ID}congress/wlic-2023"
IRZHANOVA = f"{ID}person/gulzhan-irzhanova"
DULATY = f"{ID}organisation/dulaty-university"
ASSOCIATION = f"{ID}organisation/association-university-libraries-kz"
KAZAKH_TOURISM = f"{ID}organisation/kazakh-tourism"
NLV_URL = (
    "https://nlv.gov.vn/ef/89th-world-library-and-information-congress-wlic-2025-of-the-international-"
    "federation-of-library-associations-and-institutions-ifla.html"
)

REQUIRED = (
    "organising-committee",
    "delegation-members",
    "organisers",
    "attendance-claims",
    "topics",
    "previous-congress",
    "congress-dates",
    "programme-figures",
    "sources",
    "names",
    "people-and-posts",
    "firsts",
    "organisation-names",
    "themes",
    "bid-and-organisers",
    "find-by-name",
)

#: A value of each parameter kind that every query must accept.
SAMPLE = {"iri": WLIC_2025, "string": "astana", "integer": "1"}

QUERIES = load_queries(REAL.queries)

Row = dict[str, NamedNode | Literal]


def select(store: Store, name: str, **params: str) -> list[Row]:
    """The rows of a stored SELECT query, parameters bound as substitutions."""
    query = QUERIES[name]
    results = run(store, query.text, query.bindings(params))
    assert isinstance(results, QuerySolutions), f"{name} is not a SELECT query"
    names = [v.value for v in results.variables]
    return [{n: s[n] for n in names if s[n] is not None} for s in results]


def v(row: Row, key: str) -> str | None:
    """The lexical value (IRI or literal text) of a cell, None when unbound."""
    term = row.get(key)
    return None if term is None else term.value


def s(row: Row, key: str) -> str:
    """The lexical value of a cell that must be bound."""
    value = v(row, key)
    assert value is not None, f"{key} is unbound in {row}"
    return value


def lang(row: Row, key: str) -> str | None:
    term = row.get(key)
    return term.language if isinstance(term, Literal) else None


def column(rows: list[Row], key: str) -> list[str | None]:
    return [v(r, key) for r in rows]


# --------------------------------------------------------------------------------------
# Every query file


def test_every_required_query_exists() -> None:
    missing = sorted(set(REQUIRED) - set(QUERIES))
    assert not missing, f"missing stored queries: {missing}"
    assert len(QUERIES) >= 14


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_query_has_title_and_description(name: str) -> None:
    query = QUERIES[name]
    assert query.title.endswith("?"), f"{name}: the title should be the question a reader asks"
    assert len(query.description) > 40, f"{name}: no description"
    first = query.text.splitlines()[0]
    assert first.startswith("# ") and query.title in first


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_query_prefixes_are_sorted_and_used(name: str) -> None:
    lines = QUERIES[name].text.splitlines()
    prefixes = [line.split()[1] for line in lines if line.startswith("PREFIX ")]
    assert prefixes, f"{name}: no PREFIX declarations"
    assert prefixes == sorted(prefixes), f"{name}: PREFIX declarations are not sorted"
    body = "\n".join(line for line in lines if not line.startswith(("PREFIX ", "#")))
    unused = [p for p in prefixes if p not in body]
    assert not unused, f"{name}: unused prefixes {unused}"


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_query_runs_without_and_with_each_parameter(store: Store, name: str) -> None:
    query: StoredQuery = QUERIES[name]
    assert isinstance(run(store, query.text, query.bindings({})), QuerySolutions)
    for parameter in query.parameters:
        results = run(store, query.text, query.bindings({parameter.name: SAMPLE[parameter.kind]}))
        assert isinstance(results, QuerySolutions), f"{name} with {parameter.name}"
        list(results)


# --------------------------------------------------------------------------------------
# The answers


def test_organising_committee(store: Store) -> None:
    # A10, A11, A12, B11: Gulzhan Irzhanova headed the National Organising Committee; she is
    # its chair, director of the Dulaty library centre and president of the Association.
    rows = select(store, "organising-committee")
    assert {v(r, "congress") for r in rows} == {WLIC_2025}
    assert {v(r, "head") for r in rows} == {IRZHANOVA}
    assert {v(r, "headLabel") for r in rows} == {"Gulzhan Irzhanova"}
    assert {(v(r, "roleLabel"), v(r, "organisation")) for r in rows} == {
        ("chair", f"{ID}organisation/wlic-2025-national-organising-committee"),
        ("director", f"{ID}organisation/dulaty-library-centre"),
        ("president", ASSOCIATION),
    }
    graphs = {(v(r, "roleLabel"), v(r, "graph")) for r in rows}
    assert ("director", f"{GRAPH}dulaty-8337") in graphs
    assert ("chair", f"{GRAPH}ifla2025-3964") in graphs and ("chair", f"{GRAPH}dulaty-8337") in graphs
    assert set(s(rows[0], "headSources").split()) == {f"{GRAPH}dulaty-8337", f"{GRAPH}ifla2025-3964"}
    assert select(store, "organising-committee", congress=WLIC_2023) == []


def test_delegation_members(store: Store) -> None:
    # A14, A15: Dulaty University sent a delegation; three members named, list not complete.
    rows = select(store, "delegation-members")
    members = {(v(r, "memberLabel"), v(r, "roleLabel")) for r in rows}
    assert members == {
        ("Nurgul Kabazova", "head of department"),
        ("Gulsara Bakberdieva", "head of department"),
        ("Vyacheslav Rashchupkin", "head of sector"),
    }
    assert len(rows) == 3
    for row in rows:
        assert v(row, "sentBy") == DULATY
        assert v(row, "congress") == WLIC_2025
        assert v(row, "memberListComplete") == "false"
        assert v(row, "postAt") == DULATY
        assert v(row, "graph") == f"{GRAPH}dulaty-8337"
        assert "not name" in s(row, "postNote")


def test_organisers(store: Store) -> None:
    # A4 (the seed article) and B7 (Börsenblatt): each source's list of organisers.
    rows = select(store, "organisers")
    by_source: dict[str, set[str]] = {}
    for row in rows:
        by_source.setdefault(s(row, "url"), set()).add(s(row, "organiser"))
    dulaty_url = next(u for u in by_source if u.startswith("https://dulaty.edu.kz/"))
    boersenblatt_url = next(u for u in by_source if "boersenblatt.net" in u)
    assert set(by_source) == {dulaty_url, boersenblatt_url}
    assert by_source[dulaty_url] == {ASSOCIATION, KAZAKH_TOURISM}
    assert by_source[boersenblatt_url] == {
        f"{ID}organisation/ifla",
        ASSOCIATION,
        KAZAKH_TOURISM,
        f"{ID}organisation/astana-development-centre",
    }
    assert all(v(r, "source") and v(r, "publisherLabel") for r in rows)


def test_attendance_claims(store: Store) -> None:
    # C1-C6 and the Kazakhstan figures: every claim, none dropped, none preferred.
    rows = select(store, "attendance-claims")
    overall = [(int(s(r, "number")), v(r, "qualifier"), v(r, "stage")) for r in rows if "participantsFrom" not in r]
    kazakhstan = [(int(s(r, "number")), v(r, "qualifier")) for r in rows if "participantsFrom" in r]
    assert sorted(overall) == sorted(
        [
            (4000, "approximately", f"{LWG}Forecast"),  # C1
            (1630, "more than", f"{LWG}BeforeEvent"),  # C2
            (1600, "more than", f"{LWG}FirstDay"),  # C3
            (1700, "nearly", f"{LWG}AtOpening"),  # C4
            (1852, "exactly", f"{LWG}AfterEvent"),  # C5
            (1820, "approximately", f"{LWG}AfterEvent"),  # C6
        ]
    )
    assert sorted(kazakhstan) == [(398, "exactly"), (400, "nearly"), (454, "exactly")]
    assert {v(r, "participantsFrom") for r in rows if "participantsFrom" in r} == {f"{ID}place/kazakhstan"}
    assert len(rows) == 9
    # ordered by reporting stage: the forecast first, the counts after the congress last
    stages = [s(r, "stage") for r in rows]
    order = [f"{LWG}{s}" for s in ("Forecast", "BeforeEvent", "FirstDay", "AtOpening", "AfterEvent")]
    assert stages == sorted(stages, key=order.index)
    assert stages[0] == f"{LWG}Forecast" and stages[-1] == f"{LWG}AfterEvent"
    # every claim names its source, URL and publisher
    for row in rows:
        assert v(row, "url") and v(row, "publisherLabel") and v(row, "stageLabel"), row
    c6 = next(r for r in rows if v(r, "number") == "1820")
    assert s(c6, "url").startswith("https://dulaty.edu.kz/")
    assert v(c6, "publisherLabel") == "Taraz University named after M.Kh. Dulaty"
    c5 = next(r for r in rows if v(r, "number") == "1852")
    assert v(c5, "url") == "https://farabi.university/news/99706?lang=en"
    assert select(store, "attendance-claims", congress=WLIC_2023) == []


def test_topics(store: Store) -> None:
    # A16: AI, digital platforms, the impact of modern technologies; A5: the field.
    rows = select(store, "topics")
    topics = {(v(r, "kind"), v(r, "topicLabel"), v(r, "wikidata")) for r in rows}
    assert topics == {
        ("topic", "artificial intelligence", "http://www.wikidata.org/entity/Q11660"),
        ("topic", "digital platforms", None),
        ("topic", "impact of modern technologies on libraries", None),
        ("field", "library science", "http://www.wikidata.org/entity/Q199655"),
    }
    assert all(lang(r, "topicLabel") == "en" for r in rows)


def test_previous_congress(store: Store) -> None:
    # B3: the 88th congress was Rotterdam 2023; none was held in 2024.
    rows = select(store, "previous-congress", congress=WLIC_2025)
    assert len(rows) == 1
    row = rows[0]
    assert v(row, "congress") == WLIC_2025
    assert v(row, "previous") == WLIC_2023
    assert int(s(row, "previousOrdinal")) == 88
    assert int(s(row, "ordinal")) == 89
    assert v(row, "hostCityLabel") == "Rotterdam"
    assert v(row, "year") == "2023"
    assert "2024" in s(row, "seriesNote")
    assert v(row, "graph") == f"{GRAPH}ifla-message-president"
    # without the parameter: every pair; for a congress with no predecessor recorded: none
    assert [(v(r, "congress"), v(r, "previous")) for r in select(store, "previous-congress")] == [
        (WLIC_2025, WLIC_2023)
    ]
    assert select(store, "previous-congress", congress=WLIC_2023) == []


def test_congress_dates(store: Store) -> None:
    # B1: 18-22 August (nsn.asia, The Astana Times); B2: 18-21 August (National Library of Viet Nam).
    rows = select(store, "congress-dates", congress=WLIC_2025)
    claims = {(v(r, "start"), v(r, "end"), v(r, "url")) for r in rows}
    assert claims == {
        (
            "2025-08-18",
            "2025-08-22",
            "https://nsn.asia/2024/08/05/astana-to-host-central-asias-first-global-library-congress",
        ),
        ("2025-08-18", "2025-08-22", "https://astanatimes.com/?p=96154"),
        (
            "2025-08-18",
            "2025-08-21",
            NLV_URL,
        ),
    }
    assert {v(r, "end") for r in rows} == {"2025-08-21", "2025-08-22"}
    assert {v(r, "congress") for r in select(store, "congress-dates")} == {WLIC_2025, WLIC_2023}


def test_programme_figures(store: Store) -> None:
    # A8 (more than 70 sections), B5 (more than 80 sessions, 15 side events), B6 (86, 15, 29).
    rows = select(store, "programme-figures")
    figures = {
        (s(r, "measure").removeprefix(LWG), v(r, "qualifier"), int(s(r, "number")), v(r, "source")) for r in rows
    }
    source = f"{ID}source/"
    assert figures == {
        ("Sections", "more than", 70, f"{source}dulaty-8337"),
        ("Sessions", "more than", 80, f"{source}caspianpost-kick-off"),
        ("Sessions", "more than", 80, f"{source}associationexecutives-astana"),
        ("Sessions", "exactly", 86, f"{source}kazinform-cn-114-countries"),
        ("SideEvents", "exactly", 15, f"{source}caspianpost-kick-off"),
        ("SideEvents", "approximately", 15, f"{source}associationexecutives-astana"),
        ("SideEvents", "exactly", 15, f"{source}kazinform-cn-114-countries"),
        ("Exhibitors", "exactly", 29, f"{source}kazinform-cn-114-countries"),
    }
    assert len(rows) == 8
    assert v(rows[0], "measure") == f"{LWG}Sections"
    assert all(v(r, "url") and v(r, "stageLabel") for r in rows)


def test_sources(store: Store) -> None:
    rows = select(store, "sources")
    assert len(rows) == 19
    assert len({v(r, "source") for r in rows}) == 19
    for row in rows:
        for key in ("url", "publisherLabel", "language", "kind", "dcmiType", "graph", "statements"):
            assert v(row, key), (v(row, "source"), key)
        assert v(row, "graph") != f"{GRAPH}editorial"
        graph = NamedNode(s(row, "graph"))
        assert int(s(row, "statements")) == len(list(store.quads_for_pattern(None, None, None, graph)))
    seed = next(r for r in rows if v(r, "source") == f"{ID}source/dulaty-8337")
    assert v(seed, "url") == (
        "https://dulaty.edu.kz/2020-01-30-02-50-58/item/8337-dulati-universitetini-delegatsiyasy-lemdik-de-"
        "gejdegi-ifla-2025-kongresine-atysty.html"
    )
    assert v(seed, "publisher") == DULATY
    assert v(seed, "language") == "http://id.loc.gov/vocabulary/iso639-1/kk"
    assert v(seed, "graph") == f"{GRAPH}dulaty-8337"
    assert v(seed, "kind") == "https://schema.org/NewsArticle"
    urls = set(column(rows, "url"))
    assert "https://farabi.university/news/99706?lang=en" in urls
    assert "https://ru.newsroom.kz/82535/v-astane-proydet-vsemirnyy-kongress/amp" in urls


def test_names(store: Store) -> None:
    # Names of people: the Kazakh form from the article and its ALA-LC romanization.
    rows = select(store, "names", entity=IRZHANOVA)
    names = {(v(r, "name"), lang(r, "name"), v(r, "kind")) for r in rows}
    assert ("Гүлжан Иржанова", "kk", "prefLabel") in names
    assert ("Gulzhan Irzhanova", "en", "prefLabel") in names
    assert ("Гульжан Иржанова", "ru", "prefLabel") in names
    assert ("Gu\u0307lzhan Irzhanova", "kk-latn-alalc97", "altLabel") in names
    assert {v(r, "entity") for r in rows} == {IRZHANOVA}
    assert all(v(r, "language") == lang(r, "name") for r in rows)
    romanized = next(r for r in rows if lang(r, "name") == "kk-latn-alalc97")
    assert v(romanized, "graphs") == f"{GRAPH}derived"
    # one row per name, however many graphs state it
    assert len(rows) == len({(v(r, "name"), lang(r, "name"), v(r, "kind")) for r in rows})
    assert any(v(r, "name") == "Нұргүл Кабазова" for r in select(store, "names", entity=f"{ID}person/nurgul-kabazova"))


def test_people_and_posts(store: Store) -> None:
    # A11, A12, A15, B10, B11, B12.
    rows = select(store, "people-and-posts")
    posts = {(v(r, "personLabel"), v(r, "roleLabel"), v(r, "organisationLabel")) for r in rows}
    assert posts == {
        ("Gulzhan Irzhanova", "chair", "National Organising Committee of WLIC 2025"),
        ("Gulzhan Irzhanova", "director", "Library and Information Center of Dulaty University"),
        ("Gulzhan Irzhanova", "president", "Association of University Libraries of Kazakhstan"),
        ("Nurgul Kabazova", "head of department", "Taraz University named after M.Kh. Dulaty"),
        ("Gulsara Bakberdieva", "head of department", "Taraz University named after M.Kh. Dulaty"),
        ("Vyacheslav Rashchupkin", "head of sector", "Taraz University named after M.Kh. Dulaty"),
        ("Vicki McDonald", "president", "International Federation of Library Associations and Institutions"),
        ("Sharon Memis", "secretary general", "International Federation of Library Associations and Institutions"),
        ("Oryntai Oshanova", "UNESCO chairholder", "Al-Farabi Kazakh National University"),
    }
    mcdonald = next(r for r in rows if v(r, "personLabel") == "Vicki McDonald")
    assert (v(mcdonald, "start"), v(mcdonald, "end")) == ("2023", "2025")
    assert v(mcdonald, "graph") == f"{GRAPH}caspianpost-ifla-leaders"
    director = next(r for r in rows if v(r, "roleLabel") == "director")
    assert v(director, "parentOrganisationLabel") == "Taraz University named after M.Kh. Dulaty"
    assert all(v(r, "graph") for r in rows)
    assert {v(r, "roleLabel") for r in select(store, "people-and-posts", person=IRZHANOVA)} == {
        "chair",
        "director",
        "president",
    }


def test_firsts(store: Store) -> None:
    # A3: the first congress in Kazakhstan and in Central Asia.
    rows = select(store, "firsts")
    assert {(v(r, "placeLabel"), v(r, "wikidata")) for r in rows} == {
        ("Kazakhstan", "http://www.wikidata.org/entity/Q232"),
        ("Central Asia", "http://www.wikidata.org/entity/Q27275"),
    }
    assert {v(r, "congress") for r in rows} == {WLIC_2025}
    assert {v(r, "seriesLabel") for r in rows} == {"World Library and Information Congress"}
    assert all(s(r, "url").startswith("https://dulaty.edu.kz/") for r in rows)


def test_organisation_names(store: Store) -> None:
    # Dulaty University: Taraz State University (from 1998-03-24), then the Regional
    # University, then (not before 2024) Taraz University named after M.Kh. Dulaty.
    rows = select(store, "organisation-names", organisation=DULATY)
    assert {v(r, "organisation") for r in rows} == {DULATY}
    order = []
    for row in rows:
        if v(row, "datedName") not in order:
            order.append(v(row, "datedName"))
    assert order == [
        f"{ID}name/dulaty-university-1998",
        f"{ID}name/dulaty-university-regional",
        f"{ID}name/dulaty-university-2024",
    ]
    labels = {(v(r, "label"), lang(r, "label")) for r in rows}
    assert ("Taraz State University", "en") in labels
    assert ("М.Х.Дулати атындағы Тараз өңірлік университеті", "kk") in labels
    assert ("Таразский региональный университет имени М.Х. Дулати", "ru") in labels
    assert ("М.Х.Дулати атындағы Тараз университеті", "kk") in labels
    assert ("Taraz University named after M.Kh. Dulaty", "en") in labels
    first = next(r for r in rows if s(r, "datedName").endswith("-1998"))
    assert v(first, "inUseFrom") == "1998-03-24"
    assert v(first, "renamedTo") == f"{ID}name/dulaty-university-regional"
    last = [r for r in rows if s(r, "datedName").endswith("-2024")]
    assert {v(r, "inUseNotBefore") for r in last} == {"2024"}
    assert {v(r, "renamedTo") for r in last} == {None}
    assert select(store, "organisation-names", organisation=f"{ID}organisation/ifla") == []


def test_themes(store: Store) -> None:
    # B4: the theme in English and Russian; no Kazakh form was found.
    rows = select(store, "themes")
    assert {(v(r, "theme"), v(r, "language"), v(r, "url")) for r in rows} == {
        (
            "Connecting Knowledge, Building the Future",
            "en",
            "https://caspianpost.com/kazakhstan/ifla-congress-kicks-off-in-astana-a-historic-first-for-central-asia",
        ),
        ("Объединяя знания, строим будущее", "ru", "https://kazpravda.kz/n/obedinyaya-znaniya-stroim-budushchee/"),
    }
    assert "kk" not in column(rows, "language")


def test_bid_and_organisers(store: Store) -> None:
    # B7 (organisers), B8 (the bid), B9 (K.I.T. Group); A4 (organisers in the seed article).
    rows = select(store, "bid-and-organisers")
    parts: dict[str, set[str]] = {}
    for row in rows:
        parts.setdefault(s(row, "partLabel"), set()).add(s(row, "organisationLabel"))
    assert parts["bid prepared by"] == {
        "Kazakh Tourism National Company",
        "Visit Astana",
        "Association of University Libraries of Kazakhstan",
    }
    assert parts["organiser"] == {
        "International Federation of Library Associations and Institutions",
        "Association of University Libraries of Kazakhstan",
        "Kazakh Tourism National Company",
        "Astana Development Centre",
    }
    assert parts["professional congress organiser"] == {"K.I.T. Group"}
    pco = next(r for r in rows if v(r, "partLabel") == "professional congress organiser")
    assert v(pco, "url") == "https://astanatimes.com/?p=96154"
    parts_in_order = [s(r, "partLabel") for r in rows]
    order = ["bid prepared by", "organiser", "professional congress organiser"]
    assert parts_in_order == sorted(parts_in_order, key=order.index)
    assert len(rows) == 10


def test_find_by_name(store: Store) -> None:
    rows = select(store, "find-by-name", text="irzhanova")
    assert IRZHANOVA in column(rows, "entity")
    assert {v(r, "entityLabel") for r in rows if v(r, "entity") == IRZHANOVA} == {"Gulzhan Irzhanova"}
    # case-insensitive, any script
    assert IRZHANOVA in column(select(store, "find-by-name", text="IRZHANOVA"), "entity")
    assert IRZHANOVA in column(select(store, "find-by-name", text="иржанова"), "entity")
    assert DULATY in column(select(store, "find-by-name", text="Taraz State"), "entity")
    assert select(store, "find-by-name", text="no such name anywhere") == []


def test_find_by_name_binds_its_parameter_rather_than_pasting_it(store: Store) -> None:
    hostile = 'x" } ; DROP ALL ; #\n{'
    assert select(store, "find-by-name", text=hostile) == []
    assert select(store, "find-by-name", text='"') == []
    # the store is untouched
    assert IRZHANOVA in column(select(store, "find-by-name", text="irzhanova"), "entity")


def test_unknown_parameter_is_refused() -> None:
    with pytest.raises(QueryError):
        QUERIES["find-by-name"].bindings({"txt": "irzhanova"})
    with pytest.raises(QueryError):
        QUERIES["sources"].bindings({"congress": WLIC_2025})


def test_iri_parameter_must_be_an_iri() -> None:
    with pytest.raises(QueryError):
        QUERIES["previous-congress"].bindings({"congress": "wlic-2025> } ; DROP ALL ; {"})


# --------------------------------------------------------------------------------------
# The further queries


def test_figures_countries(store: Store) -> None:
    # A7: participants from 114 countries; C3: more than 110.
    rows = select(store, "figures", measure=f"{LWG}Countries")
    assert sorted((v(r, "qualifier"), int(s(r, "number"))) for r in rows) == [
        *[("exactly", 114)] * 5,
        ("more than", 110),
    ]
    assert len(select(store, "figures")) == 23


def test_sessions(store: Store) -> None:
    # B11, B12: Irzhanova spoke at the opening; Oshanova gave the keynote; B1: library visits day.
    rows = select(store, "sessions")
    assert {(v(r, "part"), v(r, "speakerLabel")) for r in rows if "speaker" in r} == {
        ("speaker", "Gulzhan Irzhanova"),
        ("keynote speaker", "Oryntai Oshanova"),
    }
    visits = next(r for r in rows if v(r, "formatLabel") == "library visits")
    assert v(visits, "date") == "2025-08-22"


def test_aims_and_outcomes(store: Store) -> None:
    # A2, A5, A9, A13, A17.
    rows = select(store, "aims-and-outcomes")
    aspects: dict[str, set[str]] = {}
    for row in rows:
        aspects.setdefault(s(row, "aspect"), set()).add(s(row, "statement"))
    assert len(aspects["aim"]) == 3
    assert len(aspects["outcome"]) == 3
    assert aspects["programme format"] == {"lecture", "panel discussion", "seminar"}
    assert aspects["preparation took"] == {"P1Y6M"}
    assert any("largest" in d for d in aspects["description"])


def test_name_headings(store: Store) -> None:
    rows = select(store, "name-headings", person=IRZHANOVA)
    headings = {(v(r, "heading"), lang(r, "heading")) for r in rows}
    assert ("Irzhanova, Gu\u0307lzhan", "kk-latn-alalc97") in headings
    assert ("Иржанова, Гүлжан", "kk") in headings
    assert ("Irzhanova, Gulzhan", "en") in headings


def test_meeting_heading(store: Store) -> None:
    rows = select(store, "meeting-heading", congress=WLIC_2025)
    assert [v(r, "marc111") for r in rows] == [
        f"111 2_ $a World Library and Information Congress $n (89th : $d 2025 : $c Astana, Kazakhstan) $1 {WLIC_2025}"
    ]
    assert v(select(store, "meeting-heading", congress=WLIC_2023)[0], "number") == "88th"


def test_statements_about(store: Store) -> None:
    rows = select(store, "statements-about", entity=f"{ID}post/mcdonald-president-ifla")
    start = [r for r in rows if v(r, "property") == "https://schema.org/startDate"]
    assert [(v(r, "value"), v(r, "graph")) for r in start] == [("2023", f"{GRAPH}caspianpost-ifla-leaders")]
    assert s(start[0], "url").startswith("https://caspianpost.com/")
    # the editors' graph draws on many sources, so it names none
    assert all(v(r, "url") is None for r in rows if v(r, "graph") == f"{GRAPH}editorial")


# --------------------------------------------------------------------------------------
# The command line


def test_cli_runs_a_stored_query_as_sparql_json(release: Release, tmp_path: Path) -> None:
    result = run_kg(
        "query",
        "attendance-claims",
        "--format",
        "json",
        "--out",
        str(release.path.parent),
        "--queries",
        str(REAL.queries),
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert "qualifier" in document["head"]["vars"]
    bindings = document["results"]["bindings"]
    assert len(bindings) == 9
    assert sorted(int(b["number"]["value"]) for b in bindings) == [398, 400, 454, 1600, 1630, 1700, 1820, 1852, 4000]


def test_cli_binds_a_parameter(release: Release, tmp_path: Path) -> None:
    result = run_kg(
        "query",
        "previous-congress",
        "--param",
        f"congress={WLIC_2025}",
        "--format",
        "json",
        "--out",
        str(release.path.parent),
        "--queries",
        str(REAL.queries),
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    bindings = json.loads(result.stdout)["results"]["bindings"]
    assert [b["hostCityLabel"]["value"] for b in bindings] == ["Rotterdam"]
