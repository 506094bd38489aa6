"""Validation of the data against the SHACL shapes (pyshacl) and the ontology's vocabulary.

The data is validated as one graph, the union of all named graphs, with the
ontology mixed in so that shapes targeting a class reach its subclasses. The
report names, for every finding, the files that describe the entity, the
entity, the shape and the message.

Large data is validated in parts, in worker processes, one part per set of focus
nodes: every shape here looks one step from its focus node (its statements, the
statements pointing at it for inverse paths, and the types of the nodes at the
other end for ``sh:class``), so a part holds exactly that for the nodes it owns,
plus the ontology, and keeps only the results about those nodes. The verdicts are
the same as one run over the whole graph (tests pin it on the real data and on
every shape's fixture); the time is divided by the number of cores, and each
process holds a part, not the whole graph, in rdflib's memory-hungry form.
"""

from __future__ import annotations

import os
import tempfile
import zlib
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

import pyshacl
import rdflib
from pyoxigraph import NamedNode, Quad, RdfFormat, Triple, serialize

from .namespaces import LWG, PREFIXES, RDF

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
VOCABULARY_CHECK = "vocabulary"

#: Above this many triples, validation runs in parts on every core (when there is more than one).
PARALLEL_FROM = 200_000
#: About how many triples each part holds; smaller parts keep each process smaller.
PART_SIZE = 150_000


@dataclass(frozen=True, order=True)
class Finding:
    """One thing wrong with the data."""

    files: tuple[str, ...]
    focus: str
    shape: str
    path: str
    severity: str
    message: str
    value: str = ""

    def describe(self) -> str:
        where = ", ".join(self.files) or "(no file)"
        path = f" {self.path}" if self.path else ""
        value = f" (value: {self.value})" if self.value else ""
        return f"{where}: {self.focus}{path}\n    {self.severity} [{self.shape}] {self.message}{value}"


@dataclass
class Report:
    """The outcome of a validation: conforming or not, with the findings and pyshacl's graph."""

    findings: list[Finding]
    graph: rdflib.Graph

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Violation"]

    @property
    def conforms(self) -> bool:
        return not self.violations

    def text(self) -> str:
        if not self.findings:
            return "Conforms: no violations, no warnings."
        lines = [f.describe() for f in sorted(self.findings, key=lambda f: (f.severity != "Violation", f))]
        counts = f"{len(self.violations)} violation(s), {len(self.findings) - len(self.violations)} warning(s)"
        verdict = "Conforms" if self.conforms else "Does not conform"
        return "\n".join([*lines, f"{verdict}: {counts}."])


def short(term: object, prefixes: dict[str, str] = PREFIXES) -> str:
    """A term in prefixed form where a prefix fits, else in angle brackets."""
    text = str(term)
    if isinstance(term, rdflib.Literal):
        return repr(text) if len(text) < 80 else repr(text[:77] + "...")
    for prefix, namespace in prefixes.items():
        if text.startswith(namespace) and text != namespace:
            return f"{prefix}:{text[len(namespace):]}"
    return f"<{text}>"


def to_rdflib(quads: Iterable[Quad]) -> rdflib.Graph:
    """The union of the quads' graphs as one rdflib graph (through N-Triples)."""
    triples = {q.triple for q in quads}
    graph = rdflib.Graph()
    graph.parse(data=serialize(triples, format=RdfFormat.N_TRIPLES), format="nt")
    return graph


def vocabulary_findings(data: Iterable[Quad], ontology: Iterable[Quad], origins: dict[str, set[str]]) -> list[Finding]:
    """Every ontology-namespace term the data uses as a property, class or value but the ontology never declares."""
    declared = {q.subject for q in ontology if q.predicate == RDF.type}
    namespace = str(LWG)
    findings: dict[tuple[str, str], Finding] = {}
    for q in data:
        if not isinstance(q.subject, NamedNode):
            continue
        for term in (q.predicate, q.object):
            if isinstance(term, NamedNode) and term.value.startswith(namespace) and term not in declared:
                key = (q.subject.value, term.value)
                findings.setdefault(
                    key,
                    Finding(
                        files=tuple(sorted(origins.get(q.subject.value, ()))),
                        focus=short(rdflib.URIRef(q.subject.value)),
                        shape=VOCABULARY_CHECK,
                        path=short(rdflib.URIRef(q.predicate.value)),
                        severity="Violation",
                        message=f"{short(rdflib.URIRef(term.value))} is not declared in the ontology: "
                        "correct the spelling or declare the term in ontology/lwg.ttl",
                    ),
                )
    return list(findings.values())


