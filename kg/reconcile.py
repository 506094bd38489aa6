"""The W3C Entity Reconciliation API 0.2, over the name index and a Backend (no HTTP here).

Identifiers. An entity's id is the path of its IRI under the entity base
(``person/gulzhan-irzhanova`` for ``https://w3id.org/lwg/id/person/gulzhan-irzhanova``),
and the manifest's ``identifierSpace`` is that base. So ``identifierSpace + id`` is
the IRI, as with Wikidata (``http://www.wikidata.org/entity/`` + ``Q42``) and
lobid-gnd; OpenRefine falls back to exactly that concatenation when it has no view
template, and puts the id into the view and preview templates through ``encodeURI``,
which keeps the slash. Short ids also keep OpenRefine columns readable. Full IRIs
are accepted wherever an id is (queries, extension, preview), and a query that is an
IRI, an id or an outside identifier the graph links (a Wikidata IRI or QID, GeoNames)
reconciles to that entity with score 100.

Types and properties are named by CURIEs with the project's prefixes
(``lwg:Person``, ``skos:altLabel``; ``schemaSpace`` is the ontology namespace, so
bare names such as ``Person`` work too) plus two paths through posts: ``affiliation``
(the organisations, and the organisations above them, where a person holds a post;
``org:organization`` is accepted as its alias) and ``role`` (``org:role``).

Scores come from :mod:`kg.index`. ``match`` is true only for a confident, unique
match: a score of 100 (an identifier, or a preferred label, with every property
constraint met) and no other candidate at :data:`AMBIGUOUS_SCORE` or above. Property
constraints are checked against the graph through the Backend, the entity's IRI
(taken from the index, never from input) bound as a variable; the values a user
gives are only ever compared with what the graph returns, never put in a query. A
candidate that meets a constraint with less than :data:`PROPERTY_MIN` is dropped;
the others score ``0.75 * name + 0.25 * mean(property scores)``.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pyoxigraph import Literal, NamedNode, QuerySolutions, Variable

from . import __version__
from .backends import Backend
from .errors import QueryError
from .index import (
    Candidate,
    Index,
    curie,
    description,
    display_label,
    entry_for,
    expand,
    lookup,
    resolve_id,
    search,
    suggest,
    text_score,
    type_name,
)
from .names import fold, variants
from .namespaces import LWG, XSD

VERSIONS = ["0.2"]
SERVICE_NAME = "WLIC 2025 knowledge graph (Library-World Gatherings)"
#: The largest batch of queries (or of ids to extend) one request may carry.
DEFAULT_BATCH_SIZE = 50
DEFAULT_LIMIT = 10
MAX_LIMIT = 100
#: The score a candidate needs to be a match.
MATCH_SCORE = 100.0
#: A second candidate at or above this score makes the best one ambiguous.
AMBIGUOUS_SCORE = 90.0
#: A constraint met with less than this drops the candidate.
PROPERTY_MIN = 50.0
#: How many candidates a named query weighs before property constraints narrow them.
POOL_SIZE = 100
#: How many entities a query without a name may examine.
SCAN_LIMIT = 500
#: Types offered as good generic choices.
DEFAULT_TYPES = ("lwg:Person", "lwg:Organisation", "lwg:Congress", "lwg:CongressSeries", "lwg:Place", "lwg:Topic")
QUERY_KEYS = frozenset({"query", "type", "limit", "properties", "type_strict"})


class BatchTooLarge(QueryError):
    """A batch holds more queries (or ids) than the manifest's ``batchSize`` allows."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"the batch holds {size} items; at most {limit} are accepted per request")
        self.size = size
        self.limit = limit


class UnknownEntity(QueryError):
    """No entity has this id (preview, flyout); the web layer answers 404."""


@dataclass(frozen=True)
class ServicePaths:
    """Where the web layer serves each part of the service, under the base URL."""

    reconcile: str = "/reconcile"
    preview: str = "/reconcile/preview"
    suggest_entity: str = "/reconcile/suggest/entity"
    suggest_type: str = "/reconcile/suggest/type"
    suggest_property: str = "/reconcile/suggest/property"
    flyout: str = "/reconcile/flyout"
    propose_properties: str = "/reconcile/propose_properties"
    view: str = "/id/"


