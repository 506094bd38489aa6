"""The SPARQL 1.1 Protocol endpoint (query only) and its Service Description.

GET and POST (form-encoded, or the query as the body), parameters from the URL
and the body merged, default-graph-uri and named-graph-uri honoured. Updates are
refused with 403: this service is read-only. Results are fully serialized before
the response starts, so a failure is an error status, never a truncated 200.
"""

from __future__ import annotations

import json

from fastapi import Depends, Request
from fastapi.responses import Response
from pyoxigraph import QueryTriples

from ..backends import Dataset, Results, current_notes, largest_offset, row_limit
from .errors import HTTPError, error_response
from .limits import ClientSlots, client_of
from .negotiation import GRAPH_FORMATS, RESULTS_FORMATS, SPARQL_JSON, Format, choose, wants_page
from .params import FORM, Params, content_type, decode, one, parse_params, read_body, url_params
from .render import graph_bytes, results_bytes
from .site import Site, site

SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
READ_ONLY = "this SPARQL service is read-only: updates are not accepted"
UTF_8 = ("utf-8", "utf8", "us-ascii")
VARY = {"Vary": "Accept"}


def _dataset(params: Params) -> Dataset:
    return Dataset(tuple(params.get("default-graph-uri", [])), tuple(params.get("named-graph-uri", [])))


def _refuse_updates(params: Params) -> None:
    if "update" in params:
        raise HTTPError(403, READ_ONLY)


def not_acceptable(formats: tuple[Format, ...]) -> HTTPError:
    names = ", ".join(f.media_type for f in formats)
    return HTTPError(406, f"no acceptable format: this answer is available as {names}")


def answer(request: Request, text: str, dataset: Dataset) -> Response:
    """Run the query and write its results in the negotiated format.

    Relative IRIs in the query resolve against the endpoint's URL. Each client may run
    a few queries at once (429 past them); an OFFSET past the limit is refused.
    """
    service = site(request).service
    offset = largest_offset(text)
    if offset > service.config.max_offset:
        raise HTTPError(400, f"OFFSET {offset} is past the largest this service reads ({service.config.max_offset}); narrow the query instead")
    slots: ClientSlots = request.app.state.slots
    with slots.hold(client_of(request)), row_limit(service.config.max_rows, open_queries=True):
        results = service.query(text, dataset, base_iri=endpoint_url(request))
        return respond_with_results(request, results)


def respond_with_results(request: Request, results: Results) -> Response:
    """Query results in the format the client accepts for their kind (406 if none).

    The 406 is returned, not raised: a raised error would keep the store's result
    iterator alive in its traceback until the event loop drops it, on a thread
    pyoxigraph does not allow.
    """
    here = site(request)
    formats = GRAPH_FORMATS if isinstance(results, list | QueryTriples) else RESULTS_FORMATS
    fmt = choose(request.headers.get("accept"), formats)
    if fmt is None:
        refusal = not_acceptable(formats)
        return error_response(request, refusal.status, refusal.message)
    payload = results_bytes(results, fmt, here.prefixes, here.context)
    notes = current_notes()
    if notes is not None and notes.truncated_at is not None and fmt is SPARQL_JSON:
        payload = state_truncation(payload, notes.truncated_at)
    return Response(payload, media_type=fmt.content_type, headers=VARY)


def state_truncation(payload: bytes, rows: int) -> bytes:
    """SPARQL JSON results that say, in their head, that they hold only the first ``rows`` rows."""
    document = json.loads(payload)
    document["head"]["truncated"] = {"rows": rows, "message": f"only the first {rows} rows are given: add a LIMIT, or page with OFFSET"}
    return json.dumps({"head": document.pop("head"), **document}, ensure_ascii=False).encode("utf-8")


def sparql_get(request: Request) -> Response:
    params = url_params(request)
    _refuse_updates(params)
    query = one(params, "query")
    if query is None:
        return service_description(request)
    return answer(request, query, _dataset(params))


def sparql_post(request: Request, body: bytes = Depends(read_body)) -> Response:
    params = url_params(request)
    media_type, charset = content_type(request)
    if media_type == SPARQL_UPDATE:
        raise HTTPError(403, READ_ONLY)
    if media_type not in (FORM, SPARQL_QUERY):
        raise HTTPError(
            415, f"a query is POSTed as {FORM} or {SPARQL_QUERY}, not {media_type or 'a body without Content-Type'}"
        )
    if charset not in (None, *UTF_8):
        raise HTTPError(415, f"a query is sent in UTF-8, not {charset}")
    if media_type == FORM:
        for name, values in parse_params(decode(body), "form body").items():
            params.setdefault(name, []).extend(values)
        _refuse_updates(params)
        query = one(params, "query")
        if query is None:
            raise HTTPError(400, "a form-encoded POST must carry a 'query' parameter")
        return answer(request, query, _dataset(params))
    _refuse_updates(params)
    if "query" in params:
        raise HTTPError(400, "the query is the body: do not also give a 'query' parameter")
    return answer(request, decode(body), _dataset(params))


def endpoint_url(request: Request) -> str:
    """The endpoint's URL as the client reached it (under the IRI base's path too), without the query string."""
    path, root = request.scope["path"], request.scope.get("root_path", "")
    if root and not path.startswith(root):
        path = root + path  # the base-path middleware moved the prefix out of the path
    return str(request.url.replace(path=path, query="", fragment="")).rstrip("?")


#: What the query page's editor holds when no query is given, after the prefixes.
STARTER = """SELECT ?entity ?name WHERE {
  ?entity a lwg:Person ;
          skos:prefLabel ?name .
}
ORDER BY ?name
LIMIT 50
"""


def starter(here: Site) -> str:
    """The editor's first text: the dataset's prefixes, one a line, then a small query."""
    return "".join(f"PREFIX {name}: <{namespace}>\n" for name, namespace in sorted(here.prefixes.items())) + "\n" + STARTER


def service_description(request: Request) -> Response:
    """The Service Description in the RDF format asked for, or for a browser the query page."""
    here = site(request)
    accept = request.headers.get("accept")
    if wants_page(accept, GRAPH_FORMATS):
        return here.page("query.html", request, headers=VARY, queries=here.service.queries, text=starter(here))
    fmt = choose(accept, GRAPH_FORMATS)
    if fmt is None:
        raise not_acceptable(GRAPH_FORMATS)
    triples = here.service.service_description(endpoint_url(request))
    return Response(graph_bytes(triples, fmt, here.prefixes, here.context), media_type=fmt.content_type, headers=VARY)
