"""The agreed values declared in playbook.yaml (`values`): each id once, a value that does not
name another, a `from` that names a number field of a handoff or shared goal, a written value
that does not repeat such a field's number (values.py holds what these read; computed_checks.py
checks `compute` and `holds`)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ..source.document import Document
from ..source.loader import LoadedPlaybook
from ..source.numbers import (
    FIELD_NAMES,
    FIELDS,
    FOLDERS,
    KIND_NAMES,
    Quantity,
    field_quantity,
    text_quantity,
)
from ..source.paths import Path_, shorten
from ..source.problems import ERROR, WARNING, Problem, Rule
from .entries import DUPLICATE_ID
from .references import UNKNOWN_REFERENCE, Index
from .value_compute import MAX_VALUE
from .values import ID, sources, taken_from
from .values import names as value_names

VALUE_NAMES_VALUE = Rule(
    "value-names-value", ERROR, "an agreed value whose text names another value",
    fixed="values are written out once, never inside each other, so nothing on a page is expanded twice",
    doc="""
    A value's text is written out in full: it cannot name another value with `[[…]]`. Write that
    value's text instead.

    Fails, with these fields in `playbook/playbook.yaml`:

        values:
          - id: discount-ae
            value: 10 percent
          - id: discount-manager
            value: "[[discount-ae]] and 5 percent more"

    Passes, with these fields in `playbook/playbook.yaml`:

        values:
          - id: discount-ae
            value: 10 percent
          - id: discount-manager
            value: 15 percent
    """)

VALUE_FROM_INVALID = Rule(
    "value-from-invalid", ERROR, "an agreed value taken from a field that is not there",
    fixed="the value would have no text to show",
    doc="""
    A value may be taken from a number field of a handoff (service_level, escalation, follow_up)
    or of a shared goal (target, baseline) with `from: {kind, id, field}`. The entry must be of
    that kind, and the field one it has.

    Fails, with these fields in `playbook/playbook.yaml`:

        values:
          - id: win-rate-target
            from: {kind: handoff, id: win-rate, field: target}

    Passes, with these fields in `playbook/playbook.yaml`:

        values:
          - id: win-rate-target
            from: {kind: metric, id: win-rate, field: target}
    """)

VALUE_WRITTEN_TWICE = Rule(
    "value-written-twice", WARNING, "an agreed value that repeats the number of a handoff or shared goal",
    doc="""
    A value written out ("25 percent") that states the same quantity as a number field of a
    handoff or shared goal is the same number written twice: when one changes, the other will
    not. Take it from the field with `from`, or, if the two are equal only by chance, say so with
    `independent: true`. A company may make it an error, or turn it off.

    Fails, with these fields in `playbook/playbook.yaml`:

        values:
          - id: win-rate-target
            value: 25 percent

    Passes, with these fields in `playbook/playbook.yaml`:

        values:
          - id: win-rate-target
            from: {kind: metric, id: win-rate, field: target}
    """)

RULES = (VALUE_NAMES_VALUE, VALUE_FROM_INVALID, VALUE_WRITTEN_TWICE)


def declaration_problems(loaded: LoadedPlaybook, index: Index) -> Iterator[Problem]:
    """Every problem of the values playbook.yaml declares. `index` carries the run's budget of
    "did you mean" suggestions."""
    if loaded.settings is not None:
        yield from _declarations(loaded.settings)
        yield from _taken(loaded, index)


def _declarations(settings: Document) -> Iterator[Problem]:
    """Every value declared twice, and every value that names another value."""
    items = settings.data.get("values")
    if not isinstance(items, list):
        return
    seen: set[str] = set()
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        id = item.get("id")
        if isinstance(id, str):
            if id in seen:
                yield settings.problem(DUPLICATE_ID, ("values", i, "id"), f"'{shorten(id)}' is already a named "
                                       "value: give each value its own id")
            seen.add(id)
        value = item.get("value")
        if isinstance(value, str) and value_names(value):
            yield settings.problem(VALUE_NAMES_VALUE, ("values", i, "value"), "a named value is written out in "
                                   "full: it cannot name another value; write that value's text here instead")


def _taken(loaded: LoadedPlaybook, index: Index) -> Iterator[Problem]:
    """Every `from` that names no number field of an entry, and a warning for every written value
    that states the same quantity as such a field: the number would be written twice."""
    settings = loaded.settings
    items = settings.data.get("values") if settings is not None else None
    if settings is None or not isinstance(items, list):
        return
    entries = sources(loaded)
    fields: dict[Quantity, list[tuple[str, str, str]]] | None = None
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        source, value = taken_from(item), item.get("value")
        if source is not None:
            yield from _source_problems(settings, ("values", i, "from"), source, entries, index)
        elif isinstance(value, str) and len(value) <= MAX_VALUE and "from" not in item \
                and item.get("independent") is not True:
            quantity = text_quantity(value)
            if quantity is not None:
                fields = fields if fields is not None else _number_fields(entries)
                if quantity in fields:
                    yield settings.problem(VALUE_WRITTEN_TWICE, ("values", i, "value"), _twice(value, fields[quantity]))


def _source_problems(settings: Document, path: Path_, source: tuple[str, str, str],
                     entries: dict[str, dict[str, Document]], index: Index) -> Iterator[Problem]:
    kind, id, field = source
    if kind not in FIELDS:
        return  # the schema names the kinds
    noun = KIND_NAMES[kind]
    doc = entries[kind].get(id)
    if doc is None:
        other = next((k for k in FIELDS if k != kind and id in entries[k]), None)
        if other is not None:
            yield settings.problem(VALUE_FROM_INVALID, (*path, "id"), f"'{shorten(id)}' is a {KIND_NAMES[other]}, "
                                   f"not a {noun}: write kind: {other}")
            if field in FIELDS[other]:
                return  # the field is right for that kind: one mistake, told once
        else:
            hint = index.hint(id, entries[kind])
            yield settings.problem(UNKNOWN_REFERENCE, (*path, "id"), f"'{shorten(id)}' is not a known {noun}" + (
                hint or f": give the id of a {noun}, the name of its file under {FOLDERS[kind]}/"))
    if field not in FIELDS[kind]:
        if any(field in names for names in FIELDS.values()):  # any other name, the schema reports
            yield settings.problem(VALUE_FROM_INVALID, (*path, "field"), f"'{field}' is not a number field of a "
                                   f"{noun}: take the value from its {either(FIELDS[kind])}")
        return
    if doc is not None and isinstance(doc.data, dict) and field not in doc.data:
        present = [name for name in FIELDS[kind] if name in doc.data]
        instead = f", or take the value from its {either(present)}" if present else ""
        yield settings.problem(VALUE_FROM_INVALID, (*path, "field"), f"{noun} '{shorten(id)}' has no {field}: add "
                               f"one to {doc.display}{instead}")


def either(words: Sequence[str], last: str = "or") -> str:
    """'a', 'a or b', 'a, b or c'."""
    return f"{', '.join(words[:-1])} {last} {words[-1]}" if len(words) > 1 else "".join(words)


def _number_fields(entries: dict[str, dict[str, Document]]) -> dict[Quantity, list[tuple[str, str, str]]]:
    """Every number field a value may be taken from, by the quantity it states: (kind, id, field),
    in the order of kinds, then ids, then fields."""
    found: dict[Quantity, list[tuple[str, str, str]]] = {}
    for kind, names in FIELDS.items():
        for id, doc in sorted(entries[kind].items()):
            if isinstance(doc.data, dict) and doc.data.get("id", id) == id and ID.fullmatch(id):
                for field in names:
                    quantity = field_quantity(kind, doc.data, field)
                    if quantity is not None:
                        found.setdefault(quantity, []).append((kind, id, field))
    return found


def _twice(value: str, places: list[tuple[str, str, str]]) -> str:
    def named(place: tuple[str, str, str]) -> str:
        return f"the {FIELD_NAMES[place[2]]} of {KIND_NAMES[place[0]]} '{shorten(place[1])}'"

    kind, id, field = places[0]
    others = [named(place) for place in places[1:4]] + ([f"{len(places) - 4} more"] if len(places) > 4 else [])
    also = f" (and {either(others, 'and')})" if others else ""
    return (f"'{shorten(value)}' is also {named(places[0])}{also}: take it from there with from: {{kind: {kind}, "
            f"id: {id}, field: {field}}}, so that the number is written once; if the two are equal only by chance, "
            "add independent: true to this value")
