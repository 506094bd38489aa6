"""Request parameters: the query string and a form-encoded body, decoded once, strictly as UTF-8.

Shared by the SPARQL endpoint and the catalogue services, which both take their
parameters from the URL and, for POST, from the body.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from fastapi import Request

from .errors import HTTPError

FORM = "application/x-www-form-urlencoded"

Params = dict[str, list[str]]


async def read_body(request: Request) -> bytes:
    """The request body, read in the event loop so the handler itself can stay synchronous."""
    return await request.body()


def parse_params(text: str, where: str) -> Params:
    """Parameters of a query string or a form body; percent-escapes must decode to UTF-8."""
    try:
        return parse_qs(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError as exc:
        raise HTTPError(400, f"the {where} is not UTF-8 once percent-decoded: {exc}") from exc


def url_params(request: Request) -> Params:
    return parse_params(request.url.query, "query string")


def content_type(request: Request) -> tuple[str, str | None]:
    """The media type of the request body and its charset parameter, if any (both lowercased)."""
    media_type, *parameters = request.headers.get("content-type", "").split(";")
    charset = None
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media_type.strip().lower(), charset


def decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise HTTPError(400, f"the request body is not UTF-8: {exc}") from exc


def one(params: Params, name: str) -> str | None:
    """The single value of a parameter (None if absent); 400 if it is given more than once."""
    values = params.get(name, [])
    if len(values) > 1:
        raise HTTPError(400, f"give one '{name}' parameter, not {len(values)}")
    return values[0] if values else None
