"""No way out through a query: SERVICE, LOAD, files and stores' procedures are refused before anything runs.

Each disguised form is first shown to reach a local trap server when pyoxigraph runs it
as it is (the hazard is real), then shown refused by the backends, with the trap
having received nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad, QueryBoolean, Store

from kg.backends import EmbeddedBackend, RemoteBackend, guard, query_shape, row_limit
from kg.errors import QueryError, RefusedQuery

from .fakes import FakeServer

EX = "http://example.org/"
PAIR = f"?a <{EX}p> ?c ."

#: Ways of writing SERVICE that pyoxigraph 0.5 executes, each of which an earlier tokenizer missed or might miss.
#: ``{u}`` is the trap's URL, ``{p}`` its port.
CALLS_OUT = {
    "plain": "SELECT * {{ " + PAIR + " SERVICE <{u}> {{ ?s ?p ?o }} }}",
    "lower case": "select * {{ " + PAIR + " service <{u}> {{ ?s ?p ?o }} }}",
    "no spaces": "SELECT*{{" + PAIR + "SERVICE<{u}>{{?s ?p ?o}}}}",
    "glued SILENT": "SELECT * {{ " + PAIR + " SERVICESILENT <{u}> {{ ?s ?p ?o }} }}",
    "prefixed name": "PREFIX x: <{u}> SELECT * {{ " + PAIR + " SERVICE x: {{ ?s ?p ?o }} }}",
    "after a comment ended by CR": "SELECT * {{ " + PAIR + " # a comment\rSERVICE <{u}> {{ ?s ?p ?o }} }}",
    "glued to a variable's dot": "SELECT * {{ ?a <" + EX + "p> ?c.SERVICE <{u}> {{ ?s ?p ?o }} }}",
    "after a less-than read as an IRI": "SELECT * {{ " + PAIR + " FILTER(?a<?c||'>') SERVICE <{u}> {{ ?s ?p ?o }} }} #'",
    "IRI with \\u escapes": "SELECT * {{ " + PAIR + " SERVICE <http\\u003A//127.0.0.1:{p}/> {{ ?s ?p ?o }} }}",
    "in a subquery": "SELECT * {{ {{ SELECT * {{ " + PAIR + " SERVICE <{u}> {{ ?s ?p ?o }} }} }} }}",
    "in OPTIONAL": "SELECT * {{ " + PAIR + " OPTIONAL {{ SERVICE SILENT <{u}> {{ ?s ?p ?o }} }} }}",
    "in an EXISTS filter": "ASK {{ " + PAIR + " FILTER EXISTS {{ SERVICE <{u}> {{ ?s ?p ?o }} }} }}",
    "CONSTRUCT": "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ " + PAIR + " SERVICE <{u}> {{ ?s ?p ?o }} }}",
}

#: Forms pyoxigraph does not execute today, refused all the same (another store, or another version, might).
ALSO_REFUSED = {
    "SERVICE ?var": "SELECT * {{ " + PAIR + " SERVICE ?u {{ ?s ?p ?o }} VALUES ?u {{ <{u}> }} }}",
    "SERVICE bound at run time": "SELECT * {{ BIND(IRI(CONCAT('http://127.0.0.1:', '{p}/')) AS ?u) SERVICE ?u {{ ?s ?p ?o }} }}",
    "\\u escape in the keyword": "SELECT * {{ " + PAIR + " \\u0053ERVICE <{u}> {{ ?s ?p ?o }} }}",
    "glued to true": "SELECT * {{ ?a ?b trueSERVICE <{u}> {{ ?s ?p ?o }} }}",
    "glued to a prefix": "PREFIX x: <{u}> SELECT * {{ " + PAIR + " SERVICEx: {{ ?s ?p ?o }} }}",
    "escaped hash in a local name": "PREFIX e: <" + EX + "> SELECT * {{ ?a ?b e:a\\#b . SERVICE <{u}> {{ ?s ?p ?o }} }}",
    "LOAD": "LOAD <{u}>",
    "LOAD after prefixes": "PREFIX x: <{u}> LOAD x:doc INTO GRAPH <" + EX + "g>",
    "a file in FROM": "SELECT * FROM <file:///etc/passwd> {{ ?s ?p ?o }}",
    "a file as a prefix": "PREFIX f: <file:///etc/> SELECT * {{ GRAPH f:passwd {{ ?s ?p ?o }} }}",
    "a relative FROM under a file base": "BASE <file:///etc/> SELECT * FROM <passwd> {{ ?s ?p ?o }}",
    "a store's procedure": "SELECT (bif:file_to_string('/etc/passwd') AS ?x) {{}}",
    "a store's pragma": "DEFINE get:soft \"replace\" SELECT * FROM <{u}> {{ ?s ?p ?o }}",
}


@pytest.fixture
def trap() -> Iterator[FakeServer]:
    with FakeServer() as server:
        yield server


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("guard") / "store"
    store = Store(str(path))
    store.add(Quad(NamedNode(f"{EX}a"), NamedNode(f"{EX}p"), Literal("c"), NamedNode(f"{EX}g")))
    store.flush()
    del store
    return path


@pytest.fixture(scope="module")
def backend(store_path: Path) -> Iterator[EmbeddedBackend]:
    embedded = EmbeddedBackend(store_path)
    yield embedded
    embedded.close()


def written(template: str, trap: FakeServer) -> str:
    return template.format(u=trap.url, p=trap.url.rsplit(":", 1)[1].rstrip("/"))


@pytest.mark.parametrize("name", sorted(CALLS_OUT))
def test_pyoxigraph_alone_would_call_out(name: str, trap: FakeServer) -> None:
    """The hazard: pyoxigraph sends each of these forms to the trap when asked to run it."""
    store = Store()
    store.add(Quad(NamedNode(f"{EX}a"), NamedNode(f"{EX}p"), Literal("c")))
    try:
        result = store.query(written(CALLS_OUT[name], trap))
        bool(result) if isinstance(result, QueryBoolean) else list(result)
    except OSError:
        pass  # the trap answers 500; SILENT swallows that
    assert trap.requests, f"pyoxigraph no longer calls out for {name!r}: keep the test honest"


@pytest.mark.parametrize("name", sorted({**CALLS_OUT, **ALSO_REFUSED}))
def test_the_embedded_backend_refuses_before_running(name: str, trap: FakeServer, backend: EmbeddedBackend) -> None:
    query = written({**CALLS_OUT, **ALSO_REFUSED}[name], trap)
    with pytest.raises(QueryError):
        backend.query(query)
    assert trap.requests == []


@pytest.mark.parametrize("name", sorted({**CALLS_OUT, **ALSO_REFUSED}))
def test_the_guard_refuses_each_form(name: str) -> None:
    with pytest.raises(QueryError):
        guard({**CALLS_OUT, **ALSO_REFUSED}[name].format(u="http://127.0.0.1:9/", p="9"))


def test_ways_out_are_refused_as_such() -> None:
    """SERVICE and LOAD are a refusal (403 on the web), not a syntax error."""
    with pytest.raises(RefusedQuery):
        guard("SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    with pytest.raises(RefusedQuery):
        guard("SELECT * FROM <file:///etc/passwd> { ?s ?p ?o }")


HARMLESS = [
    # the words in strings, comments, IRIs, variables and local names
    'SELECT ?service { BIND("SERVICE <http://127.0.0.1:9/> { }" AS ?service) }  # SERVICE <http://127.0.0.1:9/> {}',
    "SELECT ?load { BIND('''LOAD <http://x/>\n SERVICE''' AS ?load) }",
    f"PREFIX e: <{EX}> SELECT * {{ ?s e:serviceDate ?o . ?s <{EX}SERVICE> ?x }}",
    "SELECT * { ?s ?p ?o FILTER(?o < 3 && ?o > 1) }",
    # an IRI with escapes, FROM of http(s) and urn
    f"SELECT * FROM <{EX}g> FROM NAMED <urn:x-graph:g> {{ ?s <http\\u003A//example.org/p> ?o }}",
]


@pytest.mark.parametrize("query", HARMLESS)
def test_honest_queries_pass(query: str, backend: EmbeddedBackend) -> None:
    assert guard(query).form in ("SELECT", "ASK")
    backend.query(query)  # runs without error


def test_the_tokenizer_ends_comments_at_cr_and_names_without_their_final_dot() -> None:
    shape = query_shape(f"PREFIX e: <{EX}> # comment\rSELECT * FROM e:g. {{ ?s ?p ?o }}")
    assert shape.form == "SELECT"
    assert shape.from_graphs == (f"{EX}g",)


def test_the_remote_backend_cuts_answers_at_the_row_limit_too() -> None:
    rows = ",".join(f'{{"x": {{"type": "uri", "value": "{EX}{i}"}}}}' for i in range(10))
    body = f'{{"head": {{"vars": ["x"]}}, "results": {{"bindings": [{rows}]}}}}'.encode()
    with FakeServer(lambda: (200, "application/sparql-results+json", body)) as store:
        backend = RemoteBackend(store.url + "sparql", timeout=5)
        with row_limit(4) as notes:
            results = backend.query("SELECT ?x { ?x ?p ?o }")
            assert [solution["x"] for solution in results] == [NamedNode(f"{EX}{i}") for i in range(4)]  # type: ignore[union-attr]
        assert notes.truncated_at == 4
        assert len(list(backend.query("SELECT ?x { ?x ?p ?o }"))) == 10  # type: ignore[arg-type]


def test_a_store_that_echoes_every_graph_as_a_header_is_read() -> None:
    """Virtuoso sends one X-SPARQL-default-graph and one X-SPARQL-named-graph header per graph asked for."""
    graphs = [f"https://w3id.org/lwg/graph/source-{i}" for i in range(300)]
    echoed = [(f"X-SPARQL-{kind}-graph", g) for g in graphs for kind in ("default", "named")]
    answer = (200, "application/sparql-results+json", b'{"head": {}, "boolean": true}')
    with FakeServer(lambda: answer, headers=echoed) as store:
        backend = RemoteBackend(store.url + "sparql", timeout=5, graphs=graphs)
        result = backend.query("ASK { ?s ?p ?o }")
    assert isinstance(result, QueryBoolean) and bool(result)
