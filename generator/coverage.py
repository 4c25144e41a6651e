"""Where the playbook has assets and where it has none: counts by stage and persona and by stage
and asset type for the Coverage page, and a warning from `playbook validate` for every stage a
persona takes part in with no asset written for that persona."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from .errors import Problem
from .loader import Document
from .model import Playbook


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


def coverage_problems(valid: Iterable[Document], assets: Iterable[Document], stages: set[str],
                      today: date) -> Iterator[Problem]:
    """A warning for each stage a persona (of the valid documents) takes part in where no asset
    that may be sent is written for that persona. Every asset that was read counts, even one with
    a problem of its own, so a typo in an asset is not also reported as a gap; a stage that does
    not exist is reported as such elsewhere, not as a gap."""
    served: set[tuple[str, str]] = set()
    for doc in assets:
        if not isinstance(doc.data, dict):
            continue
        expires = doc.data.get("expires")
        try:
            if isinstance(expires, str) and date.fromisoformat(expires) < today:
                continue
        except ValueError:
            pass
        in_stages, for_personas = doc.data.get("stages"), doc.data.get("personas")
        for stage in in_stages if isinstance(in_stages, list) else []:
            for persona in for_personas if isinstance(for_personas, list) else []:
                if isinstance(stage, str) and isinstance(persona, str):
                    served.add((stage, persona))
    for doc in valid:
        if doc.kind != "persona" or not isinstance(doc.data, dict):
            continue
        for i, stage in enumerate(doc.data.get("stages") or ()):
            if stage in stages and (stage, doc.data["id"]) not in served:
                line, column = doc.where(("stages", i))
                yield Problem(doc.display, line, column, f"stages[{i}]",
                              f"no asset is written for this persona in stage '{stage}': add one for them "
                              "(personas: [...] in the asset), or take the stage off this persona", "warning")
