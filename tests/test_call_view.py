"""A rep on a live call, on a phone (390 x 844, touch), in a real Chromium against the default
playbook's site: the first card in sight after a tap, the persona carried from stage to stage,
objections a tap away with their answers to copy, what is for the rep only, whether an asset may
still be sent, sharing, search that knows the buyer's words, and axe-core's audit."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect
from site_search import search as search_box

pytest_plugins = ["browser_fixtures"]  # serve, browser, page, default_url





def first_visible_card_top(page: Page, cards: str) -> float:
    return float(page.evaluate("""(sel) => {
        const card = [...document.querySelectorAll(sel)].find((c) => c.getClientRects().length);
        return card ? card.getBoundingClientRect().top : -1;
    }""", cards))


def in_sight(page: Page, cards: str) -> bool:
    """The first card shown starts on the screen, below the header, with room to read its start
    (no swipe needed to reach it)."""
    top = first_visible_card_top(page, cards)
    return 48 <= top < 844 - 200


def card_of(page: Page, asset_id: str) -> Locator:
    """The card of an asset on an Assets page: the first card after the asset's heading."""
    return page.locator(f"xpath=//*[@id='{asset_id}']/following-sibling::div[contains(@class, 'pb-card')][1]")


def tap(page: Page, selector: str) -> None:
    page.locator(selector).first.tap()


def test_after_a_chip_tap_the_first_card_is_on_screen(phone: BrowserContext, default_url: str) -> None:
    page = phone.new_page()
    page.goto(default_url + "stages/scoping/", wait_until="networkidle")
    tap(page, '[data-pb-filter="persona"] .pb-chip[data-value="it-security-lead"]')
    assert in_sight(page, "[data-pb-cards] .pb-card"), first_visible_card_top(page, "[data-pb-cards] .pb-card")
    # The filters are one short block: each group's chips are a single row on a phone.
    rows = page.evaluate("""[...document.querySelectorAll('[data-pb-filters] .pb-chip-row')]
        .map((r) => Math.round(r.getBoundingClientRect().height))""")
    assert rows and all(h < 60 for h in rows), rows

    page.goto(default_url + "finder/", wait_until="networkidle")
    tap(page, '[data-pb-filter="persona"] .pb-chip[data-value="cfo"]')
    assert in_sight(page, "[data-pb-results] .pb-card"), first_visible_card_top(page, "[data-pb-results] .pb-card")
    expect(page.locator("[data-pb-count]")).to_contain_text("match")


def test_the_persona_goes_with_the_rep_to_the_next_stage(phone: BrowserContext, default_url: str) -> None:
    """Scoping, the IT security lead joins: the security pack serves Selection, and the page says so
    with a link that carries the persona there; the menu's links and a later visit carry it too."""
    page = phone.new_page()
    page.goto(default_url + "stages/scoping/", wait_until="networkidle")
    tap(page, '[data-pb-filter="persona"] .pb-chip[data-value="it-security-lead"]')
    elsewhere = page.locator("[data-pb-elsewhere]")
    expect(elsewhere).to_be_visible()
    expect(elsewhere).to_contain_text("Also for Kenji, the IT Security Lead")
    # He is not in Scoping: the objections say his are not on this page, and link to his entry.
    away = page.locator("[data-pb-objections] [data-pb-away]")
    expect(away).to_have_text("The objections of Kenji, the IT Security Lead are not on this page: "
                              "read them on their persona page.")
    expect(away.get_by_role("link")).to_have_attribute("href", default_url + "personas/#it-security-lead")
    # Every stage link on the page (menu, way on) now carries the persona.
    hrefs = page.evaluate("""[...document.querySelectorAll('a[href*="stages/selection/"]')].map((a) => a.href)""")
    assert hrefs and all(parse_qs(urlsplit(h).query).get("persona") == ["it-security-lead"] for h in hrefs), hrefs

    elsewhere.get_by_role("link", name="3. Selection").tap()
    page.wait_for_url("**/stages/selection/?persona=it-security-lead")
    expect(page.locator('[data-pb-filter="persona"] .pb-chip[aria-pressed="true"]')).to_have_attribute(
        "data-value", "it-security-lead")
    expect(page.locator("#asset-security-pack")).to_be_visible()
    assert in_sight(page, "[data-pb-cards] .pb-card")
    # The objections shown are the security lead's only.
    groups = page.locator("[data-pb-objections] .pb-objection-group:visible")
    assert [g.get_attribute("data-persona") for g in groups.all()] == ["it-security-lead"]

    # A later visit without the address's help: the browser remembers.
    page.goto(default_url + "stages/learning/", wait_until="networkidle")
    assert parse_qs(urlsplit(page.evaluate("location.href")).query).get("persona") == ["it-security-lead"]
    expect(page.locator("[data-pb-elsewhere]")).to_contain_text("Kenji, the IT Security Lead")
    expect(page.locator("[data-pb-elsewhere] a", has_text="3. Selection")).to_have_count(1)

    # Pressing the pressed chip forgets the persona.
    page.goto(default_url + "stages/selection/", wait_until="networkidle")
    tap(page, '[data-pb-filter="persona"] .pb-chip[aria-pressed="true"]')
    assert page.evaluate("localStorage.getItem('pb-persona')") is None
    page.goto(default_url + "stages/learning/", wait_until="networkidle")
    assert "persona" not in str(page.evaluate("location.search"))


