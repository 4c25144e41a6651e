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

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import yaml

from . import yaml_rules as r
from .file_rules import INVISIBLE_CHARACTER, TAB_CHARACTER
from .paths import Path_ as Path_
from .paths import Position as Position
from .paths import format_path as format_path
from .paths import shorten as shorten
from .problems import Problem, Rule
from .scalars import IN_VALUES as _IN_VALUES
from .scalars import REFUSED as REFUSED
from .scalars import RESOLVER as _resolver
from .scalars import SCALARS as _SCALARS
from .scalars import STR as STR
from .scalars import TIMESTAMP as _TIMESTAMP
from .scalars import check_memo as _check_memo
from .scalars import implicit_tag as _implicit_tag
from .scalars import refused as refused
from .scalars import show_tag as _show_tag
from .scalars import tag as _tag

MAX_NODES = 100_000
MAX_DEPTH = 50
TOO_DEEP = (f"nested more than {MAX_DEPTH} levels deep: a playbook entry needs a few levels at most; check the "
            "brackets and the indentation")
# The text a file may stand for once its aliases are expanded: as much as the file may hold.
MAX_EXPANDED_CHARS = 1_000_000

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Where the value of a refused field name (a merge key, a duplicate) would go: it is not kept.
_SKIPPED = "\0"
_COLLECTIONS = {"tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"}
_ScalarNode = yaml.ScalarNode
_ScalarEvent, _AliasEvent, _DocumentStartEvent = yaml.ScalarEvent, yaml.AliasEvent, yaml.DocumentStartEvent
_MappingStartEvent, _MappingEndEvent = yaml.MappingStartEvent, yaml.MappingEndEvent
_SequenceStartEvent, _SequenceEndEvent = yaml.SequenceStartEvent, yaml.SequenceEndEvent


@dataclass
class Tree:
    """What one YAML text holds: its data, where each value and key is, and how each value that
    YAML did not read as text was written (so a message can quote `NO`, not `False`)."""

    data: Any = None
    positions: dict[Path_, Position] = field(default_factory=dict)
    key_positions: dict[Path_, Position] = field(default_factory=dict)
    written: dict[Path_, str] = field(default_factory=dict)
    # Whether an alias (*name) repeats a list or mapping: then one object is in two places.
    aliased: bool = False
    # The data as JSON, when quickyaml read it: the cache of files read keeps that as its copy.
    json: str | None = None


class Places:
    """Where each value and key of one YAML text is, and how each value that is not text was
    written, worked out the first time they are asked for, by reading the text again: most
    files have no problem to show, and noting every place of every file took a third of the
    time of reading them (and most of their memory)."""

    def __init__(self, display: str, text: str, clean: bool) -> None:
        self._source: tuple[str, str, bool] | None = (display, text, clean)
        self._maps: tuple[Mapping[Path_, Position], Mapping[Path_, Position], Mapping[Path_, str]] | None = None

    def _read(self) -> tuple[Mapping[Path_, Position], Mapping[Path_, Position], Mapping[Path_, str]]:
        if self._maps is None and self._source is not None:
            display, text, clean = self._source
            tree = TreeBuilder(display).build(text, clean)
            # Read-only: documents of the same bytes share them (filecache.py).
            self._maps = (MappingProxyType(tree.positions), MappingProxyType(tree.key_positions),
                          MappingProxyType(tree.written))
            self._source = None
        return self._maps or (_NOWHERE, _NOWHERE, _NOWHERE)

    @property
    def positions(self) -> Mapping[Path_, Position]:
        return self._read()[0]

    @property
    def key_positions(self) -> Mapping[Path_, Position]:
        return self._read()[1]

    @property
    def written(self) -> Mapping[Path_, str]:
        return self._read()[2]


_NOWHERE: Mapping[Any, Any] = MappingProxyType({})


class _Stop(Exception):
    """A limit was passed: the rest of the file is not read."""


class _Open:
    """A list or mapping being built, with the key waiting for its value in a mapping."""

    __slots__ = ("value", "path", "anchor", "start", "is_map", "key", "key_ok", "lines")

    def __init__(self, value: Any, path: Path_, anchor: str | None, start: tuple[int, int]) -> None:
        self.value = value
        self.path = path
        self.anchor = anchor
        self.start = start  # values and characters counted when it opened
        self.is_map = isinstance(value, dict)
        self.key: str | None = None
        self.key_ok = True
        self.lines: dict[str, Any] = {}  # where each field name was given (a libyaml mark)


