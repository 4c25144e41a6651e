"""`playbook codeowners`: the git host's CODEOWNERS file, written from the reviewers each team
declares in playbook.yaml, so a pull request asks the right people: both teams for agreed
definitions (lifecycle states, handoffs), shared goals, stages and the playbook's settings; the
owning team for each asset, term and persona.

`playbook validate` (and the site build) fails when a CODEOWNERS file written by this command
is out of date. A file without this command's first line is left alone and not checked.

On GitHub any one listed owner's approval satisfies "require review from code owners"; the
two-team rule for agreed definitions is enforced by `playbook diff --check-signoff`.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from .errors import Problem, printable
from .loader import Document, LoadedPlaybook, display_path, load_playbook

HEADER = "# Written by `playbook codeowners` from playbook.yaml: edit the reviewers there, then run it again."
DEFAULT_OUTPUT = Path(".github") / "CODEOWNERS"
# Folders whose every file both teams review.
SHARED = ("lifecycle", "handoffs", "metrics", "stages")
# Folders where each file goes to the team in its `owner` field ("both": both teams).
OWNED = ("assets", "terms", "personas")
MAX_CODEOWNERS_BYTES = 3_000_000  # what GitHub reads of the file


def reviewers(settings: Document | None) -> dict[str, list[str]] | None:
    """Each team's handles, when both teams declare some; else None (no CODEOWNERS is wanted)."""
    if settings is None or not isinstance(settings.data, dict) or not isinstance(settings.data.get("teams"), dict):
        return None
    found = {}
    for team in ("sales", "marketing"):
        data = settings.data["teams"].get(team)
        handles = data.get("reviewers") if isinstance(data, dict) else None
        if not isinstance(handles, list) or not handles or not all(isinstance(h, str) for h in handles):
            return None
        found[team] = handles
    return found


def codeowners(loaded: LoadedPlaybook, prefix: str) -> str | None:
    """The CODEOWNERS text for a playbook whose folder is `prefix` from the repository's top, or
    None when the teams declare no reviewers. Later lines win on the git host, so the owners of
    single files come last."""
    teams = reviewers(loaded.settings)
    if teams is None:
        return None
    both = " ".join(teams["sales"] + teams["marketing"])
    top = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
    lines = [HEADER, "", "# Agreed definitions, shared goals, stages and the playbook's settings: both teams.",
             f"{top} {both}"]
    lines += [f"{top}{folder}/ {both}" for folder in SHARED]
    lines += ["", "# Assets, terms and personas: the team that owns each (both teams for a term owned by both)."]
    for folder in OWNED:
        kind = {"assets": "asset", "terms": "term", "personas": "persona"}[folder]
        for doc in sorted(loaded.documents[kind], key=lambda d: d.path.name):
            owner = doc.data.get("owner") if isinstance(doc.data, dict) else None
            handles = " ".join(teams[owner]) if owner in teams else both
            lines.append(f"{top}{folder}/{_escape(doc.path.name)} {handles}")
    return "\n".join(lines) + "\n"


def _escape(name: str) -> str:
    """A file name as a CODEOWNERS pattern: spaces and pattern characters escaped (file names are
    ids, so this is a guard, not a habit)."""
    return "".join("\\" + c if c in " #*?[]!\\" else c for c in name)


def repository_top(root: Path) -> Path:
    """Where .github/ lives: the folder that holds the playbook folder."""
    return root.resolve().parent


def check_codeowners(loaded: LoadedPlaybook) -> list[Problem]:
    """A problem when the repository's CODEOWNERS was written by this command and no longer
    matches the playbook."""
    top = repository_top(loaded.root)
    path = top / DEFAULT_OUTPUT
    try:
        if path.is_symlink() or not path.is_file():
            return []
        with open(path, "rb") as file:
            current = file.read(MAX_CODEOWNERS_BYTES + 1).decode("utf-8", "replace")
    except OSError:
        return []
    if not current.startswith(HEADER):
        return []
    wanted = codeowners(loaded, loaded.root.resolve().relative_to(top).as_posix())
    if wanted is None:
        return [Problem(display_path(path), 1, 1, "", "the teams in playbook.yaml declare no reviewers any more: "
                        "add them back, or delete this file")]
    if current == wanted:
        return []
    line = next((i + 1 for i, (a, b) in enumerate(zip(current.splitlines(), wanted.splitlines(), strict=False))
                 if a != b), min(len(current.splitlines()), len(wanted.splitlines())) + 1)
    return [Problem(display_path(path), line, 1, "", "out of date with the playbook: run `playbook codeowners` "
                    "and commit the file")]


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
        problems = check_codeowners(loaded) if target.is_file() else [
            Problem(display_path(target), 1, 1, "", "missing: run `playbook codeowners` and commit the file")]
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
    owners = sum(line.startswith("/") for line in text.splitlines())
    print(f"{display_path(target)} written: {owners} lines of owners.")
    return 0
