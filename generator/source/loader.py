"""Read the playbook's YAML files into plain data, keeping the position of every value.

YAML allows things that silently lose or change data (a duplicate key keeps only the last
value, a date becomes a date object, a custom tag builds an object). This loader builds plain
dicts, lists and scalars itself (yamltree.py), refusing those cases with a message that says
where they are. Files are untrusted too: each is bounded in bytes, nesting and expanded size,
and no file or folder is read through a link that leaves the playbook folder.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import diskcache, parallel, quickyaml, yamltree
from . import file_rules as f
from .document import Document, shows_text
from .filebytes import MAX_FILE_BYTES, Status, decoded, read_status, unchanged
from .filecache import FILES, Entry, checked, entry_of, packed, tie, unpacked
from .filepaths import display_path
from .listing import Inside, at, display_in, listed, skipped
from .problems import Problem
from .yaml_rules import NESTING_TOO_DEEP, YAML_SYNTAX
from .yamltree import Places, TreeBuilder

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


@contextmanager
def cycles_uncollected() -> Iterator[None]:
    """Python's cycle collector paused for a while, as it was before afterwards. What a playbook
    is read into holds no cycle, and each collection while it grows walks all of it again: a
    third of the time of `playbook validate` at 10,000 files."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_playbook(root: Path, check: Callable[[Document], list[Problem]] | None = None) -> LoadedPlaybook:
    """Read playbook.yaml and every entity file under root. A root reached through a link out of
    the repository is not listed at all: every link under it would be judged against the place
    the link leads to, so nothing there would count as outside.

    With check, each document read is also checked on its own (as `checked` does), in the same
    process that read it: the files of a large playbook are shared between the cores
    (parallel.py)."""
    from .repository import PLAYBOOK_READ, link_out_of_repository  # it builds on this module

    link = link_out_of_repository(Path(root))
    if link is not None:
        return LoadedPlaybook(Path(root), None, {kind: [] for kind in KINDS.values()},
                              [at(f.LINK_OUTSIDE, link.link, link.message(PLAYBOOK_READ))])
    with cycles_uncollected():
        return _load_playbook(Path(root), check)


def _load_playbook(root: Path, check: Callable[[Document], list[Problem]] | None) -> LoadedPlaybook:
    problems: list[Problem] = []
    documents: dict[str, list[Document]] = {kind: [] for kind in KINDS.values()}
    unreadable: dict[str, list[Path]] = {}
    entries = listed(root, problems) if root.is_dir() else None
    if entries is None:
        if not problems:
            problems.append(at(f.PLAYBOOK_MISSING, root,
                                "no playbook folder here: give the folder that holds playbook.yaml"))
        return LoadedPlaybook(root, None, documents, problems)
    inside = Inside(root)
    reads: list[_Read] = []
    settings_read: list[Document] = []
    for entry in entries:
        if skipped(entry, problems) or not inside.check(entry, problems):
            continue
        name = entry.name
        if name == SETTINGS_FILE and entry.file:
            reads.append(_Read(entry.path, "playbook", display_path(entry.path), settings_read, [], len(problems)))
        elif name in KINDS and entry.folder:
            _load_folder(entry.path, KINDS[name], documents[KINDS[name]], unreadable.setdefault(KINDS[name], []),
                         problems, inside, reads)
        else:
            problems.append(at(f.STRAY_FILE, entry.path, "not part of a playbook: the playbook folder holds "
                                f"{SETTINGS_FILE} and the folders " + ", ".join(KINDS) + "; move or remove it"))
    problems = _read_all(reads, problems, check)
    settings = settings_read[0] if settings_read else None
    # A playbook.yaml that is there but unusable has its own problem already.
    if settings is None and not os.path.lexists(root / SETTINGS_FILE):
        problems.append(at(f.SETTINGS_MISSING, root / SETTINGS_FILE,
                            "playbook.yaml is missing: it names the company, the product and the two teams"))
    return LoadedPlaybook(root, settings, documents, problems, unreadable)


def _load_folder(folder: Path, kind: str, into: list[Document], unreadable: list[Path],
                 problems: list[Problem], inside: Inside, reads: list[_Read]) -> None:
    display = display_in(folder)
    for entry in listed(folder, problems) or ():
        if skipped(entry, problems) or not inside.check(entry, problems):
            continue
        path, name = entry.path, entry.name
        # The name's ending is its suffix: a name that begins with a dot was skipped.
        if entry.file and name.endswith(".yaml"):
            reads.append(_Read(path, kind, display(path, name), into, unreadable, len(problems)))
        elif entry.file and name.endswith(".yml"):
            problems.append(at(f.STRAY_FILE, path, f"only .yaml files are read: rename it to {path.stem}.yaml"))
        else:
            problems.append(at(f.STRAY_FILE, path,
                                f"not a playbook file: {folder.name}/ holds one <id>.yaml file per entry"))


