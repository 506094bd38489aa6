"""MARC 21 authority records for the graph's people, organisations and congresses.

One record per entity, built from what a release's store states and nothing else:

- the heading (``100 1_`` inverted personal name, ``110 2_`` corporate name with
  subordinate units in ``$b``, ``111 2_`` meeting name with ``$n``/``$d``/``$c``)
  carries the entity's IRI in ``$1``; ``024 7_ $a IRI $2 uri`` repeats it as an
  identifier that every system indexes;
- ``4XX`` see-from tracings give every other name form the graph holds, in every
  language and script: Kazakh and Russian Cyrillic, English alternates,
  abbreviations, the dated names of a renamed body, and the ALA-LC romanizations
  the build derives (``kk-Latn-alalc97``, ``ru-Latn-alalc97``);
- ``5XX`` see-also tracings link the records to each other (a person to the
  bodies she holds posts in, a unit to its parent and back, a congress to its
  predecessor and successor) with ``$w r``, an RDA-style ``$i`` designator, ``$0``
  holding the related record's control number and ``$1`` the related IRI;
- ``046``, ``368``, ``370``, ``372``, ``373``, ``374``, ``377`` record the dates,
  types, places, field, affiliations, roles and languages the graph states, each
  date with its source in ``$v`` where sources disagree;
- ``670`` cites every source whose named graph mentions the entity, with what it
  says (``$b``) and where it is (``$u``); ``667``/``678``/``680`` carry the editors'
  notes, the history of a body's names and public notes.

Decisions worth knowing:

- Tie bars are written as the MARC halves U+FE20/U+FE21 (``Vi︠a︡cheslav``), not as
  the single double-width U+0361 the graph keeps (the form the LC tables print).
  MARC-8, which most catalogues still import and export, has only the halves
  (0xEB/0xEC), and the LC MARC-8 to Unicode mapping turns them into U+FE20/U+FE21;
  a record with U+0361 cannot make that round trip, one with the halves can.
  Everything else stays in NFC, as in the graph.
- Cyrillic references go in ``4XX`` as they are, not in ``880`` parallel fields:
  the LC/NACO practice for authority records, where ``880`` would pair a heading
  with its transliteration, and our ``1XX`` is an English form, not one. A ``667``
  says the non-Latin references were not evaluated, as NACO records do.
- Graph IRIs of real-world things (people, bodies, meetings, places) go in ``$1``;
  vocabulary terms (the ontology's classes and roles, topics, their Wikidata
  matches) in ``$0``, as authority URIs; links between these records also give
  ``$0 (AGENCY)control-number``.
- No clock: ``005`` and ``008/00-05`` come from the dataset's modification date,
  so the same release always gives byte-identical files.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from xml.etree import ElementTree as ET

import pymarc
from pymarc import Field, Indicators, Record, Subfield
from pyoxigraph import Literal, NamedNode, Quad, QuerySolutions, Store, Variable

from .namespaces import DCTERMS, FOAF, LWG, MADSRDF, ORG, OWL, RDF, RDFS, SCHEMA, SKOS

#: The code in 003 and 040. LC has registered no MARC organization code for the
#: graph's editors; this one is all lower case, a shape no registered code has, so
#: it cannot be mistaken for another agency's. Replace it once a code is assigned.
AGENCY = "lwg"

#: The MARCXML namespace (the "slim" schema).
MARC_XML_NS = "http://www.loc.gov/MARC21/slim"
#: Media types and file extensions of the two forms (RFC 6207 for MARCXML, RFC 2220 for ISO 2709).
MARCXML_MEDIA_TYPE = "application/marcxml+xml"
MARCXML_EXTENSION = "marcxml"
MARC_MEDIA_TYPE = "application/marc"
MARC_EXTENSION = "mrc"

PREFIXES = """\
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX lwg: <https://w3id.org/lwg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

#: Every person, organisation (any subclass of lwg:Organisation) and congress whose
#: IRI starts with ``?prefix`` (the base's ``id/``).
ENTITIES_QUERY = (
    PREFIXES
    + """
SELECT DISTINCT ?prefix ?entity ?kind WHERE {
  { ?entity a lwg:Person . BIND("person" AS ?kind) }
  UNION { ?entity a lwg:Congress . BIND("congress" AS ?kind) }
  UNION { ?entity a ?class . ?class rdfs:subClassOf* lwg:Organisation . BIND("organisation" AS ?kind) }
  FILTER(isIRI(?entity) && STRSTARTS(STR(?entity), ?prefix))
}"""
)

# pyoxigraph binds a substitution only to a projected variable: each query selects
# the variables it is given (?entity, ?prefix, ?dataset) as well as its answers.

#: Everything said about ``?entity``, over the union of the graphs.
DESCRIBE_QUERY = "SELECT DISTINCT ?entity ?p ?o WHERE { ?entity ?p ?o }"

#: Everything said about ``?entity``, graph by graph.
BY_GRAPH_QUERY = "SELECT DISTINCT ?entity ?g ?p ?o WHERE { GRAPH ?g { ?entity ?p ?o } }"

#: Statements pointing at ``?entity``, graph by graph.
INBOUND_QUERY = "SELECT DISTINCT ?entity ?g ?s ?p WHERE { GRAPH ?g { ?s ?p ?entity } }"

#: Each source graph with the lwg:Source(s) it is derived from (none for the derived graph).
SOURCE_GRAPHS_QUERY = (
    PREFIXES
    + """
SELECT DISTINCT ?graph ?source WHERE {
  ?graph a lwg:SourceGraph .
  OPTIONAL { ?graph prov:wasDerivedFrom ?source . ?source a lwg:Source }
}"""
)

#: The most specific classes of ``?entity`` defined by the ontology, with their English labels.
CLASSES_QUERY = (
    PREFIXES
    + """
SELECT DISTINCT ?entity ?class ?label WHERE {
  ?entity a ?class .
  ?class rdfs:isDefinedBy <https://w3id.org/lwg/ontology> ; rdfs:label ?label .
  FILTER(LANGMATCHES(LANG(?label), "en"))
  FILTER NOT EXISTS { ?entity a ?other . ?other rdfs:subClassOf+ ?class . FILTER(?other != ?class) }
}"""
)

