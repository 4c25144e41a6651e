"""`playbook codeowners`: the git host's CODEOWNERS file, written from playbook.yaml so a pull
request asks the right people: the maintainers for everything that is not the playbook (the
generator, the schemas, the workflows, CODEOWNERS itself, mkdocs.yml, docs/, the packaging and
anything new); both teams for agreed definitions (lifecycle states, handoffs), shared goals,
stages, the playbook's settings and any new playbook file; the owning team for each asset, term
and persona.

`playbook validate` (and the site build) reads the repository's CODEOWNERS as the git host does
(generator/ownership.py) and fails at the line that gives a file fewer owners than those, or
where no line owns one. More owners than needed is not a fault: a new playbook file is reviewed
by both teams under the folder's line until `playbook codeowners` gives it a line of its own, so
a marketer adding a file in the web editor is not stopped.

On GitHub any one listed owner's approval satisfies "require review from code owners"; the
two-team rule for agreed definitions is enforced by `playbook diff --check-signoff`.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..source.filepaths import display_path
from ..source.loader import SETTINGS_FILE, LoadedPlaybook, load_playbook
from ..source.ownership import MAX_WILDCARD_LINES, Ownership, TooManyWildcards, parse, repository_paths
from ..source.ownership import Rule as Line
from ..source.paths import shorten
from ..source.problems import ERROR, Problem, Rule, printable
from .owners import DEFAULT_OUTPUT, HEADER, MAX_CODEOWNERS_BYTES, Needed, repository_top, reviewers
from .owners import codeowners as codeowners

_SHOWN = 3  # paths named in one message


# Who reviews a change is how both teams agree to it.
_ROUTED = "CODEOWNERS routes each change to the people who must agree to it; a gap lets a change pass unreviewed"
# A CODEOWNERS for the examples' teams.
_REVIEWERS = """
        teams:
          sales: {name: Sales, leader: Sam Seller, description: Closes deals., reviewers: ["@acme/sellers"]}
          marketing:
            name: Marketing
            leader: Mia Marketer
            description: Makes demand.
            reviewers: ["@acme/marketers"]
