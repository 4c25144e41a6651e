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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeGuard

from ..source.document import Document
from ..source.loader import SETTINGS_FILE, LoadedPlaybook, display_path, load_playbook
from ..source.ownership import MAX_WILDCARD_LINES, Ownership, Rule, TooManyWildcards, parse, repository_paths
from ..source.problems import Problem, printable
from ..source.yamltree import shorten

HEADER = "# Written by `playbook codeowners` from playbook.yaml: edit the reviewers there, then run it again."
DEFAULT_OUTPUT = Path(".github") / "CODEOWNERS"
# Folders whose every file both teams review.
SHARED = ("lifecycle", "handoffs", "metrics", "stages")
# Folders where each file goes to the team in its `owner` field ("both": both teams).
OWNED = ("assets", "terms", "personas")
_KINDS = {"assets": "asset", "terms": "term", "personas": "persona"}
# The tools outside the playbook, named again after the playbook's lines when the playbook
# folder is the repository's top.
TOOLS = ("/.github/", "/generator/", "/schemas/", "/docs/", "/mkdocs.yml", "/pyproject.toml")
MAX_CODEOWNERS_BYTES = 3_000_000  # what GitHub reads of the file
# A file that does not exist yet, checked in every playbook folder and at the top: who would
# own a file added without running `playbook codeowners`.
NEW_FILE = "new-file.yaml"
_SHOWN = 3  # paths named in one message


def reviewers(settings: Document | None) -> dict[str, list[str]] | None:
    """Each team's handles, when both teams declare some; else None (no CODEOWNERS is wanted)."""
    if settings is None or not isinstance(settings.data, dict) or not isinstance(settings.data.get("teams"), dict):
        return None
    found: dict[str, list[str]] = {}
    for team in ("sales", "marketing"):
        data = settings.data["teams"].get(team)
        handles = data.get("reviewers") if isinstance(data, dict) else None
        if not _handles(handles):
            return None
        found[team] = handles
    return found


def maintainers(settings: Document | None, teams: dict[str, list[str]]) -> list[str]:
    """Who owns everything outside the playbook: `maintainers` in playbook.yaml, or, without
    them, both teams' reviewers."""
    return _declared_maintainers(settings) or teams["sales"] + teams["marketing"]


def _declared_maintainers(settings: Document | None) -> list[str] | None:
    handles = settings.data.get("maintainers") if settings is not None and isinstance(settings.data, dict) else None
    return handles if _handles(handles) else None


def _handles(value: object) -> TypeGuard[list[str]]:
    return isinstance(value, list) and bool(value) and all(isinstance(h, str) for h in value)


def codeowners(loaded: LoadedPlaybook, prefix: str) -> str | None:
    """The CODEOWNERS text for a playbook whose folder is `prefix` from the repository's top, or
    None when the teams declare no reviewers. Later lines win on the git host: the maintainers'
    `*` comes first, then the playbook's folders, then its single files."""
    teams = reviewers(loaded.settings)
    if teams is None:
        return None
    both = " ".join(teams["sales"] + teams["marketing"])
    tools = " ".join(maintainers(loaded.settings, teams))
    top = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
    whose = "the maintainers" + ("" if _declared_maintainers(loaded.settings) else
                                 " (playbook.yaml names none, so both teams)")
    lines = [HEADER, "", f"# Everything that no line below names: {whose}. That is the generator, the schemas,",
             "# the workflows, this file itself, mkdocs.yml, docs/, the packaging and anything new.",
             f"* {tools}", "",
             "# The playbook's settings, agreed definitions, shared goals, stages and new playbook files: both teams."]
    if top == "/":  # no line for the whole top: it would take the tools from the maintainers
        lines += [f"/{SETTINGS_FILE} {both}"] + [f"/{folder}/ {both}" for folder in SHARED + OWNED]
    else:
        lines += [f"{top} {both}"] + [f"{top}{folder}/ {both}" for folder in SHARED]
    lines += ["", "# Assets, terms and personas: the team that owns each (both teams for a term owned by both)."]
    lines += [f"{top}{folder}/{_escape(name)} {' '.join(handles)}" for folder, name, handles in _owned(loaded, teams)]
    if top == "/":
        lines += ["", "# The tools again, after the playbook's lines: the maintainers."]
        lines += [f"{path} {tools}" for path in TOOLS]
    return "\n".join(lines) + "\n"


