"""Finding the playbook's terms in running text, in time linear in the text: each entry's "Used
in" list, and the glossary data the site's script (glossary.js) reads to link terms in the browser.
Which words name a term is decided in source/term_words.py, for the site and the change summary
alike.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from ...model.entities import Term
from ...model.playbook import Playbook
from ...rules.values import expand, texts_in
from ...source import term_words
from ...source.filecache import ContentCache
from ...source.term_words import Match

__all__ = ["Match", "Vocabulary", "glossary_data", "texts_of", "used_in"]


class Vocabulary(term_words.Vocabulary):
    """Every term's names, aliases and abbreviation, ready to be found in text."""

    def __init__(self, terms: Iterable[Term]) -> None:
        given = tuple((t.id, t.name, t.abbreviation, tuple(t.aliases), t.link) for t in terms)
        super().__init__(given)
        # The terms as one digest: a key of the scans below, hashed once, not at every look-up.
        self.digest = hashlib.sha256(repr(given).encode("utf-8", "surrogatepass")).hexdigest()


# The terms each entry's texts use, by the vocabulary and the texts: under `mkdocs serve` a
# rebuild scans again only the entries whose texts changed (the scan was a tenth of a rebuild).
_USES = ContentCache(budget=64 * 1024 * 1024)


def _terms_used(vocabulary: Vocabulary, texts: tuple[str, ...]) -> frozenset[str]:
    key = (vocabulary.digest, texts)
    found: frozenset[str] | None = _USES.get(key)
    if found is None:
        found = frozenset(vocabulary.terms_in(texts))
        _USES.put(key, found, 2 * sum(len(text) for text in texts) + 100)
    return found


def texts_of(data: Any) -> list[str]:
    """Every text inside an entry (dataclass fields, tuples, nested values), ids and links aside,
    in the order they are written (without recursion: a generator for each value took a third of
    the "Used in" lists at 10,000 entities)."""
    return texts_in(data, _NOT_TEXT)


_NOT_TEXT = frozenset({"id", "source", "link"})


# The terms an entry uses, by the vocabulary, the agreed values and the entry itself (equal, field
# by field): under `mkdocs serve` a rebuild no longer walks and writes out the texts of every
# entry again (a tenth of a second at 10,000 entities).
_ENTRY_USES = ContentCache(budget=32 * 1024 * 1024)


def _entry_terms(vocabulary: Vocabulary, values: dict[str, str], values_digest: str, entry: Any) -> frozenset[str]:
    key = (vocabulary.digest, values_digest, entry)
    found: frozenset[str] | None = _ENTRY_USES.get(key)
    if found is None:
        found = _terms_used(vocabulary, tuple(expand(text, values) for text in texts_of(entry)))
        # The key holds the entry: its fields and tuples (its texts are those of the file kept in
        # the cache of files read, shared).
        _ENTRY_USES.put(key, found, 1000 + 16 * len(found))
    return found


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
            for term in sorted(_entry_terms(vocabulary, playbook.values, playbook.values_digest, entry)):
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
         "aliases": [expand(a, values) for a in t.aliases], "link": t.link,
         "definition": " ".join(expand(t.definition, values).split()), "url": f"{glossary_urls[t.id]}#{t.id}"}
        for t in playbook.terms]}
