"""The lifecycle diagram: inline SVG drawn at build time, every state and handoff in it, text from
the playbook kept as text, no arrow through a box; and in Chromium on the lifecycle page, drawn
with nothing fetched off 127.0.0.1, readable on a 390 px phone."""

from __future__ import annotations

import dataclasses
import html
import re
import shutil
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import FIXTURES, REPO
from playwright.sync_api import Browser, expect

from generator.model.build import build_playbook
from generator.model.entities import Rejection
from generator.model.playbook import Playbook
from generator.site.pages.lifecycle import lifecycle_flow, lifecycle_svg
from generator.site.pages.lifecycle_layout import service_level
from generator.site.render import render_pages
from generator.site.safe_text import Texts

pytest_plugins = ["browser_fixtures"]  # serve, browser, page, default_url

SVG = "{http://www.w3.org/2000/svg}"
SAFE_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
HOSTILE = '<script>alert(1)</script> & "quotes" <img src=x onerror=alert(2)> ]]> <!-- x'


@pytest.fixture(scope="module")
def default() -> Playbook:
    return build_playbook(REPO / "playbook")


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def text_of(element: ET.Element) -> str:
    """The element's text lines, joined with spaces."""
    return " ".join(" ".join(t.itertext()) for t in element.iter(f"{SVG}text"))


def states_of(root: ET.Element) -> dict[str, ET.Element]:
    return {g.attrib["data-state"]: g for g in root.iter(f"{SVG}g") if "data-state" in g.attrib}


# --- The default playbook -------------------------------------------------------------------


def test_every_state_and_handoff_is_in_the_svg(default: Playbook) -> None:
    svg = lifecycle_svg(default, html.escape)
    assert "\n\n" not in svg, "a blank line would end Markdown's raw HTML block"
    root = parse(svg)
    assert root.tag == f"{SVG}svg" and root.attrib["role"] == "img" and root.attrib["width"] == "100%"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert root.attrib["aria-labelledby"].split() == [title.attrib["id"], desc.attrib["id"]]
    assert f"{len(default.lifecycle)} states, {len(default.handoffs)} handoffs" in (desc.text or "")
    boxes = states_of(root)
    assert list(boxes) == [s.id for s in default.lifecycle]
    for state in default.lifecycle:
        shown = text_of(boxes[state.id])
        assert state.name in shown and (state.abbreviation or "") in shown
        assert state.record in shown
    handoffs = {p.attrib["data-handoff"]: p for p in root.iter(f"{SVG}path") if "data-handoff" in p.attrib}
    assert set(handoffs) == {h.id for h in default.handoffs}
    labels = " ".join(" ".join(t.itertext()) for t in root.iter(f"{SVG}text")
                      if "pb-dg-label--handoff" in t.attrib["class"])
    for handoff in default.handoffs:
        assert service_level(handoff) in labels
        assert handoffs[handoff.id].attrib["marker-end"] == "url(#pb-dg--handoff)"
    assert "within 1 business hour" in labels and "within 2 business days" in labels


def test_one_dashed_rejection_path_per_handoff_and_destination(default: Playbook) -> None:
    root = parse(lifecycle_svg(default, html.escape))
    paths = [(p.attrib["data-rejection"], p.attrib["data-goes-to"]) for p in root.iter(f"{SVG}path")
             if "data-rejection" in p.attrib]
    expected = list(dict.fromkeys((h.id, r.goes_to) for h in default.handoffs for r in h.rejection_reasons))
    assert sorted(paths) == sorted(expected) and len(paths) == 9
    for path in root.iter(f"{SVG}path"):
        if "data-rejection" in path.attrib:
            assert "stroke-dasharray" in path.attrib and "pb-dg-edge--reject" in path.attrib["class"]
    labels = [" ".join(t.itertext()) for t in root.iter(f"{SVG}text") if "pb-dg-label--reject" in t.attrib["class"]]
    assert sorted(labels) == sorted(["rejected: 6 reasons", "rejected: 1 reason", "rejected: 3 reasons",
                                     "rejected: 2 reasons", "rejected: 6 reasons", "rejected: 3 reasons",
                                     "rejected: 5 reasons", "rejected: 2 reasons", "rejected: 4 reasons"])