@dataclass
class _Read:
    """A file to read, where its document goes (or its path, if it cannot be read), and how many
    problems were found before it: its own problems are told in that place."""

    path: Path
    kind: str
    display: str
    into: list[Document]
    unreadable: list[Path]
    at: int


def _read_all(reads: list[_Read], problems: list[Problem],
              check: Callable[[Document], list[Problem]] | None) -> list[Problem]:
    """Read every file of reads into its place; problems with each file's own problems told where
    they would be had the files been read one by one, as they were listed."""
    work = [(read.path, read.kind, read.display, check) for read in reads]
    told: list[Problem] = []
    done = 0
    SEEN.next = {}
    # Files kept on disk from the last run are not worth sharing: most need no parsing.
    disk = diskcache.current(check)
    outcomes = _read_share(work) if disk is not None and disk.old else parallel.shared(_read_share, work)
    for read, outcome in zip(reads, outcomes, strict=True):
        told.extend(problems[done:read.at])
        done = read.at
        told.extend(outcome.found)
        doc = outcome.doc
        if doc is not None:
            read.into.append(doc)
            entry = entry_of(doc) if disk is not None else None
            if disk is not None and entry is not None and not (entry.problems or entry.aliased):
                disk.keep(doc.source, _data_of(entry), entry.checked, outcome.digest)
        else:
            read.unreadable.append(read.path)
    told.extend(problems[done:])
    SEEN.last, SEEN.next = SEEN.next, {}
    return told


def _data_of(entry: Entry) -> Callable[[], Any]:
    """What gives the data kept for a file, when asked (see DiskCache.keep)."""
    return lambda: entry.data


_Work = tuple[Path, str, str, "Callable[[Document], list[Problem]] | None"]


def _read_share(share: Sequence[_Work]) -> list[_Outcome]:
    """Each file of share read (and checked, with a check), here or in another process; a file
    the last run kept on disk (with the same check) is taken from there, and what the disk cache
    needs to keep a file is worked out here too."""
    outcomes: list[_Outcome] = []
    disk = diskcache.current(share[0][3]) if share else None
    for path, kind, display, check in share:
        found: list[Problem] = []
        doc = load_document(path, kind, found, display, disk, SEEN.next)
        if doc is not None and check is not None:
            checked(doc, check)
        digest = None
        if disk is not None and disk.old and doc is not None:  # else worked out when the cache is written
            entry = entry_of(doc)
            if entry is not None and not (entry.problems or entry.aliased):
                digest = disk.to_keep(doc.source, entry.data)
        outcomes.append(_Outcome(doc, found, digest))
    return outcomes


class _Outcome:
    """A file's document and problems, as read in this process. Sent to another process, it takes
    only the document's data, the file's bytes and what was found, and becomes there, as soon as
    it arrives, what reading the file there would have made, the cache of files read included."""

    __slots__ = ("doc", "found", "digest")

    def __init__(self, doc: Document | None, found: list[Problem], digest: str | None = None) -> None:
        self.doc, self.found = doc, found
        self.digest = digest  # how the disk cache would keep the file, or None (DiskCache.to_keep)

    def __getstate__(self) -> tuple[Any, ...]:
        doc = self.doc
        if doc is None:
            return None, self.found, self.digest
        entry = entry_of(doc)
        return (doc.kind, str(doc.path), doc.display, packed(doc.data), doc.source, entry is None or entry.aliased,
                None if entry is None else entry.checked), self.found, self.digest

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        """Settled as it arrives: the process that read it may still be reading, and this one
        takes it in between runs of its own (parallel.py)."""
        moved, self.found, self.digest = state
        self.doc = None
        if moved is not None:
            kind, path, display, data, key, aliased, checked_ = moved
            self.doc = _kept(Document(kind, Path(path), display), key, None, tuple(self.found), aliased, checked_,
                             data)


def _kept(doc: Document, key: tuple[Any, ...], data: Any, found: tuple[Problem, ...], aliased: bool,
          checked_: tuple[Problem, ...] | None, packed_data: Any = None) -> Document:
    """doc filled with what another process or the last run made of the file's bytes (UTF-8, with
    nothing refused), and kept in the cache of files read as though read here. From another
    process, the data comes as packed() made it: unpacked for doc, and kept packed (a copy made
    only if the cache is asked for the file again)."""
    raw: bytes = key[-1]
    text = raw.decode("utf-8").removeprefix("\ufeff")
    doc.places, doc.source = Places(doc.display, text, "\r" not in text), key
    entry = Entry(found, True)
    if packed_data is not None:
        doc.data = unpacked(packed_data)
        entry.keep_packed(packed_data, aliased, doc.places)
    else:
        doc.data = data
        entry.keep(doc, aliased)
    entry.checked = checked_
    FILES.put(key, entry, MEMORY_PER_BYTE * len(raw) + 200 * len(found))
    tie(doc, entry)
    return doc


