"""Where queries run: the embedded store of a release, or a remote SPARQL 1.1 endpoint.

Both backends take the same request (query text, dataset, bindings) and give the
same kinds of result (pyoxigraph solutions, a boolean, or triples), so everything
above them (formats, documents, the HTTP layer) is written once. The remote backend
speaks the SPARQL 1.1 Protocol through SPARQLWrapper and parses the answers back
into pyoxigraph terms.
"""

from __future__ import annotations

import http.client
import re
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urljoin, urlsplit

from pyoxigraph import (
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Triple,
    parse,
    parse_query_results,
)
from SPARQLWrapper import CONSTRUCT, DESCRIBE, POST, SELECT, SPARQLWrapper

from .errors import BackendUnavailable, BadStoreAnswer, InputError, KGError, QueryError, RefusedQuery, StoreTimeout
from .formats import refuse_xml_declarations
from .queries import Bindings
from .workers import Job, WorkerPool, serialize_results

Results = QuerySolutions | QueryBoolean | QueryTriples | list[Triple]


@dataclass(frozen=True)
class Dataset:
    """The RDF dataset a query runs over (SPARQL Protocol default-graph-uri / named-graph-uri)."""

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


class Backend(Protocol):
    """What the publisher needs from a store."""

    name: str

    def query(
        self, text: str, dataset: Dataset = Dataset(), bindings: Bindings | None = None, base_iri: str | None = None
    ) -> Results: ...

    def triple_count(self) -> int: ...

    def close(self) -> None: ...


class EmbeddedBackend:
    """A release's pyoxigraph store, read-only, queried in worker processes (``kg.workers``).

    Without default-graph-uri, the default graph is the union of the named graphs. Every
    query has ``timeout`` seconds, after which its worker is killed (the client gets
    ``QueryTimeout``). Inside ``row_limit(n)``, answers hold at most n rows or triples,
    and a cut answer is noted for the caller to state; inside ``row_limit(n, open_queries=True)``
    the queries (a client's) may use all workers but one.
    """

    name = "embedded"

    def __init__(self, store_path: Path, timeout: float = 30.0, workers: int = 4, memory: int | None = None) -> None:
        if not (store_path / "CURRENT").is_file():
            raise BackendUnavailable(f"no store at {store_path}: the release is incomplete or damaged; rebuild it or roll back")
        self.store_path = store_path
        self.pool = WorkerPool(store_path, size=workers, timeout=timeout, memory=memory)

    def start(self) -> None:
        """Start the workers now: each opens the store, so a damaged store is found here, not at the first query."""
        self.pool.start()

    def close(self) -> None:
        """Stop the workers."""
        self.pool.close()

    def query(
        self, text: str, dataset: Dataset = Dataset(), bindings: Bindings | None = None, base_iri: str | None = None
    ) -> Results:
        """Run a query; ``base_iri`` resolves its relative IRIs (the protocol's: the endpoint's URL)."""
        shape = guard(text, dataset)
        limit = current_row_limit()
        job = Job(
            text,
            base_iri=base_iri,
            # The protocol's dataset wins over the query's FROM, which wins over the union.
            union=not dataset.default_graphs and not shape.has_dataset,
            default_graphs=dataset.default_graphs,
            named_graphs=dataset.named_graphs,
            bindings=bindings or None,
            max_rows=limit,
        )
        notes = current_notes()
        answer = self.pool.run(job, open_query=notes is not None and notes.open_queries)
        if answer.truncated and limit is not None:
            note_truncated(limit)
        return answer.results()

    def triple_count(self) -> int:
        result = self.pool.run(Job("SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }")).results()
        assert isinstance(result, QuerySolutions)
        return int(next(iter(result))["n"].value)  # type: ignore[union-attr]


@dataclass
class Notes:
    """A request's bounds on its queries' answers, and what they say beside the results."""

    #: Rows (or triples) an answer may hold; None for all.
    row_limit: int | None = None
    #: Whether the queries are written by a client (the public endpoint's), not by the service.
    open_queries: bool = False
    #: The limit at which an answer was cut, if one was.
    truncated_at: int | None = None


