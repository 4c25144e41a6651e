"""What changed in the playbook lately, from the git history of its folder: for the "Recent
changes" page, and the "changed on …" line of each definition.

Only the files each commit touched are read (at that commit and at its parent), so the cost
grows with the size of the recent changes, not with the size of the playbook. Outside a git
checkout there is no history, and the page says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from ..source.loader import KINDS, SETTINGS_FILE
from ..source.yamltree import TreeBuilder
from .diff import KIND_NAMES
from .fielddiff import FieldChange, every_field, field_changes, field_label
from .git import GitError, blob_contents, git_output, last_changed, repo_root
from .worddiff import Segment

RECENT_COMMITS = 20  # commits shown on the page
DATED_COMMITS = 1000  # commits read for "changed on"
LINES_PER_ENTRY = 16  # field changes shown for one entry in one commit (an added asset has about 14 fields)
EDITS_PER_COMMIT = 15  # entries shown for one commit


@dataclass(frozen=True)
class Line:
    """One field's change, as the page shows it: where, and the change whole (a text word by word)."""

    where: str  # "qualifies", "rejection reasons › 'No budget' › goes to"; "" for the entry itself
    summary: str  # "added 'Requested a demo.'"
    segments: tuple[Segment, ...] = ()  # a changed text, word by word (see worddiff)

    @classmethod
    def of(cls, change: FieldChange) -> Line:
        return cls(field_label(change.path), change.summary, tuple(change.segments()))


@dataclass(frozen=True)
class Edit:
    """One entry changed by one commit."""

    kind: str
    id: str
    label: str
    status: str  # "added", "removed", "renamed" or "changed"
    lines: tuple[Line, ...]
    more: int = 0  # field changes not shown


@dataclass(frozen=True)
class Commit:
    sha: str
    day: date
    author: str
    subject: str
    edits: tuple[Edit, ...]
    more: int = 0  # entries changed but not shown


@dataclass(frozen=True)
class History:
    commits: tuple[Commit, ...] = ()
    # (kind, id) -> the day of the last commit that changed the entry's file
    changed_on: dict[tuple[str, str], date] = field(default_factory=dict)


def read_history(root: Path) -> History | None:
    """The recent history of the playbook folder root, or None outside a git checkout."""
    try:
        repo = repo_root(root.resolve())
        folder = root.resolve().relative_to(repo.resolve()).as_posix()
        log = git_output(repo, "log", f"-n{RECENT_COMMITS}", "--format=%H%x00%cs%x00%an%x00%s", "--", folder)
    except (GitError, ValueError):
        return None
    commits = []
    for line in log.decode("utf-8", "replace").splitlines():
        sha, day, author, subject = (line.split("\0") + ["", "", "", ""])[:4]
        edits, more = _commit_edits(repo, sha, folder)
        if edits:
            commits.append(Commit(sha, date.fromisoformat(day), author, subject, edits, more))
    return History(tuple(commits), _changed_on(repo, folder))


@lru_cache(maxsize=4 * RECENT_COMMITS)
def _commit_edits(repo: Path, sha: str, folder: str) -> tuple[tuple[Edit, ...], int]:
    """The entries a commit changed, as the page shows them, and how many more: worked out once
    per process for each commit (a commit never changes), so that a rebuild under `mkdocs serve`
    reads from git only the commits made since the last one."""
    edits = _edits(repo, sha, folder)
    return tuple(edits[:EDITS_PER_COMMIT]), max(0, len(edits) - EDITS_PER_COMMIT)


def _kind_and_id(path: str, data: Any) -> tuple[str, str] | None:
    """The entry a playbook file holds, from its place in the folder."""
    parts = PurePosixPath(path).parts
    if parts == (SETTINGS_FILE,):
        return "playbook", "playbook"
    if len(parts) != 2 or parts[0] not in KINDS or not parts[1].endswith((".yaml", ".yml")):
        return None
    value = data.get("id") if isinstance(data, dict) else None
    return KINDS[parts[0]], value if isinstance(value, str) else PurePosixPath(parts[1]).stem


