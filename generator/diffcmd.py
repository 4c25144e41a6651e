"""`playbook diff BASE [HEAD]`: what changed in the playbook between two git revisions or two
folders, as Markdown for a pull request; with --check-signoff, whether both teams agreed again."""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from .diff import compare, markdown, signoff_count, signoff_problems
from .errors import printable
from .freshness import TodayError, resolve_today
from .gitsource import GitError, change_dates, commit, repo_root, uncommitted, write_tree
from .loader import LoadedPlaybook, display_path, load_playbook


def add_parser(commands: Any) -> None:
    diff = commands.add_parser(
        "diff", help="what changed between two revisions (or folders), as Markdown for a pull request",
        description="Compare the playbook at BASE with HEAD (default: the working folder). BASE and HEAD "
                    "are git revisions (branches, tags, commits) or two playbook folders.")
    diff.add_argument("base", metavar="BASE", help="the revision or folder to compare with, e.g. origin/main")
    diff.add_argument("head", metavar="HEAD", nargs="?", help="the revision or folder with the change "
                                                              "(default: the playbook folder as it is now)")
    diff.add_argument("--playbook", default="playbook", help="the playbook folder (default: playbook)")
    diff.add_argument("--check-signoff", action="store_true",
                      help="fail, with one line each, when an agreed definition changed without a renewed "
                           "agreed_by from both teams")
    diff.add_argument("--today", metavar="YYYY-MM-DD", help="the day of changes not yet committed (default: today)")
    diff.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        today = resolve_today(args.today)
        with tempfile.TemporaryDirectory(prefix="playbook-diff-") as tmp:
            base, head, dates = _sides(args, Path(tmp), today)
            changes = compare(base, head)
    except (GitError, TodayError) as err:
        print(printable(f"playbook diff: {err}"), file=sys.stderr)
        return 1
    if not args.check_signoff:
        sys.stdout.write(markdown(changes))
        return 0
    problems = signoff_problems(changes, dates, today)
    for line in problems:
        print(line)
    agreed = signoff_count(changes)
    if problems:
        print(f"{len(problems)} of {agreed} agreed definitions changed without both teams agreeing again.",
              file=sys.stderr)
        return 1
    print("Sign-off: no agreed definition changed." if not agreed else
          f"Sign-off: {agreed} agreed definition{'s' if agreed != 1 else ''} changed, each agreed again by both teams.")
    return 0


def _sides(args: argparse.Namespace, tmp: Path, today: date) -> tuple[LoadedPlaybook, LoadedPlaybook, dict[str, date]]:
    """The two playbooks, read, and the day each changed file was changed (by its display path)."""
    root = Path(args.playbook)
    if Path(args.base).is_dir():
        head_dir = Path(args.head) if args.head else root
        if not head_dir.is_dir():
            raise GitError(f"{args.head}: BASE is a folder, so HEAD must be a folder too")
        return load_playbook(Path(args.base)), load_playbook(head_dir), {}
    if not root.is_dir():
        raise GitError(f"{display_path(root)}: no playbook folder here (give it with --playbook)")
    repo = repo_root(root.resolve())
    folder = root.resolve().relative_to(repo.resolve()).as_posix()
    base_sha = commit(repo, args.base)
    base = _at_revision(repo, base_sha, folder, tmp / "base", root)
    if args.head:
        head_sha = commit(repo, args.head)
        head = _at_revision(repo, head_sha, folder, tmp / "head", root)
        changed = change_dates(repo, base_sha, head_sha, folder)
    else:
        head = load_playbook(root)
        changed = change_dates(repo, base_sha, "HEAD", folder)
        changed.update((path, today) for path in uncommitted(repo, folder))
    dates = {display_path(repo / path): when for path, when in changed.items()}
    return base, head, dates


def _at_revision(repo: Path, sha: str, folder: str, into: Path, shown_as: Path) -> LoadedPlaybook:
    """The playbook folder at a commit, read from a temporary copy, its files named as in the
    working folder (so messages point at the lines a pull request shows)."""
    write_tree(repo, sha, folder, into)
    loaded = load_playbook(into)
    shown = display_path(shown_as)
    for doc in [loaded.settings, *(d for docs in loaded.documents.values() for d in docs)]:
        if doc is not None:
            doc.display = f"{shown}/{doc.path.relative_to(into).as_posix()}"
    return loaded
