"""Documents from outside never make the process fetch or expand anything.

JSON-LD contexts are never loaded, from the web or from files; XML with a DOCTYPE or
ENTITY declaration (the "billion laughs") is refused before any parser sees it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pyoxigraph import Literal, NamedNode, Quad

from kg.errors import InputError
from kg.formats import jsonld_document, refuse_xml_declarations

from .fakes import FakeServer

QUADS = [Quad(NamedNode("http://example.org/a"), NamedNode("http://example.org/p"), Literal("x"))]

#: 547 bytes of entity expansion that cost rdflib a minute of CPU, and pyoxigraph 0.5.13 its process.
LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
    + ']><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="http://example.org/">'
    + '<rdf:Description rdf:about="http://example.org/a"><e:p>&i;</e:p></rdf:Description></rdf:RDF>'
)


@pytest.fixture
def trap() -> Iterator[FakeServer]:
    with FakeServer(lambda: (200, "application/ld+json", b'{"@context": {"p": "http://example.org/p"}}')) as server:
        yield server


def contexts(url: str) -> list[dict[str, Any]]:
    return [{"@context": url}, {"@context": [url, {"e": "http://example.org/"}]}, {"@context": {"@import": url}}]


def test_a_remote_context_is_never_fetched(trap: FakeServer) -> None:
    for context in contexts(trap.url + "context.jsonld"):
        with pytest.raises(InputError, match="never fetched"):
            jsonld_document(QUADS, context)
    assert trap.requests == []


def test_a_file_context_is_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "context.jsonld"
    secret.write_text('{"@context": {"p": "http://example.org/p"}}')
    for context in contexts(secret.as_uri()):
        with pytest.raises(InputError, match="never fetched"):
            jsonld_document(QUADS, context)


def test_an_inline_context_still_compacts() -> None:
    document = jsonld_document(QUADS, {"@context": {"p": "http://example.org/p"}})
    assert document["@graph"] == [{"@id": "http://example.org/a", "p": "x"}]


@pytest.mark.parametrize(
    "payload",
    [
        LAUGHS.encode(),
        LAUGHS.replace("DOCTYPE", "doctype").encode(),
        ("<!-- " + " " * 8000 + " -->" + LAUGHS).encode(),  # the declaration far from the start
        LAUGHS.encode("utf-16"),  # where a byte search for "<!DOCTYPE" finds nothing
        b'<?xml version="1.0"?><r><!ENTITY x "y"></r>',
    ],
)
def test_xml_with_declarations_is_refused(payload: bytes) -> None:
    with pytest.raises(InputError):
        refuse_xml_declarations(payload)


def test_plain_xml_passes() -> None:
    refuse_xml_declarations(b'<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/><boolean>true</boolean></sparql>')
