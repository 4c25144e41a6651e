"""Read the playbook's YAML files into plain data, keeping the position of every value.

YAML allows things that silently lose or change data (a duplicate key keeps only the last
value, a date becomes a date object, a custom tag builds an object). This loader composes the
node tree itself and builds plain dicts, lists and scalars, refusing those cases with a
message that says where they are.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem

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
MAX_NODES = 100_000
MAX_DEPTH = 50

Path_ = tuple[str | int, ...]
Position = tuple[int, int]

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_constructor = yaml.constructor.SafeConstructor()
_SCALARS: dict[str, Callable[[Any], Any]] = {
    "tag:yaml.org,2002:str": lambda node: node.value,
    # Dates stay text: the schema checks them with `format: date`.
    "tag:yaml.org,2002:timestamp": lambda node: node.value,
    "tag:yaml.org,2002:int": _constructor.construct_yaml_int,
    "tag:yaml.org,2002:float": _constructor.construct_yaml_float,
    "tag:yaml.org,2002:bool": _constructor.construct_yaml_bool,
    "tag:yaml.org,2002:null": lambda node: None,
}


@dataclass
class Document:
    """One YAML file: its data and the line and column of every value and key in it."""

    kind: str
    path: Path
    display: str
    data: Any = None
    positions: dict[Path_, Position] = field(default_factory=dict)
    key_positions: dict[Path_, Position] = field(default_factory=dict)

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


def format_path(path: Path_) -> str:
    """('stages', 0, 'name') -> 'stages[0].name'."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


