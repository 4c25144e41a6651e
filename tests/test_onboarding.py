"""The onboarding page ("Start here"): from the home page to a completed self-check, with a
checklist the browser remembers, reading paths by role, and questions made from the data."""

from __future__ import annotations

import html
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, REPO
from playwright.sync_api import Browser, Page, expect

from generator.model.build import build_playbook
from generator.model.playbook import Playbook
from generator.rules.anchors import ONBOARDING_SECTIONS as SECTION_ANCHORS
from generator.rules.anchors import STEPS
from generator.rules.validate import check
from generator.site.pages.onboarding import READ_PAGES, first_terms, reading_paths
from generator.site.pages.self_check import pool
from generator.site.render import render_pages
from generator.site.urls import GENERATED, PAGE_TITLES

pytest_plugins = ["browser_fixtures"]  # serve, browser, default_url


# The keys this site's scripts keep in localStorage (Material keeps its own, such as the palette).
OUR_KEYS = "Object.keys(localStorage).filter((key) => key.startsWith('pb-'))"


@pytest.fixture(scope="module")
def default_playbook() -> Playbook:
    return build_playbook(REPO / "playbook", REPO / "docs")


def _settings() -> dict[str, object]:
    data: dict[str, object] = yaml.safe_load((REPO / "playbook" / "playbook.yaml").read_text(encoding="utf-8"))
    return data


# In the browser -------------------------------------------------------------------------------


def test_from_the_home_page_to_a_checked_self_check(watched: tuple[Page, list[str]], default_url: str) -> None:
    page, problems = watched
    page.goto(default_url)
    # The line under the stage cards leads there in one click.
    page.locator("article").get_by_role("link", name="Start here").first.click()
    page.wait_for_url("**/start-here/")
    expect(page.locator("h1")).to_have_text(re.compile("Start here"))
    # Whom to ask: both teams' leaders and reviewers.
    teams = page.locator("#teams + p + ul")
    expect(teams).to_contain_text("Marcus Okafor")
    expect(teams).to_contain_text("@tallybright/marketing-leads")

    questions = page.locator("[data-pb-drawn] [data-pb-question]")
    total = questions.count()
    assert total == 8
    first, second = questions.nth(0), questions.nth(1)
    first.locator("input:not([data-pb-correct])").first.check()
    second.locator("input[data-pb-correct]").check()
    right_answer = first.locator("label:has(input[data-pb-correct]) .pb-option__text").inner_text()
    page.get_by_role("button", name="Check my answers").click()
    expect(first.locator("[data-pb-result]")).to_be_visible()
    expect(first.locator("[data-pb-verdict]")).to_have_text(f"Not quite: the answer is “{right_answer}”.")
    expect(first).to_have_class(re.compile("pb-question--wrong"))
    expect(second.locator("[data-pb-verdict]")).to_have_text("Right.")
    expect(second).to_have_class(re.compile("pb-question--right"))
    expect(page.locator("[data-pb-score]")).to_have_text(f"1 of {total} right")
    # Each verdict links to where the answer is defined, and the first question's topic is to read again.
    topic = first.locator("[data-pb-result] a").get_attribute("href")
    assert topic and re.fullmatch(r"\.\./[a-z0-9/-]+/(#[a-z0-9-]+)?", topic), topic
    expect(page.locator("[data-pb-missed] a").first).to_have_attribute("href", topic)
    # The glossary script leaves the questions alone: a linked abbreviation would give answers away.
    expect(page.locator(".pb-quiz a.pb-term")).to_have_count(0)
    # Changing an answer clears its verdict until the next check.
    first.locator("input[data-pb-correct]").check()
    expect(first.locator("[data-pb-result]")).to_be_hidden()
    page.get_by_role("button", name="Check my answers").click()
    expect(first.locator("[data-pb-verdict]")).to_have_text("Right.")
    expect(page.locator("[data-pb-score]")).to_have_text(f"2 of {total} right")
    assert not problems, problems


def test_checklist_progress_survives_a_reload_and_starts_over(watched: tuple[Page, list[str]],
                                                              default_url: str) -> None:
    page, problems = watched
    page.goto(default_url + "start-here/")
    progress = page.locator("[data-pb-progress]")
    expect(progress).to_have_text(f"0 of {len(STEPS)} done")
    boxes = page.locator("input[data-pb-step]")
    expect(boxes).to_have_count(len(STEPS))
    assert [b.get_attribute("data-pb-step") for b in boxes.all()] == list(STEPS)
    for step in ("company", "lifecycle", "shared-goals"):
        page.locator(f'[data-pb-step="{step}"]').check()
    expect(progress).to_have_text("3 of 8 done")
    page.reload()
    expect(progress).to_have_text("3 of 8 done")
    ticked = [b.get_attribute("data-pb-step") for b in boxes.all() if b.is_checked()]
    assert ticked == ["company", "lifecycle", "shared-goals"]
    # Kept under a key with the site's path.
    assert page.evaluate(OUR_KEYS) == ["pb-onboarding:/"]
    page.get_by_role("button", name="Start over").click()
    expect(progress).to_have_text("0 of 8 done")
    assert not any(b.is_checked() for b in boxes.all())
    page.reload()
    expect(progress).to_have_text("0 of 8 done")
    assert page.evaluate(OUR_KEYS) == []
    assert not problems, problems


