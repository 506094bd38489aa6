"""The web application: one route table, the error handlers, CORS, and the IRI base path.

``create_app`` is the only way to make an app: there is no module-level app or store.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from ..errors import KGError
from ..service import Service
from . import catalogue, editor, linked, pages, sparql
from .cache import ResponseCache
from .errors import HTTPError, handle_core_error, handle_http_error, handle_starlette_error
from .limits import TRUNCATED, ClientSlots, Limits
from .site import Site

GET = ("GET", "HEAD")


@dataclass(frozen=True)
class Route:
    path: str
    handler: Callable[..., Any]
    methods: tuple[str, ...] = GET


ROUTES: tuple[Route, ...] = (
    Route("/", pages.landing),
    Route("/health", pages.health),
    Route("/sparql", sparql.sparql_get),
    Route("/sparql", sparql.sparql_post, ("POST",)),
    Route("/id/{kind}/{name}", linked.entity),
    Route("/graph/{name}", linked.graph),
    Route("/ontology", linked.ontology),
    Route("/ontology.{extension}", linked.ontology_document),
    Route("/shapes", linked.shapes),
    Route("/shapes.{extension}", linked.shapes_document),
    Route("/context.jsonld", linked.context),
    Route("/void", linked.void),
    Route("/void.{extension}", linked.void_document),
    Route("/.well-known/void", linked.void),
    Route("/dataset", linked.void),
    Route("/dumps/", linked.dumps_index),
    Route("/dumps/{name}", linked.dump_file),
    Route("/queries", pages.queries_index),
    Route("/queries/{name}", pages.stored_query),
    Route("/reconcile", catalogue.service_get),
    Route("/reconcile", catalogue.service_post, ("POST",)),
    Route("/reconcile/suggest/entity", catalogue.suggest_entity),
    Route("/reconcile/suggest/type", catalogue.suggest_type),
    Route("/reconcile/suggest/property", catalogue.suggest_property),
    Route("/reconcile/propose_properties", catalogue.propose_properties),
    Route("/reconcile/preview", catalogue.preview),
    Route("/reconcile/flyout", catalogue.flyout),
    Route("/label/{text:path}", catalogue.label),
    Route("/autocomplete", catalogue.autocomplete),
    Route("/search", pages.search),
    Route("/query", editor.query_page),
    Route("/assets/{name}", pages.asset),
)


class BasePath:
    """Serve IRIs whose base has a path (``https://w3id.org/lwg/``) at that path too: ``/lwg/id/...``."""

    def __init__(self, app: ASGIApp, prefix: str) -> None:
        self.app = app
        self.prefix = prefix.rstrip("/")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.prefix and scope["type"] == "http":
            path: str = scope["path"]
            if path == self.prefix or path.startswith(self.prefix + "/"):
                scope = {**scope, "path": path[len(self.prefix):] or "/", "root_path": scope.get("root_path", "") + self.prefix}
        await self.app(scope, receive, send)


def create_app(service: Service) -> FastAPI:
    """The application serving ``service``."""
    app = FastAPI(title="WLIC knowledge graph", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.site = Site.create(service)
    app.state.slots = ClientSlots(service.config.per_client)
    for route in ROUTES:
        app.add_api_route(route.path, route.handler, methods=list(route.methods), include_in_schema=False)
    app.add_exception_handler(HTTPError, handle_http_error)
    app.add_exception_handler(KGError, handle_core_error)
    app.add_exception_handler(StarletteHTTPException, handle_starlette_error)
    # Innermost: kept answers still pass CORS, the limits and the base path on their way out.
    app.add_middleware(ResponseCache, release=service.release_id or "", max_bytes=service.config.cache_mb * 2**20)
    app.add_middleware(
        CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "HEAD", "POST", "OPTIONS"], allow_headers=["*"], expose_headers=["Link", "Location", "Retry-After", "ETag", "X-Uri", "X-PrefLabel", TRUNCATED]
    )
    app.add_middleware(Limits, max_url=service.config.max_url, max_body=service.config.max_body)
    app.add_middleware(BasePath, prefix=urlsplit(service.base).path)
    return app
