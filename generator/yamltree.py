"""Build plain data from YAML text one event at a time, with every limit checked as it goes.

PyYAML's own composer recurses once per level of nesting, in C: a file of 30,000 nested brackets
ends the process with a segmentation fault before any Python check can run. libyaml's event
parser keeps its own stack and does not recurse, so this module reads its events and builds
dicts, lists and scalars with an explicit stack, stopping at the first level past the limit.

Aliases are followed by sharing the anchored value, never by copying it, and every alias adds
the size of what it repeats to the file's count of values and characters: a few aliases can
no longer make a 1 MB file stand for gigabytes of text on the site.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from .errors import Problem

MAX_NODES = 100_000
MAX_DEPTH = 50
# The text a file may stand for once its aliases are expanded: as much as the file may hold.
MAX_EXPANDED_CHARS = 1_000_000

Path_ = tuple[str | int, ...]
Position = tuple[int, int]

# Characters refused anywhere in a file, each reported where it is: the control characters
# YAML itself refuses, line and paragraph separators (editors and YAML disagree on whether
# they end a line), and the invisible controls that make text display in another order than
# it is written (U+202A-U+202E, U+2066-U+2069).
REFUSED = re.compile("[^\\x09\\x0A\\x0D\\x20-\\x7E\\xA0-\\uD7FF\\uE000-\\uFFFD\\U00010000-\\U0010FFFF]"
                      "|[\\u2028\\u2029\\u202A-\\u202E\\u2066-\\u2069]")
# Refused in values too, though a file may hold them as indentation or line ends.
_IN_VALUES = re.compile("[\t\r]")
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_resolver: Any = yaml.resolver.Resolver()
_constructor = yaml.constructor.SafeConstructor()
STR = "tag:yaml.org,2002:str"
_SCALARS: dict[str, Callable[[Any], Any]] = {
    STR: lambda node: node.value,
    # Dates stay text: the schema checks them with `format: date`.
    "tag:yaml.org,2002:timestamp": lambda node: node.value,
    "tag:yaml.org,2002:int": _constructor.construct_yaml_int,
    "tag:yaml.org,2002:float": _constructor.construct_yaml_float,
    "tag:yaml.org,2002:bool": _constructor.construct_yaml_bool,
    "tag:yaml.org,2002:null": lambda node: None,
}
# Where the value of a refused field name (a merge key, a duplicate) would go: it is not kept.
_SKIPPED = "\0"
_COLLECTIONS = {"tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"}


def format_path(path: Path_) -> str:
    """('stages', 0, 'name') -> 'stages[0].name'."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _PLAIN_KEY.fullmatch(part):
            out += ("." if out else "") + part
        else:  # a key with spaces or odd characters is quoted, so the path reads unambiguously
            out += "['" + shorten(part, 40) + "']"
    return out


_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]{1,40}")