def load_document(path: Path, kind: str, problems: list[Problem], display: str | None = None,
                  disk: diskcache.DiskCache | None = None, seen: dict[str, _Seen] | None = None) -> Document | None:
    """Read one YAML file; append any problem to problems and return None if it is unusable.
    display is the path as the user should see it, when the caller knows it (display_path).

    A file read before with the same bytes, name and kind is not parsed again: its document
    comes from the cache of files read (or from disk, the last run's), as a copy the caller may
    change. With seen, a file whose status shows no change since the last playbook was read
    (SEEN) is not even read again; seen notes what was read, for the next time.
    """
    doc = Document(kind, path, display or display_path(path))
    name = str(path)
    start = (kind, name, doc.display, _limits())
    last = SEEN.last.get(name) if seen is not None else None
    if last is not None and last[1][:4] == start and unchanged(path, last[0]):
        kept: Entry | None = FILES.get(last[1])
        if kept is not None:
            assert seen is not None
            seen[name] = last
            problems.extend(kept.problems)
            return tie(kept.document(doc, last[1]), kept)
    read = read_status(doc, problems)
    if read is None:
        return None
    raw, status = read
    key = (*start, raw)
    if seen is not None and status is not None:
        seen[name] = (status, key)
    entry: Entry | None = FILES.get(key)
    if entry is not None:
        problems.extend(entry.problems)
        return tie(entry.document(doc, key), entry)
    last = disk.get(key) if disk is not None else None
    if last is not None:  # read without a problem by the last run
        return _kept(doc, key, last[0], (), False, last[1])
    found: list[Problem] = []
    tree = _parse(doc, raw, found)
    problems.extend(found)
    entry = Entry(tuple(found), tree is not None)
    if tree is not None:
        doc.data, doc.source = tree.data, key
        # A process forked to share the reading ends once it has handed the document on: it keeps
        # no copy of its own.
        helping = parallel.helping()
        if tree.json is not None and not helping:  # a copy, as JSON: read again if asked for
            entry.keep_packed(tree.json, False, doc.places)
        else:
            entry.keep(doc, tree.aliased, copy=not helping)
    FILES.put(key, entry, MEMORY_PER_BYTE * len(raw) + 200 * len(found))
    return tie(doc, entry) if tree is not None else None


_Seen = tuple[Status, tuple[Any, ...]]


class _Files:
    """The status of each file of the playbook last read, with its key in FILES, by path: under
    `mkdocs serve`, a file whose status has not changed since is taken from FILES without being
    read (a tenth of a second of each rebuild at 10,000 files). Only the files of the last read
    are kept, so what is held here is bounded by the playbook itself."""

    def __init__(self) -> None:
        self.last: dict[str, _Seen] = {}
        self.next: dict[str, _Seen] = {}


SEEN = _Files()
# What an entry of the cache holds, per byte of its file, roughly (measured on the default
# playbook): the bytes in its key, the text kept to find places in, and a copy of the data.
MEMORY_PER_BYTE = 5


def _limits() -> tuple[int, ...]:
    """The bounds a file is read with: a file read under other bounds is read again."""
    return MAX_FILE_BYTES, yamltree.MAX_NODES, yamltree.MAX_DEPTH, yamltree.MAX_EXPANDED_CHARS


def _parse(doc: Document, raw: bytes, problems: list[Problem]) -> yamltree.Tree | None:
    """The tree of a file's bytes, or None with its problems; doc.places says where its values
    are, when asked."""
    text = decoded(doc, raw, problems)
    if text is None:
        return None
    # No refused character and no tab is left (filebytes.decoded); with no CR either, only quoted text
    # needs its characters checked.
    clean = "\r" not in text
    doc.places = Places(doc.display, text, clean)
    if clean and quickyaml.allowed():
        read = quickyaml.quick(raw)
        if read is not None:
            if read.shows:
                shows_text(doc, read.data)
            return yamltree.Tree(read.data, json=read.json)
    builder = TreeBuilder(doc.display, record=False)
    try:
        tree = builder.build(text, clean)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        said = " ".join(str(err.problem or err.context or "unreadable").split())
        # libyaml looks ahead in brackets and stops at its own depth (1,000) before the tree
        # reaches MAX_DEPTH: the same mistake, told the same way.
        if "maximum nesting depth" in said:
            problems.append(NESTING_TOO_DEEP.at(doc.display, line, column, "", yamltree.TOO_DEEP))
        else:
            problems.append(YAML_SYNTAX.at(doc.display, line, column, "", "not valid YAML: " + said))
        return None
    except yaml.YAMLError as err:
        problems.append(YAML_SYNTAX.at(doc.display, 1, 1, "", "not valid YAML: " + " ".join(str(err).split())))
        return None
    if builder.problems:
        problems.extend(builder.problems)
        return None
    if not builder.root_set:
        problems.append(f.FILE_EMPTY.at(doc.display, 1, 1, "", "the file is empty: fill it in or delete it"))
        return None
    if not isinstance(tree.data, dict):
        problems.append(doc.problem(f.NOT_A_MAPPING, (), "the file must be a mapping of fields (name: value), "
                                    "not a list or a single value"))
        return None
    return tree
