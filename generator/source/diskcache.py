"""What `playbook validate` made of each file, kept on disk between runs, keyed by the file's bytes:
on every commit (pre-commit) only the files that changed are parsed and checked against their
schema again; the checks across files still run over the whole playbook.

The cache is plain JSON in the user's cache folder (`$XDG_CACHE_HOME/sales-playbook`, else
`~/.cache/sales-playbook`), never in the repository, so a pull request cannot bring one. It is
read as untrusted all the same: bounded in bytes, checked in shape, and ignored whole at the first
thing out of place. An entry is found by a SHA-256 digest of the file's bytes, its path, its kind,
the bounds it was read with and this program's own code and schemas: a file whose bytes, place or
checks changed is read again. Only files read without a problem, whose every field name is text
and where no alias repeats a list or mapping, are kept: those come back from JSON exactly as read.

Each entry also keeps the screen of the file's texts (rules/text_screen.py) for the agreed values
it was made with, when the screen found no placeholder: the next run, with the same values, does
not read the file's texts again.

`PLAYBOOK_CACHE=off` turns it off; `PLAYBOOK_CACHE=/some/folder` keeps it there.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Any

from .problems import Problem

SETTING = "PLAYBOOK_CACHE"
# A cache file larger than this is not read (a playbook of 10,000 entries makes about 15 MB).
MAX_CACHE_BYTES = 256 * 1024 * 1024
_FORMAT = 2
_PROBLEM_FIELDS = 7
# A screen kept: the digest of the agreed values it was made with, the characters of the texts,
# then whether a value is named, typed out as written, typed as a number, and whether a text quotes.
_SCREEN_FIELDS = 6


class DiskCache:
    """The entries of one playbook folder's cache: those read from disk, and those of this run."""

    def __init__(self, file: Path, fingerprint: str, entries: dict[str, list[Any]], check: str) -> None:
        self.file = file
        self.fingerprint = fingerprint
        self.old = entries
        self.new: dict[str, list[Any]] = {}
        self.hits = 0
        self._digests: dict[int, tuple[Hashable, str]] = {}
        # The check whose problems the cache holds (its module and name).
        self.check = check
        # Whether a screen was kept that the file on disk does not hold.
        self.screened = False
        # Where the last run kept nothing, the files to keep, with their screens by key: what
        # each is kept under is worked out when the cache is written, by a process of its own
        # (save_pending), not while the person waits.
        self._later: list[tuple[Hashable, Callable[[], Any], tuple[Problem, ...]]] = []
        self._later_screens: dict[int, tuple[Hashable, list[Any]]] = {}

    def get(self, key: Hashable) -> tuple[Any, tuple[Problem, ...]] | None:
        """(data, schema problems) kept for a file read under key, or None."""
        if not self.old:  # nothing kept by the last run: no digest to work out
            return None
        digest = self._digest(key)
        found = self.old.get(digest)
        if found is None:
            return None
        self.hits += 1
        self.new[digest] = found  # still true: kept as it is
        data, problems = found[0], found[1]
        return data, tuple(Problem(*p[:6], rule=p[6]) for p in problems)

    def screen(self, key: Hashable, values: str) -> list[Any] | None:
        """The screen kept for a file read under key, with agreed values of that digest: the
        characters of its texts, then whether a value is named, typed out, typed as a number, and
        whether a text quotes; None if none is kept."""
        if not self.old:  # every entry is of this run, and none has its screen yet
            return None
        found = self.new.get(self._digest(key))
        kept = found[2] if found is not None else None
        return kept[1:] if kept and kept[0] == values else None

    def keep_screen(self, key: Hashable, values: str, screen: list[Any]) -> None:
        """Keep the screen of a file kept in this run, made with agreed values of that digest.
        Where the last run kept nothing, it is kept with its file when the cache is written."""
        if not self.old:
            self._later_screens[id(key)] = (key, [values, *screen])
        else:
            self._keep_screen(key, [values, *screen])

    def _keep_screen(self, key: Hashable, screen: list[Any]) -> None:
        found = self.new.get(self._digest(key))
        if found is not None and found[2] != screen:
            self.new[self._digest(key)] = [found[0], found[1], screen]
            self.screened = True

    def keep(self, key: Hashable, data: Callable[[], Any], problems: tuple[Problem, ...] | None,
             digest: str | None = None) -> None:
        """Keep a file's data (as data() gives it) and schema problems, if JSON gives them back
        exactly. digest: what to_keep said of the same key and data where the file was read, if
        it said so. Where the last run kept nothing, what to keep is worked out when the cache is
        written, and only then is data() asked for (the data of a file another process read is
        unpacked only when it is: filecache.py)."""
        if problems is None:
            return
        if digest is None and not self.old:
            self._later.append((key, data, problems))
        else:
            self._keep(key, data(), problems, digest)

    def _keep(self, key: Hashable, data: Any, problems: tuple[Problem, ...], digest: str | None) -> None:
        digest = digest or self.to_keep(key, data)
        if digest is not None and digest not in self.new:
            self.new[digest] = [data, [[p.file, p.line, p.column, p.path, p.message, p.severity, p.rule]
                                       for p in problems], []]

    def to_keep(self, key: Hashable, data: Any) -> str | None:
        """The digest a file's data would be kept under, or None if JSON would not give the data
        back exactly: worked out by whichever process read the file. A file the last run kept is
        kept as it was."""
        digest = self._digest(key)
        return digest if digest in self.new or _plain(data) else None

    def _digest(self, key: Hashable) -> str:
        """The digest of key, worked out once for each key of a run (the same tuple is asked for
        twice: when the file is read, and when what was read is kept)."""
        known = self._digests.get(id(key))
        if known is not None and known[0] is key:
            return known[1]
        digest = _digest(key)
        self._digests[id(key)] = (key, digest)
        return digest

    def changed(self) -> bool:
        """Whether the entries of this run differ from those read: a file added, changed or gone,
        or a screen kept (or, with files still to keep, whether they might)."""
        return self.screened or bool(self._later) or self.new.keys() != self.old.keys()

    def _keep_later(self) -> None:
        later, screens = self._later, self._later_screens
        self._later, self._later_screens = [], {}
        for key, data, problems in later:
            self._keep(key, data(), problems, None)
            screen = screens.get(id(key))
            if screen is not None and screen[0] is key:
                self._keep_screen(key, screen[1])

    def save(self) -> None:
        """Write the entries of this run (files no longer there leave the cache), if any changed."""
        self._keep_later()
        if not self.changed():
            return
        text = json.dumps({"format": _FORMAT, "fingerprint": self.fingerprint, "files": self.new},
                          ensure_ascii=False, separators=(",", ":"))
        # Not written when the next run would not read it (a character is at most 4 bytes).
        if len(text) > MAX_CACHE_BYTES // 4 and len(text.encode("utf-8")) > MAX_CACHE_BYTES:
            return
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=self.file.parent, delete=False,
                                             prefix=".", suffix=".tmp") as out:
                out.write(text)  # dumps, not dump: dump writes piece by piece in Python, ten times slower
            os.replace(out.name, self.file)
        except OSError:  # a cache that cannot be written only costs time on the next run
            with suppress(OSError, UnboundLocalError):
                os.unlink(out.name)