#: The languages of the sources ``?entity`` published (its communications, RDA 11.8).
LANGUAGES_QUERY = (
    PREFIXES
    + """
SELECT DISTINCT ?entity ?language WHERE { ?source a lwg:Source ; dcterms:publisher ?entity ; dcterms:language ?language }"""
)

#: The dataset's own modification date, if the store holds the dataset description.
DATASET_MODIFIED_QUERY = (
    PREFIXES
    + """
SELECT ?dataset ?modified WHERE { ?dataset dcterms:modified ?modified }"""
)

#: The latest modification date anything in the store states (ontology included).
LATEST_MODIFIED_QUERY = (
    PREFIXES
    + """
SELECT (MAX(STR(?modified)) AS ?latest) WHERE { ?thing dcterms:modified ?modified }"""
)

# Languages: the order tracings are listed in, and MARC codes (ISO 639-2/B).
LANGUAGE_ORDER = ("en", "kk-latn-alalc97", "ru-latn-alalc97", "kk", "ru")
ROMANIZED = ("kk-latn-alalc97", "ru-latn-alalc97")
MARC_LANGUAGE = {
    "ar": "ara", "de": "ger", "en": "eng", "es": "spa", "fr": "fre", "it": "ita", "ja": "jpn",
    "kk": "kaz", "ko": "kor", "ky": "kir", "nl": "dut", "pl": "pol", "pt": "por", "ru": "rus",
    "tg": "tgk", "tk": "tuk", "tr": "tur", "uk": "ukr", "uz": "uzb", "vi": "vie", "zh": "chi",
}  # fmt: skip

#: How a reported figure's qualifier reads in a 670 note.
FIGURE_QUALIFIERS = (
    (LWG.exactly.value, ""),
    (LWG.approximately.value, "about "),
    (LWG.nearly.value, "nearly "),
    (LWG.moreThan.value, "more than "),
)

#: Statements pointing at an entity that a 670 $b reports, and how.
INBOUND_PHRASES = {
    LWG.bidPreparedBy.value: "prepared the bid for",
    LWG.professionalCongressOrganiser.value: "professional congress organiser of",
    DCTERMS.publisher.value: "publisher of",
}

# Predicate IRIs as strings.
PREF, ALT = SKOS.prefLabel.value, SKOS.altLabel.value
NAME_PROPERTIES = (PREF, ALT)


# ---------------------------------------------------------------------------
# Text helpers
# ---------------------------------------------------------------------------


def marc_text(text: str) -> str:
    """``text`` as MARC records write it: NFC, tie bars as the halves U+FE20/U+FE21.

    ``i͡a`` (i, U+0361, a) becomes ``i︠a︡`` (i, U+FE20, a, U+FE21).
    """
    text = unicodedata.normalize("NFC", text)
    return re.sub("\u0361(.)", "\ufe20\\1\ufe21", text)


def rdf_text(text: str) -> str:
    """A MARC string back as RDF literals write it: the tie-bar halves as one U+0361."""
    return text.replace("\ufe20", "\u0361").replace("\ufe21", "")


def ordinal(number: int) -> str:
    """An English ordinal: 1st, 2nd, 3rd, 11th, 89th."""
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _is_cyrillic(text: str) -> bool:
    return any("\u0400" <= char <= "\u052f" for char in text)


def _language_rank(language: str | None) -> tuple[int, str]:
    tag = (language or "").lower()
    return (LANGUAGE_ORDER.index(tag) if tag in LANGUAGE_ORDER else len(LANGUAGE_ORDER), tag)


def _period(text: str) -> str:
    """``text`` closed with a full stop (for a heading part followed by ``$b``)."""
    return text if text.endswith(".") else f"{text}."


def _number(value: str) -> str:
    """1820 as 1,820."""
    return f"{int(value):,}" if value.lstrip("-").isdigit() else value


# ---------------------------------------------------------------------------
# Reading the store
# ---------------------------------------------------------------------------

Term = NamedNode | Literal
Description = dict[str, list[Term]]


def _sort_key(term: Term) -> tuple[int, tuple[int, str], str]:
    if isinstance(term, Literal):
        return (1, _language_rank(term.language), term.value)
    return (0, (0, ""), term.value)


@dataclass(frozen=True)
class Source:
    """A source cited in 670: a published document, or the editors' own graph."""

    iri: str
    label: str
    publisher: str | None
    issued: str | None
    url: str | None
    editorial: bool = False


