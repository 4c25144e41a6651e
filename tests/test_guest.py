"""The plugin as a guest in a site of its own: a host with its own about page, title and menu,
the navigation plugins, redirects, tags, privacy and offline plugins Material sites use; the
generated pages under a folder of the host's choosing; and the scripts where Material takes them:
instant navigation, and a site opened from file:// (Material's offline plugin). Built strictly,
and looked at in Chromium."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import REPO, make_project, run_mkdocs
from playwright.sync_api import Browser, expect

pytest_plugins = ["browser_fixtures"]  # serve, browser

HOST_PAGES = {
    "index.md": "# Acme handbook\n\nWelcome to the handbook.\n",
    "about.md": "---\ntags: [company]\n---\n# About Acme\n\nThe host's own about page.\n",
    "guides/sales.md": "# How we sell\n\nThe playbook at a glance:\n\n<!-- playbook:overview -->\n",
}
EXTENSIONS = """markdown_extensions: [attr_list, tables, admonition, {toc: {permalink: true}}]
validation: {omitted_files: warn, absolute_links: warn, unrecognized_links: warn, anchors: warn}
"""
# A host site as Material sites are made: its own name, menu plugin, redirects, tags, privacy
# and offline. Privacy would fetch the offline plugin's script from a CDN: the host excludes it.
HOST = """site_name: Acme Handbook
site_url: https://handbook.acme.example/
theme:
  name: material
  font: false
  features: [navigation.sections]
plugins:
  - search
  - tags
  - awesome-nav
  - redirects:
      redirect_maps:
        old-about.md: about.md
  - privacy:
      assets_exclude: ["unpkg.com/*"]
  - offline
  - playbook:
      prefix: sales/playbook
""" + EXTENSIONS


def build(tmp_path: Path, config: str, docs: dict[str, str], playbook: Path = REPO / "playbook") -> Path:
    project = make_project(tmp_path / "host", playbook, config, docs)
    result = run_mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    warnings = [line for line in result.stderr.splitlines() if re.match(r"^WARNING\s+-", line)]
    assert not warnings, warnings
    return project / "site"


@pytest.fixture(scope="module")
def host_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("guest"), HOST, HOST_PAGES)


def title(page: Path) -> str:
    found = re.search(r"<title>([^<]*)</title>", page.read_text(encoding="utf-8"))
    assert found, page
    return found.group(1)


def test_the_host_keeps_its_pages_title_and_name(host_site: Path) -> None:
    assert title(host_site / "about.html") == "About Acme - Acme Handbook"
    assert "The host&#39;s own about page." in (host_site / "about.html").read_text(encoding="utf-8") or \
        "The host's own about page." in (host_site / "about.html").read_text(encoding="utf-8")
    # The playbook's pages are under the folder the host chose, named by the host's site.
    assert title(host_site / "sales" / "playbook" / "finder.html") == "Find an asset - Acme Handbook"
    assert title(host_site / "sales" / "playbook" / "index.html") == "Tallybright Sales Playbook - Acme Handbook"
    for page in ("about.html", "glossary.html", "stages/scoping.html", "start-here.html"):
        assert (host_site / "sales" / "playbook" / page).is_file(), page
    assert not (host_site / "glossary.html").exists() and not (host_site / "finder.html").exists()
    # The other plugins did their work.
    assert "about.html" in (host_site / "old-about.html").read_text(encoding="utf-8")
    assert (host_site / "tags.json").is_file() or "company" in (host_site / "about.html").read_text(encoding="utf-8")


def test_every_link_from_and_into_the_folder_leads_to_a_page(host_site: Path) -> None:
    """Links of the host's page with the overview marker lead into the folder; the playbook's
    pages link to each other and to their scripts inside it."""
    broken: list[str] = []
    checked = 0
    for page in [host_site / "guides" / "sales.html", *(host_site / "sales" / "playbook").glob("*.html"),
                 host_site / "sales" / "playbook" / "stages" / "scoping.html"]:
        html = page.read_text(encoding="utf-8")
        for href in re.findall(r'(?:href|src)="([^"#?]+)', html):
            if re.match(r"^[a-z]+:", href) or href.startswith("//"):
                continue
            target = (page.parent / unquote(href)).resolve()
            checked += 1
            if not (target.is_file() or (target / "index.html").is_file()):
                broken.append(f"{page.relative_to(host_site)} -> {href}")
    assert checked > 500 and not broken, broken[:10]
    sales = (host_site / "guides" / "sales.html").read_text(encoding="utf-8")
    assert 'href="../sales/playbook/stages/scoping.html"' in sales


def test_a_site_opened_from_file_works(browser: Browser, host_site: Path) -> None:
    """Material's offline plugin makes a site to open from disk, where fetch() is refused: the
    finder's and the glossary's data come as scripts."""
    page = browser.new_page()
    folder = (host_site / "sales" / "playbook").as_uri()
    page.goto(f"{folder}/finder.html")
    expect(page.locator("[data-pb-count]")).to_have_text(re.compile(r"^\d+ assets match$"))
    assert page.locator("[data-pb-results] .pb-card").count() == 24
    page.goto(f"{folder}/stages/scoping.html")
    expect(page.locator("a.pb-term").first).to_be_attached()
    expect(page.locator('[data-pb-filter="persona"] .pb-chip').first).to_be_visible()
    page.goto((host_site / "guides" / "sales.html").as_uri())  # the host's own page is explained too
    expect(page.locator("a.pb-term").first).to_be_attached()
    page.close()


def test_without_a_nav_plugin_the_playbook_is_one_section_of_the_hosts_menu(tmp_path: Path) -> None:
    config = HOST.replace("  - awesome-nav\n", "").replace("  - offline\n", "")
    site = build(tmp_path, config, HOST_PAGES, REPO / "tests" / "fixtures" / "mini")
    html = (site / "about" / "index.html").read_text(encoding="utf-8")
    nav = html[html.index('<nav class="md-nav md-nav--primary"'):]
    # The host's pages first, as MkDocs lists them, then the playbook as one section with its own.
    for words in ("About Acme", "How we sell", "On a call", "New here", "For authors"):
        assert words in nav, words
    assert nav.index("About Acme") < nav.index("On a call") < nav.index("New here") < nav.index("For authors")
    assert 'href="../sales/playbook/finder/"' in nav


def test_a_prefix_that_is_not_a_folder_is_refused(tmp_path: Path) -> None:
    project = make_project(tmp_path / "bad", REPO / "tests" / "fixtures" / "mini",
                           HOST.replace("prefix: sales/playbook", "prefix: ../outside"), HOST_PAGES)
    result = run_mkdocs(project, "build", "--strict")
    assert result.returncode != 0
    assert "prefix '../outside' is not a folder of the site" in result.stdout + result.stderr


INSTANT = """site_name: Instant
site_url: {url}
theme:
  name: material
  font: false
  features: [navigation.instant, navigation.sections]