_NOTES: ContextVar[Notes | None] = ContextVar("kg_notes", default=None)


@contextmanager
def noting() -> Iterator[Notes]:
    """Collect the notes of the queries run inside the block (and in threads started from it)."""
    notes = Notes()
    token = _NOTES.set(notes)
    try:
        yield notes
    finally:
        _NOTES.reset(token)


@contextmanager
def row_limit(rows: int | None, open_queries: bool = False) -> Iterator[Notes]:
    """Cut the answers of the queries run inside the block at ``rows`` (noted in the current notes, or new ones).

    ``open_queries``: the queries are a client's (the embedded store then keeps a worker
    free of them for the service's own queries).
    """
    notes = _NOTES.get()
    if notes is None:
        with noting() as fresh:
            fresh.row_limit, fresh.open_queries = rows, open_queries
            yield fresh
        return
    previous = notes.row_limit, notes.open_queries
    notes.row_limit, notes.open_queries = rows, open_queries
    try:
        yield notes
    finally:
        notes.row_limit, notes.open_queries = previous


def current_row_limit() -> int | None:
    notes = _NOTES.get()
    return None if notes is None else notes.row_limit


def current_notes() -> Notes | None:
    """The notes being collected here, if any."""
    return _NOTES.get()


def note_truncated(limit: int) -> None:
    """Say that an answer was cut at ``limit`` rows (to whoever is ``noting``)."""
    notes = _NOTES.get()
    if notes is not None:
        notes.truncated_at = limit


#: What the remote backend asks for, by kind of query. Each store answers in one of these;
#: the answer is parsed by the media type it declares. SPARQL XML results come first:
#: Virtuoso 7.2 writes an xsd:boolean "false" as "0" in its JSON results, not in XML.
RESULTS_ACCEPT = "application/sparql-results+xml, application/sparql-results+json;q=0.9, text/tab-separated-values;q=0.5"
GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
GRAPH_QUERIES = (CONSTRUCT, DESCRIBE)
UPDATE_REFUSED = "this service is read-only: updates are not accepted"

#: Response headers by which Virtuoso says it cut an answer short while still sending 200:
#: at its row limit (ResultSetMaxRows), or at its time limit (an "anytime" partial answer).
VIRTUOSO_MAX_ROWS = "x-sparql-maxrows"
VIRTUOSO_PARTIAL = "x-sql-state"

#: Virtuoso SQLSTATE classes of a query's own fault (syntax, data, access rule): 400, not 503.
VIRTUOSO_QUERY_STATES = re.compile(r"\bVirtuoso (37\w{3}|22\w{3}|42\w{3}|HT\w{3}|SP\w{3}) Error\b")

#: How long the remote backend trusts a triple count before counting again; in between,
#: /health only checks that the store answers.
COUNT_TTL_SECONDS = 60.0


