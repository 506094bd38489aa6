"""Catalogue linking over HTTP: the Reconciliation API 0.2, label lookup and autocomplete.

Every handler here translates a request into a call of :mod:`kg.reconcile` or
:mod:`kg.index` over the release's name index, and the answer into JSON (or, for
the preview, a small HTML page). Parameters come from the query string and, for
POST, from a form-encoded body, as OpenRefine sends them; JSON payloads
(``queries``, ``extend``) are parsed here and handed to the core as data, never
turned into query text. Languages come from a ``lang`` parameter or the
Accept-Language header. CORS is the app's (every route).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from .. import reconcile
from ..index import Candidate, lookup, suggest
from .errors import HTTPError
from .negotiation import HTML, JSON, choose_language, names
from .params import FORM, Params, content_type, decode, one, parse_params, read_body
from .site import root_path, site
from .sparql import endpoint_url

#: The previews are shown by OpenRefine in a frame: their policy allows that, and nothing else.
PREVIEW_POLICY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'"


# --- parameters ---------------------------------------------------------------------------


def _params(request: Request, body: bytes | None = None) -> Params:
    """The query string's parameters, plus a form-encoded body's (POST)."""
    params = parse_params(request.url.query, "query string")
    if body:
        media_type, _charset = content_type(request)
        if media_type != FORM:
            raise HTTPError(415, f"send the parameters as {FORM}, not {media_type or 'a body without Content-Type'}")
        for name, values in parse_params(decode(body), "form body").items():
            params.setdefault(name, []).extend(values)
    return params


def _json_param(params: Params, name: str) -> Any:
    text = one(params, name)
    try:
        return json.loads(text or "")
    except ValueError as exc:
        raise HTTPError(400, f"'{name}' must be JSON: {exc}") from exc


def _int_param(params: Params, name: str, default: int) -> int:
    text = one(params, name)
    if text is None or text == "":
        return default
    try:
        return int(text)
    except ValueError as exc:
        raise HTTPError(400, f"'{name}' must be an integer, not {text[:40]!r}") from exc


def _language(request: Request, params: Params) -> str:
    return choose_language(one(params, "lang"), request.headers.get("accept-language"))


def _types(params: Params) -> list[str] | None:
    return params.get("type") or None


def _service_url(request: Request) -> str:
    """The URL of the site's root as the client reached it (the base of every service path)."""
    return endpoint_url(request).removesuffix(request.scope["path"]) or endpoint_url(request)


def _json(data: Any) -> Response:
    return JSONResponse(data, headers={"Vary": "Accept-Language"})


# --- the reconciliation service -------------------------------------------------------------


def service_get(request: Request) -> Response:
    """``GET /reconcile``: the manifest, or the answer to ``queries=`` or ``extend=``."""
    return _service(request, _params(request))


def service_post(request: Request, body: bytes = Depends(read_body)) -> Response:
    """``POST /reconcile``: ``queries=`` or ``extend=`` in a form-encoded body."""
    return _service(request, _params(request, body))


def _service(request: Request, params: Params) -> Response:
    here = site(request)
    language = _language(request, params)
    if "queries" in params and "extend" in params:
        raise HTTPError(400, "give 'queries' or 'extend', not both")
    if "queries" in params:
        queries = _json_param(params, "queries")
        return _json(reconcile.reconcile(here.service.index, here.service.backend, queries, language=language))
    if "extend" in params:
        payload = _json_param(params, "extend")
        if not isinstance(payload, dict):
            raise HTTPError(400, "'extend' must be an object with 'ids' and 'properties'")
        answer = reconcile.extend(
            here.service.index, here.service.backend, payload.get("ids"), payload.get("properties"), language=language
        )
        return _json(answer)
    return _json(reconcile.manifest(here.service.index, _service_url(request), language=language))


def suggest_entity(request: Request) -> Response:
    params = _params(request)
    answer = reconcile.suggest_entities(
        site(request).service.index,
        one(params, "prefix") or "",
        types=_types(params),
        limit=_int_param(params, "limit", reconcile.DEFAULT_LIMIT),
        cursor=_int_param(params, "cursor", 0),
        language=_language(request, params),
    )
    return _json(answer)