def display_path(path: Path) -> str:
    """The path as the user should see it: relative to the working folder when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") else rel


def load_playbook(root: Path) -> LoadedPlaybook:
    """Read playbook.yaml and every entity file under root."""
    root = Path(root)
    problems: list[Problem] = []
    documents: dict[str, list[Document]] = {kind: [] for kind in KINDS.values()}
    if not root.is_dir():
        problems.append(Problem(display_path(root), 1, 1, "", "no playbook folder here: "
                                "give the folder that holds playbook.yaml"))
        return LoadedPlaybook(root, None, documents, problems)
    settings = None
    unreadable: dict[str, list[Path]] = {}
    settings_path = root / SETTINGS_FILE
    if settings_path.is_file():
        settings = load_document(settings_path, "playbook", problems)
    else:
        problems.append(Problem(display_path(settings_path), 1, 1, "",
                                "playbook.yaml is missing: it names the company, the product and the two teams"))
    for entry in sorted(root.iterdir()):
        if _ignored(entry) or entry.name == SETTINGS_FILE:
            continue
        if entry.is_dir() and entry.name in KINDS:
            kind = KINDS[entry.name]
            _load_folder(entry, kind, documents[kind], unreadable.setdefault(kind, []), problems)
        else:
            problems.append(Problem(display_path(entry), 1, 1, "", "not part of a playbook: "
                                    f"the playbook folder holds {SETTINGS_FILE} and the folders "
                                    + ", ".join(KINDS) + "; move or remove it"))
    return LoadedPlaybook(root, settings, documents, problems, unreadable)


def _ignored(entry: Path) -> bool:
    return entry.name.startswith(".") or entry.name.lower() == "readme.md"


def _load_folder(folder: Path, kind: str, into: list[Document], unreadable: list[Path],
                 problems: list[Problem]) -> None:
    for entry in sorted(folder.iterdir()):
        if _ignored(entry):
            continue
        if entry.is_file() and entry.suffix == ".yaml":
            doc = load_document(entry, kind, problems)
            if doc is not None:
                into.append(doc)
            else:
                unreadable.append(entry)
        elif entry.is_file() and entry.suffix == ".yml":
            problems.append(Problem(display_path(entry), 1, 1, "",
                                    f"only .yaml files are read: rename it to {entry.stem}.yaml"))
        else:
            problems.append(Problem(display_path(entry), 1, 1, "",
                                    f"not a playbook file: {folder.name}/ holds one <id>.yaml file per entry"))


def load_document(path: Path, kind: str, problems: list[Problem]) -> Document | None:
    """Read one YAML file; append any problem to problems and return None if it is unusable."""
    doc = Document(kind, path, display_path(path))
    text = _read_text(doc, problems)
    if text is None:
        return None
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        if err.problem == "but found another document":
            what = "a second document starts here (---): a file holds one entry, so split it in two files"
        else:
            what = "not valid YAML: " + (err.problem or err.context or "unreadable")
        problems.append(Problem(doc.display, line, column, "", what))
        return None
    except yaml.YAMLError as err:
        problems.append(Problem(doc.display, 1, 1, "", f"not valid YAML: {err}"))
        return None
    if node is None:
        problems.append(Problem(doc.display, 1, 1, "", "the file is empty: fill it in or delete it"))
        return None
    builder = _Builder(doc)
    doc.data = builder.build(node, (), 0)
    if builder.problems:
        problems.extend(builder.problems)
        return None
    if not isinstance(doc.data, dict):
        problems.append(doc.problem((), "the file must be a mapping of fields (name: value), "
                                    "not a list or a single value"))
        return None
    return doc


def _read_text(doc: Document, problems: list[Problem]) -> str | None:
    try:
        raw = doc.path.read_bytes()
    except OSError as err:
        problems.append(Problem(doc.display, 1, 1, "", f"cannot be read ({err.strerror or err}): "
                                "check the file's permissions"))
        return None
    if len(raw) > MAX_FILE_BYTES:
        problems.append(Problem(doc.display, 1, 1, "", f"the file is {len(raw):,} bytes; "
                                f"the limit is {MAX_FILE_BYTES:,}: split the entry or shorten it"))
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        problems.append(Problem(doc.display, line, 1, "", "not UTF-8 text: save the file as UTF-8"))
        return None
    text = text.removeprefix("\ufeff")
    found = False
    for number, line_text in enumerate(text.splitlines(), start=1):
        if "\t" in line_text:
            found = True
            problems.append(Problem(doc.display, number, line_text.index("\t") + 1, "",
                                    "tab character: indent with spaces and write no tabs in values"))
    if found:
        return None
    return text


class _Builder:
    """Turns a composed YAML node tree into plain data, recording positions."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.problems: list[Problem] = []
        self.nodes = 0

    def _fail(self, node: yaml.Node, path: Path_, message: str) -> None:
        mark = node.start_mark
        self.problems.append(Problem(self.doc.display, mark.line + 1, mark.column + 1,
                                     format_path(path), message))

    def build(self, node: yaml.Node, path: Path_, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES or depth > MAX_DEPTH:
            if self.nodes == MAX_NODES + 1 or depth == MAX_DEPTH + 1:
                self._fail(node, path, "the file is too large or too deeply nested "
                           f"(limits: {MAX_NODES:,} values, {MAX_DEPTH} levels); aliases may be multiplying it")
            return None
        self.doc.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        constructor = _SCALARS.get(node.tag)
        if constructor is None:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            self._fail(node, path, f"the tag {tag} is not allowed: write plain values")
            return None
        return constructor(node)

    def _mapping(self, node: yaml.MappingNode, path: Path_, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self._fail(key_node, path, "merge keys (<<) are not supported: write the fields out")
                continue
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _SCALARS:
                self._fail(key_node, path, "a field name must be plain text")
                continue
            key = str(key_node.value)
            line = key_node.start_mark.line + 1
            if key in first_seen:
                self._fail(key_node, path + (key,),
                           f"duplicate field '{key}' (first given on line {first_seen[key]}): "
                           "YAML would keep only the last one; merge them")
                continue
            first_seen[key] = line
            self.doc.key_positions[path + (key,)] = (line, key_node.start_mark.column + 1)
            result[key] = self.build(value_node, path + (key,), depth + 1)
        return result
