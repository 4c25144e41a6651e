"""Rendering to Markdown: untrusted text stays inert, paragraphs and groups come out right."""

from __future__ import annotations

import json
import re
from importlib import resources

import pytest
from conftest import FIXTURES

from generator.model.build import build_playbook
from generator.rules.anchors import SECTION_ANCHORS
from generator.site.pages.assets import ASSET_TYPES
from generator.site.render import render_pages
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
