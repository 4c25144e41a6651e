"""Problems found in a playbook, the rules that find them, and the one exception that carries them."""

from __future__ import annotations

import inspect
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

# Categories of characters a terminal or a CI log would act on, or not show: control and
# format characters, line and paragraph separators, surrogates, unassigned code points.
_HIDDEN = {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"}
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\x1b": "\\e"}
_MAX_PATH = 80

# The levels of a rule: an error stops the build; a warning is reported and the build goes on;
# a rule turned off (in playbook.yaml's `rules`) reports nothing.
ERROR, WARNING, OFF = "error", "warning", "off"
LEVELS = (ERROR, WARNING, OFF)


def printable(text: str) -> str:
    """Text safe to print on one line of a terminal or a CI log: every control, format or
    separator character written as an escape (`\\n`, `\\e`, `\\u202e`), so no value can start
    a line of its own (a forged `::error` annotation, a forged "no problems"), move the cursor
    or reorder what is shown."""
    if text.isprintable():
        return text
    return "".join(_escape(c) if unicodedata.category(c) in _HIDDEN else c for c in text)


def _escape(char: str) -> str:
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the playbook, with where it is and the id of the rule that found it.

    Ordered by file, line and column so a sorted list reads top to bottom.
    """

    file: str
    line: int
    column: int
    path: str
    message: str
    # "error" stops the build; "warning" is reported and the build goes on.
    severity: str = ERROR
    # The id of the rule that found it (`playbook rules ID` explains it).
    rule: str = field(kw_only=True)

    def __str__(self) -> str:
        """One line: `file:line:column: [warning: ]path: message [rule-id]`, every part printable."""
        path = self.path if len(self.path) <= _MAX_PATH else "…" + self.path[-(_MAX_PATH - 1):]
        where = f"{self.file}:{self.line}:{self.column}: " + ("warning: " if self.warning else "")
        return printable(where + (f"{path}: " if path else "") + self.message + f" [{self.rule}]")

    @property
    def warning(self) -> bool:
        return self.severity == WARNING


@dataclass(frozen=True)
class Rule:
    """What `playbook validate` (or the check of a change) looks for, under a stable id.

    `doc` is the rule's documentation: what it checks and why, then a failing and a passing
    example, each under a line such as "Fails, in `playbook/terms/lead.yaml`:" (the format is
    read by generator/rules/registry.py, which also collects every rule)."""

    id: str
    level: str
    summary: str
    doc: str
    # Why a company may not change the rule's level in playbook.yaml (what it protects); empty
    # for a rule whose level may be changed.
    fixed: str = ""
    # Checked on a change (`playbook diff --check-signoff`), not on one revision.
    on_change: bool = False
    # The test that shows the rule failing, for a rule whose failing input is no short file (a
    # file over 1 MB, a link, bytes that are not UTF-8): "tests/test_x.py::test_name".
    test: str = ""

    @property
    def adjustable(self) -> bool:
        """Whether a company may change the rule's level, or turn it off, in playbook.yaml."""
        return not self.fixed

    @property
    def text(self) -> str:
        """The documentation, its indentation in the source taken away."""
        return inspect.cleandoc(self.doc)

    def at(self, file: str, line: int, column: int, path: str, message: str) -> Problem:
        """A problem this rule found, at its default level."""
        return Problem(file, line, column, path, message, self.level, rule=self.id)


class PlaybookError(Exception):
    """Raised when a playbook cannot be built; carries every problem found, sorted."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(p for p in set(problems) if not p.warning)
        super().__init__(self.report())

    def report(self) -> str:
        """All problems, one per line, each ending with its rule's id, followed by a count."""
        count = len(self.problems)
        lines = [str(p) for p in self.problems]
        lines.append(f"{count} problem{'s' if count != 1 else ''} found; fix them and run again.")
        return "\n".join(lines)
