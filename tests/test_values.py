"""Agreed values: declared once in playbook.yaml, named in any text as [[id]], shown as the value
linked to where it is defined; unknown or mistaken names are located problems; a value used in ten
places changes everywhere at once and is one change in the semantic diff; hostile text in a value
and around a reference stays inert."""

from __future__ import annotations

import contextlib
import copy
import io
import json
import posixpath
import re
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from conftest import FIXTURES, REPO, SITE_CONFIG, make_project, run_mkdocs
from htmltext import Page, read_site
from test_attacks import RISKY_SITE, SECRET, Baseline, convert, converter, leaks

from generator.changes.comment import markdown
from generator.changes.diff import compare
from generator.commands import cli
from generator.model.build import build_playbook
from generator.model.from_documents import build_model
from generator.rules.validate import check
from generator.rules.values import Use, names, strings, uses
from generator.site.render import render_home, render_pages
from generator.site.safe_text import inline
from generator.source.loader import load_playbook

VALUES = [{"id": "discount", "value": "10 %", "description": "The most an account executive gives alone."},
          {"id": "size-rule", "value": "200 or more employees or at least 500 supplier invoices a month"},
          {"id": "unused", "value": "42"}]
# Ten texts in ten entries, each naming the discount: (file, field path).
TEN_PLACES: list[tuple[str, tuple[str | int, ...]]] = [
    ("stages/learning.yaml", ("sales_activities", 0)), ("stages/adoption.yaml", ("summary",)),
    ("lifecycle/lead.yaml", ("qualifies", 0)), ("lifecycle/won.yaml", ("definition",)),
    ("handoffs/lead-to-won.yaml", ("receiver_checks", 0)), ("terms/contact.yaml", ("definition",)),
    ("terms/lead.yaml", ("definition",)), ("personas/buyer.yaml", ("objections", 0, "response")),
    ("assets/guide.yaml", ("talking_points", 0)), ("metrics/win-rate.yaml", ("definition",)),
]


# A playbook to change -----------------------------------------------------------------------------


def _files() -> dict[str, tuple[str, Any]]:
    """The mini playbook: path -> (its first line, its data)."""
    found = {}
    for path in sorted((FIXTURES / "mini").rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        header = text.split("\n", 1)[0] + "\n" if text.startswith("#") else ""
        found[path.relative_to(FIXTURES / "mini").as_posix()] = (header, yaml.safe_load(text))
    return found


def _set(data: Any, place: tuple[str | int, ...], value: Any) -> None:
    for key in place[:-1]:
        data = data[key]
    data[place[-1]] = value


def _write(root: Path, files: dict[str, tuple[str, Any]]) -> Path:
    for relative, (header, data) in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False,
                                                             width=10**6), encoding="utf-8")
    return root


def playbook_with_values(root: Path, discount: str = "10 %", values: list[dict[str, str]] | None = None,
                         texts: dict[tuple[str, tuple[str | int, ...]], str] | None = None) -> Path:
    """The mini playbook with agreed values, the discount named in ten places ("Place N uses
    [[discount]] here."), the introduction naming the size rule, and any other texts given."""
    files = _files()
    declared = copy.deepcopy(values if values is not None else VALUES)
    for value in declared:
        if value["id"] == "discount":
            value["value"] = discount
    files["playbook.yaml"][1]["values"] = declared
    files["playbook.yaml"][1]["introduction"] = "We sell to companies with [[size-rule]]."
    for number, (relative, place) in enumerate(TEN_PLACES, start=1):
        _set(files[relative][1], place, f"Place {number} uses [[discount]] here.")
    for (relative, place), text in (texts or {}).items():
        _set(files[relative][1], place, text)
    return _write(root, files)


def _render(root: Path) -> dict[str, str]:
    playbook = build_playbook(root)
    pages = render_pages(playbook)
    pages["index.md"] = render_home(playbook)
    return pages


def _validate(root: Path) -> list[str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        cli.main(["validate", str(root), "--docs", str(root / "no-docs")])
    return out.getvalue().splitlines()


def _place(root: Path, relative: str, needle: str) -> str:
    """'file:line:column' of the first character of the YAML value holding needle."""
    lines = (root / relative).read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines) if needle in line)
    line = lines[number]
    start = line.index("- ") + 2 if line.lstrip().startswith("- ") else line.index(": ") + 2
    return f"{root / relative}:{number + 1}:{start + 1}"


# Rendering --------------------------------------------------------------------------------------


