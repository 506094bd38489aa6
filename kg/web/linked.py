"""Linked data: entity IRIs, their documents, the ontology, shapes, context, VoID and dumps.

An entity IRI answers 303 See Other to the document in the negotiated format;
documents and the other resources answer with ``Link: rel=alternate`` to every
format they have, and ``Vary: Accept`` wherever the answer depends on it.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from typing import Any

from fastapi import Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, parse

from ..describe import document_triples, provenance
from ..namespaces import RDFS, SKOS
from .errors import not_found
from .negotiation import DOCUMENT_FORMATS, GRAPH_FORMATS, HTML, JSON, JSON_LD, TURTLE, Format, by_extension, choose
from .render import dataset_bytes, graph_bytes
from .site import Site, site
from .sparql import not_acceptable

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
DATASET_DOCUMENT_FORMATS = ("trig", "nq")


def _links(path: str, formats: tuple[Format, ...]) -> str:
    return ", ".join(f'<{path}.{f.extension}>; rel="alternate"; type="{f.media_type}"' for f in formats)


def _split(name: str) -> tuple[str, str | None]:
    stem, dot, extension = name.partition(".")
    return (stem, extension) if dot else (name, None)


def labels(quads: list[Quad], language: str = "en") -> dict[str, str]:
    """A display label per IRI: the prefLabel (or rdfs:label) in ``language``, else any."""
    found: dict[str, dict[str, str]] = defaultdict(dict)
    for quad in quads:
        if quad.predicate in (SKOS.prefLabel, RDFS.label) and isinstance(quad.object, Literal):
            found[quad.subject.value].setdefault(quad.object.language or "", quad.object.value)  # type: ignore[union-attr]
    return {iri: names.get(language) or next(iter(names.values())) for iri, names in found.items()}


def entity(request: Request, kind: str, name: str) -> Response:
    """``/id/{kind}/{slug}``: 303 to a document; ``/id/{kind}/{slug}.{ext}``: the document."""
    here = site(request)
    slug, extension = _split(name)
    if not SLUG.match(kind) or not SLUG.match(slug):
        raise not_found(f"/id/{kind}/{name}")
    iri = here.service.entity_iri(kind, slug)
    quads = here.service.describe(iri)
    if not quads:
        raise not_found(f"the entity {iri}")
    path = request.url.path.rsplit("/", 1)[0] + f"/{slug}"
    link = _links(path, DOCUMENT_FORMATS)
    if extension is None:
        fmt = choose(request.headers.get("accept"), DOCUMENT_FORMATS)
        if fmt is None:
            raise not_acceptable(DOCUMENT_FORMATS)
        return RedirectResponse(f"{path}.{fmt.extension}", status_code=303, headers={"Vary": "Accept", "Link": link})
    fmt = by_extension(extension, DOCUMENT_FORMATS)
    if fmt is None:
        raise not_found(f"a .{extension} document")
    headers = {"Link": link}
    if fmt is HTML:
        return entity_page(here, iri, quads, headers)
    if fmt.extension in DATASET_DOCUMENT_FORMATS:
        statements = [Quad(t.subject, t.predicate, t.object) for t in provenance(iri, quads)]
        body = dataset_bytes([*quads, *statements], fmt, here.prefixes, here.context)
    else:
        body = graph_bytes(document_triples(iri, quads), fmt, here.prefixes, here.context)
    return Response(body, media_type=fmt.content_type, headers=headers)


def entity_page(here: Site, iri: str, quads: list[Quad], headers: dict[str, str]) -> Response:
    names = labels(quads)
    statements: dict[str, list[dict[str, Any]]] = defaultdict(list)
    incoming: dict[str, list[dict[str, Any]]] = defaultdict(list)
    seen: set[tuple[str, str, str, str]] = set()
    for quad in sorted(quads, key=lambda q: (str(q.predicate), str(q.object), str(q.graph_name))):
        key = (quad.subject.value, quad.predicate.value, str(quad.object), quad.graph_name.value)  # type: ignore[union-attr]
        if key in seen:
            continue
        seen.add(key)
        row = {"value": quad.object, "graph": quad.graph_name.value, "subject": quad.subject}  # type: ignore[union-attr]
        if quad.subject == NamedNode(iri):
            statements[quad.predicate.value].append(row)
        elif quad.object == NamedNode(iri):
            incoming[quad.predicate.value].append(row)
    return here.page(
        "entity.html",
        headers=headers,
        iri=iri,
        title=names.get(iri, iri),
        names=names,
        statements=dict(statements),
        incoming=dict(incoming),
        shorten=lambda value: shorten(here, value),
    )


def shorten(here: Site, iri: str) -> str:
    for prefix, namespace in here.prefixes.items():
        if iri.startswith(namespace) and iri != namespace:
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def _release_graph(here: Site, filename: str) -> list[Quad]:
    path = here.service.release_file(filename)
    if path is None:
        raise not_found(filename)
    return list(parse(path=str(path), format=RdfFormat.TURTLE))


def rdf_resource(request: Request, filename: str, path: str, extension: str | None, html: str | None = None) -> Response:
    """A release file (Turtle) served in the negotiated RDF format, or as an HTML page."""
    here = site(request)
    formats: tuple[Format, ...] = (HTML, *GRAPH_FORMATS) if html else GRAPH_FORMATS
    if extension is None:
        fmt = choose(request.headers.get("accept"), formats)
        if fmt is None:
            raise not_acceptable(formats)
        if html is None and fmt is HTML:
            fmt = TURTLE
    else:
        fmt = by_extension(extension, formats)
        if fmt is None:
            raise not_found(f"{path}.{extension}")
    headers = {"Vary": "Accept", "Link": _links(path, formats)}
    quads = _release_graph(here, filename)
    if fmt is HTML:
        assert html is not None
        return here.page(html, headers=headers, **ontology_terms(quads))
    return Response(graph_bytes([q.triple for q in quads], fmt, here.prefixes, here.context), media_type=fmt.content_type, headers=headers)


def ontology(request: Request, extension: str | None = None) -> Response:
    return rdf_resource(request, "ontology.ttl", "/ontology", extension, html="ontology.html")


def ontology_document(request: Request, extension: str) -> Response:
    return ontology(request, extension)


def shapes(request: Request) -> Response:
    return rdf_resource(request, "shapes.ttl", "/shapes", None)


def shapes_document(request: Request, extension: str) -> Response:
    return rdf_resource(request, "shapes.ttl", "/shapes", extension)


def void(request: Request) -> Response:
    return rdf_resource(request, "void.ttl", "/void", None)


def context(request: Request) -> Response:
    here = site(request)
    path = here.service.release_file("context.jsonld")
    if path is None:
        raise not_found("context.jsonld")
    return FileResponse(path, media_type=JSON_LD.media_type)


def dumps_index(request: Request) -> Response:
    here = site(request)
    dumps = here.service.dumps()
    if choose(request.headers.get("accept"), (HTML, JSON)) is HTML:
        return here.page("dumps.html", dumps=dumps, release=here.service.manifest)
    listing = {"release": here.service.release_id, "dumps": dumps, "checksums": "SHA256SUMS"}
    return Response(json.dumps(listing), media_type=JSON.media_type)


def dump_file(request: Request, name: str) -> Response:
    """A dump as a file: Content-Length, ETag, Last-Modified and Range come from FileResponse (sendfile)."""
    here = site(request)
    path = here.service.release_file(f"dumps/{name}")
    if path is None:
        raise not_found(f"the dump {name}")
    media_type = "text/plain; charset=utf-8" if name == "SHA256SUMS" else "application/gzip"
    return FileResponse(path, media_type=media_type, filename=name if name != "SHA256SUMS" else None)


def ontology_terms(quads: list[Quad]) -> dict[str, Any]:
    """The ontology's terms grouped for its documentation page."""
    by_subject: dict[str, list[Quad]] = defaultdict(list)
    for quad in quads:
        by_subject[quad.subject.value].append(quad)  # type: ignore[union-attr]
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    groups: dict[str, list[dict[str, Any]]] = {"classes": [], "object": [], "datatype": [], "schemes": [], "concepts": []}
    kinds = {
        "http://www.w3.org/2002/07/owl#Class": "classes",
        "http://www.w3.org/2002/07/owl#ObjectProperty": "object",
        "http://www.w3.org/2002/07/owl#DatatypeProperty": "datatype",
        "http://www.w3.org/2004/02/skos/core#ConceptScheme": "schemes",
        "http://www.w3.org/2002/07/owl#NamedIndividual": "concepts",
    }
    header: dict[str, Any] = {}
    for subject, statements in sorted(by_subject.items()):
        types = {q.object.value for q in statements if q.predicate.value == rdf_type}  # type: ignore[union-attr]
        values: dict[str, list[Any]] = defaultdict(list)
        for quad in statements:
            values[quad.predicate.value].append(quad.object)
        entry = {"iri": subject, "local": subject.rsplit("#", 1)[-1], "values": dict(values)}
        if "http://www.w3.org/2002/07/owl#Ontology" in types:
            header = entry
        for kind, group in kinds.items():
            if kind in types:
                groups[group].append(entry)
                break
    return {"header": header, "groups": groups}