def test_scoping_and_the_it_security_lead_in_three_taps(phone: BrowserContext, default_url: str) -> None:
    """"Scoping, and the IT security lead just joined: what do I send?" Home, Scoping, the persona,
    then the page's own link to where the security pack is: its card on screen, no swipe."""
    page = phone.new_page()
    page.goto(default_url, wait_until="networkidle")
    page.locator(".pb-stage-card", has_text="Scoping").tap()                                  # 1
    page.wait_for_url("**/stages/scoping/")
    tap(page, '[data-pb-filter="persona"] .pb-chip[data-value="it-security-lead"]')            # 2
    assert in_sight(page, "[data-pb-cards] .pb-card")
    page.locator("[data-pb-elsewhere] a", has_text="3. Selection").tap()                     # 3
    page.wait_for_url("**/stages/selection/?persona=it-security-lead")
    assert in_sight(page, "[data-pb-cards] .pb-card")
    pack = page.locator("#asset-security-pack")
    expect(pack).to_be_in_viewport()
    expect(pack.locator("button[data-pb-copy]").first).to_be_visible()


def test_a_persona_with_nothing_in_a_stage_is_told_so(phone: BrowserContext, default_url: str) -> None:
    """An address naming a persona that has no chip on the page (nothing for them here)."""
    page = phone.new_page()
    page.goto(default_url + "stages/selection/", wait_until="networkidle")
    tap(page, '[data-pb-filter="persona"] .pb-chip[data-value="cfo"]')
    page.goto(default_url + "stages/onboarding/", wait_until="networkidle")
    chips = page.locator('[data-pb-filter="persona"] .pb-chip[data-value="cfo"]')
    if chips.count() == 0:  # the CFO has nothing in onboarding
        expect(page.locator("[data-pb-elsewhere]")).to_contain_text(
            "Nothing in this stage is written for Viktor, the CFO")
        links = page.locator("[data-pb-elsewhere] a")
        expect(links.filter(has_text="3. Selection")).to_have_attribute(
            "href", default_url + "stages/selection/?persona=cfo")
        # Nor are the CFO's objections here: the page says so, with the link the browser remembered.
        expect(page.locator("[data-pb-away]")).to_contain_text("The objections of Viktor, the CFO are not on this page")
        expect(page.locator("[data-pb-away] a")).to_have_attribute("href", default_url + "personas/#cfo")
    else:
        expect(chips.first).to_have_attribute("aria-pressed", "true")


def test_an_objections_answer_is_copied_in_two_taps(phone: BrowserContext, default_url: str) -> None:
    """The CFO is in the room (the persona carried from an earlier stage): the Objections link,
    then Copy."""
    page = phone.new_page()
    page.goto(default_url + "stages/selection/?persona=cfo", wait_until="networkidle")
    tap(page, 'a.pb-jump__link[href="#objections"]')                    # 1
    answer = page.locator("#objection-cfo-1").locator("xpath=..").locator(".pb-objection__answer")
    expect(answer).to_be_in_viewport()
    answer.locator("button[data-pb-copy]").tap()                         # 2
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("Your controller has the business case") and copied == answer.locator(
        ".pb-point__text").inner_text().strip()
    expect(page.locator("[data-pb-announce]")).to_have_text("Answer copied")
    # Each objection names the persona it comes from, and the words buyers use for it.
    expect(page.locator("#objection-cfo-1").locator("xpath=..").locator(".pb-objection__from")).to_have_text(
        "Viktor, the CFO")
    expect(page.locator("#objection-cfo-1 .pb-objection__also")).to_contain_text("too expensive")


