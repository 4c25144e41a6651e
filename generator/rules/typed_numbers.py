"""Numbers typed in texts that equal an agreed value: "$3,000,000" where `[[pipeline-target]]`
could be named, so that the text changes with the value."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..source.document import Document
from ..source.loader import LoadedPlaybook
from ..source.numbers import Amount, text_amount
from ..source.paths import Path_, shorten
from ..source.problems import WARNING, Problem, Rule
from .value_compute import MAX_VALUE
from .values import declared

_PIPELINE = """\
        values:
          - id: pipeline-target
            value: USD 3,000,000"""

VALUE_NUMBER_TYPED_OUT = Rule(
    "value-number-typed-out", WARNING, "a number in a text that equals an agreed value, not named",
    doc=f"""
    A quantity in a text that equals an agreed value's, in any spelling the check reads ("USD
    3,000,000", "3,000,000 US dollars", "$3,000,000", "1 hour", "25%", "25 percent"), where the
    value could be named: when the value changes, the typed number would not. A bare number of
    1,000 or more ("3,000,000") that equals a value's number counts too. A bare number under
    1,000 does not: numbers such as 60 or 5 stand for too many things in a text (a score, a
    count, a day of the month) to be taken for a value. A value typed out word for word is told
    by value-typed-out instead, once.

    Fails, with these fields in `playbook/terms/contact.yaml`:

        definition: Anyone in the CRM; each team brings in $3,000,000 of pipeline a quarter.

    And with these fields in `playbook/playbook.yaml`:

{_PIPELINE}

    Passes, with these fields in `playbook/terms/contact.yaml`:

        definition: Anyone in the CRM; each team brings in [[pipeline-target]] of pipeline a quarter.

    And with these fields in `playbook/playbook.yaml`:

