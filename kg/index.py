"""The name index: every findable entity with the folded forms of its names, built at release time.

Reconciliation, label lookup and autocomplete match names against this index only;
no request scans the graph. The index is computed from the release's store
(:func:`build_index`), written beside it as JSON (:func:`write_index`, deterministic:
equal stores give equal bytes) and read back by the server (:func:`load_index`).

It holds, for every person, organisation, congress, series, place and topic: its
IRI and id (the IRI's path under the entity base, ``person/gulzhan-irzhanova``),
its ontology types, a display label and a short description per language, its
outside identifiers (owl:sameAs, skos:exactMatch), and its folded keys, each with
a weight: a preferred label (skos:prefLabel, rdfs:label, foaf:name,
madsrdf:authoritativeLabel) weighs 100, another name (skos:altLabel, hidden and
variant labels, schema:alternateName, the labels of its dated names, and the
ALA-LC forms the build adds as altLabels) 95, a form derived by
:func:`kg.names.variants` (romanizations, inverted names, initials) 90.

Scores (:func:`search`), from 0 to 100:

- an identifier (the entity's IRI or id, or an outside IRI it is the same as): 100;
- the folded query equals a key: the key's weight (100, 95 or 90);
- otherwise token matching against each key, at most :data:`TOKEN_MAX` (85) times
  the key's weight / 100. Each query token is paired with one key token: equal 1.0;
  an initial in the query against a name 0.9 ("Irzhanova G."); a name against an
  initial in the key 0.6; one letter off in a word of five letters or more 0.8; a
  truncated word of three letters or more 0.7. The score is
  ``TOKEN_MAX * q * (0.5 + 0.5 * k) * weight / 100``, where ``q`` is the mean credit
  per query token and ``k`` the share of the key's tokens used; under half the
  query covered scores 0. An entity's score is its best key's; results under
  :data:`MIN_SCORE` (30) are left out.

So an exact preferred name always outranks any other name, another name any derived
form, and a derived form any partial match. :func:`suggest` (autocomplete) also
ranks a key that starts with the whole folded prefix (at most :data:`PREFIX_MAX`,
88, still below an exact derived form) and gives the last, unfinished query token
0.95 for any key token it begins. Ties are broken by id, so results are deterministic.
"""

from __future__ import annotations

import bisect
import json
import os
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

from pyoxigraph import Literal as RdfLiteral
from pyoxigraph import QuerySolutions, Store

from .errors import InputError, NoRelease, QueryError
from .names import fold, variants
from .namespaces import LWG, PREFIXES
from .queries import run

#: The name of the index file in a release folder.
INDEX_FILE = "name-index.json"
#: The format tag written into every index; :func:`load_index` refuses any other.
FORMAT = "lwg-name-index/1"

WEIGHT_PREF = 100
WEIGHT_ALT = 95
WEIGHT_VARIANT = 90
TOKEN_MAX = 85.0
PREFIX_MAX = 88.0
#: Search results below this score are left out.
MIN_SCORE = 30.0
#: Languages a display label and description are prepared in (others fall back).
DISPLAY_LANGUAGES = ("en", "kk", "ru")

#: The classes whose members (and members of their subclasses) are indexed.
INDEXED_CLASSES = ("Person", "Organisation", "Congress", "CongressSeries", "Place", "Topic")