def test_two_playbooks_on_one_host_keep_their_own_progress(browser: Browser, default_site: Path,
                                                           tmp_path_factory: pytest.TempPathFactory,
                                                           serve: Callable[[Path], str]) -> None:
    host = tmp_path_factory.mktemp("two-sites")
    for name in ("north", "south"):
        (host / name).symlink_to(default_site, target_is_directory=True)
    base = serve(host)
    context = browser.new_context()
    page = context.new_page()
    page.goto(base + "north/start-here/")
    page.locator('[data-pb-step="teams"]').check()
    page.goto(base + "south/start-here/")
    expect(page.locator("[data-pb-progress]")).to_have_text("0 of 8 done")
    page.goto(base + "north/start-here/")
    expect(page.locator("[data-pb-progress]")).to_have_text("1 of 8 done")
    assert sorted(page.evaluate(OUR_KEYS)) == ["pb-onboarding:/north/"]
    context.close()


def test_no_sideways_scroll_on_a_phone(browser: Browser, default_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 800}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(default_url + "start-here/", wait_until="networkidle")
    for question in page.locator("[data-pb-question]").all():
        question.locator("input:not([data-pb-correct])").first.check()
    page.get_by_role("button", name="Check my answers").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()


def test_without_javascript_the_page_reads_and_hides_what_needs_a_script(browser: Browser, default_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(default_url + "start-here/")
    expect(page.locator("[data-pb-step]").first).to_be_hidden()
    expect(page.locator("[data-pb-checklist]")).to_be_hidden()
    expect(page.locator("[data-pb-check]")).to_be_hidden()
    expect(page.locator(".pb-quiz__nojs")).to_be_visible()
    expect(page.locator("[data-pb-pool] [data-pb-item]").first).to_be_visible()
    expect(page.locator("[data-pb-drawn] [data-pb-question]")).to_have_count(0)
    context.close()


# From the data ---------------------------------------------------------------------------------


def test_the_self_check_is_the_same_on_every_build(default_playbook: Playbook) -> None:
    assert render_pages(default_playbook)["start-here.md"] == render_pages(default_playbook)["start-here.md"]
    assert pool(default_playbook) == pool(default_playbook)


def test_the_default_playbook_says_its_first_terms_and_roles(default_playbook: Playbook, default_site: Path) -> None:
    onboarding = _settings()["onboarding"]
    assert [t.id for t in first_terms(default_playbook)] == onboarding["first_terms"]  # type: ignore[index]
    page = (default_site / "start-here" / "index.html").read_text(encoding="utf-8")
    for role in onboarding["roles"]:  # type: ignore[index]
        assert f'id="{role["id"]}"' in page
    for term in onboarding["first_terms"]:  # type: ignore[index]
        assert f'href="../glossary/#{term}"' in page


def test_without_onboarding_settings_the_page_has_sensible_defaults() -> None:
    playbook = build_playbook(FIXTURES / "mini")
    assert not playbook.settings.first_terms and not playbook.settings.roles
    # The terms of the lifecycle states first, in the states' order, then the others.
    assert [t.id for t in first_terms(playbook)] == ["lead", "contact"]
    paths = reading_paths(playbook, {p: PAGE_TITLES[p] for p in GENERATED})
    assert [p.role.id for p in paths] == ["sales-development", "account-executive", "customer-success", "marketing"]
    markdown = html.unescape(render_pages(playbook)["start-here.md"])
    for path in paths:
        assert f"{{ #{path.role.id} }}" in markdown and path.items
    assert "[Adoption](stages/adoption.md)" in markdown


def test_a_reading_path_names_a_page_the_site_lacks_as_text(default_playbook: Playbook) -> None:
    pages = {p: PAGE_TITLES[p] for p in GENERATED if p != "coverage.md"}
    marketing = next(p for p in reading_paths(default_playbook, pages) if p.role.id == "marketing")
    assert [i for i in marketing.items if i.kind == "absent"][0].id == "coverage.md"
    assert set(READ_PAGES.values()) <= set(GENERATED), "a page roles may read is not generated"


def test_a_role_may_not_take_the_anchor_of_a_section(tmp_path: Path) -> None:
    root = tmp_path / "playbook"
    shutil.copytree(FIXTURES / "mini", root)
    settings = root / "playbook.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "onboarding:\n  roles:\n"
                        "    - {id: teams, name: Teams, read: [glossary]}\n"
                        "    - {id: seller, name: Seller, read: [stage:nowhere]}\n", encoding="utf-8")
    _, problems = check(root)
    messages = [p.message for p in problems]
    assert any("'teams' names a section of the onboarding page" in m for m in messages), messages
    assert any("'nowhere' is not a known stage" in m for m in messages), messages
    assert "teams" in SECTION_ANCHORS


def test_the_words_of_an_entry_are_kept_for_an_equal_entry_and_counted_again_for_a_changed_one() -> None:
    # Under `mkdocs serve` every build counts the words of every entry for the reading times.
    import dataclasses

    from generator.model.build import build_playbook
    from generator.site.pages import onboarding as module

    module._entry_words.cache_clear()
    playbook = build_playbook(REPO / "playbook")
    words = [module.count_words(a) for a in playbook.assets]
    again = build_playbook(REPO / "playbook").assets
    assert [module.count_words(a) for a in again] == words and sum(words) > 500
    assert module._entry_words.cache_info().hits >= len(again)
    longer = dataclasses.replace(again[0], description=again[0].description + " Three more words.")
    assert module.count_words(longer) == words[0] + 3
    # The same count as reading every text of the entry, field by field.
    texts = [getattr(longer, f.name) for f in dataclasses.fields(longer) if f.compare]
    assert module.count_words(longer) == sum(module.count_words(t) for t in texts)