class _Graph:
    """The store, read through a few constant queries, with the answers cached."""

    def __init__(self, store: Store, base: str) -> None:
        self.store = store
        self.base = base
        self._descriptions: dict[str, Description] = {}
        self._by_graph: dict[str, dict[str, Description]] = {}
        self._inbound: dict[str, list[tuple[str, str, str]]] = {}

    def select(self, query: str, **bindings: Term) -> list[dict[str, Term]]:
        solutions = self.store.query(
            query,
            use_default_graph_as_union=True,
            substitutions={Variable(name): term for name, term in bindings.items()} or None,
        )
        assert isinstance(solutions, QuerySolutions)
        names = [variable.value for variable in solutions.variables]
        rows = []
        for solution in solutions:
            row = {}
            for name in names:
                term = solution[name]
                if isinstance(term, NamedNode | Literal):
                    row[name] = term
            rows.append(row)
        return rows

    def describe(self, iri: str) -> Description:
        if iri not in self._descriptions:
            found: Description = {}
            for row in self.select(DESCRIBE_QUERY, entity=NamedNode(iri)):
                if "p" in row and "o" in row:
                    found.setdefault(row["p"].value, []).append(row["o"])
            self._descriptions[iri] = {p: sorted(set(v), key=_sort_key) for p, v in found.items()}
        return self._descriptions[iri]

    def by_graph(self, iri: str) -> dict[str, Description]:
        if iri not in self._by_graph:
            found: dict[str, Description] = {}
            for row in self.select(BY_GRAPH_QUERY, entity=NamedNode(iri)):
                if {"g", "p", "o"} <= row.keys():
                    found.setdefault(row["g"].value, {}).setdefault(row["p"].value, []).append(row["o"])
            self._by_graph[iri] = {
                g: {p: sorted(set(v), key=_sort_key) for p, v in description.items()}
                for g, description in found.items()
            }
        return self._by_graph[iri]

    def inbound(self, iri: str) -> list[tuple[str, str, str]]:
        """(graph, subject, predicate) of every statement whose object is ``iri``."""
        if iri not in self._inbound:
            rows = self.select(INBOUND_QUERY, entity=NamedNode(iri))
            self._inbound[iri] = sorted(
                {(r["g"].value, r["s"].value, r["p"].value) for r in rows if {"g", "s", "p"} <= r.keys()}
            )
        return self._inbound[iri]

    def values(self, iri: str, predicate: str) -> list[Term]:
        return self.describe(iri).get(predicate, [])

    def iris(self, iri: str, predicate: str) -> list[str]:
        return [t.value for t in self.values(iri, predicate) if isinstance(t, NamedNode)]

    def literals(self, iri: str, predicate: str) -> list[Literal]:
        return [t for t in self.values(iri, predicate) if isinstance(t, Literal)]

    def first(self, iri: str, predicate: str) -> str | None:
        values = self.values(iri, predicate)
        return values[0].value if values else None

    def label(self, iri: str) -> str:
        """The English preferred label, else any preferred label, else rdfs:label, else the IRI's last part."""
        for predicate in (PREF, RDFS.label.value):
            labels = self.literals(iri, predicate)
            english = [lit for lit in labels if (lit.language or "").startswith("en")]
            if english or labels:
                return (english or labels)[0].value
        return iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]

    @cached_property
    def sources(self) -> dict[str, Source]:
        """Source graph IRI to what a 670 cites for it (graphs of no source are left out)."""
        derived_from: dict[str, list[str]] = {}
        derived = f"{self.base}graph/derived"  # the build's own graph (kg.enrich): rules, not a source
        for row in self.select(SOURCE_GRAPHS_QUERY):
            if row["graph"].value == derived:
                continue
            sources = derived_from.setdefault(row["graph"].value, [])
            if "source" in row:
                sources.append(row["source"].value)
        cited: dict[str, Source] = {}
        for graph, sources in derived_from.items():
            if len(sources) == 1:
                source = sources[0]
                publisher = self.first(source, DCTERMS.publisher.value)
                cited[graph] = Source(
                    iri=source,
                    label=self.label(source),
                    publisher=self.label(publisher) if publisher else None,
                    issued=self.first(source, DCTERMS.issued.value),
                    url=self.first(source, SCHEMA.url.value),
                )
            elif sources:  # a graph drawing on several sources: the editors' own curation
                creator = self.first(graph, DCTERMS.creator.value)
                cited[graph] = Source(
                    iri=graph,
                    label=self.label(graph),
                    publisher=self.label(creator) if creator else None,
                    issued=None,
                    url=None,
                    editorial=True,
                )
        return cited

    def modified(self) -> dt.date:
        """The dataset's modification date: its own if the store holds it, else the latest the store states."""
        rows = self.select(DATASET_MODIFIED_QUERY, dataset=NamedNode(f"{self.base}dataset"))
        values = sorted(r["modified"].value for r in rows if "modified" in r)
        if not values:
            values = [r["latest"].value for r in self.select(LATEST_MODIFIED_QUERY) if "latest" in r]
        if not values:
            raise ValueError("the store states no modification date; pass modified= explicitly")
        return dt.date.fromisoformat(values[-1][:10])


# ---------------------------------------------------------------------------
# Headings
# ---------------------------------------------------------------------------


@dataclass
class Heading:
    """An entity's authorized access point: its tag (x00, x10, x11), indicators and subfields."""

    iri: str
    kind: str
    tag: str  # "00", "10" or "11": the last two digits of 1XX/4XX/5XX
    first_indicator: str
    subfields: list[tuple[str, str]]
    control_number: str
    source: str = "en"  # the language tag of the name form the heading takes

    @property
    def text(self) -> str:
        return " ".join(value for _code, value in self.subfields)

    def see_also(self, relationship: str | None, agency: str) -> Field:
        subfields = [("w", "r"), ("i", f"{relationship}:")] if relationship else []
        subfields += self.subfields
        subfields += [("0", f"({agency}){self.control_number}"), ("1", self.iri)]
        return _field(f"5{self.tag}", self.first_indicator, " ", subfields)


def _field(tag: str, first: str, second: str, subfields: Sequence[tuple[str, str]]) -> Field:
    return Field(
        tag=tag,
        indicators=Indicators(first, second),
        subfields=[Subfield(code, marc_text(value)) for code, value in subfields],
    )


def _person_forms(graph: _Graph, iri: str) -> list[tuple[str, str, str]]:
    """(language, family, given) for every language in which the graph gives both name parts."""
    given: dict[str, list[str]] = {}
    family: dict[str, list[str]] = {}
    for lit in graph.literals(iri, FOAF.givenName.value):
        given.setdefault((lit.language or "").lower(), []).append(lit.value)
    for lit in graph.literals(iri, FOAF.familyName.value):
        family.setdefault((lit.language or "").lower(), []).append(lit.value)
    forms = [(lang, f, g) for lang in given.keys() & family.keys() for f in family[lang] for g in given[lang]]
    return sorted(forms, key=lambda form: (_language_rank(form[0]), form[1], form[2]))


def _preferred(forms: Iterable[tuple[str, ...]]) -> tuple[str, ...] | None:
    """The form in English, else in the first romanization, else the first of any."""
    ordered = sorted(forms, key=lambda form: _language_rank(form[0]))
    latin = [form for form in ordered if form[0] in ("en", *ROMANIZED)]
    chosen = latin or ordered
    return chosen[0] if chosen else None


def _names(graph: _Graph, iri: str) -> list[Literal]:
    """Every preferred and alternative label, sorted by language then text."""
    labels = {lit for p in NAME_PROPERTIES for lit in graph.literals(iri, p)}
    return sorted(labels, key=_sort_key)


