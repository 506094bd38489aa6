"""Turning core results into response bodies: query results, RDF documents and HTML pages."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad, QueryBoolean, QuerySolutions, RdfFormat, Triple

from ..backends import Results
from ..formats import jsonld_bytes, rdf_bytes
from ..namespaces import RDF, XSD
from .negotiation import Format

#: Formats whose text declares prefixes.
PREFIXED_FORMATS = (RdfFormat.TURTLE, RdfFormat.TRIG, RdfFormat.RDF_XML)

#: Literals Turtle writes without their datatype, when the lexical form fits its grammar.
_BARE_LITERALS = {
    XSD.integer: re.compile(r"[+-]?[0-9]+"),
    XSD.decimal: re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    XSD.double: re.compile(r"[+-]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)[eE][+-]?[0-9]+"),
    XSD.boolean: re.compile(r"true|false"),
}
_PLAIN_DATATYPES = (XSD.string, RDF.langString)


def _written_iris(items: Iterable[Quad | Triple]) -> set[str]:
    """The IRIs a Turtle or TriG writer has to spell out for ``items`` (so may abbreviate)."""
    found: set[str] = set()

    def term(value: object) -> None:
        if isinstance(value, NamedNode):
            found.add(value.value)
        elif isinstance(value, Literal):
            datatype = value.datatype
            if datatype in _PLAIN_DATATYPES:
                return
            bare = _BARE_LITERALS.get(datatype)
            if bare is None or not bare.fullmatch(value.value):
                found.add(datatype.value)
        elif isinstance(value, Triple):
            term(value.subject)
            term(value.predicate)
            term(value.object)

    for item in items:
        term(item.subject)
        if item.predicate != RDF.type:  # written as 'a'
            term(item.predicate)
        term(item.object)
        if isinstance(item, Quad):
            term(item.graph_name)
    return found


def used_prefixes(prefixes: dict[str, str], items: Iterable[Quad | Triple]) -> dict[str, str]:
    """The part of the prefix table the serialization of ``items`` uses.

    Each IRI is abbreviated with the longest namespace it starts with (as pyoxigraph
    does), so only those prefixes are kept: a document declares what it uses, no more.
    """
    by_length = sorted(prefixes.items(), key=lambda item: len(item[1]), reverse=True)
    used: set[str] = set()
    for iri in _written_iris(items):
        for prefix, namespace in by_length:
            if namespace and iri.startswith(namespace):
                used.add(prefix)
                break
    return {prefix: namespace for prefix, namespace in prefixes.items() if prefix in used}


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
    quads = [Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in triples]
    if fmt.rdf == RdfFormat.JSON_LD:
        return jsonld_bytes(quads, context)
    if fmt.rdf in (RdfFormat.TRIG, RdfFormat.N_QUADS):
        return rdf_bytes(quads, fmt.rdf, used_prefixes(prefixes, quads) if fmt.rdf in PREFIXED_FORMATS else None)
    items = [q.triple for q in quads]
    return rdf_bytes(items, fmt.rdf, used_prefixes(prefixes, items) if fmt.rdf in PREFIXED_FORMATS else None)


def dataset_bytes(quads: Iterable[Quad], fmt: Format, prefixes: dict[str, str], context: dict[str, Any]) -> bytes:
    """Quads in a dataset format (TriG, N-Quads, JSON-LD with named graphs)."""
    assert fmt.rdf is not None
    quads = list(quads)
    if fmt.rdf == RdfFormat.JSON_LD:
        return jsonld_bytes(quads, context)
    return rdf_bytes(quads, fmt.rdf, used_prefixes(prefixes, quads) if fmt.rdf in PREFIXED_FORMATS else None)


def templates() -> Environment:
    """The Jinja2 environment of the HTML pages (autoescaped)."""
    return Environment(
        loader=PackageLoader("kg.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def read_json(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data
