"""Read the playbook's YAML files into plain data, keeping the position of every value.

YAML allows things that silently lose or change data (a duplicate key keeps only the last
value, a date becomes a date object, a custom tag builds an object). This loader builds plain
dicts, lists and scalars itself (yamltree.py), refusing those cases with a message that says
where they are. Files are untrusted too: each is bounded in bytes, nesting and expanded size,
and no file or folder is read through a link that leaves the playbook folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem
from .yamltree import REFUSED, Path_, Position, TreeBuilder, format_path, refused

# Folder name -> kind of entity. The order is the order the summary names them in.
KINDS: dict[str, str] = {
    "stages": "stage",
    "lifecycle": "lifecycle",
    "handoffs": "handoff",
    "terms": "term",
    "personas": "persona",
    "assets": "asset",
    "metrics": "metric",
}
SETTINGS_FILE = "playbook.yaml"
MAX_FILE_BYTES = 1_000_000
# Entries a playbook folder may hold without being entries: kept by git for empty folders.
_QUIET = {".gitkeep", "readme.md"}

_MAX_REPORTED = 20


@dataclass
class Document:
    """One YAML file: its data and the line and column of every value and key in it."""

    kind: str
    path: Path
    display: str
    data: Any = None
    positions: dict[Path_, Position] = field(default_factory=dict)
    key_positions: dict[Path_, Position] = field(default_factory=dict)
    # How each value that YAML did not read as text was written: `NO`, not False.
    written: dict[Path_, str] = field(default_factory=dict)

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

    def problem(self, path: Path_, message: str, key: bool = False) -> Problem:
        line, column = self.where(path, key)
        return Problem(self.display, line, column, format_path(path), message)

    @property
    def stem(self) -> str:
        return self.path.stem


@dataclass
class LoadedPlaybook:
    """Every file of a playbook folder, read, with the problems found while reading."""

    root: Path
    settings: Document | None
    documents: dict[str, list[Document]]
    problems: list[Problem]
    # Files that exist but could not be read, by kind: their stems still count as ids, so one
    # broken file does not also make every reference to it an error.
    unreadable: dict[str, list[Path]] = field(default_factory=dict)

    @property
    def file_count(self) -> int:
        return (self.settings is not None) + sum(len(d) for d in self.documents.values())


def display_path(path: Path) -> str:
    """The path as the user should see it: relative to the working folder when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") else rel


def within(path: Path, folder: Path) -> bool:
    """Whether path is folder or lies under it (both resolved alike)."""
    return path == folder or folder in path.parents


def _at(path: Path, message: str) -> Problem:
    return Problem(display_path(path), 1, 1, "", message)


def load_playbook(root: Path) -> LoadedPlaybook:
    """Read playbook.yaml and every entity file under root."""
    root = Path(root)
    problems: list[Problem] = []
    documents: dict[str, list[Document]] = {kind: [] for kind in KINDS.values()}
    unreadable: dict[str, list[Path]] = {}
    entries = _entries(root, problems) if root.is_dir() else None
    if entries is None:
        if not problems:
            problems.append(_at(root, "no playbook folder here: give the folder that holds playbook.yaml"))
        return LoadedPlaybook(root, None, documents, problems)
    inside = _Inside(root)
    settings = None
    for entry in entries:
        if _skipped(entry, problems) or not inside.check(entry, problems):
            continue
        if entry.name == SETTINGS_FILE and entry.is_file():
            settings = load_document(entry, "playbook", problems)
        elif entry.name in KINDS and entry.is_dir():
            kind = KINDS[entry.name]
            _load_folder(entry, kind, documents[kind], unreadable.setdefault(kind, []), problems, inside)
        else:
            problems.append(_at(entry, "not part of a playbook: the playbook folder holds "
                                f"{SETTINGS_FILE} and the folders " + ", ".join(KINDS) + "; move or remove it"))
    # A playbook.yaml that is there but unusable has its own problem already.
    if settings is None and not os.path.lexists(root / SETTINGS_FILE):
        problems.append(_at(root / SETTINGS_FILE, "playbook.yaml is missing: it names the company, the product "
                            "and the two teams"))
    return LoadedPlaybook(root, settings, documents, problems, unreadable)


def _entries(folder: Path, problems: list[Problem]) -> list[Path] | None:
    """The entries of a folder, sorted, or None with a problem when it cannot be listed."""
    try:
        return sorted(folder.iterdir())
    except OSError as err:
        problems.append(_at(folder, f"the folder cannot be read ({err.strerror or err}): "
                            "check its permissions"))
        return None


