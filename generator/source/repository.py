"""Output that is safe to publish and safe to replace, for the MkDocs plugin and `playbook render`.

- Nothing is read through a link that leads out of the docs folder: a link such as
  `docs/env.txt -> /proc/self/environ` would otherwise publish whatever it points to.
- Nor through a link that leads the docs folder or the playbook folder itself out of the
  repository: `docs -> /home/runner` would publish the whole folder, and nothing in it would
  count as outside docs.
- A new site is written into a fresh folder beside the old one and swapped in only once it is
  complete, so a failed build never leaves a half-written or emptied folder where a good one was.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .filepaths import display_path, within
from .problems import printable

RENDER_MARKER = ".playbook-render"
"""The file `playbook render` writes into its output, so it only ever replaces a folder it wrote."""


class OutputError(Exception):
    """The output cannot be written; the message says what is wrong and what to do, one problem a line."""


def _inside(path: str, folder: str) -> bool:
    """Whether the path is folder or lies under it (both absolute, and resolved alike)."""
    return within(Path(path), Path(folder))


# Links that leave the docs folder ---------------------------------------------------------------


def outside_links(docs: Path, paths: Iterable[str]) -> list[str]:
    """A message for every link that leads out of docs, among the given files under docs, sorted.

    A file reached through a linked folder is reported as that folder's link, once, so the
    message never lists what the folder it points to holds.
    """
    docs_abs, real_docs = os.path.abspath(docs), os.path.realpath(docs)
    links = {_leaving_part(docs_abs, real_docs, os.path.abspath(path)) for path in paths}
    return [link_problem(Path(link), docs) for link in sorted(link for link in links if link is not None)]


def _leaving_part(docs: str, real_docs: str, path: str) -> str | None:
    """The first part of path, from docs down, whose real place is outside docs; None if none is."""
    if _inside(os.path.realpath(path), real_docs):
        return None
    part = docs
    for name in Path(os.path.relpath(path, docs)).parts:
        part = os.path.join(part, name)
        if not _inside(os.path.realpath(part), real_docs):
            return part
    return path


def link_problem(link: Path, docs: Path) -> str:
    """The one-line message for a link under docs that leads outside it."""
    kind = "folder" if link.is_dir() else "file"
    shown_docs = display_path(docs)
    return printable(f"{display_path(link)}: a link to a {kind} outside {shown_docs}/ "
                     f"({_target(link, docs)} is not published): replace the link with the {kind} itself")


def _target(link: Path, docs: Path) -> str:
    """Where the link points: as written when that is already outside docs (`/proc/self/environ`,
    not the checker's own process), else its real place (a chain of links through docs). Written
    is read from the folder the link really is in: `..` in a docs folder that is itself a link
    (to one inside the repository) leads from where that folder really is."""
    folder = os.path.realpath(os.path.dirname(os.path.abspath(link)))
    try:
        written: str | None = os.path.normpath(os.path.join(folder, os.readlink(link)))
    except OSError:  # not a link itself: a part of its path is
        written = None
    if written is None or _inside(written, os.path.realpath(docs)):
        written = os.path.realpath(link)
    return display_path(Path(written))


@dataclass
class _DocsWalk:
    """Collects the files under a docs folder without ever entering a folder outside it."""

    real_docs: str
    found: list[tuple[str, Path]] = field(default_factory=list)
    leaving: list[Path] = field(default_factory=list)

    def scan(self, folder: Path, prefix: str, ancestors: frozenset[str]) -> None:
        with os.scandir(folder) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                path, real = Path(entry.path), os.path.realpath(entry.path)
                if not _inside(real, self.real_docs):
                    self.leaving.append(path)
                elif entry.is_dir():
                    # A link to a folder it sits in would repeat forever: enter each real folder once per branch.
                    if real not in ancestors:
                        self.scan(path, f"{prefix}{entry.name}/", ancestors | {real})
                elif entry.is_file():
                    self.found.append((prefix + entry.name, path))


def docs_files(docs: Path) -> list[tuple[str, Path]]:
    """Every file under docs as (uri, path), sorted by uri.

    Links are followed only while they stay inside docs (as MkDocs follows them); raises
    OutputError listing every link that leaves docs, before any file is read.
    """
    real_docs = os.path.realpath(docs)
    walk = _DocsWalk(real_docs)
    walk.scan(docs, "", frozenset({real_docs}))
    if walk.leaving:
        raise OutputError("\n".join(link_problem(link, docs) for link in sorted(walk.leaving)))
    return sorted(walk.found)


# Folders that are links out of the repository ------------------------------------------------------

SITE_READ = "the site is built only from files in the repository"
"""Why a docs folder reached through a link out of the repository is refused."""
PLAYBOOK_READ = "the playbook is read only from files in the repository"
"""Why a playbook folder reached through a link out of the repository is refused."""


@dataclass(frozen=True)
class LinkOut:
    """The link by which a folder the site is made from leaves the repository."""

    link: Path
    target: str
    """Where the link leads, as shown: never what it holds."""

    def message(self, why: str) -> str:
        """What is wrong and what to do, without the link's own path (the caller places it)."""
        kind = "folder" if self.link.is_dir() else "file"
        return printable(f"a link to a {kind} outside the repository ({self.target}); {why}: "
                         f"replace the link with the {kind} itself")

    def line(self, why: str) -> str:
        """The whole one-line message: the link's path, then what is wrong and what to do."""
        return printable(f"{display_path(self.link)}: ") + self.message(why)


def link_out_of_repository(folder: Path, repository: Path | None = None) -> LinkOut | None:
    """The link by which folder really lies outside the repository; None when it lies in it.

    The checks on links under docs/ and playbook/ judge each link against the folder's real
    place, so a folder that is itself a link out (or lies under one) would make everything it
    holds count as inside. The repository is `repository` (the folder holding mkdocs.yml) or, by
    default, the current folder's git checkout; for a folder named outside it, the folder holding
    it, so a folder named on purpose is read where it is named, but never through a link out of
    there. A link that stays in the repository is followed, as links inside docs/ are: all it
    reaches is the repository's own. A folder that does not exist is left to the caller to report.
    """
    path = os.path.abspath(folder)
    top = os.path.abspath(repository) if repository is not None else _git_top()
    if top is None or not _inside(path, top):
        top = os.path.dirname(path)
    real_top = os.path.realpath(top)
    if not os.path.exists(folder) or _inside(os.path.realpath(folder), real_top):
        return None
    part = top
    for name in Path(os.path.relpath(path, top)).parts:
        part = os.path.join(part, name)
        if not _inside(os.path.realpath(part), real_top):
            break  # the first part that leaves: a link, named rather than what lies past it
    return LinkOut(Path(part), _target(Path(part), Path(top)))


def _git_top() -> str | None:
    """The top of the git checkout the current folder is in (the folder holding `.git`), or None.

    Looked for rather than asked of git: `mkdocs serve` reads the playbook on every rebuild."""
    folder = os.getcwd()
    while not os.path.lexists(os.path.join(folder, ".git")):
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent
    return folder


# Replacing a folder only with a complete new one --------------------------------------------------


@dataclass(frozen=True)
class Staging:
    """A fresh folder beside `target` to write into; `swap_in` puts it in place when complete."""

    target: Path
    """The real path of the folder to replace (a link to a folder is followed, not replaced)."""
    building: Path

    @property
    def old(self) -> Path:
        return self.target.with_name(f".{self.target.name}.old")

    def shown(self, path: str | Path) -> str:
        """A path inside the staging folder as the user knows it: under the target."""
        path = os.path.abspath(path)
        if _inside(path, str(self.building)):
            path = str(self.target) + path[len(str(self.building)):]
        return display_path(Path(path))


def check_replaceable(target: Path, inputs: Iterable[Path]) -> None:
    """Raise OutputError unless target may be replaced by a render: it is new, empty or written by
    `playbook render`, and neither holds nor sits in one of the input folders."""
    shown, real = display_path(target), os.path.realpath(target)
    if os.path.lexists(real) and not os.path.isdir(real):
        raise OutputError(f"{shown}: is a file, not a folder; name a folder to write the pages into")
    for folder in inputs:
        real_input = os.path.realpath(folder)
        if _inside(real_input, real):
            raise OutputError(f"{shown}: replacing it would delete {display_path(folder)}/, which the pages "
                              "are made from; name another folder")
        if _inside(real, real_input):
            raise OutputError(f"{shown}: is inside {display_path(folder)}/, which the pages are made from; "
                              "name a folder outside it")
    if os.path.isdir(real) and os.listdir(real) and not os.path.isfile(os.path.join(real, RENDER_MARKER)):
        raise OutputError(f"{shown}: holds files that `playbook render` did not write, so it is not replaced; "
                          "name a new or empty folder")


def stage(target: Path, purpose: str) -> Staging:
    """Make the fresh folder `.<name>.<purpose>` beside target, removing one that a killed run left."""
    real = Path(os.path.realpath(target))
    if real.parent == real:
        raise OutputError(f"{target}: name a folder below it to write into")
    if real.exists() and not real.is_dir():
        raise OutputError(f"{display_path(target)}: is a file, not a folder; name a folder to write into")
    staging = Staging(real, real.with_name(f".{real.name}.{purpose}"))
    try:
        _remove(staging.building)
        _remove(staging.old)
        staging.building.mkdir(parents=True)
    except OSError as err:
        raise OutputError(f"{display_path(target)}: could not make a folder beside it to write into "
                          f"({err.strerror or err}); nothing was changed") from None
    return staging


def swap_in(staging: Staging, keep_hidden: bool = False) -> None:
    """Put the complete new folder in place of the old one, and remove the old one.

    With keep_hidden, entries of the old folder whose names start with a dot move into the new
    one, as MkDocs' own clean of site_dir keeps them (a deploy checkout's `.git`, say).
    """
    try:
        _swap(staging, keep_hidden)
    except OSError as err:
        discard(staging)
        raise OutputError(f"{display_path(staging.target)}: could not put the new folder in place "
                          f"({err.strerror or err}); check the permissions of the folder it is in") from None


def _swap(staging: Staging, keep_hidden: bool) -> None:
    if not staging.target.exists():
        staging.building.rename(staging.target)
        return
    try:
        staging.target.rename(staging.old)
    except OSError:
        # A mount point cannot be renamed: replace what it holds instead, now that all of it is written.
        _replace_contents(staging, keep_hidden)
        return
    try:
        staging.building.rename(staging.target)
    except OSError:
        staging.old.rename(staging.target)
        raise
    if keep_hidden:
        _move_hidden(staging.old, staging.target)
    shutil.rmtree(staging.old, ignore_errors=True)


def _replace_contents(staging: Staging, keep_hidden: bool) -> None:
    for entry in os.scandir(staging.target):
        if not (keep_hidden and _hidden_and_free(entry.name, staging.building)):
            _remove(Path(entry.path))
    for entry in os.scandir(staging.building):
        shutil.move(entry.path, staging.target / entry.name)
    staging.building.rmdir()


def _hidden_and_free(name: str, folder: Path) -> bool:
    """Whether an old entry is hidden and the new folder has nothing of that name."""
    return name.startswith(".") and not os.path.lexists(folder / name)


def _move_hidden(old: Path, new: Path) -> None:
    for entry in os.scandir(old):
        if _hidden_and_free(entry.name, new):
            os.rename(entry.path, new / entry.name)


def discard(staging: Staging) -> None:
    """Remove the staging folder of a run that failed; the old folder stays as it was."""
    shutil.rmtree(staging.building, ignore_errors=True)


def _remove(path: Path) -> None:
    """Remove a file, a link (never what it points to) or a folder, if there is one."""
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)
