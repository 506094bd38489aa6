"""MARC 21 authority records: built from the release, written as MARCXML and ISO 2709, read back with pymarc.

Expected values come from ``shared/sources/facts.md`` (names in every script, the
congress heading, the founding date) and from the MARC 21 Format for Authority Data
(leader, 008, field structure). Every check runs on the records as pymarc parses
them back from the bytes, not on the objects that wrote them.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import unicodedata
from xml.etree import ElementTree as ET

import pymarc
import pytest
from pymarc import Field, Record
from pyoxigraph import NamedNode, Store

from kg import marc
from kg.release import MANIFEST, Release

BASE = "https://w3id.org/lwg/"
ID = f"{BASE}id/"
IRZHANOVA = f"{ID}person/gulzhan-irzhanova"
RASHCHUPKIN = f"{ID}person/vyacheslav-rashchupkin"
MCDONALD = f"{ID}person/vicki-mcdonald"
DULATY = f"{ID}organisation/dulaty-university"
LIBRARY_CENTRE = f"{ID}organisation/dulaty-library-centre"
ASSOCIATION = f"{ID}organisation/association-university-libraries-kz"
KAZAKH_TOURISM = f"{ID}organisation/kazakh-tourism"
ASTANA_DEVELOPMENT = f"{ID}organisation/astana-development-centre"
WLIC_2025 = f"{ID}congress/wlic-2025"
WLIC_2023 = f"{ID}congress/wlic-2023"
DULATY_ARTICLE = (
    "https://dulaty.edu.kz/2020-01-30-02-50-58/item/8337-dulati-universitetini-delegatsiyasy-"
    "lemdik-de-gejdegi-ifla-2025-kongresine-atysty.html"
)
UNIVERSITY = "Taraz University named after M.Kh. Dulaty"
SLIM = "http://www.loc.gov/MARC21/slim"
FIELD_END, RECORD_END = b"\x1e", b"\x1d"


# ---------------------------------------------------------------------------
# Fixtures: the records, both files, and the records pymarc reads back from them
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def modified(release: Release) -> dt.date:
    """The dataset's modification date, as the release's manifest gives it."""
    manifest = json.loads((release.path / MANIFEST).read_text(encoding="utf-8"))
    return dt.date.fromisoformat(manifest["modified"])


@pytest.fixture(scope="module")
def records(store: Store, modified: dt.date) -> list[Record]:
    return marc.authority_records(store, BASE, modified=modified)


@pytest.fixture(scope="module")
def xml_bytes(records: list[Record]) -> bytes:
    return marc.marcxml_bytes(records)


@pytest.fixture(scope="module")
def mrc(records: list[Record]) -> bytes:
    return marc.mrc_bytes(records)


@pytest.fixture(scope="module")
def from_xml(xml_bytes: bytes) -> list[Record]:
    return list(pymarc.parse_xml_to_array(io.BytesIO(xml_bytes)))


@pytest.fixture(scope="module")
def from_mrc(mrc: bytes) -> list[Record]:
    reader = pymarc.MARCReader(io.BytesIO(mrc), to_unicode=True, force_utf8=True)
    parsed = list(reader)
    assert reader.current_exception is None, reader.current_exception
    assert all(r is not None for r in parsed)
    return [r for r in parsed if r is not None]


@pytest.fixture(scope="module", params=["marcxml", "mrc"])
def parsed(request: pytest.FixtureRequest, from_xml: list[Record], from_mrc: list[Record]) -> dict[str, Record]:
    """The records read back from one of the two files, by the IRI in their 024."""
    chosen = from_xml if request.param == "marcxml" else from_mrc
    by_iri = {marc.entity_iri(r): r for r in chosen}
    assert None not in by_iri
    return {iri: record for iri, record in by_iri.items() if iri}


def values(record: Record, tag: str, code: str = "a") -> list[str]:
    return [v for f in record.get_fields(tag) for v in f.get_subfields(code)]


def tracings(record: Record) -> list[str]:
    return [f.get_subfields("a")[0] for f in record.get_fields("400", "410", "411")]


def heading_subfields(f: Field) -> list[tuple[str, str]]:
    """A heading's subfields without the identifiers and the relationship ($0, $1, $i, $w)."""
    return [(s.code, s.value) for s in f.subfields if s.code not in "01iw"]


