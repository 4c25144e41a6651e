"""The stage pages: a stage's neighbours, its colour, how many asset cards a page shows, and which
of the stage's personas it shows with their objections.

A card (templates/_card.html.j2) shows one asset: its title, type, badges and how to use it. The
stage pages show the cards of their stage, the personas page those of each persona.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Any

from ...model.entities import Asset, Persona
from ...model.playbook import Playbook
from ..safe_text import Md, ids

# A stage page shows this many cards, in the order to use them; the finder shows every asset.
STAGE_CARDS = 60
# The personas page names this many assets of each persona; the finder shows them all.
PERSONA_ASSETS = 20
# A stage page shows the objections of this many of the stage's personas, and names as many under
# "Personas involved": those with cards on the page first. The others are counted, with a link to
# the Personas pages, where every persona is with all their objections: so a stage page grows with
# its cards, not with the playbook's personas (160 personas in a stage made a page of 625 KB).
STAGE_PERSONAS = 24
# "Who is in the room" offers at most this many persona chips: the personas the page shows, then
# those of its cards. A persona left out is still picked by the address (?persona=) or from the
# finder, and the page then says where their objections are.
STAGE_CHIPS = 40


def stage_context(playbook: Playbook, order: int) -> dict[str, Any]:
    """The stages before and after the one in `order` (None at either end), for the way on, and
    the personas its page shows with their objections (`involved`)."""
    index = [s.order for s in playbook.stages].index(order)
    before = playbook.stages[index - 1] if index > 0 else None
    after = playbook.stages[index + 1] if index + 1 < len(playbook.stages) else None
    return {"previous": before, "next": after, "involved": stage_personas(playbook, playbook.stages[index].id)}


def stage_class(playbook: Playbook, stage_id: str) -> Md:
    """'pb-stage-3': the colour of a stage, by its place, in six colours that repeat."""
    place = [s.id for s in playbook.stages].index(stage_id)
    return Md(f"pb-stage-{place % 6 + 1}")


def persona_stages(playbook: Playbook, persona_id: str) -> Md:
    """The ids of the stages where a persona has assets written for them that may still be sent,
    in the buyer's order, space-separated: where a stage page sends a rep whose persona has
    little or nothing in the stage they are on."""
    serves = {s for a in playbook.assets_for_persona(persona_id) if playbook.usable(a) for s in a.stages}
    return ids(s.id for s in playbook.stages if s.id in serves)


@dataclass(frozen=True)
class StagePersonas:
    """The personas of a stage a stage page shows, with their objections, and how many more the
    stage has, left to the Personas pages."""

    shown: tuple[Persona, ...]
    more: int


def stage_personas(playbook: Playbook, stage_id: str) -> StagePersonas:
    """The first STAGE_PERSONAS personas of a stage: those with a card on the stage page, then
    those with another asset that may be sent in the stage, then the rest, each in the
    playbook's order."""
    involved = playbook.personas_for_stage(stage_id)
    cards = playbook.cards_for_stage(stage_id)
    on_page = {p for a in cards[:STAGE_CARDS] for p in a.personas}
    in_stage = {p for a in cards for p in a.personas}
    ranked = sorted(involved, key=lambda p: (p.id not in on_page, p.id not in in_stage))
    return StagePersonas(tuple(ranked[:STAGE_PERSONAS]), max(0, len(involved) - STAGE_PERSONAS))


def chip_personas(playbook: Playbook, shown: tuple[Asset, ...], involved: StagePersonas) -> tuple[Persona, ...]:
    """The personas a stage page offers as chips, in the playbook's order: those whose objections
    it shows, then those its shown cards are for, at most STAGE_CHIPS."""
    chosen = {p.id: None for p in involved.shown}
    for asset in shown:
        for persona in asset.personas:
            if len(chosen) >= STAGE_CHIPS:
                break
            chosen.setdefault(persona, None)
    return tuple(p for p in playbook.personas if p.id in chosen)


# Each playbook's objection homes (persona id -> stage id), made once, by the playbook's id while
# it lives: a page asks for one persona at a time, and each answer needs every stage's personas.
_HOMES: dict[int, dict[str, str]] = {}


def objection_home(playbook: Playbook, persona_id: str) -> str | None:
    """The stage page where search finds a persona's objections: the first stage, in the buyer's
    order, whose page shows them. The other stage pages that show them leave them out of search,
    so that a search finds each objection once on a stage page. None: no stage page shows them
    (each of their stages has more personas than a page shows), and search finds them on the
    persona's own entry, which shows every persona's objections."""
    homes = _HOMES.get(id(playbook))
    if homes is None:
        homes = {}
        for stage in playbook.stages:
            for persona in stage_personas(playbook, stage.id).shown:
                homes.setdefault(persona.id, stage.id)
        _HOMES[id(playbook)] = homes
        weakref.finalize(playbook, _HOMES.pop, id(playbook), None)
    return homes.get(persona_id)
