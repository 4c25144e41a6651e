"""Real sites built with `mkdocs build --strict` from fixture playbooks and the default one."""

from __future__ import annotations

import json
import posixpath
import subprocess
import sys
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from conftest import FIXTURES, REPO, SITE_CONFIG, make_project, run_mkdocs
from htmltext import Page, read_site
from pagefind_index import pagefind_pages

from generator.model.build import build_playbook
from generator.rules.validate import check
from generator.rules.values import expand
from generator.site.navigation import SECTIONS
from generator.site.render import render_pages
from generator.site.safe_text import plain_title
from generator.site.static import SCRIPTS, export_files, static_files
from generator.site.urls import GENERATED

PAGES_OF = {"stages": "stages/{id}/index.html", "lifecycle": "lifecycle/index.html",
            "handoffs": "lifecycle/index.html", "terms": "glossary/index.html",
            "personas": "personas/index.html", "assets": "assets/index.html", "metrics": "metrics/index.html"}


def entities(playbook: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """(folder, data) for every entity file of a playbook."""
    for folder in PAGES_OF:
        for path in sorted((playbook / folder).glob("*.yaml")):
            yield folder, yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def agreed_values(playbook: Path) -> dict[str, str]:
    """The agreed values playbook.yaml declares: id -> text, as written or taken from a number field
    (the Agreed values tests check those words)."""
    return build_playbook(playbook).values


def leaves(value: Any) -> Iterator[str]:
    """Every scalar in a YAML value, as the text written in the file."""
    if isinstance(value, dict):
        for item in value.values():
            yield from leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from leaves(item)
    else:
        yield " ".join(str(value).split())


def check_links(site: Path, pages: dict[str, Page]) -> list[str]:
    """Every relative link that does not reach an existing page and anchor."""
    broken = []
    for name, page in pages.items():
        if name == "404.html":  # links there are absolute on purpose: it is served at any depth
            continue
        for href in page.links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href.startswith("mailto:"):
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name), parts.path)) if parts.path else name
            if target.endswith("/") or (site / target).is_dir() or not posixpath.splitext(target)[1]:
                target = posixpath.join(target, "index.html")
            if target not in pages and not (site / target).exists():
                broken.append(f"{name}: {href}")
            elif parts.fragment and target in pages and parts.fragment not in pages[target].ids:
                broken.append(f"{name}: {href} (no such anchor)")
    return broken


def test_mini_site_has_every_page_and_entity(build_site: Callable[..., Path]) -> None:
    site = build_site()
    pages = read_site(site)
    for folder, data in entities(FIXTURES / "mini"):
        page = pages[PAGES_OF[folder].format(id=data["id"])]
        assert data["id"] in page.ids, (folder, data["id"])
    glossary = pages["glossary/index.html"].text
    assert "Lead (LD)" in glossary and "Also called: prospect record" in glossary
    assert "Not to be confused with Contact: A contact is anyone in the CRM." in glossary
    stage = pages["stages/learning/index.html"].text
    assert "Anvil buyer's guide" in stage and "Most buyers overpay by a third. Copy" in stage
    assert "Bea, the Buyer: Head of Procurement (economic buyer)" in stage
    lifecycle = pages["lifecycle/index.html"].text
    assert "Service level: within 4 business hours: Accept or reject the lead." in lifecycle
    assert "Not ready to buy. Lead" in lifecycle
    assert "It does not qualify: A badge scan with no conversation." in lifecycle
    assert check_links(site, pages) == []