# --- properties ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PropertySpec:
    """A property the service can check and fetch: a graph pattern from ?entity to ?value."""

    id: str
    name: str
    description: str
    pattern: str
    kind: str = "literal"  # "entity", "literal" or "iri" (an outside identifier)
    domain: tuple[str, ...] = ()  # classes it applies to (empty: all)
    value_type: str | None = None
    aliases: tuple[str, ...] = ()


PROPERTIES: tuple[PropertySpec, ...] = (
    PropertySpec(
        "affiliation", "Affiliation", "Organisations where the person holds a post, and the organisations they belong to",
        "?post org:member ?entity ; org:organization ?org . ?org lwg:unitOf* ?value .",
        "entity", ("lwg:Person",), "lwg:Organisation", ("org:organization", "org:memberOf"),
    ),
    PropertySpec(
        "role", "Role", "The role of each post the person holds (president, director, head of department...)",
        "?post org:member ?entity ; org:role ?value .", "entity", ("lwg:Person",), "lwg:Role", ("org:role",),
    ),
    PropertySpec("skos:prefLabel", "Preferred name", "The preferred name, in each language", "?entity skos:prefLabel ?value ."),
    PropertySpec(
        "skos:altLabel", "Other names",
        "Other names: abbreviations, former names, romanized forms", "?entity skos:altLabel ?value .",
    ),
    PropertySpec("foaf:givenName", "Given name", "Given name, in each language and script", "?entity foaf:givenName ?value .", domain=("lwg:Person",)),
    PropertySpec("foaf:familyName", "Family name", "Family name, in each language and script", "?entity foaf:familyName ?value .", domain=("lwg:Person",)),
    PropertySpec(
        "lwg:unitOf", "Unit of", "The organisation this unit belongs to", "?entity lwg:unitOf ?value .",
        "entity", ("lwg:OrganisationalUnit",), "lwg:Organisation",
    ),
    PropertySpec(
        "lwg:hasUnit", "Has unit", "Units of this organisation", "?entity lwg:hasUnit ?value .",
        "entity", ("lwg:Organisation",), "lwg:OrganisationalUnit",
    ),
    PropertySpec(
        "lwg:basedIn", "Based in", "Where the organisation is based", "?entity lwg:basedIn ?value .",
        "entity", ("lwg:Organisation",), "lwg:Place",
    ),
    PropertySpec(
        "lwg:headedBy", "Headed by", "The person heading the organisation", "?entity lwg:headedBy ?value .",
        "entity", ("lwg:Organisation",), "lwg:Person",
    ),
    PropertySpec(
        "lwg:inSeries", "In series", "The series the congress belongs to", "?entity lwg:inSeries ?value .",
        "entity", ("lwg:Congress",), "lwg:CongressSeries",
    ),
    PropertySpec(
        "lwg:hostCity", "Host city", "The city the congress was held in", "?entity lwg:hostCity ?value .",
        "entity", ("lwg:Congress",), "lwg:Place",
    ),
    PropertySpec(
        "lwg:hostCountry", "Host country", "The country the congress was held in", "?entity lwg:hostCountry ?value .",
        "entity", ("lwg:Congress",), "lwg:Place",
    ),
    PropertySpec(
        "lwg:organiser", "Organiser", "Organisers of the congress, as each source names them", "?entity lwg:organiser ?value .",
        "entity", ("lwg:Congress",), "lwg:Organisation",
    ),
    PropertySpec("lwg:ordinal", "Number", "The congress's number in its series", "?entity lwg:ordinal ?value .", domain=("lwg:Congress",)),
    PropertySpec(
        "schema:startDate", "Start date", "First day, as each source gives it", "?entity schema:startDate ?value .", domain=("lwg:Congress",),
    ),
    PropertySpec(
        "schema:endDate", "End date", "Last day, as each source gives it", "?entity schema:endDate ?value .", domain=("lwg:Congress",),
    ),
    PropertySpec("lwg:theme", "Theme", "The congress theme, in each language", "?entity lwg:theme ?value .", domain=("lwg:Congress",)),
    PropertySpec(
        "schema:containedInPlace", "Contained in", "The larger place this place lies in", "?entity schema:containedInPlace ?value .",
        "entity", ("lwg:Place",), "lwg:Place",
    ),
    PropertySpec(
        "owl:sameAs", "Same as", "Outside identifiers of the same thing (Wikidata, GeoNames)",
        "{ ?entity owl:sameAs ?value } UNION { ?entity skos:exactMatch ?value } FILTER(isIRI(?value))", "iri",
        aliases=("skos:exactMatch",),
    ),
)

