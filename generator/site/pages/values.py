"""The Agreed values page: for each value, the entries whose texts name it, and in which fields."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ...changes.diff import KIND_NAMES
from ...model.playbook import Playbook
from ...rules.values import Use, uses
from ..urls import PAGE_TITLES

# The page names this many entries of each kind that use a value, then counts the rest.
USES_SHOWN = 12


# Where the settings' texts are shown, by field of playbook.yaml.
_SETTINGS_PAGES = {"site_name": "index.md", "introduction": "index.md", "glossary_groups": "glossary.md",
                   "roles": "start-here.md"}


@dataclass(frozen=True)
class ValueUse:
    """One entry whose text names a value, for the Agreed values page."""

    kind: str  # an entry's kind, or "page" for the settings (shown on `id`, a docs path)
    id: str
    name: str
    fields: tuple[str, ...]


def value_uses(playbook: Playbook) -> dict[str, dict[str, list[ValueUse]]]:
    """For each agreed value, the entries whose texts name it, with the fields they name it in,
    by kind ("pages", "stages", "lifecycle states" ...), in the playbook's order of kinds."""
    if not playbook.values:
        return {}
    def entries() -> Iterator[tuple[str, str, Any]]:
        yield "playbook", "playbook", {k: v for k, v in _fields(playbook.settings).items()
                                       if k not in ("values", "reasons")}
        for value in playbook.settings.values:  # a description may name another value
            yield "value", value.id, {"description": value.description}
        for reasons in playbook.settings.reasons:  # so may a reason list's description, or a reason
            yield "value", reasons.id, {"description": reasons.description}
            for reason in reasons.reasons:
                yield "value", reason.id, {"text": reason.text, "description": reason.description}
        for kind, items in (("stage", playbook.stages), ("lifecycle", playbook.lifecycle),
                            ("handoff", playbook.handoffs), ("term", playbook.terms), ("persona", playbook.personas),
                            ("asset", playbook.assets), ("metric", playbook.metrics)):
            for item in items:
                yield kind, item.id, _fields(item)

    found: dict[str, dict[str, list[ValueUse]]] = {}
    for name, places in uses(entries()).items():
        grouped: dict[tuple[str, str], list[str]] = {}
        for use in places:
            grouped.setdefault(_use_target(use), []).append(use.field.replace("_", " "))
        by_kind = found.setdefault(name, {})
        for (kind, id), fields in grouped.items():
            label = "pages" if kind == "page" else KIND_NAMES[kind][1]
            name = (PAGE_TITLES.get(id, "Home") if kind == "page" else id if kind == "value"
                    else playbook.names[kind][id])
            by_kind.setdefault(label, []).append(ValueUse(kind, id, name, tuple(dict.fromkeys(fields))))
    return found


def reason_uses(playbook: Playbook) -> dict[str, dict[str, list[ValueUse]]]:
    """For each agreed reason, the lifecycle states and handoffs that name it by its id, with the
    fields they name it in ("accepts", "exit reasons", "rejection reasons"), by kind."""
    found: dict[str, dict[str, dict[tuple[str, str], list[str]]]] = {}
    if not playbook.settings.reasons:
        return {}
    agreed = playbook.reason_lists
    def add(reason: str, kind: str, id: str, field: str) -> None:
        if reason in agreed:
            places = found.setdefault(reason, {}).setdefault(KIND_NAMES[kind][1], {})
            places.setdefault((kind, id), []).append(field)
    for state in playbook.lifecycle:
        for reason in state.accepts:
            add(reason, "lifecycle", state.id, "accepts")
        for exit in state.exit_reasons:
            add(exit.reason, "lifecycle", state.id, "exit reasons")
    for handoff in playbook.handoffs:
        for rejection in handoff.rejection_reasons:
            add(rejection.reason, "handoff", handoff.id, "rejection reasons")
    return {reason: {label: [ValueUse(kind, id, playbook.names[kind][id], tuple(dict.fromkeys(fields)))
                             for (kind, id), fields in places.items()]
                     for label, places in by_kind.items()}
            for reason, by_kind in found.items()}


def _use_target(use: Use) -> tuple[str, str]:
    if use.kind != "playbook":
        return use.kind, use.id
    return "page", _SETTINGS_PAGES.get(use.field, "about.md")


def _fields(entry: Any) -> dict[str, Any]:
    """An entry's fields, without its id, its source file and the document it was read from
    (uses() reads the dataclasses in them as the mappings of their fields)."""
    return {k: getattr(entry, k) for k in entry.__dataclass_fields__ if k not in ("id", "source", "origin")}
