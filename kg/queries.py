"""Named SPARQL queries (``queries/*.rq``): reading them, binding their parameters, running them.

A stored query starts with comment lines: the first is its title, the next ones
(up to a blank comment line) its description, and ``# param: NAME KIND text``
lines declare parameters. Parameter values are passed to the store as
substitutions (SEP-0007 bindings), never pasted into the query text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Store,
    Triple,
    Variable,
)

from .errors import InputError, QueryError
from .formats import rdf_bytes
from .namespaces import PREFIXES, XSD

NAME = re.compile(r"[a-z0-9][a-z0-9-]*")  # matched whole (fullmatch)
PARAM = re.compile(r"^#\s*param:\s*(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s+(?P<kind>iri|string|integer)\s*(?P<text>.*)$")
Bindings = dict[Variable, NamedNode | BlankNode | Literal | Triple]


@dataclass(frozen=True)
class Parameter:
    """A value a stored query takes, bound to the variable of the same name."""

    name: str
    kind: str
    description: str

    def term(self, value: str) -> NamedNode | Literal:
        if self.kind == "iri":
            if not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", value):
                raise QueryError(f"parameter {self.name}: {value!r} is not an http(s) IRI")
            try:
                return NamedNode(value)
            except ValueError as exc:
                raise QueryError(f"parameter {self.name}: {value!r} is not an IRI: {exc}") from exc
        if self.kind == "integer":
            if not re.fullmatch(r"[+-]?[0-9]+", value):
                raise QueryError(f"parameter {self.name}: {value!r} is not an integer")
            return Literal(value, datatype=XSD.integer)
        return Literal(value)


@dataclass(frozen=True)
class StoredQuery:
    """A named query: its text and what its header says about it."""

    name: str
    title: str
    description: str
    text: str
    parameters: tuple[Parameter, ...]

    def bindings(self, values: dict[str, str]) -> Bindings:
        declared = {p.name: p for p in self.parameters}
        unknown = sorted(set(values) - set(declared))
        if unknown:
            raise QueryError(f"query {self.name} takes no parameter {', '.join(unknown)}")
        return {Variable(name): declared[name].term(value) for name, value in values.items()}


def parse_stored(name: str, text: str) -> StoredQuery:
    """A stored query from its name and text, header included."""
    title = ""
    description: list[str] = []
    parameters: list[Parameter] = []
    header_done = False
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = PARAM.match(line)
        if match:
            parameters.append(Parameter(match["name"], match["kind"], match["text"].strip()))
            continue
        content = line.lstrip("#").strip()
        if not title:
            title = content
        elif not content:
            header_done = bool(description)
        elif not header_done:
            description.append(content)
    if not title:
        raise InputError(f"query {name}: the first line must be a comment giving its title")
    if parameters:
        from .backends import query_shape  # here, not at the top: backends imports this module

        form = query_shape(text).form
        if form != "SELECT":
            # pyoxigraph binds values (SEP-0007) only for variables a SELECT projects.
            raise InputError(f"query {name}: only a SELECT query can take parameters, not {form}")
    return StoredQuery(name, title, " ".join(description), text, tuple(parameters))


def load_queries(folder: Path) -> dict[str, StoredQuery]:
    """Every ``*.rq`` in ``folder``, by name (the file's stem)."""
    queries = {}
    for path in sorted(folder.glob("*.rq")):
        if not NAME.fullmatch(path.stem):
            raise InputError(f"{path}: query names are lower-case letters, digits and hyphens")
        queries[path.stem] = parse_stored(path.stem, path.read_text(encoding="utf-8"))
    return queries


Results = QuerySolutions | QueryBoolean | QueryTriples


def run(store: Store, text: str, bindings: Bindings | None = None) -> Results:
    """Run a query over the union of the named graphs (a query with GRAPH still sees each)."""
    try:
        return store.query(text, use_default_graph_as_union=True, substitutions=bindings or None)
    except SyntaxError as exc:
        raise QueryError(f"malformed query: {exc}") from exc
    except RuntimeError as exc:  # pyoxigraph's evaluation errors (e.g. a binding it cannot apply)
        raise QueryError(f"cannot run the query: {exc}") from exc


RESULT_FORMATS = {
    "json": QueryResultsFormat.JSON,
    "xml": QueryResultsFormat.XML,
    "csv": QueryResultsFormat.CSV,
    "tsv": QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "ttl": RdfFormat.TURTLE,
    "nt": RdfFormat.N_TRIPLES,
    "jsonld": RdfFormat.JSON_LD,
    "rdf": RdfFormat.RDF_XML,
}


def _cell(term: object, prefixes: dict[str, str]) -> str:
    if term is None:
        return ""
    if isinstance(term, NamedNode):
        for prefix, namespace in prefixes.items():
            if term.value.startswith(namespace) and term.value != namespace:
                return f"{prefix}:{term.value[len(namespace):]}"
        return f"<{term.value}>"
    if isinstance(term, Literal):
        return f"{term.value}@{term.language}" if term.language else term.value
    return str(term)


def table(results: QuerySolutions, prefixes: dict[str, str] = PREFIXES) -> str:
    """SELECT results as an aligned plain-text table, IRIs shortened by ``prefixes``."""
    names = [v.value for v in results.variables]
    rows = [[_cell(solution[name], prefixes) for name in names] for solution in results]
    widths = [max([len(n), *(len(r[i]) for r in rows)]) for i, n in enumerate(names)]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    return "\n".join([line(names), line(["-" * w for w in widths]), *map(line, rows), f"({len(rows)} rows)"])


def render(results: Results, fmt: str | None, prefixes: dict[str, str] = PREFIXES) -> bytes:
    """Results as bytes: a table (default for SELECT) or a standard format by short name."""
    if isinstance(results, QueryTriples):
        chosen = GRAPH_FORMATS.get(fmt or "ttl")
        if chosen is None:
            raise QueryError(f"graph results come as {', '.join(GRAPH_FORMATS)}, not {fmt}")
        keep = chosen in (RdfFormat.TURTLE, RdfFormat.JSON_LD)
        return rdf_bytes(list(results), chosen, prefixes if keep else None)
    if isinstance(results, QueryBoolean):
        if fmt is None:
            return (("true" if bool(results) else "false") + "\n").encode()
    elif fmt is None:
        return (table(results, prefixes) + "\n").encode("utf-8")
    chosen_results = RESULT_FORMATS.get(fmt)
    if chosen_results is None:
        raise QueryError(f"results come as {', '.join(RESULT_FORMATS)}, not {fmt}")
    payload = results.serialize(format=chosen_results)
    assert payload is not None
    return payload
