"""The publisher as one object: a release, the backend that answers its queries, its stored queries.

This is the core's public face for any front end (the HTTP layer, the command line):
it resolves entity IRIs, runs queries, describes entities and the SPARQL service,
and finds the release's files. It knows nothing of HTTP.
"""

from __future__ import annotations

import gzip
import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pymarc import Record
from pyoxigraph import Literal, NamedNode, Quad, Triple

from .backends import Backend, Dataset, EmbeddedBackend, RemoteBackend, Results
from .describe import describe
from .enrich import DERIVED_GRAPH
from .errors import BackendUnavailable, InputError, NoRelease
from .index import INDEX_FILE, Index, load_index
from .marc import MARCXML_MEDIA_TYPE, entity_iri, parse_marcxml
from .namespaces import DCTERMS, ONTOLOGY_IRI, RDF, SD, VOID, XSD
from .queries import Bindings, StoredQuery, load_queries
from .release import CURRENT, DUMPS_DIR, MANIFEST, STORE_DIR

#: W3C format IRIs for the Service Description (https://www.w3.org/ns/formats/).
FORMAT_IRIS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "JSON-LD",
    "RDF_XML",
)


@dataclass(frozen=True)
class ServerConfig:
    """What ``kg serve`` is told, read once."""

    releases: Path = Path("releases")
    queries: Path = Path("queries")
    endpoint: str | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    #: Seconds a query may run (embedded: its worker is then killed) or wait for a remote store.
    timeout: float = 30.0
    #: Worker processes running queries on the embedded store.
    workers: int = 4
    #: Address space each worker process may use, in MB (0: no bound); a query needing more ends its worker.
    worker_memory: int = 2048
    #: Rows (or triples) the answer of a SPARQL query holds at most; a cut answer says so.
    max_rows: int = 10_000
    #: Largest request body and URL, in bytes (413, 414 past them).
    max_body: int = 1_000_000
    max_url: int = 16_384
    #: Largest OFFSET a query may ask for (400 past it).
    max_offset: int = 100_000
    #: SPARQL queries one client may have running at once (429 past it).
    per_client: int = 2
    #: Memory for answers kept for repeated requests (a release never changes), in MB (0: none).
    cache_mb: int = 64


