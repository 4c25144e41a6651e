"""The quick reading of YAML (generator/source/quickyaml.py: rapidyaml, written out as JSON and read
by Python's JSON reader) gives a file's data only where the careful reader (yamltree.py, over
libyaml's events) gives the same data and finds no problem; for anything else it gives nothing,
and the careful reader reads the file and tells its problems. Compared on every YAML file of the
tests and of the default playbook, on a synthetic playbook, on the shapes where the two parsers
were found to differ, and on generated and damaged texts; and whole runs of `playbook validate`
say the same, word for word, with the quick reading and without it (tests/test_parallel_read.py
compares them on every damaged playbook of the suite)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.source import document, filecache, loader, quickyaml, schemas
from generator.source.document import Document
from generator.source.scalars import RESOLVER

TEST_FILES = sorted({*REPO.glob("tests/**/*.yaml"), *REPO.glob("tests/**/*.yml"), *REPO.glob("playbook/**/*.yaml")})


@contextlib.contextmanager
def _careful_only() -> Iterator[None]:
    was = quickyaml.allowed
    quickyaml.allowed = lambda: False  # type: ignore[assignment]
    try:
        yield
    finally:
        quickyaml.allowed = was  # type: ignore[assignment]


def _careful(raw: bytes) -> tuple[Any, list[Any]]:
    """What the careful reader makes of raw: its data (None if unusable) and its problems."""
    problems: list[Any] = []
    with _careful_only():
        tree = loader._parse(Document("assets", Path("x.yaml"), "x.yaml"), raw, problems)
    return (tree.data if tree is not None else None), problems


def _agrees(raw: bytes) -> bool:
    """Whether quick() gives nothing, or what the careful reader gives with no problem; and where it
    vouches that every text shows, the schema check's own walk finds the same. True if it gave data."""
    read = quickyaml.quick(raw)
    if read is None:
        return False
    data, problems = _careful(raw)
    assert problems == [], (raw, problems)
    assert read.data == data, (raw, read.data, data)
    assert type(read.data) is dict
    assert repr(read.data) == repr(data)  # the same types all through: 1 is not 1.0 nor True
    if read.shows:
        assert schemas._scan(read.data) == (False, False), raw
    assert filecache.unpacked(read.json) == data
    return True


def test_every_yaml_file_of_the_tests_and_the_default_playbook_reads_alike() -> None:
    quick = [path for path in TEST_FILES if _agrees(path.read_bytes())]
    playbook = [path for path in TEST_FILES if path.is_relative_to(REPO / "playbook")]
    # The ordinary files of the default playbook are read the quick way: the screen is no sieve
    # that lets nothing through.
    assert len([path for path in quick if path in playbook]) >= 0.9 * len(playbook)
    assert len(playbook) > 100


def test_a_synthetic_playbook_reads_alike(tmp_path: Path) -> None:
    sys.path.insert(0, str(REPO))
    from benchmarks.synth import write_playbook

    write_playbook(tmp_path, 300, 5)
    files = sorted(tmp_path.glob("playbook/**/*.yaml"))
    quick = sum(_agrees(path.read_bytes()) for path in files)
    assert quick >= 0.9 * len(files) and len(files) > 300


