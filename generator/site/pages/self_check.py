"""The self-check of the onboarding page ("Start here"): a pool of questions that apply a rule of
the playbook to a case, each with its answer taken from the data, so it is right by construction.

Each question says where to read about it (an entry, by kind and id) and why the answer is right
(the rule's own words). The page embeds the pool (capped at POOL, whatever the playbook's size);
the browser draws DRAW of them for each attempt and mixes each question's options (onboarding.js).
The pool and the order written here are the same on every build: where a choice is made, it comes
from a generator seeded with the kind of question. Texts are the playbook's, with the agreed
values written out; the template prints each through `{{ }}`, which makes it inert.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

from ...model.entities import Handoff, LifecycleState
from ...model.playbook import Playbook
from ...rules.values import expand
from ...source.numbers import duration

# At most this many questions in the page, and this many drawn for one attempt.
POOL = 60
DRAW = 8
# At most this many options to a question.
OPTIONS = 4
# A rule quoted as the reason for an answer is cut after its first sentence, or this many characters.
WHY = 280


@dataclass(frozen=True)
class Option:
    text: str
    correct: bool


@dataclass(frozen=True)
class Question:
    """One question: `kind` is how it is made ("case": does a case qualify for a lifecycle state;
    "goes-to": where a rejected or exiting record goes; "escalation": what happens when a handoff's
    service level is missed; "owner": which team owns a state; "speed": how fast a handoff's
    receiver acts; "stands-for": what an abbreviation stands for; "objection": which persona raises
    an objection; "exit": which stage an exit criterion closes). `source` is the entry to read,
    (kind, id); `why` is the rule the answer comes from."""

    kind: str
    prompt: str
    options: tuple[Option, ...]
    why: str
    source: tuple[str, str]

    @property
    def answer(self) -> str:
        return next(o.text for o in self.options if o.correct)

    @property
    def answer_ends(self) -> bool:
        """Whether the answer ends a sentence by itself (a text written as one: "...within 1
        business day."); otherwise the page puts a full stop after it."""
        return self.answer.rstrip().rstrip("\"'\u201d\u2019)").endswith((".", "!", "?", "\u2026"))


def _as_read(text: str) -> str:
    """How a text reads, spacing and case aside: two texts that read the same are one option."""
    return " ".join(text.split()).casefold()


def _opening(text: str) -> str:
    """The first words of a text, as read: two options that open alike are too close to tell apart."""
    return " ".join(_as_read(text).split()[:6])


def _first_sentence(text: str) -> str:
    sentence = re.split(r"(?<=[.!?])\s+(?=[A-Z0-9“\"(])", text, maxsplit=1)[0]
    return sentence if len(sentence) <= WHY else sentence[:WHY - 1].rstrip() + "…"


class _Maker:
    """Builds the questions of one playbook, with its agreed values written out."""

    def __init__(self, playbook: Playbook) -> None:
        self.playbook = playbook
        self._written: dict[str, str] = {}

    def text(self, text: str) -> str:
        """The text with its agreed values written out; each text is written out once, as the
        names of a kind are read again for every question that offers them as wrong options."""
        written = self._written.get(text)
        if written is None:
            written = self._written[text] = " ".join(expand(text, self.playbook.values).split())
        return written

    def question(self, kind: str, prompt: str, right: str, wrong: Iterable[str], why: str,
                 source: tuple[str, str], seed: str) -> Question | None:
        """A question with `right` and up to OPTIONS - 1 of `wrong` (none that reads or opens as
        another), in an order seeded by `seed`; None without a wrong option."""
        seen = {_opening(right)}
        others: list[str] = []
        for text in wrong:
            if len(others) == OPTIONS - 1:
                break
            if _opening(text) not in seen:
                seen.add(_opening(text))
                others.append(text)
        if not others:
            return None
        options = [Option(right, True), *(Option(text, False) for text in others)]
        random.Random(seed).shuffle(options)
        return Question(kind, prompt, tuple(options), why, source)

    def label(self, state: LifecycleState) -> str:
        return state.abbreviation or self.text(state.name)

    def full(self, state: LifecycleState) -> str:
        name = self.text(state.name)
        return f"{name} ({state.abbreviation})" if state.abbreviation else name

    def states_near(self, first: Iterable[str], record: str, avoid: str | None = None) -> list[str]:
        """State names: those named first (in that order), then the others of the same kind of
        record, then the rest, each in lifecycle order."""
        states = sorted(self.playbook.lifecycle, key=lambda s: s.record != record)
        ids = [id for id in dict.fromkeys([*first, *(s.id for s in states)]) if id != avoid]
        return [self.text(self.playbook.state(id).name) for id in ids]

    # Lifecycle states ---------------------------------------------------------------------------

    def cases(self) -> list[Question]:
        """For each listed case of each state: one of the conditions, or not enough on its own?"""
        found: list[Question | None] = []
        for state in self.playbook.lifecycle:
            label, record = self.label(state), state.record
            required = f"Required: every {record} in {label} meets this"
            not_enough = f"Not enough: this does not put a {record} in {label}"
            qualifies = {_as_read(self.text(t)) for t in state.qualifies}
            rules = [(t, True) for t in state.qualifies] + [(t, False) for t in state.does_not_qualify]
            for text, is_required in rules:
                case = self.text(text)
                if not is_required and _as_read(case) in qualifies:
                    continue  # listed on both sides: no right answer
                found.append(self.question(
                    "case", f"{self.full(state)}, a {record} state: “{case}” Which is it?",
                    required if is_required else not_enough, [not_enough if is_required else required],
                    f"The definition of {label} lists this under "
                    f"{'what must all be true' if is_required else 'what does not qualify'}. "
                    f"{_first_sentence(self.text(state.definition))}",
                    ("lifecycle", state.id), f"case:{state.id}:{case}"))
        return [q for q in found if q]

    def goes_to(self) -> list[Question]:
        """Where a record goes when a handoff's receiver rejects it, or a state's owner moves it on."""
        found: list[Question | None] = []
        asked: set[str] = set()
        for h in self.playbook.handoffs:
            targets = [r.goes_to for r in h.rejection_reasons]
            for r in h.rejection_reasons:
                reason = self.text(self.playbook.reason(r.reason))
                if _as_read(reason) in asked or len({t for x, t in self._reasons(h) if x == _as_read(reason)}) > 1:
                    continue
                asked.add(_as_read(reason))
                found.append(self.question(
                    "goes-to", f"The receiver ({self.text(h.receiver)}) rejects a record handed over from "
                    f"{self.text(self.playbook.state(h.from_state).name)} to "
                    f"{self.text(self.playbook.state(h.to_state).name)}, for this reason: “{reason}” "
                    "Where does the record go?",
                    self.text(self.playbook.state(r.goes_to).name),
                    self.states_near([*targets, h.from_state, h.to_state], self.playbook.state(h.from_state).record),
                    f"The handoff “{self.text(h.name)}” lists this reason, and where a record rejected for it goes.",
                    ("handoff", h.id), f"goes-to:{h.id}:{reason}"))
        for state in self.playbook.lifecycle:
            targets = [r.goes_to for r in state.exit_reasons]
            for e in state.exit_reasons:
                reason = self.text(self.playbook.reason(e.reason))
                if _as_read(reason) in asked:
                    continue
                asked.add(_as_read(reason))
                found.append(self.question(
                    "goes-to", f"A {state.record} in {self.full(state)} is moved on for this reason: "
                    f"“{reason}” Which state does it go to?",
                    self.text(self.playbook.state(e.goes_to).name),
                    self.states_near([*targets, *state.next_states], state.record, avoid=state.id),
                    f"{self.full(state)} lists this reason to move a record on, and where it goes.",
                    ("lifecycle", state.id), f"goes-to:{state.id}:{reason}"))
        return [q for q in found if q]

    def _reasons(self, h: Handoff) -> list[tuple[str, str]]:
        return [(_as_read(self.text(self.playbook.reason(r.reason))), r.goes_to) for r in h.rejection_reasons]

    # Handoffs and owners ------------------------------------------------------------------------

    def escalations(self) -> list[Question]:
        """What happens once a handoff's service level is missed and its escalation time has passed."""
        with_one = [h for h in self.playbook.handoffs if h.escalation]
        found: list[Question | None] = []
        for h in with_one:
            assert h.escalation is not None
            level = duration(h.service_level.within, h.service_level.unit)
            more = duration(h.escalation.within, h.escalation.unit, True)
            others = [self.text(o.escalation.action) for o in with_one if o.escalation and o.id != h.id]
            found.append(self.question(
                "escalation", f"{self.text(h.name)}: the receiver ({self.text(h.receiver)}) has not acted "
                f"within {level}, and {more} {'has' if h.escalation.within == 1 else 'have'} passed since. "
                "What happens?",
                self.text(h.escalation.action), others,
                f"The handoff's escalation. Who is told: {self.text(h.escalation.notify)}.",
                ("handoff", h.id), f"escalation:{h.id}"))
        return [q for q in found if q]

    def owners(self) -> list[Question]:
        """Which team owns each state (when no two teams share a name)."""
        teams = list(self.playbook.settings.teams.values())
        if len({_as_read(t.name) for t in teams}) < len(teams):
            return []
        found: list[Question | None] = []
        for state in self.playbook.lifecycle:
            owner = self.playbook.settings.teams[state.owner]
            found.append(self.question(
                "owner", f"A {state.record} is in {self.full(state)}. Which team owns it?",
                self.text(owner.name), [self.text(t.name) for t in teams if t.id != owner.id],
                f"The lifecycle names {self.text(owner.name)} as the owner of {self.label(state)}: "
                "ask them about it.", ("lifecycle", state.id), f"owner:{state.id}"))
        return [q for q in found if q]

    def speeds(self) -> list[Question]:
        """How fast each handoff's receiver acts, among the other service levels and near ones."""
        found: list[Question | None] = []
        levels = [(h.service_level.within, h.service_level.unit) for h in self.playbook.handoffs]
        for h in self.playbook.handoffs:
            within, unit = h.service_level.within, h.service_level.unit
            near = [(within * 2, unit), (within * 4, unit), (within + 1, unit), (within + 2, unit)]
            found.append(self.question(
                "speed", f"{self.text(h.name)}: how fast must the receiver "
                f"({self.text(h.receiver)}) act?", duration(within, unit),
                [duration(*level) for level in [*levels, *near] if level != (within, unit)],
                f"The service level: {_first_sentence(self.text(h.service_level.action))}",
                ("handoff", h.id), f"speed:{h.id}"))
        return [q for q in found if q]

    # Words, people and stages -------------------------------------------------------------------

    def abbreviations(self) -> list[Question]:
        """What each abbreviated term stands for, among the names of other abbreviated terms."""
        terms = [t for t in self.playbook.terms if t.abbreviation]
        found: list[Question | None] = []
        for place, term in enumerate(terms):
            others = (self.text(t.name) for t in _drawn(terms, place, f"stands-for:{term.id}"))
            found.append(self.question(
                "stands-for", f"A colleague writes {term.abbreviation}. What does it stand for?",
                self.text(term.name), others, _first_sentence(self.text(term.definition)),
                ("term", term.id), f"stands-for:{term.id}"))
        return [q for q in found if q]

    def objections(self) -> list[Question]:
        """Which persona raises each objection (objections two personas share are left out)."""
        personas = self.playbook.personas
        said: dict[str, set[str]] = {}
        for p in personas:
            for o in p.objections:
                said.setdefault(_as_read(self.text(o.objection)), set()).add(p.id)
        found: list[Question | None] = []
        for place, p in enumerate(personas):
            for o in p.objections:
                objection = self.text(o.objection)
                if len(said[_as_read(objection)]) > 1:
                    continue
                others = (self.text(q.name) for q in _drawn(personas, place, f"objection:{p.id}:{objection}"))
                found.append(self.question(
                    "objection", f"A buyer tells you: “{objection}” Which persona usually says this?",
                    self.text(p.name), others, f"What to answer: {_first_sentence(self.text(o.response))}",
                    ("persona", p.id), f"objection:{p.id}:{objection}"))
        return [q for q in found if q]

    def exits(self) -> list[Question]:
        """Which stage each exit criterion closes (criteria two stages share are left out)."""
        stages = self.playbook.stages
        where: dict[str, set[str]] = {}
        for s in stages:
            for c in s.exit_criteria:
                where.setdefault(_as_read(self.text(c)), set()).add(s.id)
        found: list[Question | None] = []
        for place, stage in enumerate(stages):
            for c in stage.exit_criteria:
                criterion = self.text(c)
                if len(where[_as_read(criterion)]) > 1:
                    continue
                others = (self.text(s.name) for s in _drawn(stages, place, f"exit:{stage.id}:{criterion}"))
                found.append(self.question(
                    "exit", f"“{criterion}” This is true now. Which stage is the buyer ready to leave?",
                    self.text(stage.name), others,
                    f"It is on the list of what must be true to leave {self.text(stage.name)}.",
                    ("stage", stage.id), f"exit:{stage.id}:{criterion}"))
        return [q for q in found if q]



_Item = TypeVar("_Item")
# How many entries a question draws one by one before it shuffles what is left (see _drawn).
_DRAWS = 16


def _drawn(items: Sequence[_Item], skip: int, seed: str) -> Iterator[_Item]:
    """The items but items[skip], in an order seeded by seed, drawn as they are asked for. A
    question reads a few wrong options and stops: shuffling every other persona for each of their
    objections, or every other term for each abbreviation, made the self-check grow with the
    square of the playbook (a thousand personas would have taken millions of steps). A few are
    drawn at random first; only a question that found too few among them shuffles the rest."""
    random_ = random.Random(seed)
    taken = {skip}
    for _ in range(min(_DRAWS, len(items))):
        place = random_.randrange(len(items))
        if place not in taken:
            taken.add(place)
            yield items[place]
    rest = [place for place in range(len(items)) if place not in taken]
    random_.shuffle(rest)
    for place in rest:
        yield items[place]


def pool(playbook: Playbook, size: int = POOL) -> tuple[Question, ...]:
    """Up to `size` distinct questions, taken in turn from each kind (each kind's own in an order
    seeded with its name), so that a small pool still has every kind the data allows."""
    maker = _Maker(playbook)
    kinds = [maker.cases(), maker.goes_to(), maker.escalations(), maker.owners(), maker.speeds(),
             maker.abbreviations(), maker.objections(), maker.exits()]
    for found in kinds:
        if found:
            random.Random(f"pool:{found[0].kind}").shuffle(found)
    chosen: list[Question] = []
    asked: set[str] = set()
    turn = 0
    while len(chosen) < size and any(turn < len(found) for found in kinds):
        for found in kinds:
            if turn < len(found) and len(chosen) < size and _as_read(found[turn].prompt) not in asked:
                asked.add(_as_read(found[turn].prompt))
                chosen.append(found[turn])
        turn += 1
    return tuple(chosen)
