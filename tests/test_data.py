"""The graph states every fact in ``../shared/sources/facts.md``, each from its own source.

Every check runs SPARQL against the built release (the session fixture ``store``) and
pins each statement to the named graph of the source it comes from:

- A1-A18: the seed article (Dulaty University news item 8337), in ``graph:dulaty-8337``;
- B1-B12, C1-C6 and the institution facts: each in the graph of its source, found from
  the source's URL (``?g prov:wasDerivedFrom ?src . ?src schema:url <URL>``);
- provenance: every graph and every source described in the editorial graph;
- names in Kazakh, Russian and English, the ALA-LC romanizations, the university's
  dated names;
- language tags and scripts, outside identifiers, no blank nodes, derived inverse links.

The expected values are facts.md's, written out below. A failing test here is a gap in
the data, not in the test.
"""

from __future__ import annotations

import unicodedata

import pytest
from pyoxigraph import BlankNode, Literal, NamedNode, Store

# ---------------------------------------------------------------------------
# IRIs
# ---------------------------------------------------------------------------

LWG = "https://w3id.org/lwg/ontology#"
ID = "https://w3id.org/lwg/id/"
GRAPH = "https://w3id.org/lwg/graph/"

ONTOLOGY_GRAPH = "https://w3id.org/lwg/ontology"
EDITORIAL = f"{GRAPH}editorial"
DERIVED = f"{GRAPH}derived"
SEED = f"{GRAPH}dulaty-8337"

CONGRESS = f"{ID}congress/wlic-2025"
CONGRESS_2023 = f"{ID}congress/wlic-2023"
SERIES = f"{ID}series/wlic"
DELEGATION = f"{ID}delegation/dulaty-university-wlic-2025"
OPENING = f"{ID}session/wlic-2025-opening"

DULATY = f"{ID}organisation/dulaty-university"
LIBRARY_CENTRE = f"{ID}organisation/dulaty-library-centre"
ASSOCIATION = f"{ID}organisation/association-university-libraries-kz"
KAZAKH_TOURISM = f"{ID}organisation/kazakh-tourism"
IFLA = f"{ID}organisation/ifla"
NOC = f"{ID}organisation/wlic-2025-national-organising-committee"
ASTANA_DEVELOPMENT_CENTRE = f"{ID}organisation/astana-development-centre"
VISIT_ASTANA = f"{ID}organisation/visit-astana"
KIT_GROUP = f"{ID}organisation/kit-group"
AL_FARABI = f"{ID}organisation/al-farabi-kaznu"

IRZHANOVA = f"{ID}person/gulzhan-irzhanova"
KABAZOVA = f"{ID}person/nurgul-kabazova"
BAKBERDIEVA = f"{ID}person/gulsara-bakberdieva"
RASHCHUPKIN = f"{ID}person/vyacheslav-rashchupkin"
MCDONALD = f"{ID}person/vicki-mcdonald"
MEMIS = f"{ID}person/sharon-memis"
OSHANOVA = f"{ID}person/oryntai-oshanova"

ASTANA = f"{ID}place/astana"
KAZAKHSTAN = f"{ID}place/kazakhstan"
CENTRAL_ASIA = f"{ID}place/central-asia"
JAMBYL_REGION = f"{ID}place/jambyl-region"
TARAZ = f"{ID}place/taraz"
ROTTERDAM = f"{ID}place/rotterdam"

TOPIC_AI = f"{ID}topic/artificial-intelligence"
TOPIC_DIGITAL_PLATFORMS = f"{ID}topic/digital-platforms"
TOPIC_IMPACT_OF_TECHNOLOGY = f"{ID}topic/impact-of-technology-on-libraries"
TOPIC_LIBRARY_SCIENCE = f"{ID}topic/library-science"

WIKIDATA = "http://www.wikidata.org/entity/"
GEONAMES_KAZAKHSTAN = "https://sws.geonames.org/1522867/"
WIKIDATA_TARAZ_WEAK = f"{WIKIDATA}Q486545"

# ---------------------------------------------------------------------------
# Source URLs, as facts.md gives them
# ---------------------------------------------------------------------------

URL_S0 = (
    "https://dulaty.edu.kz/2020-01-30-02-50-58/item/"
    "8337-dulati-universitetini-delegatsiyasy-lemdik-de-gejdegi-ifla-2025-kongresine-atysty.html"
)
URL_NSN = "https://nsn.asia/2024/08/05/astana-to-host-central-asias-first-global-library-congress"
URL_ASTANA_TIMES = "https://astanatimes.com/?p=96154"
URL_NLV = (
    "https://nlv.gov.vn/ef/89th-world-library-and-information-congress-wlic-2025-of-the-international-"
    "federation-of-library-associations-and-institutions-ifla.html"
)
URL_IFLA_PRESIDENT = "https://www.ifla.org/news/message-ifla-president/"
URL_CASPIAN_KICK_OFF = (
    "https://caspianpost.com/kazakhstan/ifla-congress-kicks-off-in-astana-a-historic-first-for-central-asia"
)
URL_KAZPRAVDA = "https://kazpravda.kz/n/obedinyaya-znaniya-stroim-budushchee/"
URL_ASSOCIATION_EXECUTIVES = (
    "https://www.associationexecutives.org/resource/"
    "ifla-congress-lands-in-astana-as-central-asia-hosts-global-library-sector-for-first-time.html"
)
URL_KAZINFORM = "https://cn.inform.kz/news/114geguojiachuifladahui-ceb896/"
URL_BOERSENBLATT = "https://www.boersenblatt.net/home/astana-beherbergt-erstmals-den-weltbibliothekskongress-385791"
URL_CASPIAN_LEADERS = "https://caspianpost.com/kazakhstan/ifla-leaders-stress-global-collaboration-for-library-future-during-kazakhstan-visit"
URL_IFLA_3964 = "https://2025.ifla.org/?p=3964"
URL_NEWSROOM = "https://ru.newsroom.kz/82535/v-astane-proydet-vsemirnyy-kongress/amp"
URL_CASPIAN_FIRST_HOST = (
    "https://caspianpost.com/kazakhstan/astana-becomes-first-central-asian-city-to-host-ifla-world-library-congress"
)
URL_FARABI = "https://farabi.university/news/99706?lang=en"
URL_DULATY_HISTORY = "https://dulaty.kz/en/about-us/history-of-university/item/1097.html"
URL_LIB_DULATY = "https://lib.dulaty.kz/"
URL_LIB_TARSU = "http://lib.tarsu.kz/index.php/en/about-us-en/history"
URL_TIMESCA = "https://timesca.com/kazakhstan-visa-free-and-open-sky-regimes-needed-for-tourism-development/"

#: Every source facts.md lists with a URL (the weak site of B2 has none).
SOURCE_URLS = {
    "S0": URL_S0,
    "B1 nsn.asia": URL_NSN,
    "B1 B9 Astana Times": URL_ASTANA_TIMES,
    "B2 NLV": URL_NLV,
    "B3 IFLA": URL_IFLA_PRESIDENT,
    "B4 B5 B8 C4 Caspian Post": URL_CASPIAN_KICK_OFF,
    "B4 Kazpravda": URL_KAZPRAVDA,
    "B5 associationexecutives": URL_ASSOCIATION_EXECUTIVES,
    "B6 Kazinform": URL_KAZINFORM,
    "B7 Boersenblatt": URL_BOERSENBLATT,
    "B10 Caspian Post": URL_CASPIAN_LEADERS,
    "B11 B12 C3 ifla2025": URL_IFLA_3964,
    "C1 Newsroom": URL_NEWSROOM,
    "C2 Caspian Post": URL_CASPIAN_FIRST_HOST,
    "C5 Al-Farabi": URL_FARABI,
    "Dulaty history": URL_DULATY_HISTORY,
    "Library and Information Centre": URL_LIB_DULATY,
    "Library history": URL_LIB_TARSU,
    "Kazakh Tourism established": URL_TIMESCA,
}

