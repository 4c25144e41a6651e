"""The formats the schemas name, as jsonschema checks them, for jsonschema-rs: given these, it
judges every file as jsonschema would, and jsonschema itself need not be imported to check a
playbook whose files are all valid (schemas.py)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)


def is_date(instance: object) -> bool:
    """The `date` format as jsonschema checks it (jsonschema._format.is_date): a text of the form
    YYYY-MM-DD that is a day of the calendar; anything but text passes."""
    if not isinstance(instance, str):
        return True
    try:
        return bool(_DATE.fullmatch(instance) and date.fromisoformat(instance))
    except ValueError:
        return False


def formats_named(schema: Any) -> set[str]:
    """Every `format` a schema names, wherever it is."""
    return keyword_texts(schema, "format")


def keyword_texts(schema: Any, keyword: str) -> set[str]:
    """Every text a keyword holds in a schema, wherever it is (a property of that name holds a
    schema, not a text)."""
    found: set[str] = set()
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get(keyword), str):
                found.add(node[keyword])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


# Where jsonschema-rs judges a `pattern` with its own regular expressions, and where with ours
# (schemas._FastPattern, under this keyword): Rust's classes are not Python's (`\s`, `\d`, `\w`
# differ), and it reads lookarounds and a `$` before the end otherwise.
PYTHON_PATTERN = "x-python-pattern"
# A pattern written only with ASCII letters, digits, the punctuation of ids and handles, classes,
# groups, alternatives and counts: there both read every text alike.
_PLAIN = re.compile(r"[A-Za-z0-9@:/._\-^$|()?*+{},\[\]]*")


def native(pattern: str) -> bool:
    """Whether jsonschema-rs may judge pattern itself: a plain pattern, with no group but (?:...)
    and no `$` but a last one (tests/test_fast_paths.py compares both on many texts)."""
    return (_PLAIN.fullmatch(pattern) is not None and "(?" not in pattern.replace("(?:", "")
            and "$" not in pattern[:-1])


def python_patterns(schema: Any) -> Any:
    """A copy of schema in which every `pattern` jsonschema-rs may not judge itself is named
    PYTHON_PATTERN instead. A property named "pattern" is a schema, not a text, and stays."""
    if isinstance(schema, list):
        return [python_patterns(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    return {(PYTHON_PATTERN if key == "pattern" and isinstance(value, str) and not native(value) else key):
            python_patterns(value) for key, value in schema.items()}
