"""The fast paths of reading and checking give exactly what the careful paths give: the compiled
schema check (jsonschema-rs) judges every document as jsonschema does, the refused-character
pattern is the same set of characters, places worked out later are the places noted at once, and
the cache of files read never hands out a document another caller can change."""

from __future__ import annotations

import copy
import gc
import re
from pathlib import Path
from typing import Any

import yaml
from conftest import REPO
from hypothesis import given
from hypothesis import strategies as st
from playbook_strategies import suite_settings

from generator.source import filecache, schema_formats, schemas
from generator.source.loader import load_document, load_playbook
from generator.source.scalars import REFUSED
from generator.source.yamltree import TreeBuilder

# The set of characters refused in a file, as first written: the complement of those allowed.
ALLOWED_COMPLEMENT = re.compile("[^\\x09\\x0A\\x0D\\x20-\\x7E\\xA0-\\uD7FF\\uE000-\\uFFFD\\U00010000-\\U0010FFFF]"
                                "|[\\u2028\\u2029\\u202A-\\u202E\\u2066-\\u2069]")


def test_the_refused_pattern_refuses_the_same_characters_over_every_code_point() -> None:
    every = "".join(map(chr, range(0x110000)))
    fast = [m.start() for m in REFUSED.finditer(every)]
    assert fast == [m.start() for m in ALLOWED_COMPLEMENT.finditer(every)]
    assert len(fast) > 2000  # controls, surrogates and the direction marks


def _default_documents() -> list[tuple[str, Any]]:
    loaded = load_playbook(REPO / "playbook")
    docs = [loaded.settings, *(d for kind in loaded.documents.values() for d in kind)]
    return [(d.kind, d.data) for d in docs if d is not None]


DEFAULT = _default_documents()

# Values that differ in type, shape or text from what the schemas allow, by a little or a lot.
ODD = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 3), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["", " ", "x", "2026-02-30", "2026-11-23", "not a date", "https://example.com/a",
                     "javascript:alert(1)", "sales", "marketing", "both", "lead", "UPPER", "a-b", "ok\n"]),
    st.text(max_size=8), st.lists(st.text(max_size=4), max_size=3),
    st.dictionaries(st.sampled_from(["id", "name", "x", "within", "unit"]), st.integers(0, 2), max_size=2))


def _places(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _places(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _places(item, (*prefix, index))
    return found


@st.composite
def damaged(draw: Any) -> tuple[str, Any]:
    kind, data = draw(st.sampled_from(DEFAULT))
    data = copy.deepcopy(data)
    for _ in range(draw(st.integers(0, 3))):
        place = draw(st.sampled_from(_places(data)[1:]))
        parent = data
        for step in place[:-1]:
            parent = parent[step]
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "delete" and isinstance(parent, dict):
            del parent[place[-1]]
        elif action == "add" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["extra", "id", "name", "notes"]))] = draw(ODD)
        else:
            parent[place[-1]] = draw(ODD)
    return kind, data


@given(damaged())
@suite_settings(400)
def test_the_compiled_check_judges_every_document_as_jsonschema_does(case: tuple[str, Any]) -> None:
    kind, data = case
    careful = list(schemas.validator(kind).iter_errors(data))
    assert [e.message for e in schemas.schema_errors(kind, data)] == [e.message for e in careful]
    fast = schemas.fast_validator(kind)
    assert fast is not None, f"jsonschema-rs cannot compile the {kind} schema"
    _, odd_values = schemas._scan(data)
    if not odd_values:
        assert fast.is_valid(data) == (not careful), (kind, [e.message for e in careful])


def test_every_schema_compiles_for_the_fast_check() -> None:
    kinds = {kind for kind, _ in DEFAULT}
    assert kinds >= {"playbook", "asset", "term", "persona", "stage", "handoff", "lifecycle", "metric"}
    assert all(schemas.fast_validator(kind) is not None for kind in kinds)


def test_places_worked_out_later_are_the_places_noted_at_once(tmp_path: Path) -> None:
    for path in sorted((REPO / "playbook").rglob("*.yaml"))[:40]:
        text = path.read_text(encoding="utf-8")
        eager = TreeBuilder(path.name).build(text)
        doc = load_document(path, "x", [], path.name)
        assert doc is not None
        assert dict(doc.positions) == eager.positions and dict(doc.key_positions) == eager.key_positions
        assert dict(doc.written) == eager.written
        assert doc.data == eager.data


