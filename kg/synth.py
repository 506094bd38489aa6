"""Synthetic data at any scale, in the shape of the real data, for measuring builds and servers.

``write(out, scale, seed)`` writes a data folder that ``kg build --data`` takes as it
is: ``dataset.toml``, an editorial file (series, places, topics, publishers) and one
TriG file per source, each source with its description and the named graph of its
statements. The series hold many congresses; each congress has sessions, an
organising committee, organisations with units and dated names, people in Kazakh,
Russian and English, their posts, delegations, topics and competing attendance
figures (about, nearly, more than, exactly) from different sources.

The output is streamed congress by congress: memory stays bounded by one
congress's statements whatever the scale. The same scale and seed give the same
bytes (each congress draws from its own generator, seeded by the seed and its
number). ``scale`` is the number of statements (quads) to write; the build adds
inverse links, labels and romanizations on top.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, serialize

from .errors import InputError
from .namespaces import DCTERMS, FOAF, LWG, ORG, PREFIXES, PROV, RDF, SCHEMA, SKOS, XSD

BASE = "https://w3id.org/lwg/"
MIN_SCALE = 1_000
CONGRESSES_PER_SERIES = 100
KINDS = ("congress", "series", "organisation", "person", "post", "delegation", "session", "figure", "place", "topic", "source", "name")

Progress = Callable[[str], None]


def _quiet(_message: str) -> None:
    pass


# Syllables: (Kazakh Cyrillic, Latin); the Russian form replaces the Kazakh letters.
SYLLABLES = (
    ("ай", "ai"), ("гүл", "gul"), ("нұр", "nur"), ("сә", "sa"), ("бе", "be"), ("ке", "ke"), ("ма", "ma"),
    ("ра", "ra"), ("та", "ta"), ("ғали", "gali"), ("қан", "kan"), ("жан", "zhan"), ("ер", "er"), ("бол", "bol"),
    ("да", "da"), ("ли", "li"), ("ше", "she"), ("өр", "or"), ("ін", "in"), ("ұл", "ul"), ("ба", "ba"),
    ("сы", "sy"), ("тай", "tai"), ("мұ", "mu"), ("ен", "en"), ("ат", "at"), ("ар", "ar"), ("ді", "di"),
    ("на", "na"), ("ле", "le"), ("қа", "ka"), ("зы", "zy"), ("ны", "ny"), ("ки", "ki"), ("со", "so"),
)
FAMILY_ENDINGS = (("ов", "ov", "ова", "ova"), ("ев", "ev", "ева", "eva"), ("ин", "in", "ина", "ina"))
KK_TO_RU = str.maketrans("әғқңөұүһіӘҒҚҢӨҰҮҺІ", "агкноуухиАГКНОУУХИ")

FIELDS = (
    ("Humanities", "гуманитарлық", "гуманитарный"),
    ("Technology", "технологиялық", "технологический"),
    ("Pedagogy", "педагогикалық", "педагогический"),
    ("Economics", "экономикалық", "экономический"),
    ("Agriculture", "аграрлық", "аграрный"),
    ("Medicine", "медициналық", "медицинский"),
    ("Arts", "өнер", "художественный"),
    ("Law", "заң", "юридический"),
)
ORG_KINDS = (
    ("University", "University", "университеті", "университет"),
    ("Association", "Library Association", "кітапханалар қауымдастығы", "библиотечная ассоциация"),
    ("PublicBody", "Library", "кітапханасы", "библиотека"),
    ("Company", "Information Services", "ақпараттық қызметтері", "информационные услуги"),
)
UNIT_KINDS = (
    (LWG.LibraryAndInformationCentre, "Library and Information Centre", "кітапханалық-ақпараттық орталығы", "библиотечно-информационный центр"),
    (LWG.Department, "Department of Library Science", "кітапхана ісі бөлімі", "отдел библиотечного дела"),
    (LWG.Sector, "Sector of Digital Collections", "цифрлық қорлар секторы", "сектор цифровых фондов"),
)
TOPICS = (
    ("artificial intelligence", "жасанды интеллект", "искусственный интеллект"),
    ("digital platforms", "цифрлық платформалар", "цифровые платформы"),
    ("open access", "ашық қолжетімділік", "открытый доступ"),
    ("digital preservation", "цифрлық сақтау", "цифровая сохранность"),
    ("information literacy", "ақпараттық сауаттылық", "информационная грамотность"),
    ("library science", "кітапханатану", "библиотековедение"),
    ("reading promotion", "оқуды насихаттау", "продвижение чтения"),
    ("metadata standards", "метадерек стандарттары", "стандарты метаданных"),
    ("rare books", "сирек кітаптар", "редкие книги"),
    ("school libraries", "мектеп кітапханалары", "школьные библиотеки"),
    ("copyright", "авторлық құқық", "авторское право"),
    ("research data", "ғылыми деректер", "научные данные"),
)
ROLES = (LWG.Director, LWG.HeadOfDepartment, LWG.HeadOfSector, LWG.President, LWG.SecretaryGeneral)
FORMATS = (LWG.Lecture, LWG.PanelDiscussion, LWG.Seminar, LWG.Keynote)
STAGES = (LWG.Forecast, LWG.BeforeEvent, LWG.FirstDay, LWG.AtOpening, LWG.AfterEvent)
QUALIFIERS = (
    (LWG.approximately, "About {n:,} participants"),
    (LWG.nearly, "Nearly {n:,} participants"),
    (LWG.moreThan, "More than {n:,} participants"),
    (LWG.exactly, "{n:,} participants"),
)
LANGUAGES = ("kk", "ru", "en")
COUNTRIES = 24
CITIES_PER_COUNTRY = 4
PUBLISHERS = 12


@dataclass(frozen=True)
class Written:
    """What a run wrote."""

    folder: Path
    quads: int
    files: int
    congresses: int


def en(text: str) -> Literal:
    return Literal(text, language="en")


def kk(text: str) -> Literal:
    return Literal(text, language="kk")


def ru(text: str) -> Literal:
    return Literal(text, language="ru")


def iri(kind: str, slug: str) -> NamedNode:
    return NamedNode(f"{BASE}id/{kind}/{slug}")


def graph_iri(slug: str) -> NamedNode:
    return NamedNode(f"{BASE}graph/{slug}")


def year(value: int) -> Literal:
    return Literal(str(value), datatype=XSD.gYear)


def date(y: int, month: int, day: int) -> Literal:
    return Literal(f"{y:04d}-{month:02d}-{day:02d}", datatype=XSD.date)


@dataclass(frozen=True)
class Word:
    """A made-up name in Kazakh, Russian and Latin script."""

    kk: str
    ru: str
    latin: str

    @property
    def slug(self) -> str:
        return self.latin.lower()


def word(rng: random.Random, syllables: int) -> Word:
    parts = [rng.choice(SYLLABLES) for _ in range(syllables)]
    cyrillic = "".join(p[0] for p in parts).capitalize()
    return Word(cyrillic, cyrillic.translate(KK_TO_RU), "".join(p[1] for p in parts).capitalize())


class Graphs:
    """Quads gathered for one file, by graph."""

    def __init__(self) -> None:
        self.quads: list[Quad] = []

    def add(self, graph: NamedNode, subject: NamedNode, predicate: NamedNode, *objects: NamedNode | Literal) -> None:
        for obj in objects:
            self.quads.append(Quad(subject, predicate, obj, graph))

    def names(self, graph: NamedNode, subject: NamedNode, names: tuple[str, str, str], alt: str | None = None) -> None:
        """prefLabel in Kazakh, Russian and English (and an English altLabel)."""
        self.add(graph, subject, SKOS.prefLabel, kk(names[1]), ru(names[2]), en(names[0]))
        if alt:
            self.add(graph, subject, SKOS.altLabel, en(alt))


def places(index: int) -> tuple[NamedNode, NamedNode]:
    """The city and country of a place number (a fixed pool, shared by every congress)."""
    country = index // CITIES_PER_COUNTRY % COUNTRIES
    return iri("place", f"city-{country}-{index % CITIES_PER_COUNTRY}"), iri("place", f"country-{country}")


def editorial(seed: int, series_count: int) -> Graphs:
    """The shared entities: series, places, topics, publishers, the editors' graph."""
    rng = random.Random(f"{seed}-editorial")
    g = Graphs()
    ed = graph_iri("editorial")
    g.add(ed, ed, RDF.type, LWG.SourceGraph)
    g.add(ed, ed, SKOS.prefLabel, en("Editors' curation"))
    g.add(ed, iri("organisation", "lwg-editors"), RDF.type, LWG.Organisation)
    g.add(ed, iri("organisation", "lwg-editors"), SKOS.prefLabel, en("Knowledge graph editors"))
    for s in range(series_count):
        series = iri("series", f"series-{s + 1}")
        g.add(ed, series, RDF.type, LWG.CongressSeries)
        g.names(ed, series, (f"World Library Congress, series {s + 1}", f"Дүниежүзілік кітапхана конгресі, {s + 1}-серия",
                             f"Всемирный библиотечный конгресс, серия {s + 1}"), alt=f"WLC-{s + 1}")
        g.add(ed, series, SCHEMA.organizer, iri("organisation", "federation"))
    g.add(ed, iri("organisation", "federation"), RDF.type, LWG.Association)
    g.names(ed, iri("organisation", "federation"), ("World Federation of Library Associations", "Кітапханалар қауымдастықтарының дүниежүзілік федерациясы",
                                                    "Всемирная федерация библиотечных ассоциаций"), alt="WFLA")
    for c in range(COUNTRIES):
        name = word(rng, 3)
        country = iri("place", f"country-{c}")
        g.add(ed, country, RDF.type, LWG.Place, SCHEMA.Country)
        g.names(ed, country, (f"{name.latin}ia", f"{name.kk}ия", f"{name.ru}ия"))
        for i in range(CITIES_PER_COUNTRY):
            city_name = word(rng, 2)
            city = iri("place", f"city-{c}-{i}")
            g.add(ed, city, RDF.type, LWG.Place, SCHEMA.City)
            g.names(ed, city, (city_name.latin, city_name.kk, city_name.ru))
            g.add(ed, city, SCHEMA.containedInPlace, country)
    for t, names in enumerate(TOPICS):
        topic = iri("topic", f"topic-{t}")
        g.add(ed, topic, RDF.type, LWG.Topic, SKOS.Concept)
        g.names(ed, topic, names)
    for p in range(PUBLISHERS):
        name = word(rng, 2)
        publisher = iri("organisation", f"news-{p}")
        g.add(ed, publisher, RDF.type, LWG.Organisation, SCHEMA.NewsMediaOrganization)
        g.names(ed, publisher, (f"{name.latin} News", f"{name.kk} жаңалықтары", f"Новости {name.ru}"))
    return g


