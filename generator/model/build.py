"""The one way in: load a playbook folder, check it, and return the model or every problem."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ..rules.freshness import resolve_today
from ..rules.validate import check
from ..source.loader import LoadedPlaybook
from ..source.problems import PlaybookError, Problem
from .from_documents import build_model
from .playbook import Playbook


def build(root: Path, docs: Path | None = None, today: date | None = None,
          stale_fails: bool = False) -> tuple[Playbook, list[Problem], LoadedPlaybook]:
    """The playbook under root as objects, with its warnings and the files as loaded; raises
    PlaybookError listing every error."""
    today = today or resolve_today()
    loaded, problems = check(root, docs, today, stale_fails)
    if any(not p.warning for p in problems):
        raise PlaybookError(problems)
    return build_model(loaded, today), problems, loaded


def build_playbook(root: Path, docs: Path | None = None, today: date | None = None) -> Playbook:
    """The playbook under root as objects; raises PlaybookError listing every error."""
    return build(root, docs, today)[0]