plugins:
  - search
  - playbook
""" + EXTENSIONS


def test_the_scripts_run_after_instant_navigation(browser: Browser, tmp_path: Path,
                                                   serve: Callable[[Path], str]) -> None:
    """With navigation.instant, Material swaps the page without loading the scripts again: each
    script still sets up the new page (chips, finder, terms)."""
    # Material navigates instantly only within site_url: the site is served first, then built there.
    (tmp_path / "served").mkdir()
    base = serve(tmp_path / "served")
    site = build(tmp_path, INSTANT.replace("{url}", base), {})
    (tmp_path / "served").rmdir()
    site.rename(tmp_path / "served")
    page = browser.new_page()
    page.goto(base, wait_until="networkidle")
    page.evaluate("window.__samePage = true")  # gone if the browser loads a page anew
    page.locator("nav.md-nav--primary a[href$='stages/scoping/']").first.click()
    page.wait_for_url("**/stages/scoping/")
    expect(page.locator("[data-pb-filters]")).to_be_visible()
    expect(page.locator("a.pb-term").first).to_be_attached()
    page.locator("nav.md-nav--primary a[href$='finder/']").first.click()
    page.wait_for_url("**/finder/")
    expect(page.locator("[data-pb-results] .pb-card").first).to_be_visible()
    page.locator("nav.md-nav--primary a[href$='glossary/']").first.click()
    page.wait_for_url("**/glossary/")
    expect(page.locator("article a.pb-term").first).to_be_attached()
    assert page.evaluate("window.__samePage") is True
    assert urlsplit(page.url).path.endswith("/glossary/")
    page.close()


def test_literate_nav_keeps_the_menu(tmp_path: Path) -> None:
    """literate-nav makes the menu from the host's SUMMARY.md: the plugin leaves it to it, and the
    strict build passes with the playbook's pages under their folder (a host that lists pages by
    hand says whether pages left out of its menu should warn)."""
    config = HOST.replace("  - awesome-nav\n", "  - literate-nav:\n      nav_file: SUMMARY.md\n").replace(
        "  - offline\n", "").replace("omitted_files: warn", "omitted_files: info")
    summary = "* [Home](index.md)\n* [About Acme](about.md)\n* [Sales playbook](sales/playbook/index.md)\n"
    site = build(tmp_path, config, {**HOST_PAGES, "SUMMARY.md": summary}, REPO / "tests" / "fixtures" / "mini")
    html = (site / "about" / "index.html").read_text(encoding="utf-8")
    nav = html[html.index('<nav class="md-nav md-nav--primary"'):]
    assert "Sales playbook" in nav and "About Acme" in nav and "On a call" not in nav
    assert (site / "sales" / "playbook" / "glossary" / "index.html").is_file()