_CURRENT: ContextVar[DiskCache | None] = ContextVar("the disk cache of this run", default=None)


def current(check: Callable[..., Any] | None) -> DiskCache | None:
    """The cache of files read in this block (kept), if its problems are those of check."""
    cache = _CURRENT.get()
    return cache if cache is not None and cache.check == check_name(check) else None


def active() -> DiskCache | None:
    """The cache of files read in this block (kept), whatever check it is for."""
    return _CURRENT.get()


def check_name(check: Any) -> str:
    return f"{getattr(check, '__module__', '')}.{getattr(check, '__qualname__', '')}"


@contextmanager
def kept(root: Path, check: Callable[..., Any]) -> Iterator[DiskCache | None]:
    """Within the block, files of the playbook at root read with check are looked up in (and added
    to) its cache on disk; once the block ends without an error, the cache waits to be written
    (save_pending)."""
    cache = open_cache(root, check_name(check))
    token = _CURRENT.set(cache)
    try:
        yield cache
    finally:
        _CURRENT.reset(token)
    if cache is not None:
        _PENDING.append(cache)


# Caches read and added to, to be written when the command has said all it has to say.
_PENDING: list[DiskCache] = []


def pending() -> list[DiskCache]:
    """The caches read (and added to) since they were last written."""
    return list(_PENDING)


