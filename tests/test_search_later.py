"""The search index is fetched on the first search, not with every page view: on a large playbook
it is megabytes a phone would download before anything else."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, expect
from site_search import search

from generator.site.static import search_later

pytest_plugins = ["browser_fixtures"]  # serve, browser, default_url

INDEX = "/search/search_index.json"


def test_a_page_view_fetches_no_index_and_the_first_search_does(browser: Browser, default_url: str) -> None:
    page = browser.new_page()
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(default_url + "stages/scoping/", wait_until="networkidle")
    page.locator("article").click()  # reading, scrolling and tapping the page fetch nothing more
    page.mouse.wheel(0, 600)
    page.wait_for_timeout(300)
    assert not [u for u in requested if u.endswith(INDEX)], requested
    # The first search fetches it once, and finds.
    assert default_url + "lifecycle/#mql" in search(page, "MQL")
    assert [u for u in requested if u.endswith(INDEX)] == [default_url.rstrip("/") + INDEX]
    assert search(page, "security pack")
    assert len([u for u in requested if u.endswith(INDEX)]) == 1
    page.close()


def test_an_address_with_a_query_searches_at_once(browser: Browser, default_url: str) -> None:
    page = browser.new_page()
    page.goto(default_url + "?q=nurture", wait_until="load")
    expect(page.locator(".md-search-result__meta")).to_contain_text("matching document")
    page.close()


def test_the_script_goes_before_the_themes_own_and_only_there(default_site: Path) -> None:
    html = (default_site / "stages" / "scoping" / "index.html").read_text(encoding="utf-8")
    script = html.index("<script>/* Sales playbook: the search index is fetched")
    assert script < html.index('assets/javascripts/bundle.') and html.count("the search index is fetched") == 1
    assert search_later("<p>no theme script</p>") == "<p>no theme script</p>"
    theme = '<script src="../assets/javascripts/bundle.0a1b.min.js"></script>'
    once = search_later(theme)
    assert once.count("<script>") == 1 and once.endswith(theme)
