"""Nothing lost: every entry and every value of a valid playbook reaches the page where it belongs,
shown as written, on a real `mkdocs build --strict` site and in `playbook render`'s Markdown.

Playbooks of random shape and content come from `playbook_strategies.playbooks`; where each
field is shown is the table `playbook_fields.FIELD_DISPLAY`, which must name every field of
every schema.
"""

from __future__ import annotations

import contextlib
import datetime
import html
import io
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FIXTURES, SITE_CONFIG, make_project, run_mkdocs
from htmltext import Page
from hypothesis import given
from playbook_fields import (
    ANCHOR,
    ASSET_TYPE,
    CHECK_SETTINGS,
    DATE,
    FIELD_DISPLAY,
    KIND_NAME,
    LABEL,
    LINK,
    NUMBER,
    ORDER,
    OTHER_SIGNERS,
    READ_LINK,
    REASON,
    RECORD,
    SITE_BEHAVIOUR,
    SITE_TITLE,
    TAKEN_FROM,
    TEAM,
    VERBATIM,
    kind_of,
    kinds,
    leaves,
    schema_fields,
)
from playbook_strategies import GeneratedPlaybook, dump_yaml, playbooks, suite_settings
from suite_report import Tally

from generator.commands import cli
from generator.rules.values import expand
from generator.site.pages.assets import ASSET_TYPES as TYPE_NAMES

TALLY = Tally("nothing lost", "{playbooks} playbooks built with mkdocs build --strict and rendered to Markdown, "
                              "{values} value placements checked, {lost} lost")

# The page of each kind of entry; stages have a page each.
ENTITY_PAGE = {"lifecycle": "lifecycle", "handoff": "lifecycle", "term": "glossary", "persona": "personas",
               "asset": "assets", "metric": "metrics"}


def collapse(text: str) -> str:
    return " ".join(str(text).split())


# Two views of the same site: the built HTML and the rendered Markdown --------------------------------


@dataclass
class Region:
    """Part of a page: its text (references decoded, whitespace collapsed), link targets and ids."""

    text: str
    links: list[str]
    ids: set[str]


class View:
    name = ""

    def region(self, page: str, anchor: str | None) -> Region | str:
        """The whole page (anchor None) or the section headed by the anchor; a str says what is missing."""
        raise NotImplementedError

    def heading_before(self, page: str, anchor: str, level: int) -> str:
        raise NotImplementedError

    def titles(self) -> dict[str, str] | None:
        """The <title> of every page, or None where the view has no titles."""
        return None

    def heading_position(self, page: str, anchor: str) -> int:
        """Where the heading with this id is on the page; -1 if nowhere."""
        raise NotImplementedError


_ARTICLE = re.compile(r"<article\b[^>]*>(.*?)</article>", re.S)
_HEADING = re.compile(r"<h([1-6])\b([^>]*)>", re.S)
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)