_PREFIXES = f"""PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX lwg: <{LWG}>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

#: One query per property, written from the constants above only; ?entity or ?value is bound.
VALUE_QUERIES: dict[str, str] = {
    spec.id: _PREFIXES + f"SELECT DISTINCT ?entity ?value ?label WHERE {{ {spec.pattern} "
    "OPTIONAL { ?value skos:prefLabel ?label FILTER(isLiteral(?label)) } }"
    for spec in PROPERTIES
}

_BY_ID: dict[str, PropertySpec] = {}
for _spec in PROPERTIES:
    for _name in (_spec.id, *_spec.aliases):
        _BY_ID[_name] = _spec


def property_spec(pid: object) -> PropertySpec:
    """The property a client names (by id, alias, CURIE or IRI)."""
    if isinstance(pid, str):
        for name in (pid, curie(pid) if "://" in pid else pid):
            if name in _BY_ID:
                return _BY_ID[name]
    raise QueryError(f"unknown property {str(pid)[:200]!r}; known: {', '.join(s.id for s in PROPERTIES)}")


@dataclass
class _Value:
    term: NamedNode | Literal
    labels: dict[str, str] = field(default_factory=dict)
    keys: set[str] | None = None  # folded forms, computed once


class _Values:
    """Property values fetched from the backend, cached for one request."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.cache: dict[tuple[str, str, str], list[_Value]] = {}

    def _run(self, spec: PropertySpec, variable: str, term: NamedNode, other: str) -> list[_Value]:
        key = (spec.id, variable, term.value)
        if key not in self.cache:
            results = self.backend.query(VALUE_QUERIES[spec.id], bindings={Variable(variable): term})
            if not isinstance(results, QuerySolutions):
                raise QueryError("the property query must give solutions")
            found: dict[str, _Value] = {}
            for row in results:
                value = row[other]
                if not isinstance(value, NamedNode | Literal):
                    continue
                item = found.setdefault(str(value), _Value(value))
                label = row["label"]
                if isinstance(label, Literal):
                    lang = (label.language or "").lower()
                    if lang not in item.labels or label.value < item.labels[lang]:
                        item.labels[lang] = label.value
            self.cache[key] = [found[k] for k in sorted(found)]
        return self.cache[key]

    def of(self, spec: PropertySpec, iri: str) -> list[_Value]:
        """The values of ``spec`` for the entity ``iri`` (an IRI from the index)."""
        return self._run(spec, "entity", NamedNode(iri), "value")

    def having(self, spec: PropertySpec, value_iri: str) -> list[str]:
        """The entities whose ``spec`` includes the value ``value_iri`` (an IRI from the index)."""
        return [v.term.value for v in self._run(spec, "value", NamedNode(value_iri), "entity") if isinstance(v.term, NamedNode)]


# --- validating input ---------------------------------------------------------------------


def _types(index: Index, raw: object) -> list[str] | None:
    if raw is None:
        return None
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, list) or not all(isinstance(t, str) for t in items):
        raise QueryError("type must be a type id or a list of type ids")
    out = []
    for item in items:
        short = curie(expand(item.strip()))
        if short not in index["types"]:
            raise QueryError(f"unknown type {item[:200]!r}; known: {', '.join(sorted(index['types']))}")
        out.append(short)
    return out or None


