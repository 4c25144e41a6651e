"""The vocabulary on every page: terms found in text (word boundaries, case where it matters),
"used in" on the glossary, topics, coverage with its warnings, and in Chromium the definition on
hover and on tap, on generated and hand-written pages, with code, links and headings left alone."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import FIXTURES, REPO, SITE_CONFIG, make_project, run_mkdocs
from htmltext import read_site
from playwright.sync_api import Browser, Page, expect

from generator.model.build import build_playbook
from generator.model.entities import Term
from generator.site.pages.vocabulary import Vocabulary, used_in

pytest_plugins = ["browser_fixtures"]  # serve, browser, page, default_url

PLAYBOOK = str(Path(sys.executable).parent / "playbook")


def term(id: str, name: str, abbreviation: str | None = None, aliases: tuple[str, ...] = (),
         link: str | None = None) -> Term:
    return Term(id=id, source="", name=name, abbreviation=abbreviation, aliases=aliases, definition="d",
                example=None, not_to_be_confused_with=(), related=(), lifecycle_state=None, owner="both", link=link)


VOCABULARY = Vocabulary([term("sal", "Sales accepted lead", "SAL"),
                         term("lead", "Lead", aliases=("prospect",), link="always"),
                         term("sql", "Sales qualified lead", "SQL"), term("closed-lost", "Closed lost")])


def found(text: str) -> list[tuple[str, str]]:
    return [(m.term, text[m.start:m.end]) for m in VOCABULARY.find(text)]


def test_words_and_case() -> None:
    assert found("The SAL gets a salary, not a sal.") == [("sal", "SAL")]
    assert found("Two SALs and one sales accepted lead.") == [("sal", "SALs"), ("sal", "sales accepted lead")]
    assert found("A LEAD, a lead, a Prospect.") == [("lead", "LEAD"), ("lead", "lead"), ("lead", "Prospect")]
    # The longest name wins; names do not run across punctuation; hyphens join words.
    assert found("Sales qualified lead") == [("sql", "Sales qualified lead")]
    assert found("sales qualified, lead") == [("lead", "lead")]
    assert found("It was closed-lost.") == [("closed-lost", "closed-lost")]
    assert found("mislead leads") == []


def test_linear_in_the_text() -> None:
    """A million-word text with hundreds of terms is read once: the work is counted in lookups."""
    terms = [term(f"t{i}", f"word{i} other{i}", f"AB{i}") for i in range(500)]
    vocabulary = Vocabulary(terms)
    text = " ".join(f"word{i % 700} other{i % 700}" for i in range(50_000))
    assert sum(1 for _ in vocabulary.find(text)) == sum(1 for i in range(50_000) if i % 700 < 500)


def test_used_in_follows_a_changed_text_and_a_changed_term(tmp_path: Path) -> None:
    """The terms each entry uses are remembered between builds (as under `mkdocs serve`), by the
    entry's texts and the terms: a changed text, or a changed term, is scanned again."""
    root = tmp_path / "playbook"
    shutil.copytree(REPO / "playbook", root)
    first = used_in(build_playbook(root))
    asset = root / "assets" / "roi-calculator.yaml"
    assert "roi-calculator" not in {a.id for a in first.get("churn", {}).get("asset", [])}
    asset.write_text(asset.read_text(encoding="utf-8").replace("description: >-\n",
                                                                "description: >-\n  Churn shows here.\n", 1),
                     encoding="utf-8")
    changed = used_in(build_playbook(root))
    assert "roi-calculator" in {a.id for a in changed["churn"]["asset"]}
    # A term renamed: the same texts no longer use it under its old name.
    term_file = root / "terms" / "churn.yaml"
    term_file.write_text(re.sub(r"(?m)^name: .*$", "name: Attrition of logos", term_file.read_text(encoding="utf-8"),
                                count=1), encoding="utf-8")
    renamed = used_in(build_playbook(root))
    assert "roi-calculator" not in {a.id for a in renamed.get("churn", {}).get("asset", [])}


def test_used_in_and_topics_on_the_glossary(default_site: Path) -> None:
    playbook = build_playbook(REPO / "playbook")
    uses = used_in(playbook)
    assert "learning" in [s.id for s in uses["mql"]["stage"]] and uses["mql"]["lifecycle"][0].id == "mql"
    pages = read_site(default_site)
    text = pages["glossary/index.html"].text
    assert "By topic¶" in text and "The lead and opportunity lifecycle¶" in text
    assert "Topic: The lead and opportunity lifecycle" in text
    entry = text[text.index("Marketing qualified lead (MQL)¶"):]
    entry = entry[:entry.index("Owner:")]
    assert "Used in: stages: Learning; " in entry
    assert "; lifecycle states: Marketing qualified lead, " in entry and "; handoffs: " in entry


