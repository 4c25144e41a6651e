"""The glossary links jargon, not everyday words: abbreviations and names of more than one word
name a term; a name of one everyday word ("Company", "won") only when the term says `link:
always`; nothing inside an address. The site's script, the "Used in" lists and the change
summary's impact follow the one rule (generator/source/term_words.py), and the pop-up ends at a
word with a link to the whole entry."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FIXTURES
from playwright.sync_api import Browser, expect

from generator.changes.diff import compare
from generator.model.build import build_playbook
from generator.source.term_words import Vocabulary, everyday

pytest_plugins = ["browser_fixtures"]  # serve, browser, page, default_url

GLOSSARY_JS = Path(__file__).resolve().parents[1] / "generator" / "site" / "theme" / "glossary.js"
TERMS = [("account", "Account", None, ("Company",), None), ("won", "Closed won", None, ("Won",), None),
         ("mql", "Marketing qualified lead", "MQL", (), None), ("lead", "Lead", None, (), "always"),
         ("score", "Lead score", None, ("Score",), None)]
TEXT = ("The company won an MQL, see https://example.com/MQL/lead-score or www.example.com/closed-won; "
        "then the Lead score of a lead, and Closed won.")
EXPECTED = [("mql", "MQL"), ("score", "Lead score"), ("won", "Closed won")]  # lead: after its first use


def test_which_names_are_everyday() -> None:
    assert [n for n in ("Company", "won", "Deal", "Opp", "BANT", "DQ", "Lead score", "Hand-raiser", "B2B", "MEDDIC")
            if everyday(n)] == ["Company", "won", "Deal", "Opp"]


def test_jargon_is_found_and_everyday_words_and_addresses_are_not() -> None:
    found = [(m.term, TEXT[m.start:m.end]) for m in Vocabulary(TERMS).find(TEXT)]
    assert found == [("mql", "MQL"), ("score", "Lead score"), ("lead", "lead"), ("won", "Closed won")]


def test_the_script_follows_the_same_rule(tmp_path: Path) -> None:
    node = shutil.which("node")
    assert node is not None, "node is missing: install it (apt-get install nodejs) to run this test"
    terms = [{"id": i, "name": n, "abbreviation": a, "aliases": list(al), "link": link, "url": f"glossary/#{i}"}
             for i, n, a, al, link in TERMS]
    script = tmp_path / "run.js"
    script.write_text(f"""const g = require({json.dumps(str(GLOSSARY_JS))});
const v = g.index({json.dumps(terms)}, 'https://playbook.test/');
const text = {json.dumps(TEXT)};
const long = 'Word '.repeat(100) + 'incomprehensibilities';
console.log(JSON.stringify({{ found: g.matches(text, v, new Set(['lead'])).map(([s, e, id]) => [id, text.slice(s, e)]),
  cut: g.shortened(long, 320), whole: g.shortened('Short.', 320) }}));
""", encoding="utf-8")
    result = subprocess.run([node, str(script)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert [tuple(f) for f in out["found"]] == EXPECTED
    assert out["cut"].endswith("Word…") and len(out["cut"]) <= 320 and out["whole"] == "Short."


def _edit(path: Path, **fields: Any) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.update(fields)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def test_a_renamed_term_touches_only_the_entries_that_name_it(tmp_path: Path) -> None:
    base, head = tmp_path / "base", tmp_path / "head"
    shutil.copytree(FIXTURES / "mini", base)
    shutil.copytree(FIXTURES / "mini", head)
    _edit(head / "terms" / "contact.yaml", name="Deal desk", aliases=["Desk"])
    _edit(head / "stages" / "adoption.yaml", summary="The customer uses the product with the deal desk.")
    _edit(head / "stages" / "learning.yaml", summary="The buyer learns at https://example.com/deal-desk today.")
    _edit(head / "personas" / "buyer.yaml", summary="Signs the order at the desk.")

    def touched() -> dict[str, list[str]]:
        changes = compare(build_playbook(base), build_playbook(head))
        return next(c for c in changes if c.kind == "term" and c.entry.id == "contact").impact

    refers = {"term": ["Lead (LD)"]}  # the lead term refers to contact by its id
    assert touched() == {"stage": ["Adoption"], **refers}
    _edit(head / "terms" / "contact.yaml", link="always")
    assert touched() == {"stage": ["Adoption"], "persona": ["Bea, the Buyer"], **refers}


@pytest.mark.parametrize("path", ["stages/learning/", "lifecycle/"])
def test_the_site_links_jargon_only(browser: Browser, default_url: str, path: str) -> None:
    page = browser.new_page()
    try:
        page.goto(default_url + path, wait_until="networkidle")
        # The links are made a slice at a time: read them once every text has been read.
        expect(page.locator("article[data-pb-terms='linked']")).to_have_count(1, timeout=20_000)
        links = page.locator("article a.pb-term")
        expect(links.first).to_be_visible()
        found = {(link.get_attribute("data-pb-term"), link.inner_text().casefold()) for link in links.all()}
        names = {text for _, text in found}
        assert not names & {"company", "won", "deal", "account", "contact", "handover"}, found
        assert not any("://" in text or text.startswith("www") for text in names)
        ids = {id for id, _ in found}
        assert {"mql", "sal"} <= ids, found
        if path == "lifecycle/":
            assert "lead-score" in ids, found
        term = page.locator("article a.pb-term[data-pb-term='mql']").first
        term.hover()
        pop = page.locator(".pb-term-pop")
        expect(pop).to_be_visible()
        definition = pop.locator("p").inner_text()
        assert definition.endswith(("…", ".")) and not definition.endswith(" …"), definition
        if definition.endswith("…"):
            assert definition[-2].isalnum() or definition[-2] in ")'\"", definition
        expect(pop.locator("a")).to_have_text("More")
        assert (pop.locator("a").get_attribute("href") or "").endswith("#mql")
    finally:
        page.close()
