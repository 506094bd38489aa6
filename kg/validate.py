"""Validation of the data against the SHACL shapes (pyshacl) and the ontology's vocabulary.

The data is validated as one graph, the union of all named graphs, with the
ontology mixed in so that shapes targeting a class reach its subclasses. The
report names, for every finding, the files that describe the entity, the
entity, the shape and the message.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyshacl
import rdflib
from pyoxigraph import NamedNode, Quad, RdfFormat, serialize

from .namespaces import LWG, PREFIXES, RDF

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
VOCABULARY_CHECK = "vocabulary"


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


def validate(
    data: list[Quad], ontology: list[Quad], shapes_file: Path, origins: dict[str, set[str]] | None = None
) -> Report:
    """Validate ``data`` (quads) against the shapes, with the ontology mixed in."""
    origins = origins or {}
    shapes = rdflib.Graph().parse(shapes_file, format="turtle")
    _conforms, results, _text = pyshacl.validate(
        to_rdflib(data),
        shacl_graph=shapes,
        ont_graph=to_rdflib(ontology),
        inference="none",
        allow_warnings=True,
        allow_infos=True,
    )
    findings = shacl_findings(results, origins) + vocabulary_findings(data, ontology, origins)
    return Report(findings=sorted(findings), graph=results)
