"""A small playbook with the situations a rep's pages must handle: assets in a set order, one
whose review is overdue, one withdrawn, one ending soon, one for any persona, and two personas.

Judged on conftest.TODAY (2026-11-23).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

MINI = Path(__file__).resolve().parent / "fixtures" / "mini"


def _asset(id: str, title: str, type: str, priority: int | None, personas: list[str], points: list[str],
           **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"id": id, "title": title, "type": type, "stages": ["learning"]}
    if priority is not None:
        data["priority"] = priority
    if personas:
        data["personas"] = personas
    data.update(owner="marketing", link=f"https://assets.acme.example/{id}",
                description=f"The {title.lower()}.", talking_points=points, review_by="2027-06-30")
    data.update(extra)
    return data


ASSETS = [
    _asset("battle-card", "Anvil battle card", "battle-card", 10, ["buyer"],
           ["Our anvils ship in two days; theirs take six weeks."], review_by="2026-10-01",
           use_when="the buyer names the other anvil maker."),
    _asset("checklist", "Anvil checklist", "one-pager", 15, [],
           ["Ten questions to ask any anvil vendor."], use_when="anyone asks what to check."),
    _asset("user-video", "Anvil in five minutes", "explainer-video", 30, ["user"],
           ["Watch a smith set one up in five minutes."], use_when="the smith asks how hard set-up is."),
    _asset("reprint", "Analyst anvil report", "analyst-report", 5, ["buyer"],
           ["The analyst ranks us first for delivery."], expires="2026-09-30"),
    _asset("price-deck", "Anvil price deck", "deck", 40, ["buyer"],
           ["Prices hold until the end of the year."], expires="2026-12-10",
           use_when="the buyer asks for this year's prices."),
]

USER = {"id": "user", "name": "Uma, the User", "role": "Smith", "buying_role": "user", "summary": "Uses the anvil.",
        "goals": ["Work faster"], "pains": ["Heavy tools"],
        "objections": [{"objection": "It will take weeks to learn.", "response": "Show the five-minute video."}],
        "stages": ["learning"], "owner": "sales", "review_by": "2026-11-01"}


def shelf_playbook(root: Path) -> Path:
    """Write the playbook into root/shelf and return that folder."""
    playbook = root / "shelf"
    shutil.copytree(MINI, playbook)
    guide = yaml.safe_load((playbook / "assets" / "guide.yaml").read_text(encoding="utf-8"))
    guide["priority"] = 20
    files = {f"assets/{a['id']}.yaml": a for a in ASSETS} | {"assets/guide.yaml": guide, "personas/user.yaml": USER}
    for name, data in files.items():
        (playbook / name).write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return playbook