def test_what_is_for_the_rep_has_no_copy_button(page: Page, default_url: str) -> None:
    page.goto(default_url + "stages/scoping/")
    card = page.locator("#asset-battle-card-corvane")
    note = card.locator(".pb-note")
    expect(note).to_contain_text("For you, not the buyer")
    expect(note).to_contain_text("Never run Corvane down")
    expect(note.locator("button")).to_have_count(0)
    points = " ".join(card.locator(".pb-point__text").all_inner_texts())
    assert "Never run Corvane down" not in points and "Corvane" in points
    # The same note on the Assets page and in the finder.
    page.goto(default_url + "assets/")
    expect(card_of(page, "battle-card-corvane").locator(".pb-note")).to_contain_text("Never run Corvane down")
    page.goto(default_url + "finder/?text=corvane")
    expect(page.locator("[data-pb-results] .pb-card .pb-note").first).to_contain_text("Never run Corvane down")


def test_every_card_says_whether_it_may_be_sent_and_whom_to_ask(page: Page, default_url: str) -> None:
    """The ERP battle card's review is overdue on the tests' fixed day: it may still be sent."""
    overdue = "May be sent; review overdue since 2026-10-15: ask Marketing if in doubt."
    page.goto(default_url + "stages/scoping/")
    expect(page.locator("#asset-battle-card-erp-ap-module .pb-verdict")).to_have_text(overdue)
    page.goto(default_url + "assets/")
    expect(card_of(page, "battle-card-erp-ap-module").locator(".pb-verdict")).to_have_text(overdue)
    # A withdrawn asset: do not send, and no Open button.
    withdrawn = card_of(page, "analyst-market-guide")
    expect(withdrawn.locator(".pb-verdict")).to_contain_text("Do not send: withdrawn after 2026-09-30")
    expect(withdrawn.locator(".pb-open")).to_have_count(0)
    # The stage page names what is withdrawn from it, not only how many.
    page.goto(default_url + "stages/scoping/")
    page.locator(".pb-hero__meta a[href='#withdrawn']").click()
    expect(page.locator("#withdrawn")).to_contain_text("do not send Northmere Research market guide")
    expect(page.locator("#withdrawn")).to_be_in_viewport()
    page.goto(default_url + "finder/?text=erp%20module")
    expect(page.locator("[data-pb-results] .pb-card .pb-verdict").first).to_have_text(overdue)
    # The Assets page's card has copy buttons, and its talking points stop where they end.
    page.goto(default_url + "assets/")
    card = card_of(page, "pricing-sheet")
    expect(card.locator("button[data-pb-copy]")).to_have_count(card.locator(".pb-point").count())
    assert not any(t.startswith(("Stages:", "Personas:", "Open:")) for t in card.locator(".pb-point").all_inner_texts())


def test_share_uses_the_phones_share_sheet_or_copies_the_link(browser: Browser, phone: BrowserContext,
                                                              default_url: str) -> None:
    context = phone
    context.add_init_script("""
        window.shared = [];
        navigator.share = (data) => { window.shared.push(data); return Promise.resolve(); };
    """)
    page = context.new_page()
    page.goto(default_url + "stages/selection/", wait_until="networkidle")
    page.locator("#asset-security-pack button[data-pb-share]").tap()
    page.wait_for_function("window.shared.length === 1")
    shared = page.evaluate("window.shared[0]")
    assert shared["url"] == default_url + "assets/#security-pack"
    assert "security" in shared["title"].lower()
    tap(page, '[data-pb-filter="persona"] .pb-chip[data-value="cfo"]')
    page.locator("[data-pb-filters] button[data-pb-share]").tap()
    page.wait_for_function("window.shared.length === 2")
    assert page.evaluate("window.shared[1].url") == default_url + "stages/selection/?persona=cfo"

    # A desktop browser without the share sheet: the link is copied.
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    context.add_init_script("delete Navigator.prototype.share;")
    page = context.new_page()
    page.goto(default_url + "stages/selection/", wait_until="networkidle")
    button = page.locator("#asset-security-pack button[data-pb-share]")
    button.click()
    expect(button).to_have_text("Link copied")
    assert page.evaluate("navigator.clipboard.readText()") == default_url + "assets/#security-pack"
    context.close()


