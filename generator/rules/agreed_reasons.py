"""The agreed reasons playbook.yaml declares (`reasons`), as far as they can be read: each reason's
text, the list it is on and its place, by id. The site and the checks read them here; the checks
of the lists themselves are in reason_lists.py."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..source.document import Document
from ..source.paths import Path_


@dataclass(frozen=True)
class Declared:
    """One agreed reason as declared: its text, the list it is on, and its place in playbook.yaml."""

    text: str
    list: str
    path: Path_


def declared_reasons(settings: Document | None) -> dict[str, Declared]:
    """The reasons playbook.yaml declares, by id, as far as they can be read (the first of an id
    counts; the check reports the rest). Empty when it declares none."""
    found: dict[str, Declared] = {}
    for path, item, list_id in reason_items(settings):
        if isinstance(item.get("id"), str) and isinstance(item.get("text"), str):
            found.setdefault(item["id"], Declared(item["text"], list_id, path))
    return found


def has_reason_lists(settings: Document | None) -> bool:
    """Whether playbook.yaml declares reason lists (then reasons are named by id)."""
    data = settings.data if settings is not None else None
    return isinstance(data, dict) and isinstance(data.get("reasons"), list) and bool(data["reasons"])


def reason_texts(settings: Document | None) -> dict[str, str]:
    """The text of each declared reason, by id: what `[[id]]` shows in a text."""
    return {id: reason.text for id, reason in declared_reasons(settings).items()}


def reason_items(settings: Document | None) -> Iterator[tuple[Path_, dict[str, Any], str]]:
    data = settings.data if settings is not None else None
    lists = data.get("reasons") if isinstance(data, dict) else None
    for i, group in enumerate(lists if isinstance(lists, list) else ()):
        if not isinstance(group, dict) or not isinstance(group.get("reasons"), list):
            continue
        list_id = group["id"] if isinstance(group.get("id"), str) else ""
        for j, item in enumerate(group["reasons"]):
            if isinstance(item, dict):
                yield ("reasons", i, "reasons", j), item, list_id