def _edits(repo: Path, sha: str, folder: str) -> list[Edit]:
    """The entries one commit changed, each with what changed in it. The files are read from
    git together (git.blob_contents), by the ids of their contents before and after."""
    raw = git_output(repo, "diff-tree", "-r", "-M", "--root", "--no-commit-id", "--raw", "-z", sha, "--", folder)
    fields = raw.decode("utf-8", "replace").split("\0")
    # status, (old path, its blob id), (new path, its blob id)
    pairs: list[tuple[str, tuple[str, str] | None, tuple[str, str] | None]] = []
    i = 0
    while i + 1 < len(fields) and fields[i].startswith(":"):
        meta = fields[i].split()
        if len(meta) < 5 or not meta[4]:
            break
        status, old_blob, new_blob = meta[4][0], meta[2], meta[3]
        if status in "RC" and i + 2 < len(fields):
            pairs.append((status, (fields[i + 1], old_blob), (fields[i + 2], new_blob)))
            i += 3
        else:
            path = fields[i + 1]
            pairs.append((status, None if status == "A" else (path, old_blob),
                          None if status == "D" else (path, new_blob)))
            i += 2
    # Each file's contents in the order of the pairs, fetched a bounded part at a time.
    contents = blob_contents(repo, [part[1] for _, old, new in pairs for part in (old, new) if part is not None])
    edits = []
    for status, old_file, new_file in pairs:
        old = _data(next(contents), old_file[0]) if old_file else None
        new = _data(next(contents), new_file[0]) if new_file else None
        old_path, new_path = old_file[0] if old_file else None, new_file[0] if new_file else None
        shown = PurePosixPath(new_path or old_path or "").relative_to(folder).as_posix() if folder != "." else \
            (new_path or old_path or "")
        entry = _kind_and_id(shown, new if new is not None else old)
        if entry is None:
            continue
        kind, id = entry
        data = new if isinstance(new, dict) else old if isinstance(old, dict) else {}
        name = data.get("name", data.get("title", data.get("site_name", id)))
        label = f"{name} ({data['abbreviation']})" if isinstance(data.get("abbreviation"), str) else str(name)
        if old is None:
            lines = tuple(Line.of(f) for f in every_field(new))
            edits.append(Edit(kind, id, label, "added", lines[:LINES_PER_ENTRY], max(0, len(lines) - LINES_PER_ENTRY)))
        elif new is None:
            edits.append(Edit(kind, id, label, "removed", ()))
        else:
            changes = [f for f in field_changes(old, new) if f.path != ("id",)]
            renamed = status == "R" and isinstance(old, dict) and old.get("id") != id
            if changes or renamed:
                lines = tuple(Line.of(f) for f in changes)
                edits.append(Edit(kind, id, label, "renamed" if renamed else "changed", lines[:LINES_PER_ENTRY],
                                  max(0, len(lines) - LINES_PER_ENTRY)))
    return sorted(edits, key=lambda e: (list(KIND_NAMES).index(e.kind), e.label.casefold()))


def _data(raw: bytes | None, path: str) -> Any:
    """A file's YAML data, from the contents of its blob (None when it is missing or too large);
    None when it cannot be read."""
    if raw is None:
        return None
    try:
        builder = TreeBuilder(path)
        tree = builder.build(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, yaml.YAMLError):
        return None
    return None if builder.problems else tree.data


def _changed_on(repo: Path, folder: str) -> dict[tuple[str, str], date]:
    """The day each entry's file was last changed (not added), over the last DATED_COMMITS commits
    (by file name: a file's name is its entry's id)."""
    found: dict[tuple[str, str], date] = {}
    for path, day in last_changed(repo, folder, f"-n{DATED_COMMITS}", "--diff-filter=MR").items():
        relative = PurePosixPath(path).relative_to(folder).as_posix() if folder != "." else path
        entry = _kind_and_id(relative, None)
        if entry is not None:
            found.setdefault(entry, day)
    return found
