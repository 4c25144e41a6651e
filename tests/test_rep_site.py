"""A rep's pages in a real Chromium: stage cards narrowed by persona and type through the URL,
the asset finder, copy buttons, review badges, withdrawn assets, and phones (390 px)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from conftest import make_project, run_mkdocs
from playwright.sync_api import Browser, Page, expect
from shelf import shelf_playbook

pytest_plugins = ["browser_fixtures"]  # serve, browser, page, default_url


@pytest.fixture(scope="module")
def shelf_url(tmp_path_factory: pytest.TempPathFactory, serve: Callable[[Path], str]) -> str:
    root = tmp_path_factory.mktemp("shelf-site")
    project = make_project(root / "p", shelf_playbook(root))
    result = run_mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    return serve(project / "site")


def visible_cards(page: Page) -> list[str]:
    return [c.get_attribute("id") or "" for c in page.locator("[data-pb-cards] .pb-card:visible").all()]


def query(page: Page) -> dict[str, list[str]]:
    """The address's query as the page has it now (history.replaceState is not seen by page.url)."""
    return parse_qs(str(page.evaluate("location.search")).lstrip("?"))


def test_chips_narrow_the_cards_and_round_trip_through_the_url(watched: tuple[Page, list[str]], shelf_url: str) -> None:
    page, problems = watched
    page.goto(shelf_url + "stages/learning/")
    every = ["asset-battle-card", "asset-checklist", "asset-guide", "asset-user-video", "asset-price-deck"]
    expect(page.locator("[data-pb-filters]")).to_be_visible()
    assert visible_cards(page) == every
    page.locator('[data-pb-filter="persona"] .pb-chip[data-value="user"]').click()
    # Uma's asset first, then the one for any persona; only Uma's objections.
    assert visible_cards(page) == ["asset-user-video", "asset-checklist"]
    assert query(page) == {"persona": ["user"]}
    groups = page.locator(".pb-objection-group:visible")
    expect(groups).to_have_count(1)
    expect(groups).to_contain_text("It will take weeks to learn.")
    page.locator('[data-pb-filter="type"] .pb-chip[data-value="explainer-video"]').click()
    assert visible_cards(page) == ["asset-user-video"]
    assert query(page) == {"persona": ["user"], "type": ["explainer-video"]}
    expect(page.locator("[data-pb-status]")).to_have_text("Showing 1 of 5 assets for Uma, the User")
    # The URL reproduces the view.
    shared = str(page.evaluate("location.href"))
    page.goto(shelf_url)
    page.goto(shared)
    assert visible_cards(page) == ["asset-user-video"]
    expect(page.locator('.pb-chip[data-value="user"]')).to_have_attribute("aria-pressed", "true")
    # Pressing a pressed chip clears its group.
    page.locator('[data-pb-filter="persona"] .pb-chip[data-value="user"]').click()
    assert query(page) == {"type": ["explainer-video"]} and visible_cards(page) == ["asset-user-video"]
    page.locator('[data-pb-filter="type"] .pb-chip[data-value="explainer-video"]').click()
    assert visible_cards(page) == every and query(page) == {}
    assert not problems, problems


def test_a_persona_with_no_match_says_so(watched: tuple[Page, list[str]], shelf_url: str) -> None:
    page, problems = watched
    page.goto(shelf_url + "stages/learning/?persona=user&type=battle-card")
    assert visible_cards(page) == []
    expect(page.locator("[data-pb-empty]")).to_be_visible()
    page.goto(shelf_url + "stages/learning/?persona=nobody&type=%3Cscript%3E")
    assert len(visible_cards(page)) == 5  # unknown values are ignored
    assert not problems, problems