def _dated_names(graph: _Graph, iri: str) -> list[str]:
    """The dated names of a body in the order they were used (following lwg:renamedTo)."""
    names = graph.iris(iri, LWG.datedName.value)
    successors = {name: graph.iris(name, LWG.renamedTo.value) for name in names}
    later = {n for targets in successors.values() for n in targets}
    ordered: list[str] = []
    queue = sorted(n for n in names if n not in later) or sorted(names)
    while queue:
        name = queue.pop(0)
        if name in ordered:
            continue
        ordered.append(name)
        queue = sorted(n for n in successors.get(name, []) if n in names) + queue
    return ordered + sorted(n for n in names if n not in ordered)


def _control_number(iri: str, base: str) -> str:
    """A stable control number from the IRI: ``person-gulzhan-irzhanova`` for ``{base}id/person/gulzhan-irzhanova``."""
    path = iri.removeprefix(f"{base}id/")
    return re.sub(r"[^A-Za-z0-9.-]+", "-", path).strip("-")


def _short_unit_name(graph: _Graph, unit: str, parent: str) -> str | None:
    """The unit's English name that does not repeat its parent's (the ``$b`` of a subordinate heading)."""
    parent_names = [lit.value for lit in _names(graph, parent)]
    for name in _dated_names(graph, parent):
        parent_names += [lit.value for lit in _names(graph, name)]
    candidates = [
        lit.value
        for lit in _names(graph, unit)
        if (lit.language or "").startswith("en") and not any(p in lit.value for p in parent_names)
    ]
    preferred = [lit.value for lit in graph.literals(unit, PREF) if lit.value in candidates]
    chosen = preferred or sorted(candidates, key=lambda c: (len(c), c))
    return chosen[0] if chosen else None


def _congress_qualifiers(graph: _Graph, iri: str) -> list[tuple[str, str]]:
    """``$n (89th : $d 2025 : $c Astana, Kazakhstan)``, from what the graph states."""
    parts: list[tuple[str, str]] = []
    ordinals = sorted({int(lit.value) for lit in graph.literals(iri, LWG.ordinal.value) if lit.value.isdigit()})
    if ordinals:
        parts.append(("n", ordinal(ordinals[0])))
    years = sorted({lit.value[:4] for lit in graph.literals(iri, SCHEMA.startDate.value)})
    if years:
        parts.append(("d", years[0]))
    places = [graph.label(p) for key in (LWG.hostCity.value, LWG.hostCountry.value) for p in graph.iris(iri, key)[:1]]
    if places:
        parts.append(("c", ", ".join(places)))
    if not parts:
        return []
    out = []
    for i, (code, value) in enumerate(parts):
        opening = "(" if i == 0 else ""
        closing = ")" if i == len(parts) - 1 else " :"
        out.append((code, f"{opening}{value}{closing}"))
    return out


def _heading(
    graph: _Graph, iri: str, kind: str, headings: dict[str, Heading], base: str, within: frozenset[str] = frozenset()
) -> Heading:
    """The entity's heading, made once; a unit's heading is built on its parent's (``within``: units on the way)."""
    if iri in headings:
        return headings[iri]
    number = _control_number(iri, base)
    if kind == "person":
        form = _preferred(_person_forms(graph, iri))
        if form:
            language, family, given = form
            heading = Heading(iri, kind, "00", "1", [("a", f"{family}, {given}")], number, language)
        else:
            label = _preferred((lit.language or "", lit.value) for lit in _names(graph, iri))
            language, text = label if label else ("", graph.label(iri))
            heading = Heading(iri, kind, "00", "0", [("a", text)], number, language)
    elif kind == "congress":
        series = graph.iris(iri, LWG.inSeries.value)
        qualifiers = _congress_qualifiers(graph, iri)
        name = graph.label(series[0]) if series and qualifiers else graph.label(iri)
        heading = Heading(iri, kind, "11", "2", [("a", name), *qualifiers], number)
    else:
        parents = [p for p in graph.iris(iri, LWG.unitOf.value) if p not in within | {iri}]
        short = _short_unit_name(graph, iri, parents[0]) if parents else None
        if parents and short:
            parent = _heading(graph, parents[0], "organisation", headings, base, within | {iri})
            *before, (code, value) = parent.subfields
            subfields = [*before, (code, _period(value)), ("b", short)]
            heading = Heading(iri, kind, "10", "2", subfields, number)
        else:
            label = _preferred((lit.language or "", lit.value) for lit in graph.literals(iri, PREF))
            language, text = label if label else ("", graph.label(iri))
            heading = Heading(iri, kind, "10", "2", [("a", text)], number, language)
    headings[iri] = heading
    return heading


# ---------------------------------------------------------------------------
# Fields
# ---------------------------------------------------------------------------


def _control_fields(heading: Heading, modified: dt.date, romanization: str, government: str) -> list[Field]:
    """001, 003, 005 and 008."""
    return [
        Field(tag="001", data=heading.control_number),
        Field(tag="003", data=AGENCY),
        Field(tag="005", data=f"{modified:%Y%m%d}000000.0"),
        Field(tag="008", data=fixed_field(heading.kind, modified, romanization, government)),
    ]


