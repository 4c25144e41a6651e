"""Who must own each path of the repository, from playbook.yaml: the text `playbook codeowners`
writes into the git host's CODEOWNERS file, and what the check of that file (codeowners.py)
compares each of its lines with."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeGuard

from ..source.document import Document
from ..source.loader import SETTINGS_FILE, LoadedPlaybook

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
    return declared_maintainers(settings) or teams["sales"] + teams["marketing"]


def declared_maintainers(settings: Document | None) -> list[str] | None:
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
    whose = "the maintainers" + ("" if declared_maintainers(loaded.settings) else
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
    lines += [f"{top}{folder}/{_escape(name)} {' '.join(handles)}"
              for folder, name, handles in owned_files(loaded, teams)]
    if top == "/":
        lines += ["", "# The tools again, after the playbook's lines: the maintainers."]
        lines += [f"{path} {tools}" for path in TOOLS]
    return "\n".join(lines) + "\n"


def owned_files(loaded: LoadedPlaybook, teams: dict[str, list[str]]) -> Iterator[tuple[str, str, list[str]]]:
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
        owned = {f"{base}{folder}/{name}": tuple(handles) for folder, name, handles in owned_files(loaded, teams)}
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
