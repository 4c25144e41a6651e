"""Edit on every entry: with repo_url and edit_uri set, each generated entry links "Suggest a
change" to the edit page of its own YAML file, and each hand-written page (Material's edit
button) to its Markdown file; generated pages have no edit button to a file that does not exist."""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

import pytest
from conftest import REPO, SITE_CONFIG, make_project, run_mkdocs

BASE = "https://git.tallybright.example/revenue/sales-playbook/edit/main/"
EDIT = re.compile(r'<p class="pb-edit"[^>]*><a href="([^"]+)"')
EDIT_BUTTON = re.compile(r'href="([^"]+)" title="Edit this page"')


def site_pages(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*.html")}


def test_every_entry_links_to_its_own_file(default_site: Path) -> None:
    pages = site_pages(default_site)
    linked = Counter(url for html in pages.values() for url in EDIT.findall(html))
    files = sorted(p.relative_to(REPO).as_posix() for p in (REPO / "playbook").rglob("*.yaml")
                   if p.name != "playbook.yaml")
    # Each entry's file, once, at the address of its edit page; and nothing else.
    assert linked == Counter({BASE + f: 1 for f in files})
    assert len(files) > 100
    # The link sits with its entry: the glossary's MQL links to mql.yaml right under its heading.
    glossary = pages["glossary/index.html"]
    heading = glossary.index('id="mql"')
    assert glossary.index(BASE + "playbook/terms/mql.yaml") - heading < 600
    stage = pages["stages/scoping/index.html"]
    assert BASE + "playbook/stages/scoping.yaml" in stage


def test_hand_written_pages_have_the_edit_button_and_generated_pages_do_not(default_site: Path) -> None:
    pages = site_pages(default_site)
    assert EDIT_BUTTON.findall(pages["propose-a-change/index.html"]) == [BASE + "docs/propose-a-change.md"]
    for page in ("glossary/index.html", "stages/scoping/index.html", "finder/index.html", "assets/index.html"):
        assert EDIT_BUTTON.findall(pages[page]) == [], page


def test_without_an_edit_address_no_entry_has_the_link(tmp_path: Path) -> None:
    """No repo_url, or one that is not https (MkDocs itself refuses javascript:), or an edit_uri
    that does not end with the docs folder: no link is made up."""
    for extra in ("", "repo_url: http://git.example/acme/playbook\nedit_uri: edit/main/docs/\n",
                  "repo_url: https://example.com/acme/playbook\nedit_uri: blob/main/\n"):
        project = make_project(tmp_path / f"p{len(extra)}", config=SITE_CONFIG + extra)
        result = run_mkdocs(project, "build", "--strict")
        assert result.returncode == 0, result.stderr[-2000:]
        html = "".join(site_pages(project / "site").values())
        assert "pb-edit" not in html and "Suggest a change" not in html, extra


def test_an_entry_reached_through_a_link_inside_the_repository_names_the_file_it_leads_to(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each folder is resolved and listed once per build: a file that is itself a link, a folder
    that is a link, and a file outside the repository are told as resolving each whole path tells
    them, and so they are when a folder cannot be listed."""
    from types import SimpleNamespace

    from generator.site.links import edit_link, editing

    repo = tmp_path / "repo"
    (repo / "playbook" / "assets").mkdir(parents=True)
    (repo / "playbook" / "assets" / "real.yaml").write_text("id: real\n")
    (repo / "playbook" / "assets" / "alias.yaml").symlink_to("real.yaml")
    (repo / "playbook" / "linked").symlink_to("assets", target_is_directory=True)
    (tmp_path / "outside.yaml").write_text("id: outside\n")
    (repo / "playbook" / "assets" / "away.yaml").symlink_to(tmp_path / "outside.yaml")

    def shown(path: Path) -> str:
        return edit_link(SimpleNamespace(origin=SimpleNamespace(path=str(path))))

    names = ("assets/real.yaml", "assets/alias.yaml", "linked/real.yaml", "linked/alias.yaml", "assets/away.yaml",
             "assets/real.yaml")
    with editing(BASE, repo):
        links = [shown(repo / "playbook" / name) for name in names]

    def unlisted(path: object) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(os, "scandir", unlisted)
    with editing(BASE, repo):
        assert [shown(repo / "playbook" / name) for name in names] == links
    assert all("its file is playbook/assets/real.yaml)" in link for link in links[:4] + links[5:]), links
    assert links[4] == "", links[4]
    assert EDIT.search(links[2]).group(1) == BASE + "playbook/assets/real.yaml"  # type: ignore[union-attr]
