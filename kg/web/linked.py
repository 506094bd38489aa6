"""Linked data: entity IRIs, their documents, the ontology, shapes, context, VoID and dumps.

An entity IRI answers 303 See Other to the document in the negotiated format;
documents and the other resources answer with ``Link: rel=alternate`` to every
format they have, and ``Vary: Accept`` wherever the answer depends on it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import defaultdict
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from pyoxigraph import Literal, NamedNode, Quad

from ..describe import document_quads, document_triples, exists, names
from ..errors import KGError
from ..marc import marcxml_bytes, mrc_bytes
from ..namespaces import DCTERMS, OWL, RDF, RDFS, SKOS
from .entities import entity_page
from .errors import not_found
from .i18n import LANGUAGES
from .negotiation import (
    AUTHORITY_FORMATS,
    DOCUMENT_FORMATS,
    GRAPH_FORMATS,
    HTML,
    JSON,
    JSON_LD,
    MARCXML,
    N_QUADS,
    TRIG,
    TURTLE,
    Format,
    by_extension,
    choose,
    wants_page,
)
from .render import dataset_bytes, graph_bytes
from .site import Labels, Site, labels_of, root_path, site
from .sparql import not_acceptable

SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")  # the whole name (fullmatch: "$" would let a final newline through)
DATASET_FORMATS = (TRIG, N_QUADS)

#: The formats of the ontology (HTML documentation first: what a browser gets).
ONTOLOGY_FORMATS: tuple[Format, ...] = (HTML, *GRAPH_FORMATS)


# --- helpers ---------------------------------------------------------------------------


def alternates(path: str, formats: tuple[Format, ...], query: str = "") -> str:
    """A ``Link`` header naming the document at ``path`` in each format as an alternate."""
    return ", ".join(f'<{path}.{f.extension}{query}>; rel="alternate"; type="{f.media_type}"' for f in formats)


def machine_twins(path: str, formats: tuple[Format, ...], query: str = "") -> list[dict[str, str]]:
    """The same alternates for a page's ``<link rel=alternate>`` elements (HTML itself left out)."""
    return [{"media_type": f.media_type, "href": f"{path}.{f.extension}{query}"} for f in formats if f is not HTML]


def _split(name: str) -> tuple[str, str | None]:
    """``slug.ext`` into the slug and the extension (None without a dot)."""
    stem, dot, extension = name.partition(".")
    return (stem, extension) if dot else (name, None)


def _negotiate(request: Request, formats: tuple[Format, ...]) -> Format:
    fmt = choose(request.headers.get("accept"), formats)
    if fmt is None:
        raise not_acceptable(formats)
    return fmt


def _by_extension(extension: str, formats: tuple[Format, ...], what: str) -> Format:
    fmt = by_extension(extension, formats)
    if fmt is None:
        raise not_found(f"{what} as .{extension}")
    return fmt


def _rdf_response(here: Site, triples: list[Any], fmt: Format, headers: dict[str, str]) -> Response:
    return Response(graph_bytes(triples, fmt, here.prefixes, here.context), media_type=fmt.content_type, headers=headers)


def _http_date(timestamp: float) -> str:
    return formatdate(timestamp, usegmt=True)


def _not_modified(request: Request, etag: str, modified: float) -> bool:
    """Whether the client's copy is current (If-None-Match wins over If-Modified-Since, RFC 9110)."""
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
        return "*" in tags or etag in tags
    if_modified_since = request.headers.get("if-modified-since")
    if if_modified_since is not None:
        try:
            since = parsedate_to_datetime(if_modified_since).timestamp()
        except (TypeError, ValueError):
            return False
        return int(modified) <= since
    return False


def release_file_response(
    request: Request, path: Path, media_type: str, etag: str | None = None, download: bool = False
) -> Response:
    """A file of the release: Content-Length, ETag, Last-Modified, Range (206), and 304 for a current copy."""
    stat = os.stat(path)
    etag = etag or f'"{hashlib.sha256(path.read_bytes()).hexdigest()}"'
    headers = {"ETag": etag, "Cache-Control": "public, max-age=3600"}
    if _not_modified(request, etag, stat.st_mtime):
        return Response(status_code=304, headers={**headers, "Last-Modified": _http_date(stat.st_mtime)})
    return FileResponse(
        path, media_type=media_type, headers=headers, stat_result=stat, filename=path.name if download else None
    )


# --- entities ----------------------------------------------------------------------------


def entity(request: Request, kind: str, name: str) -> Response:
    """``/id/{kind}/{slug}``: 303 to a document; ``/id/{kind}/{slug}.{ext}``: the document."""
    if not SLUG.fullmatch(kind):
        raise not_found(f"/id/{kind}/{name}")
    return described(request, f"id/{kind}", name)