_PREFIX = f"""PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX lwg: <{LWG}>
PREFIX madsrdf: <http://www.loc.gov/mads/rdf/v1#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
_ROOTS = "VALUES ?root { " + " ".join(f"lwg:{name}" for name in INDEXED_CLASSES) + " }"
_INDEXED = f"?entity a/rdfs:subClassOf* ?root . {_ROOTS} FILTER(isIRI(?entity))"

#: Every indexed entity with each of its ontology classes, direct (?type) and inherited (?class).
ENTITIES_QUERY = _PREFIX + f"""
SELECT DISTINCT ?entity ?type ?class WHERE {{
  {_INDEXED}
  ?entity a ?type . ?type rdfs:subClassOf* ?class .
  FILTER(STRSTARTS(STR(?type), STR(lwg:)) && STRSTARTS(STR(?class), STR(lwg:)))
}}
"""

#: Every name of every indexed entity, with its kind (pref, alt).
LABELS_QUERY = _PREFIX + f"""
SELECT DISTINCT ?entity ?kind ?label WHERE {{
  {_INDEXED}
  {{ ?entity skos:prefLabel|rdfs:label|foaf:name|madsrdf:authoritativeLabel ?label BIND("pref" AS ?kind) }}
  UNION
  {{ ?entity skos:altLabel|skos:hiddenLabel|madsrdf:variantLabel|schema:alternateName ?label BIND("alt" AS ?kind) }}
  UNION
  {{ ?entity lwg:datedName/(skos:prefLabel|skos:altLabel|rdfs:label) ?label BIND("alt" AS ?kind) }}
  FILTER(isLiteral(?label))
}}
"""

#: Given and family names of people, paired by language tag.
PERSON_NAMES_QUERY = _PREFIX + """
SELECT DISTINCT ?entity ?given ?family WHERE {
  ?entity a lwg:Person ; foaf:givenName ?given ; foaf:familyName ?family .
  FILTER(LANG(?given) = LANG(?family))
}
"""

#: Outside identifiers of indexed entities.
SAME_AS_QUERY = _PREFIX + f"""
SELECT DISTINCT ?entity ?same WHERE {{
  {_INDEXED}
  ?entity owl:sameAs|skos:exactMatch ?same . FILTER(isIRI(?same))
}}
"""

#: The ontology's classes: labels and direct superclasses in the ontology.
CLASSES_QUERY = _PREFIX + """
SELECT DISTINCT ?class ?label ?super WHERE {
  ?class a owl:Class ; rdfs:label ?label .
  FILTER(STRSTARTS(STR(?class), STR(lwg:)))
  OPTIONAL { ?class rdfs:subClassOf ?super FILTER(STRSTARTS(STR(?super), STR(lwg:))) }
}
"""

#: What a description says besides the type: posts held (role at organisation) and where or of what.
CONTEXT_QUERY = _PREFIX + f"""
SELECT DISTINCT ?entity ?kind ?role ?other WHERE {{
  {_INDEXED}
  {{ ?post org:member ?entity ; org:role ?role ; org:organization ?other . BIND("post" AS ?kind) }}
  UNION {{ ?entity lwg:unitOf ?other BIND("of" AS ?kind) }}
  UNION {{ ?entity lwg:basedIn|lwg:hostCity|schema:containedInPlace ?other BIND("in" AS ?kind) }}
}}
"""

#: Preferred labels of everything, to word descriptions.
PREF_LABELS_QUERY = _PREFIX + """
SELECT DISTINCT ?thing ?label WHERE { ?thing skos:prefLabel ?label . FILTER(isIRI(?thing) && isLiteral(?label)) }
"""

Index = dict[str, Any]
Mode = Literal["search", "suggest"]


class _Queryable(Protocol):
    def query(self, text: str) -> Any: ...


# --- identifiers -------------------------------------------------------------------


def curie(iri: str) -> str:
    """The IRI shortened with the project's prefixes (``lwg:Person``), or the IRI itself."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def expand(term: str) -> str:
    """A CURIE with a known prefix, a bare ontology term (``Person``) or an IRI, as an IRI."""
    if "://" in term:
        return term
    prefix, sep, local = term.partition(":")
    if sep and prefix in PREFIXES:
        return PREFIXES[prefix] + local
    return f"{LWG}{term}"


def entity_id(iri: str, entity_base: str) -> str:
    """An entity's id: the path of its IRI under the entity base (the full IRI elsewhere)."""
    return iri[len(entity_base):] if iri.startswith(entity_base) and len(iri) > len(entity_base) else iri


# --- building ----------------------------------------------------------------------


def _rows(source: Store | _Queryable, text: str) -> Iterator[Any]:
    results = run(source, text) if isinstance(source, Store) else source.query(text)
    if not isinstance(results, QuerySolutions):
        raise QueryError("the index queries must give solutions")
    yield from results


def _language(term: object) -> str:
    return (term.language or "").lower() if isinstance(term, RdfLiteral) else ""


def _pick(labels: dict[str, str], language: str) -> str | None:
    """The label in ``language`` (or its primary subtag), else English, else the first by tag."""
    language = language.lower()
    for tag in (language, language.split("-")[0], "en"):
        if tag in labels:
            return labels[tag]
    plain = sorted(tag for tag in labels if "-" not in tag)
    return labels[(plain or sorted(labels))[0]] if labels else None