def search(page: Page, words: str) -> list[str]:
    """Tap the theme's search button (on a phone the box is behind it), then search."""
    page.locator("label.md-header__button[for='__search']").tap()
    return search_box(page, words)


@pytest.mark.parametrize("words", ["too expensive", "price"])
def test_search_finds_the_objection_by_the_buyers_words(phone: BrowserContext, default_url: str, words: str) -> None:
    """The objection says "cost"; its keywords carry the buyer's words, and search finds it by them."""
    page = phone.new_page()
    page.goto(default_url, wait_until="networkidle")
    found = search(page, words)
    assert any(h.endswith("stages/selection/#objection-cfo-1") for h in found), "\n".join(found)


def test_cfo_says_too_expensive_in_two_taps(phone: BrowserContext, default_url: str) -> None:
    """From the home page: search, type, tap the first result: the CFO's cost objection with its
    answer (in the result already), on its stage page, ready to copy. No swipe."""
    page = phone.new_page()
    page.goto(default_url, wait_until="networkidle")
    found = search(page, "too expensive")
    assert found[1].endswith("stages/selection/#objection-cfo-1"), found[:3]  # [0] is the page itself
    result = page.locator("a.md-search-result__link").nth(1)
    expect(result).to_contain_text("Your controller has the business case")  # the answer, in the result
    result.tap()
    page.wait_for_url("**/stages/selection/**#objection-cfo-1")
    answer = page.locator("#objection-cfo-1").locator("xpath=..").locator(".pb-objection__answer")
    expect(answer).to_be_in_viewport()
    expect(answer.locator("button[data-pb-copy]")).to_be_in_viewport()


def test_the_battle_card_against_a_competitor_in_two_taps(phone: BrowserContext, default_url: str) -> None:
    page = phone.new_page()
    page.goto(default_url, wait_until="networkidle")
    found = search(page, "Corvane")
    assert any(h.endswith("assets/#battle-card-corvane") for h in found[:3]), found
    page.locator("a.md-search-result__link[href*='assets/'][href$='#battle-card-corvane']").first.tap()
    page.wait_for_url("**/assets/**#battle-card-corvane")
    card = card_of(page, "battle-card-corvane")
    expect(card.locator(".pb-points")).to_be_in_viewport()
    expect(card.locator("button[data-pb-copy]").first).to_be_visible()
    expect(card.locator(".pb-verdict")).to_contain_text("May be sent")


def test_no_new_control_is_too_small(phone: BrowserContext, default_url: str) -> None:
    page = phone.new_page()
    small: dict[str, list[str]] = {}
    for path in ("stages/scoping/", "stages/selection/", "finder/", "assets/"):
        page.goto(default_url + path, wait_until="networkidle")
        found = page.evaluate("""[...document.querySelectorAll('.pb-share, .pb-jump__link, .pb-elsewhere a, .pb-copy')]
            .filter((e) => e.getClientRects().length)
            .map((e) => { const r = e.getBoundingClientRect();
                          return r.width < 24 || r.height < 24 ? `${e.className} ${r.width}x${r.height}` : ''; })
            .filter(Boolean)""")
        if found:
            small[path] = found[:5]
    assert small == {}


def test_axe_finds_nothing_serious_beyond_the_theme(browser: Browser, default_url: str) -> None:
    """axe-core on every page a rep uses, before and after a filter is chosen, at 390 and 1280 px
    (the page is loaded once and resized): no serious or critical violation in the playbook's own
    content (the theme's header, menu and footer are the theme's)."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    axe = Axe()
    found: list[str] = []
    for path in ("", "stages/scoping/", "stages/selection/?persona=cfo", "finder/", "finder/?persona=cfo",
                 "assets/", "personas/"):
        page.goto(default_url + path, wait_until="load")
        if path.startswith("finder/"):
            page.locator("[data-pb-results] .pb-card").first.wait_for()
        for width in (390, 1280):
            page.set_viewport_size({"width": width, "height": 844})
            # The page's content is the playbook's; the header, menu and footer around it the theme's.
            result = axe.run(page, context="article.md-content__inner")
            for violation in result.response["violations"]:
                if violation["impact"] in ("serious", "critical"):
                    found.append(f"{width} {path} {violation['id']}: {[n['target'] for n in violation['nodes']][:4]}")
    context.close()
    assert found == []