def graph(request: Request, name: str) -> Response:
    """``/graph/{slug}``: a source's named graph, described like an entity (its label, its sources)."""
    return described(request, "graph", name)


def described(request: Request, section: str, name: str) -> Response:
    """The IRI ``{base}{section}/{slug}``: a 303 to its document, or the document itself."""
    here = site(request)
    slug, extension = _split(name)
    if not SLUG.fullmatch(slug):
        raise not_found(f"/{section}/{name}")
    iri = f"{here.service.base}{section}/{slug}"
    path = f"{root_path(request)}/{section}/{slug}"
    record = here.service.authority(iri)
    formats = (*DOCUMENT_FORMATS, *AUTHORITY_FORMATS) if record is not None else DOCUMENT_FORMATS
    headers = {"Link": alternates(path, formats)}
    if extension is None:
        if not exists(here.service.backend, iri):
            raise not_found(f"the entity {iri}")
        fmt = _negotiate(request, formats)
        location = f"{path}.{fmt.extension}"
        if fmt is HTML and request.query_params.get("lang") in LANGUAGES:
            location += f"?lang={request.query_params['lang']}"  # the reader's chosen language goes along
        return RedirectResponse(location, status_code=303, headers={**headers, "Vary": "Accept"})
    fmt = _by_extension(extension, formats, f"the entity {iri}")
    if record is not None and fmt in AUTHORITY_FORMATS:
        body = marcxml_bytes([record]) if fmt is MARCXML else mrc_bytes([record])
        return Response(body, media_type=fmt.content_type, headers=headers)
    quads = here.service.describe(iri)
    if not quads:
        raise not_found(f"the entity {iri}")
    if fmt is HTML:
        return entity_page(request, here, iri, quads, headers, machine_twins(path, formats))
    if fmt in DATASET_FORMATS:
        body = dataset_bytes(document_quads(iri, quads), fmt, here.prefixes, here.context)
        return Response(body, media_type=fmt.content_type, headers=headers)
    return _rdf_response(here, document_triples(iri, quads), fmt, headers)


# --- the ontology, shapes, context and dataset description --------------------------------


def _release_graph(here: Site, filename: str) -> list[Quad]:
    quads = here.release_graph(filename)
    if quads is None:
        raise not_found(filename)
    return quads


def _choose(request: Request, extension: str | None, formats: tuple[Format, ...], path: str) -> Format:
    """The format asked for by the URL's extension, else by the Accept header.

    A browser asking for a resource that has no HTML page gets Turtle, the RDF
    format a person can read, rather than the RDF/XML its ``application/xml`` names.
    """
    if extension is not None:
        return _by_extension(extension, formats, path)
    if HTML not in formats and TURTLE in formats and wants_page(request.headers.get("accept"), formats):
        return TURTLE
    return _negotiate(request, formats)


def rdf_resource(
    request: Request, filename: str, path: str, fmt: Format, formats: tuple[Format, ...], verbatim: bool
) -> Response:
    """A Turtle file of the release in an RDF format (``verbatim``: the Turtle as written, comments and all)."""
    here = site(request)
    headers = {"Vary": "Accept", "Link": alternates(path, formats)}
    if fmt is TURTLE and verbatim:
        file = here.service.release_file(filename)
        if file is None:
            raise not_found(filename)
        return Response(file.read_bytes(), media_type=fmt.content_type, headers=headers)
    return _rdf_response(here, [q.triple for q in _release_graph(here, filename)], fmt, headers)


def ontology(request: Request) -> Response:
    """``/ontology``: HTML documentation for browsers, the ontology in RDF for machines."""
    return ontology_document(request, None)


def ontology_document(request: Request, extension: str | None) -> Response:
    """``/ontology.{html,ttl,nt,jsonld,rdf}``."""
    here = site(request)
    path = root_path(request) + "/ontology"
    fmt = _choose(request, extension, ONTOLOGY_FORMATS, path)
    if fmt is not HTML:
        return rdf_resource(request, "ontology.ttl", path, fmt, ONTOLOGY_FORMATS, verbatim=True)
    headers = {"Vary": "Accept", "Link": alternates(path, ONTOLOGY_FORMATS)}
    quads = _release_graph(here, "ontology.ttl")
    documentation = ontology_terms(quads)
    header = documentation["header"]
    agents = [v.value for key in ("creator", "publisher") for v in header[key] if isinstance(v, NamedNode)]
    names = {**here.vocabulary_labels, **agent_names(here, agents)}
    return here.page(
        "ontology.html", request, headers=headers, names=names, alternates=machine_twins(path, ONTOLOGY_FORMATS), **documentation
    )


