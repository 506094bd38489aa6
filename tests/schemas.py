"""The W3C Reconciliation API 0.2 JSON Schemas from ``shared/standards``, resolved without the network."""

from __future__ import annotations

import json
from typing import Any

from jsonschema import Draft7Validator  # type: ignore[import-untyped]
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from .conftest import SHARED

SPEC = SHARED / "standards" / "reconciliation" / "0.2"
SCHEMA_BASE = "https://reconciliation-api.github.io/specs/0.2/schemas/"


def reconciliation_registry() -> Registry:
    """Every schema of the spec folder under its $id, so $refs resolve locally."""
    resources = []
    for path in sorted((SPEC / "schemas").glob("*.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        uri = str(contents.get("$id", SCHEMA_BASE + path.name)).rstrip("#")
        resources.append((uri, Resource.from_contents(contents, default_specification=DRAFT7)))
    return Registry().with_resources(resources)


def validator(registry: Registry, name: str, pointer: str = "") -> Draft7Validator:
    """A validator for the schema file ``name`` (or the part of it at the JSON pointer)."""
    schema = json.loads((SPEC / "schemas" / name).read_text(encoding="utf-8"))
    if pointer:
        schema = {"$ref": f"{schema['$id'].rstrip('#')}#{pointer}"}
    return Draft7Validator(schema, registry=registry)


def valid(registry: Registry, name: str, instance: Any, pointer: str = "") -> None:
    """Raise if ``instance`` does not validate against the schema."""
    validator(registry, name, pointer).validate(instance)