def _limit(raw: object, default: int = DEFAULT_LIMIT) -> int:
    if raw is None:
        return default
    if isinstance(raw, bool) or not isinstance(raw, int | float) or math.isnan(raw) or raw < 0:
        raise QueryError("limit must be a number of at least 0")
    return min(int(raw), MAX_LIMIT)


def _property_value(raw: object) -> str | int | float | bool | dict[str, str]:
    if isinstance(raw, str | int | float | bool):
        return raw
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        return {"id": raw["id"], **({"name": raw["name"]} if isinstance(raw.get("name"), str) else {})}
    raise QueryError("a property value is a string, a number, a boolean or an object with an id")


def _constraints(raw: object) -> list[tuple[PropertySpec, list[Any]]]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise QueryError("properties must be a list of {pid, v} objects")
    out = []
    for item in raw:
        if not isinstance(item, dict) or "pid" not in item or "v" not in item:
            raise QueryError("each property constraint needs a pid and a v")
        values = item["v"] if isinstance(item["v"], list) else [item["v"]]
        out.append((property_spec(item["pid"]), [_property_value(v) for v in values]))
    return out


# --- comparing values ---------------------------------------------------------------------


def _keys_of(value: _Value) -> set[str]:
    if value.keys is not None:
        return value.keys
    keys: set[str] = set()
    texts = [(value.term.value, value.term.language)] if isinstance(value.term, Literal) else []
    texts += [(label, lang) for lang, label in value.labels.items()]
    for text, lang in texts:
        keys.add(fold(text))
        keys |= variants(text, lang)
    keys.discard("")
    value.keys = keys
    return keys


def _value_score(index: Index, spec: PropertySpec, wanted: Any, value: _Value) -> float:
    term = value.term
    if isinstance(wanted, dict):
        found = entry_for(index, wanted["id"])
        target = found[1]["iri"] if found else expand(wanted["id"])
        return 100.0 if isinstance(term, NamedNode) and term.value == target else 0.0
    if isinstance(wanted, bool):
        return 100.0 if isinstance(term, Literal) and term.value == ("true" if wanted else "false") else 0.0
    if isinstance(wanted, int | float):
        if isinstance(term, Literal):
            try:
                return 100.0 if float(term.value) == float(wanted) else 0.0
            except ValueError:
                return 0.0
        return 0.0
    text = str(wanted)
    if isinstance(term, NamedNode):
        if spec.kind == "iri":
            ids = resolve_id(index, text)
            if text.strip() == term.value:
                return 100.0
            same = index.get("same_as", {}).get(term.value, [])
            return 100.0 if ids and set(ids) & set(same) else 0.0
        if term.value in {index["entities"][e]["iri"] for e in resolve_id(index, text)}:
            return 100.0
        found = entry_for(index, term.value)
        keys = set(found[1]["keys"]) if found else set()
        return text_score(text, keys | _keys_of(value))
    return text_score(text, _keys_of(value))


def _constraint_score(index: Index, values: _Values, iri: str, spec: PropertySpec, wanted: list[Any]) -> float:
    have = values.of(spec, iri)
    return max((_value_score(index, spec, w, v) for w in wanted for v in have), default=0.0)


def _resolve_values(index: Index, wanted: list[Any]) -> list[str]:
    """IRIs of the indexed entities a constraint's values name (by id, IRI or exact name)."""
    iris: set[str] = set()
    for w in wanted:
        if isinstance(w, dict):
            found = entry_for(index, w["id"])
            if found:
                iris.add(found[1]["iri"])
        elif isinstance(w, str):
            iris |= {c.iri for c in lookup(index, w)}
    return sorted(iris)


# --- reconciliation -----------------------------------------------------------------------


def _type_objects(index: Index, types: Iterable[str], language: str) -> list[dict[str, str]]:
    return [{"id": t, "name": type_name(index, t, language)} for t in types]


