"""Problems found in a playbook, and the one exception that carries them."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

# Categories of characters a terminal or a CI log would act on, or not show: control and
# format characters, line and paragraph separators, surrogates, unassigned code points.
_HIDDEN = {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"}
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\x1b": "\\e"}
_MAX_PATH = 80


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
    """One thing wrong with the playbook, with where it is.

    Ordered by file, line and column so a sorted list reads top to bottom.
    """

    file: str
    line: int
    column: int
    path: str
    message: str
    # "error" stops the build; "warning" is reported and the build goes on.
    severity: str = "error"

    def __str__(self) -> str:
        """One line: `file:line:column: [warning: ]path: message`, every part printable."""
        path = self.path if len(self.path) <= _MAX_PATH else "…" + self.path[-(_MAX_PATH - 1):]
        where = f"{self.file}:{self.line}:{self.column}: " + ("warning: " if self.warning else "")
        return printable(where + (f"{path}: " if path else "") + self.message)

    @property
    def warning(self) -> bool:
        return self.severity == "warning"


class PlaybookError(Exception):
    """Raised when a playbook cannot be built; carries every problem found, sorted."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(p for p in set(problems) if not p.warning)
        super().__init__(self.report())

    def report(self) -> str:
        """All problems, one per line, followed by a count."""
        count = len(self.problems)
        lines = [str(p) for p in self.problems]
        lines.append(f"{count} problem{'s' if count != 1 else ''} found; fix them and run again.")
        return "\n".join(lines)
