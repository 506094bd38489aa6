"""The build: parse, enrich, validate, then publish a release atomically.

A release is a folder named by the hash of its content, holding the embedded
store, the dumps with their checksums, the dataset description, the validation
report and the files the server publishes (ontology, shapes, context). It is
written beside the others under a temporary name, renamed into place, and only
then does the ``current`` link switch to it: a failed or interrupted build never
touches what is already published.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pymarc import Record
from pyoxigraph import NamedNode, Quad, RdfFormat, Store

from . import __version__
from .enrich import DERIVED_GRAPH, enrich
from .errors import InputError, NoRelease, NotConforming
from .formats import DUMP_FORMATS, context_prefixes, data_prefixes, dump_bytes, gzip_bytes, rdf_bytes, sorted_quads
from .index import write_release_index
from .load import load_data, load_ontology
from .marc import (
    MARC_EXTENSION,
    MARC_MEDIA_TYPE,
    MARCXML_EXTENSION,
    MARCXML_MEDIA_TYPE,
    authority_records,
    mads_labels,
    marcxml_bytes,
    mrc_bytes,
)
from .namespaces import LWG, RDF
from .settings import DATASET_FILE, DatasetInfo, Paths
from .validate import Report, validate
from .void import DumpFile, describe, entity_counts

CURRENT = "current"
STORE_DIR = "store"
DUMPS_DIR = "dumps"
MANIFEST = "release.json"

Progress = Callable[[str], None]


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass
class Prepared:
    """Quads that passed validation, ready to publish."""

    info: DatasetInfo
    quads: list[Quad]
    report: Report
    authorities: list[Record] = field(default_factory=list)


@dataclass
class Release:
    """A published release: where it is and what it holds."""

    path: Path
    id: str
    triples: int
    quads: int
    entities: dict[str, int]
    sources: int
    files: list[str]

    def summary(self) -> str:
        kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(self.entities.items()))
        return "\n".join(
            [
                f"release {self.id} at {self.path}",
                f"  {self.triples} triples ({self.quads} quads in named graphs)",
                f"  entities: {kinds}",
                f"  sources: {self.sources}",
                f"  files: {', '.join(self.files)}",
            ]
        )


def read_context(paths: Paths) -> dict[str, Any]:
    try:
        context: dict[str, Any] = json.loads(paths.context_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"{paths.context_file}: {exc}") from exc
    return context


def prepare(paths: Paths, progress: Progress = _stderr, data_paths: list[Path] | None = None) -> Prepared:
    """Parse, enrich and validate; raise NotConforming (with the report) if the data fails.

    ``data_paths`` (files or folders) default to the data folder; the dataset's
    settings always come from the data folder.
    """
    started = time.perf_counter()

    def step(message: str) -> None:
        progress(f"[{time.perf_counter() - started:6.2f}s] {message}")

    info = DatasetInfo.read(paths.data)
    sources = data_paths or [paths.data]
    step(f"parsing the ontology ({paths.ontology_file}) and data ({', '.join(map(str, sources))})")
    ontology = load_ontology(paths.ontology_file)
    loaded = load_data(sources)
    step(f"read {len(loaded.quads)} quads from {len(loaded.files)} files; deriving inverse links, labels, romanizations")
    data = loaded.quads + enrich(loaded.quads, ontology, info)
    step(f"validating {len(data)} quads against {paths.shapes_file}")
    report = validate(data, ontology, paths.shapes_file, loaded.origins)
    step(f"validation: {len(report.violations)} violation(s), {len(report.findings) - len(report.violations)} warning(s)")
    if not report.conforms:
        raise NotConforming(report)
    step("writing the MARC 21 authority records, and their headings as MADS/RDF labels")
    staging = Store()
    staging.bulk_extend(data + ontology)
    authorities = authority_records(staging, info.base, modified=info.modified)
    mads = mads_labels(authorities, NamedNode(info.graph_iri(DERIVED_GRAPH)))
    return Prepared(info=info, quads=sorted_quads(data + ontology + mads), report=report, authorities=authorities)


def _write(path: Path, payload: bytes) -> None:
    path.write_bytes(payload)


def write_release(prepared: Prepared, paths: Paths, folder: Path, progress: Progress = _stderr) -> dict[str, Any]:
    """Write every file of the release into ``folder`` (which must not exist yet)."""
    info, quads = prepared.info, prepared.quads
    folder.mkdir(parents=True)
    dumps_dir = folder / DUMPS_DIR
    dumps_dir.mkdir()
    prefixes = data_prefixes(quads, info.base)
    context = read_context(paths)
    terms = context["@context"]
    clashes = sorted(k for k, v in prefixes.items() if k in terms and terms[k] != v)
    if clashes:
        raise InputError(
            f"{paths.context_file}: the terms {', '.join(clashes)} are also prefixes of entity IRIs; rename the terms"
        )
    context["@context"] = {**terms, **prefixes}

    dumps: list[DumpFile] = []

    def publish(filename: str, media_type: str, payload: bytes) -> None:
        progress(f"  writing {filename}")
        payload = gzip_bytes(payload)
        _write(dumps_dir / filename, payload)
        dumps.append(DumpFile(filename, media_type, len(payload), hashlib.sha256(payload).hexdigest()))

    for fmt in DUMP_FORMATS:
        publish(f"{info.name}.{fmt.extension}.gz", fmt.media_type, dump_bytes(fmt, quads, prefixes, context))

    progress("  loading the embedded store")
    store = Store(str(folder / STORE_DIR))
    store.bulk_extend(quads)
    store.flush()
    progress("  indexing names")
    write_release_index(store, folder, info.base)
    publish(f"{info.name}-authorities.{MARCXML_EXTENSION}.gz", MARCXML_MEDIA_TYPE, marcxml_bytes(prepared.authorities))
    publish(f"{info.name}-authorities.{MARC_EXTENSION}.gz", MARC_MEDIA_TYPE, mrc_bytes(prepared.authorities))
    del store

    sums = "".join(f"{d.sha256}  {d.filename}\n" for d in dumps)
    _write(dumps_dir / "SHA256SUMS", sums.encode("ascii"))

    _write(folder / "void.ttl", rdf_bytes(describe(info, quads, dumps), RdfFormat.TURTLE, prefixes))
    _write(folder / "validation-report.ttl", prepared.report.graph.serialize(format="turtle").encode("utf-8"))
    _write(folder / "context.jsonld", (json.dumps(context, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    shutil.copyfile(paths.ontology_file, folder / "ontology.ttl")
    shutil.copyfile(paths.shapes_file, folder / "shapes.ttl")

    triples = len({q.triple for q in quads})
    entities = dict(entity_counts(quads, info.base))
    sources = len({q.subject for q in quads if q.predicate == RDF.type and q.object == LWG.Source})
    manifest = {
        "dataset": info.dataset_iri,
        "base": info.base,
        "modified": info.modified.isoformat(),
        "triples": triples,
        "quads": len(quads),
        "entities": entities,
        "sources": sources,
        "graphs": sorted({q.graph_name.value for q in quads if isinstance(q.graph_name, NamedNode)}),
        "dumps": [d.__dict__ for d in dumps],
    }
    return manifest


def content_id(prepared: Prepared, paths: Paths) -> str:
    """The release id: the start of a SHA-256 over everything the release is made from.

    That is the sorted quads, the shapes and context files, the dataset's settings and
    the version of this package; equal inputs give the same id, so a rebuild of
    unchanged input reuses the release instead of writing a twin.
    """
    digest = hashlib.sha256(rdf_bytes(prepared.quads, RdfFormat.N_QUADS))
    for path in (paths.shapes_file, paths.context_file, paths.data / DATASET_FILE):
        digest.update(path.read_bytes())
    digest.update(__version__.encode())
    return digest.hexdigest()[:12]


def switch_current(out: Path, release_id: str) -> None:
    """Point ``out/current`` at the release, atomically (a symlink renamed over the old one)."""
    link = out / CURRENT
    temporary = out / f".{CURRENT}.{os.getpid()}"
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    temporary.symlink_to(release_id)
    os.replace(temporary, link)


def clear_stale_builds(out: Path) -> None:
    """Remove what builds that were killed left behind: their staging folders and temporary links.

    Each is named after its process; those of processes still running are left alone.
    """
    for leftover in out.glob(".*"):
        if not leftover.name.startswith((".building-", f".{CURRENT}.")):
            continue
        pid = leftover.name.rsplit("-" if leftover.name.startswith(".building-") else ".", 1)[-1]
        if not pid.isdigit() or _running(int(pid)):
            continue
        if leftover.is_symlink() or leftover.is_file():
            leftover.unlink()
        else:
            shutil.rmtree(leftover, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def build(paths: Paths, progress: Progress = _stderr) -> Release:
    """Build and publish a release; on any failure nothing published changes."""
    prepared = prepare(paths, progress)
    release_id = content_id(prepared, paths)
    out = paths.out
    out.mkdir(parents=True, exist_ok=True)
    clear_stale_builds(out)
    final = out / release_id
    if not final.exists():
        staging = out / f".building-{release_id}-{os.getpid()}"
        if staging.exists():
            shutil.rmtree(staging)
        progress(f"writing release {release_id}")
        try:
            manifest = write_release(prepared, paths, staging, progress)
            manifest["id"] = release_id
            _write(staging / MANIFEST, (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode("utf-8"))
            os.replace(staging, final)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    switch_current(out, release_id)
    return open_release(out / CURRENT)


def open_release(path: Path) -> Release:
    """Read a release's manifest (``path`` may be the ``current`` link)."""
    manifest_file = path / MANIFEST
    try:
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise NoRelease(f"no release at {path}: run 'kg build' first") from exc
    except ValueError as exc:
        raise NoRelease(f"{manifest_file}: unreadable manifest: {exc}") from exc
    real = path.resolve()
    files = sorted(str(p.relative_to(real)) for p in real.rglob("*") if p.is_file() and STORE_DIR not in p.relative_to(real).parts)
    return Release(
        path=real,
        id=manifest["id"],
        triples=manifest["triples"],
        quads=manifest["quads"],
        entities=manifest["entities"],
        sources=manifest["sources"],
        files=[*files, f"{STORE_DIR}/"],
    )