def test_without_javascript_every_card_shows(browser: Browser, shelf_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(shelf_url + "stages/learning/?persona=user")
    expect(page.locator("[data-pb-cards] .pb-card")).to_have_count(5)
    for card in page.locator("[data-pb-cards] .pb-card").all():
        expect(card).to_be_visible()
    expect(page.locator("[data-pb-filters]")).to_be_hidden()
    context.close()


def test_copy_puts_the_talking_point_on_the_clipboard(watched: tuple[Page, list[str]], shelf_url: str) -> None:
    page, problems = watched
    page.goto(shelf_url + "stages/learning/")
    card = page.locator("#asset-battle-card")
    card.locator("[data-pb-copy]").first.click()
    expect(card.locator("[data-pb-copy]").first).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == "Our anvils ship in two days; theirs take six weeks."
    assert not problems, problems


def test_overdue_badge_shows_and_expired_asset_is_absent(watched: tuple[Page, list[str]], shelf_url: str) -> None:
    page, problems = watched
    page.goto(shelf_url + "stages/learning/")
    expect(page.locator("#asset-battle-card .pb-badge--overdue")).to_have_text("Review overdue since 2026-10-01")
    expect(page.locator("#asset-price-deck .pb-badge--expiring")).to_have_text("Can be sent until 2026-12-10")
    expect(page.locator("#asset-reprint")).to_have_count(0)
    expect(page.locator("#withdrawn")).to_contain_text("do not send Analyst anvil report (after 2026-09-30)")
    page.goto(shelf_url + "assets/#reprint")
    expect(page.locator(".pb-badge--withdrawn")).to_have_text("Withdrawn after 2026-09-30: do not send")
    assert not problems, problems


def test_stage_page_prints_every_card(browser: Browser, shelf_url: str) -> None:
    """Printed, a stage page has every card, even those a filter hid, and no filter bar or copy button."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(shelf_url + "stages/learning/?persona=user")
    assert len(visible_cards(page)) == 2
    page.emulate_media(media="print")
    assert len(visible_cards(page)) == 5
    expect(page.locator("[data-pb-filters]")).to_be_hidden()
    expect(page.locator("[data-pb-copy]").first).to_be_hidden()
    context.close()


def finder_cards(page: Page) -> list[str]:
    return [c.locator(".pb-card__title").inner_text() for c in page.locator("[data-pb-results] .pb-card").all()]


def test_finder_filters_counts_and_shared_urls(watched: tuple[Page, list[str]], shelf_url: str) -> None:
    page, problems = watched
    page.goto(shelf_url + "finder/")
    count = page.locator("[data-pb-count]")
    expect(count).to_have_text("6 assets match")
    # Withdrawn assets are shown last, marked, with no Open button.
    assert finder_cards(page)[-1] == "Analyst anvil report"
    last = page.locator("[data-pb-results] .pb-card").last
    expect(last.locator(".pb-badge--withdrawn")).to_contain_text("2026-09-30")
    expect(last.locator(".pb-open")).to_have_count(0)
    # Combined filters: stage, persona (assets for any persona included), type, owner.
    page.locator('[data-pb-facets] [data-pb-filter="persona"] .pb-chip[data-value="buyer"]').click()
    expect(count).to_have_text("5 assets match")
    assert query(page) == {"persona": ["buyer"]}
    user_chip = page.locator('[data-pb-facets] [data-pb-filter="type"] .pb-chip[data-value="explainer-video"]')
    expect(user_chip).to_be_disabled()  # no buyer asset is a video: count 0
    page.locator('[data-pb-facets] [data-pb-filter="type"] .pb-chip[data-value="deck"]').click()
    expect(count).to_have_text("1 asset matches")
    assert finder_cards(page) == ["Anvil price deck"]
    expect(page.locator("[data-pb-results] .pb-badge--expiring")).to_have_text("Can be sent until 2026-12-10")
    page.locator('[data-pb-facets] [data-pb-filter="type"] .pb-chip[data-value="deck"]').click()
    # Free text searches titles, talking points and persona names.
    page.locator("#pb-q").fill("two days")
    expect(count).to_have_text("1 asset matches")
    assert finder_cards(page) == ["Anvil battle card"]
    expect(page.locator('[data-pb-facets] [data-pb-filter="owner"] .pb-chip[data-value="marketing"] .pb-chip__count')
           ).to_have_text("1")
    assert query(page) == {"persona": ["buyer"], "text": ["two days"]}
    # A shared URL reproduces the view, in a new page.
    shared = str(page.evaluate("location.href"))
    page.goto(shelf_url)
    page.goto(shared)
    expect(count).to_have_text("1 asset matches")
    expect(page.locator("#pb-q")).to_have_value("two days")
    expect(page.locator('[data-pb-filter="persona"] .pb-chip[data-value="buyer"]')).to_have_attribute(
        "aria-pressed", "true")
    page.goto(shelf_url + "finder/?stage=learning&persona=user&owner=marketing")
    expect(count).to_have_text("2 assets match")  # the finder's data has arrived and the view is made
    assert finder_cards(page) == ["Anvil checklist", "Anvil in five minutes"]
    assert not problems, problems


def test_finder_copy_and_links(watched: tuple[Page, list[str]], shelf_url: str) -> None:
    page, problems = watched
    page.goto(shelf_url + "finder/?text=anvil+checklist")
    card = page.locator("[data-pb-results] .pb-card").first
    expect(card.locator(".pb-open")).to_have_attribute("href", "https://assets.acme.example/checklist")
    card.locator(".pb-card__details").click()
    page.wait_for_url("**/assets/#checklist")
    page.go_back()
    page.locator("[data-pb-results] .pb-card [data-pb-copy]").first.click()
    assert page.evaluate("navigator.clipboard.readText()") == "Ten questions to ask any anvil vendor."
    assert not problems, problems


# --- The repository's own site, as a rep uses it -------------------------------------------

ALL_PAGES = ["", "stages/learning/", "stages/scoping/", "stages/selection/", "stages/onboarding/",
             "stages/expansion/", "finder/", "assets/", "personas/", "lifecycle/", "glossary/", "metrics/",
             "review/", "about/", "start-here/", "propose-a-change/"]


@pytest.mark.parametrize("width", [390, 1280])
def test_no_page_scrolls_sideways(browser: Browser, default_url: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    wide = {}
    for path in ALL_PAGES:
        page.goto(default_url + path, wait_until="load")  # the page's own scripts have run
        if path == "finder/":  # its cards come with its data script, after the page has loaded
            page.locator("[data-pb-results] .pb-card").first.wait_for()
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            wide[path] = scroll
        # Nor inside the page: a table wraps its words instead of scrolling in its own box.
        inner = page.evaluate("""[...document.querySelectorAll('.md-typeset__scrollwrap, .md-typeset pre')]
            .filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => `${e.className} ${e.scrollWidth}`)""")
        if inner:
            wide[path + " (inside)"] = inner
    context.close()
    assert not wide and not errors, (wide, errors)


def test_two_clicks_from_home_to_one_persona_on_a_phone(browser: Browser, default_url: str) -> None:
    """Home -> the stage's card -> the persona's chip: the cards for that stage and that persona."""
    context = browser.new_context(viewport={"width": 390, "height": 800}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(default_url)
    page.locator(".pb-stage-card", has_text="Selection").click()
    page.wait_for_url("**/stages/selection/")
    page.locator('[data-pb-filter="persona"] .pb-chip[data-value="it-security-lead"]').click()
    cards = page.locator("[data-pb-cards] .pb-card:visible")
    assert 0 < cards.count() < page.locator("[data-pb-cards] .pb-card").count()
    for card in cards.all():
        personas = card.get_attribute("data-persona") or ""
        assert personas == "" or "it-security-lead" in personas.split()
    assert query(page) == {"persona": ["it-security-lead"]}
    context.close()


def test_default_playbook_withdraws_the_expired_reprint(page: Page, default_url: str) -> None:
    """On the fixed day of the tests, the analyst reprint's licence has ended."""
    for stage in ("learning", "scoping"):
        page.goto(default_url + f"stages/{stage}/")
        expect(page.locator("#asset-analyst-market-guide")).to_have_count(0)
    page.goto(default_url + "review/")
    expect(page.locator("article.md-content__inner")).to_contain_text("Withdrawn")


