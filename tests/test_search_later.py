"""The search index is fetched on the first search, not with every page view: on a large playbook
it is megabytes a phone would download before anything else. With the plugin's `search: pagefind`
(the default site) Pagefind answers the theme's box and the theme's index is never fetched: a search
fetches Pagefind's script and the few parts of its index that the words need."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml
from conftest import FIXTURES, REPO, SITE_CONFIG, make_project, run_mkdocs
from mkdocs.exceptions import PluginError
from playwright.sync_api import Browser, expect
from site_search import SEARCH_IDLE, search

from generator.site import plugin as plugin_module
from generator.site.static import pagefind_page, search_later

pytest_plugins = ["browser_fixtures"]  # serve, browser, default_url

INDEX = "/search/search_index.json"
# A term named with markup: Pagefind's results show it as text.
HOSTILE_NAME = "Lead <img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def mini_urls(tmp_path_factory: pytest.TempPathFactory, serve: Callable[[Path], str]) -> dict[str, str]:
    """The mini playbook, its lead term named with markup, built with each search: its base URLs."""
    urls = {}
    for search_mode in ("material", "pagefind"):
        root = tmp_path_factory.mktemp(f"search-{search_mode}")
        config = SITE_CONFIG if search_mode == "material" else \
            SITE_CONFIG.replace("      site_name: true\n", "      site_name: true\n      search: pagefind\n")
        project = make_project(root / "project", FIXTURES / "mini", config)
        term = project / "playbook" / "terms" / "lead.yaml"
        data: dict[str, Any] = yaml.safe_load(term.read_text(encoding="utf-8"))
        term.write_text(yaml.safe_dump({**data, "name": HOSTILE_NAME}, sort_keys=False), encoding="utf-8")
        result = run_mkdocs(project, "build", "--strict")
        assert result.returncode == 0, result.stdout + result.stderr
        assert (project / "site" / "pagefind").is_dir() == (search_mode == "pagefind")
        urls[search_mode] = serve(project / "site")
    return urls


# --- Material's search (the plugin's default): its index fetched on the first search ------------

def test_a_page_view_fetches_no_index_and_the_first_search_does(browser: Browser, mini_urls: dict[str, str]) -> None:
    url = mini_urls["material"]
    page = browser.new_page()
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(url + "stages/learning/", wait_until="networkidle")
    page.locator("article").click()  # reading, scrolling and tapping the page fetch nothing more
    page.mouse.wheel(0, 600)
    page.wait_for_timeout(300)
    assert not [u for u in requested if u.endswith(INDEX)], requested
    # The first search fetches it once, and finds.
    assert url + "glossary/#lead" in search(page, "prospect record")
    assert [u for u in requested if u.endswith(INDEX)] == [url.rstrip("/") + INDEX]
    assert search(page, "demo form")
    assert len([u for u in requested if u.endswith(INDEX)]) == 1
    assert not [u for u in requested if "/pagefind/" in u]
    page.close()


def test_an_address_with_a_query_searches_at_once(browser: Browser, mini_urls: dict[str, str],
                                                  default_url: str) -> None:
    page = browser.new_page()
    for url, query in ((mini_urls["material"], "prospect"), (default_url, "nurture")):
        page.goto(url + f"?q={query}", wait_until="load")
        expect(page.locator(".md-search-result__meta")).to_contain_text("matching document")
        expect(page.locator("input.md-search__input")).to_have_value(query)
    page.close()


def test_the_script_goes_before_the_themes_own_and_only_there(default_site: Path) -> None:
    html = (default_site / "stages" / "scoping" / "index.html").read_text(encoding="utf-8")
    script = html.index('<script data-pb-search="pagefind">/* Sales playbook: the search index is fetched')
    assert script < html.index('assets/javascripts/bundle.') and html.count("the search index is fetched") == 1
    assert search_later("<p>no theme script</p>") == "<p>no theme script</p>"
    theme = '<script src="../assets/javascripts/bundle.0a1b.min.js"></script>'
    once = search_later(theme)
    assert once.count("<script>") == 1 and once.endswith(theme)
    # The Assets pages are in the assets/ folder, where the theme's script is at javascripts/….
    assert "the search index is fetched" in (default_site / "assets" / "index.html").read_text(encoding="utf-8")
    assert search_later(theme, pagefind=True).startswith('<script data-pb-search="pagefind">')


# --- Pagefind (search: pagefind, the default site) ----------------------------------------------

def test_pagefind_indexes_the_article_without_what_the_themes_search_leaves_out(default_site: Path) -> None:
    html = (default_site / "stages" / "selection" / "index.html").read_text(encoding="utf-8")
    assert '<article class="md-content__inner md-typeset" data-pagefind-body>' in html
    excluded = html.count(" data-search-exclude")
    assert excluded > 10 and html.count(" data-search-exclude data-pagefind-ignore") == excluded
    assert "pagefind-search.js" in html and (default_site / "pagefind" / "pagefind.js").is_file()
    assert pagefind_page('<p>data-search-exclude</p><div class="x" data-search-exclude>') == \
        '<p>data-search-exclude</p><div class="x" data-search-exclude data-pagefind-ignore>'


def test_pagefind_fetches_nothing_before_a_search_then_only_what_it_needs(browser: Browser, default_url: str) -> None:
    page = browser.new_page()
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(default_url + "stages/scoping/", wait_until="networkidle")
    page.locator("article").click()
    page.mouse.wheel(0, 600)
    page.wait_for_timeout(300)
    assert not [u for u in requested if u.endswith(INDEX) or "/pagefind/" in u], requested
    found = search(page, "too expensive")
    assert found[0] == default_url + "stages/selection/" and default_url + "stages/selection/#objection-cfo-1" in found
    pagefind = [u for u in requested if "/pagefind/" in u]
    assert default_url + "pagefind/pagefind.js" in pagefind and any(u.endswith(".pf_fragment") for u in pagefind)
    assert all(u.startswith(default_url) for u in requested)
    # The reset button empties the list; Enter opens the first result, as with the theme's search.
    page.locator('.md-search__form button[type="reset"]').click()
    expect(page.locator(".md-search-result__meta")).to_have_text(SEARCH_IDLE)
    expect(page.locator(".md-search-result__item")).to_have_count(0)
    assert search(page, "Corvane")
    page.locator("input.md-search__input").press("Enter")
    page.wait_for_url(default_url + "assets/")
    assert not [u for u in requested if u.endswith(INDEX)]
    page.close()


def test_pagefind_shows_markup_in_a_text_as_text(browser: Browser, mini_urls: dict[str, str]) -> None:
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(mini_urls["pagefind"], wait_until="load")
    found = search(page, "prospect record")
    assert mini_urls["pagefind"] + "glossary/#lead" in found
    result = page.locator(f'a.md-search-result__link[href="{mini_urls["pagefind"]}glossary/#lead"]')
    expect(result.locator("h2")).to_have_text(HOSTILE_NAME + " (LD)")
    expect(result.locator("p mark").first).to_have_text("prospect")
    expect(result.locator("p")).to_contain_text(HOSTILE_NAME)
    expect(page.locator(".md-search-result img")).to_have_count(0)
    assert not dialogs
    page.close()


def test_without_pagefind_a_pagefind_build_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plugin_module, "pagefind_missing", lambda: "the Python package pagefind is not installed")
    plugin = plugin_module.PlaybookPlugin()
    errors, _ = plugin.load_config({"search": "pagefind"})
    assert not errors
    config = SimpleNamespace(config_file_path=str(REPO / "mkdocs.yml"), docs_dir=str(REPO / "docs"))
    with pytest.raises(PluginError, match=r"pagefind is not installed: pip install 'pagefind\[bin\]"):
        plugin.on_config(config)  # type: ignore[arg-type]
    assert plugin.load_config({"search": "lunr"})[0]  # only material or pagefind

