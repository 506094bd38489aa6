"""The name index: built from the release, deterministic, and finding the right entity first in any form."""

from __future__ import annotations

import copy
import json
import time
from pathlib import Path
from typing import Any

import pytest
from pyoxigraph import Store

from kg.errors import InputError, NoRelease
from kg.index import (
    FORMAT,
    WEIGHT_ALT,
    WEIGHT_PREF,
    WEIGHT_VARIANT,
    build_index,
    dumps,
    load_index,
    lookup,
    refresh,
    search,
    suggest,
    write_index,
)
from kg.release import Release

TIE = "\u0361"
LEFT, RIGHT = "\ufe20", "\ufe21"
IRZHANOVA = "person/gulzhan-irzhanova"
KABAZOVA = "person/nurgul-kabazova"
BAKBERDIEVA = "person/gulsara-bakberdieva"
RASHCHUPKIN = "person/vyacheslav-rashchupkin"
DULATY = "organisation/dulaty-university"
ASSOCIATION = "organisation/association-university-libraries-kz"
WLIC_2025 = "congress/wlic-2025"
NAMESAKE = "person/gulzhan-irzhanova-namesake"


def base_of(release: Release) -> str:
    return str(json.loads((release.path / "release.json").read_text(encoding="utf-8"))["base"])


@pytest.fixture(scope="module")
def index(store: Store, release: Release) -> dict[str, Any]:
    return build_index(store, base_of(release))


def with_namesake(index: dict[str, Any]) -> dict[str, Any]:
    """A copy of the index with a second person of exactly the same names (not in the graph)."""
    copied = copy.deepcopy(index)
    entry = copy.deepcopy(copied["entities"][IRZHANOVA])
    entry["iri"] = copied["entity_base"] + NAMESAKE
    entry["same_as"] = []
    copied["entities"][NAMESAKE] = entry
    return refresh(copied)


