"""Hostile text from tests/attacks.yaml in every free-text field: it shows as text and nothing acts.

(a) every payload x every free-text field: rendered to Markdown and converted by Python-Markdown
    with risky extensions (snippets reading a folder with a secret, abbreviations, attribute
    lists, raw HTML in Markdown...); the text is there exactly, and no element, attribute or link
    appears that the plain playbook does not have. Payloads marked `refused` must instead be
    refused by validation with a problem located at the field.
(b) one real `mkdocs build --strict` per payload group, every payload of the group in every
    free-text field at once, with those extensions in mkdocs.yml.
(c) payloads in YAML keys, values and file names: `playbook validate` prints them only escaped.
"""

from __future__ import annotations

import contextlib
import copy
import html
import json
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import markdown  # type: ignore[import-untyped]
import pytest
import yaml
from conftest import SITE_CONFIG, make_project, run_mkdocs
from htmltext import Page
from playbook_fields import (
    FIXTURES,
    Leaf,
    format_place,
    free_text_fields,
    kind_of,
    kinds,
    leaves,
    output_violations,
    run_validate,
    schema_fields,
)
from suite_report import Tally

from generator.model.from_documents import build_model
from generator.rules.validate import check
from generator.site.render import render_home, render_pages

TALLY = Tally("attacks", "{pairs} payload x field pairs converted by Python-Markdown, {refused_pairs} refused "
                         "payload x field x form pairs checked, {builds} strict builds holding {pairs_built} hostile "
                         "values, {validate_runs} validate runs; {leaks} leaks or escapes found")

ATTACKS: list[dict[str, Any]] = yaml.safe_load((Path(__file__).parent / "attacks.yaml").read_text(encoding="utf-8"))
ACCEPTED = [a for a in ATTACKS if not a.get("refused")]
REFUSED = [a for a in ATTACKS if a.get("refused")]
GROUPS = sorted({a["group"] for a in ATTACKS})
SECRET = "SECRET-FILE-CONTENT-93a7"
MARK = "\ua66e"  # a letter no payload uses: marks each field's copy of the payload
REFUSED_CHARACTERS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
EXTENSIONS = ["attr_list", "abbr", "md_in_html", "def_list", "footnotes", "tables", "admonition", "toc",
              "pymdownx.snippets", "pymdownx.magiclink", "pymdownx.betterem", "pymdownx.superfences",
              "pymdownx.details", "pymdownx.tasklist", "pymdownx.emoji", "pymdownx.keys", "pymdownx.mark",
              "pymdownx.tilde", "pymdownx.caret", "pymdownx.critic", "pymdownx.arithmatex", "pymdownx.inlinehilite",
              "pymdownx.smartsymbols"]
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "srcdoc", "background", "poster"}
# Optional free-text fields the mini fixture leaves out, added so every free-text field is attacked.
ADDITIONS: dict[str, dict[str, Any]] = {
    "playbook.yaml": {"teams": {"sales": {"members": ["Account executives"], "priorities": ["Make the number."],
                                          "people": [{"name": "Sara Seller", "role": "Head of sales",
                                                      "handle": "@sara-seller"}]},
                                "marketing": {"members": ["Content team"], "priorities": ["Fill the funnel."],
                                              "people": [{"name": "Max Marketer", "role": "Head of content",
                                                          "handle": "@max-marketer"}]},
                                # A third team, which signs too: its fields and its agreed_by names.
                                "customer-success": {"name": "Customer Success", "leader": "Cara Keeper",
                                                     "description": "Keeps customers.",
                                                     "members": ["Customer success managers"],
                                                     "priorities": ["Every customer live in a month."],
                                                     "people": [{"name": "Cara Keeper", "role": "Lead",
                                                                 "handle": "@cara-keeper"}]}},
                      "signatories": ["sales", "marketing", "customer-success"],
                      "maintainers": ["@acme/playbook-maintainers"],
                      "forecast_categories": [{"id": "commit", "name": "Commit", "definition": "Signed this quarter."}],
                      "onboarding": {"roles": [{"id": "seller", "name": "Seller", "description": "Sells anvils.",
                                                "read": ["glossary", "stage:learning"]}]},
                      "glossary_groups": [{"id": "basics", "name": "The basics", "description": "Read first."}],
                      "values": [{"id": "discount", "value": "10 percent",
                                  "description": "The most an account executive gives."}],
                      # Agreed reason lists: the lifecycle names each reason by its id.
                      "reasons": [{"id": "closing", "name": "Closing reasons", "description": "Picked at the close.",
                                   "crm": {"object": "Opportunity", "field": "Close Reason"},
                                   "reasons": [{"id": "signed-first-call", "text": "Signed in the first call.",
                                                "description": "The buyer signed at once."},
                                               {"id": "not-ready", "text": "Not ready to buy."}]}]},
    "lifecycle/lead.yaml": {"abbreviation": "LD", "agreed_by": {"customer-success": "Cara Keeper"},
                            "exit_reasons": [{"reason": "signed-first-call", "goes_to": "won"}],
                            "tracks": [{"id": "first", "name": "First track", "entry": "Every new lead.",
                                        "cadence": "One e-mail a month.", "exit": "When it signs."}],
                            "crm_stages": [{"value": "1-New", "buyer_stage": "learning",
                                            "exit_criteria": ["A call is booked."]}]},
    "lifecycle/won.yaml": {"accepts": ["signed-first-call"],
                           "agreed_by": {"customer-success": "Cara Keeper"}},
    "handoffs/lead-to-won.yaml": {"agreed_by": {"customer-success": "Cara Keeper"},
                                  "rejection_reasons": [{"reason": "not-ready", "goes_to": "lead"}]},
    "metrics/win-rate.yaml": {"why": "Both teams move it.", "baseline": {"value": 18, "as_of": "Q2 2026"},
                              "owners": ["sales", "marketing", "customer-success"]},
    "personas/buyer.yaml": {"validated": {"on": "2026-10-02", "against": "Twelve deals."},
                            "objections": [{"objection": "Too expensive.", "response": "Show the ROI.",
                                            "keywords": ["price"], "internal_notes": ["Never discount here."]}]},
    "assets/guide.yaml": {"use_when": "the buyer asks what it would save.", "keywords": ["savings"],
                          "internal_notes": ["Check the figures with finance first."]},
}


