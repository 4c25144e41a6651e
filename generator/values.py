"""Named values: a number or rule both teams agreed, declared once in playbook.yaml (`values`)
and shown in any text of the playbook by its id in double square brackets: `[[discount-ae-max]]`.

A reference is exactly `[[`, an id, `]]`. Text in double brackets that reads as a name but is not
an id (`[[Bad Name]]`, `[[discount_ae_max]]`) is a mistake, and so is an id no value has: the
check reports both, where they are. Anything else in double brackets (`[[7*7]]`) is plain text.

A value is untrusted text like any other: the renderer escapes it where it shows it (see
render.inline), and a value cannot name another value, so nothing is expanded twice. Every
scan here is one pass of a regular expression that cannot backtrack, linear in the text.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .errors import Problem
from .loader import Document, LoadedPlaybook
from .schemas import did_you_mean
from .yamltree import MAX_EXPANDED_CHARS, Path_, shorten

# A reference: [[ an id ]], nothing else inside.
REFERENCE = re.compile(r"\[\[([a-z0-9]+(?:-[a-z0-9]+)*)\]\]")
# Anything in double brackets with no bracket inside: a reference, a mistaken one, or plain text.
_BRACKETED = re.compile(r"\[\[([^\[\]]*)\]\]")
_NAME_LIKE = re.compile(r"[\w\s-]+")
# What a reference costs on a page besides its value's text: the link around it. A file's texts
# with every value written out count against the same budget as its aliases expanded.
REFERENCE_COST = 100
# The field whose text is an address, never shown through the text renderer.
_NOT_TEXT = frozenset({"link"})
EXAMPLE = "[[discount-ae-max]]"


@dataclass(frozen=True)
class Use:
    """A text that names a value: the entry (kind, id) and the field it is in (top-level name)."""

    kind: str
    id: str
    field: str


def names(text: str) -> list[str]:
    """The ids a text names, in order, repeats included."""
    return REFERENCE.findall(text) if "[[" in text else []


def expand(text: str, values: dict[str, str]) -> str:
    """The text with every reference to a known value replaced by the value's text (plain text,
    for titles and data the page's script shows as text)."""
    if "[[" not in text:
        return text
    return REFERENCE.sub(lambda m: values.get(m.group(1), m.group()), text)


def strings(data: Any, path: Path_ = ()) -> Iterator[tuple[Path_, str]]:
    """(path, text) of every string value in data, without recursion (data may be deep)."""
    stack: list[tuple[Any, Path_]] = [(data, path)]
    while stack:
        value, where = stack.pop()
        if isinstance(value, str):
            yield where, value
        elif isinstance(value, dict):
            stack.extend((item, (*where, key)) for key, item in reversed(value.items()) if key not in _NOT_TEXT)
        elif isinstance(value, (list, tuple)):
            stack.extend((item, (*where, i)) for i, item in reversed(list(enumerate(value))))


def declared(settings: Document | None) -> dict[str, tuple[int, dict[str, Any]]]:
    """The values playbook.yaml declares, by id: (place in the list, the item), as far as they
    can be read (the schema reports the rest)."""
    found: dict[str, tuple[int, dict[str, Any]]] = {}
    items = settings.data.get("values") if settings is not None and isinstance(settings.data, dict) else None
    if isinstance(items, list):
        for i, item in enumerate(items):
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                found.setdefault(item["id"], (i, item))
    return found


class _Hints:
    """The run's budget of "did you mean" suggestions, shared with the other checks."""

    def __init__(self, owner: Any) -> None:
        self.owner = owner

    def take(self) -> bool:
        if getattr(self.owner, "hints", 0) > 0:
            self.owner.hints -= 1
            return True
        return False