def agent_names(here: Site, iris: list[str]) -> Labels:
    """The names the graph gives the ontology's creator and publisher (none if the store cannot say)."""
    try:
        return labels_of(names(here.service.backend, iris))
    except KGError:
        return {}


def shapes(request: Request) -> Response:
    return shapes_document(request, None)


def shapes_document(request: Request, extension: str | None) -> Response:
    """``/shapes``, ``/shapes.{ttl,nt,jsonld,rdf}``: the SHACL shapes the data is validated against."""
    path = root_path(request) + "/shapes"
    fmt = _choose(request, extension, GRAPH_FORMATS, path)
    return rdf_resource(request, "shapes.ttl", path, fmt, GRAPH_FORMATS, verbatim=True)


def void(request: Request) -> Response:
    """``/void``, ``/.well-known/void`` and the dataset's IRI: the VoID + DCAT description."""
    return void_document(request, None)


def void_document(request: Request, extension: str | None) -> Response:
    path = root_path(request) + "/void"
    fmt = _choose(request, extension, GRAPH_FORMATS, path)
    return rdf_resource(request, "void.ttl", path, fmt, GRAPH_FORMATS, verbatim=False)


def context(request: Request) -> Response:
    """``/context.jsonld``: the JSON-LD context every JSON-LD document and dump uses."""
    here = site(request)
    path = here.service.release_file("context.jsonld")
    if path is None:
        raise not_found("context.jsonld")
    return release_file_response(request, path, JSON_LD.media_type)


# --- dumps -------------------------------------------------------------------------------------

CHECKSUMS = "SHA256SUMS"


def dumps_index(request: Request) -> Response:
    """``/dumps/``: the release's downloads, as a page for browsers and JSON otherwise."""
    here = site(request)
    root = root_path(request)
    dumps = [{**d, "url": f"{root}/dumps/{d['filename']}"} for d in here.service.dumps()]
    headers = {"Vary": "Accept"}
    if wants_page(request.headers.get("accept"), (JSON,)):
        return here.page("dumps.html", request, headers=headers, dumps=dumps, release=here.service.manifest)
    listing = {
        "release": here.service.release_id,
        "modified": here.service.manifest.get("modified"),
        "dumps": dumps,
        "checksums": f"{root}/dumps/{CHECKSUMS}",
    }
    return Response(json.dumps(listing, ensure_ascii=False), media_type=JSON.media_type, headers=headers)


def dump_file(request: Request, name: str) -> Response:
    """A dump (or SHA256SUMS): Content-Length, ETag (its SHA-256), Last-Modified, Range, 304."""
    here = site(request)
    known = {d["filename"]: d for d in here.service.dumps()}
    if name != CHECKSUMS and name not in known:
        raise not_found(f"the dump {name}")
    path = here.service.release_file(f"dumps/{name}")
    if path is None:
        raise not_found(f"the dump {name}")
    if name == CHECKSUMS:
        return release_file_response(request, path, "text/plain; charset=utf-8")
    return release_file_response(request, path, "application/gzip", etag=f'"{known[name]["sha256"]}"', download=True)


# --- the ontology's documentation ---------------------------------------------------------------

#: Sections of the documentation: the type that puts a term in it, and its heading.
SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("classes", str(OWL) + "Class", "Classes"),
    ("object-properties", str(OWL) + "ObjectProperty", "Object properties"),
    ("datatype-properties", str(OWL) + "DatatypeProperty", "Datatype properties"),
    ("annotation-properties", str(OWL) + "AnnotationProperty", "Annotation properties"),
    ("concept-schemes", str(SKOS) + "ConceptScheme", "Concept schemes"),
    ("concepts", str(OWL) + "NamedIndividual", "Concepts and individuals"),
)

#: Links of a term to other terms, shown under it: (property, heading).
RELATIONS: tuple[tuple[str, str], ...] = (
    (str(RDFS) + "subClassOf", "Subclass of"),
    (str(RDFS) + "subPropertyOf", "Subproperty of"),
    (str(OWL) + "inverseOf", "Inverse of"),
    (str(RDFS) + "domain", "Domain"),
    (str(RDFS) + "range", "Range"),
    (str(SKOS) + "inScheme", "In scheme"),
    (str(SKOS) + "topConceptOf", "Top concept of"),
    (str(SKOS) + "broader", "Broader"),
    (str(SKOS) + "exactMatch", "Exact match"),
    (str(OWL) + "equivalentClass", "Equivalent class"),
    (str(OWL) + "equivalentProperty", "Equivalent property"),
    (str(RDFS) + "seeAlso", "See also"),
)

