"""The schemas editors show on hover: complete, closed, and named by every playbook file."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from generator.source.loader import KINDS

SCHEMAS = sorted((REPO / "schemas").glob("*.schema.json"))


def objects(schema: Any, where: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every sub-schema that describes an object, with where it is."""
    if isinstance(schema, dict):
        if schema.get("type") == "object":
            yield where, schema
        for key, value in schema.items():
            yield from objects(value, f"{where}/{key}")
    elif isinstance(schema, list):
        for i, value in enumerate(schema):
            yield from objects(value, f"{where}/{i}")


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_schema_is_closed_and_described(path: Path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    found = list(objects(schema))
    assert found
    for where, obj in found:
        assert obj.get("additionalProperties") is False, f"{path.name}{where}"
        for name, prop in obj.get("properties", {}).items():
            assert prop.get("description"), f"{path.name}{where}/properties/{name} has no description"


def test_one_schema_per_kind() -> None:
    assert sorted(p.name for p in SCHEMAS) == sorted(f"{k}.schema.json" for k in [*KINDS.values(), "playbook"])


def test_every_playbook_file_names_its_schema() -> None:
    for path in sorted((REPO / "playbook").rglob("*.yaml")):
        kind = "playbook" if path.name == "playbook.yaml" else KINDS[path.parent.name]
        first = path.read_text(encoding="utf-8").splitlines()[0]
        schema = (path.parent / first.split("$schema=", 1)[-1]).resolve()
        assert first.startswith("# yaml-language-server: $schema="), path
        assert schema == REPO / "schemas" / f"{kind}.schema.json", path


ALL_SCHEMAS = sorted((REPO / "schemas").rglob("*.schema.json"))


def refs(schema: Any) -> Iterator[str]:
    if isinstance(schema, dict):
        if isinstance(schema.get("$ref"), str):
            yield schema["$ref"]
        for value in schema.values():
            yield from refs(value)
    elif isinstance(schema, list):
        for value in schema:
            yield from refs(value)


@pytest.mark.parametrize("path", ALL_SCHEMAS, ids=lambda p: p.relative_to(REPO / "schemas").as_posix())
def test_every_reference_resolves_from_where_the_schema_is(path: Path) -> None:
    # No `$id`: a schema is known by where it is (the repository, a copy written by `playbook init`
    # or `playbook schemas`, the site's schemas/), and names another by a path relative to itself,
    # which editors and jsonschema alike follow from file to file.
    registry: Registry[Any] = Registry().with_resources(
        (other.as_uri(), Resource.from_contents(json.loads(other.read_text(encoding="utf-8"))))
        for other in ALL_SCHEMAS)
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert "$id" not in schema, f"{path.name}: an $id would make the references resolve elsewhere"
    resolver = registry.resolver(base_uri=path.as_uri())
    found = list(refs(schema))
    for ref in found:
        assert ref.startswith(("#/", "../")) or "/" not in ref.split("#")[0], ref
        assert resolver.lookup(ref).contents, f"{path.name}: {ref}"