def test_a_cached_document_is_a_copy_no_caller_can_change(tmp_path: Path) -> None:
    path = tmp_path / "term.yaml"
    path.write_text("id: a\nlist: [1, 2]\nmap: {k: [x]}\nshared: &s [1]\nagain: *s\n", encoding="utf-8")
    first = load_document(path, "term", [], "term.yaml")
    assert first is not None
    first.data["list"].append(3)
    first.data["map"]["k"].append("y")
    second = load_document(path, "term", [], "term.yaml")
    assert second is not None
    assert second.data == {"id": "a", "list": [1, 2], "map": {"k": ["x"]}, "shared": [1], "again": [1]}
    assert second.data["shared"] is second.data["again"]  # an alias still shares its value
    assert second.positions[("list", 1)] == (2, 11)


def test_changed_bytes_are_read_again_and_problems_come_back_from_the_cache(tmp_path: Path) -> None:
    path = tmp_path / "term.yaml"
    path.write_text("id: a\nid: b\n", encoding="utf-8")
    for _ in range(2):
        problems: list[Any] = []
        assert load_document(path, "term", problems, "term.yaml") is None
        assert [str(p) for p in problems] == [
            "term.yaml:2:1: id: duplicate field 'id' (first given on line 1): YAML would keep only the last one; "
            "merge them [duplicate-key]"]
    path.write_text("id: b\n", encoding="utf-8")
    doc = load_document(path, "term", [], "term.yaml")
    assert doc is not None and doc.data == {"id": "b"}


def test_the_cache_is_bounded_and_drops_the_oldest_first() -> None:
    cache = filecache.ContentCache(budget=100)
    for n in range(5):
        cache.put(n, str(n), 30)
    assert len(cache) == 3 and cache.size == 90
    assert cache.get(0) is None and cache.get(1) is None and cache.get(4) == "4"
    cache.put("huge", "x", 101)
    assert cache.get("huge") is None and len(cache) == 3


def test_reading_a_playbook_leaves_the_cycle_collector_as_it_was() -> None:
    assert gc.isenabled()
    load_playbook(REPO / "playbook")
    assert gc.isenabled()
    gc.disable()
    try:
        load_playbook(REPO / "playbook")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_yaml_text_is_read_the_same_with_the_libyaml_parser() -> None:
    assert getattr(yaml, "__with_libyaml__", False), "PyYAML was installed without libyaml"


# Links to values inside other links, as first written: three alternatives, each with its own case
# rules, every tag written out or left out one by one.
_CAREFUL_LINK = re.compile(r'(<a class="pb-value" href="[^"<>]*">)|(?i:<a\b)|(?i:</a\s*>)')


def _careful_unnest(page: str) -> str:
    out, last, dropped = [], 0, []
    for match in _CAREFUL_LINK.finditer(page):
        out.append(page[last:match.start()])
        last = match.end()
        if match.group().startswith("</"):
            if not (dropped and dropped.pop()):
                out.append(match.group())
        elif match.group(1) is not None and dropped:
            dropped.append(True)
        else:
            dropped.append(False)
            out.append(match.group())
    out.append(page[last:])
    return "".join(out)


_PIECES = ['<a class="pb-value" href="stages/#value-x">', '<a class="pb-value" href="a"b">', '<a href="x">',
           "<A HREF=y>", "<a\n", "<abbr>", "<a>", "</a>", "</A >", "</a\n>", "</abbr>", "</a", "<", ">",
           'class="pb-value"', "text ", "\u0131", "K"]


@given(st.lists(st.sampled_from(_PIECES), max_size=40))
def test_links_to_values_in_links_come_out_as_the_careful_pass_takes_them_out(pieces: list[str]) -> None:
    from generator.site.safe_text import unnest_value_links

    page = 'class="pb-value"' + "".join(pieces)
    assert unnest_value_links(page) == _careful_unnest(page)


def test_a_value_link_in_a_card_loses_its_tags_and_keeps_its_words() -> None:
    from generator.site.safe_text import unnest_value_links

    page = ('<p><a class="pb-value" href="v/#a">25%</a></p><a class="card" href="x"><b>Cut '
            '<a class="pb-value" href="v/#b">10 days</a> off</b></A >after')
    assert unnest_value_links(page) == ('<p><a class="pb-value" href="v/#a">25%</a></p><a class="card" href="x">'
                                        "<b>Cut 10 days off</b></A >after")


# The elements the theme's search leaves out, as first found: a pattern tried at every tag.
_CAREFUL_EXCLUDED = re.compile(r"<[a-zA-Z][^<>]*?\sdata-search-exclude(?=[\s/>=])")

