"""What the onboarding page ("Start here") shows beyond the entries themselves: the terms to learn
first, a programme per role (its reading cut into days, each step with the minutes its words take
to read and what the new hire can do once it is done), and a self-check made from the data (its
pool of questions is made in self_check.py).

Every text here is data for the template, which prints it through `{{ }}` (made inert there);
this module only chooses and orders entries.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
from dataclasses import dataclass
from typing import Any

from ...model.entities import Term
from ...model.playbook import Playbook
from ...model.settings import Role
from ...rules.anchors import STEPS as STEP_NAMES
from ...source.numbers import duration
from .metrics import target
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
class Step:
    """One step of a role's programme: what to read, about how long its words take, and what
    the new hire can do once it is done. `key` is the item as the role writes it ("stage:scoping"),
    which the browser keeps the tick under."""

    reading: Reading
    key: str
    minutes: int
    done_when: str

    @property
    def tick(self) -> str:
        """The key as an anchor-safe name: "stage-scoping"."""
        return self.key.replace(":", "-")


@dataclass(frozen=True)
class Day:
    number: int
    steps: tuple[Step, ...]

    @property
    def minutes(self) -> int:
        return sum(step.minutes for step in self.steps)


@dataclass(frozen=True)
class ReadingPath:
    role: Role
    items: tuple[Reading, ...]
    days: tuple[Day, ...] = ()

    @property
    def minutes(self) -> int:
        return sum(day.minutes for day in self.days)

    @property
    def steps(self) -> int:
        return sum(len(day.steps) for day in self.days)


@dataclass(frozen=True)
class Onboarding:
    first_terms: tuple[Term, ...]
    paths: tuple[ReadingPath, ...]
    questions: tuple[Question, ...]  # the self-check's pool, of which the browser draws `draw`
    draw: int
    service_levels: dict[str, str]  # handoff id -> "1 business hour"
    # About how many minutes a long page takes to read in full, by docs path (the glossary's first
    # page stands for all of its pages), for its "read this first".
    minutes: dict[str, int]
    day_minutes: int = 45


# Reading speed for learning material, in words a minute, and the reading a day of the programme
# holds: the rest of a new hire's day goes to calls, shadowing and the CRM.
WORDS_PER_MINUTE = 200
DAY_MINUTES = 45
# A page that is a tool rather than a text (the finder, the coverage table): time to try it out.
TRY_MINUTES = 10
WORD = re.compile(r"\w+")


def onboarding(playbook: Playbook, pages: dict[str, str]) -> Onboarding:
    """Everything the onboarding page needs; `pages` are the generated pages and their titles."""
    words = _Words(playbook)
    terms = first_terms(playbook)
    # What the eight steps of "Start here" show, besides names.
    steps = count_words((playbook.settings.company_description, playbook.settings.product_description,
                         [t.definition for t in terms], [s.summary for s in playbook.stages],
                         [p.role for p in playbook.personas])) + 25 * len(STEP_NAMES)
    return Onboarding(first_terms=terms, paths=reading_paths(playbook, pages, words),
                      questions=pool(playbook), draw=DRAW,
                      service_levels={h.id: duration(h.service_level.within, h.service_level.unit)
                                      for h in playbook.handoffs},
                      minutes={"glossary.md": reading_minutes(words.page("glossary.md")),
                               "lifecycle.md": reading_minutes(words.page("lifecycle.md")),
                               "start-here.md": reading_minutes(steps)}, day_minutes=DAY_MINUTES)


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


def reading_paths(playbook: Playbook, pages: dict[str, str], words: _Words | None = None) -> tuple[ReadingPath, ...]:
    """A programme per role of the playbook's `roles` (without them, four made from its pages):
    its reading in order, cut into days."""
    roles = playbook.settings.roles or default_roles(playbook)
    words = words or _Words(playbook)
    paths = []
    for role in roles:
        items = tuple(_reading(item, pages) for item in role.read)
        steps = [Step(reading, key, words.minutes(reading), done_when(playbook, reading, words.entry(reading)))
                 for key, reading in zip(role.read, items, strict=True)]
        paths.append(ReadingPath(role, items, plan(steps)))
    return tuple(paths)


def plan(steps: list[Step], budget: int = DAY_MINUTES) -> tuple[Day, ...]:
    """The steps in their order, cut into days of at most `budget` minutes of reading; a step
    longer than a day is a day on its own."""
    days: list[list[Step]] = []
    used = 0
    for step in steps:
        if not days or used + step.minutes > budget:
            days.append([])
            used = 0
        days[-1].append(step)
        used += step.minutes
    return tuple(Day(number, tuple(day)) for number, day in enumerate(days, start=1))


def count_words(value: Any) -> int:
    """The words in every text of an entry (its fields, lists and nested parts), read once."""
    total = 0
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            total += len(WORD.findall(item))
        elif isinstance(item, (tuple, list)):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif (names := _compared(type(item))) is not None:
            try:
                total += _entry_words(item)
            except TypeError:  # holds a mapping or a list: not kept, read each time
                stack.extend(getattr(item, name) for name in names)
    return total


@functools.lru_cache(maxsize=1 << 15)
def _entry_words(entry: Any) -> int:
    """The words of an entry (a dataclass), kept for an entry equal to it: every build of `mkdocs
    serve` counts every entry of the playbook again, and a saved file changes one. Bounded."""
    names = _compared(type(entry)) or ()
    return count_words(tuple(getattr(entry, name) for name in names))


_COMPARED: dict[type, tuple[str, ...] | None] = {}


def _compared(kind: type) -> tuple[str, ...] | None:
    """The fields that make up an entry of a dataclass (those it is compared by), worked out once
    for each class; None for a value of any other type."""
    if kind not in _COMPARED:
        _COMPARED[kind] = (tuple(f.name for f in dataclasses.fields(kind) if f.compare)
                           if dataclasses.is_dataclass(kind) else None)
    return _COMPARED[kind]


def reading_minutes(words: int) -> int:
    """Minutes to read so many words carefully: at least one."""
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


class _Words:
    """The minutes each item of a role's programme takes to read, from the words of the entries
    it shows; each page's total is counted once."""

    def __init__(self, playbook: Playbook) -> None:
        self.playbook = playbook
        self.entries: dict[str, tuple[Any, ...]] = {
            "stage": playbook.stages, "lifecycle": playbook.lifecycle, "handoff": playbook.handoffs,
            "term": playbook.terms, "persona": playbook.personas, "asset": playbook.assets, "metric": playbook.metrics}
        self.by_id = {kind: {e.id: e for e in entries} for kind, entries in self.entries.items()}
        self.pages: dict[str, int] = {}

    def page(self, page: str) -> int:
        if page not in self.pages:
            p = self.playbook
            shown: dict[str, Any] = {"glossary.md": p.terms, "lifecycle.md": (p.lifecycle, p.handoffs),
                                     "personas.md": p.personas, "assets.md": p.assets, "metrics.md": p.metrics,
                                     "about.md": (p.settings.teams, p.settings.company_description,
                                                  p.settings.product_description)}
            self.pages[page] = count_words(shown[page]) if page in shown else -1
        return self.pages[page]

    def entry(self, reading: Reading) -> Any:
        """The entry a step reads, or None for a page."""
        return self.by_id.get(reading.kind, {}).get(reading.id)

    def minutes(self, reading: Reading) -> int:
        if reading.kind == "absent":
            return 0
        if reading.kind == "page":
            words = self.page(reading.id)
            return TRY_MINUTES if words < 0 else reading_minutes(words)
        entry = self.entry(reading)
        return reading_minutes(count_words(entry)) if entry is not None else 0