class HtmlView(View):
    name = "site"

    def __init__(self, site: Path) -> None:
        self.pages = {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*.html")}

    @staticmethod
    def file(page: str) -> str:
        if page.startswith("stage:"):
            return f"stages/{page.removeprefix('stage:')}/index.html"
        return "index.html" if page == "home" else f"{page}/index.html"

    def _body(self, page: str) -> str | None:
        raw = self.pages.get(self.file(page))
        if raw is None:
            return None
        match = _ARTICLE.search(raw)
        return match.group(1) if match else raw

    def _heading(self, body: str, anchor: str) -> re.Match[str] | None:
        wanted = re.compile(r'\bid="' + re.escape(anchor) + '"')
        return next((h for h in _HEADING.finditer(body) if wanted.search(h.group(2))), None)

    def region(self, page: str, anchor: str | None) -> Region | str:
        body = self._body(page)
        if body is None:
            return f"no page {self.file(page)}"
        if anchor is not None:
            heading = self._heading(body, anchor)
            if heading is None:
                return f"no heading with id {anchor!r} on {self.file(page)}"
            level = int(heading.group(1))
            end = next((h.start() for h in _HEADING.finditer(body, heading.end()) if int(h.group(1)) <= level),
                       len(body))
            body = body[heading.start():end]
        parsed = Page(body)
        return Region(parsed.text, parsed.links, parsed.ids)

    def heading_before(self, page: str, anchor: str, level: int) -> str:
        body = self._body(page) or ""
        heading = self._heading(body, anchor)
        before = [m for m in re.finditer(rf"<h{level}\b[^>]*>(.*?)</h{level}>", body, re.S)
                  if heading is not None and m.start() < heading.start()]
        return Page(before[-1].group(1)).text if before else ""

    def heading_position(self, page: str, anchor: str) -> int:
        heading = self._heading(self._body(page) or "", anchor)
        return -1 if heading is None else heading.start()

    def titles(self) -> dict[str, str]:
        return {name: collapse(html.unescape(m.group(1))) if (m := _TITLE.search(raw)) else ""
                for name, raw in self.pages.items()}


_MD_HEADING = re.compile(r"(#{1,6}) ")
_MD_LINK = re.compile(r"\]\(<?([^)>\s]*)>?\)")
_MD_ID = re.compile(r"\{\s*#([^\s}]+)[^}]*\}")


def _withdrawn(data: dict[str, Any]) -> bool:
    return str(data.get("expires", "9999-12-31")) < os.environ["PLAYBOOK_TODAY"]


_HTML_HREF = re.compile(r'\bhref="([^"]*)"')


class MarkdownView(View):
    name = "playbook render"

    def __init__(self, out: Path) -> None:
        self.pages = {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in out.rglob("*.md")}

    def file(self, page: str) -> str:
        if page.startswith("stage:"):
            return f"stages/{page.removeprefix('stage:')}.md"
        if page == "home":
            return "index.md"
        return f"{page}.md" if f"{page}.md" in self.pages or f"{page}/index.md" not in self.pages \
            else f"{page}/index.md"

    def _lines(self, page: str) -> list[str] | None:
        text = self.pages.get(self.file(page))
        return None if text is None else text.split("\n")

    @staticmethod
    def _heading(lines: list[str], anchor: str) -> int | None:
        wanted = re.compile(r"\{\s*#" + re.escape(anchor) + r"[\s}]")
        return next((i for i, line in enumerate(lines) if _MD_HEADING.match(line) and wanted.search(line)), None)

    def region(self, page: str, anchor: str | None) -> Region | str:
        lines = self._lines(page)
        if lines is None:
            return f"no page {self.file(page)}"
        if anchor is not None:
            start = self._heading(lines, anchor)
            if start is None:
                return f"no heading {{ #{anchor} }} in {self.file(page)}"
            level = len(_MD_HEADING.match(lines[start]).group(1))  # type: ignore[union-attr]
            end = next((j for j in range(start + 1, len(lines))
                        if (m := _MD_HEADING.match(lines[j])) and len(m.group(1)) <= level), len(lines))
            lines = lines[start:end]
        markdown = "\n".join(lines)
        # Cards are raw HTML inside the Markdown: their links are href attributes.
        links = _MD_LINK.findall(markdown) + [html.unescape(h) for h in _HTML_HREF.findall(markdown)]
        return Region(collapse(html.unescape(re.sub(r"<[^>]+>", " ", markdown))), links, set(_MD_ID.findall(markdown)))

    def heading_position(self, page: str, anchor: str) -> int:
        found = self._heading(self._lines(page) or [], anchor)
        return -1 if found is None else found

    def heading_before(self, page: str, anchor: str, level: int) -> str:
        lines = self._lines(page) or []
        start = self._heading(lines, anchor)
        before = [line for line in lines[:start or 0] if line.startswith("#" * level + " ")]
        return collapse(html.unescape(before[-1])) if before else ""


# The checks ---------------------------------------------------------------------------------


def _number_forms(value: float) -> list[str]:
    if isinstance(value, int):
        return [str(value), f"{value:,}"]
    return [str(value), f"{value:,}", repr(value)]


def _date_forms(value: str) -> list[str]:
    day = datetime.date.fromisoformat(value)
    return [value, f"{day.day} {day:%B %Y}", f"{day:%B} {day.day}, {day.year}"]


@dataclass
class Checker:
    """Checks one view of the site against the playbook it was made from."""

    view: View
    playbook: GeneratedPlaybook
    failures: list[str] = field(default_factory=list)
    checked: int = 0
    fields: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        files = self.playbook.files
        self.entries: dict[str, dict[str, dict[str, Any]]] = {}
        for relative, data in files.items():
            if relative != "playbook.yaml":
                self.entries.setdefault(kind_of(relative), {})[data["id"]] = data
        # A text naming an agreed value ([[id]]) is shown with the value's text in its place: as
        # written, or the words of the number field it is taken from. A value computed and not taken
        # from a field shows what it computes to: no text of a generated playbook names one.
        self.values = {v["id"]: str(v["value"]) if "value" in v else self.taken(v["from"])
                       for v in files["playbook.yaml"].get("values") or () if "value" in v or "from" in v}
        self.teams = {team: self.shown(data["name"]) for team, data in files["playbook.yaml"]["teams"].items()}

    def taken(self, source: dict[str, str]) -> str:
        """The words of the number field an agreed value is taken from, as the site says them."""
        data = self.entries[source["kind"]][source["id"]]
        part = data[source["field"]]
        if source["field"] == "follow_up":
            return f"{_count(part['touches'], 'touch', 'touches')} over {_count(part['days'], 'day', 'days')}"
        if source["kind"] == "handoff":
            one, many = UNIT_WORDS[part["unit"]]
            return _count(part["within"], one, many)
        number, unit = f"{part['value']:,}", data["unit"]
        if unit == "percent":
            return f"{number}%"
        if unit == "currency":
            return f"{data['currency']} {number}"
        if unit in ("days", "hours"):
            return f"{number} {unit[:-1] if part['value'] == 1 else unit}"
        return number

    def shown(self, text: Any) -> str:
        """A text as the site shows it: the agreed values it names written out."""
        return expand(str(text), self.values)

    def name_of(self, kind: str, id: str) -> str:
        data = self.entries[kind][id]
        return self.shown(data.get("name", data.get("title")))

    def run(self) -> None:
        for relative, data in self.playbook.files.items():
            kind = kind_of(relative)
            for leaf in leaves(kind, data):
                self.fields.add(leaf.field)
                places = FIELD_DISPLAY.get(leaf.field)
                if places is None:
                    self.fail(f"{relative}: field {leaf.field} is not in FIELD_DISPLAY: say where the site shows it")
                    continue
                for page, show in places:
                    for region_page, anchor in self.regions(kind, data, page):
                        self.checked += 1
                        problem = self.check(kind, data, leaf.value, show, region_page, anchor)
                        if problem:
                            where = region_page + (f"#{anchor}" if anchor else "")
                            self.fail(f"{self.view.name}: {relative}: {leaf.field} = {leaf.value!r} "
                                      f"not shown ({show}) on {where}: {problem}")

    def fail(self, message: str) -> None:
        if message not in self.failures:
            self.failures.append(message)

    def regions(self, kind: str, data: dict[str, Any], page: str) -> Iterator[tuple[str, str | None]]:
        if page == "entity":
            yield (f"stage:{data['id']}", None) if kind == "stage" else (ENTITY_PAGE[kind], data["id"])
        elif page == "kind-page":
            yield ENTITY_PAGE[kind], None
        elif page == "asset-stages":
            if _withdrawn(data):
                return  # withdrawn: kept off the stage pages (test_browser checks it is absent)
            for stage in data["stages"]:
                yield f"stage:{stage}", None
        elif page in ("home", "about", "glossary", "start-here", "coverage", "values", "lifecycle"):
            yield page, None
        elif page == "every":
            yield "every", None
        else:
            raise AssertionError(f"FIELD_DISPLAY names an unknown page {page!r}")

    def check(self, kind: str, data: dict[str, Any], value: Any, show: str, page: str,
              anchor: str | None) -> str | None:
        """None when value is shown as `show` in the region; else what is wrong."""
        if show == SITE_TITLE:
            titles = self.view.titles()
            if titles is None:
                return None
            wrong = sorted(name for name, title in titles.items() if collapse(self.shown(value)) not in title)
            return f"not in the <title> of {wrong[:5]} (titles: {[titles[w] for w in wrong[:3]]})" if wrong else None
        if show == RECORD:
            heading = self.view.heading_before(page, data["id"], 2)
            return None if value in heading.lower() else f"listed under the heading {heading!r}"
        region = self.view.region(page, anchor)
        if isinstance(region, str):
            return region
        text = region.text
        if show == VERBATIM:
            return None if collapse(self.shown(value)) in text else f"text is {text[:300]!r}"
        if show == REASON:  # a reason's id: its agreed text, linked to it on the Agreed values page
            agreed = {r["id"]: r["text"] for group in self.playbook.files["playbook.yaml"].get("reasons") or ()
                      for r in group["reasons"]}
            if value not in agreed:
                return None if collapse(self.shown(value)) in text else f"text is {text[:300]!r}"
            if collapse(self.shown(agreed[value])) not in text:
                return f"the reason's text {agreed[value]!r} is not in {text[:300]!r}"
            if not any(link.split("#")[-1] == f"value-{value}" for link in region.links):
                return f"no link to the reason {value!r} among {region.links[:20]}"
            return None
        if show == ANCHOR:
            return None if value in region.ids else f"ids are {sorted(region.ids)[:20]}"
        if show.startswith("flag:"):  # a true value shows the words, a false one does not
            words = show.removeprefix("flag:")
            shown = words in text.lower()
            return None if shown == bool(value) else f"{words!r} {'missing from' if value else 'in'} {text[:300]!r}"
        if show.startswith("anchor:"):  # an element id: a prefix and the value
            wanted = show.removeprefix("anchor:") + value
            return None if wanted in region.ids else f"no id {wanted!r} among {sorted(region.ids)[:20]}"
        if show.startswith("fragment:"):  # a link to an anchor of the same page: #prefix-value
            wanted = "#" + show.removeprefix("fragment:") + value
            return None if any(link.endswith(wanted) for link in region.links) else f"no link to {wanted}"
        if show == LABEL:
            labels = {value.lower(), value.replace("-", " ").lower(), value.replace("_", " ").lower(),
                      value.replace("_", "-").lower()}
            labels |= {label[:-1] for label in labels if label.endswith("s")}  # a unit after the number 1
            return None if any(f in text.lower() for f in labels) else f"none of {sorted(labels)} in {text[:300]!r}"
        if show == ASSET_TYPE:
            labels = {value.lower(), *(name.lower() for name in _asset_type_names(value))}
            return None if any(f in text.lower() for f in labels) else f"none of {sorted(labels)} in {text[:300]!r}"
        if show == TEAM:
            names = [collapse(self.teams[value])] if value != "both" else [collapse(n) for n in self.teams.values()]
            if value == "both" and "both teams" in text:
                return None
            return None if all(n in text for n in names) else f"team name(s) {names} not in {text[:300]!r}"
        if show == NUMBER:
            pattern = "|".join(re.escape(f) for f in _number_forms(value))
            found = re.search(rf"(?<![\d.,])(?:{pattern})(?![\d]|[.,]\d)", text)
            return None if found else f"none of {_number_forms(value)} in {text[:300]!r}"
        if show == DATE:
            forms = _date_forms(value)
            return None if any(f in text for f in forms) else f"none of {forms} in {text[:300]!r}"
        if show == ORDER:
            return self.check_order(kind, page, text)
        if show == LINK:
            ok = value in region.links if value.startswith("https://") else \
                any(link.split("#")[0].endswith(value) for link in region.links)
            if kind == "asset" and _withdrawn(data):
                # A withdrawn asset's address is shown as text, never as a link to follow.
                ok = not ok and collapse(value) in text
            return None if ok else f"links are {region.links[:20]}"
        if show.startswith("ref:"):
            target = show.removeprefix("ref:")
            name = collapse(self.name_of(target, value))
            if name not in text:
                return f"the name {name!r} of {target} {value!r} is not in {text[:300]!r}"
            if not any(_links_to(link, target, value) for link in region.links):
                return f"no link to {target} {value!r} among {region.links[:20]}"
            return None
        if show == KIND_NAME:
            words = KIND_WORDS[value]
            return None if words in text.lower() else f"{words!r} not in {text[:300]!r}"
        if show == TAKEN_FROM:  # the entry's name, linked, and the words of its number field
            for source in (v["from"] for v in data.get("values") or () if v.get("from", {}).get("id") == value):
                name, words = collapse(self.name_of(source["kind"], value)), self.taken(source)
                if name not in text or words not in text:
                    return f"the name {name!r} or the words {words!r} are not in {text[:300]!r}"
                if not any(_links_to(link, source["kind"], value) for link in region.links):
                    return f"no link to {source['kind']} {value!r} among {region.links[:20]}"
            return None
        if show == READ_LINK:  # 'glossary' (a page) or 'stage:scoping' (an entry), in each role's section
            target, _, id = value.partition(":")
            for role in data["onboarding"]["roles"]:
                section = self.view.region(page, role["id"]) if value in role["read"] else None
                if isinstance(section, str):
                    return section
                if section is not None and not any(_links_to(link, target, id) if id else
                                                   _links_to_page(link, target) for link in section.links):
                    return f"no link to {value!r} in the section of role {role['id']!r}: {section.links[:20]}"
            return None
        raise AssertionError(f"FIELD_DISPLAY names an unknown way of showing {show!r}")

    def check_order(self, kind: str, page: str, text: str) -> str | None:
        """Entries in the order of their number: on a page of their own kind, their sections (within
        each group of sections under one heading); elsewhere (the home page), their names."""
        entries = sorted(self.entries[kind].values(), key=lambda d: d["order"])
        if page == ENTITY_PAGE.get(kind):
            groups: dict[str, list[int]] = {}
            for d in entries:
                group = self.view.heading_before(page, d["id"], 2)
                groups.setdefault(group, []).append(self.view.heading_position(page, d["id"]))
            wrong = {g: p for g, p in groups.items() if -1 in p or p != sorted(p)}
            return f"sections in the order {[d['order'] for d in entries]} are at {wrong}" if wrong else None
        positions = [text.find(collapse(self.name_of(kind, d["id"]))) for d in entries]
        if -1 in positions or positions != sorted(positions):
            return f"{kind} names in order {[d['order'] for d in entries]} are at positions {positions}"
        return None


# How the site says a kind of entry, and a unit of time, one and many.
KIND_WORDS = {"handoff": "handoff", "metric": "shared goal"}
UNIT_WORDS = {"business-hours": ("business hour", "business hours"), "business-days": ("business day", "business days"),
              "hours": ("hour", "hours"), "days": ("day", "days")}


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def _asset_type_names(value: str) -> tuple[str, ...]:
    return tuple(TYPE_NAMES.get(value, ()))


def _links_to_page(link: str, page: str) -> bool:
    path, _, fragment = link.partition("#")
    path = path.removesuffix("index.html").removesuffix(".md").rstrip("/")
    return not fragment and (path == page or path.endswith("/" + page))


def _links_to(link: str, kind: str, id: str) -> bool:
    path, _, fragment = link.partition("#")
    if kind == "stage":
        path = path.removesuffix("index.html").removesuffix(".md").rstrip("/")
        return path.endswith(id) and not fragment
    return fragment == id


# Building ------------------------------------------------------------------------------------


def write_playbook(playbook: GeneratedPlaybook, folder: Path) -> Path:
    for relative, data in playbook.files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump_yaml(data), encoding="utf-8")
    return folder