def suggest_type(request: Request) -> Response:
    params = _params(request)
    index = site(request).service.index
    limit = _int_param(params, "limit", reconcile.DEFAULT_LIMIT)
    return _json(reconcile.suggest_types(index, one(params, "prefix") or "", limit=limit, language=_language(request, params)))


def suggest_property(request: Request) -> Response:
    params = _params(request)
    answer = reconcile.suggest_properties(
        site(request).service.index,
        one(params, "prefix") or "",
        type=one(params, "type"),
        limit=_int_param(params, "limit", reconcile.DEFAULT_LIMIT),
        language=_language(request, params),
    )
    return _json(answer)


def propose_properties(request: Request) -> Response:
    params = _params(request)
    limit = _int_param(params, "limit", 0) or None
    answer = reconcile.propose_properties(
        site(request).service.index, one(params, "type"), limit=limit, language=_language(request, params)
    )
    return _json(answer)


def preview(request: Request) -> Response:
    """An entity's preview for OpenRefine's frame: names, description, IRI."""
    params = _params(request)
    body = reconcile.preview(site(request).service.index, _required(params, "id"), _language(request, params))
    return HTMLResponse(body, headers={"Content-Security-Policy": PREVIEW_POLICY, "Vary": "Accept-Language"})


def flyout(request: Request) -> Response:
    params = _params(request)
    return _json(reconcile.flyout(site(request).service.index, _required(params, "id"), _language(request, params)))


def _required(params: Params, name: str) -> str:
    value = one(params, name)
    if not value:
        raise HTTPError(400, f"the '{name}' parameter is required")
    return value


# --- label lookup and autocomplete ---------------------------------------------------------------


def _found(request: Request, candidate: Candidate) -> dict[str, Any]:
    """A candidate as JSON: its id, IRI, name, types, and its page on this server."""
    here = site(request)
    local = here.local_path(candidate.iri)
    return {
        "id": candidate.id,
        "iri": candidate.iri,
        "label": candidate.name,
        "description": candidate.description,
        "types": list(candidate.types),
        "score": candidate.score,
        "url": f"{root_path(request)}{local}" if local is not None else candidate.iri,
    }


def label(request: Request, text: str) -> Response:
    """``/label/{text}``: 303 to the one entity one of whose names is ``text``; 300 to choose; 404.

    Matching forgives case, diacritics, tie bars, script (Cyrillic or any ALA-LC
    romanization) and inverted or initialled forms, as the name index does. Like
    id.loc.gov's label service, the answer names the entity in ``X-Uri`` and its
    preferred label in ``X-PrefLabel`` (percent-encoded UTF-8).
    """
    params = _params(request)
    language = _language(request, params)
    found = lookup(site(request).service.index, text, _types(params), language)
    if not found:
        raise HTTPError(404, f"no entity is named {text[:200]!r}")
    choices = [_found(request, c) for c in found]
    if len(found) == 1:
        headers = {
            "X-Uri": found[0].iri,
            "X-PrefLabel": quote(found[0].name, safe=" ,.-'()"),
            "Link": f'<{found[0].iri}>; rel="canonical"',
            "Vary": "Accept-Language",
        }
        return RedirectResponse(choices[0]["url"], status_code=303, headers=headers)
    accept = request.headers.get("accept")
    if names(accept, HTML) and not names(accept, JSON):
        here = site(request)
        return here.page("choices.html", request, status=300, headers={"Vary": "Accept, Accept-Language"}, text=text, choices=choices)
    body = {"label": text, "choices": choices}
    return JSONResponse(body, status_code=300, headers={"Vary": "Accept, Accept-Language"})


def autocomplete(request: Request) -> Response:
    """``/autocomplete?q=``: ranked suggestions for a name being typed, labelled in the asked language."""
    params = _params(request)
    text = one(params, "q") or ""
    language = _language(request, params)
    limit = min(max(_int_param(params, "limit", reconcile.DEFAULT_LIMIT), 1), reconcile.MAX_LIMIT)
    found = suggest(site(request).service.index, text, _types(params), limit, language) if text.strip() else []
    return _json({"query": text, "language": language, "results": [_found(request, c) for c in found]})