class RemoteBackend:
    """Any SPARQL 1.1 endpoint, through SPARQLWrapper (POST, so long queries fit).

    ``graphs`` are the release's named graphs. A request that names no dataset runs over
    them (default graph: their union; named graphs: each of them), as on the embedded
    store, so a store that also holds other graphs (Virtuoso's own system graphs, other
    datasets) gives the same answers. ``timeout`` bounds every request as a whole:
    connecting, waiting for the answer and reading it; past it, or when the store cannot
    be reached, the query raises ``BackendUnavailable``, and the next query tries again.
    """

    name = "remote"

    def __init__(self, endpoint: str, timeout: float = 30.0, graphs: Iterable[str] = ()) -> None:
        self.endpoint = endpoint
        self.timeout = float(timeout)
        self.graphs = tuple(graphs)
        # Virtuoso echoes every default-graph-uri and named-graph-uri of a request as a response
        # header (X-SPARQL-default-graph, X-SPARQL-named-graph): two per graph of the release.
        # Python's HTTP client refuses an answer with more than 100 headers, a module-wide
        # setting; allow those of the release's graphs.
        limit = 2 * len(self.graphs) + 100
        if getattr(http.client, "_MAXHEADERS", 100) < limit:
            http.client._MAXHEADERS = limit  # type: ignore[attr-defined]
        #: The store's product, learnt from the Server header of its answers ("virtuoso", "oxigraph", ...).
        self.server: str | None = None
        self._count: tuple[float, int] | None = None
        host = urlsplit(endpoint).hostname or ""
        # Loopback stores are reached directly, whatever proxy the environment names.
        handlers = [urllib.request.ProxyHandler({})] if host in ("localhost", "127.0.0.1", "::1") else []
        self._opener = urllib.request.build_opener(*handlers)

    # --- the public face -----------------------------------------------------------

    def query(
        self, text: str, dataset: Dataset = Dataset(), bindings: Bindings | None = None, base_iri: str | None = None
    ) -> Results:
        """Run a query; ``base_iri`` resolves its relative IRIs (the protocol's: the endpoint's URL)."""
        shape = guard(text, dataset)
        kind = shape.form
        original = text
        if bindings:
            text = with_values(text, bindings, shape)  # after the FROM clauses: their spans still hold
        text, dataset = self._dataset(shape, text, dataset)
        if base_iri and shape.relative_iris:
            text = f"BASE {NamedNode(base_iri)} {text}"  # before the query's own BASE, if any, which still wins
        if kind == DESCRIBE:
            if self.server is None:
                self._ask_alive()
            if self.server == "virtuoso":
                # Virtuoso describes a resource by the triples in and out of it; every other
                # store here (and the embedded one) by its concise bounded description.
                text = 'define sql:describe-mode "CBD"\n' + text
        status, headers, payload = self._send(text, dataset, GRAPH_ACCEPT if kind in GRAPH_QUERIES else RESULTS_ACCEPT)
        if status != 200:
            raise self._error(status, payload, original)
        results = self._parse(headers, payload)
        limit = current_row_limit()
        if limit is None or isinstance(results, QueryBoolean):
            return results
        answer = serialize_results(results, limit)  # the same cut as the embedded store's
        if answer.truncated:
            note_truncated(limit)
        return answer.results()

    def _dataset(self, shape: QueryShape, text: str, dataset: Dataset) -> tuple[str, Dataset]:
        """The query text and the protocol dataset to send, so that every store sees the same dataset.

        As on the embedded store: the protocol's dataset wins over the query's FROM clauses,
        which win over the union of the release's graphs. The query's own dataset is sent as
        protocol parameters too, its FROM clauses taken out: stores disagree on mixing the two,
        and the Oxigraph server's union-default-graph option would override a FROM. Whatever
        the protocol leaves out is the release's graphs, not whatever else the store holds
        (Virtuoso's system graphs, other datasets).
        """
        if dataset == Dataset() and shape.has_dataset:
            if shape.from_graphs is None or shape.from_named_graphs is None:
                return text, dataset  # a FROM this tokenizer cannot read: the store reads it
            dataset = Dataset(shape.from_graphs or (NO_GRAPH,), shape.from_named_graphs or (NO_GRAPH,))
            return shape.without_dataset(text), dataset
        if shape.has_dataset:
            text = shape.without_dataset(text)
        return text, Dataset(dataset.default_graphs or self.graphs, dataset.named_graphs or self.graphs)

    def close(self) -> None:
        """Nothing to let go of: every request opens its own connection."""

    def triple_count(self) -> int:
        """The number of distinct triples in the release's graphs (what the embedded store counts)."""
        now = time.monotonic()
        if self._count is not None and now - self._count[0] < COUNT_TTL_SECONDS:
            self._ask_alive()
            return self._count[1]
        result = self.query("SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o { GRAPH ?g { ?s ?p ?o } } }")
        assert isinstance(result, QuerySolutions)
        count = int(next(iter(result))["n"].value)  # type: ignore[union-attr]
        self._count = (now, count)
        return count

    # --- the protocol -----------------------------------------------------------------

    def _ask_alive(self) -> None:
        """Check that the store answers (and learn what it is)."""
        result = self.query("ASK {}")
        if not isinstance(result, QueryBoolean):
            raise BadStoreAnswer("the remote store did not answer ASK with a boolean")

    def _request(self, text: str, dataset: Dataset, accept: str) -> urllib.request.Request:
        """The SPARQL 1.1 Protocol request (a form-encoded POST), as SPARQLWrapper composes it."""
        wrapper = SPARQLWrapper(self.endpoint)
        wrapper.setMethod(POST)
        wrapper.setOnlyConneg(True)
        wrapper.setQuery(text)
        wrapper.queryType = SELECT  # always sent as 'query', never as 'update'
        for graph in dataset.default_graphs:
            wrapper.addDefaultGraph(graph)
        for graph in dataset.named_graphs:
            wrapper.addNamedGraph(graph)
        wrapper.addCustomHttpHeader("Accept", accept)
        request: urllib.request.Request = wrapper._createRequest()
        return request

    def _send(self, text: str, dataset: Dataset, accept: str) -> tuple[int, Message, bytes]:
        """Status, headers and the whole body, within ``timeout`` seconds in all."""
        request = self._request(text, dataset, accept)
        deadline = time.monotonic() + self.timeout
        try:
            try:
                response = self._opener.open(request, timeout=self.timeout)
            except urllib.error.HTTPError as exc:
                response = exc  # an answer all the same: read its status and message
            with response:
                self._learn(response.headers)
                body = _read_until(response, deadline)
                return response.status or 0, response.headers, body
        except TimeoutError as exc:
            raise StoreTimeout(f"the remote store at {self.endpoint} did not answer within {self.timeout:g} s") from exc
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, TimeoutError):
                raise StoreTimeout(f"the remote store at {self.endpoint} did not answer within {self.timeout:g} s") from exc
            raise BackendUnavailable(f"the remote store at {self.endpoint} is unreachable: {reason}") from exc
        except (OSError, http.client.HTTPException) as exc:
            raise BadStoreAnswer(f"the remote store at {self.endpoint} failed: {exc or type(exc).__name__}") from exc

    def _learn(self, headers: Message) -> None:
        product = (headers.get("Server") or "").split("/", 1)[0].strip().lower()
        if product:
            self.server = product

    def _error(self, status: int, payload: bytes, query: str) -> KGError:
        message = payload.decode("utf-8", errors="replace").strip()
        if self.server == "virtuoso":
            message = _virtuoso_message(message, query)
        message = message[:2000]
        if status == 400 or (self.server == "virtuoso" and VIRTUOSO_QUERY_STATES.search(message)):
            return QueryError(message or "the remote store refused the query")
        return BadStoreAnswer(f"the remote store answered {status}: {message}")

    def _parse(self, headers: Message, payload: bytes) -> Results:
        """The answer as pyoxigraph results, read in full first: a cut-off answer is an error, not a result."""
        if headers.get(VIRTUOSO_MAX_ROWS):
            raise QueryError(f"the answer has more rows than the store gives ({headers[VIRTUOSO_MAX_ROWS]}): add a LIMIT")
        if headers.get(VIRTUOSO_PARTIAL):
            raise StoreTimeout(f"the store ran out of time and sent a partial answer ({headers[VIRTUOSO_PARTIAL]})")
        media_type = (headers.get_content_type() or "").lower()
        if media_type in ("application/sparql-results+xml", "application/rdf+xml", "application/xml", "text/xml"):
            try:
                refuse_xml_declarations(payload)
            except InputError as exc:
                raise BadStoreAnswer(f"the remote store sent XML this service does not read: {exc}") from exc
        results_format = QueryResultsFormat.from_media_type(media_type)
        if results_format in (QueryResultsFormat.JSON, QueryResultsFormat.XML, QueryResultsFormat.TSV):
            assert results_format is not None
            try:
                results = parse_query_results(payload, format=results_format)
                if isinstance(results, QuerySolutions):
                    for _solution in results:  # parse it all now: a broken answer must fail here
                        pass
                    return parse_query_results(payload, format=results_format)
                return results
            except (SyntaxError, ValueError, OSError) as exc:
                raise BadStoreAnswer(f"the remote store sent unreadable results ({media_type}): {exc}") from exc
        rdf_format = RdfFormat.N_TRIPLES if media_type == "text/plain" else RdfFormat.from_media_type(media_type)
        if rdf_format is None:
            raise BadStoreAnswer(f"the remote store answered in a format this service does not read: {media_type or 'none'}")
        try:
            triples = [quad.triple for quad in parse(payload, format=rdf_format)]
        except (SyntaxError, ValueError, OSError) as exc:
            raise BadStoreAnswer(f"the remote store sent an unreadable graph ({media_type}): {exc}") from exc
        return list(dict.fromkeys(triples))  # a graph is a set: each triple once, in the store's order