"""

CODEOWNERS_OWNER_MISSING = Rule(
    "codeowners-owner-missing", ERROR, "a CODEOWNERS line that gives a file fewer owners than playbook.yaml asks",
    fixed=_ROUTED,
    doc=f"""
    When the teams in playbook.yaml name reviewers, the repository's `.github/CODEOWNERS` (as
    `playbook codeowners` writes it) must ask the right people: the maintainers for everything
    that is not the playbook, both teams for agreed definitions, shared goals, stages and the
    settings, the owning team for each asset, term and persona. The check reads the file as the
    git host does and fails at each line that gives a file fewer owners, or where no line owns
    one. More owners than needed is no fault. Run `playbook codeowners` to write the file.

    Fails, in `.github/CODEOWNERS`:

        * @acme/sellers

    And with these fields in `playbook/playbook.yaml`:
    {_REVIEWERS}
    Passes, in `.github/CODEOWNERS`:

        * @acme/sellers @acme/marketers

    And with these fields in `playbook/playbook.yaml`:
    {_REVIEWERS}""")

CODEOWNERS_WITHOUT_REVIEWERS = Rule(
    "codeowners-without-reviewers", ERROR, "a CODEOWNERS written from reviewers playbook.yaml no longer names",
    fixed=_ROUTED,
    doc="""
    A `.github/CODEOWNERS` written by `playbook codeowners` (its first line says so) is made from
    the reviewers of the teams in playbook.yaml. When the teams name none any more, it no longer
    says who must review: add the reviewers back, or delete the file. A CODEOWNERS written by
    hand is left alone.

    Fails, in `.github/CODEOWNERS`:

        # Written by `playbook codeowners` from playbook.yaml: edit the reviewers there, then run it again.
        * @acme/sellers @acme/marketers

    Passes, in `.github/CODEOWNERS`:

        # Who reviews what: kept by hand.
        * @acme/sellers @acme/marketers
    """)

CODEOWNERS_UNREADABLE = Rule(
    "codeowners-unreadable", ERROR, "a CODEOWNERS that is a link, not a file, unreadable or over 3 MB",
    fixed=_ROUTED, test="tests/test_codeowners.py::test_a_link_is_not_read",
    doc="""
    The git host reads owners only from a plain file of at most 3 MB; a link, a folder, or a
    larger file gives no owners at all, so nothing would be reviewed by the people it names.

    Fails when `.github/CODEOWNERS` is a symbolic link (or a folder, or larger than 3,000,000
    bytes). Passes when it is the file `playbook codeowners` writes.
    """)

CODEOWNERS_TOO_MANY_WILDCARDS = Rule(
    "codeowners-too-many-wildcards", ERROR, f"a CODEOWNERS with more than {MAX_WILDCARD_LINES} lines with wildcards",
    fixed="each line with a wildcard is tried on every file: past the limit, the lines after it are not checked",
    test="tests/test_rules.py::test_codeowners_with_too_many_wildcards_is_a_problem",
    doc=f"""
    Lines with `*` or `?` are tried one by one on every file of the repository; at most
    {MAX_WILDCARD_LINES} are read, and the check fails at the first line past them. Name the folders and files
    instead, as `playbook codeowners` does.

    Fails when `.github/CODEOWNERS` holds {MAX_WILDCARD_LINES + 1} lines such as `/docs/*1.md @acme/writers`.
    Passes with one line `/docs/ @acme/writers`.
    """)

CODEOWNERS_MISSING = Rule(
    "codeowners-missing", ERROR, "no CODEOWNERS where `playbook codeowners --check` expects one",
    fixed=_ROUTED, test="tests/test_codeowners.py::test_missing",
    doc="""
    Reported by `playbook codeowners --check` only (validation asks for no CODEOWNERS): the teams
    name reviewers, so the repository should have the `.github/CODEOWNERS` written from them.

    Fails when the teams in playbook.yaml name reviewers and `.github/CODEOWNERS` is not there.
    Passes once `playbook codeowners` has written it and it is committed.
    """)

RULES = (CODEOWNERS_OWNER_MISSING, CODEOWNERS_WITHOUT_REVIEWERS, CODEOWNERS_UNREADABLE, CODEOWNERS_TOO_MANY_WILDCARDS,
         CODEOWNERS_MISSING)

def check_codeowners(loaded: LoadedPlaybook) -> list[Problem]:
    """Every line of the repository's CODEOWNERS that gives a file fewer owners than playbook.yaml
    asks for, and every file no line owns; nothing when there is no CODEOWNERS, or when the teams
    declare no reviewers (then a file this command wrote is out of date)."""
    top = repository_top(loaded.root)
    return codeowners_problems(loaded, top, loaded.root.resolve().relative_to(top).as_posix())


def codeowners_problems(loaded: LoadedPlaybook, top: Path, prefix: str) -> list[Problem]:
    """check_codeowners for a repository whose top is `top`, with the playbook at `prefix`."""
    path = top / DEFAULT_OUTPUT
    shown = display_path(path)
    if not os.path.lexists(path):
        return []
    teams = reviewers(loaded.settings)
    text, trouble = _read(path)
    if teams is None:
        if text is not None and text.startswith(HEADER):
            return [CODEOWNERS_WITHOUT_REVIEWERS.at(shown, 1, 1, "", "the teams in playbook.yaml declare no "
                                                    "reviewers any more: add them back, or delete this file")]
        return []
    if text is None:
        return [CODEOWNERS_UNREADABLE.at(shown, 1, 1, "", trouble)]
    try:
        ownership = Ownership(parse(text))
    except TooManyWildcards as err:
        return [CODEOWNERS_TOO_MANY_WILDCARDS.at(shown, err.line, 1, "", f"more than {MAX_WILDCARD_LINES} lines "
                                                 "with wildcards (* or ?): nothing past this line is checked; name "
                                                 "the folders and files instead")]
    needed = Needed.of_playbook(loaded, teams, prefix)
    made_up = needed.new_files()
    paths = repository_paths(top) | made_up | set(needed.owned) | {needed.base + SETTINGS_FILE,
                                                                   DEFAULT_OUTPUT.as_posix()}
    return _problems(shown, ownership, needed, sorted(paths), made_up)


def _read(path: Path) -> tuple[str | None, str]:
    """The text of CODEOWNERS, or None and why it was not read."""
    if path.is_symlink() or path.parent.is_symlink():
        return None, "is a link: it is not read, and the git host does not follow it; replace it with the file itself"
    try:
        if not path.is_file():
            return None, "is not a file: the git host reads no owners from it; write it with `playbook codeowners`"
        with open(path, "rb") as file:
            data = file.read(MAX_CODEOWNERS_BYTES + 1)
    except OSError as err:
        return None, f"cannot be read ({err.strerror or err}): check its permissions"
    if len(data) > MAX_CODEOWNERS_BYTES:
        return None, (f"is larger than {MAX_CODEOWNERS_BYTES:,} bytes: the git host reads no owners from it; "
                      "write it with `playbook codeowners`")
    return data.decode("utf-8", "replace"), ""


@dataclass
class _Finding:
    """The paths one line (or no line) gives too few owners, and the handles they miss."""

    paths: list[str] = field(default_factory=list)
    missing: set[str] = field(default_factory=set)


def _problems(shown: str, ownership: Ownership, needed: Needed, paths: list[str],
              made_up: set[str]) -> list[Problem]:
    findings: dict[int, _Finding] = {}
    wanted: dict[int, set[str]] = {}  # by line (0: none): what the paths it owns need, together
    granted: dict[int, set[str]] = {0: set()}  # by line: its owners, as handles compare
    for path in paths:
        rule = ownership.rule_for(path)
        need = needed.of(path)
        line = rule.line if rule is not None else 0
        wanted.setdefault(line, set()).update(need)
        if line not in granted:
            granted[line] = {owner.lower() for owner in rule.owners} if rule is not None else set()
        missing = [handle for handle in need if handle.lower() not in granted[line]]
        if missing:
            finding = findings.setdefault(line, _Finding())
            finding.paths.append(path)
            finding.missing.update(missing)
    lines = {rule.line: rule for rule in ownership.rules}
    return [CODEOWNERS_OWNER_MISSING.at(shown, line or 1, 1, "", _message(lines.get(line), finding,
                                                                          needed.order(wanted[line]), needed, made_up))
            for line, finding in sorted(findings.items())]


def _message(rule: Line | None, finding: _Finding, wanted: list[str], needed: Needed, made_up: set[str]) -> str:
    listing = _listing(finding.paths, made_up)
    if rule is None:
        return f"nothing owns {listing}: add a line `* {' '.join(wanted)}` at the top"
    several = len(finding.paths) > 1
    owners = (f"owned by {shorten(' '.join(rule.owners), 120)} only" if rule.owners
              else "owned by nobody (the line names no owners)")
    return (f"{listing} {'are' if several else 'is'} {owners}: {'they need' if several else 'it needs'} "
            f"{_and(needed.order(finding.missing))}; write `{shorten(rule.pattern, 100)} {' '.join(wanted)}`")


def _listing(paths: list[str], made_up: set[str]) -> str:
    """Up to _SHOWN paths and how many more."""
    shown = ["/" + shorten(path, 100) + (" (a new file)" if path in made_up else "") for path in paths[:_SHOWN]]
    more = len(paths) - len(shown)
    return ", ".join(shown) + f" and {more} more" if more else _and(shown)


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def add_parser(commands: Any) -> None:
    command = commands.add_parser("codeowners", help="write .github/CODEOWNERS from the reviewers in playbook.yaml")
    command.add_argument("--playbook", default="playbook", help="the playbook folder (default: playbook)")
    command.add_argument("--check", action="store_true", help="only check that the file is up to date (exit 1 if not)")
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    root = Path(args.playbook)
    loaded = load_playbook(root)
    if loaded.settings is None:
        print(printable(f"{display_path(root)}: no playbook.yaml here: give the playbook folder with --playbook"),
              file=sys.stderr)
        return 1
    top = repository_top(root)
    text = codeowners(loaded, root.resolve().relative_to(top).as_posix())
    if text is None:
        print(f"{loaded.settings.display}: the teams declare no reviewers: add teams › sales › reviewers and "
              "teams › marketing › reviewers (handles such as @tallybright/sales-leads)", file=sys.stderr)
        return 1
    target = top / DEFAULT_OUTPUT
    if args.check:
        problems = check_codeowners(loaded) if os.path.lexists(target) else [
            CODEOWNERS_MISSING.at(display_path(target), 1, 1, "", "missing: run `playbook codeowners` and commit the "
                                  "file")]
        for problem in problems:
            print(problem)
        if not problems:
            print(f"{display_path(target)} is up to date.")
        return 1 if problems else 0
    if target.is_symlink() or (target.parent.exists() and target.parent.is_symlink()):
        print(printable(f"{display_path(target)}: is a link; refusing to write through it"), file=sys.stderr)
        return 1
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.writing")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, target)
    except OSError as err:
        print(printable(f"{display_path(target)}: {err.strerror or err}"), file=sys.stderr)
        return 1
    owners = sum(bool(line) and not line.startswith("#") for line in text.splitlines())
    print(f"{display_path(target)} written: {owners} lines of owners.")
    return 0
