"""The whole playbook as one object: every list in reading order, lookups by id, and the questions
pages ask ("which assets serve this stage?", "is this asset past its review date?"), each answered
from indexes made once.

Templates receive these objects, never raw dicts, so a renamed YAML field breaks in the model
(from_documents.py) and nowhere else.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from ..rules.freshness import REVIEW_WINDOW_DAYS
from ..rules.values import expand
from .counts import named_counts
from .entities import Asset, Handoff, LifecycleState, Metric, Persona, Stage, Term
from .settings import ReasonList, Settings


@dataclass(frozen=True)
class Playbook:
    """The whole playbook, every list in reading order, with lookups by id."""

    settings: Settings
    stages: tuple[Stage, ...]
    lifecycle: tuple[LifecycleState, ...]
    handoffs: tuple[Handoff, ...]
    terms: tuple[Term, ...]
    personas: tuple[Persona, ...]
    assets: tuple[Asset, ...]
    metrics: tuple[Metric, ...]
    # The day freshness is judged on: review dates passed, assets withdrawn (see freshness.py).
    today: date = field(default_factory=date.today)
    # The day each entry's file last changed, (kind, id) -> day, from git (see changes/history.py);
    # empty outside a git checkout.
    changed: Mapping[tuple[str, str], date] = field(default_factory=dict)

    def changed_on(self, kind: str, id: str) -> date | None:
        """The day an entry's file last changed, when the history says."""
        return self.changed.get((kind, id))

    def freshness(self, entry: Asset | Persona) -> Freshness:
        """Whether an asset or persona is past its review date, or withdrawn, as of `today`:
        worked out once for each review date and end date (a page asks it of each card many times)."""
        dates = (entry.review_by, getattr(entry, "expires", None))
        found = self._freshness.get(dates)
        if found is None:
            found = self._freshness[dates] = Freshness.of(entry, self.today)
        return found

    @cached_property
    def _freshness(self) -> dict[tuple[str, str | None], Freshness]:
        return {}

    def usable(self, asset: Asset) -> bool:
        """An asset may still be sent: it has no end date, or it has not passed."""
        return not self.freshness(asset).withdrawn

    @cached_property
    def names(self) -> dict[str, dict[str, str]]:
        """What each entry is called on the site, by kind and id."""
        return {
            "stage": {s.id: s.name for s in self.stages}, "lifecycle": {s.id: s.name for s in self.lifecycle},
            "handoff": {h.id: h.name for h in self.handoffs}, "term": {t.id: t.name for t in self.terms},
            "persona": {p.id: p.name for p in self.personas}, "asset": {a.id: a.title for a in self.assets},
            "metric": {m.id: m.name for m in self.metrics},
            "forecast": {f.id: f.name for f in self.settings.forecast_categories},
        }

    @cached_property
    def values(self) -> dict[str, str]:
        """The text of each named value, by id; an agreed reason is named as a value is, and shows
        its text with the values it names written out."""
        values = {v.id: v.value for v in self.settings.values}
        for reasons in self.settings.reasons:
            for reason in reasons.reasons:
                values.setdefault(reason.id, expand(reason.text, values))
        return values

    @cached_property
    def values_digest(self) -> str:
        """A digest of `values`: what a text with the values it names written out depends on, as
        one key of what is kept between the builds of `mkdocs serve`."""
        return hashlib.sha256(repr(sorted(self.values.items())).encode("utf-8", "surrogatepass")).hexdigest()

    @cached_property
    def reason_lists(self) -> dict[str, ReasonList]:
        """The agreed reason list of each reason, by the reason's id."""
        return {r.id: reasons for reasons in self.settings.reasons for r in reasons.reasons}

    def lists_of(self, reasons: tuple[str, ...]) -> list[ReasonList]:
        """The agreed lists the reasons named by id are on, each once, in the order first named."""
        found = {self.reason_lists[r].id: self.reason_lists[r] for r in reasons if r in self.reason_lists}
        return list(found.values())

    def reason(self, written: str) -> str:
        """A reason as a text shows it: `[[id]]` for an agreed reason named by its id (the page
        shows its text, linked to its list), else as written."""
        return f"[[{written}]]" if written in self.reason_lists else written

    @cached_property
    def _by_id(self) -> dict[str, dict[str, Any]]:
        return {"stage": {s.id: s for s in self.stages}, "lifecycle": {s.id: s for s in self.lifecycle},
                "term": {t.id: t for t in self.terms}, "persona": {p.id: p for p in self.personas}}

    def stage(self, id: str) -> Stage:
        return self._by_id["stage"][id]  # type: ignore[no-any-return]

    def state(self, id: str) -> LifecycleState:
        return self._by_id["lifecycle"][id]  # type: ignore[no-any-return]

    def term(self, id: str) -> Term:
        return self._by_id["term"][id]  # type: ignore[no-any-return]

    def persona(self, id: str) -> Persona:
        return self._by_id["persona"][id]  # type: ignore[no-any-return]

    @cached_property
    def _related(self) -> dict[str, dict[str, list[Any]]]:
        """Who refers to whom, made once: every question below is then a lookup, so no page
        costs the number of stages times the number of assets."""
        related: dict[str, dict[str, list[Any]]] = {
            name: {} for name in ("stage_assets", "persona_assets", "stage_personas", "state_handoffs",
                                  "state_stages", "state_terms")}
        for asset in self.assets:
            for stage_id in dict.fromkeys(asset.stages):
                related["stage_assets"].setdefault(stage_id, []).append(asset)
            for persona_id in dict.fromkeys(asset.personas):
                related["persona_assets"].setdefault(persona_id, []).append(asset)
        for persona in self.personas:
            for stage_id in dict.fromkeys(persona.stages):
                related["stage_personas"].setdefault(stage_id, []).append(persona)
        for handoff in self.handoffs:
            related["state_handoffs"].setdefault(handoff.from_state, []).append(handoff)
        for stage in self.stages:
            for state_id in dict.fromkeys(stage.lifecycle_states):
                related["state_stages"].setdefault(state_id, []).append(stage)
        for term in self.terms:
            if term.lifecycle_state:
                related["state_terms"].setdefault(term.lifecycle_state, []).append(term)
        return related

    def assets_for_stage(self, stage_id: str) -> tuple[Asset, ...]:
        """Every asset for a stage, withdrawn ones included, by title."""
        return tuple(self._related["stage_assets"].get(stage_id, ()))

    def cards_for_stage(self, stage_id: str) -> tuple[Asset, ...]:
        """The assets a rep may send in a stage, in the order to use them: by priority (those
        with none last), then by title. Withdrawn assets are left out. Sorted once for each stage:
        several pages ask for them."""
        found = self._ordered.get(("stage", stage_id))
        if found is None:
            found = tuple(sorted((a for a in self.assets_for_stage(stage_id) if self.usable(a)), key=send_order))
            self._ordered["stage", stage_id] = found
        return found

    def assets_for_persona(self, persona_id: str) -> tuple[Asset, ...]:
        """The assets written for a persona, in the order to use them, withdrawn ones last."""
        found = self._ordered.get(("persona", persona_id))
        if found is None:
            found = tuple(sorted(self._related["persona_assets"].get(persona_id, ()),
                                 key=lambda a: (not self.usable(a), send_order(a))))
            self._ordered["persona", persona_id] = found
        return found

    @cached_property
    def _ordered(self) -> dict[tuple[str, str], tuple[Asset, ...]]:
        """The sorted lists above, by kind and id: the model does not change once made."""
        return {}

    def personas_for_stage(self, stage_id: str) -> tuple[Persona, ...]:
        return tuple(self._related["stage_personas"].get(stage_id, ()))

    def handoffs_from(self, state_id: str) -> tuple[Handoff, ...]:
        return tuple(self._related["state_handoffs"].get(state_id, ()))

    def stages_for_state(self, state_id: str) -> tuple[Stage, ...]:
        return tuple(self._related["state_stages"].get(state_id, ()))

    def terms_for_state(self, state_id: str) -> tuple[Term, ...]:
        return tuple(self._related["state_terms"].get(state_id, ()))

    def counts(self) -> dict[str, int]:
        """How many entities of each kind, in the order the summary names them."""
        return named_counts([len(self.stages), len(self.lifecycle), len(self.handoffs), len(self.terms),
                             len(self.personas), len(self.assets), len(self.metrics)])


