"""The stage pages: a stage's neighbours, its colour, and how many asset cards a page shows.

A card (templates/_card.html.j2) shows one asset: its title, type, badges and how to use it. The
stage pages show the cards of their stage, the personas page those of each persona.
"""

from __future__ import annotations

from typing import Any

from ...model.playbook import Playbook
from ..safe_text import Md, ids

# A stage page shows this many cards, in the order to use them; the finder shows every asset.
STAGE_CARDS = 60
# The personas page names this many assets of each persona; the finder shows them all.
PERSONA_ASSETS = 20


def stage_context(playbook: Playbook, order: int) -> dict[str, Any]:
    """The stages before and after the one in `order` (None at either end), for the way on."""
    index = [s.order for s in playbook.stages].index(order)
    before = playbook.stages[index - 1] if index > 0 else None
    after = playbook.stages[index + 1] if index + 1 < len(playbook.stages) else None
    return {"previous": before, "next": after}


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


def objection_home(playbook: Playbook, persona_id: str) -> str | None:
    """The stage page where search finds a persona's objections: the first of the persona's
    stages in the buyer's order. The other stage pages show them too, left out of search, so
    that a search finds each objection once."""
    persona = playbook.persona(persona_id)
    return next((s.id for s in playbook.stages if s.id in persona.stages), None)
