"""Reading the ontology and the curated data into quads, with where each subject came from.

Parsing uses pyoxigraph (strict and fast). Data must sit in named graphs (one per
source) and carry no blank nodes, so that every statement has a source and every
node can be cited; both rules are checked here, before anything else runs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import BlankNode, DefaultGraph, NamedNode, Quad, RdfFormat, parse

from .errors import InputError
from .namespaces import ONTOLOGY_IRI

DATA_SUFFIXES = {".trig": RdfFormat.TRIG, ".nq": RdfFormat.N_QUADS}


@dataclass
class Loaded:
    """Quads read from files, and the files in which each subject is described."""

    quads: list[Quad] = field(default_factory=list)
    origins: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    files: list[Path] = field(default_factory=list)


def _parse(path: Path, fmt: RdfFormat) -> list[Quad]:
    try:
        return list(parse(path=str(path), format=fmt, base_iri=path.resolve().as_uri()))
    except SyntaxError as exc:
        raise InputError(f"{path}: {exc}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read: {exc}") from exc


def data_files(paths: Sequence[Path]) -> list[Path]:
    """The data files named, folders expanded to their TriG and N-Quads files, in order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix in DATA_SUFFIXES and p.is_file()))
        elif path.is_file():
            if path.suffix not in DATA_SUFFIXES:
                raise InputError(f"{path}: not a data file (expected {', '.join(sorted(DATA_SUFFIXES))})")
            found.append(path)
        else:
            raise InputError(f"{path}: no such file or folder")
    if not found:
        raise InputError(f"no data files in {', '.join(map(str, paths))}")
    return found


def _check(path: Path, quads: Iterable[Quad], *, named_graphs: bool) -> None:
    for quad in quads:
        if named_graphs and isinstance(quad.graph_name, DefaultGraph):
            raise InputError(
                f"{path}: {quad.subject} {quad.predicate} ... is outside any GRAPH block; "
                "every statement belongs in the named graph of its source"
            )
        for term in (quad.subject, quad.object, quad.graph_name):
            if isinstance(term, BlankNode):
                raise InputError(
                    f"{path}: blank node in a statement about {quad.subject}; give every node an IRI"
                )


def load_ontology(path: Path) -> list[Quad]:
    """The ontology's triples, placed in the graph named by the ontology's IRI."""
    quads = _parse(path, RdfFormat.TURTLE)
    _check(path, quads, named_graphs=False)
    graph = NamedNode(ONTOLOGY_IRI)
    return [Quad(q.subject, q.predicate, q.object, graph) for q in quads]


def load_data(paths: Sequence[Path]) -> Loaded:
    """Every quad of the data files, refusing default-graph statements and blank nodes."""
    loaded = Loaded()
    for path in data_files(paths):
        quads = _parse(path, DATA_SUFFIXES[path.suffix])
        _check(path, quads, named_graphs=True)
        loaded.files.append(path)
        loaded.quads.extend(quads)
        for quad in quads:
            if isinstance(quad.subject, NamedNode):
                loaded.origins[quad.subject.value].add(str(path))
    return loaded
