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
    found: set[str] = set()
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("format"), str):
                found.add(node["format"])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found