def _read_until(response: Any, deadline: float) -> bytes:
    """The whole body, giving up at ``deadline`` even if the store keeps sending slowly."""
    chunks: list[bytes] = []
    while True:
        if time.monotonic() > deadline:
            raise TimeoutError("the answer took too long to arrive")
        chunk = response.read1(65536) if hasattr(response, "read1") else response.read(65536)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _virtuoso_message(message: str, query: str) -> str:
    """Virtuoso's error without the query it echoes, its line numbers those of the query as sent.

    Virtuoso writes the protocol's dataset as ``define`` pragmas before the query, echoes it
    all after "SPARQL query:", and puts an error at the end of the text on the line after
    the last.
    """
    head, _, echoed = message.partition("\nSPARQL query:\n")
    lines = query.strip().splitlines() or [""]
    offset = echoed[: echoed.find(lines[0])].count("\n") if lines[0] and lines[0] in echoed else 0

    def renumber(match: re.Match[str]) -> str:
        return f"line {min(max(1, int(match.group(1)) - offset), len(lines))}"

    return re.sub(r"\bline (\d+)\b", renumber, head.strip())


def with_values(text: str, bindings: Bindings, shape: QueryShape | None = None) -> str:
    """The query with a VALUES block binding each variable (for stores without SEP-0007 bindings).

    The block opens the query's WHERE group, so every pattern, FILTER and BIND of that
    group sees the values, as with the embedded store's substitutions. Where the group
    cannot hold it (a short-form CONSTRUCT, a DESCRIBE without WHERE, a group that is a
    subquery) it is appended after the query instead (SPARQL's trailing VALUES clause).
    Terms are written by pyoxigraph's own N-Triples serializer (escaped), never from raw input.
    """
    names = " ".join(f"?{variable.value}" for variable in bindings)
    row = " ".join(str(term) for term in bindings.values())
    block = f"VALUES ({names}) {{ ({row}) }}"
    position = (shape or query_shape(text)).where
    if position is None:
        return f"{text}\n{block}\n"
    return f"{text[:position]} {block}\n{text[position:]}"