class Navigation(HTMLParser):
    """The site's navigation as Material prints it in the sidebar: a page at the top as
    (title, href), a section as (title, [(title, href), ...]); the table of contents left out."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[tuple[str, Any]] = []
        self._navs: list[str] = []  # the <nav> elements open here, innermost last
        self._text: list[str] | None = None
        self._href = ""
        self._section = False  # in a section's <li> at the top, before its first page
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "nav":
            self._navs.append("primary" if "md-nav--primary" in classes else
                              "toc" if "md-nav--secondary" in classes else "section")
        if not self._navs or self._navs[0] != "primary" or "toc" in self._navs:
            return
        top = len(self._navs) == 1
        if tag == "li" and top:
            self._section = "md-nav__item--nested" in classes
        elif "md-nav__link" in classes and (tag == "a" or (tag == "label" and top and self._section)):
            self._text, self._href = [], dict(attrs).get("href") or ""

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("a", "label") and self._text is not None:
            title, self._text = " ".join("".join(self._text).split()), None
            if tag == "label":
                self.items.append((title, []))
            elif len(self._navs) == 1:
                self.items.append((title, self._href))
            else:
                self.items[-1][1].append((title, self._href))
        elif tag == "nav" and self._navs:
            self._navs.pop()


def nav_titles(site: Path, page: str = "index.html") -> list[tuple[str, Any]]:
    """The navigation of a built page, by title alone: a page's title, or (section, [titles])."""
    items = Navigation((site / page).read_text(encoding="utf-8")).items
    return [(title, [t for t, _ in pages]) if isinstance(pages, list) else title for title, pages in items]


GENERATED_NEW_HERE = ["Start here", "Lifecycle and handoffs", "Glossary", "Shared goals", "Who is who"]
GENERATED_FOR_AUTHORS = ["Coverage", "Needs review", "Recent changes", "Agreed values", "Rules of the checks"]


def test_default_site_navigation_is_by_audience(default_site: Path) -> None:
    stages = sorted(build_playbook(REPO / "playbook").stages, key=lambda s: s.order)
    on_a_call = [(f"{s.order}. {s.name}", f"stages/{s.id}/") for s in stages] + [
        ("Find an asset", "finder/"), ("Assets", "assets/"), ("Personas", "personas/")]
    assert Navigation((default_site / "index.html").read_text(encoding="utf-8")).items == [
        ("Home", "."),
        ("On a call", on_a_call),
        ("New here", list(zip(GENERATED_NEW_HERE, ["start-here/", "lifecycle/", "glossary/", "metrics/", "about/"],
                              strict=True))),
        ("For authors", [("How to propose a change", "propose-a-change/"), *zip(
            GENERATED_FOR_AUTHORS, ["coverage/", "review/", "changes/", "values/", "rules/"], strict=True),
            ("Benchmark", "benchmark/")]),
    ]
    # The same on every page, a stage page and a later Assets page included.
    for page in ("stages/scoping/index.html", "start-here/index.html", "rules/index.html"):
        assert nav_titles(default_site, page) == nav_titles(default_site), page


def test_every_generated_page_has_one_section() -> None:
    listed = [page for pages in SECTIONS.values() for page in pages]
    assert len(listed) == len(set(listed)) and set(GENERATED) <= set(listed)


def test_navigation_in_a_site_of_its_own_keeps_hand_written_pages(build_site: Callable[..., Path]) -> None:
    """A site using the plugin with pages of its own and no nav: they end "For authors", except a
    page the site keeps out of the navigation; a page the plugin names takes its place."""
    config = SITE_CONFIG + "not_in_nav: |\n  /notes.md\n"
    site = build_site(config=config, docs={
        "index.md": "# Welcome\n\n<!-- playbook:overview -->\n",
        "how-to-propose.md": "# How we propose a change\n\nOpen a pull request.\n",
        "team/handbook.md": "# Handbook\n\nHow we work.\n",
        "propose-a-change.md": "# How to propose a change\n\nAsk both teams.\n",
        "notes.md": "# Notes\n\nKept out of the navigation.\n"})
    assert nav_titles(site) == [
        "Home",
        ("On a call", ["1. Learning", "2. Adoption", "Find an asset", "Assets", "Personas"]),
        ("New here", GENERATED_NEW_HERE),
        ("For authors", ["How to propose a change", *GENERATED_FOR_AUTHORS, "How we propose a change", "Handbook"]),
    ]
    assert (site / "notes" / "index.html").is_file()
    text = read_site(site)["index.html"].text
    assert "The mini playbook for tests." in text and "The stages at a glance" in text
    assert "<!-- playbook:overview -->" not in (site / "index.html").read_text(encoding="utf-8")