@dataclass
class Congress:
    """One congress's numbers: its place in the series, its year and its sources."""

    number: int
    series: int
    ordinal: int
    year: int
    sources: list[str]

    @property
    def slug(self) -> str:
        return f"wlc-{self.series + 1}-{self.ordinal}"

    @property
    def iri(self) -> NamedNode:
        return iri("congress", self.slug)


def person(g: Graphs, graph: NamedNode, rng: random.Random, slug: str) -> NamedNode:
    given, family = word(rng, 2), word(rng, 2)
    ending = rng.choice(FAMILY_ENDINGS)
    female = rng.random() < 0.6
    fam_kk = family.kk + (ending[2] if female else ending[0])
    fam_ru = family.ru + (ending[2] if female else ending[0])
    fam_en = family.latin + (ending[3] if female else ending[1])
    node = iri("person", f"{given.slug}-{fam_en.lower()}-{slug}")
    g.add(graph, node, RDF.type, LWG.Person)
    g.names(graph, node, (f"{given.latin} {fam_en}", f"{given.kk} {fam_kk}", f"{given.ru} {fam_ru}"))
    g.add(graph, node, FOAF.givenName, kk(given.kk), ru(given.ru), en(given.latin))
    g.add(graph, node, FOAF.familyName, kk(fam_kk), ru(fam_ru), en(fam_en))
    return node