PREFIXES = f"""
PREFIX lwg: <{LWG}>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""

QUALIFIERS = ("exactly", "approximately", "nearly", "moreThan")
QUALIFIER_FILTER = "FILTER(?q IN (lwg:exactly, lwg:approximately, lwg:nearly, lwg:moreThan))"

NAME_PROPERTIES = ("skos:prefLabel", "skos:altLabel", "foaf:name", "foaf:givenName", "foaf:familyName")
ALLOWED_TAGS = {"en", "kk", "ru", "kk-latn-alalc97", "ru-latn-alalc97"}

# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def ask(store: Store, query: str) -> bool:
    return bool(store.query(PREFIXES + query))


def select(store: Store, query: str) -> list[tuple]:
    """Every solution as a tuple of terms (None where unbound)."""
    return [tuple(solution) for solution in store.query(PREFIXES + query)]


def iris(store: Store, query: str) -> set[str]:
    """The IRIs of the first column."""
    return {row[0].value for row in select(store, query) if isinstance(row[0], NamedNode)}


def in_graph(store: Store, graph: str, pattern: str) -> bool:
    return ask(store, f"ASK {{ GRAPH <{graph}> {{ {pattern} }} }}")


def graph_of(store: Store, url: str) -> str:
    """The named graph that holds the statements of the source published at ``url`` (and of no other)."""
    graphs = iris(
        store,
        f"""SELECT DISTINCT ?g WHERE {{ GRAPH <{EDITORIAL}> {{
            ?g a lwg:SourceGraph ; prov:wasDerivedFrom ?src .
            ?src schema:url <{url}> .
            FILTER NOT EXISTS {{ ?g prov:wasDerivedFrom ?other FILTER(?other != ?src) }}
        }} }}""",
    )
    assert len(graphs) == 1, f"expected one graph derived from the source at {url}, found {sorted(graphs)}"
    return graphs.pop()


def local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def figures(store: Store, graph: str, measure: str, *, from_place: str | None = None) -> list[tuple[str, str, int]]:
    """(figure, qualifier, value) for every figure of ``measure`` the congress reports in ``graph``.

    Without ``from_place`` only totals count (figures with no lwg:participantsFrom).
    """
    scope = (
        f"?f lwg:participantsFrom <{from_place}> ."
        if from_place
        else "FILTER NOT EXISTS { ?f lwg:participantsFrom ?anywhere }"
    )
    rows = select(
        store,
        f"""SELECT ?f ?q ?v WHERE {{ GRAPH <{graph}> {{
            <{CONGRESS}> lwg:reportedFigure ?f .
            ?f a lwg:Figure ; lwg:figureFor <{CONGRESS}> ; lwg:measure lwg:{measure} ; ?q ?v .
            {QUALIFIER_FILTER}
            {scope}
        }} }}""",
    )
    return sorted((f.value, local(q.value), int(v.value)) for f, q, v in rows)


def qualified(store: Store, graph: str, measure: str, *, from_place: str | None = None) -> list[tuple[str, int]]:
    return [(q, v) for _, q, v in figures(store, graph, measure, from_place=from_place)]


def nfc(text: str) -> str:
    """NFC, with the MARC tie-bar halves (U+FE20, U+FE21) written as the one tie bar U+0361."""
    return unicodedata.normalize("NFC", text.replace("\ufe20", "\u0361").replace("\ufe21", ""))


def labels(store: Store, entity: str, prop: str, *, graph: str | None = None) -> set[tuple[str, str]]:
    """(language, NFC text) of every ``prop`` literal of ``entity``, in one graph or in any."""
    where = f"GRAPH <{graph}>" if graph else "GRAPH ?g"
    rows = select(store, f"SELECT DISTINCT ?l WHERE {{ {where} {{ <{entity}> {prop} ?l }} }}")
    return {(row[0].language or "", nfc(row[0].value)) for row in rows if isinstance(row[0], Literal)}


def texts(store: Store, graph: str, subject: str, prop: str) -> list[str]:
    rows = select(store, f"SELECT ?o WHERE {{ GRAPH <{graph}> {{ <{subject}> {prop} ?o }} }}")
    return [row[0].value.lower() for row in rows if isinstance(row[0], Literal)]


def letters(text: str) -> tuple[bool, bool]:
    """Whether ``text`` holds (Cyrillic letters, Latin letters)."""
    names = [unicodedata.name(ch, "") for ch in text if ch.isalpha()]
    return any("CYRILLIC" in n for n in names), any("LATIN" in n for n in names)


# ---------------------------------------------------------------------------
# A1-A18: the seed article, in its own graph
# ---------------------------------------------------------------------------


def test_seed_graph_is_the_graph_of_the_seed_article(store: Store) -> None:
    assert graph_of(store, URL_S0) == SEED, "the seed article's statements must sit in graph:dulaty-8337"


def test_a1_89th_congress_in_astana(store: Store) -> None:
    pattern = f"""<{CONGRESS}> a lwg:Congress ; lwg:inSeries <{SERIES}> ; lwg:ordinal 89 ;
        lwg:hostCity <{ASTANA}> ; lwg:hostCountry <{KAZAKHSTAN}> ."""
    assert in_graph(store, SEED, pattern), "A1: the seed article: the 89th congress of the WLIC series, held in Astana"
    assert ("kk", "ИФЛА-2025") in labels(store, CONGRESS, "skos:altLabel", graph=SEED), (
        "A1: the article calls it ИФЛА-2025"
    )


def test_a2_largest_gathering_of_the_librarian_community(store: Store) -> None:
    descriptions = texts(store, SEED, CONGRESS, "dcterms:description")
    assert any("largest" in d and "librar" in d for d in descriptions), (
        f"A2: the article calls the congress the largest gathering of the world's librarians; found {descriptions}"
    )


@pytest.mark.parametrize("place", [KAZAKHSTAN, CENTRAL_ASIA], ids=local)
def test_a3_first_time_in_kazakhstan_and_central_asia(store: Store, place: str) -> None:
    assert in_graph(store, SEED, f"<{CONGRESS}> lwg:firstInPlace <{place}> ."), (
        f"A3: the article says the congress was held for the first time in {local(place)}"
    )


def test_a4_organised_by_the_association_and_kazakh_tourism(store: Store) -> None:
    organisers = iris(store, f"SELECT ?o WHERE {{ GRAPH <{SEED}> {{ <{CONGRESS}> lwg:organiser ?o }} }}")
    assert organisers == {ASSOCIATION, KAZAKH_TOURISM}, (
        f"A4: the article names two organisers, the Association and Kazakh Tourism; found {sorted(organisers)}"
    )
    assert ("kk", "«ҚазақТуризм» Ұлттық компаниясы") in labels(store, KAZAKH_TOURISM, "skos:prefLabel", graph=SEED)
    assert ("kk", "ҚР жоғары оқу орындары кітапханаларының қауымдастығы") in labels(
        store, ASSOCIATION, "skos:prefLabel", graph=SEED
    )


@pytest.mark.parametrize(
    "keywords",
    [("global", "direction"), ("exchang", "experience"), ("new ideas",)],
    ids=["global-directions", "exchange-of-experience", "new-ideas"],
)
def test_a5_aims_of_the_congress(store: Store, keywords: tuple[str, ...]) -> None:
    aims = texts(store, SEED, CONGRESS, "lwg:aim")
    assert any(all(k in aim for k in keywords) for aim in aims), f"A5: no aim about {keywords!r} in {aims}"


def test_a5_field_is_library_and_information(store: Store) -> None:
    assert in_graph(store, SEED, f"<{CONGRESS}> lwg:field <{TOPIC_LIBRARY_SCIENCE}> ."), (
        "A5: the congress's field is the library and information field"
    )


def test_a6_about_1820_participants(store: Store) -> None:
    found = qualified(store, SEED, "Participants")
    assert found == [("approximately", 1820)], (
        f"A6: the article gives about 1,820 participants (lwg:approximately 1820, never lwg:exactly); found {found}"
    )


def test_a7_participants_from_114_countries(store: Store) -> None:
    found = qualified(store, SEED, "Countries")
    assert found == [("exactly", 114)], f"A7: the article gives 114 countries; found {found}"


def test_a8_more_than_70_sections(store: Store) -> None:
    found = qualified(store, SEED, "Sections")
    assert found == [("moreThan", 70)], (
        f"A8: the article gives more than 70 sections (a lower bound, lwg:moreThan 70); found {found}"
    )


@pytest.mark.parametrize("form", ["Lecture", "PanelDiscussion", "Seminar"])
def test_a9_programme_formats(store: Store, form: str) -> None:
    assert in_graph(store, SEED, f"<{CONGRESS}> lwg:programmeFormat lwg:{form} ."), (
        f"A9: the programme included {form} (lectures, panel discussions, seminars)"
    )


def test_a10_irzhanova_headed_the_national_organising_committee(store: Store) -> None:
    pattern = f"""<{CONGRESS}> lwg:organisingCommittee <{NOC}> .
        <{NOC}> a lwg:OrganisingCommittee ; lwg:committeeOf <{CONGRESS}> ; lwg:headedBy <{IRZHANOVA}> .
        ?post a lwg:Membership ; org:member <{IRZHANOVA}> ; org:organization <{NOC}> ; org:role lwg:Chair ."""
    assert in_graph(store, SEED, pattern), "A10: Gulzhan Irzhanova headed the National Organising Committee"


def test_a11_irzhanova_directs_the_library_and_information_centre(store: Store) -> None:
    pattern = f"""?post a lwg:Membership ; org:member <{IRZHANOVA}> ; org:organization ?unit ; org:role lwg:Director .
        ?unit lwg:unitKind lwg:LibraryAndInformationCentre ; lwg:unitOf <{DULATY}> ."""
    assert in_graph(store, SEED, pattern), (
        "A11: Gulzhan Irzhanova is director of the Library and Information Centre of Dulaty University"
    )


def test_a12_irzhanova_presides_over_the_association(store: Store) -> None:
    pattern = f"""?post a lwg:Membership ; org:member <{IRZHANOVA}> ; org:organization <{ASSOCIATION}> ;
        org:role lwg:President ."""
    assert in_graph(store, SEED, pattern), "A12: Gulzhan Irzhanova is president of the Association"


def test_a13_one_and_a_half_years_of_preparation(store: Store) -> None:
    pattern = f"""<{CONGRESS}> lwg:preparationDuration ?d . FILTER(?d = "P1Y6M"^^xsd:duration)"""
    assert in_graph(store, SEED, pattern), "A13: preparation took one and a half years (P1Y6M)"


def test_a14_dulaty_university_sent_a_delegation(store: Store) -> None:
    pattern = f"""<{DELEGATION}> a lwg:Delegation ; lwg:sentBy <{DULATY}> ; lwg:delegationTo <{CONGRESS}> ."""
    assert in_graph(store, SEED, pattern), "A14: Dulaty University sent a delegation to the congress"


DELEGATES = {KABAZOVA: "HeadOfDepartment", BAKBERDIEVA: "HeadOfDepartment", RASHCHUPKIN: "HeadOfSector"}


@pytest.mark.parametrize(("person", "role"), DELEGATES.items(), ids=local)
def test_a15_delegate_and_role_at_the_university(store: Store, person: str, role: str) -> None:
    assert in_graph(store, SEED, f"<{DELEGATION}> lwg:delegate <{person}> ."), f"A15: {local(person)} is a delegate"
    posts = select(
        store,
        f"""SELECT ?org ?role WHERE {{ GRAPH ?g {{ ?post org:member <{person}> ; org:organization ?org ;
            org:role ?role }} }}""",
    )
    found = {(o.value, r.value) for o, r in posts}
    assert found == {(DULATY, LWG + role)}, (
        f"A15: {local(person)} is {role} at Dulaty University itself (the unit is not named); found {found}"
    )
    assert in_graph(
        store, SEED, f"?post org:member <{person}> ; org:organization <{DULATY}> ; org:role lwg:{role} ."
    ), f"A15: the post of {local(person)} must be stated in the seed article's graph"


def test_a15_the_delegation_lists_the_three_delegates(store: Store) -> None:
    delegates = iris(store, f"SELECT ?p WHERE {{ GRAPH <{SEED}> {{ <{DELEGATION}> lwg:delegate ?p }} }}")
    assert delegates == set(DELEGATES), f"A15: the article names three delegates; found {sorted(delegates)}"


def test_a15_no_department_or_sector_is_invented(store: Store) -> None:
    invented = iris(
        store,
        """SELECT DISTINCT ?u WHERE { GRAPH ?g {
            { ?u lwg:unitKind ?k FILTER(?k IN (lwg:Department, lwg:Sector)) }
            UNION { ?post org:role ?r ; org:organization ?u . ?u a lwg:OrganisationalUnit
                    FILTER(?r IN (lwg:HeadOfDepartment, lwg:HeadOfSector)) }
        } }""",
    )
    assert not invented, f"A15: the article names no department or sector, yet the graph has {sorted(invented)}"


@pytest.mark.parametrize("topic", [TOPIC_AI, TOPIC_DIGITAL_PLATFORMS, TOPIC_IMPACT_OF_TECHNOLOGY], ids=local)
def test_a16_topics_discussed(store: Store, topic: str) -> None:
    assert in_graph(store, SEED, f"<{CONGRESS}> lwg:topic <{topic}> ."), f"A16: the congress discussed {local(topic)}"


@pytest.mark.parametrize(
    "keywords",
    [("new mission", "knowledge", "culture"), ("role", "society"), ("recogni", "international")],
    ids=["new-mission", "role-in-society", "international-recognition"],
)
def test_a17_outcomes(store: Store, keywords: tuple[str, ...]) -> None:
    outcomes = texts(store, SEED, CONGRESS, "lwg:outcome")
    assert any(all(k in o for k in keywords) for o in outcomes), f"A17: no outcome about {keywords!r} in {outcomes}"


def test_a18_the_delegation_thanked_the_organisers(store: Store) -> None:
    thanked = iris(store, f"SELECT ?o WHERE {{ GRAPH <{SEED}> {{ <{DELEGATION}> lwg:thanked ?o }} }}")
    assert thanked == {ASSOCIATION, KAZAKH_TOURISM}, (
        f"A18: the delegation thanked the organisers (A4: the Association and Kazakh Tourism); found {sorted(thanked)}"
    )


# ---------------------------------------------------------------------------
# B1-B12: corroborating and conflicting sources, each in its own graph
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("url", [URL_NSN, URL_ASTANA_TIMES], ids=["nsn-asia", "astana-times"])
def test_b1_dates_18_to_22_august(store: Store, url: str) -> None:
    pattern = f"""<{CONGRESS}> schema:startDate "2025-08-18"^^xsd:date ; schema:endDate "2025-08-22"^^xsd:date ."""
    assert in_graph(store, graph_of(store, url), pattern), f"B1: {url} gives 18-22 August 2025"


def test_b1_last_day_for_library_visits(store: Store) -> None:
    pattern = f"""?s lwg:sessionOf <{CONGRESS}> ; lwg:programmeFormat lwg:LibraryVisits ;
        schema:startDate "2025-08-22"^^xsd:date ."""
    assert in_graph(store, graph_of(store, URL_ASTANA_TIMES), pattern), (
        "B1: the last day, 22 August, was for library visits"
    )


def test_b2_viet_nam_report_ends_on_21_august(store: Store) -> None:
    pattern = f"""<{CONGRESS}> schema:startDate "2025-08-18"^^xsd:date ; schema:endDate "2025-08-21"^^xsd:date ."""
    assert in_graph(store, graph_of(store, URL_NLV), pattern), "B2: the National Library of Viet Nam gives 18-21 August"


def test_b1_and_b2_end_dates_stand_side_by_side(store: Store) -> None:
    ends = select(store, f"SELECT ?g ?end WHERE {{ GRAPH ?g {{ <{CONGRESS}> schema:endDate ?end }} }}")
    by_date: dict[str, set[str]] = {}
    for g, end in ends:
        by_date.setdefault(end.value, set()).add(g.value)
    assert set(by_date) == {"2025-08-21", "2025-08-22"}, f"B1/B2: expected both end dates, found {by_date}"
    assert not by_date["2025-08-21"] & by_date["2025-08-22"], "B1/B2: each end date must sit in its own source's graph"
    assert EDITORIAL not in by_date["2025-08-21"] | by_date["2025-08-22"], "the editors must not pick one end date"


def test_b2_weak_site_dates_are_not_stated(store: Store) -> None:
    assert not ask(store, f"""ASK {{ GRAPH ?g {{ <{CONGRESS}> schema:endDate "2025-08-24"^^xsd:date }} }}"""), (
        "B2: 18-24 August comes only from a weak site and must not be stated"
    )


def test_b3_previous_congress_rotterdam_2023(store: Store) -> None:
    pattern = f"""<{CONGRESS}> lwg:precededBy <{CONGRESS_2023}> .
        <{CONGRESS_2023}> a lwg:Congress ; lwg:inSeries <{SERIES}> ; lwg:ordinal 88 ; lwg:hostCity <{ROTTERDAM}> ;
            schema:startDate ?start . FILTER(STRSTARTS(STR(?start), "2023"))"""
    assert in_graph(store, graph_of(store, URL_IFLA_PRESIDENT), pattern), "B3: the 88th congress was Rotterdam 2023"


def test_b3_no_congress_in_2024(store: Store) -> None:
    notes = texts(store, graph_of(store, URL_IFLA_PRESIDENT), SERIES, "skos:note")
    assert any("2024" in n and "no congress" in n for n in notes), f"B3: none was held in 2024; series notes: {notes}"
    assert not ask(
        store,
        """ASK { GRAPH ?g { ?c a lwg:Congress ; schema:startDate ?d . FILTER(STRSTARTS(STR(?d), "2024")) } }""",
    ), "B3: no congress may be dated 2024"


@pytest.mark.parametrize(
    ("url", "theme"),
    [
        (URL_CASPIAN_KICK_OFF, Literal("Connecting Knowledge, Building the Future", language="en")),
        (URL_KAZPRAVDA, Literal("Объединяя знания, строим будущее", language="ru")),
    ],
    ids=["en", "ru"],
)
def test_b4_theme(store: Store, url: str, theme: Literal) -> None:
    found = {
        (t.language, nfc(t.value))
        for (t,) in select(
            store, f"SELECT ?t WHERE {{ GRAPH <{graph_of(store, url)}> {{ <{CONGRESS}> lwg:theme ?t }} }}"
        )
    }
    assert found == {(theme.language, nfc(theme.value))}, f"B4: {url} gives the theme {theme}; found {found}"


def test_b4_no_kazakh_theme(store: Store) -> None:
    assert not ask(
        store, f"""ASK {{ GRAPH ?g {{ <{CONGRESS}> lwg:theme ?t FILTER(langMatches(lang(?t), "kk")) }} }}"""
    ), "B4: no Kazakh form of the theme was found, so none may be stated"


@pytest.mark.parametrize("url", [URL_CASPIAN_KICK_OFF, URL_ASSOCIATION_EXECUTIVES], ids=["caspian-post", "assoc-exec"])
def test_b5_more_than_80_sessions_and_15_side_events(store: Store, url: str) -> None:
    graph = graph_of(store, url)
    sessions = qualified(store, graph, "Sessions")
    assert sessions == [("moreThan", 80)], f"B5: {url} gives more than 80 sessions; found {sessions}"
    side_events = qualified(store, graph, "SideEvents")
    assert len(side_events) == 1 and side_events[0][1] == 15 and side_events[0][0] in ("exactly", "approximately"), (
        f"B5: {url} gives 15 side events; found {side_events}"
    )


@pytest.mark.parametrize(("measure", "value"), [("Sessions", 86), ("SideEvents", 15), ("Exhibitors", 29)])
def test_b6_kazinform_programme_figures(store: Store, measure: str, value: int) -> None:
    found = qualified(store, graph_of(store, URL_KAZINFORM), measure)
    assert found == [("exactly", value)], f"B6: Kazinform gives {value} {measure}; found {found}"


def test_b6_kazinform_published_26_august_2025(store: Store) -> None:
    pattern = f"""?src schema:url <{URL_KAZINFORM}> ; dcterms:issued "2025-08-26"^^xsd:date ."""
    assert in_graph(store, EDITORIAL, pattern), "B6: the Kazinform item is dated 2025-08-26"


def test_b7_organisers_per_boersenblatt(store: Store) -> None:
    graph = graph_of(store, URL_BOERSENBLATT)
    organisers = iris(store, f"SELECT ?o WHERE {{ GRAPH <{graph}> {{ <{CONGRESS}> lwg:organiser ?o }} }}")
    expected = {IFLA, ASSOCIATION, KAZAKH_TOURISM, ASTANA_DEVELOPMENT_CENTRE}
    assert organisers == expected, f"B7: Börsenblatt names four organisers; found {sorted(organisers)}"
    assert in_graph(store, graph, f"<{ASTANA_DEVELOPMENT_CENTRE}> lwg:basedIn <{ASTANA}> ."), (
        "B7: the Astana Development Centre belongs to the city administration of Astana"
    )


def test_b8_bid_prepared_by(store: Store) -> None:
    query = (
        f"SELECT ?o WHERE {{ GRAPH <{graph_of(store, URL_CASPIAN_KICK_OFF)}> {{ <{CONGRESS}> lwg:bidPreparedBy ?o }} }}"
    )
    bidders = iris(store, query)
    assert bidders == {KAZAKH_TOURISM, VISIT_ASTANA, ASSOCIATION}, (
        f"B8: the bid was prepared by Kazakh Tourism, Visit Astana and the Association; found {sorted(bidders)}"
    )


def test_b9_professional_congress_organiser(store: Store) -> None:
    graph = graph_of(store, URL_ASTANA_TIMES)
    assert in_graph(store, graph, f"<{CONGRESS}> lwg:professionalCongressOrganiser <{KIT_GROUP}> ."), (
        "B9: K.I.T. Group was the professional congress organiser"
    )
    assert ("en", "K.I.T. Group") in labels(store, KIT_GROUP, "skos:prefLabel", graph=graph)


def test_b10_ifla_president_2023_to_2025(store: Store) -> None:
    pattern = f"""?post org:member <{MCDONALD}> ; org:organization <{IFLA}> ; org:role lwg:President ;
        schema:startDate ?start ; schema:endDate ?end .
        FILTER(STRSTARTS(STR(?start), "2023") && STRSTARTS(STR(?end), "2025"))"""
    assert in_graph(store, graph_of(store, URL_CASPIAN_LEADERS), pattern), (
        "B10: Vicki McDonald was IFLA President, 2023-2025"
    )


def test_b10_ifla_secretary_general(store: Store) -> None:
    pattern = f"?post org:member <{MEMIS}> ; org:organization <{IFLA}> ; org:role lwg:SecretaryGeneral ."
    assert in_graph(store, graph_of(store, URL_CASPIAN_LEADERS), pattern), "B10: Sharon Memis is IFLA Secretary General"


@pytest.mark.parametrize(("person", "name"), [(MCDONALD, "Vicki McDonald"), (MEMIS, "Sharon Memis")], ids=local)
def test_b10_names_of_ifla_leaders(store: Store, person: str, name: str) -> None:
    found = labels(store, person, "skos:prefLabel", graph=graph_of(store, URL_CASPIAN_LEADERS))
    assert ("en", name) in found, f"B10: the source names {name}; found {found}"


def test_b11_irzhanova_chair_president_and_speaker(store: Store) -> None:
    pattern = f"""<{NOC}> lwg:headedBy <{IRZHANOVA}> .
        ?chair org:member <{IRZHANOVA}> ; org:organization <{NOC}> ; org:role lwg:Chair .
        ?president org:member <{IRZHANOVA}> ; org:organization <{ASSOCIATION}> ; org:role lwg:President .
        ?opening lwg:sessionOf <{CONGRESS}> ; lwg:programmeFormat lwg:OpeningCeremony ; lwg:speaker <{IRZHANOVA}> ."""
    assert in_graph(store, graph_of(store, URL_IFLA_3964), pattern), (
        "B11: Gulzhan Irzhanova chaired the National Committee, presides over the Association, spoke at the opening"
    )


def test_b12_opening_keynote_oshanova(store: Store) -> None:
    pattern = f"""?opening lwg:sessionOf <{CONGRESS}> ; lwg:programmeFormat lwg:OpeningCeremony ;
            lwg:keynoteSpeaker <{OSHANOVA}> .
        ?post org:member <{OSHANOVA}> ; org:organization <{AL_FARABI}> ; org:role lwg:UnescoChairholder ."""
    graph = graph_of(store, URL_IFLA_3964)
    assert in_graph(store, graph, pattern), (
        "B12: the opening keynote was Oryntai Oshanova, UNESCO Chair at Al-Farabi Kazakh National University"
    )
    assert ("en", "Al-Farabi Kazakh National University") in labels(store, AL_FARABI, "skos:prefLabel", graph=graph)


# ---------------------------------------------------------------------------
# Institutions: dated facts, each from its own page
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "entity", "founded"),
    [
        (URL_DULATY_HISTORY, DULATY, '"1998-03-24"^^xsd:date'),
        (URL_TIMESCA, KAZAKH_TOURISM, '"2017-07"^^xsd:gYearMonth'),
        (URL_LIB_TARSU, LIBRARY_CENTRE, '"1958"^^xsd:gYear'),
    ],
    ids=["dulaty-1998-03-24", "kazakh-tourism-2017-07", "library-1958"],
)
def test_institution_founding_dates(store: Store, url: str, entity: str, founded: str) -> None:
    assert in_graph(store, graph_of(store, url), f"<{entity}> schema:foundingDate {founded} ."), (
        f"{local(entity)} was founded {founded}, per {url}"
    )


def test_dulaty_university_is_in_taraz_jambyl_region(store: Store) -> None:
    assert ask(
        store,
        f"""ASK {{ GRAPH ?g {{ <{DULATY}> lwg:basedIn <{TARAZ}> }}
        GRAPH ?h {{ <{TARAZ}> schema:containedInPlace <{JAMBYL_REGION}> }} }}""",
    ), "Dulaty University is in Taraz, Jambyl Region"


# ---------------------------------------------------------------------------
# C1-C6: attendance claims, side by side
# ---------------------------------------------------------------------------

#: claim: (source URL, qualifier, participants, reporting stage)
ATTENDANCE = {
    "C1": (URL_NEWSROOM, "approximately", 4000, "Forecast"),
    "C2": (URL_CASPIAN_FIRST_HOST, "moreThan", 1630, "BeforeEvent"),
    "C3": (URL_IFLA_3964, "moreThan", 1600, "FirstDay"),
    "C4": (URL_CASPIAN_KICK_OFF, "nearly", 1700, "AtOpening"),
    "C5": (URL_FARABI, "exactly", 1852, "AfterEvent"),
    "C6": (URL_S0, "approximately", 1820, "AfterEvent"),
}

#: claim: the country count given with it (114 unless the row says otherwise). The
#: newsroom.kz forecast (C1) gives only "about 4000" and no country count, so the
#: graph states none for it.
COUNTRIES: dict[str, tuple[str, int] | None] = {
    "C1": None,
    "C2": ("exactly", 114),
    "C3": ("moreThan", 110),
    "C4": ("exactly", 114),
    "C5": ("exactly", 114),
    "C6": ("exactly", 114),
}

#: claim: delegates from Kazakhstan
KAZAKHSTAN_DELEGATES = {"C3": ("nearly", 400), "C4": ("exactly", 398), "C5": ("exactly", 454)}


@pytest.mark.parametrize("claim", ATTENDANCE)
def test_attendance_claim_in_its_source_graph(store: Store, claim: str) -> None:
    url, qualifier, value, stage = ATTENDANCE[claim]
    graph = graph_of(store, url)
    found = figures(store, graph, "Participants")
    assert [(q, v) for _, q, v in found] == [(qualifier, value)], (
        f"{claim}: {url} claims {qualifier} {value} participants, one figure with one qualifier; found {found}"
    )
    figure = found[0][0]
    pattern = f"""<{figure}> lwg:reportingStage lwg:{stage} ; dcterms:source ?src .
        GRAPH <{EDITORIAL}> {{ ?src schema:url <{url}> }}"""
    assert ask(store, f"ASK {{ GRAPH <{graph}> {{ {pattern} }} }}"), (
        f"{claim}: the figure must name its source ({url}) and its reporting stage ({stage})"
    )


@pytest.mark.parametrize("claim", COUNTRIES)
def test_attendance_claim_country_count(store: Store, claim: str) -> None:
    url = ATTENDANCE[claim][0]
    found = qualified(store, graph_of(store, url), "Countries")
    expected = [COUNTRIES[claim]] if COUNTRIES[claim] else []
    assert found == expected, f"{claim}: {url} gives {COUNTRIES[claim]} countries; found {found}"


@pytest.mark.parametrize("claim", KAZAKHSTAN_DELEGATES)
def test_attendance_claim_delegates_from_kazakhstan(store: Store, claim: str) -> None:
    url = ATTENDANCE[claim][0]
    found = qualified(store, graph_of(store, url), "Participants", from_place=KAZAKHSTAN)
    assert found == [KAZAKHSTAN_DELEGATES[claim]], (
        f"{claim}: {url} gives {KAZAKHSTAN_DELEGATES[claim]} participants from Kazakhstan; found {found}"
    )


def test_six_attendance_totals_stand_side_by_side(store: Store) -> None:
    rows = select(
        store,
        f"""SELECT ?g ?f ?src ?q ?v WHERE {{ GRAPH ?g {{
            ?f a lwg:Figure ; lwg:figureFor <{CONGRESS}> ; lwg:measure lwg:Participants ; dcterms:source ?src ; ?q ?v .
            {QUALIFIER_FILTER}
            FILTER NOT EXISTS {{ ?f lwg:participantsFrom ?anywhere }}
        }} }}""",
    )
    claims = {(local(q.value), int(v.value)) for _, _, _, q, v in rows}
    expected = {(q, v) for _, q, v, _ in ATTENDANCE.values()}
    assert claims == expected, f"six participant totals expected, {sorted(expected)}; found {sorted(claims)}"
    for column, what in ((0, "graphs"), (1, "figures"), (2, "sources"), (4, "values")):
        distinct = {row[column].value for row in rows}
        assert len(distinct) == len(rows) == 6, f"the six totals must come with six distinct {what}: {sorted(distinct)}"


def test_no_attendance_claim_is_preferred(store: Store) -> None:
    preferred = select(
        store,
        f"""SELECT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }}
            FILTER(?g != <{ONTOLOGY_GRAPH}>)
            FILTER(CONTAINS(LCASE(STR(?p)), "prefer") && !CONTAINS(LCASE(STR(?p)), "preflabel")
                   || (isIRI(?o) && CONTAINS(LCASE(STR(?o)), "preferred"))) }}""",
    )
    assert not preferred, f"no claim may be marked preferred: {preferred}"
    direct = select(
        store,
        f"""SELECT ?g ?p ?v WHERE {{ GRAPH ?g {{ <{CONGRESS}> ?p ?v FILTER(isLiteral(?v) && isNumeric(?v))
            FILTER(?p != lwg:ordinal) }} }}""",
    )
    assert not direct, f"no attendance figure may be stated on the congress itself, outside a sourced figure: {direct}"


# ---------------------------------------------------------------------------
# Provenance
# ---------------------------------------------------------------------------


def test_every_named_graph_is_a_described_source_graph(store: Store) -> None:
    graphs = iris(store, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }") - {ONTOLOGY_GRAPH}
    assert SEED in graphs and EDITORIAL in graphs and DERIVED in graphs
    undescribed = sorted(
        g for g in graphs if not in_graph(store, EDITORIAL, f"<{g}> a lwg:SourceGraph ; prov:wasDerivedFrom ?from .")
    )
    assert not undescribed, f"graphs not described as lwg:SourceGraph with prov:wasDerivedFrom: {undescribed}"


def test_no_statement_outside_a_named_graph(store: Store) -> None:
    assert not ask(store, "ASK { ?s ?p ?o }"), "every statement must sit in a named graph"


def sources(store: Store) -> list[str]:
    found = iris(store, f"SELECT DISTINCT ?s WHERE {{ GRAPH <{EDITORIAL}> {{ ?s a lwg:Source }} }}")
    assert len(found) >= len(SOURCE_URLS) - 1, f"too few sources: {sorted(found)}"
    return sorted(found)


def test_every_source_has_exactly_one_http_url(store: Store) -> None:
    bad = {}
    for source in sources(store):
        urls = [row[0] for row in select(store, f"SELECT ?u WHERE {{ GRAPH ?g {{ <{source}> schema:url ?u }} }}")]
        if (
            len(urls) != 1
            or not isinstance(urls[0], NamedNode)
            or not urls[0].value.startswith(("http://", "https://"))
        ):
            bad[source] = urls
    assert not bad, f"sources without exactly one http(s) schema:url: {bad}"


def test_every_source_has_a_publisher_with_an_english_label(store: Store) -> None:
    missing = [
        s
        for s in sources(store)
        if not ask(
            store,
            f"""ASK {{ GRAPH <{EDITORIAL}> {{ <{s}> dcterms:publisher ?pub }}
                GRAPH ?g {{ ?pub skos:prefLabel ?l FILTER(langMatches(lang(?l), "en")) }} }}""",
        )
    ]
    assert not missing, f"sources without a publisher labelled in English: {missing}"


def test_every_source_has_a_language_and_a_document_kind(store: Store) -> None:
    missing = [
        s
        for s in sources(store)
        if not in_graph(
            store,
            EDITORIAL,
            f"""<{s}> dcterms:language ?lang ; a ?kind . FILTER(isIRI(?lang))
                FILTER(?kind IN (schema:NewsArticle, schema:WebPage))""",
        )
    ]
    assert not missing, f"sources without dcterms:language or a kind (schema:NewsArticle, schema:WebPage): {missing}"


@pytest.mark.parametrize("url", SOURCE_URLS.values(), ids=SOURCE_URLS.keys())
def test_every_source_in_facts_md_is_present(store: Store, url: str) -> None:
    assert in_graph(store, EDITORIAL, f"?src a lwg:Source ; schema:url <{url}> ."), (
        f"facts.md cites {url}: it must be an lwg:Source in the editorial graph"
    )


def test_figures_cite_the_source_of_their_graph(store: Store) -> None:
    foreign = select(
        store,
        f"""SELECT ?g ?f ?cited WHERE {{
            GRAPH <{EDITORIAL}> {{ ?g prov:wasDerivedFrom ?src
                FILTER NOT EXISTS {{ ?g prov:wasDerivedFrom ?other FILTER(?other != ?src) }} }}
            GRAPH ?g {{ ?f dcterms:source ?cited FILTER(?cited != ?src) }}
        }}""",
    )
    assert not foreign, f"statements citing a source other than their graph's: {foreign}"
    unsourced = select(
        store,
        "SELECT ?g ?f WHERE { GRAPH ?g { ?f a lwg:Figure FILTER NOT EXISTS { ?f dcterms:source ?any } } }",
    )
    assert not unsourced, f"figures without dcterms:source: {unsourced}"


# ---------------------------------------------------------------------------
# Names: Kazakh, Russian, English, and ALA-LC
# ---------------------------------------------------------------------------

#: The preferred names facts.md gives (for the university, the later names).
NAMES = {
    IRZHANOVA: {"kk": "Гүлжан Иржанова", "ru": "Гульжан Иржанова", "en": "Gulzhan Irzhanova"},
    KABAZOVA: {"kk": "Нұргүл Кабазова", "ru": "Нургуль Кабазова", "en": "Nurgul Kabazova"},
    BAKBERDIEVA: {"kk": "Гульсара Бакбердиева", "ru": "Гульсара Бакбердиева", "en": "Gulsara Bakberdieva"},
    RASHCHUPKIN: {"kk": "Вячеслав Ращупкин", "ru": "Вячеслав Ращупкин", "en": "Vyacheslav Rashchupkin"},
    DULATY: {
        "kk": "М.Х.Дулати атындағы Тараз университеті",
        "ru": "Таразский университет имени М.Х. Дулати",
        "en": "Taraz University named after M.Kh. Dulaty",
    },
    ASSOCIATION: {
        "kk": "ҚР жоғары оқу орындары кітапханаларының қауымдастығы",
        "ru": "Ассоциация библиотек высших учебных заведений Казахстана",
        "en": "Association of University Libraries of Kazakhstan",
    },
    KAZAKH_TOURISM: {
        "kk": "«ҚазақТуризм» Ұлттық компаниясы",
        "ru": "АО «Национальная компания «Kazakh Tourism»»",
        "en": "Kazakh Tourism National Company",
    },
}

#: Other forms facts.md gives, to be kept as skos:altLabel.
OTHER_NAMES = {
    DULATY: {
        ("kk", "М.Х.Дулати атындағы Тараз өңірлік университеті"),
        ("ru", "Таразский региональный университет имени М.Х. Дулати"),
        ("en", "M.Kh. Dulaty Taraz Regional University"),
        ("en", "Taraz State University"),
    },
    ASSOCIATION: {
        ("kk", "ҚР ЖОО кітапханалар қауымдастығы"),
        ("en", "Association of Higher Education Libraries of the Republic of Kazakhstan"),
    },
}

#: facts.md's ALA-LC column: (person, tag) to the romanized name.
ALA_LC = {
    (IRZHANOVA, "kk-latn-alalc97"): "Gu\u0307lzhan Irzhanova",
    (KABAZOVA, "kk-latn-alalc97"): "N\u016brgu\u0307l Kabazova",
    (BAKBERDIEVA, "kk-latn-alalc97"): "Gul\u02b9sara Bakberdieva",
    (BAKBERDIEVA, "ru-latn-alalc97"): "Gul\u02b9sara Bakberdieva",
    (RASHCHUPKIN, "kk-latn-alalc97"): "Vi\u0361acheslav Rashchupkin",
    (RASHCHUPKIN, "ru-latn-alalc97"): "Vi\u0361acheslav Rashchupkin",
}


@pytest.mark.parametrize(
    ("entity", "language"), [(e, lang) for e in NAMES for lang in ("kk", "ru", "en")], ids=lambda v: local(v)
)
def test_preferred_name_as_facts_md_gives_it(store: Store, entity: str, language: str) -> None:
    found = {text for lang, text in labels(store, entity, "skos:prefLabel") if lang == language}
    expected = nfc(NAMES[entity][language])
    assert found == {expected}, f"{local(entity)}: skos:prefLabel@{language} should be {expected!r}; found {found}"


@pytest.mark.parametrize("entity", OTHER_NAMES, ids=local)
def test_other_names_kept_as_alternative_labels(store: Store, entity: str) -> None:
    found = labels(store, entity, "skos:altLabel")
    missing = {(lang, nfc(text)) for lang, text in OTHER_NAMES[entity]} - found
    assert not missing, f"{local(entity)}: names facts.md gives but the graph lacks as skos:altLabel: {missing}"


def test_every_person_has_one_english_name(store: Store) -> None:
    people = iris(store, "SELECT DISTINCT ?p WHERE { GRAPH ?g { ?p a lwg:Person } }")
    assert set(NAMES) & people == {IRZHANOVA, KABAZOVA, BAKBERDIEVA, RASHCHUPKIN}
    bad = {}
    for person in people:
        for language in {lang for lang, _ in labels(store, person, "skos:prefLabel")} | {"en"}:
            names = {text for lang, text in labels(store, person, "skos:prefLabel") if lang == language}
            if len(names) != 1:
                bad[(person, language)] = names
    assert not bad, f"every person needs exactly one skos:prefLabel per language (and one in English): {bad}"


@pytest.mark.parametrize("person", [IRZHANOVA, KABAZOVA, BAKBERDIEVA, RASHCHUPKIN], ids=local)
def test_given_and_family_names_in_three_languages(store: Store, person: str) -> None:
    given = {lang: text for lang, text in labels(store, person, "foaf:givenName") if lang in ("kk", "ru", "en")}
    family = {lang: text for lang, text in labels(store, person, "foaf:familyName") if lang in ("kk", "ru", "en")}
    for language in ("kk", "ru", "en"):
        assert f"{given.get(language)} {family.get(language)}" == nfc(NAMES[person][language]), (
            f"{local(person)}: foaf:givenName and foaf:familyName @{language} should make {NAMES[person][language]!r}"
        )


@pytest.mark.parametrize(("person", "tag"), ALA_LC, ids=lambda v: local(v))
def test_ala_lc_romanization_from_facts_md(store: Store, person: str, tag: str) -> None:
    found = {text for lang, text in labels(store, person, "skos:altLabel", graph=DERIVED) if lang.lower() == tag}
    expected = nfc(ALA_LC[(person, tag)])
    assert expected in found, f"{local(person)}: the derived graph should hold {expected!r}@{tag}; found {found}"


@pytest.mark.parametrize(
    ("entity", "tag"),
    [(e, t) for e in NAMES for t in ("kk-latn-alalc97", "ru-latn-alalc97")],
    ids=lambda v: local(v),
)
def test_derived_romanized_names(store: Store, entity: str, tag: str) -> None:
    found = {text for lang, text in labels(store, entity, "skos:altLabel", graph=DERIVED) if lang.lower() == tag}
    assert found, f"{local(entity)}: the build should derive an ALA-LC name tagged {tag}"
    assert not any(letters(text)[0] for text in found), f"{local(entity)}: romanized names with Cyrillic left: {found}"


def dated_names(store: Store) -> list[str]:
    """The university's dated names, in order, following lwg:renamedTo from the first."""
    names = iris(store, f"SELECT DISTINCT ?n WHERE {{ GRAPH ?g {{ <{DULATY}> lwg:datedName ?n }} }}")
    assert len(names) == 3, f"the university has three dated names; found {sorted(names)}"
    typed = iris(store, "SELECT DISTINCT ?n WHERE { GRAPH ?g { ?n a lwg:DatedName } }")
    assert names <= typed, f"not lwg:DatedName: {sorted(names - typed)}"
    renamed = {(a.value, b.value) for a, b in select(store, "SELECT ?a ?b WHERE { GRAPH ?g { ?a lwg:renamedTo ?b } }")}
    following = {a: b for a, b in renamed if a in names and b in names}
    firsts = names - set(following.values())
    assert len(firsts) == 1, f"one first name expected; renamedTo links: {following}"
    chain = [firsts.pop()]
    while chain[-1] in following and len(chain) <= len(names):
        chain.append(following[chain[-1]])
    assert sorted(chain) == sorted(names), f"lwg:renamedTo should chain the three names in order; chain {chain}"
    return chain