def _pool_without_name(
    index: Index, values: _Values, constraints: list[tuple[PropertySpec, list[Any]]], types: list[str] | None
) -> list[str]:
    """Candidate ids for a query with properties but no name: reverse look-ups, else a bounded scan."""
    base = index["entity_base"]
    found: set[str] | None = None
    for spec, wanted in constraints:
        if spec.kind != "entity":
            continue
        targets = _resolve_values(index, wanted)
        if not targets:
            continue
        having = {iri for target in targets for iri in values.having(spec, target)}
        ids = {iri.removeprefix(base) for iri in having}
        found = ids if found is None else found & ids
    if found is None:
        found = set(index["entities"])
    wanted_types = set(types or ())
    chosen = sorted(
        eid for eid in found if eid in index["entities"] and (not wanted_types or wanted_types & set(index["entities"][eid]["classes"]))
    )
    return chosen[:SCAN_LIMIT]


def _reconcile_one(index: Index, values: _Values, query: dict[str, Any], language: str) -> dict[str, Any]:
    unknown = sorted(set(query) - QUERY_KEYS)
    if unknown:
        raise QueryError(f"unknown query field(s): {', '.join(k[:50] for k in unknown)}")
    text = query.get("query", "")
    if not isinstance(text, str):
        raise QueryError("query must be a string")
    types = _types(index, query.get("type"))
    strict = query.get("type_strict", "any")
    if strict not in ("any", "should", "all"):
        raise QueryError("type_strict must be any, should or all")
    limit = _limit(query.get("limit"))
    constraints = _constraints(query.get("properties"))
    if not text.strip() and not constraints:
        return {"result": []}

    entities = index["entities"]
    name_scores: dict[str, Candidate] = {}
    if text.strip():
        for cand in search(index, text, types if strict != "should" else None, POOL_SIZE, language):
            name_scores[cand.id] = cand
        pool = list(name_scores)
    else:
        pool = _pool_without_name(index, values, constraints, types if strict != "should" else None)

    scored: list[tuple[float, str, list[dict[str, Any]]]] = []
    for eid in pool:
        entry = entities[eid]
        classes = set(entry["classes"])
        if types and strict == "all" and not set(types) <= classes:
            continue
        name = name_scores[eid].score if eid in name_scores else None
        features: list[dict[str, Any]] = []
        if name is not None:
            features += [{"id": "name", "value": name}, {"id": "name_exact", "value": name_scores[eid].exact}]
        property_scores = []
        for spec, wanted in constraints:
            s = _constraint_score(index, values, entry["iri"], spec, wanted)
            property_scores.append(s)
            features.append({"id": f"property:{spec.id}", "value": round(s, 1)})
        if any(s < PROPERTY_MIN for s in property_scores):
            continue
        if property_scores:
            mean = sum(property_scores) / len(property_scores)
            score = mean if name is None else 0.75 * name + 0.25 * mean
        else:
            score = name or 0.0
        if types and strict == "should" and not set(types) & classes:
            score *= 0.9
            features.append({"id": "type_match", "value": False})
        scored.append((round(score, 1), eid, features))

    scored.sort(key=lambda item: (-item[0], item[1]))
    unique = len(scored) == 1 or (len(scored) > 1 and scored[1][0] < AMBIGUOUS_SCORE)
    result = []
    for rank, (score, eid, features) in enumerate(scored[:limit]):
        entry = entities[eid]
        item: dict[str, Any] = {
            "id": eid,
            "name": display_label(entry, language),
            "score": score,
            "match": rank == 0 and score >= MATCH_SCORE and unique,
            "type": _type_objects(index, entry["types"], language),
            "features": features,
        }
        text_description = description(entry, language)
        if text_description:
            item["description"] = text_description
        result.append(item)
    return {"result": result}