def check_values(loaded: LoadedPlaybook, budget: Any) -> Iterator[Problem]:
    """Every reference to a value that is not declared, every mistaken reference, every value
    declared twice or naming another value, and every file whose texts with values written out
    would be longer than the budget of a file. `budget` carries the run's `hints` (did you mean)."""
    values = declared(loaded.settings)
    hints = _Hints(budget)
    if loaded.settings is not None and isinstance(loaded.settings.data, dict):
        yield from _declarations(loaded.settings)
    documents = [loaded.settings] if loaded.settings is not None else []
    documents += [doc for docs in loaded.documents.values() for doc in docs]
    written_out = _written_out(values)
    for doc in documents:
        if not isinstance(doc.data, dict):
            continue
        size = 0
        for path, text in strings(doc.data):
            size += len(text)
            if written_out is not None and not (doc is loaded.settings and path[:1] == ("values",)):
                yield from _retyped(doc, path, text, written_out)
            if "[[" not in text:
                continue
            for match in _BRACKETED.finditer(text):
                inside = match.group(1)
                if REFERENCE.fullmatch(match.group()):
                    if inside in values:
                        size += len(str(values[inside][1].get("value", ""))) + REFERENCE_COST
                    else:
                        yield doc.problem(path, _unknown(inside, values, hints))
                elif _NAME_LIKE.fullmatch(inside) and any(c.isalnum() for c in inside):
                    yield doc.problem(path, _malformed(inside, values))
        if size > MAX_EXPANDED_CHARS:
            yield doc.problem((), f"the texts of this file, with every named value written out, are longer than "
                              f"{MAX_EXPANDED_CHARS:,} characters: name fewer values, or shorten them")


def _written_out(values: dict[str, tuple[int, dict[str, Any]]]) -> tuple[re.Pattern[str], dict[str, list[str]]] | None:
    """A pattern for the values worth naming when they are typed out: a number with its unit
    ("20 percent", "10 business days"), not a bare number, which means many things; and the ids
    of each such value's text."""
    ids: dict[str, list[str]] = {}
    for id, (_, item) in values.items():
        value = item.get("value")
        if isinstance(value, str) and any(c.isdigit() for c in value) and any(c.isalpha() for c in value):
            ids.setdefault(value, []).append(id)
    if not ids:
        return None
    # Longest first, so that "10 business days" is found before "10 business day".
    alternatives = "|".join(re.escape(v) for v in sorted(ids, key=len, reverse=True))
    return re.compile(rf"(?<![\w.,])(?:{alternatives})(?![\w]|[.,]\d)"), ids


def _retyped(doc: Document, path: Path_, text: str, written_out: tuple[re.Pattern[str], dict[str, list[str]]]
             ) -> Iterator[Problem]:
    """A warning for each agreed value typed out in a text instead of named."""
    pattern, ids = written_out
    for match in pattern.finditer(text):
        named = " or ".join(f"[[{id}]]" for id in ids[match.group()])
        problem = doc.problem(path, f"'{shorten(match.group())}' is an agreed value, written out here: if this is "
                              f"{named}, write {named} instead, so that it changes in one place")
        yield dataclasses.replace(problem, severity="warning")


def _unknown(name: str, values: dict[str, Any], hints: _Hints) -> str:
    message = f"'[[{shorten(name)}]]' is not a named value"
    if not values:
        return message + ": declare it under values in playbook.yaml, or write the value out"
    hint = did_you_mean(name, values) if hints.take() else ""
    return message + (hint or ": declare it under values in playbook.yaml, or use one that is declared there")


def _malformed(inside: str, values: dict[str, Any]) -> str:
    shown = f"'[[{shorten(inside)}]]'"
    guess = "-".join(re.findall(r"[^\W_]+", inside.lower()))
    if guess in values:
        return f"{shown} is not how a named value is written: write [[{guess}]]"
    return (f"{shown} is not a reference to a named value: name one by its id, in lower-case letters, digits "
            f"and single hyphens, e.g. {EXAMPLE}")


def _declarations(settings: Document) -> Iterator[Problem]:
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
                yield settings.problem(("values", i, "id"), f"'{shorten(id)}' is already a named value: give each "
                                       "value its own id")
            seen.add(id)
        value = item.get("value")
        if isinstance(value, str) and names(value):
            yield settings.problem(("values", i, "value"), "a named value is written out in full: it cannot name "
                                   "another value; write that value's text here instead")


def uses(entries: Iterator[tuple[str, str, Any]]) -> dict[str, list[Use]]:
    """For each value id, the texts that name it: entries are (kind, id, data); one Use per entry
    and top-level field, in the order given."""
    found: dict[str, dict[Use, None]] = {}
    for kind, id, data in entries:
        for path, text in strings(data):
            for name in names(text):
                field = str(path[0]) if path else ""
                found.setdefault(name, {})[Use(kind, id, field)] = None
    return {name: list(places) for name, places in found.items()}