def build_and_check(playbook: GeneratedPlaybook, tmp: Path) -> list[str]:
    """Build the site and render the Markdown; every value not where FIELD_DISPLAY says."""
    source = write_playbook(playbook, tmp / "source")
    project = make_project(tmp / "project", source, SITE_CONFIG, playbook.docs)
    built = run_mkdocs(project, "build", "--strict")
    assert built.returncode == 0, f"the strict build failed:\n{built.stdout}{built.stderr}"
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = cli.main(["render", str(project / "rendered"), "--playbook", str(project / "playbook"),
                         "--docs", str(project / "docs")])
    assert code == 0, f"playbook render failed: {out.getvalue()}"
    failures: list[str] = []
    for view in (HtmlView(project / "site"), MarkdownView(project / "rendered")):
        checker = Checker(view, playbook)
        checker.run()
        TALLY.add("values", checker.checked)
        failures.extend(checker.failures)
        unchecked = sorted(set(FIELD_DISPLAY) - checker.fields)
        assert not unchecked, f"the generator left out fields, so they were not checked: {unchecked}"
    TALLY.add("lost", len(failures))
    return failures


def _report(failures: list[str]) -> str:
    shown = "\n".join(f"- {f}" for f in failures[:60])
    return f"{len(failures)} values lost or misplaced:\n{shown}" + ("\n..." if len(failures) > 60 else "")