def test_coverage_page_and_warnings(tmp_path: Path, build_site: Callable[..., Path]) -> None:
    playbook = tmp_path / "playbook"
    shutil.copytree(FIXTURES / "mini", playbook)
    buyer = playbook / "personas" / "buyer.yaml"
    buyer.write_text(buyer.read_text(encoding="utf-8").replace("stages: [learning]", "stages: [learning, adoption]"),
                     encoding="utf-8")
    guide = playbook / "assets" / "guide.yaml"
    guide.write_text(guide.read_text(encoding="utf-8").replace("stages: [learning, adoption]", "stages: [learning]"),
                     encoding="utf-8")
    result = subprocess.run([PLAYBOOK, "validate", str(playbook)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert f"{playbook}/personas/buyer.yaml:12:20: warning: stages[1]: no asset is written for this persona in " \
           "stage 'adoption': add one for them (personas: [...] in the asset), or take the stage off this persona" \
           in result.stdout
    site = build_site(playbook=playbook)
    page = read_site(site)["coverage/index.html"]
    assert "Bea, the Buyer 1 none ⚠" in page.text
    assert "../finder/?stage=learning&persona=buyer" in page.links
    assert "../finder/?stage=adoption&type=e-book" in page.links


# --- In the browser ------------------------------------------------------------------------

@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


def test_hover_shows_the_definition_on_a_generated_page(page: Page, default_url: str) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(default_url + "stages/learning/", wait_until="networkidle")
    term = page.locator("a.pb-term", has_text="MQL").first
    expect(term).to_have_attribute("data-pb-term", "mql")
    term.hover()
    pop = page.locator(".pb-term-pop")
    expect(pop).to_be_visible()
    expect(pop).to_contain_text("Marketing qualified lead (MQL)")
    assert urlsplit(pop.locator("a").get_attribute("href") or "").path.endswith("/glossary/")
    # Only the first use of each term on a page, once every text has been read.
    expect(page.locator("article[data-pb-terms='linked']")).to_have_count(1, timeout=20_000)
    ids = [t.get_attribute("data-pb-term") for t in page.locator("a.pb-term").all()]
    assert len(ids) == len(set(ids)) and len(ids) >= 5
    assert not errors, errors


def test_tap_shows_then_follows_on_a_phone(phone: Page, default_url: str) -> None:
    phone.goto(default_url + "lifecycle/", wait_until="networkidle")
    term = phone.locator("a.pb-term").first
    term.scroll_into_view_if_needed()
    term.tap()
    expect(phone.locator(".pb-term-pop")).to_be_visible()
    assert urlsplit(phone.url).path.endswith("/lifecycle/")
    term.tap()
    phone.wait_for_url("**/glossary/#*")


def test_hand_written_page_code_links_and_headings_left_alone(page: Page, tmp_path: Path,
                                                              serve: Callable[[Path], str]) -> None:
    project = make_project(tmp_path / "p", docs={"notes.md": (
        "# Notes on a Lead\n\n`Lead` in code, and [a Lead](https://example.com) in a link.\n\n"
        "## Lead in a heading\n\nEvery LD counts. A lead, then another lead.\n")}, config=SITE_CONFIG)
    result = run_mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    page.goto(serve(project / "site") + "notes/", wait_until="networkidle")
    terms = page.locator("article a.pb-term")
    expect(terms).to_have_count(1)
    expect(terms).to_have_text("LD")
    expect(page.locator("article code a.pb-term, article h1 a.pb-term, article h2 a.pb-term")).to_have_count(0)
    terms.hover()
    expect(page.locator(".pb-term-pop")).to_contain_text("A person who asked to hear from us.")


def test_hostile_definition_stays_text(page: Page, tmp_path: Path, serve: Callable[[Path], str]) -> None:
    playbook = tmp_path / "pb"
    shutil.copytree(FIXTURES / "mini", playbook)
    lead = playbook / "terms" / "lead.yaml"
    lead.write_text(lead.read_text(encoding="utf-8").replace(
        "definition: A person who asked to hear from us.",
        "definition: '<img src=x onerror=\"window.__xss=1\"> <b>bold</b>'"), encoding="utf-8")
    project = make_project(tmp_path / "p", playbook, docs={"notes.md": "# Notes\n\nEvery LD counts.\n"})
    assert run_mkdocs(project, "build", "--strict").returncode == 0
    page.goto(serve(project / "site") + "notes/", wait_until="networkidle")
    page.locator("a.pb-term").hover()
    expect(page.locator(".pb-term-pop")).to_contain_text('<img src=x onerror="window.__xss=1"> <b>bold</b>')
    assert page.evaluate("window.__xss") is None
    assert page.locator(".pb-term-pop img, .pb-term-pop b").count() == 0


def test_coverage_cell_opens_the_finder_on_it(page: Page, default_url: str) -> None:
    page.goto(default_url + "coverage/")
    cell = page.locator("#stages-and-personas ~ .pb-coverage td a").first
    cell.click()
    page.wait_for_url("**/finder/?stage=*&persona=*")
    count = page.locator("[data-pb-count]")
    # Once the finder's data has arrived, it counts the assets of that stage and persona.
    expect(count).to_have_text(re.compile(r"^([1-9][0-9]* assets? match(es)?|No asset.*)$"))
    query = page.evaluate("location.search")
    for facet in ("stage", "persona"):
        value = re.search(facet + r"=([a-z0-9-]+)", query)
        assert value is not None, query
        expect(page.locator(f'[data-pb-facets] [data-pb-filter="{facet}"] .pb-chip[data-value="{value.group(1)}"]')
               ).to_have_attribute("aria-pressed", "true")


def _texts_as_first_written(data: object) -> Iterator[str]:
    # The recursive walk "Used in" first had: the same texts in the same order.
    if isinstance(data, str):
        yield data
    elif isinstance(data, (tuple, list)):
        for item in data:
            yield from _texts_as_first_written(item)
    elif hasattr(data, "__dataclass_fields__"):
        for name in data.__dataclass_fields__:
            if name not in ("id", "source", "link"):
                yield from _texts_as_first_written(getattr(data, name))


def test_the_texts_of_every_entry_are_those_the_recursive_walk_finds_in_its_order() -> None:
    from generator.model.build import build_playbook
    from generator.site.pages.vocabulary import texts_of

    playbook = build_playbook(REPO / "playbook")
    entries = [*playbook.stages, *playbook.lifecycle, *playbook.handoffs, *playbook.assets, *playbook.personas]
    walked = 0
    for entry in entries:
        expected = list(_texts_as_first_written(entry))
        assert texts_of(entry) == expected
        walked += len(expected)
    assert walked > 1000


def test_the_terms_kept_for_each_entry_are_those_found_again_after_every_kind_of_edit() -> None:
    from dataclasses import replace

    from generator.model.build import build_playbook
    from generator.model.entities import Term
    from generator.site.pages import vocabulary

    playbook = build_playbook(REPO / "playbook")
    asset = playbook.assets[0]
    edits = [
        playbook,
        # Agreed values written out otherwise: the texts that name them read otherwise.
        replace(playbook, settings=replace(playbook.settings, values=tuple(
            replace(v, value=f"{v.value} for the {playbook.terms[-1].name}") for v in playbook.settings.values))),
        # A talking point that names a term it did not name.
        replace(playbook, assets=(replace(asset, talking_points=(*asset.talking_points, "Ask about the ICP.")),
                                  *playbook.assets[1:])),
        # A new term, named in texts that did not change.
        replace(playbook, terms=(*playbook.terms, Term(id="call-new", source="t.yaml", name="call", abbreviation=None,
                                                      aliases=(), definition="A conversation.", example=None,
                                                      not_to_be_confused_with=(), related=(), lifecycle_state=None,
                                                      owner="sales", group=None, link="always"))),
    ]
    found = []
    for edited in edits:
        kept = used_in(edited)
        vocabulary._ENTRY_USES.clear()
        vocabulary._USES.clear()
        assert kept == used_in(edited)
        found.append(kept)
    assert [found[n] != found[0] for n in (1, 2, 3)] == [True, True, True]


def test_what_a_rebuild_keeps_for_a_playbook_of_10000_entities_fits_in_its_bounds(tmp_path: Path) -> None:
    # Kept entries that do not fit are dropped and found again at every rebuild: the bound must
    # hold the largest playbook the benchmark measures, by the sizes counted for a smaller one.
    from benchmarks.synth import write_playbook
    from generator.model.build import build_playbook
    from generator.site import static
    from generator.site.pages import vocabulary

    project = write_playbook(tmp_path / "project", 400, 5)
    playbook = build_playbook(project / "playbook")
    vocabulary._ENTRY_USES.clear()
    static._CARDS.clear()
    used_in(playbook)
    static.finder_texts(playbook)
    entries = len(playbook.stages) + len(playbook.lifecycle) + len(playbook.handoffs) + len(playbook.assets)
    assert len(vocabulary._ENTRY_USES) == entries and len(static._CARDS) == len(playbook.assets) > 300
    from generator.model import export_texts
    from generator.rules.validate import check

    loaded, _ = check(project / "playbook")
    export_texts._PARTS.clear()
    export_texts.export_texts(loaded)
    files = 1 + sum(len(docs) for docs in loaded.documents.values())
    assert len(export_texts._PARTS) == files
    for cache, count in ((vocabulary._ENTRY_USES, entries), (static._CARDS, len(playbook.assets)),
                         (export_texts._PARTS, files)):
        assert cache.size / count * 10_000 < cache.budget * 0.8, (cache.size, count, cache.budget)
