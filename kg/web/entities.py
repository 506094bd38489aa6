"""An entity's page for people: its names, what the sources say, and where each statement comes from.

The page shows every name the graph holds (each marked with its language and script),
the entity's statements and the statements pointing at it in one table shape, each
value linked and named after its target, with the source graph of each statement;
its identifiers elsewhere; for a congress, the figures the sources report side by
side (worded as they were reported: about, nearly, more than); and a schema.org
description in JSON-LD for search engines, built from the statements whose
properties the ontology aligns with schema.org.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from markupsafe import Markup
from pyoxigraph import Literal, NamedNode, Quad

from ..describe import figures as figures_of
from ..describe import names, statement_graphs
from ..errors import KGError
from ..namespaces import FOAF, LWG, OWL, PROV, RDF, RDFS, SCHEMA, SKOS
from .i18n import MESSAGES, Language, language_of
from .site import Labels, Site, View, labels_of, root_path

#: Properties whose values are the same entity in another dataset.
SAME_AS = (OWL.sameAs, SKOS.exactMatch, SCHEMA.sameAs)

#: Properties of other vocabularies with their schema.org counterpart (the ontology aligns its own).
SCHEMA_EQUIVALENTS = {
    SKOS.prefLabel.value: "name",
    SKOS.altLabel.value: "alternateName",
    FOAF.givenName.value: "givenName",
    FOAF.familyName.value: "familyName",
    OWL.sameAs.value: "sameAs",
    SKOS.exactMatch.value: "sameAs",
    SKOS.definition.value: "description",
}


def entity_page(
    request: Request, here: Site, iri: str, quads: list[Quad], headers: dict[str, str], alternates: list[dict[str, str]]
) -> Response:
    """The entity's document for people."""
    language = language_of(request)
    node = NamedNode(iri)
    reported = _figures(here, iri)
    names_known: Labels = {**here.vocabulary_labels, **labels_of(quads), **reported["names"]}
    view = View(here, root_path(request), names_known, language)
    outgoing: dict[str, list[dict[str, Any]]] = defaultdict(list)
    incoming: dict[str, list[dict[str, Any]]] = defaultdict(list)
    used_graphs: set[str] = set()
    for triple, graphs in statement_graphs(iri, quads).items():
        used_graphs.update(g.value for g in graphs)
        sources = [view.link(g.value) for g in graphs]
        if triple.subject == node:
            outgoing[triple.predicate.value].append({"value": view.show(triple.object), "sources": sources})
        if triple.object == node and triple.subject != node:
            incoming[triple.predicate.value].append({"value": view.show(triple.subject), "sources": sources})
    distinct = sorted({q.triple for q in quads}, key=str)
    types = [t.object for t in distinct if t.subject == node and t.predicate == RDF.type and isinstance(t.object, NamedNode)]
    return here.page(
        "entity.html",
        request,
        headers=headers,
        names=names_known,
        iri=iri,
        alternates=alternates,
        title=view.link(iri),
        own_names=_own_names(quads, node, language),
        types=[view.show(t) for t in sorted(types, key=lambda t: (not here.is_own_term(t.value), t.value))],
        same_as=sorted({view.show(t.object) for t in distinct if t.subject == node and t.predicate in SAME_AS}, key=lambda s: s.text),
        outgoing=_by_property(outgoing, view),
        incoming=_by_property(incoming, view),
        figures=_figure_tables(reported["rows"], view, language),
        graphs=_graph_notes(quads, sorted(used_graphs), view),
        json_ld=script_json(schema_org(here, iri, distinct, language)),
    )


# --- names ------------------------------------------------------------------------------