def post(g: Graphs, graph: NamedNode, who: NamedNode, where: NamedNode, role: NamedNode, since: int | None) -> None:
    node = iri("post", f"{who.value.rsplit('/', 1)[1]}-{role.value.rsplit('#', 1)[1].lower()}-{where.value.rsplit('/', 1)[1]}")
    g.add(graph, node, RDF.type, LWG.Membership)
    g.add(graph, node, ORG.member, who)
    g.add(graph, node, ORG.organization, where)
    g.add(graph, node, ORG.role, role)
    if since is not None:
        g.add(graph, node, SCHEMA.startDate, year(since))


def organisation_block(g: Graphs, graph: NamedNode, rng: random.Random, congress: Congress, index: int,
                       declared: list[tuple[int, int]]) -> None:
    """A delegation to the congress: from a new organisation (with units, dated names, people and posts)
    or, at times, from one described at an earlier congress."""
    slug = f"{congress.slug}-{index}"
    if declared and rng.random() < 0.25:
        number, earlier = declared[rng.randrange(len(declared))]
        org = iri("organisation", f"org-{number}-{earlier}")
    else:
        declared.append((congress.number, index))
        org = iri("organisation", f"org-{congress.number}-{index}")
        kind, kind_en, kind_kk, kind_ru = rng.choice(ORG_KINDS)
        field = rng.choice(FIELDS)
        city = rng.randrange(COUNTRIES * CITIES_PER_COUNTRY)
        place = word(random.Random(f"city-{city}"), 2)
        number = rng.randrange(1, 40)
        g.add(graph, org, RDF.type, LWG[kind])
        current = (f"{place.latin} {field[0]} {kind_en} No. {number}", f"{place.kk} {field[1]} {kind_kk} №{number}",
                   f"{place.ru}: {field[2]} {kind_ru} № {number}")
        g.names(graph, org, current, alt=f"{place.latin} {kind_en} {number}")
        g.add(graph, org, LWG.basedIn, places(city)[0])
        if rng.random() < 0.3:
            old, new = iri("name", f"org-{congress.number}-{index}-old"), iri("name", f"org-{congress.number}-{index}-new")
            renamed = congress.year - rng.randrange(1, 30)
            g.add(graph, org, LWG.datedName, old, new)
            g.add(graph, old, RDF.type, LWG.DatedName)
            g.add(graph, old, SKOS.prefLabel, en(f"{place.latin} State {kind_en}"), kk(f"{place.kk} мемлекеттік {kind_kk}"))
            g.add(graph, old, LWG.inUseUntil, year(renamed))
            g.add(graph, old, LWG.renamedTo, new)
            g.add(graph, new, RDF.type, LWG.DatedName)
            g.names(graph, new, current)
            g.add(graph, new, LWG.inUseFrom, year(renamed))
        unit_kind = rng.choice(UNIT_KINDS)
        unit = iri("organisation", f"org-{congress.number}-{index}-unit")
        g.add(graph, unit, RDF.type, LWG.OrganisationalUnit)
        g.names(graph, unit, (f"{unit_kind[1]}, {current[0]}", f"{current[1]} {unit_kind[2]}", f"{unit_kind[3]}, {current[2]}"))
        g.add(graph, unit, LWG.unitKind, unit_kind[0])
        g.add(graph, unit, LWG.unitOf, org)
    people = [person(g, graph, rng, f"{slug}-{i}") for i in range(rng.randint(2, 6))]
    for i, who in enumerate(people):
        role = ROLES[0] if i == 0 else rng.choice(ROLES[1:3])
        post(g, graph, who, org, role, congress.year - rng.randrange(0, 15) if rng.random() < 0.5 else None)
    delegation = iri("delegation", f"{slug}")
    g.add(graph, delegation, RDF.type, LWG.Delegation)
    g.add(graph, delegation, SKOS.prefLabel, en(f"Delegation {index} to congress {congress.ordinal}"),
          kk(f"{congress.ordinal}-конгреске {index}-делегация"))
    g.add(graph, delegation, LWG.sentBy, org)
    g.add(graph, delegation, LWG.delegationTo, congress.iri)
    g.add(graph, delegation, LWG.delegate, *people)
    g.add(graph, delegation, LWG.memberListComplete, Literal("false" if rng.random() < 0.7 else "true", datatype=XSD.boolean))


