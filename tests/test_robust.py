"""Wrong types anywhere in any file give problems with a place, never an exception."""

from __future__ import annotations

import copy
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from conftest import FIXTURES

from generator.rules.validate import check

ODD_VALUES = [None, [], {}, 7, "x", [1, [2]], {"a": {"b": 1}}, True, 2.5]


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in a YAML value: mapping keys and list items, at any depth."""
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        yield prefix + (key,)
        yield from paths(item, prefix + (key,))


def replaced(data: Any, path: tuple[Any, ...], new: Any) -> Any:
    data = copy.deepcopy(data)
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = new
    return data


def test_every_place_with_every_wrong_type(tmp_path: Path) -> None:
    root = tmp_path / "playbook"
    shutil.copytree(FIXTURES / "mini", root)
    tried = 0
    for path in [root / "playbook.yaml", *sorted(root.glob("*/*.yaml"))]:
        original = path.read_text(encoding="utf-8")
        data = yaml.safe_load(original)
        for place in paths(data):
            old = _get(data, place)
            for odd in ODD_VALUES:
                path.write_text(yaml.safe_dump(replaced(data, place, odd)), encoding="utf-8")
                _, problems = check(root)
                tried += 1
                if _kind(odd) != _kind(old):
                    assert problems, (path.name, place, odd)
                assert all(p.file.endswith(".yaml") and p.line >= 1 and p.column >= 1 for p in problems)
        path.write_text(original, encoding="utf-8")
    print(f"{tried} wrong-typed values tried, 0 exceptions")
    assert tried > 1000
    assert check(root)[1] == []


def _kind(value: Any) -> str:
    """The JSON type of a value, where a whole number is also a number."""
    return "number" if isinstance(value, (int, float)) and not isinstance(value, bool) else type(value).__name__


def _get(data: Any, place: tuple[Any, ...]) -> Any:
    for key in place:
        data = data[key]
    return data
