"""The playbook as it was at a git revision: its files written into a temporary folder, so the
same loader (with its bounds and checks) reads it as it reads the working folder.

Git is run as a command with fixed arguments; a revision is checked to name a commit before it
is used, and never passed where git could read it as an option.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path, PurePosixPath
from typing import TypeVar

from ..source.filebytes import MAX_FILE_BYTES


class GitError(Exception):
    """Git is missing, the folder is not in a repository, or a revision names no commit."""


def git_output(repo: Path, *args: str, input: bytes | None = None) -> bytes:
    try:
        result = subprocess.run(["git", "-C", str(repo), *args], input=input, capture_output=True, timeout=120,
                                check=False)
    except FileNotFoundError:
        raise GitError("git is not installed: install it, or compare two folders instead") from None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(message[-1] if message else f"git {args[0]} failed")
    return result.stdout


def repo_root(folder: Path) -> Path:
    """The top folder of the git checkout that holds folder."""
    start = folder if folder.is_dir() else folder.parent
    return Path(git_output(start, "rev-parse", "--show-toplevel").decode("utf-8").strip())


def commit(repo: Path, revision: str) -> str:
    """The commit a revision names (a hash); raises GitError when it names none."""
    if revision.startswith("-") or not revision.strip():
        raise GitError(f"{revision!r} is not a revision")
    try:
        return git_output(repo, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"
                    ).decode("ascii").strip()
    except GitError:
        raise GitError(f"{revision!r} names no commit in {repo}: give a branch, a tag or a commit") from None


def merge_base(repo: Path, base: str, head: str) -> str:
    """The commit head branched from base at (both hashes): where the change begins."""
    try:
        return git_output(repo, "merge-base", base, head).decode("ascii").strip()
    except GitError:
        raise GitError(f"{base[:12]} and {head[:12]} have no commit in common: compare revisions of one "
                       "history (fetch the whole history, e.g. fetch-depth: 0)") from None


def commit_day(repo: Path, sha: str) -> date:
    """The day a commit was made (its committer date, in its own time zone)."""
    return date.fromisoformat(git_output(repo, "show", "-s", "--format=%cs", sha, "--").decode("ascii").strip())


def write_tree(repo: Path, sha: str, folder: str, into: Path) -> list[str]:
    """Write the files under folder (a path from the repository's top) at commit sha into `into`.

    Regular files only: a symbolic link is not followed or written, and is returned by name. A
    file larger than the loader accepts is not read: an empty file of its size stands for it,
    which the loader reports. Every other blob comes through `git cat-file --batch`, in parts of
    BATCH_BYTES.
    """
    listing = git_output(repo, "ls-tree", "-r", "-z", "--full-tree", "-l", sha, "--", folder)
    prefix = PurePosixPath(folder)
    wanted: list[tuple[str, PurePosixPath, int]] = []
    skipped: list[str] = []
    for record in listing.split(b"\0"):
        if not record:
            continue
        meta, _, raw_path = record.partition(b"\t")
        mode, kind, blob, size_text = meta.decode("ascii").split()
        path = PurePosixPath(raw_path.decode("utf-8", "replace"))
        if kind != "blob" or mode not in ("100644", "100755") or ".." in path.parts:
            skipped.append(str(path))
            continue
        relative = path.relative_to(prefix) if path != prefix else PurePosixPath(path.name)
        if not size_text.isdigit():  # git lists the file but has not its contents ("BAD")
            raise _not_here(relative, sha)
        wanted.append((blob, relative, int(size_text)))
    into.mkdir(parents=True, exist_ok=True)
    for _, relative, _size in [w for w in wanted if w[2] > MAX_FILE_BYTES]:
        # Too large to read: an empty file of that length, which the loader reports by its size.
        (into / relative).parent.mkdir(parents=True, exist_ok=True)
        with open(into / relative, "wb") as big:
            big.truncate(MAX_FILE_BYTES + 1)
    for part in _parts([w for w in wanted if w[2] <= MAX_FILE_BYTES], lambda w: w[2]):
        contents = _batch(repo, [(blob, size) for blob, _, size in part])
        for blob, relative, _size in part:
            if blob not in contents:
                raise _not_here(relative, sha)
            target = into / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(contents[blob])
    return skipped


def _not_here(relative: PurePosixPath, sha: str) -> GitError:
    return GitError(f"the contents of {relative} at {sha[:12]} are not in this clone: fetch the whole history "
                    "(git fetch --unshallow, or a checkout with fetch-depth: 0)")


# What one `git cat-file --batch` hands back at most: the blobs asked for go in parts this large,
# and no more of them is held at once.
BATCH_BYTES = 64 * 1024 * 1024


def blob_contents(repo: Path, ids: list[str]) -> Iterator[bytes | None]:
    """The contents of each blob named by id, in the order given: None for one that is missing,
    is not a blob, or is larger than the loader reads. Their sizes come from one `git cat-file
    --batch-check`, and their contents from `git cat-file --batch` in parts of BATCH_BYTES, each
    fetched as the caller comes to it."""
    sizes = _sizes(repo, {id for id in ids if _OBJECT_ID.fullmatch(id) and id.strip("0")})
    for part in _parts(ids, lambda id: sizes.get(id, 0)):
        found = _batch(repo, list({id: sizes[id] for id in part if id in sizes}.items()))
        yield from (found.get(id) for id in part)


_OBJECT_ID = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


def _sizes(repo: Path, ids: set[str]) -> dict[str, int]:
    """The size of each blob named, of those no larger than the loader reads."""
    if not ids:
        return {}
    check = git_output(repo, "cat-file", "--batch-check", input="".join(f"{id}\n" for id in sorted(ids)).encode())
    sizes: dict[str, int] = {}
    for line in check.decode("ascii", "replace").splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] in ids and parts[1] == "blob" and parts[2].isdigit() \
                and int(parts[2]) <= MAX_FILE_BYTES:
            sizes[parts[0]] = int(parts[2])
    return sizes


Item = TypeVar("Item")


def _parts(items: list[Item], size: Callable[[Item], int]) -> Iterator[list[Item]]:
    """The items in order, in parts of at most BATCH_BYTES (an item larger than that alone)."""
    start = 0
    while start < len(items):
        end, total = start, 0
        while end < len(items) and (end == start or total + size(items[end]) <= BATCH_BYTES):
            total += size(items[end])
            end += 1
        yield items[start:end]
        start = end


def _batch(repo: Path, wanted: list[tuple[str, int]]) -> dict[str, bytes]:
    """The contents of blobs of known sizes, through one `git cat-file --batch`."""
    if not wanted:
        return {}
    batch = git_output(repo, "cat-file", "--batch", input=b"".join(f"{blob}\n".encode() for blob, _ in wanted))
    found: dict[str, bytes] = {}
    offset = 0
    for blob, size in wanted:
        header_end = batch.index(b"\n", offset)
        header = batch[offset:header_end].split()
        offset = header_end + 1
        if len(header) == 3 and header[2].isdigit():  # "<id> <type> <size>", then the contents
            length = int(header[2])
            if header[1] == b"blob" and length == size:
                found[blob] = batch[offset:offset + length]
            offset += length + 1
        # else "<id> missing": no contents follow, and the blob is left out
    return found


def last_changed(repo: Path, folder: str, *selection: str) -> dict[str, date]:
    """For each file under folder that the commits `selection` picks (a range, a limit, a filter)
    changed: the date of the newest of them (paths from the repository's top)."""
    log = git_output(repo, "log", *selection, "--format=%x00%cs", "--name-only", "-z", "--", folder)
    dates: dict[str, date] = {}
    when: date | None = None
    for part in log.split(b"\0"):
        text = part.decode("utf-8", "replace").strip("\n")
        if not text:
            continue
        if len(text) == 10 and text[4] == "-" and text[7] == "-" and text.replace("-", "").isdigit():
            when = date.fromisoformat(text)
        elif when is not None:
            dates.setdefault(text, when)
    return dates