# The tests ---------------------------------------------------------------------------------------


def test_every_schema_field_says_where_the_site_shows_it() -> None:
    fields = [path for kind in kinds() for path, _ in schema_fields(kind)]
    missing = [path for path in fields
               if path not in FIELD_DISPLAY and path not in CHECK_SETTINGS | OTHER_SIGNERS | SITE_BEHAVIOUR]
    assert missing == [], f"schema fields that FIELD_DISPLAY does not place on any page: {missing}"
    stale = sorted(set(FIELD_DISPLAY) - set(fields))
    assert stale == [], f"FIELD_DISPLAY names fields no schema has: {stale}"
    assert len(fields) > 100


def test_field_walker_refuses_what_it_does_not_understand() -> None:
    from playbook_fields import UnknownSchemaShape, _walk

    root: dict[str, Any] = {"type": "object", "properties": {"x": {"oneOf": [{"type": "string"}]}}}
    with pytest.raises(UnknownSchemaShape, match=r"^term\.x: 'oneOf'"):
        list(_walk(root, root, "term"))


def _mini_playbook() -> GeneratedPlaybook:
    files = {p.relative_to(FIXTURES / "mini").as_posix(): yaml.load(p.read_text(encoding="utf-8"),
                                                                     Loader=yaml.BaseLoader)
             for p in sorted((FIXTURES / "mini").rglob("*.yaml"))}
    for data in files.values():
        _numbers(data)
    return GeneratedPlaybook(files, {})


