"""The one way to check a playbook folder: load every file and run every rule over it, each at
the level the company gives it (levels.py), so that `playbook validate`, the site build and
`playbook diff` report the same problems."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

from ..source import diskcache
from ..source.document import Document
from ..source.filecache import checked
from ..source.loader import LoadedPlaybook, cycles_uncollected, load_playbook
from ..source.problems import Problem
from ..source.schemas import check_document, readable_part
from . import freshness
from .agreement import agreement_problems
from .codeowners import check_codeowners
from .contradictions import contradiction_problems
from .coverage import coverage_problems
from .entries import entry_problems, playbook_problems
from .freshness import freshness_problems, resolve_today
from .funnel import funnel_handoff, funnel_lint, funnel_state, move_problems
from .levels import levels
from .placeholders import placeholder_problems
from .reason_lists import reason_list_problems
from .references import Index, reference_problems
from .registry import RULES
from .teams import team_problems
from .text_screen import screen_texts
from .value_references import check_values
from .values import texts_kept
from .wording import wording_problems

# The rules of one entry, family by family: each runs over every entry it can read.
_ENTRY_RULES: tuple[Callable[[Document, Index], Iterator[Problem]], ...] = (
    reference_problems, team_problems, entry_problems, move_problems, wording_problems)


def check(root: Path, docs: Path | None = None, today: date | None = None,
          stale_fails: bool = False, on_disk: bool = False) -> tuple[LoadedPlaybook, list[Problem]]:
    """Load every file under root and return it with every problem found, sorted: errors, and
    warnings for review and end dates passed or near as of `today` (errors with stale_fails;
    by default the day resolve_today gives), each at the level playbook.yaml's `rules` sets.

    With `docs` (the site's docs folder), relative asset links must name files in it. With
    on_disk, what was read from each file is kept on disk for the next run (diskcache.py).
    """
    with cycles_uncollected(), texts_kept():
        return _check(Path(root), docs, today or resolve_today(), stale_fails, on_disk)


def _check(root: Path, docs: Path | None, today: date, stale_fails: bool,
           on_disk: bool) -> tuple[LoadedPlaybook, list[Problem]]:
    checks = _Checks(docs, today, stale_fails)
    with diskcache.kept(root, check_document) if on_disk else contextlib.nullcontext():
        loaded = load_playbook(root, check_document)
        # The screens of files kept on disk come from there too. The checks that read no screen
        # run here while other processes screen the texts of a large playbook.
        screen_texts(loaded, meanwhile=lambda: checks.first(loaded))
    return loaded, checks.rest(loaded)


class _Checks:
    """The checks of one run, in two parts: first those that read no screen of the texts
    (text_screen.py), then, once every text is screened, the rest."""

    def __init__(self, docs: Path | None, today: date, stale_fails: bool) -> None:
        self.docs, self.today, self.stale_fails = docs, today, stale_fails
        self.done = False

    def first(self, loaded: LoadedPlaybook) -> None:
        self.done = True
        self.chosen, self.problems = levels(loaded.settings, RULES, freshness.RULES if self.stale_fails else ())
        # An id under `rules` that names no rule, or one that cannot be changed, is told by levels.py
        # with why; the schema's "unknown field" at the same place is not told again.
        told = {(p.file, p.path) for p in self.problems}
        found = list(loaded.problems)
        valid: list[Document] = []
        documents = [loaded.settings] if loaded.settings is not None else []
        for kind_docs in loaded.documents.values():
            documents.extend(kind_docs)
        partial: list[Document] = []
        for doc in documents:
            # A file whose bytes were checked before in this process (`mkdocs serve`) is not again.
            schema = [p for p in checked(doc, check_document) if (p.file, p.path) not in told]
            found.extend(schema)
            if not schema:
                valid.append(doc)
            elif (readable := readable_part(doc, schema)) is not None:
                partial.append(readable)
        self.index, entries = _entry_checks(loaded, valid, self.docs, partial)
        found.extend(entries)
        if loaded.settings in valid:
            found.extend(check_codeowners(loaded))
        # An agreement is dated by the calendar, not by the day reviews are judged on (--today).
        found.extend(agreement_problems(valid, loaded.settings, date.today()))
        found.extend(freshness_problems(valid, self.today))
        self.found, self.documents, self.valid, self.partial = found, documents, valid, partial

    def rest(self, loaded: LoadedPlaybook) -> list[Problem]:
        if not self.done:
            self.first(loaded)
        chosen, problems, valid = self.chosen, self.problems, self.valid
        found = self.found
        found.extend(_text_checks(loaded, valid, self.partial, self.index))
        problems.extend(chosen.apply(found))
        problems.extend(chosen.apply(placeholder_problems(self.documents, problems)))
        if not any(not p.warning for p in problems):
            # Gaps are told once the playbook is otherwise sound: a broken asset might fill them.
            stages = {d.data["id"] for d in valid if d.kind == "stage"}
            problems.extend(chosen.apply(coverage_problems(valid, loaded.documents["asset"], stages, self.today)))
        return sorted(set(problems))


def check_playbook(loaded: LoadedPlaybook, valid: list[Document], docs: Path | None = None,
                   partial: list[Document] | None = None) -> list[Problem]:
    """Cross-file problems. `valid` are the documents that passed their schema; `partial` those
    that did not, without the fields the schema reported (see schemas.readable_part), so that one
    run tells every problem and a wrong type reported by the schema is not reported twice.
    With `docs`, the site's docs folder, an asset's relative link must name a file in it."""
    index, problems = _entry_checks(loaded, valid, docs, partial)
    return [*problems, *_text_checks(loaded, valid, partial, index)]


def _entry_checks(loaded: LoadedPlaybook, valid: list[Document], docs: Path | None,
                  partial: list[Document] | None) -> tuple[Index, list[Problem]]:
    """The cross-file checks that read no screen of the texts, with the index they made."""
    index = Index(loaded, valid, docs)
    problems = list(playbook_problems(loaded))
    for rules in _ENTRY_RULES:
        for doc in valid:
            problems.extend(rules(doc, index))
        for doc in partial or ():
            problems.extend(_partly(rules, doc, index))
    # The funnel as a whole: every state and handoff whose funnel fields can be read, even when
    # other problems are found in them, so that a new lifecycle is put right in one run.
    readable = [*valid, *(partial or ())]
    states = [d for d in readable if d.kind == "lifecycle" and funnel_state(d)]
    handoffs = [d for d in readable if d.kind == "handoff" and funnel_handoff(d)]
    problems.extend(funnel_lint(states, handoffs, whole=(
        len(states) == len(loaded.documents["lifecycle"]) and not loaded.unreadable.get("lifecycle"),
        len(handoffs) == len(loaded.documents["handoff"]) and not loaded.unreadable.get("handoff"))))
    # Texts of different entries that cannot both be true (warnings), among the entries that
    # passed their schema.
    problems.extend(contradiction_problems(valid))
    return index, problems


def _text_checks(loaded: LoadedPlaybook, valid: list[Document], partial: list[Document] | None,
                 index: Index) -> list[Problem]:
    """The cross-file checks that read the screens of the texts, after _entry_checks (whose
    "did you mean" suggestions come first out of the run's budget, index.hints)."""
    # Agreed values: every [[name]] in any text names a declared value (did you mean: index.hints).
    problems = list(check_values(loaded, index))
    # Agreed reasons: once playbook.yaml lists them, the lifecycle names each by its id.
    problems.extend(reason_list_problems(loaded, [*valid, *(partial or ())], index))
    return problems


def _partly(rules: Callable[[Document, Index], Iterator[Problem]], doc: Document, index: Index) -> list[Problem]:
    """The problems a family of rules finds in what can be read of a document that failed its
    schema: a rule that needs a field the schema reported stops there (that field's problem is
    told already)."""
    found: list[Problem] = []
    with contextlib.suppress(KeyError, TypeError, AttributeError, IndexError):
        for problem in rules(doc, index):
            found.append(problem)
    return found