def source_description(g: Graphs, congress: Congress, slug: str, rng: random.Random, language: str) -> None:
    ed = graph_iri("editorial")
    source, graph = iri("source", slug), graph_iri(slug)
    g.add(ed, source, RDF.type, LWG.Source, SCHEMA.NewsArticle)
    g.add(ed, source, SKOS.prefLabel, en(f"News item {slug} on congress {congress.ordinal}"))
    publisher = rng.randrange(PUBLISHERS)
    g.add(ed, source, SCHEMA.url, NamedNode(f"https://news{publisher}.example.org/item/{slug}"))
    g.add(ed, source, DCTERMS.publisher, iri("organisation", f"news-{publisher}"))
    g.add(ed, source, DCTERMS.language, NamedNode(f"http://id.loc.gov/vocabulary/iso639-1/{language}"))
    g.add(ed, source, DCTERMS.issued, date(congress.year, 8, rng.randint(1, 28)))
    g.add(ed, graph, RDF.type, LWG.SourceGraph)
    g.add(ed, graph, SKOS.prefLabel, en(f"Statements from news item {slug}"))
    g.add(ed, graph, PROV.wasDerivedFrom, source)
    g.add(ed, ed, PROV.wasDerivedFrom, source)


def attendance(g: Graphs, graph: NamedNode, congress: Congress, slug: str, rng: random.Random, base: int) -> None:
    """One source's claim about the number of participants, qualified as the source put it."""
    figure = iri("figure", f"{slug}-participants")
    qualifier, label = rng.choice(QUALIFIERS)
    value = base + rng.randrange(-200, 200) // 10 * 10
    g.add(graph, congress.iri, LWG.reportedFigure, figure)
    g.add(graph, figure, RDF.type, LWG.Figure)
    g.add(graph, figure, SKOS.prefLabel, en(label.format(n=value) + f" ({slug})"))
    g.add(graph, figure, LWG.figureFor, congress.iri)
    g.add(graph, figure, LWG.measure, LWG.Participants)
    g.add(graph, figure, qualifier, Literal(str(value), datatype=XSD.integer))
    g.add(graph, figure, LWG.reportingStage, rng.choice(STAGES))
    g.add(graph, figure, DCTERMS.source, iri("source", slug))


