"""Browser tests: built sites served over HTTP on 127.0.0.1 and opened in a real Chromium."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from playwright.sync_api import Browser, Page, expect
from site_search import search

pytest_plugins = ["browser_fixtures"]  # serve, browser, page, default_url

REPO = Path(__file__).resolve().parents[1]
MINI = Path(__file__).resolve().parent / "fixtures" / "mini"
PAGES = ["", "stages/scoping/", "stages/selection/", "finder/", "glossary/", "lifecycle/", "assets/", "review/"]
HOSTILE = ('<img src=x onerror="window.__xss=1"> <script>window.__xss=1</script> '
           "[x](javascript:window.__xss=1) </title><script>window.__xss=1</script>")


def load_term(term_id: str) -> dict[str, Any]:
    """A term of the default playbook, as its YAML file has it."""
    return yaml.safe_load((REPO / "playbook" / "terms" / f"{term_id}.yaml").read_text(encoding="utf-8"))


# --- The repository's own site --------------------------------------------------------------

@pytest.mark.parametrize("kind", ["abbreviation", "name", "alias"])
def test_search_finds_mql(page: Page, default_url: str, kind: str) -> None:
    """Search finds the glossary entry for MQL by its abbreviation, its name and an alias."""
    term = load_term("mql")
    query = {"abbreviation": term["abbreviation"], "name": term["name"].lower(), "alias": term["aliases"][0]}[kind]
    page.goto(default_url)
    hrefs = search(page, query)
    assert any(h.endswith("glossary/#mql") for h in hrefs), f"{query!r} found only {hrefs}"


def test_search_finds_every_abbreviation(page: Page, default_url: str) -> None:
    """Every term with an abbreviation is found by that abbreviation alone, as the glossary promises."""
    page.goto(default_url)
    missed = []
    for path in sorted((REPO / "playbook" / "terms").glob("*.yaml")):
        term = load_term(path.stem)
        if term.get("abbreviation") and not any(
                h.endswith(f"glossary/#{term['id']}") for h in search(page, term["abbreviation"])):
            missed.append(f"{term['abbreviation']} ({term['id']})")
    assert not missed, "search does not find these terms by their abbreviation: " + ", ".join(missed)


@dataclass
class Visit:
    """What the browser saw while opening the pages."""
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def visit(browser: Browser, default_url: str) -> Iterator[Visit]:
    """Open each page of PAGES once, recording every request and every console or page error."""
    seen = Visit()
    context = browser.new_context()
    page = context.new_page()
    page.on("request", lambda request: seen.requests.append(request.url))
    page.on("console", lambda msg: seen.errors.append(f"{page.url}: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda error: seen.errors.append(f"{page.url}: {error}"))
    for path in PAGES:
        response = page.goto(default_url + path, wait_until="networkidle")
        assert response is not None and response.ok, f"{path}: {response and response.status}"
    yield seen
    context.close()


def test_no_request_leaves_the_host(visit: Visit) -> None:
    """Every request of every page goes to 127.0.0.1: no fonts, scripts or trackers from elsewhere."""
    assert visit.requests
    foreign = [url for url in visit.requests if not url.startswith("data:") and urlsplit(url).hostname != "127.0.0.1"]
    assert not foreign, foreign


def test_no_console_errors(visit: Visit) -> None:
    """No page logs an error or throws."""
    assert not visit.errors, visit.errors


def test_glossary_anchor(page: Page, default_url: str) -> None:
    """A link to a glossary entry lands on that entry."""
    page.goto(default_url + "glossary/#mql")
    entry = page.locator("#mql")
    expect(entry).to_contain_text("Marketing qualified lead")
    expect(entry).to_be_in_viewport()


def test_glossary_letter_index(page: Page, default_url: str) -> None:
    """Each letter of the glossary's index is a link to the terms that start with that letter."""
    page.goto(default_url + "glossary/")
    links = page.locator('article a[href^="#letter-"]:not(.headerlink)')
    expect(links.first).to_be_visible()
    for link in links.all():
        letter, target = link.inner_text().strip(), link.get_attribute("href") or ""
        link.click()
        expect(page.locator(target)).to_be_in_viewport()
        first_term = page.locator(f"h2{target} + h3").inner_text().strip()
        assert first_term.upper().startswith(letter), f"index letter {letter!r} leads to {first_term!r}"


# --- A playbook with hostile text ----------------------------------------------------------

def hostile_playbook(root: Path) -> Path:
    """A copy of the mini playbook with markup and script in four kinds of text."""
    playbook = root / "hostile"
    shutil.copytree(MINI, playbook)

    def edit(name: str, change: Callable[[dict[str, Any]], None]) -> None:
        path = playbook / name
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")

    edit("stages/learning.yaml", lambda d: d.update(name=HOSTILE))
    edit("terms/lead.yaml", lambda d: d.update(definition=HOSTILE))
    edit("personas/buyer.yaml", lambda d: d.update(name=HOSTILE))
    edit("assets/guide.yaml", lambda d: d.update(talking_points=[HOSTILE]))
    return playbook


def test_hostile_text_stays_text(page: Page, build_site: Callable[..., Path], serve: Callable[[Path], str],
                                 tmp_path: Path) -> None:
    """Markup in the YAML runs nowhere, not even in search results, and reads as the text it is."""
    site = build_site(playbook=hostile_playbook(tmp_path))
    base = serve(site)
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    assert "stages/learning/index.html" in pages
    for path in pages:
        page.goto(base + path)
        assert page.evaluate("window.__xss") is None, f"script ran on {path}"
        expect(page.locator("article.md-content__inner")).to_be_visible()
    # Where each hostile text is shown, it reads as itself, titles included.
    shown = {"stages/learning/": ["h1", "li"], "glossary/": ["p"], "personas/": ["h2"], "assets/": ["li"]}
    for path, tags in shown.items():
        page.goto(base + path)
        for tag in tags:
            expect(page.locator(tag, has_text="window.__xss=1").first).to_be_visible()
        expect(page.locator("article img")).to_have_count(0)
        expect(page.locator('a[href^="javascript:"]')).to_have_count(0)
    expect(page.locator("article.md-content__inner").get_by_text(HOSTILE).first).to_be_visible()
    page.goto(base + "stages/learning/")
    assert HOSTILE in page.title() and page.locator("h1").first.inner_text().startswith("1. " + HOSTILE[:20])
    for query in ["procurement", "anvils"]:  # results whose titles or text hold the hostile strings
        assert search(page, query), query
        assert page.evaluate("window.__xss") is None, f"search results for {query!r} ran a script"
