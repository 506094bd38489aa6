"""Turning core results into response bodies: query results, RDF documents and HTML pages."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from pyoxigraph import DefaultGraph, Quad, QueryBoolean, QuerySolutions, RdfFormat, Triple

from ..backends import Results
from ..formats import jsonld_document, rdf_bytes
from .negotiation import Format


def results_bytes(results: Results, fmt: Format, prefixes: dict[str, str], context: dict[str, Any]) -> bytes:
    """Query results in ``fmt`` (a results format for solutions and booleans, an RDF format for graphs)."""
    if isinstance(results, QuerySolutions | QueryBoolean):
        assert fmt.results is not None
        payload = results.serialize(format=fmt.results)
        assert payload is not None
        return payload
    assert fmt.rdf is not None
    return graph_bytes(list(results), fmt, prefixes, context)


def graph_bytes(triples: Iterable[Triple], fmt: Format, prefixes: dict[str, str], context: dict[str, Any]) -> bytes:
    """Triples in an RDF format; JSON-LD is compacted with the published context, held inline."""
    assert fmt.rdf is not None
    triples = list(triples)
    if fmt.rdf == RdfFormat.JSON_LD:
        quads = [Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in triples]
        return json.dumps(jsonld_document(quads, context), ensure_ascii=False, indent=1).encode("utf-8")
    if fmt.rdf in (RdfFormat.TRIG, RdfFormat.N_QUADS):
        return rdf_bytes([Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in triples], fmt.rdf, prefixes)
    return rdf_bytes(triples, fmt.rdf, None if fmt.rdf == RdfFormat.N_TRIPLES else prefixes)


def dataset_bytes(quads: Iterable[Quad], fmt: Format, prefixes: dict[str, str], context: dict[str, Any]) -> bytes:
    """Quads in a dataset format (TriG, N-Quads, JSON-LD with named graphs)."""
    assert fmt.rdf is not None
    quads = list(quads)
    if fmt.rdf == RdfFormat.JSON_LD:
        return json.dumps(jsonld_document(quads, context), ensure_ascii=False, indent=1).encode("utf-8")
    return rdf_bytes(quads, fmt.rdf, None if fmt.rdf == RdfFormat.N_QUADS else prefixes)


def templates() -> Environment:
    """The Jinja2 environment of the HTML pages (autoescaped)."""
    return Environment(loader=PackageLoader("kg.web", "templates"), autoescape=select_autoescape(), trim_blocks=True, lstrip_blocks=True)


def read_json(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data