def test_first_dated_name_from_1998_03_24(store: Store) -> None:
    first = dated_names(store)[0]
    assert in_graph(
        store, graph_of(store, URL_DULATY_HISTORY), f"""<{first}> lwg:inUseFrom "1998-03-24"^^xsd:date ."""
    ), "the first name was in use from 1998-03-24 (per the university's history page)"
    assert ("en", "Taraz State University") in labels(store, first, "skos:prefLabel"), (
        "the first name: Taraz State University"
    )


def test_second_dated_name_is_the_regional_university(store: Store) -> None:
    second = dated_names(store)[1]
    found = labels(store, second, "skos:prefLabel") | labels(store, second, "skos:altLabel")
    expected = {(lang, nfc(text)) for lang, text in OTHER_NAMES[DULATY] if text != "Taraz State University"}
    assert expected <= found, f"the second name is the regional one: missing {expected - found}"


def test_last_dated_name_in_use_not_before_2024(store: Store) -> None:
    last = dated_names(store)[-1]
    found = labels(store, last, "skos:prefLabel") | labels(store, last, "skos:altLabel")
    expected = {(lang, nfc(text)) for lang, text in NAMES[DULATY].items()}
    assert expected <= found, f"the last name is today's: missing {expected - found}"
    years = [
        int(row[0].value[:4])
        for row in select(store, f"SELECT ?d WHERE {{ GRAPH ?g {{ <{last}> lwg:inUseNotBefore|lwg:inUseFrom ?d }} }}")
    ]
    assert years and min(years) >= 2024, f"the last name is in use from 2024 or later; found {years}"


