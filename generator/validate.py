"""The one way in: load a playbook folder, check it, and return the model or every problem."""

from __future__ import annotations

from pathlib import Path

from .checks import check_playbook
from .errors import PlaybookError, Problem
from .loader import Document, LoadedPlaybook, load_playbook
from .model import Playbook, build_model
from .schemas import check_document


def check(root: Path, docs: Path | None = None) -> tuple[LoadedPlaybook, list[Problem]]:
    """Load every file under root and return it with every problem found, sorted.

    With `docs` (the site's docs folder), relative asset links must name files in it.
    """
    loaded = load_playbook(Path(root))
    problems = list(loaded.problems)
    valid: list[Document] = []
    documents = [loaded.settings] if loaded.settings is not None else []
    for kind_docs in loaded.documents.values():
        documents.extend(kind_docs)
    for doc in documents:
        found = check_document(doc)
        problems.extend(found)
        if not found:
            valid.append(doc)
    problems.extend(check_playbook(loaded, valid, docs))
    return loaded, sorted(set(problems))


def build_playbook(root: Path, docs: Path | None = None) -> Playbook:
    """The playbook under root as objects; raises PlaybookError listing every problem."""
    loaded, problems = check(root, docs)
    if problems:
        raise PlaybookError(problems)
    return build_model(loaded)
