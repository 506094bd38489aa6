"""Serializing a release's quads into its dumps, deterministically.

The same quads always give the same bytes: quads are sorted before they are
written, gzip carries no timestamp or file name, and the JSON-LD is compacted
with the project's own context, held inline so the file parses offline.
"""

from __future__ import annotations

import gzip
import io
import json
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, RdfFormat, Triple, serialize

from .errors import InputError
from .namespaces import PREFIXES, RDF

RDF_TYPE = RDF.type.value
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass(frozen=True)
class DumpFormat:
    """One kind of dump: its file extension, pyoxigraph format and whether it keeps named graphs."""

    extension: str
    rdf_format: RdfFormat
    keeps_graphs: bool

    @property
    def media_type(self) -> str:
        return self.rdf_format.media_type


DUMP_FORMATS: tuple[DumpFormat, ...] = (
    DumpFormat("ttl", RdfFormat.TURTLE, keeps_graphs=False),
    DumpFormat("nt", RdfFormat.N_TRIPLES, keeps_graphs=False),
    DumpFormat("nq", RdfFormat.N_QUADS, keeps_graphs=True),
    DumpFormat("trig", RdfFormat.TRIG, keeps_graphs=True),
    DumpFormat("jsonld", RdfFormat.JSON_LD, keeps_graphs=True),
    DumpFormat("rdf", RdfFormat.RDF_XML, keeps_graphs=False),
)


def _sort_key(quad: Quad) -> tuple[str, str, int, str, str]:
    return (str(quad.graph_name), str(quad.subject), quad.predicate != RDF.type, str(quad.predicate), str(quad.object))


class SortedQuads(list[Quad]):
    """Quads in the order of ``sorted_quads``; a list that what is derived from it can follow."""

    __slots__ = ("__weakref__",)


def sorted_quads(quads: Iterable[Quad]) -> list[Quad]:
    """Distinct quads in a fixed order: by graph, subject, then rdf:type before other properties."""
    return SortedQuads(sorted(set(quads), key=_sort_key))


def sorted_triples(quads: Iterable[Quad]) -> list[Quad]:
    """The union of the graphs: distinct triples in a fixed order (as default-graph quads)."""
    return sorted({Quad(q.subject, q.predicate, q.object) for q in quads}, key=_sort_key)


def data_prefixes(quads: Iterable[Quad], base: str) -> dict[str, str]:
    """Vocabulary prefixes plus one prefix per kind of entity IRI (``person:`` for ``{base}id/person/``)."""
    found: dict[str, str] = {}
    for quad in quads:
        for term in (quad.subject, quad.object, quad.graph_name):
            if isinstance(term, NamedNode) and term.value.startswith(base):
                rest = term.value[len(base):].split("/")
                if rest[0] == "id" and len(rest) > 2:
                    found[rest[1]] = f"{base}id/{rest[1]}/"
                elif rest[0] == "graph" and len(rest) > 1:
                    found["graph"] = f"{base}graph/"
    merged = dict(PREFIXES)
    for prefix, namespace in found.items():
        merged.setdefault(prefix, namespace)
    return dict(sorted(merged.items()))


def context_prefixes(context: dict[str, Any]) -> dict[str, str]:
    """The namespace prefixes of a JSON-LD context (its string terms that are IRIs)."""
    return {k: v for k, v in context["@context"].items() if isinstance(v, str) and "://" in v}


def refuse_xml_declarations(payload: bytes) -> None:
    """Raise ``InputError`` unless ``payload`` is UTF-8 XML without a DOCTYPE or ENTITY declaration.

    Entity expansion makes a few hundred bytes cost minutes of CPU or gigabytes of memory
    in the RDF/XML parsers at hand (rdflib's; pyoxigraph's aborted the process), so XML
    from outside is read only without them. Other encodings are refused, not decoded:
    in UTF-16 a declaration would not look like one.
    """
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"XML from outside must be UTF-8: {exc}") from exc
    lowered = text.lower()
    if "<!doctype" in lowered or "<!entity" in lowered:
        raise InputError("XML with a DOCTYPE or ENTITY declaration is refused (entity expansion)")