def fixed_field(kind: str, entered: dt.date, romanization: str = "n", government: str = "|") -> str:
    """The authority 008 (40 characters), position by position.

    - 00-05 date entered on file (yymmdd): the dataset's modification date
    - 06 ``n`` geographic subdivision: not applicable (names)
    - 07 romanization scheme: ``n`` the heading is not romanized (no non-Latin names),
      ``g`` a conventional form in English of a name written in another script,
      ``c`` the ALA-LC tables (a national library association standard)
    - 08 ``#`` language of catalog: no information (as LC/NACO records)
    - 09 ``a`` kind of record: established heading
    - 10 ``z`` descriptive cataloging rules: other (RDA, named in 040 $e)
    - 11 ``z`` subject heading system: other (this dataset's names, not LCSH)
    - 12 ``n`` type of series: not applicable
    - 13 ``n`` numbered or unnumbered series: not applicable
    - 14 ``a`` heading use, main or added entry: appropriate
    - 15 ``a`` heading use, subject added entry: appropriate
    - 16 ``b`` heading use, series added entry: not appropriate
    - 17 ``n`` type of subject subdivision: not applicable
    - 18-27 undefined (blanks)
    - 28 type of government agency: ``o`` for an lwg:PublicBody (type undetermined),
      ``|`` otherwise (not coded: the graph does not say)
    - 29 ``b`` reference evaluation: tracings not necessarily consistent with the
      heading (made by machine from the graph, not evaluated by a cataloger)
    - 30 undefined (blank)
    - 31 ``a`` record update in process: record can be used
    - 32 undifferentiated personal name: ``a`` differentiated (people), ``n`` otherwise
    - 33 ``a`` level of establishment: fully established
    - 34-37 undefined (blanks)
    - 38 ``#`` modified record: not modified
    - 39 ``d`` cataloging source: other (neither a national agency nor a cooperative program)
    """
    value = (
        f"{entered:%y%m%d}"  # 00-05
        f"n{romanization} az"  # 06-10
        "znnaabn"  # 11-17
        + " " * 10  # 18-27
        + government  # 28
        + "b a"  # 29-31
        + ("a" if kind == "person" else "n")  # 32
        + "a"  # 33
        + " " * 4  # 34-37
        + " d"  # 38-39
    )
    assert len(value) == 40, value
    return value


def _romanization(graph: _Graph, iri: str, heading: Heading) -> str:
    """008/07 for this heading."""
    names = _names(graph, iri) + [
        lit for p in (FOAF.givenName.value, FOAF.familyName.value) for lit in graph.literals(iri, p)
    ]
    if heading.source in ROMANIZED:
        return "c"
    if any(_is_cyrillic(lit.value) for lit in names):
        return "g"
    return "n"


def _dates(graph: _Graph, iri: str, predicates: Sequence[tuple[str, str]]) -> list[Field]:
    """046 fields: one per distinct set of dates, each with the sources that state it in $v."""
    claims: dict[tuple[tuple[str, str], ...], set[str]] = {}
    for g, description in sorted(graph.by_graph(iri).items()):
        dates = tuple(
            (code, lit.value)
            for predicate, code in predicates
            for lit in description.get(predicate, [])
            if isinstance(lit, Literal)
        )
        if dates:
            source = graph.sources.get(g)
            claims.setdefault(dates, set()).update([source.label] if source else [])
    fields = []
    for dates, sources in sorted(claims.items()):
        fields.append(_field("046", " ", " ", [*dates, *(("v", s) for s in sorted(sources)), ("2", "edtf")]))
    return fields


def _tracings(heading: Heading, names: Iterable[tuple[str, str]], skip: Iterable[str] = ()) -> list[Field]:
    """4XX see-from tracings for every other form: (first indicator, text) pairs, deduplicated in order."""
    seen = {heading.text, *skip}
    fields = []
    for first, text in names:
        if text in seen:
            continue
        seen.add(text)
        fields.append(_field(f"4{heading.tag}", first, " ", [("a", text)]))
    return fields


def _person_tracings(graph: _Graph, iri: str, heading: Heading) -> list[Field]:
    forms = _person_forms(graph, iri)
    inverted = [("1", f"{family}, {given}") for _lang, family, given in forms]
    direct = {f"{given} {family}" for _lang, family, given in forms}
    others = [("1" if "," in lit.value else "0", lit.value) for lit in _names(graph, iri) if lit.value not in direct]
    return _tracings(heading, [*inverted, *others])


def _organisation_tracings(graph: _Graph, iri: str, heading: Heading) -> list[Field]:
    labels = _names(graph, iri)
    for name in _dated_names(graph, iri):
        labels += _names(graph, name)
    ordered = sorted(set(labels), key=_sort_key)
    # A subordinate unit's own short name is part of its heading ($b), not a name to refer from.
    short = [value for code, value in heading.subfields if code == "b"]
    return _tracings(heading, [("2", lit.value) for lit in ordered], skip=short)


def _congress_tracings(graph: _Graph, iri: str, heading: Heading) -> list[Field]:
    fields = _tracings(heading, [("2", lit.value) for lit in _names(graph, iri)])
    qualifiers = heading.subfields[1:]
    used = {heading.subfields[0][1]}
    if qualifiers:
        for series in graph.iris(iri, LWG.inSeries.value):
            for lit in _names(graph, series):
                if lit.value in used:
                    continue
                used.add(lit.value)
                fields.append(_field("411", "2", " ", [("a", lit.value), *qualifiers]))
    return fields


def _sources_of(graph: _Graph, graphs: Iterable[str]) -> list[str]:
    return sorted({graph.sources[g].label for g in graphs if g in graph.sources})


@dataclass
class Post:
    """A post a person holds: where, in which role, when, and who says so."""

    iri: str
    organisation: str
    roles: list[str]
    start: str | None
    end: str | None
    sources: list[str] = field(default_factory=list)


def _posts(graph: _Graph, person: str) -> list[Post]:
    posts = []
    member_graphs: dict[str, set[str]] = {}
    for g, subject, predicate in graph.inbound(person):
        if predicate == ORG.member.value:
            member_graphs.setdefault(subject, set()).add(g)
    for post, graphs in sorted(member_graphs.items()):
        for organisation in graph.iris(post, ORG.organization.value):
            posts.append(
                Post(
                    iri=post,
                    organisation=organisation,
                    roles=graph.iris(post, ORG.role.value),
                    start=graph.first(post, SCHEMA.startDate.value),
                    end=graph.first(post, SCHEMA.endDate.value),
                    sources=_sources_of(graph, graphs),
                )
            )
    return posts


def _period_subfields(start: str | None, end: str | None) -> list[tuple[str, str]]:
    """$s and $t (start and end of a period), where known."""
    return [(code, value) for code, value in (("s", start), ("t", end)) if value]