@pytest.fixture(scope="module")
def mini_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("mini") / "project", FIXTURES / "mini", SITE_CONFIG)
    built = run_mkdocs(project, "build", "--strict")
    assert built.returncode == 0, built.stderr
    return project / "site"


def test_mini_fixture_loses_nothing(mini_site: Path) -> None:
    checker = Checker(HtmlView(mini_site), _mini_playbook())
    checker.run()
    assert checker.checked > 140
    assert checker.failures == [], _report(checker.failures)


def test_the_checker_notices_a_lost_or_moved_value(mini_site: Path) -> None:
    view = HtmlView(mini_site)
    for name in view.pages:
        view.pages[name] = view.pages[name].replace("Most buyers overpay by a third.", "Most buyers overpay.")
    glossary = view.pages["glossary/index.html"]
    view.pages["glossary/index.html"] = glossary.replace("Filled in the demo form.", "").replace(
        "A person who asked to hear from us.", "A person who asked to hear from us. Anyone in the CRM.")
    contact = re.search(r'<h3 id="contact".*?(?=<h[1-3])', glossary, re.S)
    assert contact is not None
    view.pages["glossary/index.html"] = view.pages["glossary/index.html"].replace(contact.group(0), "")
    checker = Checker(view, _mini_playbook())
    checker.run()
    lost = "\n".join(checker.failures)
    assert "asset.talking_points[] = 'Most buyers overpay by a third.' not shown (verbatim) on assets#guide" in lost
    assert "on stage:learning" in lost and "on stage:adoption" in lost
    assert "term.example = 'Filled in the demo form.' not shown (verbatim) on glossary#lead" in lost
    # The contact's definition is still on the page, but under the wrong entry: not where it belongs.
    assert "term.definition = 'Anyone in the CRM.' not shown (verbatim) on glossary#contact" in lost
    assert "term.id = 'contact' not shown (anchor)" in lost