# ---------------------------------------------------------------------------
# Language tags and scripts
# ---------------------------------------------------------------------------


def name_literals(store: Store) -> list[tuple[str, str, str, Literal]]:
    values = " ".join(NAME_PROPERTIES)
    rows = select(store, f"SELECT ?g ?s ?p ?o WHERE {{ VALUES ?p {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}")
    return [(g.value, s.value, local(p.value), o) for g, s, p, o in rows]


def test_every_name_has_an_allowed_language_tag(store: Store) -> None:
    bad = [
        (s, p, o) for _, s, p, o in name_literals(store) if not isinstance(o, Literal) or o.language not in ALLOWED_TAGS
    ]
    assert not bad, f"names must be literals tagged one of {sorted(ALLOWED_TAGS)}: {bad}"


def test_script_matches_language_tag(store: Store) -> None:
    bad = []
    for _, subject, prop, literal in name_literals(store):
        if not isinstance(literal, Literal) or literal.language is None:
            continue
        cyrillic, latin = letters(literal.value)
        tag = literal.language.lower()
        if (tag == "en" or "-latn" in tag) and cyrillic:
            bad.append((subject, prop, literal.value, tag, "Cyrillic tagged as Latin"))
        if tag in ("kk", "ru") and latin and not cyrillic:
            bad.append((subject, prop, literal.value, tag, "Latin tagged as Cyrillic"))
    assert not bad, f"script and language tag disagree: {bad}"