def current_store(out: Path) -> Store:
    """The current release's store, opened read-only."""
    release = open_release(out / CURRENT)
    return Store.read_only(str(release.path / STORE_DIR))


def release_prefixes(out: Path) -> dict[str, str]:
    """The prefixes of the current release's JSON-LD context (vocabularies and entity kinds)."""
    context = json.loads((open_release(out / CURRENT).path / "context.jsonld").read_text(encoding="utf-8"))
    return context_prefixes(context)


@dataclass(frozen=True)
class Listed:
    """A release as ``kg releases`` lists it."""

    id: str
    built: float
    triples: int
    current: bool


def list_releases(out: Path) -> list[Listed]:
    """Every complete release in ``out`` (a readable manifest and a store), newest build first.

    Folders of builds that stopped half way (``.building-*``) are not releases and are left out.
    """
    link = out / CURRENT
    current = os.readlink(link) if link.is_symlink() else None
    found = []
    for folder in out.iterdir() if out.is_dir() else ():
        manifest_file = folder / MANIFEST
        if folder.name.startswith(".") or folder.is_symlink() or not manifest_file.is_file():
            continue
        if not (folder / STORE_DIR).is_dir():
            continue
        try:
            manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
        except ValueError:
            continue
        found.append(Listed(folder.name, manifest_file.stat().st_mtime, int(manifest.get("triples", 0)), folder.name == current))
    return sorted(found, key=lambda listed: (listed.built, listed.id), reverse=True)


def rollback(out: Path, release_id: str | None = None) -> Listed:
    """Point ``current`` back at an earlier release, atomically: the one built before the current one, or ``release_id``.

    Nothing is deleted: rolling forward again is ``kg rollback NEWER_ID``. A server holds the
    release it opened until it is restarted.
    """
    releases = list_releases(out)
    if release_id is not None:
        chosen = next((listed for listed in releases if listed.id == release_id), None)
        if chosen is None:
            known = ", ".join(listed.id for listed in releases) or "none"
            raise NoRelease(f"no complete release {release_id!r} in {out} (releases: {known})")
    else:
        position = next((index for index, listed in enumerate(releases) if listed.current), None)
        if position is None:
            raise NoRelease(f"{out / CURRENT} points at no complete release; name one: kg rollback ID")
        if position + 1 >= len(releases):
            raise NoRelease(f"release {releases[position].id} is the oldest in {out}: there is none to roll back to")
        chosen = releases[position + 1]
    switch_current(out, chosen.id)
    return chosen
