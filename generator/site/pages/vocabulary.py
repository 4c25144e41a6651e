"""Finding the playbook's terms in running text, in time linear in the text.

A term is found by its name or an alias in any case ("sales accepted lead"), or by its
abbreviation exactly as written, alone or as a plural ("SAL", "SALs"; never "sal" in "salary").
Text is cut into words once; at each word the longest name starting there is looked up in a
dictionary, so the cost is the number of words times the longest name's length in words, whatever
the number of terms. The site's script (glossary.js) does the same in the browser, from the
glossary.json this module writes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ...model.entities import Term
from ...model.playbook import Playbook
from ...rules.values import expand

# Letters and digits make words; words of a name may be separated by spaces or hyphens only.
WORD = re.compile(r"[^\W_]+")
_JOINER = re.compile(r"[\s\-‐‑]+")
MAX_WORDS = 8  # longer names are not looked for in running text


@dataclass(frozen=True)
class Match:
    term: str  # the term's id
    start: int
    end: int


def _words(text: str) -> tuple[str, ...]:
    return tuple(w.casefold() for w in WORD.findall(text))


class Vocabulary:
    """Every term's names, aliases and abbreviation, ready to be found in text."""

    def __init__(self, terms: Iterable[Term]) -> None:
        self.names: dict[tuple[str, ...], str] = {}
        self.abbreviations: dict[str, str] = {}
        self.longest = 1
        for term in terms:
            for name in (term.name, *term.aliases):
                words = _words(name)
                if 0 < len(words) <= MAX_WORDS:
                    self.names.setdefault(words, term.id)
                    self.longest = max(self.longest, len(words))
            if term.abbreviation and WORD.fullmatch(term.abbreviation.strip()):
                self.abbreviations.setdefault(term.abbreviation.strip(), term.id)
        # The words a term can start with, as written (abbreviations, alone or plural) or in any
        # case (names): most words of a text are none of these, and are passed at one look.
        self.starts = {words[0] for words in self.names}
        self.written = set(self.abbreviations) | {a + "s" for a in self.abbreviations if len(a) > 1}

    def find(self, text: str) -> Iterator[Match]:
        """Every use of a term in text, left to right, longest name first, none overlapping."""
        spans = [(m.start(), m.end(), m.group()) for m in WORD.finditer(text)]
        starts, written = self.starts, self.written
        i = 0
        while i < len(spans):
            word = spans[i][2]
            if word not in written and word.casefold() not in starts:
                i += 1
                continue
            found = self._at(text, spans, i)
            if found is None:
                i += 1
                continue
            term, j = found
            yield Match(term, spans[i][0], spans[j][1])
            i = j + 1

    def _at(self, text: str, spans: list[tuple[int, int, str]], i: int) -> tuple[str, int] | None:
        word = spans[i][2]
        abbreviation = self.abbreviations.get(word)
        if abbreviation is None and word.endswith("s") and len(word) > 2:
            abbreviation = self.abbreviations.get(word[:-1])
        best: tuple[str, int] | None = (abbreviation, i) if abbreviation is not None else None
        words: list[str] = []
        for j in range(i, min(len(spans), i + self.longest)):
            if j > i and not _JOINER.fullmatch(text[spans[j - 1][1]:spans[j][0]]):
                break
            words.append(spans[j][2].casefold())
            term = self.names.get(tuple(words))
            if term is not None:
                best = (term, j)
        return best

    def terms_in(self, texts: Iterable[str]) -> set[str]:
        """The ids of the terms used anywhere in texts."""
        return {match.term for text in texts for match in self.find(text)}


def texts_of(data: Any) -> Iterator[str]:
    """Every text inside an entry (dataclass fields, tuples, nested values), ids and links aside."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, (tuple, list)):
        for item in data:
            yield from texts_of(item)
    elif hasattr(data, "__dataclass_fields__"):
        for name in data.__dataclass_fields__:
            if name not in ("id", "source", "link"):
                yield from texts_of(getattr(data, name))


def used_in(playbook: Playbook) -> dict[str, dict[str, list[Any]]]:
    """For each term: the stages, lifecycle states, handoffs and assets whose text uses it
    (kind -> entries), in one pass over the text of the playbook."""
    vocabulary = Vocabulary(playbook.terms)
    found: dict[str, dict[str, list[Any]]] = {}
    kinds: tuple[tuple[str, Iterable[Any]], ...] = (
        ("stage", playbook.stages), ("lifecycle", playbook.lifecycle), ("handoff", playbook.handoffs),
        ("asset", playbook.assets))
    for kind, entries in kinds:
        for entry in entries:
            for term in vocabulary.terms_in(expand(text, playbook.values) for text in texts_of(entry)):
                found.setdefault(term, {}).setdefault(kind, []).append(entry)
    for entry in playbook.terms:
        if entry.lifecycle_state:
            state = playbook.state(entry.lifecycle_state)
            states = found.setdefault(entry.id, {}).setdefault("lifecycle", [])
            if state in states:  # its own state first
                states.remove(state)
            states.insert(0, state)
    return found


def glossary_data(playbook: Playbook, glossary_urls: dict[str, str]) -> dict[str, Any]:
    """What the site's script needs to explain terms on every page: each term's names, aliases,
    abbreviation, definition and address (glossary_urls: the URL of each term's glossary page).
    The script shows all of it as text."""
    values = playbook.values  # texts show the agreed values they name written out, so this data does too
    return {"terms": [
        {"id": t.id, "name": expand(t.name, values), "abbreviation": t.abbreviation,
         "aliases": [expand(a, values) for a in t.aliases],
         "definition": " ".join(expand(t.definition, values).split()), "url": f"{glossary_urls[t.id]}#{t.id}"}
        for t in playbook.terms]}