# Texts where the two parsers were found to differ, or that only the careful reader may read, with
# what the careful reader makes of them: each is left to the careful reader.
LEFT_TO_THE_CAREFUL_READER = [
    "a: &x 1\nb: *x\n",  # an anchor and an alias
    "a: !!str 1\n",  # a tag
    "%YAML 1.1\n---\na: 1\n",  # a directive
    "a: @x\n", "a: `x`\n",  # reserved characters
    "? a\n: b\n",  # a complex key
    "a: {b: 1}\n", "{x: :x}\n", "{\"foo\"\n: \"bar\"}\n",  # flow mappings, which libyaml reads otherwise
    "<<: {a: 1}\n", "a: 1\n<<: x\n",  # merge keys
    "a: 1\n---\nb: 2\n", "a: 1\n...\n",  # a second document, an end of document
    "a: \"x\\ty\"\n", "a: \"\\u202e\"\n",  # escapes
    "a: 1\r\nb: 2\r\n", "a:\n\t- b\n",  # CR, a tab
    "\ufeffa: 1\n",  # a byte order mark
    "]: x\n", "a: ]\n", "a: ,b\n", "- }\n",  # a closing bracket or a comma where a value begins
    "a: >1 text\n", "a: | x\n", "a: |2\n   b\n", "a: |  # comment\n  b\n",  # a block with more than its sign
    "foo: |\n  x\n   \n", "a: b   \nc: d\n",  # a line of spaces, a line ending in one
    "a:\n |2\n  a",  # no line break at the end
    "a: yes\n", "a: No\n", "a: on\n", "a: ~\n", "a: Null\n", "a: 0x1F\n", "a: 017\n", "a: 1_000\n",
    "a: 1:30\n", "a: .inf\n", "a: .nan\n", "a: +12\n", "a: =\n",  # texts YAML 1.1 reads as another type
    "a: 1.5\n", "a: 1e3\n", "a: 3.\n", "a: -.5\n", "a: 1.0\n",  # numbers with a fraction or an exponent
    "a: \"yes\"\n", "a: '25'\n", "a: ''\n",  # quoted texts that would be another type plain: left too
    "a: 1\na: 2\n", "a:\n  b: 1\n  b: 2\n",  # a field given twice
    "- a\n- b\n", "just text\n", "", "# only a comment\n",  # not a mapping, or nothing
    "a: " + "[" * 60 + "x" + "]" * 60 + "\n",  # nested deeper than the reader allows
    "".join(" " * i + f"k{i}:\n" for i in range(70)) + " " * 70 + "v\n",
    # A hostile depth, within 64 KB: refused, no crash.
    "a: " + "[" * 30_000 + "]" * 30_000 + "\n", "a:\n" + "".join(" " * i + "-\n" for i in range(340)),
    "k" * 1100 + ": v\n", "a: " + "word " * 300 + "\n",  # a line of 1,000 characters or more
    "a: [b\n", "a: 'b\n", "a:\n  - b\n - c\n",  # broken
    ": x\n", ": # a comment\nid: x\n", "a:\n  : b\n", "- : x\n", "a : b\n", "a: [: x]\n",  # a field with no name
    "a: " + "x" * (quickyaml.QUICK_MAX_BYTES + 10) + "\n",  # larger than the quick reading takes
]


@pytest.mark.parametrize("text", LEFT_TO_THE_CAREFUL_READER)
def test_what_only_the_careful_reader_reads_is_left_to_it(text: str) -> None:
    assert quickyaml.quick(text.encode()) is None
    _careful(text.encode())  # and it reads it, whatever it finds


# Plain files the quick reading takes, with the data both readers make of them.
READ_QUICKLY = {
    "a: b\n": {"a": "b"},
    "id: x\ncount: 25\nlist: [a, b, 3]\nempty:\nno: false\nlater: 2026-11-23\n":
        {"id": "x", "count": 25, "list": ["a", "b", 3], "empty": None, "no": False, "later": "2026-11-23"},
    "a: >-\n  folded\n  text\n\n  more\nb: |\n  kept\n  lines\nc: |+\n  all\n\nd: end\n":
        {"a": "folded text\nmore", "b": "kept\nlines\n", "c": "all\n\n", "d": "end"},
    "k: 'it''s: \"so\"'\nq: \"a 'b' # c\"\nm: a #comment\nn: a#b\n":
        {"k": "it's: \"so\"", "q": "a 'b' # c", "m": "a", "n": "a#b"},
    "list:\n- one\n-   two\n- - nested\n  - again\n- key: v\n  other: w\n":
        {"list": ["one", "two", ["nested", "again"], {"key": "v", "other": "w"}]},
    "a: long\n  plain text\n\n  over lines\n": {"a": "long plain text\nover lines"},
    "naïve: café 😀 [[ref]] and [[other-ref]]\n": {"naïve": "café 😀 [[ref]] and [[other-ref]]"},
    "a: -1\nb: 0\nc: -0\nd: 12345678901234567890\n": {"a": -1, "b": 0, "c": 0, "d": 12345678901234567890},
}


