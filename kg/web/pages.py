"""The landing page, health, and the stored queries as an API."""

from __future__ import annotations

import json

from fastapi import Request
from fastapi.responses import Response

from ..backends import BackendUnavailable
from ..errors import QueryError
from .errors import HTTPError, not_found
from .negotiation import HTML, JSON, choose
from .site import site
from .sparql import respond_with_results


def landing(request: Request) -> Response:
    here = site(request)
    return here.page(
        "landing.html",
        headers={"Link": '</void>; rel="describedby"; type="text/turtle", </sparql>; rel="service"'},
        manifest=here.service.manifest,
        queries=here.service.queries,
        dumps=here.service.dumps(),
    )


def health(request: Request) -> Response:
    """200 with the release served and its triple count when the backend answers; 503 otherwise."""
    here = site(request)
    try:
        triples = here.service.triple_count()
    except BackendUnavailable as exc:
        raise HTTPError(503, f"the store does not answer: {exc}") from exc
    body = {"status": "ok", "release": here.service.release_id, "triples": triples, "backend": here.service.backend.name}
    return Response(json.dumps(body), media_type=JSON.media_type)


def _query_listing(request: Request) -> list[dict[str, object]]:
    here = site(request)
    return [
        {
            "name": q.name,
            "title": q.title,
            "description": q.description,
            "parameters": [{"name": p.name, "kind": p.kind, "description": p.description} for p in q.parameters],
            "url": f"/queries/{q.name}",
        }
        for q in here.service.queries.values()
    ]


def queries_index(request: Request) -> Response:
    here = site(request)
    if choose(request.headers.get("accept"), (HTML, JSON)) is HTML and "text/html" in request.headers.get("accept", ""):
        return here.page("queries.html", queries=here.service.queries)
    return Response(json.dumps({"queries": _query_listing(request)}, ensure_ascii=False), media_type=JSON.media_type)


def stored_query(request: Request, name: str) -> Response:
    """Run a stored query; its parameters come from the URL's query string and are bound, not pasted."""
    here = site(request)
    query = here.service.queries.get(name)
    if query is None:
        raise not_found(f"the stored query {name}")
    values: dict[str, str] = {}
    for key, value in request.query_params.multi_items():
        if key in values:
            raise HTTPError(400, f"give the parameter {key} once")
        values[key] = value
    try:
        bindings = query.bindings(values)
    except QueryError as exc:
        raise HTTPError(400, str(exc)) from exc
    return respond_with_results(request, here.service.query(query.text, bindings=bindings))