def shacl_findings(results: rdflib.Graph, origins: dict[str, set[str]]) -> list[Finding]:
    """pyshacl's results as findings."""
    findings = []
    for result in results.subjects(rdflib.RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        severity = results.value(result, SH.resultSeverity)
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
        findings.append(
            Finding(
                files=tuple(sorted(origins.get(str(focus), ()))),
                focus=short(focus),
                shape=short(results.value(result, SH.sourceShape), {"lwgsh": "https://w3id.org/lwg/shapes#", **PREFIXES}),
                path=short(path) if isinstance(path, rdflib.URIRef) else "",
                severity=str(severity).rsplit("#", 1)[-1],
                message=messages[0] if messages else "",
                value=short(value) if value is not None else "",
            )
        )
    return findings


def _pyshacl(graph: rdflib.Graph, shapes: rdflib.Graph) -> tuple[bool, rdflib.Graph]:
    """pyshacl over a graph that already holds the ontology, validated in place (no copy)."""
    conforms, results, _text = pyshacl.validate(
        graph, shacl_graph=shapes, inference="none", allow_warnings=True, allow_infos=True, inplace=True
    )
    return bool(conforms), results


def _part_of(iri: str, parts: int) -> int:
    return zlib.crc32(iri.encode("utf-8")) % parts


def partitions(quads: Iterable[Quad] | Iterable[Triple], parts: int, inverse: set[NamedNode]) -> list[list[Quad]]:
    """The statements each part needs to validate the nodes it owns.

    A part owns the subjects that hash to it, and holds their statements, the
    statements pointing at them through a property some shape follows backwards
    (``inverse``), and the types of every node at the other end of those. The
    lists refer to the statements given (no copies); a statement stated in
    several graphs may appear more than once.
    """
    out: list[list[Quad]] = [[] for _ in range(parts)]
    types: dict[str, list[Quad]] = {}
    neighbours: list[set[str]] = [set() for _ in range(parts)]
    rdf_type = RDF.type
    for q in quads:
        s, p, o = q.subject.value, q.predicate, q.object  # type: ignore[union-attr]
        home = _part_of(s, parts)
        out[home].append(q)  # type: ignore[arg-type]
        if p == rdf_type:
            types.setdefault(s, []).append(q)  # type: ignore[arg-type]
        elif isinstance(o, NamedNode):
            neighbours[home].add(o.value)
            if p in inverse:
                there = _part_of(o.value, parts)
                if there != home:
                    out[there].append(q)  # type: ignore[arg-type]
                    neighbours[there].add(s)
    for index, nodes in enumerate(neighbours):
        for node in nodes:
            if _part_of(node, parts) != index:
                out[index].extend(types.get(node, ()))
        nodes.clear()
    return out


def _validate_part(path: str, ontology: bytes, shapes_file: str, index: int, parts: int) -> tuple[bool, bytes]:
    """One part, in a worker: the results about the nodes the part owns, as N-Triples."""
    graph = rdflib.Graph()
    graph.parse(path, format="nt")
    graph.parse(data=ontology, format="nt")
    _conforms, results = _pyshacl(graph, rdflib.Graph().parse(shapes_file, format="turtle"))
    kept = rdflib.Graph()
    conforms = True
    for result in results.subjects(rdflib.RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        if focus is None or _part_of(str(focus), parts) != index:
            continue
        if results.value(result, SH.resultSeverity) == SH.Violation:
            conforms = False
        kept.add((result, rdflib.RDF.type, SH.ValidationResult))
        for p, o in results.predicate_objects(result):
            kept.add((result, p, o))
            if isinstance(o, rdflib.BNode):  # a path or a nested result: copy it whole
                for triple in results.cbd(o):
                    kept.add(triple)
    return conforms, kept.serialize(format="nt", encoding="utf-8")


def workers() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def validate_in_parts(
    data: Sequence[Quad], ontology: Sequence[Quad], shapes_file: Path, parts: int, processes: int
) -> tuple[bool, rdflib.Graph]:
    """pyshacl on ``parts`` parts of the union graph, ``processes`` at a time; one merged report.

    Each part goes to its worker as an N-Triples file, so the parent holds no second
    copy of the data.
    """
    shapes = rdflib.Graph().parse(shapes_file, format="turtle")
    inverse = {NamedNode(str(o)) for o in shapes.objects(None, SH.inversePath) if isinstance(o, rdflib.URIRef)}
    onto = serialize([q.triple for q in ontology], format=RdfFormat.N_TRIPLES) or b""
    report = rdflib.Graph()
    conforms = True
    with tempfile.TemporaryDirectory(prefix="kg-validate-") as folder:
        chunks = partitions([*data, *ontology], parts, inverse)
        files = []
        for index in range(parts):
            path = os.path.join(folder, f"part-{index}.nt")
            with open(path, "wb") as handle:
                serialize((q.triple for q in chunks[index]), handle, format=RdfFormat.N_TRIPLES)
            chunks[index] = []
            files.append(path)
        del chunks
        with ProcessPoolExecutor(max_workers=processes, mp_context=get_context("spawn")) as pool:
            futures = [pool.submit(_validate_part, path, onto, str(shapes_file), i, parts) for i, path in enumerate(files)]
            for future in futures:
                part_conforms, results = future.result()
                conforms = conforms and part_conforms
                report.parse(data=results, format="nt")
    node = rdflib.BNode()
    report.add((node, rdflib.RDF.type, SH.ValidationReport))
    report.add((node, SH.conforms, rdflib.Literal(conforms)))
    for result in list(report.subjects(rdflib.RDF.type, SH.ValidationResult)):
        report.add((node, SH.result, result))
    return conforms, report


def validate(
    data: list[Quad], ontology: list[Quad], shapes_file: Path, origins: dict[str, set[str]] | None = None
) -> Report:
    """Validate ``data`` (quads) against the shapes, with the ontology mixed in."""
    origins = origins or {}
    cores = workers()
    if len(data) >= PARALLEL_FROM and cores > 1:
        parts = max(cores, -(-len(data) // PART_SIZE))
        _conforms, results = validate_in_parts(data, ontology, shapes_file, parts, cores)
    else:
        shapes = rdflib.Graph().parse(shapes_file, format="turtle")
        _conforms, results = _pyshacl(to_rdflib([*data, *ontology]), shapes)
    findings = shacl_findings(results, origins) + vocabulary_findings(data, ontology, origins)
    return Report(findings=sorted(findings), graph=results)
