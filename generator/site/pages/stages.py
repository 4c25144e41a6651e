"""The stage pages: a stage's neighbours, its colour, and how many asset cards a page shows.

A card (templates/_card.html.j2) shows one asset: its title, type, badges and how to use it. The
stage pages show the cards of their stage, the personas page those of each persona.
"""

from __future__ import annotations

from typing import Any

from ...model.playbook import Playbook
from ..safe_text import Md

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
