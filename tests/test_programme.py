"""Day one as a programme: each role's reading cut into days, each step with its minutes and a
"done when", progress a new hire can copy for their manager, "read this first" on the long pages,
and a lifecycle a phone can read (a list of linked boxes, sections folded until opened)."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
import yaml
from axe_playwright_python.sync_playwright import Axe
from conftest import REPO
from playwright.sync_api import BrowserContext, Page, expect

from generator.changes.diff import KIND_NAMES
from generator.model.build import build_playbook
from generator.model.playbook import Playbook
from generator.site.pages.onboarding import DAY_MINUTES, WORDS_PER_MINUTE, Step, plan, reading_paths
from generator.site.render import render_pages
from generator.site.urls import GENERATED, PAGE_TITLES

pytest_plugins = ["browser_fixtures"]  # serve, browser, default_url

FOLDERS = {"stage": "stages", "lifecycle": "lifecycle", "handoff": "handoffs", "persona": "personas",
           "asset": "assets", "metric": "metrics", "term": "terms"}


@pytest.fixture(scope="module")
def default_playbook() -> Playbook:
    return build_playbook(REPO / "playbook", REPO / "docs")




def _yaml_words(path: Path) -> int:
    """The words of every text value in a YAML file, counted apart from the generator."""
    words = 0
    stack = [yaml.safe_load(path.read_text(encoding="utf-8"))]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            words += len(re.findall(r"\w+", item))
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
    return words


# The programme, from the data ------------------------------------------------------------------


def test_each_role_gets_days_of_steps_with_minutes_from_their_words(default_playbook: Playbook) -> None:
    paths = reading_paths(default_playbook, {p: PAGE_TITLES[p] for p in GENERATED})
    roles = yaml.safe_load((REPO / "playbook" / "playbook.yaml").read_text(encoding="utf-8"))["onboarding"]["roles"]
    assert [p.role.id for p in paths] == [r["id"] for r in roles]
    for path, role in zip(paths, roles, strict=True):
        steps = [step for day in path.days for step in day.steps]
        # Every item of the role, in its order, once.
        assert [s.key for s in steps] == role["read"]
        assert [d.number for d in path.days] == list(range(1, len(path.days) + 1))
        for day in path.days:
            assert day.minutes <= DAY_MINUTES or len(day.steps) == 1, (path.role.id, day)
        for a, b in zip(path.days, path.days[1:], strict=False):
            # A day ends only when the next step would not fit in it.
            assert a.minutes + b.steps[0].minutes > DAY_MINUTES
        for step in steps:
            kind, _, id = step.key.partition(":")
            assert step.done_when.startswith("you can") or step.done_when.startswith("you know")
            if id:
                words = _yaml_words(REPO / "playbook" / FOLDERS[kind] / f"{id}.yaml")
                expected = max(1, math.ceil(words / WORDS_PER_MINUTE))
                assert abs(step.minutes - expected) <= 1, (step.key, step.minutes, words)
    sales_development = paths[0]
    handoff = next(s for d in sales_development.days for s in d.steps if s.key == "handoff:mql-to-sal")
    assert "within 1 business hour" in handoff.done_when and "when they do not" in handoff.done_when
    goal = next(s for d in sales_development.days for s in d.steps if s.key == "metric:speed-to-lead")
    assert "at most 1 hour" in goal.done_when
    glossary = next(s for d in sales_development.days for s in d.steps if s.key == "glossary")
    assert glossary.minutes >= 20  # the whole glossary, not one entry


def test_a_step_longer_than_a_day_is_a_day_of_its_own() -> None:
    def step(minutes: int) -> Step:
        return Step(reading=None, key=f"page:{minutes}", minutes=minutes, done_when="you can")  # type: ignore[arg-type]
    days = plan([step(10), step(60), step(30), step(15), step(1)], budget=45)
    assert [[s.minutes for s in d.steps] for d in days] == [[10], [60], [30, 15], [1]]
    assert plan([]) == ()


def test_the_page_prints_each_day_and_step(default_playbook: Playbook) -> None:
    markdown = render_pages(default_playbook)["start-here.md"]
    assert "#### Day 1: about " in markdown and "{ #sales-development-day-1 }" in markdown
    assert re.search(r"1\. \[Glossary\]\(glossary\.md\), about \d+ min\. \*Done when\* you can explain", markdown)
    path = reading_paths(default_playbook, {p: PAGE_TITLES[p] for p in GENERATED})[0]
    for day in path.days:
        for step in day.steps:
            assert f'data-pb-plan-step="sales-development:{step.tick}" data-pb-plan-day="{day.number}"' in markdown
    assert re.search(r"\*\*9 steps, about \d+ minutes of reading over \d days\.\*\*", markdown)


def test_the_long_pages_open_with_what_to_read_first(default_playbook: Playbook) -> None:
    pages = render_pages(default_playbook)
    lifecycle = pages["lifecycle.md"]
    first = lifecycle.index("**Read this first.**")
    assert first < lifecycle.index("<figure")
    summary = lifecycle[first:lifecycle.index("<figure")]
    assert re.search(r"takes about \d+ minutes to read", summary)
    for state in default_playbook.lifecycle:
        assert f"(#{state.id}) ({default_playbook.settings.teams[state.owner].name})" in summary
    assert "[Marketing qualified lead](#mql) to [Sales accepted lead](#sal) within 1 business hour" in summary
    glossary = pages["glossary.md"]
    first = glossary.index("**Read this first.**")
    ids = re.findall(r"\]\(#([a-z0-9-]+)\)", glossary[first:glossary.index("\n", first)])
    assert ids == list(default_playbook.settings.first_terms)
    assert "steps that take about" in pages["start-here.md"].split("## 1.")[0]


# In the browser --------------------------------------------------------------------------------


def test_progress_is_kept_and_copied_as_a_summary_for_a_manager(phone: BrowserContext, default_url: str,
                                                                 default_playbook: Playbook) -> None:
    path = reading_paths(default_playbook, {p: PAGE_TITLES[p] for p in GENERATED})[0]
    assert path.role.id == "sales-development" and len(path.days) >= 2 and len(path.days[-1].steps) >= 2
    first, last = path.days[0], path.days[-1]
    # The first step of the first day and of the last day, and the second of the last.
    ticked = [first.steps[0], last.steps[0], last.steps[1]]
    page = phone.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(default_url + "start-here/")
    plan_box = page.locator('[data-pb-plan="sales-development"]')
    progress = plan_box.locator("[data-pb-plan-progress]")
    expect(progress).to_have_text(f"0 of {path.steps} steps done")
    page.locator('[data-pb-step="company"]').check()
    for step in ticked:
        tick = page.locator(f'[data-pb-plan-step="sales-development:{step.tick}"]')
        tick.scroll_into_view_if_needed()
        box = tick.locator("xpath=..").bounding_box()
        assert box and box["height"] >= 24 and box["width"] >= 24, box  # a target a thumb can hit
        tick.check()
    expect(progress).to_have_text(f"3 of {path.steps} steps done")
    # Another role's count is its own.
    expect(page.locator('[data-pb-plan="marketing"] [data-pb-plan-progress]')).to_have_text(re.compile(r"^0 of \d+"))
    page.get_by_role("button", name="Check my answers").click()  # nothing chosen: 0 right
    page.reload()
    expect(progress).to_have_text(f"3 of {path.steps} steps done")
    report = plan_box.locator("[data-pb-plan-text]")
    text = report.inner_text()
    lines = text.splitlines()

    def named(step: Step) -> str:
        kind = step.key.partition(":")[0]
        title = step.reading.title if step.reading.kind == "page" else default_playbook.names[kind][step.reading.id]
        return title if step.reading.kind == "page" else f"{KIND_NAMES[kind][0]}: {title}"

    assert lines[0] == "Onboarding progress: Sales development"
    assert re.fullmatch(r"Tallybright Sales Playbook, \d{4}-\d{2}-\d{2}", lines[1]), lines[1]
    assert "Start here: 1 of 8 steps done" in lines
    assert f"Programme: 3 of {path.steps} steps done" in lines
    n = len(first.steps)
    assert (f"  Day 1: 1 of {n} done; next: {named(first.steps[1])}" if n > 1 else "  Day 1: done") in lines, lines
    m = len(last.steps)
    assert (f"  Day {last.number}: 2 of {m} done; next: {named(last.steps[2])}" if m > 2
            else f"  Day {last.number}: done") in lines, lines
    assert all(f"  Day {d.number}: not started" in lines for d in path.days[1:-1])
    assert re.fullmatch(r"Self-check: last 0 of 8 \(\d{4}-\d{2}-\d{2}\); best 0 of 8; 1 attempt", lines[-1]), lines
    plan_box.get_by_role("button", name="Copy my progress").click()
    assert page.evaluate("navigator.clipboard.readText()") == text
    assert not problems, problems


def test_the_lifecycle_reads_on_a_phone(phone: BrowserContext, default_url: str,
                                        default_playbook: Playbook) -> None:
    page = phone.new_page()
    page.goto(default_url + "lifecycle/", wait_until="load")
    expect(page.locator("svg.pb-dg")).to_be_hidden()
    flow = page.locator("ol.pb-flow")
    expect(flow).to_be_visible()
    # Every word of the flow at 14 px or more; every box a link to its state's heading, in order,
    # one under the other, inside the screen.
    geometry = page.evaluate("""() => {
        const flow = document.querySelector('ol.pb-flow');
        const sizes = [];
        const walker = document.createTreeWalker(flow, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            if (node.nodeValue.trim()) sizes.push(parseFloat(getComputedStyle(node.parentElement).fontSize));
        }
        const boxes = [...flow.querySelectorAll('a.pb-flow__box')].map((a) => {
            const r = a.getBoundingClientRect();
            return {href: a.getAttribute('href'), top: r.top, bottom: r.bottom, left: r.left, right: r.right,
                    target: (document.getElementById(a.getAttribute('href').slice(1)) || {}).tagName || null};
        });
        return {sizes, boxes, width: document.documentElement.clientWidth,
                scroll: document.documentElement.scrollWidth};
    }""")
    assert min(geometry["sizes"]) >= 14, sorted(geometry["sizes"])[:5]
    boxes = geometry["boxes"]
    assert [b["href"] for b in boxes] == [f"#{s.id}" for s in default_playbook.lifecycle]
    assert all(b["target"] == "H3" for b in boxes), boxes
    for above, below in zip(boxes, boxes[1:], strict=False):
        assert above["bottom"] <= below["top"], (above, below)  # no box over another
    assert all(b["left"] >= 0 and b["right"] <= geometry["width"] for b in boxes)
    assert geometry["scroll"] <= geometry["width"]
    # Each state's and handoff's section is closed behind its heading; the page is short.
    toggles = page.locator("h3 > button.pb-fold__toggle")
    expect(toggles).to_have_count(len(default_playbook.lifecycle) + len(default_playbook.handoffs)
                                  + len(default_playbook.settings.forecast_categories))
    assert all(t.get_attribute("aria-expanded") == "false" for t in toggles.all())
    definition = page.locator("#pb-fold-mql")
    expect(definition).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollHeight") < 12_000
    # A tap on a box opens that state's section and brings it into view.
    page.locator('a.pb-flow__box[href="#mql"]').tap()
    expect(definition).to_be_visible()
    expect(definition).to_contain_text("It qualifies when all of these are true")
    expect(page.locator('button[aria-controls="pb-fold-mql"]')).to_have_attribute("aria-expanded", "true")
    assert definition.evaluate("(e) => e.getBoundingClientRect().top < innerHeight")
    # A heading opens and closes its own section, and no other.
    sal = page.locator('button[aria-controls="pb-fold-sal"]')
    sal.tap()
    expect(page.locator("#pb-fold-sal")).to_be_visible()
    sal.tap()
    expect(page.locator("#pb-fold-sal")).to_be_hidden()
    expect(definition).to_be_visible()
    # An address with a handoff's anchor opens that handoff, on arrival and on a link in the page.
    other = phone.new_page()
    other.goto(default_url + "lifecycle/#sal-to-sql", wait_until="load")
    expect(other.locator("#pb-fold-sal-to-sql")).to_be_visible()
    expect(other.locator("#pb-fold-mql")).to_be_hidden()
    other.locator('.pb-flow a[href="#mql-to-sal"]').tap()
    expect(other.locator("#pb-fold-mql-to-sal")).to_be_visible()


def test_on_a_desktop_the_picture_shows_and_its_boxes_are_links(page: Page, default_url: str,
                                                                 default_playbook: Playbook) -> None:
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(default_url + "lifecycle/", wait_until="load")
    expect(page.locator("svg.pb-dg")).to_be_visible()
    expect(page.locator("ol.pb-flow")).to_be_hidden()
    links = page.locator("svg.pb-dg a.pb-dg-link")
    assert [a.get_attribute("href") for a in links.all()] == [f"#{s.id}" for s in default_playbook.lifecycle]
    expect(page.locator("button.pb-fold__toggle")).to_have_count(0)  # nothing folds on a wide screen
    expect(page.locator("#mql ~ p").first).to_be_visible()
    links.nth(1).click()
    page.wait_for_url("**/lifecycle/#mql")


def test_axe_finds_nothing_serious_in_the_new_hires_pages_on_a_phone(phone: BrowserContext, default_url: str) -> None:
    """The programme's ticks and report, and the lifecycle's boxes and folded sections, at 390 px."""
    page = phone.new_page()
    axe = Axe()
    found: list[str] = []
    for path in ("start-here/", "lifecycle/"):
        page.goto(default_url + path, wait_until="load")
        result = axe.run(page, context="article.md-content__inner")
        found += [f"{path} {v['id']}: {[n['target'] for n in v['nodes']][:4]}" for v in result.response["violations"]
                  if v["impact"] in ("serious", "critical")]
    assert found == []