def test_final_states_are_marked(default: Playbook) -> None:
    boxes = states_of(parse(lifecycle_svg(default, html.escape)))
    for state in default.lifecycle:
        final = not state.next_states
        group = boxes[state.id]
        assert ("pb-dg-state--final" in group.attrib["class"]) == final, state.id
        assert len(list(group.iter(f"{SVG}rect"))) == (2 if final else 1), state.id  # a double border
        assert ("final" in text_of(group).split()) == final
    assert {s.id for s in default.lifecycle if not s.next_states} == {"disqualified"}


def test_states_are_banded_by_owner_in_order(default: Playbook) -> None:
    root = parse(lifecycle_svg(default, html.escape))
    bands = [(g.attrib["class"].split("--")[1], text_of(g)) for g in root.iter(f"{SVG}g")
             if g.attrib.get("class", "").startswith("pb-dg-band ")]
    assert bands == [("marketing", "Marketing"), ("sales", "Sales"), ("marketing", "Marketing"),
                     ("other", "Customer Success")]
    tops = [float(next(g.iter(f"{SVG}rect")).attrib["y"]) for g in states_of(root).values()]
    assert tops == sorted(tops)


def test_every_id_in_an_attribute_is_safe(default: Playbook) -> None:
    root = parse(lifecycle_svg(default, html.escape))
    for element in root.iter():
        for name, value in element.attrib.items():
            if name.startswith("data-"):
                assert SAFE_ID.fullmatch(value), (name, value)
            if name == "id":
                assert re.fullmatch(r"pb-dg--[a-z]+", value)
    with pytest.raises(ValueError, match="not a safe id"):
        bad = dataclasses.replace(default.lifecycle[0], id='x" onload="alert(1)')
        lifecycle_svg(dataclasses.replace(default, lifecycle=(bad, *default.lifecycle[1:])), html.escape)


# --- No arrow through a box -------------------------------------------------------------------


def _segments(d: str) -> Iterator[tuple[tuple[float, float], tuple[float, float]]]:
    """The straight segments of a path made of M, L and Q (the rounded corners are left out)."""
    at: tuple[float, float] | None = None
    for command, args in re.findall(r"([MLQ])([^MLQ]*)", d):
        numbers = [float(n) for n in re.findall(r"-?[\d.]+", args)]
        end = (numbers[-2], numbers[-1])
        if command == "L" and at is not None:
            yield at, end
        at = end


def assert_no_arrow_crosses_a_box(root: ET.Element) -> None:
    boxes = []
    for group in states_of(root).values():
        rect = next(group.iter(f"{SVG}rect"))
        x, y, w, h = (float(rect.attrib[k]) for k in ("x", "y", "width", "height"))
        boxes.append((x + 1, y + 1, x + w - 1, y + h - 1))
    for path in root.iter(f"{SVG}path"):
        if "data-from" not in path.attrib and "data-rejection" not in path.attrib:
            continue
        for (ax, ay), (bx, by) in _segments(path.attrib["d"]):
            for step in range(21):
                px, py = ax + (bx - ax) * step / 20, ay + (by - ay) * step / 20
                inside = [b for b in boxes if b[0] < px < b[2] and b[1] < py < b[3]]
                assert not inside, f"{path.attrib} passes through a box at {px:.1f},{py:.1f}"


def test_no_arrow_crosses_a_box(default: Playbook) -> None:
    assert_no_arrow_crosses_a_box(parse(lifecycle_svg(default, html.escape)))


def busy(default: Playbook) -> Playbook:
    """Every state after the first is a next state of the first; an owner no team has; a handoff
    back to an earlier state whose rejections go back to its sender and further up."""
    states = list(default.lifecycle)
    states[0] = dataclasses.replace(states[0], next_states=tuple(s.id for s in states[1:]))
    states[2] = dataclasses.replace(states[2], owner="partners")
    states[7] = dataclasses.replace(states[7], next_states=("mql", "sal"))
    back = dataclasses.replace(default.handoffs[0], id="nurture-to-sal", from_state="nurture", to_state="sal",
                               rejection_reasons=(Rejection("a", "nurture"), Rejection("b", "mql")))
    return dataclasses.replace(default, lifecycle=tuple(states), handoffs=(*default.handoffs, back))