# ---------------------------------------------------------------------------
# Outside identifiers
# ---------------------------------------------------------------------------

#: (entity, property, identifier): only those facts.md confirms.
IDENTIFIERS = [
    (KAZAKHSTAN, "owl:sameAs", f"{WIKIDATA}Q232"),
    (KAZAKHSTAN, "owl:sameAs", GEONAMES_KAZAKHSTAN),
    (ASTANA, "owl:sameAs", f"{WIKIDATA}Q1520"),
    (CENTRAL_ASIA, "owl:sameAs", f"{WIKIDATA}Q27275"),
    (JAMBYL_REGION, "owl:sameAs", f"{WIKIDATA}Q486657"),
    (TOPIC_AI, "skos:exactMatch", f"{WIKIDATA}Q11660"),
    (TOPIC_LIBRARY_SCIENCE, "skos:exactMatch", f"{WIKIDATA}Q199655"),
]


def test_outside_identifiers_are_exactly_the_confirmed_ones(store: Store) -> None:
    linked = iris(
        store,
        """SELECT DISTINCT ?o WHERE { GRAPH ?g { ?s ?p ?o }
            FILTER(?p IN (owl:sameAs, skos:exactMatch, schema:sameAs)) }""",
    )
    expected = {identifier for _, _, identifier in IDENTIFIERS}
    assert linked == expected, f"unconfirmed: {sorted(linked - expected)}; missing: {sorted(expected - linked)}"


