"""What every handler needs, created once per app: the service, prefixes, context, templates.

Also what the HTML pages share: how an IRI is shown (its label, in its language)
and where it links (IRIs under the dataset's base link to this server, other
http(s) IRIs to themselves, anything else to nothing).
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment
from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, Triple, parse

from ..formats import context_prefixes
from ..namespaces import ONTOLOGY_IRI, OWL, PREFIXES, RDF, RDFS, SCHEMA, SKOS, XSD
from ..service import Service
from .i18n import AUTONYMS, Language, language_of, with_language
from .i18n import LANGUAGES as INTERFACE_LANGUAGES
from .negotiation import LANGUAGES as NAME_LANGUAGES
from .render import read_json, templates

#: The properties whose values name a thing.
LABEL_PROPERTIES = (SKOS.prefLabel, RDFS.label)

#: The languages pages prefer for names, in order.
LANGUAGES = NAME_LANGUAGES

#: iri -> language tag ('' for none) -> the name.
Labels = dict[str, dict[str, str]]


def labels_of(quads: Iterable[Quad | Triple]) -> Labels:
    """Every name of every IRI the quads label (skos:prefLabel first, then rdfs:label)."""
    found: Labels = defaultdict(dict)
    quads = list(quads)
    for predicate in LABEL_PROPERTIES:
        for quad in quads:
            if quad.predicate == predicate and isinstance(quad.subject, NamedNode) and isinstance(quad.object, Literal):
                found[quad.subject.value].setdefault(quad.object.language or "", quad.object.value)
    return dict(found)


def pick(names: dict[str, str] | None, languages: tuple[str, ...] = LANGUAGES) -> tuple[str, str] | None:
    """The name to show and its language tag: the first of ``languages`` present, else any."""
    if not names:
        return None
    for language in languages:
        if language in names:
            return names[language], language
    language = min(names)
    return names[language], language


def is_web_iri(iri: str) -> bool:
    return iri.startswith(("http://", "https://"))


@dataclass(frozen=True)
class Shown:
    """A term as a page shows it: its text, language, link and a hint (the IRI or the datatype)."""

    text: str
    lang: str | None = None
    href: str | None = None
    hint: str | None = None
    literal: bool = False


@dataclass
class Site:
    service: Service
    prefixes: dict[str, str]
    context: dict[str, Any]
    templates: Environment
    _graphs: dict[str, list[Quad]] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def create(cls, service: Service) -> Site:
        context: dict[str, Any] = {"@context": {}}
        context_file = service.release_file("context.jsonld")
        if context_file is not None:
            context = read_json(context_file)
        prefixes = dict(PREFIXES)
        prefixes.update(context_prefixes(context))
        return cls(service=service, prefixes=prefixes, context=context, templates=templates())

    # --- the release's own RDF files, parsed once ----------------------------------

    def release_graph(self, filename: str) -> list[Quad] | None:
        """A Turtle file of the release (ontology, shapes, VoID), parsed once; None if the release lacks it."""
        with self._lock:
            if filename not in self._graphs:
                path = self.service.release_file(filename)
                if path is None:
                    return None
                self._graphs[filename] = list(parse(path=str(path), format=RdfFormat.TURTLE))
            return self._graphs[filename]

    @cached_property
    def vocabulary_labels(self) -> Labels:
        """The names the ontology gives its terms (for naming properties on pages)."""
        return labels_of(self.release_graph("ontology.ttl") or [])

    @cached_property
    def schema_properties(self) -> dict[str, str]:
        """The ontology's properties that refine or equal a schema.org property, with its name (for JSON-LD)."""
        schema = str(SCHEMA)
        aligned: dict[str, str] = {}
        for quad in sorted(self.release_graph("ontology.ttl") or [], key=str):
            subject, obj = quad.subject, quad.object
            if quad.predicate not in (RDFS.subPropertyOf, OWL.equivalentProperty):
                continue
            if isinstance(subject, NamedNode) and isinstance(obj, NamedNode) and obj.value.startswith(schema):
                aligned.setdefault(subject.value, obj.value[len(schema):])
        return aligned

    def is_own_term(self, iri: str) -> bool:
        """Whether ``iri`` is a term of the ontology (documented on the ontology page)."""
        return iri.startswith(ONTOLOGY_IRI + "#")

    # --- IRIs on pages ---------------------------------------------------------------

    def curie(self, iri: str) -> str:
        """The IRI shortened with the longest namespace it starts with, else the IRI itself."""
        best = ""
        for prefix, namespace in self.prefixes.items():
            if iri.startswith(namespace) and iri != namespace and len(namespace) > len(self.prefixes.get(best, "")):
                best = prefix
        return f"{best}:{iri[len(self.prefixes[best]):]}" if best else iri

    def local_path(self, iri: str) -> str | None:
        """The path on this server of an IRI under the dataset's base (``/id/person/x``), else None."""
        base = self.service.base
        if not iri.startswith(base):
            return None
        rest = iri[len(base):]
        if rest.startswith(("/", "\\")):  # would read as another host (//host/...)
            return None
        return "/" + rest

    def href(self, iri: str, root: str = "", language: Language | None = None) -> str | None:
        """Where a link to ``iri`` goes: this server for IRIs under the base, the IRI for other http(s) IRIs.

        A language the reader chose in the URL goes along on links to this server.
        """
        if not is_web_iri(iri):
            return None
        local = self.local_path(iri)
        if local is None:
            return iri
        return root + (keep_language(local, language) if language is not None else local)

    def page(
        self,
        template: str,
        request: Request | None = None,
        status: int = 200,
        headers: dict[str, str] | None = None,
        **values: Any,
    ) -> HTMLResponse:
        root = root_path(request) if request is not None else ""
        language = language_of(request) if request is not None else Language()
        view = View(self, root, values.pop("names", None) or {}, language)
        switch = [
            {"code": code, "name": AUTONYMS[code], "href": with_language(request, code), "current": code == language.code}
            for code in INTERFACE_LANGUAGES
        ] if request is not None else []
        body = self.templates.get_template(template).render(
            site=self, root=root, view=view, lang=language.code, t=language.t, language=language, switch=switch,
            local=view.local, **values
        )
        headers = dict(headers or {})
        if not language.explicit:
            vary = [v.strip() for v in headers.get("Vary", "").split(",") if v.strip()]
            headers["Vary"] = ", ".join(vary + ["Accept-Language"] if "Accept-Language" not in vary else vary)
        headers["Content-Language"] = language.code
        return HTMLResponse(body, status_code=status, headers=headers)  # its Content-Security-Policy: kg.web.limits