def send_order(asset: Asset) -> tuple[int, str, str]:
    """Priority first (1 first, none last), then title, then id."""
    return (asset.priority if asset.priority is not None else 100, asset.title.casefold(), asset.id)


@dataclass(frozen=True)
class Freshness:
    """An entry's dates as of one day: `overdue` once its review date has passed; `withdrawn`
    once its end date has passed (the end date itself is the last day it may be sent)."""

    review_by: str
    expires: str | None
    review_days: int  # days until the review date; negative once it has passed
    expires_days: int | None  # days until the end date; negative once withdrawn

    @classmethod
    def of(cls, entry: Asset | Persona, today: date) -> Freshness:
        expires = getattr(entry, "expires", None)
        return cls(review_by=entry.review_by, expires=expires,
                   review_days=(date.fromisoformat(entry.review_by) - today).days,
                   expires_days=(date.fromisoformat(expires) - today).days if expires else None)

    @property
    def overdue(self) -> bool:
        return self.review_days < 0

    @property
    def withdrawn(self) -> bool:
        return self.expires_days is not None and self.expires_days < 0

    @property
    def expiring(self) -> bool:
        """Ends within the review window but has not ended yet."""
        return self.expires_days is not None and 0 <= self.expires_days <= REVIEW_WINDOW_DAYS

    @property
    def review_soon(self) -> bool:
        return 0 <= self.review_days <= REVIEW_WINDOW_DAYS