@pytest.mark.parametrize(("entity", "prop", "identifier"), IDENTIFIERS, ids=lambda v: local(v))
def test_confirmed_identifier_linked_by_the_editors(store: Store, entity: str, prop: str, identifier: str) -> None:
    assert in_graph(store, EDITORIAL, f"<{entity}> {prop} <{identifier}> ."), f"{local(entity)} {prop} {identifier}"


def test_weak_taraz_identifier_is_absent(store: Store) -> None:
    assert not ask(
        store,
        f"ASK {{ GRAPH ?g {{ {{ ?s ?p <{WIKIDATA_TARAZ_WEAK}> }} UNION {{ <{WIKIDATA_TARAZ_WEAK}> ?p ?o }} }} }}",
    ), "Taraz's Wikidata Q486545 is only weakly attested and must not be linked"


# ---------------------------------------------------------------------------
# No blank nodes
# ---------------------------------------------------------------------------


def test_no_blank_nodes_anywhere(store: Store) -> None:
    blank = select(
        store,
        """SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isBlank(?s) || isBlank(?o)) } LIMIT 10""",
    )
    assert not blank, f"every node needs an IRI; blank nodes in: {blank}"
    assert not any(isinstance(q.graph_name, BlankNode) for q in store.quads_for_pattern(None, None, None, None))