# Every form of facts.md's names table and issue 4, with the entity it must find first.
FORMS = [
    ("Гүлжан Иржанова", IRZHANOVA),
    ("Гульжан Иржанова", IRZHANOVA),
    ("Gulzhan Irzhanova", IRZHANOVA),
    ("Gu̇lzhan Irzhanova", IRZHANOVA),
    (f"Gu{TIE}lzhan Irzhanova", IRZHANOVA),
    ("GULZHAN IRZHANOVA", IRZHANOVA),
    ("gulzhan irzhanova", IRZHANOVA),
    ("Irzhanova, Gu̇lzhan", IRZHANOVA),
    ("Irzhanova, Gulzhan", IRZHANOVA),
    ("Irzhanova Gulzhan", IRZHANOVA),
    ("Иржанова, Гүлжан", IRZHANOVA),
    ("Irzhanova G.", IRZHANOVA),
    ("Irzhanova, G.", IRZHANOVA),
    ("G. Irzhanova", IRZHANOVA),
    ("Иржанова Г.", IRZHANOVA),
    ("Gülzhan Irzhanova", IRZHANOVA),
    ("Güljan İrjanova", IRZHANOVA),
    ("İrjanova, Güljan", IRZHANOVA),
    ("Гулжан Иржанова", IRZHANOVA),
    ("Gulʹzhan Irzhanova", IRZHANOVA),
    ("Нұргүл Кабазова", KABAZOVA),
    ("Нургуль Кабазова", KABAZOVA),
    ("Nūrgu̇l Kabazova", KABAZOVA),
    ("Nurgul Kabazova", KABAZOVA),
    ("Kabazova, Nūrgu̇l", KABAZOVA),
    ("Kabazova N.", KABAZOVA),
    ("Nūrgül Kabazova", KABAZOVA),
    ("Гульсара Бакбердиева", BAKBERDIEVA),
    ("Gulsara Bakberdieva", BAKBERDIEVA),
    ("Gulʹsara Bakberdieva", BAKBERDIEVA),
    ("Gul'sara Bakberdieva", BAKBERDIEVA),
    ("Bakberdieva, Gulʹsara", BAKBERDIEVA),
    ("Gulsara Bakberdiyeva", BAKBERDIEVA),
    ("Вячеслав Ращупкин", RASHCHUPKIN),
    ("Vyacheslav Rashchupkin", RASHCHUPKIN),
    (f"Vi{TIE}acheslav Rashchupkin", RASHCHUPKIN),
    (f"Vi{LEFT}a{RIGHT}cheslav Rashchupkin", RASHCHUPKIN),
    ("Viacheslav Rashchupkin", RASHCHUPKIN),
    (f"Rashchupkin, Vi{LEFT}a{RIGHT}cheslav", RASHCHUPKIN),
    ("Rashchupkin V.", RASHCHUPKIN),
    # The university: current and dated names in every script, and its short names.
    ("Taraz University named after M.Kh. Dulaty", DULATY),
    ("М.Х.Дулати атындағы Тараз университеті", DULATY),
    ("Таразский университет имени М.Х. Дулати", DULATY),
    ("M.Kh. Dulaty Taraz University", DULATY),
    ("M.Kh. Dulaty Taraz Regional University", DULATY),
    ("М.Х.Дулати атындағы Тараз өңірлік университеті", DULATY),
    ("Таразский региональный университет имени М.Х. Дулати", DULATY),
    ("Tarazskiĭ regionalʹnyĭ universitet imeni M.Kh. Dulati", DULATY),
    ("M.Kh.Dulati atyndaghy Taraz universitetī", DULATY),
    ("M.Kh.Dulati atyndağy Taraz universitetı", DULATY),
    ("Taraz State University", DULATY),
    ("Dulaty University", DULATY),
    ("DULATY UNIVERSITY", DULATY),
    ("Дулати университеті", DULATY),
    # The Association, by its Kazakh abbreviation (and romanized), and its other names.
    ("ҚР ЖОО кітапханалар қауымдастығы", ASSOCIATION),
    ("QR ZHOO kītapkhanalar qauymdastyghy", ASSOCIATION),
    ("QR JOO kıtaphanalar qauymdastyğy", ASSOCIATION),
    ("ҚР жоғары оқу орындары кітапханаларының қауымдастығы", ASSOCIATION),
    ("Ассоциация библиотек высших учебных заведений Казахстана", ASSOCIATION),
    ("Association of University Libraries of Kazakhstan", ASSOCIATION),
    ("Association of Libraries of Higher Education Institutions of the Republic of Kazakhstan", ASSOCIATION),
    # The congress.
    ("WLIC 2025", WLIC_2025),
    ("IFLA WLIC 2025", WLIC_2025),
    ("ИФЛА-2025", WLIC_2025),
    ("ИФЛА 2025", WLIC_2025),
    ("IFLA-2025", WLIC_2025),
    ("89th World Library and Information Congress", WLIC_2025),
    ("89-шы Дүниежүзілік кітапханалық және ақпараттық конгресс", WLIC_2025),
    ("89-й Всемирный библиотечный и информационный конгресс", WLIC_2025),
    # Others.
    ("Kazakh Tourism", "organisation/kazakh-tourism"),
    ("«ҚазақТуризм» Ұлттық компаниясы", "organisation/kazakh-tourism"),
    ("IFLA", "organisation/ifla"),
    ("Library and Information Center of Dulaty University", "organisation/dulaty-library-centre"),
    ("Астана", "place/astana"),
    ("Qazaqstan", "place/kazakhstan"),
    ("жасанды интеллект", "topic/artificial-intelligence"),
    ("World Library and Information Congress", "series/wlic"),
]


@pytest.mark.parametrize(("text", "expected"), FORMS)
def test_search_finds_the_right_entity_first(index: dict[str, Any], text: str, expected: str) -> None:
    found = search(index, text)
    assert found, text
    assert found[0].id == expected, [(c.id, c.score) for c in found]
    assert len(found) == 1 or found[1].score < found[0].score


