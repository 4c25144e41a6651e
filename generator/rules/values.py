"""Named values: a number or rule both teams agreed, declared once in playbook.yaml (`values`)
and shown in any text of the playbook by its id in double square brackets: `[[discount-ae-max]]`.

A reference is exactly `[[`, an id, `]]`. Text in double brackets that reads as a name but is not
an id (`[[Bad Name]]`, `[[discount_ae_max]]`) is a mistake, and so is an id no value has: the
check reports both, where they are. Anything else in double brackets (`[[7*7]]`) is plain text.

A value is written out (`value`) or taken from a number field of a handoff or shared goal (`from:
{kind: handoff, id: mql-to-sal, field: service_level}`), so that a number both teams agreed is
written once: its text is then the field's, in the words the site uses for it (see numbers.py).
The check reports a `from` that names no such field, and warns when a written value states the
same quantity as such a field.

A value is untrusted text like any other: the renderer escapes it where it shows it (see
render.inline), and a value cannot name another value, so nothing is expanded twice. Every
scan here is one pass of a regular expression that cannot backtrack, linear in the text.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import ahocorasick_rs

from ..source.document import Document
from ..source.loader import LoadedPlaybook
from ..source.numbers import (
    FIELD_NAMES,
    FIELDS,
    FOLDERS,
    KIND_NAMES,
    Quantity,
    field_quantity,
    field_text,
    text_quantity,
)
from ..source.problems import Problem
from ..source.schemas import ID_PATTERN, did_you_mean, ecma_pattern
from ..source.yamltree import MAX_EXPANDED_CHARS, Path_, shorten

# A reference: [[ an id ]], nothing else inside.
REFERENCE = re.compile(r"\[\[([a-z0-9]+(?:-[a-z0-9]+)*)\]\]")
# Anything in double brackets with no bracket inside: a reference, a mistaken one, or plain text.
_BRACKETED = re.compile(r"\[\[([^\[\]]*)\]\]")
_NAME_LIKE = re.compile(r"[\w\s-]+")
# What a reference costs on a page besides its value's text: the link around it. A file's texts
# with every value written out count against the same budget as its aliases expanded.
REFERENCE_COST = 100
# A file's texts with their named values written out may be at most this many times as long as
# its texts as written, plus EXPANSION_ALLOWANCE characters: a value named many times cannot make
# a small file stand for a large one (its pages grow with what the file holds, not with what it
# names). The default playbook's most value-heavy file is 1.4 times as long written out.
EXPANSION_FACTOR = 2
EXPANSION_ALLOWANCE = 4_000
# The field whose text is an address, never shown through the text renderer.
_NOT_TEXT = frozenset({"link"})
EXAMPLE = "[[discount-ae-max]]"
# The longest text a value may have (the schema says so too); an entry's id as the schema has it.
MAX_VALUE = 200
_ID = ecma_pattern(ID_PATTERN)


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


def taken_from(item: Any) -> tuple[str, str, str] | None:
    """(kind, id, field) of the number field a declared value is taken from, when its `from` is
    written as it should be."""
    source = item.get("from") if isinstance(item, dict) else None
    if isinstance(source, dict) and all(isinstance(source.get(key), str) for key in ("kind", "id", "field")):
        return source["kind"], source["id"], source["field"]
    return None


def sources(loaded: LoadedPlaybook) -> dict[str, dict[str, Document]]:
    """The entries a value may be taken from, by kind and id (an entry whose id is not its file's
    name, which the check reports, is found by either)."""
    found: dict[str, dict[str, Document]] = {}
    for kind in FIELDS:
        docs = loaded.documents.get(kind, [])
        named = {doc.data["id"]: doc for doc in docs
                 if isinstance(doc.data, dict) and isinstance(doc.data.get("id"), str)}
        found[kind] = {**{doc.stem: doc for doc in docs}, **named}
    return found


def value_texts(loaded: LoadedPlaybook) -> dict[str, str]:
    """The text of each declared value as the site shows it, by id: as written, or taken from its
    number field. A value whose field cannot be read is left out (the check says why)."""
    texts: dict[str, str] = {}
    entries: dict[str, dict[str, Document]] | None = None
    for id, (_, item) in declared(loaded.settings).items():
        value, source = item.get("value"), taken_from(item)
        if isinstance(value, str):
            texts[id] = value
        elif source is not None:
            entries = entries if entries is not None else sources(loaded)
            doc = entries.get(source[0], {}).get(source[1])
            text = field_text(source[0], doc.data, source[2]) if doc is not None else None
            if text is not None:
                texts[id] = text
    return texts


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
    texts = value_texts(loaded)
    hints = _Hints(budget)
    if loaded.settings is not None and isinstance(loaded.settings.data, dict):
        yield from _declarations(loaded.settings)
        yield from _taken(loaded, hints)
    documents = [loaded.settings] if loaded.settings is not None else []
    documents += [doc for docs in loaded.documents.values() for doc in docs]
    written_out = _written_out(texts)
    for doc in documents:
        if not isinstance(doc.data, dict):
            continue
        found = list(strings(doc.data))
        # Most files name no value and type none out: one search of all their texts at once
        # says so (no value's text holds a NUL, so no match spans two texts).
        joined = "\0".join(text for _, text in found)
        written = len(joined) - len(found) + 1 if found else 0
        if "[[" not in joined and (written_out is None or not written_out.any_in(joined)):
            if written > MAX_EXPANDED_CHARS:
                yield _too_long(doc, written, written)
            continue
        size = 0
        for path, text in found:
            size += len(text)
            if written_out is not None and not (doc is loaded.settings and path[:1] == ("values",)):
                yield from _retyped(doc, path, text, written_out)
            if "[[" not in text:
                continue
            for match in _BRACKETED.finditer(text):
                inside = match.group(1)
                if REFERENCE.fullmatch(match.group()):
                    if inside in values:
                        size += len(texts.get(inside, "")) + REFERENCE_COST
                    else:
                        yield doc.problem(path, _unknown(inside, values, hints))
                elif _NAME_LIKE.fullmatch(inside) and any(c.isalnum() for c in inside):
                    yield doc.problem(path, _malformed(inside, values))
        if size > expansion_budget(written):
            yield _too_long(doc, size, written)


def expansion_budget(written: int) -> int:
    """How long a file's texts may be with their named values written out, when they are
    `written` characters long as written."""
    return min(MAX_EXPANDED_CHARS, EXPANSION_FACTOR * written + EXPANSION_ALLOWANCE)


def _too_long(doc: Document, size: int, written: int) -> Problem:
    if size > MAX_EXPANDED_CHARS:
        return doc.problem((), f"the texts of this file, with every named value written out, are longer than "
                           f"{MAX_EXPANDED_CHARS:,} characters: name fewer values, or shorten them")
    return doc.problem((), f"the texts of this file, with every named value written out (each name counting "
                       f"{REFERENCE_COST} characters more, for its link), are {size:,} characters: more than "
                       f"{EXPANSION_FACTOR} times their {written:,} characters as written, plus "
                       f"{EXPANSION_ALLOWANCE:,}; name fewer values, or shorter ones, so that the pages do not "
                       "grow faster than the file")


class _WrittenOut:
    """The values worth naming when they are typed out: a number with its unit ("20 percent",
    "10 business days"), not a bare number, which means many things. Found with one Aho-Corasick
    automaton built once, in one pass over a text whatever the number of values or the prefixes
    they share (an alternation of every value in one regular expression tried each value at each
    position). At each place the longest value is taken; it counts when it stands alone: not
    inside a word or a number ("110 percent", "10 percents", "10 percent.5")."""

    def __init__(self, ids: dict[str, list[str]]) -> None:
        self.values = list(ids)
        self.ids = ids
        self.automaton = ahocorasick_rs.AhoCorasick(self.values, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)

    def any_in(self, text: str) -> bool:
        return next(self.find(text), None) is not None

    def find(self, text: str) -> Iterator[str]:
        for index, start, end in self.automaton.find_matches_as_indexes(text):
            if start and (text[start - 1].isalnum() or text[start - 1] in "_.,"):
                continue
            if end < len(text) and (text[end].isalnum() or text[end] == "_" or (
                    text[end] in ".," and end + 1 < len(text) and text[end + 1].isdigit())):
                continue
            yield self.values[index]


def _written_out(texts: dict[str, str]) -> _WrittenOut | None:
    ids: dict[str, list[str]] = {}
    for id, value in texts.items():
        if any(c.isdigit() for c in value) and any(c.isalpha() for c in value):
            ids.setdefault(value, []).append(id)
    return _WrittenOut(ids) if ids else None


def _retyped(doc: Document, path: Path_, text: str, written_out: _WrittenOut) -> Iterator[Problem]:
    """A warning for each agreed value typed out in a text instead of named."""
    for value in written_out.find(text):
        named = " or ".join(f"[[{id}]]" for id in written_out.ids[value])
        problem = doc.problem(path, f"'{shorten(value)}' is an agreed value, written out here: if this is "
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


def _taken(loaded: LoadedPlaybook, hints: _Hints) -> Iterator[Problem]:
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
            yield from _source_problems(settings, ("values", i, "from"), source, entries, hints)
        elif isinstance(value, str) and len(value) <= MAX_VALUE and "from" not in item \
                and item.get("independent") is not True:
            quantity = text_quantity(value)
            if quantity is not None:
                fields = fields if fields is not None else _number_fields(entries)
                if quantity in fields:
                    problem = settings.problem(("values", i, "value"), _twice(value, fields[quantity]))
                    yield dataclasses.replace(problem, severity="warning")


def _source_problems(settings: Document, path: Path_, source: tuple[str, str, str],
                     entries: dict[str, dict[str, Document]], hints: _Hints) -> Iterator[Problem]:
    kind, id, field = source
    if kind not in FIELDS:
        return  # the schema names the kinds
    noun = KIND_NAMES[kind]
    doc = entries[kind].get(id)
    if doc is None:
        other = next((k for k in FIELDS if k != kind and id in entries[k]), None)
        if other is not None:
            yield settings.problem((*path, "id"), f"'{shorten(id)}' is a {KIND_NAMES[other]}, not a {noun}: write "
                                   f"kind: {other}")
            if field in FIELDS[other]:
                return  # the field is right for that kind: one mistake, told once
        else:
            hint = did_you_mean(id, entries[kind]) if hints.take() else ""
            yield settings.problem((*path, "id"), f"'{shorten(id)}' is not a known {noun}" + (
                hint or f": give the id of a {noun}, the name of its file under {FOLDERS[kind]}/"))
    if field not in FIELDS[kind]:
        if any(field in names for names in FIELDS.values()):  # any other name, the schema reports
            yield settings.problem((*path, "field"), f"'{field}' is not a number field of a {noun}: take the value "
                                   f"from its {_either(FIELDS[kind])}")
        return
    if doc is not None and isinstance(doc.data, dict) and field not in doc.data:
        present = [name for name in FIELDS[kind] if name in doc.data]
        instead = f", or take the value from its {_either(present)}" if present else ""
        yield settings.problem((*path, "field"), f"{noun} '{shorten(id)}' has no {field}: add one to "
                               f"{doc.display}{instead}")


def _either(words: Sequence[str], last: str = "or") -> str:
    """'a', 'a or b', 'a, b or c'."""
    return f"{', '.join(words[:-1])} {last} {words[-1]}" if len(words) > 1 else "".join(words)


def _number_fields(entries: dict[str, dict[str, Document]]) -> dict[Quantity, list[tuple[str, str, str]]]:
    """Every number field a value may be taken from, by the quantity it states: (kind, id, field),
    in the order of kinds, then ids, then fields."""
    found: dict[Quantity, list[tuple[str, str, str]]] = {}
    for kind, names in FIELDS.items():
        for id, doc in sorted(entries[kind].items()):
            if isinstance(doc.data, dict) and doc.data.get("id", id) == id and _ID.fullmatch(id):
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
    also = f" (and {_either(others, 'and')})" if others else ""
    return (f"'{shorten(value)}' is also {named(places[0])}{also}: take it from there with from: {{kind: {kind}, "
            f"id: {id}, field: {field}}}, so that the number is written once; if the two are equal only by chance, "
            "add independent: true to this value")


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