@dataclass
class View:
    """How one page shows terms: with the names it knows, links relative to the server's root."""

    site: Site
    root: str
    names: Labels
    language: Language = field(default_factory=Language)

    def name(self, iri: str) -> tuple[str, str] | None:
        return pick(self.names.get(iri), self.language.name_order)

    def href(self, iri: str) -> str | None:
        return self.site.href(iri, self.root, self.language if self.language.explicit else None)

    def local(self, path: str) -> str:
        """A path on this server (``/search``), under the app's root, with the reader's chosen language."""
        return self.root + (keep_language(path, self.language) if self.language.explicit else path)

    def link(self, iri: str) -> Shown:
        """An IRI: its name if known (else its short form), linked if it is an http(s) IRI."""
        named = self.name(iri)
        if named is not None:
            return Shown(named[0], named[1] or None, self.href(iri), iri)
        return Shown(self.site.curie(iri), None, self.href(iri), iri)

    def show(self, term: Any) -> Shown:
        """Any term: IRIs as links, literals with their language or datatype, blank nodes as such."""
        if isinstance(term, NamedNode):
            return self.link(term.value)
        if isinstance(term, Literal):
            hint = None
            if term.datatype not in (XSD.string, RDF.langString):
                hint = self.site.curie(term.datatype.value)
            return Shown(term.value, term.language or None, None, hint, literal=True)
        if isinstance(term, BlankNode):
            return Shown(f"_:{term.value}")
        return Shown(str(term))


def keep_language(path: str, language: Language | None) -> str:
    """``path`` with ``lang=`` added to its query (before any fragment)."""
    if language is None:
        return path
    path, hash_, fragment = path.partition("#")
    joiner = "&" if "?" in path else "?"
    return f"{path}{joiner}lang={language.code}{hash_}{fragment}"


def root_path(request: Request) -> str:
    """The path this app is mounted at (``/lwg`` when reached under the IRIs' base path), without a final slash."""
    root: str = request.scope.get("root_path", "")
    return root.rstrip("/")


def site(request: Request) -> Site:
    found: Site = request.app.state.site
    return found
