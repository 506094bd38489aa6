"""Content negotiation: choosing a format from an Accept header with q-values.

A format is chosen by the highest q of the most specific media range that matches
it (``type/subtype`` over ``type/*`` over ``*/*``); ties go to the server's order
of preference. No acceptable format gives None, which the caller turns into 406.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pyoxigraph import QueryResultsFormat, RdfFormat

from ..index import DISPLAY_LANGUAGES


@dataclass(frozen=True)
class Format:
    """A format the server can write: its name, media type (and aliases) and file extension."""

    name: str
    media_type: str
    extension: str
    aliases: tuple[str, ...] = ()
    rdf: RdfFormat | None = None
    results: QueryResultsFormat | None = None

    @property
    def media_types(self) -> tuple[str, ...]:
        return (self.media_type, *self.aliases)

    @property
    def content_type(self) -> str:
        text = self.media_type.startswith("text/") or self.media_type in ("application/n-triples", "application/n-quads")
        return f"{self.media_type}; charset=utf-8" if text else self.media_type


def _bare(media_type: str) -> str:
    return media_type.split(";", 1)[0].strip().lower()


# The formats, each in the server's order of preference.
SPARQL_JSON = Format("json", "application/sparql-results+json", "srj", ("application/json",), results=QueryResultsFormat.JSON)
SPARQL_XML = Format("xml", "application/sparql-results+xml", "srx", ("application/xml", "text/xml"), results=QueryResultsFormat.XML)
SPARQL_CSV = Format("csv", "text/csv", "csv", results=QueryResultsFormat.CSV)
SPARQL_TSV = Format("tsv", "text/tab-separated-values", "tsv", results=QueryResultsFormat.TSV)
TURTLE = Format("ttl", _bare(RdfFormat.TURTLE.media_type), "ttl", ("application/x-turtle",), rdf=RdfFormat.TURTLE)
N_TRIPLES = Format("nt", _bare(RdfFormat.N_TRIPLES.media_type), "nt", ("text/plain",), rdf=RdfFormat.N_TRIPLES)
JSON_LD = Format("jsonld", _bare(RdfFormat.JSON_LD.media_type), "jsonld", ("application/json",), rdf=RdfFormat.JSON_LD)
RDF_XML = Format("rdf", _bare(RdfFormat.RDF_XML.media_type), "rdf", ("application/xml", "text/xml"), rdf=RdfFormat.RDF_XML)
TRIG = Format("trig", _bare(RdfFormat.TRIG.media_type), "trig", rdf=RdfFormat.TRIG)
N_QUADS = Format("nq", _bare(RdfFormat.N_QUADS.media_type), "nq", rdf=RdfFormat.N_QUADS)
HTML = Format("html", "text/html", "html", ("application/xhtml+xml",))
PLAIN = Format("text", "text/plain", "txt")
JSON = Format("json", "application/json", "json")
MARCXML = Format("marcxml", "application/marcxml+xml", "marcxml")
MARC = Format("mrc", "application/marc", "mrc")

RESULTS_FORMATS: tuple[Format, ...] = (SPARQL_JSON, SPARQL_XML, SPARQL_CSV, SPARQL_TSV)
GRAPH_FORMATS: tuple[Format, ...] = (TURTLE, N_TRIPLES, JSON_LD, RDF_XML)
DOCUMENT_FORMATS: tuple[Format, ...] = (HTML, TURTLE, JSON_LD, RDF_XML, N_TRIPLES, TRIG, N_QUADS)
#: The forms of an entity's MARC 21 authority record, for the entities that have one.
AUTHORITY_FORMATS: tuple[Format, ...] = (MARCXML, MARC)


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float

    def specificity(self, media_type: str) -> int:
        """How closely this range matches ``media_type``: 2 exact, 1 type/*, 0 */*, -1 no match."""
        kind, _, sub = media_type.partition("/")
        if self.type == "*" and self.subtype == "*":
            return 0
        if self.type == kind and self.subtype == "*":
            return 1
        if self.type == kind and self.subtype == sub:
            return 2
        return -1


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an Accept header; a missing or empty header accepts anything."""
    if not header or not header.strip():
        return [MediaRange("*", "*", 1.0)]
    ranges = []
    for part in header.split(","):
        pieces = [p.strip() for p in part.split(";")]
        if pieces[0] == "*":
            pieces[0] = "*/*"  # an old shorthand some HTTP libraries still send
        kind, slash, sub = pieces[0].lower().partition("/")
        if not slash or not kind or not sub:
            continue
        q = 1.0
        for parameter in pieces[1:]:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append(MediaRange(kind, sub, q))
    return ranges


def quality(ranges: Sequence[MediaRange], fmt: Format) -> float:
    """The q the client gives ``fmt``: that of the most specific range matching any of its media types."""
    best_specificity, best_q = -1, 0.0
    for media_type in fmt.media_types:
        for media_range in ranges:
            specificity = media_range.specificity(media_type)
            if media_type != fmt.media_type and specificity < 2:
                continue  # aliases count only when named exactly: text/* means text/csv, not text/xml
            if specificity > best_specificity or (specificity == best_specificity and media_range.q > best_q):
                best_specificity, best_q = specificity, media_range.q
    return best_q if best_specificity >= 0 else 0.0


def choose(header: str | None, formats: Sequence[Format]) -> Format | None:
    """The format to answer with, or None if the client accepts none of ``formats``."""
    ranges = parse_accept(header)
    best: Format | None = None
    best_q = 0.0
    for fmt in formats:
        q = quality(ranges, fmt)
        if q > best_q:
            best, best_q = fmt, q
    return best


def names(header: str | None, fmt: Format) -> bool:
    """Whether the header asks for ``fmt`` by one of its own media types (not only through a wildcard) with q > 0."""
    return any(r.q > 0 and r.specificity(m) == 2 for r in parse_accept(header) for m in fmt.media_types)


def wants_page(header: str | None, formats: Sequence[Format]) -> bool:
    """Whether the client is a browser: it names HTML itself and ranks it first among HTML and ``formats``.

    ``*/*`` alone never means HTML: a client that accepts anything gets data.
    """
    return names(header, HTML) and choose(header, (HTML, *formats)) is HTML


def by_extension(extension: str, formats: Sequence[Format]) -> Format | None:
    return next((f for f in formats if f.extension == extension), None)


def by_name(name: str, formats: Sequence[Format]) -> Format | None:
    """A format by its short name or a media type (the ``format`` parameter some clients send)."""
    wanted = _bare(name)
    return next((f for f in formats if f.name == wanted or wanted in f.media_types), None)


#: The languages of names and labels: the three the graph writes its names in, English first.
LANGUAGES = DISPLAY_LANGUAGES


def choose_language(asked: str | None, accept_language: str | None, supported: Sequence[str] = LANGUAGES) -> str:
    """The language to answer in: ``asked`` (a ``lang`` parameter) if supported, else the best of
    Accept-Language (q-values; ``kk-KZ`` counts as ``kk``), else the first of ``supported``."""
    if asked and asked.strip().lower() in supported:
        return asked.strip().lower()
    best, best_q = supported[0], 0.0
    for part in (accept_language or "").split(","):
        tag, *parameters = (p.strip() for p in part.split(";"))
        primary = tag.lower().split("-")[0]
        q = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if primary in supported and q > best_q:
            best, best_q = primary, q
    return best