# What a new hire can do once a step is done, by what the step reads.
PAGE_DONE = {
    "glossary.md": "you can explain each of the terms to know first in your own words, and find any other",
    "lifecycle.md": "you can name the states in order, the team that owns each, and the handoffs between them",
    "personas.md": "you can name each persona and the part they play in a purchase",
    "assets.md": "you know which assets exist for the stages you work in",
    "finder.md": "you can find the asset for a stage and a persona in three taps",
    "metrics.md": "you can name the goals both teams own, their targets and your part in each",
    "coverage.md": "you can say where the playbook has no asset yet, and which gaps matter to you",
    "about.md": "you know who leads each team and whom to ask",
}


def done_when(playbook: Playbook, reading: Reading, entry: Any = None) -> str:
    """The step's "done when", in words made from the entry it reads (`entry`, for an entry)."""
    if reading.kind == "page":
        return PAGE_DONE.get(reading.id, "you can explain the page to a colleague")
    if reading.kind == "absent":
        return "nothing to read here: this site has no such page"
    name = playbook.names.get(reading.kind, {}).get(reading.id, reading.id)
    if reading.kind == "lifecycle":
        return f"you can say what puts a record in {name}, what does not, and where it may go next"
    if reading.kind == "handoff" and entry is not None:
        late = ", and what happens when they do not" if entry.escalation else ""
        return (f"you can say who acts on this handoff and how fast (within "
                f"{duration(entry.service_level.within, entry.service_level.unit)}){late}")
    if reading.kind == "stage":
        return f"you can say what the buyer wants to learn in {name}, and what to send them"
    if reading.kind == "persona":
        return f"you can say what {name} cares about, and answer their objections"
    if reading.kind == "asset":
        return f"you can give the talking points of {name} without reading them"
    if reading.kind == "metric" and entry is not None:
        return f"you can say the target of {name} ({target(entry)}) and where it is measured"
    return f"you can explain {name} to a colleague"


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
