"""Reading SPARQL query results back with the standard library, independently of the server's writer.

JSON with ``json``, XML with ``xml.etree``, CSV and TSV with ``csv``. Every format is
reduced to what CSV can say (an IRI, a literal's lexical form, '' when unbound), so the
same query answered in two formats can be compared row by row.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

JSON = "application/sparql-results+json"
XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
RESULTS_MEDIA_TYPES = (JSON, XML, CSV, TSV)

_SRX = "{http://www.w3.org/2005/sparql-results#}"
_TSV_LITERAL = re.compile(r'^"(?P<lexical>(?:[^"\\]|\\.)*)"(?:@[A-Za-z0-9-]+|\^\^<[^>]*>)?$', re.DOTALL)
_TSV_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", '"': '"', "\\": "\\", "'": "'", "b": "\b", "f": "\f"}


@dataclass(frozen=True)
class Table:
    """The solutions of a SELECT: its variables, and each row's values in CSV terms."""

    variables: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def sorted_rows(self) -> list[tuple[str, ...]]:
        return sorted(self.rows)

    def column(self, variable: str) -> list[str]:
        index = self.variables.index(variable)
        return [row[index] for row in self.rows]


def media_type(content_type: str) -> str:
    """The bare media type of a Content-Type header value."""
    return content_type.split(";", 1)[0].strip().lower()


def read_results(content_type: str, body: bytes) -> Table | bool:
    """The solutions (a Table) or the boolean in ``body``, read by its Content-Type; ValueError if unreadable."""
    kind = media_type(content_type)
    if kind == JSON:
        return _read_json(body)
    if kind == XML:
        return _read_xml(body)
    if kind in (CSV, TSV):
        return _read_delimited(body.decode("utf-8"), "," if kind == CSV else "\t", tsv=kind == TSV)
    raise ValueError(f"not a SPARQL results media type: {content_type!r}")


def _read_json(body: bytes) -> Table | bool:
    document = json.loads(body)
    if "boolean" in document:
        if not isinstance(document["boolean"], bool):
            raise ValueError(f"'boolean' is not a JSON boolean: {document['boolean']!r}")
        return bool(document["boolean"])
    variables = tuple(document["head"]["vars"])
    rows = []
    for binding in document["results"]["bindings"]:
        rows.append(tuple(_json_term(binding[v]) if v in binding else "" for v in variables))
    return Table(variables, tuple(rows))


def _json_term(term: dict[str, str]) -> str:
    if term["type"] not in ("uri", "literal", "typed-literal", "bnode"):
        raise ValueError(f"unknown term type {term['type']!r}")
    return ("_:" + term["value"]) if term["type"] == "bnode" else term["value"]


def _read_xml(body: bytes) -> Table | bool:
    root = ET.fromstring(body)
    if root.tag != f"{_SRX}sparql":
        raise ValueError(f"not a SPARQL results document: root element {root.tag}")
    boolean = root.find(f"{_SRX}boolean")
    if boolean is not None:
        text = (boolean.text or "").strip()
        if text not in ("true", "false"):
            raise ValueError(f"<boolean> holds {text!r}")
        return text == "true"
    variables = tuple(v.attrib["name"] for v in root.iterfind(f"{_SRX}head/{_SRX}variable"))
    rows = []
    for result in root.iterfind(f"{_SRX}results/{_SRX}result"):
        values = {b.attrib["name"]: _xml_term(b) for b in result.iterfind(f"{_SRX}binding")}
        rows.append(tuple(values.get(v, "") for v in variables))
    return Table(variables, tuple(rows))


def _xml_term(binding: ET.Element) -> str:
    term = binding[0]
    kind = term.tag.removeprefix(_SRX)
    if kind == "bnode":
        return "_:" + (term.text or "")
    if kind in ("uri", "literal"):
        return term.text or ""
    raise ValueError(f"unknown term element {term.tag}")


def _read_delimited(text: str, delimiter: str, tsv: bool) -> Table | bool:
    if text.strip() in ("true", "false"):
        return text.strip() == "true"
    if tsv:
        lines = text.split("\n")
        records = [line.split("\t") for line in lines if line]
    else:
        records = list(csv.reader(io.StringIO(text, newline="")))
    header, *body = records
    variables = tuple(name.removeprefix("?") for name in header)
    rows = []
    for record in body:
        if len(record) != len(variables):
            raise ValueError(f"{len(record)} fields in a row under {len(variables)} variables: {record!r}")
        rows.append(tuple(_tsv_term(v) if tsv else v for v in record))
    return Table(variables, tuple(rows))


def _tsv_term(field: str) -> str:
    """A TSV field (a SPARQL term in Turtle syntax) in CSV terms."""
    if field.startswith("<") and field.endswith(">"):
        return field[1:-1]
    match = _TSV_LITERAL.match(field)
    if match:
        return re.sub(r"\\(.)", lambda m: _TSV_ESCAPES.get(m.group(1), m.group(1)), match.group("lexical"))
    return field  # a bare number or boolean, a blank node, or unbound ('')