def test_scores_follow_the_kind_of_name(index: dict[str, Any]) -> None:
    assert search(index, "Gulzhan Irzhanova")[0].score == WEIGHT_PREF  # prefLabel
    assert search(index, "Taraz State University")[0].score == WEIGHT_ALT  # altLabel, dated name
    assert search(index, "Irzhanova, Gulzhan")[0].score == WEIGHT_PREF  # the authority heading (madsrdf:authoritativeLabel)
    assert search(index, "Иржанова, Гүлжан")[0].score == WEIGHT_ALT  # a see-from tracing (madsrdf:variantLabel)
    assert search(index, "Irzhanova G.")[0].score == WEIGHT_VARIANT
    partial = search(index, "Irzhanova")[0]
    assert partial.id == IRZHANOVA and partial.score < WEIGHT_VARIANT and partial.how == "tokens"
    for text, _ in FORMS:
        for candidate in search(index, text):
            assert 0 <= candidate.score <= 100


def test_search_tolerates_a_misspelling(index: dict[str, Any]) -> None:
    assert search(index, "Raschupkin")[0].id == RASHCHUPKIN
    assert search(index, "Gulzhan Irzhanowa")[0].id == IRZHANOVA


def test_identifiers_find_their_entity(index: dict[str, Any]) -> None:
    iri = index["entities"][IRZHANOVA]["iri"]
    for text in (iri, IRZHANOVA, f"  {iri} "):
        found = search(index, text)
        assert found[0].id == IRZHANOVA and found[0].score == 100 and found[0].how == "id"
    assert search(index, "Q232")[0].id == "place/kazakhstan"
    assert search(index, "http://www.wikidata.org/entity/Q1520")[0].id == "place/astana"
    assert search(index, "https://sws.geonames.org/1522867/")[0].id == "place/kazakhstan"


def test_type_filter(index: dict[str, Any]) -> None:
    assert search(index, "Dulaty University", types=["lwg:Organisation"])[0].id == DULATY  # a subclass
    assert DULATY not in [c.id for c in search(index, "Dulaty University", types=["lwg:Person"])]
    full = "https://w3id.org/lwg/ontology#University"
    assert search(index, "Dulaty University", types=[full])[0].id == DULATY
    assert search(index, "Dulaty University", types=["University"])[0].id == DULATY
    assert all("lwg:Place" in index["entities"][c.id]["classes"] for c in search(index, "Astana", types=["lwg:Place"]))


def test_labels_in_the_requested_language(index: dict[str, Any]) -> None:
    assert search(index, "Gulzhan Irzhanova", language="kk")[0].name == "Гүлжан Иржанова"
    assert search(index, "Gulzhan Irzhanova", language="ru")[0].name == "Гульжан Иржанова"
    assert search(index, "Gulzhan Irzhanova", language="de")[0].name == "Gulzhan Irzhanova"
    assert search(index, "Oryntai Oshanova", language="kk")[0].name == "Oryntai Oshanova"  # falls back to English


def test_suggest_completes_prefixes(index: dict[str, Any]) -> None:
    assert suggest(index, "Irzh")[0].id == IRZHANOVA
    assert suggest(index, "gulzhan irz")[0].id == IRZHANOVA
    assert suggest(index, "Ращуп")[0].id == RASHCHUPKIN
    assert suggest(index, "Dulaty Univ", types=["lwg:University"])[0].id == DULATY
    assert suggest(index, "ИФЛА-20")[0].id == WLIC_2025
    people = [c.id for c in suggest(index, "Gul", types=["lwg:Person"])]
    assert set(people[:2]) == {IRZHANOVA, BAKBERDIEVA}
    assert suggest(index, "Таразск", language="ru")[0].name == "Таразский университет имени М.Х. Дулати"
    assert len(suggest(index, "a", limit=3)) <= 3
    assert suggest(index, "") == []