#: Links from other terms to a term, shown under it: (property, heading).
INVERSE_RELATIONS: tuple[tuple[str, str], ...] = (
    (str(RDFS) + "subClassOf", "Subclasses"),
    (str(RDFS) + "subPropertyOf", "Subproperties"),
    (str(RDFS) + "domain", "Properties of this class"),
    (str(RDFS) + "range", "Properties pointing to this class"),
    (str(SKOS) + "inScheme", "Concepts"),
)

#: Texts of a term, per language: (property, heading).
TEXTS: tuple[tuple[str, str], ...] = (
    (str(SKOS) + "definition", "Definition"),
    (str(RDFS) + "comment", "Comment"),
    (str(SKOS) + "scopeNote", "Scope note"),
    (str(SKOS) + "example", "Example"),
)

HEADER_FIELDS = {
    "title": DCTERMS.title,
    "description": DCTERMS.description,
    "version": OWL.versionInfo,
    "version_iri": OWL.versionIRI,
    "created": DCTERMS.created,
    "modified": DCTERMS.modified,
    "license": DCTERMS.license,
    "creator": DCTERMS.creator,
    "publisher": DCTERMS.publisher,
    "see_also": RDFS.seeAlso,
}


def _local_name(iri: str) -> str:
    return re.split(r"[#/]", iri)[-1]


def ontology_terms(quads: list[Quad]) -> dict[str, Any]:
    """The ontology's header and its terms, grouped into the documentation's sections.

    Every IRI in the ontology's namespace that the ontology describes gets an entry
    (in ``Other terms`` if none of the sections claims it), so each term IRI's
    fragment has its anchor on the page.
    """
    by_subject: dict[str, list[Quad]] = defaultdict(list)
    for quad in quads:
        if isinstance(quad.subject, NamedNode):
            by_subject[quad.subject.value].append(quad)
    ontology_iri = next((s for s, qs in by_subject.items() if any(q.predicate == RDF.type and q.object == OWL.Ontology for q in qs)), "")
    namespace = ontology_iri + "#"
    header: dict[str, Any] = {"iri": ontology_iri, "namespace": namespace}
    for key, predicate in HEADER_FIELDS.items():
        header[key] = sorted((q.object for q in by_subject.get(ontology_iri, []) if q.predicate == predicate), key=_language_order)

    pointing: dict[tuple[str, str], list[str]] = defaultdict(list)
    for quad in quads:
        if isinstance(quad.object, NamedNode) and isinstance(quad.subject, NamedNode):
            pointing[(quad.predicate.value, quad.object.value)].append(quad.subject.value)

    sections: dict[str, list[dict[str, Any]]] = {key: [] for key, _, _ in SECTIONS}
    sections["other"] = []
    for subject in sorted(by_subject, key=lambda s: _local_name(s).lower()):
        if not subject.startswith(namespace) or subject == namespace:
            continue
        statements = by_subject[subject]
        types = {q.object.value for q in statements if q.predicate == RDF.type and isinstance(q.object, NamedNode)}
        texts = [(heading, _literals(statements, (p,))) for p, heading in TEXTS]
        relations = [(heading, _iris(statements, p)) for p, heading in RELATIONS]
        inverse = [(heading, sorted(pointing.get((p, subject), []), key=_local_name)) for p, heading in INVERSE_RELATIONS]
        entry = {
            "iri": subject,
            "local": _local_name(subject),
            "types": sorted(types),
            "labels": _literals(statements, (str(SKOS) + "prefLabel", str(RDFS) + "label")),
            "texts": [t for t in texts if t[1]],
            "relations": [r for r in relations if r[1]],
            "inverse": [r for r in inverse if r[1]],
        }
        key = next((k for k, cls, _ in SECTIONS if cls in types), "other")
        sections[key].append(entry)
    headings = [(key, heading) for key, _, heading in SECTIONS] + [("other", "Other terms")]
    return {
        "header": header,
        "sections": [{"key": key, "heading": heading, "terms": sections[key]} for key, heading in headings if sections[key]],
    }


def _literals(statements: list[Quad], predicates: tuple[str, ...]) -> list[Literal]:
    """The distinct literal values of some properties, English, Kazakh and Russian first."""
    found = {q.object for q in statements if q.predicate.value in predicates and isinstance(q.object, Literal)}
    return sorted(found, key=_language_order)  # type: ignore[arg-type]


def _iris(statements: list[Quad], predicate: str) -> list[str]:
    return sorted({q.object.value for q in statements if q.predicate.value == predicate and isinstance(q.object, NamedNode)})


def _language_order(term: Any) -> tuple[int, str]:
    """English, Kazakh, Russian, then any other language, then untagged values."""
    language = getattr(term, "language", None) or ""
    order = {"en": 0, "kk": 1, "ru": 2}
    return (order.get(language, 3 if language else 4), str(term))

