"""References: an entry names others by their ids (a persona its stages, a term related terms, a
handoff its states), and each id named must be an entry that exists.

`Index` holds the ids of every kind, and the run's budget of "did you mean" suggestions, which
the other families of rules share."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..source.document import Document
from ..source.filepaths import within
from ..source.loader import LoadedPlaybook
from ..source.paths import Path_, shorten
from ..source.problems import ERROR, Problem, Rule
from ..source.schemas import did_you_mean
from .agreement import signatories

UNKNOWN_REFERENCE = Rule(
    "unknown-reference", ERROR, "a reference to an entry, group or category that does not exist",
    fixed="the site links every reference; one to nothing would be a broken link, or an entry left out",
    doc="""
    Entries name each other by id: a persona its stages, an asset its personas, a term related
    terms, a handoff the states it moves a record between, a term its glossary group (declared
    in playbook.yaml). Each id named must be one that exists: a typo would otherwise be a broken
    link on the site, or an asset missing from a stage. The message suggests the closest id.

    Fails, with these fields in `playbook/personas/buyer.yaml`:

        stages: [learnin]

    Passes, with these fields in `playbook/personas/buyer.yaml`:

        stages: [learning]
    """)

SELF_REFERENCE = Rule(
    "self-reference", ERROR, "an entry that names itself where it should name another",
    fixed="the site would link an entry to itself, or a state would lead nowhere new",
    doc="""
    A term is not related to itself, nor to be confused with itself; a lifecycle state is not a
    next state of itself. Each of these names another entry.

    Fails, with these fields in `playbook/terms/lead.yaml`:

        related: [lead]

    Passes, with these fields in `playbook/terms/lead.yaml`:

        related: [contact]
    """)

RULES = (UNKNOWN_REFERENCE, SELF_REFERENCE)

# How many unknown references get a "did you mean" suggestion in one run.
_HINTS = 50
# What each kind calls the entries it refers to, for messages.
_NOUNS = {"stage": "stage", "lifecycle": "lifecycle state", "term": "term", "persona": "persona",
          "handoff": "handoff", "asset": "asset", "metric": "shared goal"}


class Index:
    """The ids of every kind, from every document that has one."""

    def __init__(self, loaded: LoadedPlaybook, valid: list[Document], docs: Path | None) -> None:
        self.docs = docs
        # A file whose id differs from its name is reported once; both names count as known here.
        self.ids: dict[str, set[str]] = {
            kind: {d.stem for d in docs} | {d.data["id"] for d in docs if has_id(d)}
            for kind, docs in loaded.documents.items()
        }
        for kind, paths in loaded.unreadable.items():
            self.ids[kind].update(path.stem for path in paths)
        # Only states that passed their schema are read field by field by other entries' rules.
        self.states = {d.data["id"]: d.data for d in valid if d.kind == "lifecycle"}
        # The glossary groups playbook.yaml declares, once it passed its schema (None: unknown).
        settings = loaded.settings if loaded.settings in valid else None
        self.groups: set[str] | None = None if settings is None else {
            g["id"] for g in settings.data.get("glossary_groups") or ()}
        self.forecasts: set[str] | None = None if settings is None else {
            f["id"] for f in settings.data.get("forecast_categories") or ()}
        # The teams playbook.yaml lists, in its order (None: unknown), for rules/teams.py.
        self.teams: dict[str, None] | None = None if settings is None else dict.fromkeys(settings.data["teams"])
        # The teams whose agreement agreed definitions and shared goals need.
        self.signatories = signatories(settings.data if settings is not None else None)
        self.hints = _HINTS
        # Whether each relative link of an asset names a file in docs, once known.
        self.files: dict[str, bool] = {}

    def names_file(self, link: str) -> bool:
        """Whether link names a file in docs that does not lead out of it, worked out once for
        each link in a run: many assets link the same file, and each look takes several calls to
        the system."""
        known = self.files.get(link)
        if known is None:
            known = self.files[link] = self.docs is not None and _is_file(self.docs, link)
        return known

    def missing(self, doc: Document, path: Path_, kind: str, value: Any) -> Iterator[Problem]:
        """A problem if value is not the id of an entry of kind."""
        if isinstance(value, str) and value not in self.ids[kind]:
            yield doc.problem(UNKNOWN_REFERENCE, path, f"'{shorten(value)}' is not a known {_NOUNS[kind]}"
                              f"{self.hint(value, self.ids[kind])}")

    def hint(self, value: str, choices: Any) -> str:
        """' (did you mean 'x'?)' for a miss close to one of choices, while the run's budget lasts.
        A suggestion compares a miss with every choice: after a few dozen misses the rest go
        without, so thousands of broken references cannot make the check quadratic."""
        if self.hints <= 0:
            return ""
        self.hints -= 1
        return did_you_mean(value, choices)

    def each_missing(self, doc: Document, field: str, kind: str) -> Iterator[Problem]:
        values = doc.data.get(field)
        if isinstance(values, list):
            for i, value in enumerate(values):
                yield from self.missing(doc, (field, i), kind, value)


def _is_file(docs: Path, link: str) -> bool:
    """True if link names a file in docs that does not lead out of it (a name too long for the
    file system is simply not a file)."""
    try:
        target = (docs / link).resolve()
        return target.is_file() and within(target, docs.resolve())
    except (OSError, RuntimeError, ValueError):
        return False


def has_id(doc: Document) -> bool:
    return isinstance(doc.data.get("id"), str)


def reference_problems(doc: Document, index: Index) -> Iterator[Problem]:
    """Every reference of one entry (of any kind) to an entry that is not there, or to itself."""
    return _BY_KIND.get(doc.kind, _none)(doc, index)


def _none(doc: Document, index: Index) -> Iterator[Problem]:
    return iter(())


def _stage(doc: Document, index: Index) -> Iterator[Problem]:
    yield from index.each_missing(doc, "lifecycle_states", "lifecycle")


def _lifecycle(doc: Document, index: Index) -> Iterator[Problem]:
    data = doc.data
    for i, target in enumerate(data["next_states"]):
        if target == data["id"]:
            yield doc.problem(SELF_REFERENCE, ("next_states", i), f"'{target}' cannot be a next state of itself")
        else:
            yield from index.missing(doc, ("next_states", i), "lifecycle", target)
    for i, exit in enumerate(data.get("exit_reasons") or ()):
        yield from index.missing(doc, ("exit_reasons", i, "goes_to"), "lifecycle", exit["goes_to"])
    for i, track in enumerate(data.get("tracks") or ()):
        for j, asset in enumerate(track.get("assets") or ()):
            yield from index.missing(doc, ("tracks", i, "assets", j), "asset", asset)
    for i, stage in enumerate(data.get("crm_stages") or ()):
        yield from index.missing(doc, ("crm_stages", i, "buyer_stage"), "stage", stage["buyer_stage"])
        category = stage.get("forecast_category")
        if category is not None and index.forecasts is not None and category not in index.forecasts:
            known = ", ".join(sorted(index.forecasts))
            yield doc.problem(UNKNOWN_REFERENCE, ("crm_stages", i, "forecast_category"),
                              f"'{shorten(category)}' is not a forecast category: " + (
                                  f"use one of {known}, or add it to forecast_categories in playbook.yaml" if known
                                  else "declare it under forecast_categories in playbook.yaml"))


def _handoff(doc: Document, index: Index) -> Iterator[Problem]:
    data = doc.data
    yield from index.missing(doc, ("from_state",), "lifecycle", data["from_state"])
    yield from index.missing(doc, ("to_state",), "lifecycle", data["to_state"])
    for i, rejection in enumerate(data["rejection_reasons"]):
        yield from index.missing(doc, ("rejection_reasons", i, "goes_to"), "lifecycle", rejection["goes_to"])


def _term(doc: Document, index: Index) -> Iterator[Problem]:
    data = doc.data
    for i, value in enumerate(data.get("related") or ()):
        if value == data["id"]:
            yield doc.problem(SELF_REFERENCE, ("related", i), "a term cannot be related to itself")
        else:
            yield from index.missing(doc, ("related", i), "term", value)
    for i, confusion in enumerate(data.get("not_to_be_confused_with") or ()):
        if confusion["term"] == data["id"]:
            yield doc.problem(SELF_REFERENCE, ("not_to_be_confused_with", i, "term"),
                              "a term cannot be confused with itself")
        else:
            yield from index.missing(doc, ("not_to_be_confused_with", i, "term"), "term", confusion["term"])
    if "lifecycle_state" in data:
        yield from index.missing(doc, ("lifecycle_state",), "lifecycle", data["lifecycle_state"])
    if "group" in data and index.groups is not None and data["group"] not in index.groups:
        known = ", ".join(f"'{g}'" for g in sorted(index.groups)[:10])
        yield doc.problem(UNKNOWN_REFERENCE, ("group",), f"'{shorten(data['group'])}' is not a glossary group: "
                          + (f"use one of {known}, or add it to glossary_groups in playbook.yaml" if known else
                             "declare it under glossary_groups in playbook.yaml, or remove group"))


def _settings(doc: Document, index: Index) -> Iterator[Problem]:
    onboarding = doc.data.get("onboarding") or {}
    for i, term in enumerate(onboarding.get("first_terms") or ()):
        yield from index.missing(doc, ("onboarding", "first_terms", i), "term", term)
    for i, role in enumerate(onboarding.get("roles") or ()):
        for j, item in enumerate(role["read"]):
            kind, _, id = item.partition(":")
            if id:
                yield from index.missing(doc, ("onboarding", "roles", i, "read", j), kind, id)


def _persona(doc: Document, index: Index) -> Iterator[Problem]:
    yield from index.each_missing(doc, "stages", "stage")


def _asset(doc: Document, index: Index) -> Iterator[Problem]:
    yield from index.each_missing(doc, "stages", "stage")
    yield from index.each_missing(doc, "personas", "persona")


_BY_KIND: dict[str, Callable[[Document, Index], Iterator[Problem]]] = {
    "stage": _stage, "lifecycle": _lifecycle, "handoff": _handoff, "term": _term, "persona": _persona,
    "asset": _asset, "playbook": _settings,
}
