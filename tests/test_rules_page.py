"""The site's Rules page and the list of rules on "How to propose a change": every rule of the
registry is described, with its examples, and linked from the page contributors read."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import yaml
from conftest import FIXTURES

from generator.model.build import build_playbook
from generator.rules.registry import documented
from generator.site.render import render_pages


def _text(page: Path) -> str:
    return html.unescape(page.read_text(encoding="utf-8"))


def test_every_rule_has_its_section_with_its_examples(default_site: Path) -> None:
    page = _text(default_site / "rules" / "index.html")
    docs = documented()
    assert len(docs) > 50
    for doc in docs:
        section = re.search(rf'<h3 id="{re.escape(doc.rule.id)}">.*?(?=<h[23] id=|\Z)', page, re.S)
        assert section is not None, doc.rule.id
        shown = section.group()
        assert f"{doc.rule.level.capitalize()}</strong> by default" in shown, doc.rule.id
        assert ("can be changed" if doc.rule.adjustable else "cannot be changed") in shown, doc.rule.id
        for example in doc.examples:
            for file in example.files:
                assert f"<code>{file.path}</code>" in shown, (doc.rule.id, file.path)
                assert file.text.rstrip("\n") in shown, (doc.rule.id, file.text)


def test_propose_a_change_links_each_rule_to_its_section(default_site: Path) -> None:
    page = _text(default_site / "propose-a-change" / "index.html")
    linked = re.findall(r'<a href="\.\./rules/#([a-z0-9-]+)"><code>\1</code></a>', page)
    assert linked == [doc.rule.id for doc in documented()]
    assert "<!-- playbook:rules -->" not in page


def test_the_page_says_which_levels_this_playbook_changed(tmp_path: Path) -> None:
    root = tmp_path / "playbook"
    shutil.copytree(FIXTURES / "mini", root)
    settings = yaml.safe_load((root / "playbook.yaml").read_text(encoding="utf-8"))
    adjustable = [doc.rule for doc in documented() if doc.rule.adjustable and not doc.rule.on_change]
    off, raised = adjustable[0], next(r for r in adjustable if r.level == "warning" and r is not adjustable[0])
    settings["rules"] = {off.id: "off", raised.id: "error"}
    (root / "playbook.yaml").write_text(yaml.safe_dump(settings, sort_keys=False), encoding="utf-8")
    page = html.unescape(render_pages(build_playbook(root, tmp_path / "no-docs"))["rules.md"])
    sections = dict(re.findall(r"### ([a-z0-9-]+) \{ #\1 \}\n(.*?)(?=\n### |\n## |\Z)", page, re.S))
    assert set(sections) == {doc.rule.id for doc in documented()}
    assert "off in this playbook" in sections[off.id]
    assert "error in this playbook" in sections[raised.id]
    assert sum("in this playbook" in text for text in sections.values()) == 2


def test_the_page_made_once_for_the_same_levels_is_the_page_for_those_levels() -> None:
    from generator.site.pages import rules

    rule = next(doc.rule for doc in documented() if doc.rule.adjustable and doc.rule.level == "warning")
    rules._rules_markdown.cache_clear()
    plain = rules.rules_markdown({})
    raised = rules.rules_markdown({rule.id: "error"})
    assert raised != plain and raised.count("error in this playbook") == 1
    # Taken again for the same levels, however they are given; a level that is not text is none.
    assert rules.rules_markdown({rule.id: "error", "x": 3}) == raised
    assert rules.rules_markdown({rule.id: ["error"]}) == plain
    assert rules.rules_markdown({}) == plain
    assert rules._rules_markdown.cache_info().hits == 3