def _numbers(data: Any) -> None:
    """BaseLoader reads every scalar as text; make the numeric fields numbers again."""
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, str) and key in ("order", "within", "touches", "days", "value") \
                    and re.fullmatch(r"-?\d+(\.\d+)?", value):
                data[key] = float(value) if "." in value else int(value)
            else:
                _numbers(value)
    elif isinstance(data, list):
        for item in data:
            _numbers(item)


FAILURES: list[str] = []


@given(playbook=playbooks())
@suite_settings(ci_examples=4)
def _every_value_reaches_its_page(playbook: GeneratedPlaybook) -> None:
    # Failures are collected over every example, not raised at the first, so one run reports
    # every kind of loss (a missing site title would otherwise hide all the others).
    with tempfile.TemporaryDirectory(prefix="nothing-lost-") as tmp:
        TALLY.add("playbooks")
        failures = build_and_check(playbook, Path(tmp))
    if failures:
        FAILURES.append(f"example {TALLY.counts['playbooks']}:\n" + _report(failures)
                        + ("" if len(FAILURES) else f"\nThe playbook:\n{playbook!r}"))


def test_every_value_reaches_its_page() -> None:
    FAILURES.clear()
    before = dict(TALLY.counts)
    _every_value_reaches_its_page()
    assert TALLY.counts["playbooks"] > before.get("playbooks", 0), TALLY.line()
    assert TALLY.counts["values"] > before.get("values", 0) + 500, TALLY.line()
    assert FAILURES == [], "\n\n".join(FAILURES)