def build_index(store: Store | _Queryable, base: str) -> Index:
    """The index of a release's store (a pyoxigraph Store or a Backend), for the dataset ``base``."""
    entity_base = f"{base}id/"
    entities: dict[str, dict[str, Any]] = {}
    direct: dict[str, set[str]] = defaultdict(set)
    classes: dict[str, set[str]] = defaultdict(set)
    for row in _rows(store, ENTITIES_QUERY):
        iri = row["entity"].value
        direct[iri].add(row["type"].value)
        classes[iri].add(row["class"].value)

    class_labels: dict[str, dict[str, str]] = defaultdict(dict)
    supers: dict[str, set[str]] = defaultdict(set)
    for row in _rows(store, CLASSES_QUERY):
        cls = row["class"].value
        lang = _language(row["label"])
        if lang not in class_labels[cls] or row["label"].value < class_labels[cls][lang]:
            class_labels[cls][lang] = row["label"].value
        if row["super"] is not None:
            supers[cls].add(row["super"].value)

    labels: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for row in _rows(store, LABELS_QUERY):
        labels[row["entity"].value].append((row["kind"].value, row["label"].value, _language(row["label"])))
    person_names: dict[str, dict[str, list[tuple[str, str]]]] = defaultdict(lambda: defaultdict(list))
    for row in _rows(store, PERSON_NAMES_QUERY):
        person_names[row["entity"].value][_language(row["given"])].append((row["given"].value, row["family"].value))
    same_as: dict[str, set[str]] = defaultdict(set)
    for row in _rows(store, SAME_AS_QUERY):
        same_as[row["entity"].value].add(row["same"].value)
    pref: dict[str, dict[str, str]] = defaultdict(dict)
    for row in _rows(store, PREF_LABELS_QUERY):
        lang, thing = _language(row["label"]), row["thing"].value
        if lang not in pref[thing] or row["label"].value < pref[thing][lang]:
            pref[thing][lang] = row["label"].value
    context: dict[str, list[tuple[str, str | None, str]]] = defaultdict(list)
    for row in _rows(store, CONTEXT_QUERY):
        role = row["role"].value if row["role"] is not None else None
        context[row["entity"].value].append((row["kind"].value, role, row["other"].value))

    for iri in sorted(direct):
        specific = {t for t in direct[iri] if not any(t != o and t in _ancestors(o, supers) for o in direct[iri])}
        entry: dict[str, Any] = {
            "iri": iri,
            "types": sorted(curie(t) for t in specific),
            "classes": sorted(curie(c) for c in classes[iri]),
            "labels": _display_labels(labels[iri]),
            "keys": _keys(labels[iri], person_names.get(iri, {})),
            "same_as": sorted(same_as[iri]),
        }
        entry["descriptions"] = {
            lang: _describe(sorted(specific), context[iri], class_labels, pref, lang) for lang in DISPLAY_LANGUAGES
        }
        entities[entity_id(iri, entity_base)] = entry

    used_classes = {c for entry in entities.values() for c in entry["classes"]}
    types = {
        curie(cls): {
            "iri": cls,
            "names": dict(sorted(class_labels[cls].items())),
            "broader": sorted(curie(s) for s in supers.get(cls, ())),
        }
        for cls in sorted(class_labels)
        if curie(cls) in used_classes
    }
    index: Index = {
        "format": FORMAT,
        "base": base,
        "entity_base": entity_base,
        "schema": str(LWG),
        "types": types,
        "entities": entities,
    }
    return refresh(index)


def _ancestors(cls: str, supers: dict[str, set[str]]) -> set[str]:
    seen: set[str] = set()
    todo = [cls]
    while todo:
        for parent in supers.get(todo.pop(), ()):
            if parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return seen


