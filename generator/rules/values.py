"""Named values: a number or rule both teams agreed, declared once in playbook.yaml (`values`)
and shown in any text of the playbook by its id in double square brackets: `[[discount-ae-max]]`.

A reference is exactly `[[`, an id, `]]`. Text in double brackets that reads as a name but is not
an id (`[[Bad Name]]`, `[[discount_ae_max]]`) is a mistake, and so is an id no value has: the
check reports both, where they are. Anything else in double brackets (`[[7*7]]`) is plain text.

A value is written out (`value`) or taken from a number field of a handoff or shared goal (`from:
{kind: handoff, id: mql-to-sal, field: service_level}`), so that a number both teams agreed is
written once: its text is then the field's, in the words the site uses for it (see numbers.py).
value_references.py checks the references in texts (and values typed out instead of named);
value_declarations.py checks the values declared (a `from` that names no such field, a written
value that states the same quantity as such a field).

A value is untrusted text like any other: the renderer escapes it where it shows it (see
render.inline), and a value cannot name another value, so nothing is expanded twice. Every
scan here is one pass of a regular expression that cannot backtrack, linear in the text.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from ..source import lasting
from ..source.document import Document
from ..source.loader import LoadedPlaybook
from ..source.numbers import FIELDS, field_text
from ..source.paths import Path_
from ..source.schemas import ID_PATTERN, ecma_pattern
from ..source.yamltree import MAX_EXPANDED_CHARS
from .agreed_reasons import reason_texts
from .value_compute import evaluate

# A reference: [[ an id ]], nothing else inside.
REFERENCE = re.compile(r"\[\[([a-z0-9]+(?:-[a-z0-9]+)*)\]\]")
# Anything in double brackets with no bracket inside: a reference, a mistaken one, or plain text.
BRACKETED = re.compile(r"\[\[([^\[\]]*)\]\]")
# The same in texts joined by NULs (joined_texts), never across two of them.
BRACKETED_JOINED = re.compile(r"\[\[([^\[\]\0]*)\]\]")
NAME_LIKE = re.compile(r"[\w\s-]+")
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
# An entry's id as the schema has it.
ID = ecma_pattern(ID_PATTERN)


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


def named_in(joined: str) -> tuple[str, ...] | None:
    """The id of every value texts joined by NULs name, in order, or None if something in double
    brackets is not a reference as it should be written and could be a mistaken one (what
    value_references.py tells of it needs the text's path). Plain text in double brackets, with
    no letter or digit, is neither."""
    names: list[str] = []
    for match in BRACKETED_JOINED.finditer(joined):
        inside = match.group(1)
        if REFERENCE.fullmatch(match.group()):
            names.append(inside)
        elif mistaken(inside):
            return None
    return tuple(names)


def mistaken(inside: str) -> bool:
    """Whether what double brackets hold, not a reference as written, reads as a name meant for
    one: words, spaces and hyphens with a letter or digit among them (plain text is neither)."""
    return NAME_LIKE.fullmatch(inside) is not None and any(c.isalnum() for c in inside)


def joined_texts(data: Any) -> tuple[str, int]:
    """Every string strings() finds in data, in its order, joined by NULs, and how many there are:
    what a screen reads, without the path of each."""
    found = texts_in(data)
    return "\0".join(found), len(found)


def texts_in(data: Any, skipped: frozenset[str] = _NOT_TEXT) -> list[str]:
    """Every string strings() finds in data, in its order, without the path of each (data may be
    deep, and is walked without recursion); a dataclass counts as the mapping of its fields.
    skipped: the names of fields whose values are not texts (by default, links)."""
    found: list[str] = []
    stack: list[Any] = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            stack.extend(reversed([item for key, item in value.items() if key not in skipped]))
        elif isinstance(value, (list, tuple)):
            stack.extend(reversed(value))
        elif hasattr(value, "__dataclass_fields__"):
            stack.extend(reversed([getattr(value, key) for key in value.__dataclass_fields__ if key not in skipped]))
    return found


@dataclass(frozen=True)
class Screen:
    """What one pass over a document's texts found, for the checks that read every text
    (text_screen.py): the characters written, whether a value is named ([[), typed out as
    written (retyped) or as a number (typed), whether a text quotes anything, and the
    placeholder problems of the document (before other problems are taken away)."""

    written: int
    named: bool
    retyped: bool
    typed: bool
    quoted: bool
    placeholders: tuple[Any, ...]
    # The id of every value the texts name, in order, when each [[...]] in them is a reference as
    # it should be written; None when some may be a mistaken one, or the pass did not look.
    names: tuple[str, ...] | None = None


class _Run:
    """What one validation run worked out about each document, by the document's id (with its
    data, so that an id reused by a new object is not taken for the old one): its texts, which
    three checks read, gathered once; and its screen."""

    def __init__(self) -> None:
        self.texts: dict[int, tuple[Any, list[tuple[Path_, str]]]] = {}
        self.screens: dict[int, tuple[Any, Screen]] = {}


# None: not in a run, nothing kept.
_RUN: ContextVar[_Run | None] = ContextVar("what this run worked out about each document", default=None)


@contextmanager
def texts_kept() -> Iterator[None]:
    """Within the block, texts_of gathers each document's texts once, and screens are kept."""
    run = _Run()
    token = _RUN.set(run)
    try:
        yield
    finally:
        _RUN.reset(token)
        lasting.keep(run)


def _of(kept: dict[int, tuple[Any, Any]], doc: Document) -> Any:
    found = kept.get(id(doc))
    return found[1] if found is not None and found[0] is doc.data else None


def keep_screens(documents: list[Document], screens: list[Screen | None]) -> None:
    """Keep each document's screen for the rest of the run (within texts_kept())."""
    run = _RUN.get()
    if run is not None:
        run.screens.update((id(doc), (doc.data, screen)) for doc, screen in zip(documents, screens, strict=True)
                           if screen is not None)


def screen_of(doc: Document) -> Screen | None:
    """The screen kept for a document as it is, or None (then its texts are read)."""
    run = _RUN.get()
    return _of(run.screens, doc) if run is not None else None


def texts_of(doc: Document) -> list[tuple[Path_, str]]:
    """(path, text) of every string in a document, as strings() gives them; gathered once per
    document within texts_kept()."""
    run = _RUN.get()
    if run is None:
        return list(strings(doc.data))
    found: list[tuple[Path_, str]] | None = _of(run.texts, doc)
    if found is None:
        found = list(strings(doc.data))
        run.texts[id(doc)] = (doc.data, found)
    return found


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
    """The text of each declared value as the site shows it, by id: as written, taken from its
    number field, or, for a value computed and not taken from a field, what it computes to. A value
    whose text cannot be found is left out (the check says why)."""
    texts = given_texts(loaded)
    results = evaluate(declared(loaded.settings), texts).results
    for id, result in results.items():
        texts.setdefault(id, result.text)
    return texts


def given_texts(loaded: LoadedPlaybook) -> dict[str, str]:
    """The texts of the values written out or taken from a number field (and of the agreed reasons)."""
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
    # An agreed reason is named as a value is, [[id]], and shows its text with the values it names.
    for id, text in reason_texts(loaded.settings).items():
        texts.setdefault(id, expand(text, texts))
    return texts


def expansion_budget(written: int) -> int:
    """How long a file's texts may be with their named values written out, when they are
    `written` characters long as written."""
    return min(MAX_EXPANDED_CHARS, EXPANSION_FACTOR * written + EXPANSION_ALLOWANCE)


def uses(entries: Iterator[tuple[str, str, Any]]) -> dict[str, list[Use]]:
    """For each value id, the texts that name it: entries are (kind, id, data); one Use per entry
    and top-level field, in the order given. A dataclass in data counts as the mapping of its
    fields."""
    found: dict[str, dict[Use, None]] = {}
    for kind, id, data in entries:
        for field, text in _naming_kept(data):
            for name in names(text):
                found.setdefault(name, {})[Use(kind, id, field)] = None
    return {name: list(places) for name, places in found.items()}


def _naming_kept(data: Any) -> Iterable[tuple[str, str]]:
    """_naming(data), kept for data equal to it (an entry of the model, or the mapping of its
    fields): every build of `mkdocs serve` reads every entry's texts again, and a saved file
    changes one."""
    if isinstance(data, dict) or hasattr(data, "__dataclass_fields__"):
        try:
            return _entry_naming(tuple(data.items()) if isinstance(data, dict) else data)
        except TypeError:  # holds a mapping or a list: not kept
            pass
    return _naming(data)


@functools.lru_cache(maxsize=1 << 15)
def _entry_naming(entry: Any) -> tuple[tuple[str, str], ...]:
    """_naming of an entry, or of a mapping given as its items."""
    return tuple(_naming(dict(entry) if isinstance(entry, tuple) else entry))


def _naming(data: Any) -> Iterator[tuple[str, str]]:
    """(top-level field, text) of every text in data that names something ([[), in the order
    strings() gives them, without the path of each: most texts name nothing."""
    if isinstance(data, str):
        if "[[" in data:
            yield "", data
        return
    for key, top in _members(data):
        yield from ((str(key), text) for text in texts_in(top) if "[[" in text)


def _members(value: Any) -> list[tuple[Any, Any]]:
    """The top-level parts of data, with their keys, as strings() walks them: a mapping's items, a
    dataclass's fields, a list's items; none for anything else."""
    if isinstance(value, dict):
        return [(key, item) for key, item in value.items() if key not in _NOT_TEXT]
    if isinstance(value, (list, tuple)):
        return list(enumerate(value))
    if hasattr(value, "__dataclass_fields__"):
        return [(key, getattr(value, key)) for key in value.__dataclass_fields__ if key not in _NOT_TEXT]
    return []