@pytest.mark.parametrize("text", sorted(READ_QUICKLY))
def test_plain_files_are_read_quickly_as_the_careful_reader_reads_them(text: str) -> None:
    assert _agrees(text.encode())
    read = quickyaml.quick(text.encode())
    assert read is not None and read.data == READ_QUICKLY[text]


def test_without_rapidyaml_every_file_is_read_the_careful_way(monkeypatch: pytest.MonkeyPatch,
                                                              tmp_path: Path) -> None:
    """rapidyaml is an extra (`sales-playbook[fast]`): where it is not installed, nothing changes
    but the time."""
    monkeypatch.setitem(sys.modules, "ryml", None)  # `import ryml` raises ImportError
    monkeypatch.setattr(quickyaml, "_READER", quickyaml._Reader())
    monkeypatch.setattr(quickyaml, "allowed", lambda: True)
    assert quickyaml.quick(b"a: b\n") is None
    path = tmp_path / "a.yaml"
    path.write_text("id: a\ntitle: A title\n", encoding="utf-8")
    loader.FILES.clear()
    doc = loader.load_document(path, "assets", [])
    assert doc is not None and doc.data == {"id": "a", "title": "A title"}
    entry = filecache.entry_of(doc)
    assert entry is not None and entry._packed is None and not document.text_shows(doc)
    loader.FILES.clear()


def test_the_words_looked_for_are_every_word_yaml_1_1_reads_as_true_false_or_null() -> None:
    typed = quickyaml._typed()
    assert typed.usable
    words = {word.strip('"') for word in typed.words}
    assert words == {"yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE",
                     "on", "On", "ON", "off", "Off", "OFF", "~", "null", "Null", "NULL"}
    for word in words:
        tag = RESOLVER.resolve(yaml.ScalarNode, word, (True, False))
        assert tag in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"), word
    # Every first character from which YAML 1.1 reads a number, a merge key or a value is looked at.
    firsts = {first for first, rules in RESOLVER.yaml_implicit_resolvers.items()
              if any(tag.endswith((":int", ":float", ":merge", ":value")) for tag, _ in rules)}
    assert {f'"{first}' for first in firsts} <= set(typed.starts)


def test_a_rule_added_to_the_resolver_turns_the_quick_reading_off() -> None:
    raw = b"a: b\n"
    assert quickyaml.quick(raw) is not None
    resolvers = RESOLVER.yaml_implicit_resolvers
    saved = {first: list(rules) for first, rules in resolvers.items()}
    try:
        yaml.resolver.Resolver.add_implicit_resolver("!bee", __import__("re").compile("^b$"), ["b"])
        assert quickyaml.quick(raw) is None
    finally:
        resolvers.clear()
        resolvers.update(saved)
    assert quickyaml.quick(raw) is not None


def test_what_rapidyaml_says_of_a_broken_file_is_not_shown(capfd: pytest.CaptureFixture[str]) -> None:
    for text in (b"a: [b\n", b"a: " + b"[" * 70 + b"x" + b"]" * 70 + b"\n", b"a: 'b\nc: d\n"):
        assert quickyaml.quick(text) is None
    out, err = capfd.readouterr()
    assert out == "" and err == ""
    print("still here", file=sys.stderr)  # and the process's stderr is its own again
    assert capfd.readouterr().err == "still here\n"