def reconcile(
    index: Index,
    backend: Backend,
    queries: Mapping[str, Any],
    *,
    language: str = "en",
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> dict[str, Any]:
    """Answer a batch of reconciliation queries (``{"q0": {"query": ...}, ...}``) with their results."""
    if not isinstance(queries, Mapping):
        raise QueryError("queries must be an object mapping query ids to queries")
    if len(queries) > batch_size:
        raise BatchTooLarge(len(queries), batch_size)
    values = _Values(backend)
    out: dict[str, Any] = {}
    for key, query in queries.items():
        if not isinstance(key, str) or not isinstance(query, dict):
            raise QueryError("each query is an object under a string key")
        out[key] = _reconcile_one(index, values, query, language)
    return out


# --- manifest -----------------------------------------------------------------------------


def manifest(
    index: Index,
    base_url: str,
    *,
    paths: ServicePaths = ServicePaths(),
    batch_size: int = DEFAULT_BATCH_SIZE,
    name: str = SERVICE_NAME,
    language: str = "en",
) -> dict[str, Any]:
    """The service manifest (what a GET of the service without parameters answers)."""
    base_url = base_url.rstrip("/")
    return {
        "versions": VERSIONS,
        "name": name,
        "identifierSpace": index["entity_base"],
        "schemaSpace": index.get("schema", str(LWG)),
        "serviceVersion": __version__,
        "documentation": f"{base_url}/",
        "batchSize": batch_size,
        "defaultTypes": [{"id": t, "name": type_name(index, t, language)} for t in DEFAULT_TYPES if t in index["types"]],
        "view": {"url": f"{base_url}{paths.view}{{{{id}}}}"},
        "preview": {"url": f"{base_url}{paths.preview}?id={{{{id}}}}", "width": 400, "height": 160},
        "suggest": {
            "entity": {
                "service_url": base_url,
                "service_path": paths.suggest_entity,
                "flyout_service_path": f"{paths.flyout}?id=${{id}}",
            },
            "type": {"service_url": base_url, "service_path": paths.suggest_type},
            "property": {"service_url": base_url, "service_path": paths.suggest_property},
        },
        "extend": {
            "propose_properties": {"service_url": base_url, "service_path": paths.propose_properties},
            "property_settings": [
                {
                    "name": "limit",
                    "label": "Limit",
                    "type": "number",
                    "default": 0,
                    "help_text": "The most values to fetch per entity (0: all)",
                }
            ],
        },
    }


# --- suggest, preview, flyout -------------------------------------------------------------


def suggest_entities(
    index: Index, prefix: str, *, types: Iterable[str] | None = None, limit: int = DEFAULT_LIMIT, cursor: int = 0, language: str = "en"
) -> dict[str, Any]:
    """Autocomplete for entities: ``{"result": [{id, name, description, notable}]}``."""
    if not isinstance(prefix, str):
        raise QueryError("prefix must be a string")
    wanted = _types(index, list(types)) if types is not None else None
    limit = _limit(limit)
    cursor = _limit(cursor, 0) if cursor else 0
    found = suggest(index, prefix, wanted, limit + cursor, language)[cursor:]
    return {
        "result": [
            {"id": c.id, "name": c.name, "description": c.description, "notable": _type_objects(index, c.types, language)}
            for c in found
        ]
    }


def _type_object(index: Index, type_id: str, language: str, seen: frozenset[str] = frozenset()) -> dict[str, Any]:
    entry = index["types"][type_id]
    out: dict[str, Any] = {"id": type_id, "name": type_name(index, type_id, language), "description": entry["iri"]}
    broader = [b for b in entry.get("broader", ()) if b in index["types"] and b not in seen]
    if broader:
        out["broader"] = [_type_object(index, b, language, seen | {type_id}) for b in broader]
    return out


def _prefix_score(prefix: str, names: Iterable[str]) -> float:
    folded = fold(prefix)
    if not folded:
        return 1.0
    best = 0.0
    for name in names:
        key = fold(name)
        if key == folded:
            best = max(best, 3.0)
        elif key.startswith(folded):
            best = max(best, 2.0)
        elif any(token.startswith(folded) for token in key.split()):
            best = max(best, 1.0)
    return best


def suggest_types(index: Index, prefix: str, *, limit: int = DEFAULT_LIMIT, language: str = "en") -> dict[str, Any]:
    """Autocomplete for types, matched on their names in every language and their ids."""
    if not isinstance(prefix, str):
        raise QueryError("prefix must be a string")
    ranked = []
    for type_id, entry in index["types"].items():
        score = _prefix_score(prefix, [*entry["names"].values(), type_id.split(":")[-1]])
        if score:
            ranked.append((-score, type_id))
    return {"result": [_type_object(index, t, language) for _s, t in sorted(ranked)[: _limit(limit)]]}


def _ancestors(index: Index, type_id: str) -> set[str]:
    seen: set[str] = set()
    todo = [type_id]
    while todo:
        for parent in index["types"].get(todo.pop(), {}).get("broader", ()):
            if parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return seen


def _applies(index: Index, spec: PropertySpec, type_id: str | None) -> bool:
    if type_id is None or not spec.domain:
        return True
    lineage = _ancestors(index, type_id) | {type_id}
    return any(d in lineage or type_id in _ancestors(index, d) for d in spec.domain)


def _property_object(spec: PropertySpec) -> dict[str, str]:
    return {"id": spec.id, "name": spec.name, "description": spec.description}


def suggest_properties(
    index: Index, prefix: str, *, type: str | None = None, limit: int = DEFAULT_LIMIT, language: str = "en"
) -> dict[str, Any]:
    """Autocomplete for properties (optionally those that apply to a type)."""
    if not isinstance(prefix, str):
        raise QueryError("prefix must be a string")
    type_id = _types(index, type)[0] if type else None  # type: ignore[index]
    ranked = []
    for position, spec in enumerate(PROPERTIES):
        if not _applies(index, spec, type_id):
            continue
        score = _prefix_score(prefix, [spec.name, spec.id, spec.id.split(":")[-1], *spec.aliases])
        if score:
            ranked.append((-score, position, spec))
    return {"result": [_property_object(spec) for _s, _p, spec in sorted(ranked, key=lambda r: r[:2])[: _limit(limit)]]}


def propose_properties(index: Index, type: str | None = None, *, limit: int | None = None, language: str = "en") -> dict[str, Any]:
    """Properties worth fetching for entities of ``type`` (data extension)."""
    type_id = _types(index, type)[0] if type else None  # type: ignore[index]
    chosen = [_property_object(spec) for spec in PROPERTIES if _applies(index, spec, type_id)]
    out: dict[str, Any] = {"properties": chosen[: _limit(limit, len(chosen))] if limit is not None else chosen}
    if type is not None:
        out["type"] = type
    if limit is not None:
        out["limit"] = _limit(limit)
    return out


def _entry(index: Index, entity: object) -> tuple[str, dict[str, Any]]:
    found = entry_for(index, entity) if isinstance(entity, str) else None
    if found is None:
        raise UnknownEntity(f"no entity {str(entity)[:200]!r}")
    return found


def preview_data(index: Index, entity: str, language: str = "en") -> dict[str, Any]:
    """What a preview shows: id, IRI, name, description, types and the labels in other languages."""
    eid, entry = _entry(index, entity)
    return {
        "id": eid,
        "iri": entry["iri"],
        "name": display_label(entry, language),
        "description": description(entry, language),
        "types": _type_objects(index, entry["types"], language),
        "labels": dict(entry["labels"]),
    }


def preview(index: Index, entity: str, language: str = "en") -> str:
    """An HTML preview of the entity (for the manifest's preview URL); every value escaped."""
    data = preview_data(index, entity, language)
    e = html.escape
    others = "".join(
        f'<li lang="{e(tag)}">{e(label)}</li>' for tag, label in sorted(data["labels"].items()) if label != data["name"]
    )
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>'
        f"{e(data['name'])}</title></head>"
        '<body style="font-family: sans-serif; font-size: 0.85em; margin: 0.5em">'
        f'<h1 style="font-size: 1.2em; margin: 0"><a href="{e(data["iri"])}" target="_blank">{e(data["name"])}</a></h1>'
        f"<p>{e(data['description'])}</p>"
        + (f'<ul style="margin: 0; padding-left: 1.2em">{others}</ul>' if others else "")
        + f'<p style="color: #555"><code>{e(data["iri"])}</code></p></body></html>\n'
    )