def test_many_next_states_an_unknown_owner_and_a_handoff_backwards(default: Playbook) -> None:
    playbook = busy(default)
    root = parse(lifecycle_svg(playbook, html.escape))
    assert_no_arrow_crosses_a_box(root)
    edges = [(p.attrib["data-from"], p.attrib["data-to"]) for p in root.iter(f"{SVG}path") if "data-from" in p.attrib]
    assert len(edges) == len(set(edges)) == sum(len(s.next_states) for s in playbook.lifecycle)
    assert "partners" in text_of(root)
    back = [p for p in root.iter(f"{SVG}path") if p.attrib.get("data-handoff") == "nurture-to-sal"]
    assert len(back) == 1
    assert {p.attrib["data-goes-to"] for p in root.iter(f"{SVG}path")
            if p.attrib.get("data-rejection") == "nurture-to-sal"} == {"nurture", "mql"}


def test_one_state_and_no_handoffs(default: Playbook) -> None:
    only = dataclasses.replace(default.lifecycle[0], next_states=())
    root = parse(lifecycle_svg(dataclasses.replace(default, lifecycle=(only,), handoffs=()), html.escape))
    assert list(states_of(root)) == [only.id]
    assert "1 state, 0 handoffs" in (root.findtext(f"{SVG}desc") or "")
    assert not [p for p in root.iter(f"{SVG}path") if "data-from" in p.attrib or "data-rejection" in p.attrib]


def test_time_grows_with_the_arrows_not_their_square(default: Playbook) -> None:
    def lifecycle(n: int) -> Playbook:
        states = tuple(dataclasses.replace(default.lifecycle[0], id=f"s{i}", order=i + 1, name=f"State {i}",
                                           next_states=tuple(f"s{(i * 7 + k * 13 + 1) % n}" for k in range(10)
                                                             if (i * 7 + k * 13 + 1) % n != i))
                       for i in range(n))
        return dataclasses.replace(default, lifecycle=states, handoffs=())

    timings = []
    for n in (200, 1600):
        playbook = lifecycle(n)
        start = time.perf_counter()
        parse(lifecycle_svg(playbook, html.escape))
        timings.append(time.perf_counter() - start)
    assert timings[1] < 30 * timings[0] + 0.5, timings  # 8 times the arrows: far less than 64 times the time


# --- Text from the playbook stays text ----------------------------------------------------------


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    root = tmp_path / "playbook"
    shutil.copytree(FIXTURES / "mini", root)
    lead = root / "lifecycle" / "lead.yaml"
    text = lead.read_text(encoding="utf-8").replace("name: Lead\n", f"name: {HOSTILE!r}\nabbreviation: '<b>L</b>'\n")
    lead.write_text(text, encoding="utf-8")
    (root / "playbook.yaml").write_text((root / "playbook.yaml").read_text(encoding="utf-8").replace(
        "name: Marketing", "name: '<i>Marketing</i> &amp;'", 1), encoding="utf-8")
    return root


def test_a_hostile_name_stays_text(hostile: Path) -> None:
    playbook = build_playbook(hostile)
    assert playbook.lifecycle[0].name == HOSTILE
    root = parse(lifecycle_svg(playbook, html.escape))
    tags = {element.tag.removeprefix(SVG) for element in root.iter()}
    assert tags <= {"svg", "title", "desc", "defs", "marker", "path", "g", "rect", "text", "circle", "a"}
    # Each box links to its state's place on the page, and to nothing else.
    links = [e for e in root.iter() if e.tag.removeprefix(SVG) == "a"]
    assert [e.get("href") for e in links] == [f"#{s.id}" for s in playbook.lifecycle]
    shown = text_of(states_of(root)["lead"])
    assert "<script>alert(1)</script>" in shown and "<b>L</b>" in shown
    assert "<i>Marketing</i> &amp;" in text_of(root)  # the team's name, in its band
    assert not [a for e in root.iter() for a in e.attrib if a.startswith("on")]
    # The same states as a list, for a phone: text stays text, links stay on the page.
    flow = ET.fromstring(lifecycle_flow(playbook, html.escape))
    assert {e.tag for e in flow.iter()} <= {"ol", "li", "a", "span", "ul"}
    assert {e.get("href", "")[:1] for e in flow.iter("a")} == {"#"}
    words = "".join(flow.itertext())
    assert "<script>alert(1)</script>" in words and "<b>L</b>" in words and "<i>Marketing</i> &amp;" in words
    assert not [a for e in flow.iter() for a in e.attrib if a.startswith("on")]


