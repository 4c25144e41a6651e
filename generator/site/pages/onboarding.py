"""What the onboarding page ("Start here") shows beyond the entries themselves: the terms to learn
first, a reading path per role, and a self-check made from the data.

Every text here is data for the template, which prints it through `{{ }}` (made inert there);
this module only chooses and orders entries. The self-check is the same on every build: where
options are mixed, the order comes from a generator seeded with the entry's id.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from ...model.entities import Handoff, LifecycleState, Term
from ...model.playbook import Playbook
from ...model.settings import Role
from ...source.numbers import TIME_UNITS, duration

# At most this many terms under "the terms to know first" (the schema allows no more either).
FIRST_TERMS = 10
# At most this many questions in the self-check.
QUESTIONS = 8
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
class Option:
    text: str
    correct: bool


@dataclass(frozen=True)
class Question:
    """One question of the self-check. `kind` says how the template words it:
    "not-a" (which of these is not a <state>?), "owner" (which team owns <state>?), "speed" (how
    fast must the receiver of <handoff> act?), "stands-for" (what does <abbreviation> stand for?).
    `source` is where the answer is defined: (kind, id) of an entry."""

    kind: str
    subject: LifecycleState | Handoff | Term
    options: tuple[Option, ...]
    source: tuple[str, str]


@dataclass(frozen=True)
class Onboarding:
    first_terms: tuple[Term, ...]
    paths: tuple[ReadingPath, ...]
    questions: tuple[Question, ...]
    service_levels: dict[str, str]  # handoff id -> "1 business hour"


def onboarding(playbook: Playbook, pages: dict[str, str]) -> Onboarding:
    """Everything the onboarding page needs; `pages` are the generated pages and their titles."""
    return Onboarding(first_terms=first_terms(playbook), paths=reading_paths(playbook, pages),
                      questions=questions(playbook),
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


# The self-check --------------------------------------------------------------------------------

def _hours(within: int, unit: str) -> int:
    return within * TIME_UNITS.get(unit, ("", "", 1))[2]


def _as_read(text: str) -> str:
    """How a text reads, spacing and case aside: two texts that read the same are one option."""
    return " ".join(text.split()).casefold()


def _distinct(texts: list[str], avoid: list[str]) -> list[str]:
    """texts without repeats and without any that reads as one of avoid (one look-up each)."""
    seen = {_as_read(text) for text in avoid}
    kept: list[str] = []
    for text in texts:
        reading = _as_read(text)
        if reading not in seen:
            seen.add(reading)
            kept.append(text)
    return kept


def _shuffled(options: list[Option], seed: str) -> tuple[Option, ...]:
    random.Random(seed).shuffle(options)
    return tuple(options)


def questions(playbook: Playbook) -> tuple[Question, ...]:
    """Five to eight questions where the data allows: what is not a lead of a kind, which team owns
    a state, how fast a handoff's receiver acts, what an abbreviation stands for."""
    found = [*_not_a(playbook), *_owner(playbook), *_speed(playbook), *_stands_for(playbook)]
    return tuple(found[:QUESTIONS])


def _not_a(playbook: Playbook) -> list[Question]:
    """For up to two abbreviated states: three things that qualify and one that does not."""
    found: list[Question] = []
    for state in playbook.lifecycle:
        if len(found) == 2:
            break
        if not state.abbreviation or not state.does_not_qualify:
            continue
        rng = random.Random(f"{state.id}:not-a")
        wrong = rng.choice(state.does_not_qualify)
        right = _distinct(list(state.qualifies), [wrong])[:3]
        if right:
            options = [Option(wrong, True), *(Option(text, False) for text in right)]
            found.append(Question("not-a", state, _shuffled(options, f"{state.id}:not-a:order"),
                                  ("lifecycle", state.id)))
    return found


def _owner(playbook: Playbook) -> list[Question]:
    """Which team owns the state that the first handoff between the teams hands to."""
    teams = list(playbook.settings.teams.values())
    if len(_distinct([t.name for t in teams], [])) < len(teams):
        return []
    across = [h for h in playbook.handoffs if h.from_team != h.to_team]
    state = playbook.state(across[0].to_state) if across else next(iter(playbook.lifecycle), None)
    if state is None:
        return []
    options = tuple(Option(team.name, team.id == state.owner) for team in teams)
    return [Question("owner", state, options, ("lifecycle", state.id))]


def _speed(playbook: Playbook) -> list[Question]:
    """For the first two handoffs: the service level among others, shortest first."""
    found: list[Question] = []
    levels = [(h.service_level.within, h.service_level.unit) for h in playbook.handoffs]
    for handoff in playbook.handoffs[:2]:
        within, unit = handoff.service_level.within, handoff.service_level.unit
        bigger = {"business-hours": "business-days", "hours": "days"}.get(unit, unit)
        smaller = {"business-days": "business-hours", "days": "hours"}.get(unit, unit)
        near = [(within * 2, unit), (within * 4, unit), (max(1, within // 2), unit), (1, bigger), (1, smaller),
                (within + 1, unit), (within + 2, unit)]
        candidates = [level for level in [*levels, *near] if level != (within, unit)]
        correct = duration(within, unit)
        chosen: list[tuple[int, str]] = []
        for level in candidates:
            if len(chosen) == 3:
                break
            taken = {_as_read(text) for text in [correct, *(duration(*c) for c in chosen)]}
            if _as_read(duration(*level)) not in taken:
                chosen.append(level)
        every = sorted([(within, unit), *chosen], key=lambda level: (_hours(*level), duration(*level)))
        options = tuple(Option(duration(*level), level == (within, unit)) for level in every)
        found.append(Question("speed", handoff, options, ("handoff", handoff.id)))
    return found


def _stands_for(playbook: Playbook) -> list[Question]:
    """For up to two abbreviated terms (the first terms first, those that are no lifecycle state
    before those that are): the term's name among the names of other terms."""
    first = first_terms(playbook)
    order = [playbook.term(id) for id in dict.fromkeys([*(t.id for t in first), *(t.id for t in playbook.terms)])]
    candidates = sorted((t for t in order if t.abbreviation), key=lambda t: t.lifecycle_state is not None)
    found: list[Question] = []
    for term in candidates:
        if len(found) == 2:
            break
        rng = random.Random(f"{term.id}:stands-for")
        abbreviated = [t.name for t in playbook.terms if t.abbreviation and t.id != term.id]
        others = [t.name for t in playbook.terms if not t.abbreviation]
        pool = _distinct(abbreviated, [term.name])
        rng.shuffle(pool)
        rest = _distinct(others, [term.name, *pool])
        rng.shuffle(rest)
        wrong = (pool + rest)[:3]
        if wrong:
            options = [Option(term.name, True), *(Option(name, False) for name in wrong)]
            found.append(Question("stands-for", term, _shuffled(options, f"{term.id}:stands-for:order"),
                                  ("term", term.id)))
    return found
