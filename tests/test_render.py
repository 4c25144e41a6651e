"""Rendering to Markdown: untrusted text stays inert, paragraphs and groups come out right."""

from __future__ import annotations

import html
import json
import re
import shutil
from importlib import resources
from pathlib import Path

import jinja2
import pytest
import yaml
from conftest import FIXTURES

from generator.model.build import build_playbook
from generator.rules.anchors import SECTION_ANCHORS
from generator.site.pages.assets import ASSET_TYPES
from generator.site.pages.stages import STAGE_PERSONAS, objection_home
from generator.site.render import compiled_once, render_pages
from generator.site.safe_text import inline, paragraphs, plain_title, safe_link
from generator.source.schemas import schemas_dir


def test_inline_leaves_only_letters_digits_and_spaces() -> None:
    assert inline("MQL -> SQL\n  in <1 day") == "MQL &#45;&#62; SQL in &#60;1 day"
    assert inline("--8<-- \"x\"") == "&#45;&#45;8&#60;&#45;&#45; &#34;x&#34;"


def test_paragraphs_from_folded_and_literal_text() -> None:
    # `>-` with a blank line gives one line break; `|` keeps the blank line and wraps lines.
    assert paragraphs("First one\nSecond one") == "First one\n\nSecond one"
    assert paragraphs("Wrapped\nline\n\nNext") == "Wrapped line\n\nNext"


def test_titles_are_escaped_html_of_the_text_as_written() -> None:
    assert plain_title("</title> & <b>") == "&lt;/title&gt; &amp; &lt;b&gt;"
    assert plain_title('Q&A "demo"\n  x\' y') == "Q&amp;A &quot;demo&quot; x&#x27; y"


def test_only_https_and_relative_links() -> None:
    assert safe_link("https://x.example/a?b=1#c") == "<https://x.example/a?b=1#c>"
    assert safe_link("files/price-list.pdf") == "<files/price-list.pdf>"
    for bad in ("javascript:alert(1)", "JavaScript:x", "data:text/html,x", "http://x.example", "/etc/passwd",
                "../secret", "https://x.example/a b", "https://x.example/\n"):
        with pytest.raises(ValueError):
            safe_link(bad)


def test_every_asset_type_has_a_name() -> None:
    schema = json.loads((schemas_dir() / "asset.schema.json").read_text(encoding="utf-8"))
    assert sorted(ASSET_TYPES) == sorted(schema["properties"]["type"]["enum"])


def test_glossary_is_grouped_by_initial() -> None:
    glossary = render_pages(build_playbook(FIXTURES / "mini"))["glossary.md"]
    assert '<a href="#letter-c">C</a>\n<a href="#letter-l">L</a>' in glossary
    assert glossary.index("## C { #letter-c }") < glossary.index("### Contact { #contact }") \
        < glossary.index("## L { #letter-l }") < glossary.index("### Lead (LD) { #lead }")


def test_section_anchors_in_templates_are_reserved() -> None:
    reserved = set().union(*SECTION_ANCHORS.values())
    for name in ("stage.md.j2", "lifecycle.md.j2"):
        template = (resources.files("generator.site") / "templates" / name).read_text(encoding="utf-8")
        static = set(re.findall(r"\{ #([a-z-]+) \}", template))
        static |= {f"{record}-states" for record in ("lead", "opportunity")} if "-states }" in template else set()
        assert static and static <= reserved, (name, static - reserved)