def control(record: Record, tag: str) -> str:
    data = record[tag].data
    assert data is not None, tag
    return data


def mnemonic(f: Field) -> str:
    return " ".join(f"${s.code} {s.value}" for s in f.subfields if s.code not in "01")


def single(record: Record, tag: str) -> Field:
    fields = record.get_fields(tag)
    assert len(fields) == 1, f"{tag}: {fields}"
    return fields[0]


def linked(record: Record, tag: str, iri: str) -> Field:
    """The field with this tag whose $1 is ``iri``."""
    matches = [f for f in record.get_fields(tag) if iri in f.get_subfields("1")]
    assert len(matches) == 1, f"{tag} to {iri}: {matches}"
    return matches[0]


# ---------------------------------------------------------------------------
# The set of records
# ---------------------------------------------------------------------------


def test_one_record_per_person_organisation_and_congress(records: list[Record], release: Release) -> None:
    kinds = [str(marc.entity_iri(r)).removeprefix(ID).split("/")[0] for r in records]
    for kind in ("person", "organisation", "congress"):
        assert kinds.count(kind) == release.entities[kind], kind
    assert set(kinds) == {"person", "organisation", "congress"}
    iris = [marc.entity_iri(r) for r in records]
    assert len(set(iris)) == len(iris)
    numbers = [control(r, "001") for r in records]
    assert len(set(numbers)) == len(numbers)
    assert numbers == sorted(numbers)


def test_both_files_parse_back_to_the_same_records(
    records: list[Record], from_xml: list[Record], from_mrc: list[Record]
) -> None:
    assert len(from_xml) == len(from_mrc) == len(records)
    for written, xml_record, mrc_record in zip(records, from_xml, from_mrc, strict=True):
        assert xml_record.as_marc() == mrc_record.as_marc() == written.as_marc()
        assert str(xml_record.leader) == str(mrc_record.leader)


def test_output_is_deterministic(store: Store, modified: dt.date, xml_bytes: bytes, mrc: bytes) -> None:
    again = marc.authority_records(store, BASE, modified=modified)
    assert marc.marcxml_bytes(again) == xml_bytes
    assert marc.mrc_bytes(again) == mrc


def test_modified_date_defaults_to_what_the_store_states(store: Store) -> None:
    default = marc.authority_records(store, BASE)
    dates = {control(r, "005") for r in default}
    assert len(dates) == 1 and re.fullmatch(r"\d{14}\.0", dates.pop())


# ---------------------------------------------------------------------------
# Leader, control fields, 008
# ---------------------------------------------------------------------------


def test_leader(from_mrc: list[Record], mrc: bytes) -> None:
    offset = 0
    for record in from_mrc:
        leader = str(record.leader)
        assert len(leader) == 24
        length = int(leader[0:5])
        raw = mrc[offset : offset + length]
        assert raw[:24].decode("ascii") == leader, "the leader read back is the leader written"
        assert raw.endswith(RECORD_END)
        assert leader[5] == "n"  # new
        assert leader[6] == "z"  # authority data
        assert leader[7:9] == "  "
        assert leader[9] == "a"  # UCS/Unicode
        assert leader[10:12] == "22"
        base_address = int(leader[12:17])
        directory = raw[24 : base_address - 1]
        assert len(directory) == 12 * len(record.fields), "a directory entry per field"
        assert raw[base_address - 1 : base_address] == FIELD_END
        assert leader[17] == "n"  # complete authority record
        assert leader[18] == "i"  # punctuation included
        assert leader[19] == " "
        assert leader[20:24] == "4500"
        offset += length
    assert offset == len(mrc)
    assert mrc.count(RECORD_END) == len(from_mrc)
    mrc.decode("utf-8")  # strictly UTF-8 throughout


def test_control_fields(parsed: dict[str, Record], modified: dt.date) -> None:
    for iri, record in parsed.items():
        assert [f.tag for f in record.fields[:4]] == ["001", "003", "005", "008"], iri
        kind, slug = iri.removeprefix(ID).split("/")
        assert control(record, "001") == f"{kind}-{slug}"
        assert control(record, "003") == marc.AGENCY
        assert control(record, "005") == f"{modified:%Y%m%d}000000.0"