def shorten(text: str, limit: int = 60) -> str:
    """Text for a message: at most `limit` characters, with an ellipsis where it was cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class Tree:
    """What one YAML text holds: its data, where each value and key is, and how each value that
    YAML did not read as text was written (so a message can quote `NO`, not `False`)."""

    data: Any = None
    positions: dict[Path_, Position] = field(default_factory=dict)
    key_positions: dict[Path_, Position] = field(default_factory=dict)
    written: dict[Path_, str] = field(default_factory=dict)


class _Stop(Exception):
    """A limit was passed: the rest of the file is not read."""


@dataclass
class _Open:
    """A list or mapping being built, with the key waiting for its value in a mapping."""

    value: Any
    path: Path_
    anchor: str | None
    start: tuple[int, int]  # values and characters counted when it opened
    key: str | None = None
    key_ok: bool = True
    lines: dict[str, int] = field(default_factory=dict)


class TreeBuilder:
    """Reads the events of one YAML text into a Tree; every problem is located in the file."""

    def __init__(self, display: str) -> None:
        self.display = display
        self.tree = Tree()
        self.problems: list[Problem] = []
        self.values = 0
        self.chars = 0
        self.anchors: dict[str, tuple[Any, int, int] | None] = {}
        self.stack: list[_Open] = []
        self.root_set = False

    def fail(self, mark: Any, path: Path_, message: str) -> None:
        self.problems.append(Problem(self.display, *_position(mark), format_path(path), message))

    def build(self, text: str) -> Tree:
        """The tree of text; YAML syntax errors propagate as yaml.MarkedYAMLError."""
        documents = 0
        try:
            for event in _events(text):
                if isinstance(event, yaml.DocumentStartEvent):
                    documents += 1
                    if documents > 1:
                        self.fail(event.start_mark, (), "a second document starts here (---): a file holds "
                                  "one entry, so split it in two files")
                        raise _Stop
                self._event(event)
        except _Stop:
            pass
        return self.tree

    # -- events -------------------------------------------------------------------------------

    def _event(self, event: Any) -> None:
        if isinstance(event, yaml.ScalarEvent):
            self._scalar(event)
        elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            self._open(event)
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            self._close()
        elif isinstance(event, yaml.AliasEvent):
            self._alias(event)

    def _path(self) -> Path_:
        if not self.stack:
            return ()
        top = self.stack[-1]
        if isinstance(top.value, list):
            return top.path + (len(top.value),)
        if not top.key_ok:
            return top.path + (_SKIPPED,)
        return top.path + (top.key,) if top.key is not None else top.path

    def _expecting_key(self) -> bool:
        return bool(self.stack) and isinstance(self.stack[-1].value, dict) and self.stack[-1].key is None \
            and self.stack[-1].key_ok

    def _count(self, mark: Any, values: int, chars: int) -> None:
        self.values += values
        self.chars += chars
        if self.values > MAX_NODES or self.chars > MAX_EXPANDED_CHARS:
            self.fail(mark, self._path(), "the file holds too much: more than "
                      f"{MAX_NODES:,} values or {MAX_EXPANDED_CHARS:,} characters of text once its aliases "
                      "(*name) are repeated; split the entry or write the repeated parts once")
            raise _Stop

    def _scalar(self, event: Any) -> None:
        self._count(event.start_mark, 1, len(event.value))
        if self._expecting_key():
            self._key(event)
            return
        if self.stack and isinstance(self.stack[-1].value, dict) and not self.stack[-1].key_ok:
            self.stack[-1].key_ok = True  # the value of a refused key: skipped
            return
        tag = _tag(event)
        path = self._path()
        constructor = _SCALARS.get(tag)
        if constructor is None:
            self.fail(event.start_mark, path, f"the tag {_show_tag(tag)} is not allowed: write plain values")
            value = None
        else:
            value = constructor(yaml.ScalarNode(tag, event.value, style=event.style))
            if tag != STR:
                self.tree.written[path] = event.value
            self._refused(event, path, event.value)
        self._place(event, path, value, (1, len(event.value)))

    def _key(self, event: Any) -> None:
        top = self.stack[-1]
        tag = _tag(event)
        if tag == "tag:yaml.org,2002:merge":
            self.fail(event.start_mark, top.path, "merge keys (<<) are not supported: write the fields out")
            top.key_ok = False
            return
        if tag not in _SCALARS:
            self.fail(event.start_mark, top.path, "a field name must be plain text")
            top.key_ok = False
            return
        key = str(event.value)
        self._refused(event, top.path, key)
        line = event.start_mark.line + 1
        if key in top.lines:
            self.fail(event.start_mark, top.path + (key,),
                      f"duplicate field '{shorten(key)}' (first given on line {top.lines[key]}): "
                      "YAML would keep only the last one; merge them")
            top.key_ok = False
            return
        top.lines[key] = line
        top.key = key
        self.tree.key_positions[top.path + (key,)] = _position(event.start_mark)

    def _refused(self, event: Any, path: Path_, text: str) -> None:
        """Escapes in quoted text ("\\e", "\\N", "\\u202e") can write what the file may not hold."""
        # A raw CR ends a line in YAML and never reaches a value; one in a value came from "\\r".
        match = REFUSED.search(text) or _IN_VALUES.search(text)
        if match:
            tab = match.group() == "\t"
            self.fail(event.start_mark, path, "a tab character is not allowed: write a space" if tab
                      else refused(match.group()))

    def _open(self, event: Any) -> None:
        if self._expecting_key():
            self.fail(event.start_mark, self.stack[-1].path, "a field name must be plain text")
            raise _Stop
        path = self._path()
        if len(self.stack) >= MAX_DEPTH:
            self.fail(event.start_mark, path, f"nested more than {MAX_DEPTH} levels deep: a playbook entry needs "
                      "a few levels at most; check the brackets and the indentation")
            raise _Stop
        self._count(event.start_mark, 1, 0)
        if event.tag not in (None, "!") and event.tag not in _COLLECTIONS:
            self.fail(event.start_mark, path, f"the tag {_show_tag(event.tag)} is not allowed: write plain values")
        value: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
        self.tree.positions[path] = _position(event.start_mark)
        if event.anchor is not None:
            self._anchor(event, None)
        self.stack.append(_Open(value, path, event.anchor, (self.values - 1, self.chars)))

    def _close(self) -> None:
        done = self.stack.pop()
        if done.anchor is not None:
            self.anchors[done.anchor] = (done.value, self.values - done.start[0], self.chars - done.start[1])
        self._attach(done.path, done.value)

    def _alias(self, event: Any) -> None:
        path = self._path()
        if self._expecting_key():
            self.fail(event.start_mark, self.stack[-1].path, "a field name must be plain text")
            raise _Stop
        anchor = event.anchor
        if anchor not in self.anchors:
            self.fail(event.start_mark, path, f"*{shorten(str(anchor))} names no anchor (&name) given before it")
            raise _Stop
        known = self.anchors[anchor]
        if known is None:
            self.fail(event.start_mark, path, f"*{shorten(str(anchor))} repeats the value that contains it: "
                      "a value cannot hold itself")
            raise _Stop
        value, values, chars = known
        self._count(event.start_mark, values, chars)
        self.tree.positions[path] = _position(event.start_mark)
        self._attach(path, value)

    def _anchor(self, event: Any, value: tuple[Any, int, int] | None) -> None:
        if event.anchor in self.anchors:
            self.fail(event.start_mark, self._path(), f"the anchor &{shorten(str(event.anchor))} is given twice: "
                      "give each anchor its own name")
            raise _Stop
        self.anchors[event.anchor] = value

    def _place(self, event: Any, path: Path_, value: Any, size: tuple[int, int]) -> None:
        self.tree.positions[path] = _position(event.start_mark)
        if event.anchor is not None:
            self._anchor(event, (value, *size))
        self._attach(path, value)

    def _attach(self, path: Path_, value: Any) -> None:
        if not self.stack:
            self.tree.data = value
            self.root_set = True
            return
        top = self.stack[-1]
        if isinstance(top.value, list):
            top.value.append(value)
        elif not top.key_ok:
            top.key_ok = True
        elif top.key is not None:
            top.value[top.key] = value
            top.key = None


def _tag(event: Any) -> str:
    """A scalar's tag: the one written, or the one YAML's rules give its plain text."""
    if event.tag is None or event.tag == "!":
        return str(_resolver.resolve(yaml.ScalarNode, event.value, event.implicit))
    return str(event.tag)


def _position(mark: Any) -> Position:
    """A libyaml mark as the line and column people count, from 1."""
    return mark.line + 1, mark.column + 1


def _events(text: str) -> Iterator[Any]:
    return iter(yaml.parse(text, Loader=_Loader))


def _show_tag(tag: str) -> str:
    return shorten(tag.replace("tag:yaml.org,2002:", "!!"), 40)


def refused(char: str) -> str:
    code = f"U+{ord(char):04X}"
    name = unicodedata.name(char, "control character").lower()
    if char in "\u2028\u2029":
        return f"{code} ({name}) is not allowed: use an ordinary line break"
    if unicodedata.category(char) == "Cf":
        return (f"{code} ({name}) is not allowed: it makes text display in another order than it is "
                "written; delete it")
    return f"{code} ({name}) is not allowed: delete it (most editors do not show it)"
