"""A quick reading of the plainest YAML files, in compiled code: rapidyaml parses a file and writes
it out as JSON, and Python's own JSON reader makes the data. With the checks below, that takes
three fifths of the time of yamltree's reader, which builds the data from libyaml's events in
Python.

The careful reader stays the judge. quick() gives a file's data only where that reader would give
the same data and find no problem; for anything else it gives None, and the file is read the
careful way, which finds and tells the problems. So the quick reading is tried only on a file:
- of at most QUICK_MAX_BYTES (so no more values or characters than yamltree's bounds), ending
  with a line break, with no byte order mark, tab or CR, and no escape but \" (which can write
  no character a file may not hold);
- with no line of QUICK_MAX_LINE characters or more (libyaml refuses a field name of more than
  1,024, where rapidyaml would not);
- with nothing that only the careful reader handles, nor anything that looks like it where a
  value, a key or an item may begin (_RISKY): an anchor (&), alias (*), tag (!), directive (%),
  reserved character (@, `), complex key (?), flow mapping ({), merge key (<<), second document
  (--- or ... at the start of a line); nor the shapes where libyaml and rapidyaml were found to
  read otherwise (from the YAML test suite's examples and from generated texts): a field with no
  name, a closing bracket or a comma where a value begins, a line ending in a space, a block of
  text whose first line holds more than | or > and a sign;
and its data is kept only if:
- rapidyaml parsed it and wrote it out (any error, and nesting past 64 levels, gives None);
- it nests fewer than MAX_DEPTH levels;
- no field name is given twice in a mapping;
- no value is a text YAML 1.1 would read as another type had it been written plain (`yes`,
  `~`, `0x1F`, `1_000`, `1:30`, `.inf`: rapidyaml reads YAML 1.2 and leaves those as text), no
  field name is one no field may have (`=`), no number is written with a fraction or an exponent
  (1.5, 1e3: read alike only in part), and the data is a mapping.

tests/test_quickyaml.py compares both readers on every YAML file of the tests, on a synthetic
playbook, on the shapes above and on generated and damaged texts: where quick() gives data, it is
the careful reader's, and the careful reader finds no problem.

rapidyaml writes its own message to the process's stderr before raising an error; quick() sends
stderr to the null device while rapidyaml runs, and is used only where the process has one
thread (the `playbook` command), so that nothing another thread writes can be lost.
"""

from __future__ import annotations

import json
import os
import re
import threading
from typing import Any, NamedTuple

import ahocorasick_rs

from . import yamltree
from .scalars import RESOLVER, SCALARS, STR, TIMESTAMP, rule_count

# "0" (or "off") reads every file with the careful reader: to compare, or to rule the quick one out.
SETTING = "PLAYBOOK_QUICK_YAML"
_OFF = ("0", "off", "no", "false")
QUICK_MAX_BYTES = 64 * 1024
QUICK_MAX_LINE = 1000

# Pairs of bytes where something begins that only the careful reader reads, looked for in a
# file's bytes after a line break put first (one Aho-Corasick pass):
# - an anchor (&), alias (*), tag (!), directive (%), reserved character (@, `), complex key (?),
#   flow mapping ({) or colon (a field with no name: libyaml refuses it) where a value, key or
#   item may begin: after a space, a line start, a bracket, a comma, a colon or a dash;
# - a closing bracket or a comma where a value begins: libyaml refuses it, rapidyaml reads text;
# - a merge key, a document marker, a tab or a CR;
# - a line ending in a space: a line of spaces only at the end of a block of text is kept
#   otherwise by each reader.
_RISKY = ([bytes((before, char)) for before in b" \n[]{},:-" for char in b"&*!%@`?{:"]
          + [bytes((before, char)) for before in b" \n" for char in b"]},"]
          + [b"<<", b"\n---", b"\n...", b"\t", b"\r", b" \n"])
