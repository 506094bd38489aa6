"""Where queries run: the embedded store of a release, or a remote SPARQL 1.1 endpoint.

Both backends take the same request (query text, dataset, bindings) and give the
same kinds of result (pyoxigraph solutions, a boolean, or triples), so everything
above them (formats, documents, the HTTP layer) is written once. The remote backend
speaks the SPARQL 1.1 Protocol through SPARQLWrapper and parses the answers back
into pyoxigraph terms.
"""

from __future__ import annotations

import urllib.error
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from pyoxigraph import (
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Store,
    Triple,
    parse,
    parse_query_results,
)
from SPARQLWrapper import JSON, N3, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import (
    EndPointInternalError,
    EndPointNotFound,
    QueryBadFormed,
    SPARQLWrapperException,
)

from .errors import KGError, QueryError
from .queries import Bindings

Results = QuerySolutions | QueryBoolean | QueryTriples | list[Triple]


class BackendUnavailable(KGError):
    """The store cannot answer now (down, unreachable, timed out); worth retrying later."""


@dataclass(frozen=True)
class Dataset:
    """The RDF dataset a query runs over (SPARQL Protocol default-graph-uri / named-graph-uri)."""

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


class Backend(Protocol):
    """What the publisher needs from a store."""

    name: str

    def query(self, text: str, dataset: Dataset = Dataset(), bindings: Bindings | None = None) -> Results: ...

    def triple_count(self) -> int: ...


def _nodes(iris: Iterable[str]) -> list[NamedNode]:
    return [NamedNode(iri) for iri in iris]


class EmbeddedBackend:
    """A release's pyoxigraph store, opened read-only. Without default-graph-uri, the
    default graph is the union of the named graphs."""

    name = "embedded"

    def __init__(self, store_path: Path) -> None:
        try:
            self.store = Store.read_only(str(store_path))
        except OSError as exc:
            raise BackendUnavailable(f"cannot open the store at {store_path}: {exc}") from exc

    def query(self, text: str, dataset: Dataset = Dataset(), bindings: Bindings | None = None) -> Results:
        try:
            return self.store.query(
                text,
                use_default_graph_as_union=not dataset.default_graphs,
                default_graph=_nodes(dataset.default_graphs) or None,
                named_graphs=_nodes(dataset.named_graphs) or None,
                substitutions=bindings or None,
            )
        except SyntaxError as exc:
            raise QueryError(str(exc)) from exc
        except RuntimeError as exc:
            raise QueryError(f"cannot run the query: {exc}") from exc
        except OSError as exc:
            raise BackendUnavailable(f"the store failed: {exc}") from exc

    def triple_count(self) -> int:
        result = self.store.query("SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }", use_default_graph_as_union=True)
        assert isinstance(result, QuerySolutions)
        return int(next(iter(result))["n"].value)  # type: ignore[union-attr]


class RemoteBackend:
    """Any SPARQL 1.1 endpoint, through SPARQLWrapper (POST, so long queries fit)."""

    name = "remote"

    def __init__(self, endpoint: str, timeout: float = 30.0) -> None:
        self.endpoint = endpoint
        self.timeout = timeout

    def _wrapper(self, text: str, dataset: Dataset) -> SPARQLWrapper:
        wrapper = SPARQLWrapper(self.endpoint)
        wrapper.setMethod(POST)
        wrapper.setTimeout(int(self.timeout))
        wrapper.setQuery(text)
        for graph in dataset.default_graphs:
            wrapper.addDefaultGraph(graph)
        for graph in dataset.named_graphs:
            wrapper.addNamedGraph(graph)
        return wrapper

    def query(self, text: str, dataset: Dataset = Dataset(), bindings: Bindings | None = None) -> Results:
        if bindings:
            text = with_values(text, bindings)
        wrapper = self._wrapper(text, dataset)
        graph_query = wrapper.queryType in ("CONSTRUCT", "DESCRIBE")
        wrapper.setReturnFormat(N3 if graph_query else JSON)
        wrapper.setOnlyConneg(True)
        wrapper.addCustomHttpHeader(
            "Accept", "application/n-triples" if graph_query else "application/sparql-results+json"
        )
        try:
            response = wrapper.query().response
            payload = response.read()
            content_type = response.headers.get("Content-Type", "")
        except QueryBadFormed as exc:
            raise QueryError(_remote_message(exc)) from exc
        except (EndPointNotFound, EndPointInternalError, SPARQLWrapperException) as exc:
            raise BackendUnavailable(f"the remote store answered with an error: {_remote_message(exc)}") from exc
        except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
            raise BackendUnavailable(f"the remote store at {self.endpoint} is unreachable: {exc}") from exc
        try:
            if graph_query:
                fmt = RdfFormat.from_media_type(content_type) or RdfFormat.N_TRIPLES
                return [q.triple for q in parse(payload, format=fmt)]
            return parse_query_results(payload, format=QueryResultsFormat.JSON)
        except (SyntaxError, ValueError) as exc:
            raise BackendUnavailable(f"the remote store sent an unreadable answer: {exc}") from exc

    def triple_count(self) -> int:
        result = self.query("SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o { GRAPH ?g { ?s ?p ?o } } }")
        assert isinstance(result, QuerySolutions)
        return int(next(iter(result))["n"].value)  # type: ignore[union-attr]


def with_values(text: str, bindings: Bindings) -> str:
    """The query with a trailing VALUES block binding each variable (for stores without SEP-0007).

    Terms are written by pyoxigraph's own N-Triples serializer (escaped), never from raw input.
    """
    names = " ".join(f"?{variable.value}" for variable in bindings)
    row = " ".join(str(term) for term in bindings.values())
    return f"{text}\nVALUES ({names}) {{ ({row}) }}\n"


def _remote_message(exc: Exception) -> str:
    message = str(exc)
    return message.split("Response:", 1)[-1].strip()[:2000] or message


def open_backend(endpoint: str | None, store_path: Path | None) -> Backend:
    """The remote backend when an endpoint is given, else the embedded store."""
    if endpoint:
        return RemoteBackend(endpoint)
    if store_path is None:
        raise BackendUnavailable("no store: build a release first")
    return EmbeddedBackend(store_path)