def test_lookup_is_exact_but_tolerant(index: dict[str, Any]) -> None:
    assert [c.id for c in lookup(index, "GULZHAN IRZHANOVA")] == [IRZHANOVA]
    assert [c.id for c in lookup(index, "Irzhanova, Gu̇lzhan")] == [IRZHANOVA]
    assert [c.id for c in lookup(index, "Dulaty University")] == [DULATY]
    assert lookup(index, "Irzhanova") == []
    assert lookup(index, "") == []
    assert [c.id for c in lookup(with_namesake(index), "Gulzhan Irzhanova")] == [IRZHANOVA, NAMESAKE]
    assert lookup(index, "Dulaty University", types=["lwg:Person"]) == []


def test_ties_are_broken_by_id(index: dict[str, Any]) -> None:
    twins = with_namesake(index)
    first = [(c.id, c.score) for c in search(twins, "Gulzhan Irzhanova")]
    assert first[:2] == [(IRZHANOVA, 100.0), (NAMESAKE, 100.0)]
    assert [(c.id, c.score) for c in search(twins, "Gulzhan Irzhanova")] == first


@pytest.mark.parametrize("text", ['"', "}", "\\", "\n", "'; DROP", "?s ?p ?o", "<http://x>", "\u0000", " ", "a" * 10000])
def test_hostile_or_empty_text_raises_nothing(index: dict[str, Any], text: str) -> None:
    assert isinstance(search(index, text), list)
    assert isinstance(suggest(index, text), list)
    assert isinstance(lookup(index, text), list)


def test_entries_hold_what_a_response_needs(index: dict[str, Any]) -> None:
    entry = index["entities"][IRZHANOVA]
    assert entry["iri"] == index["entity_base"] + IRZHANOVA
    assert entry["types"] == ["lwg:Person"]
    assert entry["labels"]["en"] == "Gulzhan Irzhanova" and entry["labels"]["kk"] == "Гүлжан Иржанова"
    assert "president, Association of University Libraries of Kazakhstan" in entry["descriptions"]["en"]
    assert index["entities"][DULATY]["types"] == ["lwg:University"]
    assert {"lwg:University", "lwg:Organisation"} <= set(index["entities"][DULATY]["classes"])
    kinds = {t for e in index["entities"].values() for t in e["classes"]}
    assert {"lwg:Person", "lwg:Organisation", "lwg:Congress", "lwg:CongressSeries", "lwg:Place", "lwg:Topic"} <= kinds
    assert not any(eid.startswith(("post/", "figure/", "source/", "name/")) for eid in index["entities"])
    assert index["types"]["lwg:University"]["broader"] == ["lwg:Organisation"]


def test_the_index_is_deterministic_and_round_trips(index: dict[str, Any], store: Store, release: Release, tmp_path: Path) -> None:
    again = build_index(store, base_of(release))
    assert dumps(again) == dumps(index)
    path = write_index(index, tmp_path / "names.json")
    loaded = load_index(path)
    assert loaded["format"] == FORMAT
    assert dumps(loaded) == dumps(index)
    assert search(loaded, "Irzhanova G.")[0].id == IRZHANOVA  # no store needed to match


def test_load_index_refuses_what_is_not_an_index(tmp_path: Path) -> None:
    with pytest.raises(NoRelease):
        load_index(tmp_path / "missing.json")
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError):
        load_index(tmp_path / "bad.json")
    (tmp_path / "other.json").write_text('{"format": "something else"}', encoding="utf-8")
    with pytest.raises(InputError):
        load_index(tmp_path / "other.json")


def test_index_size_and_search_time(index: dict[str, Any]) -> None:
    size = len(dumps(index))
    keys = sum(len(e["keys"]) for e in index["entities"].values())
    texts = [text for text, _ in FORMS]
    started = time.perf_counter()
    for text in texts:
        search(index, text)
    per_search = (time.perf_counter() - started) / len(texts)
    print(f"\nindex: {len(index['entities'])} entities, {keys} keys, {len(index['tokens'])} tokens, {size} bytes; "
          f"search: {per_search * 1000:.3f} ms")
    assert size < 5_000_000
    assert per_search < 0.05