def flyout(index: Index, entity: str, language: str = "en") -> dict[str, str]:
    """The suggest flyout: a short HTML fragment for an entity."""
    data = preview_data(index, entity, language)
    e = html.escape
    return {"id": data["id"], "html": f"<p><strong>{e(data['name'])}</strong><br>{e(data['description'])}</p>"}


# --- data extension -----------------------------------------------------------------------

_INTEGERS = {XSD[t].value for t in ("integer", "int", "long", "short", "positiveInteger", "nonNegativeInteger")}
_FLOATS = {XSD.decimal.value, XSD.double.value, XSD.float.value}
_DATE = re.compile(r"^-?\d{4,}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")


def _cell(index: Index, spec: PropertySpec, value: _Value, language: str) -> dict[str, Any]:
    term = value.term
    if isinstance(term, NamedNode):
        base = index["entity_base"]
        if spec.kind == "entity" and term.value.startswith(base):
            found = entry_for(index, term.value)
            name = display_label(found[1], language) if found else _label(value.labels, language) or term.value
            return {"id": term.value[len(base):], "name": name}
        if spec.kind == "entity":
            return {"str": _label(value.labels, language) or curie(term.value)}
        return {"str": term.value}
    datatype = term.datatype.value
    try:
        if datatype in _INTEGERS:
            return {"int": int(term.value)}
        if datatype in _FLOATS:
            return {"float": float(term.value)}
    except ValueError:
        return {"str": term.value}
    if datatype == XSD.date.value and _DATE.match(term.value):
        return {"date": f"{term.value}T00:00:00Z"}
    if datatype == XSD.dateTime.value and _DATETIME.match(term.value):
        return {"date": term.value}
    return {"str": term.value}