def _person_fields(graph: _Graph, iri: str, headings: dict[str, Heading]) -> list[Field]:
    fields: list[Field] = []
    posts = _posts(graph, iri)
    for post in posts:  # 373: associated group
        group = headings.get(post.organisation)
        if group is None:
            continue
        subfields = [("a", group.text), *_period_subfields(post.start, post.end)]
        subfields += [("v", s) for s in post.sources]
        subfields += [("0", f"({AGENCY}){group.control_number}"), ("1", group.iri)]
        fields.append(_field("373", " ", " ", subfields))
    roles: dict[str, list[Post]] = {}
    for post in posts:
        for role in post.roles:
            roles.setdefault(role, []).append(post)
    for role, held in sorted(roles.items()):  # 374: occupation (the graph's roles)
        subfields = [("a", _upper_first(graph.label(role)))]
        if len(held) == 1:
            subfields += _period_subfields(held[0].start, held[0].end)
        subfields += [("v", s) for s in sorted({s for post in held for s in post.sources})]
        subfields += [("0", role)]
        fields.append(_field("374", " ", " ", subfields))
    for post in posts:  # 510: see also the bodies she holds posts in
        related = headings.get(post.organisation)
        if related is None:
            continue
        for role in post.roles or [""]:
            relationship = f"{_upper_first(graph.label(role))} of" if role else "Affiliated corporate body"
            fields.append(related.see_also(relationship, AGENCY))
    return fields


def _organisation_fields(graph: _Graph, iri: str, headings: dict[str, Heading]) -> list[Field]:
    fields = _dates(
        graph,
        iri,
        [(SCHEMA.foundingDate.value, "q"), (SCHEMA.dissolutionDate.value, "r")],
    )
    classes = graph.select(CLASSES_QUERY, entity=NamedNode(iri))
    for row in sorted(classes, key=lambda r: r["class"].value):  # 368: type of corporate body
        if row["class"].value != LWG.Organisation.value:
            fields.append(_field("368", " ", " ", [("a", _upper_first(row["label"].value)), ("0", row["class"].value)]))
    for kind in graph.iris(iri, LWG.unitKind.value):
        fields.append(_field("368", " ", " ", [("a", _upper_first(graph.label(kind))), ("0", kind)]))
    for place in graph.iris(iri, LWG.basedIn.value):  # 370: place of headquarters
        same = graph.iris(place, OWL.sameAs.value)
        fields.append(_field("370", " ", " ", [("e", graph.label(place)), ("1", place), *(("1", s) for s in same)]))
    languages = sorted(
        {
            MARC_LANGUAGE.get(code, code)
            for row in graph.select(LANGUAGES_QUERY, entity=NamedNode(iri))
            for code in [row["language"].value.rstrip("/").rsplit("/", 1)[-1]]
            if code in MARC_LANGUAGE or len(code) == 3
        }
    )
    if languages:  # 377: languages of its communications (the sources it published)
        fields.append(_field("377", " ", " ", [("a", code) for code in languages]))
    for parent in graph.iris(iri, LWG.unitOf.value):
        if parent in headings:
            fields.append(headings[parent].see_also("Hierarchical superior", AGENCY))
    for unit in graph.iris(iri, LWG.hasUnit.value):
        if unit in headings:
            fields.append(headings[unit].see_also("Hierarchical subordinate", AGENCY))
    history = _name_history(graph, iri)
    if history:
        fields.append(_field("678", "1", " ", history))
    return fields


def _name_history(graph: _Graph, iri: str) -> list[tuple[str, str]]:
    """678: the body's names in the order it bore them, with their dates ($a) and the notes on them ($b)."""
    entries = []
    notes = []
    for name in _dated_names(graph, iri):
        labels = [lit for lit in graph.literals(name, PREF) if (lit.language or "").startswith("en")]
        label = labels[0].value if labels else graph.label(name)
        details = []
        for predicate, phrase in (
            (LWG.inUseFrom.value, "in use from"),
            (LWG.inUseNotBefore.value, "in use not before"),
            (LWG.inUseUntil.value, "in use until"),
        ):
            details += [f"{phrase} {lit.value}" for lit in graph.literals(name, predicate)]
        notes += [f"{label}: {_period(lit.value)}" for lit in graph.literals(name, SKOS.note.value)]
        entries.append(f"{label} ({'; '.join(details)})" if details else label)
    if not entries:
        return []
    return [("a", f"Names, earliest first: {'; '.join(entries)}."), *(("b", note) for note in notes)]


def _congress_fields(graph: _Graph, iri: str, headings: dict[str, Heading]) -> list[Field]:
    fields = _dates(graph, iri, [(SCHEMA.startDate.value, "s"), (SCHEMA.endDate.value, "t")])
    classes = graph.select(CLASSES_QUERY, entity=NamedNode(iri))
    for row in sorted(classes, key=lambda r: r["class"].value):  # 368: type of meeting
        fields.append(_field("368", " ", " ", [("a", _upper_first(row["label"].value)), ("0", row["class"].value)]))
    for topic in graph.iris(iri, LWG.field.value):  # 372: field of activity
        matches = graph.iris(topic, SKOS.exactMatch.value)
        fields.append(_field("372", " ", " ", [("a", graph.label(topic)), ("0", topic), *(("0", m) for m in matches)]))
    for predicate, relationship in ((LWG.precededBy.value, "Predecessor"), (LWG.followedBy.value, "Successor")):
        for other in graph.iris(iri, predicate):
            if other in headings:
                fields.append(headings[other].see_also(relationship, AGENCY))
    return fields


def _notes(graph: _Graph, iri: str, tracings: list[Field]) -> list[Field]:
    """667 (the editors' notes, and the NACO note on non-Latin references) and 680 (public notes)."""
    fields = [_field("667", " ", " ", [("a", lit.value)]) for lit in graph.literals(iri, SKOS.editorialNote.value)]
    if any(_is_cyrillic(sub.value) for f in tracings for sub in f.subfields):
        fields.append(_field("667", " ", " ", [("a", "Non-Latin script references not evaluated.")]))
    fields += [_field("680", " ", " ", [("i", lit.value)]) for lit in graph.literals(iri, SKOS.note.value)]
    return fields


# ---------------------------------------------------------------------------
# 670: sources
# ---------------------------------------------------------------------------


def _mentions(graph: _Graph, iri: str) -> list[str]:
    """The cited graphs that say something about the entity, or point at it."""
    graphs = set(graph.by_graph(iri)) | {g for g, _s, _p in graph.inbound(iri)}
    return sorted(graphs & graph.sources.keys())