def jsonld_bytes(quads: Sequence[Quad], context: dict[str, Any], indent: int | None = 1) -> bytes:
    """A compacted JSON-LD document of the quads (named graphs kept), with the context inline, as UTF-8."""
    return Compactor(context).document(sorted_quads(quads), context, indent=indent)


def jsonld_document(quads: Sequence[Quad], context: dict[str, Any]) -> dict[str, Any]:
    """The same document, parsed."""
    compacted: dict[str, Any] = json.loads(jsonld_bytes(quads, context, indent=None))
    return compacted


class Compactor:
    """JSON-LD compaction of flat data (IRIs and literals, no lists) with a context of prefixes,
    language maps and type coercions, as a JSON-LD processor would compact it.

    A general processor (pyld) walks the whole document in Python several times and
    takes minutes on a million statements; the dump's data is flat, so each value
    maps straight to its key and form. Tests check that the result reads back to
    the same quads with pyld and pyoxigraph.
    """

    def __init__(self, context: dict[str, Any]) -> None:
        terms = context.get("@context") if isinstance(context, dict) else None
        if not isinstance(terms, dict) or "@import" in terms:
            # Only an inline context is read: a context named by URL (web or file) is never fetched.
            raise InputError("a JSON-LD context must be given inline; contexts are never fetched")
        self.prefixes = sorted(
            ((k, v) for k, v in terms.items() if isinstance(v, str) and not k.startswith("@") and v[-1:] in "/#"),
            key=lambda kv: -len(kv[1]),
        )
        self.aliases = {v: k for k, v in terms.items() if isinstance(v, str) and v.startswith("@")}
        self.terms: dict[str, str] = {}
        for name, definition in sorted(terms.items()):
            if isinstance(definition, str) and not name.startswith("@") and not definition.startswith("@"):
                self.terms.setdefault(self.expand(definition), name)
        self.language_maps: dict[str, str] = {}
        self.coerced: dict[tuple[str, str], str] = {}
        for name, definition in sorted(terms.items()):
            if not isinstance(definition, dict) or "@id" not in definition:
                continue
            iri = self.expand(definition["@id"])
            if definition.get("@container") == "@language" and len(definition) == 2:
                self.language_maps.setdefault(iri, name)
            elif "@type" in definition and len(definition) == 2:
                kind = definition["@type"]
                self.coerced.setdefault((iri, "@id" if kind == "@id" else self.expand(kind)), name)
        self.id = self.aliases.get("@id", "@id")
        self.type = self.aliases.get("@type", "@type")
        self._cache: dict[str, str] = {}

    def expand(self, text: str) -> str:
        prefix, sep, rest = text.partition(":")
        for name, namespace in self.prefixes:
            if sep and name == prefix:
                return namespace + rest
        return text

    def iri(self, value: str) -> str:
        """The shortest compact IRI (the least one among equals), or the IRI itself."""
        found = self._cache.get(value)
        if found is None:
            candidates = [f"{k}:{value[len(ns):]}" for k, ns in self.prefixes if value.startswith(ns) and len(value) > len(ns)]
            found = min(candidates, key=lambda c: (len(c), c)) if candidates else value
            if len(self._cache) < 100_000:
                self._cache[value] = found
        return found

    def node(self, subject: NamedNode | BlankNode, statements: Sequence[Quad]) -> dict[str, Any]:
        out: dict[str, Any] = {self.id: self.term(subject)}
        for quad in statements:
            p, o = quad.predicate.value, quad.object
            if p == RDF_TYPE and not isinstance(o, Literal):
                out.setdefault(self.type, []).append(self.vocab(o.value) if isinstance(o, NamedNode) else self.term(o))
                continue
            if isinstance(o, Literal):
                datatype = o.datatype.value
                if o.language is not None and p in self.language_maps:
                    out.setdefault(self.language_maps[p], {}).setdefault(o.language, []).append(o.value)
                    continue
                if (p, datatype) in self.coerced:
                    out.setdefault(self.coerced[(p, datatype)], []).append(o.value)
                    continue
                if o.language is not None:
                    value: Any = {"@value": o.value, "@language": o.language}
                elif datatype == XSD_STRING:
                    value = o.value
                else:
                    value = {"@value": o.value, self.type: self.iri(datatype)}
            elif (p, "@id") in self.coerced:
                out.setdefault(self.coerced[(p, "@id")], []).append(self.term(o))
                continue
            else:
                value = {self.id: self.term(o)}
            out.setdefault(self.vocab(p), []).append(value)
        return {k: self._single(v) for k, v in out.items()}

    def vocab(self, value: str) -> str:
        """A property or class IRI: its own term if the context defines one, else its compact IRI."""
        return self.terms.get(value) or self.iri(value)

    def term(self, node: Any) -> str:
        return f"_:{node.value}" if isinstance(node, BlankNode) else self.iri(node.value)

    def _single(self, values: Any) -> Any:
        if isinstance(values, dict):
            return {k: self._single(v) for k, v in values.items()}
        if isinstance(values, list):
            return values[0] if len(values) == 1 else values
        return values

    def document(self, quads: Sequence[Quad], context: dict[str, Any], indent: int | None = 1) -> bytes:
        """The whole document, graph by graph and subject by subject (``quads`` sorted so)."""
        graphs: dict[str, list[bytes]] = {}
        for (graph, subject), group in groupby(quads, key=lambda q: (q.graph_name, q.subject)):
            name = "" if isinstance(graph, DefaultGraph) else self.term(graph)
            node = json.dumps(self.node(subject, list(group)), ensure_ascii=False, sort_keys=True, indent=indent)
            graphs.setdefault(name, []).append(node.encode("utf-8"))
        parts = [b'{"@context": ', json.dumps(context["@context"], ensure_ascii=False, indent=indent).encode("utf-8"), b', "@graph": [\n']
        entries: list[bytes] = []
        for name, nodes in sorted(graphs.items()):
            if not name:
                entries.extend(nodes)
                continue
            head = json.dumps({self.id: name}, ensure_ascii=False)[:-1].encode("utf-8")
            entries.append(head + b', "@graph": [\n' + b",\n".join(nodes) + b"\n]}")
        parts.append(b",\n".join(entries))
        parts.append(b"\n]}\n")
        return b"".join(parts)


