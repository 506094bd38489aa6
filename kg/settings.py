"""Settings, read once into typed objects: the dataset's description and the build's paths."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError

DATASET_FILE = "dataset.toml"


@dataclass(frozen=True)
class DatasetInfo:
    """What a release says about itself (``data/dataset.toml``)."""

    name: str
    base: str
    license: str
    publisher: str
    modified: dt.date
    title: dict[str, str]
    description: dict[str, str] = field(default_factory=dict)
    primary_topic: str | None = None

    @property
    def dataset_iri(self) -> str:
        return f"{self.base}dataset"

    @property
    def sparql_endpoint(self) -> str:
        return f"{self.base}sparql"

    def graph_iri(self, slug: str) -> str:
        return f"{self.base}graph/{slug}"

    def dump_url(self, filename: str) -> str:
        return f"{self.base}dumps/{filename}"

    @classmethod
    def read(cls, data_dir: Path) -> DatasetInfo:
        path = data_dir / DATASET_FILE
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise InputError(f"{path}: missing; it names the dataset, its base IRI and licence") from exc
        except tomllib.TOMLDecodeError as exc:
            raise InputError(f"{path}: {exc}") from exc
        missing = [k for k in ("name", "base", "license", "publisher", "modified", "title") if k not in raw]
        if missing:
            raise InputError(f"{path}: missing {', '.join(missing)}")
        base = str(raw["base"])
        if not base.startswith(("http://", "https://")) or not base.endswith("/"):
            raise InputError(f"{path}: base must be an http(s) IRI ending in '/', not {base!r}")
        modified = raw["modified"]
        if not isinstance(modified, dt.date):
            raise InputError(f"{path}: modified must be a date such as 2026-11-25")
        title = raw["title"]
        if not isinstance(title, dict) or "en" not in title:
            raise InputError(f"{path}: [title] needs at least an 'en' entry")
        return cls(
            name=str(raw["name"]),
            base=base,
            license=str(raw["license"]),
            publisher=str(raw["publisher"]),
            modified=modified,
            title={str(k): str(v) for k, v in title.items()},
            description={str(k): str(v) for k, v in raw.get("description", {}).items()},
            primary_topic=raw.get("primary_topic"),
        )


@dataclass(frozen=True)
class Paths:
    """Where the build reads and writes."""

    data: Path = Path("data")
    ontology: Path = Path("ontology")
    out: Path = Path("releases")
    queries: Path = Path("queries")

    @property
    def ontology_file(self) -> Path:
        return self.ontology / "lwg.ttl"

    @property
    def shapes_file(self) -> Path:
        return self.ontology / "shapes.ttl"

    @property
    def context_file(self) -> Path:
        return self.ontology / "context.jsonld"