{_PIPELINE}
    """)

# A number in a text, with what makes it a quantity: a currency before it, a unit after it. One
# regular expression, tried once along a text, that cannot backtrack further than one number and
# the word after it; a reference to a value ([[id]]) is matched whole, and skipped. The first
# lookahead names every character a match can start with, so that most places fail at once (it
# halves the time of a pass). Its parts:
_REFERENCE = r"\[\[[^\[\]\0]*\]\]"
_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)"
# What follows the number: its decimals, its unit, and no more of a word or a number.
_AFTER_NUMBER = (r"(?:\.\d+)?"
                 r"(?: ?(?:%|(?i:percent|per cent|business hours?|business days?|hours?|days?|us dollars?|dollars?"
                 r"|euros?|pounds?)(?!\w)|[A-Z]{3}(?!\w)))?"
                 r"(?!\w|[.,]\d)")
_MENTION = re.compile(r"(?=[\[\d$€£A-Z])(?:" + _REFERENCE + r"|(?<![\w.,$€£])(?:(?:[A-Z]{3}|[$€£]) ?)?"
                      + _NUMBER + _AFTER_NUMBER + ")")
# The same matches as _MENTION in a text whose only digits are 0-9, found in half the time. It
# opens with the character a match starts with, as one alternative for each such character: the
# regular expression engine then skips at once every place that starts none (a pattern that
# begins with a lookahead is tried at every place). What follows depends on that character, told
# by a lookbehind: the rest of a reference, of a number, of an amount after its sign or its
# currency code. The lookbehind that opened _MENTION is taken after the first character; a
# number's first digit is that character. A decimal digit outside 0-9 (Arabic-Indic, say) would
# need an alternative of its own: a text holding one is read with _MENTION (tests/test_values.py
# compares both). Each part is written once (one alternative for each first character, each with
# all that follows it, took ten times as long to compile: 12 ms of every command).
_NOT_AFTER = r"(?<![\w.,$€£].)"
_FIRST = [r"\[", *"0123456789", *(re.escape(sign) for sign in "$€£"), *"ABCDEFGHIJKLMNOPQRSTUVWXYZ"]
_MENTION_ASCII = re.compile("(?:" + "|".join(_FIRST) + ")(?:"
                            + r"(?<=\[)" + _REFERENCE.removeprefix(r"\[")
                            + r"|(?<=\d)" + _NOT_AFTER + r"(?:\d{0,2}(?:,\d{3})+|\d*)" + _AFTER_NUMBER
                            + r"|(?<=[$€£])" + _NOT_AFTER + " ?" + _NUMBER + _AFTER_NUMBER
                            + r"|(?<=[A-Z])" + _NOT_AFTER + "[A-Z]{2} ?" + _NUMBER + _AFTER_NUMBER + ")")
_NOT_ASCII = re.compile(r"[^\x00-\x7f]+")
_DIGIT = re.compile(r"\d")
_ASCII_DIGITS = "0123456789"
# A bare number under this is too common in a text to be taken for an agreed value.
BARE_FROM = 1000
# How many numbers as written a run remembers the values of.
_REMEMBERED = 100_000


def mentions(text: str) -> list[str]:
    """Every match of _MENTION along text, in order, as written."""
    if not text.isascii() and any(c.isdecimal() for run in _NOT_ASCII.findall(text) for c in run):
        return _MENTION.findall(text)
    return _MENTION_ASCII.findall(text)


def _has_digit(text: str) -> bool:
    """Whether text holds a digit: an ASCII text is looked through for each of 0-9 in turn, three
    times faster than the search of it for any digit."""
    if text.isascii():
        return any(digit in text for digit in _ASCII_DIGITS)
    return _DIGIT.search(text) is not None


class Numbers:
    """The agreed values by the amount they state, to find a number typed in a text where a value
    could be named: one pass of _MENTION along each text, and a look-up for each number found."""

    def __init__(self, amounts: dict[Amount, list[str]], bare: dict[float, list[str]],
                 texts: dict[str, str]) -> None:
        self.amounts = amounts
        self.bare = bare
        self.texts = texts
        # The values each number as written equals: the same few numbers ("2 days", "25%") recur
        # across thousands of texts, and each is read once. Bounded: a run keeps at most
        # _REMEMBERED of them, then reads the others each time.
        self.known: dict[str, list[str]] = {}

    def any_in(self, text: str) -> bool:
        """Whether the text types a number that equals an agreed value (texts may be joined by NULs)."""
        if not _has_digit(text):
            return False
        return any(self._ids(found) for found in set(mentions(text)))

    def _ids(self, found: str) -> list[str]:
        ids = self.known.get(found)
        if ids is not None:
            return ids
        ids = []
        if not found.startswith("[["):
            amount = text_amount(found)
            if amount is not None and amount[0] != "number":
                ids = self.amounts.get(amount, [])
            elif amount is not None and amount[2] >= BARE_FROM:
                ids = self.bare.get(amount[2], [])
            # A value typed out word for word is value-typed-out's to tell.
            ids = [id for id in ids if not (self.texts[id] == found and any(c.isalpha() for c in found))]
        if len(self.known) < _REMEMBERED:
            self.known[found] = ids
        return ids

    def problems(self, doc: Document, path: Path_, text: str) -> Iterator[Problem]:
        if not _has_digit(text):
            return
        for match in _MENTION.finditer(text):
            found = match.group()
            ids = self._ids(found)
            if ids:
                named = " or ".join(f"[[{id}]]" for id in ids[:3])
                said = ", ".join(f"{id} is {shorten(self.texts[id])}" for id in ids[:3])
                yield doc.problem(VALUE_NUMBER_TYPED_OUT, path, f"'{shorten(found)}' equals an agreed value ({said}): "
                                  f"if this is {named}, write {named} instead, so that it changes with the value")


def agreed_numbers(loaded: LoadedPlaybook, texts: dict[str, str]) -> Numbers | None:
    """The values with an amount (a time, money, a percentage, or a number of 1,000 or more)."""
    amounts: dict[Amount, list[str]] = {}
    bare: dict[float, list[str]] = {}
    items = declared(loaded.settings)
    for id, text in texts.items():
        amount = text_amount(text) if id in items and len(text) <= MAX_VALUE else None
        if amount is None:
            continue
        if amount[0] != "number":
            amounts.setdefault(amount, []).append(id)
        if amount[2] >= BARE_FROM:
            bare.setdefault(amount[2], []).append(id)
    return Numbers(amounts, bare, texts) if amounts or bare else None