def _own_names(quads: list[Quad], node: NamedNode, language: Language) -> list[dict[str, Any]]:
    """The entity's names (preferred, then others), one per language and text, with their language named."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for predicate, kind in ((SKOS.prefLabel, "preferred"), (RDFS.label, "preferred"), (SKOS.altLabel, "alternative")):
        for quad in quads:
            if quad.subject == node and quad.predicate == predicate and isinstance(quad.object, Literal):
                key = (quad.object.language or "", quad.object.value)
                found.setdefault(key, {"name": quad.object, "kind": kind, "language": language_name(key[0], language)})
    order = {code: i for i, code in enumerate(language.name_order)}
    return sorted(
        found.values(),
        key=lambda n: (order.get((n["name"].language or "").split("-")[0], 9), n["name"].language or "", n["kind"] != "preferred"),
    )


def language_name(tag: str, language: Language) -> str:
    """A language tag in words: "Kazakh", "Russian, ALA-LC romanization"..."""
    if not tag:
        return language.t("no_language")
    primary, *rest = tag.lower().split("-")
    key = f"lang_{primary}"
    named = language.t(key) if key in MESSAGES else primary
    if "alalc97" in rest:
        return language.t("romanized", named)
    return named if not rest else f"{named} ({'-'.join(rest)})"


# --- statements ----------------------------------------------------------------------------


def _by_property(rows: dict[str, list[dict[str, Any]]], view: View) -> list[dict[str, Any]]:
    """Statements grouped by property, properties in order of their shown names."""
    groups = [{"property": view.link(p), "rows": r} for p, r in rows.items()]
    return sorted(groups, key=lambda g: g["property"].text.lower())


def _graph_notes(quads: list[Quad], graphs: list[str], view: View) -> list[dict[str, Any]]:
    """Each source graph the statements come from, with the sources it derives from and their URLs."""
    derived: dict[str, set[str]] = defaultdict(set)
    urls: dict[str, set[str]] = defaultdict(set)
    for quad in quads:
        if quad.predicate == PROV.wasDerivedFrom and isinstance(quad.object, NamedNode):
            derived[quad.subject.value].add(quad.object.value)  # type: ignore[union-attr]
        elif quad.predicate == SCHEMA.url and isinstance(quad.object, NamedNode | Literal):
            urls[quad.subject.value].add(quad.object.value)  # type: ignore[union-attr]
    notes = []
    for graph_iri in graphs:
        sources = [
            {"source": view.link(s), "urls": [view.link(u) for u in sorted(urls.get(s, ()))]}
            for s in sorted(derived.get(graph_iri, ()))
        ]
        notes.append({"graph": view.link(graph_iri), "sources": sources})
    return notes


# --- reported figures ---------------------------------------------------------------------------


def _figures(here: Site, iri: str) -> dict[str, Any]:
    """The figures reported about the entity and the names of what they point to (none if the store cannot say)."""
    try:
        rows = figures_of(here.service.backend, iri)
        if not rows:
            return {"rows": [], "names": {}}
        iris = sorted({v.value for r in rows for v in r.values() if isinstance(v, NamedNode)})
        return {"rows": rows, "names": labels_of(names(here.service.backend, iris))}
    except KGError:
        return {"rows": [], "names": {}}


def _figure_tables(rows: list[dict[str, Any]], view: View, language: Language) -> list[dict[str, Any]]:
    """One table per measure (participants first), each figure worded as reported, in order of reporting stage."""
    by_measure: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        qualifier = row["qualifier"].value.rsplit("#", 1)[-1] if isinstance(row["qualifier"], NamedNode) else None
        number = row["number"].value if isinstance(row["number"], Literal) else None
        wording = language.t(qualifier, language.number(number)) if qualifier in QUALIFIERS and number else (number or "")
        by_measure[row["measure"].value].append(
            {
                "figure": view.link(row["figure"].value),
                "wording": wording,
                "note": language.t(f"{qualifier}_note") if qualifier in QUALIFIERS else "",
                "qualifier": qualifier or "",
                "number": number,
                "counted": view.link(row["from"].value) if row["from"] is not None else None,
                "stage": view.link(row["stage"].value) if row["stage"] is not None else None,
                "source": view.link(row["source"].value) if row["source"] is not None else None,
                "url": view.show(row["url"]) if row["url"] is not None else None,
                "issued": row["issued"].value if row["issued"] is not None else None,
                "graph": view.link(row["graph"].value),
                "order": (
                    int(row["order"].value) if row["order"] is not None else 99,
                    row["from"] is not None,
                    -int(number) if number and number.lstrip("-").isdigit() else 0,
                ),
            }
        )
    tables = [
        {"measure": view.link(measure), "rows": sorted(figures, key=lambda f: (f["order"], f["source"].text if f["source"] else ""))}
        for measure, figures in by_measure.items()
    ]
    return sorted(tables, key=lambda t: (t["measure"].hint != FIRST_MEASURE, t["measure"].text.lower()))


#: The measure whose figures come first: how many took part, the claims readers compare most.
FIRST_MEASURE = LWG.Participants.value

#: The properties a figure's number is held by, by local name (the keys of their wording).
QUALIFIERS = ("exactly", "approximately", "nearly", "moreThan")


# --- schema.org for search engines ---------------------------------------------------------------


def schema_org(here: Site, iri: str, triples: list[Any], language: Language) -> dict[str, Any]:
    """The entity in schema.org terms: its schema.org types, names, identifiers, and aligned statements."""
    node = NamedNode(iri)
    schema = str(SCHEMA)
    aligned = {**SCHEMA_EQUIVALENTS, **here.schema_properties}
    document: dict[str, Any] = {"@context": "https://schema.org/", "@id": iri, "url": iri}
    types = sorted(t.object.value[len(schema):] for t in triples if t.subject == node and t.predicate == RDF.type and t.object.value.startswith(schema))
    if types:
        document["@type"] = types if len(types) > 1 else types[0]
    values: dict[str, list[Any]] = defaultdict(list)
    names_known = labels_of(triples)
    for t in triples:
        if t.subject != node:
            continue
        predicate = t.predicate.value
        term = predicate[len(schema):] if predicate.startswith(schema) else aligned.get(predicate)
        if term is None or term == "@type":
            continue
        if isinstance(t.object, Literal):
            value: Any = {"@value": t.object.value, "@language": t.object.language} if t.object.language else t.object.value
        elif isinstance(t.object, NamedNode):
            if term == "sameAs" or term == "url":
                value = t.object.value
            else:
                value = {"@id": t.object.value}
                named = names_known.get(t.object.value)
                if named:
                    value["name"] = named.get(language.code) or named.get("en") or next(iter(named.values()))
        else:
            continue
        if value not in values[term]:
            values[term].append(value)
    for term, found in sorted(values.items()):
        document[term] = found[0] if len(found) == 1 else found
    return document


def script_json(document: dict[str, Any]) -> Markup:
    """JSON safe to put inside a ``<script>`` element (no ``</script>``, no HTML-special characters)."""
    text = json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True)
    return Markup(text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e"))