def test_the_command_tells_a_broken_file_in_its_own_words_only(tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "playbook"
    shutil.copytree(REPO / "playbook", root)
    asset = sorted((root / "assets").glob("*.yaml"))[0]
    asset.write_text("id: [broken\ntitle: x\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO), "PLAYBOOK_CACHE": "off", "PLAYBOOK_TODAY": "2026-11-23"}
    done = subprocess.run([sys.executable, "-m", "generator", "validate", str(root)], capture_output=True,
                          text=True, env=env, cwd=tmp_path, timeout=300, check=False)
    assert done.returncode == 1
    assert f"{asset.name}:2:6: not valid YAML" in done.stdout and "[yaml-syntax]" in done.stdout
    assert "ERROR" not in done.stderr and "c4/yml" not in done.stderr and "parse" not in done.stderr
    assert done.stderr.strip().endswith("fix them and run again.")


def test_the_quick_reading_is_used_only_in_a_process_of_one_thread() -> None:
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert quickyaml.allowed() is False
    finally:
        stop.set()
        other.join()
    # In a fresh process of one thread (this one may have threads of its own): used, unless the
    # setting turns it off.
    ask = "from generator.source import quickyaml; print(quickyaml.allowed())"
    for setting, said in ((None, "True"), ("0", "False"), ("off", "False"), ("1", "True")):
        env = {key: value for key, value in os.environ.items() if key != quickyaml.SETTING}
        env["PYTHONPATH"] = str(REPO)
        if setting is not None:
            env[quickyaml.SETTING] = setting
        done = subprocess.run([sys.executable, "-c", ask], capture_output=True, text=True, env=env, timeout=60,
                              check=True)
        assert done.stdout.strip() == said, setting


def test_a_file_read_quickly_is_kept_as_its_json_and_its_texts_vouched_for(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("id: a\ntitle: A title\nstages: [scoping]\n", encoding="utf-8")
    loader.FILES.clear()
    was = quickyaml.allowed
    quickyaml.allowed = lambda: True  # type: ignore[assignment]
    try:
        doc = loader.load_document(path, "assets", [])
    finally:
        quickyaml.allowed = was  # type: ignore[assignment]
    assert doc is not None and doc.data == {"id": "a", "title": "A title", "stages": ["scoping"]}
    entry = filecache.entry_of(doc)
    assert entry is not None and isinstance(entry._packed, str)  # the JSON it was read from: no copy made
    assert document.text_shows(doc)
    # The cache hands out its own copy, never the caller's.
    doc.data["stages"].append("changed")
    again = loader.load_document(path, "assets", [])
    assert again is not None and again.data == {"id": "a", "title": "A title", "stages": ["scoping"]}
    assert again.data is not doc.data and not document.text_shows(again)
    # Data changed for another is no longer vouched for.
    doc.data = {"title": " "}
    assert not document.text_shows(doc)
    loader.FILES.clear()


def test_a_text_that_may_show_nothing_is_still_found(tmp_path: Path) -> None:
    for text, shows in (("a: x\n", True), ("a: ' '\n", False), ("a: \"\u200b\"\n", False), ("a: é\n", False),
                        ("a: \"x\n\n  y\"\n", True), ("a: |\n\n  x\n", False)):
        read = quickyaml.quick(text.encode())
        assert read is not None and read.shows is shows, text
        assert _agrees(text.encode())
    doc = Document("term", Path("t.yaml"), "t.yaml", {"id": "t", "name": "\u200b"})
    document.shows_text(doc, doc.data)  # vouched for wrongly: the check trusts it
    assert not [p for p in schemas.check_document(doc) if "visible" in p.message]
    doc = Document("term", Path("t.yaml"), "t.yaml", {"id": "t", "name": "\u200b"})
    assert [p for p in schemas.check_document(doc) if "visible" in p.message]


# -- generated texts ------------------------------------------------------------------------------

_PLAIN = st.sampled_from(["a", "word", "two words", "x:y", "a#b", "50%", "it's", "say \"hi\"", "3", "-3", "0",
                          "2026-11-23", "true", "false", "null", "yes", "No", "~", "1.5", "0x1F", "1_0", "1:30",
                          "[[ref]]", "see [[ref]] now", "café", "日本語", "a - b", "a: b", "a -b", "e", ".5",
                          "+1", "-", "--", "a ,b", "a, b", "a]", "q?", "wow!", "R&D", "a*b", "<<", "=", ""])
_SCALAR = st.one_of(
    _PLAIN,
    _PLAIN.map(lambda s: "'" + s.replace("'", "''") + "'"),
    _PLAIN.map(lambda s: '"' + s.replace('"', "'") + '"'),
)
_BLOCK = st.tuples(st.sampled_from(["|", ">", "|-", ">-", "|+", ">+", "|2", ">1"]),
                   st.lists(st.sampled_from(["line", "  more", "", "x: y", "- item", "# not a comment", " "]),
                            min_size=1, max_size=4))


@st.composite
def _yaml_text(draw: st.DrawFn) -> str:
    """A YAML mapping of a few levels, in the styles playbooks are written in, with odd turns."""
    lines: list[str] = []

    def mapping(indent: int, depth: int) -> None:
        for key in draw(st.lists(st.sampled_from(["id", "title", "a b", "'q'", "\"d\"", "x", "3", "on", "title"]),
                                 min_size=1, max_size=4)):
            pad = " " * indent
            choice = draw(st.integers(0, 6 if depth < 3 else 2))
            comment = draw(st.sampled_from(["", "", " # note"]))
            if choice in (0, 1):
                lines.append(f"{pad}{key}: {draw(_SCALAR)}{comment}")
            elif choice == 2:
                header, body = draw(_BLOCK)
                lines.append(f"{pad}{key}: {header}")
                step = draw(st.integers(1, 3))
                lines.extend((" " * (indent + step) + line) if line else "" for line in body)
            elif choice == 3:
                items = draw(st.lists(_SCALAR, max_size=3))
                lines.append(f"{pad}{key}: [{', '.join(items)}]{comment}")
            elif choice == 4:
                lines.append(f"{pad}{key}:")
                sequence(indent + draw(st.integers(0, 2)), depth + 1)
            else:
                lines.append(f"{pad}{key}:{comment}")
                mapping(indent + draw(st.integers(1, 3)), depth + 1)
            if draw(st.integers(0, 5)) == 0:
                lines.append(draw(st.sampled_from(["", "# a comment", " " * indent + "continued"])))

    def sequence(indent: int, depth: int) -> None:
        for _ in range(draw(st.integers(1, 3))):
            pad = " " * indent
            choice = draw(st.integers(0, 3 if depth < 3 else 1))
            if choice in (0, 1):
                lines.append(f"{pad}- {draw(_SCALAR)}")
            elif choice == 2:
                lines.append(f"{pad}- {draw(st.sampled_from(['id', 'k']))}: {draw(_SCALAR)}")
                lines.append(f"{pad}  other: {draw(_SCALAR)}")
            else:
                lines.append(f"{pad}-")
                mapping(indent + 2, depth + 1)

    mapping(0, 0)
    return "\n".join(lines) + draw(st.sampled_from(["\n", "\n", "", "\n\n"]))


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(_yaml_text())
def test_generated_playbook_like_texts_read_alike(text: str) -> None:
    _agrees(text.encode())


_SOURCES = [path.read_bytes() for path in sorted(REPO.glob("playbook/**/*.yaml"))]
_SNIPPETS = [b" ", b"  ", b"\n", b"- ", b": ", b":", b"'", b'"', b"#", b"|", b">", b"[", b"]", b",", b"-",
             b"yes", b"1.5", b"\n  ", b"\n\n", b"x", b"|-\n", b"  - ", b"''", b"e", b"0", "é".encode(),
             b"{", b"&", b"*", b"!", b"\\", b"\t", b"---\n", b"? "]


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.sampled_from(_SOURCES),
       st.lists(st.tuples(st.integers(0, 3), st.floats(0, 1), st.sampled_from(_SNIPPETS)), min_size=1, max_size=4))
def test_default_playbook_files_damaged_by_hand_read_alike(source: bytes,
                                                           edits: list[tuple[int, float, bytes]]) -> None:
    raw = bytearray(source)
    for how, where, snippet in edits:
        at = int(where * len(raw))
        if how == 0:
            del raw[at:at + len(snippet)]
        elif how == 1:
            raw[at:at] = snippet
        else:  # a line indented by one more or one less
            start = raw.rfind(b"\n", 0, at) + 1
            if how == 2:
                raw[start:start] = b" "
            elif raw[start:start + 1] == b" ":
                del raw[start]
    try:
        bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        return
    _agrees(bytes(raw))
