"""The SPARQL 1.1 Protocol endpoint (query only) and its Service Description.

GET and POST (form-encoded, or the query as the body), parameters from the URL
and the body merged, default-graph-uri and named-graph-uri honoured. Updates are
refused with 403: this service is read-only. Results are fully serialized before
the response starts, so a failure is an error status, never a truncated 200.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from fastapi import Depends, Request
from fastapi.responses import Response
from pyoxigraph import QueryTriples

from ..backends import Dataset, Results
from .errors import HTTPError
from .negotiation import GRAPH_FORMATS, HTML, RESULTS_FORMATS, Format, choose
from .render import graph_bytes, results_bytes
from .site import site

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
READ_ONLY = "this SPARQL service is read-only: updates are not accepted"

Params = dict[str, list[str]]


async def read_body(request: Request) -> bytes:
    """The request body, read in the event loop so the handler itself can stay synchronous."""
    return await request.body()


def _url_params(request: Request) -> Params:
    return parse_qs(request.url.query, keep_blank_values=True)


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";", 1)[0].strip().lower()


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise HTTPError(400, f"the request body is not UTF-8: {exc}") from exc


def _one(params: Params, name: str) -> str | None:
    values = params.get(name, [])
    if len(values) > 1:
        raise HTTPError(400, f"give one '{name}' parameter, not {len(values)}")
    return values[0] if values else None


def _dataset(params: Params) -> Dataset:
    return Dataset(tuple(params.get("default-graph-uri", [])), tuple(params.get("named-graph-uri", [])))


def _refuse_updates(params: Params) -> None:
    if "update" in params:
        raise HTTPError(403, READ_ONLY)


def not_acceptable(formats: tuple[Format, ...]) -> HTTPError:
    names = ", ".join(f.media_type for f in formats)
    return HTTPError(406, f"no acceptable format: this answer is available as {names}")


def answer(request: Request, text: str, dataset: Dataset) -> Response:
    """Run the query and write its results in the negotiated format."""
    return respond_with_results(request, site(request).service.query(text, dataset))


def respond_with_results(request: Request, results: Results) -> Response:
    """Query results in the format the client accepts for their kind (406 if none)."""
    here = site(request)
    formats = GRAPH_FORMATS if isinstance(results, list | QueryTriples) else RESULTS_FORMATS
    fmt = choose(request.headers.get("accept"), formats)
    if fmt is None:
        raise not_acceptable(formats)
    payload = results_bytes(results, fmt, here.prefixes, here.context)
    return Response(payload, media_type=fmt.content_type, headers={"Vary": "Accept"})


def sparql_get(request: Request) -> Response:
    params = _url_params(request)
    _refuse_updates(params)
    query = _one(params, "query")
    if query is None:
        return service_description(request)
    return answer(request, query, _dataset(params))


def sparql_post(request: Request, body: bytes = Depends(read_body)) -> Response:
    params = _url_params(request)
    media_type = _media_type(request)
    if media_type == SPARQL_UPDATE:
        raise HTTPError(403, READ_ONLY)
    if media_type == FORM:
        form = parse_qs(_decode(body), keep_blank_values=True)
        for name, values in form.items():
            params.setdefault(name, []).extend(values)
        _refuse_updates(params)
        query = _one(params, "query")
        if query is None:
            raise HTTPError(400, "a form-encoded POST must carry a 'query' parameter")
        return answer(request, query, _dataset(params))
    if media_type == SPARQL_QUERY:
        _refuse_updates(params)
        if "query" in params:
            raise HTTPError(400, "the query is the body: do not also give a 'query' parameter")
        return answer(request, _decode(body), _dataset(params))
    raise HTTPError(
        415, f"a query is POSTed as {FORM} or {SPARQL_QUERY}, not {media_type or 'a body without Content-Type'}"
    )


def endpoint_url(request: Request) -> str:
    """The endpoint's URL as the client reached it, without the query string."""
    return str(request.url.replace(query="", fragment="")).rstrip("?")


def service_description(request: Request) -> Response:
    """The Service Description (RDF), or for a browser the query page."""
    here = site(request)
    fmt = choose(request.headers.get("accept"), (*GRAPH_FORMATS, HTML))
    accept = request.headers.get("accept", "")
    if "text/html" in accept and choose(accept, (HTML, *GRAPH_FORMATS)) is HTML:
        return here.page("query.html", queries=here.service.queries, endpoint=endpoint_url(request))
    if fmt is None or fmt is HTML:
        fmt = choose(accept, GRAPH_FORMATS)
        if fmt is None:
            raise not_acceptable(GRAPH_FORMATS)
    triples = here.service.service_description(endpoint_url(request))
    return Response(graph_bytes(triples, fmt, here.prefixes, here.context), media_type=fmt.content_type, headers={"Vary": "Accept"})
