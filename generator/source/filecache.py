"""What was made from a file, remembered by the file's bytes: `mkdocs serve` checks the whole
playbook again after every save, and a file whose bytes have not changed is neither parsed nor
checked against its schema a second time.

The key holds the bytes themselves, not a hash of them or a modification time: a file rewritten
within one tick of the clock, or two files with the same hash, can never be taken for another.
(Whether a file need be read again at all is for its status to say: filebytes.unchanged.)
The cache is bounded by an estimate of the memory its entries hold, least recently used first
out.
"""

from __future__ import annotations

import copy
import json
import marshal
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any

from .problems import Problem
from .yamltree import Places

if TYPE_CHECKING:
    from .document import Document

# Estimated memory of all entries together. A 10,000-entry playbook (15 MB of YAML) takes
# about 130 MB by the estimate in loader.py, so the default holds a playbook of that size.
DEFAULT_BUDGET = 256 * 1024 * 1024


class ContentCache:
    """A bounded map from a key (holding a file's bytes) to what was made from them. Safe to use
    from several threads: `mkdocs serve` builds in one while the file watcher runs in another."""

    def __init__(self, budget: int = DEFAULT_BUDGET) -> None:
        self.budget = budget
        self.size = 0
        self._entries: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        """The value stored under key, or None."""
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            self._entries.move_to_end(key)
            return found[0]

    def put(self, key: Hashable, value: Any, size: int) -> None:
        """Store value under key, counted as size bytes; the oldest entries leave to make room.
        A value larger than the whole budget is not stored."""
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self.size -= old[1]
            if size > self.budget:
                return
            self._entries[key] = (value, size)
            self.size += size
            while self.size > self.budget:
                _, (_, dropped) = self._entries.popitem(last=False)
                self.size -= dropped

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.size = 0

    def __len__(self) -> int:
        return len(self._entries)


class Entry:
    """One file's outcome in the cache: the problems found reading it, or a copy of its document
    that no caller holds, and the problems its schema found once checked."""

    def __init__(self, problems: tuple[Problem, ...], loaded: bool) -> None:
        self.problems = problems
        self.loaded = loaded
        self._data: Any = None
        # The document's data as packed() made it, until it is first asked for (see keep_packed).
        self._packed: Any = None
        self.aliased = False
        self.places: Places | None = None
        self.checked: tuple[Problem, ...] | None = None
        # The screen of its texts (rules/text_screen.py), with the agreed values it was made for.
        self.screened: tuple[Any, Any] | None = None

    @property
    def data(self) -> Any:
        """The document's data as loaded: not to be changed (document() gives a copy)."""
        if self._packed is not None:
            self._data, self._packed = unpacked(self._packed), None
        return self._data

    def keep(self, doc: Document, aliased: bool, copy: bool = True) -> None:
        """Keep a copy of doc as loaded (aliased: whether an alias repeats a list or mapping).
        With copy=False, doc's own data is kept: for a process that ends once it has handed the
        document on (parallel.py), in which nothing changes it."""
        self.aliased = aliased
        self._data = _copy(doc.data, aliased) if copy else doc.data
        self.places = doc.places  # read-only once worked out: shared

    def keep_packed(self, packed: Any, aliased: bool, places: Places | None) -> None:
        """Keep a document's data as packed() made it, or as the JSON text quickyaml read it from,
        unpacked only when asked for: a document handed over by another process is unpacked
        once for its caller, and a second time only if the cache is asked for it again. Data
        marshal could not take is the caller's own once unpacked: a copy of it is kept."""
        self.aliased, self.places = aliased, places
        if isinstance(packed, tuple):
            self._data = _copy(packed[0], aliased)
        else:
            self._packed = packed

    def document(self, doc: Document, key: Hashable) -> Document | None:
        """doc filled with a copy of the document kept, or None for a file that was refused."""
        if not self.loaded:
            return None
        doc.data = unpacked(self._packed) if self._packed is not None else _copy(self._data, self.aliased)
        doc.places = self.places
        doc.source = key
        return doc


def packed(value: Any) -> Any:
    """Plain data made ready to keep or to send to another process: with marshal, which takes
    plain values three times faster than pickle gives them back, and keeps a list or mapping an
    alias repeats one object. Data marshal cannot take is kept as it is, with pickle to send it."""
    try:
        return marshal.dumps(value, marshal.version)
    except ValueError:
        return (value,)


def unpacked(packed: Any) -> Any:
    """A new copy of what packed() was given (data kept as it is: that data itself), or of the
    data a JSON text holds (a file quickyaml read: see Entry.keep_packed)."""
    if isinstance(packed, str):
        return json.loads(packed)
    return packed[0] if isinstance(packed, tuple) else marshal.loads(packed)


def _copy(data: Any, aliased: bool) -> Any:
    """A copy of data that shares no list or mapping with it. Text and numbers cannot change, so
    they are shared; where an alias put one list or mapping in two places, so does the copy."""
    if aliased:
        return copy.deepcopy(data)
    return _fresh(data) if isinstance(data, (dict, list)) else data


def _fresh(value: Any) -> Any:
    # Nested at most MAX_DEPTH levels (yamltree.py), so the recursion is bounded.
    out = value.copy()
    for place, item in (out.items() if type(out) is dict else enumerate(out)):
        if type(item) is dict or type(item) is list:
            out[place] = _fresh(item)
    return out


# The cache of files read, by each file's kind, path, bounds and bytes (loader.py).
FILES = ContentCache()


def entry_of(doc: Document) -> Entry | None:
    """What the cache of files read holds for the file doc was read from: the entry it was read
    with (asking FILES again, for each document and each check, took a lock and a hash of the
    file's bytes each time), else the one FILES holds now, if any."""
    entry: Entry | None = doc.__dict__.get(_ENTRY)
    if entry is None and doc.source is not None:
        entry = FILES.get(doc.source)
    return entry


def tie(doc: Document | None, entry: Entry) -> Document | None:
    """doc, knowing the entry it was read with (entry_of)."""
    if doc is not None:
        doc.__dict__[_ENTRY] = entry
    return doc


_ENTRY = "_entry"


def checked(doc: Document, check: Callable[[Document], list[Problem]]) -> list[Problem]:
    """check(doc), remembered with the file doc was read from, for a document as loaded (its data
    unchanged): the same bytes give the same problems."""
    entry = entry_of(doc)
    if entry is None:
        return check(doc)
    if entry.checked is None:
        entry.checked = tuple(check(doc))
    return list(entry.checked)