# A block of text (| or >) may begin where a value begins: if what follows it on its line is
# more than a sign (- or +) that says what becomes of its last line breaks, libyaml refuses text
# there, rapidyaml reads it, and other forms (an indentation indicator, a comment) are left to the
# careful reader too. The forms allowed are found as the longest match where they are, and are
# the only matches that are not risky; where one ends with its line break, what is risky at the
# start of the next line is a longer match of its own.
_HEADERS = [bytes((before, char)) for before in b" \n" for char in b"|>"]
_HEADERS_OK = [header + sign + b"\n" for header in _HEADERS for sign in (b"", b"-", b"+")]
_NEXT_LINE = [ok + risky[1:] for ok in _HEADERS_OK for risky in _RISKY if risky.startswith(b"\n")]
_FINDER = ahocorasick_rs.BytesAhoCorasick(_RISKY + _HEADERS + _NEXT_LINE + _HEADERS_OK,
                                          matchkind=ahocorasick_rs.MatchKind.LeftmostLongest,
                                          implementation=ahocorasick_rs.Implementation.DFA)
_FIRST_OK = len(_RISKY) + len(_HEADERS) + len(_NEXT_LINE)
_LONG_LINE = re.compile(rb"\n[^\n]{%d}" % QUICK_MAX_LINE)
_BOM = "\ufeff".encode()

_SKIPPED_TAGS = {STR, TIMESTAMP}
_WORDS = re.compile(r"[A-Za-z~]+")


class _Typed:
    """Finds in JSON a text YAML 1.1 would read as other than text, were it written plain, by
    PyYAML's resolver (but for dates, which the reader keeps as text): `yes`, `~`, `0x1F`, `.inf`.
    Its words are looked for as they are, with their quotes; a text that begins as a number may
    (a quote and a digit, a sign or a point) is then matched with the resolver's patterns. None
    of it is used where the resolver's rules are not PyYAML's own."""

    def __init__(self) -> None:
        self.rules = rule_count()
        patterns: set[str] = set()
        words: set[str] = set()
        starts: set[str] = set()
        key_patterns: set[str] = set()
        self.usable = True
        for first, rules in RESOLVER.yaml_implicit_resolvers.items():
            for tag, regexp in rules:
                if tag in _SKIPPED_TAGS:
                    continue
                inner = regexp.pattern.removeprefix("^").removesuffix("$")
                patterns.add(inner)
                if tag not in SCALARS:  # no field may have such a name (yamltree._odd_key)
                    key_patterns.add(inner)
                if tag in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"):
                    alternatives = [a.strip() for a in inner.removeprefix("(?:").removesuffix(")").split("|")]
                    for word in alternatives:
                        if word and not _WORDS.fullmatch(word):
                            self.usable = False
                    words.update(word for word in alternatives if word)
                elif first is not None:
                    starts.add(first)
                else:
                    self.usable = False
        self.pattern = re.compile('"(?:' + "|".join(f"(?:{p})" for p in sorted(patterns)) + ')"', re.X)
        # A field name is read as its text, whatever YAML 1.1 reads it as, but for these.
        self.key_pattern = re.compile('"(?:' + "|".join(f"(?:{p})" for p in sorted(key_patterns)) + ')":', re.X)
        self.words = sorted(f'"{word}"' for word in words)
        self.starts = sorted(f'"{first}' for first in starts) + ['""']
        # Where a text may begin with a character that does not show: a space or an escape.
        self.hidden = ['" ', '"\\']
        self.finder = ahocorasick_rs.AhoCorasick(self.words + self.starts + self.hidden)

    def found(self, text: str) -> tuple[bool, bool]:
        """Whether text (JSON) holds a value YAML 1.1 would read as another type, or a field
        name no field may have, and whether every text in it surely begins with a character that
        shows (see schemas._scan). In JSON, a field name is the text followed by a colon."""
        shows = text.isascii()
        words, hidden = len(self.words), len(self.words) + len(self.starts)
        match, key = self.pattern.match, self.key_pattern.match
        for index, start, end in self.finder.find_matches_as_indexes(text):
            if start and text[start - 1] == "\\":
                continue  # a quote in a text (\"), or one ending a text after a backslash (\\"): no text begins
            if index >= hidden:
                shows = False
            elif index < words:
                if not text.startswith(":", end):
                    return True, False
            elif (found := match(text, start)) is not None and (not text.startswith(":", found.end())
                                                                or key(text, start)):
                return True, False
        return False, shows


