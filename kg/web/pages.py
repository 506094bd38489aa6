"""The landing page, health, and the stored queries as an API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import FileResponse, Response
from pyoxigraph import Literal, NamedNode, Quad, QueryBoolean, QuerySolutions, QueryTriples, Triple

from ..backends import BackendUnavailable, Results
from ..describe import names as names_of
from ..errors import KGError, QueryError
from ..index import expand
from ..index import search as search_names
from ..namespaces import DCTERMS, VOID
from ..queries import StoredQuery
from .entities import script_json
from .errors import HTTPError, not_found
from .i18n import language_of
from .linked import alternates, machine_twins
from .negotiation import GRAPH_FORMATS, HTML, JSON, RESULTS_FORMATS, Format, choose, wants_page
from .render import results_bytes
from .site import Labels, Site, View, labels_of, root_path, site
from .sparql import not_acceptable

#: At most this many IRIs of a result page are looked up for their names.
MAX_NAMED = 500


# --- the landing page and health ------------------------------------------------------------


def landing(request: Request) -> Response:
    """``/``: what the dataset is, its numbers, example questions, downloads, and how to link to it."""
    here = site(request)
    root = root_path(request)
    language = language_of(request)
    void = here.release_graph("void.ttl") or []
    dataset = NamedNode(here.service.manifest["dataset"]) if "dataset" in here.service.manifest else None
    described = [q for q in void if q.subject == dataset]
    titles = [q.object for q in described if q.predicate == DCTERMS.title and isinstance(q.object, Literal)]
    descriptions = [q.object for q in described if q.predicate == DCTERMS.description and isinstance(q.object, Literal)]
    root_resource = next((q.object for q in described if q.predicate == VOID.rootResource), None)
    headers = {
        "Link": f'<{root}/void>; rel="describedby"; type="text/turtle", <{root}/sparql>; rel="service"',
    }
    iris = [root_resource.value] if isinstance(root_resource, NamedNode) else []
    return here.page(
        "landing.html",
        request,
        headers=headers,
        names=_names_of(here, iris),
        manifest=here.service.manifest,
        title=_in_language(titles, language.code),
        descriptions=[d for d in descriptions if d.language == language.code] or [d for d in descriptions if d.language == "en"] or descriptions,
        root_resource=root_resource,
        kinds=_class_counts(here, void, dataset),
        queries=here.service.queries,
        dumps=here.service.dumps(),
        json_ld=script_json(_dataset_json(request, here, described, titles, descriptions)),
    )


def _dataset_json(request: Request, here: Site, described: list[Quad], titles: list[Literal], descriptions: list[Literal]) -> dict[str, Any]:
    """The dataset in schema.org terms, for dataset search engines: names, licence, dates and downloads."""
    root = root_path(request)

    def absolute(path: str) -> str:
        return str(request.url.replace(path=root + path, query="", fragment=""))

    manifest = here.service.manifest
    document: dict[str, Any] = {"@context": "https://schema.org/", "@type": "Dataset", "url": absolute("/")}
    if "dataset" in manifest:
        document["@id"] = manifest["dataset"]
    if titles:
        document["name"] = [{"@value": t.value, "@language": t.language} for t in titles]
    if descriptions:
        document["description"] = [{"@value": d.value, "@language": d.language} for d in descriptions]
    licences = [q.object.value for q in described if q.predicate == DCTERMS.license and isinstance(q.object, NamedNode)]
    if licences:
        document["license"] = licences[0] if len(licences) == 1 else licences
    if manifest.get("modified"):
        document["dateModified"] = manifest["modified"]
    document["distribution"] = [
        {"@type": "DataDownload", "contentUrl": absolute(f"/dumps/{d['filename']}"), "encodingFormat": d["media_type"], "contentSize": f"{d['size']} B"}
        for d in here.service.dumps()
    ]
    return document


def _in_language(literals: list[Literal], code: str) -> Literal | None:
    """The literal in language ``code``, else in English, else the first."""
    for wanted in (code, "en"):
        for literal in literals:
            if literal.language == wanted:
                return literal
    return literals[0] if literals else None


def _class_counts(here: Site, void: list[Quad], dataset: NamedNode | None) -> list[dict[str, Any]]:
    """How many entities each class of the ontology has (VoID class partitions), most first."""
    partitions = {q.object for q in void if q.subject == dataset and q.predicate == VOID.classPartition}
    classes: dict[Any, str] = {}
    counts: dict[Any, int] = {}
    for quad in void:
        if quad.subject in partitions and quad.predicate == VOID["class"] and isinstance(quad.object, NamedNode):
            classes[quad.subject] = quad.object.value
        elif quad.subject in partitions and quad.predicate == VOID.entities and isinstance(quad.object, Literal):
            counts[quad.subject] = int(quad.object.value)
    found = [(classes[p], counts[p]) for p in partitions if p in classes and p in counts]
    own = sorted((c, n) for c, n in found if here.is_own_term(c))
    return [{"class": c, "count": n} for c, n in sorted(own, key=lambda f: -f[1])]


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


# --- search and the pages' own files -------------------------------------------------------------

#: At most this many entities on a search results page.
SEARCH_LIMIT = 50

#: The folder of the stylesheet and scripts the pages use (served here: nothing from elsewhere).
STATIC = Path(__file__).with_name("static")
STATIC_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}


def search(request: Request) -> Response:
    """``/search?q=``: the entities whose names match, any form (script, language, romanization), best first."""
    here = site(request)
    language = language_of(request)
    text = request.query_params.get("q", "").strip()
    types = request.query_params.getlist("type") or None
    index = here.service.index
    found = search_names(index, text, types, SEARCH_LIMIT, language.code) if text else []
    view = View(here, root_path(request), dict(here.vocabulary_labels), language)
    results = []
    for candidate in found:
        labels = index["entities"].get(candidate.id, {}).get("labels", {})
        results.append(
            {
                "href": view.href(candidate.iri),
                "label": candidate.name,
                "lang": next((tag for tag, value in sorted(labels.items()) if value == candidate.name), None),
                "description": candidate.description,
                "types": [view.link(expand(t)) for t in candidate.types],
                "matched": candidate.matched,
                "score": candidate.score,
            }
        )
    return here.page("search.html", request, query_text=text, results=results, searched=bool(text))


def asset(request: Request, name: str) -> Response:
    """``/assets/{name}``: the pages' stylesheet and scripts."""
    path = STATIC / name
    if "/" in name or path.suffix not in STATIC_TYPES or not path.is_file():
        raise not_found(f"the file {name}")
    return FileResponse(path, media_type=STATIC_TYPES[path.suffix], headers={"Cache-Control": "public, max-age=3600"})


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