class TreeBuilder:
    """Reads the events of one YAML text into a Tree; every problem is located in the file."""

    def __init__(self, display: str, record: bool = True) -> None:
        self.display = display
        # Whether to note where each value and key is, and how each value that is not text was
        # written (Tree.positions, key_positions, written): the loader asks only for the files
        # with a problem to show.
        self.record = record
        self.tree = Tree()
        self.problems: list[Problem] = []
        self.values = 0
        self.chars = 0
        self.anchors: dict[str, tuple[Any, int, int] | None] = {}
        self.stack: list[_Open] = []
        self.root_set = False
        # Whether the text is known to hold no refused character, tab or CR (see build).
        self.clean = False

    def fail(self, rule: Rule, mark: Any, path: Path_, message: str) -> None:
        self.problems.append(rule.at(self.display, *_position(mark), format_path(path), message))

    def build(self, text: str, clean: bool = False) -> Tree:
        """The tree of text; YAML syntax errors propagate as yaml.MarkedYAMLError.

        With clean=True the caller vouches that text holds no refused character, no tab and no
        CR: then only a double-quoted scalar, whose escapes can write any character, needs its
        characters checked; every other scalar holds only characters of the file, spaces and
        line breaks.
        """
        self.clean = clean
        _check_memo()
        parser = _Loader(text)
        try:
            self._read(parser.get_event)
        except _Stop:
            pass
        finally:
            parser.dispose()
        return self.tree

    # -- events -------------------------------------------------------------------------------

    def _read(self, next_event: Callable[[], Any]) -> None:
        """Every event in one loop: values and field names, nine events in ten, are read here
        without a call (this loop is most of the time `playbook validate` takes); the rest, and
        every problem, go through the methods below."""
        stack = self.stack
        tree = self.tree
        positions, key_positions = tree.positions, tree.key_positions
        resolvers = _resolver.yaml_implicit_resolvers
        clean, record = self.clean, self.record
        # Whether plain text may be read as another type from any first character at all.
        from_any = None in resolvers
        documents = 0
        while True:
            event = next_event()
            kind = event.__class__
            if kind is not _ScalarEvent:
                if kind is _DocumentStartEvent:
                    documents += 1
                    if documents > 1:
                        self.fail(r.SECOND_DOCUMENT, event.start_mark, (), "a second document starts here (---): a "
                                  "file holds one entry, so split it in two files")
                        return
                elif kind is _MappingStartEvent or kind is _SequenceStartEvent:
                    self._open(event)
                elif kind is _MappingEndEvent or kind is _SequenceEndEvent:
                    self._close()
                elif kind is _AliasEvent:
                    self._alias(event)
                elif event is None:
                    return
                continue
            text = event.value
            self.values += 1
            self.chars += len(text)
            if self.values > MAX_NODES or self.chars > MAX_EXPANDED_CHARS:
                self._count(event.start_mark, 0, 0)
            tag = event.tag
            if tag is None:
                implicit = event.implicit
                # Quoted text is text; plain text is read as another type only from a few first characters.
                tag = STR if not implicit[0] or (text and text[0] not in resolvers and not from_any) \
                    else _implicit_tag(text, implicit)
            top = stack[-1] if stack else None
            if top is not None and top.is_map:
                if not top.key_ok:
                    top.key_ok = True  # the value of a refused key: skipped
                    continue
                if top.key is None:  # a field name
                    if tag != STR:
                        tag = self._odd_key(event, top)
                        if tag is None:
                            continue
                    if not clean or event.style == '"':
                        self._refused(event, top.path, text)
                    if text in top.lines:
                        self._duplicate(event.start_mark, top, text)
                        continue
                    top.lines[text] = event.start_mark
                    top.key = text
                    if record:
                        key_positions[top.path + (text,)] = _position(event.start_mark)
                    continue
            if tag == "!":
                tag = _implicit_tag(text, event.implicit)
            if tag in (STR, _TIMESTAMP):  # dates stay text: the schema checks them (format: date)
                value: Any = text
                if not clean or event.style == '"':
                    self._refused(event, self._path(), text)
            else:
                value = self._typed(event, tag)
            if record:
                path = self._path()
                positions[path] = _position(event.start_mark)
                if tag != STR and tag in _SCALARS:
                    tree.written[path] = text
            if event.anchor is not None:
                self._anchor(event, (value, 1, len(text)))
            if top is None:
                tree.data = value
                self.root_set = True
            elif top.is_map:
                top.value[top.key] = value
                top.key = None
            else:
                top.value.append(value)

    def _path(self) -> Path_:
        if not self.stack:
            return ()
        top = self.stack[-1]
        if not top.is_map:
            return top.path + (len(top.value),)
        if not top.key_ok:
            return top.path + (_SKIPPED,)
        return top.path + (top.key,) if top.key is not None else top.path

    def _expecting_key(self) -> bool:
        return bool(self.stack) and self.stack[-1].is_map and self.stack[-1].key is None and self.stack[-1].key_ok

    def _count(self, mark: Any, values: int, chars: int) -> None:
        self.values += values
        self.chars += chars
        if self.values > MAX_NODES or self.chars > MAX_EXPANDED_CHARS:
            self.fail(r.FILE_HOLDS_TOO_MUCH, mark, self._path(), "the file holds too much: more than "
                      f"{MAX_NODES:,} values or {MAX_EXPANDED_CHARS:,} characters of text once its aliases "
                      "(*name) are repeated; split the entry or write the repeated parts once")
            raise _Stop

    def _typed(self, event: Any, tag: str) -> Any:
        """A value YAML reads as other than text (a number, true, null), or None with a problem
        for a tag that is not allowed."""
        constructor = _SCALARS.get(tag)
        if constructor is None:
            self.fail(r.YAML_TAG, event.start_mark, self._path(),
                      f"the tag {_show_tag(tag)} is not allowed: write plain values")
            return None
        value = constructor(yaml.ScalarNode(tag, event.value, style=event.style))
        if not self.clean or event.style == '"':
            self._refused(event, self._path(), event.value)
        return value

    def _odd_key(self, event: Any, top: _Open) -> str | None:
        """The tag of a field name that is not plain text to YAML, or None with a problem when a
        field cannot have that name."""
        tag = _tag(event)
        if tag == "tag:yaml.org,2002:merge":
            self.fail(r.MERGE_KEY, event.start_mark, top.path,
                      "merge keys (<<) are not supported: write the fields out")
            top.key_ok = False
            return None
        if tag not in _SCALARS:
            self.fail(r.KEY_NOT_TEXT, event.start_mark, top.path, "a field name must be plain text")
            top.key_ok = False
            return None
        return tag

    def _duplicate(self, mark: Any, top: _Open, key: str) -> None:
        self.fail(r.DUPLICATE_KEY, mark, top.path + (key,), f"duplicate field '{shorten(key)}' (first given on "
                  f"line {top.lines[key].line + 1}): YAML would keep only the last one; merge them")
        top.key_ok = False

    def _refused(self, event: Any, path: Path_, text: str) -> None:
        """Escapes in quoted text ("\\e", "\\N", "\\u202e") can write what the file may not hold."""
        # A raw CR ends a line in YAML and never reaches a value; one in a value came from "\\r".
        match = REFUSED.search(text) or _IN_VALUES.search(text)
        if match:
            if match.group() == "\t":
                self.fail(TAB_CHARACTER, event.start_mark, path, "a tab character is not allowed: write a space")
            else:
                self.fail(INVISIBLE_CHARACTER, event.start_mark, path, refused(match.group()))

    def _open(self, event: Any) -> None:
        if self._expecting_key():
            self.fail(r.KEY_NOT_TEXT, event.start_mark, self.stack[-1].path, "a field name must be plain text")
            raise _Stop
        path = self._path()
        if len(self.stack) >= MAX_DEPTH:
            self.fail(r.NESTING_TOO_DEEP, event.start_mark, path, TOO_DEEP)
            raise _Stop
        self._count(event.start_mark, 1, 0)
        if event.tag not in (None, "!") and event.tag not in _COLLECTIONS:
            self.fail(r.YAML_TAG, event.start_mark, path,
                      f"the tag {_show_tag(event.tag)} is not allowed: write plain values")
        value: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
        if self.record:
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
            self.fail(r.KEY_NOT_TEXT, event.start_mark, self.stack[-1].path, "a field name must be plain text")
            raise _Stop
        anchor = event.anchor
        if anchor not in self.anchors:
            self.fail(r.UNKNOWN_ALIAS, event.start_mark, path,
                      f"*{shorten(str(anchor))} names no anchor (&name) given before it")
            raise _Stop
        known = self.anchors[anchor]
        if known is None:
            self.fail(r.ALIAS_LOOP, event.start_mark, path,
                      f"*{shorten(str(anchor))} repeats the value that contains it: a value cannot hold itself")
            raise _Stop
        value, values, chars = known
        self._count(event.start_mark, values, chars)
        self.tree.aliased = True
        if self.record:
            self.tree.positions[path] = _position(event.start_mark)
        self._attach(path, value)

    def _anchor(self, event: Any, value: tuple[Any, int, int] | None) -> None:
        if event.anchor in self.anchors:
            self.fail(r.ANCHOR_TWICE, event.start_mark, self._path(),
                      f"the anchor &{shorten(str(event.anchor))} is given twice: give each anchor its own name")
            raise _Stop
        self.anchors[event.anchor] = value

    def _attach(self, path: Path_, value: Any) -> None:
        if not self.stack:
            self.tree.data = value
            self.root_set = True
            return
        top = self.stack[-1]
        if not top.is_map:
            top.value.append(value)
        elif not top.key_ok:
            top.key_ok = True
        elif top.key is not None:
            top.value[top.key] = value
            top.key = None


def _position(mark: Any) -> Position:
    """A libyaml mark as the line and column people count, from 1."""
    return mark.line + 1, mark.column + 1