def rdf_bytes(items: Iterable[Quad] | Iterable[Triple], fmt: RdfFormat, prefixes: dict[str, str] | None = None) -> bytes:
    """pyoxigraph's serialization into memory (it returns bytes when given no output)."""
    payload = serialize(items, format=fmt, prefixes=prefixes)
    if payload is None:  # pragma: no cover - only when an output is given
        raise RuntimeError("serialize wrote to an output instead of returning bytes")
    return payload


class _UnionCache:
    """The sorted union of one release's quads, so that its three union dumps sort once (a million
    statements take seconds to sort). It holds only lists made by ``sorted_quads`` and lets go of the
    triples when that list is freed."""

    def __init__(self) -> None:
        self.source: weakref.ref[SortedQuads] | None = None
        self.triples: list[Quad] = []

    def get(self, quads: Sequence[Quad]) -> list[Quad]:
        if not isinstance(quads, SortedQuads):
            return sorted_triples(quads)
        if self.source is None or self.source() is not quads:
            self.source, self.triples = weakref.ref(quads), sorted_triples(quads)
            weakref.finalize(quads, self.clear)
        return self.triples

    def clear(self) -> None:
        self.source, self.triples = None, []


_UNION = _UnionCache()


def dump_bytes(fmt: DumpFormat, quads: Sequence[Quad], prefixes: dict[str, str], context: dict[str, Any]) -> bytes:
    """The uncompressed dump of ``quads`` (already sorted) in ``fmt``."""
    if fmt.rdf_format == RdfFormat.JSON_LD:
        return Compactor(context).document(quads, context)
    source = quads if fmt.keeps_graphs else _UNION.get(quads)
    if fmt.keeps_graphs:
        return rdf_bytes(source, fmt.rdf_format, prefixes)
    triples = [q.triple for q in source]
    return rdf_bytes(triples, fmt.rdf_format, None if fmt.rdf_format == RdfFormat.N_TRIPLES else prefixes)


def gzip_bytes(payload: bytes) -> bytes:
    """gzip without a timestamp or file name, so equal payloads give equal files."""
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as handle:
        handle.write(payload)
    return buffer.getvalue()