def collapse(text: str) -> str:
    return " ".join(text.split())


def visible(text: str) -> bool:
    return any(not c.isspace() and unicodedata.category(c) not in ("Cf", "Mn", "Me", "Zl", "Zp") for c in text)


def _merge(data: Any, extra: Any) -> Any:
    if isinstance(data, dict) and isinstance(extra, dict):
        for key, value in extra.items():
            data[key] = _merge(data[key], value) if key in data else value
        return data
    return extra


def base_files() -> dict[str, tuple[str, dict[str, Any]]]:
    """The mini playbook with every optional free-text field filled: path -> (header line, data)."""
    files = {}
    for path in sorted((FIXTURES / "mini").rglob("*.yaml")):
        relative = path.relative_to(FIXTURES / "mini").as_posix()
        text = path.read_text(encoding="utf-8")
        header = text.split("\n", 1)[0] + "\n" if text.startswith("#") else ""
        files[relative] = (header, _merge(yaml.safe_load(text), copy.deepcopy(ADDITIONS.get(relative, {}))))
    return files


BASE = base_files()


def free_leaves(relative: str, data: Any) -> list[Leaf]:
    kind = kind_of(relative)
    free = free_text_fields(kind)
    return [leaf for leaf in leaves(kind, data) if leaf.field in free]


def dump(header: str, data: Any, allow_unicode: bool = True) -> str:
    return header + yaml.safe_dump(data, allow_unicode=allow_unicode, sort_keys=False, width=10**6)


def _get(data: Any, place: tuple[str | int, ...]) -> Any:
    for key in place:
        data = data[key]
    return data