# ---------------------------------------------------------------------------
# Links derived by the build
# ---------------------------------------------------------------------------

IRZHANOVA_POSTS = {
    f"{ID}post/irzhanova-chair-noc",
    f"{ID}post/irzhanova-director-dulaty-library-centre",
    f"{ID}post/irzhanova-president-association-university-libraries-kz",
}


def test_irzhanova_holds_each_of_her_posts_in_the_seed_graph(store: Store) -> None:
    stated = iris(store, f"SELECT ?post WHERE {{ GRAPH <{SEED}> {{ ?post org:member <{IRZHANOVA}> }} }}")
    assert stated == IRZHANOVA_POSTS, f"A10-A12: her three posts in the seed article; found {sorted(stated)}"
    derived = iris(store, f"SELECT ?post WHERE {{ GRAPH <{SEED}> {{ <{IRZHANOVA}> lwg:holdsPost ?post }} }}")
    assert derived == IRZHANOVA_POSTS, (
        f"lwg:holdsPost should restate each post in the same graph; found {sorted(derived)}"
    )


@pytest.mark.parametrize("person", DELEGATES, ids=local)
def test_each_delegate_is_delegate_in_the_delegation(store: Store, person: str) -> None:
    assert in_graph(store, SEED, f"<{person}> lwg:delegateIn <{DELEGATION}> ."), (
        f"{local(person)} lwg:delegateIn the delegation, in the seed article's graph"
    )