class _Refused(Exception):
    """A value the quick reading does not vouch for."""


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    mapping = dict(pairs)
    if len(mapping) != len(pairs):
        raise _Refused  # a field name given twice: the careful reader tells it
    return mapping


def _refuse(text: str) -> Any:
    raise _Refused


_DECODER = json.JSONDecoder(object_pairs_hook=_pairs, parse_float=_refuse, parse_constant=_refuse)


class _Reader:
    """rapidyaml, imported the first time it is needed; None where it cannot be."""

    def __init__(self) -> None:
        self.loaded = False
        self.ryml: Any = None
        self.typed: _Typed | None = None

    def get(self) -> Any:
        if not self.loaded:
            self.loaded = True
            try:
                import ryml  # type: ignore[import-untyped]
            except ImportError:  # a platform with no wheel: every file is read the careful way
                ryml = None
            self.ryml = ryml
            self.typed = _Typed()
        return self.ryml


_READER = _Reader()


def allowed() -> bool:
    """Whether quick() may be used here: in a process of one thread, where sending stderr to the
    null device while rapidyaml runs hides nothing another thread says, unless the setting turns
    it off."""
    return threading.active_count() == 1 and os.environ.get(SETTING, "").strip().lower() not in _OFF


def _typed() -> _Typed:
    """What finds texts YAML 1.1 reads as another type (made with rapidyaml's import)."""
    _READER.get()
    assert _READER.typed is not None
    return _READER.typed


class Quick(NamedTuple):
    """A file read the quick way: its data, the JSON it was made from (the data again, for the
    cache of files read to keep instead of a copy) and whether every text in it surely begins
    with a character that shows."""

    data: dict[str, Any]
    json: str
    shows: bool


def quick(raw: bytes) -> Quick | None:
    """A file's bytes (UTF-8 with nothing refused) read as the careful reader would read them
    and find no problem, or None: then read them the careful way."""
    if len(raw) > QUICK_MAX_BYTES or not raw.endswith(b"\n") or raw.startswith(_BOM):
        return None
    # The one escape taken: a quote in double-quoted text (\"), which can write no other character.
    if b"\\" in raw and raw.count(b"\\") != raw.count(b'\\"'):
        return None
    lines = b"\n" + raw
    matches = _FINDER.find_matches_as_indexes(lines)
    if (matches and min(matches)[0] < _FIRST_OK) or (len(raw) >= QUICK_MAX_LINE and _LONG_LINE.search(lines)):
        return None
    ryml = _READER.get()
    typed = _READER.typed
    if ryml is None or typed is None or not typed.usable or typed.rules != rule_count():
        return None
    text = _json(ryml, raw)
    if text is None:
        return None
    deep = text.count("[") + text.count("{") >= yamltree.MAX_DEPTH  # brackets in texts count too
    other_type, shows = typed.found(text)
    if other_type:
        return None
    try:
        data = _DECODER.decode(text)
    except (ValueError, _Refused, RecursionError):
        return None
    if not isinstance(data, dict) or (deep and _depth(data) >= yamltree.MAX_DEPTH):
        return None
    return Quick(data, text, shows)


def _depth(data: Any) -> int:
    """How many lists and mappings deep data nests (rapidyaml writes out at most 64)."""
    deepest = 0
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        deepest = max(deepest, depth)
        items = value.values() if isinstance(value, dict) else value
        stack.extend((item, depth + 1) for item in items if isinstance(item, (dict, list)))
    return deepest


def _json(ryml: Any, raw: bytes) -> str | None:
    """The file as rapidyaml writes it in JSON, or None if rapidyaml could not read or write it;
    what it says on stderr on the way goes nowhere."""
    try:
        saved = os.dup(2)
    except OSError:
        return None
    try:
        null = _null()
        os.dup2(null, 2)
        try:
            tree = ryml.parse_in_arena(raw)
            return str(ryml.emit_json_malloc(tree, tree.root_id()))
        except Exception:
            return None
        finally:
            os.dup2(saved, 2)
    finally:
        os.close(saved)


_NULL: list[int] = []


def _null() -> int:
    if not _NULL:
        _NULL.append(os.open(os.devnull, os.O_WRONLY))
    return _NULL[0]
