"""The site's search box, driven as a reader uses it, for the browser tests."""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import Page, expect

SEARCH_IDLE = "Type to start searching"  # mkdocs-material's placeholder while the query is empty


def search(page: Page, query: str) -> list[str]:
    """Type query into the site's search box; the results' links, without the `?h=` highlight query."""
    box, meta = page.locator("input.md-search__input"), page.locator(".md-search-result__meta")
    box.fill("")
    box.press("End")  # mkdocs-material reads the query on keyup
    expect(meta).to_have_text(SEARCH_IDLE)  # also waits until the search index is ready
    box.fill(query)
    box.press("End")
    expect(meta).not_to_have_text(SEARCH_IDLE)
    links = page.locator("a.md-search-result__link").all()
    return [urlsplit(a.get_attribute("href") or "")._replace(query="").geturl() for a in links]
