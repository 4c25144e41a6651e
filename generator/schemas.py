"""Check each YAML document against its JSON Schema and say what is wrong in plain words."""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from .errors import Problem
from .loader import Document, format_path

ID_PATTERN = "^[a-z0-9]+(-[a-z0-9]+)*$"


def schemas_dir() -> Path:
    """The folder holding one JSON Schema per kind (shipped with the package)."""
    return Path(str(resources.files("generator") / "schemas"))


@cache
def validator(kind: str) -> Draft202012Validator:
    """The compiled validator for a kind, made once per process."""
    schema = json.loads((schemas_dir() / f"{kind}.schema.json").read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def check_document(doc: Document) -> list[Problem]:
    """Every schema problem in one document."""
    problems: list[Problem] = []
    for error in validator(doc.kind).iter_errors(doc.data):
        problems.extend(_explain(doc, error))
    return problems


def did_you_mean(value: object, choices: Any) -> str:
    """' (did you mean 'x'?)' when value is close to one of choices, else ''."""
    if not isinstance(value, str):
        return ""
    close = difflib.get_close_matches(value, sorted(str(c) for c in choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _show(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 60 else text[:57] + "...'"


_TYPES = {"string": "text", "array": "a list", "object": "a set of fields (name: value)",
          "integer": "a whole number", "number": "a number", "boolean": "true or false"}


def _explain(doc: Document, error: ValidationError) -> Iterator[Problem]:
    path = tuple(error.absolute_path)
    value: Any = error.instance
    rule = error.validator
    schema: Any = error.schema
    expected: Any = error.validator_value
    if rule == "additionalProperties":
        allowed = list(schema.get("properties", {}))
        for key in value:
            if key not in allowed:
                hint = did_you_mean(key, allowed) or " (allowed: " + ", ".join(allowed) + ")"
                yield doc.problem(path + (key,), f"unknown field '{key}'{hint}", key=True)
        return
    if rule == "required":
        for name in expected:
            if isinstance(value, dict) and name not in value:
                yield doc.problem(path, f"missing required field '{name}'{_required_hint(doc.kind, name)}")
        return
    yield doc.problem(path, _message(doc.kind, path, rule, error))


def _required_hint(kind: str, name: str) -> str:
    if kind == "asset" and name == "talking_points":
        return ": nothing goes to the field without what to say with it"
    return ""


def _message(kind: str, path: tuple[Any, ...], rule: Any, error: ValidationError) -> str:
    value: Any = error.instance
    expected: Any = error.validator_value
    if value is None and rule == "type":
        return "is empty: give a value"
    if rule == "type":
        wanted = " or ".join(_TYPES.get(t, t) for t in ([expected] if isinstance(expected, str) else expected))
        return f"must be {wanted}, not {_show(value)}"
    if rule == "enum":
        return f"{_show(value)} is not one of: {', '.join(map(str, expected))}{did_you_mean(value, expected)}"
    if rule == "minItems":
        if kind == "asset" and path and path[-1] == "talking_points":
            return "an asset needs at least one talking point: nothing goes to the field without what to say with it"
        return f"needs at least {expected} entr{'y' if expected == 1 else 'ies'}"
    if rule == "minLength":
        return "must not be empty"
    if rule == "uniqueItems":
        return f"lists {_show(_first_repeat(value))} twice: remove the copy"
    if rule == "pattern":
        if expected == ID_PATTERN:
            return (f"{_show(value)} is not a valid id: use lower-case letters, digits and single "
                    "hyphens, e.g. 'roi-calculator'")
        if path and path[-1] == "link":
            return (f"{_show(value)} is not an allowed link: give an https:// address (no spaces, quotes, "
                    "angle brackets or parentheses) or a relative path such as files/price-list.pdf")
        return f"{_show(value)} does not match the expected form {expected}"
    if rule == "format" and expected == "date":
        return f"{_show(value)} is not a date: write it as YYYY-MM-DD, e.g. 2027-03-31"
    if rule == "minimum":
        return f"must be at least {expected}, not {_show(value)}"
    if rule == "maximum":
        return f"must be at most {expected}, not {_show(value)}"
    return error.message


def _first_repeat(items: list[Any]) -> Any:
    seen: set[str] = set()
    for item in items:
        key = json.dumps(item, sort_keys=True)
        if key in seen:
            return item
        seen.add(key)
    return None


__all__ = ["check_document", "did_you_mean", "schemas_dir", "validator", "format_path"]
