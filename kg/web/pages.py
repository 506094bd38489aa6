"""The landing page, health, and the stored queries as an API."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import Response
from pyoxigraph import Literal, NamedNode, QueryBoolean, QuerySolutions, QueryTriples, Triple

from ..backends import BackendUnavailable, Results
from ..describe import names as names_of
from ..errors import KGError, QueryError
from ..namespaces import DCTERMS, VOID
from ..queries import StoredQuery
from .errors import HTTPError, not_found
from .linked import alternates, machine_twins
from .negotiation import GRAPH_FORMATS, HTML, JSON, RESULTS_FORMATS, Format, choose, wants_page
from .render import results_bytes
from .site import Labels, Site, View, labels_of, root_path, site
from .sparql import not_acceptable

#: At most this many IRIs of a result page are looked up for their names.
MAX_NAMED = 500


# --- the landing page and health ------------------------------------------------------------


def landing(request: Request) -> Response:
    """``/``: what the dataset is, example queries, and links to the endpoint, downloads and ontology."""
    here = site(request)
    root = root_path(request)
    void = here.release_graph("void.ttl") or []
    dataset = NamedNode(here.service.manifest["dataset"]) if "dataset" in here.service.manifest else None
    described = [q for q in void if q.subject == dataset]
    titles = [q.object for q in described if q.predicate == DCTERMS.title and isinstance(q.object, Literal)]
    descriptions = [q.object for q in described if q.predicate == DCTERMS.description and isinstance(q.object, Literal)]
    root_resource = next((q.object for q in described if q.predicate == VOID.rootResource), None)
    headers = {
        "Link": f'<{root}/void>; rel="describedby"; type="text/turtle", <{root}/sparql>; rel="service"',
    }
    return here.page(
        "landing.html",
        request,
        headers=headers,
        names=_names_of(here, [root_resource.value] if isinstance(root_resource, NamedNode) else []),
        manifest=here.service.manifest,
        title=next((t for t in titles if t.language == "en"), titles[0] if titles else None),
        descriptions=[d for d in descriptions if d.language == "en"] or descriptions,
        root_resource=root_resource,
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
    body = {
        "status": "ok",
        "release": here.service.release_id,
        "modified": here.service.manifest.get("modified"),
        "triples": triples,
        "backend": here.service.backend.name,
    }
    return Response(json.dumps(body), media_type=JSON.media_type, headers={"Cache-Control": "no-store"})


# --- stored queries -----------------------------------------------------------------------------

#: Every format a stored query's answer can take, by extension or short name.
QUERY_FORMATS: tuple[Format, ...] = (*RESULTS_FORMATS, *GRAPH_FORMATS, HTML)


def describe_query(query: StoredQuery, root: str) -> dict[str, Any]:
    """A stored query as the listing gives it."""
    return {
        "name": query.name,
        "title": query.title,
        "description": query.description,
        "parameters": [{"name": p.name, "kind": p.kind, "description": p.description} for p in query.parameters],
        "url": f"{root}/queries/{query.name}",
        "sparql": query.text,
    }


def queries_index(request: Request) -> Response:
    """``/queries``: every stored query with its title, description and parameters (JSON; a page for browsers)."""
    here = site(request)
    root = root_path(request)
    headers = {"Vary": "Accept"}
    if wants_page(request.headers.get("accept"), (JSON,)):
        return here.page("queries.html", request, headers=headers, queries=here.service.queries)
    listing = {"queries": [describe_query(q, root) for q in here.service.queries.values()]}
    return Response(json.dumps(listing, ensure_ascii=False), media_type=JSON.media_type, headers=headers)


def _format_named(extension: str) -> Format | None:
    return next((f for f in QUERY_FORMATS if extension in (f.extension, f.name)), None)


def _parameters(request: Request, query: StoredQuery) -> tuple[dict[str, str], Any]:
    """The query string's values and the bindings they make (400 for unknown, repeated or malformed ones)."""
    values: dict[str, str] = {}
    for key, value in request.query_params.multi_items():
        if key in values:
            raise HTTPError(400, f"give the parameter {key} once")
        values[key] = value
    try:
        return values, query.bindings(values)
    except QueryError as exc:
        raise HTTPError(400, str(exc)) from exc