def congress_core(g: Graphs, graph: NamedNode, congress: Congress, rng: random.Random, sessions: int) -> None:
    c = congress.iri
    city = rng.randrange(COUNTRIES * CITIES_PER_COUNTRY)
    host_city, host_country = places(city)
    g.add(graph, c, RDF.type, LWG.Congress)
    n = congress.ordinal
    g.names(graph, c, (f"{n}th World Library Congress", f"{n}-шы Дүниежүзілік кітапхана конгресі", f"{n}-й Всемирный библиотечный конгресс"),
            alt=f"WLC {congress.year}")
    g.add(graph, c, LWG.inSeries, iri("series", f"series-{congress.series + 1}"))
    g.add(graph, c, LWG.ordinal, Literal(str(n), datatype=XSD.integer))
    g.add(graph, c, LWG.hostCity, host_city)
    g.add(graph, c, LWG.hostCountry, host_country)
    g.add(graph, c, SCHEMA.startDate, date(congress.year, 8, 18))
    g.add(graph, c, SCHEMA.endDate, date(congress.year, 8, 22))
    g.add(graph, c, LWG.topic, *sorted({iri("topic", f"topic-{rng.randrange(len(TOPICS))}") for _ in range(3)}, key=str))
    g.add(graph, c, LWG.field, iri("topic", "topic-5"))
    g.add(graph, c, LWG.programmeFormat, *FORMATS[: rng.randint(2, len(FORMATS))])
    g.add(graph, c, LWG.theme, en(f"Libraries and {rng.choice(TOPICS)[0]}"))
    if n > 1:
        previous = iri("congress", f"wlc-{congress.series + 1}-{n - 1}")
        g.add(graph, c, LWG.precededBy, previous)
    committee = iri("organisation", f"{congress.slug}-committee")
    g.add(graph, committee, RDF.type, LWG.OrganisingCommittee)
    g.add(graph, committee, SKOS.prefLabel, en(f"National Organising Committee of congress {n}"), kk(f"{n}-конгрестің ұлттық ұйымдастыру комитеті"))
    g.add(graph, committee, LWG.committeeOf, c)
    g.add(graph, c, LWG.organisingCommittee, committee)
    chair = person(g, graph, rng, f"{congress.slug}-chair")
    g.add(graph, committee, LWG.headedBy, chair)
    post(g, graph, chair, committee, LWG.Chair, None)
    g.add(graph, c, LWG.organiser, committee, iri("organisation", "federation"))
    for s in range(sessions):
        session = iri("session", f"{congress.slug}-{s}")
        fmt = rng.choice(FORMATS)
        topic = TOPICS[rng.randrange(len(TOPICS))]
        g.add(graph, session, RDF.type, LWG.Session)
        g.add(graph, session, SKOS.prefLabel, en(f"Session {s + 1} of congress {n}: {topic[0]}"), kk(f"{n}-конгрестің {s + 1}-сессиясы: {topic[1]}"))
        g.add(graph, session, LWG.sessionOf, c)
        g.add(graph, session, LWG.programmeFormat, fmt)
        g.add(graph, session, LWG.topic, iri("topic", f"topic-{TOPICS.index(topic)}"))
        g.add(graph, session, SCHEMA.startDate, date(congress.year, 8, 18 + s % 5))
        g.add(graph, session, LWG.speaker, chair if s == 0 else person(g, graph, rng, f"{congress.slug}-speaker-{s}"))