def save_pending(background: bool = False) -> None:
    """Write every cache that changed. In the background: by a process of its own, which lets go
    of the terminal and of the output, so that neither the person nor pre-commit waits for the
    cache of the next run (where there is no fork, or other threads run, it is written now)."""
    caches = [cache for cache in _PENDING if cache.changed()]
    _PENDING.clear()
    if not caches:
        return
    if background and hasattr(os, "fork") and threading.active_count() == 1:
        try:
            pid = os.fork()
        except OSError:
            pid = -1
        if pid == 0:  # the new process: no output, no terminal, no exit handlers
            try:
                os.setsid()
                nothing = os.open(os.devnull, os.O_RDWR)
                for fd in (0, 1, 2):
                    os.dup2(nothing, fd)
                for cache in caches:
                    cache.save()
            finally:
                os._exit(0)
        if pid > 0:
            return
    for cache in caches:
        cache.save()


def folder() -> Path | None:
    """Where caches are kept, or None when turned off."""
    setting = os.environ.get(SETTING, "").strip()
    if setting.lower() in ("off", "0", "no", "false"):
        return None
    if setting:
        return Path(setting)
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".cache") / "sales-playbook"


def open_cache(root: Path, check: str) -> DiskCache | None:
    where = folder()
    if where is None:
        return None
    try:
        place = str(Path(root).resolve())
    except (OSError, RuntimeError):
        return None
    file = where / (hashlib.sha256(place.encode("utf-8", "surrogatepass")).hexdigest()[:32] + ".json")
    fingerprint = _fingerprint() + ":" + check
    return DiskCache(file, fingerprint, _read(file, fingerprint), check)


def _read(file: Path, fingerprint: str) -> dict[str, list[Any]]:
    """The entries of a cache file, or none if it is missing, too large or not as written."""
    try:
        with open(file, "rb") as handle:
            raw = handle.read(MAX_CACHE_BYTES + 1)
        if len(raw) > MAX_CACHE_BYTES:
            return {}
        found = json.loads(raw)
    except (OSError, ValueError, RecursionError):
        return {}
    if (not isinstance(found, dict) or found.get("format") != _FORMAT or found.get("fingerprint") != fingerprint
            or not isinstance(found.get("files"), dict)):
        return {}
    entries: dict[str, list[Any]] = found["files"]
    for digest, entry in entries.items():
        if not (len(digest) == 64 and isinstance(entry, list) and len(entry) == 3 and isinstance(entry[0], dict)
                and isinstance(entry[1], list) and all(_problem(p) for p in entry[1]) and _screen(entry[2])):
            return {}
    return entries


def _screen(item: Any) -> bool:
    return isinstance(item, list) and (not item or (
        len(item) == _SCREEN_FIELDS and isinstance(item[0], str) and type(item[1]) is int and item[1] >= 0
        and all(type(flag) is bool for flag in item[2:])))


def _problem(item: Any) -> bool:
    return (isinstance(item, list) and len(item) == _PROBLEM_FIELDS
            and all(isinstance(item[i], str) for i in (0, 3, 4, 5, 6))
            and all(type(item[i]) is int for i in (1, 2)))


def _digest(key: Hashable) -> str:
    """A file's key (loader.py: kind, path, shown path, bounds, bytes) as a digest."""
    parts: tuple[Any, ...] = key  # type: ignore[assignment]
    head = repr(parts[:-1]).encode("utf-8", "surrogatepass")
    digest = hashlib.sha256(len(head).to_bytes(4, "big"))
    digest.update(head)
    digest.update(parts[-1])
    return digest.hexdigest()


def _plain(data: Any) -> bool:
    """Whether JSON gives data back exactly: field names all text, values text, numbers (not NaN or
    infinite), true, false, null, lists and mappings. Nested at most MAX_DEPTH levels (yamltree)."""
    stack = [data]
    while stack:
        value = stack.pop()
        kind = type(value)
        if kind is dict:
            if any(type(k) is not str for k in value):
                return False
            stack.extend(value.values())
        elif kind is list:
            stack.extend(value)
        elif kind is float:
            if value != value or value in (float("inf"), float("-inf")):
                return False
        elif kind not in (str, int, bool) and value is not None:
            return False
    return True


@cache
def _fingerprint() -> str:
    """A digest of the code that reads and checks a file, and of the schemas: a cache made by
    other code is not used."""
    here = Path(__file__).resolve().parent
    return contents_digest(sorted([*here.glob("*.py"), *(here / "schemas").glob("*.json")]))


def contents_digest(files: Iterable[Any]) -> str:
    """A digest of files by their names and bytes, in the order given (each a Path or a package
    resource: anything with a name and read_bytes): code told apart by what it holds."""
    digest = hashlib.sha256()
    for file in files:
        digest.update(file.name.encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()
