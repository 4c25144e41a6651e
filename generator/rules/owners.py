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
from .agreement import signatories

HEADER = "# Written by `playbook codeowners` from playbook.yaml: edit the reviewers there, then run it again."
DEFAULT_OUTPUT = Path(".github") / "CODEOWNERS"
# Folders whose every file both teams review.
SHARED = ("lifecycle", "handoffs", "metrics", "stages")
# Folders where each file goes to the team in its `owner` field ("both": both teams).
OWNED = ("assets", "terms", "personas")
_KINDS = {"assets": "asset", "terms": "term", "personas": "persona"}
# Where a lifecycle state or a handoff names the teams it concerns.
_TEAM_FIELDS = (("lifecycle", "lifecycle", ("owner",)), ("handoffs", "handoff", ("from_team", "to_team")))
# The tools outside the playbook, named again after the playbook's lines when the playbook
# folder is the repository's top.
TOOLS = ("/.github/", "/generator/", "/schemas/", "/docs/", "/mkdocs.yml", "/pyproject.toml")
MAX_CODEOWNERS_BYTES = 3_000_000  # what GitHub reads of the file
# A file that does not exist yet, checked in every playbook folder and at the top: who would
# own a file added without running `playbook codeowners`.
NEW_FILE = "new-file.yaml"


def reviewers(settings: Document | None) -> dict[str, list[str]] | None:
    """Each team's handles, for every team that declares some, the signing teams first; None
    unless every signing team declares some (no CODEOWNERS is wanted)."""
    if settings is None or not isinstance(settings.data, dict) or not isinstance(settings.data.get("teams"), dict):
        return None
    teams = settings.data["teams"]
    signing = signatories(settings.data)
    found: dict[str, list[str]] = {}
    for team in (*signing, *(t for t in teams if t not in signing)):
        data = teams.get(team)
        handles = data.get("reviewers") if isinstance(data, dict) else None
        if _handles(handles):
            found[team] = handles
        elif team in signing:
            return None
    return found


def signing(settings: Document | None, teams: dict[str, list[str]]) -> list[str]:
    """The signing teams' handles together: who reviews what both teams own."""
    return [handle for team in signatories(settings.data if settings is not None else None) for handle in teams[team]]


def maintainers(settings: Document | None, teams: dict[str, list[str]]) -> list[str]:
    """Who owns everything outside the playbook: `maintainers` in playbook.yaml, or, without
    them, the signing teams' reviewers."""
    return declared_maintainers(settings) or signing(settings, teams)


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
    both = " ".join(signing(loaded.settings, teams))
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
    shared = list(team_files(loaded, teams))
    if shared:
        lines += ["", "# Lifecycle states and handoffs of a team that does not sign: both teams and that team."]
        lines += [f"{top}{folder}/{_escape(name)} {' '.join(handles)}" for folder, name, handles in shared]
    lines += ["", "# Assets, terms and personas: the team that owns each (both teams for a term owned by both)."]
    lines += [f"{top}{folder}/{_escape(name)} {' '.join(handles)}"
              for folder, name, handles in owned_files(loaded, teams)]
    if top == "/":
        lines += ["", "# The tools again, after the playbook's lines: the maintainers."]
        lines += [f"{path} {tools}" for path in TOOLS]
    return "\n".join(lines) + "\n"


def owned_files(loaded: LoadedPlaybook, teams: dict[str, list[str]]) -> Iterator[tuple[str, str, list[str]]]:
    """Each asset, term and persona file: its folder, its name and its owning team's handles (the
    signing teams' for a term owned by both, or a team that names no reviewers)."""
    both = signing(loaded.settings, teams)
    for folder in OWNED:
        for doc in sorted(loaded.documents[_KINDS[folder]], key=lambda d: d.path.name):
            owner = doc.data.get("owner") if isinstance(doc.data, dict) else None
            handles = teams[owner] if isinstance(owner, str) and owner in teams else both
            yield folder, doc.path.name, handles


def team_files(loaded: LoadedPlaybook, teams: dict[str, list[str]]) -> Iterator[tuple[str, str, list[str]]]:
    """Each lifecycle state and handoff a team that does not sign owns or takes part in, with the
    signing teams' handles and that team's: both teams agree to it, and the team it concerns
    reviews it too."""
    both = signing(loaded.settings, teams)
    for folder, kind, fields in _TEAM_FIELDS:
        for doc in sorted(loaded.documents[kind], key=lambda d: d.path.name):
            data = doc.data if isinstance(doc.data, dict) else {}
            named = [data.get(f) for f in fields]
            extra = [h for team in dict.fromkeys(named) if isinstance(team, str) and team in teams
                     for h in teams[team] if h not in both]
            if extra:
                yield folder, doc.path.name, both + list(dict.fromkeys(extra))


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
    # each asset, term and persona file: its team's handles; each state and handoff of a team
    # that does not sign: both teams' and that team's
    owned: dict[str, tuple[str, ...]]

    @classmethod
    def of_playbook(cls, loaded: LoadedPlaybook, teams: dict[str, list[str]], prefix: str) -> Needed:
        base = prefix.strip("/") + "/" if prefix.strip("/") else ""
        owned = {f"{base}{folder}/{name}": tuple(handles) for folder, name, handles in
                 (*owned_files(loaded, teams), *team_files(loaded, teams))}
        return cls(base, tuple(signing(loaded.settings, teams)), tuple(maintainers(loaded.settings, teams)), owned)

    def of(self, path: str) -> tuple[str, ...]:
        if not path.startswith(self.base):
            return self.tools
        rel = path[len(self.base):]
        head, slash, _ = rel.partition("/")
        if slash and head in SHARED + OWNED:
            return self.owned.get(path, self.both)
        if rel == SETTINGS_FILE:
            return self.both
        return self.both if self.base else self.tools

    def new_files(self) -> set[str]:
        """A file not there yet in every playbook folder, and one at the top."""
        return {f"{self.base}{folder}/{NEW_FILE}" for folder in SHARED + OWNED} | {NEW_FILE}

    def order(self, handles: Iterable[str]) -> list[str]:
        """Handles in the order of the maintainers, then the teams; each once."""
        rank = {h.lower(): i for i, h in reversed(list(enumerate(self.tools + self.both)))}
        return sorted(set(handles), key=lambda h: (rank.get(h.lower(), len(rank)), h))