QUERY_FORMS = (SELECT, "ASK", CONSTRUCT, DESCRIBE)
UPDATE_FORMS = ("INSERT", "DELETE", "WITH", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD")

#: A graph no store holds: the protocol's way to say "an empty default graph" or "no named graphs".
NO_GRAPH = "urn:x-kg:no-graph"

#: SPARQL's lexical rules, as far as telling keywords from IRIs, names, strings and comments needs:
#: IRIREF (with \u escapes), VAR1/VAR2, prefixed names with their escapes, blank-node labels, bare words.
_IRI = re.compile(r"<(?:[^<>\"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>")
_VAR = re.compile(r"[?$][\w\u00B7\u0300-\u036F\u203F\u2040]+")
_LOCAL = r"(?:[\w\-.:\u00B7]|%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])*"
_WORD = re.compile(rf"_:[\w\-.\u00B7]+|(?:[^\W\d_][\w\-.\u00B7]*)?:{_LOCAL}|[^\W\d_][\w\-.\u00B7]*")
_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_PNAME = re.compile(r"([A-Za-z][A-Za-z0-9_\-.]*)?:([A-Za-z0-9_:][A-Za-z0-9_\-.:]*)?")


@dataclass(frozen=True)
class QueryShape:
    """What a small tokenizer sees of a query: its form, where its WHERE group opens, its dataset."""

    #: SELECT, ASK, CONSTRUCT, DESCRIBE, an update keyword, or the first other word (None if none).
    form: str | None
    #: The index just inside the '{' that opens the WHERE group, where a VALUES block may go
    #: (None for a short-form CONSTRUCT, a DESCRIBE without WHERE, or a group that is a subquery).
    where: int | None = None
    #: Whether the query names its own dataset (FROM or FROM NAMED).
    has_dataset: bool = False
    #: The graphs of its FROM and FROM NAMED clauses, as absolute IRIs, and where those clauses are;
    #: ``None`` when a clause could not be read (then the query is sent as written).
    from_graphs: tuple[str, ...] | None = ()
    from_named_graphs: tuple[str, ...] | None = ()
    dataset_spans: tuple[tuple[int, int], ...] = ()
    #: Whether an IRI in it is relative (and so needs a base IRI).
    relative_iris: bool = False

    def without_dataset(self, text: str) -> str:
        """``text`` (the query, or it with a VALUES block added after its dataset) less its FROM clauses."""
        for start, end in sorted(self.dataset_spans, reverse=True):
            text = text[:start] + " " + text[end:]
        return text


def _tokens(text: str) -> Iterator[tuple[str, str, int, int, int]]:
    """(kind, token, start, end, depth) of the query's tokens, depth counting braces and parentheses.

    Kinds: "word" (keywords, prefixed names, blank nodes), "var", "iri" (its \\u escapes decoded),
    "open" ('{' or '('), "close", "other". Comments (to the end of the line: LF or CR) and
    strings (short and long) are stepped over, so nothing inside them is ever taken for a
    keyword, a brace or an IRI; and nothing outside them is taken for a comment or a string.
    """
    i, n, depth = 0, len(text), 0
    while i < n:
        c = text[i]
        if c in " \t\r\n":
            i += 1
        elif c == "#":
            ends = [end for end in (text.find("\n", i), text.find("\r", i)) if end >= 0]
            i = min(ends) + 1 if ends else n
        elif c in "\"'":
            i = _string_end(text, i)
        elif c == "<" and (match := _IRI.match(text, i)):
            yield "iri", _UCHAR.sub(_unescape, match.group()[1:-1]), i, match.end(), depth
            i = match.end()
        elif c in "?$" and (match := _VAR.match(text, i)):
            yield "var", match.group(), i, match.end(), depth
            i = match.end()
        elif (c.isalpha() or c in "_:") and (match := _WORD.match(text, i)):
            end = match.end()
            while text[end - 1] == "." and text[end - 2] != "\\":  # a name never ends with a dot
                end -= 1
            yield "word", text[i:end], i, end, depth
            i = end
        elif c in "{(":
            yield "open", c, i, i + 1, depth
            depth += 1
            i += 1
        elif c in "})":
            depth -= 1
            yield "close", c, i, i + 1, depth
            i += 1
        else:
            yield "other", c, i, i + 1, depth
            i += 1


def _unescape(match: re.Match[str]) -> str:
    return chr(int(match.group(1) or match.group(2), 16))


def query_shape(text: str, tokens: list[tuple[str, str, int, int, int]] | None = None) -> QueryShape:
    """The form of ``text``, where its WHERE group opens, and the dataset it names.

    A small tokenizer, not a parser: it steps over comments, strings and IRIs, so a keyword
    or a brace inside them is never taken for the query's (SPARQLWrapper's own guess at the
    form reads keywords inside comments).
    """
    form: str | None = None
    base = ""
    prefixes: dict[str, str] = {}
    tokens = list(_tokens(text)) if tokens is None else tokens
    default_graphs: list[str] | None = []
    named_graphs: list[str] | None = []
    spans: list[tuple[int, int]] = []
    template_done = saw_where = False
    where: int | None = None
    index = 0

    def resolve(kind: str, token: str) -> str | None:
        if kind == "iri":
            return urljoin(base, token) if base else token
        match = _PNAME.fullmatch(token)
        if kind == "word" and match and "\\" not in token and f"{match.group(1) or ''}:" in prefixes:
            return prefixes[f"{match.group(1) or ''}:"] + (match.group(2) or "")
        return None

    while index < len(tokens):
        kind, token, start, end, depth = tokens[index]
        upper = token.upper()
        if depth == 0 and kind == "word" and form is None:
            if upper == "BASE" and index + 1 < len(tokens) and tokens[index + 1][0] == "iri":
                base = urljoin(base, tokens[index + 1][1]) if base else tokens[index + 1][1]
                index += 2
                continue
            if upper == "PREFIX" and index + 2 < len(tokens) and tokens[index + 2][0] == "iri":
                prefixes[tokens[index + 1][1]] = resolve("iri", tokens[index + 2][1]) or ""
                index += 3
                continue
            form = upper
        elif depth == 0 and kind == "word" and upper == "WHERE":
            saw_where = True
        elif depth == 0 and kind == "word" and upper == "FROM" and form is not None:
            named = index + 1 < len(tokens) and tokens[index + 1][1].upper() == "NAMED"
            target = index + (2 if named else 1)
            graph = resolve(*tokens[target][:2]) if target < len(tokens) else None
            if graph is None:
                default_graphs = named_graphs = None
            elif named and named_graphs is not None:
                named_graphs.append(graph)
            elif not named and default_graphs is not None:
                default_graphs.append(graph)
            spans.append((start, tokens[min(target, len(tokens) - 1)][3]))
            index = target + 1
            continue
        elif depth == 0 and kind == "open" and token == "{":
            if form == CONSTRUCT and not template_done and not saw_where:
                template_done = True  # CONSTRUCT's template; the WHERE group comes next
            else:
                if form in QUERY_FORMS and not (form == CONSTRUCT and not template_done) and not _opens_subquery(tokens, index):
                    where = end
                break
        index += 1
    return QueryShape(
        form=form,
        where=where,
        has_dataset=bool(spans),
        from_graphs=None if default_graphs is None else tuple(default_graphs),
        from_named_graphs=None if named_graphs is None else tuple(named_graphs),
        dataset_spans=tuple(spans),
        relative_iris=any(kind == "iri" and not _ABSOLUTE.match(token) for kind, token, *_ in tokens),
    )


#: Words that open a way out of the release: SERVICE (a query sent elsewhere) and LOAD (a
#: document fetched). Looked for inside every bare word and prefix, not only as whole words:
#: pyoxigraph's parser also reads "SERVICESILENT" or "trueSERVICE" as two tokens.
WAY_OUT = ("SERVICE", "LOAD")
#: IRI schemes that name a local file, or a store's built-in procedures (Virtuoso's bif: and sql:).
REFUSED_SCHEMES = ("file", "bif", "sql")
#: What a FROM or FROM NAMED clause may name.
DATASET_SCHEMES = ("http", "https", "urn")
WAY_OUT_REFUSED = "this endpoint runs queries over its own data only: SERVICE and LOAD are not accepted"


def guard(text: str, dataset: Dataset = Dataset()) -> QueryShape:
    """The shape of a query that stays inside the release; raise before anything runs if it might not.

    Refused (``RefusedQuery``): SERVICE or LOAD in any spelling or case, glued to other words
    or not (so ``SERVICE ?var`` too); IRIs of files or of a store's procedures; a FROM that
    is not an http(s) or urn IRI. Malformed for this purpose (``QueryError``): anything but
    a query form, an undeclared prefix (some stores predefine ``bif:``), a backslash outside
    strings, IRIs and local names, and an apostrophe in an IRI (where a parser might see
    the start of a string instead). The tokenizer steps over comments and strings exactly
    where SPARQL's grammar does, so a keyword in them is harmless and one outside is seen.
    """
    tokens = list(_tokens(text))
    declared = {"_"}
    for index, (kind, token, *_rest) in enumerate(tokens):
        if kind == "word" and token.upper() == "PREFIX" and index + 1 < len(tokens) and tokens[index + 1][0] == "word":
            declared.add(tokens[index + 1][1].partition(":")[0])
    for kind, token, *_rest in tokens:
        if kind == "word":
            prefix, colon, _local = token.partition(":")
            if any(word in prefix.upper() for word in WAY_OUT):
                raise RefusedQuery(WAY_OUT_REFUSED)
            if colon and prefix not in declared:
                raise QueryError(f"the prefix {prefix}: is not declared (add PREFIX {prefix}: <...>)")
        elif kind == "iri":
            if "'" in token:
                raise QueryError(f"write an apostrophe in an IRI as %27: <{token}>")
            if urlsplit(token).scheme.lower() in REFUSED_SCHEMES:
                raise RefusedQuery(f"IRIs of the scheme {urlsplit(token).scheme}: are not accepted here")
        elif kind == "other" and token == "\\":
            raise QueryError("a backslash is allowed only in strings, IRIs (\\u escapes) and local names")
    shape = query_shape(text, tokens)
    if shape.form in UPDATE_FORMS:
        raise QueryError(UPDATE_REFUSED)
    if shape.form not in QUERY_FORMS:
        raise QueryError("a SPARQL query starts with SELECT, ASK, CONSTRUCT or DESCRIBE (after its prefixes)")
    for graph in (*(shape.from_graphs or ()), *(shape.from_named_graphs or ())):
        if urlsplit(graph).scheme.lower() not in DATASET_SCHEMES:
            raise RefusedQuery(f"FROM and FROM NAMED take http(s) or urn IRIs, not <{graph}>")
    for graph in (*dataset.default_graphs, *dataset.named_graphs):
        if urlsplit(graph).scheme.lower() not in DATASET_SCHEMES:
            raise RefusedQuery(f"default-graph-uri and named-graph-uri take http(s) or urn IRIs, not <{graph}>")
    return shape


_NUMBER = re.compile(r"[ \t\r\n]*(?:#[^\r\n]*[\r\n]+[ \t\r\n]*)*\+?([0-9]+)")


def largest_offset(text: str) -> int:
    """The largest OFFSET the query asks for, in any of its (sub)queries; 0 without one."""
    largest = 0
    for kind, token, _start, end, _depth in _tokens(text):
        if kind == "word" and token.upper() == "OFFSET" and (match := _NUMBER.match(text, end)):
            largest = max(largest, int(match.group(1)))
    return largest


def _string_end(text: str, i: int) -> int:
    quote = text[i]
    long_quote = quote * 3
    if text.startswith(long_quote, i):
        j = i + 3
        while j < len(text):
            if text[j] == "\\":
                j += 2
                continue
            if text.startswith(long_quote, j):
                return j + 3
            j += 1
        return len(text)
    j = i + 1
    while j < len(text):
        if text[j] == "\\":
            j += 2
            continue
        if text[j] == quote or text[j] == "\n":
            return j + 1
        j += 1
    return len(text)


def _opens_subquery(tokens: list[tuple[str, str, int, int, int]], index: int) -> bool:
    """Whether the group opened by ``tokens[index]`` is a subquery (which must stand alone in its group)."""
    return index + 1 < len(tokens) and tokens[index + 1][0] == "word" and tokens[index + 1][1].upper() == "SELECT"


def open_backend(endpoint: str | None, store_path: Path | None) -> Backend:
    """The remote backend when an endpoint is given, else the embedded store."""
    if endpoint:
        return RemoteBackend(endpoint)
    if store_path is None:
        raise BackendUnavailable("no store: build a release first")
    return EmbeddedBackend(store_path)