def _display_labels(labels: list[tuple[str, str, str]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for wanted in ("pref", "alt"):
        for kind, label, lang in sorted(labels):
            if kind == wanted and lang not in out:
                out[lang] = label
        if out:
            break
    return dict(sorted(out.items()))


def _keys(labels: list[tuple[str, str, str]], names: dict[str, list[tuple[str, str]]]) -> dict[str, int]:
    keys: dict[str, int] = {}

    def put(key: str, weight: int) -> None:
        if key and keys.get(key, 0) < weight:
            keys[key] = weight

    for kind, label, lang in sorted(labels):
        put(fold(label), WEIGHT_PREF if kind == "pref" else WEIGHT_ALT)
        pairs: list[tuple[str | None, str | None]] = list(names.get(lang, [])) or [(None, None)]
        for given, family in pairs:
            for key in variants(label, lang, given=given, family=family):
                put(key, WEIGHT_VARIANT)
    for lang, named in sorted(names.items()):
        for first, last in sorted(named):
            for key in variants(f"{first} {last}", lang, given=first, family=last):
                put(key, WEIGHT_VARIANT)
    return dict(sorted(keys.items()))


def _describe(
    types: list[str],
    context: list[tuple[str, str | None, str]],
    class_labels: dict[str, dict[str, str]],
    pref: dict[str, dict[str, str]],
    lang: str,
) -> str:
    """'Person · director, Library and Information Center of Dulaty University; ...'."""
    kind = ", ".join(_pick(class_labels.get(t, {}), lang) or curie(t).split(":")[-1] for t in types)
    parts: list[str] = []
    for what, role, other in sorted(context):
        other_label = _pick(pref.get(other, {}), lang) or other
        if what == "post" and role is not None:
            parts.append(f"{_pick(pref.get(role, {}), lang) or curie(role)}, {other_label}")
        else:
            parts.append(other_label)
    parts = list(dict.fromkeys(parts))
    return f"{kind} · {'; '.join(parts)}" if parts else kind


def refresh(index: Index) -> Index:
    """Recompute the lookup tables (``keys``: folded key to entities; ``tokens``) from ``entities``."""
    by_key: dict[str, list[tuple[int, str]]] = defaultdict(list)
    by_token: dict[str, set[str]] = defaultdict(set)
    same: dict[str, set[str]] = defaultdict(set)
    for eid, entry in index["entities"].items():
        for key, weight in entry["keys"].items():
            by_key[key].append((weight, eid))
            for token in key.split():
                by_token[token].add(eid)
        for outside in entry.get("same_as", ()):
            same[outside].add(eid)
    index["keys"] = {key: [[eid, w] for w, eid in sorted(hits, key=lambda h: (-h[0], h[1]))] for key, hits in sorted(by_key.items())}
    index["tokens"] = {token: sorted(ids) for token, ids in sorted(by_token.items())}
    index["same_as"] = {outside: sorted(ids) for outside, ids in sorted(same.items())}
    return index


# --- files -------------------------------------------------------------------------


def dumps(index: Index) -> bytes:
    """The index as canonical JSON bytes (sorted keys, UTF-8, one line)."""
    public = {k: v for k, v in index.items() if not k.startswith("_")}
    return (json.dumps(public, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n").encode("utf-8")


def write_index(index: Index, path: Path) -> Path:
    """Write the index to ``path`` atomically (a temporary file renamed into place)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.write_bytes(dumps(index))
    os.replace(temporary, path)
    return path


def load_index(path: Path) -> Index:
    """Read an index written by :func:`write_index`."""
    try:
        index = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise NoRelease(f"no name index at {path}: rebuild the release") from exc
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: unreadable name index: {exc}") from exc
    if not isinstance(index, dict) or index.get("format") != FORMAT:
        raise InputError(f"{path}: not a name index of format {FORMAT}")
    return index


def write_release_index(store: Store, folder: Path, base: str) -> Path:
    """Build the index of a release's store and write it into the release folder."""
    return write_index(build_index(store, base), folder / INDEX_FILE)


# --- matching ----------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """One entity found for a text, with its score and what matched."""

    id: str
    iri: str
    name: str
    score: float
    types: tuple[str, ...]
    description: str
    matched: str
    how: str  # "id", "exact", "prefix" or "tokens"
    weight: int

    @property
    def exact(self) -> bool:
        return self.how in ("id", "exact")


def display_label(entry: dict[str, Any], language: str = "en") -> str:
    """The entity's label in ``language`` (falling back to English, then any), or its IRI."""
    return _pick(entry.get("labels", {}), language) or entry["iri"]


def description(entry: dict[str, Any], language: str = "en") -> str:
    return _pick(entry.get("descriptions", {}), language) or ""


def _candidate(index: Index, eid: str, score: float, matched: str, how: str, weight: int, language: str) -> Candidate:
    entry = index["entities"][eid]
    return Candidate(
        id=eid,
        iri=entry["iri"],
        name=display_label(entry, language),
        score=round(score, 1),
        types=tuple(entry["types"]),
        description=description(entry, language),
        matched=matched,
        how=how,
        weight=weight,
    )


def resolve_id(index: Index, text: str) -> list[str]:
    """The entities ``text`` identifies: an id, an entity IRI, or an outside IRI (or Wikidata QID) they are the same as."""
    text = text.strip()
    if not text or any(c.isspace() for c in text):
        return []
    entities = index["entities"]
    base = index["entity_base"]
    if text in entities:
        return [text]
    if text.startswith(base) and text[len(base):] in entities:
        return [text[len(base):]]
    if text[:1] in "Qq" and text[1:].isdigit():
        text = f"http://www.wikidata.org/entity/Q{text[1:]}"
    found: list[str] = index.get("same_as", {}).get(text, [])
    if not found and text.startswith("https://www.wikidata.org/entity/"):
        found = index.get("same_as", {}).get("http" + text[5:], [])
    return list(found)


def _type_filter(index: Index, types: Iterable[str] | None) -> set[str] | None:
    if types is None:
        return None
    wanted = {curie(expand(t)) for t in types}
    return wanted or None


def _has_type(entry: dict[str, Any], wanted: set[str] | None) -> bool:
    return wanted is None or bool(wanted & set(entry["classes"]))


def _one_edit(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ by one insertion, deletion or substitution (or not at all)."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1:] == b[i + 1:]
    return a[i:] == b[i + 1:]


def _credit(q: str, k: str, open_end: bool) -> float:
    if q == k:
        return 1.0
    if open_end and k.startswith(q):
        return 0.95
    if len(q) == 1 and k.startswith(q):
        return 0.9
    if len(k) == 1 and q.startswith(k):
        return 0.6
    if len(q) >= 5 and _one_edit(q, k):
        return 0.8
    if len(q) >= 3 and k.startswith(q):
        return 0.7
    return 0.0


def token_score(query_tokens: list[str], key: str, weight: int = WEIGHT_PREF, open_end: bool = False) -> float:
    """The token-matching score of a key (see the module's documentation), 0 if under half is covered."""
    key_tokens = key.split()
    if not query_tokens or not key_tokens:
        return 0.0
    used = [False] * len(key_tokens)
    credit = 0.0
    matched = 0
    for i, q in enumerate(query_tokens):
        last = open_end and i == len(query_tokens) - 1
        best, best_j = 0.0, -1
        for j, k in enumerate(key_tokens):
            if not used[j]:
                c = _credit(q, k, last)
                if c > best:
                    best, best_j = c, j
        if best_j >= 0:
            used[best_j] = True
            credit += best
            matched += 1
    q_cover = credit / len(query_tokens)
    if q_cover < 0.5:
        return 0.0
    return TOKEN_MAX * q_cover * (0.5 + 0.5 * matched / len(key_tokens)) * weight / 100


def text_score(text: str, keys: dict[str, int] | Iterable[str]) -> float:
    """How well ``text`` matches any of ``keys`` (folded keys, with weights or all 100): 0 to 100."""
    weighted = keys if isinstance(keys, dict) else {k: WEIGHT_PREF for k in keys}
    folded = fold(text)
    if not folded:
        return 0.0
    if folded in weighted:
        return float(weighted[folded])
    tokens = folded.split()
    return max((token_score(tokens, k, w) for k, w in weighted.items()), default=0.0)


def _gather(index: Index, tokens: list[str], open_end: bool) -> set[str]:
    """Entities sharing a token with the query (equal, begun by it, or one letter off)."""
    table: dict[str, list[str]] = index["tokens"]
    vocabulary = sorted(table)
    found: set[str] = set()
    for i, q in enumerate(tokens):
        last = open_end and i == len(tokens) - 1
        found.update(table.get(q, ()))
        if last or len(q) >= 3 or len(tokens) == 1:
            start = bisect.bisect_left(vocabulary, q)
            for token in vocabulary[start:]:
                if not token.startswith(q):
                    break
                found.update(table[token])
        if len(q) >= 5:
            for token in vocabulary:
                if abs(len(token) - len(q)) <= 1 and _one_edit(q, token):
                    found.update(table[token])
    return found


def _score_entity(entry: dict[str, Any], folded: str, tokens: list[str], mode: Mode) -> tuple[float, str, str, int]:
    """(score, matched key, how, weight) of the entity's best key."""
    keys: dict[str, int] = entry["keys"]
    if folded in keys:
        return float(keys[folded]), folded, "exact", keys[folded]
    best: tuple[float, str, str, int] = (0.0, "", "tokens", 0)
    for key, weight in sorted(keys.items()):
        score = token_score(tokens, key, weight, open_end=mode == "suggest")
        how = "tokens"
        if mode == "suggest" and key.startswith(folded):
            prefix = PREFIX_MAX * (0.6 + 0.4 * len(folded) / len(key)) * weight / 100
            if prefix > score:
                score, how = prefix, "prefix"
        if score > best[0]:
            best = (score, key, how, weight)
    return best


def _identified(index: Index, text: str, wanted: set[str] | None, language: str) -> dict[str, Candidate]:
    """The entities ``text`` identifies (an IRI, an id, an outside identifier), of the wanted types, at 100."""
    entities = index["entities"]
    return {
        eid: _candidate(index, eid, 100.0, text.strip(), "id", WEIGHT_PREF, language)
        for eid in resolve_id(index, text)
        if _has_type(entities[eid], wanted)
    }


def _match(index: Index, text: str, types: Iterable[str] | None, limit: int, language: str, mode: Mode) -> list[Candidate]:
    wanted = _type_filter(index, types)
    entities = index["entities"]
    results = _identified(index, text, wanted, language)
    folded = fold(text)
    if folded:
        tokens = folded.split()
        pool = {eid for eid, _w in index["keys"].get(folded, ())} | _gather(index, tokens, mode == "suggest")
        for eid in sorted(pool - set(results)):
            entry = entities.get(eid)
            if entry is None or not _has_type(entry, wanted):
                continue
            score, key, how, weight = _score_entity(entry, folded, tokens, mode)
            if score >= MIN_SCORE:
                results[eid] = _candidate(index, eid, score, key, how, weight, language)
    ranked = sorted(results.values(), key=lambda c: (-c.score, c.id))
    return ranked[: max(0, limit)]


def search(index: Index, text: str, types: Iterable[str] | None = None, limit: int = 10, language: str = "en") -> list[Candidate]:
    """The entities whose names match ``text``, best first (types as CURIEs or IRIs; any of them)."""
    return _match(index, text, types, limit, language, "search")


def suggest(index: Index, prefix: str, types: Iterable[str] | None = None, limit: int = 10, language: str = "en") -> list[Candidate]:
    """Autocomplete: entities whose names begin with ``prefix`` (or whose words do), best first."""
    return _match(index, prefix, types, limit, language, "suggest")


def lookup(index: Index, text: str, types: Iterable[str] | None = None, language: str = "en") -> list[Candidate]:
    """The entities one of whose names *is* ``text`` (folded), or that ``text`` identifies: for label lookup.

    One result means a redirect, several a choice, none a 404. Ordered by weight, then id.
    """
    wanted = _type_filter(index, types)
    entities = index["entities"]
    found = _identified(index, text, wanted, language)
    folded = fold(text)
    for eid, weight in index["keys"].get(folded, ()) if folded else ():
        if eid not in found and eid in entities and _has_type(entities[eid], wanted):
            found[eid] = _candidate(index, eid, float(weight), folded, "exact", weight, language)
    return sorted(found.values(), key=lambda c: (-c.score, c.id))


def type_name(index: Index, type_id: str, language: str = "en") -> str:
    """A type's label in ``language``, or its local name."""
    entry = index["types"].get(curie(expand(type_id)))
    return (_pick(entry["names"], language) if entry else None) or curie(expand(type_id)).split(":")[-1].split("#")[-1]


def entry_for(index: Index, text: str) -> tuple[str, dict[str, Any]] | None:
    """The (id, entry) of the entity with this id or IRI, or None."""
    if not isinstance(text, str):
        return None
    found = [eid for eid in resolve_id(index, text) if eid in index["entities"] and (eid == text or index["entities"][eid]["iri"] == text)]
    return (found[0], index["entities"][found[0]]) if found else None