def test_copy_works_without_the_clipboard_api(browser: Browser, shelf_url: str) -> None:
    """On an intranet's plain http there is no Clipboard API: the text is still copied (selected in
    a hidden field and copied the old way), and the button says so."""
    context = browser.new_context()
    # What a page served over plain http sees: no navigator.clipboard. The copy command is watched.
    context.add_init_script("""
        Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined });
        window.copied = [];
        const copy = Document.prototype.execCommand;
        Document.prototype.execCommand = function (command, ...rest) {
          const field = document.activeElement;
          if (command === 'copy' && field && 'value' in field) {
            window.copied.push(field.value.slice(field.selectionStart, field.selectionEnd));
          }
          return copy.call(this, command, ...rest);
        };
    """)
    page = context.new_page()
    page.goto(shelf_url + "stages/learning/")
    assert page.evaluate("navigator.clipboard") is None
    button = page.locator("#asset-battle-card [data-pb-copy]").first
    button.click()
    expect(button).to_have_text("Copied")
    assert page.evaluate("window.copied") == ["Our anvils ship in two days; theirs take six weeks."]
    expect(page.locator("[data-pb-announce]")).to_have_text("Talking point copied")
    assert page.evaluate("document.querySelectorAll('textarea').length") == 0  # the field is gone
    context.close()


@pytest.mark.parametrize("touch", [False, True])
def test_every_control_is_big_enough_to_tap(browser: Browser, default_url: str, touch: bool) -> None:
    """WCAG 2.2 target size: every chip, copy button, details link and pager button is at least
    24 x 24 px; on a touch screen, copy and open are 44 px tall."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=touch, has_touch=touch)
    page = context.new_page()
    small: dict[str, list[str]] = {}
    for path in ("stages/scoping/", "stages/selection/", "finder/", "assets/"):
        page.goto(default_url + path, wait_until="networkidle")
        found = page.evaluate("""(touch) => [...document.querySelectorAll(
                '.pb-chip, .pb-copy, .pb-card__details, .pb-pager__button, .pb-card .pb-open')]
            .filter((e) => e.getClientRects().length)
            .map((e) => {
              const r = e.getBoundingClientRect();
              const main = touch && e.matches('.pb-copy, .pb-open');
              return (r.width < 24 || r.height < (main ? 44 : 24)) ? `${e.className} ${r.width}x${r.height}` : '';
            }).filter(Boolean)""", touch)
        if found:
            small[path] = found[:5]
        counts = page.evaluate("""[...document.querySelectorAll('.pb-chip__count')]
            .filter((e) => e.getClientRects().length)
            .map((e) => parseFloat(getComputedStyle(e).fontSize))""")
        assert all(size >= 12 for size in counts), (path, counts)
    context.close()
    assert small == {}
