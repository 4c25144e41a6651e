"""Who owns a path, read from a CODEOWNERS file as GitHub reads it.

Each line is a pattern and the owners of what it matches; the last line that matches a path
wins, and a line with a pattern and no owners leaves what it matches without owners. Patterns
are gitignore's: a leading `/` anchors to the repository's top, a pattern with no other slash
than a trailing one matches at any depth, a trailing `/` matches a folder and everything under
it (a pattern without one matches a file, or a folder and everything under it), `*` and `?`
match within one segment, `**` across segments, and `\\` makes the next character plain. A
`#` starts a comment. Lines GitHub skips as errors (`!` negation, `[ ]` ranges) own nothing.

The cost stays near one dictionary look-up per folder of a path: plain patterns are indexed by
the path or folder they name, so only lines with wildcards are tried one by one, and at most
MAX_WILDCARD_LINES of them are read. The paths to ask about are the repository's files, as git
tracks them or as a walk finds them, at most MAX_PATHS.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

MAX_WILDCARD_LINES = 100  # lines with wildcards read: each may be tried on every path
MAX_PATHS = 200_000  # files of a repository read
NOT_WALKED = frozenset({".git", ".venv", "node_modules", "site"})
# `**`: any number of segments.
_ANY = [("*", False), ("*", False)]
# Patterns that match every path.
_EVERYTHING = ("*", "**", "/**")


class TooManyWildcards(Exception):
    """More lines with wildcards than MAX_WILDCARD_LINES; `line` is the first one past it."""

    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


@dataclass(frozen=True)
class Rule:
    """One line of CODEOWNERS: its number, its pattern as written, and its owners."""

    line: int
    pattern: str
    owners: tuple[str, ...]


def parse(text: str) -> list[Rule]:
    """The lines of a CODEOWNERS text that own something, in order. Comments, blank lines and
    lines GitHub skips as errors are left out."""
    rules = []
    for number, line in enumerate(text.removeprefix("\ufeff").split("\n"), start=1):
        rule = parse_line(line, number)
        if rule is not None:
            rules.append(rule)
    return rules


def parse_line(line: str, number: int) -> Rule | None:
    """One line as a rule: its pattern up to the first space not made plain by a backslash, then
    its owners up to a `#`; None for a comment, a blank line or a line GitHub skips."""
    stripped = line.strip()
    if not stripped or stripped.startswith("#"):
        return None
    end = 0
    while end < len(stripped) and not stripped[end].isspace():
        end += 2 if stripped[end] == "\\" else 1
    pattern = stripped[:end]
    if pattern.startswith("!") or any(c in "[]" and not escaped for c, escaped in _characters(pattern)):
        return None
    owners = []
    for word in stripped[end:].split():
        if word.startswith("#"):
            break
        owners.append(word)
    return Rule(number, pattern, tuple(owners))


def _characters(pattern: str) -> list[tuple[str, bool]]:
    """Each character of a pattern, and whether a backslash made it plain."""
    found, escaped = [], False
    for char in pattern:
        if escaped or char != "\\":
            found.append((char, escaped))
            escaped = False
        else:
            escaped = True
    return found


class Ownership:
    """The rules of one CODEOWNERS file, indexed to answer "which line owns this path?"."""

    def __init__(self, rules: list[Rule]) -> None:
        self.rules = rules
        self._everything = -1
        self._exact: dict[str, int] = {}  # "mkdocs.yml": a file, or a folder with what is under it
        self._folder: dict[str, int] = {}  # "generator": what is under that folder
        self._name: dict[str, int] = {}  # "CODEOWNERS" at any depth: a file or a folder
        self._folder_name: dict[str, int] = {}  # "docs/" at any depth: what is under such a folder
        self._wildcards: list[tuple[int, re.Pattern[str]]] = []
        for index, rule in enumerate(rules):
            self._add(index, rule.pattern, rule.line)

    def _add(self, index: int, pattern: str, line: int) -> None:
        characters = _characters(pattern)
        if pattern in _EVERYTHING:
            self._everything = index
        elif any(c in "*?" and not escaped for c, escaped in characters):
            if len(self._wildcards) == MAX_WILDCARD_LINES:
                raise TooManyWildcards(line)
            self._wildcards.append((index, re.compile(pattern_regex(characters))))
        else:
            plain = "".join(c for c, _ in characters)
            folder_only = plain.endswith("/")
            body = plain.strip("/")
            if not body:
                return  # "/" matches nothing
            if plain.startswith("/") or "/" in body:
                targets = [self._folder] if folder_only else [self._exact, self._folder]
            else:
                targets = [self._folder_name] if folder_only else [self._name]
            for target in targets:
                target[body] = index

    def rule_for(self, path: str) -> Rule | None:
        """The line that owns path (relative to the repository's top, no leading slash), or None."""
        best = max(self._everything, self._exact.get(path, -1))
        segments = path.split("/")
        for depth in range(1, len(segments)):
            best = max(best, self._folder.get("/".join(segments[:depth]), -1),
                       self._folder_name.get(segments[depth - 1], -1))
        if self._name:
            best = max(best, max((self._name.get(s, -1) for s in segments), default=-1))
        for index, regex in reversed(self._wildcards):
            if index <= best:
                break
            if regex.fullmatch(path):
                best = index
                break
        return self.rules[best] if best >= 0 else None

    def owners_of(self, path: str) -> tuple[str, ...] | None:
        """The owners of path (empty: a line that names none), or None when no line matches it."""
        rule = self.rule_for(path)
        return None if rule is None else rule.owners


def pattern_regex(characters: list[tuple[str, bool]]) -> str:
    """A regular expression matching what a pattern with wildcards matches, whole paths only."""
    segments: list[list[tuple[str, bool]]] = [[]]
    for char, escaped in characters:
        if char == "/" and not escaped:
            segments.append([])
        else:
            segments[-1].append((char, escaped))
    if not segments[0]:
        segments = segments[1:]  # anchored at the top
    elif len(segments) == 1 or (len(segments) == 2 and not segments[1]):
        segments.insert(0, _ANY)  # no slash but a trailing one: at any depth
    if len(segments) > 1 and not segments[-1]:
        segments[-1] = _ANY  # a trailing slash: everything under the folder
    regex, slash = "", ""
    for position, segment in enumerate(segments):
        first, last = position == 0, position == len(segments) - 1
        if segment == _ANY:
            regex += ".+" if first and last else "(?:.+/)?" if first else "/.+" if last else "(?:/.+)?"
            slash = "" if first else "/"
        elif segment == [("*", False)]:
            regex += slash + "[^/]+"  # a lone `*` is one segment: `docs/*` leaves docs/a/b.md alone
            slash = "/"
        else:
            regex += slash + "".join(_character_regex(c, escaped) for c, escaped in segment)
            regex += "(?:/.*)?" if last else ""
            slash = "/"
    return regex


def _character_regex(char: str, escaped: bool) -> str:
    if escaped or char not in "*?":
        return re.escape(char)
    return "[^/]*" if char == "*" else "[^/]"


def repository_paths(top: Path) -> set[str]:
    """The files of the repository, from its top: those git tracks in a checkout, else those a
    walk finds (not in .git, .venv, node_modules or site); at most MAX_PATHS."""
    if (top / ".git").exists():
        tracked = _tracked(top)
        if tracked is not None:
            return tracked
    return _walked(top)


def _tracked(top: Path) -> set[str] | None:
    """`git ls-files`, read no further than MAX_PATHS names; None when git cannot say."""
    import subprocess  # here: most runs never ask git, and it takes a few milliseconds to import

    try:
        process = subprocess.Popen(["git", "-C", str(top), "ls-files", "-z"], stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    except OSError:
        return None
    names: list[bytes] = []
    rest = b""
    with process:
        assert process.stdout is not None
        while len(names) < MAX_PATHS and (chunk := process.stdout.read(1 << 16)):
            *done, rest = (rest + chunk).split(b"\0")
            names.extend(done)
        if len(names) >= MAX_PATHS:
            process.kill()
        elif process.wait() != 0:
            return None
    return {os.fsdecode(name) for name in names[:MAX_PATHS]}


def _walked(top: Path) -> set[str]:
    """The files under top, a folder at a time, links not followed; at most MAX_PATHS entries seen."""
    found: set[str] = set()
    folders, seen = [""], 0
    while folders:
        folder = folders.pop()
        try:
            with os.scandir(top / folder) as entries:
                for entry in entries:
                    seen += 1
                    if seen > MAX_PATHS:
                        return found
                    if not entry.is_dir(follow_symlinks=False):
                        found.add(folder + entry.name)
                    elif entry.name not in NOT_WALKED:
                        folders.append(folder + entry.name + "/")
        except OSError:
            continue
    return found
