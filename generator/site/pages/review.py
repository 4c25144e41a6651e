"""The Needs review page: by owning team, the assets and personas whose review or end date is
past or near."""

from __future__ import annotations

from dataclasses import dataclass

from ...model.entities import Asset, Persona
from ...model.playbook import Playbook


@dataclass(frozen=True)
class Due:
    """One line of the "Needs review" page."""

    kind: str  # "asset" or "persona"
    entry: Asset | Persona
    what: str  # "Withdrawn", "Review overdue" ...
    date: str
    days: int  # negative: that many days ago


def needs_review(playbook: Playbook) -> dict[str, list[Due]]:
    """By owning team: what is past or within REVIEW_WINDOW_DAYS of its review or end date,
    the most urgent first."""
    due: dict[str, list[Due]] = {}
    entries: list[tuple[str, Asset | Persona]] = [("asset", a) for a in playbook.assets]
    entries += [("persona", p) for p in playbook.personas]
    for kind, entry in entries:
        fresh = playbook.freshness(entry)
        found = []
        if fresh.withdrawn or fresh.expiring:
            assert fresh.expires is not None and fresh.expires_days is not None
            found.append(Due(kind, entry, "Withdrawn" if fresh.withdrawn else "Can be sent until",
                              fresh.expires, fresh.expires_days))
        if fresh.overdue or fresh.review_soon:
            found.append(Due(kind, entry, "Review overdue" if fresh.overdue else "Review due",
                              fresh.review_by, fresh.review_days))
        due.setdefault(entry.owner, []).extend(found)
    return {team: sorted(items, key=lambda d: (d.days, d.kind, d.entry.id))
            for team, items in sorted(due.items()) if items}