def _set(data: Any, place: tuple[str | int, ...], value: Any) -> None:
    for key in place[:-1]:
        data = data[key]
    data[place[-1]] = value


# Free-text fields with a maximum length (an agreed value: it is written out wherever a text names it).
LIMITS = {path: schema["maxLength"] for kind in kinds() for path, schema in schema_fields(kind)
          if "maxLength" in schema}


def fit(value: str, leaf: Leaf) -> str:
    """A planted value cut to its field's maximum length, if it has one, around its mark."""
    limit = LIMITS.get(leaf.field)
    if limit is None or len(value) <= limit:
        return value
    start = value.index(MARK)
    end = value.index(MARK, start + 1) + 1
    room = limit - (end - start)
    before = value[:start][-(room // 2):] if room // 2 else ""
    return before + value[start:end] + value[end:][:room - len(before)]


def planted(text: str, number: int) -> str:
    """The value a field gets: the payload first and last (where line-start syntax acts), a mark between."""
    return f"{text} {MARK}{number}{MARK} {text}"


def write_playbook(root: Path, files: dict[str, tuple[str, dict[str, Any]]]) -> None:
    if root.exists():
        shutil.rmtree(root)
    for relative, (header, data) in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(dump(header, data), encoding="utf-8")


# Judging HTML ----------------------------------------------------------------------------------------


@dataclass
class Baseline:
    """What the plain playbook's HTML has: elements, (element, attribute) pairs, link targets."""

    tags: set[str] = field(default_factory=set)
    attributes: set[tuple[str, str]] = field(default_factory=set)
    links: set[str] = field(default_factory=set)

    def learn(self, html_text: str) -> None:
        page = Page(html_text)
        for tag, attrs in page.tags:
            self.tags.add(tag)
            for name, value in attrs:
                self.attributes.add((tag, name))
                if name in URL_ATTRIBUTES and value is not None:
                    self.links.add(value)


def dangerous_url(value: str) -> bool:
    """Whether a browser would run or load this as script or inline data (it drops C0 and spaces first)."""
    squeezed = re.sub(r"[\x00-\x20\x7f]+", "", html.unescape(value)).lower()
    return squeezed.startswith(("javascript:", "data:", "vbscript:"))


def leaks(html_text: str, baseline: Baseline, where: str, scripts: tuple[list[str], int] | None = None) -> list[str]:
    """Everything in the HTML that hostile text made act: new elements, attributes or links, scripts,
    event handlers, script or data URLs, the secret file, /etc/passwd. `scripts`: the theme's own
    scripts of this page in the plain build, and its number of <script> elements (a fragment has none)."""
    found = []
    page = Page(html_text)
    for tag, attrs in page.tags:
        if tag not in baseline.tags:
            found.append(f"{where}: a <{tag}> element: {_context(html_text, '<' + tag)}")
        for name, value in attrs:
            if name.startswith("on"):
                found.append(f"{where}: an event handler <{tag} {name}={value!r}>")
            elif (tag, name) not in baseline.attributes:
                found.append(f"{where}: a new attribute <{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES and value is not None:
                if dangerous_url(value):
                    found.append(f"{where}: a script or data URL <{tag} {name}={value!r}>")
                elif value not in baseline.links and not (value.startswith("#") and value[1:] in page.ids):
                    found.append(f"{where}: a new link <{tag} {name}={value!r}>")
    theirs, count = scripts or ([], 0)
    if page.scripts != theirs or html_text.lower().count("<script") != count:
        new = [s for s in page.scripts if s not in theirs] or [_context(html_text.lower(), "<script")]
        found.append(f"{where}: a script the plain playbook's page does not have: {new[0][:300]!r}")
    for secret in (SECRET, "root:x:0:0"):
        if secret in html_text:
            found.append(f"{where}: the content of a file was included: {_context(html_text, secret)}")
    return found


def _context(text: str, needle: str) -> str:
    at = text.find(needle)
    return repr(text[max(0, at - 60):at + 100]) if at >= 0 else "?"


def converter(base_path: Path) -> markdown.Markdown:
    return markdown.Markdown(extensions=EXTENSIONS, extension_configs={
        "toc": {"permalink": True},
        "pymdownx.snippets": {"base_path": [str(base_path), "/"], "check_paths": False,
                              "restrict_base_path": False}})


def convert(md: markdown.Markdown, text: str) -> str:
    md.reset()
    return str(md.convert(text))


# (a) the payload x field grid ----------------------------------------------------------------------


@dataclass
class Grid:
    root: Path
    md: markdown.Markdown
    baseline_markdown: dict[str, str]
    baseline: Baseline


@pytest.fixture(scope="module")
def grid(tmp_path_factory: pytest.TempPathFactory) -> Grid:
    tmp = tmp_path_factory.mktemp("attacks")
    (tmp / "secret.txt").write_text(SECRET + "\n", encoding="utf-8")
    root = tmp / "playbook"
    write_playbook(root, BASE)
    loaded, problems = check(root)
    assert problems == [], [str(p) for p in problems]
    pages = _render(loaded)
    md = converter(tmp)
    baseline = Baseline()
    for text in pages.values():
        baseline.learn(convert(md, text))
    return Grid(root, md, pages, baseline)


def _render(loaded: Any) -> dict[str, str]:
    playbook = build_model(loaded)
    pages = render_pages(playbook)
    pages["index.md"] = render_home(playbook)
    return pages


def test_the_attack_corpus_is_well_formed() -> None:
    names = [a["name"] for a in ATTACKS]
    assert len(names) == len(set(names)), "payload names must be unique"
    for attack in ATTACKS:
        assert set(attack) <= {"name", "group", "text", "refused"}, attack
        assert isinstance(attack["text"], str) and attack["text"], attack
        # A payload is refused exactly when it holds a control, bidi override or isolate character,
        # or nothing visible: the marking in attacks.yaml says what the validator must do.
        must_refuse = bool(REFUSED_CHARACTERS.search(attack["text"])) or not visible(attack["text"])
        assert bool(attack.get("refused")) == must_refuse, attack["name"]
    assert len(ACCEPTED) > 60 and len(REFUSED) >= 8


def test_every_free_text_field_of_every_schema_is_attacked() -> None:
    attacked = {leaf.field for relative, (_, data) in BASE.items() for leaf in free_leaves(relative, data)}
    every = {f for kind in kinds() for f in free_text_fields(kind)}
    assert every - attacked == set(), "free-text fields the grid does not reach: add them to ADDITIONS"


# Texts that must stay the same in two files (a reason and the state that accepts it): planting one
# plants the other with the same text.
# An agreed definition is signed by a person listed for each team: each agreed_by name is the name of
# the team's first person.
LINKED = [(("lifecycle/lead.yaml", ("exit_reasons", 0, "reason")), ("lifecycle/won.yaml", ("accepts", 0))),
          *((("playbook.yaml", ("teams", team, "people", 0, "name")), (agreed, ("agreed_by", team)))
            for agreed in ("lifecycle/lead.yaml", "lifecycle/won.yaml", "handoffs/lead-to-won.yaml")
            for team in ("sales", "marketing", "customer-success"))]


def relink(datas: dict[str, Any]) -> dict[tuple[str, tuple[str | int, ...]], Any]:
    """Give the second place of each LINKED pair the text of the first (or the first the second's,
    when only the second's file is planted), adding the other file from BASE when it is missing;
    returns the places changed and their new values."""
    changed = {}
    for one, other in LINKED:
        source, target = (one, other) if one[0] in datas else (other, one)
        if source[0] in datas:
            value = _get(datas[source[0]], source[1])
            _set(datas.setdefault(target[0], copy.deepcopy(BASE[target[0]][1])), target[1], value)
            changed[target] = value
    return changed


# Fields that name an agreed reason by its id once playbook.yaml lists reasons, as BASE does: a payload
# there is refused (an unknown reason, at its place: test_every_refused_payload_is_refused_where_it_is);
# the words they show are the reason's text, a free-text field of playbook.yaml, planted as any other.
REASON_IDS = frozenset({"lifecycle.accepts[]", "lifecycle.exit_reasons[].reason", "handoff.rejection_reasons[].reason"})


def planted_case(grid: Grid, attack: dict[str, Any], relatives: list[str]) -> tuple[int, list[str]]:
    """The payload in every free-text field of the given files at once: (fields, what went wrong)."""
    found: list[str] = []
    values: dict[tuple[str, Leaf], str] = {}
    datas: dict[str, Any] = {}
    for relative in relatives:
        data = datas[relative] = copy.deepcopy(BASE[relative][1])
        for leaf in free_leaves(relative, data):
            if leaf.field in REASON_IDS:
                continue  # an agreed reason's id: its words are the reason's text in playbook.yaml
            values[relative, leaf] = fit(planted(attack["text"], len(values)), leaf)
            _set(data, leaf.place, values[relative, leaf])
    for target, value in relink(datas).items():
        for relative, leaf in values:
            if (relative, leaf.place) == target:
                values[relative, leaf] = value
    relatives = list(datas)
    for relative, data in datas.items():
        (grid.root / relative).write_text(dump(BASE[relative][0], data), encoding="utf-8")
    try:
        loaded, problems = check(grid.root)
    finally:
        for relative in relatives:
            (grid.root / relative).write_text(dump(*BASE[relative]), encoding="utf-8")
    name = attack["name"]
    if problems:
        return len(values), [f"{name}: refused, but it is plain text: {p}" for p in problems]
    pages = _render(loaded)
    converted = {uri: convert(grid.md, text) for uri, text in pages.items() if text != grid.baseline_markdown.get(uri)}
    shown = " ".join(Page(h).text for h in converted.values())
    for (relative, leaf), value in values.items():
        if collapse(value) not in shown:
            found.append(f"{name}: {relative} {format_place(leaf.place)} not shown as written: "
                         f"{_near(shown, value)}")
    for uri, page_html in converted.items():
        found.extend(leaks(page_html, grid.baseline, f"{name} in {', '.join(relatives)}: {uri}"))
    return len(values), found


def test_every_payload_in_every_free_text_field_shows_as_text(grid: Grid) -> None:
    found: list[str] = []
    for attack in ACCEPTED:
        # Every field of every file at once; on a finding, file by file, to say whose field it was.
        fields, wrong = planted_case(grid, attack, list(BASE))
        TALLY.add("pairs", fields)
        if wrong:
            one_by_one = [w for relative in BASE for w in planted_case(grid, attack, [relative])[1]]
            found.extend(one_by_one or wrong)
    TALLY.add("leaks", len(found))
    assert found == [], f"{len(found)} escapes or losses:\n" + "\n".join(found[:80])


def _near(shown: str, value: str) -> str:
    mark = value[value.index(MARK):value.index(MARK, value.index(MARK) + 1) + 1]
    at = shown.find(mark)
    return f"wanted {collapse(value)!r}, the page shows " + (
        repr(shown[max(0, at - 150):at + 150]) if at >= 0 else "no trace of it")


def value_lines(text: str, place: tuple[str | int, ...], tree: Any = None) -> range:
    """The lines (from 1) where the value at place is written, its field name's line included
    (`tree`: the text already composed, to compose it once for many places)."""
    node: Any = tree if tree is not None else yaml.compose(text, Loader=yaml.SafeLoader)
    start = node.start_mark.line
    for key in place:
        if isinstance(node, yaml.MappingNode):
            key_node, node = next((k, v) for k, v in node.value if k.value == key)
            start = key_node.start_mark.line
        else:
            node = node.value[key]
            start = node.start_mark.line
    return range(start + 1, node.end_mark.line + 2)


def _refused_at(problems: list[Any], relative: str, place: str, lines: range) -> bool:
    return any(p.file.endswith(relative) and p.column >= 1 and (p.path == place or p.line in lines)
               for p in problems)


def test_every_refused_payload_is_refused_where_it_is(grid: Grid) -> None:
    """Each refused payload, alone as the value (a mark would make it visible), in every free-text
    field of every file at once, as the character itself or as a YAML escape (\\e, \\u202e): each
    field has a problem at its place. A file lists at most so many such characters and counts the
    rest; a field not found at its place is planted again on its own, and must be found there."""
    found: list[str] = []
    for attack in REFUSED:
        for raw in (True, False):
            form = "raw" if raw else "escaped"
            planted_texts: dict[str, tuple[str, list[Leaf]]] = {}
            for relative, (header, original) in BASE.items():
                data = copy.deepcopy(original)
                leaves = list(free_leaves(relative, original))
                for leaf in leaves:
                    _set(data, leaf.place, attack["text"])
                text = dump(header, data, allow_unicode=raw)
                planted_texts[relative] = (text, leaves)
                (grid.root / relative).write_text(text, encoding="utf-8", errors="surrogatepass")
            try:
                problems = check(grid.root)[1]
            finally:
                for relative, (header, original) in BASE.items():
                    (grid.root / relative).write_text(dump(header, original), encoding="utf-8")
            for relative, (text, leaves) in planted_texts.items():
                tree = yaml.compose(text, Loader=yaml.SafeLoader) if leaves else None
                for leaf in leaves:
                    TALLY.add("refused_pairs")
                    place = format_place(leaf.place)
                    lines = value_lines(text, leaf.place, tree)
                    if _refused_at(problems, relative, place, lines):
                        continue
                    # Planted alone: where the file's list had no room for it, or where a line break
                    # YAML counts and the file's own lines do not (U+0085) moved the lines after it.
                    header, original = BASE[relative]
                    data = copy.deepcopy(original)
                    _set(data, leaf.place, attack["text"])
                    alone = dump(header, data, allow_unicode=raw)
                    path = grid.root / relative
                    path.write_text(alone, encoding="utf-8", errors="surrogatepass")
                    try:
                        single = check(grid.root)[1]
                    finally:
                        path.write_text(dump(header, original), encoding="utf-8")
                    lines = value_lines(alone, leaf.place)
                    if _refused_at(single, relative, place, lines):
                        TALLY.add("refused_alone")
                        continue
                    found.append(f"{attack['name']} ({form}) in {relative} {place} (lines {lines.start}-"
                                 f"{lines.stop - 1}): not refused there; problems: {[str(p) for p in single][:3]}")
    TALLY.add("leaks", len(found))
    assert found == [], f"{len(found)} refused payloads got through:\n" + "\n".join(found[:80])


# (b) real builds ---------------------------------------------------------------------------------------

RISKY_SITE = SITE_CONFIG.replace("markdown_extensions:\n", "markdown_extensions:\n" + "".join(
    f"  - {name}\n" for name in EXTENSIONS if name not in ("tables", "admonition", "toc", "attr_list",
                                                           "pymdownx.snippets"))
    + "  - pymdownx.snippets:\n      base_path: ['.', '/']\n      check_paths: false\n"
    + "      restrict_base_path: false\n")


def build(tmp: Path, files: dict[str, tuple[str, dict[str, Any]]]) -> tuple[Path, subprocess.CompletedProcess[str]]:
    source = tmp / "source"
    write_playbook(source, files)
    project = make_project(tmp / "project", source, RISKY_SITE)
    (project / "secret.txt").write_text(SECRET + "\n", encoding="utf-8")
    TALLY.add("builds")
    return project, run_mkdocs(project, "build", "--strict")


@dataclass
class PlainSite:
    pages: Baseline
    search: Baseline
    scripts: dict[str, tuple[list[str], int]]


def site_baseline(site: Path) -> PlainSite:
    plain = PlainSite(Baseline(), Baseline(), {})
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        plain.pages.learn(text)
        plain.scripts[path.relative_to(site).as_posix()] = (Page(text).scripts, text.lower().count("<script"))
    for doc in _search_docs(site):
        plain.search.learn(doc["title"] + " " + doc["text"])
    return plain


def _search_docs(site: Path) -> list[dict[str, Any]]:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    docs: list[dict[str, Any]] = index["docs"]
    return docs


@pytest.fixture(scope="module")
def plain_site(tmp_path_factory: pytest.TempPathFactory) -> PlainSite:
    project, result = build(tmp_path_factory.mktemp("plain"), BASE)
    assert result.returncode == 0, result.stdout + result.stderr
    return site_baseline(project / "site")


@pytest.mark.parametrize("group", GROUPS)
def test_strict_build_with_every_payload_of_a_group_in_every_field(group: str, tmp_path: Path,
                                                                     plain_site: PlainSite) -> None:
    payloads = [a["text"] for a in ACCEPTED if a["group"] == group]
    if not payloads:  # a group of refused payloads only: the build must refuse them
        payloads = [a["text"] for a in REFUSED if a["group"] == group]
    refused = all(a.get("refused") for a in ATTACKS if a["group"] == group)
    joined = "\n\n".join(payloads)
    files = copy.deepcopy(BASE)
    values = []
    for relative, (_, data) in files.items():
        for number, leaf in enumerate(free_leaves(relative, data)):
            if leaf.field in REASON_IDS:
                continue  # an agreed reason's id: its words are its text in playbook.yaml, planted there
            value = fit(f"{joined} {MARK}{relative}:{number}{MARK} {joined}", leaf)
            _set(data, leaf.place, value)
            values.append((relative, leaf, value))
    changed = relink({relative: data for relative, (_, data) in files.items()})
    values = [(relative, leaf, changed.get((relative, leaf.place), value)) for relative, leaf, value in values]
    project, result = build(tmp_path, files)
    output = result.stdout + result.stderr
    if refused:
        assert result.returncode == 1 and "Traceback" not in output, output[-3000:]
        assert not (project / "site").exists()
        return
    assert result.returncode == 0, output[-3000:]
    site = project / "site"
    found: list[str] = []
    texts = []
    for path in sorted(site.rglob("*")):
        if path.is_file() and path.suffix in (".html", ".json", ".xml", ".js", ".txt"):
            content = path.read_text(encoding="utf-8", errors="replace")
            if SECRET in content or "root:x:0:0" in content:
                found.append(f"{path.relative_to(site)}: holds the content of a file: {_context(content, SECRET)}")
        if path.suffix == ".html":
            html_text = path.read_text(encoding="utf-8")
            texts.append(Page(html_text).text)
            name = path.relative_to(site).as_posix()
            found.extend(leaks(html_text, plain_site.pages, name, plain_site.scripts.get(name)))
    for doc in _search_docs(site):
        found.extend(leaks(doc["title"] + " " + doc["text"], plain_site.search, f"search index {doc['location']}"))
    corpus = " ".join(texts)
    for relative, leaf, value in values:
        if collapse(value) not in corpus:
            found.append(f"{relative} {format_place(leaf.place)}: not on the site as written")
    TALLY.add("pairs_built", len(values))
    TALLY.add("leaks", len(found))
    assert found == [], f"{len(found)} escapes or losses in the {group} build:\n" + "\n".join(found[:60])


# (c) validate prints hostile text only escaped -------------------------------------------------------


def hostile_playbook(root: Path, text: str, raw: bool) -> None:
    """The mini playbook with the payload as field names, as values checked against a closed form
    (echoed by their messages: enums, ids, references, links, dates) and as a file name."""
    files = copy.deepcopy(BASE)
    plants: list[tuple[str, tuple[str | int, ...], Any]] = [
        ("terms/contact.yaml", ("owner",), text), ("terms/lead.yaml", ("related",), [text]),
        ("stages/learning.yaml", ("lifecycle_states",), [text]), ("lifecycle/lead.yaml", ("next_states",), [text]),
        ("assets/guide.yaml", ("link",), text), ("assets/guide.yaml", ("review_by",), text),
        ("assets/guide.yaml", ("type",), text), ("metrics/win-rate.yaml", ("currency",), text),
        ("personas/buyer.yaml", ("id",), text), ("handoffs/lead-to-won.yaml", ("service_level", "unit"), text),
    ]
    for relative, place, value in plants:
        _set(files[relative][1], place, value)
    files["terms/contact.yaml"][1][text] = "a field named by the payload"
    files["playbook.yaml"][1]["teams"][text] = {"name": "x"}
    files["lifecycle/won.yaml"][1]["crm"][text] = 1
    root.mkdir(parents=True)
    for relative, (header, data) in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(dump(header, data, allow_unicode=raw), encoding="utf-8", errors="surrogatepass")
    name = text.replace("/", "\u2215").replace("\0", "")[:60] + ".yaml"
    with contextlib.suppress(OSError):
        (root / "terms" / name).write_text(dump(*BASE["terms/contact.yaml"]), encoding="utf-8")


def validate(project: Path, root: Path, through_subprocess: bool) -> tuple[int, bytes, bytes]:
    TALLY.add("validate_runs")
    return run_validate(project, root, through_subprocess)


def _hostile_runs() -> Iterator[tuple[str, bool, bool]]:
    first_of_group: set[str] = set()
    for attack in ATTACKS:
        for raw in (True, False):
            through_subprocess = raw and attack["group"] not in first_of_group
            first_of_group.add(attack["group"])
            yield attack["name"], raw, through_subprocess


def test_validate_prints_hostile_keys_values_and_names_only_escaped(tmp_path: Path) -> None:
    found: list[str] = []
    texts = {a["name"]: a["text"] for a in ATTACKS}
    for number, (name, raw, through_subprocess) in enumerate(_hostile_runs()):
        project = tmp_path / f"p{number}"
        hostile_playbook(project / "playbook", texts[name], raw)
        code, out, err = validate(project, project / "playbook", through_subprocess)
        how = f"{name} ({'raw' if raw else 'escaped'} in YAML, {'subprocess' if through_subprocess else 'in process'})"
        if code != 1:
            found.append(f"{how}: exit code {code}, 1 expected")
        found.extend(f"{how}: {v}" for v in output_violations(code, out, err, (SECRET,)))
        shutil.rmtree(project)
    TALLY.add("leaks", len(found))
    assert found == [], f"{len(found)} escapes:\n" + "\n".join(v[:600] for v in found[:60])


def test_the_judges_catch_escaping_switched_off(grid: Grid, monkeypatch: pytest.MonkeyPatch) -> None:
    # With the renderer's escaping switched off, the same grid must find what the payloads do.
    import generator.site.safe_text

    monkeypatch.setattr(generator.site.safe_text, "inline",
                        lambda text, **_: generator.site.safe_text.Md(" ".join(str(text).split())))
    by_name = {a["name"]: a for a in ACCEPTED}
    found = {name: planted_case(grid, by_name[name], ["terms/lead.yaml"])[1]
             for name in ("script-tag", "img-onerror", "markdown-link-javascript", "abbreviation", "snippet",
                          "attribute-list-on-link", "bare-url", "emphasis")}
    assert any("a script" in f for f in found["script-tag"]), found["script-tag"]
    assert any("event handler" in f for f in found["img-onerror"]), found["img-onerror"]
    assert any("script or data URL" in f for f in found["markdown-link-javascript"]), found["markdown-link-javascript"]
    assert any("<abbr>" in f for f in found["abbreviation"]), found["abbreviation"]
    assert any("content of a file" in f for f in found["snippet"]), found["snippet"]
    assert any("event handler" in f for f in found["attribute-list-on-link"]), found["attribute-list-on-link"]
    assert any("new link" in f for f in found["bare-url"]), found["bare-url"]
    assert any("not shown as written" in f for f in found["emphasis"]), found["emphasis"]
