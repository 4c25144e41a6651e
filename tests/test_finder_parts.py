"""The asset finder's data in parts: the first cards come from a small first file and show at
once, the rest follows part after part, and the view (filters, counts, pages) is drawn again as
each part arrives."""

from __future__ import annotations

import copy
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from generator.site import static
from generator.site.urls import FINDER_DATA, FINDER_SCRIPT, STATIC

pytest_plugins = ["browser_fixtures"]  # serve, browser, default_url


def _data(site: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((site / FINDER_DATA).read_text(encoding="utf-8"))
    return data


def _grown(data: dict[str, Any], copies: int) -> dict[str, Any]:
    """The default playbook's assets, each copied `copies` times under new ids and titles."""
    grown = copy.deepcopy(data)
    grown["assets"] = []
    for n in range(copies):
        for asset in data["assets"]:
            clone = dict(asset, id=f"{asset['id']}-{n}", title=f"{asset['title']} (copy {n})")
            grown["assets"].append(clone)
    return grown


def _set(data: str) -> Any:
    return json.loads(re.fullmatch(r"window\.playbookFinder\d* = (.*);\n", data, re.S)[1])  # type: ignore[index]


def test_the_first_file_holds_the_first_cards_and_the_parts_the_rest(default_site: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(static, "FINDER_FIRST", 10)
    monkeypatch.setattr(static, "FINDER_PART", 40)
    data = _grown(_data(default_site), 4)
    data["assets"][3]["status"] = "withdrawn"
    files = static.finder_files(data)
    assert json.loads(files[FINDER_DATA]) == data  # whole, for programs
    first = _set(files[FINDER_SCRIPT])
    total = len(data["assets"])
    assert first["total"] == total and first["facets"] == data["facets"]
    assert first["parts"] == [f"finder-data-{n}.js" for n in range(2, 2 + -(-(total - 10) // 40))]
    ids = [a["id"] for a in first["assets"]]
    assert len(ids) == 10
    for n, name in enumerate(first["parts"], start=2):
        assert files[f"{STATIC}/{name}"].startswith(f"window.playbookFinder{n} = ")
        ids += [a["id"] for a in _set(files[f"{STATIC}/{name}"])]
    # Every asset once, in the order the page shows them: the withdrawn ones last.
    withdrawn = [a["status"] == "withdrawn" for a in data["assets"]]
    assert sum(withdrawn) >= 5
    assert ids == ([a["id"] for a, w in zip(data["assets"], withdrawn, strict=True) if not w]
                   + [a["id"] for a, w in zip(data["assets"], withdrawn, strict=True) if w])
    assert len(files[FINDER_SCRIPT]) < len(files[FINDER_DATA]) / 8


def test_the_first_cards_show_before_the_rest_arrives(browser: Browser, default_site: Path, tmp_path: Path,
                                                      serve: Callable[[Path], str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    shutil.copytree(default_site, site)
    monkeypatch.setattr(static, "FINDER_FIRST", 24)
    monkeypatch.setattr(static, "FINDER_PART", 100)
    data = _grown(_data(default_site), 10)
    total = len(data["assets"])
    for name, text in static.finder_files(data).items():
        (site / name).write_text(text, encoding="utf-8")
    url = serve(site)
    page = browser.new_page()
    # Hold the last part back: the first cards and the parts before it show meanwhile.
    held: list[Any] = []
    parts = _set((site / FINDER_SCRIPT).read_text(encoding="utf-8"))["parts"]
    page.route(f"**/{parts[-1]}", lambda route: held.append(route))
    page.goto(url + "finder/", wait_until="domcontentloaded")
    count = page.locator("[data-pb-count]")
    expect(page.locator("[data-pb-results] .pb-card").first).to_be_visible()
    expect(count).to_have_text(re.compile(r"^\d+ assets match so far; loading the rest…$"))
    expect(page.locator("[data-pb-results] .pb-card")).to_have_count(24)
    for _ in range(50):  # the parts before it arrive, then the last is asked for
        if held:
            break
        page.wait_for_timeout(100)
    assert len(held) == 1
    expect(count).to_have_text(re.compile(r"^\d+ assets match so far; loading the rest…$"))
    held[0].continue_()
    page.unroute(f"**/{parts[-1]}")
    expect(count).to_have_text(f"{total} assets match")
    # The filters work on every part: a persona's chip counts every copy.
    cfo = sum(1 for a in data["assets"] if not a["personas"] or "cfo" in a["personas"])
    chip = page.locator('[data-pb-filter="persona"] .pb-chip[data-value="cfo"]')
    expect(chip.locator(".pb-chip__count")).to_have_text(str(cfo))
    chip.click()
    expect(count).to_have_text(f"{cfo} assets match")
    page.close()
    # A page asked for in the address waits for the part that holds it (a new browser: the
    # persona chosen above would be remembered).
    page = browser.new_page()
    count = page.locator("[data-pb-count]")
    last = -(-total // 24)
    page.goto(url + f"finder/?page={last}")
    expect(page.locator(".pb-pager__label")).to_have_text(f"Page {last} of {last}")
    # A part that cannot be loaded is said, and what was loaded stays usable.
    (site / STATIC / parts[0]).unlink()
    page.goto(url + "finder/")
    expect(count).to_have_text("24 assets match of those loaded; the rest could not be loaded.")
    expect(page.locator("[data-pb-results] .pb-card")).to_have_count(24)
    page.close()


def test_the_cards_kept_between_builds_give_the_files_the_whole_data_gives(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """static.finder_texts keeps each card's JSON for an equal asset on the same page, with the same
    values, day and team names: after each kind of edit its files are those of the whole data."""
    from dataclasses import replace
    from datetime import date

    from conftest import FIXTURES, REPO

    from generator.model.build import build_playbook
    from generator.site.pages.finder import finder_data

    monkeypatch.setattr(static, "FINDER_FIRST", 5)
    monkeypatch.setattr(static, "FINDER_PART", 7)
    static._CARDS.clear()
    playbook = build_playbook(REPO / "playbook")
    assets = list(playbook.assets)
    title = assets[0]
    edits = [
        playbook,
        replace(playbook, assets=(replace(title, title=title.title + " <b>& more</b>"), *assets[1:])),
        replace(playbook, settings=replace(playbook.settings, values=tuple(
            replace(v, value=f"{v.value} (revised)") for v in playbook.settings.values))),
        replace(playbook, today=date(2030, 1, 1)),  # every asset overdue or withdrawn: another order
        replace(playbook, settings=replace(playbook.settings, teams={
            id: replace(team, name=team.name + " team") for id, team in playbook.settings.teams.items()})),
        build_playbook(FIXTURES / "mini"),
    ]
    for directory_urls in (True, False):
        for edited in edits:
            whole = static.finder_files(finder_data(edited, directory_urls))
            assert static.finder_texts(edited, directory_urls) == whole
            assert static.finder_texts(edited, directory_urls) == whole  # the second time from the kept cards
    cards = json.loads(static.finder_texts(edits[3])[FINDER_DATA])["assets"]
    assert {c["status"] for c in cards} >= {"overdue"} and len(static._CARDS) > len(assets)
