"""One YAML file as read: its kind, its data, and where each value and key was written, so every
problem found in it can name its file, line and column."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .paths import Path_, Position, format_path
from .problems import Problem, Rule
from .yamltree import Places


@dataclass
class Document:
    """One YAML file: its data and the line and column of every value and key in it."""

    kind: str
    path: Path
    display: str
    data: Any = None
    # Where each value and key is, worked out from the file when first asked for.
    places: Places | None = field(default=None, compare=False, repr=False)
    # What the file was read from, as the cache of files read knows it (None: not from a file).
    source: Hashable | None = field(default=None, compare=False, repr=False)

    @property
    def positions(self) -> Mapping[Path_, Position]:
        """Line and column of each value, by path (read-only)."""
        return self.places.positions if self.places is not None else {}

    @property
    def key_positions(self) -> Mapping[Path_, Position]:
        """Line and column of each field name, by the path of its value (read-only)."""
        return self.places.key_positions if self.places is not None else {}

    @property
    def written(self) -> Mapping[Path_, str]:
        """How each value that YAML did not read as text was written: `NO`, not False (read-only)."""
        return self.places.written if self.places is not None else {}

    def where(self, path: Path_, key: bool = False) -> Position:
        """Line and column of the value (or, with key=True, the key) at path.

        Falls back to the nearest enclosing value, so every problem has a place.
        """
        if key and path in self.key_positions:
            return self.key_positions[path]
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), (1, 1))

    def problem(self, rule: Rule, path: Path_, message: str, key: bool = False) -> Problem:
        """What `rule` found at path (at its key, with key=True), at the rule's default level."""
        line, column = self.where(path, key)
        return rule.at(self.display, line, column, format_path(path), message)

    @property
    def stem(self) -> str:
        """The file's name without .yaml: worked out once (pathlib works it out at each call, and
        the checks ask for it of every file; functools.cached_property takes a lock each time)."""
        stem: str | None = self.__dict__.get("_stem")
        if stem is None:
            stem = self.__dict__["_stem"] = self.path.stem
        return stem


def shows_text(doc: Document, data: Any) -> None:
    """Note that every text of data, doc's data as read, begins with a character that shows
    (quickyaml found it so): the schema check need not look for a text that shows nothing."""
    doc.__dict__[_SHOWS] = data


def text_shows(doc: Document) -> bool:
    """Whether every text of doc's data surely begins with a character that shows: noted when it
    was read (shows_text), and only for the data doc was read with."""
    data = doc.__dict__.get(_SHOWS)
    return data is not None and data is doc.data


_SHOWS = "_shows"
