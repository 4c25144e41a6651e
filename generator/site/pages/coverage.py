"""Where the playbook has assets and where it has none: counts by stage and persona and by stage
and asset type, for the Coverage page."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ...model.playbook import Playbook


@dataclass(frozen=True)
class Coverage:
    by_persona: Counter[tuple[str, str]]  # (stage, persona) -> assets written for that persona
    for_anyone: Counter[str]  # stage -> assets written for no persona in particular
    by_type: Counter[tuple[str, str]]  # (stage, type) -> assets
    types: tuple[str, ...]  # the asset types in use, in the order of the page


def coverage(playbook: Playbook) -> Coverage:
    """The counts over the assets that may be sent (withdrawn ones do not cover anything), in one pass."""
    by_persona: Counter[tuple[str, str]] = Counter()
    for_anyone: Counter[str] = Counter()
    by_type: Counter[tuple[str, str]] = Counter()
    for asset in playbook.assets:
        if not playbook.usable(asset):
            continue
        for stage in dict.fromkeys(asset.stages):
            by_type[(stage, asset.type)] += 1
            if not asset.personas:
                for_anyone[stage] += 1
            for persona in dict.fromkeys(asset.personas):
                by_persona[(stage, persona)] += 1
    types = tuple(sorted({t for _, t in by_type}))
    return Coverage(by_persona, for_anyone, by_type, types)