def _said_in(graph: _Graph, iri: str, g: str, kind: str) -> list[str]:
    """What graph ``g`` says about the entity, as the parts of a 670 $b."""
    description = graph.by_graph(iri).get(g, {})
    names = [lit.value for p in NAME_PROPERTIES for lit in description.get(p, []) if isinstance(lit, Literal)]
    parts = list(dict.fromkeys(names))

    def objects(predicate: str) -> list[str]:
        return [t.value for t in description.get(predicate, []) if isinstance(t, NamedNode)]

    def literals(predicate: str) -> list[str]:
        return [t.value for t in description.get(predicate, []) if isinstance(t, Literal)]

    parts += [f"founded {d}" for d in literals(SCHEMA.foundingDate.value)]
    for name in objects(LWG.datedName.value):
        name_graph = graph.by_graph(name).get(g, {})
        labels = [t.value for t in name_graph.get(PREF, []) if isinstance(t, Literal)]
        dates = [
            f"{phrase} {t.value}"
            for predicate, phrase in (
                (LWG.inUseFrom.value, "in use from"),
                (LWG.inUseNotBefore.value, "in use not before"),
            )
            for t in name_graph.get(predicate, [])
        ]
        if labels and dates:
            parts.append(f"name {labels[0]} ({'; '.join(dates)})")
        elif labels:
            parts += [f"name {label}" for label in labels if label not in parts]
    parts += [f"unit of {graph.label(o)}" for o in objects(LWG.unitOf.value)]
    parts += [f"has unit {graph.label(o)}" for o in objects(LWG.hasUnit.value)]
    parts += [f"organiser of {graph.label(o)}" for o in objects(LWG.organised.value)]
    for g_in, subject, predicate in graph.inbound(iri):
        if g_in == g and predicate in INBOUND_PHRASES:
            parts.append(f"{INBOUND_PHRASES[predicate]} {graph.label(subject)}")
    parts += [f"based in {graph.label(o)}" for o in objects(LWG.basedIn.value)]
    parts += [f"website {u}" for u in objects(SCHEMA.url.value)]
    if kind == "congress":
        series = objects(LWG.inSeries.value)
        for number in literals(LWG.ordinal.value):
            of = f" of {graph.label(series[0])}" if series else ""
            parts.append(f"{ordinal(int(number))} meeting{of}" if number.isdigit() else number)
        starts, ends = literals(SCHEMA.startDate.value), literals(SCHEMA.endDate.value)
        if starts or ends:
            parts.append("held " + " to ".join([", ".join(starts), ", ".join(ends)] if ends else [", ".join(starts)]))
        places = [graph.label(o) for p in (LWG.hostCity.value, LWG.hostCountry.value) for o in objects(p)]
        if places:
            parts.append(f"in {', '.join(places)}")
        parts += [f"theme: {t}" for t in literals(LWG.theme.value)]
        organisers = [graph.label(o) for o in objects(LWG.organiser.value)]
        if organisers:
            parts.append(f"organised by {', '.join(organisers)}")
        parts += [f"preceded by {graph.label(o)}" for o in objects(LWG.precededBy.value)]
        parts += [f"followed by {graph.label(o)}" for o in objects(LWG.followedBy.value)]
        parts += [_figure(graph, figure) for figure in objects(LWG.reportedFigure.value)]
    for g_in, post, predicate in graph.inbound(iri):
        if g_in == g and predicate == ORG.member.value:
            post_graph = graph.by_graph(post).get(g, {})
            roles = [graph.label(t.value) for t in post_graph.get(ORG.role.value, []) if isinstance(t, NamedNode)]
            orgs = [
                graph.label(t.value) for t in post_graph.get(ORG.organization.value, []) if isinstance(t, NamedNode)
            ]
            dates = [t.value for p in (SCHEMA.startDate.value, SCHEMA.endDate.value) for t in post_graph.get(p, [])]
            for organisation in orgs:
                text = f"{' and '.join(roles) or 'post'} of {organisation}"
                parts.append(text + (f" ({'-'.join(dates)})" if dates else ""))
    return [part for part in parts if part]


def _figure(graph: _Graph, figure: str) -> str:
    """A reported figure as the source gives it: "about 1,820 participants (after the congress)"."""
    for predicate, qualifier in FIGURE_QUALIFIERS:
        values = graph.literals(figure, predicate)
        if values:
            measure = " ".join(graph.label(m) for m in graph.iris(figure, LWG.measure.value))
            country = [graph.label(c) for c in graph.iris(figure, LWG.participantsFrom.value)]
            stage = [graph.label(s) for s in graph.iris(figure, LWG.reportingStage.value)]
            text = f"{qualifier}{_number(values[0].value)} {measure}".strip()
            text += f" from {', '.join(country)}" if country else ""
            return text + (f" ({', '.join(stage)})" if stage else "")
    return ""


def _citations(graph: _Graph, iri: str, kind: str, modified: dt.date) -> list[Field]:
    fields = []
    cited = sorted(
        ((graph.sources[g], g) for g in _mentions(graph, iri)),
        key=lambda pair: (pair[0].editorial, pair[0].label.casefold(), pair[0].iri),
    )
    for source, g in cited:
        if source.editorial:
            citation = ". ".join(filter(None, [source.publisher, source.label])) + f", {modified.isoformat()}"
            url = iri
        else:
            citation = ", ".join(filter(None, [source.label, source.publisher, source.issued]))
            url = source.url or source.iri
        said = _said_in(graph, iri, g, kind)
        subfields = [("a", f"{citation}:" if said else citation)]
        if said:
            subfields.append(("b", f"({'; '.join(said)})"))
        subfields.append(("u", url))
        fields.append(_field("670", " ", " ", subfields))
    return fields


# ---------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------


def _leader() -> str:
    """The authority leader; pymarc computes the lengths (00-04, 12-16) when it writes.

    05 ``n`` new, 06 ``z`` authority data, 09 ``a`` UCS/Unicode, 10-11 ``22``,
    17 ``n`` complete authority record, 18 ``i`` punctuation included (the
    ISBD punctuation of the headings is in the subfields), 19 blank, 20-23 ``4500``.
    """
    return "00000nz  a2200000ni 4500"