def test_fixed_field_008(parsed: dict[str, Record], modified: dt.date) -> None:
    for iri, record in parsed.items():
        value = control(record, "008")
        assert len(value) == 40, iri
        assert value[0:6] == f"{modified:%y%m%d}"  # date entered on file
        assert value[6] == "n"  # no geographic subdivision
        assert value[7] in "gnc"  # romanization scheme
        assert value[8] == " "
        assert value[9] == "a"  # established heading
        assert value[10] == "z"  # descriptive rules: other (RDA, in 040 $e)
        assert value[11:18] == "znnaabn"
        assert value[18:28] == " " * 10
        assert value[28] in "|o"
        assert value[29:32] == "b a"
        assert value[32] == ("a" if "/person/" in iri else "n")  # differentiated personal name
        assert value[33] == "a"
        assert value[34:38] == " " * 4
        assert value[38:40] == " d"
    assert control(parsed[IRZHANOVA], "008")[7] == "g", "an English form of a name written in Cyrillic"
    assert control(parsed[MCDONALD], "008")[7] == "n", "a name in Latin script only"
    assert control(parsed[ASTANA_DEVELOPMENT], "008")[28] == "o", "a public body"
    assert control(parsed[DULATY], "008")[28] == "|"


def test_fixed_field_builder_gives_40_characters() -> None:
    for kind in ("person", "organisation", "congress"):
        assert len(marc.fixed_field(kind, dt.date(2026, 11, 25))) == 40


def test_identifier_cataloging_source_and_heading_iri(parsed: dict[str, Record]) -> None:
    for iri, record in parsed.items():
        identifier = single(record, "024")
        assert (identifier.indicator1, identifier.indicator2) == ("7", " ")
        assert identifier.get_subfields("a") == [iri]
        assert identifier.get_subfields("2") == ["uri"]
        source = single(record, "040")
        assert [(s.code, s.value) for s in source.subfields] == [
            ("a", marc.AGENCY),
            ("b", "eng"),
            ("e", "rda"),
            ("c", marc.AGENCY),
        ]
        headings = record.get_fields("100", "110", "111")
        assert len(headings) == 1, iri
        assert headings[0].get_subfields("1") == [iri], "the entity IRI is $1 material"
        assert not headings[0].get_subfields("0")


def test_every_record_cites_a_source(parsed: dict[str, Record]) -> None:
    for iri, record in parsed.items():
        citations = record.get_fields("670")
        assert citations, iri
        for f in citations:
            assert len(f.get_subfields("a")) == 1
            assert len(f.get_subfields("u")) == 1 and f.get_subfields("u")[0].startswith("http")


def test_tracings_are_other_forms_only(parsed: dict[str, Record]) -> None:
    for iri, record in parsed.items():
        heading = record.get_fields("100", "110", "111")[0]
        text = " ".join(v for c, v in heading_subfields(heading))
        forms = [" ".join(v for c, v in heading_subfields(f)) for f in record.get_fields("400", "410", "411")]
        assert text not in forms, iri
        assert len(forms) == len(set(forms)), f"{iri}: a form traced twice"


def test_see_also_links_resolve_to_records(parsed: dict[str, Record]) -> None:
    """Every 5XX names another record: $0 is its control number, $1 its IRI, $a.. its heading."""
    by_number = {control(r, "001"): r for r in parsed.values()}
    links = 0
    for iri, record in parsed.items():
        for f in record.get_fields("500", "510", "511"):
            links += 1
            assert f.get_subfields("w") == ["r"] and len(f.get_subfields("i")) == 1, iri
            assert f.get_subfields("i")[0].endswith(":")
            (number,) = f.get_subfields("0")
            target = by_number[number.removeprefix(f"({marc.AGENCY})")]
            assert f.get_subfields("1") == [marc.entity_iri(target)]
            target_heading = target.get_fields("100", "110", "111")[0]
            assert f.tag[1:] == target_heading.tag[1:]
            assert heading_subfields(f) == heading_subfields(target_heading)
    assert links >= 5