_TAG_PIECES = ["<div", "<p", "<1", "< ", "<", ">", " data-search-exclude", "\tdata-search-exclude",
               "\u2003data-search-exclude", "data-search-exclude", " data-search-exclude=", " data-search-excluded",
               " data-search-exclude/", ' class="x"', "text", "\n", "<article class=\"md-content__inner md-typeset\"",
               "\u00e9"]


@given(st.lists(st.sampled_from(_TAG_PIECES), max_size=40))
def test_pagefind_marks_the_elements_the_careful_pattern_marks(pieces: list[str]) -> None:
    from generator.site.static import ARTICLE, pagefind_page

    page = "".join(pieces)
    careful = ARTICLE.sub(lambda m: m.group(0) + " data-pagefind-body", page, count=1)
    careful = _CAREFUL_EXCLUDED.sub(lambda m: m.group(0) + " data-pagefind-ignore", careful)
    assert pagefind_page(page) == careful


DATES = st.one_of(st.text(alphabet="0123456789-\n ٠١２", max_size=12), st.dates().map(str),
                  st.sampled_from(["2026-02-29", "2028-02-29", "2026-13-01", "2026-00-10", "0000-01-01",
                                   "2026-1-01", "2026-01-01\n", " 2026-01-01", "２０２６-01-01", "2026-01-01T00:00"]),
                  st.none(), st.integers(), st.floats(allow_nan=False))


@given(DATES)
@suite_settings(300)
def test_the_date_format_is_judged_as_jsonschema_judges_it(value: Any) -> None:
    from jsonschema import Draft202012Validator

    assert schema_formats.is_date(value) == Draft202012Validator.FORMAT_CHECKER.conforms(value, "date"), value


def test_every_format_a_schema_names_is_given_to_the_fast_check() -> None:
    """jsonschema-rs would judge a format it is not given by its own rules: each schema's formats
    go to it as jsonschema checks them."""
    for kind in {kind for kind, _ in DEFAULT}:
        named = schema_formats.formats_named(schemas._schema(kind))
        assert named <= {"date"}, (kind, named)  # a new format: give it to _format_function as well
    assert "date" in schema_formats.formats_named(schemas._schema("asset"))
    assert schemas._format_function("date") is schemas.is_date