def test_a_site_with_a_nav_of_its_own_keeps_it(build_site: Callable[..., Path]) -> None:
    config = SITE_CONFIG.replace("  omitted_files: warn\n", "") + \
        "nav:\n  - Welcome: index.md\n  - Words: glossary.md\n  - Buying: [stages/learning.md]\n"
    site = build_site(config=config, docs={"index.md": "# Welcome\n"})
    assert nav_titles(site) == ["Welcome", "Words", ("Buying", ["1. Learning"])]


def test_default_site_shows_every_entity_and_every_value(default_site: Path) -> None:
    pages = read_site(default_site)
    corpus = " ".join(page.text for page in pages.values())
    lowered = corpus.lower()
    all_ids = {data["id"] for _, data in entities(REPO / "playbook")}
    missing = []
    values = agreed_values(REPO / "playbook")
    for folder, data in entities(REPO / "playbook"):
        if data["id"] not in pages[PAGES_OF[folder].format(id=data["id"])].ids:
            missing.append(f"{folder}/{data['id']}: no anchor")
        for value in (expand(leaf, values) for leaf in leaves(data)):  # shown with the values it names
            shown = (value, value.replace("-", " "), plain_title(value),
                     f"{int(value):,}" if value.isdigit() else value)
            if value not in all_ids and not any(form in corpus for form in shown) \
                    and value.replace("-", " ").lower() not in lowered:
                missing.append(f"{folder}/{data['id']}: {value[:60]}")
    assert missing == []
    settings = yaml.load((REPO / "playbook" / "playbook.yaml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    assert " ".join(settings["introduction"].split()) in pages["index.html"].text
    assert check_links(default_site, pages) == []


def test_default_site_lists_read_as_lists(default_site: Path) -> None:
    glossary = read_site(default_site)["glossary/index.html"].text
    lifecycle = read_site(default_site)["lifecycle/index.html"].text
    terms = {data["id"]: data for folder, data in entities(REPO / "playbook") if folder == "terms"}
    states = {data["id"]: data for folder, data in entities(REPO / "playbook") if folder == "lifecycle"}
    for term in terms.values():
        if term.get("aliases"):
            assert "Also called: " + "; ".join(term["aliases"]) in glossary
        if term.get("related"):
            assert "Related: " + ", ".join(terms[r]["name"] for r in term["related"]) in glossary
    for state in states.values():
        names = ", ".join(states[n]["name"] for n in state["next_states"]) or "none"
        assert "Next states: " + names + ("; final state: records end here" if state.get("final") else "") in lifecycle


def test_default_site_search_index_has_names_abbreviations_and_aliases(default_site: Path) -> None:
    # The default site searches with Pagefind: its index holds each glossary page's text and headings.
    pages = [p for p in pagefind_pages(default_site) if p["url"].startswith("/glossary/")]
    headings = {a["id"]: a["text"] for page in pages for a in page["anchors"]}
    text = " ".join(page["content"] for page in pages)
    for _, term in (e for e in entities(REPO / "playbook") if e[0] == "terms"):
        assert term["name"] in headings[term["id"]]
        if term.get("abbreviation"):
            assert term["abbreviation"] in headings[term["id"]]
        for alias in term.get("aliases", []):
            assert alias in text, alias
    # The theme's own index, never fetched with Pagefind, is left empty: no page is read for it.
    index = json.loads((default_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["docs"] == [] and index["config"]


def test_default_site_loads_nothing_from_other_hosts(default_site: Path) -> None:
    for name, page in read_site(default_site).items():
        for tag, attrs in page.tags:
            values = dict(attrs)
            source = values.get("src") if tag in ("script", "img", "iframe") else (
                values.get("href") if tag == "link" else None)
            assert not (source and urlsplit(source).netloc), f"{name}: <{tag}> loads {source}"


ATTACK = ('<script>window.__x=1</script> <img src=x onerror=alert(1)> [a](javascript:alert(2)) '
          '<a href="javascript:alert(3)">b</a> {: onclick="alert(4)" } **bold** {{ 7*7 }} {% raw %}'
          '\n\n--8<-- "secret.txt"\n\n--8<--\nsecret.txt\n--8<--\n\n*[Lead]: PWNED-ABBR\n\n'
          '<div onmouseover="alert(5)">x</div>\n\n    indented code\n\n# heading\n\n| a | b |\n|---|---|\n')

DANGEROUS = SITE_CONFIG.replace("  - admonition\n", """\
  - admonition
  - abbr
  - md_in_html
  - def_list
  - pymdownx.snippets:
      base_path: ['.', '/']
      check_paths: false
  - pymdownx.magiclink
  - pymdownx.betterem
  - pymdownx.emoji
""")


def poison(playbook: Path) -> int:
    """Append the attack to every free-text value of every file that accepts it; returns how many."""
    paths = [playbook / "playbook.yaml"] + sorted(playbook.glob("*/*.yaml"))
    originals = {p: p.read_text(encoding="utf-8") for p in paths}

    def walk(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: (v if k in ("id", "link") else walk(v)) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        return value + " " + ATTACK if isinstance(value, str) else value

    for path in paths:
        data = yaml.load(originals[path], Loader=yaml.BaseLoader)
        path.write_text(yaml.safe_dump(walk(data), allow_unicode=True), encoding="utf-8")
    # Fields with a closed form (enums, dates, references) refuse the attack; restore those.
    for _ in range(5):
        problems = check(playbook)[1]
        if not problems:
            break
        for file in {p.file for p in problems}:
            path = Path(file)
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            fresh = yaml.load(originals[path], Loader=yaml.BaseLoader)
            for problem in (p for p in problems if p.file == file):
                restore(data, fresh, problem.path)
            path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert check(playbook)[1] == []
    flat = " ".join(ATTACK.split())
    return sum(flat in leaf for p in paths
               for leaf in leaves(yaml.safe_load(p.read_text(encoding="utf-8"))))


def restore(data: Any, fresh: Any, path: str) -> None:
    keys: list[Any] = []
    for part in path.replace("]", "").replace("[", ".").split("."):
        keys.append(int(part) if part.isdigit() else part)
    for key in keys[:-1]:
        data, fresh = data[key], fresh[key]
    data[keys[-1]] = fresh[keys[-1]]
    if isinstance(fresh[keys[-1]], str) and fresh[keys[-1]].isdigit():
        data[keys[-1]] = int(fresh[keys[-1]])
    elif fresh[keys[-1]] in ("true", "false"):  # read as text by the base loader
        data[keys[-1]] = fresh[keys[-1]] == "true"


def test_attack_in_every_field_stays_text(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", config=DANGEROUS)
    (project / "secret.txt").write_text("TOPSECRET-CONTENT", encoding="utf-8")
    poisoned = poison(project / "playbook")
    assert poisoned > 60
    result = run_mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    pages = read_site(project / "site")
    for name, page in pages.items():
        assert "TOPSECRET" not in (project / "site" / name).read_text(encoding="utf-8"), name
        for tag, attrs in page.tags:
            for attr, value in attrs:
                assert not attr.startswith("on"), f"{name}: <{tag} {attr}>"
                assert not (value or "").strip().lower().startswith("javascript:"), f"{name}: {attr}={value}"
            assert tag not in ("abbr", "img", "div") or ("PWNED" not in str(attrs)), name
        assert not any("__x" in script for script in page.scripts), name
    stage = pages["stages/learning/index.html"].text
    assert '<script>window.__x=1</script>' in stage and '--8<-- "secret.txt"' in stage
    assert "*[Lead]: PWNED-ABBR" in stage and "{{ 7*7 }}" in stage
    # The site's name (from playbook.yaml, poisoned too) is in the logo's title attribute, as text;
    # an abbreviation would be an <abbr> element carrying the definition.
    assert all(tag != "abbr" for page in pages.values() for tag, _ in page.tags)


def test_relative_asset_link_reaches_the_file_from_every_page(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", docs={"files/guide.txt": "the guide\n"})
    guide = project / "playbook" / "assets" / "guide.yaml"
    text = guide.read_text(encoding="utf-8")
    guide.write_text(text.replace("https://assets.acme.example/guide", "files/guide.txt"), encoding="utf-8")
    result = run_mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    pages = read_site(project / "site")
    assert "../../files/guide.txt" in pages["stages/learning/index.html"].links
    assert "../files/guide.txt" in pages["assets/index.html"].links
    assert check_links(project / "site", pages) == []
    (project / "docs" / "files" / "guide.txt").unlink()
    result = run_mkdocs(project, "build", "--strict")
    assert result.returncode == 1
    assert ("playbook/assets/guide.yaml:8:7: link: 'files/guide.txt' is not a file in docs/: "
            "add the file there, or link to its https:// address") in result.stderr


def test_generated_page_cannot_be_shadowed(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", docs={"glossary.md": "# Mine\n"})
    result = run_mkdocs(project, "build", "--strict")
    assert result.returncode == 1
    assert "These files are generated from the playbook; remove them from" in result.stderr
    assert "glossary.md" in result.stderr


def test_build_fails_with_the_same_problem_list(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    guide = project / "playbook" / "assets" / "guide.yaml"
    guide.write_text(guide.read_text(encoding="utf-8").replace("[learning, adoption]", "[learnin, adoption]"),
                     encoding="utf-8")
    result = run_mkdocs(project, "build", "--strict")
    assert result.returncode == 1
    assert ("playbook/assets/guide.yaml:5:10: stages[0]: 'learnin' is not a known stage "
            "(did you mean 'learning'?)") in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_render_writes_markdown_that_plain_mkdocs_builds(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", docs={"index.md": "# Home\n\n<!-- playbook:overview -->\n",
                                                  "extra.md": "# Extra\n"})
    out = project / "out"
    result = subprocess.run([str(Path(sys.executable).parent / "playbook"), "render", "out"], cwd=project,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    expected = render_pages(build_playbook(project / "playbook"))
    for uri, markdown in expected.items():
        assert (out / uri).read_text(encoding="utf-8") == markdown
    home = (out / "index.md").read_text(encoding="utf-8")
    assert home.startswith("# Home\n") and "## The stages at a glance" in home
    static = static_files(build_playbook(project / "playbook"))
    assert set(static) == {f"assets/playbook/{name}" for name in
                           ("playbook.css", "finder.json", "finder-data.js", "glossary.json", "glossary-data.js",
                            *SCRIPTS)}
    for uri, content in static.items():
        assert (out / uri).read_text(encoding="utf-8") == content
    downloads = export_files(project / "playbook")
    assert (out / "downloads" / "playbook.json").read_text(encoding="utf-8") == downloads["downloads/playbook.json"]
    assert result.stdout == f"{len(expected) + len(static) + len(downloads) + 2} files written to out\n"
    without = SITE_CONFIG.replace("  - playbook:\n      site_name: true\n", "")
    plain = without.replace("docs_dir", "") + "docs_dir: out\n"
    (project / "plain.yml").write_text(plain, encoding="utf-8")
    built = run_mkdocs(project, "build", "--strict", "-f", "plain.yml", "-d", "plain-site")
    assert built.returncode == 0, built.stderr
    assert "Anvil buyer" in (project / "plain-site" / "assets" / "index.html").read_text(encoding="utf-8")