def stored_query(request: Request, name: str) -> Response:
    """``/queries/{name}[.{ext}]``: run a stored query; its parameters come from the query string, bound, not pasted."""
    here = site(request)
    stem, _, extension = name.partition(".")
    query = here.service.queries.get(stem)
    if query is None:
        raise not_found(f"the stored query {stem}")
    fmt = None
    if extension:
        fmt = _format_named(extension)
        if fmt is None:
            raise not_found(f"the stored query {stem} as .{extension}")
    values, bindings = _parameters(request, query)
    outcome = _answer(request, here, query, values, bindings, fmt)
    if isinstance(outcome, HTTPError):
        raise outcome
    return outcome


def _answer(
    request: Request, here: Site, query: StoredQuery, values: dict[str, str], bindings: Any, fmt: Format | None
) -> Response | HTTPError:
    """Run the query and write its answer, or give the error to raise.

    The results are pyoxigraph objects that must be dropped on the thread that made
    them, so nothing is raised while they are alive: errors are returned instead.
    """
    results = here.service.query(query.text, bindings=bindings)
    graph = isinstance(results, list | QueryTriples)
    machine = GRAPH_FORMATS if graph else RESULTS_FORMATS
    root = root_path(request)
    path = f"{root}/queries/{query.name}"
    suffix = f"?{urlencode(values)}" if values else ""
    headers = {"Vary": "Accept", "Link": alternates(path, (*machine, HTML), suffix)}
    try:
        if fmt is None:
            accept = request.headers.get("accept")
            fmt = HTML if wants_page(accept, machine) else choose(accept, machine)
            if fmt is None:
                return not_acceptable(machine)
        elif fmt is not HTML and fmt not in machine:
            return not_found(f"the answer of {query.name} as .{fmt.extension}")
        if fmt is HTML:
            table = result_table(results)
            view = View(here, root, _names(here, table))
            return here.page(
                "stored-query.html",
                request,
                headers=headers,
                names=view.names,
                query=query,
                values=values,
                table={**table, "rows": [[view.show(cell) if cell is not None else None for cell in row] for row in table["rows"]]},
                alternates=machine_twins(path, machine, suffix),
            )
        payload = results_bytes(results, fmt, here.prefixes, here.context)
        return Response(payload, media_type=fmt.content_type, headers=headers)
    except KGError as exc:
        return HTTPError(503 if isinstance(exc, BackendUnavailable) else 400, str(exc))


def result_table(results: Results) -> dict[str, Any]:
    """Results as plain rows of terms: the variables (or subject, predicate, object) and one row per answer."""
    if isinstance(results, QueryBoolean):
        return {"boolean": bool(results), "columns": [], "rows": []}
    if isinstance(results, QuerySolutions):
        columns = [v.value for v in results.variables]
        return {"boolean": None, "columns": columns, "rows": [[solution[c] for c in columns] for solution in results]}
    triples: list[Triple] = list(results)
    return {"boolean": None, "columns": ["subject", "predicate", "object"], "rows": [[t.subject, t.predicate, t.object] for t in triples]}


def _names_of(here: Site, iris: list[str]) -> Labels:
    """The names the graph gives some IRIs, and the ontology its terms (only the latter if the store cannot say)."""
    try:
        return {**here.vocabulary_labels, **labels_of(names_of(here.service.backend, iris))}
    except KGError:
        return dict(here.vocabulary_labels)


def _names(here: Site, table: dict[str, Any]) -> Labels:
    """The names of the IRIs in a result table."""
    return _names_of(here, sorted({cell.value for row in table["rows"] for cell in row if isinstance(cell, NamedNode)})[:MAX_NAMED])