def _label(labels: dict[str, str], language: str) -> str | None:
    for tag in (language.lower(), "en"):
        if tag in labels:
            return labels[tag]
    return labels[min(labels)] if labels else None


def _sort_key(value: _Value, language: str) -> tuple[int, str, str]:
    term = value.term
    lang = (term.language or "") if isinstance(term, Literal) else ""
    return (0 if lang.lower() in ("", language.lower()) else 1, lang, term.value)


def extend(
    index: Index,
    backend: Backend,
    ids: object,
    properties: object,
    *,
    language: str = "en",
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> dict[str, Any]:
    """Data extension: the values of ``properties`` for each entity of ``ids`` (unknown ids get empty rows)."""
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise QueryError("ids must be a list of entity ids")
    if len(ids) > batch_size:
        raise BatchTooLarge(len(ids), batch_size)
    if not isinstance(properties, list) or not properties:
        raise QueryError("properties must be a non-empty list")
    wanted: list[tuple[str, PropertySpec, int]] = []
    for item in properties:
        raw = item if isinstance(item, dict) else {"id": item}
        settings = raw.get("settings") or {}
        if not isinstance(settings, dict):
            raise QueryError("property settings must be an object")
        wanted.append((str(raw.get("id")), property_spec(raw.get("id")), _limit(settings.get("limit"), 0)))
    values = _Values(backend)
    rows: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for eid in ids:
        found = entry_for(index, eid)
        row: dict[str, list[dict[str, Any]]] = {}
        for pid, spec, most in wanted:
            if found is None:
                row[pid] = []
                continue
            have = sorted(values.of(spec, found[1]["iri"]), key=lambda v: _sort_key(v, language))
            cells = list(dict.fromkeys(_freeze(_cell(index, spec, v, language)) for v in have))
            row[pid] = [dict(c) for c in (cells[:most] if most else cells)]
        rows[eid] = row
    meta = []
    for pid, spec, _most in wanted:
        column: dict[str, Any] = {"id": pid, "name": spec.name}
        if spec.value_type and spec.value_type in index["types"]:
            column["type"] = {"id": spec.value_type, "name": type_name(index, spec.value_type, language)}
        meta.append(column)
    return {"meta": meta, "rows": rows}


def _freeze(cell: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted(cell.items()))


__all__ = [
    "PROPERTIES",
    "BatchTooLarge",
    "PropertySpec",
    "ServicePaths",
    "UnknownEntity",
    "extend",
    "flyout",
    "manifest",
    "preview",
    "preview_data",
    "propose_properties",
    "reconcile",
    "suggest_entities",
    "suggest_properties",
    "suggest_types",
]