def _owned(loaded: LoadedPlaybook, teams: dict[str, list[str]]) -> Iterator[tuple[str, str, list[str]]]:
    """Each asset, term and persona file: its folder, its name and its owning team's handles."""
    for folder in OWNED:
        for doc in sorted(loaded.documents[_KINDS[folder]], key=lambda d: d.path.name):
            owner = doc.data.get("owner") if isinstance(doc.data, dict) else None
            handles = teams[owner] if isinstance(owner, str) and owner in teams else teams["sales"] + teams["marketing"]
            yield folder, doc.path.name, handles


def _escape(name: str) -> str:
    """A file name as a CODEOWNERS pattern: spaces and pattern characters escaped (file names are
    ids, so this is a guard, not a habit)."""
    return "".join("\\" + c if c in " #*?[]!\\" else c for c in name)


def repository_top(root: Path) -> Path:
    """Where .github/ lives: the folder that holds the playbook folder."""
    return root.resolve().parent


# ---------------------------------------------------------------- the check


@dataclass(frozen=True)
class Needed:
    """Who must own each path of the repository, by what the path is."""

    base: str  # the playbook folder from the top with a trailing slash; "" when it is the top
    both: tuple[str, ...]
    tools: tuple[str, ...]
    owned: dict[str, tuple[str, ...]]  # each asset, term and persona file: its team's handles

    @classmethod
    def of_playbook(cls, loaded: LoadedPlaybook, teams: dict[str, list[str]], prefix: str) -> Needed:
        base = prefix.strip("/") + "/" if prefix.strip("/") else ""
        owned = {f"{base}{folder}/{name}": tuple(handles) for folder, name, handles in _owned(loaded, teams)}
        return cls(base, tuple(teams["sales"] + teams["marketing"]),
                   tuple(maintainers(loaded.settings, teams)), owned)

    def of(self, path: str) -> tuple[str, ...]:
        if not path.startswith(self.base):
            return self.tools
        rel = path[len(self.base):]
        head, slash, _ = rel.partition("/")
        if rel == SETTINGS_FILE or (slash and head in SHARED):
            return self.both
        if slash and head in OWNED:
            return self.owned.get(path, self.both)
        return self.both if self.base else self.tools

    def new_files(self) -> set[str]:
        """A file not there yet in every playbook folder, and one at the top."""
        return {f"{self.base}{folder}/{NEW_FILE}" for folder in SHARED + OWNED} | {NEW_FILE}

    def order(self, handles: Iterable[str]) -> list[str]:
        """Handles in the order of the maintainers, then the teams; each once."""
        rank = {h.lower(): i for i, h in reversed(list(enumerate(self.tools + self.both)))}
        return sorted(set(handles), key=lambda h: (rank.get(h.lower(), len(rank)), h))


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
            return [Problem(shown, 1, 1, "", "the teams in playbook.yaml declare no reviewers any more: "
                            "add them back, or delete this file")]
        return []
    if text is None:
        return [Problem(shown, 1, 1, "", trouble)]
    try:
        ownership = Ownership(parse(text))
    except TooManyWildcards as err:
        return [Problem(shown, err.line, 1, "", f"more than {MAX_WILDCARD_LINES} lines with wildcards (* or ?): "
                        "nothing past this line is checked; name the folders and files instead")]
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
    rules = {rule.line: rule for rule in ownership.rules}
    return [Problem(shown, line or 1, 1, "", _message(rules.get(line), finding, needed.order(wanted[line]),
                                                      needed, made_up))
            for line, finding in sorted(findings.items())]


def _message(rule: Rule | None, finding: _Finding, wanted: list[str], needed: Needed, made_up: set[str]) -> str:
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
    owners = sum(bool(line) and not line.startswith("#") for line in text.splitlines())
    print(f"{display_path(target)} written: {owners} lines of owners.")
    return 0
