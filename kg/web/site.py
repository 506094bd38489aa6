"""What every handler needs, created once per app: the service, prefixes, context, templates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment

from ..namespaces import PREFIXES
from ..service import Service
from .render import read_json, templates

#: Sent with every HTML page: no scripts or styles from elsewhere, no framing.
CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'"


@dataclass
class Site:
    service: Service
    prefixes: dict[str, str]
    context: dict[str, Any]
    templates: Environment

    @classmethod
    def create(cls, service: Service) -> Site:
        context: dict[str, Any] = {"@context": {}}
        context_file = service.release_file("context.jsonld")
        if context_file is not None:
            context = read_json(context_file)
        prefixes = dict(PREFIXES)
        prefixes.update({k: v for k, v in context["@context"].items() if isinstance(v, str) and "://" in v})
        return cls(service=service, prefixes=prefixes, context=context, templates=templates())

    def page(self, template: str, status: int = 200, headers: dict[str, str] | None = None, **values: Any) -> HTMLResponse:
        body = self.templates.get_template(template).render(site=self, **values)
        return HTMLResponse(body, status_code=status, headers={"Content-Security-Policy": CONTENT_SECURITY_POLICY, **(headers or {})})


def site(request: Request) -> Site:
    found: Site = request.app.state.site
    return found