@pytest.mark.parametrize("texts", [None, Texts()], ids=["playbook render", "site"])
def test_a_hostile_name_stays_text_on_the_page(hostile: Path, texts: Texts | None) -> None:
    """Through the template: character references for `playbook render`, tokens for a site."""
    markdown = render_pages(build_playbook(hostile), texts)["lifecycle.md"]
    block = re.search(r"\n\n(<figure class=\"pb-diagram\" data-search-exclude>\n.*?\n</figure>)\n\n", markdown, re.S)
    assert block is not None, "the figure is a raw HTML block of its own"
    figure = block.group(1)
    assert "<script" not in figure and "<img" not in figure and "<b>" not in figure
    if texts is not None:
        figure = texts.restore(figure)
    svg = figure[figure.index("<svg"):figure.index("</svg>") + 6]
    shown = text_of(states_of(parse(svg))["lead"])
    assert "<script>alert(1)</script>" in shown and "<b>L</b>" in shown


# --- In Chromium ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [1280, 390])
def test_the_diagram_draws_on_the_lifecycle_page(browser: Browser, default_url: str, default: Playbook,
                                                 width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900}, is_mobile=width < 500,
                                  has_touch=width < 500)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("request", lambda r: problems.append(f"request off 127.0.0.1: {r.url}")
            if not r.url.startswith("data:") and urlsplit(r.url).hostname != "127.0.0.1" else None)
    page.goto(default_url + "lifecycle/", wait_until="networkidle")
    svg = page.locator("figure.pb-diagram > svg")
    if width == 390:
        # A phone shows the same states and handoffs as a list of boxes (tests/test_programme.py
        # measures it), not the picture, whose labels would be too small.
        expect(svg).to_be_hidden()
        flow = " ".join((page.locator("figure.pb-diagram > ol.pb-flow").inner_text()).split())
        for state in default.lifecycle:
            assert state.name in flow, state.name
        for handoff in default.handoffs:
            assert service_level(handoff) in flow
        context.close()
        assert not problems, problems
        return
    expect(svg).to_be_visible()
    shown = " ".join((svg.text_content() or "").split())
    for state in default.lifecycle:
        assert state.name in shown, state.name
    for handoff in default.handoffs:
        assert service_level(handoff) in shown
    box = svg.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    assert box["height"] > box["width"], "a vertical flow"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    sizes = page.evaluate("[...document.querySelectorAll('.pb-dg-name, .pb-dg-sub, .pb-dg-label, .pb-dg-team')]"
                          ".map(t => [t.getAttribute('class'), t.getBoundingClientRect().height])")
    assert len(sizes) >= 2 * len(default.lifecycle)
    small = [s for s in sizes if s[1] < 10]
    assert not small, f"text under 10 px at {width} px: {small[:5]}"
    if width == 390:
        names = [h for cls, h in sizes if cls == "pb-dg-name"]
        assert min(names) >= 11, names
    # Out of the search index: its words are the tables' words, drawn.
    assert page.locator("figure.pb-diagram[data-search-exclude]").count() == 1
    page.add_style_tag(content=".md-header, .md-tabs { display: none !important; }")
    svg.scroll_into_view_if_needed()
    page.locator("figure.pb-diagram").screenshot(path=f"/tmp/pb-lifecycle-diagram-{width}.png")
    context.close()
    assert not problems, problems
