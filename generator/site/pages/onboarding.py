"""What the onboarding page ("Start here") shows beyond the entries themselves: the terms to learn
first, a reading path per role, and a self-check made from the data (its pool of questions is
made in self_check.py).

Every text here is data for the template, which prints it through `{{ }}` (made inert there);
this module only chooses and orders entries.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...model.entities import Term
from ...model.playbook import Playbook
from ...model.settings import Role
from ...source.numbers import duration
from .self_check import DRAW, Question, pool

# At most this many terms under "the terms to know first" (the schema allows no more either).
FIRST_TERMS = 10
# The pages a role can be told to read (`read: [glossary]`), as docs paths.
READ_PAGES = {"about": "about.md", "glossary": "glossary.md", "lifecycle": "lifecycle.md",
              "personas": "personas.md", "assets": "assets.md", "finder": "finder.md", "metrics": "metrics.md",
              "coverage": "coverage.md"}


@dataclass(frozen=True)
class Reading:
    """One item of a reading path: a page (kind "page", id its docs path, title its title), an
    entry (kind and id, named by its name), or a page this site does not have (kind "absent")."""

    kind: str
    id: str
    title: str | None = None


@dataclass(frozen=True)
class ReadingPath:
    role: Role
    items: tuple[Reading, ...]


@dataclass(frozen=True)
class Onboarding:
    first_terms: tuple[Term, ...]
    paths: tuple[ReadingPath, ...]
    questions: tuple[Question, ...]  # the self-check's pool, of which the browser draws `draw`
    draw: int
    service_levels: dict[str, str]  # handoff id -> "1 business hour"


def onboarding(playbook: Playbook, pages: dict[str, str]) -> Onboarding:
    """Everything the onboarding page needs; `pages` are the generated pages and their titles."""
    return Onboarding(first_terms=first_terms(playbook), paths=reading_paths(playbook, pages),
                      questions=pool(playbook), draw=DRAW,
                      service_levels={h.id: duration(h.service_level.within, h.service_level.unit)
                                      for h in playbook.handoffs})


# The terms to know first ------------------------------------------------------------------------


def first_terms(playbook: Playbook) -> tuple[Term, ...]:
    """The playbook's `first_terms`; without them, the terms of the lifecycle states in the
    states' order, then the others A to Z, ten at most."""
    if playbook.settings.first_terms:
        return tuple(playbook.term(id) for id in playbook.settings.first_terms[:FIRST_TERMS])
    ids = dict.fromkeys(t.id for s in playbook.lifecycle for t in playbook.terms_for_state(s.id))
    ids.update(dict.fromkeys(t.id for t in playbook.terms))
    return tuple(playbook.term(id) for id in list(ids)[:FIRST_TERMS])


# Reading paths by role -----------------------------------------------------------------------------


def reading_paths(playbook: Playbook, pages: dict[str, str]) -> tuple[ReadingPath, ...]:
    """A path per role of the playbook's `roles`; without them, four paths made from its pages."""
    roles = playbook.settings.roles or default_roles(playbook)
    return tuple(ReadingPath(role, tuple(_reading(item, pages) for item in role.read)) for role in roles)


def _reading(item: str, pages: dict[str, str]) -> Reading:
    kind, _, id = item.partition(":")
    if id:
        return Reading(kind, id)
    page = READ_PAGES[kind]
    if page not in pages:
        return Reading("absent", page, kind.capitalize())
    return Reading("page", page, pages[page])


def default_roles(playbook: Playbook) -> tuple[Role, ...]:
    """Sales development, account executive, customer success and marketing, each reading the
    pages and entries of its part of the work."""
    before = [f"stage:{s.id}" for s in playbook.stages if s.phase == "before-close"]
    after = [f"stage:{s.id}" for s in playbook.stages if s.phase == "after-close"]
    handoffs = [f"handoff:{h.id}" for h in playbook.handoffs]
    stages = [f"stage:{s.id}" for s in playbook.stages]

    def role(id: str, name: str, description: str, *read: str) -> Role:
        return Role(id=id, name=name, description=description, read=tuple(dict.fromkeys(read)))

    return (
        role("sales-development", "Sales development",
             "You work new leads: learn the words, what makes a lead, how fast to act, and the first stages.",
             "glossary", "lifecycle", *handoffs[:2], *before[:2], "personas", "finder"),
        role("account-executive", "Account executive",
             "You run opportunities to signature: the lifecycle, the stages before the close, the people in the "
             "room and what to send them.",
             "lifecycle", *before, "personas", "finder", "assets", "metrics"),
        role("customer-success", "Customer success",
             "You onboard customers and keep them: the stages after the close, the people you work with, and "
             "the goals you share.",
             *(after or stages[-1:]), "personas", "assets", "metrics"),
        role("marketing", "Marketing",
             "You bring in and nurture leads: the words, the definitions and handoffs you agreed with sales, "
             "every stage and its assets, and the shared goals.",
             "glossary", "lifecycle", *handoffs, *stages, "assets", "metrics"),
    )