@dataclass
class Service:
    """A release served through a backend."""

    backend: Backend
    base: str
    release_path: Path | None = None
    manifest: dict[str, Any] = field(default_factory=dict)
    queries: dict[str, StoredQuery] = field(default_factory=dict)
    config: ServerConfig = field(default_factory=ServerConfig)
    _index: Index | None = field(default=None, repr=False)
    _authorities: dict[str, Record] | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def open(cls, config: ServerConfig) -> Service:
        """Serve the current release of ``config.releases`` (through the remote endpoint if one is set)."""
        current = config.releases / CURRENT
        try:
            manifest = json.loads((current / MANIFEST).read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise NoRelease(f"no release in {config.releases}: run 'kg build' first") from exc
        except ValueError as exc:
            raise NoRelease(f"{current / MANIFEST}: unreadable: {exc}") from exc
        path = current.resolve()
        backend: Backend
        if config.endpoint:  # the store may hold other graphs too: queries run over the release's
            backend = RemoteBackend(config.endpoint, timeout=config.timeout, graphs=manifest.get("graphs", []))
        else:
            memory = config.worker_memory * 2**20 or None
            backend = EmbeddedBackend(path / STORE_DIR, timeout=config.timeout, workers=config.workers, memory=memory)
        queries = load_queries(config.queries) if config.queries.is_dir() else {}
        return cls(backend=backend, base=manifest["base"], release_path=path, manifest=manifest, queries=queries, config=config)

    def check(self) -> None:
        """Make sure the store answers and holds the release: ``BackendUnavailable`` (with why) if not.

        For the embedded store this starts the workers (each opens the store) and counts
        the triples against the manifest, so a damaged or swapped store is found at start.
        """
        if isinstance(self.backend, EmbeddedBackend):
            self.backend.start()
            expected = self.manifest.get("triples")
            found = self.triple_count()
            if expected is not None and found != expected:
                raise BackendUnavailable(
                    f"the store at {self.backend.store_path} holds {found} triples, its release {expected}: "
                    "it is damaged; rebuild the release or roll back"
                )

    def close(self) -> None:
        """Stop the backend's workers, if it has any."""
        self.backend.close()

    # --- identifiers -------------------------------------------------------------

    def entity_iri(self, kind: str, slug: str) -> str:
        return f"{self.base}id/{kind}/{slug}"

    @property
    def release_id(self) -> str | None:
        return self.manifest.get("id")

    # --- queries -----------------------------------------------------------------

    def query(
        self, text: str, dataset: Dataset | None = None, bindings: Bindings | None = None, base_iri: str | None = None
    ) -> Results:
        return self.backend.query(text, dataset or Dataset(), bindings, base_iri)

    def describe(self, iri: str) -> list[Quad]:
        return describe(self.backend, iri, derived=f"{self.base}graph/{DERIVED_GRAPH}")

    def triple_count(self) -> int:
        return self.backend.triple_count()

    # --- files of the release --------------------------------------------------------

    def release_file(self, name: str) -> Path | None:
        """A file of the release by its name relative to the release (None if absent or outside it)."""
        if self.release_path is None:
            return None
        candidate = (self.release_path / name).resolve()
        if self.release_path not in candidate.parents or not candidate.is_file():
            return None
        if STORE_DIR in candidate.relative_to(self.release_path).parts:
            return None
        return candidate

    def dumps(self) -> list[dict[str, Any]]:
        return list(self.manifest.get("dumps", []))

    # --- catalogue linking: the name index and the MARC authorities, read once ---------------

    @property
    def index(self) -> Index:
        """The release's name index (``name-index.json``), read on first use."""
        with self._lock:
            if self._index is None:
                if self.release_path is None:
                    raise NoRelease("no release is served, so there is no name index")
                self._index = load_index(self.release_path / INDEX_FILE)
            return self._index

    def authority(self, iri: str) -> Record | None:
        """The MARC 21 authority record of an entity (None if the release has none for it)."""
        with self._lock:
            if self._authorities is None:
                self._authorities = self._read_authorities()
            return self._authorities.get(iri)

    def _read_authorities(self) -> dict[str, Record]:
        dump = next((d for d in self.dumps() if d.get("media_type") == MARCXML_MEDIA_TYPE), None)
        path = self.release_file(f"{DUMPS_DIR}/{dump['filename']}") if dump else None
        if path is None:
            return {}
        try:
            records = parse_marcxml(gzip.decompress(path.read_bytes()))
        except (OSError, ValueError) as exc:
            raise InputError(f"{path}: unreadable MARC authorities: {exc}") from exc
        return {iri: record for record in records if (iri := entity_iri(record))}

    # --- the SPARQL service -------------------------------------------------------------

    def named_graphs(self) -> list[str]:
        return list(self.manifest.get("graphs", []))

    def service_description(self, endpoint_url: str) -> list[Triple]:
        """The SPARQL 1.1 Service Description of the endpoint reached at ``endpoint_url``."""
        service = NamedNode(f"{endpoint_url}#service")
        dataset = NamedNode(f"{endpoint_url}#dataset")
        default_graph = NamedNode(f"{endpoint_url}#default-graph")
        out = [
            Triple(service, RDF.type, SD.Service),
            Triple(service, SD.endpoint, NamedNode(endpoint_url)),
            Triple(service, SD.supportedLanguage, SD.SPARQL11Query),
            Triple(service, SD.feature, SD.UnionDefaultGraph),
            Triple(service, SD.defaultDataset, dataset),
            Triple(dataset, RDF.type, SD.Dataset),
            Triple(dataset, SD.defaultGraph, default_graph),
            Triple(default_graph, RDF.type, SD.Graph),
        ]
        out += [Triple(service, SD.resultFormat, NamedNode(f"http://www.w3.org/ns/formats/{f}")) for f in FORMAT_IRIS]
        if "triples" in self.manifest:
            out.append(Triple(default_graph, VOID.triples, Literal(str(self.manifest["triples"]), datatype=XSD.integer)))
        if "dataset" in self.manifest:
            out.append(Triple(dataset, DCTERMS.source, NamedNode(self.manifest["dataset"])))
        for index, graph in enumerate(self.named_graphs()):
            node = NamedNode(f"{endpoint_url}#named-graph-{index}")
            out += [
                Triple(dataset, SD.namedGraph, node),
                Triple(node, RDF.type, SD.NamedGraph),
                Triple(node, SD.name, NamedNode(graph)),
            ]
        return out

    @property
    def ontology_iri(self) -> str:
        return ONTOLOGY_IRI