def test_nothing_invented(parsed: dict[str, Record]) -> None:
    for iri, record in parsed.items():
        assert not record.get_fields("375"), "gender is not in the graph"
        if "/person/" in iri:
            assert not record.get_fields("046"), "no birth or death dates in the graph"
    assert not parsed[ASSOCIATION].get_fields("046"), "the Association's founding date is unknown"


def test_tie_bars_are_the_marc_halves(xml_bytes: bytes, mrc: bytes, parsed: dict[str, Record]) -> None:
    for payload in (xml_bytes.decode("utf-8"), mrc.decode("utf-8")):
        assert "\u0361" not in payload
        assert "\ufe20" in payload and "\ufe21" in payload
    assert "Rashchupkin, Vi\ufe20a\ufe21cheslav" in tracings(parsed[RASHCHUPKIN])
    assert "Rashchupkin, Vyacheslav" == single(parsed[RASHCHUPKIN], "100").get_subfields("a")[0]


def test_marc_text() -> None:
    assert marc.marc_text("Vi\u0361acheslav") == "Vi\ufe20a\ufe21cheslav"
    assert marc.marc_text("n\u0361g") == "n\ufe20g\ufe21"
    assert marc.marc_text("Gu\u0307lzhan") == "Gu\u0307lzhan"
    decomposed = unicodedata.normalize("NFD", "Tarazskiĭ")
    assert marc.marc_text(decomposed) == "Tarazskiĭ"


def test_ordinal() -> None:
    assert [marc.ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 88, 89, 101, 111)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "88th", "89th", "101st", "111th",
    ]  # fmt: skip


def test_queries_take_iris_as_substitutions() -> None:
    """The SPARQL is constant: no entity IRI is ever pasted into it."""
    queries = [v for k, v in vars(marc).items() if k.endswith("_QUERY")]
    assert len(queries) >= 8
    for text in queries:
        assert "/lwg/id/" not in text


# ---------------------------------------------------------------------------
# Gulzhan Irzhanova
# ---------------------------------------------------------------------------


def test_irzhanova_heading(parsed: dict[str, Record]) -> None:
    record = parsed[IRZHANOVA]
    heading = single(record, "100")
    assert heading.indicator1 == "1" and heading.indicator2 == " "
    assert [(s.code, s.value) for s in heading.subfields] == [("a", "Irzhanova, Gulzhan"), ("1", IRZHANOVA)]
    assert values(record, "024") == [IRZHANOVA] and values(record, "024", "2") == ["uri"]


def test_irzhanova_names_in_every_script(parsed: dict[str, Record]) -> None:
    record = parsed[IRZHANOVA]
    forms = tracings(record)
    assert "Иржанова, Гүлжан" in forms  # Kazakh
    assert "Иржанова, Гульжан" in forms  # Russian (assumed by the editors)
    assert "Irzhanova, Gu\u0307lzhan" in forms  # ALA-LC, Kazakh table
    assert "Irzhanova, Gul\u02b9zhan" in forms  # ALA-LC, Russian table
    assert all(f.tag == "400" and f.indicator1 == "1" for f in record.get_fields("400"))
    notes = values(record, "667")
    assert "Non-Latin script references not evaluated." in notes
    assert any("Russian form" in note and "assumed" in note for note in notes)


def test_irzhanova_affiliations(parsed: dict[str, Record]) -> None:
    record = parsed[IRZHANOVA]
    president = linked(record, "510", ASSOCIATION)
    assert president.indicator1 == "2"
    assert president.get_subfields("w") == ["r"]
    assert president.get_subfields("i") == ["President of:"]
    assert president.get_subfields("a") == ["Association of University Libraries of Kazakhstan"]
    assert president.get_subfields("0") == [f"({marc.AGENCY})organisation-association-university-libraries-kz"]
    director = linked(record, "510", LIBRARY_CENTRE)
    assert director.get_subfields("i") == ["Director of:"]
    assert heading_subfields(director) == [("a", f"{UNIVERSITY}."), ("b", "Library and Information Center")]
    groups = {f.get_subfields("1")[0]: f for f in record.get_fields("373")}
    assert set(groups) >= {ASSOCIATION, LIBRARY_CENTRE}
    assert groups[LIBRARY_CENTRE].get_subfields("a") == [f"{UNIVERSITY}. Library and Information Center"]
    assert groups[ASSOCIATION].get_subfields("v"), "373 names its sources"
    roles = values(record, "374")
    assert {"Director", "President", "Chair"} <= set(roles)
    assert "https://w3id.org/lwg/ontology#Director" in values(record, "374", "0")


