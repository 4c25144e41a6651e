"""The one way to check a playbook folder: load every file and run every rule over it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ..source.document import Document
from ..source.loader import LoadedPlaybook, checked, cycles_uncollected, load_playbook
from ..source.problems import Problem
from ..source.schemas import check_document, readable_part
from .agreement import agreement_problems
from .checks import check_playbook
from .codeowners import check_codeowners
from .coverage import coverage_problems
from .freshness import freshness_problems, resolve_today
from .placeholders import placeholder_problems


def check(root: Path, docs: Path | None = None, today: date | None = None,
          stale_fails: bool = False) -> tuple[LoadedPlaybook, list[Problem]]:
    """Load every file under root and return it with every problem found, sorted: errors, and
    warnings for review and end dates passed or near as of `today` (errors with stale_fails;
    by default the day resolve_today gives).

    With `docs` (the site's docs folder), relative asset links must name files in it.
    """
    with cycles_uncollected():
        return _check(Path(root), docs, today or resolve_today(), stale_fails)


def _check(root: Path, docs: Path | None, today: date, stale_fails: bool) -> tuple[LoadedPlaybook, list[Problem]]:
    loaded = load_playbook(root)
    problems = list(loaded.problems)
    valid: list[Document] = []
    documents = [loaded.settings] if loaded.settings is not None else []
    for kind_docs in loaded.documents.values():
        documents.extend(kind_docs)
    partial: list[Document] = []
    for doc in documents:
        # A file whose bytes were checked before in this process (`mkdocs serve`) is not again.
        found = checked(doc, check_document)
        problems.extend(found)
        if not found:
            valid.append(doc)
        elif (readable := readable_part(doc, found)) is not None:
            partial.append(readable)
    problems.extend(check_playbook(loaded, valid, docs, partial))
    if loaded.settings in valid:
        problems.extend(check_codeowners(loaded))
    # An agreement is dated by the calendar, not by the day reviews are judged on (--today).
    problems.extend(agreement_problems(valid, loaded.settings, date.today()))
    problems.extend(freshness_problems(valid, today, stale_fails))
    problems.extend(placeholder_problems(documents, problems))
    if not any(not p.warning for p in problems):
        # Gaps are told once the playbook is otherwise sound: a broken asset might fill them.
        stages = {d.data["id"] for d in valid if d.kind == "stage"}
        problems.extend(coverage_problems(valid, loaded.documents["asset"], stages, today))
    return loaded, sorted(set(problems))
