"""`playbook diff BASE [HEAD]`: what a change does to the playbook, as Markdown for a pull request;
with --check-signoff, whether both teams agreed to it again; with --approvals, whether both
teams approved its latest commit on GitHub.

Between two revisions, the change is what HEAD adds since it branched from BASE (their merge
base, as `git diff BASE...HEAD`), so commits made on BASE since then are not counted as undone.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from ..changes.approvals import approval_problems
from ..changes.comment import invalid_markdown, markdown
from ..changes.diff import compare
from ..changes.git import GitError, commit, commit_day, merge_base, repo_root, write_tree
from ..changes.reviews import ReviewsError
from ..changes.signoff import Rules, signoff_count, signoff_problems
from ..rules.agreement import signers
from ..rules.freshness import TodayError, resolve_today
from ..rules.validate import check
from ..source.loader import LoadedPlaybook, display_path, load_playbook
from ..source.problems import Problem, printable
from .report import github_annotation


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
    diff.add_argument("--approvals", action="store_true",
                      help="with --check-signoff: also require, through GitHub's API, an approving review of the "
                           "latest commit from each team for every change both teams own, by the people named in "
                           "agreed_by (reads GITHUB_API_URL, GITHUB_REPOSITORY, GITHUB_EVENT_PATH, GITHUB_TOKEN)")
    diff.add_argument("--format", choices=("text", "github"), default="text",
                      help="text (default), or github: sign-off problems as annotations on the lines of agreed_by")
    diff.add_argument("--today", metavar="YYYY-MM-DD",
                      help="the day the head's review and end dates are judged on (default: today); agreements are "
                           "always judged on the calendar's today")
    diff.set_defaults(run=run)


@dataclasses.dataclass
class Sides:
    base: LoadedPlaybook
    head: LoadedPlaybook
    head_problems: list[Problem]
    branched_on: date | None  # the merge base's day; None for two folders


def run(args: argparse.Namespace) -> int:
    try:
        today = resolve_today(args.today)
        with tempfile.TemporaryDirectory(prefix="playbook-diff-") as tmp:
            sides = _sides(args, Path(tmp), today)
            changes = compare(sides.base, sides.head)
    except (GitError, TodayError) as err:
        print(printable(f"playbook diff: {err}"), file=sys.stderr)
        return 1
    errors = [p for p in sides.head_problems if not p.warning]
    if not args.check_signoff:
        sys.stdout.write(invalid_markdown(errors) if errors else markdown(changes))
        return 0
    # No agreement may be dated after the calendar's today, whatever day reviews are judged on.
    rules = Rules(signers(sides.base.settings.data if sides.base.settings else None), date.today(),
                  sides.branched_on)
    problems = signoff_problems(changes, rules)
    unread = None
    if args.approvals:
        try:
            problems += approval_problems(changes, rules.people, os.environ)
        except ReviewsError as err:
            unread = printable(f"playbook diff: the pull request's reviews could not be read: {err}")
    for problem in sorted(set(problems)):
        print(github_annotation(problem) if args.format == "github" else problem)
    if unread is not None:  # the other problems are told first: every problem in one run
        print(unread, file=sys.stderr)
        return 1
    agreed = signoff_count(changes)
    if problems:
        print(f"Sign-off: {len(problems)} problem{'s' if len(problems) != 1 else ''} with the agreement of both "
              "teams.", file=sys.stderr)
        return 1
    owned = sum(c.both_teams for c in changes)
    print("Sign-off: no agreed definition changed." if not agreed else
          f"Sign-off: {agreed} agreed definition{'s' if agreed != 1 else ''} changed, each agreed again by both teams.")
    if args.approvals and owned:
        print(f"Approvals: {owned} change{'s' if owned != 1 else ''} both teams own, approved by both teams.")
    elif owned:
        print(f"Approvals: {owned} change{'s' if owned != 1 else ''} both teams own "
              f"need{'s' if owned == 1 else ''} an approval from each team (checked with --approvals in the "
              "pull request).")
    return 0


def _sides(args: argparse.Namespace, tmp: Path, today: date) -> Sides:
    """The two playbooks, read: the base (at the merge base, for revisions) and the head, with the
    head's problems when the change is to be described (one that does not validate is not). The
    sign-off check leaves validation to its own step, and reads the head only."""
    describe = not args.check_signoff
    root = Path(args.playbook)
    if Path(args.base).is_dir():
        head_dir = Path(args.head) if args.head else root
        if not head_dir.is_dir():
            raise GitError(f"{args.head}: BASE is a folder, so HEAD must be a folder too")
        return Sides(load_playbook(Path(args.base)), *_read(head_dir, today, describe), None)
    if not root.is_dir():
        raise GitError(f"{display_path(root)}: no playbook folder here (give it with --playbook)")
    repo = repo_root(root.resolve())
    folder = root.resolve().relative_to(repo.resolve()).as_posix()
    head_sha = commit(repo, args.head) if args.head else commit(repo, "HEAD")
    base_sha = merge_base(repo, commit(repo, args.base), head_sha)
    base, _ = _at_revision(repo, base_sha, folder, tmp / "base", root, today, validated=False)
    if args.head:
        head, problems = _at_revision(repo, head_sha, folder, tmp / "head", root, today, describe)
    else:
        head, problems = _read(root, today, describe)
    return Sides(base, head, problems, commit_day(repo, base_sha))


def _read(folder: Path, today: date, validated: bool) -> tuple[LoadedPlaybook, list[Problem]]:
    """The playbook in folder, with every problem in it when `validated`."""
    return check(folder, today=today) if validated else (load_playbook(folder), [])


def _at_revision(repo: Path, sha: str, folder: str, into: Path, shown_as: Path, today: date,
                 validated: bool) -> tuple[LoadedPlaybook, list[Problem]]:
    """The playbook folder at a commit, read from a temporary copy, its files and problems named
    as in the working folder (so messages point at the lines a pull request shows)."""
    write_tree(repo, sha, folder, into)
    loaded, problems = _read(into, today, validated)
    _shown_as(loaded, into, shown_as)
    return loaded, [_moved(p, into, shown_as) for p in problems]


def _shown_as(loaded: LoadedPlaybook, into: Path, shown_as: Path) -> None:
    shown = display_path(shown_as)
    for doc in [loaded.settings, *(d for docs in loaded.documents.values() for d in docs)]:
        if doc is not None:
            doc.display = f"{shown}/{doc.path.relative_to(into).as_posix()}"


def _moved(problem: Problem, into: Path, shown_as: Path) -> Problem:
    """A problem found in the temporary copy, named by the file's place in the working folder."""
    copy = display_path(into)
    if problem.file == copy or problem.file.startswith(copy + "/"):
        return dataclasses.replace(problem, file=display_path(shown_as) + problem.file[len(copy):])
    return problem