def test_irzhanova_sources(parsed: dict[str, Record]) -> None:
    record = parsed[IRZHANOVA]
    citations = {f.get_subfields("u")[0]: f for f in record.get_fields("670")}
    article = citations[DULATY_ARTICLE]
    assert article.get_subfields("a")[0].startswith("Dulaty University news item 8337")
    said = article.get_subfields("b")[0]
    assert "Гүлжан Иржанова" in said
    assert "director of Library and Information Center of Dulaty University" in said
    assert "president of Association of University Libraries of Kazakhstan" in said
    assert "https://2025.ifla.org/?p=3964" in citations


def test_people_with_dated_posts(parsed: dict[str, Record]) -> None:
    group = single(parsed[MCDONALD], "373")
    assert group.get_subfields("s") == ["2023"] and group.get_subfields("t") == ["2025"]
    assert group.get_subfields("1") == [f"{ID}organisation/ifla"]


# ---------------------------------------------------------------------------
# Dulaty University and its Library and Information Center
# ---------------------------------------------------------------------------


def test_university_heading_and_names(parsed: dict[str, Record]) -> None:
    record = parsed[DULATY]
    heading = single(record, "110")
    assert heading.indicator1 == "2"
    assert heading.get_subfields("a") == [UNIVERSITY] and not heading.get_subfields("b")
    forms = tracings(record)
    for form in (
        "Taraz State University",  # 1998
        "M.Kh. Dulaty Taraz Regional University",  # the regional name, en
        "М.Х.Дулати атындағы Тараз өңірлік университеті",  # kk
        "Таразский региональный университет имени М.Х. Дулати",  # ru
        "М.Х.Дулати атындағы Тараз университеті",  # the current name, kk
        "Таразский университет имени М.Х. Дулати",  # the current name, ru
        "Dulaty University",
        "Дулати университеті",
        "Tarazskiĭ universitet imeni M.Kh. Dulati",  # ALA-LC, Russian
        "M.Kh.Dulati atyndaghy Taraz universitetī",  # ALA-LC, Kazakh
        "M.Kh.Dulati atyndaghy Taraz \u022fn\ufe20g\ufe21\u012brl\u012bk universitet\u012b",  # tie bar as halves
    ):
        assert form in forms, form
    assert all(f.indicator1 == "2" for f in record.get_fields("410"))


def test_university_dates_type_and_history(parsed: dict[str, Record]) -> None:
    record = parsed[DULATY]
    founded = single(record, "046")
    assert founded.get_subfields("q") == ["1998-03-24"]
    assert founded.get_subfields("2") == ["edtf"]
    assert founded.get_subfields("v") == ["Dulaty University web page on the history of the university"]
    assert values(record, "368") == ["University"]
    assert values(record, "370", "e") == ["Taraz"]
    assert values(record, "377") == ["eng", "kaz"]
    history = single(record, "678").get_subfields("a")[0]
    first, regional, current = (
        history.index("Taraz State University"),
        history.index("M.Kh. Dulaty Taraz Regional University"),
        history.index(UNIVERSITY),
    )
    assert first < regional < current
    assert "in use from 1998-03-24" in history and "in use not before 2024" in history
    subordinate = linked(record, "510", LIBRARY_CENTRE)
    assert subordinate.get_subfields("i") == ["Hierarchical subordinate:"]


def test_library_centre_is_a_subordinate_heading(parsed: dict[str, Record]) -> None:
    record = parsed[LIBRARY_CENTRE]
    heading = single(record, "110")
    assert heading.indicator1 == "2"
    assert heading_subfields(heading) == [("a", f"{UNIVERSITY}."), ("b", "Library and Information Center")]
    assert mnemonic(heading) == f"$a {UNIVERSITY}. $b Library and Information Center"
    forms = tracings(record)
    assert "Library and Information Center of Dulaty University" in forms
    assert "Дулати университетінің кітапханалық-ақпараттық орталығы" in forms
    assert "Library and Information Center" not in forms, "the bare $b is part of the heading, not a reference"
    parent = linked(record, "510", DULATY)
    assert parent.get_subfields("i") == ["Hierarchical superior:"]
    assert parent.get_subfields("a") == [UNIVERSITY]
    assert single(record, "046").get_subfields("q") == ["1958"]
    assert "Library and information centre" in values(record, "368")