def test_every_inverse_link_is_derived_in_the_same_graph(store: Store) -> None:
    missing = select(
        store,
        f"""SELECT ?g ?s ?p ?o ?inverse WHERE {{
            GRAPH <{ONTOLOGY_GRAPH}> {{ {{ ?p owl:inverseOf ?inverse }} UNION {{ ?inverse owl:inverseOf ?p }} }}
            GRAPH ?g {{ ?s ?p ?o FILTER(isIRI(?o)) }}
            FILTER(?g != <{ONTOLOGY_GRAPH}>)
            FILTER NOT EXISTS {{ GRAPH ?g {{ ?o ?inverse ?s }} }}
        }} LIMIT 20""",
    )
    assert not missing, f"statements whose inverse is not in the same graph: {missing}"


def test_every_preferred_label_has_a_display_label_in_the_same_graph(store: Store) -> None:
    missing = select(
        store,
        f"""SELECT ?g ?s ?l WHERE {{ GRAPH ?g {{ ?s skos:prefLabel ?l FILTER NOT EXISTS {{ ?s rdfs:label ?l }} }}
            FILTER(?g != <{ONTOLOGY_GRAPH}>) }} LIMIT 20""",
    )
    assert not missing, f"skos:prefLabel without the derived rdfs:label in the same graph: {missing}"


@pytest.mark.parametrize(
    ("entity", "types"),
    [
        ("person/gulzhan-irzhanova", ("bf:Person", "bf:Agent", "foaf:Person", "schema:Person")),
        ("organisation/dulaty-university", ("bf:Organization", "bf:Agent", "org:Organization", "schema:CollegeOrUniversity")),
        ("organisation/dulaty-library-centre", ("bf:Organization", "org:OrganizationalUnit")),
        ("congress/wlic-2025", ("bf:Meeting", "schema:Event", "prov:Activity")),
    ],
)
def test_catalogue_tools_find_the_types_they_expect(store: Store, entity: str, types: tuple[str, ...]) -> None:
    """BIBFRAME editors do not reason over subclass axioms: the build states the outside types."""
    prefixes = {
        "bf": "http://id.loc.gov/ontologies/bibframe/",
        "foaf": "http://xmlns.com/foaf/0.1/",
        "org": "http://www.w3.org/ns/org#",
        "prov": "http://www.w3.org/ns/prov#",
        "schema": "https://schema.org/",
    }
    for name in types:
        prefix, local = name.split(":")
        cls = f"{prefixes[prefix]}{local}"
        assert ask(store, f"ASK {{ GRAPH <{DERIVED}> {{ <{ID}{entity}> a <{cls}> }} }}"), f"{entity} is not typed {name}"