def crowded(root: Path, personas: int, with_cards: range) -> Path:
    """The mini playbook with `personas` more personas in its learning stage, each with a hostile
    name and an objection of its own; those of `with_cards` have an asset (a card) there."""
    shutil.copytree(FIXTURES / "mini", root)
    for n in range(personas):
        persona = {"id": f"p{n:02d}", "name": f"P{n:02d} <b>bold</b> [x](javascript:alert(1)) *em* {{{{v}}}}",
                   "role": "Clerk", "buying_role": "user", "summary": "Counts anvils.", "goals": ["Fewer forms"],
                   "pains": ["Too many forms"], "stages": ["learning"], "owner": "sales", "review_by": "2027-06-30",
                   "objections": [{"objection": f"Objection of p{n:02d}.", "response": f"Answer to p{n:02d}."}]}
        (root / "personas" / f"p{n:02d}.yaml").write_text(yaml.safe_dump(persona), encoding="utf-8")
    guide = yaml.safe_load((root / "assets" / "guide.yaml").read_text(encoding="utf-8"))
    for n in with_cards:
        card = dict(guide, id=f"card-{n}", title=f"Card for p{n:02d}", personas=[f"p{n:02d}"], stages=["learning"])
        (root / "assets" / f"card-{n}.yaml").write_text(yaml.safe_dump(card), encoding="utf-8")
    return root


def test_a_stage_page_shows_so_many_personas_those_with_cards_first(tmp_path: Path) -> None:
    """More personas in a stage than a page shows: the objections and "Personas involved" show
    STAGE_PERSONAS of them, those with a card on the page first, then the rest in order; the
    others are counted, with a link to the Personas pages, where every objection still is."""
    extra = STAGE_PERSONAS + 16
    playbook = build_playbook(crowded(tmp_path / "p", extra, range(30, 35)), tmp_path / "no-docs")
    pages = render_pages(playbook)
    page = pages["stages/learning.md"]
    objections = page.split("{ #objections }")[1].split("{ #buyer-goal }")[0]
    groups = re.findall(r'<section class="pb-objection-group" data-persona="([^"]+)"', objections)
    # The personas with cards (the mini playbook's buyer has the guide), then the rest in order.
    assert groups == ["buyer", "p30", "p31", "p32", "p33", "p34"] + [f"p{n:02d}" for n in range(STAGE_PERSONAS - 6)]
    more = extra + 1 - STAGE_PERSONAS
    assert f"*{more} more personas are involved in this stage: their objections, with what to answer, are " \
           "with each persona on the [Personas pages](../personas.md).*\n{: .pb-more }" in objections
    involved = page.split("{ #personas }")[1]
    listed = re.findall(r"^- \[[^\n]*?\]\(\.\./personas\.md#([a-z0-9-]+)\)", involved, re.M)
    assert listed == groups
    assert f"*And {more} more: every persona is on the [Personas pages](../personas.md).*" in involved
    # The hero still counts every persona; the page shows none of the others' objections.
    assert f"{extra + 1} personas involved" in page and "Objection of p39." not in page
    # Hostile names are text: no tag, link or emphasis of theirs, and every name as written.
    assert "<b>" not in page and "](javascript" not in page and "*em*" not in page and "{{v}}" not in page
    assert html.unescape(page).count("P30 <b>bold</b> [x](javascript:alert(1)) *em* {{v}}") >= 3
    # "Who is in the room" offers the same personas as chips, in the playbook's order, not every
    # persona of the stage; each chip links to its persona's entry, where the page sends a rep whose
    # persona's objections it leaves out (one picked by the address, say).
    chips = re.findall(r'<button type="button" class="pb-chip" data-value="([^"]+)" data-elsewhere', page)
    order = [p.id for p in playbook.personas]
    assert chips == sorted(groups, key=order.index) and 'data-value="p39"' not in page
    assert 'data-value="p00" data-elsewhere="" data-home="../../personas/#p00"' in page
    # Search finds a shown persona's objection on the stage page; the others' only on their own entry.
    assert '<h3 class="pb-objection__says" id="objection-p00-1">' in objections
    assert objection_home(playbook, "p00") == "learning" and objection_home(playbook, "p39") is None
    # Nothing lost: every persona's objection and answer are on the Personas pages.
    personas = html.unescape("".join(text for name, text in pages.items() if name.startswith("personas")))
    assert all(f"Objection of p{n:02d}." in personas and f"Answer to p{n:02d}." in personas for n in range(extra))


