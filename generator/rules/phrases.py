"""Words and phrases found in texts, for the rules that read texts (contradictions.py): the words
of a text that carry meaning, the parts of a definition that state a condition, and the reasons of
an agreed list that a text names. Each reads a text once."""

from __future__ import annotations

import re
from collections.abc import Iterable

import ahocorasick_rs

_STOP_WORDS = (
    "a an the is are was were be been being has have had do does did and or of to in on at by for with this that "
    "these those it its their them they our we us you your as from any all so but into onto than then there here "
    "which who whom whose what when where will would can could may might shall should must each every some one")
_STOP = frozenset(_STOP_WORDS.split())
# A part of a definition that negates or delays is not a condition the criterion states.
_NEGATING_WORDS = "not never without before until unless yet"
_NEGATING = frozenset(_NEGATING_WORDS.split())
_PARTS = re.compile(r"[.;:,!?]+\s+|[.;:,!?]+$")
_WORD = re.compile(r"[a-z0-9]+(?:['\u2019][a-z]+)?")
# A part of a definition is compared when it has this many words that carry meaning, and no more
# than the most a part is read for; a definition is read for its first parts only, so each
# criterion costs the same however long a category's definition is.
_MIN_WORDS, _MAX_WORDS, _MAX_PARTS = 3, 30, 40


def folded_words(text: str) -> list[str]:
    """The words of a text, folded: no case, no possessive, no plural s."""
    found = []
    for word in _WORD.findall(text.casefold()):
        word = re.sub(r"['\u2019]s$", "", word)
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        found.append(word)
    return found


def definition_parts(definition: str) -> list[tuple[str, frozenset[str]]]:
    """The parts of a category's definition that state a condition: (the part, its words)."""
    parts = []
    for part in _PARTS.split(definition)[:_MAX_PARTS]:
        found = folded_words(part)
        meaning = frozenset(w for w in found if w not in _STOP)
        if _MIN_WORDS <= len(meaning) <= _MAX_WORDS and not _NEGATING & set(found):
            parts.append((" ".join(part.split()), meaning))
    return parts


def _fold(text: str) -> str:
    """A text as reasons are compared: no case, single spaces."""
    return " ".join(text.casefold().split())


def reason_key(reason: str) -> str:
    """A reason as it is found in a text: folded, without its closing full stop."""
    return _fold(reason).rstrip(".!?;:, ")


class Reasons:
    """Finds, in one pass over a text, every reason of a list that it names as whole words."""

    def __init__(self, reasons: Iterable[str]) -> None:
        self.keys = list(dict.fromkeys(key for key in map(reason_key, reasons) if key))
        self.automaton = ahocorasick_rs.AhoCorasick(self.keys) if self.keys else None

    def find(self, text: str) -> list[str]:
        """The reasons the text names, each once, in the order they first appear."""
        if self.automaton is None:
            return []
        folded = _fold(text)
        found: dict[str, None] = {}
        for index, start, end in self.automaton.find_matches_as_indexes(folded, overlapping=True):
            if (start and folded[start - 1].isalnum()) or (end < len(folded) and folded[end].isalnum()):
                continue
            found.setdefault(self.keys[index])
        return list(found)
