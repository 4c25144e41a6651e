"""What a playbook folder holds, listed once: each entry with whether it is a link, a file or a
folder, as the folder's listing says (no look at each file: that took as long as the rest of
listing 10,000 files), and links that leave the playbook folder refused.

A link is followed only to judge where it leads: a link to /etc/passwd or to a folder of secrets
must never be read, listed or published.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import file_rules as f
from .filepaths import display_path, within
from .problems import Problem, Rule

# Entries a playbook folder may hold without being entries: kept by git for empty folders.
QUIET = {".gitkeep", "readme.md"}


@dataclass(frozen=True)
class Listed:
    """An entry of a folder: its path, and what it is (a link: what it leads to); name is the
    path's last part, as the listing gave it (Path.name works it out again at each call)."""

    path: Path
    link: bool
    file: bool
    folder: bool
    name: str


def at(rule: Rule, path: Path, message: str) -> Problem:
    """A problem with a file or folder as a whole."""
    return rule.at(display_path(path), 1, 1, "", message)


def listed(folder: Path, problems: list[Problem]) -> list[Listed] | None:
    """The entries of a folder, sorted, or None with a problem when it cannot be listed."""
    try:
        with os.scandir(folder) as found:
            entries = [Listed(folder / entry.name, entry.is_symlink(), _is(entry.is_file), _is(entry.is_dir),
                              entry.name) for entry in found]
    except OSError as err:
        problems.append(at(f.FOLDER_UNREADABLE, folder, f"the folder cannot be read ({err.strerror or err}): "
                           "check its permissions"))
        return None
    # In the order of the paths: their names are all that differs (compared as paths, on this
    # system, but without comparing the folder's parts again for every pair).
    return sorted(entries, key=lambda entry: os.path.normcase(entry.name))


def _is(test: Callable[[], bool]) -> bool:
    """What an entry is, as Path.is_file and is_dir say it: False where it cannot be told."""
    try:
        return test()
    except OSError:
        return False


def display_in(folder: Path) -> Callable[[Path, str], str]:
    """display_path for the files in folder, given each file's path and name, with the folder's
    relative path worked out once (os.path.relpath took as long as reading the file)."""
    try:
        relative: str | None = os.path.relpath(folder)
    except ValueError:  # on another drive than the working folder
        relative = None

    def display(file: Path, name: str) -> str:
        if relative is None:
            return display_path(file)
        shown = name if relative == os.curdir else relative + os.sep + name
        return str(file) if shown.startswith("..") else shown

    return display


class Inside:
    """Refuses links that leave the playbook folder."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def check(self, entry: Listed, problems: list[Problem]) -> bool:
        if not entry.link:
            return True
        try:
            target = entry.path.resolve(strict=True)
        except (OSError, RuntimeError):
            problems.append(at(f.LINK_BROKEN, entry.path, "a link that leads nowhere: replace it with the file itself"))
            return False
        if within(target, self.root):
            return True
        problems.append(at(f.LINK_OUTSIDE, entry.path, "a link to something outside the playbook folder: it is not "
                           "read; replace the link with the file itself"))
        return False


def skipped(entry: Listed, problems: list[Problem]) -> bool:
    """Entries not read: a README and .gitkeep quietly, other hidden files with a word."""
    name = entry.name
    if name.lower() in QUIET:
        return True
    if name.startswith("."):
        problems.append(at(f.HIDDEN_FILE, entry.path, "a hidden file is not read: rename it without the leading dot, "
                           "or remove it"))
        return True
    return False
