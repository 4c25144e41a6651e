"""What a plain value of a YAML file is: the tag YAML's rules give its text (a number, true,
null or text), how each allowed tag is built, and which characters no text may hold."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

import yaml

from .paths import shorten

# Characters refused anywhere in a file, each reported where it is: the control characters
# YAML itself refuses, line and paragraph separators (editors and YAML disagree on whether
# they end a line), and the invisible controls that make text display in another order than
# it is written (U+202A-U+202E, U+2066-U+2069).
# Written as the characters refused rather than as the complement of those allowed
# ([^\x09\x0A\x0D\x20-\x7E\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]): the same set, which
# tests/test_fast_paths.py compares over every code point, searched four times faster.
REFUSED = re.compile("[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F\\uD800-\\uDFFF\\uFFFE\\uFFFF"
                     "\\u2028\\u2029\\u202A-\\u202E\\u2066-\\u2069]")
# Refused in values too, though a file may hold them as indentation or line ends.
IN_VALUES = re.compile("[\t\r]")
RESOLVER: Any = yaml.resolver.Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
STR = "tag:yaml.org,2002:str"
SCALARS: dict[str, Callable[[Any], Any]] = {
    STR: lambda node: node.value,
    # Dates stay text: the schema checks them with `format: date`.
    "tag:yaml.org,2002:timestamp": lambda node: node.value,
    "tag:yaml.org,2002:int": _CONSTRUCTOR.construct_yaml_int,
    "tag:yaml.org,2002:float": _CONSTRUCTOR.construct_yaml_float,
    "tag:yaml.org,2002:bool": _CONSTRUCTOR.construct_yaml_bool,
    "tag:yaml.org,2002:null": lambda node: None,
}
TIMESTAMP = "tag:yaml.org,2002:timestamp"


def tag(event: Any) -> str:
    """A scalar's tag: the one written, or the one YAML's rules give its plain text."""
    if event.tag is None or event.tag == "!":
        return implicit_tag(event.value, event.implicit)
    return str(event.tag)


def implicit_tag(text: str, implicit: tuple[bool, bool]) -> str:
    """The tag YAML's rules give text written with no tag: Resolver.resolve, without its call
    where the answer is known. Quoted text is text; plain text is read as another type only
    from a few first characters; and what it is read as is remembered for short text, as long
    as nobody adds a rule to PyYAML's resolver."""
    if not implicit[0]:
        return STR
    resolvers = RESOLVER.yaml_implicit_resolvers
    if text and text[0] not in resolvers and None not in resolvers:
        return STR
    tag = _MEMO.get(text)
    if tag is None:
        tag = str(RESOLVER.resolve(yaml.ScalarNode, text, implicit))
        if len(text) <= 40 and len(_MEMO) < 10_000 and not RESOLVER.yaml_path_resolvers:
            _MEMO[text] = tag
    return tag


_MEMO: dict[str, str] = {}
_MEMO_RULES = [-1]


def rule_count() -> int:
    """How many rules PyYAML's resolver reads plain text with: another count means a rule was added
    (what was worked out from the rules before is out of date)."""
    return sum(map(len, RESOLVER.yaml_implicit_resolvers.values()))


def check_memo() -> None:
    """Forget what plain text was read as if a rule was added to the resolver since."""
    rules = rule_count()
    if _MEMO_RULES[0] != rules:
        _MEMO.clear()
        _MEMO_RULES[0] = rules


def show_tag(tag: str) -> str:
    return shorten(tag.replace("tag:yaml.org,2002:", "!!"), 40)


def refused(char: str) -> str:
    """What is wrong with a refused character, and what to do."""
    code = f"U+{ord(char):04X}"
    name = unicodedata.name(char, "control character").lower()
    if char in "\u2028\u2029":
        return f"{code} ({name}) is not allowed: use an ordinary line break"
    if unicodedata.category(char) == "Cf":
        return (f"{code} ({name}) is not allowed: it makes text display in another order than it is "
                "written; delete it")
    return f"{code} ({name}) is not allowed: delete it (most editors do not show it)"