def test_a_reference_is_the_value_linked_to_where_it_is_defined_in_playbook_render(tmp_path: Path) -> None:
    pages = _render(playbook_with_values(tmp_path / "playbook"))
    stage = pages["stages/learning.md"]
    # Text around it as character references, the value too, in a link from the stage page.
    assert 'Place 1 uses <a class="pb-value" href="../../values/#value-discount">10 &#37;</a> here&#46;' in stage
    assert '<a class="pb-value" href="../values/#value-discount">10 &#37;</a>' in pages["glossary.md"]
    assert '<a class="pb-value" href="values/#value-size-rule">200 or more employees or at least 500 supplier ' \
           'invoices a month</a>' in pages["index.md"]
    values = pages["values.md"]
    assert "## discount { #value-discount }" in values and "**10 &#37;**" in values
    assert "The most an account executive gives alone&#46;" in values
    assert "`[[discount]]`" in values and "## unused { #value-unused }" in values
    assert "no text names it yet" in values.split("{ #value-unused }")[1]
    used = values.split("{ #value-discount }")[1].split("{ #value-size-rule }")[0]
    for target in ("stages/learning.md", "stages/adoption.md", "lifecycle.md#lead", "lifecycle.md#won",
                   "lifecycle.md#lead-to-won", "glossary.md#contact", "glossary.md#lead", "personas.md#buyer",
                   "assets.md#guide", "metrics.md#win-rate"):
        assert f"]({target})" in used, target
    # The page's script and the glossary hover show the value as text.
    from generator.site.static import static_files
    static = static_files(build_playbook(tmp_path / "playbook"))
    finder = json.loads(static["assets/playbook/finder.json"])
    assert finder["assets"][0]["talking_points"] == ["Place 9 uses 10 % here."]
    glossary = json.loads(static["assets/playbook/glossary.json"])
    assert {t["id"]: t["definition"] for t in glossary["terms"]}["contact"] == "Place 6 uses 10 % here."


def test_an_unknown_reference_renders_as_written_without_a_crash(tmp_path: Path) -> None:
    playbook = build_model(load_playbook(playbook_with_values(
        tmp_path / "playbook", texts={("stages/learning.yaml", ("summary",)): "Up to [[nothing-here]] off."})))
    stage = render_pages(playbook)["stages/learning.md"]
    assert "Up to &#91;&#91;nothing&#45;here&#93;&#93; off&#46;" in stage
    assert inline("[[discount]]") == "&#91;&#91;discount&#93;&#93;"  # outside a page: text as written


def _links_resolve(site: Path, page: str, html_text: str) -> list[str]:
    """Each link to a value on a page: its target page exists and has the anchor. Returns the hrefs."""
    hrefs = re.findall(r'<a class="pb-value" href="([^"]*)">', html_text)
    for href in hrefs:
        parts = urlsplit(href)
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), parts.path))
        target = posixpath.join(target, "index.html")
        assert (site / target).is_file(), (page, href)
        assert f'id="{parts.fragment}"' in (site / target).read_text(encoding="utf-8"), (page, href)
    return hrefs


@pytest.fixture(scope="module")
def value_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("values")
    values = [{**VALUES[0], "description": "The most an account executive gives alone, never [[unused]]."},
              *VALUES[1:]]
    root = playbook_with_values(tmp / "playbook", values=values, texts={
        # Names and titles: shown in headings, links, cards and the page's <title>.
        ("stages/learning.yaml", ("name",)): "Learning under [[discount]]",
        ("assets/guide.yaml", ("title",)): "Guide to [[discount]] off",
        ("personas/buyer.yaml", ("name",)): "Bea, who wants [[discount]]",
        ("stages/learning.yaml", ("summary",)): "The buyer learns about [[discount]].",
        ("assets/guide.yaml", ("use_when",)): "the buyer asks for [[discount]] off",
    })
    docs = {"guide/intro.md": "# Intro\n\nThe overview:\n\n<!-- playbook:overview -->\n"}
    project = make_project(tmp / "project", root, SITE_CONFIG, docs)
    built = run_mkdocs(project, "build", "--strict")
    assert built.returncode == 0, built.stdout + built.stderr
    return project / "site"


def test_the_site_shows_values_linked_from_stage_generated_and_hand_written_pages(value_site: Path) -> None:
    read = {p.relative_to(value_site).as_posix(): p.read_text(encoding="utf-8") for p in value_site.rglob("*.html")}
    stage = read["stages/learning/index.html"]
    assert "Place 1 uses <a class=\"pb-value\" href=\"../../values/#value-discount\">10 %</a> here." in stage
    assert _links_resolve(value_site, "stages/learning/index.html", stage)
    assert _links_resolve(value_site, "glossary/index.html", read["glossary/index.html"])
    assert _links_resolve(value_site, "assets/index.html", read["assets/index.html"])
    # A hand-written page two folders down, through the overview marker.
    intro = read["guide/intro/index.html"]
    assert _links_resolve(value_site, "guide/intro/index.html", intro) == ["../../values/#value-size-rule"]
    assert "We sell to companies with 200 or more employees or at least 500 supplier invoices a month." in \
        Page(intro).text
    values = Page(read["values/index.html"])
    assert {"value-discount", "value-size-rule", "value-unused"} <= values.ids
    assert "10 % The most an account executive gives alone, never 42." in values.text
    assert _links_resolve(value_site, "values/index.html", read["values/index.html"]) == ["./#value-unused"]
    assert "Used in: agreed values: discount (description)" in values.text
    assert "Used in: pages: Home (introduction)" in values.text
    # Names: the page's <title>, the navigation and the table of contents hold the value as text.
    assert "<title>1. Learning under 10 % - " in stage
    assert "Learning under [[discount]]" not in " ".join(read.values())
    assert "Guide to 10 % off" in Page(read["assets/index.html"]).text