def test_organisation_alternates_and_abbreviations(parsed: dict[str, Record]) -> None:
    association = tracings(parsed[ASSOCIATION])
    assert "Association of Libraries of Higher Education Institutions of the Republic of Kazakhstan" in association
    assert "ҚР ЖОО кітапханалар қауымдастығы" in association
    assert "Ассоциация библиотек высших учебных заведений Казахстана" in association
    assert "IFLA" in tracings(parsed[f"{ID}organisation/ifla"])
    tourism = parsed[KAZAKH_TOURISM]
    assert "Kazakh Tourism" in tracings(tourism)
    assert single(tourism, "046").get_subfields("q") == ["2017-07"]


# ---------------------------------------------------------------------------
# The congresses
# ---------------------------------------------------------------------------


def test_congress_heading_as_facts_gives_it(parsed: dict[str, Record]) -> None:
    record = parsed[WLIC_2025]
    heading = single(record, "111")
    assert heading.indicator1 == "2" and heading.indicator2 == " "
    assert [(s.code, s.value) for s in heading.subfields] == [
        ("a", "World Library and Information Congress"),
        ("n", "(89th :"),
        ("d", "2025 :"),
        ("c", "Astana, Kazakhstan)"),
        ("1", WLIC_2025),
    ]
    # facts.md: 111 2_ $a World Library and Information Congress $n (89th : $d 2025 : $c Astana, Kazakhstan)
    assert mnemonic(heading) == "$a World Library and Information Congress $n (89th : $d 2025 : $c Astana, Kazakhstan)"


def test_congress_names_dates_and_predecessor(parsed: dict[str, Record]) -> None:
    record = parsed[WLIC_2025]
    forms = tracings(record)
    for form in ("89th World Library and Information Congress", "IFLA WLIC 2025", "ИФЛА-2025", "IFLA-2025"):
        assert form in forms, form
    assert "89-шы Дүниежүзілік кітапханалық және ақпараттық конгресс" in forms
    assert "89-й Всемирный библиотечный и информационный конгресс" in forms
    series_forms = [mnemonic(f) for f in record.get_fields("411") if f.get_subfields("n")]
    assert "$a IFLA WLIC $n (89th : $d 2025 : $c Astana, Kazakhstan)" in series_forms
    dates = {tuple(f.get_subfields("t")): f for f in record.get_fields("046")}
    assert set(dates) == {("2025-08-22",), ("2025-08-21",)}, "both claimed end dates, each with its source"
    assert all(f.get_subfields("s") == ["2025-08-18"] and f.get_subfields("2") == ["edtf"] for f in dates.values())
    assert any("National Library of Viet Nam" in v for v in dates[("2025-08-21",)].get_subfields("v"))
    predecessor = linked(record, "511", WLIC_2023)
    assert predecessor.indicator1 == "2"
    assert predecessor.get_subfields("i") == ["Predecessor:"]
    assert mnemonic(predecessor).endswith(
        "$a World Library and Information Congress $n (88th : $d 2023 : $c Rotterdam, Netherlands)"
    )
    assert values(record, "368") == ["Congress"]
    assert values(record, "372") == ["library science"]
    urls = values(record, "670", "u")
    assert DULATY_ARTICLE in urls and "https://astanatimes.com/?p=96154" in urls


def test_previous_congress(parsed: dict[str, Record]) -> None:
    record = parsed[WLIC_2023]
    assert (
        mnemonic(single(record, "111"))
        == "$a World Library and Information Congress $n (88th : $d 2023 : $c Rotterdam, Netherlands)"
    )
    successor = linked(record, "511", WLIC_2025)
    assert successor.get_subfields("i") == ["Successor:"]
    assert single(record, "046").get_subfields("s") == ["2023"]


