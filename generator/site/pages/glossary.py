"""The glossary page: its terms by topic, and by initial letter A to Z.

The letters also decide the order of the glossary's pages (pages/paging.py), and which terms each
page holds; where each term is used comes from vocabulary.py.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from ...model.entities import Term
from ...model.playbook import Playbook
from ...rules.anchors import GLOSSARY_LETTER_PREFIX, GLOSSARY_TOPIC_PREFIX

# Under each entry, the kinds it is used in, by what the page calls them.
USED_IN_NAMES = {"stage": "stages:", "lifecycle": "lifecycle states:", "handoff": "handoffs:", "asset": "assets:"}
# How many entries of each kind a glossary entry's "Used in" list names; the rest are counted.
TERM_USES_SHOWN = 8


@dataclass(frozen=True)
class Topic:
    anchor: str
    name: str
    description: str | None
    terms: list[Term]


def topics(playbook: Playbook) -> list[Topic]:
    """The glossary's topics as playbook.yaml declares them (each shown, even before it has a
    term), each with its terms A to Z; the terms of no topic last, under "Other terms"."""
    topics = {g.id: Topic(GLOSSARY_TOPIC_PREFIX + g.id, g.name, g.description, [])
              for g in playbook.settings.glossary_groups}
    other = Topic("other-terms", "Other terms", None, [])
    for term in playbook.terms:
        topics.get(term.group or "", other).terms.append(term)
    return [*topics.values(), *([other] if other.terms else [])]


@dataclass(frozen=True)
class Letter:
    initial: str
    anchor: str
    terms: list[Term]


def glossary_groups(playbook: Playbook) -> list[Letter]:
    """Terms by initial, A to Z; an initial that is not an ASCII letter gets a code-point anchor."""
    groups: dict[str, list[Term]] = {}
    for term in playbook.terms:
        groups.setdefault(_initial(term.name), []).append(term)
    return [Letter(i, GLOSSARY_LETTER_PREFIX + (i.lower() if i.isascii() and i.isalnum() else f"u{ord(i):x}"), terms)
            for i, terms in sorted(groups.items())]


def _initial(name: str) -> str:
    """The letter a name is filed under: its first visible character in upper case, where that
    is one character ('և' upper-cases to two, and stays as it is)."""
    first = next((c for c in name if not c.isspace() and unicodedata.category(c) != "Cf"), "#")
    upper = first.upper()
    return upper if len(upper) == 1 else first