def test_a_theme_template_is_compiled_once_per_process_and_again_when_it_changes() -> None:
    # MkDocs makes a new environment for the theme at every build (compiled_once, in on_env).
    sources = {"page.html": "<h1>{{ title | upper }}</h1>"}
    compiled: list[str] = []

    def environment(filters: dict[str, object] | None = None, **settings: object) -> jinja2.Environment:
        env = jinja2.Environment(loader=jinja2.DictLoader(sources), **settings)  # type: ignore[arg-type]
        env.filters.update(filters or {})
        real = env.compile

        def compile(source, name=None, filename=None, raw=False, defer_init=False):  # type: ignore[no-untyped-def]
            compiled.append(str(name))
            return real(source, name, filename, raw, defer_init)

        env.compile = compile  # type: ignore[method-assign]
        compiled_once(env)
        return env

    for _ in range(3):
        assert environment().get_template("page.html").render(title="agreed") == "<h1>AGREED</h1>"
    assert compiled == ["page.html"]
    # A changed template is compiled again, and shows what it now says.
    sources["page.html"] = "<h2>{{ title }}</h2>"
    assert environment().get_template("page.html").render(title="agreed") == "<h2>agreed</h2>"
    assert compiled == ["page.html"] * 2
    # An environment that compiles otherwise (another syntax, another filter) compiles its own.
    assert environment(trim_blocks=True).get_template("page.html").render(title="x") == "<h2>x</h2>"
    assert compiled == ["page.html"] * 3
    assert environment({"shout": str.upper}).get_template("page.html").render(title="x") == "<h2>x</h2>"
    assert compiled == ["page.html"] * 4
    assert environment().get_template("page.html").render(title="x") == "<h2>x</h2>"
    assert compiled == ["page.html"] * 4


def test_a_build_reads_each_template_file_once_not_at_every_card(monkeypatch: pytest.MonkeyPatch) -> None:
    """The templates' environment is made anew for each build, so it does not ask each template's
    file for its time again at every include (once per card, on every page)."""
    import os

    from conftest import REPO

    playbook = build_playbook(REPO / "playbook", REPO / "docs")
    templates = Path(str(resources.files("generator.site") / "templates")).resolve()
    asked: list[str] = []
    real = os.path.getmtime

    def getmtime(path: str) -> float:
        if Path(path).resolve().is_relative_to(templates):
            asked.append(Path(path).name)
        return real(path)

    monkeypatch.setattr(os.path, "getmtime", getmtime)
    pages = render_pages(playbook)
    assert len(playbook.assets) > 20 and sum(page.count('class="pb-card') for page in pages.values()) > 40
    # Once per template file when it is first loaded, and never again in the build.
    assert 0 < len(asked) == len(set(asked)) <= len(list(templates.glob("*.j2"))), sorted(asked)


# A list item run on after the one before it: a template line that ends with a block tag loses its
# line break (trim_blocks), and the next item of the list goes on the same line. Texts cannot write
# "- [" or "- *" here (`render_pages` without texts writes their punctuation as character
# references), so the mark after other text on a line is the template's own.
RUN_ON = re.compile(r"[^\s>]- [*\[]")


def test_no_list_item_runs_on_after_the_one_before(tmp_path: Path) -> None:
    import sys

    from conftest import REPO

    sys.path.insert(0, str(REPO))
    from benchmarks.synth import write_playbook

    synthetic = write_playbook(tmp_path / "synthetic", 150, 5) / "playbook"
    for root in (REPO / "playbook", FIXTURES / "mini", synthetic):
        pages = render_pages(build_playbook(root))
        run_on = [(name, line[:160]) for name, page in pages.items() for line in page.splitlines()
                  if RUN_ON.search(line)]
        assert not run_on, (root, run_on)
        # Each objection of each persona is an item of its own, and each stage's first asset.
        personas = "".join(page for name, page in pages.items() if name.startswith("personas"))
        playbook = build_playbook(root)
        objections = sum(len(p.objections) for p in playbook.personas)
        assert len(re.findall(r'(?m)^- \*"', personas)) == objections > 0, root
        start = pages["start-here.md"].split("{ #assets }")[1]
        assert len(re.findall(r"(?m)^- \[", start.split("data-pb-step")[0])) == len(playbook.stages), root