def _write(path: Path, quads: list[Quad], prefixes: dict[str, str]) -> None:
    with path.open("wb") as handle:
        serialize(quads, handle, format=RdfFormat.TRIG, prefixes=prefixes)


def plan(scale: int) -> tuple[int, int]:
    """How many congresses (and series) a scale gets: more congresses and bigger ones as it grows."""
    congresses = max(2, round(math.sqrt(scale) / 10))
    return congresses, math.ceil(congresses / CONGRESSES_PER_SERIES)


def congress_files(
    congress: Congress, target: int, rng: random.Random, declared: list[tuple[int, int]]
) -> Iterator[tuple[str, Graphs]]:
    """The congress's source files; the statements grow by delegations until about ``target`` quads."""
    files = [(slug, Graphs()) for slug in congress.sources]
    languages = [LANGUAGES[i % 3] for i in range(len(files))]
    base = rng.randrange(500, 4000)
    for (slug, g), language in zip(files, languages, strict=True):
        source_description(g, congress, slug, rng, language)
        attendance(g, graph_iri(slug), congress, slug, rng, base)
    first = files[0]
    congress_core(first[1], graph_iri(first[0]), congress, rng, sessions=max(3, target // 1500))
    # A competing claim: the second source gives other dates.
    second_slug, second = files[1]
    second.add(graph_iri(second_slug), congress.iri, SCHEMA.startDate, date(congress.year, 8, 17))
    second.add(graph_iri(second_slug), congress.iri, SCHEMA.endDate, date(congress.year, 8, 21))
    blocks = 0
    while sum(len(g.quads) for _, g in files) < target:
        slug, g = files[1 + blocks % (len(files) - 1)]
        organisation_block(g, graph_iri(slug), rng, congress, blocks, declared)
        blocks += 1
    yield from files


def write(out: Path, scale: int, seed: int = 1, progress: Progress = _quiet) -> Written:
    """Write a synthetic data folder of about ``scale`` statements into ``out`` (created; must be empty)."""
    if scale < MIN_SCALE:
        raise InputError(f"--scale must be at least {MIN_SCALE}, not {scale}")
    if out.exists() and any(out.iterdir()):
        raise InputError(f"{out}: not empty; synthetic data goes into a new folder")
    out.mkdir(parents=True, exist_ok=True)
    congresses, series = plan(scale)
    prefixes = {**{k: v for k, v in PREFIXES.items() if k in {"dcterms", "foaf", "lwg", "org", "prov", "rdf", "schema", "skos", "xsd"}},
                **{kind: f"{BASE}id/{kind}/" for kind in KINDS}, "graph": f"{BASE}graph/"}
    first = Congress(1, 0, 1, 1900, [])
    (out / "dataset.toml").write_text(
        f'# Synthetic data (kg synth --scale {scale} --seed {seed}): made-up congresses for measuring speed.\n'
        f'name = "synthetic"\nbase = "{BASE}"\n'
        'license = "https://creativecommons.org/publicdomain/zero/1.0/"\n'
        f'publisher = "{BASE}id/organisation/lwg-editors"\nmodified = 2026-01-01\n'
        f'primary_topic = "{first.iri.value}"\n\n[title]\nen = "Synthetic congresses ({scale} statements, seed {seed})"\n',
        encoding="utf-8",
    )
    shared = editorial(seed, series)
    _write(out / "editorial.trig", shared.quads, prefixes)
    written, files = len(shared.quads), 1
    declared: list[tuple[int, int]] = []  # organisations described so far, as (congress, block)
    for number in range(1, congresses + 1):
        rng = random.Random(f"{seed}-congress-{number}")
        series_index, ordinal = divmod(number - 1, CONGRESSES_PER_SERIES)
        congress = Congress(number, series_index, ordinal + 1, 1900 + (number - 1) % 125, [])
        congress.sources = [f"{congress.slug}-news-{i}" for i in range(rng.randint(3, 4))]
        target = (scale * number) // congresses - written
        for slug, g in congress_files(congress, target, rng, declared):
            _write(out / f"{slug}.trig", g.quads, prefixes)
            written += len(g.quads)
            files += 1
        if number % 10 == 0 or number == congresses:
            progress(f"  congress {number}/{congresses}: {written} statements in {files} files")
    return Written(folder=out, quads=written, files=files, congresses=congresses)