def _record(fields: list[Field]) -> Record:
    record = Record(leader=_leader(), force_utf8=True)
    controls = [f for f in fields if f.is_control_field()]
    # sorted() is stable: fields with the same tag keep the order they were built in.
    data = sorted((f for f in fields if not f.is_control_field()), key=lambda f: f.tag)
    record.add_field(*controls, *data)
    return record


def authority_records(store: Store, base: str, *, modified: dt.date | None = None) -> list[Record]:
    """One MARC 21 authority record per person, organisation and congress in the release's store.

    ``base`` is the dataset's base IRI (``https://w3id.org/lwg/``); only entities under
    ``{base}id/`` get records. ``modified`` (the dataset's modification date, for 005
    and 008/00-05) defaults to the one the store states. Records come sorted by
    control number (001), so the output is the same for the same store.
    """
    graph = _Graph(store, base)
    when = modified or graph.modified()
    kinds: dict[str, str] = {}
    for row in graph.select(ENTITIES_QUERY, prefix=Literal(f"{base}id/")):
        kinds.setdefault(row["entity"].value, row["kind"].value)
    headings: dict[str, Heading] = {}
    for iri, kind in sorted(kinds.items()):
        _heading(graph, iri, kind, headings, base)

    records = []
    for iri, kind in sorted(kinds.items(), key=lambda item: headings[item[0]].control_number):
        heading = headings[iri]
        if kind == "person":
            tracings = _person_tracings(graph, iri, heading)
            specific = _dates(graph, iri, [(SCHEMA.birthDate.value, "f"), (SCHEMA.deathDate.value, "g")])
            specific += _person_fields(graph, iri, headings)
        elif kind == "congress":
            tracings = _congress_tracings(graph, iri, heading)
            specific = _congress_fields(graph, iri, headings)
        else:
            tracings = _organisation_tracings(graph, iri, heading)
            specific = _organisation_fields(graph, iri, headings)
        is_public_body = LWG.PublicBody.value in graph.iris(iri, RDF.type.value)
        government = "o" if is_public_body else "|"
        fields = _control_fields(heading, when, _romanization(graph, iri, heading), government)
        fields += [
            _field("024", "7", " ", [("a", iri), ("2", "uri")]),
            _field("040", " ", " ", [("a", AGENCY), ("b", "eng"), ("e", "rda"), ("c", AGENCY)]),
            _field(f"1{heading.tag}", heading.first_indicator, " ", [*heading.subfields, ("1", iri)]),
            *specific,
            *tracings,
            *_notes(graph, iri, tracings),
            *_citations(graph, iri, kind, when),
        ]
        records.append(_record(fields))
    return records


#: The subfields of a heading that are part of the name (not links, relationships or sources).
HEADING_SUBFIELDS = frozenset("abcdnq")


def heading_text(heading: Field) -> str:
    """A 1XX or 4XX heading as one string, as authority files label it: ``Irzhanova, Gulzhan``."""
    return rdf_text(" ".join(sub.value for sub in heading.subfields if sub.code in HEADING_SUBFIELDS))


def mads_labels(records: Iterable[Record], graph: NamedNode) -> list[Quad]:
    """Each record's heading as the entity's ``madsrdf:authoritativeLabel`` and its see-from
    tracings as ``madsrdf:variantLabel``, in ``graph``: the labels BIBFRAME editors look up."""
    out: list[Quad] = []
    for record in records:
        iri = entity_iri(record)
        if iri is None:
            continue
        entity = NamedNode(iri)
        for f in record.fields:
            if f.is_control_field() or f.tag[0] not in "14" or f.tag[1:] not in ("00", "10", "11"):
                continue
            predicate = MADSRDF.authoritativeLabel if f.tag[0] == "1" else MADSRDF.variantLabel
            out.append(Quad(entity, predicate, Literal(heading_text(f)), graph))
    return out


def entity_iri(record: Record) -> str | None:
    """The IRI a record describes (its 024 7_ $2 uri)."""
    for f in record.get_fields("024"):
        if f.indicator1 == "7" and f.get("2") == "uri":
            return f.get("a")
    return None


# ---------------------------------------------------------------------------
# Writers
# ---------------------------------------------------------------------------


def mrc_bytes(records: Iterable[Record]) -> bytes:
    """The records as ISO 2709 (MARC 21 transmission format), UTF-8, leader/09 ``a``."""
    return b"".join(record.as_marc() for record in records)


def marcxml_bytes(records: Iterable[Record]) -> bytes:
    """The records as one MARCXML ``collection`` (MARC21 slim), UTF-8, indented, deterministic.

    Each leader is the one the ISO 2709 form gets, lengths included, so the two
    dumps agree byte for byte on it.
    """
    # Unprefixed names under a default xmlns on the root: ElementTree's own namespace
    # handling cannot mix a default namespace with unqualified attributes.
    collection = ET.Element("collection", {"xmlns": MARC_XML_NS})
    for record in records:
        node = ET.SubElement(collection, "record")
        ET.SubElement(node, "leader").text = record.as_marc()[:24].decode("ascii")
        for f in record.fields:
            if f.is_control_field():
                ET.SubElement(node, "controlfield", {"tag": f.tag}).text = f.data
                continue
            data = ET.SubElement(node, "datafield", {"tag": f.tag, "ind1": f.indicator1, "ind2": f.indicator2})
            for sub in f.subfields:
                ET.SubElement(data, "subfield", {"code": sub.code}).text = sub.value
    ET.indent(collection, space="  ")
    out = io.BytesIO()
    ET.ElementTree(collection).write(out, encoding="UTF-8", xml_declaration=True)
    return out.getvalue() + b"\n"


def parse_marcxml(payload: bytes) -> list[Record]:
    """Records back from MARCXML (pymarc's reader)."""
    return list(pymarc.parse_xml_to_array(io.BytesIO(payload)))


def parse_mrc(payload: bytes) -> list[Record]:
    """Records back from ISO 2709, read as UTF-8."""
    reader = pymarc.MARCReader(io.BytesIO(payload), to_unicode=True, force_utf8=True)
    return [record for record in reader if record is not None]