class _Inside:
    """Refuses links that leave the playbook folder: a link to /etc/passwd or to a folder of
    secrets must never be read, listed or published."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def check(self, entry: Path, problems: list[Problem]) -> bool:
        if not entry.is_symlink():
            return True
        try:
            target = entry.resolve(strict=True)
        except (OSError, RuntimeError):
            problems.append(_at(entry, "a link that leads nowhere: replace it with the file itself"))
            return False
        if within(target, self.root):
            return True
        problems.append(_at(entry, "a link to something outside the playbook folder: it is not read; "
                            "replace the link with the file itself"))
        return False


def _skipped(entry: Path, problems: list[Problem]) -> bool:
    """Entries not read: a README and .gitkeep quietly, other hidden files with a word."""
    if entry.name.lower() in _QUIET:
        return True
    if entry.name.startswith("."):
        problems.append(_at(entry, "a hidden file is not read: rename it without the leading dot, "
                            "or remove it"))
        return True
    return False


def _load_folder(folder: Path, kind: str, into: list[Document], unreadable: list[Path],
                 problems: list[Problem], inside: _Inside) -> None:
    for entry in _entries(folder, problems) or ():
        if _skipped(entry, problems) or not inside.check(entry, problems):
            continue
        if entry.is_file() and entry.suffix == ".yaml":
            doc = load_document(entry, kind, problems)
            if doc is not None:
                into.append(doc)
            else:
                unreadable.append(entry)
        elif entry.is_file() and entry.suffix == ".yml":
            problems.append(_at(entry, f"only .yaml files are read: rename it to {entry.stem}.yaml"))
        else:
            problems.append(_at(entry, f"not a playbook file: {folder.name}/ holds one <id>.yaml file per entry"))


def load_document(path: Path, kind: str, problems: list[Problem]) -> Document | None:
    """Read one YAML file; append any problem to problems and return None if it is unusable."""
    doc = Document(kind, path, display_path(path))
    text = _read_text(doc, problems)
    if text is None:
        return None
    builder = TreeBuilder(doc.display)
    try:
        tree = builder.build(text)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problems.append(Problem(doc.display, line, column, "", "not valid YAML: "
                                + " ".join(str(err.problem or err.context or "unreadable").split())))
        return None
    except yaml.YAMLError as err:
        problems.append(Problem(doc.display, 1, 1, "", "not valid YAML: " + " ".join(str(err).split())))
        return None
    if builder.problems:
        problems.extend(builder.problems)
        return None
    if not builder.root_set:
        problems.append(Problem(doc.display, 1, 1, "", "the file is empty: fill it in or delete it"))
        return None
    doc.data, doc.positions, doc.key_positions, doc.written = (tree.data, tree.positions, tree.key_positions,
                                                               tree.written)
    if not isinstance(doc.data, dict):
        problems.append(doc.problem((), "the file must be a mapping of fields (name: value), "
                                    "not a list or a single value"))
        return None
    return doc


def _read_text(doc: Document, problems: list[Problem]) -> str | None:
    try:
        with doc.path.open("rb") as file:
            raw = file.read(MAX_FILE_BYTES + 1)
    except OSError as err:
        problems.append(Problem(doc.display, 1, 1, "", f"cannot be read ({err.strerror or err}): "
                                "check the file's permissions"))
        return None
    if len(raw) > MAX_FILE_BYTES:
        problems.append(Problem(doc.display, 1, 1, "", f"the file is larger than {MAX_FILE_BYTES:,} bytes, "
                                "the limit for one entry: split the entry or shorten it"))
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        problems.append(Problem(doc.display, line, 1, "", "not UTF-8 text: save the file as UTF-8"))
        return None
    text = text.removeprefix("\ufeff")
    found = _refused_characters(doc, text, problems)
    return None if found else text


def _refused_characters(doc: Document, text: str, problems: list[Problem]) -> bool:
    """Report tabs and refused characters where they are; True if there were any."""
    found = 0
    for number, line_text in enumerate(text.split("\n"), start=1):
        if "\t" in line_text:
            found += 1
            problems.append(Problem(doc.display, number, line_text.index("\t") + 1, "",
                                    "tab character: indent with spaces and write no tabs in values"))
        for match in REFUSED.finditer(line_text.removesuffix("\r")):
            found += 1
            if found <= _MAX_REPORTED:
                problems.append(Problem(doc.display, number, match.start() + 1, "", refused(match.group())))
    if found > _MAX_REPORTED:
        problems.append(Problem(doc.display, 1, 1, "", f"{found - _MAX_REPORTED} more tabs or invisible "
                                "characters not listed: clean the file and run again"))
    return found > 0
