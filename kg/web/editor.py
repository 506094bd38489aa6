"""The query page: write SPARQL, see the answer as a table, download it.

``/query`` shows an editor already holding the dataset's prefixes, the stored queries as
examples (``?example=name`` puts one in the editor and runs it), and, once a query is
given (``?query=``), its results as a table whose IRIs link to their pages and are named
after their targets, with links to download the same results in each format
(``&format=csv``...). A query that fails is shown again with the error and, when the
store says where, the place it went wrong. Everything is a plain form GET: it works
without scripts, and the URL of a result page is the query itself.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import Response
from pyoxigraph import NamedNode, QueryTriples

from ..backends import BackendUnavailable, Dataset
from ..errors import KGError
from ..queries import StoredQuery
from .errors import HTTPError, not_found
from .i18n import language_of
from .negotiation import GRAPH_FORMATS, RESULTS_FORMATS, Format
from .pages import MAX_NAMED, _names_of, result_table
from .params import one, url_params
from .render import results_bytes
from .site import Site, View, root_path, site
from .sparql import endpoint_url, starter

#: At most this many rows of an answer are shown on the page (the downloads hold them all).
MAX_ROWS = 500

#: Where a store's syntax error says the query went wrong: "at 3:2" (line:column).
POSITION = re.compile(r"\bat (\d+):(\d+)")


def query_page(request: Request) -> Response:
    """``/query``: the editor; with ``query`` (or ``example``), the answer; with ``format`` too, the download."""
    here = site(request)
    params = url_params(request)
    text = one(params, "query")
    example_name = one(params, "example")
    format_name = one(params, "format")
    example: StoredQuery | None = None
    if example_name is not None:
        example = here.service.queries.get(example_name)
        if example is None:
            raise not_found(f"the stored query {example_name}")
        text = text if text is not None else example.text
    if format_name is not None:
        if not text:
            raise HTTPError(400, "give the query to download the results of")
        return _download(request, here, text, format_name)
    values: dict[str, Any] = {"text": text if text is not None else starter(here), "example": example}
    status = 200
    if text and text.strip():
        outcome = _run(request, here, text)
        if isinstance(outcome, HTTPError):
            raise outcome
        values.update(outcome)
        status = 400 if "error" in outcome else 200
    return here.page(
        "query.html", request, status=status, headers={"Vary": "Accept-Language"}, queries=here.service.queries, **values
    )


def _run(request: Request, here: Site, text: str) -> dict[str, Any] | HTTPError:
    """The answer as the page shows it, or the error to show; a store that does not answer is returned as a 503.

    The store's result objects must be dropped on the thread that made them, so nothing is
    raised while they are alive.
    """
    try:
        results = here.service.query(text, Dataset(), base_iri=endpoint_url(request))
        graph = isinstance(results, list | QueryTriples)
        table = result_table(results)
    except BackendUnavailable as exc:
        return HTTPError(503, str(exc))
    except KGError as exc:
        return {"error": _error(str(exc), text)}
    truncated = len(table["rows"]) > MAX_ROWS
    rows = table["rows"][:MAX_ROWS]
    iris = sorted({cell.value for row in rows for cell in row if isinstance(cell, NamedNode)})[:MAX_NAMED]
    view = View(here, root_path(request), _names_of(here, iris), language_of(request))
    formats = GRAPH_FORMATS if graph else RESULTS_FORMATS
    path = f"{root_path(request)}/query"
    return {
        "names": view.names,
        "table": {
            "boolean": table["boolean"],
            "columns": table["columns"],
            "rows": [[view.show(cell) if cell is not None else None for cell in row] for row in rows],
            "count": len(table["rows"]),
            "truncated": truncated,
        },
        "downloads": [
            {"name": f.name, "extension": f.extension, "media_type": f.media_type, "href": f"{path}?{urlencode({'query': text, 'format': f.extension})}"}
            for f in formats
        ],
    }


def _error(message: str, text: str) -> dict[str, Any]:
    """The error, with the line it points at split around the column, when the message gives one."""
    error: dict[str, Any] = {"message": message}
    position = POSITION.search(message)
    lines = text.splitlines()
    if position is not None:
        line, column = int(position.group(1)), int(position.group(2))
        if 1 <= line <= len(lines):
            source = lines[line - 1]
            at = min(max(column - 1, 0), len(source))
            error.update(line=line, column=column, before=source[:at], at=source[at : at + 1] or " ", after=source[at + 1 :])
    return error


def _format(name: str, graph: bool) -> Format | None:
    formats = GRAPH_FORMATS if graph else RESULTS_FORMATS
    return next((f for f in formats if name in (f.extension, f.name)), None)


def _download(request: Request, here: Site, text: str, format_name: str) -> Response:
    """The query's results as a file in the format asked for (404 for a format this kind of answer lacks)."""
    outcome = _file(request, here, text, format_name)
    if isinstance(outcome, HTTPError):
        raise outcome
    return outcome


def _file(request: Request, here: Site, text: str, format_name: str) -> Response | HTTPError:
    """The download, or the error to raise once the store's results are gone."""
    outcome: Response | HTTPError
    try:
        results = here.service.query(text, Dataset(), base_iri=endpoint_url(request))
        fmt = _format(format_name, isinstance(results, list | QueryTriples))
        if fmt is None:
            outcome = not_found(f"this query's results as {format_name}")
        else:
            body = results_bytes(results, fmt, here.prefixes, here.context)
            disposition = f'attachment; filename="results.{fmt.extension}"'
            outcome = Response(body, media_type=fmt.content_type, headers={"Content-Disposition": disposition})
    except KGError as exc:
        outcome = HTTPError(503 if isinstance(exc, BackendUnavailable) else 400, str(exc))
    return outcome
