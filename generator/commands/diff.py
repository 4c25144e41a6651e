"""`playbook diff BASE [HEAD]`: what a change does to the playbook, as Markdown for a pull request;
with --check-signoff, whether both teams agreed to it again; with --approvals, whether both
teams approved its latest commit on GitHub.

Between two revisions, the change is what HEAD adds since it branched from BASE (their merge
base, as `git diff BASE...HEAD`), so commits made on BASE since then are not counted as undone.

Each revision is built into a model with its own agreed values, and the two models are compared.
A head that cannot be built is not compared: described, the change is one that does not validate
(the comment lists its problems, as for any error in it); checked for sign-off, which leaves
validation to its own step, the head need only be built (an agreement written wrongly or left
out is judged, not refused), and one that cannot be fails the check with the problems that keep
it from being built. A base that cannot be built is an error: there is nothing to compare with.
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
from ..changes.diff import Change, compare
from ..changes.git import GitError, commit, commit_day, merge_base, repo_root, write_tree
from ..changes.reviews import ReviewsError
from ..changes.signoff import Rules, signoff_count, signoff_problems
from ..model.from_documents import blocking_problems, build_model
from ..model.playbook import Playbook
from ..model.written import written
from ..rules.agreement import signers
from ..rules.freshness import TodayError, resolve_today
from ..rules.validate import check
from ..source.filepaths import display_path
from ..source.loader import LoadedPlaybook, load_playbook
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


class UnbuiltError(Exception):
    """The base revision's playbook cannot be built into a model: there is nothing to compare with."""


@dataclasses.dataclass
class Sides:
    base: Playbook
    head: Playbook | None  # None: it cannot be built, or does not validate when the change is described
    head_problems: list[Problem]  # the errors that keep the head from being built or described
    branched_on: date | None  # the merge base's day; None for two folders


def run(args: argparse.Namespace) -> int:
    try:
        today = resolve_today(args.today)
        with tempfile.TemporaryDirectory(prefix="playbook-diff-") as tmp:
            sides = _sides(args, Path(tmp), today)
    except (GitError, TodayError, UnbuiltError) as err:
        print(printable(f"playbook diff: {err}"), file=sys.stderr)
        return 1
    if sides.head is None:
        return _not_built(args, sides.head_problems)
    changes = compare(sides.base, sides.head)
    if not args.check_signoff:
        sys.stdout.write(markdown(changes))
        return 0
    return _signoff(args, changes, sides)


def _not_built(args: argparse.Namespace, problems: list[Problem]) -> int:
    """A head that does not validate, described: the comment says so and where. Checked for
    sign-off, a head that cannot be built fails with what keeps it from being built."""
    if not args.check_signoff:
        sys.stdout.write(invalid_markdown(problems))
        return 0
    for problem in problems:
        print(github_annotation(problem) if args.format == "github" else problem)
    print(f"Sign-off: the change cannot be read as a playbook ({_count(len(problems), 'problem')}), so the "
          "agreement of both teams cannot be checked: fix the problems first.", file=sys.stderr)
    return 1


def _signoff(args: argparse.Namespace, changes: list[Change], sides: Sides) -> int:
    """Whether both teams agreed to the change again (and, with --approvals, approved it)."""
    # No agreement may be dated after the calendar's today, whatever day reviews are judged on.
    rules = Rules(signers(written(sides.base.settings)), date.today(), sides.branched_on)
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
        print(f"Sign-off: {_count(len(problems), 'problem')} with the agreement of both teams.", file=sys.stderr)
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


def _count(n: int, one: str) -> str:
    return f"{n} {one}{'s' if n != 1 else ''}"


def _sides(args: argparse.Namespace, tmp: Path, today: date) -> Sides:
    """The two playbooks, built: the base (at the merge base, for revisions) and the head, or the
    problems that keep the head from being built; every error in it when the change is to be
    described (one that does not validate is not). The sign-off check leaves validation to its
    own step, and builds the head only."""
    describe = not args.check_signoff
    root = Path(args.playbook)
    if Path(args.base).is_dir():
        head_dir = Path(args.head) if args.head else root
        if not head_dir.is_dir():
            raise GitError(f"{args.head}: BASE is a folder, so HEAD must be a folder too")
        return Sides(_base(args.base, *_read(Path(args.base), today, validated=False)),
                     *_read(head_dir, today, describe), None)
    if not root.is_dir():
        raise GitError(f"{display_path(root)}: no playbook folder here (give it with --playbook)")
    repo = repo_root(root.resolve())
    folder = root.resolve().relative_to(repo.resolve()).as_posix()
    head_sha = commit(repo, args.head) if args.head else commit(repo, "HEAD")
    base_sha = merge_base(repo, commit(repo, args.base), head_sha)
    base = _at_revision(repo, base_sha, folder, tmp / "base", root, today, validated=False)
    if args.head:
        head, problems = _at_revision(repo, head_sha, folder, tmp / "head", root, today, describe)
    else:
        head, problems = _read(root, today, describe)
    return Sides(_base(f"{args.base} ({base_sha[:12]})", *base), head, problems, commit_day(repo, base_sha))


def _base(name: str, model: Playbook | None, problems: list[Problem]) -> Playbook:
    if model is None:
        raise UnbuiltError(f"the playbook at {name} cannot be read as a playbook ({_count(len(problems), 'problem')}, "
                           f"the first: {problems[0]}): compare with a revision whose playbook validates")
    return model


def _read(folder: Path, today: date, validated: bool,
          shown_as: Path | None = None) -> tuple[Playbook | None, list[Problem]]:
    """The model of the playbook in folder, or None and the errors that keep it from being built:
    every error in it when `validated`, else those that stop a model being built. Files and
    problems are named as in shown_as, when folder is a copy of it."""
    if validated:
        loaded, found = check(folder, today=today)
        problems = [p for p in found if not p.warning]
    else:
        loaded = load_playbook(folder)
        problems = blocking_problems(loaded)
    if shown_as is not None:
        _shown_as(loaded, folder, shown_as)
        problems = [_moved(p, folder, shown_as) for p in problems]
    return (None, problems) if problems else (build_model(loaded, today), [])


def _at_revision(repo: Path, sha: str, folder: str, into: Path, shown_as: Path, today: date,
                 validated: bool) -> tuple[Playbook | None, list[Problem]]:
    """The playbook folder at a commit, read from a temporary copy, its files and problems named
    as in the working folder (so messages point at the lines a pull request shows)."""
    write_tree(repo, sha, folder, into)
    return _read(into, today, validated, shown_as)


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
