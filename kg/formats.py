"""Serializing a release's quads into its dumps, deterministically.

The same quads always give the same bytes: quads are sorted before they are
written, gzip carries no timestamp or file name, and the JSON-LD is compacted
with the project's own context, held inline so the file parses offline.
"""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pyld import jsonld
from pyoxigraph import NamedNode, Quad, RdfFormat, Triple, serialize

from .errors import InputError
from .namespaces import PREFIXES, RDF


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


def sorted_quads(quads: Iterable[Quad]) -> list[Quad]:
    """Distinct quads in a fixed order: by graph, subject, then rdf:type before other properties."""
    return sorted(set(quads), key=_sort_key)


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


def _refuse_remote(url: str, options: dict[str, Any] | None = None) -> Any:
    """pyld's document loader: contexts are never fetched, from the web or from files."""
    raise jsonld.JsonLdError(f"refusing to load {url}: contexts are never fetched", "loading document failed")


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


def jsonld_document(quads: Sequence[Quad], context: dict[str, Any]) -> dict[str, Any]:
    """A compacted JSON-LD document of the quads (named graphs kept), with the context inline."""
    nquads = rdf_bytes(quads, RdfFormat.N_QUADS).decode("utf-8")
    options = {"documentLoader": _refuse_remote}
    expanded = jsonld.from_rdf(nquads, {"format": "application/n-quads", **options})
    compacted: dict[str, Any] = jsonld.compact(expanded, context, options)
    return compacted


def rdf_bytes(items: Iterable[Quad] | Iterable[Triple], fmt: RdfFormat, prefixes: dict[str, str] | None = None) -> bytes:
    """pyoxigraph's serialization into memory (it returns bytes when given no output)."""
    payload = serialize(items, format=fmt, prefixes=prefixes)
    if payload is None:  # pragma: no cover - only when an output is given
        raise RuntimeError("serialize wrote to an output instead of returning bytes")
    return payload


def dump_bytes(fmt: DumpFormat, quads: Sequence[Quad], prefixes: dict[str, str], context: dict[str, Any]) -> bytes:
    """The uncompressed dump of ``quads`` (already sorted) in ``fmt``."""
    if fmt.rdf_format == RdfFormat.JSON_LD:
        text = json.dumps(jsonld_document(quads, context), ensure_ascii=False, indent=1, sort_keys=True)
        return (text + "\n").encode("utf-8")
    source = quads if fmt.keeps_graphs else sorted_triples(quads)
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
