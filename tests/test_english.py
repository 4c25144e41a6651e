"""The site's own sentences read as English: a unit of time follows its number (1 business hour,
2 business hours), and where a text from the playbook is put into a sentence it starts a
sentence or an item of its own, never a capital in the middle of one.

Every service level, escalation, follow-up and goal of the default playbook and the mini fixture
is set to 1 and then 2, in each unit of time, and the pages that say them are rendered in-process.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FIXTURES, REPO

from generator.model.build import build_playbook
from generator.site.render import render_pages
from generator.source.numbers import TIME_UNITS, cadence, duration

SOURCES = {"default": REPO / "playbook", "mini": FIXTURES / "mini"}  # the mini has one handoff
PAGES = ("lifecycle.md", "start-here.md", "review.md", "metrics.md")
PLURALS = ("business hours", "business days", "hours", "days", "touches")
SINGULARS = ("business hour", "business day", "hour", "day", "touch")
# One of a unit said as many, or many said as one ("2 business hour", not "2 business hours").
ONE_AS_MANY = re.compile(r"(?<![\d.,])1 (?:more )?(?:" + "|".join(PLURALS) + r")\b")
MANY_AS_ONE = re.compile(r"(?<![\d.,])(?!1 )\d[\d,]* (?:more )?(?:" + "|".join(SINGULARS) + r")(?![a-z])")
# A sentence the site writes must not run on into a text that starts with a capital.
STRAY_CAPITAL = (re.compile(r"[a-z], (?!I\b)[A-Z][a-z]+\b[^.:\n]*? (?:is|are) told"),
                 re.compile(r"\b[a-z]+ [A-Z][a-z]+ [a-z]+ (?:is|are) told"))
# The lines the lifecycle page writes around a handoff's numbers, whole.
SERVICE_LEVEL = re.compile(r"\*\*Service level:\*\* within (\d+) ([a-z ]+): \S")
ESCALATION = re.compile(r"\*\*When it is missed\*\*, after (\d+) more ([a-z ]+):")
FOLLOW_UP = re.compile(r"\*\*Follow-up:\*\* (\d+) (touch|touches) over (\d+) (day|days)\.\s+\S")


def _set_numbers(folder: Path, number: int, shift: int) -> None:
    """Every number of time in the playbook at folder set to `number`, the units taken in turn."""
    units = list(TIME_UNITS)
    for k, path in enumerate(sorted((folder / "handoffs").glob("*.yaml"))):
        data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
        for i, field in enumerate(("service_level", "escalation")):
            if field in data:
                data[field]["within"] = number
                data[field]["unit"] = units[(k + i + shift) % len(units)]
        data["follow_up"]["touches"] = number
        data["follow_up"]["days"] = number
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    for path in sorted((folder / "metrics").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data.get("unit") in ("days", "hours"):
            data["target"]["value"] = number
            path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    # A goal's target computed from a service level would now differ from it in another unit: the
    # numbers here are set for their words only, so values taken from fields are no longer computed.
    settings = folder / "playbook.yaml"
    data = yaml.safe_load(settings.read_text(encoding="utf-8"))
    for value in data.get("values") or ():
        if "from" in value:
            value.pop("compute", None)
    settings.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _text(markdown: str) -> str:
    """A page as read: character references back to characters, tags out."""
    return html.unescape(re.sub(r"<[^>]+>", " ", markdown))


@pytest.mark.parametrize("source", sorted(SOURCES))
@pytest.mark.parametrize("number", [1, 2])
def test_units_follow_their_numbers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str,
                                    number: int) -> None:
    monkeypatch.setattr("generator.site.render.REVIEW_WINDOW_DAYS", number)
    for shift in range(1 if source == "default" else len(TIME_UNITS)):  # the default has a handoff per unit
        folder = tmp_path / f"{source}-{shift}"
        shutil.copytree(SOURCES[source], folder)
        _set_numbers(folder, number, shift)
        playbook = build_playbook(folder)
        assert playbook.handoffs
        pages = render_pages(playbook, terms=False)
        for page in PAGES:
            text = _text(pages[page])
            assert not ONE_AS_MANY.findall(text), (page, ONE_AS_MANY.findall(text))
            assert not MANY_AS_ONE.findall(text), (page, MANY_AS_ONE.findall(text))
            for pattern in STRAY_CAPITAL:
                assert not pattern.findall(text), (page, pattern.findall(text))
        lifecycle = _text(pages["lifecycle.md"])
        levels = SERVICE_LEVEL.findall(lifecycle)
        follow_ups = FOLLOW_UP.findall(lifecycle)
        assert len(levels) == len(follow_ups) == len(playbook.handoffs)
        assert len(ESCALATION.findall(lifecycle)) == sum(1 for h in playbook.handoffs if h.escalation)
        for h in playbook.handoffs:
            assert f"within {duration(number, h.service_level.unit)}: " in lifecycle
            assert f"within {duration(number, h.service_level.unit)}" in pages["lifecycle.md"]  # the diagram
            if h.escalation:
                assert f"after {duration(number, h.escalation.unit, more=True)}:" in lifecycle
            assert f"**Follow-up:** {cadence(number, number)}. " in lifecycle


def test_the_words_for_one_and_many() -> None:
    assert duration(1, "business-hours") == "1 business hour"
    assert duration(2, "business-hours") == "2 business hours"
    assert duration(1, "days", more=True) == "1 more day"
    assert duration(3, "business-days", more=True) == "3 more business days"
    assert duration(1, "fortnights") == "1 fortnight" and duration(2, "fortnights") == "2 fortnights"
    assert cadence(1, 1) == "1 touch over 1 day" and cadence(2, 2) == "2 touches over 2 days"
    assert ONE_AS_MANY.search("within 1 business hours") and not ONE_AS_MANY.search("within 11 business hours")
    assert MANY_AS_ONE.search("after 2 more business day.") and not MANY_AS_ONE.search("2 business days")
    assert STRAY_CAPITAL[0].search("after 1 more business hours, The sales manager is told")