class _Nesting(HTMLParser):
    """Counts links inside links, and links to values in the navigation and table of contents."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.nested = 0
        self.in_nav = 0
        self.value_links_in_nav = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "nav":
            self.in_nav += 1
        if tag == "a":
            self.nested += self.depth > 0
            self.depth += 1
            self.value_links_in_nav += self.in_nav > 0 and ("class", "pb-value") in attrs

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self.depth = max(0, self.depth - 1)
        if tag == "nav":
            self.in_nav = max(0, self.in_nav - 1)


def _nesting(html_text: str) -> _Nesting:
    found = _Nesting()
    found.feed(html_text)
    return found


def test_no_link_to_a_value_inside_another_link(value_site: Path, tmp_path: Path) -> None:
    # Cards, chips, links to entries, the stage cards of the home page: the value is text there.
    for name, page in read_site(value_site).items():
        raw = (value_site / name).read_text(encoding="utf-8")
        found = _nesting(raw)
        assert found.nested == 0, name
        assert found.value_links_in_nav == 0, name
        assert name == "values/index.html" or "[[discount]]" not in page.text, name
    home = (value_site / "index.html").read_text(encoding="utf-8")
    assert re.search(r'pb-stage-card__summary">The buyer learns about 10 %\.</span>', home)
    # The same for `playbook render`, as Python-Markdown makes it.
    root = playbook_with_values(tmp_path / "playbook", texts={
        ("stages/learning.yaml", ("name",)): "Learning under [[discount]]",
        ("personas/buyer.yaml", ("name",)): "Bea, who wants [[discount]]",
        ("stages/learning.yaml", ("summary",)): "The buyer learns about [[discount]]."})
    md = converter(tmp_path)
    for name, text in _render(root).items():
        assert _nesting(convert(md, text)).nested == 0, name


# Validation -------------------------------------------------------------------------------------


def test_an_unknown_name_is_a_located_problem_with_did_you_mean(tmp_path: Path) -> None:
    root = playbook_with_values(tmp_path / "playbook", texts={
        ("stages/learning.yaml", ("exit_criteria", 0)): "Asked for [[discont]] off.",
        ("terms/contact.yaml", ("definition",)): "Anyone, [[Size Rule]] or not.",
        ("assets/guide.yaml", ("description",)): "A guide [[about-anvils]] and [[7*7]] and [[a] and [[[x.",
        ("handoffs/lead-to-won.yaml", ("sender",)): "[[ discount ]] desk",
    })
    lines = _validate(root)
    assert f"{_place(root, 'stages/learning.yaml', 'Asked for')}: exit_criteria[0]: '[[discont]]' is not a named " \
           "value (did you mean 'discount'?) [unknown-value]" in lines
    assert f"{_place(root, 'terms/contact.yaml', 'Anyone')}: definition: '[[Size Rule]]' is not how a named value " \
           "is written: write [[size-rule]] [malformed-value-reference]" in lines
    assert f"{_place(root, 'assets/guide.yaml', 'A guide')}: description: '[[about-anvils]]' is not a named value: " \
           "declare it under values in playbook.yaml, or use one that is declared there [unknown-value]" in lines
    assert f"{_place(root, 'handoffs/lead-to-won.yaml', 'desk')}: sender: '[[ discount ]]' is not how a named " \
           "value is written: write [[discount]] [malformed-value-reference]" in lines
    # Text in double brackets that is not a name is text: [[7*7]], [[a], [[[x.
    assert len([line for line in lines if "named value" in line]) == 4, lines


def test_mistakes_in_the_values_themselves(tmp_path: Path) -> None:
    values = [*VALUES, {"id": "discount", "value": "twice"}, {"id": "wrapper", "value": "up to [[discount]]"},
              {"id": "bad-name-x", "value": "[[Not a name]] here"}]
    root = playbook_with_values(tmp_path / "playbook", values=values,
                                texts={("stages/learning.yaml", ("summary",)): "[[no-values-here]]"})
    problems = [str(p) for p in check(root, root / "no-docs")[1] if not p.warning]
    assert any("values[3].id: 'discount' is already a named value: give each value its own id" in p for p in problems)
    assert any("values[4].value: a named value is written out in full: it cannot name another value" in p
               for p in problems)
    assert any("values[5].value: '[[Not a name]]' is not a reference to a named value: name one by its id" in p
               for p in problems)
    # Without any value declared, the message says where to declare one.
    bare = playbook_with_values(tmp_path / "bare", values=[], texts={})
    text = (bare / "playbook.yaml").read_text(encoding="utf-8").replace("values: []\n", "")
    (bare / "playbook.yaml").write_text(text, encoding="utf-8")
    problems = [str(p) for p in check(bare, bare / "no-docs")[1] if not p.warning]
    assert any(p.endswith("'[[discount]]' is not a named value: declare it under values in playbook.yaml, or write "
                          "the value out [unknown-value]") for p in problems), problems


def test_checking_references_is_linear_and_bounded(tmp_path: Path) -> None:
    root = playbook_with_values(tmp_path / "playbook", texts={
        ("stages/learning.yaml", ("buyer_goal",)): "[[" * 200_000,
        ("stages/adoption.yaml", ("buyer_goal",)): "[[a" * 100_000 + "]",
        ("terms/lead.yaml", ("example",)): "[[" + "x" * 300_000,
    })
    started = time.perf_counter()
    problems = check(root, root / "no-docs")[1]
    assert time.perf_counter() - started < 10
    assert [p for p in problems if not p.warning] == []
    # Many references to a long value: the texts as shown count against the file's budget.
    big = [{"id": "big", "value": "x" * 200}]
    heavy = playbook_with_values(tmp_path / "heavy", values=[*VALUES, *big], texts={
        ("terms/lead.yaml", ("example",)): "[[big]] " * 4_000})
    problems = [str(p) for p in check(heavy, heavy / "no-docs")[1] if not p.warning]
    assert any(re.search(r"terms/lead\.yaml:\d+:1: the texts of this file, with every named value written out, are "
                         "longer than 1,000,000 characters", p) for p in problems), problems
    # Long before that: a value named many times in a small file, the amplification of one file.
    punctuation = [{"id": "p", "value": "<&>'\"" * 40}]
    amplified = playbook_with_values(tmp_path / "amplified", values=[*VALUES, *punctuation], texts={
        ("terms/lead.yaml", ("example",)): "[[p]]" * 3_250})
    problems = [str(p) for p in check(amplified, amplified / "no-docs")[1] if not p.warning]
    assert any(re.search(r"terms/lead\.yaml:\d+:1: the texts of this file, with every named value written out "
                         r"\(each name counting 100 characters more, for its link\), are 99\d,\d{3} characters: more "
                         r"than 2 times their 16,\d{3} characters as written, plus 4,000", p)
               for p in problems), problems
    # Named a few times, the same value is fine.
    fine = playbook_with_values(tmp_path / "fine", values=[*VALUES, *punctuation], texts={
        ("terms/lead.yaml", ("example",)): "Up to [[p]] here, and [[p]] there, and a few words around them."})
    assert [str(p) for p in check(fine, fine / "no-docs")[1] if not p.warning] == []


# One value, ten places ----------------------------------------------------------------------------


def test_a_value_used_in_ten_places_changes_everywhere_and_is_one_change(tmp_path: Path) -> None:
    before = playbook_with_values(tmp_path / "before", discount="10 %")
    after = playbook_with_values(tmp_path / "after", discount="12 %")
    for root, shown, gone in ((before, "10 &#37;", "12 &#37;"), (after, "12 &#37;", "10 &#37;")):
        pages = _render(root)
        everything = "\n".join(pages.values())
        for number in range(1, 11):
            assert re.search(rf'Place {number} uses <a class="pb-value" href="[^"]*#value-discount">{shown}</a> '
                             r"here&#46;", everything), (root.name, number)
        assert gone not in everything
    changes = compare(build_playbook(before), build_playbook(after))
    # One change of the value, and the agreed definitions that show it (what both teams agreed to now
    # reads otherwise); the other texts that name it are the value's impact, not changes of their own.
    assert sorted((c.kind, c.status, c.entry.id) for c in changes) == [
        ("handoff", "changed", "lead-to-won"), ("lifecycle", "changed", "lead"), ("lifecycle", "changed", "won"),
        ("value", "changed", "discount")]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli.main(["diff", str(before), str(after)]) == 0
    comment = out.getvalue()
    assert comment == markdown(changes)
    assert comment.startswith("## 4 entries changed in the playbook: 4 changed; 3 agreed definitions among them\n")
    assert comment.count("\n### ") == 4 and "### Agreed value: discount · **owned by both teams**\n" in comment
    assert comment.count("(shown through the agreed value 'discount', whose text changed)") == 3
    assert "- Agreed values › discount: \\'10 \\%\\' → \\'12 \\%\\'\n" in comment
    assert "**Impact**: the texts of 2 stages, 2 lifecycle states, 1 handoff, 2 terms, 1 persona, 1 asset, " \
           "1 shared goal (10 in all) name this value, and show it:" in comment
    for line in ("- Stages: Adoption \\(summary\\), Learning \\(sales activities\\)",
                 "- Lifecycle states: Closed won \\(definition\\), Lead \\(qualifies\\)",
                 "- Handoffs: Marketing hands a lead to sales \\(receiver checks\\)",
                 "- Terms: Contact \\(definition\\), Lead \\(LD\\) \\(definition\\)",
                 "- Personas: Bea\\, the Buyer \\(objections\\)",
                 "- Assets: Anvil buyer\\'s guide \\(talking points\\)",
                 "- Shared goals: Win rate \\(definition\\)"):
        assert line + "\n" in comment, (line, comment)


def test_an_agreed_definition_showing_a_changed_value_is_agreed_again(tmp_path: Path) -> None:
    from datetime import date

    from generator.changes.signoff import Rules, signoff_count, signoff_problems
    from generator.rules.agreement import signers

    before = playbook_with_values(tmp_path / "before", discount="10 %")
    after = playbook_with_values(tmp_path / "after", discount="12 %")
    changes = compare(build_playbook(before), build_playbook(after))
    settings = load_playbook(before).settings
    rules = Rules(signers(settings.data if settings else None), date(2026, 11, 23))
    lines = [str(p) for p in signoff_problems(changes, rules)]
    assert signoff_count(changes) == 3 and len(lines) == 3, lines
    assert any(re.search(r"handoffs/lead-to-won\.yaml:\d+:\d+: agreed_by\.date: Handoff 'Marketing hands a lead to "
                         r"sales' was changed \(receiver checks\) through the agreed value 'discount', and agreed_by "
                         r"still holds the earlier agreement of 2026-01-15: both teams agree again", line)
               for line in lines), lines
    # Both teams agree again on each: the check passes.
    renewed = {(relative, ("agreed_by", "date")): "2026-11-23" for relative in
               ("lifecycle/lead.yaml", "lifecycle/won.yaml", "handoffs/lead-to-won.yaml")}
    again = playbook_with_values(tmp_path / "again", discount="12 %", texts=renewed)
    assert signoff_problems(compare(build_playbook(before), build_playbook(again)), rules) == []


def test_writing_a_reference_where_its_value_was_is_no_change(tmp_path: Path) -> None:
    before = playbook_with_values(tmp_path / "before", texts={
        ("stages/learning.yaml", ("summary",)): "Up to 10 % off, for companies with 200 or more employees or at "
                                                "least 500 supplier invoices a month.",
        ("lifecycle/lead.yaml", ("does_not_qualify", 0)): "A discount above 10 %."})
    after = playbook_with_values(tmp_path / "after", texts={
        ("stages/learning.yaml", ("summary",)): "Up to [[discount]] off, for companies with [[size-rule]].",
        ("lifecycle/lead.yaml", ("does_not_qualify", 0)): "A discount above [[discount]]."})
    assert compare(build_playbook(before), build_playbook(after)) == []
    # What a text shows did change: the diff quotes it as the site shows it, the value written out.
    changed = playbook_with_values(tmp_path / "changed", texts={
        ("stages/learning.yaml", ("summary",)): "Up to [[discount]] off, for everyone.",
        ("lifecycle/lead.yaml", ("does_not_qualify", 0)): "A discount above [[discount]]."})
    [change] = compare(build_playbook(before), build_playbook(changed))
    assert change.fields[0].summary.endswith("→ 'Up to 10 % off, for everyone.'")


def test_a_reference_added_or_a_value_renamed_in_the_diff(tmp_path: Path) -> None:
    before = playbook_with_values(tmp_path / "before")
    renamed = [{**v, "id": "ae-discount"} if v["id"] == "discount" else v for v in VALUES]
    after = playbook_with_values(tmp_path / "after", values=[*renamed, {"id": "new-one", "value": "7 days"}])
    # The texts still name the old id, so the head does not validate: it is built and compared all
    # the same, as the sign-off check builds a pull request's head.
    changes = compare(build_playbook(before), build_model(load_playbook(after)))
    kinds = sorted((c.kind, c.status, c.entry.id) for c in changes if c.kind == "value")
    assert kinds == [("value", "added", "new-one"), ("value", "renamed", "ae-discount")]
    assert not [c for c in changes if c.kind == "playbook"]  # the values are not also a settings change


# Hostile text -------------------------------------------------------------------------------------

HOSTILE_VALUE = ('<script>alert(1)</script> [x](javascript:alert(1)) --8<-- "secret.txt" *[X]: y '
                 '{: onclick="alert(1)" } <img src=x onerror=alert(1)> &amp; {{ 7*7 }}')
AROUND = ('<script>[[discount]]</script> [x]([[discount]]) [[[discount]]](javascript:alert(1)) '
          '--8<-- "[[discount]]" *[[[discount]]]: x {: onclick=[[discount]] } https://x.example/[[discount]]/y '
          'javascript:[[discount]] [[[[discount]] [[discount] [[a] <a href="[[discount]]">x</a>')


def _hostile_texts() -> dict[tuple[str, tuple[str | int, ...]], str]:
    return dict.fromkeys(TEN_PLACES, AROUND)


def _expected(value: str) -> str:
    return " ".join(AROUND.replace("[[discount]]", value).split())


def test_hostile_text_in_and_around_a_reference_stays_inert_in_markdown(tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text(SECRET + "\n", encoding="utf-8")
    plain = playbook_with_values(tmp_path / "plain", discount="ten percent")
    hostile = playbook_with_values(tmp_path / "hostile", discount=HOSTILE_VALUE, texts=_hostile_texts())
    assert [p for p in check(hostile, hostile / "no-docs")[1] if not p.warning] == []
    md = converter(tmp_path)
    baseline = Baseline()
    for text in _render(plain).values():
        baseline.learn(convert(md, text))
    found = []
    shown = []
    for uri, text in _render(hostile).items():
        html_text = convert(md, text)
        found.extend(leaks(html_text, baseline, uri))
        shown.append(Page(html_text).text)
    assert found == []
    corpus = " ".join(shown)
    assert corpus.count(_expected(" ".join(HOSTILE_VALUE.split()))) >= 10
    assert " ".join(HOSTILE_VALUE.split()) in corpus  # on the values page too


def test_the_judges_catch_a_value_written_as_it_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # With the value's escaping switched off, the same judges must find what it does.
    import generator.site.safe_text

    monkeypatch.setattr(generator.site.safe_text, "_value", lambda id, value, where, texts: value)
    plain = playbook_with_values(tmp_path / "plain", discount="ten percent")
    hostile = playbook_with_values(tmp_path / "hostile", discount=HOSTILE_VALUE)
    md = converter(tmp_path)
    baseline = Baseline()
    for text in _render(plain).values():
        baseline.learn(convert(md, text))
    found = [leak for uri, text in _render(hostile).items() for leak in leaks(convert(md, text), baseline, uri)]
    assert any("a script" in f for f in found) and any("event handler" in f for f in found), found


def test_hostile_text_in_and_around_a_reference_stays_inert_on_a_built_site(tmp_path: Path) -> None:
    sites = {}
    for name, discount, texts in (("plain", "ten percent", {}), ("hostile", HOSTILE_VALUE, _hostile_texts())):
        root = playbook_with_values(tmp_path / name / "source", discount=discount, texts=texts)
        project = make_project(tmp_path / name / "project", root, RISKY_SITE)
        (project / "secret.txt").write_text(SECRET + "\n", encoding="utf-8")
        built = run_mkdocs(project, "build", "--strict")
        assert built.returncode == 0, built.stdout + built.stderr
        sites[name] = project / "site"
    baseline = Baseline()
    scripts = {}
    for path in sites["plain"].rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        baseline.learn(text)
        scripts[path.relative_to(sites["plain"]).as_posix()] = (Page(text).scripts, text.lower().count("<script"))
    found = []
    corpus = []
    for path in sites["hostile"].rglob("*.html"):
        name = path.relative_to(sites["hostile"]).as_posix()
        text = path.read_text(encoding="utf-8")
        found.extend(leaks(text, baseline, name, scripts.get(name)))
        corpus.append(Page(text).text)
    assert found == []
    assert " ".join(corpus).count(_expected(" ".join(HOSTILE_VALUE.split()))) >= 10
    stage = (sites["hostile"] / "stages" / "learning" / "index.html").read_text(encoding="utf-8")
    assert '<a class="pb-value" href="../../values/#value-discount">&lt;script&gt;alert(1)&lt;/script&gt;' in stage


def _strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from _strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value)


def test_the_default_playbook_names_its_shared_numbers_once() -> None:
    repo = Path(__file__).resolve().parents[1] / "playbook"
    playbook = build_playbook(repo)
    values = playbook.values
    # The contradictions the values resolved: one discount policy, one size rule.
    assert values["discount-ae-max"] == "10 percent" and values["discount-vp-sales-max"] == "20 percent"
    assert values["company-size-rule"] == "200 or more employees or at least 500 supplier invoices a month"
    texts = [text for path in repo.rglob("*.yaml") if path.name != "playbook.yaml"
             for text in _strings(yaml.safe_load(path.read_text(encoding="utf-8")))]
    joined = "\n".join(" ".join(t.split()) for t in texts)
    for figure in ("15 percent", "500 supplier invoices", "200 or more employees", "fewer than 200 employees",
                   "1 business hour", "one business hour", "6 touches over 14 days", "within 5 business days",
                   "750,000"):
        assert figure not in joined, figure
    used = {name for text in texts for name in re.findall(r"\[\[([a-z0-9-]+)\]\]", text)}
    settings = yaml.safe_load((repo / "playbook.yaml").read_text(encoding="utf-8"))
    used |= {name for text in _strings({k: v for k, v in settings.items() if k not in ("values", "reasons")})
             for name in re.findall(r"\[\[([a-z0-9-]+)\]\]", text)}
    # Agreed reasons are named as values are, but by their id in the lifecycle, mostly.
    reasons = {r["id"] for group in settings.get("reasons") or () for r in group["reasons"]}
    assert set(values) - reasons == used - reasons, "every agreed value of the default playbook is named somewhere"
    assert used & reasons, "texts quote agreed reasons by name too"
    for name in ("company-size-rule", "discount-ae-max", "mql-first-touch"):
        assert sum(f"[[{name}]]" in text for text in texts) >= 2, name


def _prefixed(root: Path, count: int) -> Path:
    """Values sharing a 182-character prefix, and a description repeating the prefix: the shape
    that made one regular expression of every value cost values × text."""
    prefix = "within " + "x" * 175
    values = [*VALUES, *({"id": f"v{i}", "value": f"{prefix} {i} days"} for i in range(count))]
    return playbook_with_values(root, values=values, texts={
        ("terms/lead.yaml", ("definition",)): (prefix + " ") * (count * 55 // 100) + "within 7 days."})


def test_finding_typed_out_values_is_linear(tmp_path: Path) -> None:
    """Twice the values and twice the text take about twice the time, not four times."""
    def best(root: Path) -> float:
        times = []
        for _ in range(3):
            started = time.perf_counter()
            problems = check(root, root / "no-docs")[1]
            times.append(time.perf_counter() - started)
        assert [p for p in problems if not p.warning] == []
        return min(times)

    small, large = best(_prefixed(tmp_path / "small", 1000)), best(_prefixed(tmp_path / "large", 2000))
    print(f"typed-out values: {small:.2f} s for 1,000 values, {large:.2f} s for 2,000")
    assert large < 3 * small + 0.2, (small, large)
    # And it still finds a value typed out among them.
    typed = playbook_with_values(tmp_path / "typed", values=[*VALUES, {"id": "week", "value": "7 days"}], texts={
        ("terms/lead.yaml", ("definition",)): "We answer within 7 days, or 17 days at most."})
    warnings = [str(p) for p in check(typed, typed / "no-docs")[1] if p.warning]
    assert sum("'7 days' is an agreed value, written out here" in w for w in warnings) == 1, warnings


def _as_data(value: Any) -> Any:
    """An entry as plain data, as its YAML would read: dataclasses as mappings, tuples as lists."""
    if hasattr(value, "__dataclass_fields__"):
        return {key: _as_data(getattr(value, key)) for key in value.__dataclass_fields__}
    if isinstance(value, (list, tuple)):
        return [_as_data(item) for item in value]
    if isinstance(value, dict):
        return {key: _as_data(item) for key, item in value.items()}
    return value


def test_the_uses_of_values_read_from_entries_are_those_read_from_their_data() -> None:
    # The Agreed values page reads the entries themselves, without copying them into plain data
    # first: the same uses, in the same order, field by field, links left out.
    playbook = build_playbook(REPO / "playbook")
    entries = [(kind, item.id, {k: getattr(item, k) for k in item.__dataclass_fields__ if k not in ("id", "source")})
               for kind, items in (("stage", playbook.stages), ("lifecycle", playbook.lifecycle),
                                   ("handoff", playbook.handoffs), ("term", playbook.terms),
                                   ("persona", playbook.personas), ("asset", playbook.assets),
                                   ("metric", playbook.metrics)) for item in items]
    entries.append(("playbook", "playbook", {"introduction": "see [[a]]", "nested": [{"link": "[[b]]", "x": "[[c]]"}]}))
    direct = uses(iter(entries))
    # What each text names, text by text, with the path strings() gives it.
    expected: dict[str, dict[Use, None]] = {}
    for kind, id, data in entries:
        for path, text in strings(_as_data(data)):
            for name in names(text):
                expected.setdefault(name, {})[Use(kind, id, str(path[0]))] = None
    assert direct == {name: list(places) for name, places in expected.items()}
    assert sum(len(places) for places in direct.values()) > 20
    assert "b" not in direct and [use.field for use in direct["c"]] == ["nested"]


def test_the_uses_read_from_an_entry_are_kept_for_an_equal_entry_and_read_again_for_a_changed_one() -> None:
    # Under `mkdocs serve` every build reads every entry's texts: an entry equal to one read before
    # gives what that one gave, and a changed one is read again.
    import dataclasses

    from generator.rules import values as values_module

    playbook = build_playbook(REPO / "playbook")

    def as_entries(assets: tuple) -> list:
        return [("asset", a.id, a) for a in assets]

    def as_data(assets: tuple) -> list:
        return [("asset", a.id, {k: getattr(a, k) for k in a.__dataclass_fields__
                                 if k not in ("id", "source", "origin")}) for a in assets]

    values_module._entry_naming.cache_clear()
    first = uses(iter(as_entries(playbook.assets)))
    assert first == uses(iter(as_data(playbook.assets))) and first
    again = build_playbook(REPO / "playbook").assets  # equal entries, other objects
    for read in (as_entries, as_data):  # an entry, or the mapping of its fields (as the site passes them)
        hits = values_module._entry_naming.cache_info().hits
        assert uses(iter(read(again))) == first
        assert values_module._entry_naming.cache_info().hits - hits == len(again)
        changed = (dataclasses.replace(again[0], talking_points=(*again[0].talking_points,
                                                                 "Quote [[discount-ae-max]].")), *again[1:])
        after = uses(iter(read(changed)))
        assert after != first
        assert values_module.Use("asset", again[0].id, "talking_points") in after["discount-ae-max"]
    # Read from scratch, the same.
    values_module._entry_naming.cache_clear()
    assert uses(iter(as_entries(changed))) == after


# Characters that make or break a number typed in a text: digits (one outside 0-9), signs,
# currency codes and units, separators, brackets of a reference, the NUL that joins texts.
_MENTION_CHARACTERS = list("0123456789٣ ,.$€£[]-%\0xX") + ["USD", "EUR", "US dollars", "percent", "per cent",
                                                        "business days", "hours", "day", "ABCD", "a", "é", "’"]


def test_the_fast_pattern_of_typed_numbers_finds_what_the_pattern_finds() -> None:
    """typed_numbers.mentions finds, in half the time, what _MENTION finds: on texts made of what
    makes or breaks a number, and on every text of the default playbook and of a synthetic one."""
    from hypothesis import given
    from hypothesis import strategies as st
    from playbook_strategies import suite_settings

    from benchmarks.synth import write_playbook
    from generator.rules import typed_numbers
    from generator.rules.values import texts_in
    from generator.source.loader import load_playbook

    numbers = st.one_of(st.integers(0, 10**8).map(str), st.integers(0, 10**8).map("{:,}".format),
                        st.text(alphabet="0123456789,.", min_size=1, max_size=9))
    @given(st.lists(st.one_of(st.sampled_from(_MENTION_CHARACTERS), numbers), max_size=20).map("".join))
    @suite_settings(600)
    def same(text: str) -> None:
        assert typed_numbers.mentions(text) == typed_numbers._MENTION.findall(text), text
        if "٣" not in text:  # only 0-9: the fast pattern itself is what mentions reads with
            assert typed_numbers._MENTION_ASCII.findall(text) == typed_numbers._MENTION.findall(text), text

    same()
    for text in ("1234,567 and 12,345,67 or 1,234.5.6", "USD1,000 $1,000,000 € 5 £5.50 EUR 5 USD 6 5USD 5 USD",
                 "10 percents 10 percent. 10 per cent 25% 2 Business Days 1 business day 3 hours 3hours",
                 "[[x]]5 5[[x]] [[a-1]] a5 5a ,5 .5 5. 5, x.5 5,000, 5,000.", "ABC 5 AB 5 ABCD 5 A$5 $$5 1 2\x003 4"):
        assert typed_numbers._MENTION_ASCII.findall(text) == typed_numbers._MENTION.findall(text), text
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        write_playbook(Path(folder), 300, 5)
        texts = []
        for root in (REPO / "playbook", Path(folder) / "playbook"):
            loaded = load_playbook(root)
            for doc in [loaded.settings, *(d for docs in loaded.documents.values() for d in docs)]:
                texts.extend(texts_in(doc.data) if doc is not None else ())
    found = 0
    for text in texts:
        fast = typed_numbers.mentions(text)
        assert fast == typed_numbers._MENTION.findall(text), text
        found += len(fast)
    assert found > 1000
    # Each part is written once (a copy for each first character took 12 ms to compile).
    assert typed_numbers._MENTION_ASCII.pattern.count(typed_numbers._AFTER_NUMBER) == 3


def test_the_size_of_texts_naming_only_declared_values_is_told_as_reading_each_text_tells_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where every [[...]] in a file's texts names a declared value, the screen of the texts
    (values.named_in) is all the size check reads; the problems are word for word those told by
    reading each text with its path, on playbooks with names known, unknown, mistaken, in plain
    text, split between two texts, and named thousands of times."""
    from benchmarks.synth import write_playbook
    from generator.rules import value_references, values
    from generator.source.loader import FILES

    big = [{"id": "big", "value": "x" * 200}]
    roots = [
        REPO / "playbook",
        write_playbook(tmp_path / "synth", 200, 4) or tmp_path / "synth" / "playbook",
        playbook_with_values(tmp_path / "mixed", texts={
            ("stages/learning.yaml", ("exit_criteria", 0)): "Asked for [[discount]] off, [[discont]] too.",
            ("stages/adoption.yaml", ("buyer_goal",)): "[[7*7]] and [[a] and [[[x and [[ ]]",
            ("terms/contact.yaml", ("definition",)): "Anyone, [[Size Rule]] or not.",
            ("assets/guide.yaml", ("title",)): "A guide ending in [[disc",
            ("assets/guide.yaml", ("description",)): "ount]] and [[discount]] twice: [[discount]].",
            ("handoffs/lead-to-won.yaml", ("sender",)): "[[ discount ]] desk"}),
        playbook_with_values(tmp_path / "heavy", values=[*VALUES, *big], texts={
            ("terms/lead.yaml", ("example",)): "[[big]] " * 4_000,
            ("terms/contact.yaml", ("definition",)): "[[big]] and [[discount]] " * 20}),
    ]
    told: dict[bool, list[list[str]]] = {}
    for reading in (True, False):
        if reading:  # every file read text by text, with each text's path
            monkeypatch.setattr(values, "named_in", lambda joined: None)
            monkeypatch.setattr(value_references, "named_in", lambda joined: None)
        else:
            monkeypatch.undo()
        told[reading] = []
        for root in roots:
            FILES.clear()  # each file's screen is kept with it
            told[reading].append([str(p) for p in check(root, root / "no-docs")[1]])
    assert told[False] == told[True]
    said = "\n".join(line for lines in told[False] for line in lines)
    for rule in ("unknown-value", "malformed-value-reference", "values-too-long"):
        assert f"[{rule}]" in said, rule
    assert said.count("values-too-long") == 2