# ---------------------------------------------------------------------------
# MARCXML structure (the MARC21 slim schema's content model and patterns)
# ---------------------------------------------------------------------------

LEADER = re.compile(r"[\d ]{5}[\dA-Za-z ][\dA-Za-z][\dA-Za-z ]{3}(2| )(2| )[\d ]{5}[\dA-Za-z ]{3}(4500| {4})")
CONTROL_TAG = re.compile(r"00[1-9A-Za-z]")
DATA_TAG = re.compile(r"(0([1-9A-Z][0-9A-Z])|0([1-9a-z][0-9a-z]))|(([1-9A-Z][0-9A-Z]{2})|([1-9a-z][0-9a-z]{2}))")
INDICATOR = re.compile(r"[\da-z ]")
CODE = re.compile(r"[\dA-Za-z!\"#$%&'()*+,\-./:;<=>?{}_^`~\[\]\\]")


def test_marcxml_is_a_slim_collection(xml_bytes: bytes, records: list[Record]) -> None:
    assert xml_bytes.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    root = ET.fromstring(xml_bytes)
    ns = f"{{{SLIM}}}"
    assert root.tag == f"{ns}collection"
    assert root.attrib == {}
    assert len(root) == len(records)
    for record in root:
        assert record.tag == f"{ns}record"
        children = list(record)
        assert children[0].tag == f"{ns}leader"
        assert LEADER.fullmatch(children[0].text or ""), children[0].text
        kinds = [child.tag.removeprefix(ns) for child in children[1:]]
        assert kinds == sorted(kinds, key=lambda k: k != "controlfield"), "controlfields before datafields"
        assert set(kinds) <= {"controlfield", "datafield"}
        for child in children[1:]:
            if child.tag == f"{ns}controlfield":
                assert set(child.attrib) == {"tag"} and CONTROL_TAG.fullmatch(child.attrib["tag"])
                assert len(child) == 0 and child.text
                continue
            assert set(child.attrib) == {"tag", "ind1", "ind2"}
            assert DATA_TAG.fullmatch(child.attrib["tag"])
            assert INDICATOR.fullmatch(child.attrib["ind1"]) and INDICATOR.fullmatch(child.attrib["ind2"])
            assert len(child) >= 1, "a datafield has at least one subfield"
            for sub in child:
                assert sub.tag == f"{ns}subfield"
                assert set(sub.attrib) == {"code"} and CODE.fullmatch(sub.attrib["code"])
                assert sub.text and sub.text == sub.text.strip()


# ---------------------------------------------------------------------------
# The headings in the graph, as MADS/RDF labels
# ---------------------------------------------------------------------------

MADS = "http://www.loc.gov/mads/rdf/v1#"
DERIVED = f"{BASE}graph/derived"


def labels_in_graph(store: Store, iri: str, local: str) -> list[tuple[str, str]]:
    quads = store.quads_for_pattern(NamedNode(iri), NamedNode(MADS + local), None)
    return sorted((q.object.value, q.graph_name.value) for q in quads)


def test_each_heading_is_the_entitys_authoritative_label(store: Store, records: list[Record]) -> None:
    for record in records:
        iri = str(marc.entity_iri(record))
        heading = next(f for f in record.fields if f.tag in ("100", "110", "111"))
        assert labels_in_graph(store, iri, "authoritativeLabel") == [(marc.heading_text(heading), DERIVED)], iri
        tracings = sorted(marc.heading_text(f) for f in record.fields if f.tag in ("400", "410", "411"))
        assert [text for text, _ in labels_in_graph(store, iri, "variantLabel")] == tracings, iri
    assert labels_in_graph(store, RASHCHUPKIN, "authoritativeLabel")[0][0] == "Rashchupkin, Vyacheslav"
    variants = [text for text, _ in labels_in_graph(store, RASHCHUPKIN, "variantLabel")]
    assert "Rashchupkin, Vi\u0361acheslav" in variants, "RDF keeps the tie bar as U+0361, not the MARC halves"
    assert labels_in_graph(store, WLIC_2025, "authoritativeLabel")[0][0] == (
        "World Library and Information Congress (89th : 2025 : Astana, Kazakhstan)"
    )