def test_a_valid_playbook_is_checked_without_importing_jsonschema(tmp_path: Path) -> None:
    """jsonschema is imported for its messages only, when a file fails its schema."""
    import subprocess
    import sys

    probe = ("import sys\nfrom pathlib import Path\nfrom generator.rules.validate import check\n"
             "_, problems = check(Path(sys.argv[1]))\n"
             "print(sum(not p.warning for p in problems), 'jsonschema' in sys.modules)\n")
    bad = tmp_path / "playbook"
    import shutil

    shutil.copytree(REPO / "playbook", bad)
    asset = sorted((bad / "assets").glob("*.yaml"))[0]
    asset.write_text(asset.read_text(encoding="utf-8").replace("title:", "titel:", 1), encoding="utf-8")
    said = []
    for root in (REPO / "playbook", bad):
        done = subprocess.run([sys.executable, "-c", probe, str(root)], capture_output=True, text=True, timeout=120,
                              cwd=tmp_path, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"}, check=False)
        assert done.returncode == 0, done.stderr
        said.append(done.stdout.split())
    assert said[0] == ["0", "False"]
    assert int(said[1][0]) > 0 and said[1][1] == "True"


def _patterns(schema: Any) -> set[str]:
    return schema_formats.keyword_texts(schema, "pattern")


NATIVE = sorted({p for kind, _ in DEFAULT for p in _patterns(schemas._schema(kind)) if schema_formats.native(p)})


@given(st.sampled_from(NATIVE), st.one_of(
    st.text(alphabet="abcxyzAZ09-_.:/@ \n\t\u00e9\u0661\u212a\u017f", max_size=12),
    st.from_regex(r"\A[a-z0-9]+(-[a-z0-9]+)*\n?\Z"), st.from_regex(r"\A@[A-Za-z0-9-]{1,40}(/[A-Za-z._-]{1,9})?\n?\Z"),
    st.from_regex(r"\A[A-Z]{3}\n?\Z")))
@suite_settings(600)
def test_a_pattern_the_compiled_check_judges_itself_reads_every_text_as_python_does(pattern: str, text: str) -> None:
    """The patterns jsonschema-rs judges with its own regular expressions accept exactly what
    ours accept (schemas.ecma_pattern): ids, codes and handles, with a line break at the end,
    letters that only look like ASCII (K, ſ), other digits (١) and other letters."""
    import jsonschema_rs

    rust = jsonschema_rs.validator_for({"type": "string", "pattern": pattern})
    assert rust.is_valid(text) == bool(schemas.ecma_pattern(pattern).search(text)), (pattern, text)


def test_each_pattern_is_judged_by_one_regular_expression_engine_or_the_other() -> None:
    """The ids, codes and handles go to jsonschema-rs's own regular expressions; a pattern with
    a lookahead, a class of Rust's own (\\s) or a `$` before its end is judged by ours."""
    assert "^[a-z0-9]+(-[a-z0-9]+)*$" in NATIVE and "^[A-Z]{3}$" in NATIVE
    every = {p for kind, _ in DEFAULT for p in _patterns(schemas._schema(kind))}
    assert {p for p in every if not schema_formats.native(p)} == {
        p for p in every if "(?=" in p or "\\" in p or "$|" in p}
    for kind in {kind for kind, _ in DEFAULT}:
        moved = schema_formats.python_patterns(schemas._schema(kind))
        assert _patterns(moved) == _patterns(schemas._schema(kind)) & set(NATIVE)
    assert schema_formats.python_patterns({"properties": {"pattern": {"type": "string", "pattern": "\\s"}}}) == {
        "properties": {"pattern": {"type": "string", schema_formats.PYTHON_PATTERN: "\\s"}}}


@given(st.binary(max_size=40).map(lambda b: bytes(c & 0x7F for c in b)) | st.sampled_from(
    [b"", b"id: a\n", b"a\x7fb", b"\x00", b"\x1f", b"\x0b\x0c", b"a\tb", b"a\r\nb", b" ~", b"\x1b[31m"]))
@suite_settings(600)
def test_an_ascii_file_is_screened_for_refused_characters_as_any_file_is(raw: bytes) -> None:
    """A file of ASCII only is screened by what is left of its bytes without the characters
    allowed; it is refused, and each problem told, exactly as the search of its text does."""
    from generator.source import filebytes
    from generator.source.document import Document

    text = raw.decode("ascii")
    doc = Document("term", Path("t.yaml"), "t.yaml")
    fast: list[Any] = []
    slow: list[Any] = []
    assert filebytes._refused_characters(doc, text, fast, raw) == filebytes._refused_characters(doc, text, slow)
    assert fast == slow
    assert bool(slow) == bool(REFUSED.search(text) or "\t" in text)
    # After a byte order mark, which is not ASCII, the text is searched: the same problems.
    marked: list[Any] = []
    assert (filebytes.decoded(doc, b"\xef\xbb\xbf" + raw, marked) is None) == bool(slow)
    assert marked == slow


@given(st.text(alphabet=st.sampled_from([*"abcdeflmorstxTODOXLFBIMEx", " ", ".", "\u0661", "\u212a", "\u0130", "0", "9",
                                          "5", "\0"]), max_size=30))
@suite_settings(600)
def test_the_quick_looks_for_a_digit_and_for_a_mark_see_what_the_searches_see(text: str) -> None:
    """Whether a text holds a digit, and a placeholder's mark in any case, is told for an ASCII
    text by quicker means than a search of it: they tell what the searches tell, on any text."""
    from generator.rules import placeholders, typed_numbers

    assert typed_numbers._has_digit(text) == (typed_numbers._DIGIT.search(text) is not None), text
    assert placeholders._may_hold_mark(text) == (placeholders._ANY_MARK.search(text) is not None), text
    for mark in ("ToDo", "LOREM", "tBd", "fixME", "xXx"):
        assert placeholders._may_hold_mark(text + mark) and placeholders._may_hold_mark(mark + text), text


@given(st.text(alphabet=st.sampled_from([" ", "\n", "\u200b", "\u00a0", "a", "!", "~", "\x7f", "\x01", "\u3000", "é"]),
               max_size=6), st.sampled_from(["key", 1, None, True, 2.5]))
@suite_settings(400)
def test_the_walk_before_the_schema_finds_every_blank_text_and_every_key_not_text(text: str, key: Any) -> None:
    """schemas._scan tells a text that shows nothing wherever it is, however it begins, and a
    mapping with a key that is not text."""
    from generator.source.schemas import visible

    blank, careful = schemas._scan({"id": "a", "list": [{"deep": text}], key: "x"})
    assert blank == (bool(text) and not visible(text)), text
    assert careful == (not isinstance(key, str)), key