def test_the_values_named_in_joined_texts_are_those_named_in_each_text() -> None:
    """values.named_in reads the texts joined by NULs as each text read alone reads: the same
    references, and None exactly where a text holds something a reader could take for a
    mistaken one."""
    from hypothesis import given
    from hypothesis import strategies as st
    from playbook_strategies import suite_settings

    from generator.rules.values import BRACKETED, NAME_LIKE, REFERENCE, named_in

    pieces = st.sampled_from(["[[", "]]", "[", "]", "a", "b-1", "x y", "-", " ", "*", "é", "\n", "[[a]]", "[[b-1]]",
                              "[[A]]", "[[ a ]]", "[[a-]]", "[[]]"])

    @given(st.lists(st.lists(pieces, max_size=8).map("".join), max_size=5))
    @suite_settings(400)
    def same(texts: list[str]) -> None:
        names: list[str] = []
        mistaken = False
        for text in texts:
            for match in BRACKETED.finditer(text):
                if REFERENCE.fullmatch(match.group()):
                    names.append(match.group(1))
                elif NAME_LIKE.fullmatch(match.group(1)) and any(c.isalnum() for c in match.group(1)):
                    mistaken = True
        assert named_in("\0".join(texts)) == (None if mistaken else tuple(names)), texts

    same()
